package model

// Table tests named after the rules of SPEC.md: section 1.1 (the state
// machine), 1.2 to 1.4, 3.2 to 3.6, 4 and the packetdrill rules of section
// 10. Each case is a tiny scenario; the checks read the trace a user sees
// (state changes, segments on the wire, timers, what the application is
// told) and compare it with what the rule demands.
//
// Unless a case says otherwise the link delay is the linux profile's 20 ms,
// ISNs are predictable (client 1000, server 5000, so an established
// connection has client SND.NXT 1001 and server SND.NXT 5001), the delayed
// ACK is 40 ms and the RTO after the built-in handshake is
// SRTT + max(rto_min, 4*RTTVAR) = 40 ms + 200 ms = 240 ms.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

const maxSteps = 3_000_000

// scn parses a scenario written inline.
func scn(tb testing.TB, src string) *Scenario {
	tb.Helper()
	sc, err := ParseScenario("inline.scn", src)
	if err != nil {
		tb.Fatalf("scenario does not parse: %v\n%s", err, src)
	}
	return sc
}

// runScn runs an inline scenario to its end.
func runScn(tb testing.TB, src string, sets ...string) *Sim {
	tb.Helper()
	s, err := New(scn(tb, src), sets, nil)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	s.Run(maxSteps)
	if !s.Done() {
		tb.Fatalf("run did not end after %d steps (now %v)", maxSteps, s.Now())
	}
	return s
}

// dumpTrace formats a trace for failure messages.
func dumpTrace(s *Sim) string {
	var b strings.Builder
	for _, e := range s.Trace() {
		b.WriteString(evString(&e))
		b.WriteByte('\n')
	}
	return b.String()
}

func evString(e *Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%10s %-11s %-6s c%d", FormatDuration(e.T), e.Kind, e.Side, e.Conn)
	if e.HasSeg {
		b.WriteString(" " + e.Seg.Summary())
	}
	if e.Kind == EvState {
		fmt.Fprintf(&b, " %s->%s (%s)", e.From, e.To, e.Rule)
	}
	if e.Timer != TimerNone {
		b.WriteString(" " + e.Timer.String())
		if e.Kind == EvTimerStart {
			b.WriteString(" " + FormatDuration(e.Dur))
		}
	}
	if e.Detail != "" {
		b.WriteString(" " + e.Detail)
	}
	if e.Note != "" {
		b.WriteString(" [" + e.Note + "]")
	}
	return b.String()
}

// anyConn selects every connection in the helpers below.
const anyConn = -1

func match(e *Event, k EventKind, side Side, conn int) bool {
	return e.Kind == k && e.Side == side && (conn == anyConn || e.Conn == conn)
}

// path is a side's state history: "ESTABLISHED>FIN-WAIT-1(7)>...". A
// connection that a scenario starts established begins at ESTABLISHED: its
// birth (CLOSED>ESTABLISHED(S)) is checked by TestBirthIsRecorded.
func path(s *Sim, side Side, conn int) string {
	var b strings.Builder
	for _, e := range s.Trace() {
		if !match(&e, EvState, side, conn) {
			continue
		}
		if b.Len() == 0 && e.Rule == RuleS {
			b.WriteString(e.To.String())
			continue
		}
		if b.Len() == 0 {
			b.WriteString(e.From.String())
		}
		fmt.Fprintf(&b, ">%s(%s)", e.To, e.Rule)
	}
	return b.String()
}

// sent lists the segments a side put on the wire: "90ms ACK seq=1002 ack=5002 len=0".
func sent(s *Sim, side Side, conn int) []string {
	var out []string
	for _, e := range s.Trace() {
		if match(&e, EvSend, side, conn) {
			out = append(out, FormatDuration(e.T)+" "+e.Seg.Summary())
		}
	}
	return out
}

// told lists what a side's application was told: "7875s ETIMEDOUT".
func told(s *Sim, side Side) []string {
	var out []string
	for _, e := range s.Trace() {
		if e.Kind == EvNotify && e.Side == side && e.Detail != "DATA" {
			out = append(out, FormatDuration(e.T)+" "+e.Detail)
		}
	}
	return out
}

// events returns the events that satisfy f.
func events(s *Sim, f func(e *Event) bool) []Event {
	var out []Event
	for _, e := range s.Trace() {
		if f(&e) {
			out = append(out, e)
		}
	}
	return out
}

// timerStarts lists when (and for how long) a side armed timer k.
func timerStarts(s *Sim, side Side, k TimerKind) []string {
	var out []string
	for _, e := range s.Trace() {
		if e.Kind == EvTimerStart && e.Side == side && e.Timer == k {
			out = append(out, FormatDuration(e.T)+"+"+FormatDuration(e.Dur))
		}
	}
	return out
}

// stateAt finds the state event of a side by rule.
func stateByRule(t *testing.T, s *Sim, side Side, rule RuleName) Event {
	t.Helper()
	for _, e := range s.Trace() {
		if e.Kind == EvState && e.Side == side && e.Rule == rule {
			return e
		}
	}
	t.Fatalf("no %s state change by rule %s\n%s", side, rule, dumpTrace(s))
	return Event{}
}

func eqList(t *testing.T, what string, got, want []string, s *Sim) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q\ntrace:\n%s", what, got, want, dumpTrace(s))
	}
}

func eqStr(t *testing.T, what, got, want string, s *Sim) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got  %s\n want %s\ntrace:\n%s", what, got, want, dumpTrace(s))
	}
}

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

type ruleCase struct {
	name  string
	src   string
	sets  []string
	check func(t *testing.T, s *Sim)
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := runScn(t, c.src, c.sets...)
			c.check(t, s)
		})
	}
}

const closeSrc = `start established
at 0 client close
on server eof after 50ms server close
`

