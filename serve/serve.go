// Package serve is `finwait serve`: an SSH server for a classroom, where
// every SSH session gets its own finwait. Students need nothing but an SSH
// client (ssh -p 2222 HOST); the instructor runs one process.
//
// The server offers a terminal program and nothing else: no shell, no
// commands, no subsystems (sftp, scp), no port or agent forwarding.
//
// With --instructor-key the class follows the instructor (class.go): the
// session signed in with that key drives a run, and every other session
// shows it live until the student branches off.
package serve

import (
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"sync"
	"time"

	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"finwait/lessons"
)

// Defaults of the command line flags.
const (
	DefaultAddr        = "127.0.0.1:2222"
	DefaultMaxSessions = 200
	DefaultIdleTimeout = 30 * time.Minute
	defaultFPS         = 60
)

// Config is what `finwait serve` was asked for.
type Config struct {
	Addr           string        // where to listen (Serve is handed the listener; Main uses Addr)
	HostKeyPath    string        // "" = os.UserConfigDir()/finwait/ssh_host_ed25519
	MaxSessions    int           // concurrent students; the next one is told the class is full
	IdleTimeout    time.Duration // a session without input for this long is closed; 0 = never
	AuthorizedKeys string        // OpenSSH authorized_keys file; "" = no key check
	PasswordFile   string        // the password is the file's first line; "" = no password
	// InstructorKey turns on follow mode: an authorized_keys line, or the
	// path of a file holding one. The session signed in with that key
	// leads a shared run that every other session follows; "" = none.
	InstructorKey string
	Lang          string    // "en" or "zh": the students' interface and the messages
	Log           io.Writer // one line per join, leave, refusal and failed sign-in; nil = discard
	LogFormat     string    // LogText ("" too) or LogJSON

	// Before a session (gate.go). LoginGrace: a connection without a
	// student's session is closed this long after it connected (0 =
	// DefaultLoginGrace). MaxStartups: sshd's random early drop of such
	// connections (zero = DefaultStartups). PerSourceMaxStartups: how many
	// of them one address may hold (0 = DefaultPerSourceMaxStartups, < 0
	// = no limit).
	LoginGrace           time.Duration
	MaxStartups          Startups
	PerSourceMaxStartups int
	// InsecureHostKeyPerms uses a host key file that the group or others
	// may read (refused otherwise, as sshd refuses it).
	InsecureHostKeyPerms bool

	// UsersDir holds one progress file per user name; "" = the state
	// directory's finwait/users (next to lessons.DefaultProgressPath).
	UsersDir string
	// FPS caps each session's frame rate (0 = 60, Bubble Tea's default).
	// A lower cap mostly delays the frame that answers a key: AnimFPS is
	// the knob for the server's load.
	FPS int
	// AnimFPS is how many animation frames a second each session draws
	// while segments move (0 = animFPSFor(MaxSessions)). Each frame costs
	// the server a View and a screen diff per student, so a big classroom
	// animates less often than a local terminal (30).
	AnimFPS int
	// Grace is how long a session asked to end (idle, shutdown) may take to
	// quit before it is cut off; 0 = 2 s.
	Grace time.Duration
}

// Server is one classroom.
type Server struct {
	cfg     Config
	cat     *lessons.Catalog
	ssh     *ssh.Server
	signer  gossh.Signer
	keyNew  bool // the host key was created by New
	keyPath string
	auth    auth
	class   *class // follow mode; nil without an instructor key
	log     *serverLog
	pool    *gatekeeper
	pen     *penalties
	notes   []string // banner lines about the state directory

	mu       sync.Mutex
	live     map[ssh.Session]*student
	leaders  int // instructor sessions among live
	stopping bool
	done     sync.WaitGroup // one per admitted session
}

