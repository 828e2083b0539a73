// Package assets holds finwait's embedded files: built-in scenarios,
// lessons and the message catalogues.
package assets

import "embed"

// FS holds scenarios/*.scn, messages/LANG/*.txt and lessons/LANG/*.md.
//
//go:embed scenarios/*.scn messages lessons
var FS embed.FS