// TestRules11 covers the (state, event) -> (action, next) table, SPEC.md 1.1.
func TestRules11(t *testing.T) {
	handshake := "start closed\nat 0 server listen\nat 10ms client connect\n"
	runCases(t, []ruleCase{
		{"rule_01_Closed_open", handshake, nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, anyConn), "CLOSED>SYN-SENT(1)>ESTABLISHED(3)", s)
			eqStr(t, "server path", path(s, Server, anyConn), "CLOSED>LISTEN(1p)>SYN-RECEIVED(2)>ESTABLISHED(6)", s)
			// Active open sends a SYN (no ACK) with the ISN and arms the
			// retransmission timer with the initial RTO (1 s, no RTT yet).
			eqList(t, "client segments", sent(s, Client, 1), []string{"10ms SYN seq=1000 ack=0 len=0", "50ms ACK seq=1001 ack=5001 len=0"}, s)
			eqList(t, "client retransmit timer", timerStarts(s, Client, TimerRetransmit), []string{"10ms+1s"}, s)
		}},
		{"rule_02_Listen_rcvSYN", handshake, nil, func(t *testing.T, s *Sim) {
			e := stateByRule(t, s, Server, "2")
			if e.T != ms(30) || e.From != Listen || e.To != SynReceived {
				t.Errorf("LISTEN->SYN-RECEIVED at %v, want at 30ms when the SYN arrives", e.T)
			}
			eqList(t, "server segments", sent(s, Server, 1), []string{"30ms SYN,ACK seq=5000 ack=1001 len=0"}, s)
		}},
		{"rule_03_SynSent_rcvSYNACK", handshake, nil, func(t *testing.T, s *Sim) {
			e := stateByRule(t, s, Client, "3")
			if e.T != ms(50) {
				t.Errorf("client ESTABLISHED at %v, want 50ms", e.T)
			}
			c, _ := s.Endpoint(Client)
			sv, _ := s.Endpoint(Server)
			if c.State != Established || sv.State != Established || c.SndNxt != 1001 || c.RcvNxt != 5001 || sv.RcvNxt != 1001 {
				t.Errorf("after handshake: client %v snd.nxt %d rcv.nxt %d, server %v rcv.nxt %d", c.State, c.SndNxt, c.RcvNxt, sv.State, sv.RcvNxt)
			}
		}},
		{"rule_04_SynSent_rcvRST_refused", "start closed\nat 10ms client connect\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, 1), "CLOSED>SYN-SENT(1)>CLOSED(4)", s)
			// No listener: the server answers the SYN with RST,ACK acking it.
			eqList(t, "server segments", sent(s, Server, anyConn), []string{"30ms RST,ACK seq=0 ack=1001 len=0"}, s)
			eqList(t, "client told", told(s, Client), []string{"50ms ECONNREFUSED"}, s)
		}},
		{"rule_05_Listen_close", "start closed\nat 0 server listen\nat 1s server close\nat 2s client connect\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "server path", path(s, Server, anyConn), "CLOSED>LISTEN(1p)>CLOSED(5)", s)
			// Nobody listens any more: the SYN is refused.
			eqList(t, "client told", told(s, Client), []string{"2.04s ECONNREFUSED"}, s)
		}},
		{"rule_05_SynSent_close_B5", "start closed\nat 0 server listen\nat 10ms client connect\nat 15ms client close\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, 1), "CLOSED>SYN-SENT(1)>CLOSED(5)", s)
			// close() in SYN-SENT sends nothing; the late SYN,ACK meets a
			// bare RST whose seq is the SYN,ACK's ack (SPEC.md B5, C1).
			eqList(t, "client segments", sent(s, Client, 1), []string{"10ms SYN seq=1000 ack=0 len=0", "50ms RST seq=1001 ack=0 len=0"}, s)
			eqStr(t, "server path", path(s, Server, 1), "LISTEN>SYN-RECEIVED(2)>CLOSED(6r)", s)
		}},
		{"rule_06_SynReceived_close", "start closed\nat 0 server listen\nat 10ms client connect\nat 35ms server close\n", nil, func(t *testing.T, s *Sim) {
			// CLOSE in SYN-RECEIVED sends a FIN: FIN-WAIT-1.
			e := stateByRule(t, s, Server, "6c")
			if e.T != ms(35) || e.To != FinWait1 {
				t.Errorf("server close in SYN-RECEIVED: %s", evString(&e))
			}
			got := sent(s, Server, 1)
			if len(got) < 2 || got[1] != "35ms FIN,ACK seq=5001 ack=1001 len=0" {
				t.Errorf("server segments %q, want the FIN 5001 as second segment", got)
			}
		}},
		{"rule_06_SynReceived_rcvRST", "start closed\nat 0 server listen\ndrop client:ACK:1\nat 10ms client connect\nat 100ms client abort\n", nil, func(t *testing.T, s *Sim) {
			// The handshake's last ACK is lost; the client aborts; its RST
			// (seq = RCV.NXT of the server) ends the half-open connection.
			eqStr(t, "server path", path(s, Server, 1), "LISTEN>SYN-RECEIVED(2)>CLOSED(6r)", s)
			eqList(t, "server told", told(s, Server), nil, s)
		}},
		{"rule_07_Established_close", "start established\nat 0 client send 100\nat 0 client close\n", nil, func(t *testing.T, s *Sim) {
			// The FIN follows the queued data and takes the next sequence
			// number (SPEC.md section 2, B2).
			got := sent(s, Client, 1)
			want := []string{"0s PSH,ACK seq=1001 ack=5001 len=100", "0s FIN,ACK seq=1101 ack=5001 len=0"}
			if len(got) < 2 || !slices.Equal(got[:2], want) {
				t.Errorf("client segments %q, want first %q", got, want)
			}
			e := stateByRule(t, s, Client, "7")
			if e.T != 0 || e.To != FinWait1 {
				t.Errorf("ESTABLISHED->FIN-WAIT-1: %s", evString(&e))
			}
		}},
		{"rule_08_Established_rcvFIN", "start established\nat 0 client close\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)", s)
			sv, _ := s.Endpoint(Server)
			if sv.RcvNxt != 1002 {
				t.Errorf("server RCV.NXT = %d, want 1002 (the FIN takes one sequence number)", sv.RcvNxt)
			}
			// Delayed ACK (A4): the FIN arrives at 20 ms, the ACK leaves at 60 ms.
			eqList(t, "server segments", sent(s, Server, 1), []string{"60ms ACK seq=5001 ack=1002 len=0"}, s)
			eqList(t, "server told", told(s, Server), []string{"20ms EOF"}, s)
			// No timer ends CLOSE-WAIT: the leak lasts as long as the run.
			if got := timerStarts(s, Server, TimerFinWait2); got != nil {
				t.Errorf("CLOSE-WAIT armed %v", got)
			}
		}},
		{"rule_09_FinWait1_ackOfFIN", closeSrc, nil, func(t *testing.T, s *Sim) {
			e := stateByRule(t, s, Client, "9")
			if e.T != ms(80) || e.From != FinWait1 || e.To != FinWait2 {
				t.Errorf("FIN-WAIT-1 -> FIN-WAIT-2: %s, want at 80ms when the ACK of the FIN arrives", evString(&e))
			}
		}},
		{"rule_10_FinWait1_rcvFIN_Closing", "start established\nat 0 client close\nat 0 server close\n", nil, func(t *testing.T, s *Sim) {
			for _, side := range []Side{Client, Server} {
				eqStr(t, side.String()+" path", path(s, side, 1), "ESTABLISHED>FIN-WAIT-1(7)>CLOSING(10)>TIME-WAIT(16)>CLOSED(22)", s)
			}
			// A2: the crossing FINs are each ACKed at once (20 ms), not delayed.
			eqList(t, "client segments", sent(s, Client, 1), []string{"0s FIN,ACK seq=1001 ack=5001 len=0", "20ms ACK seq=1002 ack=5002 len=0"}, s)
			eqList(t, "server segments", sent(s, Server, 1), []string{"0s FIN,ACK seq=5001 ack=1001 len=0", "20ms ACK seq=5002 ack=1002 len=0"}, s)
		}},
		{"rule_11_FinWait1_rcvFINACK", "start established\nat 0 client close\non server eof after 10ms server close\n", nil, func(t *testing.T, s *Sim) {
			// The server closes inside its delayed-ACK window: one FIN,ACK
			// carries both; the client goes straight to TIME-WAIT.
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>TIME-WAIT(11)>CLOSED(22)", s)
			eqList(t, "server segments", sent(s, Server, 1), []string{"30ms FIN,ACK seq=5001 ack=1002 len=0"}, s)
			eqList(t, "client segments", sent(s, Client, 1), []string{"0s FIN,ACK seq=1001 ack=5001 len=0", "50ms ACK seq=1002 ack=5002 len=0"}, s)
			eqList(t, "client time-wait", timerStarts(s, Client, TimerTimeWait), []string{"50ms+60s"}, s)
		}},
		{"rule_12_FinWait_rcvData_G1", "start established\nat 0 client shutdown\non server eof after 10ms server send 3000\nat 100ms client send 10\nat 300ms server close\n", nil, func(t *testing.T, s *Sim) {
			c, _ := s.Endpoint(Client)
			total := 0
			for _, ch := range c.Received {
				total += ch.Len
			}
			if total != 3000 || c.ReceivedText()[:8] != "[#1 serv" {
				t.Errorf("half-closed client read %d bytes %q..., want the server's 3000", total, c.ReceivedText()[:8])
			}
			// G1: writing after shutdown(SHUT_WR) fails with EPIPE.
			// Then the server's FIN: the half-closed client, still holding
			// its socket, reads EOF (step 8 signals the user in FIN-WAIT-2).
			eqList(t, "client told", told(s, Client), []string{"100ms EPIPE", "320ms EOF"}, s)
			// Data is ACKed: the server's last data byte is 8000.
			acks := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Ack == 8001 })
			if len(acks) == 0 {
				t.Errorf("client never ACKed the data up to 8001\n%s", dumpTrace(s))
			}
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>TIME-WAIT(13)>CLOSED(22)", s)
		}},
		{"rule_13_FinWait2_rcvFIN", closeSrc, nil, func(t *testing.T, s *Sim) {
			e := stateByRule(t, s, Client, "13")
			if e.T != ms(90) || e.To != TimeWait {
				t.Errorf("FIN-WAIT-2 -> TIME-WAIT: %s", evString(&e))
			}
			// A1: ACKed at once, and the 2MSL timer (60 s on Linux) starts.
			eqList(t, "client segments", sent(s, Client, 1), []string{"0s FIN,ACK seq=1001 ack=5001 len=0", "90ms ACK seq=1002 ack=5002 len=0"}, s)
			eqList(t, "client time-wait", timerStarts(s, Client, TimerTimeWait), []string{"90ms+60s"}, s)
		}},
		{"rule_14_CloseWait_close", closeSrc, nil, func(t *testing.T, s *Sim) {
			e := stateByRule(t, s, Server, "14")
			if e.T != ms(70) || e.From != CloseWait || e.To != LastAck {
				t.Errorf("CLOSE-WAIT -> LAST-ACK: %s", evString(&e))
			}
			eqList(t, "server segments", sent(s, Server, 1), []string{"60ms ACK seq=5001 ack=1002 len=0", "70ms FIN,ACK seq=5001 ack=1002 len=0"}, s)
		}},
		{"rule_15_CloseWait_retransmittedFIN", "start established\ndrop server:ACK:1\nat 0 client close\nat 1s server close\n", nil, func(t *testing.T, s *Sim) {
			// The ACK of the FIN is lost; the client's TLP (240 ms) arrives
			// in CLOSE-WAIT and is ACKed again; the state stays.
			got := sent(s, Server, 1)
			if len(got) < 2 || got[1] != "260ms ACK seq=5001 ack=1002 len=0" {
				t.Errorf("server segments %q, want a re-ACK at 260ms", got)
			}
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(17)", s)
		}},
		{"rule_15_LastAck_retransmittedFIN", "start established\ndrop server:ACK:1\ndrop server:FIN:1\nat 0 client close\nat 100ms server close\n", nil, func(t *testing.T, s *Sim) {
			// Server ACK and FIN both lost: the client's FIN is resent at
			// 240 ms and reaches the server in LAST-ACK: re-ACK (seq is
			// SND.NXT = 5002, after the server's own FIN).
			re := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.T == ms(260) })
			if len(re) != 1 || re[0].Seg.Flags != ACK || re[0].Seg.Seq != 5002 || re[0].Seg.Ack != 1002 {
				t.Errorf("server at 260ms sent %v, want one ACK seq=5002 ack=1002\n%s", re, dumpTrace(s))
			}
			st := events(s, func(e *Event) bool { return match(e, EvState, Server, 1) && e.T == ms(260) })
			if len(st) != 0 {
				t.Errorf("LAST-ACK changed state on a retransmitted FIN: %v", st)
			}
		}},
		{"rule_15_Closing_retransmittedFIN", "start established\ndrop client:ACK:1\ndrop server:ACK:1\nat 0 client close\nat 0 server close\n", nil, func(t *testing.T, s *Sim) {
			// Both ACKs lost: each side sits in CLOSING until the other's
			// FIN comes again (TLP at 240 ms), re-ACKs it, and that ACK
			// finally acknowledges its own FIN.
			for _, side := range []Side{Client, Server} {
				eqStr(t, side.String()+" path", path(s, side, 1), "ESTABLISHED>FIN-WAIT-1(7)>CLOSING(10)>TIME-WAIT(16)>CLOSED(22)", s)
				e := stateByRule(t, s, side, "16")
				if e.T != ms(280) {
					t.Errorf("%s CLOSING -> TIME-WAIT at %v, want 280ms", side, e.T)
				}
			}
		}},
		{"rule_16_Closing_ackOfFIN", "start established\nat 0 client close\nat 0 server close\n", nil, func(t *testing.T, s *Sim) {
			for _, side := range []Side{Client, Server} {
				e := stateByRule(t, s, side, "16")
				if e.T != ms(40) || e.To != TimeWait {
					t.Errorf("%s: %s", side, evString(&e))
				}
				eqList(t, side.String()+" time-wait", timerStarts(s, side, TimerTimeWait), []string{"40ms+60s"}, s)
			}
		}},
		{"rule_17_LastAck_ackOfFIN_C2", closeSrc, nil, func(t *testing.T, s *Sim) {
			// C2: the passive closer keeps no TIME-WAIT.
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(17)", s)
			e := stateByRule(t, s, Server, "17")
			if e.T != ms(110) {
				t.Errorf("LAST-ACK -> CLOSED at %v, want 110ms", e.T)
			}
			if got := timerStarts(s, Server, TimerTimeWait); got != nil {
				t.Errorf("server armed time-wait %v", got)
			}
		}},
		{"rule_18_FinWait1_RTO", "start established\ndrop client:FIN:1\nat 0 client close\non server eof after 50ms server close\n", nil, func(t *testing.T, s *Sim) {
			fins := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Flags.Has(FIN) })
			if len(fins) != 2 || fins[1].T != ms(240) || fins[1].Seg.Seq != 1001 || fins[1].Seg.Retrans != 1 {
				t.Errorf("FIN sends %v, want the original and one resend of seq 1001 at 240ms", fins)
			}
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>TIME-WAIT(13)>CLOSED(22)", s)
		}},
		{"rule_19_LastAck_giveUp", "start established\ndrop client:ACK:1-1000\nat 0 client close\non server eof after 50ms server close\n", nil, func(t *testing.T, s *Sim) {
			e := stateByRule(t, s, Server, "19")
			if e.From != LastAck || e.To != Closed {
				t.Errorf("give up: %s", evString(&e))
			}
			// The orphan gives up silently: no RST, nobody told.
			if got := events(s, func(e *Event) bool { return e.Kind == EvSend && e.Seg.Flags.Has(RST) }); len(got) != 0 {
				t.Errorf("RST sent: %v", got)
			}
			eqList(t, "server told", told(s, Server), []string{"20ms EOF"}, s)
		}},
		{"rule_20_TimeWait_retransmittedFIN", "start established\ndrop client:ACK:1\nat 0 client close\non server eof after 50ms server close\n", nil, func(t *testing.T, s *Sim) {
			// The final ACK is lost; the server's FIN comes again (TLP at
			// 70+240 ms), the TIME-WAIT client re-ACKs it and restarts 60 s.
			eqList(t, "client time-wait", timerStarts(s, Client, TimerTimeWait), []string{"90ms+60s", "330ms+60s"}, s)
			eqList(t, "client segments", sent(s, Client, 1), []string{"0s FIN,ACK seq=1001 ack=5001 len=0", "90ms ACK seq=1002 ack=5002 len=0", "330ms ACK seq=1002 ack=5002 len=0"}, s)
			e := stateByRule(t, s, Client, "22")
			if e.T != ms(60330) {
				t.Errorf("TIME-WAIT ended at %v, want 60.33s (60 s after the restart)", e.T)
			}
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(17)", s)
		}},
		{"rule_21_TimeWait_oldData", "start established\nset timestamps=off\ndelay server:DATA:1 by 2s\nat 0 server send 100\nat 500ms client close\non server eof after 50ms server close\n", nil, func(t *testing.T, s *Sim) {
			// The first copy of the data (seq 5001) arrives at 2.02 s in
			// TIME-WAIT: answered <SEQ=SND.NXT><ACK=RCV.NXT><ACK>, and Linux
			// restarts the timer because the segment carries ACK (1.4).
			re := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.T == ms(2020) })
			if len(re) != 1 || re[0].Seg.Summary() != "ACK seq=1002 ack=5102 len=0" {
				t.Errorf("TIME-WAIT answer at 2.02s: %v, want ACK seq=1002 ack=5102", re)
			}
			eqList(t, "client time-wait", timerStarts(s, Client, TimerTimeWait), []string{"590ms+60s", "2.02s+60s"}, s)
			c, _ := s.Endpoint(Client)
			if len(c.Received) != 1 {
				t.Errorf("client application got %d chunks, want the data once", len(c.Received))
			}
		}},
		{"rule_22_TimeWait_expires", closeSrc, nil, func(t *testing.T, s *Sim) {
			e := stateByRule(t, s, Client, "22")
			if e.T != ms(90)+60*time.Second || e.From != TimeWait {
				t.Errorf("TIME-WAIT -> CLOSED: %s, want at 60.09s", evString(&e))
			}
			eqList(t, "client time-wait", timerStarts(s, Client, TimerTimeWait), []string{"90ms+60s"}, s)
		}},
		{"rule_22_rfc_profile_4min", closeSrc, []string{"profile=rfc"}, func(t *testing.T, s *Sim) {
			// RFC profile: MSL 2 min, TIME-WAIT 4 min; no delayed ACK.
			e := stateByRule(t, s, Client, "22")
			if e.T-stateByRule(t, s, Client, "13").T != 4*time.Minute {
				t.Errorf("rfc TIME-WAIT lasted %v, want 4m", e.T-stateByRule(t, s, Client, "13").T)
			}
			eqList(t, "server segments", sent(s, Server, 1), []string{"20ms ACK seq=5001 ack=1002 len=0", "70ms FIN,ACK seq=5001 ack=1002 len=0"}, s)
		}},
		{"rule_23_Established_RST", "start established\nat 0 client abort\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSED(23)", s)
			eqList(t, "server told", told(s, Server), []string{"20ms ECONNRESET"}, s)
		}},
		{"rule_23_CloseWait_RST_EPIPE", "start established\nat 0 client close\nat 1s client abort\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>CLOSED(23)", s)
			eqList(t, "server told", told(s, Server), []string{"20ms EOF", "1.02s EPIPE"}, s)
		}},
		{"rule_24_LastAck_RST", "start established\nat 0 client close\nat 90s server close\n", nil, func(t *testing.T, s *Sim) {
			// The client's FIN-WAIT-2 expired at 60.08 s; the late FIN meets
			// a bare RST (seq = its ACK, F2/C1) which closes LAST-ACK quietly.
			eqList(t, "client segments", sent(s, Client, anyConn), []string{"0s FIN,ACK seq=1001 ack=5001 len=0", "90.02s RST seq=1002 ack=0 len=0"}, s)
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(24)", s)
			eqList(t, "server told", told(s, Server), []string{"20ms EOF"}, s)
		}},
		{"rule_25_Established_abort_B4", "start established\nat 0 client abort\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>CLOSED(25)", s)
			eqList(t, "client segments", sent(s, Client, 1), []string{"0s RST,ACK seq=1001 ack=5001 len=0"}, s)
			if got := timerStarts(s, Client, TimerTimeWait); got != nil {
				t.Errorf("abort armed time-wait %v", got)
			}
		}},
		{"rule_26_TimeWait_abort_silent", "start established\nat 0 client close\non server eof after 50ms server close\nat 1s client abort\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>TIME-WAIT(13)>CLOSED(26)", s)
			if got := sent(s, Client, 1); len(got) != 2 {
				t.Errorf("abort in TIME-WAIT sent something: %q", got)
			}
		}},
		{"rule_27_second_close_no_second_FIN", "start established\nat 0 client close\nat 5ms client close\nat 100ms client close\n", nil, func(t *testing.T, s *Sim) {
			fins := events(s, func(e *Event) bool {
				return match(e, EvSend, Client, anyConn) && e.Seg.Flags.Has(FIN) && e.Seg.Retrans == 0
			})
			if len(fins) != 1 {
				t.Errorf("%d FINs sent, want 1", len(fins))
			}
			errs := events(s, func(e *Event) bool { return e.Kind == EvApp && e.Note == "err.closed_already" })
			if len(errs) != 2 {
				t.Errorf("second and third close: %d refusals, want 2\n%s", len(errs), dumpTrace(s))
			}
		}},
	})
}

