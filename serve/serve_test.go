package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

func TestSessionShowsFinwaitAndQuitsOnQ(t *testing.T) {
	isolate(t)
	srv, addr := startServer(t, Config{})
	tm := openTerm(t, mustDial(t, addr, "alice"), 100, 30)
	s := tm.waitText("CLIENT", 5*time.Second)
	if !strings.Contains(s, "SERVER") || !strings.Contains(s, "ESTABLISHED") {
		t.Errorf("the first screen lacks the two endpoints:\n%s", s)
	}
	if !tm.altScreen() {
		t.Errorf("finwait did not take the alternate screen")
	}
	tm.send("q")
	if err := tm.waitEnd(5 * time.Second); err != nil {
		t.Fatalf("q should end the session with status 0, got %v", err)
	}
	if tm.altScreen() {
		t.Errorf("the student's terminal was left in the alternate screen")
	}
	waitSessions(t, srv, 0)
}

func TestSessionsAreIsolated(t *testing.T) {
	isolate(t)
	_, addr := startServer(t, Config{})
	a := openTerm(t, mustDial(t, addr, "alice"), 100, 30)
	b := openTerm(t, mustDial(t, addr, "bob"), 100, 30)
	a.waitText("CLIENT", 5*time.Second)
	b.waitText("CLIENT", 5*time.Second)
	aStart, bStart := settle(a), settle(b)

	a.send("l")
	aStep := a.waitScreen("alice's first step", 5*time.Second, func(s string) bool { return s != aStart })
	aStep = settle(a)
	time.Sleep(300 * time.Millisecond)
	if got := b.screen(); got != bStart {
		t.Fatalf("alice's key changed bob's screen:\nbefore:\n%s\nafter:\n%s", bStart, got)
	}
	// Bob's own step gets him where alice's got her: same program, own run.
	b.send("l")
	b.waitScreen("bob's first step", 5*time.Second, func(s string) bool { return s != bStart })
	if got := settle(b); got != aStep {
		t.Errorf("bob's first step differs from alice's:\nalice:\n%s\nbob:\n%s", aStep, got)
	}
	if got := a.screen(); got != aStep {
		t.Errorf("bob's key changed alice's screen:\nbefore:\n%s\nafter:\n%s", aStep, got)
	}
}

func TestWindowChangeReachesTheProgram(t *testing.T) {
	isolate(t)
	_, addr := startServer(t, Config{})
	tm := openTerm(t, mustDial(t, addr, "alice"), 80, 24)
	s := tm.waitText("CLIENT", 5*time.Second)
	if w := width(s); w > 80 || w < 60 {
		t.Fatalf("at 80 columns the drawing is %d wide:\n%s", w, s)
	}
	tm.resize(120, 30)
	tm.waitScreen("a drawing wider than 100 columns", 5*time.Second, func(s string) bool {
		return width(s) > 100 && strings.Contains(s, "CLIENT")
	})
}

