package ui

import (
	"strings"

	"finwait/model"
)

// Presenter mode is the main screen for a projector: the two states in
// big letters side by side, the link under them across the whole width
// with the segments in flight drawn big, and the lesson text (or the
// latest explanation) below. No title, no hints; the bottom line says only
// the play state, the virtual time, the lesson step and the latest
// message. Every key works as on the ordinary screen; the forms and lists
// keep their ordinary layout (they need their hints) in the high-contrast
// palette.

// palette is the styles for the current mode and background.
func (m *Model) palette() styles {
	if m.present {
		return newPresentStyles(m.dark)
	}
	return newStyles(m.dark)
}

// setPresent switches presenter mode; the caches hold rows drawn in the
// other palette.
func (m *Model) setPresent(on bool) {
	m.present = on
	m.st = m.palette()
	m.ladder.cache.rows = nil
	m.lesson.cache = paneCache{}
}

func (m *Model) togglePresent() {
	m.setPresent(!m.present)
	if m.present {
		m.say("ui.msg.present_on", false, "key", m.keys.Present.Help().Key)
	} else {
		m.say("ui.msg.present_off", false)
	}
}

// presentFont is how the state names are drawn in a box of inner width
// w: the pixel font at scale 2 or 1, or 0 for spaced bold letters. It
// depends only on the size (the widest state name must fit), so the
// screen does not change its look as the states change.
func presentFont(w, h int) int {
	widest := func(scale int) int {
		n := 0
		for s := range shortState {
			bw, _ := bigWidth(s.String(), scale)
			n = max(n, bw)
		}
		return n
	}
	switch {
	case h >= 40 && widest(2) <= w:
		return 2
	case widest(1) <= w:
		return 1
	}
	return 0
}

// presentGeom is the split of the screen's rows in presenter mode.
type presentGeom struct {
	font     int // state font scale, 0: spaced letters
	inner    int // rows inside a state box
	timers   int // timer rows under each box
	bigSeg   bool
	slots    int // segments the link shows
	topH     int // label, box and timers
	wireH    int
	textH    int
	boxInner int // cells inside a state box
}

func (cx *ctx) presentGeom(h int) presentGeom {
	half := cx.w / 2
	g := presentGeom{boxInner: half - 6}
	g.font = presentFont(g.boxInner, h)
	g.inner = max(3, bigRows(g.font))
	if g.font > 0 {
		g.inner = bigRows(g.font)
		if h >= 36 {
			g.inner += 2
		}
	}
	g.timers = 1
	if h >= 40 {
		g.timers = 2
	}
	g.topH = 1 + g.inner + 2 + g.timers
	g.bigSeg = h >= 34
	per := 2
	if g.bigSeg {
		per = 5
	}
	g.slots = 2
	if h >= 70 {
		g.slots = 3
	}
	for g.slots > 1 && h-g.topH-1-g.slots*per < 6 {
		g.slots--
	}
	g.wireH = 1 + g.slots*per
	g.textH = max(0, h-g.topH-g.wireH)
	return g
}

// presentRender is the whole presenter screen: exactly m.h lines of m.w.
func (m *Model) presentRender() string {
	h := m.h - 1
	g := m.presentGeom(h)
	var body []string
	if m.sc().Load.Count > 0 {
		body = m.portView(g.topH + g.wireH)
	} else {
		body = append(m.presentStates(g), m.presentWire(g)...)
	}
	body = append(body, m.presentText(g.textH)...)
	lines := block(body, m.w, h)
	lines = append(lines, m.presentStatus())
	return strings.Join(lines, "\n")
}

// presentStates is the two sides next to each other: the side's name, its
// state in a box, and its timers.
func (cx *ctx) presentStates(g presentGeom) []string {
	lw := cx.w / 2
	c := cx.presentSide(model.Client, lw, g)
	s := cx.presentSide(model.Server, cx.w-lw, g)
	out := make([]string, g.topH)
	for i := range out {
		out[i] = c[i] + s[i]
	}
	return out
}

func (cx *ctx) presentSide(side model.Side, w int, g presentGeom) []string {
	st := &cx.st
	ep, _ := cx.sim().Endpoint(side)
	down := cx.sim().HostDown(side)
	head := strings.ToUpper(cx.cat.Side(side))
	if side == cx.side {
		head = st.selected.Render("▶ " + spaced(head))
	} else {
		head = st.bold.Render("  " + spaced(head))
	}
	out := []string{" " + head}

	sty := st.forState(ep.State, down).Bold(true)
	name := ep.State.String()
	if down {
		name = "⊘ " + cx.cat.T("ui.col.down")
	}
	bw := w - 2 // the box, a margin each side
	in := bw - 2
	text := make([]string, g.inner)
	if _, ok := bigWidth(name, g.font); ok && g.font > 0 {
		big := bigText(name, g.font)
		top := (g.inner - len(big)) / 2
		for i, l := range big {
			text[top+i] = l
		}
	} else {
		text[g.inner/2] = spaced(name)
	}
	bar := sty.Render("┃")
	out = append(out, " "+sty.Render("┏"+strings.Repeat("━", in)+"┓")+" ")
	for _, l := range text {
		out = append(out, " "+bar+sty.Render(center(l, in))+bar+" ")
	}
	out = append(out, " "+sty.Render("┗"+strings.Repeat("━", in)+"┛")+" ")
	tl := cx.timerLines(side, bw)
	for i := range g.timers {
		l := ""
		if i < len(tl) {
			l = tl[i]
		}
		out = append(out, " "+fit(l, bw)+" ")
	}
	return block(out, w, g.topH)
}