// TestRules12 checks RST validation (RFC 5961; SPEC.md 1.2).
func TestRules12(t *testing.T) {
	runCases(t, []ruleCase{
		{"rst_exact_accepted", "start established\nat 0 server abort\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>CLOSED(23)", s)
			eqList(t, "client told", told(s, Client), []string{"20ms ECONNRESET"}, s)
		}},
		{"rst_in_window_challenge_ack", "start established\ndelay server:DATA:1 by 1s\nat 0 server send 100\nat 10ms server abort\n", nil, func(t *testing.T, s *Sim) {
			// The RST has seq 5101 but the client expects 5001 (the data is
			// held up): in window, not exact -> challenge ACK, no reset. The
			// challenge ACK then draws a bare RST with seq 5001 from the
			// closed server, which is exact.
			rsts := events(s, func(e *Event) bool { return match(e, EvDeliver, Client, 1) && e.Seg.Flags.Has(RST) })
			if len(rsts) < 2 || rsts[0].Note != "in.rst_challenge" || rsts[0].Seg.Seq != 5101 {
				t.Fatalf("RSTs at client: %v\n%s", rsts, dumpTrace(s))
			}
			eqList(t, "client segments", sent(s, Client, 1)[:1], []string{"30ms ACK seq=1001 ack=5001 len=0"}, s)
			e := stateByRule(t, s, Client, "23")
			if e.T != ms(70) || rsts[1].Seg.Seq != 5001 {
				t.Errorf("reset at %v by %v, want at 70ms by the exact RST 5001", e.T, rsts[1].Seg.Summary())
			}
		}},
		{"rst_out_of_window_dropped", "start established\ndelay client:DATA:1 by 100ms\ndelay client:ACK:1 by 1s\nat 0 server send 100\nat 0 client send 10\nat 50ms server reboot\n", nil, func(t *testing.T, s *Sim) {
			// The client's first data segment carried ack 5001; it reaches
			// the rebooted server at 120 ms, whose RST (seq 5001) is below
			// the client's RCV.NXT 5101: dropped without reply.
			at := events(s, func(e *Event) bool { return e.Side == Client && e.T == ms(140) })
			if len(at) != 1 || at[0].Kind != EvDeliver || at[0].Seg.Seq != 5001 || at[0].Note != "in.rst_out_of_window" {
				t.Errorf("events at the client at 140ms: %v, want only the dropped RST\n%s", at, dumpTrace(s))
			}
			// The TLP at 240 ms carries ack 5101: its RST is exact.
			eqList(t, "client told", told(s, Client), []string{"280ms ECONNRESET"}, s)
		}},
		{"rst_time_wait_rfc1337_0_assassination", "start established\nduplicate client:ACK:1\nat 0 client close\non server eof after 50ms server close\n", nil, func(t *testing.T, s *Sim) {
			// A copy of the final ACK reaches the closed server, which
			// answers a bare RST with seq = that ACK = the client's RCV.NXT:
			// TIME-WAIT is killed (RFC 1337 hazard; Linux tcp_rfc1337=0).
			eqList(t, "server segments", sent(s, Server, anyConn)[2:], []string{"121ms RST seq=5002 ack=0 len=0"}, s)
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>TIME-WAIT(13)>CLOSED(24)", s)
			if e := stateByRule(t, s, Client, "24"); e.T != ms(141) {
				t.Errorf("TIME-WAIT killed at %v, want 141ms", e.T)
			}
		}},
		{"rst_time_wait_rfc1337_1_ignored", "start established\nset rfc1337=on\nduplicate client:ACK:1\nat 0 client close\non server eof after 50ms server close\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>TIME-WAIT(13)>CLOSED(22)", s)
			if e := stateByRule(t, s, Client, "22"); e.T != ms(60090) {
				t.Errorf("TIME-WAIT ended at %v, want its full 60 s (60.09s)", e.T)
			}
		}},
	})
}

