package ui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
)

// widePane is the width from which the lesson pane sits to the right of
// the columns and the ladder. Below it the pane takes the place of the
// ladder and the explanation, under the columns.
const widePane = 120

// paneCache holds the pane's body lines for one state of the step; the
// Markdown is wrapped once per width, not on every frame.
type paneCache struct {
	key   paneKey
	lines []string
}

type paneKey struct {
	run     *lessonRun
	lang    string
	step    int
	w       int
	dark    bool
	asking  bool
	answer  int
	reached bool
}

// lessonShown reports whether the lesson pane is on screen.
func (m *Model) lessonShown() bool { return m.tutor.cur != nil && !m.tutor.hidden }

func (m *Model) wide() bool { return m.w >= widePane }

// paneWidth is the wide pane's width, its border included.
func (m *Model) paneWidth() int { return min(60, max(40, m.w/3)) }

// lessonView is the main view with the lesson pane, in h rows.
func (m *Model) lessonView(h int) []string {
	out := make([]string, 0, h)
	if m.wide() {
		pw := m.paneWidth()
		w := m.w
		m.w = w - pw - 1 // the visualization draws itself in what is left
		left := block(m.vizView(h), m.w, h)
		m.w = w
		pane := m.lessonPane(pw-1, h, true)
		bar := " " + m.st.frame.Render("│")
		for i := range h {
			out = append(out, left[i]+bar+pane[i])
		}
		return out
	}
	topH, _, _ := layout(h)
	if m.sc.Load.Count > 0 {
		out = append(out, m.portView(topH)...)
	} else {
		out = append(out, m.columnsView(topH)...)
	}
	return append(out, m.lessonPane(m.w, h-topH, false)...)
}

// paneRows is how many body rows the pane has now.
func (m *Model) paneRows() int {
	h := m.h - 3
	if m.wide() {
		return max(1, h-3-len(m.lessonTitleLines(m.paneWidth()-3)))
	}
	topH, _, _ := layout(h)
	return max(1, h-topH-2)
}

func (m *Model) paneScrollStep() int { return max(1, m.paneRows()/2) }

func (m *Model) lessonTitle() string {
	l := m.tutor.cur.l
	if n := l.Number(); n > 0 && l != m.tutor.file {
		return m.cat.T("ui.lesson.title", "n", n, "title", l.Title)
	}
	return m.cat.T("ui.lesson.title_file", "title", l.Title)
}

func (m *Model) lessonTitleLines(w int) []string {
	return wrapWords(m.lessonTitle(), w, 2)
}

// lessonTitleLine is the screen's first line while a narrow pane is open:
// the lesson's title instead of the scenario's description (the status bar
// still names the scenario).
func (m *Model) lessonTitleLine() string {
	if !m.lessonShown() || m.wide() {
		return ""
	}
	return fit(m.st.title.Render("finwait · "+m.lessonTitle()), m.w)
}

func (m *Model) scoreText() string {
	c := m.tutor.cur
	right, qs := m.progress().Score(c.l)
	if qs == 0 {
		return ""
	}
	return m.cat.T("ui.lesson.score", "right", right, "questions", qs)
}

// lessonPane draws the pane in exactly h rows of w cells: (wide: the
// lesson's title,) a rule with the step and the score, (wide: the step's
// title,) the scrolled body, and a footer saying where the step is.
func (m *Model) lessonPane(w, h int, wide bool) []string {
	st := &m.st
	c := m.tutor.cur
	s := &c.l.Steps[c.step]
	cw := w - 2
	var head []string
	stepLabel := m.cat.T("ui.lesson.step", "i", c.step+1, "n", len(c.l.Steps))
	score := m.scoreText()
	var rule string
	if wide {
		for _, l := range m.lessonTitleLines(cw) {
			head = append(head, " "+st.title.Render(l))
		}
		rule = m.rule(st.key.Render(stepLabel), score, w)
	} else {
		rule = m.rule(st.key.Render(stepLabel)+st.frame.Render(" · ")+st.bold.Render(s.Title), score, w)
	}
	head = append(head, rule)
	if wide {
		head = append(head, " "+st.bold.Render(fit(s.Title, cw)))
	}
	rows := max(1, h-len(head)-1)
	body := m.paneBody(cw)
	c.scroll = max(0, min(c.scroll, len(body)-rows))
	end := min(len(body), c.scroll+rows)
	out := head
	for _, l := range body[c.scroll:end] {
		out = append(out, " "+l)
	}
	out = block(out, w, h-1)
	foot := m.paneFooter()
	if more := len(body) - end; more > 0 {
		tag := m.cat.T("ui.lesson.more", "n", more)
		foot = fit(foot, w-width(tag)-2) + st.key.Render(tag) + " "
	}
	return append(out, fit(foot, w))
}

