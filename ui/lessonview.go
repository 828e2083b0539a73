package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"finwait/lessons"
)

// widePane is the width from which the lesson pane sits to the right of
// the columns and the ladder. Below it the pane takes the place of the
// ladder and the explanation, under the columns.
const widePane = 120

// lessonPane is the open lesson step: its title, text and question,
// beside the columns or under them. p hides it; up and down scroll it.
type lessonPane struct {
	hidden  bool // switched off with p
	scroll  int  // rows scrolled
	cache   paneCache
	initCmd tea.Cmd // the first step's animation, started by Init
}

// Update takes the pane's own keys; it reports whether it took the key.
func (lp *lessonPane) Update(cx *ctx, msg tea.KeyPressMsg) bool {
	if cx.run.Lesson() == nil {
		return false
	}
	k := &cx.keys
	switch {
	case key.Matches(msg, k.Pane):
		lp.hidden = !lp.hidden
		if lp.hidden {
			cx.say("ui.lesson.hidden", false)
		}
	case key.Matches(msg, k.TextUp):
		lp.scroll = max(0, lp.scroll-cx.paneScrollStep())
	case key.Matches(msg, k.TextDown):
		lp.scroll = min(lp.scroll+cx.paneScrollStep(), max(0, len(lp.body(cx, cx.paneTextWidth()))-cx.paneRows()))
	default:
		return false
	}
	return true
}

// paneCache holds the pane's body lines for one state of the step; the
// Markdown is wrapped once per width, not on every frame.
type paneCache struct {
	key   paneKey
	lines []string
}

type paneKey struct {
	lesson  *lessons.Lesson
	lang    string
	step    int
	w       int
	dark    bool
	asking  bool
	answer  int
	reached bool
}

// lessonShown reports whether the lesson pane is on screen.
func (m *Model) lessonShown() bool { return m.run.Lesson() != nil && !m.lesson.hidden }

func (cx *ctx) wide() bool { return cx.w >= widePane }

// paneWidth is the wide pane's width, its border included.
func (cx *ctx) paneWidth() int { return min(60, max(40, cx.w/3)) }

// lessonView is the main view with the lesson pane, in h rows.
func (m *Model) lessonView(h int) []string {
	out := make([]string, 0, h)
	if m.wide() {
		pw := m.paneWidth()
		w := m.w
		m.w = w - pw - 1 // the visualization draws itself in what is left
		left := block(m.vizView(h), m.w, h)
		m.w = w
		pane := m.lesson.View(&m.ctx, pw-1, h, true)
		bar := " " + m.st.frame.Render("│")
		for i := range h {
			out = append(out, left[i]+bar+pane[i])
		}
		return out
	}
	topH, _, _ := layout(h)
	if m.sc().Load.Count > 0 {
		out = append(out, m.portView(topH)...)
	} else {
		out = append(out, m.columnsView(topH)...)
	}
	return append(out, m.lesson.View(&m.ctx, m.w, h-topH, false)...)
}

// paneRows is how many body rows the pane has now.
func (cx *ctx) paneRows() int {
	h := cx.h - 3
	if cx.wide() {
		return max(1, h-3-len(cx.lessonTitleLines(cx.paneWidth()-3)))
	}
	topH, _, _ := layout(h)
	return max(1, h-topH-2)
}

func (cx *ctx) paneScrollStep() int { return max(1, cx.paneRows()/2) }

// paneTextWidth is the width the pane's text is wrapped to.
func (cx *ctx) paneTextWidth() int {
	if cx.wide() {
		return cx.paneWidth() - 3
	}
	return cx.w - 2
}

func (cx *ctx) lessonTitle() string {
	l := cx.run.Lesson()
	if n := l.Number(); n > 0 && l != cx.file {
		return cx.cat.T("ui.lesson.title", "n", n, "title", l.Title)
	}
	return cx.cat.T("ui.lesson.title_file", "title", l.Title)
}

