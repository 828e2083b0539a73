package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// seat is a session's place in a classroom (finwait serve with an
// instructor): the instructor publishes its run after every message; a
// student follows it until it branches off with b and rejoins with f.
type seat struct {
	class      Class
	user       string
	instructor bool

	on       bool   // a student follows the instructor (the default)
	latest   Shared // the newest run the instructor published
	has      bool   // latest is set
	base     string // what the student's run was built from, to rebuild only on a change
	actions  []model.LoggedAction
	lessons  map[string][]*lessons.Lesson // built-in lessons by language, for following
	pub      Shared                       // the instructor's last publication
	reported StudentStatus                // the student's last report
	classGen int                          // the class view's refresh ticks
}

type classTickMsg struct{ gen int }

// classRefresh is how often the instructor's class view reads the roster.
const classRefresh = time.Second

// following reports whether this session shows the instructor's run.
func (m *Model) following() bool {
	return m.seat != nil && !m.seat.instructor && m.seat.on
}

// classSync runs after every message of a classroom session: the
// instructor publishes what changed, a student reports how it is doing.
func (m *Model) classSync() {
	s := m.seat
	if s.instructor {
		m.publish()
		return
	}
	st := StudentStatus{User: s.user, Following: s.on}
	if l := m.run.Lesson(); l != nil {
		st.Lesson = l.ID
		st.Right, st.Questions = m.run.Progress().Score(l)
	}
	if st != s.reported {
		s.reported = st
		s.class.Report(st)
	}
}

// shared is the instructor's run as the class sees it now.
func (m *Model) shared() Shared {
	sim := m.sim()
	s := Shared{Scenario: m.sc(), Sets: m.run.Sets(), Actions: sim.Actions(), Pos: sim.Pos(), Now: sim.Now(),
		Playing: m.clock.moving(), Speed: m.clock.speed}
	if l := m.run.Lesson(); l != nil {
		s.Lesson, s.Step = l.ID, m.run.StepIndex()
		if l == m.file {
			s.File = l
		}
		s.FromLesson = m.run.OwnRun()
	}
	return s
}

// publish tells the class about the instructor's run when it changed.
func (m *Model) publish() {
	s := m.shared()
	p := &m.seat.pub
	if p.Seq > 0 && s.same(p) {
		return
	}
	s.Seq = p.Seq + 1
	s.Sets = slices.Clone(s.Sets)
	*p = s
	m.seat.class.Publish(s)
}

// onFollow takes the instructor's newest run.
func (m *Model) onFollow(s Shared) {
	st := m.seat
	if st == nil || st.instructor || (st.has && s.Seq <= st.latest.Seq) {
		return
	}
	st.latest, st.has = s, true
	if st.on {
		m.applyShared(s)
	}
}

// applyShared makes the student's run the instructor's: the same lesson
// and step, the same run built the same way, synced to the same actions,
// step and clock. The student's own clock does not run: the instructor's
// publications move it.
func (m *Model) applyShared(s Shared) {
	st := m.seat
	m.stop()
	l := s.File
	if l == nil && s.Lesson != "" {
		l = m.followLesson(s.Lesson)
	}
	if l != nil && s.Step >= len(l.Steps) {
		l = nil
	}
	base := fmt.Sprintf("scenario %p %s", s.Scenario, strings.Join(s.Sets, " "))
	if l != nil {
		base = fmt.Sprintf("lesson %p %s %d %v", s.File, s.Lesson, s.Step, s.FromLesson) + base
	}
	if base != st.base {
		if err := m.run.Follow(l, s.Step, s.FromLesson, s.Scenario, s.Sets); err != nil {
			m.msg, m.msgErr = m.errText(err), true
			return
		}
		m.runChanged()
		st.actions = nil
		st.base = base
	}
	if !slices.Equal(s.Actions, st.actions) {
		m.ladder.cache = ladderCache{} // a replayed run may differ in events already drawn
		st.actions = s.Actions
	}
	m.run.Sync(s.Actions, s.Pos, s.Now)
	m.clock.speed = max(0, min(s.Speed, len(speeds)-1))
	m.clock.playing = s.Playing // shown in the status bar; no ticks run here
	m.ladder.off = 0
	m.noteArrival()
}

