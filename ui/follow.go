package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// followState is a session's place in a classroom (finwait serve with an
// instructor): the instructor publishes its run after every message; a
// student follows it until it branches off with b and rejoins with f.
type followState struct {
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

func (m *Model) inClass() bool { return m.class != nil }

// following reports whether this session shows the instructor's run.
func (m *Model) following() bool {
	return m.class != nil && !m.instructor && m.follow.on
}

// classSync runs after every message of a classroom session: the
// instructor publishes what changed, a student reports how it is doing.
func (m *Model) classSync() {
	if m.instructor {
		m.publish()
		return
	}
	st := StudentStatus{User: m.user, Following: m.follow.on}
	if c := m.tutor.cur; c != nil {
		st.Lesson = c.l.ID
		st.Right, st.Questions = m.progress().Score(c.l)
	}
	if st != m.follow.reported {
		m.follow.reported = st
		m.class.Report(st)
	}
}

// publish tells the class about the instructor's run when it changed.
func (m *Model) publish() {
	s := Shared{Scenario: m.sc, Sets: m.sets, Actions: m.sim.Actions(), Pos: m.sim.Pos(), Now: m.sim.Now(),
		Playing: m.playing || m.skip != nil, Speed: m.speed}
	if c := m.tutor.cur; c != nil {
		s.Lesson, s.Step = c.l.ID, c.step
		if c.l == m.tutor.file {
			s.File = c.l
		}
		s.FromLesson = m.sim == c.sim
	}
	p := &m.follow.pub
	if p.Seq > 0 && s.FromLesson == p.FromLesson && s.Scenario == p.Scenario && slices.Equal(s.Sets, p.Sets) &&
		slices.Equal(s.Actions, p.Actions) && s.Pos == p.Pos && s.Now == p.Now && s.Playing == p.Playing &&
		s.Speed == p.Speed && s.Lesson == p.Lesson && s.File == p.File && s.Step == p.Step {
		return
	}
	s.Seq = p.Seq + 1
	s.Sets = slices.Clone(s.Sets)
	*p = s
	m.class.Publish(s)
}

// onFollow takes the instructor's newest run.
func (m *Model) onFollow(s Shared) {
	if m.class == nil || m.instructor || (m.follow.has && s.Seq <= m.follow.latest.Seq) {
		return
	}
	m.follow.latest, m.follow.has = s, true
	if m.follow.on {
		m.applyShared(s)
	}
}

// applyShared makes the student's run the instructor's: the same lesson
// and step, the same run built the same way, synced to the same actions,
// step and clock. The student's own clock does not run: the instructor's
// publications move it.
func (m *Model) applyShared(s Shared) {
	m.stop()
	l := s.File
	if l == nil && s.Lesson != "" {
		l = m.followLesson(s.Lesson)
	}
	if l == nil || s.Step >= len(l.Steps) {
		m.tutor.cur, l = nil, nil
	}
	base := fmt.Sprintf("scenario %p %s", s.Scenario, strings.Join(s.Sets, " "))
	if l != nil {
		base = fmt.Sprintf("lesson %p %s %d %v", s.File, s.Lesson, s.Step, s.FromLesson) + base
	}
	if base != m.follow.base {
		if !m.followBase(s, l) {
			return
		}
		m.follow.base = base
	}
	if !slices.Equal(s.Actions, m.follow.actions) {
		m.ladder = ladderCache{} // a replayed run may differ in events already drawn
		m.follow.actions = s.Actions
	}
	m.sim.Sync(s.Actions, s.Pos, s.Now)
	m.speed = max(0, min(s.Speed, len(speeds)-1))
	m.playing = s.Playing // shown in the status bar; no ticks run here
	m.ladderOff = 0
	if m.tutor.cur != nil {
		m.noteArrival()
	}
}

// followBase builds the run the instructor's is built from, and opens the
// lesson step it belongs to.
func (m *Model) followBase(s Shared, l *lessons.Lesson) bool {
	var step *lessonRun
	if l != nil {
		step = &lessonRun{l: l, step: s.Step, answer: -1, asking: l.Steps[s.Step].Question != nil}
		if c := m.tutor.cur; c != nil && c.l.ID == l.ID && c.step == s.Step {
			step.answer, step.asking, step.scroll = c.answer, c.asking, c.scroll
		}
	}
	if s.FromLesson && l != nil {
		sim, start, err := lessons.StepRun(l, s.Step)
		if err != nil {
			m.say("ui.msg.lesson_error", true, "err", lessons.ErrorText(m.cat, err))
			return false
		}
		step.sim, step.start, step.cpPos, step.cpNow = sim, start, sim.Pos(), sim.Now()
		m.sim, m.sc, m.sets = sim, sim.Scenario(), l.Steps[s.Step].Sets
	} else {
		sim, err := model.New(s.Scenario, s.Sets, nil)
		if err != nil {
			m.msg, m.msgErr = m.errText(err), true
			return false
		}
		if step != nil {
			// The instructor left the lesson's path (new settings or a
			// scenario): the pane still shows the step, the run is not it.
			step.cpPos, step.cpNow = -1, 0
		}
		m.sim, m.sc, m.sets = sim, s.Scenario, s.Sets
	}
	m.tutor.cur = step
	m.seg, m.ladder, m.follow.actions = 0, ladderCache{}, nil
	return true
}

// followLesson is the built-in lesson id in the student's language.
func (m *Model) followLesson(id string) *lessons.Lesson {
	if m.follow.lessons == nil {
		m.follow.lessons = map[string][]*lessons.Lesson{}
	}
	ls, ok := m.follow.lessons[m.lang]
	if !ok {
		ls, _ = lessons.Builtin(m.lang)
		m.follow.lessons[m.lang] = ls
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
	switch {
	case m.class == nil:
		return nil, false
	case m.instructor && key.Matches(msg, k.ClassView):
		m.stop()
		m.mode = modeClass
		return m.classTick(), true
	case m.instructor:
		return nil, false
	case key.Matches(msg, k.Branch):
		if !m.follow.on {
			m.say("ui.class.already_branched", false)
			return nil, true
		}
		m.follow.on = false
		m.playing = false
		m.say("ui.class.branched_msg", false)
		return nil, true
	case key.Matches(msg, k.Rejoin):
		if m.follow.on {
			m.say("ui.class.already_following", false)
			return nil, true
		}
		m.follow.on = true
		m.follow.base = "" // the student's own run is gone: rebuild
		if m.follow.has {
			m.applyShared(m.follow.latest)
		}
		m.say("ui.class.rejoined", false)
		return nil, true
	case !m.follow.on:
		return nil, false
	case key.Matches(msg, k.Help, k.Lang, k.Quit, k.Pane, k.TextUp, k.TextDown, k.Answer, k.ScrollUp,
		k.ScrollDown, k.NextSeg, k.PrevSeg, k.Client, k.Server, k.Kernel, k.Present):
		return nil, false
	}
	if m.follow.has {
		m.say("ui.class.refused", true)
	} else {
		m.say("ui.class.waiting", true)
	}
	return nil, true
}

// classTick refreshes the class view while it is open.
func (m *Model) classTick() tea.Cmd {
	m.follow.classGen++
	gen := m.follow.classGen
	return tea.Tick(classRefresh, func(time.Time) tea.Msg { return classTickMsg{gen: gen} })
}

func (m *Model) onClassTick(t classTickMsg) tea.Cmd {
	if t.gen != m.follow.classGen || m.mode != modeClass {
		return nil
	}
	return m.classTick()
}

func (m *Model) classKey(msg tea.KeyPressMsg) {
	if key.Matches(msg, m.keys.Cancel, m.keys.ClassView, m.keys.Quit) {
		m.mode = modeMain
	}
}

// classView lists the students: who follows, and their score in the
// lesson they have open, the instructor's lesson first.
func (m *Model) classView(h int) []string {
	st := &m.st
	roster := m.class.Roster()
	cur := ""
	if c := m.tutor.cur; c != nil {
		cur = c.l.ID
	}
	sort.SliceStable(roster, func(i, j int) bool { return roster[i].Lesson == cur && roster[j].Lesson != cur })
	out := []string{" " + st.bold.Render(m.cat.T("ui.class.title", "n", len(roster))), ""}
	uw := len(m.cat.T("ui.class.col.user"))
	for _, r := range roster {
		uw = max(uw, width(r.User))
	}
	uw = min(uw, m.w/3)
	out = append(out, " "+st.dim.Render(fit(m.cat.T("ui.class.col.user"), uw)+"  "+
		fit(m.cat.T("ui.class.col.mode"), 12)+"  "+m.cat.T("ui.class.col.lesson")))
	for _, r := range roster {
		mode := m.cat.T("ui.class.following")
		if !r.Following {
			mode = m.cat.T("ui.class.branched")
		}
		lesson := "—"
		if r.Lesson != "" {
			lesson = m.cat.T("ui.class.score", "lesson", r.Lesson, "right", r.Right, "questions", r.Questions)
		}
		out = append(out, " "+fit(r.User, uw)+"  "+fit(mode, 12)+"  "+lesson)
	}
	if len(roster) == 0 {
		out = append(out, " "+m.cat.T("ui.class.empty"))
	}
	out = block(out, m.w, h-1)
	return append(out, " "+st.dim.Render(m.cat.T("ui.class.keys")))
}

// classBadge is the status bar's classroom mark: leading, following or
// on one's own. Empty outside a classroom.
func (m *Model) classBadge() string {
	switch {
	case m.class == nil:
		return ""
	case m.instructor:
		return "● " + m.cat.T("ui.class.leading")
	case !m.follow.on:
		return "○ " + m.cat.T("ui.class.branched")
	case !m.follow.has:
		return "◌ " + m.cat.T("ui.class.waiting_badge")
	}
	return "◉ " + m.cat.T("ui.class.following")
}

// helpGroups are the key groups this session shows: the classroom keys
// only in a classroom, and only those of the session's role.
func (m *Model) helpGroups() []helpGroup {
	var out []helpGroup
	for _, g := range m.keys.fullHelp() {
		if g.title == "ui.help.class" {
			if m.class == nil {
				continue
			}
			if m.instructor {
				g.keys = []key.Binding{m.keys.ClassView}
			} else {
				g.keys = []key.Binding{m.keys.Branch, m.keys.Rejoin}
			}
		}
		out = append(out, g)
	}
	return out
}

// followHints are a student's hints: what it may do while following, or
// how to follow again.
func (m *Model) followHints() []keyBinding {
	k := &m.keys
	if !m.follow.on {
		if m.tutor.cur != nil {
			return append([]keyBinding{k.Rejoin}, m.lessonHints()...)
		}
		return append([]keyBinding{k.Rejoin}, k.shortHelp()...)
	}
	bs := []keyBinding{k.Branch}
	if c := m.tutor.cur; c != nil && c.asking {
		bs = append([]keyBinding{k.Answer}, bs...)
	}
	if m.tutor.cur != nil {
		bs = append(bs, k.Pane)
	}
	return append(bs, k.Lang, k.Help, k.Quit)
}
