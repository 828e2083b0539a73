package ui

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// Minimum terminal size; below it the program asks for a bigger window.
const (
	minWidth  = 72
	minHeight = 20
)

// Model is the root of the interactive program: it routes messages to the
// panes and carries out what they ask. The main screen is always there
// (columns, ladder, lesson pane); forms, lists and panels open over it on a
// focus stack, and the top one gets the keys.
type Model struct {
	ctx
	stack  []pane
	ladder ladderPane
	lesson lessonPane

	noFiles bool       // a shared session: e must not write on the server
	narr    *narration // plain-text narration instead of the full screen; nil when off
	seat    *seat      // the classroom this session is in; nil outside one

	saves saves
	hints hintCache
}

// newModel opens sc (nil: the close scenario) with the given settings.
func newModel(sc *model.Scenario, sets []string, lang string) (*Model, error) {
	if sc == nil {
		var err error
		if sc, err = lessons.BuiltinScenario("close"); err != nil {
			return nil, err
		}
	}
	run, err := lessons.NewPlayer(sc, sets, nil)
	if err != nil {
		return nil, err
	}
	m := &Model{ctx: ctx{run: run, dark: true, w: 80, h: 24}}
	m.clock.speed = defaultSpeed
	m.setLang(lang)
	m.st = newStyles(true)
	return m, nil
}

func (m *Model) setLang(lang string) {
	if lang != "zh" {
		lang = "en"
	}
	m.lang = lang
	m.cat = lessons.Messages(lang)
	m.keys = defaultKeyMap(m.cat)
	m.ladder.cache = ladderCache{}
	m.lessonLang()
}

// Init asks the terminal for its background colour and starts the first
// lesson step playing.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.lesson.initCmd, m.saveCmd())
}

// Update routes a message: what the classroom and the clock send, the
// terminal's size and colours, then keys to the top pane or the main
// screen. What the panes emit is carried out before it returns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	before := m.mark()
	cmd := m.route(msg)
	for len(m.out) > 0 {
		e := m.out[0]
		m.out = m.out[1:]
		cmd = tea.Batch(cmd, m.do(e))
	}
	return m, tea.Batch(cmd, m.after(msg, before))
}

func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case FollowMsg:
		m.onFollow(msg.S)
	case classTickMsg:
		return m.onClassTick(msg)
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.st = m.palette()
	case tickMsg:
		return m.onTick(msg)
	case kernelDoneMsg, savedMsg, exportedMsg:
		return m.result(msg)
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.ForceQuit) {
			return m.quit()
		}
		if top := m.top(); top != nil {
			p, cmd := top.Update(&m.ctx, msg)
			m.replaceTop(p)
			return cmd
		}
		return m.mainKey(msg)
	}
	return nil
}

// top is the pane that gets the keys, nil on the main screen.
func (m *Model) top() pane {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

func (m *Model) push(p pane) { m.stack = append(m.stack, p) }

// replaceTop puts the top pane's new value in its place, or closes it.
func (m *Model) replaceTop(p pane) {
	if len(m.stack) == 0 {
		return
	}
	if p == nil {
		m.stack = m.stack[:len(m.stack)-1]
		return
	}
	m.stack[len(m.stack)-1] = p
}

// mark is what after needs to know of the screen before a message: whether
// it was the main screen.
func (m *Model) mark() bool { return len(m.stack) == 0 }

// after runs once a message is handled: the classroom hears what changed,
// narration prints it, and changed progress is saved.
func (m *Model) after(msg tea.Msg, onMain bool) tea.Cmd {
	if m.seat != nil {
		m.classSync()
	}
	var narr tea.Cmd
	if m.narr != nil {
		narr = m.narrated(msg, onMain)
	}
	return tea.Batch(narr, m.saveCmd())
}

// do carries out what a pane emitted.
func (m *Model) do(e tea.Msg) tea.Cmd {
	switch e := e.(type) {
	case closePane:
		m.replaceTop(nil)
	case restartRun:
		if err := m.restart(e.sc, e.sets); err != nil {
			m.msg, m.msgErr = m.errText(err), true
			return nil
		}
		m.stack = nil
		m.say("ui.msg.restarted", false)
	case openRun:
		m.leaveLesson()
		err := m.restart(e.sc, m.run.Sets())
		if err != nil {
			// The command line's settings may not suit this scenario.
			err = m.restart(e.sc, nil)
		}
		if err != nil {
			m.msg, m.msgErr = m.errText(err), true
			return nil
		}
		m.stack = nil
		m.say("ui.msg.opened", false, "name", e.sc.Name)
	case openLesson:
		m.stack, m.msg = nil, ""
		return m.openLesson(e.l, 0)
	case continueWith:
		for _, a := range e.sets {
			if !m.act(a) {
				return nil
			}
		}
		m.stack = nil
		m.say("ui.msg.continued", false, "n", len(e.sets))
	case applyAction:
		if m.act(e.a) {
			m.say(e.done, false, e.args...)
		}
	}
	return nil
}

// act applies an action and reports a refusal in the status bar.
func (m *Model) act(a model.Action) bool {
	if err := m.run.Apply(a); err != nil {
		m.msg, m.msgErr = m.errText(err), true
		return false
	}
	return true
}

func (cx *ctx) errText(err error) string {
	var pe *model.ParamError
	if errors.As(err, &pe) {
		return cx.paramErrText(pe)
	}
	var ae *model.ActionError
	if errors.As(err, &ae) {
		return cx.cat.T("ui.msg.refused", "why", cx.cat.T(ae.Key))
	}
	return lessons.ErrorText(cx.cat, err)
}

func (cx *ctx) paramErrText(pe *model.ParamError) string {
	if pe.Name == "" {
		return cx.cat.T("ui.settings.unknown", "name", pe.Value)
	}
	return cx.cat.T("ui.settings.invalid", "value", pe.Value, "allowed", lessons.AllowedText(cx.cat, pe.Allowed))
}

// restart replaces the run (new scenario or new settings).
func (m *Model) restart(sc *model.Scenario, sets []string) error {
	if err := m.run.Restart(sc, sets); err != nil {
		return err
	}
	m.stop()
	m.runChanged()
	return nil
}

// runChanged forgets what was drawn of the previous run.
func (m *Model) runChanged() {
	m.seg = 0
	m.ladder.off, m.ladder.cache = 0, ladderCache{}
}
