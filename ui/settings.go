package ui

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// settingsPane edits every engine parameter. Accepted values wait in
// pending until the user restarts with them or continues with them.
type settingsPane struct {
	p       model.Params // the settings in force plus the pending ones
	rows    []model.ParamInfo
	pending map[string]string
	order   []string // pending names in the order they were accepted
	cur     int
	editing bool
	buf     string
	errs    map[string]string
}

func newSettingsPane(p model.Params) *settingsPane {
	return &settingsPane{p: p, rows: p.Describe(), pending: map[string]string{}, errs: map[string]string{}}
}

func (f *settingsPane) Hints(cx *ctx) []key.Binding {
	k := &cx.keys
	if f.editing {
		return []key.Binding{k.Enter, k.Erase, k.Cancel}
	}
	return []key.Binding{k.Up, k.Down, k.Enter, k.Restart, k.Continue, k.Cancel}
}

func (f *settingsPane) Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd) {
	k := &cx.keys
	row := &f.rows[f.cur]
	typed := msg.Text != "" && (msg.Mod == 0 || msg.Mod == tea.ModShift)
	if f.editing {
		switch {
		case key.Matches(msg, k.Enter):
			f.accept(cx, row.Name)
		case key.Matches(msg, k.Cancel):
			f.editing = false
		case key.Matches(msg, k.Erase):
			if r := []rune(f.buf); len(r) > 0 {
				f.buf = string(r[:len(r)-1])
			}
		case typed:
			f.buf += msg.Text
		}
		return f, nil
	}
	switch {
	case key.Matches(msg, k.Cancel):
		return nil, nil
	case key.Matches(msg, k.Up):
		f.cur = (f.cur + len(f.rows) - 1) % len(f.rows)
	case key.Matches(msg, k.Down):
		f.cur = (f.cur + 1) % len(f.rows)
	case key.Matches(msg, k.Enter):
		f.editing, f.buf = true, row.Value
	case key.Matches(msg, k.Restart):
		sets := append([]string(nil), cx.run.Sets()...)
		for _, n := range f.order {
			sets = append(sets, n+"="+f.pending[n])
		}
		cx.emit(restartRun{sc: cx.sc(), sets: sets})
	case key.Matches(msg, k.Continue):
		var acts []model.Action
		for _, n := range f.order {
			acts = append(acts, model.Action{Kind: model.ActSet, Name: n, Value: f.pending[n]})
		}
		cx.emit(continueWith{sets: acts})
	case typed:
		f.editing, f.buf = true, msg.Text
	}
	return f, nil
}

// accept checks the edited value with the engine; a refusal stays on the
// row with its reason.
func (f *settingsPane) accept(cx *ctx, name string) {
	p := f.p
	if err := p.Set(name, f.buf); err != nil {
		var pe *model.ParamError
		if errors.As(err, &pe) {
			f.errs[name] = cx.paramErrText(pe)
		} else {
			f.errs[name] = err.Error()
		}
		return
	}
	delete(f.errs, name)
	f.p = p
	if _, ok := f.pending[name]; !ok {
		f.order = append(f.order, name)
	}
	f.pending[name] = f.buf
	f.rows = p.Describe()
	f.editing = false
}

// View lists the parameters: name, value, allowed range, and under a row
// its refusal or why Linux cannot do that value.
func (f *settingsPane) View(cx *ctx, h int) []string {
	st := &cx.st
	out := []string{" " + st.bold.Render(cx.cat.T("ui.settings.title"))}
	for _, l := range wrap(cx.cat.T("ui.settings.help"), cx.w-2, 2) {
		out = append(out, " "+st.dim.Render(l))
	}
	out = append(out, "")
	nw, vw := 18, 16
	aw := cx.w - nw - vw - 6
	var lines []string
	curLine := 0
	for i, r := range f.rows {
		val := r.Value
		mark := " "
		if _, ok := f.pending[r.Name]; ok {
			mark = "•"
		}
		if i == f.cur && f.editing {
			val = f.buf + "▏"
		}
		line := fit(mark+" "+r.Name, nw) + " " + fit(val, vw) + " " + st.dim.Render(fit(lessons.AllowedText(cx.cat, r.Allowed), aw))
		if i == f.cur {
			curLine = len(lines)
			line = st.selected.Render(fit("▶"+line[len(" "):], cx.w-2))
		}
		lines = append(lines, " "+line)
		if e, ok := f.errs[r.Name]; ok {
			lines = append(lines, "   "+st.err.Render("✗ "+e))
		}
		if r.LinuxNote != "" {
			lines = append(lines, "   "+st.warn.Render("⚠ "+cx.cat.T(r.LinuxNote)))
		}
	}
	room := h - len(out) - 1
	top := max(0, min(curLine-room/2, len(lines)-room))
	end := min(len(lines), top+room)
	out = append(out, lines[top:end]...)
	return block(out, cx.w, h)
}