// followLesson is the built-in lesson id in the student's language.
func (m *Model) followLesson(id string) *lessons.Lesson {
	st := m.seat
	if st.lessons == nil {
		st.lessons = map[string][]*lessons.Lesson{}
	}
	ls, ok := st.lessons[m.lang]
	if !ok {
		ls, _ = lessons.Builtin(m.lang)
		st.lessons[m.lang] = ls
	}
	for _, l := range ls {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// followKey handles the classroom keys; ok is false for a key it leaves
// to the main screen. While a student follows, keys that would change the
// run are refused with a hint, since the instructor drives it.
func (m *Model) followKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := &m.keys
	st := m.seat
	switch {
	case st == nil:
		return nil, false
	case st.instructor && key.Matches(msg, k.ClassView):
		m.stop()
		m.push(classPane{class: st.class})
		return m.classTick(), true
	case st.instructor:
		return nil, false
	case key.Matches(msg, k.Branch):
		if !st.on {
			m.say("ui.class.already_branched", false)
			return nil, true
		}
		st.on = false
		m.clock.playing = false
		m.say("ui.class.branched_msg", false)
		return nil, true
	case key.Matches(msg, k.Rejoin):
		if st.on {
			m.say("ui.class.already_following", false)
			return nil, true
		}
		st.on = true
		st.base = "" // the student's own run is gone: rebuild
		if st.has {
			m.applyShared(st.latest)
		}
		m.say("ui.class.rejoined", false)
		return nil, true
	case !st.on:
		return nil, false
	case key.Matches(msg, k.Help, k.Lang, k.Quit, k.Pane, k.TextUp, k.TextDown, k.Answer, k.ScrollUp,
		k.ScrollDown, k.NextSeg, k.PrevSeg, k.Client, k.Server, k.Kernel, k.Present):
		return nil, false
	}
	if st.has {
		m.say("ui.class.refused", true)
	} else {
		m.say("ui.class.waiting", true)
	}
	return nil, true
}

// classTick refreshes the class view while it is open.
func (m *Model) classTick() tea.Cmd {
	m.seat.classGen++
	gen := m.seat.classGen
	return tea.Tick(classRefresh, func(time.Time) tea.Msg { return classTickMsg{gen: gen} })
}

func (m *Model) onClassTick(t classTickMsg) tea.Cmd {
	if _, open := m.top().(classPane); m.seat == nil || !open || t.gen != m.seat.classGen {
		return nil
	}
	return m.classTick()
}

// classBadge is the status bar's classroom mark: leading, following or
// on one's own. Empty outside a classroom.
func (m *Model) classBadge() string {
	st := m.seat
	switch {
	case st == nil:
		return ""
	case st.instructor:
		return "● " + m.cat.T("ui.class.leading")
	case !st.on:
		return "○ " + m.cat.T("ui.class.branched")
	case !st.has:
		return "◌ " + m.cat.T("ui.class.waiting_badge")
	}
	return "◉ " + m.cat.T("ui.class.following")
}

// helpGroups are the key groups this session shows: the classroom keys
// only in a classroom, and only those of the session's role.
func (m *Model) helpGroups() []helpGroup {
	var out []helpGroup
	for _, g := range m.offered().fullHelp() {
		if g.title == "ui.help.class" {
			switch {
			case m.seat == nil:
				continue
			case m.seat.instructor:
				g.keys = []key.Binding{m.keys.ClassView}
			default:
				g.keys = []key.Binding{m.keys.Branch, m.keys.Rejoin}
			}
		}
		out = append(out, g)
	}
	return out
}

// followHints are a student's hints: what it may do while following, or
// how to follow again.
func (m *Model) followHints() []key.Binding {
	k := &m.keys
	if !m.seat.on {
		if m.run.Lesson() != nil {
			return append([]key.Binding{k.Rejoin}, m.lessonHints()...)
		}
		return append([]key.Binding{k.Rejoin}, m.offered().shortHelp()...)
	}
	bs := []key.Binding{k.Branch}
	if m.run.Asking() {
		bs = append([]key.Binding{k.Answer}, bs...)
	}
	if m.run.Lesson() != nil {
		bs = append(bs, k.Pane)
	}
	return append(bs, k.Lang, k.Help, k.Quit)
}
