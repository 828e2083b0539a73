package ui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
)

// menuPane picks a lesson: the built-in ones, then a lesson from a file.
type menuPane struct {
	items []*lessons.Lesson
	file  *lessons.Lesson
	cur   int
}

// newMenuPane lists the lessons in lang with the open one selected. A
// lesson list that cannot be read is said in the status bar; the menu
// then does not open (it returns nil).
func newMenuPane(lang string, open, file *lessons.Lesson, cx *ctx) pane {
	ls, err := lessons.Builtin(lang)
	if err != nil {
		cx.msg, cx.msgErr = lessons.ErrorText(cx.cat, err), true
		return nil
	}
	if file != nil {
		ls = append(ls, file)
	}
	mn := &menuPane{items: ls, file: file}
	if open != nil {
		for i, l := range ls {
			if l == open || l.ID == open.ID && l != file && open != file {
				mn.cur = i
			}
		}
	}
	return mn
}

func (mn *menuPane) Hints(cx *ctx) []key.Binding { return listHints(cx) }

func (mn *menuPane) Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd) {
	k := &cx.keys
	n := len(mn.items)
	switch {
	case key.Matches(msg, k.Cancel, k.Lessons):
		return nil, nil
	case key.Matches(msg, k.Up):
		mn.cur = (mn.cur + n - 1) % n
	case key.Matches(msg, k.Down):
		mn.cur = (mn.cur + 1) % n
	case key.Matches(msg, k.Enter):
		cx.emit(openLesson{l: mn.items[mn.cur]})
	}
	return mn, nil
}

// View lists the lessons with the steps reached and the score.
func (mn *menuPane) View(cx *ctx, h int) []string {
	st := &cx.st
	prog := cx.run.Progress()
	out := []string{" " + st.bold.Render(cx.cat.T("ui.menu.title")), ""}
	type row struct{ num, title, prog string }
	rows := make([]row, len(mn.items))
	pw := 0
	for i, l := range mn.items {
		num := strconv.Itoa(l.Number())
		if l == mn.file || l.Number() == 0 {
			num = "·"
		}
		right, qs := prog.Score(l)
		p := cx.cat.T("ui.menu.progress", "done", prog.StepsDone(l), "steps", len(l.Steps), "right", right, "questions", qs)
		if qs == 0 {
			p = cx.cat.T("ui.menu.progress_noq", "done", prog.StepsDone(l), "steps", len(l.Steps))
		}
		title := l.Title
		if l == mn.file {
			title += " (" + cx.cat.T("ui.menu.file") + ")"
		}
		rows[i] = row{num, title, p}
		pw = max(pw, width(p))
	}
	room := h - len(out) - 2
	top := max(0, min(mn.cur-room/2, len(rows)-room))
	tw := max(10, cx.w-2-4-pw-4)
	for i := top; i < len(rows) && i < top+room; i++ {
		r := rows[i]
		line := fitRight(r.num, 2) + "  " + fit(r.title, tw) + "  " + fitRight(r.prog, pw)
		if i == mn.cur {
			line = st.selected.Render(fit("▶ "+line, cx.w-2))
		} else {
			line = "  " + fitRight(r.num, 2) + "  " + fit(r.title, tw) + "  " + st.dim.Render(fitRight(r.prog, pw))
		}
		out = append(out, " "+fit(line, cx.w-2))
	}
	out = block(out, cx.w, h-1)
	return append(out, fit(" "+st.dim.Render(cx.cat.T("ui.menu.help")), cx.w))
}
