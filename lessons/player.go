package lessons

import (
	"time"

	"finwait/model"
)

// Player plays one run for a user interface: a bare scenario, or a lesson
// at one of its steps. It is the one thing that moves the run's clock, so
// the rules of a lesson's playback live here and nowhere else: a step's run
// is built by StepRun; playing it stops exactly at its checkpoint; the run
// is "on the lesson's path" while it is the step's own run and the user
// has changed nothing in it; a step reached on its path and the first
// answer to its question are recorded in the learner's Progress.
//
// A Player never draws anything and knows nothing about keys.
type Player struct {
	sim  *model.Sim
	sc   *model.Scenario
	sets []string
	prog *Progress
	cur  *stepPlay // nil: a bare scenario
}

// stepPlay is the open lesson at one of its steps.
type stepPlay struct {
	l       *Lesson
	i       int
	own     bool // the run is the one StepRun built for this step
	start   int  // where the step began
	cpPos   int  // the checkpoint: position and clock
	cpNow   time.Duration
	reached bool // the checkpoint was reached (and recorded) in this visit
	asking  bool // the question waits for an answer
	answer  int  // the choice given in this visit, -1 for none
}

// NewPlayer opens a bare scenario with the given settings. prog may be nil:
// progress is then kept in memory only.
func NewPlayer(sc *model.Scenario, sets []string, prog *Progress) (*Player, error) {
	sim, err := model.New(sc, sets, nil)
	if err != nil {
		return nil, err
	}
	if prog == nil {
		prog, _ = LoadProgress("")
	}
	return &Player{sim: sim, sc: sc, sets: sets, prog: prog}, nil
}

// Sim is the run. Callers read it; they change it only through the Player.
func (p *Player) Sim() *model.Sim { return p.sim }

// Scenario is what the run was built from, with Sets.
func (p *Player) Scenario() *model.Scenario { return p.sc }

// Sets are the run's name=value settings.
func (p *Player) Sets() []string { return p.sets }

// Progress is the learner's record.
func (p *Player) Progress() *Progress { return p.prog }

// UseProgress makes p the learner's record from now on.
func (p *Player) UseProgress(prog *Progress) { p.prog = prog }

// Restart replaces the run with a new one of sc and sets. An open lesson
// stays open, but the run is no longer its path.
func (p *Player) Restart(sc *model.Scenario, sets []string) error {
	sim, err := model.New(sc, sets, nil)
	if err != nil {
		return err
	}
	p.sim, p.sc, p.sets = sim, sc, sets
	if p.cur != nil {
		p.cur.own = false
	}
	return nil
}

// Leave closes the lesson; the run stays, without the step's settings.
func (p *Player) Leave() {
	if p.cur != nil {
		p.cur, p.sets = nil, nil
	}
}

// Lesson is the open lesson, nil for a bare scenario.
func (p *Player) Lesson() *Lesson {
	if p.cur == nil {
		return nil
	}
	return p.cur.l
}

// StepIndex is the open step's index (0 with no lesson open).
func (p *Player) StepIndex() int {
	if p.cur == nil {
		return 0
	}
	return p.cur.i
}

// Step is the open step, nil with no lesson open.
func (p *Player) Step() *Step {
	if p.cur == nil {
		return nil
	}
	return &p.cur.l.Steps[p.cur.i]
}

// Open opens lesson l at step i.
func (p *Player) Open(l *Lesson, i int) error {
	old := p.cur
	p.cur = &stepPlay{l: l}
	if err := p.EnterStep(i); err != nil {
		p.cur = old
		return err
	}
	return nil
}

// EnterStep builds step i's run, goes back to where the step began and,
// when the step has a question, waits for the answer. With no lesson open
// it does nothing.
func (p *Player) EnterStep(i int) error {
	c := p.cur
	if c == nil {
		return nil
	}
	sim, start, err := StepRun(c.l, i)
	if err != nil {
		return err
	}
	c.i, c.own, c.start = i, true, start
	c.cpPos, c.cpNow = sim.Pos(), sim.Now()
	c.reached, c.answer = false, -1
	c.asking = c.l.Steps[i].Question != nil
	sim.Rewind(start)
	p.sim, p.sc, p.sets = sim, sim.Scenario(), c.l.Steps[i].Sets
	return nil
}

// BackToPath rebuilds the open step's own run from where it began. A
// question answered in this visit is not asked again.
func (p *Player) BackToPath() error {
	c := p.cur
	if c == nil {
		return nil
	}
	answer := c.answer
	if err := p.EnterStep(c.i); err != nil {
		return err
	}
	if answer >= 0 && c.asking {
		c.asking, c.answer = false, answer
	}
	return nil
}

// Next is the lesson after l among the built-in lessons of its language,
// nil after the last one or for a lesson from a file.
func Next(l *Lesson) *Lesson {
	ls, err := Builtin(l.Lang)
	if err != nil {
		return nil
	}
	for i, b := range ls {
		if b.ID == l.ID && b.File == l.File && i+1 < len(ls) {
			return ls[i+1]
		}
	}
	return nil
}

// Translate switches the open lesson to the same lesson in another
// language: the same steps, so the run stays as it is.
func (p *Player) Translate(l *Lesson) {
	if c := p.cur; c != nil && l != nil && l.ID == c.l.ID && len(l.Steps) == len(c.l.Steps) {
		c.l = l
	}
}

// Asking reports whether the open step's question waits for an answer.
func (p *Player) Asking() bool { return p.cur != nil && p.cur.asking }

// Answer is the choice given to the open step's question in this visit,
// -1 for none.
func (p *Player) Answer() int {
	if p.cur == nil {
		return -1
	}
	return p.cur.answer
}

