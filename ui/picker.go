package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// picker chooses a built-in scenario.
type picker struct {
	names []string
	descs map[string]*model.Scenario
	cur   int
}

func (m *Model) openPicker() {
	pk := picker{names: lessons.ScenarioNames(), descs: map[string]*model.Scenario{}}
	for i, n := range pk.names {
		if sc, err := lessons.BuiltinScenario(n); err == nil {
			pk.descs[n] = sc
		}
		if n == m.sc.Name {
			pk.cur = i
		}
	}
	m.picker = pk
	m.mode = modePicker
}

func (m *Model) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	pk := &m.picker
	k := &m.keys
	switch {
	case key.Matches(msg, k.Cancel), key.Matches(msg, k.Open):
		m.mode = modeMain
	case key.Matches(msg, k.Up):
		pk.cur = (pk.cur + len(pk.names) - 1) % len(pk.names)
	case key.Matches(msg, k.Down):
		pk.cur = (pk.cur + 1) % len(pk.names)
	case key.Matches(msg, k.Enter):
		sc := pk.descs[pk.names[pk.cur]]
		if sc == nil {
			return nil
		}
		m.leaveLesson()
		err := m.restart(sc, m.sets)
		if err != nil {
			// The command line's settings may not suit this scenario.
			err = m.restart(sc, nil)
		}
		if err != nil {
			m.msg, m.msgErr = m.errText(err), true
			return nil
		}
		m.mode = modeMain
		m.say("ui.msg.opened", false, "name", sc.Name)
	}
	return nil
}

// pickerView lists the scenarios with their descriptions; the selected
// one's description is shown in full.
func (m *Model) pickerView(h int) []string {
	st := &m.st
	pk := &m.picker
	out := []string{" " + st.bold.Render(m.cat.T("ui.picker.title")), ""}
	nw := 0
	for _, n := range pk.names {
		nw = max(nw, len(n))
	}
	descLines := 3
	room := h - len(out) - descLines - 1
	top := max(0, min(pk.cur-room/2, len(pk.names)-room))
	for i := top; i < len(pk.names) && i < top+room; i++ {
		n := pk.names[i]
		d := ""
		if sc := pk.descs[n]; sc != nil {
			d = sc.Describe(m.lang)
		}
		line := fit(n, nw) + "  " + st.dim.Render(d)
		if i == pk.cur {
			line = st.selected.Render(fit("▶ "+fit(n, nw)+"  "+d, m.w-2))
		} else {
			line = "  " + line
		}
		out = append(out, " "+fit(line, m.w-2))
	}
	out = block(out, m.w, h-descLines)
	if sc := pk.descs[pk.names[pk.cur]]; sc != nil {
		for _, l := range wrap(sc.Describe(m.lang), m.w-4, descLines) {
			out = append(out, "  "+st.ok.Render(l))
		}
	}
	return block(out, m.w, h)
}
