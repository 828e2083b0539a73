package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// helpView lists every key binding by group, laid out in as many columns
// as fit.
func (m *Model) helpView(h int) []string {
	st := &m.st
	type col struct {
		lines []string
		w     int
	}
	var cols []col
	for _, g := range m.helpGroups() {
		c := col{lines: []string{st.bold.Render(m.cat.T(g.title))}}
		kw := 0
		for _, b := range g.keys {
			kw = max(kw, lipglossWidth(b.Help().Key))
		}
		for _, b := range g.keys {
			c.lines = append(c.lines, st.key.Render(fit(b.Help().Key, kw))+" "+b.Help().Desc)
		}
		for _, l := range c.lines {
			c.w = max(c.w, lipglossWidth(l))
		}
		cols = append(cols, c)
	}
	out := []string{" " + st.bold.Render(m.cat.T("ui.help.title")), ""}
	// Pack columns into bands that fit the width.
	for i := 0; i < len(cols); {
		j, w := i, 1
		for j < len(cols) && (j == i || w+cols[j].w+3 <= m.w) {
			w += cols[j].w + 3
			j++
		}
		rows := 0
		for _, c := range cols[i:j] {
			rows = max(rows, len(c.lines))
		}
		for r := range rows {
			var b strings.Builder
			b.WriteString(" ")
			for _, c := range cols[i:j] {
				l := ""
				if r < len(c.lines) {
					l = c.lines[r]
				}
				b.WriteString(fit(l, c.w) + "   ")
			}
			out = append(out, b.String())
		}
		out = append(out, "")
		i = j
	}
	out = append(out, " "+st.dim.Render(m.cat.T("ui.help.close")))
	if len(out) <= h {
		m.helpOff = 0
		return block(out, m.w, h)
	}
	// Too many keys for the screen: scroll, and say how.
	m.helpOff = max(0, min(m.helpOff, len(out)-(h-1)))
	out = block(out[m.helpOff:], m.w, h-1)
	return append(out, fit(" "+st.key.Render(m.cat.T("ui.help.more")), m.w))
}

// helpKey scrolls a help view taller than the screen; any other key
// closes it.
func (m *Model) helpKey(msg tea.KeyPressMsg) {
	k := &m.keys
	step := max(1, (m.h-4)/2)
	switch {
	case key.Matches(msg, k.Down, k.ScrollDown):
		m.helpOff += step
	case key.Matches(msg, k.Up, k.ScrollUp):
		m.helpOff = max(0, m.helpOff-step)
	default:
		m.mode, m.helpOff = modeMain, 0
	}
}
