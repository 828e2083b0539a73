package ui

import (
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// tutor is the lessons side of the program: the learner's progress, the
// open lesson at its step, and the lesson menu.
type tutor struct {
	prog       *lessons.Progress
	saveWarned bool            // a failed save was reported once; not again
	cur        *lessonRun      // nil: a bare scenario
	file       *lessons.Lesson // the lesson given with --lesson FILE
	hidden     bool            // the pane is switched off with p
	raised     bool            // a step raised the play speed from userSpeed
	userSpeed  int
	menu       lessonMenu
	cache      paneCache
	initCmd    tea.Cmd // the first step's animation, started by Init
}

// lessonRun is the open lesson at one of its steps.
type lessonRun struct {
	l       *lessons.Lesson
	step    int
	sim     *model.Sim // the step's run as the lesson built it: the path
	start   int        // where the step began
	cpPos   int        // the checkpoint: position and clock
	cpNow   time.Duration
	reached bool // the checkpoint was reached in this visit
	asking  bool // the question waits for an answer
	answer  int  // the choice given in this visit, -1 for none
	scroll  int  // pane rows scrolled
}

// stepWall is how long, in wall time, a step of a host run (thousands of
// connections, always something in flight) may take to play.
const stepWall = 8 * time.Second

func (m *Model) progress() *lessons.Progress {
	if m.tutor.prog == nil {
		m.tutor.prog, _ = lessons.LoadProgress("")
	}
	return m.tutor.prog
}

// loadProgress reads the progress file; a file that cannot be used is
// reported in the status bar and progress starts fresh.
func (m *Model) loadProgress(path string) {
	p, err := lessons.LoadProgress(path)
	m.tutor.prog = p
	var w *lessons.ProgressWarning
	switch {
	case errors.As(err, &w) && w.MovedTo != "":
		m.say("ui.msg.progress_moved", true, "moved", w.MovedTo)
	case errors.As(err, &w):
		m.say("ui.msg.progress_unsaved", true, "err", w.Err)
		m.tutor.saveWarned = true
	case err != nil:
		m.say("ui.msg.progress_unsaved", true, "err", err)
	}
}

func (m *Model) saveProgress() {
	err := m.progress().Save()
	if err == nil || m.tutor.saveWarned {
		return
	}
	m.tutor.saveWarned = true
	var w *lessons.ProgressWarning
	if errors.As(err, &w) {
		err = w.Err
	}
	m.say("ui.msg.progress_unsaved", true, "err", err)
}

// openLesson opens a lesson at a step.
func (m *Model) openLesson(l *lessons.Lesson, step int) tea.Cmd {
	m.tutor.cur = &lessonRun{l: l}
	m.tutor.hidden = false
	cmd := m.enterStep(step)
	if m.msg == "" {
		m.say("ui.msg.lesson_opened", false, "lesson", m.lessonTitle())
	}
	return cmd
}

// leaveLesson goes back to a bare scenario, without the step's settings.
func (m *Model) leaveLesson() {
	if m.tutor.cur != nil {
		m.tutor.cur, m.sets = nil, nil
	}
	m.restoreSpeed()
}

// enterStep builds step i's run at its checkpoint, goes back to where the
// step began and, unless a question comes first, plays the step.
func (m *Model) enterStep(i int) tea.Cmd {
	c := m.tutor.cur
	sim, start, err := lessons.StepRun(c.l, i)
	if err != nil {
		m.say("ui.msg.lesson_error", true, "err", lessons.ErrorText(m.cat, err))
		return nil
	}
	m.stop()
	c.step, c.sim, c.start = i, sim, start
	c.cpPos, c.cpNow = sim.Pos(), sim.Now()
	c.reached, c.scroll, c.answer = false, 0, -1
	c.asking = c.l.Steps[i].Question != nil
	sim.Rewind(start)
	m.sim, m.sc, m.sets = sim, sim.Scenario(), c.l.Steps[i].Sets
	m.seg, m.ladderOff, m.ladder = 0, 0, ladderCache{}
	if c.asking {
		return nil
	}
	return m.playStep()
}

// playStep plays the step to its checkpoint with the ordinary animation;
// advance stops it there.
func (m *Model) playStep() tea.Cmd {
	c := m.tutor.cur
	if m.atCheckpoint() {
		m.noteArrival()
		return nil
	}
	if m.sc.Load.Count > 0 {
		span := c.cpNow - m.sim.Now()
		i := m.speed
		for i < len(speeds)-1 && float64(span)/speeds[i] > float64(stepWall) {
			i++
		}
		if i != m.speed {
			if !m.tutor.raised {
				m.tutor.raised, m.tutor.userSpeed = true, m.speed
			}
			m.speed = i
			m.say("ui.msg.step_speed", false, "span", model.FormatDuration(span), "speed", speeds[i])
		}
	} else {
		m.restoreSpeed()
	}
	m.playing = true
	return m.startTicks()
}

// restoreSpeed undoes the speed a host-run step chose, so that the next
// single connection is not a blur.
func (m *Model) restoreSpeed() {
	if m.tutor.raised {
		m.speed, m.tutor.raised = m.tutor.userSpeed, false
	}
}

// onPath reports whether the run is still the lesson's: the step's own
// run, without the user's actions (rewinding and stepping stay on it).
func (m *Model) onPath() bool {
	c := m.tutor.cur
	return c != nil && m.sim == c.sim && len(m.sim.Actions()) == 0
}

// atCheckpoint reports whether the run is at or past the step's checkpoint.
func (m *Model) atCheckpoint() bool {
	c := m.tutor.cur
	p := m.sim.Pos()
	return p > c.cpPos || p == c.cpPos && m.sim.Now() >= c.cpNow
}

// advance moves the clock to t for the animation. On the lesson's path
// before the checkpoint it stops exactly at the checkpoint, however many
// events share its time, and the playing stops there.
func (m *Model) advance(t time.Duration) {
	c := m.tutor.cur
	if c == nil || c.asking || !m.onPath() || m.atCheckpoint() {
		m.sim.AdvanceTo(t)
		return
	}
	for m.sim.Pos() < c.cpPos {
		at, ok := m.sim.NextAt()
		if !ok || at > t {
			break
		}
		m.sim.Step()
	}
	if m.sim.Pos() < c.cpPos {
		m.sim.AdvanceTo(t) // nothing is due before t: only the clock moves
		return
	}
	// At the checkpoint's position: move the clock no further than the
	// checkpoint's, and never over an event.
	to := min(t, c.cpNow)
	if at, ok := m.sim.NextAt(); (!ok || at > to) && to > m.sim.Now() {
		m.sim.AdvanceTo(to)
	}
	if m.atCheckpoint() {
		m.stop()
		m.noteArrival()
	}
}

// noteArrival records a step reached at its checkpoint.
func (m *Model) noteArrival() {
	c := m.tutor.cur
	if c == nil || c.asking || c.reached || !m.onPath() || !m.atCheckpoint() {
		return
	}
	c.reached = true
	m.progress().Reached(c.l.ID, c.step)
	m.saveProgress()
}

// lessonKey handles the lesson keys of the main screen; ok is false for a
// key it leaves to the main screen.
func (m *Model) lessonKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := &m.keys
	if key.Matches(msg, k.Lessons) {
		m.stop()
		m.openMenu()
		return nil, true
	}
	c := m.tutor.cur
	if c == nil {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Pane):
		m.tutor.hidden = !m.tutor.hidden
		if m.tutor.hidden {
			m.say("ui.lesson.hidden", false)
		}
	case key.Matches(msg, k.NextStep):
		return m.nextStep(), true
	case key.Matches(msg, k.PrevStep):
		if c.step == 0 {
			m.say("ui.msg.first_step", false)
			return nil, true
		}
		return m.enterStep(c.step - 1), true
	case key.Matches(msg, k.Path):
		answer := c.answer
		cmd := m.enterStep(c.step)
		if answer >= 0 && c.asking {
			// The question was answered in this visit: do not ask again.
			c.asking, c.answer = false, answer
			cmd = m.playStep()
		}
		if m.msg == "" || !m.msgErr {
			m.say("ui.msg.path", false)
		}
		return cmd, true
	case key.Matches(msg, k.Answer):
		if !c.asking {
			return nil, true
		}
		return m.answer(msg), true
	case key.Matches(msg, k.TextUp):
		c.scroll = max(0, c.scroll-m.paneScrollStep())
	case key.Matches(msg, k.TextDown):
		c.scroll += m.paneScrollStep()
	case c.asking && key.Matches(msg, k.Play, k.Forward, k.Skip):
		m.say("ui.msg.answer_first", true, "n", len(c.l.Steps[c.step].Question.Choices))
	default:
		return nil, false
	}
	return nil, true
}

