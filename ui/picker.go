package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// pickerPane chooses a built-in scenario.
type pickerPane struct {
	names []string
	descs map[string]*model.Scenario
	cur   int
}

func newPickerPane(current string) *pickerPane {
	pk := &pickerPane{names: lessons.ScenarioNames(), descs: map[string]*model.Scenario{}}
	for i, n := range pk.names {
		if sc, err := lessons.BuiltinScenario(n); err == nil {
			pk.descs[n] = sc
		}
		if n == current {
			pk.cur = i
		}
	}
	return pk
}

func (pk *pickerPane) Hints(cx *ctx) []key.Binding { return listHints(cx) }

// listHints are the keys of a list.
func listHints(cx *ctx) []key.Binding {
	return []key.Binding{cx.keys.Up, cx.keys.Down, cx.keys.Enter, cx.keys.Cancel}
}

func (pk *pickerPane) Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd) {
	k := &cx.keys
	switch {
	case key.Matches(msg, k.Cancel, k.Open):
		return nil, nil
	case key.Matches(msg, k.Up):
		pk.cur = (pk.cur + len(pk.names) - 1) % len(pk.names)
	case key.Matches(msg, k.Down):
		pk.cur = (pk.cur + 1) % len(pk.names)
	case key.Matches(msg, k.Enter):
		if sc := pk.descs[pk.names[pk.cur]]; sc != nil {
			cx.emit(openRun{sc: sc})
		}
	}
	return pk, nil
}

// View lists the scenarios with their descriptions; the selected one's
// description is shown in full.
func (pk *pickerPane) View(cx *ctx, h int) []string {
	st := &cx.st
	out := []string{" " + st.bold.Render(cx.cat.T("ui.picker.title")), ""}
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
			d = sc.Describe(cx.lang)
		}
		line := fit(n, nw) + "  " + st.dim.Render(d)
		if i == pk.cur {
			line = st.selected.Render(fit("▶ "+fit(n, nw)+"  "+d, cx.w-2))
		} else {
			line = "  " + line
		}
		out = append(out, " "+fit(line, cx.w-2))
	}
	out = block(out, cx.w, h-descLines)
	if sc := pk.descs[pk.names[pk.cur]]; sc != nil {
		for _, l := range wrap(sc.Describe(cx.lang), cx.w-4, descLines) {
			out = append(out, "  "+st.ok.Render(l))
		}
	}
	return block(out, cx.w, h)
}