func TestRefusesEverythingButTheProgram(t *testing.T) {
	isolate(t)
	srv, addr := startServer(t, Config{})
	_, port, _ := net.SplitHostPort(addr)
	c := mustDial(t, addr, "mallory")

	out, err := plainSession(t, c, "")
	if want := "finwait needs a terminal: ssh -t -p " + port; !strings.Contains(out, want) || exitStatus(err) != 1 {
		t.Errorf("a shell without a pty: got %q (%v), want %q and status 1", out, err, want)
	}
	if n := strings.Count(strings.TrimSpace(out), "\n"); n > 0 {
		t.Errorf("the refusal should be one line, got %q", out)
	}
	out, err = plainSession(t, c, "cat /etc/passwd")
	if !strings.Contains(out, "finwait runs no commands") || strings.Contains(out, "root:") || exitStatus(err) != 1 {
		t.Errorf("exec: got %q (%v), want the refusal and status 1", out, err)
	}

	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestSubsystem("sftp"); err == nil {
		t.Errorf("the sftp subsystem was accepted")
	}
	if err := agent.RequestAgentForwarding(sess); err == nil {
		t.Errorf("agent forwarding was accepted")
	}
	if ok, _ := sess.SendRequest("x11-req", true, gossh.Marshal(struct {
		Single        bool
		Proto, Cookie string
		Screen        uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00", 0})); ok {
		t.Errorf("X11 forwarding was accepted")
	}

	// ssh -L: the server must not connect anywhere for the client.
	target, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if conn, err := c.Dial("tcp", target.Addr().String()); err == nil {
		conn.Close()
		t.Errorf("local port forwarding (direct-tcpip) was accepted")
	}
	// ssh -R: the server must not listen for the client.
	if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
		t.Errorf("reverse port forwarding (tcpip-forward) was accepted")
	}
	if n := srv.Sessions(); n != 0 {
		t.Errorf("%d refused sessions are counted as students", n)
	}
}

func TestIdleSessionIsClosed(t *testing.T) {
	isolate(t)
	srv, addr := startServer(t, Config{IdleTimeout: 600 * time.Millisecond})
	tm := openTerm(t, mustDial(t, addr, "alice"), 100, 30)
	tm.waitText("CLIENT", 5*time.Second)
	// Keys keep it open past the timeout...
	var last time.Time
	for range 8 {
		tm.send("?")
		last = time.Now()
		time.Sleep(150 * time.Millisecond)
	}
	select {
	case <-tm.ended:
		t.Fatalf("a session with a key every 150 ms was closed by a 600 ms idle timeout")
	default:
	}
	// ...and without them it closes, with a message.
	err := tm.waitEnd(5 * time.Second)
	if idle := time.Since(last); idle < 600*time.Millisecond {
		t.Errorf("closed after %v without input, before the 600ms timeout", idle)
	}
	if want := "closed after 600ms without a key press"; !strings.Contains(tm.output(), want) {
		t.Errorf("the student was not told why: output ends %q", tail(tm.output(), 200))
	}
	if exitStatus(err) != 1 {
		t.Errorf("exit status %v, want 1", err)
	}
	if tm.altScreen() {
		t.Errorf("the student's terminal was left in the alternate screen")
	}
	waitSessions(t, srv, 0)
}

func TestClassIsFull(t *testing.T) {
	isolate(t)
	srv, addr := startServer(t, Config{MaxSessions: 2})
	a := openTerm(t, mustDial(t, addr, "alice"), 100, 30)
	b := openTerm(t, mustDial(t, addr, "bob"), 100, 30)
	a.waitText("CLIENT", 5*time.Second)
	b.waitText("CLIENT", 5*time.Second)

	c := openTerm(t, mustDial(t, addr, "carol"), 100, 30)
	err := c.waitEnd(5 * time.Second)
	if want := "class is full (2 students), try again later"; !strings.Contains(c.output(), want) {
		t.Errorf("the third student saw %q, want %q", c.output(), want)
	}
	if exitStatus(err) != 1 {
		t.Errorf("exit status %v, want 1", err)
	}
	if strings.Contains(c.output(), "CLIENT") {
		t.Errorf("the third student got a finwait anyway")
	}

	// A place that frees up is taken by the next one.
	a.send("q")
	a.waitEnd(5 * time.Second)
	waitSessions(t, srv, 1)
	d := openTerm(t, mustDial(t, addr, "dave"), 100, 30)
	d.waitText("CLIENT", 5*time.Second)
}

func TestHostKeyIsCreatedPrivateAndReused(t *testing.T) {
	dir := isolate(t)
	srv1, addr1 := startServer(t, Config{})
	path := filepath.Join(dir, "config", "finwait", "ssh_host_ed25519")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no host key at the default path: %v", err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("host key mode %o, want 600", m)
	}
	if di, err := os.Stat(filepath.Dir(path)); err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("host key directory: %v, mode %o, want 700", err, di.Mode().Perm())
	}
	var k1, k2 gossh.PublicKey
	if _, err := dial(t, addr1, "alice", &k1); err != nil {
		t.Fatal(err)
	}
	if !srv1.keyNew {
		t.Errorf("the first server did not report a new key")
	}

	srv2, addr2 := startServer(t, Config{}) // a restart, as far as the key is concerned
	if _, err := dial(t, addr2, "alice", &k2); err != nil {
		t.Fatal(err)
	}
	f1, f2 := gossh.FingerprintSHA256(k1), gossh.FingerprintSHA256(k2)
	if f1 != f2 || srv2.keyNew {
		t.Errorf("the restarted server has another key: %s, then %s (new: %v)", f1, f2, srv2.keyNew)
	}
	if f1 != srv1.Fingerprint() {
		t.Errorf("the client saw %s, the server prints %s", f1, srv1.Fingerprint())
	}
}