// New checks the configuration, loads (or creates) the host key and the
// credentials, and builds the SSH server. It does not listen.
func New(cfg Config) (*Server, error) {
	if cfg.Lang != "zh" {
		cfg.Lang = "en"
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.FPS <= 0 {
		cfg.FPS = defaultFPS
	}
	if cfg.AnimFPS <= 0 {
		cfg.AnimFPS = animFPSFor(cfg.MaxSessions)
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 2 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.LogFormat != LogJSON {
		cfg.LogFormat = LogText
	}
	if cfg.LoginGrace <= 0 {
		cfg.LoginGrace = DefaultLoginGrace
	}
	if cfg.MaxStartups == (Startups{}) {
		cfg.MaxStartups = DefaultStartups
	}
	if cfg.PerSourceMaxStartups == 0 {
		cfg.PerSourceMaxStartups = DefaultPerSourceMaxStartups
	}
	s := &Server{cfg: cfg, cat: lessons.Messages(cfg.Lang), live: map[ssh.Session]*student{}}
	s.log = newServerLog(cfg.Log, cfg.LogFormat)
	s.pool = newGatekeeper(s)
	s.pen = newPenalties()
	var err error
	if s.keyPath, err = hostKeyPath(cfg.HostKeyPath); err != nil {
		return nil, errors.New(s.cat.T("serve.err.hostkey", "path", cfg.HostKeyPath, "err", err))
	}
	if s.signer, s.keyNew, err = loadOrCreateHostKey(s.keyPath, cfg.InsecureHostKeyPerms); err != nil {
		var perm *keyPermError
		if errors.As(err, &perm) {
			return nil, errors.New(perm.message(s.cat))
		}
		return nil, errors.New(s.cat.T("serve.err.hostkey", "path", s.keyPath, "err", err))
	}
	if s.auth, err = loadAuth(s.cat, cfg.PasswordFile, cfg.AuthorizedKeys, cfg.InstructorKey); err != nil {
		return nil, usageError{err}
	}
	if s.auth.instructor != nil {
		s.class = newClass()
	}
	if s.cfg.UsersDir == "" {
		if p, err := lessons.DefaultProgressPath(); err == nil {
			s.cfg.UsersDir = filepath.Join(filepath.Dir(p), "users")
		}
	}
	if s.cfg.UsersDir != "" {
		s.notes = privateUsersDir(s.cat, s.cfg.UsersDir)
	}

	srv, err := wish.NewServer(
		wish.WithVersion("finwait"),
		func(srv *ssh.Server) error { srv.AddHostKey(s.signer); return nil },
		wish.WithMiddleware(
			s.afterProgram,
			bm.MiddlewareWithProgramHandler(s.newProgram),
			s.gate,
		),
	)
	if err != nil {
		return nil, err
	}
	s.auth.install(srv, s.passwordFailed)
	// Only interactive sessions: every other channel type (direct-tcpip for
	// ssh -L, x11, ...) is rejected, and no global request (tcpip-forward
	// for ssh -R, streamlocal forwarding) is accepted.
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
	srv.RequestHandlers = map[string]ssh.RequestHandler{}
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	srv.LocalPortForwardingCallback = nil
	srv.ReversePortForwardingCallback = nil
	// A connection that does nothing at all (no bytes either way, not even
	// the TUI's frames) is dropped well after the session's own idle
	// timeout. Connections without a student's session are bounded by the
	// gatekeeper (gate.go).
	srv.IdleTimeout = cfg.IdleTimeout + time.Minute
	if cfg.IdleTimeout <= 0 {
		srv.IdleTimeout = 0
	}
	srv.ConnCallback = s.pool.accept
	srv.ServerConfigCallback = s.serverConfig
	s.ssh = srv
	return s, nil
}

// Fingerprint is the host key's SHA256 fingerprint, as ssh prints it.
func (s *Server) Fingerprint() string { return gossh.FingerprintSHA256(s.signer.PublicKey()) }

// Serve accepts students on ln until Shutdown; it returns nil after a
// Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Sessions is the number of sessions connected now (students and
// instructors).
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

// Shutdown stops accepting students, tells every connected one that the
// instructor stopped the server and ends their sessions; sessions that do
// not end by the time ctx is done are cut off. It returns how many
// students were connected.
func (s *Server) Shutdown(ctx context.Context) int {
	s.mu.Lock()
	s.stopping = true
	sts := make([]*student, 0, len(s.live))
	for _, st := range s.live {
		sts = append(sts, st)
	}
	s.mu.Unlock()
	for _, st := range sts {
		st.end("serve.shutdown")
	}
	finished := make(chan struct{})
	go func() { s.done.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-ctx.Done():
	}
	// Closes the listeners and every connection that finished the
	// handshake, then the ones that did not.
	_ = s.ssh.Close()
	s.pool.closeAll()
	s.flushSuppressed()
	return len(sts)
}

func (s *Server) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// banner tells the instructor where the server listens and on what terms.
func (s *Server) banner(addr net.Addr) []string {
	c := s.cat
	host, port, _ := net.SplitHostPort(addr.String())
	var lines []string
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		lines = append(lines, c.T("serve.listening", "addr", addr.String()))
	} else {
		lines = append(lines, c.T("serve.listening_open", "addr", addr.String()))
	}
	lines = append(lines, c.T("serve.join", "port", port))
	if s.keyNew {
		lines = append(lines, c.T("serve.hostkey_new", "fingerprint", s.Fingerprint(), "path", s.keyPath))
	} else {
		lines = append(lines, c.T("serve.hostkey", "fingerprint", s.Fingerprint(), "path", s.keyPath))
	}
	lines = append(lines, s.auth.describe(c))
	if l := s.auth.describeFollow(c, port); l != "" {
		lines = append(lines, l)
	}
	idle := c.T("serve.idle_never")
	if s.cfg.IdleTimeout > 0 {
		idle = c.T("serve.idle_limit", "idle", formatDuration(s.cfg.IdleTimeout))
	}
	lines = append(lines, c.T("serve.limits", "max", s.cfg.MaxSessions, "idle", idle))
	per := c.T("serve.per_source_none")
	if n := s.cfg.PerSourceMaxStartups; n > 0 {
		per = c.T("serve.per_source", "n", n)
	}
	lines = append(lines, c.T("serve.startups", "grace", formatDuration(s.cfg.LoginGrace),
		"startups", s.cfg.MaxStartups.String(), "per_source", per))
	if s.cfg.UsersDir != "" {
		lines = append(lines, c.T("serve.progress", "dir", s.cfg.UsersDir))
	}
	return append(lines, s.notes...)
}

// formatDuration prints 30m rather than 30m0s.
func formatDuration(d time.Duration) string {
	str := d.String()
	for _, suf := range []string{"m0s", "h0m"} {
		if len(str) > len(suf) && str[len(str)-len(suf):] == suf {
			str = str[:len(str)-len(suf)+1]
		}
	}
	return str
}

// animFPSFor is the animation rate that keeps a key's answer under 50 ms
// when every seat of a class this size animates at once on a 2-core
// machine (measured with TestLoad: 100 sessions at 10 frames a second,
// p99 36 ms; at 15, 66 ms; at 30, over 200 ms). Small classes get the
// local terminal's 30.
func animFPSFor(maxSessions int) int {
	switch {
	case maxSessions <= 30:
		return 30
	case maxSessions <= 60:
		return 15
	}
	return 10
}
