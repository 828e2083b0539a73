package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// dialFrom signs in as user from the loopback address local (127.0.0.2 is
// another source than 127.0.0.1 for the server).
func dialFrom(t *testing.T, local, addr, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	sc, chans, reqs, err := gossh.NewClientConn(nc, addr, &gossh.ClientConfig{
		User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		nc.Close()
		return nil, err
	}
	nc.SetDeadline(time.Time{})
	c := gossh.NewClient(sc, chans, reqs)
	t.Cleanup(func() { c.Close() })
	return c, nil
}

// stalled is a TCP connection that never gets through the handshake: it
// sends a byte of a client banner every drip (never the end of the line),
// which an idle timeout would take for traffic.
type stalled struct {
	banner   atomic.Bool // the server said hello: it accepted the connection
	opened   time.Time
	closedAt atomic.Int64 // unix nanoseconds, 0 while open
}

func openStalled(t *testing.T, addr string, drip time.Duration) *stalled {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("stalled connection: %v", err)
	}
	s := &stalled{opened: time.Now()}
	t.Cleanup(func() { nc.Close() })
	stop := make(chan struct{})
	go func() {
		line := "SSH-2.0-stalled-client-that-never-ends-its-banner"
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(drip):
			}
			if _, err := nc.Write([]byte{line[i%len(line)]}); err != nil {
				return
			}
		}
	}()
	go func() {
		defer close(stop)
		buf := make([]byte, 512)
		for {
			n, err := nc.Read(buf)
			if n > 0 && strings.HasPrefix(string(buf[:n]), "SSH-2.0-") {
				s.banner.Store(true)
			}
			if err != nil {
				s.closedAt.Store(time.Now().UnixNano())
				return
			}
		}
	}()
	return s
}

func (s *stalled) closed() bool { return s.closedAt.Load() != 0 }

