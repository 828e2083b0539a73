package ui

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
)

// The lesson keys of the main screen. The rules of a lesson's playback
// (the step's run, its checkpoint, the path, answers, progress) are the
// Player's; this file turns keys into its calls and says what happened.

// loadProgress reads the progress file; a file that cannot be used is
// reported in the status bar and progress starts fresh.
func readProgress(cx *ctx, path string) (*lessons.Progress, bool) {
	p, err := lessons.LoadProgress(path)
	var w *lessons.ProgressWarning
	warned := false
	switch {
	case errors.As(err, &w) && w.MovedTo != "":
		cx.say("ui.msg.progress_moved", true, "moved", w.MovedTo)
	case errors.As(err, &w):
		cx.say("ui.msg.progress_unsaved", true, "err", w.Err)
		warned = true
	case err != nil:
		cx.say("ui.msg.progress_unsaved", true, "err", err)
	}
	return p, warned
}

// openLesson opens a lesson at a step.
func (m *Model) openLesson(l *lessons.Lesson, step int) tea.Cmd {
	m.stop()
	if err := m.run.Open(l, step); err != nil {
		m.say("ui.msg.lesson_error", true, "err", lessons.ErrorText(m.cat, err))
		return nil
	}
	m.lesson.hidden = false
	cmd := m.stepEntered()
	if m.msg == "" {
		m.say("ui.msg.lesson_opened", false, "lesson", m.lessonTitle())
	}
	return cmd
}

// leaveLesson goes back to a bare scenario, without the step's settings.
func (m *Model) leaveLesson() {
	m.run.Leave()
	m.restoreSpeed()
}

// enterStep builds step i's run and, unless a question comes first, plays
// the step.
func (m *Model) enterStep(i int) tea.Cmd {
	m.stop()
	if err := m.run.EnterStep(i); err != nil {
		m.say("ui.msg.lesson_error", true, "err", lessons.ErrorText(m.cat, err))
		return nil
	}
	return m.stepEntered()
}

// stepEntered shows a step's new run from its start and plays it unless
// its question waits.
func (m *Model) stepEntered() tea.Cmd {
	m.runChanged()
	m.lesson.scroll = 0
	if m.run.Asking() {
		return nil
	}
	return m.playStep()
}

// noteArrival records a step reached at its checkpoint, and saves.
func (m *Model) noteArrival() {
	if m.run.NoteArrival() {
		m.saveProgress()
	}
}

// lessonKey handles the lesson keys; ok is false for a key it leaves to
// the rest of the main screen.
func (m *Model) lessonKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := &m.keys
	if key.Matches(msg, k.Lessons) {
		m.stop()
		if p := newMenuPane(m.lang, m.run.Lesson(), m.file, &m.ctx); p != nil {
			m.push(p)
		}
		return nil, true
	}
	l := m.run.Lesson()
	if l == nil {
		return nil, false
	}
	step := m.run.StepIndex()
	switch {
	case key.Matches(msg, k.NextStep):
		return m.nextStep(), true
	case key.Matches(msg, k.PrevStep):
		if step == 0 {
			m.say("ui.msg.first_step", false)
			return nil, true
		}
		return m.enterStep(step - 1), true
	case key.Matches(msg, k.Path):
		m.stop()
		if err := m.run.BackToPath(); err != nil {
			m.say("ui.msg.lesson_error", true, "err", lessons.ErrorText(m.cat, err))
			return nil, true
		}
		m.runChanged()
		var cmd tea.Cmd
		if !m.run.Asking() {
			cmd = m.playStep()
		}
		if m.msg == "" || !m.msgErr {
			m.say("ui.msg.path", false)
		}
		return cmd, true
	case key.Matches(msg, k.Answer):
		if !m.run.Asking() {
			return nil, true
		}
		return m.answer(msg), true
	case m.run.Asking() && key.Matches(msg, k.Play, k.Forward, k.Skip):
		m.say("ui.msg.answer_first", true, "n", len(m.run.Step().Question.Choices))
		return nil, true
	}
	return nil, false
}

// nextStep goes to the next step, or from a built-in lesson's last step to
// the next lesson.
func (m *Model) nextStep() tea.Cmd {
	l, step := m.run.Lesson(), m.run.StepIndex()
	if step+1 < len(l.Steps) {
		return m.enterStep(step + 1)
	}
	if l != m.file {
		if next := lessons.Next(l); next != nil {
			cmd := m.openLesson(next, 0)
			if m.msg == "" || !m.msgErr {
				m.say("ui.msg.next_lesson", false, "n", l.Number(), "next", next.Number())
			}
			return cmd
		}
	}
	m.say("ui.msg.lesson_end", false)
	return nil
}

// answer takes a choice key: the first answer counts for the score; then
// the step plays.
func (m *Model) answer(msg tea.KeyPressMsg) tea.Cmd {
	choice := m.keys.choice(msg)
	if _, err := m.run.Choose(choice); err != nil {
		var ce *lessons.ChoiceError
		if errors.As(err, &ce) && ce.Choices > 0 {
			m.say("ui.msg.no_choice", true, "k", msg.String(), "n", ce.Choices)
		}
		return nil
	}
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
	l := m.run.Lesson()
	if l == nil || l.Lang == m.lang || l == m.file {
		return
	}
	ls, err := lessons.Builtin(m.lang)
	if err != nil {
		return
	}
	for _, o := range ls {
		if o.ID == l.ID {
			m.run.Translate(o)
		}
	}
}
