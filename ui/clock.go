package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"finwait/model"
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
	// stepWall is how long, in wall time, a step of a host run (thousands
	// of connections, always something in flight) may take to play.
	stepWall = 8 * time.Second
)

// clock maps wall time onto virtual time: playing, skipping quiet time,
// and the speed. It moves the run only through the Player (advance).
type clock struct {
	playing  bool
	speed    int       // index in speeds
	gen      int       // tick generation: a tick of another generation is ignored
	lastTick time.Time // wall time of the previous frame
	skip     *skipAnim
	frame    time.Duration // the animation interval when not the default

	raised    bool // a lesson step raised the speed from userSpeed
	userSpeed int
}

// moving reports whether the clock runs (playing or skipping).
func (c *clock) moving() bool { return c.playing || c.skip != nil }

// skipAnim races the clock from one virtual time to the next event.
type skipAnim struct {
	from, to time.Duration
	start    time.Time // wall time the skip started; zero until the first frame
}

type tickMsg struct {
	gen int
	at  time.Time
}

// stop pauses playing and any skip; their pending tick is then ignored.
func (m *Model) stop() {
	m.clock.playing = false
	m.clock.skip = nil
	m.clock.gen++
}

func (m *Model) startTicks() tea.Cmd {
	m.clock.gen++
	m.clock.lastTick = time.Time{}
	return m.tick()
}

func (m *Model) tick() tea.Cmd {
	gen := m.clock.gen
	d := frame
	if m.clock.frame > 0 {
		d = m.clock.frame
	}
	return tea.Tick(d, func(t time.Time) tea.Msg { return tickMsg{gen: gen, at: t} })
}

// togglePlay starts or pauses playing.
func (m *Model) togglePlay() tea.Cmd {
	c := &m.clock
	c.playing = !c.playing
	if !c.playing {
		c.skip = nil
		return nil
	}
	if m.sim().Done() && len(m.sim().Flights()) == 0 {
		c.playing = false
		m.say("ui.msg.end", false)
		return nil
	}
	return m.startTicks()
}

// startSkip races the clock to the next event.
func (m *Model) startSkip() tea.Cmd {
	at, ok := m.sim().NextAt()
	if !ok {
		m.say("ui.msg.end", false)
		return nil
	}
	m.clock.skip = &skipAnim{from: m.sim().Now(), to: at}
	return m.startTicks()
}

// onTick moves virtual time by one frame and asks for another only while
// something moves.
func (m *Model) onTick(t tickMsg) tea.Cmd {
	c := &m.clock
	if t.gen != c.gen || !c.moving() {
		return nil
	}
	dt := time.Duration(0)
	if !c.lastTick.IsZero() {
		dt = min(t.at.Sub(c.lastTick), 250*time.Millisecond)
	}
	c.lastTick = t.at
	sim := m.sim()
	if s := c.skip; s != nil {
		if s.start.IsZero() {
			s.start = t.at
		}
		f := float64(t.at.Sub(s.start)) / float64(skipWall)
		if f >= 1 {
			m.advance(s.to)
			c.skip = nil
		} else {
			f = f * f * (3 - 2*f) // smooth start and stop
			m.advance(s.from + time.Duration(float64(s.to-s.from)*f))
		}
	} else {
		sp := speeds[c.speed]
		at, ok := sim.NextAt()
		flying := len(sim.Flights()) > 0
		switch {
		case !ok && !flying:
			c.playing = false
			m.say("ui.msg.end", false)
			return nil
		case ok && !flying && float64(at-sim.Now())/sp > float64(quietWall):
			c.skip = &skipAnim{from: sim.Now(), to: at, start: t.at}
		default:
			m.advance(sim.Now() + time.Duration(float64(dt)*sp))
		}
	}
	m.ladder.off = 0
	if !c.moving() {
		return nil
	}
	return m.tick()
}

// advance is the one place the animation moves the run's clock: the
// Player stops a lesson step exactly at its checkpoint, and playing stops
// there.
func (m *Model) advance(t time.Duration) {
	if m.run.AdvanceTo(t) {
		m.stop()
		m.noteArrival()
	}
}

// playStep plays the open step to its checkpoint with the ordinary
// animation; a step of a host run is sped up to play in stepWall.
func (m *Model) playStep() tea.Cmd {
	if m.run.AtCheckpoint() {
		m.noteArrival()
		return nil
	}
	c := &m.clock
	if m.sc().Load.Count > 0 {
		span := m.run.CheckpointAt() - m.sim().Now()
		i := c.speed
		for i < len(speeds)-1 && float64(span)/speeds[i] > float64(stepWall) {
			i++
		}
		if i != c.speed {
			if !c.raised {
				c.raised, c.userSpeed = true, c.speed
			}
			c.speed = i
			m.say("ui.msg.step_speed", false, "span", model.FormatDuration(span), "speed", speeds[i])
		}
	} else {
		m.restoreSpeed()
	}
	c.playing = true
	return m.startTicks()
}

// restoreSpeed undoes the speed a host-run step chose, so that the next
// single connection is not a blur.
func (m *Model) restoreSpeed() {
	if c := &m.clock; c.raised {
		c.speed, c.raised = c.userSpeed, false
	}
}
