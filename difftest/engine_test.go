package difftest

import (
	"testing"

	"finwait/lessons"
	"finwait/model"
)

// engineRun runs a built-in scenario in the engine with extra settings and
// converts its trace into a record.
func engineRun(tb testing.TB, name string, sets []string) (*record, *model.Sim) {
	tb.Helper()
	sc, err := lessons.BuiltinScenario(name)
	if err != nil {
		tb.Fatal(err)
	}
	sim, err := model.New(sc, sets, nil)
	if err != nil {
		tb.Fatal(err)
	}
	r := newRecord()
	for side := model.Client; side <= model.Server; side++ {
		if ep, ok := sim.Endpoint(side); ok {
			r.isn[side] = ep.ISS
			r.addState(epKey{side, ep.Conn}, 0, ep.State.String())
		}
	}
	sim.Run(1 << 30)
	engineRecord(sim.Trace(), r)
	return r, sim
}

func engineRecord(tr []model.Event, r *record) {
	lost := map[int]bool{}
	for _, e := range tr {
		if e.Kind == model.EvDrop || e.Kind == model.EvExpire {
			lost[e.Seg.ID] = true
		}
	}
	for _, e := range tr {
		switch e.Kind {
		case model.EvSend:
			s := e.Seg
			r.segs = append(r.segs, segRec{t: e.T, from: s.From, flags: s.Flags, seq: s.Seq, ack: s.Ack, len: s.Len, lost: lost[s.ID]})
		case model.EvState:
			k := epKey{e.Side, e.Conn}
			if _, seen := r.states[k]; !seen && e.From != model.Listen && e.From != model.Closed {
				// A connection's sequence starts at its first state after
				// the open: the engine reuses the listener (a socket of
				// its own in real stacks) and shows a new socket as
				// CLOSED, where gVisor has INITIAL, BOUND, CONNECTING,
				// states no scenario compares.
				r.addState(k, e.T, e.From.String())
			}
			r.addState(k, e.T, e.To.String())
		case model.EvNotify:
			what := e.Detail
			if e.Note == "notify.data_unread" {
				// Arrived, but the application does not read it.
				continue
			}
			if what == "DATA" {
				what = "DATA " + itoa(e.N)
			}
			r.notes[e.Side] = append(r.notes[e.Side], noteRec{e.T, what})
		}
	}
}