// TestRules13 checks a SYN arriving in TIME-WAIT (SPEC.md 1.3).
func TestRules13(t *testing.T) {
	src := "start established\nat 0 server close\non client eof after 50ms client close\nat 1s client reconnect\n"
	runCases(t, []ruleCase{
		{"syn_newer_timestamp_accepted", src, nil, func(t *testing.T, s *Sim) {
			// Same ports, ISN 1000 again (not above tw_rcv_nxt 1002), but a
			// newer timestamp: TIME-WAIT ends, the listener answers with
			// ISN = tw SND.NXT (5002) + 65537 = 70539.
			e := stateByRule(t, s, Server, "1.3")
			if e.T != ms(1020) || e.Conn != 1 || e.From != TimeWait {
				t.Errorf("server TIME-WAIT ended by SYN: %s", evString(&e))
			}
			eqList(t, "server segments of conn 2", sent(s, Server, 2), []string{"1.02s SYN,ACK seq=70539 ack=1001 len=0"}, s)
			eqStr(t, "client conn 2", path(s, Client, 2), "CLOSED>SYN-SENT(1)>ESTABLISHED(3)", s)
			eqStr(t, "server conn 2", path(s, Server, 2), "LISTEN>SYN-RECEIVED(2)>ESTABLISHED(6)", s)
		}},
		{"syn_without_timestamps_not_above_rcv_nxt_rejected", src, []string{"timestamps=off"}, func(t *testing.T, s *Sim) {
			// Neither condition holds: the SYN is answered with the
			// TIME-WAIT ACK (SEQ=SND.NXT, ACK=RCV.NXT) and not accepted;
			// an ACK-less SYN does not restart the timer.
			if got := events(s, func(e *Event) bool { return e.Kind == EvState && e.Rule == "1.3" }); len(got) != 0 {
				t.Errorf("SYN accepted in TIME-WAIT: %v", got)
			}
			acks := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.T == ms(1020) })
			if len(acks) != 1 || acks[0].Seg.Summary() != "ACK seq=5002 ack=1002 len=0" {
				t.Errorf("TIME-WAIT answer to the SYN: %v", acks)
			}
			if got := timerStarts(s, Server, TimerTimeWait); len(got) != 1 {
				t.Errorf("server time-wait armed %v, want once (the SYN must not restart it)", got)
			}
		}},
	})
}

