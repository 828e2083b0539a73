package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// authorizedLine is the public key as an authorized_keys line.
func authorizedLine(s gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey()))) + " teacher@school"
}

// noKey signs in as OpenSSH does for a student without a key in open
// mode: keyboard-interactive, no question asked.
func noKey() gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, _ string, q []string, _ []bool) ([]string, error) {
		return make([]string, len(q)), nil
	})
}

// impostor offers the instructor's public key but signs with another
// private key: the server must not take it for the instructor.
type impostor struct {
	gossh.Signer
	pub gossh.PublicKey
}

func (i impostor) PublicKey() gossh.PublicKey { return i.pub }

// roles waits until n sessions are open and returns which users are
// instructors and which are students, each sorted.
func roles(t *testing.T, srv *Server, n int) (instructors, students []string) {
	t.Helper()
	waitSessions(t, srv, n)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for _, st := range srv.live {
		if st.instructor {
			instructors = append(instructors, st.user)
		} else {
			students = append(students, st.user)
		}
	}
	slices.Sort(instructors)
	slices.Sort(students)
	return instructors, students
}

func TestInstructorIsTheSessionWithTheKeyOpenMode(t *testing.T) {
	isolate(t)
	teacher, other := newSigner(t), newSigner(t)
	srv, addr := startServer(t, Config{InstructorKey: authorizedLine(teacher)})

	join := func(user string, auth ...gossh.AuthMethod) {
		t.Helper()
		c, err := dial(t, addr, user, nil, auth...)
		if err != nil {
			t.Fatalf("%s could not sign in: %v", user, err)
		}
		openTerm(t, c, 100, 30).waitText("CLIENT", 5*time.Second)
	}
	join("teacher", gossh.PublicKeys(teacher))
	join("keyed", gossh.PublicKeys(other))     // open mode: any key
	join("keyless", noKey())                   // open mode: no key at all
	join("typist", gossh.Password("whatever")) // open mode: any password

	ins, sts := roles(t, srv, 4)
	if !slices.Equal(ins, []string{"teacher"}) || !slices.Equal(sts, []string{"keyed", "keyless", "typist"}) {
		t.Errorf("instructors %v, students %v; want [teacher] and the three others", ins, sts)
	}
	// The instructor's public key without its private key gets nobody in
	// (the SSH library drops a connection whose signature is wrong).
	if _, err := dial(t, addr, "faker", nil, gossh.PublicKeys(impostor{other, teacher.PublicKey()}), noKey()); err == nil {
		t.Errorf("a client that cannot sign with the instructor's key got in with it")
	}
	if _, sts := roles(t, srv, 4); len(sts) != 3 {
		t.Errorf("students %v after the impostor", sts)
	}
}

func TestInstructorKeyGetsInWhateverTheOtherAuth(t *testing.T) {
	dir := isolate(t)
	teacher, listed, unlisted := newSigner(t), newSigner(t), newSigner(t)
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, gossh.MarshalAuthorizedKey(listed.PublicKey()), 0o600)
	pw := filepath.Join(dir, "password")
	os.WriteFile(pw, []byte("tcp-is-fun\n"), 0o600)
	teacherFile := filepath.Join(dir, "teacher.pub")
	os.WriteFile(teacherFile, []byte("# the instructor\n"+authorizedLine(teacher)+"\n"), 0o600)

	for _, c := range []struct {
		name string
		cfg  Config
		ok   []gossh.AuthMethod // each lets a student in
		no   []gossh.AuthMethod // none of these does
	}{
		{"authorized keys", Config{AuthorizedKeys: keys},
			[]gossh.AuthMethod{gossh.PublicKeys(listed)},
			[]gossh.AuthMethod{gossh.PublicKeys(unlisted), noKey(), gossh.Password("tcp-is-fun")}},
		{"password", Config{PasswordFile: pw},
			[]gossh.AuthMethod{gossh.Password("tcp-is-fun")},
			[]gossh.AuthMethod{gossh.PublicKeys(unlisted), noKey(), gossh.Password("wrong")}},
		{"both", Config{AuthorizedKeys: keys, PasswordFile: pw},
			[]gossh.AuthMethod{gossh.PublicKeys(listed), gossh.Password("tcp-is-fun")},
			[]gossh.AuthMethod{gossh.PublicKeys(unlisted), noKey(), gossh.Password("wrong")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.InstructorKey = teacherFile
			srv, addr := startServer(t, c.cfg)
			tc, err := dial(t, addr, "teacher", nil, gossh.PublicKeys(teacher))
			if err != nil {
				t.Fatalf("the instructor's key was refused: %v", err)
			}
			openTerm(t, tc, 100, 30).waitText("CLIENT", 5*time.Second)
			for i, m := range c.ok {
				sc, err := dial(t, addr, "student", nil, m)
				if err != nil {
					t.Fatalf("student method %d was refused: %v", i, err)
				}
				openTerm(t, sc, 100, 30).waitText("CLIENT", 5*time.Second)
			}
			for i, m := range c.no {
				if _, err := dial(t, addr, "mallory", nil, m); err == nil {
					t.Errorf("method %d let a student in", i)
				}
			}
			if ins, sts := roles(t, srv, 1+len(c.ok)); len(ins) != 1 || len(sts) != len(c.ok) {
				t.Errorf("instructors %v, students %v", ins, sts)
			}
		})
	}
}

