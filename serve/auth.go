package serve

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"os"
	"strings"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"finwait/lessons"
)

// auth is who may join: anyone (the default, for a teaching tool), or
// whoever knows the password or holds a listed key (either one will do).
type auth struct {
	password     [sha256.Size]byte // of the password; compared in constant time
	passwordPath string
	keys         []gossh.PublicKey
	keysPath     string
}

func loadAuth(cat *lessons.Catalog, passwordFile, keysFile string) (auth, error) {
	var a auth
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
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 64<<10)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err != nil {
				return a, errors.New(cat.T("serve.err.keys_line", "path", keysFile, "line", n))
			}
			a.keys = append(a.keys, k)
		}
		if err := sc.Err(); err != nil {
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
// lets everyone in without asking.
func (a auth) install(srv *ssh.Server) {
	if a.passwordPath != "" {
		srv.PasswordHandler = func(_ ssh.Context, pw string) bool {
			h := sha256.Sum256([]byte(pw))
			return subtle.ConstantTimeCompare(h[:], a.password[:]) == 1
		}
	}
	if a.keysPath != "" {
		srv.PublicKeyHandler = func(_ ssh.Context, key ssh.PublicKey) bool {
			ok := false
			for _, k := range a.keys {
				ok = ssh.KeysEqual(key, k) || ok
			}
			return ok
		}
	}
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
