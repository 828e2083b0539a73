package serve

import (
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Before a connection holds a student's session, it is a "startup", as
// sshd calls its unauthenticated connections; here the pool also holds
// connections that signed in but have not started a session yet (or no
// longer have one), since in open mode signing in costs nothing. What
// bounds the pool, as in OpenSSH:
//
//   - LoginGraceTime (--login-grace): a startup is closed this long after
//     it connected (or after its last session ended), whatever traffic it
//     sends: an absolute deadline, not an idle one, so dripping a byte
//     now and then does not keep it.
//   - MaxStartups begin:rate:full (--max-startups): with begin startups or
//     more, a new connection is dropped at once with probability rate %,
//     rising linearly to 100 % at full (sshd's random early drop).
//   - PerSourceMaxStartups (--per-source-max-startups): startups one
//     source address may hold; its next connections are dropped at once.
//
// A connection leaves the pool when a session of it is admitted as a
// student (or the instructor): the class itself is bounded by
// --max-sessions, so students never wait behind stalled connections and a
// stalled client cannot take their places.

// Startups is MaxStartups begin:rate:full.
type Startups struct{ Begin, Rate, Full int }

// Defaults of the pool, as sshd's (LoginGraceTime 120 s there; a class
// signs in within seconds).
var DefaultStartups = Startups{Begin: 10, Rate: 30, Full: 100}

const (
	DefaultLoginGrace           = 30 * time.Second
	DefaultPerSourceMaxStartups = 5 // fewer than Begin: one address alone never triggers random drops

	// maxChannels is MaxSessions of sshd: session channels open at once
	// on one connection. Channels beyond it are refused before anything
	// is started for them.
	maxChannels = 10
)

func (s Startups) String() string {
	if s.Begin == s.Full && s.Rate == 100 {
		return strconv.Itoa(s.Full)
	}
	return fmt.Sprintf("%d:%d:%d", s.Begin, s.Rate, s.Full)
}

// ParseStartups reads "begin:rate:full" or "n" (n:100:n: a hard limit), as
// sshd_config's MaxStartups.
func ParseStartups(v string) (Startups, bool) {
	parts := strings.Split(v, ":")
	var n []int
	for _, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil {
			return Startups{}, false
		}
		n = append(n, x)
	}
	var st Startups
	switch len(n) {
	case 1:
		st = Startups{n[0], 100, n[0]}
	case 3:
		st = Startups{n[0], n[1], n[2]}
	default:
		return Startups{}, false
	}
	return st, st.Begin >= 1 && st.Begin <= st.Full && st.Full <= 100000 && st.Rate >= 1 && st.Rate <= 100
}

// shouldDrop is sshd's should_drop_connection: whether a new connection
// is dropped when startups are open, given r drawn uniformly from 0..99.
func (s Startups) shouldDrop(startups, r int) bool {
	switch {
	case startups < s.Begin:
		return false
	case startups >= s.Full || s.Rate == 100:
		return true
	}
	p := s.Rate + (100-s.Rate)*(startups-s.Begin)/(s.Full-s.Begin)
	return r < p
}

// gatekeeper is the pool of startups of one server.
type gatekeeper struct {
	s         *Server
	limits    Startups
	perSource int // <= 0: no limit
	grace     time.Duration
	random    func() int // 0..99

	mu       sync.Mutex
	startups int
	bySource map[string]int
	conns    map[*conn]struct{} // every open connection, for Shutdown
}

func newGatekeeper(s *Server) *gatekeeper {
	return &gatekeeper{
		s: s, limits: s.cfg.MaxStartups, perSource: s.cfg.PerSourceMaxStartups, grace: s.cfg.LoginGrace,
		random: func() int { return rand.IntN(100) }, bySource: map[string]int{}, conns: map[*conn]struct{}{},
	}
}

// conn is one TCP connection, from accept to close.
type conn struct {
	net.Conn
	g    *gatekeeper
	src  string // the source address (IP) the per-source limit counts
	addr string // IP:port, for the log
	done chan struct{}

	mu       sync.Mutex
	inPool   bool
	gen      int // of the pool stay the deadline is for
	deadline *time.Timer
	students int // admitted sessions
	channels int // session channels open
	user     string
	signedIn bool
	failed   []string // sign-in methods that failed (the first "none" aside)
	timedOut bool
	closed   bool
}

type connKey struct{}

