package serve

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// End-to-end follow mode: one instructor and students over real SSH. These
// depend on the ui side of follow mode (publishing, FollowMsg, the badge,
// b and f, the class view on T).

var (
	eventRe = regexp.MustCompile(`\bevent (\d+)\b`)
	stepRe  = regexp.MustCompile(`\bstep (\d+)/(\d+)\b`)
	// a segment in the ladder: "#1 F. 1001:5001 ────▶" or "◀──── #2 ACK ..."
	segRe = regexp.MustCompile(`#(\d+) (\S+)`)
)

// event is the event number in the status bar (the lowest line that
// shows one), -1 if none.
func event(screen string) int {
	lines := strings.Split(screen, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if m := eventRe.FindStringSubmatch(lines[i]); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return -1
}

// lessonStep is the lesson pane's "step N/M", "" without one.
func lessonStep(screen string) string { return stepRe.FindString(screen) }

// arrows lists the segments drawn in the ladder (below its "t (s)"
// header), top to bottom, each with its direction: ["#1 F. →", "#2 ACK ←"].
func arrows(screen string) []string {
	var out []string
	in := false
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "t (s)") {
			in = true
			continue
		}
		if !in {
			continue
		}
		m := segRe.FindStringSubmatch(l)
		switch {
		case m == nil:
		case strings.Contains(l, "─▶"):
			out = append(out, "#"+m[1]+" "+m[2]+" →")
		case strings.Contains(l, "◀─"):
			out = append(out, "#"+m[1]+" "+m[2]+" ←")
		}
	}
	return out
}

// classroom is an instructor and students, all connected and drawn.
type classroom struct {
	t        *testing.T
	srv      *Server
	addr     string
	teacher  *term
	students map[string]*term
}

func newClassroom(t *testing.T, students ...string) *classroom {
	t.Helper()
	isolate(t)
	key := newSigner(t)
	srv, addr := startServer(t, Config{InstructorKey: authorizedLine(key)})
	c := &classroom{t: t, srv: srv, addr: addr, students: map[string]*term{}}
	tc, err := dial(t, addr, "teacher", nil, gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("instructor: %v", err)
	}
	c.teacher = openTerm(t, tc, 120, 36)
	c.teacher.waitText("CLIENT", 5*time.Second)
	for _, u := range students {
		c.join(u)
	}
	return c
}

func (c *classroom) join(user string) *term {
	c.t.Helper()
	sc, err := dial(c.t, c.addr, user, nil, noKey())
	if err != nil {
		c.t.Fatalf("%s: %v", user, err)
	}
	tm := openTerm(c.t, sc, 120, 36)
	tm.waitText("CLIENT", 5*time.Second)
	c.students[user] = tm
	return tm
}

// teacherPresses presses keys on the instructor's terminal, one at a time,
// each once the screen has settled, and returns the settled screen.
func (c *classroom) teacherPresses(keys ...string) string {
	c.t.Helper()
	s := settle(c.teacher)
	for _, k := range keys {
		c.teacher.send(k)
		c.teacher.waitScreen("the answer to "+k, 5*time.Second, func(n string) bool { return n != s })
		s = settle(c.teacher)
	}
	return s
}

// follows waits until the student's screen shows the instructor's point:
// the same event, the same arrows in the same order, the same lesson step.
func (c *classroom) follows(user, teacher string) string {
	c.t.Helper()
	want, wantArrows, wantStep := event(teacher), arrows(teacher), lessonStep(teacher)
	if want < 0 {
		c.t.Fatalf("the instructor's screen shows no event number:\n%s", teacher)
	}
	return c.students[user].waitScreen(user+" following the instructor at event "+strconv.Itoa(want), 5*time.Second, func(s string) bool {
		return event(s) == want && slices.Equal(arrows(s), wantArrows) && lessonStep(s) == wantStep
	})
}

