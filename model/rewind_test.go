package model

// Rewind (DESIGN.md): any earlier point can be restored exactly, and
// stepping forward again gives the same run, user actions included.

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// view is what a user sees of one side at a moment.
func view(s *Sim) string {
	out := fmt.Sprintf("now=%v pos=%d trace=%d", s.Now(), s.Pos(), len(s.Trace()))
	for _, side := range []Side{Client, Server} {
		ep, ok := s.Endpoint(side)
		out += fmt.Sprintf("\n%s ok=%v conn=%d %v una=%d nxt=%d rcv=%d orphan=%v probes=%d backoff=%d rto=%v received=%v seen=%v timers=%+v",
			side, ok, ep.Conn, ep.State, ep.SndUna, ep.SndNxt, ep.RcvNxt, ep.Orphan, ep.ProbesOut, ep.Backoff, ep.RTO,
			ep.Received, ep.Seen, s.Timers(side))
	}
	for _, f := range s.Flights() {
		out += fmt.Sprintf("\nflight %d %s %v->%v fate %d", f.Seg.ID, f.Seg.Summary(), f.SentAt, f.ArriveAt, f.Fate)
	}
	c := s.Current()
	out += fmt.Sprintf("\nsample %+v", c)
	return out
}

func traceLines(tr []Event) []string {
	out := make([]string, len(tr))
	for i := range tr {
		out[i] = fmt.Sprintf("%d %s", tr[i].Step, tr[i].JSON(""))
	}
	return out
}

// checkPrefix compares the trace now with the events of the first s.Pos()
// steps of a reference trace.
func checkPrefix(t *testing.T, s *Sim, ref []string) {
	t.Helper()
	got := traceLines(s.Trace())
	n := 0
	for n < len(ref) && stepOf(ref[n]) <= s.Pos() {
		n++
	}
	if !slices.Equal(got, ref[:n]) {
		for i := 0; i < len(got) || i < n; i++ {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < n {
				w = ref[i]
			}
			if g != w {
				t.Fatalf("at pos %d trace differs at event %d:\n got  %s\n want %s", s.Pos(), i, g, w)
			}
		}
	}
}

func stepOf(line string) int {
	var n int
	fmt.Sscanf(line, "%d", &n)
	return n
}

func TestRewindReplaysExactly(t *testing.T) {
	for _, name := range builtinScenarios(t) {
		if loadScenario(t, name).Load.Count > 0 {
			continue // host runs: see TestRewindHostRun
		}
		t.Run(name, func(t *testing.T) {
			s := newSim(t, name)
			var views []string
			views = append(views, view(s))
			for s.Step() {
				views = append(views, view(s))
			}
			ref := traceLines(s.Trace())
			end := s.Pos()
			for _, p := range []int{end - 1, end / 2, 1, 0, end / 3, end} {
				if p < 0 {
					continue
				}
				s.Rewind(p)
				if s.Pos() != p || view(s) != views[p] {
					t.Fatalf("Rewind(%d):\n got  %s\n want %s", p, view(s), views[p])
				}
				checkPrefix(t, s, ref)
				// Forward again, one step at a time: the same states.
				for q := p + 1; q <= min(end, p+40); q++ {
					s.Step()
					if view(s) != views[q] {
						t.Fatalf("after Rewind(%d), step %d:\n got  %s\n want %s", p, q, view(s), views[q])
					}
				}
				s.Run(1 << 30)
				if got := traceLines(s.Trace()); !slices.Equal(got, ref) {
					t.Fatalf("after Rewind(%d) the run to the end differs (%d events, want %d)", p, len(got), len(ref))
				}
			}
		})
	}
}

// inFlight returns the id of the first segment on the link sent by side
// with all of flags.
func inFlight(s *Sim, side Side, flags Flags) (int, bool) {
	for _, f := range s.Flights() {
		if f.Seg.From == side && f.Seg.Flags.Has(flags) {
			return f.Seg.ID, true
		}
	}
	return 0, false
}

