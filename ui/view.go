package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// View draws the whole screen.
func (m *Model) View() tea.View {
	if m.narr != nil {
		return m.narrateView()
	}
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "finwait · " + m.sc().Name
	return v
}

// render is the screen as text, one line per terminal row, each exactly
// m.w cells wide: the title, the top pane (or the main screen), the status
// bar and the hint line.
func (m *Model) render() string {
	if m.w < minWidth || m.h < minHeight {
		return m.tooSmall()
	}
	var body []string
	if top := m.top(); top != nil {
		body = top.View(&m.ctx, m.h-3)
	}
	if body == nil && m.present {
		return m.presentRender()
	}
	if body == nil {
		body = m.mainView(m.h - 3)
	}
	lines := make([]string, 0, m.h)
	lines = append(lines, m.titleLine())
	lines = append(lines, body...)
	lines = append(lines, m.statusLine(), m.hintLine())
	return strings.Join(lines, "\n")
}

// layout splits the body's h rows between the columns (or port view), the
// ladder and the explanation. The split depends only on the size, so the
// screen does not jump while timers come and go.
func layout(h int) (topH, ladH, explainH int) {
	explainH = 3
	if h >= 40 {
		explainH = 4
	}
	topH = max(11, min(18, h*35/100))
	return topH, h - topH - explainH, explainH
}

// mainView is the visualization, with the lesson pane when a lesson is
// open, in h rows.
func (m *Model) mainView(h int) []string {
	if m.lessonShown() {
		return m.lessonView(h)
	}
	return m.vizView(h)
}

// vizView is the columns (or the port view), the ladder and the
// explanation, in h rows.
func (m *Model) vizView(h int) []string {
	topH, ladH, explainH := layout(h)
	var top []string
	if m.sc().Load.Count > 0 {
		top = m.portView(topH)
	} else {
		top = m.columnsView(topH)
	}
	out := make([]string, 0, h)
	out = append(out, top...)
	out = append(out, m.ladder.View(&m.ctx, ladH)...)
	out = append(out, m.explainView(explainH)...)
	return out
}

func (cx *ctx) ladderRows() int {
	_, ladH, _ := layout(cx.h - 3)
	return max(1, ladH-1)
}

func (m *Model) titleLine() string {
	if t := m.lessonTitleLine(); t != "" {
		return t
	}
	name := m.st.title.Render("finwait · " + m.sc().Name)
	desc := m.sc().Describe(m.lang)
	return fit(name+"  "+m.st.dim.Render(desc), m.w)
}

func (m *Model) tooSmall() string {
	msg := m.cat.T("ui.too_small", "w", minWidth, "h", minHeight, "cw", m.w, "ch", m.h)
	w := max(1, m.w)
	lines := strings.Split(ansi.Wrap(msg, w, ""), "\n")
	top := max(0, (m.h-len(lines))/2)
	var b strings.Builder
	for range top {
		b.WriteByte('\n')
	}
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat(" ", max(0, (w-lipgloss.Width(l))/2)) + l)
	}
	return b.String()
}

// fit truncates s to w cells (with an ellipsis) and pads it to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = lipgloss.Width(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// width is the display width of s, with a fast path for plain ASCII.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 {
			return lipgloss.Width(s)
		}
	}
	return len(s)
}

// fitRight right-aligns s in w cells.
func fitRight(s string, w int) string {
	sw := width(s)
	if sw > w {
		return fit(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}

// center centres s in w cells.
func center(s string, w int) string {
	sw := width(s)
	if sw >= w {
		return fit(s, w)
	}
	l := (w - sw) / 2
	return strings.Repeat(" ", l) + s + strings.Repeat(" ", w-sw-l)
}

// block pads or cuts lines to exactly h lines of width w.
func block(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

// wrap wraps s to w cells and returns at most n lines, the last one
// ending in an ellipsis when text was cut.
func wrap(s string, w, n int) []string {
	lines := strings.Split(ansi.Wrap(s, w, ""), "\n")
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = ansi.Truncate(lines[n-1], w-1, "") + "…"
	}
	return lines
}

// secs prints a virtual time in seconds, as the ladder and status bar do.
func secs(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// left formats a time left on a countdown compactly: 35ms, 1.2s, 59s, 2h0m.
func left(d time.Duration) string {
	switch {
	case d < 0:
		d = 0
		fallthrough
	case d < time.Second:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < 10*time.Minute:
		return fmt.Sprintf("%ds", d/time.Second)
	case d < 10*time.Hour:
		return fmt.Sprintf("%dh%02dm", d/time.Hour, d%time.Hour/time.Minute)
	}
	return fmt.Sprintf("%dh", d/time.Hour)
}
