package ui

import (
	"sort"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// classPane is the instructor's list of students: who follows, and their
// score in the lesson they have open, the instructor's lesson first. It
// reads the roster whenever it is drawn (a tick redraws it every second).
type classPane struct{ class Class }

func (p classPane) Hints(cx *ctx) []key.Binding { return []key.Binding{cx.keys.Cancel} }

func (p classPane) Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd) {
	if key.Matches(msg, cx.keys.Cancel, cx.keys.ClassView, cx.keys.Quit) {
		return nil, nil
	}
	return p, nil
}

func (p classPane) View(cx *ctx, h int) []string {
	st := &cx.st
	roster := p.class.Roster()
	cur := ""
	if l := cx.run.Lesson(); l != nil {
		cur = l.ID
	}
	sort.SliceStable(roster, func(i, j int) bool { return roster[i].Lesson == cur && roster[j].Lesson != cur })
	out := []string{" " + st.bold.Render(cx.cat.T("ui.class.title", "n", len(roster))), ""}
	uw := width(cx.cat.T("ui.class.col.user"))
	for _, r := range roster {
		uw = max(uw, width(r.User))
	}
	uw = min(uw, cx.w/3)
	out = append(out, " "+st.dim.Render(fit(cx.cat.T("ui.class.col.user"), uw)+"  "+
		fit(cx.cat.T("ui.class.col.mode"), 12)+"  "+cx.cat.T("ui.class.col.lesson")))
	for _, r := range roster {
		mode := cx.cat.T("ui.class.following")
		if !r.Following {
			mode = cx.cat.T("ui.class.branched")
		}
		lesson := "—"
		if r.Lesson != "" {
			lesson = cx.cat.T("ui.class.score", "lesson", r.Lesson, "right", r.Right, "questions", r.Questions)
		}
		out = append(out, " "+fit(r.User, uw)+"  "+fit(mode, 12)+"  "+lesson)
	}
	if len(roster) == 0 {
		out = append(out, " "+cx.cat.T("ui.class.empty"))
	}
	out = block(out, cx.w, h-1)
	return append(out, " "+st.dim.Render(cx.cat.T("ui.class.keys")))
}
