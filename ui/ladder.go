package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"finwait/model"
)

// ladderCache holds the indices of the trace events the ladder draws. The
// trace only grows, or is replaced by a shorter one on rewind.
type ladderCache struct {
	n    int
	idx  []int
	rows map[int]string // drawn rows by trace index, for one geometry
	key  ladderKey
}

// ladderKey is what a drawn row depends on besides its event.
type ladderKey struct {
	w    int
	dark bool
	cur  int // the step drawn as current
}

func (c *ladderCache) update(tr []model.Event, k ladderKey) []int {
	if len(tr) < c.n {
		c.n, c.idx = 0, c.idx[:0]
		c.rows = nil
	}
	if c.rows == nil || c.key != k {
		c.rows, c.key = map[int]string{}, k
	}
	for i := c.n; i < len(tr); i++ {
		if tr[i].Kind != model.EvTimerStop && tr[i].Rule != model.RuleS { // births at t=0: the columns show them
			c.idx = append(c.idx, i)
		}
	}
	c.n = len(tr)
	return c.idx
}

func lipglossWidth(s string) int { return width(s) }
func itoa(n int) string          { return strconv.Itoa(n) }

// ladderGeom is the widths of the ladder's columns.
type ladderGeom struct{ tw, lw, mw, nw int }

func (cx *ctx) ladderGeom() ladderGeom {
	g := ladderGeom{tw: 10}
	rest := cx.w - g.tw
	if cx.w >= 150 {
		g.lw, g.mw = 26, 46
		g.nw = rest - 2*g.lw - g.mw
		return g
	}
	g.lw = rest * 27 / 100
	g.mw = rest - 2*g.lw
	return g
}

// ladderPane is the sequence diagram of the run so far, scrolled back
// with pgup and pgdn.
type ladderPane struct {
	off   int // rows scrolled up from the latest; 0 follows
	cache ladderCache
}

// Update scrolls the ladder; it reports whether it took the key.
func (lp *ladderPane) Update(cx *ctx, msg tea.KeyPressMsg) bool {
	step := max(1, cx.ladderRows()/2)
	switch {
	case key.Matches(msg, cx.keys.ScrollUp):
		lp.off = min(lp.off+step, max(0, len(lp.cache.idx)-cx.ladderRows()))
	case key.Matches(msg, cx.keys.ScrollDown):
		lp.off = max(0, lp.off-step)
	default:
		return false
	}
	return true
}

// ladderView is the sequence diagram of the run so far in h rows: a
// header, then one row per event, the current step marked.
func (lp *ladderPane) View(cx *ctx, h int) []string {
	st := &cx.st
	g := cx.ladderGeom()
	tr := cx.sim().Trace()
	pos := cx.sim().Pos()
	idx := lp.cache.update(tr, ladderKey{w: cx.w, dark: cx.dark, cur: pos})
	rows := h - 1
	maxOff := max(0, len(idx)-rows)
	off := min(lp.off, maxOff)
	end := len(idx) - off
	begin := max(0, end-rows)
	head := fitRight(cx.cat.T("ui.ladder.time"), g.tw-1) + " " +
		center(strings.ToUpper(cx.cat.Side(model.Client)), g.lw) +
		center(cx.cat.T("ui.ladder.link"), g.mw) + center(strings.ToUpper(cx.cat.Side(model.Server)), g.lw)
	if g.nw > 0 {
		head += " " + cx.cat.T("ui.ladder.why")
	}
	if off > 0 {
		head = fit(head, cx.w-12) + fitRight("↑"+itoa(off), 12)
	}
	out := make([]string, 0, h)
	out = append(out, st.dim.Render(fit(head, cx.w)))
	for _, i := range idx[begin:end] {
		if row, ok := lp.cache.rows[i]; ok {
			out = append(out, row)
			continue
		}
		e := &tr[i]
		cur := e.Step == pos
		gut := " "
		if cur {
			gut = st.marker.Render("▶")
		}
		t := fitRight(secs(e.T), g.tw-2)
		l, mid, r := cx.ladderCells(e, g)
		row := gut + t + " " + l + mid + r
		if g.nw > 0 {
			row += " " + st.dim.Render(fit(cx.cat.Note(e), g.nw-1))
		}
		row = fit(row, cx.w)
		if cur {
			row = st.current.Render(row)
		}
		lp.cache.rows[i] = row
		out = append(out, row)
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", cx.w))
	}
	return out
}

