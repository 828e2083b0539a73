package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"finwait/model"
)

// fakeClass is a classroom in memory: the newest publication and the
// students' reports, delivered by hand with deliver.
type fakeClass struct {
	mu     sync.Mutex
	latest Shared
	has    bool
	pubs   int
	roster map[string]StudentStatus
}

func (c *fakeClass) Publish(s Shared) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latest, c.has = s, true
	c.pubs++
}

func (c *fakeClass) Latest() (Shared, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latest, c.has
}

func (c *fakeClass) Report(s StudentStatus) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.roster == nil {
		c.roster = map[string]StudentStatus{}
	}
	c.roster[s.User] = s
}

func (c *fakeClass) Roster() []StudentStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []StudentStatus
	for _, s := range c.roster {
		out = append(out, s)
	}
	return out
}

// seat opens a classroom session at 100x30 with its own progress file.
func takeSeat(t *testing.T, c *fakeClass, user string, instructor bool, lang string) *Model {
	t.Helper()
	tm, err := NewSession(SessionOptions{Lang: lang, ProgressPath: t.TempDir() + "/p.json", Class: c, User: user, Instructor: instructor})
	if err != nil {
		t.Fatal(err)
	}
	m := tm.(*Model)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return m
}

// deliver hands the newest publication to the students, as the server does.
func deliver(c *fakeClass, students ...*Model) {
	if s, ok := c.Latest(); ok {
		for _, m := range students {
			m.Update(FollowMsg{S: s})
		}
	}
}

// runState is what must agree between the instructor and a follower.
func runState(m *Model) string {
	c := "none"
	if m.run.Lesson() != nil {
		c = m.run.Lesson().ID + "#" + itoa(m.run.StepIndex())
	}
	return strings.Join([]string{c, m.sc().Name, itoa(m.sim().Pos()), secs(m.sim().Now()), view0(m)}, " ")
}

// engineState is the run's state in any language.
func engineState(m *Model) string {
	out := runState(m)
	out = out[:len(out)-len(view0(m))]
	for _, side := range []model.Side{model.Client, model.Server} {
		ep, _ := m.sim().Endpoint(side)
		out += fmt.Sprintf(" %v %d %d %d", ep.State, ep.SndUna, ep.SndNxt, ep.RcvNxt)
	}
	return out + fmt.Sprint(len(m.sim().Flights()), m.sim().Timers(model.Client), m.sim().Timers(model.Server))
}

// view0 is the columns' text: states, sequence numbers, timers.
func view0(m *Model) string {
	lines := strings.Split(screen(m), "\n")
	// The selected segment (▸) is each session's own choice.
	return strings.ReplaceAll(strings.Join(lines[1:10], "\n"), "▸", " ")
}

func TestFollowTheInstructor(t *testing.T) {
	c := &fakeClass{}
	teacher := takeSeat(t, c, "teacher", true, "en")
	alice := takeSeat(t, c, "alice", false, "en")
	bob := takeSeat(t, c, "bob", false, "zh")

	// Before the instructor has published, a student cannot drive the run.
	if !strings.Contains(screen(alice), "waiting for the instructor") {
		t.Errorf("no waiting badge before the instructor starts:\n%s", screen(alice))
	}
	press(alice, "l")
	if alice.sim().Pos() != 0 || !strings.Contains(alice.msg, "press b") {
		t.Errorf("a following student stepped the run on its own (pos %d, msg %q)", alice.sim().Pos(), alice.msg)
	}

	// The instructor steps into lesson 1 and through it: students follow.
	press(teacher, "]") // step 2: a question
	press(teacher, "1") // the right answer: the step plays
	for range 3 {
		press(teacher, "l")
	}
	deliver(c, alice, bob)
	if got, want := runState(alice), runState(teacher); got != want {
		t.Fatalf("alice does not show the instructor's run:\n got  %s\n want %s", got, want)
	}
	if alice.sim().Pos() == 0 || bob.sim().Pos() != teacher.sim().Pos() || bob.run.Lesson().Lang != "zh" {
		t.Fatalf("bob (Chinese) is not at the instructor's point in his language: pos %d/%d", bob.sim().Pos(), teacher.sim().Pos())
	}
	if s := screen(alice); !strings.Contains(s, "◉ following") || !strings.Contains(s, "b branch off") || strings.Contains(s, "] next step") {
		t.Errorf("a follower should see the badge and the b hint, not the lesson's own keys:\n%s", s)
	}
	press(alice, "?")
	if s := screen(alice); !strings.Contains(s, "Classroom") || !strings.Contains(s, "b branch off: try it yourself") {
		t.Errorf("the help view lacks the classroom keys:\n%s", s)
	}
	press(alice, "esc")
	// The student answers the question on its own: the score is its own,
	// and answering does not move the shared run.
	pos := alice.sim().Pos()
	press(alice, "2")
	if r, _ := alice.run.Progress().Score(alice.run.Lesson()); r != 0 || alice.sim().Pos() != pos {
		t.Errorf("alice's wrong answer: score %d, run moved from %d to %d", r, pos, alice.sim().Pos())
	}

	// Alice branches off and steps on her own; Bob still follows.
	press(alice, "b")
	press(alice, "l", "l")
	press(teacher, "h") // the instructor rewinds one event
	deliver(c, alice, bob)
	if alice.sim().Pos() != pos+2 {
		t.Errorf("branched alice should be at her own event %d, is at %d", pos+2, alice.sim().Pos())
	}
	if got, want := engineState(bob), engineState(teacher); got != want {
		t.Fatalf("bob did not follow the rewind:\n got  %s\n want %s", got, want)
	}
	if !strings.Contains(screen(alice), "○ on your own") {
		t.Errorf("no branched badge:\n%s", screen(alice))
	}

	// The instructor drops a segment; Alice rejoins and is at the
	// instructor's point, drop included.
	press(teacher, "l", "tab", "x")
	if len(teacher.sim().Actions()) == 0 {
		t.Fatalf("the instructor's drop was not applied: %s", teacher.msg)
	}
	deliver(c, alice, bob)
	press(alice, "f")
	if got, want := runState(alice), runState(teacher); got != want {
		t.Fatalf("alice rejoined elsewhere:\n got  %s\n want %s", got, want)
	}
	if got, want := len(alice.sim().Actions()), len(teacher.sim().Actions()); got != want {
		t.Errorf("alice has %d actions after rejoining, the instructor %d", got, want)
	}

	// The instructor's class view lists both students with their scores.
	press(teacher, "T")
	s := screen(teacher)
	for _, want := range []string{"alice", "bob", "four-way-close: 0/2 right", "following"} {
		if !strings.Contains(s, want) {
			t.Errorf("class view lacks %q:\n%s", want, s)
		}
	}
}

// A student who joins late is brought to the instructor's current point,
// including a scenario the instructor opened outside any lesson.
func TestFollowLateJoinerOffTheLesson(t *testing.T) {
	c := &fakeClass{}
	teacher := takeSeat(t, c, "teacher", true, "en")
	press(teacher, "o") // the scenario picker
	for range 3 {
		press(teacher, "down")
	}
	press(teacher, "enter")
	press(teacher, "l", "l", "l")
	late := takeSeat(t, c, "late", false, "en")
	deliver(c, late)
	if got, want := runState(late), runState(teacher); got != want {
		t.Fatalf("the late student is elsewhere:\n got  %s\n want %s", got, want)
	}
	// Publishing is only on change: an idle instructor does not flood.
	n := c.pubs
	teacher.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if c.pubs != n {
		t.Errorf("a resize republished an unchanged run")
	}
}
