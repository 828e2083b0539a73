package cli

import (
	"errors"
	"fmt"
	"runtime/debug"

	"finwait/lessons"
)

// runVersion is `finwait version` (and finwait --version).
func runVersion(e *env) int {
	if len(e.f.rest) > 0 {
		return fail(e.stderr, e.f.lang, errors.New(e.cat.T("cli.err.version_args")))
	}
	bi, ok := debug.ReadBuildInfo()
	fmt.Fprintln(e.stdout, versionText(e.cat, bi, ok))
	return exitOK
}

// versionText says which finwait this is: the module's version as the
// build recorded it (a tag, or a pseudo-version from the commit; "(devel)"
// for go run, go test and builds without version control), and the vcs
// revision when the build recorded one, with a word if the tree had
// uncommitted changes.
func versionText(cat *lessons.Catalog, bi *debug.BuildInfo, ok bool) string {
	version := "(devel)"
	if ok && bi != nil && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	var rev string
	modified := false
	if ok && bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	switch {
	case rev == "":
		return cat.T("cli.version", "version", version)
	case modified:
		return cat.T("cli.version_modified", "version", version, "rev", rev)
	}
	return cat.T("cli.version_rev", "version", version, "rev", rev)
}
