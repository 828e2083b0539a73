package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// helpPane lists every key binding by group, laid out in as many columns
// as fit, scrolled when taller than the screen.
type helpPane struct {
	groups []helpGroup
	off    int // rows scrolled
}

// Update scrolls a help view taller than the screen; any other key
// closes it.
func (p *helpPane) Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd) {
	k := &cx.keys
	step := max(1, (cx.h-4)/2)
	switch {
	case key.Matches(msg, k.Down, k.ScrollDown):
		p.off += step
	case key.Matches(msg, k.Up, k.ScrollUp):
		p.off -= step
	default:
		return nil, nil
	}
	// Clamp here, not in View: the lines depend on the width only.
	h := cx.h - 3
	if n := len(p.lines(cx)); n <= h {
		p.off = 0
	} else {
		p.off = max(0, min(p.off, n-(h-1)))
	}
	return p, nil
}

func (p *helpPane) Hints(cx *ctx) []key.Binding { return []key.Binding{cx.keys.Cancel} }

func (p *helpPane) View(cx *ctx, h int) []string {
	out := p.lines(cx)
	if len(out) <= h {
		return block(out, cx.w, h)
	}
	// Too many keys for the screen: scroll, and say how.
	off := max(0, min(p.off, len(out)-(h-1)))
	out = block(out[off:], cx.w, h-1)
	return append(out, fit(" "+cx.st.key.Render(cx.cat.T("ui.help.more")), cx.w))
}

// lines is the whole help, before it is cut to the screen.
func (p *helpPane) lines(cx *ctx) []string {
	st := &cx.st
	type col struct {
		lines []string
		w     int
	}
	var cols []col
	unavailable := false
	for _, g := range p.groups {
		c := col{lines: []string{st.bold.Render(cx.cat.T(g.title))}}
		label := func(b key.Binding) string {
			if !b.Enabled() {
				return "(" + b.Help().Key + ")"
			}
			return b.Help().Key
		}
		kw := 0
		for _, b := range g.keys {
			kw = max(kw, width(label(b)))
		}
		for _, b := range g.keys {
			if !b.Enabled() {
				// What the run's state does not allow now is listed, dimmed
				// and in parentheses, so that it can still be found.
				c.lines = append(c.lines, st.dim.Render(fit(label(b), kw)+" "+b.Help().Desc))
				unavailable = true
				continue
			}
			c.lines = append(c.lines, st.key.Render(fit(b.Help().Key, kw))+" "+b.Help().Desc)
		}
		for _, l := range c.lines {
			c.w = max(c.w, width(l))
		}
		cols = append(cols, c)
	}
	out := []string{" " + st.bold.Render(cx.cat.T("ui.help.title")), ""}
	// Pack columns into bands that fit the width.
	for i := 0; i < len(cols); {
		j, w := i, 1
		for j < len(cols) && (j == i || w+cols[j].w+3 <= cx.w) {
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
	if unavailable {
		out = append(out, " "+st.dim.Render(cx.cat.T("ui.help.not_now_legend")))
	}
	return append(out, " "+st.dim.Render(cx.cat.T("ui.help.close")))
}
