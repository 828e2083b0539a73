package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
)

// progressPath is where the lesson progress of the SSH user name is kept:
// dir/<name>.json, "" when there is no directory.
func progressPath(dir, user string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, safeName(user)+".json")
}

// safeName maps a user name to a file name made of [A-Za-z0-9._-] that
// cannot leave its directory (no separator, no leading dot, so neither
// "." nor ".."). A name that had to change gets a short hash of the
// original, so that "a/b" and "a_b" keep apart.
func safeName(user string) string {
	var b strings.Builder
	changed := false
	for _, r := range user {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
			changed = true
		}
	}
	s := b.String()
	if t := strings.TrimLeft(s, "."); t != s {
		s, changed = t, true
	}
	if len(s) > 64 {
		s, changed = s[:64], true
	}
	if s == "" {
		s, changed = "user", true
	}
	if changed {
		h := sha256.Sum256([]byte(user))
		s += "-" + hex.EncodeToString(h[:4])
	}
	return s
}
