// Package assets holds finwait's embedded files: built-in scenarios,
// lessons, the message catalogues and the command line's usage text.
package assets

import "embed"

// FS holds scenarios/*.scn, messages/LANG/*.txt, lessons/LANG/*.md and
// usage/LANG.txt.
//
//go:embed scenarios/*.scn messages lessons usage
var FS embed.FS