func TestPasswordFile(t *testing.T) {
	dir := isolate(t)
	pw := filepath.Join(dir, "password")
	os.WriteFile(pw, []byte("tcp-is-fun\nthis line is not the password\n"), 0o600)
	_, addr := startServer(t, Config{PasswordFile: pw})

	c, err := dial(t, addr, "alice", nil, gossh.Password("tcp-is-fun"))
	if err != nil {
		t.Fatalf("the right password was refused: %v", err)
	}
	openTerm(t, c, 100, 30).waitText("CLIENT", 5*time.Second)
	for _, wrong := range []string{"tcp-is-fu", "tcp-is-fun!", "this line is not the password", ""} {
		if _, err := dial(t, addr, "alice", nil, gossh.Password(wrong)); err == nil {
			t.Errorf("the password %q was accepted", wrong)
		}
	}
	if _, err := dial(t, addr, "alice", nil); err == nil {
		t.Errorf("a client without a password got in")
	}
}

func TestAuthorizedKeys(t *testing.T) {
	dir := isolate(t)
	good, bad := newSigner(t), newSigner(t)
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, append([]byte("# the class\n\n"), gossh.MarshalAuthorizedKey(good.PublicKey())...), 0o600)
	_, addr := startServer(t, Config{AuthorizedKeys: keys})

	c, err := dial(t, addr, "alice", nil, gossh.PublicKeys(good))
	if err != nil {
		t.Fatalf("the listed key was refused: %v", err)
	}
	openTerm(t, c, 100, 30).waitText("CLIENT", 5*time.Second)
	if _, err := dial(t, addr, "alice", nil, gossh.PublicKeys(bad)); err == nil {
		t.Errorf("a key not in the file was accepted")
	}
	if _, err := dial(t, addr, "alice", nil, gossh.Password("")); err == nil {
		t.Errorf("a client without a key got in")
	}
}

func TestLongPasteIsDropped(t *testing.T) {
	isolate(t)
	_, addr := startServer(t, Config{})
	tm := openTerm(t, mustDial(t, addr, "alice"), 100, 30)
	tm.waitText("CLIENT", 5*time.Second)
	// A megabyte of steps: played key by key it would keep the program
	// busy for long; dropped, the next key works at once.
	tm.send(strings.Repeat("l", 1<<20))
	tm.send("q")
	if err := tm.waitEnd(5 * time.Second); err != nil {
		t.Fatalf("q after a long paste: %v", err)
	}
}

