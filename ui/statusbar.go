package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
)

// statusLine: play state, virtual time, speed, scenario, profile, the side
// application keys act on, and the latest message.
func (m *Model) statusLine() string {
	st := &m.st
	play := "‖ " + m.cat.T("ui.status.paused")
	switch {
	case m.clock.skip != nil:
		play = "⏩ " + m.cat.T("ui.status.skipping")
	case m.clock.playing:
		play = "▶ " + m.cat.T("ui.status.playing")
	}
	p := m.sim().Params()
	parts := []string{
		play,
		"t=" + secs(m.sim().Now()) + " s",
		"×" + strconv.FormatFloat(speeds[m.clock.speed], 'g', -1, 64),
		m.cat.T("ui.status.step", "n", m.sim().Pos()),
		m.cat.T("ui.status.side", "side", m.cat.Side(m.side)),
		m.sc().Name,
		p.Profile,
	}
	if b := m.classBadge(); b != "" {
		parts = append([]string{b}, parts...)
	}
	s := " " + strings.Join(parts, " │ ") + " "
	if m.msg == "" {
		return st.status.Render(fit(s, m.w))
	}
	mark, sty := "✓ ", st.ok
	if m.msgErr {
		mark, sty = "✗ ", st.err
	}
	msg := " " + mark + m.msg
	sw := min(lipglossWidth(s), max(m.w/3, m.w-lipglossWidth(msg)))
	return st.status.Render(fit(s, sw)) + sty.Render(fit(msg, m.w-sw))
}

// hintLine is the short help, from the same bindings as the help view:
// the top pane's, or the main screen's.
func (m *Model) hintLine() string {
	var bs []key.Binding
	top := m.top()
	switch {
	case top != nil:
		bs = top.Hints(&m.ctx)
	case m.seat != nil && !m.seat.instructor:
		bs = m.followHints()
	case m.run.Lesson() != nil:
		bs = m.lessonHints()
	default:
		bs = m.offered().shortHelp()
	}
	bs = enabled(bs)
	prompt := ""
	if isArm(top) {
		prompt = m.cat.T("ui.arm.prompt")
	}
	var kb strings.Builder
	fmt.Fprintf(&kb, "%d %v %v %s", m.w, m.dark, m.present, prompt)
	for _, k := range bs {
		kb.WriteString("\x00" + k.Help().Key + "\x01" + k.Help().Desc)
	}
	key := kb.String()
	if key == m.hints.key {
		return m.hints.line
	}
	m.hints.key, m.hints.line = key, m.drawHints(bs, prompt)
	return m.hints.line
}

// hintCache is the last hint line drawn and what it was drawn from.
type hintCache struct{ key, line string }

// drawHints lays out the hints that fit, the last two always.
func (m *Model) drawHints(bs []key.Binding, prompt string) string {
	st := &m.st
	var b strings.Builder
	w := 0
	// The last two hints (help and quit in the main view) always show.
	keep := min(2, len(bs))
	tailW := 0
	for _, k := range bs[len(bs)-keep:] {
		tailW += lipglossWidth(k.Help().Key+" "+k.Help().Desc) + 3
	}
	for i, k := range bs {
		h := k.Help()
		item := h.Key + " " + h.Desc
		iw := lipglossWidth(item) + 3
		if i < len(bs)-keep && w+iw+tailW > m.w-1 {
			continue
		}
		if w > 0 {
			b.WriteString(st.dim.Render(" · "))
		} else {
			b.WriteString(" ")
		}
		b.WriteString(st.key.Render(h.Key) + " " + st.dim.Render(h.Desc))
		w += iw
	}
	if prompt != "" {
		return fit(" "+st.warn.Render(prompt)+b.String(), m.w)
	}
	return fit(b.String(), m.w)
}