// connOf is the connection a session or an SSH context belongs to.
func connOf(ctx ssh.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

func sourceOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// accept is the server's ConnCallback: a new TCP connection joins the
// pool, or is closed at once (nil).
func (g *gatekeeper) accept(ctx ssh.Context, nc net.Conn) net.Conn {
	src, addr := sourceOf(nc.RemoteAddr()), nc.RemoteAddr().String()
	g.mu.Lock()
	if g.s.isStopping() {
		g.mu.Unlock()
		return nil
	}
	if g.perSource > 0 && g.bySource[src] >= g.perSource {
		g.mu.Unlock()
		g.s.logf("serve.log.per_source", "addr", addr, "n", g.perSource)
		return nil
	}
	if n := g.startups; g.limits.shouldDrop(n, g.random()) {
		g.mu.Unlock()
		g.s.logf("serve.log.startups", "addr", addr, "n", n, "limit", g.limits.String())
		return nil
	}
	c := &conn{Conn: nc, g: g, src: src, addr: addr, done: make(chan struct{}), inPool: true}
	g.startups++
	g.bySource[src]++
	g.conns[c] = struct{}{}
	c.deadline = time.AfterFunc(g.grace, func() { c.expire(0) })
	g.mu.Unlock()
	ctx.SetValue(connKey{}, c)
	return c
}

func (g *gatekeeper) leavePool(src string) {
	g.mu.Lock()
	g.startups--
	if g.bySource[src]--; g.bySource[src] <= 0 {
		delete(g.bySource, src)
	}
	g.mu.Unlock()
}

func (g *gatekeeper) enterPool(src string) {
	g.mu.Lock()
	g.startups++
	g.bySource[src]++
	g.mu.Unlock()
}

// Startups is how many connections are in the pool now.
func (g *gatekeeper) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.startups
}

// closeAll closes every connection (the SSH library's Close only closes
// those that finished the handshake).
func (g *gatekeeper) closeAll() {
	g.mu.Lock()
	cs := make([]*conn, 0, len(g.conns))
	for c := range g.conns {
		cs = append(cs, c)
	}
	g.mu.Unlock()
	for _, c := range cs {
		c.Close()
	}
}

// expire closes a connection still in the pool at its deadline.
func (c *conn) expire(gen int) {
	c.mu.Lock()
	if !c.inPool || c.closed || c.gen != gen {
		c.mu.Unlock()
		return
	}
	c.timedOut = true
	user := c.user
	c.mu.Unlock()
	if user == "" { // it never said who it is
		c.g.s.logf("serve.log.login_timeout", "addr", c.addr, "grace", formatDuration(c.g.grace))
	} else {
		c.g.s.logf("serve.log.login_timeout_user", "user", user, "addr", c.addr, "grace", formatDuration(c.g.grace))
	}
	c.Close()
}

// admitted: a session of the connection is a student's now.
func (c *conn) admitted() {
	c.mu.Lock()
	c.students++
	left := c.inPool
	if left {
		c.inPool = false
		c.deadline.Stop()
	}
	c.mu.Unlock()
	if left {
		c.g.leavePool(c.src)
	}
}

// left: a student's session of the connection ended. The connection has
// the login grace to start another one, back in the pool.
func (c *conn) left() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.students--
	if c.students > 0 || c.closed || c.inPool {
		return
	}
	c.inPool = true
	c.gen++
	gen := c.gen
	c.g.enterPool(c.src)
	c.deadline = time.AfterFunc(c.g.grace, func() { c.expire(gen) })
}

// openChannel counts a session channel, or refuses it beyond maxChannels.
func (c *conn) openChannel() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.channels >= maxChannels {
		return false
	}
	c.channels++
	return true
}

func (c *conn) closeChannel() {
	c.mu.Lock()
	c.channels--
	c.mu.Unlock()
}

// signIn records a sign-in attempt (the SSH library's AuthLogCallback).
func (c *conn) signIn(user, method string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.user = user
	if err == nil {
		c.signedIn = true
		return
	}
	if method != "none" && !slices.Contains(c.failed, method) {
		c.failed = append(c.failed, method)
	}
}

func (c *conn) userName() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

// Close leaves the pool (once) and closes the connection. A connection
// that tried to sign in, failed and went away is logged as a failed
// sign-in.
func (c *conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.Conn.Close()
	}
	c.closed = true
	close(c.done)
	wasInPool := c.inPool
	c.inPool = false
	c.deadline.Stop()
	failedLogin := !c.signedIn && len(c.failed) > 0 && !c.timedOut
	user, methods := c.user, strings.Join(c.failed, ",")
	c.mu.Unlock()
	if wasInPool {
		c.g.leavePool(c.src)
	}
	c.g.mu.Lock()
	delete(c.g.conns, c)
	c.g.mu.Unlock()
	if failedLogin {
		c.g.s.logf("serve.log.login_failed", "user", user, "addr", c.addr, "methods", methods)
	}
	return c.Conn.Close()
}

// serverConfig gives each connection's SSH configuration a log of its
// sign-in attempts.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	c := connOf(ctx)
	return &gossh.ServerConfig{
		AuthLogCallback: func(md gossh.ConnMetadata, method string, err error) {
			if c != nil {
				c.signIn(md.User(), method, err)
			}
		},
	}
}

// sessionChannel accepts a session channel through guardedChannel, so
// that every request on it is screened before the session handler sees
// it, unless the connection already has maxChannels open: then the
// channel is refused at once, and nothing is started for it.
func (s *Server) sessionChannel(srv *ssh.Server, sc *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	if c := connOf(ctx); c != nil {
		if !c.openChannel() {
			_ = nc.Reject(gossh.ResourceShortage, s.cat.T("serve.channels", "n", maxChannels))
			s.logf("serve.log.channels", "user", c.userName(), "addr", c.addr, "n", maxChannels)
			return
		}
		defer c.closeChannel()
	}
	ssh.DefaultSessionHandler(srv, sc, guardedChannel{nc}, ctx)
}
