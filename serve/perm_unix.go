//go:build unix

package serve

import (
	"io/fs"
	"os"
	"syscall"
)

// tooOpen is sshd's test of a private key file: owned by us and open to
// the group or others in any way (mode & 077). A file that belongs to
// someone else is that owner's business, as for sshd.
func tooOpen(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid() && fi.Mode().Perm()&0o077 != 0
}