// TestRules14 checks old segments and RFC 1337 (SPEC.md 1.4) and F1.
func TestRules14(t *testing.T) {
	runCases(t, []ruleCase{
		{"F1_bare_ack_in_time_wait_no_reply", "start established\nduplicate client:ACK:1\nat 0 client close\nat 0 server close\n", nil, func(t *testing.T, s *Sim) {
			// Simultaneous close; a copy of the client's ACK reaches the
			// server's TIME-WAIT at 51 ms: no reply, timer restarted.
			d := events(s, func(e *Event) bool { return match(e, EvDeliver, Server, 1) && e.T == ms(51) })
			if len(d) != 1 || d[0].Seg.Flags != ACK {
				t.Fatalf("copy of the ACK at 51ms: %v\n%s", d, dumpTrace(s))
			}
			if got := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.T >= ms(51) }); len(got) != 0 {
				t.Errorf("TIME-WAIT answered a bare ACK: %v", got)
			}
			eqList(t, "server time-wait", timerStarts(s, Server, TimerTimeWait), []string{"40ms+60s", "51ms+60s"}, s)
		}},
		{"F1_fin_after_expiry_gets_RST", "start established\ndrop client:ACK:1-1000\nset msl=1s\nat 0 client close\non server eof after 50ms server close\n", nil, func(t *testing.T, s *Sim) {
			// TIME-WAIT of 2 s: the server's backed-off FIN that arrives
			// after it expired is answered by a RST (SPEC.md 6 #9).
			tw := stateByRule(t, s, Client, "22")
			rst := events(s, func(e *Event) bool { return match(e, EvSend, Client, anyConn) && e.Seg.Flags.Has(RST) })
			if len(rst) == 0 || rst[0].T <= tw.T {
				t.Fatalf("no RST after TIME-WAIT ended at %v: %v", tw.T, rst)
			}
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(24)", s)
		}},
	})
}