func TestShutdownTellsStudents(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	addrc, rc := make(chan string, 1), make(chan int, 1)
	go func() {
		rc <- run(ctx, []string{"--addr", "127.0.0.1:0"}, &stdout, &stderr, func(a net.Addr) { addrc <- a.String() })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-rc:
		t.Fatalf("run exited %d: %s", code, stderr.String())
	}
	a := openTerm(t, mustDial(t, addr, "alice"), 100, 30)
	b := openTerm(t, mustDial(t, addr, "bob"), 100, 30)
	a.waitText("CLIENT", 5*time.Second)
	b.waitText("CLIENT", 5*time.Second)

	cancel() // what SIGINT or SIGTERM does in Main
	select {
	case code := <-rc:
		if code != 0 {
			t.Errorf("exit code %d, want 0 (stderr %q)", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop within 10 s")
	}
	for _, tm := range []*term{a, b} {
		tm.waitEnd(time.Second)
		if !strings.Contains(tm.output(), "the instructor stopped the server") {
			t.Errorf("a student was not told: output ends %q", tail(tm.output(), 200))
		}
		if tm.altScreen() {
			t.Errorf("a student's terminal was left in the alternate screen")
		}
	}
	if out := stdout.String(); !strings.Contains(out, "telling the 2 connected students") || !strings.Contains(out, "stopped") {
		t.Errorf("the instructor's console: %q", out)
	}
	if _, err := dial(t, addr, "late", nil); err == nil {
		t.Errorf("the stopped server still accepts connections")
	}
}

func TestFlagErrorsAreOneLineAndExit2(t *testing.T) {
	isolate(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "unknown flag --bogus"},
		{[]string{"--addr"}, "--addr needs a value"},
		{[]string{"--addr", "2222"}, "--addr must be HOST:PORT"},
		{[]string{"--max-sessions", "0"}, "--max-sessions must be a whole number"},
		{[]string{"--max-sessions=many"}, "--max-sessions must be a whole number"},
		{[]string{"--idle-timeout", "soon"}, "--idle-timeout must be a duration"},
		{[]string{"--lang", "fr"}, "--lang must be en or zh"},
		{[]string{"extra"}, "unexpected argument extra"},
		{[]string{"--password-file", "/nonexistent/pw"}, "password file /nonexistent/pw"},
		{[]string{"--authorized-keys", "/nonexistent/keys"}, "authorized keys /nonexistent/keys"},
	} {
		var stdout, stderr lockedBuffer
		code := run(context.Background(), c.args, &stdout, &stderr, nil)
		out := stderr.String()
		if code != 2 || !strings.Contains(out, c.want) || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", c.args, code, out, c.want)
		}
	}
}

func TestBadAuthorizedKeysLineIsNamed(t *testing.T) {
	dir := isolate(t)
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, []byte("# ok\nssh-ed25519 not-base64\n"), 0o600)
	_, err := New(Config{AuthorizedKeys: keys})
	if err == nil || !strings.Contains(err.Error(), keys+":2:") {
		t.Errorf("got %v, want an error naming %s:2", err, keys)
	}
}

func TestProgressFilesStayInTheUsersDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "users")
	ok := regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*\.json$`)
	seen := map[string]string{}
	for _, user := range []string{"alice", "Bob.Smith-2", "../../etc/passwd", "..", ".", "", ".hidden",
		"a/b", "a_b", `c:\x`, "学生", strings.Repeat("x", 500), "a\x00b"} {
		p := progressPath(dir, user)
		if filepath.Dir(p) != dir || !ok.MatchString(filepath.Base(p)) {
			t.Errorf("user %q -> %q: outside %s or not a plain file name", user, p, dir)
		}
		if other, dup := seen[p]; dup {
			t.Errorf("users %q and %q share %s", other, user, p)
		}
		seen[p] = user
	}
	if got := progressPath(dir, "alice"); got != filepath.Join(dir, "alice.json") {
		t.Errorf("alice -> %s, want alice.json", got)
	}
}

// settle waits until the screen has not changed for 150 ms.
func settle(tm *term) string {
	tm.t.Helper()
	prev, since := tm.screen(), time.Now()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(25 * time.Millisecond)
		if s := tm.screen(); s != prev {
			prev, since = s, time.Now()
		} else if time.Since(since) >= 150*time.Millisecond {
			return s
		}
	}
	tm.t.Fatalf("the screen never settled:\n%s", prev)
	return ""
}

func waitSessions(t *testing.T, srv *Server, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); srv.Sessions() != n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions open, want %d", srv.Sessions(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newSigner(t *testing.T) gossh.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