func TestRewindReplaysUserActions(t *testing.T) {
	s := newSim(t, "close")
	// Step until the server's FIN is on the wire, then drop it by hand.
	id, ok := 0, false
	for !ok && s.Step() {
		id, ok = inFlight(s, Server, FIN)
	}
	if !ok {
		t.Fatal("the server's FIN never left")
	}
	at := s.Pos()
	if err := s.Apply(Action{Kind: ActDrop, N: id}); err != nil {
		t.Fatal(err)
	}
	// A user action on the same segment twice is refused with a reason.
	if err := s.Apply(Action{Kind: ActDrop, N: id}); err == nil {
		t.Error("dropping a segment already lost was accepted")
	}
	afterApply := view(s)
	s.Run(1 << 30)
	ref := traceLines(s.Trace())
	drops := events(s, func(e *Event) bool { return e.Kind == EvDrop && e.Seg.ID == id })
	if len(drops) != 1 {
		t.Fatalf("the dropped FIN %d is not in the trace as lost: %v", id, drops)
	}
	// The drop is felt: the server resends its FIN (TLP at one RTO).
	if fins := events(s, func(e *Event) bool { return match(e, EvSend, Server, 1) && e.Seg.Flags.Has(FIN) }); len(fins) != 2 {
		t.Fatalf("server FINs %d, want the lost one and its resend", len(fins))
	}
	if acts := s.Actions(); len(acts) != 1 || acts[0].Pos != at || acts[0].Action.N != id {
		t.Fatalf("action log %+v", acts)
	}
	for _, p := range []int{at, at - 1, 0, at + 1} {
		s.Rewind(p)
		if p == at && view(s) != afterApply {
			t.Errorf("Rewind to the step of the action does not include the action:\n got  %s\n want %s", view(s), afterApply)
		}
		checkPrefix(t, s, ref)
		s.Run(1 << 30)
		if got := traceLines(s.Trace()); !slices.Equal(got, ref) {
			t.Fatalf("Rewind(%d) then forward: the user's drop was not replayed the same way", p)
		}
	}
	// A new action after rewinding rewrites the future: the old drop is
	// forgotten.
	s.Rewind(at - 1)
	if err := s.Apply(Action{Kind: ActSet, Name: "delayed_ack", Value: "0"}); err != nil {
		t.Fatal(err)
	}
	s.Run(1 << 30)
	if len(s.Actions()) != 1 || s.Actions()[0].Action.Kind != ActSet {
		t.Errorf("action log after rewriting the future: %+v", s.Actions())
	}
	if drops := events(s, func(e *Event) bool { return e.Kind == EvDrop }); len(drops) != 0 {
		t.Errorf("forgotten drop still happened: %v", drops)
	}
}

// longKeepalive is keepalive-alive lasting long enough for many snapshots.
const longKeepalive = "start established\nset keepalive=on\nend 8000h\n"

func TestRewindLongKeepaliveRun(t *testing.T) {
	s, err := New(scn(t, longKeepalive), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Run(1 << 30)
	end := s.Pos()
	if end < 10000 || s.Now() < 7990*time.Hour {
		t.Fatalf("long run only %d steps to %v", end, s.Now())
	}
	ref := traceLines(s.Trace())
	for _, p := range []int{end / 2, end/2 + 1, end / 3, end - 1, 7} {
		s.Rewind(p)
		fresh, _ := New(scn(t, longKeepalive), nil, nil)
		fresh.Run(p)
		if view(s) != view(fresh) {
			t.Fatalf("Rewind(%d) differs from a fresh run of %d steps:\n got  %s\n want %s", p, p, view(s), view(fresh))
		}
		checkPrefix(t, s, ref)
	}
	s.Run(1 << 30)
	if got := traceLines(s.Trace()); !slices.Equal(got, ref) {
		t.Fatal("forward again after rewinding: trace differs")
	}
}

func TestRewindHostRun(t *testing.T) {
	sc := loadScenario(t, "port-exhaustion")
	sc.Load.Count = 3000
	s, err := New(sc, []string{"port_range=40000-41999"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Run(1 << 30)
	end := s.Pos()
	finalView := view(s)
	ref := traceLines(s.Trace())
	if s.Current().Failures == 0 {
		t.Fatal("2000 ports for 3000 connections should fail some")
	}
	for _, p := range []int{end / 2, end - 1, end / 4} {
		s.Rewind(p)
		fresh, _ := New(sc, []string{"port_range=40000-41999"}, nil)
		fresh.Run(p)
		if view(s) != view(fresh) {
			t.Fatalf("Rewind(%d) differs from a fresh run:\n got  %s\n want %s", p, view(s), view(fresh))
		}
		if !slices.Equal(s.Samples(), fresh.Samples()) {
			t.Fatalf("Rewind(%d): samples differ", p)
		}
		checkPrefix(t, s, ref)
	}
	s.Run(1 << 30)
	if view(s) != finalView {
		t.Fatalf("forward again:\n got  %s\n want %s", view(s), finalView)
	}
}
