package ui

import (
	"fmt"
	"strconv"
	"strings"
)

// statusLine: play state, virtual time, speed, scenario, profile, the side
// application keys act on, and the latest message.
func (m *Model) statusLine() string {
	st := &m.st
	play := "‖ " + m.cat.T("ui.status.paused")
	switch {
	case m.skip != nil:
		play = "⏩ " + m.cat.T("ui.status.skipping")
	case m.playing:
		play = "▶ " + m.cat.T("ui.status.playing")
	}
	p := m.sim.Params()
	parts := []string{
		play,
		"t=" + secs(m.sim.Now()) + " s",
		"×" + strconv.FormatFloat(speeds[m.speed], 'g', -1, 64),
		m.cat.T("ui.status.step", "n", m.sim.Pos()),
		m.cat.T("ui.status.side", "side", m.cat.Side(m.side)),
		m.sc.Name,
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

// hintLine is the short help, from the same bindings as the help view.
func (m *Model) hintLine() string {
	bs := m.keys.shortHelp()
	switch m.mode {
	case modeSettings:
		bs = m.settingsHints()
	case modePicker, modeLessons:
		bs = []keyBinding{m.keys.Up, m.keys.Down, m.keys.Enter, m.keys.Cancel}
	case modeMain:
		switch {
		case m.class != nil && !m.instructor:
			bs = m.followHints()
		case m.tutor.cur != nil:
			bs = m.lessonHints()
		}
	case modeKernel:
		bs = []keyBinding{m.keys.Up, m.keys.Down, m.keys.Cancel}
	case modeClass:
		bs = []keyBinding{m.keys.Cancel}
	case modeArm:
		bs = []keyBinding{m.keys.Client, m.keys.Server, m.keys.Cancel}
	case modeHelp:
		bs = []keyBinding{m.keys.Cancel}
	}
	var kb strings.Builder
	fmt.Fprintf(&kb, "%d %v %v %d", m.w, m.dark, m.present, m.mode)
	for _, k := range bs {
		kb.WriteString("\x00" + k.Help().Key + "\x01" + k.Help().Desc)
	}
	key := kb.String()
	if key == m.hints.key {
		return m.hints.line
	}
	m.hints.key, m.hints.line = key, m.drawHints(bs)
	return m.hints.line
}

// hintCache is the last hint line drawn and what it was drawn from.
type hintCache struct{ key, line string }

// drawHints lays out the hints that fit, the last two always.
func (m *Model) drawHints(bs []keyBinding) string {
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
	if m.mode == modeArm {
		return fit(" "+st.warn.Render(m.cat.T("ui.arm.prompt"))+b.String(), m.w)
	}
	return fit(b.String(), m.w)
}
