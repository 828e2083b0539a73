package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"finwait/model"
	"finwait/render"
)

// Narration (--narrate) is the program for screen readers, logs and
// anyone who cannot use the full screen: the same root model, so every
// key does what it does there, but the view is one prompt line, and what
// happens is printed above it as plain sentences that stay in the
// scrollback: one line per step of the run, the lesson's text when a step
// opens, the key list for ?, the lists and forms as lines.

// narration is what has been printed, to print only what is new.
type narration struct {
	printed []string   // every line printed, in order (tests read it)
	sim     *model.Sim // the run narrated
	n       int        // trace events narrated
	pos     int
	msg     string // the status message last printed
	top     pane   // the pane open when it last printed
	form    string // the open form's text last seen
	cur     string // its selected line
	lesson  string // the lesson step's text last printed
	step    string // the lesson step last announced
}

// narrWidth is the width lesson text is laid out in: a paragraph is one
// line, and the terminal (or the screen reader) wraps it.
const narrWidth = 10000

// narrated runs after every Update in narration mode: it prints what the
// message changed, in one command so that the lines keep their order.
func (m *Model) narrated(msg tea.Msg, onMain bool) tea.Cmd {
	lines := m.narrationLines(msg, onMain)
	if len(lines) == 0 {
		return nil
	}
	m.narr.printed = append(m.narr.printed, lines...)
	return m.printCmd(lines)
}

// printCmd prints lines above the prompt, in order. The renderer inserts
// a print by scrolling the screen, which fails for more rows than the
// terminal has: long prints (the key list, a lesson step) go in chunks
// that fit, one after the other.
func (m *Model) printCmd(lines []string) tea.Cmd {
	room := max(1, m.h-2)
	var chunks []tea.Cmd
	var cur []string
	rows := 0
	for _, l := range lines {
		r := max(1, (width(l)+max(1, m.w)-1)/max(1, m.w))
		if len(cur) > 0 && rows+r > room {
			chunks = append(chunks, tea.Println(strings.Join(cur, "\n")))
			cur, rows = nil, 0
		}
		cur = append(cur, l)
		rows += r
	}
	chunks = append(chunks, tea.Println(strings.Join(cur, "\n")))
	if len(chunks) == 1 {
		return chunks[0]
	}
	return tea.Sequence(chunks...)
}

func (m *Model) narrationLines(msg tea.Msg, onMain bool) []string {
	var out []string
	n := m.narr
	sim := m.sim()
	tr := sim.Trace()
	switch {
	case n.sim == nil:
		out = append(out, m.cat.T("ui.narr.hello"), m.runSentence(), m.whereSentence("ui.narr.where"))
	case n.sim != sim:
		// A new run: a scenario opened, a lesson step entered, new settings.
		if m.sc().Name != n.sim.Scenario().Name {
			out = append(out, m.runSentence())
		}
		out = append(out, m.whereSentence("ui.narr.where"))
	case len(tr) < n.n || m.sim().Pos() < n.pos:
		out = append(out, m.whereSentence("ui.narr.rewind"))
	default:
		out = append(out, m.stepSentences(tr[n.n:])...)
	}
	n.sim, n.n, n.pos = sim, len(tr), sim.Pos()
	out = append(out, m.lessonLines()...)
	out = append(out, m.modeLines()...)
	_, isKey := msg.(tea.KeyPressMsg)
	if m.msg != "" && (m.msg != n.msg || isKey && onMain) {
		out = append(out, m.msg)
	}
	n.msg = m.msg
	return out
}

// runSentence names the scenario being run.
func (m *Model) runSentence() string {
	return m.cat.T("ui.narr.run", "name", m.sc().Name, "desc", m.sc().Describe(m.lang))
}

// whereSentence says where the run is: its clock and both sides' states.
func (m *Model) whereSentence(k string) string {
	return m.cat.T(k, "t", secs(m.sim().Now()), "n", m.sim().Pos(),
		"client", m.narrState(model.Client), "server", m.narrState(model.Server))
}

