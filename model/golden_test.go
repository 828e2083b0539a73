package model

// Golden traces of every built-in scenario (DESIGN.md: reviewed by a
// person, regenerated with -update), plus explicit checks of the facts
// SPEC.md sections 7 and 9 demand of the key scenarios, so that a wrong
// golden cannot hide a wrong engine.

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current engine")

func builtinScenarios(tb testing.TB) []string {
	tb.Helper()
	ents, err := os.ReadDir(filepath.Join("..", "assets", "scenarios"))
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".scn") {
			names = append(names, strings.TrimSuffix(e.Name(), ".scn"))
		}
	}
	if len(names) < 18 {
		tb.Fatalf("found %d built-in scenarios, want at least 18", len(names))
	}
	return names
}

var (
	builtinMu  sync.Mutex
	builtinRun = map[string]*Sim{}
)

// runBuiltin runs a built-in scenario to its end. Runs are shared between
// tests (the host-level ones take a second each): callers only read them.
func runBuiltin(tb testing.TB, name string) *Sim {
	tb.Helper()
	builtinMu.Lock()
	defer builtinMu.Unlock()
	if s, ok := builtinRun[name]; ok {
		return s
	}
	s := newSim(tb, name)
	s.Run(1 << 30)
	if !s.Done() {
		tb.Fatalf("%s did not end", name)
	}
	builtinRun[name] = s
	return s
}

func traceJSON(s *Sim) string {
	var b strings.Builder
	for _, e := range s.Trace() {
		b.WriteString(e.JSON(""))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, name := range builtinScenarios(t) {
		t.Run(name, func(t *testing.T) {
			got := traceJSON(runBuiltin(t, name))
			file := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./model -run TestGolden -update)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(gl) || i < len(wl); i++ {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("%s differs at line %d:\n got  %s\n want %s", file, i+1, g, w)
					}
				}
			}
		})
	}
}

// segs lists the segments that crossed the link (sends), as "side flags seq ack".
func segLines(s *Sim) []string {
	var out []string
	for _, e := range s.Trace() {
		if e.Kind == EvSend {
			out = append(out, FormatDuration(e.T)+" "+e.Side.String()+" "+e.Seg.Summary())
		}
	}
	return out
}