// waitClosed waits until every stalled connection is closed.
func waitClosed(t *testing.T, conns []*stalled, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		open := 0
		for _, c := range conns {
			if !c.closed() {
				open++
			}
		}
		if open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d stalled connections still open after %v", open, len(conns), within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Issue 14: 240 connections from one client that never finish the
// handshake (and drip a byte now and then) used to take every slot for 31
// minutes. Now one source holds only a few of them, the rest are closed at
// once, a student from another address joins at once, and the stalled
// ones are closed at the login deadline whatever they send.
func TestStalledConnectionsDoNotLockStudentsOut(t *testing.T) {
	isolate(t)
	const grace = time.Second
	var log lockedBuffer
	srv, addr := startServer(t, Config{LoginGrace: grace, Log: &log})

	conns := make([]*stalled, 240)
	for i := range conns {
		conns[i] = openStalled(t, addr, 150*time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the server has answered or closed each
	held := 0
	for _, c := range conns {
		if c.banner.Load() && !c.closed() {
			held++
		}
	}
	if held != DefaultPerSourceMaxStartups {
		t.Errorf("127.0.0.1 holds %d stalled connections, want %d (--per-source-max-startups)", held, DefaultPerSourceMaxStartups)
	}

	start := time.Now()
	sc, err := dialFrom(t, "127.0.0.2", addr, "alice")
	if err != nil {
		t.Fatalf("a student from 127.0.0.2 could not sign in during the flood: %v", err)
	}
	openTerm(t, sc, 100, 30).waitText("CLIENT", 2*time.Second)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the student joined after %v, want within 2s", d)
	}
	if n := srv.pool.count(); n != held {
		t.Errorf("%d connections in the pool of startups, want the %d stalled ones (a student is not a startup)", n, held)
	}

	waitClosed(t, conns, grace+2*time.Second)
	for _, c := range conns {
		if !c.banner.Load() {
			continue
		}
		if life := time.Duration(c.closedAt.Load() - c.opened.UnixNano()); life < grace-100*time.Millisecond {
			t.Errorf("a stalled connection was closed after %v, before the %v deadline", life, grace)
		}
	}
	out := log.String()
	for _, want := range []string{"closed: no sign-in or session within 1s (--login-grace)",
		"closed at once: 5 from that address are not in a session yet", "alice joined from 127.0.0.2:", "connection from 127.0.0.1:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
}

// With begin=full (a hard limit), the next connection is dropped at once;
// a student who got a session no longer counts.
func TestMaxStartupsCountsOnlyConnectionsWithoutASession(t *testing.T) {
	isolate(t)
	_, addr := startServer(t, Config{MaxStartups: Startups{3, 100, 3}, PerSourceMaxStartups: -1, LoginGrace: 5 * time.Second})
	a := openTerm(t, mustDial(t, addr, "alice"), 100, 30) // a student: out of the pool
	a.waitText("CLIENT", 5*time.Second)
	var conns []*stalled
	for range 4 {
		conns = append(conns, openStalled(t, addr, time.Hour))
		time.Sleep(50 * time.Millisecond)
	}
	for i, c := range conns {
		if want := i < 3; c.banner.Load() != want || c.closed() == want {
			t.Errorf("stalled connection %d: accepted %v, closed %v; want accepted %v", i+1, c.banner.Load(), c.closed(), want)
		}
	}
	if _, err := dial(t, addr, "bob", nil); err == nil {
		t.Errorf("a new connection got in past --max-startups 3 with 3 startups open")
	}
	// alice's own session goes on.
	a.send("q")
	if err := a.waitEnd(5 * time.Second); err != nil {
		t.Errorf("alice's session: %v", err)
	}
}

// sshd's should_drop_connection, point by point.
func TestStartupsRandomEarlyDrop(t *testing.T) {
	s := Startups{10, 30, 100}
	for _, c := range []struct {
		startups, r int
		drop        bool
	}{
		{0, 0, false}, {9, 0, false}, // below begin: never
		{10, 29, true}, {10, 30, false}, // at begin: 30 %
		{55, 64, true}, {55, 65, false}, // halfway: 30 + 70*45/90 = 65 %
		{99, 98, true}, {99, 99, false},
		{100, 99, true}, {500, 99, true}, // at full: always
	} {
		if got := s.shouldDrop(c.startups, c.r); got != c.drop {
			t.Errorf("10:30:100 with %d startups, r=%d: drop %v, want %v", c.startups, c.r, got, c.drop)
		}
	}
	for _, c := range []struct {
		in string
		ok bool
		st Startups
	}{
		{"10:30:100", true, Startups{10, 30, 100}}, {"20", true, Startups{20, 100, 20}},
		{"0:30:100", false, Startups{}}, {"50:30:10", false, Startups{}}, {"10:0:100", false, Startups{}},
		{"10:101:100", false, Startups{}}, {"10:30", false, Startups{}}, {"a:b:c", false, Startups{}}, {"", false, Startups{}},
	} {
		st, ok := ParseStartups(c.in)
		if ok != c.ok || ok && st != c.st {
			t.Errorf("ParseStartups(%q) = %v, %v; want %v, %v", c.in, st, ok, c.st, c.ok)
		}
	}
}

// Issue 14: one client made about 1,360 password guesses a second, and
// none was logged. Now a wrong password is answered after about a second,
// in its own connection only, and each one is logged.
func TestWrongPasswordsAreSlowLoggedAndDoNotSlowOthers(t *testing.T) {
	dir := isolate(t)
	pw := filepath.Join(dir, "password")
	os.WriteFile(pw, []byte("tcp-is-fun\n"), 0o600)
	var log lockedBuffer
	_, addr := startServer(t, Config{PasswordFile: pw, Log: &log})

	// Guessers on 127.0.0.1, as fast as they can, for 2 s.
	var guesses atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(2 * time.Second)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				nc, err := net.Dial("tcp", addr)
				if err != nil {
					continue
				}
				nc.SetDeadline(stop) // the guesser gives up at the end
				_, _, _, err = gossh.NewClientConn(nc, addr, &gossh.ClientConfig{User: "mallory\x1b[2J",
					Auth: []gossh.AuthMethod{gossh.Password("guess")}, HostKeyCallback: gossh.InsecureIgnoreHostKey()})
				if err != nil && strings.Contains(err.Error(), "unable to authenticate") {
					guesses.Add(1)
				}
				nc.Close()
			}
		}()
	}
	// Meanwhile a student from 127.0.0.2 who knows the password gets in at
	// once, and one who mistypes it waits.
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if _, err := dialFrom(t, "127.0.0.2", addr, "alice", gossh.Password("tcp-is-fun")); err != nil {
		t.Fatalf("the right password from another address: %v", err)
	}
	if d := time.Since(start); d > 700*time.Millisecond {
		t.Errorf("the right password took %v during the guessing, want it at once", d)
	}
	start = time.Now()
	if _, err := dialFrom(t, "127.0.0.2", addr, "bob", gossh.Password("tcp-is-fu")); err == nil {
		t.Fatal("a wrong password was accepted")
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("a wrong password was answered after %v, want about a second", d)
	}
	wg.Wait()

	if n := guesses.Load(); n > 25 {
		t.Errorf("one address made %d password guesses in 2 s, want about 10 (5 connections, 1 s each)", n)
	}
	lines := strings.Count(log.String(), "wrong password for mallory\\033[2J from 127.0.0.1")
	if int64(lines) < guesses.Load() {
		t.Errorf("%d wrong passwords from 127.0.0.1 were logged, the clients made %d:\n%s", lines, guesses.Load(), log.String())
	}
	if !strings.Contains(log.String(), "wrong password for bob from 127.0.0.2") {
		t.Errorf("bob's wrong password is not in the log:\n%s", log.String())
	}
}

