package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"finwait/lessons"
)

// hostKeyPath is path, or os.UserConfigDir()/finwait/ssh_host_ed25519.
func hostKeyPath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "finwait", "ssh_host_ed25519"), nil
}

// loadOrCreateHostKey reads the host key at path, or creates an ed25519
// key there (mode 0600, in a directory created 0700) so that students see
// the same fingerprint every class. created reports a new key. A key file
// of ours that the group or others may use is refused with a
// *keyPermError, as sshd refuses it, unless insecure.
func loadOrCreateHostKey(path string, insecure bool) (signer gossh.Signer, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if fi, err := os.Stat(path); err == nil && !insecure && tooOpen(fi) {
			return nil, false, &keyPermError{path: path, mode: fi.Mode().Perm()}
		}
		signer, err = gossh.ParsePrivateKey(b)
		return signer, false, err
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "finwait serve host key")
	if err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadOrCreateHostKey(path, insecure) // another finwait serve just wrote it
	}
	if err != nil {
		return nil, false, err
	}
	if _, err := f.Write(pem.EncodeToMemory(block)); err != nil {
		f.Close()
		os.Remove(path)
		return nil, false, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, false, err
	}
	signer, err = gossh.NewSignerFromKey(priv)
	return signer, true, err
}

// keyPermError: the host key file is open to the group or others.
type keyPermError struct {
	path string
	mode fs.FileMode
}

func (e *keyPermError) Error() string {
	return fmt.Sprintf("permissions %#o for %s are too open", e.mode, e.path)
}

// message is sshd's warning (authfile.c, sshkey_perm_ok), word for word in
// English so that it can be looked up, then what to do about it.
func (e *keyPermError) message(cat *lessons.Catalog) string {
	args := []any{"path", e.path, "mode", fmt.Sprintf("%04o", uint32(e.mode))}
	var lines []string
	for _, k := range []string{"serve.err.hostkey_perm", "serve.err.hostkey_perm_box", "serve.err.hostkey_perm_warning",
		"serve.err.hostkey_perm_box", "serve.err.hostkey_perm_mode", "serve.err.hostkey_perm_required",
		"serve.err.hostkey_perm_ignored", "serve.err.hostkey_perm_fix"} {
		lines = append(lines, cat.T(k, args...))
	}
	return strings.Join(lines, "\n")
}

// privateDir creates dir 0700 (and its missing parents), or takes the
// group's and others' permissions away from an existing one of ours. It
// returns the mode it had when it changed it, 0 otherwise.
func privateDir(dir string) (was fs.FileMode, err error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, os.MkdirAll(dir, 0o700)
	}
	if err != nil {
		return 0, err
	}
	if !fi.IsDir() {
		return 0, fmt.Errorf("%s is not a directory", dir)
	}
	if !tooOpen(fi) {
		return 0, nil
	}
	return fi.Mode().Perm(), os.Chmod(dir, fi.Mode().Perm()&0o700)
}

// privateUsersDir makes the directory of the students' progress files
// private: it lists every student's name. The state directory above it
// (finwait's) is created 0700 too; an existing one is left as it is, as it
// may be the user's own choice. It returns the banner lines that tell
// what it did, or could not do.
func privateUsersDir(cat *lessons.Catalog, dir string) []string {
	was, err := privateDir(dir)
	switch {
	case err != nil:
		return []string{cat.T("serve.users_dir_error", "dir", dir, "err", err)}
	case was != 0:
		return []string{cat.T("serve.users_dir_tightened", "dir", dir, "mode", fmt.Sprintf("%04o", uint32(was)))}
	}
	return nil
}
