package serve

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	bm "charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/ssh"

	"finwait/ui"
)

// student is one admitted session: its program, its input and why the
// server ended it (if it did).
type student struct {
	sess       ssh.Session
	conn       *conn // nil when the connection was not counted (tests)
	user       string
	addr       string
	instructor bool  // signed in with the instructor's key (follow mode)
	seat       *seat // in the class, in follow mode
	started    time.Time
	input      *inputGate
	ctx        context.Context
	kill       context.CancelFunc // kills the program when it does not quit in time
	idle       *time.Timer
	grace      time.Duration

	mu      sync.Mutex
	program *tea.Program
	reason  string // catalogue key of the message the student is shown at the end
	args    []any
}

// end asks the session to finish with the message key: the program quits
// (restoring the student's terminal), then the message is printed. A
// program that does not quit within the grace period is killed, and a
// session still open after that is closed.
func (st *student) end(key string, args ...any) {
	st.mu.Lock()
	if st.reason != "" {
		st.mu.Unlock()
		return
	}
	st.reason, st.args = key, args
	p := st.program
	st.mu.Unlock()
	if p != nil {
		go p.Quit()
	}
	time.AfterFunc(st.grace, st.kill)
	time.AfterFunc(2*st.grace, func() { _ = st.sess.Close() })
}

func (st *student) ending() (string, []any) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.reason, st.args
}

// gate runs first: it turns away what is not an interactive terminal
// session, and students beyond MaxSessions.
func (s *Server) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		host, port := hostPort(sess.LocalAddr())
		if sess.RawCommand() != "" || sess.Subsystem() != "" {
			s.logf("serve.log.no_command", "user", sess.User(), "addr", sess.RemoteAddr().String())
			s.refuse(sess, "serve.no_command", "host", host, "port", port)
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			s.logf("serve.log.no_pty", "user", sess.User(), "addr", sess.RemoteAddr().String())
			s.refuse(sess, "serve.no_pty", "host", host, "port", port)
			return
		}
		st, key := s.admit(sess)
		if st == nil {
			s.refuse(sess, key, "n", s.cfg.MaxSessions)
			return
		}
		defer s.leave(st)
		defer func() {
			if r := recover(); r != nil {
				s.logf("serve.log.crash", "user", st.user, "addr", st.addr, "err", fmt.Sprint(r))
				s.refuse(sess, "serve.crash")
			}
		}()
		next(sess)
	}
}

// admit registers a session, or returns the key of the reason it may not
// join. The instructor is never told the class is full: MaxSessions counts
// students.
func (s *Server) admit(sess ssh.Session) (*student, string) {
	instructor := s.auth.isInstructor(sess)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return nil, "serve.shutdown"
	}
	if !instructor && len(s.live)-s.leaders >= s.cfg.MaxSessions {
		s.logf("serve.log.full", "user", sess.User(), "addr", sess.RemoteAddr().String(), "n", s.cfg.MaxSessions)
		return nil, "serve.full"
	}
	// Not derived from the connection's context: when the student's
	// connection drops, the bubbletea middleware quits the program itself;
	// this one only kills a program that will not quit when told to.
	ctx, cancel := context.WithCancel(context.Background())
	st := &student{sess: sess, conn: connOf(sess.Context()), user: sess.User(), addr: sess.RemoteAddr().String(),
		instructor: instructor, started: time.Now(), ctx: ctx, kill: cancel, grace: s.cfg.Grace}
	if st.conn != nil {
		st.conn.admitted() // out of the pool of startups: a student now
	}
	st.input = newInputGate(sess)
	if d := s.cfg.IdleTimeout; d > 0 {
		st.idle = time.AfterFunc(d, func() { s.checkIdle(st) })
	}
	s.live[sess] = st
	join := "serve.log.join"
	if instructor {
		s.leaders++
		join = "serve.log.join_instructor"
	}
	s.done.Add(1)
	s.logf(join, "user", st.user, "addr", st.addr, "n", len(s.live))
	return st, ""
}

