package serve

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"finwait/lessons"
)

// auth is who may join: anyone (the default, for a teaching tool), or
// whoever knows the password or holds a listed key (either one will do).
// The instructor's key (follow mode) is let in whatever the rest says.
type auth struct {
	password     [sha256.Size]byte // of the password; compared in constant time
	passwordPath string
	keys         []gossh.PublicKey
	keysPath     string
	instructor   gossh.PublicKey // nil without --instructor-key
}

func (a auth) open() bool { return a.passwordPath == "" && a.keysPath == "" }

func loadAuth(cat *lessons.Catalog, passwordFile, keysFile, instructorKey string) (auth, error) {
	var a auth
	if instructorKey != "" {
		k, err := parseInstructorKey(cat, instructorKey)
		if err != nil {
			return a, err
		}
		a.instructor = k
	}
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return a, errors.New(cat.T("serve.err.password_file", "path", passwordFile, "err", err))
		}
		line, _, _ := bytes.Cut(b, []byte("\n"))
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			return a, errors.New(cat.T("serve.err.password_empty", "path", passwordFile))
		}
		a.password, a.passwordPath = sha256.Sum256(line), passwordFile
	}
	if keysFile != "" {
		b, err := os.ReadFile(keysFile)
		if err != nil {
			return a, errors.New(cat.T("serve.err.keys_file", "path", keysFile, "err", err))
		}
		var bad int
		a.keys, bad, err = parseKeyLines(b)
		if bad > 0 {
			return a, errors.New(cat.T("serve.err.keys_line", "path", keysFile, "line", bad))
		}
		if err != nil {
			return a, errors.New(cat.T("serve.err.keys_file", "path", keysFile, "err", err))
		}
		if len(a.keys) == 0 {
			return a, errors.New(cat.T("serve.err.keys_empty", "path", keysFile))
		}
		a.keysPath = keysFile
	}
	return a, nil
}

// install sets the server's handlers; with none set, the SSH library
// lets everyone in without asking (the "none" method).
//
// With an instructor key, a public key handler is needed to see it, and
// once any handler is set the library no longer lets anyone in without
// one. "none" cannot simply be allowed again: OpenSSH tries it first, so
// the instructor would get in without ever showing the key. So in open
// mode every method lets everyone in instead: any public key,
// keyboard-interactive without a question (OpenSSH passes it without a
// prompt, for students who have no key) and any password (for clients
// that only know passwords). The instructor is the session authenticated
// with the instructor's key (see isInstructor); whoever holds more keys
// than that one should offer it alone (ssh -i KEY -o IdentitiesOnly=yes),
// since in open mode the first key offered is accepted.
func (a auth) install(srv *ssh.Server, failed func(ctx ssh.Context)) {
	open := a.open()
	if a.passwordPath != "" {
		srv.PasswordHandler = func(ctx ssh.Context, pw string) bool {
			h := sha256.Sum256([]byte(pw))
			if subtle.ConstantTimeCompare(h[:], a.password[:]) == 1 {
				return true
			}
			failed(ctx)
			return false
		}
	}
	if a.keysPath != "" || a.instructor != nil {
		srv.PublicKeyHandler = func(_ ssh.Context, key ssh.PublicKey) bool {
			ok := open || a.instructor != nil && ssh.KeysEqual(key, a.instructor)
			for _, k := range a.keys {
				ok = ssh.KeysEqual(key, k) || ok
			}
			return ok
		}
	}
	if open && a.instructor != nil {
		srv.PasswordHandler = func(ssh.Context, string) bool { return true }
		srv.KeyboardInteractiveHandler = func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }
	}
}

// isInstructor reports whether the session authenticated with the
// instructor's key. The library records a session's key only once the
// client has proved it holds the private key: offering the public key
// alone, then signing in another way, leaves no key on the session.
func (a auth) isInstructor(sess ssh.Session) bool {
	k := sess.PublicKey()
	return a.instructor != nil && k != nil && ssh.KeysEqual(k, a.instructor)
}

// parseInstructorKey reads --instructor-key: an authorized_keys line, or
// the path of a file holding exactly one.
func parseInstructorKey(cat *lessons.Catalog, v string) (gossh.PublicKey, error) {
	if k, _, _, rest, err := gossh.ParseAuthorizedKey([]byte(v)); err == nil && len(bytes.TrimSpace(rest)) == 0 {
		return k, nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && looksLikeKey(v) {
			return nil, errors.New(cat.T("serve.err.instructor_key", "v", clip(v, 40)))
		}
		return nil, errors.New(cat.T("serve.err.instructor_file", "path", v, "err", err))
	}
	if bytes.Contains(b, []byte("PRIVATE KEY-----")) {
		return nil, errors.New(cat.T("serve.err.instructor_private", "path", v))
	}
	found, bad, err := parseKeyLines(b)
	if bad > 0 {
		return nil, errors.New(cat.T("serve.err.instructor_line", "path", v, "line", bad))
	}
	if err != nil {
		return nil, errors.New(cat.T("serve.err.instructor_file", "path", v, "err", err))
	}
	switch len(found) {
	case 0:
		return nil, errors.New(cat.T("serve.err.instructor_empty", "path", v))
	case 1:
		return found[0], nil
	}
	return nil, errors.New(cat.T("serve.err.instructor_many", "path", v, "n", len(found)))
}

