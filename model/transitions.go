package model

import "slices"

// RuleName names a row of the transition table: SPEC.md section 1.1
// numbers, letters for Linux rules (SPEC.md sections 3 and 10). It is what
// the trace prints in its "rule" field, so the spellings never change.
type RuleName string

// The rows of the transition table, one constant each.
const (
	Rule1    RuleName = "1"
	Rule1p   RuleName = "1p"
	Rule2    RuleName = "2"
	Rule3    RuleName = "3"
	Rule3s   RuleName = "3s"
	Rule4    RuleName = "4"
	Rule5    RuleName = "5"
	Rule6    RuleName = "6"
	Rule6r   RuleName = "6r"
	Rule6c   RuleName = "6c"
	Rule7    RuleName = "7"
	Rule8    RuleName = "8"
	Rule9    RuleName = "9"
	Rule10   RuleName = "10"
	Rule11   RuleName = "11"
	Rule13   RuleName = "13"
	Rule14   RuleName = "14"
	Rule16   RuleName = "16"
	Rule17   RuleName = "17"
	Rule19   RuleName = "19"
	RuleL3_2 RuleName = "L3.2"
	Rule22   RuleName = "22"
	Rule23   RuleName = "23"
	Rule24   RuleName = "24"
	Rule25   RuleName = "25"
	Rule26   RuleName = "26"
	RuleB3   RuleName = "B3"
	RuleC3   RuleName = "C3"
	RuleL3_3 RuleName = "L3.3"
	RuleL4   RuleName = "L4"
	Rule1_3  RuleName = "1.3"
	Rule3_4  RuleName = "3.4"
	Rule3_1  RuleName = "3.1"
	RuleP    RuleName = "P"
	RuleS    RuleName = "S"
)

// Cause is what makes a transition happen.
type Cause string

// Causes that appear in the transition table.
const (
	CauseStart        Cause = "the scenario starts established"
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
	CauseSynRcvdClose Cause = "close before the handshake ends"
)

// Transition is one row of the state machine: in any of From, Cause moves
// the endpoint to To when Guard holds. Guard says, in the engine's terms,
// what the code that fires the row tests; Ref is the RFC or kernel source.
// What a user reads about the row is the message "rule.<Rule>" of the
// catalogues.
type Transition struct {
	Rule  RuleName
	From  []State
	Cause Cause
	Guard string
	To    State
	Ref   string
}

// NoteKey is the catalogue key that explains the row to a user.
func (t Transition) NoteKey() string { return "rule." + string(t.Rule) }

func of(s ...State) []State { return s }