// A source that keeps failing waits twice as long each time, up to a cap,
// and is forgiven after a while.
func TestPasswordPenaltyDoubles(t *testing.T) {
	p := newPenalties()
	now := time.Now()
	var got []time.Duration
	for range 11 {
		d, _ := p.fail("192.0.2.1", now)
		got = append(got, d)
		now = now.Add(time.Second)
	}
	want := []time.Duration{1, 1, 1, 1, 1, 2, 4, 8, 16, 16, 16}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("delays %v, want %v seconds", got, want)
		}
	}
	if d, _ := p.fail("198.51.100.7", now); d != time.Second {
		t.Errorf("another source starts at %v, want 1s", d)
	}
	if d, n := p.fail("192.0.2.1", now.Add(penaltyForget+time.Second)); d != time.Second || n != 1 {
		t.Errorf("after %v without failures: %v (failure %d), want 1s (failure 1)", penaltyForget, d, n)
	}
}

// Issue 14: one connection opened 30,000 session channels and the server
// grew to 300 MB. Now it has at most 10 at once; the others are refused
// before anything is started for them.
func TestAtMostTenSessionChannelsPerConnection(t *testing.T) {
	isolate(t)
	var log lockedBuffer
	_, addr := startServer(t, Config{Log: &log})
	c := mustDial(t, addr, "mallory")
	var open []*gossh.Session
	for range maxChannels {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d of %d refused: %v", len(open)+1, maxChannels, err)
		}
		if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		open = append(open, sess)
	}
	runtime.GC()
	g0 := runtime.NumGoroutine()
	for i := range 300 {
		if sess, err := c.NewSession(); err == nil {
			sess.Close()
			t.Fatalf("session channel %d on one connection was accepted", maxChannels+i+1)
		} else if !strings.Contains(err.Error(), "resource shortage") {
			t.Fatalf("refusal: %v, want a resource shortage", err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if g := runtime.NumGoroutine(); g > g0+3 {
		t.Errorf("300 refused channels left %d more goroutines", g-g0)
	}
	// A channel that closes frees its place.
	open[0].Close()
	time.Sleep(100 * time.Millisecond)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("after one closed, a new session was refused: %v", err)
	}
	sess.Close()
	if !strings.Contains(log.String(), "mallory from 127.0.0.1:") || !strings.Contains(log.String(), "a session refused, 10 already open") {
		t.Errorf("the refusals are not logged:\n%s", log.String())
	}
}

// Issue 14: a host key readable by others was used without a word; sshd
// refuses it.
func TestHostKeyReadableByOthersIsRefused(t *testing.T) {
	dir := isolate(t)
	key := filepath.Join(dir, "host_key")
	if _, err := New(Config{HostKeyPath: key}); err != nil { // creates it 0600
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o601} {
		os.Chmod(key, mode)
		var stdout, stderr lockedBuffer
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second) // a server that starts stops soon
		code := run(ctx, []string{"--addr", "127.0.0.1:0", "--host-key", key}, &stdout, &stderr, nil)
		cancel()
		out := stderr.String()
		for _, want := range []string{
			"@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @",
			"Permissions 0" + octal(mode) + " for '" + key + "' are too open.",
			"It is required that your private key files are NOT accessible by others.",
			"This private key will be ignored.",
			"--insecure-host-key-perms",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("mode %04o: stderr lacks %q:\n%s", mode, want, out)
			}
		}
		if code != exitError {
			t.Errorf("mode %04o: exit %d, want %d", mode, code, exitError)
		}
	}
	os.Chmod(key, 0o644)
	if _, err := New(Config{HostKeyPath: key, InsecureHostKeyPerms: true}); err != nil {
		t.Errorf("--insecure-host-key-perms: %v", err)
	}
	os.Chmod(key, 0o400)
	if _, err := New(Config{HostKeyPath: key}); err != nil {
		t.Errorf("mode 0400: %v", err)
	}
}

