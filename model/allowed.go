package model

import "time"

// ActionSet is what a side may do now, as Sim.Allowed found it: for each
// kind of action, whether Sim.Apply would accept it, and the rows of the
// transition table it would fire.
type ActionSet struct {
	kinds uint32 // bit k: ActionKind k is accepted
	state State  // the side's state when the set was made
}

// Has reports whether Apply would accept an action of kind k now.
func (s ActionSet) Has(k ActionKind) bool { return k < 32 && s.kinds&(1<<k) != 0 }

// Kinds lists the accepted kinds in ActionKind order.
func (s ActionSet) Kinds() []ActionKind {
	var out []ActionKind
	for _, k := range sideActions {
		if s.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// State is the side's state the set was computed in (CLOSED when the side
// has no socket).
func (s ActionSet) State() State { return s.state }

// Rows lists (copies of) the transition-table rows that an action of kind
// k can fire at once on the side's socket from its current state: what
// the key does to the connection. close in ESTABLISHED gives rule 7 (to
// FIN-WAIT-1) and rule B3 (to CLOSED, when unread bytes wait); send gives
// none. Rows is empty when k is not accepted.
func (s ActionSet) Rows(k ActionKind) []Transition {
	sp := spec(k)
	if sp == nil || !s.Has(k) {
		return nil
	}
	var out []Transition
	for _, t := range rowsFrom(s.state) {
		for _, r := range sp.fires {
			if t.Rule == r {
				out = append(out, t)
			}
		}
	}
	return out
}

// sideActions are the kinds Allowed judges, in ActionKind order. ActRule
// and ActSet are left out: a fault rule is always accepted, and a setting
// depends only on its value (Sim.Check judges one).
var sideActions = []ActionKind{ActConnect, ActReconnect, ActListen, ActClose, ActShutdown, ActSend, ActAbort,
	ActRead, ActNoRead, ActKeepalive, ActPowerOff, ActPowerOn, ActReboot, ActDrop, ActDelay, ActDuplicate}

// Allowed reports what can be done to side now, exactly as Apply would
// judge it (both run the same checks):
//
//   - the application calls on the side's socket: connect, reconnect,
//     listen, close, shutdown, send (of any size from 1 byte to 1 MiB),
//     abort, read, noread, keepalive; all refused while its host is down;
//   - the side's host: poweroff, poweron, reboot;
//   - faults on the segments the side has in flight (those Sim.Flights
//     lists): drop, delay (by any positive duration) and duplicate are
//     allowed when at least one of them takes the fault. Sim.Check judges
//     one segment.
//
// An interface enables its keys from it; ActionSet.Rows says what each
// would do to the connection.
func (s *Sim) Allowed(side Side) ActionSet {
	w := s.w
	set := ActionSet{state: Closed}
	if ep := w.mainEp(side); ep != nil {
		set.state = ep.State
	}
	ok := func(a Action) bool { return w.refusal(a) == nil }
	for _, k := range sideActions {
		a := Action{Kind: k, Side: side, N: 1, Dur: time.Millisecond}
		allowed := false
		switch k {
		case ActDrop, ActDelay, ActDuplicate:
			for i := range w.flights {
				f := &w.flights[i]
				if f.live && f.Seg.From == side && f.Seg.Conn <= w.traceTo {
					a.N = f.Seg.ID
					if allowed = ok(a); allowed {
						break
					}
				}
			}
		default:
			allowed = ok(a)
		}
		if allowed {
			set.kinds |= 1 << k
		}
	}
	return set
}

// Check says whether Apply would accept a now, and if not why (an
// *ActionError), without doing anything.
func (s *Sim) Check(a Action) error {
	if e := s.w.refusal(a); e != nil {
		return e
	}
	return nil
}