// transitions is the state machine as data. Every state change in the
// engine goes through world.setState, which refuses any change not listed
// here. A (state, cause) pair is in at most one row.
var transitions = []Transition{
	// Opening. A scenario that starts established records its endpoints'
	// birth by row S: the handshake happened before t=0 (SPEC.md A4).
	{RuleS, of(Closed), CauseStart, "the scenario says start established", Established, "finwait: the handshake is before t=0"},
	{Rule1, of(Closed), CauseActiveOpen, "connect(): the SYN leaves", SynSent, "RFC 9293 §3.3.2 Fig. 5"},
	{Rule1p, of(Closed), CausePassiveOpen, "listen()", Listen, "RFC 9293 §3.3.2 Fig. 5"},
	{Rule2, of(Listen), CauseRcvSYN, "SYN without ACK or RST", SynReceived, "RFC 9293 §3.10.7.2"},
	{Rule3, of(SynSent), CauseRcvSYNACK, "SYN whose ACK covers our SYN", Established, "RFC 9293 §3.10.7.3"},
	{Rule3s, of(SynSent), CauseRcvSYN, "bare SYN crossing ours", SynReceived, "RFC 9293 §3.10.7.3 (simultaneous open)"},
	{Rule4, of(SynSent), CauseRcvRST, "RST whose ACK covers our SYN", Closed, "RFC 9293 §3.5.3; Linux ECONNREFUSED"},
	{Rule5, of(Listen, SynSent), CauseClose, "close() or abort, no peer yet", Closed, "RFC 9293 §3.10.4"},
	{Rule6, of(SynReceived), CauseRcvACKofSYN, "SND.UNA < SEG.ACK =< SND.NXT", Established, "RFC 9293 §3.10.7.4 step 5"},
	// Why CLOSED and not LISTEN: finwait models the listener apart from the
	// connection (as Linux does); the listener itself stays.
	{Rule6r, of(SynReceived), CauseRcvRST, "SEG.SEQ = RCV.NXT", Closed, "RFC 9293 §3.10.7.4 step 2"},
	{Rule6c, of(SynReceived), CauseSynRcvdClose, "close()/shutdown(): the FIN leaves", FinWait1, "RFC 9293 §3.10.4"},

	// Closing (SPEC.md 1.1 rules 7 to 22).
	{Rule7, of(Established), CauseClose, "close()/shutdown(): the FIN leaves", FinWait1, "RFC 9293 §3.10.4"},
	{Rule8, of(SynReceived, Established), CauseRcvFIN, "in-order FIN", CloseWait, "RFC 9293 §3.10.7.4 step 8"},
	{Rule9, of(FinWait1), CauseRcvACKofFIN, "ACK covers our FIN, no FIN", FinWait2, "RFC 9293 §3.10.7.4 step 5"},
	{Rule10, of(FinWait1), CauseRcvFIN, "in-order FIN, our FIN unacked", Closing, "RFC 9293 §3.10.7.4 step 8"},
	// Why direct: the FIN also acknowledges ours, so FIN-WAIT-2 lasts no
	// time at all (Fig. 5 note 2); Linux passes through it in one instant.
	{Rule11, of(FinWait1), CauseRcvFINACK, "in-order FIN whose ACK covers our FIN", TimeWait, "RFC 9293 §3.3.2 Fig. 5 note 2"},
	{Rule13, of(FinWait2), CauseRcvFIN, "in-order FIN", TimeWait, "RFC 9293 §3.10.7.4 step 8"},
	{Rule14, of(CloseWait), CauseClose, "close()/shutdown(): the FIN leaves", LastAck, "RFC 9293 §3.10.4"},
	{Rule16, of(Closing), CauseRcvACKofFIN, "ACK covers our FIN", TimeWait, "RFC 9293 §3.10.7.4 step 5"},
	{Rule17, of(LastAck), CauseRcvACKofFIN, "ACK covers our FIN", Closed, "RFC 9293 §3.10.7.4 step 5"},
	{Rule22, of(TimeWait), CauseTimeWait, "time-wait timer fires", Closed, "RFC 9293 §3.10.8"},

	// Giving up and timers.
	{Rule19, of(LastAck, Closing), CauseGiveUp, "FIN retransmitted for the whole budget", Closed, "RFC 9293 §3.8.3 (R2); Linux tcp_write_timeout"},
	// Why a separate row: Linux gives up on FIN-WAIT-1 orphans and on
	// sockets still held by the application the same way (SPEC.md 3.2).
	{RuleL3_2, of(SynSent, SynReceived, Established, FinWait1, CloseWait), CauseGiveUp, "retransmitted for the whole budget", Closed, "Linux tcp_write_timeout (SPEC.md 3.2)"},
	{RuleL3_3, of(FinWait2), CauseFinWait2, "an orphan's fin-wait-2 timer fires", Closed, "Linux tcp_fin_timeout (SPEC.md 3.3)"},
	{RuleL4, of(Established, CloseWait, FinWait2), CauseKeepalive, "keepalive_probes unanswered: RST", Closed, "RFC 9293 §3.8.4; Linux tcp_keepalive_timer"},

	// Resets and aborts. In TIME-WAIT, row 24 fires only with tcp_rfc1337=0.
	{Rule23, of(Established, FinWait1, FinWait2, CloseWait), CauseRcvRST, "SEG.SEQ = RCV.NXT", Closed, "RFC 9293 §3.10.7.4 step 2"},
	{Rule24, of(Closing, LastAck, TimeWait), CauseRcvRST, "SEG.SEQ = RCV.NXT", Closed, "RFC 9293 §3.10.7.4 step 2"},
	{Rule25, of(SynReceived, Established, FinWait1, FinWait2, CloseWait), CauseAbort, "SO_LINGER 0: a RST leaves", Closed, "RFC 9293 §3.10.5"},
	{Rule26, of(Closing, LastAck, TimeWait), CauseAbort, "SO_LINGER 0: nothing to send", Closed, "RFC 9293 §3.10.5"},
	{RuleB3, of(Established, CloseWait, SynReceived), CauseCloseUnread, "close() with unread bytes: RST", Closed, "Linux tcp_close; RFC 2525 §2.17"},
	{RuleC3, of(FinWait1, FinWait2), CauseOrphanData, "payload for an orphan: RST", Closed, "RFC 9293 §3.10.7.4 step 7 (SHLD-3); Linux tcp_rcv_state_process"},

	// Leaving TIME-WAIT early (SPEC.md 1.3, 3.4, 3.1) and losing power.
	{Rule1_3, of(TimeWait), CauseTWSyn, "SYN above RCV.NXT or with newer TSval", Closed, "RFC 9293 §3.6.1; Linux tcp_timewait_state_process"},
	{Rule3_4, of(TimeWait), CauseTWReuse, "tcp_twsk_unique allows the port", Closed, "Linux tcp_twsk_unique (SPEC.md 3.4)"},
	// Why CLOSED: Linux simply closes a socket that finds no bucket.
	{Rule3_1, of(FinWait1, FinWait2, Closing), CauseTWOverflow, "entering TIME-WAIT, tcp_max_tw_buckets full", Closed, "Linux tcp_time_wait: tcp_max_tw_buckets"},
	{RuleP, of(Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait), CausePower, "the host powers off or reboots", Closed, "a host that loses power keeps no TCB"},
}

// rowIndex finds a row by name; the first row wins if two share a name
// (a test forbids that).
var rowIndex = func() map[RuleName]int {
	m := make(map[RuleName]int, len(transitions))
	for i, t := range transitions {
		if _, dup := m[t.Rule]; !dup {
			m[t.Rule] = i
		}
	}
	return m
}()

func row(name RuleName) *Transition {
	i, ok := rowIndex[name]
	if !ok {
		return nil
	}
	return &transitions[i]
}

// Rule returns a copy of the row with that name.
func Rule(name RuleName) (Transition, bool) {
	t := row(name)
	if t == nil {
		return Transition{}, false
	}
	return t.copy(), true
}

// Rules returns a copy of the whole table, in its order.
func Rules() []Transition {
	out := make([]Transition, len(transitions))
	for i := range transitions {
		out[i] = transitions[i].copy()
	}
	return out
}

// Allows reports whether the table has a row from 'from' to 'to'.
func Allows(from, to State) bool {
	for i := range transitions {
		t := &transitions[i]
		if t.To == to && t.allows(from) {
			return true
		}
	}
	return false
}

// rowsFrom lists (copies of) the rows that can move an endpoint out of
// state s: the table read by state.
func rowsFrom(s State) []Transition {
	var out []Transition
	for i := range transitions {
		if transitions[i].allows(s) {
			out = append(out, transitions[i].copy())
		}
	}
	return out
}

func (t *Transition) allows(s State) bool { return slices.Contains(t.From, s) }

func (t *Transition) copy() Transition {
	c := *t
	c.From = slices.Clone(t.From)
	return c
}