// nextStep goes to the next step, or from a built-in lesson's last step to
// the next lesson.
func (m *Model) nextStep() tea.Cmd {
	c := m.tutor.cur
	if c.step+1 < len(c.l.Steps) {
		return m.enterStep(c.step + 1)
	}
	if c.l != m.tutor.file {
		ls, _ := lessons.Builtin(m.lang) // on an error, no next lesson
		for i, l := range ls {
			if l.ID == c.l.ID && i+1 < len(ls) {
				n := c.l.Number()
				cmd := m.openLesson(ls[i+1], 0)
				if m.msg == "" || !m.msgErr {
					m.say("ui.msg.next_lesson", false, "n", n, "next", ls[i+1].Number())
				}
				return cmd
			}
		}
	}
	m.say("ui.msg.lesson_end", false)
	return nil
}

// answer takes a choice key: the first answer counts for the score; then
// the step plays.
func (m *Model) answer(msg tea.KeyPressMsg) tea.Cmd {
	c := m.tutor.cur
	q := c.l.Steps[c.step].Question
	choice := -1
	for i, s := range m.keys.Answer.Keys() {
		if msg.String() == s {
			choice = i
		}
	}
	if choice < 0 || choice >= len(q.Choices) {
		m.say("ui.msg.no_choice", true, "k", msg.String(), "n", len(q.Choices))
		return nil
	}
	c.answer, c.asking = choice, false
	m.progress().Answered(c.l, c.step, choice)
	m.saveProgress()
	if m.following() {
		return nil // the instructor plays the step
	}
	return m.playStep()
}

// lessonLang follows a language switch: the same lesson and step in the
// other language. The run stays as it is: both languages run the same
// steps. A lesson from a file exists in one language only.
func (m *Model) lessonLang() {
	c := m.tutor.cur
	if c == nil || c.l.Lang == m.lang || c.l == m.tutor.file {
		return
	}
	ls, err := lessons.Builtin(m.lang)
	if err != nil {
		return
	}
	for _, l := range ls {
		if l.ID == c.l.ID && len(l.Steps) == len(c.l.Steps) {
			c.l = l
		}
	}
}