// firingSchedule is the SPEC.md 3.2 / D1 timeline computed independently of
// the engine: the first resend (tail-loss probe) one RTO after the FIN, then
// intervals RTO, 2 RTO, 4 RTO ... capped at rto_max; the budget
// tcp_model_timeout(N) is checked when a timer fires, from the first
// transmission. It returns the resend times and the give-up time.
func firingSchedule(rto, rtoMin, rtoMax time.Duration, n int) (resends []time.Duration, giveUp time.Duration) {
	thresh := 0
	for rtoMin<<(thresh+1) <= rtoMax {
		thresh++
	}
	var budget time.Duration
	if n <= thresh {
		budget = time.Duration(math.Pow(2, float64(n+1))-1) * rtoMin
	} else {
		budget = time.Duration(math.Pow(2, float64(thresh+1))-1)*rtoMin + time.Duration(n-thresh)*rtoMax
	}
	t := rto // TLP: never gives up
	resends = append(resends, t)
	for b := 0; ; b++ {
		iv := rto << b
		if iv > rtoMax || iv <= 0 {
			iv = rtoMax
		}
		t += iv
		if t >= budget {
			return resends, t
		}
		resends = append(resends, t)
	}
}

// TestRules32 checks FIN retransmission and giving up (SPEC.md 3.2, D1, D2).
func TestRules32(t *testing.T) {
	// delay 5 ms gives SPEC.md section 7's assumed RTO of 210 ms.
	lostFIN := "start established\nset delay=5ms\ndrop client:FIN:1-1000\nat 0 client %s\n"
	type c struct {
		name   string
		action string
		sets   []string
		n      int
		orphan bool
	}
	for _, tc := range []c{
		{"orphan_FinWait1_budget_102.2s", "close", nil, 8, true},
		{"orphan_retries_3_budget_3s", "close", []string{"orphan_retries=3"}, 3, true},
		{"held_FinWait1_retries2_924.6s", "shutdown", nil, 15, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := runScn(t, fmt.Sprintf(lostFIN, tc.action), tc.sets...)
			resends, giveUp := firingSchedule(210*time.Millisecond, 200*time.Millisecond, 120*time.Second, tc.n)
			var got []time.Duration
			for _, e := range events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Flags.Has(FIN) }) {
				if e.Seg.Seq != 1001 {
					t.Errorf("FIN resent with seq %d, want 1001", e.Seg.Seq)
				}
				if e.T > 0 {
					got = append(got, e.T)
				}
			}
			if !slices.Equal(got, resends) {
				t.Errorf("FIN resent at %v\nwant        %v", got, resends)
			}
			e := stateByRule(t, s, Client, "L3.2")
			if e.T != giveUp || e.From != FinWait1 {
				t.Errorf("gave up at %v (%s), want %v", e.T, evString(&e), giveUp)
			}
			// Linux sends no RST when it gives up; an orphan tells nobody,
			// a socket still held reports ETIMEDOUT.
			if rst := events(s, func(e *Event) bool { return e.Kind == EvSend && e.Seg.Flags.Has(RST) }); len(rst) != 0 {
				t.Errorf("RST sent on give-up: %v", rst)
			}
			var want []string
			if !tc.orphan {
				want = []string{FormatDuration(giveUp) + " ETIMEDOUT"}
			}
			eqList(t, "client told", told(s, Client), want, s)
		})
	}
	t.Run("schedule_matches_spec_figures", func(t *testing.T) {
		// Independent of the helper: SPEC.md 9 says ~108 s and 8 RTO
		// resends after the TLP for an orphan with a ~200 ms RTO.
		resends, giveUp := firingSchedule(210*time.Millisecond, 200*time.Millisecond, 120*time.Second, 8)
		if len(resends) != 9 || giveUp != 107520*time.Millisecond {
			t.Errorf("schedule %v give up %v", resends, giveUp)
		}
	})
	t.Run("D1_rto_300ms", func(t *testing.T) {
		// D1: with a 300 ms RTO, resends at 0.3, 0.6, 1.2 s after the FIN.
		s := runScn(t, "start established\nset delay=50ms rto_min=200ms\ndrop client:FIN:1-3\nat 0 client close\n")
		got := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Flags.Has(FIN) })
		var ts []string
		for _, e := range got {
			ts = append(ts, FormatDuration(e.T))
		}
		// SRTT 100 ms + max(200 ms, 4 x 50 ms) = 300 ms.
		eqList(t, "FIN times", ts, []string{"0s", "300ms", "600ms", "1.2s"}, s)
	})
}