// Reached reports whether the open step's checkpoint was reached on its
// path in this visit.
func (p *Player) Reached() bool { return p.cur != nil && p.cur.reached }

// OnPath reports whether the run is still the lesson's: the step's own run,
// without the user's actions (rewinding and stepping stay on it).
func (p *Player) OnPath() bool {
	return p.cur != nil && p.cur.own && len(p.sim.Actions()) == 0
}

// OwnRun reports whether the run is the open step's own run (built by
// StepRun), whatever the user has done in it since.
func (p *Player) OwnRun() bool { return p.cur != nil && p.cur.own }

// AtCheckpoint reports whether the run is at or past the step's checkpoint.
func (p *Player) AtCheckpoint() bool {
	c := p.cur
	if c == nil {
		return false
	}
	pos := p.sim.Pos()
	return pos > c.cpPos || pos == c.cpPos && p.sim.Now() >= c.cpNow
}

// CheckpointAt is the virtual time of the open step's checkpoint.
func (p *Player) CheckpointAt() time.Duration {
	if p.cur == nil {
		return 0
	}
	return p.cur.cpNow
}

// Gated reports whether playing stops at the checkpoint: a lesson step on
// its path that has not reached it yet, its question answered.
func (p *Player) Gated() bool {
	return p.cur != nil && !p.cur.asking && p.OnPath() && !p.AtCheckpoint()
}

// AdvanceTo moves the clock to t. On the lesson's path before the
// checkpoint it stops exactly at the checkpoint, however many events share
// its time; it reports whether it stopped there in this call.
func (p *Player) AdvanceTo(t time.Duration) (arrived bool) {
	if !p.Gated() {
		p.sim.AdvanceTo(t)
		return false
	}
	c := p.cur
	for p.sim.Pos() < c.cpPos {
		at, ok := p.sim.NextAt()
		if !ok || at > t {
			break
		}
		p.sim.Step()
	}
	if p.sim.Pos() < c.cpPos {
		p.sim.AdvanceTo(t) // nothing is due before t: only the clock moves
		return false
	}
	// At the checkpoint's position: move the clock no further than the
	// checkpoint's, and never over an event.
	to := min(t, c.cpNow)
	if at, ok := p.sim.NextAt(); (!ok || at > to) && to > p.sim.Now() {
		p.sim.AdvanceTo(to)
	}
	return p.AtCheckpoint()
}

// StepOne moves the run by one event; false at the end.
func (p *Player) StepOne() bool { return p.sim.Step() }

// Rewind goes back (or forward) to position pos of the run.
func (p *Player) Rewind(pos int) { p.sim.Rewind(pos) }

// Apply takes a user's action; the run then leaves the lesson's path.
func (p *Player) Apply(a model.Action) error { return p.sim.Apply(a) }

// Sync makes the run follow another of the same base (model.Sim.Sync).
func (p *Player) Sync(actions []model.LoggedAction, pos int, now time.Duration) {
	p.sim.Sync(actions, pos, now)
}

// Follow opens what a follower needs to show another player's run: lesson
// l at step i (nil: none), and either that step's own run (fromLesson) or a
// fresh run of sc and sets. The step's question keeps this player's answer
// when the follower already was at that step.
func (p *Player) Follow(l *Lesson, i int, fromLesson bool, sc *model.Scenario, sets []string) error {
	var c *stepPlay
	if l != nil {
		c = &stepPlay{l: l, i: i, answer: -1, asking: l.Steps[i].Question != nil}
		if old := p.cur; old != nil && old.l.ID == l.ID && old.i == i {
			c.answer, c.asking = old.answer, old.asking
		}
	}
	if fromLesson && c != nil {
		sim, start, err := StepRun(l, i)
		if err != nil {
			return err
		}
		c.own, c.start, c.cpPos, c.cpNow = true, start, sim.Pos(), sim.Now()
		p.sim, p.sc, p.sets = sim, sim.Scenario(), l.Steps[i].Sets
	} else {
		sim, err := model.New(sc, sets, nil)
		if err != nil {
			return err
		}
		if c != nil {
			// The leader left the lesson's path: the step is shown, the
			// run is not it.
			c.cpPos = -1
		}
		p.sim, p.sc, p.sets = sim, sc, sets
	}
	p.cur = c
	return nil
}

// NoteArrival records a step reached on its path at its checkpoint; it
// reports whether the progress changed (and so wants saving).
func (p *Player) NoteArrival() bool {
	c := p.cur
	if c == nil || c.asking || c.reached || !p.OnPath() || !p.AtCheckpoint() {
		return false
	}
	c.reached = true
	p.prog.Reached(c.l.ID, c.i)
	return true
}

// ChoiceError is an answer the open question cannot take.
type ChoiceError struct {
	Choice  int // the choice given, from 0
	Choices int // how many the question has; 0: no question waits
}

func (e *ChoiceError) Error() string {
	if e.Choices == 0 {
		return "no question waits for an answer"
	}
	return "no such choice"
}

// Choose answers the open step's question with choice (from 0). The first
// answer counts for the score; it reports whether the choice is right.
func (p *Player) Choose(choice int) (right bool, err error) {
	c := p.cur
	if c == nil || !c.asking {
		return false, &ChoiceError{Choice: choice}
	}
	q := c.l.Steps[c.i].Question
	if choice < 0 || choice >= len(q.Choices) {
		return false, &ChoiceError{Choice: choice, Choices: len(q.Choices)}
	}
	c.answer, c.asking = choice, false
	return p.prog.Answered(c.l, c.i, choice), nil
}
