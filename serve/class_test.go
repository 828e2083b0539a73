package serve

import (
	"slices"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"finwait/ui"
)

// fakeProgram stands in for a student's tea.Program: send blocks, as
// Program.Send does, until the test lets the program take a message (or
// the session ends).
type fakeProgram struct {
	done chan struct{} // the session ended
	take chan struct{} // one message may be taken
	mu   sync.Mutex
	got  []uint64 // Seq of every FollowMsg taken
}

func newFakeProgram() *fakeProgram {
	return &fakeProgram{done: make(chan struct{}), take: make(chan struct{})}
}

func (f *fakeProgram) send(msg tea.Msg) {
	select {
	case <-f.take:
	case <-f.done:
		return
	}
	f.mu.Lock()
	f.got = append(f.got, msg.(ui.FollowMsg).S.Seq)
	f.mu.Unlock()
}

func (f *fakeProgram) seqs() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.got)
}

// waitSeqs waits until the program has taken n messages.
func (f *fakeProgram) waitSeqs(t *testing.T, n int) []uint64 {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(time.Millisecond) {
		if got := f.seqs(); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program took %v, want %d messages", f.seqs(), n)
		}
	}
}

// takeAll lets the program take every message from now on.
func (f *fakeProgram) takeAll() { close(f.take) }

// start runs the seat's delivery as newProgram does; it stops (and is
// waited for) when the test ends.
func (f *fakeProgram) start(t *testing.T, st *seat) {
	ended := make(chan struct{})
	go func() { st.deliver(f.done, f.send); close(ended) }()
	t.Cleanup(func() {
		select {
		case <-f.done:
		default:
			close(f.done)
		}
		select {
		case <-ended:
		case <-time.After(2 * time.Second):
			t.Errorf("the delivery goroutine did not end with the session")
		}
	})
}

// publishBounded publishes n runs from st and fails if that takes long:
// Publish runs in the instructor's Update and must never wait for a
// student.
func publishBounded(t *testing.T, st *seat, n int) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		for i := range n {
			st.Publish(ui.Shared{Pos: i + 1})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatalf("%d publications did not return within 2 s: Publish waits for the students", n)
	}
}

func TestClassSlowStudentGetsTheNewestAndNeverBlocksTheInstructor(t *testing.T) {
	c := newClass()
	teacher := c.join("teacher", true)
	slow, fast := newFakeProgram(), newFakeProgram()
	slow.start(t, c.join("slow", false))
	fast.start(t, c.join("fast", false))
	fast.takeAll()

	// The slow student's program takes nothing while 1000 runs are
	// published: every publication returns at once all the same.
	publishBounded(t, teacher, 1000)
	latest, ok := teacher.Latest()
	if !ok || latest.Seq != 1000 || latest.Pos != 1000 {
		t.Fatalf("Latest = %+v, %v; want the 1000th publication", latest, ok)
	}
	if got := fast.waitSeqs(t, 1); got[len(got)-1] > 1000 || !slices.IsSorted(got) {
		t.Fatalf("the fast student got %v", got)
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(time.Millisecond) {
		if got := fast.seqs(); got[len(got)-1] == 1000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fast student never got the newest run: %v", fast.seqs())
		}
	}

	// Once it takes messages, the slow student gets the one its program
	// was offered first (which it was waiting on), then the newest only.
	slow.takeAll()
	got := slow.waitSeqs(t, 1)
	time.Sleep(50 * time.Millisecond)
	got = slow.seqs()
	if len(got) > 2 || got[len(got)-1] != 1000 || !slices.IsSorted(got) {
		t.Errorf("the slow student got %v; want at most two messages, the last the newest (1000)", got)
	}
	// Nothing new, nothing sent.
	time.Sleep(50 * time.Millisecond)
	if again := slow.seqs(); len(again) != len(got) {
		t.Errorf("without a new publication the student got more: %v", again)
	}
	// A new publication reaches it.
	teacher.Publish(ui.Shared{Pos: 1001})
	if got := slow.waitSeqs(t, len(got)+1); got[len(got)-1] != 1001 {
		t.Errorf("after one more publication the slow student got %v", got)
	}
}

func TestClassLateStudentGetsTheCurrentRun(t *testing.T) {
	c := newClass()
	teacher := c.join("teacher", true)
	early := newFakeProgram()
	early.start(t, c.join("early", false))
	early.takeAll()
	time.Sleep(20 * time.Millisecond)
	if got := early.seqs(); len(got) != 0 {
		t.Fatalf("before the instructor published, a student got %v", got)
	}
	publishBounded(t, teacher, 7)

	late := newFakeProgram()
	st := c.join("late", false)
	if s, ok := st.Latest(); !ok || s.Pos != 7 {
		t.Fatalf("a new seat's Latest = %+v, %v; want the 7th publication", s, ok)
	}
	late.start(t, st)
	late.takeAll()
	if got := late.waitSeqs(t, 1); got[0] != 7 {
		t.Errorf("the late student first got %v, want the current run (7)", got)
	}
}