// TestRules33 checks FIN-WAIT-2 timers (SPEC.md 3.3, F2).
func TestRules33(t *testing.T) {
	runCases(t, []ruleCase{
		{"orphan_fin_timeout_60s", "start established\nat 0 client close\nat 90s server close\n", nil, func(t *testing.T, s *Sim) {
			eqList(t, "fin-wait-2 timer", timerStarts(s, Client, TimerFinWait2), []string{"80ms+60s"}, s)
			e := stateByRule(t, s, Client, "L3.3")
			if e.T != ms(60080) || e.From != FinWait2 {
				t.Errorf("orphan FIN-WAIT-2 ended: %s, want at 60.08s", evString(&e))
			}
			// Silently: nothing sent when it expires.
			if got := events(s, func(e *Event) bool { return match(e, EvSend, Client, anyConn) && e.T == ms(60080) }); len(got) != 0 {
				t.Errorf("sent on expiry: %v", got)
			}
		}},
		{"orphan_fin_timeout_setting", "start established\nset fin_timeout=10s\nat 0 client close\n", nil, func(t *testing.T, s *Sim) {
			if e := stateByRule(t, s, Client, "L3.3"); e.T != ms(10080) {
				t.Errorf("FIN-WAIT-2 ended at %v, want 10.08s", e.T)
			}
		}},
		{"shutdown_only_no_timer", "start established\nat 0 client shutdown\nend 300s\n", nil, func(t *testing.T, s *Sim) {
			if got := timerStarts(s, Client, TimerFinWait2); got != nil {
				t.Errorf("fin-wait-2 timer after shutdown only: %v", got)
			}
			if c, _ := s.Endpoint(Client); c.State != FinWait2 {
				t.Errorf("client %v at 300s, want still FIN-WAIT-2", c.State)
			}
		}},
		{"shutdown_then_close_starts_timer", "start established\nat 0 client shutdown\nat 200ms client close\n", nil, func(t *testing.T, s *Sim) {
			eqList(t, "fin-wait-2 timer", timerStarts(s, Client, TimerFinWait2), []string{"200ms+60s"}, s)
			if e := stateByRule(t, s, Client, "L3.3"); e.T != ms(60200) {
				t.Errorf("FIN-WAIT-2 ended at %v, want 60.2s", e.T)
			}
		}},
	})
}

// TestRules34 checks tcp_tw_reuse (SPEC.md 3.4). One ephemeral port; the
// first connection's TIME-WAIT starts at 80 ms; connect() at 0.6 s (520 ms
// later) and 1.2 s (1120 ms later).
func TestRules34(t *testing.T) {
	load := "set port_range=40000-40000 %s\nload count=3 every=600ms closer=client trace=3\n"
	for _, tc := range []struct {
		name             string
		sets             string
		failures, reuses int
	}{
		// The final ACK is lost: the server's resent FIN restarts the
		// client's TIME-WAIT at 320 ms, but the reuse delay still counts
		// from entering it (80 ms): reuse at 1.2 s (880 ms after the restart).
		{"reuse_1_delay_from_entry_not_restart", "tw_reuse=1\ndrop client:ACK:2", 1, 1},
		{"reuse_0_off", "tw_reuse=0", 2, 0},
		{"reuse_1_after_1s_from_entering", "tw_reuse=1", 1, 1},
		{"reuse_1_needs_timestamps", "tw_reuse=1 timestamps=off", 2, 0},
		{"reuse_2_not_loopback", "tw_reuse=2", 2, 0},
		{"reuse_2_loopback", "tw_reuse=2 loopback=on", 1, 1},
		{"reuse_delay_100ms", "tw_reuse=1 tw_reuse_delay=100ms", 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := runScn(t, fmt.Sprintf(load, tc.sets))
			cur := s.Current()
			if cur.Failures != tc.failures || cur.Reuses != tc.reuses {
				t.Errorf("failures %d reuses %d, want %d and %d\n%s", cur.Failures, cur.Reuses, tc.failures, tc.reuses, dumpTrace(s))
			}
			fails := events(s, func(e *Event) bool { return e.Kind == EvNotify && e.Detail == "EADDRNOTAVAIL" })
			if len(fails) != tc.failures {
				t.Errorf("%d EADDRNOTAVAIL events, want %d", len(fails), tc.failures)
			}
			if tc.reuses > 0 {
				// The TIME-WAIT socket is taken over; the new ISN is its
				// SND.NXT (1002) + 65537.
				e := stateByRule(t, s, Client, "3.4")
				if e.Conn != 1 {
					t.Errorf("reused TIME-WAIT of conn %d, want 1", e.Conn)
				}
				syn := events(s, func(e *Event) bool { return e.Kind == EvSend && e.Seg.Flags == SYN && e.Conn > 1 })
				if len(syn) == 0 || syn[0].Seg.Seq != 66539 {
					t.Errorf("SYN of the reusing connection: %v, want seq 66539", syn)
				}
				// Never shortens TIME-WAIT for anything but connect(): the
				// server side is unaffected.
				if got := events(s, func(e *Event) bool { return e.Kind == EvState && e.Side == Server && e.Rule == "3.4" }); len(got) != 0 {
					t.Errorf("server TIME-WAIT reused: %v", got)
				}
			}
		})
	}
	t.Run("bind_then_connect_bypasses_sysctl", func(t *testing.T) {
		src := "start established\nset tw_reuse=0 %s\nat 0 client close\non server eof after 50ms server close\nat 200ms client reconnect\n"
		s := runScn(t, fmt.Sprintf(src, ""))
		e := stateByRule(t, s, Client, "3.4")
		if e.T != ms(200) {
			t.Errorf("reconnect took over TIME-WAIT at %v, want 200ms", e.T)
		}
		eqStr(t, "client conn 2", path(s, Client, 2), "CLOSED>SYN-SENT(1)>ESTABLISHED(3)", s)
		if got := sent(s, Client, 2); len(got) == 0 || got[0] != "200ms SYN seq=66539 ack=0 len=0" {
			t.Errorf("reconnect SYN %q, want ISN 1002+65537", got)
		}
		// Without timestamps there is nothing to protect the new
		// connection: EADDRNOTAVAIL.
		s = runScn(t, fmt.Sprintf(src, "timestamps=off"))
		eqList(t, "client told", told(s, Client), []string{"200ms EADDRNOTAVAIL"}, s)
	})
}