func octal(m os.FileMode) string {
	const digits = "01234567"
	p := uint32(m.Perm())
	return string([]byte{digits[p>>6&7], digits[p>>3&7], digits[p&7]})
}

// The students' progress directory lists their names: created 0700, and
// one left open by an earlier finwait is closed, with a line that says so.
func TestUsersDirectoryIsPrivate(t *testing.T) {
	dir := isolate(t)
	users := filepath.Join(dir, "state", "finwait", "users")
	srv, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{users, filepath.Dir(users)} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, want mode 0700 (%v)", d, fi.Mode().Perm(), err)
		}
	}
	if strings.Contains(strings.Join(srv.banner(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222}), "\n"), "0700 now") {
		t.Errorf("a new directory was reported as tightened")
	}
	os.Chmod(users, 0o755)
	srv, err = New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(users); fi.Mode().Perm() != 0o700 {
		t.Errorf("an existing users directory left at %v", fi.Mode().Perm())
	}
	banner := strings.Join(srv.banner(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222}), "\n")
	if !strings.Contains(banner, users+" was open to other users (mode 0755)") {
		t.Errorf("the banner does not say the directory was tightened:\n%s", banner)
	}
}

// --log-format json: every line of standard output is one JSON object,
// the banner included.
func TestJSONLogIsOneObjectALine(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr lockedBuffer
	addrc, rc := make(chan string, 1), make(chan int, 1)
	go func() {
		rc <- run(ctx, []string{"--addr", "127.0.0.1:0", "--log-format", "json"}, &stdout, &stderr, func(a net.Addr) { addrc <- a.String() })
	}()
	addr := <-addrc
	tm := openTerm(t, mustDial(t, addr, "alice"), 100, 30)
	tm.waitText("CLIENT", 5*time.Second)
	tm.send("q")
	tm.waitEnd(5 * time.Second)
	time.Sleep(100 * time.Millisecond)
	cancel()
	<-rc
	events := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(stdout.String()))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal([]byte(sc.Text()), &rec); err != nil {
			t.Fatalf("not a JSON object: %q (%v)", sc.Text(), err)
		}
		ev, _ := rec["event"].(string)
		events[ev]++
		if ev == "join" && (rec["user"] != "alice" || !strings.HasPrefix(rec["addr"].(string), "127.0.0.1:")) {
			t.Errorf("join record %v", rec)
		}
	}
	for _, ev := range []string{"banner", "join", "leave", "stopping", "stopped"} {
		if events[ev] == 0 {
			t.Errorf("no %q event in the JSON log:\n%s", ev, stdout.String())
		}
	}
}