// looksLikeKey tells a mistyped key line from a missing file.
func looksLikeKey(v string) bool {
	if strings.ContainsAny(v, " \t") {
		return true
	}
	for _, p := range []string{"ssh-", "ecdsa-", "sk-", "AAAA"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// clip shortens what is quoted back in an error message.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func (a auth) describe(cat *lessons.Catalog) string {
	switch {
	case a.passwordPath != "" && a.keysPath != "":
		return cat.T("serve.auth_both", "password", a.passwordPath, "keys", a.keysPath)
	case a.passwordPath != "":
		return cat.T("serve.auth_password", "path", a.passwordPath)
	case a.keysPath != "":
		return cat.T("serve.auth_keys", "path", a.keysPath, "n", len(a.keys))
	}
	return cat.T("serve.auth_open")
}

// describeFollow is the banner's line on follow mode, "" without it.
func (a auth) describeFollow(cat *lessons.Catalog, port string) string {
	if a.instructor == nil {
		return ""
	}
	return cat.T("serve.follow", "fingerprint", gossh.FingerprintSHA256(a.instructor), "port", port)
}

// parseKeyLines reads authorized_keys lines (blank lines and # comments
// skipped). bad is the number of the first line that is not a key, 0 when
// every line is one.
func parseKeyLines(b []byte) (keys []gossh.PublicKey, bad int, err error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, n, nil
		}
		keys = append(keys, k)
	}
	return keys, 0, sc.Err()
}

// A wrong password costs the client time before it hears so (sshd's PAM
// setup waits about 2 s; here passwordDelay), in its own connection's
// goroutine: other connections go on. A source address whose passwords
// keep failing waits longer: after penaltyFree failures, each one doubles
// the wait, up to penaltyMax. A source is forgiven penaltyForget after
// its last failure. With at most PerSourceMaxStartups connections at once
// and the login grace, one address makes a few guesses a second at first
// and a few a minute soon after (without this: about 1,360 a second).
const (
	passwordDelay = time.Second
	penaltyFree   = 5
	penaltyMax    = 16 * time.Second
	penaltyForget = 5 * time.Minute
	maxPenalized  = 10000 // sources remembered
)

type penalties struct {
	base, max time.Duration
	free      int
	forget    time.Duration

	mu       sync.Mutex
	bySource map[string]*penalty
}

type penalty struct {
	n    int
	last time.Time
}

func newPenalties() *penalties {
	return &penalties{base: passwordDelay, max: penaltyMax, free: penaltyFree, forget: penaltyForget,
		bySource: map[string]*penalty{}}
}

// fail counts a failed password from src and returns how long its answer
// waits, and the how-manieth failure of the source it is.
func (p *penalties) fail(src string, now time.Time) (time.Duration, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.bySource[src]
	if r != nil && now.Sub(r.last) > p.forget {
		r = nil
	}
	if r == nil {
		if len(p.bySource) >= maxPenalized {
			p.evict(now)
		}
		r = &penalty{}
		p.bySource[src] = r
	}
	r.n++
	r.last = now
	d := p.base
	for i := p.free; i < r.n && d < p.max; i++ {
		d *= 2
	}
	return min(d, p.max), r.n
}

// evict forgets the sources forgiven by now, or else the one that failed
// longest ago.
func (p *penalties) evict(now time.Time) {
	var oldest string
	for src, r := range p.bySource {
		if now.Sub(r.last) > p.forget {
			delete(p.bySource, src)
		} else if oldest == "" || r.last.Before(p.bySource[oldest].last) {
			oldest = src
		}
	}
	if len(p.bySource) >= maxPenalized {
		delete(p.bySource, oldest)
	}
}

// passwordFailed logs a wrong password and holds the answer back: the
// delay, or until the connection closes.
func (s *Server) passwordFailed(ctx ssh.Context) {
	c := connOf(ctx)
	if c == nil {
		return
	}
	d, n := s.pen.fail(c.src, time.Now())
	s.logf("serve.log.auth_failed", "user", ctx.User(), "addr", c.addr, "n", n, "delay", formatDuration(d))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.done:
	case <-ctx.Done():
	}
}