// TestRules36 checks abortive close (SPEC.md 3.6, B3, B4, C3).
func TestRules36(t *testing.T) {
	runCases(t, []ruleCase{
		{"B3_close_with_unread_data", "start established\nserver noread\nat 0 client send 100\nat 100ms server close\n", nil, func(t *testing.T, s *Sim) {
			eqList(t, "server segments", sent(s, Server, 1), []string{"60ms ACK seq=5001 ack=1101 len=0", "100ms RST,ACK seq=5001 ack=1101 len=0"}, s)
			eqStr(t, "server path", path(s, Server, 1), "ESTABLISHED>CLOSED(B3)", s)
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>CLOSED(23)", s)
			eqList(t, "client told", told(s, Client), []string{"120ms ECONNRESET"}, s)
		}},
		{"B3_ack_includes_received_FIN", "start established\nserver noread\nat 0 client send 100\nat 10ms client close\nat 100ms server close\n", nil, func(t *testing.T, s *Sim) {
			got := sent(s, Server, 1)
			if len(got) == 0 || got[len(got)-1] != "100ms RST,ACK seq=5001 ack=1102 len=0" {
				t.Errorf("server segments %q, want a RST acking the data and the FIN (1102)", got)
			}
			if tw := timerStarts(s, Client, TimerTimeWait); tw != nil {
				t.Errorf("client got TIME-WAIT %v", tw)
			}
		}},
		{"C3_data_after_close_resets", "start established\nat 0 server send 100\nat 0 client close\n", nil, func(t *testing.T, s *Sim) {
			eqStr(t, "client path", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>CLOSED(C3)", s)
			eqList(t, "client segments", sent(s, Client, 1), []string{"0s FIN,ACK seq=1001 ack=5001 len=0", "20ms RST,ACK seq=1002 ack=5001 len=0"}, s)
			c, _ := s.Endpoint(Client)
			if len(c.Received) != 0 {
				t.Errorf("closed application received %v", c.Received)
			}
		}},
	})
}

// TestRules4 checks keepalive (SPEC.md 4, F3, T4).
func TestRules4(t *testing.T) {
	runCases(t, []ruleCase{
		{"dead_peer_ETIMEDOUT_7875s", "start established\nset keepalive=on\nat 0 server poweroff\n", nil, func(t *testing.T, s *Sim) {
			probes := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Probe })
			if len(probes) != 9 {
				t.Fatalf("%d probes, want 9", len(probes))
			}
			for i, p := range probes {
				want := 7200*time.Second + time.Duration(i)*75*time.Second
				if p.T != want || p.Seg.Flags != ACK || p.Seg.Seq != 1000 || p.Seg.Len != 0 {
					t.Errorf("probe %d: %s at %v, want ACK seq=SND.UNA-1=1000 len 0 at %v", i+1, p.Seg.Summary(), p.T, want)
				}
			}
			eqList(t, "client told", told(s, Client), []string{"2h11m15s ETIMEDOUT"}, s)
			rst := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Flags.Has(RST) })
			if len(rst) != 1 || rst[0].T != 7875*time.Second || rst[0].Seg.Summary() != "RST,ACK seq=1001 ack=5001 len=0" {
				t.Errorf("final RST %v, want RST,ACK seq=SND.NXT at 7875s", rst)
			}
		}},
		{"rebooted_peer_ECONNRESET", "start established\nset keepalive=on\nat 0 server reboot\n", nil, func(t *testing.T, s *Sim) {
			eqList(t, "server segments", sent(s, Server, anyConn), []string{"7200.02s RST seq=5001 ack=0 len=0"}, s)
			eqList(t, "client told", told(s, Client), []string{"7200.04s ECONNRESET"}, s)
		}},
		{"close_wait_RST_EPIPE", "start established\nset keepalive=on\nat 0 server close\n", nil, func(t *testing.T, s *Sim) {
			// Idle counts from the last segment received (the FIN at 20 ms):
			// probe at 7200.02 s; the server forgot the connection (its
			// FIN-WAIT-2 expired) and answers RST: EPIPE in CLOSE-WAIT.
			probes := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Probe })
			if len(probes) != 1 || probes[0].T != 7200*time.Second+ms(20) {
				t.Errorf("probes %v, want one at 7200.02s", probes)
			}
			eqList(t, "client told", told(s, Client), []string{"20ms EOF", "7200.06s EPIPE"}, s)
		}},
		{"alive_peer_nothing_told", "start established\nset keepalive=on\nat 100s server send 10\nend 15000s\n", nil, func(t *testing.T, s *Sim) {
			probes := events(s, func(e *Event) bool { return match(e, EvSend, Client, 1) && e.Seg.Probe })
			// Idle from the last received segment (data at 100.02 s), then
			// from the probe's answer.
			if len(probes) != 2 || probes[0].T != 7300*time.Second+ms(20) || probes[1].T != 14500*time.Second+ms(60) {
				t.Errorf("probes at %v, want 7300.02s and 14500.06s", probes)
			}
			answers := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.T == probes[0].T+ms(20) })
			if len(answers) != 1 || answers[0].Seg.Summary() != "ACK seq=5011 ack=1001 len=0" {
				t.Errorf("answer to probe: %v", answers)
			}
			eqList(t, "client told", told(s, Client), nil, s)
			if c, _ := s.Endpoint(Client); c.State != Established {
				t.Errorf("client %v, want ESTABLISHED", c.State)
			}
		}},
		{"off_by_default", "start established\nat 0 server poweroff\nend 20000s\n", nil, func(t *testing.T, s *Sim) {
			if p := events(s, func(e *Event) bool { return e.Kind == EvSend }); len(p) != 0 {
				t.Errorf("keepalive off but sent %v", p)
			}
		}},
	})
}

// TestRules10 checks packetdrill rules of SPEC.md section 10 not covered
// above.
func TestRules10(t *testing.T) {
	runCases(t, []ruleCase{
		{"A3_fresh_connection_FIN_acked_at_once", "start closed\nat 0 server listen\nat 10ms client connect\non client established client close\n", nil, func(t *testing.T, s *Sim) {
			// Client FIN at 50 ms reaches the server at 70 ms (with the
			// handshake ACK before it): no payload yet, so ACK at once.
			got := sent(s, Server, 1)
			if len(got) < 2 || got[1] != "70ms ACK seq=5001 ack=1002 len=0" {
				t.Errorf("server segments %q, want an immediate ACK at 70ms", got)
			}
		}},
		{"A4_delayed_ack_40ms", closeSrc, nil, func(t *testing.T, s *Sim) {
			fin := events(s, func(e *Event) bool { return match(e, EvDeliver, Server, 1) && e.Seg.Flags.Has(FIN) })
			ack := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.Seg.Flags == ACK })
			if len(fin) == 0 || len(ack) == 0 || ack[0].T-fin[0].T != 40*time.Millisecond {
				t.Errorf("FIN at %v, ACK at %v: want 40ms apart", fin, ack)
			}
		}},
		{"A4_delayed_ack_setting", closeSrc, []string{"delayed_ack=200ms"}, func(t *testing.T, s *Sim) {
			got := sent(s, Server, 1)
			// The server closes at 70 ms, before the 200 ms ACK: three segments.
			eqList(t, "server segments", got, []string{"70ms FIN,ACK seq=5001 ack=1002 len=0"}, s)
		}},
		{"B1_close_sends_FIN_at_once", closeSrc, nil, func(t *testing.T, s *Sim) {
			if got := sent(s, Client, 1); len(got) == 0 || got[0] != "0s FIN,ACK seq=1001 ack=5001 len=0" {
				t.Errorf("first client segment %q", got)
			}
		}},
		{"C1_no_socket_bare_RST", "start established\nat 0 client close\nat 90s server send 10\n", nil, func(t *testing.T, s *Sim) {
			// Data for a socket that no longer exists: RST with seq = the
			// segment's ACK (1002) and no ACK flag.
			got := sent(s, Client, anyConn)
			if len(got) != 2 || got[1] != "90.02s RST seq=1002 ack=0 len=0" {
				t.Errorf("client segments %q", got)
			}
		}},
	})
}