// presentText is the open lesson's step, or without a lesson the latest
// explanation and the ladder, in h rows.
func (m *Model) presentText(h int) []string {
	if h <= 0 {
		return nil
	}
	if m.lessonShown() {
		return m.presentLesson(h)
	}
	// The explanation in a column narrow enough to read across a room.
	w, cw := m.w, min(m.w, 120)
	m.w = cw
	ex := m.explainView(min(4, h))
	m.w = w
	pad := strings.Repeat(" ", (w-cw)/2)
	var out []string
	for _, l := range ex {
		if strings.TrimSpace(l) != "" {
			out = append(out, pad+l)
		}
	}
	out = block(out, m.w, min(h, max(2, len(out)+1)))
	if rest := h - len(out); rest >= 6 {
		out = append(out, m.ladder.View(&m.ctx, rest)...)
	}
	return block(out, m.w, h)
}

// presentLesson is the lesson's step in h rows: the step's title in
// spaced bold, then the text in a column narrow enough to read, double
// spaced when there is room, with a thick bar on its left.
func (m *Model) presentLesson(h int) []string {
	st := &m.st
	s := m.run.Step()
	cw := min(m.w-6, 100)
	left := strings.Repeat(" ", max(1, (m.w-cw-3)/2))
	var out []string
	bar := st.marker.Render("┃ ")
	up := strings.ToUpper(s.Title)
	if bw, ok := bigWidth(up, 1); ok && bw <= cw && h >= 24 && presentFont(m.w/2-6, m.h) > 0 {
		for _, l := range bigText(up, 1) {
			out = append(out, left+bar+st.title.Render(l))
		}
	} else {
		title := s.Title
		if width(spaced(title)) <= cw {
			title = spaced(title)
		}
		out = append(out, left+bar+st.title.Render(fit(title, min(width(title), cw))))
	}
	rows := h - len(out)
	body := m.lesson.body(&m.ctx, cw)
	body = body[max(0, min(m.lesson.scroll, len(body)-1)):]
	if 2*len(body) <= rows {
		// Double spaced: a line, a blank; a paragraph break, one more.
		var sp []string
		for i, l := range body {
			sp = append(sp, l)
			if l != "" && i+1 < len(body) {
				sp = append(sp, "")
			}
		}
		body = append([]string{""}, sp...)
	} else {
		out = append(out, "")
		rows--
	}
	more := ""
	if len(body) > rows {
		more = m.cat.T("ui.lesson.more", "n", len(body)-(rows-1))
		body = body[:max(0, rows-1)]
	}
	for _, l := range body {
		out = append(out, left+st.marker.Render("┃ ")+l)
	}
	if more != "" {
		out = append(out, left+"  "+st.key.Render(more))
	}
	return block(out, m.w, h)
}

// presentStatus is the bottom line: play state, virtual time, the lesson
// step, and the latest message (or the prompt of X).
func (m *Model) presentStatus() string {
	st := &m.st
	play := "‖"
	switch {
	case m.clock.skip != nil:
		play = "⏩"
	case m.clock.playing:
		play = "▶"
	}
	parts := []string{play + " t = " + secs(m.sim().Now()) + " s"}
	if l := m.run.Lesson(); l != nil {
		parts = append(parts, m.cat.T("ui.lesson.step", "i", m.run.StepIndex()+1, "n", len(l.Steps)))
	}
	s := " " + strings.Join(parts, "  ·  ") + " "
	msg := ""
	sty := st.ok
	switch {
	case isArm(m.top()):
		msg = m.cat.T("ui.arm.prompt") + " " + m.keys.Client.Help().Key + " " + m.keys.Client.Help().Desc +
			" · " + m.keys.Server.Help().Key + " " + m.keys.Server.Help().Desc
		sty = st.warn
	case m.msg != "" && m.msgErr:
		msg, sty = "✗ "+m.msg, st.err
	case m.msg != "":
		msg = "✓ " + m.msg
	}
	if msg == "" {
		return st.status.Render(fit(s, m.w))
	}
	msg = " " + msg
	sw := min(width(s), max(m.w/3, m.w-width(msg)))
	return st.status.Render(fit(s, sw)) + sty.Render(fit(msg, m.w-sw))
}
