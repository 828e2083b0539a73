package ui

import (
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// mode is what the keyboard is talking to.
type mode uint8

const (
	modeMain mode = iota
	modeHelp
	modeSettings
	modePicker
	modeArm // choosing the side for "drop the next segment from"
	modeKernel
	modeLessons // the lesson menu
	modeClass   // the instructor's list of students
)

// Minimum terminal size; below it the program asks for a bigger window.
const (
	minWidth  = 72
	minHeight = 20
)

// speeds are the play speeds: virtual seconds per wall second. The default
// shows a 20 ms flight in one second.
var speeds = []float64{0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 100, 1000}

const defaultSpeed = 2

// frame is the animation interval; skipWall is how long a skip over quiet
// time takes on screen.
const (
	frame    = time.Second / 30
	skipWall = 700 * time.Millisecond
	// quietWall: while playing, a wait longer than this (in wall time at
	// the current speed) with nothing in flight is skipped automatically.
	quietWall = 1500 * time.Millisecond
)

// Model is the root of the interactive program.
type Model struct {
	sc    *model.Scenario
	sets  []string
	sim   *model.Sim
	lang  string
	cat   *lessons.Catalog
	keys  keyMap
	st    styles
	dark  bool
	w, h  int
	mode  mode
	side  model.Side // the side application keys act on
	seg   int        // selected segment id in flight, 0 for none
	speed int        // index in speeds

	playing  bool
	gen      int       // tick generation: a tick of another generation is ignored
	lastTick time.Time // wall time of the previous frame
	skip     *skipAnim

	msg    string // status message (an error or a confirmation)
	msgErr bool

	ladderOff int // ladder rows scrolled up from the latest; 0 follows
	ladder    ladderCache
	settings  settingsForm
	picker    picker
	kernel    kernelPanel
	tutor     tutor // lessons: progress, the open lesson, the menu
	helpOff   int   // help view rows scrolled

	present bool      // presenter mode: big states, no chrome (P)
	noFiles bool      // a shared session: e must not write on the server
	narrate bool      // plain-text narration instead of the full screen
	narr    narration // what narration has printed so far

	class      Class  // the classroom this session is in (finwait serve); nil outside one
	instructor bool   // this session leads the class
	user       string // the SSH user name
	follow     followState

	// Drawn pieces that rarely change, kept between frames (View runs up
	// to 60 times a second, for every student of a class).
	hints hintCache
	boxes map[boxKey][]string
	frame time.Duration // the animation interval when not the default
}

// skipAnim races the clock from one virtual time to the next event.
type skipAnim struct {
	from, to time.Duration
	start    time.Time // wall time the skip started; zero until the first frame
}

type tickMsg struct {
	gen int
	at  time.Time
}

// newModel opens sc (nil: the close scenario) with the given settings.
func newModel(sc *model.Scenario, sets []string, lang string) (*Model, error) {
	if sc == nil {
		var err error
		if sc, err = lessons.BuiltinScenario("close"); err != nil {
			return nil, err
		}
	}
	sim, err := model.New(sc, sets, nil)
	if err != nil {
		return nil, err
	}
	m := &Model{sc: sc, sets: sets, sim: sim, dark: true, speed: defaultSpeed, w: 80, h: 24}
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
	m.ladder = ladderCache{}
	m.lessonLang()
}

// Init asks the terminal for its background colour (and starts the first
// lesson step playing).
func (m *Model) Init() tea.Cmd { return tea.Batch(tea.RequestBackgroundColor, m.tutor.initCmd) }

// Update routes a message: resize and colours, ticks, then keys by mode.
func (m *Model) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	if m.narrate {
		defer func(before mode) { cmd = m.narrated(msg, cmd, before) }(m.mode)
	}
	if m.class != nil {
		defer m.classSync()
	}
	switch msg := msg.(type) {
	case FollowMsg:
		m.onFollow(msg.S)
	case classTickMsg:
		return m, m.onClassTick(msg)
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.st = m.palette()
	case tickMsg:
		return m, m.onTick(msg)
	case kernelDoneMsg:
		m.kernelDone(msg)
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
		switch m.mode {
		case modeHelp:
			m.helpKey(msg)
		case modeLessons:
			return m, m.lessonMenuKey(msg)
		case modeSettings:
			return m, m.settingsKey(msg)
		case modePicker:
			return m, m.pickerKey(msg)
		case modeArm:
			m.armKey(msg)
		case modeKernel:
			return m, m.kernelKey(msg)
		case modeClass:
			m.classKey(msg)
		default:
			return m, m.mainKey(msg)
		}
	}
	return m, nil
}

