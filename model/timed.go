package model

import "slices"

// A scenario's timed actions ("at T ...") wait in a queue of their own
// beside the event heap: a sorted list that every copy of the world
// shares, and the index of the next one. A snapshot of the world (one
// every few hundred steps) then costs nothing per timed action; with the
// actions in the heap, a scenario of N actions cost N*N/256 copies.
//
// The order of events is exactly that of one heap: each timed action keeps
// the (time, sequence number) it would have had there, and the next event
// is the smaller of the heap's top and the next timed action.

// qTimed marks a timed action; qitem.a indexes timedQueue.acts.
const qTimed qkind = 0xff

type timedQueue struct {
	items []qitem  // sorted by (at, seq); shared by every clone, never modified
	acts  []Action // by qitem.a; shared too
	next  int      // items[next] is the next one due
}

// scheduleTimed queues a scenario's timed actions, numbered as if each
// were pushed on the heap in the scenario's order.
func (w *world) scheduleTimed(ts []TimedAction) {
	if len(ts) == 0 {
		return
	}
	items := make([]qitem, len(ts))
	acts := make([]Action, len(ts))
	for i, t := range ts {
		w.seq++
		items[i] = qitem{at: t.At, seq: w.seq, kind: qTimed, a: int32(i)}
		acts[i] = t.Action
	}
	slices.SortStableFunc(items, func(a, b qitem) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	w.tq = timedQueue{items: items, acts: acts}
}

// peek returns the next event, heap or timed, without taking it; dead heap
// events (a cancelled timer, a flight that ended) are discarded on the way.
func (w *world) peek() (qitem, bool) {
	for len(w.q) > 0 && !w.live(w.q[0]) {
		w.q.pop()
	}
	tq := &w.tq
	switch {
	case tq.next < len(tq.items) && (len(w.q) == 0 || before(tq.items[tq.next], w.q[0])):
		return tq.items[tq.next], true
	case len(w.q) > 0:
		return w.q[0], true
	}
	return qitem{}, false
}

// next takes the event peek returns; there must be one.
func (w *world) next() qitem {
	it, _ := w.peek()
	if it.kind == qTimed {
		w.tq.next++
		return it
	}
	return w.q.pop()
}

func before(a, b qitem) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

// scheduled is the action of a qTimed or qAction event: a timed action,
// or the action of a trigger fired with a delay (qitem.a indexes w.trig).
func (w *world) scheduled(it qitem) Action {
	if it.kind == qTimed {
		return w.tq.acts[it.a]
	}
	return w.trig[it.a].Action
}
