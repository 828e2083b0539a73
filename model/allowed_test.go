package model

// Sim.Allowed must agree with Sim.Apply: in random reachable states, every
// action Allowed accepts is accepted by Apply, and every one Apply refuses
// is one Allowed refuses. ActionSet.Rows must name the rows the action
// then fires.

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// fork is an independent copy of a run, to try an action on.
func fork(s *Sim) *Sim {
	c := *s
	c.w = s.w.clone()
	c.snaps = slices.Clone(s.snaps)
	c.log = slices.Clone(s.log)
	return &c
}

// firesAtOnce are the kinds whose rows, when there are any from the
// side's state, always fire as the action is done.
var firesAtOnce = []ActionKind{ActListen, ActClose, ActShutdown, ActAbort, ActPowerOff, ActReboot}

// checkAllowed compares Allowed, Check and Apply for both sides of s, and
// counts in seen which kinds were found allowed ([k][1]) and refused
// ([k][0]).
func checkAllowed(s *Sim, seen map[ActionKind][2]int) error {
	immediate := false // a trigger runs an action at once: Rows cannot say what it does
	for _, tg := range s.Scenario().Triggers {
		immediate = immediate || tg.After == 0
	}
	for _, side := range []Side{Client, Server} {
		set := s.Allowed(side)
		pre, _ := s.Endpoint(side)
		if set.State() != pre.State {
			return fmt.Errorf("%s: Allowed says state %v, the run %v", side, set.State(), pre.State)
		}
		for _, k := range sideActions {
			var tries []Action
			switch k {
			case ActDrop, ActDelay, ActDuplicate:
				for _, f := range s.Flights() {
					if f.Seg.From == side {
						tries = append(tries, Action{Kind: k, Side: side, N: f.Seg.ID, Dur: 50 * time.Millisecond})
					}
				}
			default:
				tries = []Action{{Kind: k, Side: side, N: 100}}
			}
			accepted := false
			for _, a := range tries {
				f := fork(s)
				n := len(f.Trace())
				err := f.Apply(a)
				if chk := s.Check(a); (chk == nil) != (err == nil) {
					return fmt.Errorf("%v: Check says %v, Apply %v", a, chk, err)
				}
				if err != nil {
					continue
				}
				accepted = true
				if immediate {
					continue
				}
				if err := checkRows(set, a, pre, f.Trace()[n:]); err != nil {
					return err
				}
			}
			if set.Has(k) != accepted {
				return fmt.Errorf("%s in %v: Allowed says %v for %v, Apply accepted=%v (tried %v)", side, pre.State, set.Has(k), k, accepted, tries)
			}
			c := seen[k]
			c[b2i(accepted)]++
			seen[k] = c
			if slices.Contains(set.Kinds(), k) != accepted {
				return fmt.Errorf("Kinds() %v disagrees with Has(%v)", set.Kinds(), k)
			}
		}
	}
	return nil
}

// checkRows compares the state changes an accepted action made on its
// side with set.Rows: a change of the side's socket is one of the rows, a
// new socket is born by a row the action fires, and an action that fires
// a row from this state does fire one.
func checkRows(set ActionSet, a Action, pre Endpoint, evs []Event) error {
	rows := set.Rows(a.Kind)
	names := make([]RuleName, len(rows))
	for i, r := range rows {
		names[i] = r.Rule
	}
	hit := false
	for _, e := range evs {
		if e.Kind != EvState || e.Side != a.Side {
			continue
		}
		switch {
		case e.Conn == pre.Conn && e.From == pre.State && slices.Contains(names, e.Rule):
			hit = true
		case (e.From == Closed || e.Conn != pre.Conn) && slices.Contains(spec(a.Kind).fires, e.Rule):
			// a new socket's birth, or another socket of the host (power)
			hit = hit || e.From == pre.State
		default:
			return fmt.Errorf("%v in %v: fired %v -> %v by rule %s; Rows says %v", a, pre.State, e.From, e.To, e.Rule, names)
		}
	}
	if len(rows) > 0 && slices.Contains(firesAtOnce, a.Kind) && !hit {
		return fmt.Errorf("%v in %v: Rows says %v, none fired:\n%v", a, pre.State, names, evs)
	}
	return nil
}