func TestWithoutInstructorKeyThereIsNoClass(t *testing.T) {
	isolate(t)
	srv, addr := startServer(t, Config{})
	if srv.class != nil {
		t.Fatal("a class without --instructor-key")
	}
	// Open mode stays as it was: no authentication at all.
	openTerm(t, mustDial(t, addr, "alice"), 100, 30).waitText("CLIENT", 5*time.Second)
	if ins, _ := roles(t, srv, 1); len(ins) != 0 {
		t.Errorf("instructors without an instructor key: %v", ins)
	}
}

func TestInstructorIsNeverTurnedAwayForAFullClass(t *testing.T) {
	isolate(t)
	teacher := newSigner(t)
	srv, addr := startServer(t, Config{MaxSessions: 1, InstructorKey: authorizedLine(teacher)})
	c, err := dial(t, addr, "alice", nil, noKey())
	if err != nil {
		t.Fatal(err)
	}
	openTerm(t, c, 100, 30).waitText("CLIENT", 5*time.Second)
	tc, err := dial(t, addr, "teacher", nil, gossh.PublicKeys(teacher))
	if err != nil {
		t.Fatal(err)
	}
	openTerm(t, tc, 100, 30).waitText("CLIENT", 5*time.Second)
	waitSessions(t, srv, 2)

	c, err = dial(t, addr, "bob", nil, noKey())
	if err != nil {
		t.Fatal(err)
	}
	b := openTerm(t, c, 100, 30)
	b.waitEnd(5 * time.Second)
	if want := "class is full (1 students)"; !strings.Contains(b.output(), want) {
		t.Errorf("the second student saw %q, want %q", b.output(), want)
	}
}

func TestInstructorKeyFlag(t *testing.T) {
	dir := isolate(t)
	teacher := newSigner(t)
	line := authorizedLine(teacher)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	private := write("id_ed25519", string(pem.EncodeToMemory(block)))
	two := write("two.pub", line+"\n"+authorizedLine(newSigner(t))+"\n")
	empty := write("empty.pub", "# nothing\n\n")
	garbled := write("garbled.pub", "# ok\nssh-ed25519 not-base64\n")

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--instructor-key"}, "--instructor-key needs a value"},
		{[]string{"--instructor-key="}, "--instructor-key needs a value"},
		{[]string{"--instructor-key", "ssh-ed25519 AAAAnot-a-key teacher"}, "--instructor-key must be an OpenSSH public key line"},
		{[]string{"--instructor-key", "/nonexistent/teacher.pub"}, "--instructor-key /nonexistent/teacher.pub: "},
		{[]string{"--instructor-key", private}, "this is a private key; give the public one (usually " + private + ".pub)"},
		{[]string{"--instructor-key", two}, "2 keys in the file"},
		{[]string{"--instructor-key", empty}, "no public key in the file"},
		{[]string{"--instructor-key", garbled}, garbled + ":2: not an OpenSSH public key line"},
		{[]string{"--lang", "zh", "--instructor-key", empty}, "文件中没有公钥"},
	} {
		var stdout, stderr lockedBuffer
		code := run(context.Background(), c.args, &stdout, &stderr, nil)
		out := stderr.String()
		if code != 2 || !strings.Contains(out, c.want) || strings.Count(out, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line with %q", c.args, code, out, c.want)
		}
	}

	// A line or a file holding one; the banner names the key.
	for _, v := range []string{line, write("teacher.pub", line+"\n")} {
		cfg, _, err := parseArgs([]string{"--instructor-key", v})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		srv, err := New(cfg)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		fp := gossh.FingerprintSHA256(teacher.PublicKey())
		if b := strings.Join(srv.banner(fakeAddr("127.0.0.1:2222")), "\n"); !strings.Contains(b, "follow mode: the session signed in with the key "+fp) ||
			!strings.Contains(b, "ssh -i KEY -o IdentitiesOnly=yes -p 2222 HOST") {
			t.Errorf("the banner does not describe follow mode:\n%s", b)
		}
	}

	var stdout lockedBuffer
	if code := run(context.Background(), []string{"--help"}, &stdout, io.Discard, nil); code != 0 ||
		!strings.Contains(stdout.String(), "--instructor-key") || !strings.Contains(stdout.String(), "IdentitiesOnly=yes") {
		t.Errorf("the usage does not explain --instructor-key:\n%s", stdout.String())
	}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }
