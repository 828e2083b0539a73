package ui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
)

// The program's side effects (saving progress, writing exports, running
// the kernel comparison) run as commands; their results come back here.

// savedMsg is the result of saving the progress.
type savedMsg struct{ err error }

// saveProgress asks for the progress to be saved once this Update is done.
func (m *Model) saveProgress() { m.saves.dirty = true }

// saves is the state of progress saving: one save runs at a time, and
// changes made meanwhile are saved after it.
type saves struct {
	dirty, running bool
	warned         bool // a failed save was reported once; not again
}

// saveCmd saves a copy of the progress when it changed.
func (m *Model) saveCmd() tea.Cmd {
	s := &m.saves
	if !s.dirty || s.running {
		return nil
	}
	s.dirty, s.running = false, true
	p := m.run.Progress().Clone()
	return func() tea.Msg { return savedMsg{err: p.Save()} }
}

// quit saves what may not be saved yet (a save under way would be cut
// off), then ends the program.
func (m *Model) quit() tea.Cmd {
	if !m.saves.dirty && !m.saves.running {
		return tea.Quit
	}
	p := m.run.Progress().Clone()
	return tea.Sequence(func() tea.Msg { p.Save(); return nil }, tea.Quit)
}

// result takes what a command brought back.
func (m *Model) result(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case savedMsg:
		m.saves.running = false
		if msg.err != nil && !m.saves.warned {
			m.saves.warned = true
			err := msg.err
			var w *lessons.ProgressWarning
			if errors.As(err, &w) {
				err = w.Err
			}
			m.say("ui.msg.progress_unsaved", true, "err", err)
		}
		return m.saveCmd()
	case exportedMsg:
		if msg.err != nil {
			m.say("ui.msg.export_failed", true, "err", msg.err)
		} else {
			m.say("ui.msg.exported", false, "base", msg.base, "dir", msg.dir)
		}
	case kernelDoneMsg:
		for _, p := range m.stack {
			if kp, ok := p.(*kernelPane); ok {
				kp.done(msg)
			}
		}
	}
	return nil
}