// ladderCells draws one event: something happening in a side's lane, or a
// segment leaving, arriving or dying on the link.
func (cx *ctx) ladderCells(e *model.Event, g ladderGeom) (l, mid, r string) {
	st := &cx.st
	bar := st.lane.Render("│")
	l, r = strings.Repeat(" ", g.lw-1)+bar, bar+strings.Repeat(" ", g.lw-1)
	mid = strings.Repeat(" ", g.mw)
	lane := func(s string) {
		if e.Side == model.Client {
			l = fitRight(s+" ", g.lw-1) + bar
		} else {
			r = bar + fit(" "+s, g.lw-1)
		}
	}
	if e.HasSeg {
		s := &e.Seg
		sty := st.forSeg(s)
		lab := segLabel(s, g.mw-6)
		switch e.Kind {
		case model.EvSend:
			mid = sty.Render(arrow(lab, g.mw, s.From == model.Client, "─", true))
		case model.EvDeliver:
			txt := cx.cat.T("ui.ladder.arrives", "id", s.ID)
			mid = sty.Render(arrow(txt, g.mw, s.From == model.Client, "┄", false))
		case model.EvDrop:
			mid = st.segLost.Render(center("✗ "+cx.cat.T("ui.ladder.lost", "id", s.ID), g.mw))
		case model.EvExpire:
			mid = st.segLost.Render(center("⌛ "+cx.cat.T("ui.ladder.expired", "id", s.ID), g.mw))
		}
		return l, mid, r
	}
	switch e.Kind {
	case model.EvState:
		lane(st.forState(e.To, false).Bold(true).Render("→ " + e.To.String()))
	case model.EvTimerStart:
		lane("◷ " + cx.cat.T("ui.timer."+e.Timer.String()) + " " + model.FormatDuration(e.Dur))
	case model.EvTimerFire:
		lane("◉ " + cx.cat.T("ui.timer."+e.Timer.String()))
	case model.EvApp:
		if strings.HasPrefix(e.Note, "err.") {
			lane("✗ " + e.Detail)
		} else if e.N > 0 {
			lane(fmt.Sprintf("%s(%d)", e.Detail, e.N))
		} else {
			lane(e.Detail + "()")
		}
	case model.EvNotify:
		lane("⇒ " + e.Detail)
	}
	return l, mid, r
}

// arrow draws a horizontal arrow w cells wide with a label at its tail
// (a segment leaving) or at its head (a segment arriving).
func arrow(label string, w int, right bool, line string, atTail bool) string {
	lw := lipgloss.Width(label)
	if lw > w-6 {
		label = fit(label, w-6)
		lw = w - 6
	}
	fill := strings.Repeat(line, w-lw-4)
	switch {
	case right && atTail:
		return " " + label + " " + fill + "▶ "
	case right:
		return " " + fill + "▶ " + label + " "
	case atTail:
		return " ◀" + fill + " " + label + " "
	}
	return " " + label + " ◀" + fill + " "
}

// explainView is the latest step's most telling event, what happened and
// why, with the rule that fired.
func (cx *ctx) explainView(h int) []string {
	tr := cx.sim().Trace()
	from, to := cx.sim().StepOf(cx.sim().Pos())
	var best *model.Event
	for i := from; i < to; i++ {
		e := &tr[i]
		if e.Note == "" || e.Rule == model.RuleS {
			continue
		}
		if best == nil || rank(e) >= rank(best) {
			best = e
		}
	}
	for i := from - 1; best == nil && i >= 0 && i >= from-200; i-- {
		if tr[i].Note != "" {
			best = &tr[i]
		}
	}
	if best == nil {
		return block(wrap(cx.st.dim.Render(cx.cat.T("ui.explain.start")), cx.w-2, h), cx.w, h)
	}
	txt := cx.st.bold.Render(secs(best.T)+" s") + "  " + cx.cat.Note(best)
	if best.Rule != "" {
		ref := ""
		if t, ok := model.Rule(best.Rule); ok {
			ref = t.Ref
		}
		txt += " " + cx.st.key.Render(cx.cat.T("ui.explain.rule", "rule", best.Rule, "ref", ref))
	}
	lines := wrap(txt, cx.w-2, h)
	for i := range lines {
		lines[i] = " " + lines[i]
	}
	return block(lines, cx.w, h)
}

// rank orders events by how much they explain.
func rank(e *model.Event) int {
	switch e.Kind {
	case model.EvState:
		return 5
	case model.EvDrop, model.EvExpire:
		return 4
	case model.EvNotify:
		return 3
	case model.EvSend, model.EvDeliver, model.EvApp:
		return 2
	}
	return 1
}