// mainKey handles the keys of the main screen.
func (m *Model) mainKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	m.msg = ""
	if cmd, ok := m.followKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.lessonKey(msg); ok {
		return cmd
	}
	defer m.noteArrival()
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Play):
		m.playing = !m.playing
		if m.playing {
			if m.sim.Done() && len(m.sim.Flights()) == 0 {
				m.playing = false
				m.say("ui.msg.end", false)
				return nil
			}
			return m.startTicks()
		}
		m.skip = nil
	case key.Matches(msg, k.Forward):
		m.stop()
		if !m.sim.Step() {
			m.say("ui.msg.end", false)
		}
		m.ladderOff = 0
	case key.Matches(msg, k.Back):
		m.stop()
		if m.sim.Pos() > 0 {
			m.sim.Rewind(m.sim.Pos() - 1)
		}
		m.ladderOff = 0
	case key.Matches(msg, k.Start):
		m.stop()
		m.sim.Rewind(0)
		m.ladderOff = 0
	case key.Matches(msg, k.Faster):
		m.speed = min(m.speed+1, len(speeds)-1)
	case key.Matches(msg, k.Slower):
		m.speed = max(m.speed-1, 0)
	case key.Matches(msg, k.Skip):
		return m.startSkip()
	case key.Matches(msg, k.NextSeg, k.PrevSeg):
		m.cycleSeg(key.Matches(msg, k.NextSeg))
	case key.Matches(msg, k.Drop, k.Delay, k.Duplicate):
		m.segAction(msg)
	case key.Matches(msg, k.ArmDrop):
		m.mode = modeArm
	case key.Matches(msg, k.Client):
		m.side = model.Client
	case key.Matches(msg, k.Server):
		m.side = model.Server
	case key.Matches(msg, k.Close, k.Shutdown, k.Send, k.Abort, k.PowerOff, k.Reboot, k.Reconnect):
		m.appAction(msg)
	case key.Matches(msg, k.TWReuse):
		m.toggleReuse()
	case key.Matches(msg, k.ScrollUp):
		m.ladderOff += max(1, m.ladderRows()/2)
	case key.Matches(msg, k.ScrollDown):
		m.ladderOff = max(0, m.ladderOff-max(1, m.ladderRows()/2))
	case key.Matches(msg, k.Settings):
		m.stop()
		m.openSettings()
	case key.Matches(msg, k.Open):
		m.stop()
		m.openPicker()
	case key.Matches(msg, k.Lang):
		if m.lang == "en" {
			m.setLang("zh")
		} else {
			m.setLang("en")
		}
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
	case key.Matches(msg, k.Present):
		m.togglePresent()
	case key.Matches(msg, k.Export):
		m.exportRun()
	case key.Matches(msg, k.Kernel):
		m.stop()
		return m.openKernel()
	}
	return nil
}

// stop pauses playing and any skip; their pending tick is then ignored.
func (m *Model) stop() {
	m.playing = false
	m.skip = nil
	m.gen++
}

func (m *Model) startTicks() tea.Cmd {
	m.gen++
	m.lastTick = time.Time{}
	return m.tick()
}

func (m *Model) tick() tea.Cmd {
	gen := m.gen
	d := frame
	if m.frame > 0 {
		d = m.frame
	}
	return tea.Tick(d, func(t time.Time) tea.Msg { return tickMsg{gen: gen, at: t} })
}

// startSkip races the clock to the next event.
func (m *Model) startSkip() tea.Cmd {
	at, ok := m.sim.NextAt()
	if !ok {
		m.say("ui.msg.end", false)
		return nil
	}
	m.skip = &skipAnim{from: m.sim.Now(), to: at}
	return m.startTicks()
}

// onTick moves virtual time by one frame and asks for another only while
// something moves.
func (m *Model) onTick(t tickMsg) tea.Cmd {
	if t.gen != m.gen || (!m.playing && m.skip == nil) {
		return nil
	}
	dt := time.Duration(0)
	if !m.lastTick.IsZero() {
		dt = min(t.at.Sub(m.lastTick), 250*time.Millisecond)
	}
	m.lastTick = t.at
	if s := m.skip; s != nil {
		if s.start.IsZero() {
			s.start = t.at
		}
		f := float64(t.at.Sub(s.start)) / float64(skipWall)
		if f >= 1 {
			m.advance(s.to)
			m.skip = nil
		} else {
			f = f * f * (3 - 2*f) // smooth start and stop
			m.advance(s.from + time.Duration(float64(s.to-s.from)*f))
		}
	} else {
		sp := speeds[m.speed]
		at, ok := m.sim.NextAt()
		flying := len(m.sim.Flights()) > 0
		switch {
		case !ok && !flying:
			m.playing = false
			m.say("ui.msg.end", false)
			return nil
		case ok && !flying && float64(at-m.sim.Now())/sp > float64(quietWall):
			m.skip = &skipAnim{from: m.sim.Now(), to: at, start: t.at}
		default:
			m.advance(m.sim.Now() + time.Duration(float64(dt)*sp))
		}
	}
	m.ladderOff = 0
	if !m.playing && m.skip == nil {
		return nil
	}
	return m.tick()
}

// act applies an action and reports a refusal in the status bar.
func (m *Model) act(a model.Action) bool {
	if err := m.sim.Apply(a); err != nil {
		m.msg, m.msgErr = m.errText(err), true
		return false
	}
	return true
}

func (m *Model) errText(err error) string {
	var pe *model.ParamError
	if errors.As(err, &pe) {
		return m.paramErrText(pe)
	}
	var ae *model.ActionError
	if errors.As(err, &ae) {
		return m.cat.T("ui.msg.refused", "why", m.cat.T(ae.Key))
	}
	return lessons.ErrorText(m.cat, err)
}

func (m *Model) paramErrText(pe *model.ParamError) string {
	if pe.Name == "" {
		return m.cat.T("ui.settings.unknown", "name", pe.Value)
	}
	return m.cat.T("ui.settings.invalid", "value", pe.Value, "allowed", lessons.AllowedText(m.cat, pe.Allowed))
}

func (m *Model) say(k string, isErr bool, args ...any) {
	m.msg, m.msgErr = m.cat.T(k, args...), isErr
}

// restart replaces the run (new scenario or new settings).
func (m *Model) restart(sc *model.Scenario, sets []string) error {
	sim, err := model.New(sc, sets, nil)
	if err != nil {
		return err
	}
	m.stop()
	m.sc, m.sets, m.sim = sc, sets, sim
	m.seg, m.ladderOff = 0, 0
	m.ladder = ladderCache{}
	return nil
}
