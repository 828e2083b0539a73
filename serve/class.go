package serve

import (
	"cmp"
	"slices"
	"sync"

	tea "charm.land/bubbletea/v2"

	"finwait/ui"
)

// class is follow mode (--instructor-key): the instructor's session
// publishes its run (the actions taken, never the screen), every student's
// session is brought the newest publication, and the students report how
// they are doing for the instructor's class view. One per server.
//
// Publish, Latest, Report and Roster are called from the sessions'
// Update and only take the hub's lock briefly; delivery to the students'
// programs (tea.Program.Send blocks until the program takes the message)
// happens in one goroutine per student, which only ever sends the newest
// publication: a slow student skips states, it never falls behind, and
// the instructor is never kept waiting.
//
// More than one instructor session at a time (a second terminal, or a
// reconnection while the dropped connection has not timed out yet): the
// newest leads; the others' publications are ignored until it leaves,
// when the newest remaining one leads again.
type class struct {
	mu     sync.Mutex
	seq    uint64 // of the newest publication, numbered by the hub
	latest ui.Shared
	has    bool
	seats  map[*seat]struct{}
	joins  uint64 // seats ever joined, for their join order
	leader *seat  // the newest instructor seat, nil without one
}

func newClass() *class { return &class{seats: map[*seat]struct{}{}} }

// seat is one session's ui.Class.
type seat struct {
	c          *class
	user       string
	instructor bool
	order      uint64
	wake       chan struct{}    // capacity 1: something newer was published
	status     ui.StudentStatus // guarded by c.mu
}

// join gives a session its seat. A student's seat starts with a wake-up,
// so that its delivery brings the current run at once if there is one.
func (c *class) join(user string, instructor bool) *seat {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.joins++
	st := &seat{c: c, user: user, instructor: instructor, order: c.joins, wake: make(chan struct{}, 1),
		status: ui.StudentStatus{User: user, Following: true}}
	st.wake <- struct{}{}
	c.seats[st] = struct{}{}
	if instructor {
		c.leader = st
	}
	return st
}

// leave frees the seat; when it led, the newest remaining instructor
// seat leads. The newest publication stays: students keep the last state
// they were shown, and a new instructor session takes over from there.
func (c *class) leave(st *seat) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.seats, st)
	if c.leader != st {
		return
	}
	c.leader = nil
	for o := range c.seats {
		if o.instructor && (c.leader == nil || o.order > c.leader.order) {
			c.leader = o
		}
	}
}

// Publish is effective from the leading instructor's seat only. The hub
// numbers the publications itself, so that Seq keeps increasing across
// instructor sessions (each session numbers its own from 1).
func (st *seat) Publish(s ui.Shared) {
	c := st.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.leader != st {
		return
	}
	c.seq++
	s.Seq = c.seq
	c.latest, c.has = s, true
	for o := range c.seats {
		if !o.instructor {
			select {
			case o.wake <- struct{}{}:
			default: // already woken: it will read the newest anyway
			}
		}
	}
}

// Latest is the newest publication.
func (st *seat) Latest() (ui.Shared, bool) {
	st.c.mu.Lock()
	defer st.c.mu.Unlock()
	return st.c.latest, st.c.has
}

// Report keeps a student's status; the user name is the seat's (the SSH
// user name), whatever the session says. Instructors are not students.
func (st *seat) Report(s ui.StudentStatus) {
	if st.instructor {
		return
	}
	s.User = st.user
	st.c.mu.Lock()
	st.status = s
	st.c.mu.Unlock()
}

// Roster is every connected student's status, sorted by user name (then
// by arrival, for two sessions of one user), without the instructors.
func (st *seat) Roster() []ui.StudentStatus {
	c := st.c
	c.mu.Lock()
	seats := make([]*seat, 0, len(c.seats))
	for o := range c.seats {
		if !o.instructor {
			seats = append(seats, o)
		}
	}
	slices.SortFunc(seats, func(a, b *seat) int {
		return cmp.Or(cmp.Compare(a.user, b.user), cmp.Compare(a.order, b.order))
	})
	out := make([]ui.StudentStatus, len(seats))
	for i, o := range seats {
		out[i] = o.status
	}
	c.mu.Unlock()
	return out
}

// deliver brings a student's program every new publication, the newest
// only, until done is closed; send is the program's Send (which returns
// once the program takes the message, or once it has ended). The first
// wake-up (see join) brings the current publication to a student who
// joins late.
func (st *seat) deliver(done <-chan struct{}, send func(tea.Msg)) {
	var sent uint64
	for {
		select {
		case <-done:
			return
		case <-st.wake:
		}
		if s, ok := st.Latest(); ok && s.Seq > sent {
			sent = s.Seq
			send(ui.FollowMsg{S: s})
		}
	}
}
