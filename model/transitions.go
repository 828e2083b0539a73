package model

// Cause is what makes a transition happen.
type Cause string

// Causes that appear in the transition table.
const (
	CauseActiveOpen   Cause = "active open (connect)"
	CausePassiveOpen  Cause = "passive open (listen)"
	CauseRcvSYN       Cause = "rcv SYN"
	CauseRcvSYNACK    Cause = "rcv SYN,ACK"
	CauseRcvACKofSYN  Cause = "rcv ACK of SYN"
	CauseRcvRST       Cause = "rcv RST"
	CauseClose        Cause = "close"
	CauseCloseUnread  Cause = "close with unread data"
	CauseAbort        Cause = "abort (SO_LINGER 0)"
	CauseRcvFIN       Cause = "rcv FIN"
	CauseRcvACKofFIN  Cause = "rcv ACK of FIN"
	CauseRcvFINACK    Cause = "rcv FIN that acks our FIN"
	CauseGiveUp       Cause = "retransmission gives up"
	CauseTimeWait     Cause = "2MSL timer expires"
	CauseFinWait2     Cause = "FIN-WAIT-2 timer expires"
	CauseKeepalive    Cause = "keepalive probes unanswered"
	CauseOrphanData   Cause = "rcv data after close"
	CauseTWSyn        Cause = "rcv acceptable SYN"
	CauseTWReuse      Cause = "connect() reuses the port"
	CauseTWOverflow   Cause = "no TIME-WAIT bucket free"
	CausePower        Cause = "host powered off or rebooted"
	CauseAcceptedSYN  Cause = "rcv SYN for a listener"
	CauseSynRcvdClose Cause = "close before the handshake ends"
)

// Transition is one row of the state machine: in any of From, Cause moves
// the endpoint to To. Rule names the row (SPEC.md section 1.1 numbers;
// letters for Linux rules from SPEC.md sections 3 and 10); Ref is the
// RFC or kernel source.
type Transition struct {
	Rule  string
	From  []State
	Cause Cause
	To    State
	Ref   string
}

