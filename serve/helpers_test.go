package serve

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// isolate points the config and state directories into a fresh temporary
// directory, so that no test reads or writes the real ones.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", dir+"/config")
	t.Setenv("XDG_STATE_HOME", dir+"/state")
	return dir
}

// startServer serves cfg on 127.0.0.1:0 and stops it when the test ends.
func startServer(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	return startServerWith(t, cfg, nil)
}

// startServerWith is startServer with a hook that may change the server
// (shorter password delays, a chosen random draw) before it serves.
func startServerWith(t *testing.T, cfg Config, hook func(*Server)) (*Server, string) {
	t.Helper()
	if cfg.Lang == "" {
		cfg.Lang = "en"
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if hook != nil {
		hook(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		if err := <-errc; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return srv, ln.Addr().String()
}

// dial connects as user; hostKey, if set, receives the server's key.
func dial(t *testing.T, addr, user string, hostKey *gossh.PublicKey, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: user,
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			if hostKey != nil {
				*hostKey = k
			}
			return nil
		},
		Timeout: 5 * time.Second,
	})
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

func mustDial(t *testing.T, addr, user string) *gossh.Client {
	t.Helper()
	c, err := dial(t, addr, user, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

// term is a student's terminal: an SSH session with a pty whose output
// is drawn on a virtual screen; the screen answers the program's
// terminal queries as a real terminal would.
type term struct {
	t    *testing.T
	sess *gossh.Session

	inMu sync.Mutex
	in   io.WriteCloser

	mu  sync.Mutex
	emu *vt.Emulator
	raw bytes.Buffer

	ended   chan struct{}
	exitErr error
}

func openTerm(t *testing.T, c *gossh.Client, w, h int) *term {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	tm := &term{t: t, sess: sess, emu: vt.NewEmulator(w, h), ended: make(chan struct{})}
	tm.emu.Write([]byte("\x1b[20h")) // new-line mode, as a tty's onlcr would give
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	sess.Stdout, sess.Stderr = tm, tm
	if tm.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	go func() { // the virtual terminal's answers to queries
		buf := make([]byte, 256)
		for {
			n, err := tm.emu.Read(buf)
			if n > 0 {
				tm.send(string(buf[:n]))
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { tm.exitErr = sess.Wait(); close(tm.ended) }()
	t.Cleanup(func() {
		sess.Close()
		tm.emu.InputPipe().(*io.PipeWriter).Close()
	})
	return tm
}

func (tm *term) Write(p []byte) (int, error) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	tm.raw.Write(p)
	return tm.emu.Write(p)
}

func (tm *term) send(s string) {
	tm.inMu.Lock()
	defer tm.inMu.Unlock()
	_, _ = tm.in.Write([]byte(s))
}

func (tm *term) resize(w, h int) {
	tm.mu.Lock()
	tm.emu.Resize(w, h)
	tm.mu.Unlock()
	if err := tm.sess.WindowChange(h, w); err != nil {
		tm.t.Fatalf("window-change: %v", err)
	}
}

func (tm *term) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.emu.String()
}

func (tm *term) altScreen() bool {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.emu.IsAltScreen()
}

// output is everything the session printed, without escape sequences.
func (tm *term) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return ansi.Strip(tm.raw.String())
}

// waitScreen polls the screen until ok holds.
func (tm *term) waitScreen(what string, d time.Duration, ok func(string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := tm.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %s within %v; it shows:\n%s", what, d, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (tm *term) waitText(text string, d time.Duration) string {
	tm.t.Helper()
	return tm.waitScreen(text, d, func(s string) bool { return strings.Contains(s, text) })
}

// waitEnd waits for the session to end and returns its error (nil for
// exit status 0).
func (tm *term) waitEnd(d time.Duration) error {
	tm.t.Helper()
	select {
	case <-tm.ended:
		return tm.exitErr
	case <-time.After(d):
		tm.t.Fatalf("session still open after %v; screen:\n%s", d, tm.screen())
		return nil
	}
}

// width is the rightmost column anything is drawn in.
func width(screen string) int {
	w := 0
	for _, l := range strings.Split(screen, "\n") {
		w = max(w, ansi.StringWidth(strings.TrimRight(l, " ")))
	}
	return w
}

// plainSession runs a session without a pty (as ssh does when its input
// is not a terminal) and returns what it printed and its error.
func plainSession(t *testing.T, c *gossh.Client, command string) (string, error) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	defer sess.Close()
	var out lockedBuffer
	sess.Stdout, sess.Stderr = &out, &out
	done := make(chan error, 1)
	go func() {
		if command == "" {
			if err := sess.Shell(); err != nil {
				done <- err
				return
			}
			done <- sess.Wait()
			return
		}
		done <- sess.Run(command)
	}()
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("session without a pty still open after 5s; it printed %q", out.String())
	}
	return out.String(), err
}

func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*gossh.ExitError); ok {
		return ee.ExitStatus()
	}
	return -1
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
