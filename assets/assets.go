// Package assets holds finwait's embedded files: built-in scenarios,
// lessons and the message catalogues.
package assets

import "embed"

// FS holds scenarios/*.scn and messages/LANG/*.txt.
//
//go:embed scenarios/*.scn messages
var FS embed.FS