func (cx *ctx) lessonTitleLines(w int) []string {
	return wrapWords(cx.lessonTitle(), w, 2)
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

func (cx *ctx) scoreText() string {
	right, qs := cx.run.Progress().Score(cx.run.Lesson())
	if qs == 0 {
		return ""
	}
	return cx.cat.T("ui.lesson.score", "right", right, "questions", qs)
}

// lessonPane draws the pane in exactly h rows of w cells: (wide: the
// lesson's title,) a rule with the step and the score, (wide: the step's
// title,) the scrolled body, and a footer saying where the step is.
func (lp *lessonPane) View(cx *ctx, w, h int, wide bool) []string {
	st := &cx.st
	r := cx.run
	l, i := r.Lesson(), r.StepIndex()
	s := r.Step()
	cw := w - 2
	var head []string
	stepLabel := cx.cat.T("ui.lesson.step", "i", i+1, "n", len(l.Steps))
	score := cx.scoreText()
	var rule string
	if wide {
		for _, l := range cx.lessonTitleLines(cw) {
			head = append(head, " "+st.title.Render(l))
		}
		rule = cx.rule(st.key.Render(stepLabel), score, w)
	} else {
		rule = cx.rule(st.key.Render(stepLabel)+st.frame.Render(" · ")+st.bold.Render(s.Title), score, w)
	}
	head = append(head, rule)
	if wide {
		head = append(head, " "+st.bold.Render(fit(s.Title, cw)))
	}
	rows := max(1, h-len(head)-1)
	body := lp.body(cx, cw)
	scroll := max(0, min(lp.scroll, len(body)-rows))
	end := min(len(body), scroll+rows)
	out := head
	for _, l := range body[scroll:end] {
		out = append(out, " "+l)
	}
	out = block(out, w, h-1)
	foot := cx.paneFooter()
	if more := len(body) - end; more > 0 {
		tag := cx.cat.T("ui.lesson.more", "n", more)
		foot = fit(foot, w-width(tag)-2) + st.key.Render(tag) + " "
	}
	return append(out, fit(foot, w))
}

// rule is a horizontal line with a label on the left and one on the right.
func (cx *ctx) rule(left, right string, w int) string {
	st := &cx.st
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
func (cx *ctx) paneFooter() string {
	st := &cx.st
	r := cx.run
	var s string
	switch {
	case r.Asking():
		return " " + st.warn.Render(cx.cat.T("ui.lesson.choose", "n", len(r.Step().Question.Choices)))
	case !r.OnPath():
		return " " + st.warn.Render(cx.cat.T("ui.lesson.off_path"))
	case !r.AtCheckpoint() && (cx.clock.moving()):
		s = cx.cat.T("ui.lesson.playing")
	case !r.AtCheckpoint():
		s = cx.cat.T("ui.lesson.paused")
	case r.StepIndex()+1 == len(r.Lesson().Steps):
		return " " + st.ok.Render(cx.cat.T("ui.lesson.last"))
	default:
		return " " + st.ok.Render(cx.cat.T("ui.lesson.reached"))
	}
	return " " + st.dim.Render(s)
}

// paneBody is the question, or the verdict and explanation, and the
// step's text, wrapped to w.
func (lp *lessonPane) body(cx *ctx, w int) []string {
	r := cx.run
	k := paneKey{lesson: r.Lesson(), lang: r.Lesson().Lang, step: r.StepIndex(), w: w, dark: cx.dark, asking: r.Asking(),
		answer: r.Answer(), reached: r.Reached() || !r.OnPath()}
	if lp.cache.key == k && lp.cache.lines != nil {
		return lp.cache.lines
	}
	st := &cx.st
	s := r.Step()
	md := mdStyles{strong: st.bold, em: st.em, code: st.code}
	var out []string
	q := s.Question
	if q != nil && (r.Asking() || r.Answer() >= 0) {
		for i, l := range renderMarkdown("**"+q.Prompt+"**", w-2, md) {
			out = append(out, pick(i == 0, "? ", "  ")+l)
		}
	}
	switch {
	case r.Asking():
		out = append(out, "")
		for i, ch := range q.Choices {
			for j, l := range renderMarkdown(ch, w-3, md) {
				out = append(out, pick(j == 0, st.key.Render(strconv.Itoa(i+1))+"  ", "   ")+l)
			}
		}
	case q != nil && r.Answer() >= 0:
		if r.Answer() == q.Answer {
			out = appendStyled(out, st.ok, wrapWords(cx.cat.T("ui.lesson.right", "choice", q.Choices[r.Answer()]), w, 4))
		} else {
			out = appendStyled(out, st.err, wrapWords(cx.cat.T("ui.lesson.wrong", "choice", q.Choices[r.Answer()]), w, 4))
			out = appendStyled(out, st.ok, wrapWords(cx.cat.T("ui.lesson.answer", "choice", q.Choices[q.Answer]), w, 4))
		}
		out = append(out, renderMarkdown(q.Explain, w, md)...)
	}
	// The text tells what happened: it comes once the step has played (or
	// at once when there is no question to answer first).
	if !r.Asking() && (q == nil || k.reached || r.Answer() < 0) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, renderMarkdown(s.Text, w, md)...)
	}
	lp.cache = paneCache{key: k, lines: out}
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
func (cx *ctx) lessonHints() []key.Binding {
	if cx.run.Asking() {
		return []key.Binding{cx.keys.Answer, cx.keys.NextStep, cx.keys.PrevStep, cx.keys.Lessons, cx.keys.Help, cx.keys.Quit}
	}
	return cx.keys.lessonHelp()
}