func TestAllowedAgreesWithApply(t *testing.T) {
	srcs := map[string]string{
		"closed": "start closed\n",
		"listen": "start listen\nat 10ms client connect\n",
		"open":   "start closed\nat 0 server listen\nat 10ms client connect\nat 200ms server send 3000\n",
	}
	var names []string
	scs := map[string]*Scenario{}
	for n := range singleConn {
		scs[n] = loadScenario(t, n)
		names = append(names, n)
	}
	for n, src := range srcs {
		scs[n] = scn(t, src)
		names = append(names, n)
	}
	slices.Sort(names)
	seen := map[ActionKind][2]int{}
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.SampledFrom(names).Draw(t, "scenario")
		s, err := New(scs[name], nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, n := 0, rapid.IntRange(1, 25).Draw(t, "moves"); i < n; i++ {
			if err := checkAllowed(s, seen); err != nil {
				t.Fatalf("%s at %v (step %d): %v\n%s", name, s.Now(), s.Pos(), err, dumpTrace(s))
			}
			if rapid.Bool().Draw(t, "act") {
				a := Action{Kind: rapid.SampledFrom(sideActions).Draw(t, "kind"),
					Side: rapid.SampledFrom([]Side{Client, Server}).Draw(t, "side"),
					N:    rapid.IntRange(1, 3000).Draw(t, "n"), Dur: 30 * time.Millisecond}
				if fl := s.Flights(); a.Kind >= ActDrop && len(fl) > 0 {
					a.N = rapid.SampledFrom(fl).Draw(t, "flight").Seg.ID
				}
				_ = s.Apply(a)
			} else {
				s.Run(rapid.IntRange(1, 12).Draw(t, "steps"))
			}
		}
	})
	// Not blind: every kind was met both allowed and refused (reboot is
	// always allowed).
	for _, k := range sideActions {
		if c := seen[k]; c[1] == 0 || c[0] == 0 && k != ActReboot {
			t.Errorf("%v: allowed %d times, refused %d times", k, c[1], c[0])
		}
	}
}

// TestAllowedExamples shows what Allowed says in a few states of the close
// scenario, as an interface would enable its keys.
func TestAllowedExamples(t *testing.T) {
	s := newSim(t, "close")
	c := s.Allowed(Client)
	want := []ActionKind{ActClose, ActShutdown, ActSend, ActAbort, ActRead, ActNoRead, ActKeepalive, ActPowerOff, ActReboot}
	if !slices.Equal(c.Kinds(), want) {
		t.Errorf("client at the start: %v, want %v", c.Kinds(), want)
	}
	var rows []string
	for _, r := range c.Rows(ActClose) {
		rows = append(rows, fmt.Sprintf("%s:%v", r.Rule, r.To))
	}
	if fmt.Sprint(rows) != "[7:FIN-WAIT-1 B3:CLOSED]" || len(c.Rows(ActSend)) != 0 || c.Rows(ActConnect) != nil {
		t.Errorf("close would fire %v, send %v", rows, c.Rows(ActSend))
	}
	s.Step() // the client closes: its FIN is in flight
	c = s.Allowed(Client)
	if c.Has(ActClose) || c.Has(ActShutdown) || !c.Has(ActConnect) || !c.Has(ActDrop) || c.State() != FinWait1 {
		t.Errorf("client after close(): %v in %v", c.Kinds(), c.State())
	}
	if sv := s.Allowed(Server); sv.Has(ActDrop) || sv.Has(ActConnect) || !sv.Has(ActClose) {
		t.Errorf("server with nothing in flight: %v", sv.Kinds())
	}
	if err := s.Apply(Action{Kind: ActPowerOff, Side: Server}); err != nil {
		t.Fatal(err)
	}
	sv := s.Allowed(Server)
	if !slices.Equal(sv.Kinds(), []ActionKind{ActPowerOn, ActReboot}) || sv.State() != Closed {
		t.Errorf("server powered off: %v in %v", sv.Kinds(), sv.State())
	}
	if err := s.Check(Action{Kind: ActDrop, N: 99}); err == nil {
		t.Error("Check accepted dropping a segment that does not exist")
	}
}
