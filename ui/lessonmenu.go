package ui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
)

// lessonMenu picks a lesson: the built-in ones, then a lesson from a file.
type lessonMenu struct {
	items []*lessons.Lesson
	cur   int
}

func (m *Model) openMenu() {
	ls, err := lessons.Builtin(m.lang)
	if err != nil {
		m.msg, m.msgErr = lessons.ErrorText(m.cat, err), true
		return
	}
	if f := m.tutor.file; f != nil {
		ls = append(ls, f)
	}
	mn := lessonMenu{items: ls}
	if c := m.tutor.cur; c != nil {
		for i, l := range ls {
			if l == c.l || l.ID == c.l.ID && l != m.tutor.file && c.l != m.tutor.file {
				mn.cur = i
			}
		}
	}
	m.tutor.menu = mn
	m.mode = modeLessons
}

func (m *Model) lessonMenuKey(msg tea.KeyPressMsg) tea.Cmd {
	mn := &m.tutor.menu
	k := &m.keys
	n := len(mn.items)
	switch {
	case key.Matches(msg, k.Cancel), key.Matches(msg, k.Lessons):
		m.mode = modeMain
	case key.Matches(msg, k.Up):
		mn.cur = (mn.cur + n - 1) % n
	case key.Matches(msg, k.Down):
		mn.cur = (mn.cur + 1) % n
	case key.Matches(msg, k.Enter):
		m.mode = modeMain
		m.msg = ""
		return m.openLesson(mn.items[mn.cur], 0)
	}
	return nil
}

// lessonMenuView lists the lessons with the steps reached and the score.
func (m *Model) lessonMenuView(h int) []string {
	st := &m.st
	mn := &m.tutor.menu
	prog := m.progress()
	out := []string{" " + st.bold.Render(m.cat.T("ui.menu.title")), ""}
	type row struct{ num, title, prog string }
	rows := make([]row, len(mn.items))
	pw := 0
	for i, l := range mn.items {
		num := strconv.Itoa(l.Number())
		if l == m.tutor.file || l.Number() == 0 {
			num = "·"
		}
		right, qs := prog.Score(l)
		p := m.cat.T("ui.menu.progress", "done", prog.StepsDone(l), "steps", len(l.Steps), "right", right, "questions", qs)
		if qs == 0 {
			p = m.cat.T("ui.menu.progress_noq", "done", prog.StepsDone(l), "steps", len(l.Steps))
		}
		title := l.Title
		if l == m.tutor.file {
			title += " (" + m.cat.T("ui.menu.file") + ")"
		}
		rows[i] = row{num, title, p}
		pw = max(pw, width(p))
	}
	room := h - len(out) - 2
	top := max(0, min(mn.cur-room/2, len(rows)-room))
	tw := max(10, m.w-2-4-pw-4)
	for i := top; i < len(rows) && i < top+room; i++ {
		r := rows[i]
		line := fitRight(r.num, 2) + "  " + fit(r.title, tw) + "  " + fitRight(r.prog, pw)
		if i == mn.cur {
			line = st.selected.Render(fit("▶ "+line, m.w-2))
		} else {
			line = "  " + fitRight(r.num, 2) + "  " + fit(r.title, tw) + "  " + st.dim.Render(fitRight(r.prog, pw))
		}
		out = append(out, " "+fit(line, m.w-2))
	}
	out = block(out, m.w, h-1)
	return append(out, fit(" "+st.dim.Render(m.cat.T("ui.menu.help")), m.w))
}