func (s *Server) leave(st *student) {
	if st.idle != nil {
		st.idle.Stop()
	}
	st.kill() // also ends the seat's delivery
	if st.seat != nil {
		s.class.leave(st.seat)
	}
	s.mu.Lock()
	delete(s.live, st.sess)
	if st.instructor {
		s.leaders--
	}
	n := len(s.live)
	s.mu.Unlock()
	if st.conn != nil {
		st.conn.left()
	}
	s.logf("serve.log.leave", "user", st.user, "addr", st.addr, "dur", formatDuration(time.Since(st.started).Round(time.Second)), "n", n)
	s.done.Done()
}

// checkIdle ends a session whose last input is IdleTimeout old, or looks
// again when it would be.
func (s *Server) checkIdle(st *student) {
	d := s.cfg.IdleTimeout
	if since := time.Since(st.input.lastInput()); since < d {
		st.idle.Reset(d - since)
		return
	}
	s.logf("serve.log.idle", "user", st.user, "addr", st.addr)
	host, port := hostPort(st.sess.LocalAddr())
	st.end("serve.idle", "idle", formatDuration(d), "host", host, "port", port)
}

// newProgram is the bubbletea middleware's program handler: one finwait
// per session, reading the student's keys through the input gate. In
// follow mode the session takes a seat in the class, and a student's
// seat starts delivering the instructor's run to the program.
func (s *Server) newProgram(sess ssh.Session) *tea.Program {
	s.mu.Lock()
	st := s.live[sess]
	s.mu.Unlock()
	if st == nil {
		return nil
	}
	o := ui.SessionOptions{Lang: s.cfg.Lang, ProgressPath: progressPath(s.cfg.UsersDir, st.user), User: st.user,
		AnimFPS: s.cfg.AnimFPS}
	if s.class != nil {
		st.seat = s.class.join(st.user, st.instructor)
		o.Class, o.Instructor = st.seat, st.instructor
	}
	m, err := ui.NewSession(o)
	if err != nil {
		s.logf("serve.log.crash", "user", st.user, "addr", st.addr, "err", err)
		st.end("serve.crash")
		return nil
	}
	opts := append(bm.MakeOptions(sess),
		tea.WithInput(st.input), // after MakeOptions: replaces its WithInput(sess)
		tea.WithContext(st.ctx),
		tea.WithoutSignalHandler(), // the server handles SIGINT/SIGTERM, not every student
		tea.WithFPS(s.cfg.FPS),
	)
	p := tea.NewProgram(m, opts...)
	if st.seat != nil && !st.instructor {
		// Send waits for the program's loop, which starts once the
		// middleware runs the program: the first delivery (the current
		// run, for a student who joins late) arrives right after it starts.
		go st.seat.deliver(st.ctx.Done(), p.Send)
	}
	st.mu.Lock()
	st.program = p
	ended := st.reason != ""
	st.mu.Unlock()
	if ended {
		go p.Quit()
	}
	return p
}

// afterProgram runs once the program has quit and restored the terminal:
// it tells the student why the server ended the session, if it did.
func (s *Server) afterProgram(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.mu.Lock()
		st := s.live[sess]
		s.mu.Unlock()
		if st != nil {
			if key, args := st.ending(); key != "" {
				s.refuse(sess, key, args...)
				return
			}
		}
		next(sess)
	}
}

// refuse prints one line to the student and ends the session.
func (s *Server) refuse(sess ssh.Session, key string, args ...any) {
	line := s.cat.T(key, args...) + "\n"
	if _, _, pty := sess.Pty(); pty {
		line = "\r\n" + line // below whatever the terminal shows
	}
	_, _ = fmt.Fprint(sess.Stderr(), line)
	_ = sess.Exit(1)
}

// hostPort is the address the student reached, for the command lines the
// messages suggest.
func hostPort(a net.Addr) (string, string) {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "HOST", "2222"
	}
	return host, port
}