func TestClassDeliveryEndsWithTheSession(t *testing.T) {
	c := newClass()
	teacher := c.join("teacher", true)
	p := newFakeProgram() // never takes anything: delivery is stuck in send
	st := c.join("alice", false)
	ended := make(chan struct{})
	go func() { st.deliver(p.done, p.send); close(ended) }()
	teacher.Publish(ui.Shared{})
	teacher.Publish(ui.Shared{})
	close(p.done)
	select {
	case <-ended:
	case <-time.After(2 * time.Second):
		t.Fatal("delivery went on after the session ended")
	}
	c.leave(st)
	publishBounded(t, teacher, 10) // nobody to wake
}

func TestClassReportAndRoster(t *testing.T) {
	c := newClass()
	teacher := c.join("teacher", true)
	bob := c.join("bob", false)
	alice := c.join("alice", false)
	alice2 := c.join("alice", false) // a second terminal of the same user

	// Everyone connected is listed, following, before any report.
	want := []ui.StudentStatus{{User: "alice", Following: true}, {User: "alice", Following: true}, {User: "bob", Following: true}}
	if got := teacher.Roster(); !slices.Equal(got, want) {
		t.Fatalf("roster before reports:\n got %+v\nwant %+v", got, want)
	}

	bob.Report(ui.StudentStatus{User: "bob", Following: false, Lesson: "close", Right: 1, Questions: 2})
	alice2.Report(ui.StudentStatus{User: "mallory", Following: true, Lesson: "close", Right: 2, Questions: 2})
	teacher.Report(ui.StudentStatus{User: "teacher", Lesson: "close"}) // instructors are not students
	want = []ui.StudentStatus{
		{User: "alice", Following: true},
		{User: "alice", Following: true, Lesson: "close", Right: 2, Questions: 2}, // named by its seat, not itself
		{User: "bob", Following: false, Lesson: "close", Right: 1, Questions: 2},
	}
	if got := teacher.Roster(); !slices.Equal(got, want) {
		t.Fatalf("roster after reports:\n got %+v\nwant %+v", got, want)
	}
	// A newer report replaces the older.
	bob.Report(ui.StudentStatus{Following: true, Lesson: "rst", Right: 0, Questions: 3})
	if got := teacher.Roster()[2]; got != (ui.StudentStatus{User: "bob", Following: true, Lesson: "rst", Questions: 3}) {
		t.Errorf("bob after a second report: %+v", got)
	}
	// Who leaves is no longer listed; the roster is a copy.
	c.leave(alice)
	got := teacher.Roster()
	if len(got) != 2 || got[0].Lesson != "close" || got[1].User != "bob" {
		t.Errorf("roster after alice's first session left: %+v", got)
	}
	got[0].User = "changed"
	if teacher.Roster()[0].User != "alice" {
		t.Errorf("changing the returned roster changed the class")
	}
}

func TestClassOnlyTheNewestInstructorLeads(t *testing.T) {
	c := newClass()
	student := c.join("alice", false)
	if _, ok := student.Latest(); ok {
		t.Fatal("Latest before any publication says there is one")
	}
	student.Publish(ui.Shared{Pos: 99}) // a student's publications go nowhere
	if _, ok := student.Latest(); ok {
		t.Fatal("a student's publication was stored")
	}

	first := c.join("teacher", true)
	first.Publish(ui.Shared{Seq: 1, Pos: 1})
	second := c.join("teacher", true) // e.g. a reconnection
	first.Publish(ui.Shared{Seq: 2, Pos: 2})
	if s, _ := student.Latest(); s.Pos != 1 {
		t.Fatalf("the older instructor session still leads: Latest = %+v", s)
	}
	// The new session numbers its publications from 1 again: the hub's
	// numbering keeps increasing, so students do not take them for old.
	second.Publish(ui.Shared{Seq: 1, Pos: 10})
	s, _ := student.Latest()
	if s.Pos != 10 || s.Seq <= 1 {
		t.Fatalf("the newest instructor's publication: Latest = %+v, want Pos 10 and Seq above 1", s)
	}
	seq := s.Seq

	// When the leader leaves, the remaining instructor session leads.
	c.leave(second)
	if s, _ := student.Latest(); s.Pos != 10 {
		t.Errorf("the last publication was lost when its instructor left: %+v", s)
	}
	first.Publish(ui.Shared{Seq: 3, Pos: 3})
	if s, _ := student.Latest(); s.Pos != 3 || s.Seq <= seq {
		t.Errorf("after the newest left, the other instructor session does not lead: %+v", s)
	}
	c.leave(first)
	first.Publish(ui.Shared{Pos: 4})
	if s, _ := student.Latest(); s.Pos != 3 {
		t.Errorf("a session that left still publishes: %+v", s)
	}
	if r := student.Roster(); len(r) != 1 || r[0].User != "alice" {
		t.Errorf("roster %+v, want alice alone", r)
	}
}
