package lessons

import (
	"sort"
	"strconv"

	"finwait/model"
)

// runner plays the steps of one run of a lesson (consecutive steps with
// the same scenario, settings and faults) in order, on one simulation. It
// remembers what it has found in the trace, so that playing every step of
// a run costs one pass over the trace, not one per step: "#N" checkpoints
// count from the start of the run, and "sent" checks count every segment
// sent so far.
type runner struct {
	sim  *model.Sim
	from int // trace index where the next step begins
	hits map[Checkpoint]*cpHits
	sent sentCount
}

// cpHits are the matches of one checkpoint (without its count) in the
// trace, up to index scanned.
type cpHits struct {
	scanned int
	at      []int
}

// newRunner starts the run that step i of l belongs to, at its start.
func newRunner(l *Lesson, i int) (*runner, error) {
	st := &l.Steps[i]
	fail := func(err error) error {
		return &LessonError{File: l.File, Line: st.Line, Err: msg("lesson.err.step", "step", strconv.Quote(st.Title), "err", err)}
	}
	sc, err := BuiltinScenario(st.Scenario)
	if err != nil {
		return nil, fail(err)
	}
	var rules []model.FaultRule
	for _, d := range st.Drops {
		r, err := model.ParseRule(d, model.FaultDrop)
		if err != nil {
			return nil, fail(err)
		}
		rules = append(rules, r)
	}
	sim, err := model.New(sc, st.Sets, rules)
	if err != nil {
		return nil, fail(err)
	}
	return &runner{sim: sim, hits: map[Checkpoint]*cpHits{}}, nil
}

// runStart returns the first step of the run that step i belongs to.
func runStart(l *Lesson, i int) int {
	first := i
	for first > 0 && l.Steps[first-1].restartKey() == l.Steps[i].restartKey() {
		first--
	}
	return first
}

// play runs step j, the next step of the run, to its checkpoint.
func (r *runner) play(l *Lesson, j int) error {
	s := &l.Steps[j]
	cp, err := ParseCheckpoint(s.Until)
	if err == nil {
		err = r.runTo(cp)
	}
	if err != nil {
		return &LessonError{File: l.File, Line: s.Line, Err: msg("lesson.err.step", "step", strconv.Quote(s.Title), "err", err)}
	}
	r.from = len(r.sim.Trace())
	return nil
}

// runTo steps the simulation until the checkpoint is reached, counting
// occurrences from r.from (or from the start for "#N"), as RunTo does.
func (r *runner) runTo(cp Checkpoint) error {
	sim := r.sim
	switch cp.Kind {
	case "start", "here":
		return nil
	case "end":
		sim.Run(maxCheckpointSteps)
		return nil
	case "time":
		sim.AdvanceTo(cp.At)
		if sim.Now() < cp.At {
			return msg("lesson.err.run_ends", "now", model.FormatDuration(sim.Now()), "at", model.FormatDuration(cp.At))
		}
		return nil
	}
	key := cp
	key.Nth, key.Abs = 0, false
	h := r.hits[key]
	if h == nil {
		h = &cpHits{}
		r.hits[key] = h
	}
	for n := 0; ; n++ {
		tr := sim.Trace()
		for ; h.scanned < len(tr); h.scanned++ {
			if cp.matches(&tr[h.scanned]) {
				h.at = append(h.at, h.scanned)
			}
		}
		if cp.Abs {
			if len(h.at) >= cp.Nth {
				if i := h.at[cp.Nth-1]; i < r.from {
					return msg("lesson.err.passed", "at", model.FormatDuration(tr[i].T))
				}
				return nil
			}
		} else if k := sort.SearchInts(h.at, r.from); k+cp.Nth-1 < len(h.at) {
			return nil
		}
		if n > maxCheckpointSteps || !sim.Step() {
			return msg("lesson.err.not_reached", "now", model.FormatDuration(sim.Now()))
		}
	}
}

// sentCount counts the segments each side has sent, by kind, in the trace
// up to index scanned.
type sentCount struct {
	scanned int
	n       [2]map[string]int
}

// count returns how many segments of a kind (a segment kind, PROBE or
// RETRANS) side has sent so far in sim's trace.
func (c *sentCount) count(sim *model.Sim, side model.Side, kind string) int {
	tr := sim.Trace()
	if c.scanned > len(tr) { // a different run: start again
		*c = sentCount{}
	}
	for ; c.scanned < len(tr); c.scanned++ {
		e := &tr[c.scanned]
		if e.Kind != model.EvSend {
			continue
		}
		m := c.n[e.Seg.From]
		if m == nil {
			m = map[string]int{}
			c.n[e.Seg.From] = m
		}
		if e.Seg.Probe {
			m["PROBE"]++
		}
		if e.Seg.Retrans > 0 {
			m["RETRANS"]++
		}
		if e.Seg.Flags&model.FIN != 0 {
			m["FIN"]++
		}
		if k := e.Seg.Kind(); k != "FIN" {
			m[k]++
		}
	}
	return c.n[side][kind]
}