func (m *Model) narrState(side model.Side) string {
	if m.sim().HostDown(side) {
		return m.cat.T("ui.col.down")
	}
	ep, _ := m.sim().Endpoint(side)
	return ep.State.String()
}

// stepSentences is one line per step of the run: its time, then one
// sentence per event.
func (m *Model) stepSentences(evs []model.Event) []string {
	var out []string
	var b strings.Builder
	step := -1
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for i := range evs {
		e := &evs[i]
		s := m.eventSentence(e)
		if s == "" {
			continue
		}
		if e.Step != step || b.Len() == 0 {
			flush()
			step = e.Step
			b.WriteString(m.cat.T("ui.narr.time", "t", secs(e.T)))
		}
		b.WriteString(" " + s)
	}
	flush()
	return out
}

// eventSentence tells one event in words, with the engine's explanation
// where it adds something; "" for events not worth a sentence.
func (m *Model) eventSentence(e *model.Event) string {
	c := m.cat
	side := c.Side(e.Side)
	seg := func(k string) string {
		return c.T(k, "side", c.Side(e.Seg.From), "id", e.Seg.ID, "flags", e.Seg.Flags.String(),
			"seq", e.Seg.Seq, "ack", e.Seg.Ack)
	}
	with := func(s, note string) string {
		if note == "" {
			return s
		}
		return s + " " + note
	}
	switch e.Kind {
	case model.EvSend:
		s := seg("ui.narr.send")
		if e.Seg.Len > 0 {
			s = c.T("ui.narr.send_data", "side", side, "id", e.Seg.ID, "flags", e.Seg.Flags.String(),
				"seq", e.Seg.Seq, "ack", e.Seg.Ack, "len", e.Seg.Len)
		}
		if !render.Quiet(e) {
			return with(s, c.Note(e))
		}
		return s
	case model.EvDeliver:
		s := c.T("ui.narr.deliver", "side", side, "id", e.Seg.ID, "flags", e.Seg.Flags.String())
		if !render.Quiet(e) {
			return with(s, c.Note(e))
		}
		return s
	case model.EvDrop:
		return with(seg("ui.narr.drop"), c.Note(e))
	case model.EvExpire:
		return with(seg("ui.narr.expire"), c.Note(e))
	case model.EvState:
		return with(c.T("ui.narr.state", "side", side, "from", e.From.String(), "to", e.To.String(), "rule", e.Rule), c.Note(e))
	case model.EvTimerStart:
		return c.T("ui.narr.timer_start", "side", side, "timer", c.Note(e))
	case model.EvTimerFire:
		return c.T("ui.narr.timer_fire", "side", side, "what", c.Note(e))
	case model.EvApp:
		if strings.HasPrefix(e.Note, "err.") {
			return c.T("ui.narr.app_err", "side", side, "call", e.Detail, "err", c.T(e.Note))
		}
		return c.T("ui.narr.app", "side", side, "call", c.Note(e))
	case model.EvNotify:
		if n := c.Note(e); n != "" {
			return n
		}
		return c.T("ui.narr.notify", "side", side, "what", e.Detail)
	}
	return ""
}

// lessonLines prints the open step: its title when it is entered, then
// its text (or its question) as plain paragraphs whenever that changes.
func (m *Model) lessonLines() []string {
	l := m.run.Lesson()
	if l == nil {
		m.narr.step, m.narr.lesson = "", ""
		return nil
	}
	var out []string
	i := m.run.StepIndex()
	head := m.cat.T("ui.narr.step", "lesson", m.lessonTitle(), "i", i+1, "n", len(l.Steps), "title", m.run.Step().Title)
	if head != m.narr.step {
		out = append(out, "", head)
		m.narr.step, m.narr.lesson = head, ""
	}
	body := plainLines(m.lesson.body(&m.ctx, narrWidth))
	text := strings.Join(body, "\n")
	if text != m.narr.lesson {
		// The step's text grows (the verdict after an answer, the text once
		// the step has played): print only what was added.
		if old := m.narr.lesson; old != "" && strings.HasPrefix(text, old+"\n") {
			body = plainLines(strings.Split(text[len(old)+1:], "\n"))
		}
		if len(out) == 0 {
			out = append(out, "")
		}
		out = append(out, body...)
		out = append(out, "")
		m.narr.lesson = text
	}
	return out
}

