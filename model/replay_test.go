package model

import (
	"testing"
	"time"
)

// A follower that is given only the leader's actions, position and clock
// is in exactly the leader's state, whatever the leader did: steps,
// animation between events, drops, application calls, settings changes
// and rewinds that rewrote the future.
func TestReplayCopiesARun(t *testing.T) {
	lead := newSim(t, "close")
	lead.Step()
	lead.Step()
	// Drop the first segment in flight, then let time pass between events.
	if fl := lead.Flights(); len(fl) > 0 {
		if err := lead.Apply(Action{Kind: ActDrop, N: fl[0].Seg.ID}); err != nil {
			t.Fatal(err)
		}
	}
	lead.AdvanceTo(lead.Now() + 15*time.Millisecond)
	if err := lead.Apply(Action{Kind: ActSet, Name: "delay", Value: "50ms"}); err != nil {
		t.Fatal(err)
	}
	for range 6 {
		lead.Step()
	}
	// Rewind and rewrite the future with another action.
	lead.Rewind(lead.Pos() - 3)
	if err := lead.Apply(Action{Kind: ActSend, Side: Server, N: 100}); err != nil {
		t.Log("send refused here:", err)
	}
	lead.Step()
	lead.AdvanceTo(lead.Now() + 7*time.Millisecond)

	follow := newSim(t, "close")
	follow.Step() // a follower that had already moved on its own
	follow.Replay(lead.Actions(), lead.Pos(), lead.Now())
	if got, want := view(follow), view(lead); got != want {
		t.Fatalf("follower differs from the leader:\n got  %s\n want %s", got, want)
	}
	ref := traceLines(lead.Trace())
	checkPrefix(t, follow, ref)
	// Both go on identically.
	for lead.Step() {
		follow.Step()
	}
	follow.Step()
	if got, want := view(follow), view(lead); got != want {
		t.Fatalf("after the end the follower differs:\n got  %s\n want %s", got, want)
	}
	if len(follow.Trace()) != len(lead.Trace()) {
		t.Fatalf("follower has %d events, the leader %d", len(follow.Trace()), len(lead.Trace()))
	}
}

// Sync follows a leader through every kind of move, taking the cheap path
// when it can, and always ends in the leader's state.
func TestSyncFollowsEveryMove(t *testing.T) {
	lead := newSim(t, "lost-final-ack")
	follow := newSim(t, "lost-final-ack")
	check := func(what string) {
		t.Helper()
		follow.Sync(lead.Actions(), lead.Pos(), lead.Now())
		if got, want := view(follow), view(lead); got != want {
			t.Fatalf("after %s the follower differs:\n got  %s\n want %s", what, got, want)
		}
	}
	check("nothing")
	for range 4 {
		lead.Step()
		check("a step")
	}
	lead.AdvanceTo(lead.Now() + 3*time.Millisecond)
	check("animation between events")
	lead.Rewind(lead.Pos() - 2)
	check("a rewind")
	lead.Step()
	check("a step after the rewind, at an earlier clock than before")
	if fl := lead.Flights(); len(fl) > 0 {
		if err := lead.Apply(Action{Kind: ActDuplicate, N: fl[0].Seg.ID}); err != nil {
			t.Fatal(err)
		}
	}
	check("an action")
	lead.Run(20)
	check("a run forward")
	lead.Rewind(0)
	check("back to the start")
}