// Transitions is the state machine as data. Every state change in the
// engine goes through world.setState, which refuses any change not listed
// here.
var Transitions = []Transition{
	{"1", []State{Closed}, CauseActiveOpen, SynSent, "RFC 9293 §3.3.2 Fig. 5"},
	{"1p", []State{Closed}, CausePassiveOpen, Listen, "RFC 9293 §3.3.2 Fig. 5"},
	{"2", []State{Listen}, CauseRcvSYN, SynReceived, "RFC 9293 §3.10.7.2"},
	{"3", []State{SynSent}, CauseRcvSYNACK, Established, "RFC 9293 §3.10.7.3"},
	{"3s", []State{SynSent}, CauseRcvSYN, SynReceived, "RFC 9293 §3.10.7.3 (simultaneous open)"},
	{"4", []State{SynSent}, CauseRcvRST, Closed, "RFC 9293 §3.5.3; Linux ECONNREFUSED"},
	{"5", []State{Listen, SynSent}, CauseClose, Closed, "RFC 9293 §3.10.4"},
	{"6", []State{SynReceived}, CauseRcvACKofSYN, Established, "RFC 9293 §3.10.7.4 step 5"},
	// Why CLOSED and not LISTEN: finwait models the listener apart from the
	// connection (as Linux does); the listener itself stays.
	{"6r", []State{SynReceived}, CauseRcvRST, Closed, "RFC 9293 §3.10.7.4 step 2"},
	{"6c", []State{SynReceived}, CauseSynRcvdClose, FinWait1, "RFC 9293 §3.10.4"},
	{"7", []State{Established}, CauseClose, FinWait1, "RFC 9293 §3.10.4"},
	{"8", []State{Established, SynReceived}, CauseRcvFIN, CloseWait, "RFC 9293 §3.10.7.4 step 8"},
	{"9", []State{FinWait1}, CauseRcvACKofFIN, FinWait2, "RFC 9293 §3.10.7.4 step 5"},
	{"10", []State{FinWait1}, CauseRcvFIN, Closing, "RFC 9293 §3.10.7.4 step 8"},
	// Why direct: the FIN also acknowledges ours, so FIN-WAIT-2 lasts no
	// time at all (Fig. 5 note 2); Linux passes through it in one instant.
	{"11", []State{FinWait1}, CauseRcvFINACK, TimeWait, "RFC 9293 §3.3.2 Fig. 5 note 2"},
	{"13", []State{FinWait2}, CauseRcvFIN, TimeWait, "RFC 9293 §3.10.7.4 step 8"},
	{"14", []State{CloseWait}, CauseClose, LastAck, "RFC 9293 §3.10.4"},
	{"16", []State{Closing}, CauseRcvACKofFIN, TimeWait, "RFC 9293 §3.10.7.4 step 5"},
	{"17", []State{LastAck}, CauseRcvACKofFIN, Closed, "RFC 9293 §3.10.7.4 step 5"},
	{"19", []State{LastAck, Closing}, CauseGiveUp, Closed, "RFC 9293 §3.8.3 (R2); Linux tcp_write_timeout"},
	// Why a separate row: Linux gives up on FIN-WAIT-1 orphans and on
	// sockets still held by the application the same way (SPEC.md 3.2).
	{"L3.2", []State{SynSent, SynReceived, Established, FinWait1, CloseWait}, CauseGiveUp, Closed, "Linux tcp_write_timeout (SPEC.md 3.2)"},
	{"22", []State{TimeWait}, CauseTimeWait, Closed, "RFC 9293 §3.10.8"},
	{"23", []State{SynReceived, Established, FinWait1, FinWait2, CloseWait}, CauseRcvRST, Closed, "RFC 9293 §3.10.7.4 step 2"},
	{"24", []State{Closing, LastAck, TimeWait}, CauseRcvRST, Closed, "RFC 9293 §3.10.7.4 step 2"},
	{"25", []State{SynReceived, Established, FinWait1, FinWait2, CloseWait}, CauseAbort, Closed, "RFC 9293 §3.10.5"},
	{"26", []State{Closing, LastAck, TimeWait}, CauseAbort, Closed, "RFC 9293 §3.10.5"},
	{"B3", []State{Established, CloseWait, SynReceived}, CauseCloseUnread, Closed, "Linux tcp_close; RFC 2525 §2.17"},
	{"C3", []State{FinWait1, FinWait2}, CauseOrphanData, Closed, "RFC 9293 §3.10.7.4 step 7 (SHLD-3); Linux tcp_rcv_state_process"},
	{"L3.3", []State{FinWait2}, CauseFinWait2, Closed, "Linux tcp_fin_timeout (SPEC.md 3.3)"},
	{"L4", []State{Established, CloseWait, FinWait2}, CauseKeepalive, Closed, "RFC 9293 §3.8.4; Linux tcp_keepalive_timer"},
	{"1.3", []State{TimeWait}, CauseTWSyn, Closed, "RFC 9293 §3.6.1; Linux tcp_timewait_state_process"},
	{"3.4", []State{TimeWait}, CauseTWReuse, Closed, "Linux tcp_twsk_unique (SPEC.md 3.4)"},
	{"3.1", []State{FinWait1, FinWait2, Closing}, CauseTWOverflow, Closed, "Linux tcp_time_wait: tcp_max_tw_buckets"},
	{"P", []State{Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait}, CausePower, Closed, "a host that loses power keeps no TCB"},
}

var transitionIndex = func() map[string]*Transition {
	m := make(map[string]*Transition, len(Transitions))
	for i := range Transitions {
		t := &Transitions[i]
		if _, dup := m[t.Rule]; dup {
			panic("duplicate transition rule " + t.Rule)
		}
		m[t.Rule] = t
	}
	return m
}()

// Rule returns the transition row with that name.
func Rule(name string) (Transition, bool) {
	t, ok := transitionIndex[name]
	if !ok {
		return Transition{}, false
	}
	return *t, true
}

// Allows reports whether the table has a row from 'from' to 'to'.
func Allows(from, to State) bool {
	for i := range Transitions {
		t := &Transitions[i]
		if t.To == to && t.allows(from) {
			return true
		}
	}
	return false
}

func (t *Transition) allows(s State) bool {
	for _, f := range t.From {
		if f == s {
			return true
		}
	}
	return false
}

// CausesFrom lists the causes that can move an endpoint out of state s:
// the table read by state. The UI enables application keys from it.
func CausesFrom(s State) []Cause {
	var out []Cause
	for i := range Transitions {
		if Transitions[i].allows(s) {
			out = append(out, Transitions[i].Cause)
		}
	}
	return out
}
