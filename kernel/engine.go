package kernel

import (
	"time"

	"finwait/lessons"
	"finwait/model"
)

// runFacts is what one run (kernel or engine) showed, beyond the states:
// the facts the checks compare.
type runFacts struct {
	tracks [2]Track
	// seen is what each side's application was told (EOF, ECONNRESET, ...).
	seen [2][]string
	// bytesAfterShut: bytes the client read after its shutdown(SHUT_WR).
	bytesAfterShut int
	// probes: keepalive probes sent within the window; rsts: RSTs sent.
	probes, rsts int
}

// engineRun runs sc in the engine with sets and extracts the facts.
// window bounds the probe count (the kernel run's length); 0 = whole run.
func engineRun(sc *model.Scenario, sets []string, window time.Duration) (*runFacts, error) {
	sim, err := model.New(sc, sets, nil)
	if err != nil {
		return nil, err
	}
	// Every scenario here settles long before this many steps (the
	// keepalive run is the longest: two events a probe).
	sim.Run(1 << 20)
	f := &runFacts{}
	var shut bool
	for side := model.Client; side <= model.Server; side++ {
		f.tracks[side].Side = side
	}
	for i := range sim.Trace() {
		e := &sim.Trace()[i]
		if e.Conn != 1 || e.Rule == model.RuleS { // a track starts ESTABLISHED, not at its birth
			continue
		}
		tr := &f.tracks[e.Side]
		switch e.Kind {
		case model.EvState:
			if len(tr.Steps) == 0 {
				tr.Steps = append(tr.Steps, Step{State: e.From})
			}
			tr.Steps = append(tr.Steps, Step{State: e.To, At: e.T, Last: e.T})
		case model.EvTimerStart:
			if e.Timer == model.TimerDelayedACK {
				// /proc does not show the delayed-ACK timer.
				continue
			}
			if len(tr.Steps) == 0 {
				tr.Steps = append(tr.Steps, Step{State: model.Established})
			}
			st := &tr.Steps[len(tr.Steps)-1]
			addEngineTimer(st, e)
		case model.EvNotify:
			if e.Detail == "DATA" {
				if e.Side == model.Client && shut {
					f.bytesAfterShut += e.N
				}
				continue
			}
			f.seen[e.Side] = append(f.seen[e.Side], e.Detail)
		case model.EvApp:
			if e.Side == model.Client && e.Detail == "shutdown" {
				shut = true
			}
		case model.EvSend:
			if window > 0 && e.T > window {
				continue
			}
			if e.Seg.Probe {
				f.probes++
			}
			if e.Seg.Flags&model.RST != 0 {
				f.rsts++
			}
		}
	}
	for side := range f.tracks {
		if len(f.tracks[side].Steps) == 0 {
			// No state change at all: the side stayed ESTABLISHED.
			f.tracks[side].Steps = []Step{{State: model.Established}}
		}
	}
	return f, nil
}

func addEngineTimer(st *Step, e *model.Event) {
	for i := range st.Timers {
		t := &st.Timers[i]
		if t.Kind == e.Timer {
			t.Arms++
			t.Max = max(t.Max, e.Dur)
			return
		}
	}
	st.Timers = append(st.Timers, Timer{Kind: e.Timer, Left: e.Dur, Max: e.Dur, At: e.T, Arms: 1})
}

// engineScenario returns the engine's scenario for a kernel scenario.
func engineScenario(s *scenario) (*model.Scenario, error) {
	if s.inline != "" {
		return model.ParseScenario(s.name+".scn", s.inline)
	}
	return lessons.BuiltinScenario(s.engine)
}
