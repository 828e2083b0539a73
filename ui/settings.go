package ui

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// settingsForm edits every engine parameter. Accepted values wait in
// pending until the user restarts with them or continues with them.
type settingsForm struct {
	p       model.Params // the settings in force plus the pending ones
	rows    []model.ParamInfo
	pending map[string]string
	order   []string // pending names in the order they were accepted
	cur     int
	editing bool
	buf     string
	errs    map[string]string
}

func (m *Model) openSettings() {
	p := m.sim.Params()
	m.settings = settingsForm{p: p, rows: p.Describe(), pending: map[string]string{}, errs: map[string]string{}}
	m.mode = modeSettings
}

func (m *Model) settingsHints() []keyBinding {
	k := &m.keys
	if m.settings.editing {
		return []keyBinding{k.Enter, k.Erase, k.Cancel}
	}
	return []keyBinding{k.Up, k.Down, k.Enter, k.Restart, k.Continue, k.Cancel}
}

func (m *Model) settingsKey(msg tea.KeyPressMsg) tea.Cmd {
	f := &m.settings
	k := &m.keys
	row := &f.rows[f.cur]
	if f.editing {
		switch {
		case key.Matches(msg, k.Enter):
			m.acceptSetting(row.Name)
		case key.Matches(msg, k.Cancel):
			f.editing = false
		case key.Matches(msg, k.Erase):
			if r := []rune(f.buf); len(r) > 0 {
				f.buf = string(r[:len(r)-1])
			}
		case msg.Text != "" && msg.Mod == 0 || msg.Text != "" && msg.Mod == tea.ModShift:
			f.buf += msg.Text
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode = modeMain
	case key.Matches(msg, k.Up):
		f.cur = (f.cur + len(f.rows) - 1) % len(f.rows)
	case key.Matches(msg, k.Down):
		f.cur = (f.cur + 1) % len(f.rows)
	case key.Matches(msg, k.Enter):
		f.editing, f.buf = true, row.Value
	case key.Matches(msg, k.Restart):
		sets := append([]string(nil), m.sets...)
		for _, n := range f.order {
			sets = append(sets, n+"="+f.pending[n])
		}
		if err := m.restart(m.sc, sets); err != nil {
			m.msg, m.msgErr = m.errText(err), true
			return nil
		}
		m.mode = modeMain
		m.say("ui.msg.restarted", false)
	case key.Matches(msg, k.Continue):
		for _, n := range f.order {
			if !m.act(model.Action{Kind: model.ActSet, Name: n, Value: f.pending[n]}) {
				return nil
			}
		}
		m.mode = modeMain
		m.say("ui.msg.continued", false, "n", len(f.order))
	case msg.Text != "" && (msg.Mod == 0 || msg.Mod == tea.ModShift):
		f.editing, f.buf = true, msg.Text
	}
	return nil
}

// acceptSetting checks the edited value with the engine; a refusal stays
// on the row with its reason.
func (m *Model) acceptSetting(name string) {
	f := &m.settings
	p := f.p
	if err := p.Set(name, f.buf); err != nil {
		var pe *model.ParamError
		if errors.As(err, &pe) {
			f.errs[name] = m.paramErrText(pe)
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

// settingsView lists the parameters: name, value, allowed range, and under
// a row its refusal or why Linux cannot do that value.
func (m *Model) settingsView(h int) []string {
	st := &m.st
	f := &m.settings
	out := []string{" " + st.bold.Render(m.cat.T("ui.settings.title"))}
	for _, l := range wrap(m.cat.T("ui.settings.help"), m.w-2, 2) {
		out = append(out, " "+st.dim.Render(l))
	}
	out = append(out, "")
	nw, vw := 18, 16
	aw := m.w - nw - vw - 6
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
		line := fit(mark+" "+r.Name, nw) + " " + fit(val, vw) + " " + st.dim.Render(fit(lessons.AllowedText(m.cat, r.Allowed), aw))
		if i == f.cur {
			curLine = len(lines)
			line = st.selected.Render(fit("▶"+line[len(" "):], m.w-2))
		}
		lines = append(lines, " "+line)
		if e, ok := f.errs[r.Name]; ok {
			lines = append(lines, "   "+st.err.Render("✗ "+e))
		}
		if r.LinuxNote != "" {
			lines = append(lines, "   "+st.warn.Render("⚠ "+m.cat.T(r.LinuxNote)))
		}
	}
	room := h - len(out) - 1
	top := max(0, min(curLine-room/2, len(lines)-room))
	end := min(len(lines), top+room)
	out = append(out, lines[top:end]...)
	return block(out, m.w, h)
}