// modeLines prints what the help view, the forms and the lists show:
// the key list for ? (then back to the run: there is no help screen to
// close), a list or form in full when it opens, then its selected line as
// the selection moves.
func (m *Model) modeLines() []string {
	n := m.narr
	top := m.top()
	defer func() { n.top = m.top() }()
	switch top.(type) {
	case *helpPane:
		m.replaceTop(nil)
		return m.keyLines()
	case nil:
		n.form = ""
		return nil
	case armPane:
		if !isArm(n.top) {
			return []string{m.hintText()}
		}
		return nil
	}
	lines := m.formLines(top)
	all := strings.Join(lines, "\n")
	cur := ""
	for _, l := range lines {
		if strings.Contains(l, "▶") {
			cur = l
			break
		}
	}
	old := n.form
	n.form, n.cur = all, cur
	var out []string
	if n.top != top || cur == "" && all != old {
		return append(lines, m.hintText())
	}
	if cur != "" && !strings.Contains(old, cur) {
		out = append(out, cur)
	}
	// A refusal or a warning that appeared under the selected line.
	for _, l := range lines {
		if t := strings.TrimSpace(l); (strings.HasPrefix(t, "✗") || strings.HasPrefix(t, "⚠")) && !strings.Contains(old, l) {
			out = append(out, l)
		}
	}
	return out
}

// keyLines is the help view as lines: every binding by group.
func (m *Model) keyLines() []string {
	out := []string{m.cat.T("ui.narr.keys")}
	for _, g := range m.helpGroups() {
		out = append(out, m.cat.T(g.title)+":")
		for _, b := range g.keys {
			l := "  " + m.cat.T("ui.narr.key", "key", b.Help().Key, "desc", b.Help().Desc)
			if !b.Enabled() {
				l += " " + m.cat.T("ui.help.not_now")
			}
			out = append(out, l)
		}
	}
	return out
}

// formLines is the open list or form as plain lines, laid out tall
// enough to hold all of it.
func (m *Model) formLines(p pane) []string {
	cx := m.ctx
	cx.w = max(cx.w, 240)
	return plainLines(p.View(&cx, 400))
}

// plainLines strips styles and trailing spaces, and blank lines at the
// ends and in runs.
func plainLines(ls []string) []string {
	var out []string
	for _, l := range ls {
		l = strings.TrimRight(ansi.Strip(l), " ")
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// hintText is the hint line as plain text.
func (m *Model) hintText() string {
	return strings.TrimSpace(ansi.Strip(m.hintLine()))
}

// narrateView is the prompt: where the run is and how to get the keys;
// in a list or form, its selected line and its keys. No alternate screen:
// the printed lines stay in the scrollback.
func (m *Model) narrateView() tea.View {
	var line string
	switch top := m.top(); top.(type) {
	case nil, *helpPane:
		play := m.cat.T("ui.status.paused")
		switch {
		case m.clock.skip != nil:
			play = m.cat.T("ui.status.skipping")
		case m.clock.playing:
			play = m.cat.T("ui.status.playing")
		}
		line = m.cat.T("ui.narr.prompt", "play", play, "t", secs(m.sim().Now()),
			"client", m.narrState(model.Client), "server", m.narrState(model.Server),
			"side", m.cat.T("ui.status.side", "side", m.cat.Side(m.side)), "help", m.keys.Help.Help().Key)
	case armPane:
		line = m.hintText()
	default:
		line = strings.TrimSpace(m.narr.cur + " · " + m.hintText())
	}
	v := tea.NewView(fit(line, max(20, m.w)-1))
	v.WindowTitle = "finwait · " + m.sc().Name
	return v
}