// TestScenarioFacts asserts what SPEC.md sections 7 and 9 say of the
// built-in scenarios, independently of the goldens.
func TestScenarioFacts(t *testing.T) {
	t.Run("close", func(t *testing.T) {
		s := runBuiltin(t, "close")
		// T1: FIN, ACK after the 40 ms delayed-ACK time, FIN, ACK.
		eqList(t, "segments", segLines(s), []string{
			"0s client FIN,ACK seq=1001 ack=5001 len=0",
			"60ms server ACK seq=5001 ack=1002 len=0",
			"70ms server FIN,ACK seq=5001 ack=1002 len=0",
			"90ms client ACK seq=1002 ack=5002 len=0",
		}, s)
		eqStr(t, "client", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>TIME-WAIT(13)>CLOSED(22)", s)
		eqStr(t, "server", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(17)", s)
		fin := events(s, func(e *Event) bool { return match(e, EvDeliver, Client, 1) && e.Seg.Flags.Has(FIN) })
		end := stateByRule(t, s, Client, "22")
		if len(fin) != 1 || end.T-fin[0].T != 60*time.Second {
			t.Errorf("client CLOSED %v after the server's FIN reached it, want exactly 60s", end.T-fin[0].T)
		}
	})
	t.Run("three-segment-close", func(t *testing.T) {
		s := runBuiltin(t, "three-segment-close")
		if n := len(segLines(s)); n != 3 {
			t.Errorf("%d segments, want 3:\n%s", n, strings.Join(segLines(s), "\n"))
		}
		eqStr(t, "client", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>TIME-WAIT(11)>CLOSED(22)", s)
	})
	t.Run("lost-final-ack", func(t *testing.T) {
		s := runBuiltin(t, "lost-final-ack")
		fins := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.Seg.Flags.Has(FIN) })
		if len(fins) != 2 || fins[1].Seg.Seq != fins[0].Seg.Seq {
			t.Fatalf("server FINs %v, want the FIN and one resend", fins)
		}
		tw := timerStarts(s, Client, TimerTimeWait)
		if len(tw) != 2 {
			t.Errorf("TIME-WAIT armed %v, want started then restarted", tw)
		}
		end := stateByRule(t, s, Client, "22")
		if end.T != fins[1].T+20*time.Millisecond+60*time.Second {
			t.Errorf("TIME-WAIT ended at %v, want 60 s after the resent FIN arrived", end.T)
		}
		eqStr(t, "server", path(s, Server, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(17)", s)
	})
	t.Run("final-ack-lost-until-giveup", func(t *testing.T) {
		s := runBuiltin(t, "final-ack-lost-until-giveup")
		e := stateByRule(t, s, Server, "19")
		first := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.Seg.Flags.Has(FIN) })[0].T
		// Budget 102.2 s from the first FIN, checked at an RTO firing.
		if d := e.T - first; d < 102200*time.Millisecond || d > 2*102200*time.Millisecond {
			t.Errorf("server gave up %v after its FIN", d)
		}
		if rst := events(s, func(e *Event) bool { return e.Kind == EvSend && e.Seg.Flags.Has(RST) }); len(rst) != 0 {
			t.Errorf("RST on give-up: %v", rst)
		}
	})
	t.Run("simultaneous-close", func(t *testing.T) {
		s := runBuiltin(t, "simultaneous-close")
		for _, side := range []Side{Client, Server} {
			eqStr(t, side.String(), path(s, side, 1), "ESTABLISHED>FIN-WAIT-1(7)>CLOSING(10)>TIME-WAIT(16)>CLOSED(22)", s)
		}
	})
	t.Run("keepalive-dead", func(t *testing.T) {
		s := runBuiltin(t, "keepalive-dead")
		// The last segment the client received was at t=0 (established).
		eqList(t, "client told", told(s, Client), []string{"2h11m15s ETIMEDOUT"}, s)
	})
	t.Run("keepalive-reboot", func(t *testing.T) {
		s := runBuiltin(t, "keepalive-reboot")
		eqList(t, "client told", told(s, Client), []string{"7200.04s ECONNRESET"}, s)
	})
	t.Run("keepalive-alive", func(t *testing.T) {
		s := runBuiltin(t, "keepalive-alive")
		eqList(t, "client told", told(s, Client), nil, s)
		if c, _ := s.Endpoint(Client); c.State != Established {
			t.Errorf("client %v", c.State)
		}
	})
	t.Run("fin-wait-2-timeout", func(t *testing.T) {
		s := runBuiltin(t, "fin-wait-2-timeout")
		eqStr(t, "client", path(s, Client, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>CLOSED(L3.3)", s)
		rst := events(s, func(e *Event) bool { return match(e, EvSend, Client, anyConn) && e.Seg.Flags.Has(RST) })
		if len(rst) != 1 || rst[0].T != 90*time.Second+20*time.Millisecond {
			t.Errorf("late FIN should meet one RST at 90.02s: %v", rst)
		}
	})
	t.Run("abort", func(t *testing.T) {
		s := runBuiltin(t, "abort")
		for _, side := range []Side{Client, Server} {
			if tw := timerStarts(s, side, TimerTimeWait); tw != nil {
				t.Errorf("%s TIME-WAIT after RST close: %v", side, tw)
			}
		}
		eqList(t, "client told", told(s, Client), []string{"120ms ECONNRESET"}, s)
	})
	t.Run("server-close", func(t *testing.T) {
		s := runBuiltin(t, "server-close")
		eqStr(t, "server", path(s, Server, 1), "ESTABLISHED>FIN-WAIT-1(7)>FIN-WAIT-2(9)>TIME-WAIT(13)>CLOSED(22)", s)
		eqStr(t, "client", path(s, Client, 1), "ESTABLISHED>CLOSE-WAIT(8)>LAST-ACK(14)>CLOSED(17)", s)
	})
	t.Run("syn-in-time-wait", func(t *testing.T) {
		s := runBuiltin(t, "syn-in-time-wait")
		e := stateByRule(t, s, Server, "1.3")
		if e.T != ms(1020) {
			t.Errorf("TIME-WAIT ended by SYN at %v", e.T)
		}
		if sv, _ := s.Endpoint(Server); sv.State != Established || sv.Conn != 2 || sv.ISS != 5002+65537 {
			t.Errorf("server conn %d %v ISS %d", sv.Conn, sv.State, sv.ISS)
		}
	})
	t.Run("half-close", func(t *testing.T) {
		s := runBuiltin(t, "half-close")
		c, _ := s.Endpoint(Client)
		n := 0
		for _, ch := range c.Received {
			n += ch.Len
		}
		if n != 3000 {
			t.Errorf("half-closed client read %d bytes, want 3000", n)
		}
	})
	t.Run("port-exhaustion", func(t *testing.T) {
		s := runBuiltin(t, "port-exhaustion")
		cur := s.Current()
		if cur.Failures == 0 || cur.Reuses != 0 {
			t.Errorf("failures %d reuses %d, want failures and no reuse", cur.Failures, cur.Reuses)
		}
		if ev := events(s, func(e *Event) bool { return e.Detail == "EADDRNOTAVAIL" }); len(ev) == 0 {
			t.Errorf("no EADDRNOTAVAIL in the trace")
		}
		// The ports run out after 28232 connections (one per ms with
		// TIME-WAIT holding each for 60 s): the first failure near 28.2 s.
		first := -1
		for i, sm := range s.Samples() {
			if sm.Failures > 0 {
				first = i
				break
			}
			if sm.PortsUsed > 28232 {
				t.Fatalf("%d ports used of 28232", sm.PortsUsed)
			}
		}
		if first < 0 || s.Samples()[first].T < 28*time.Second || s.Samples()[first].T > 29*time.Second {
			t.Errorf("first failure in sample %d", first)
		} else if prev := s.Samples()[first-1]; prev.PortsFree != 0 && prev.T > 28*time.Second {
			t.Errorf("ports free %d just before failures began", prev.PortsFree)
		}
		if conns := traceConns(s); conns > 2 {
			t.Errorf("trace holds %d connections, want 2", conns)
		}
	})
	t.Run("port-exhaustion-tw-reuse", func(t *testing.T) {
		s := runBuiltin(t, "port-exhaustion-tw-reuse")
		cur := s.Current()
		if cur.Failures != 0 || cur.Reuses == 0 {
			t.Errorf("failures %d reuses %d, want no failure and reuses", cur.Failures, cur.Reuses)
		}
		for _, sm := range s.Samples() {
			if sm.Failures != 0 {
				t.Fatalf("failure at %v", sm.T)
			}
		}
		if ev := events(s, func(e *Event) bool { return e.Detail == "EADDRNOTAVAIL" }); len(ev) != 0 {
			t.Errorf("EADDRNOTAVAIL with tw_reuse=1: %v", ev)
		}
	})
	t.Run("server-time-wait-load", func(t *testing.T) {
		s := runBuiltin(t, "server-time-wait-load")
		// Server TIME-WAITs sit on port 80: they use no ephemeral port.
		peak := 0
		for _, sm := range s.Samples() {
			if sm.Failures != 0 {
				t.Fatalf("connect() failed at %v", sm.T)
			}
			peak = max(peak, sm.TimeWaitSV)
			if sm.TimeWaitTW != 0 {
				t.Fatalf("client TIME-WAIT %d at %v", sm.TimeWaitTW, sm.T)
			}
		}
		// One TIME-WAIT per 4-tuple: when the client comes back to a port,
		// its SYN (newer timestamp) ends the server's TIME-WAIT (SPEC.md
		// 1.3), so the pile is bounded by the client's 28232 ports.
		if peak < 20000 || peak > 28232 {
			t.Errorf("server TIME-WAIT peak %d, want tens of thousands, at most 28232", peak)
		}
	})
	t.Run("old-duplicate", func(t *testing.T) {
		s := runBuiltin(t, "old-duplicate")
		if ex := events(s, func(e *Event) bool { return e.Kind == EvExpire }); len(ex) != 1 {
			t.Errorf("the held-up segment should expire: %v", ex)
		}
		if c, _ := s.Endpoint(Client); c.Conn != 2 || len(c.Received) != 0 {
			t.Errorf("connection %d received %v", c.Conn, c.Received)
		}
	})
}

// traceConns is the highest connection traced, not counting the
// EADDRNOTAVAIL events of connections that never got a port.
func traceConns(s *Sim) int {
	m := 0
	for _, e := range s.Trace() {
		if e.Detail != "EADDRNOTAVAIL" {
			m = max(m, e.Conn)
		}
	}
	return m
}