// rule is a horizontal line with a label on the left and one on the right.
func (m *Model) rule(left, right string, w int) string {
	st := &m.st
	l := st.frame.Render("─ ") + left + " "
	r := ""
	if right != "" {
		r = " " + st.dim.Render(right) + st.frame.Render(" ─")
	}
	fill := w - width(l) - width(r)
	if fill < 1 {
		l = fit(l, max(1, w-width(r)-1))
		fill = w - width(l) - width(r)
	}
	return l + st.frame.Render(strings.Repeat("─", max(0, fill))) + r
}

// paneFooter says what the step is doing and what to press.
func (m *Model) paneFooter() string {
	st := &m.st
	c := m.tutor.cur
	var s string
	switch {
	case c.asking:
		return " " + st.warn.Render(m.cat.T("ui.lesson.choose", "n", len(c.l.Steps[c.step].Question.Choices)))
	case !m.onPath():
		return " " + st.warn.Render(m.cat.T("ui.lesson.off_path"))
	case !m.atCheckpoint() && (m.playing || m.skip != nil):
		s = m.cat.T("ui.lesson.playing")
	case !m.atCheckpoint():
		s = m.cat.T("ui.lesson.paused")
	case c.step+1 == len(c.l.Steps):
		return " " + st.ok.Render(m.cat.T("ui.lesson.last"))
	default:
		return " " + st.ok.Render(m.cat.T("ui.lesson.reached"))
	}
	return " " + st.dim.Render(s)
}

// paneBody is the question, or the verdict and explanation, and the
// step's text, wrapped to w.
func (m *Model) paneBody(w int) []string {
	c := m.tutor.cur
	k := paneKey{run: c, lang: c.l.Lang, step: c.step, w: w, dark: m.dark, asking: c.asking, answer: c.answer,
		reached: c.reached || !m.onPath()}
	if m.tutor.cache.key == k && m.tutor.cache.lines != nil {
		return m.tutor.cache.lines
	}
	st := &m.st
	s := &c.l.Steps[c.step]
	md := mdStyles{strong: st.bold, em: st.em, code: st.code}
	var out []string
	q := s.Question
	if q != nil && (c.asking || c.answer >= 0) {
		for i, l := range renderMarkdown("**"+q.Prompt+"**", w-2, md) {
			out = append(out, pick(i == 0, "? ", "  ")+l)
		}
	}
	switch {
	case c.asking:
		out = append(out, "")
		for i, ch := range q.Choices {
			for j, l := range renderMarkdown(ch, w-3, md) {
				out = append(out, pick(j == 0, st.key.Render(strconv.Itoa(i+1))+"  ", "   ")+l)
			}
		}
	case q != nil && c.answer >= 0:
		if c.answer == q.Answer {
			out = appendStyled(out, st.ok, wrapWords(m.cat.T("ui.lesson.right", "choice", q.Choices[c.answer]), w, 4))
		} else {
			out = appendStyled(out, st.err, wrapWords(m.cat.T("ui.lesson.wrong", "choice", q.Choices[c.answer]), w, 4))
			out = appendStyled(out, st.ok, wrapWords(m.cat.T("ui.lesson.answer", "choice", q.Choices[q.Answer]), w, 4))
		}
		out = append(out, renderMarkdown(q.Explain, w, md)...)
	}
	// The text tells what happened: it comes once the step has played (or
	// at once when there is no question to answer first).
	if !c.asking && (q == nil || k.reached || c.answer < 0) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, renderMarkdown(s.Text, w, md)...)
	}
	m.tutor.cache = paneCache{key: k, lines: out}
	return out
}

// appendStyled styles each line on its own, so that no style runs across
// a line end.
func appendStyled(out []string, sty lipgloss.Style, lines []string) []string {
	for _, l := range lines {
		out = append(out, sty.Render(l))
	}
	return out
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// lessonHints is the hint line while a lesson is open: the answer keys
// while a question waits.
func (m *Model) lessonHints() []keyBinding {
	if c := m.tutor.cur; c.asking {
		return []keyBinding{m.keys.Answer, m.keys.NextStep, m.keys.PrevStep, m.keys.Lessons, m.keys.Help, m.keys.Quit}
	}
	return m.keys.lessonHelp()
}