func TestFollowStudentsSeeTheInstructorsRun(t *testing.T) {
	c := newClassroom(t, "alice", "bob")
	for _, u := range []string{"alice", "bob"} {
		c.students[u].waitScreen(u+"'s following badge", 5*time.Second, func(s string) bool {
			return strings.Contains(strings.ToLower(s), "following")
		})
	}

	// The instructor steps; both students show every step as it comes.
	var ts string
	for i := range 4 {
		ts = c.teacherPresses("l")
		if got := event(ts); got != i+1 {
			t.Fatalf("after %d steps the instructor shows event %d:\n%s", i+1, got, ts)
		}
		for _, u := range []string{"alice", "bob"} {
			c.follows(u, ts)
		}
	}
	if len(arrows(ts)) < 2 {
		t.Fatalf("after 4 steps the instructor's ladder shows %v: the test reads the wrong lines\n%s", arrows(ts), ts)
	}

	// Alice branches off and steps on her own: she leaves the
	// instructor's point, bob does not.
	alice, bob := c.students["alice"], c.students["bob"]
	alice.send("b")
	settle(alice)
	for range 3 {
		alice.send("l")
	}
	as := alice.waitScreen("alice's own steps", 5*time.Second, func(s string) bool { return event(s) > event(ts) })
	as = settle(alice)
	ts = c.teacherPresses("l")
	c.follows("bob", ts)
	time.Sleep(200 * time.Millisecond) // the instructor's step has had time to reach alice too
	if got := settle(alice); event(got) == event(ts) || event(got) != event(as) {
		t.Errorf("alice branched off at event %d, the instructor went on to %d, alice shows %d:\n%s",
			event(as), event(ts), event(got), got)
	}
	if event(bob.screen()) != event(ts) {
		t.Errorf("bob stopped following when alice branched off:\n%s", bob.screen())
	}
	// The instructor's class view (T) lists both students, from their
	// reports: alice on her own, bob following; esc goes back.
	c.teacher.send("T")
	c.teacher.waitScreen("alice on her own and bob following in the class view", 5*time.Second, func(s string) bool {
		a, b := rowOf(s, "alice"), rowOf(s, "bob")
		return a != "" && b != "" && !strings.Contains(a, "following") && strings.Contains(b, "following")
	})
	c.teacher.send("\x1b")
	c.teacher.waitScreen("the instructor's run again", 5*time.Second, func(s string) bool { return event(s) == event(ts) && rowOf(s, "alice") == "" })

	// f: alice is back at the instructor's current point.
	alice.send("f")
	c.follows("alice", ts)
	// and follows again.
	ts = c.teacherPresses("l")
	c.follows("alice", ts)
	c.follows("bob", ts)

	// Back in step, both are listed as following.
	c.teacher.send("T")
	c.teacher.waitScreen("alice and bob following in the class view", 5*time.Second, func(s string) bool {
		return strings.Contains(rowOf(s, "alice"), "following") && strings.Contains(rowOf(s, "bob"), "following")
	})
}

// rowOf is the first line of the screen that names user, "" if none.
func rowOf(screen, user string) string {
	for _, l := range strings.Split(screen, "\n") {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(user) + `\b`).MatchString(l) {
			return l
		}
	}
	return ""
}

func TestFollowLateStudentStartsAtTheInstructorsPoint(t *testing.T) {
	c := newClassroom(t, "alice")
	ts := c.teacherPresses("l", "l", "l")
	c.follows("alice", ts)
	c.join("carol")
	c.follows("carol", ts)
	if got := c.students["carol"].screen(); !strings.Contains(strings.ToLower(got), "following") {
		t.Errorf("the late student has no following badge:\n%s", got)
	}
}

func TestFollowStudentKeysDoNotMoveTheClass(t *testing.T) {
	c := newClassroom(t, "alice", "bob")
	ts := c.teacherPresses("l", "l")
	c.follows("alice", ts)
	c.follows("bob", ts)
	// A following student's step is not the class's: the instructor
	// drives. Branched off, its steps stay its own.
	c.students["alice"].send("l")
	c.students["alice"].send("b")
	c.students["alice"].send("l")
	c.students["alice"].waitScreen("alice's own step", 5*time.Second, func(s string) bool { return event(s) != event(ts) })
	time.Sleep(300 * time.Millisecond)
	if got := settle(c.teacher); got != ts {
		t.Errorf("a student's keys changed the instructor's screen:\nbefore:\n%s\nafter:\n%s", ts, got)
	}
	if got := settle(c.students["bob"]); event(got) != event(ts) {
		t.Errorf("a student's keys moved another student to event %d:\n%s", event(got), got)
	}
}
