//go:build !unix

package serve

import "io/fs"

// tooOpen: permission bits mean little outside Unix (Windows keeps ACLs),
// so nothing is refused for them there.
func tooOpen(fs.FileInfo) bool { return false }
