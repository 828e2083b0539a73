package cli

import (
	"runtime/debug"
	"strings"
	"testing"

	"finwait/lessons"
)

func TestVersionText(t *testing.T) {
	en, zh := lessons.Messages("en"), lessons.Messages("zh")
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}, {Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-12-04T22:21:00Z"}, {Key: "vcs.modified", Value: modified}}
	}
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		en   string
		zh   string
	}{
		{"no build information", nil, false, "finwait (devel)", "finwait (devel)"},
		{"go run, go test", &debug.BuildInfo{Main: debug.Module{Path: "finwait", Version: "(devel)"}}, true, "finwait (devel)", "finwait (devel)"},
		{"no module version", &debug.BuildInfo{Main: debug.Module{Path: "finwait"}}, true, "finwait (devel)", "finwait (devel)"},
		{"a tag", &debug.BuildInfo{Main: debug.Module{Path: "finwait", Version: "v1.2.0"}}, true, "finwait v1.2.0", "finwait v1.2.0"},
		{"a clean checkout", &debug.BuildInfo{Main: debug.Module{Path: "finwait", Version: "v0.0.0-20261204222100-21df27afe2e5"},
			Settings: vcs("21df27afe2e5f67bb437fb12a70381c126a169b4", "false")}, true,
			"finwait v0.0.0-20261204222100-21df27afe2e5 (commit 21df27afe2e5f67bb437fb12a70381c126a169b4)",
			"finwait v0.0.0-20261204222100-21df27afe2e5(提交 21df27afe2e5f67bb437fb12a70381c126a169b4)"},
		{"uncommitted changes", &debug.BuildInfo{Main: debug.Module{Path: "finwait", Version: "v0.0.0-20261204222100-21df27afe2e5+dirty"},
			Settings: vcs("21df27afe2e5f67bb437fb12a70381c126a169b4", "true")}, true,
			"finwait v0.0.0-20261204222100-21df27afe2e5+dirty (commit 21df27afe2e5f67bb437fb12a70381c126a169b4, with uncommitted changes)",
			"finwait v0.0.0-20261204222100-21df27afe2e5+dirty(提交 21df27afe2e5f67bb437fb12a70381c126a169b4,含未提交的修改)"},
		{"a revision without a module version", &debug.BuildInfo{Main: debug.Module{Path: "finwait", Version: "(devel)"},
			Settings: vcs("abc123", "false")}, true, "finwait (devel) (commit abc123)", "finwait (devel)(提交 abc123)"},
	}
	for _, c := range cases {
		if got := versionText(en, c.bi, c.ok); got != c.en {
			t.Errorf("%s in English: %q, want %q", c.name, got, c.en)
		}
		if got := versionText(zh, c.bi, c.ok); got != c.zh {
			t.Errorf("%s in Chinese: %q, want %q", c.name, got, c.zh)
		}
	}
}

// finwait --version and finwait version say the same one line, as go
// version does, in any language and after --lang; version takes nothing
// else.
func TestVersionCommand(t *testing.T) {
	code, want, errOut := runCLI(t, "version")
	if code != 0 || errOut != "" || !strings.HasPrefix(want, "finwait ") || strings.Count(want, "\n") != 1 {
		t.Fatalf("version: exit %d, stdout %q, stderr %q", code, want, errOut)
	}
	for _, args := range [][]string{{"--version"}, {"-version"}, {"--lang", "zh", "version"}, {"version", "--lang=en"}, {"--lang", "en", "--version"}} {
		if code, out, errOut := runCLI(t, args...); code != 0 || out != want || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 0 and %q", args, code, out, errOut, want)
		}
	}
	for _, args := range [][]string{{"version", "now"}, {"version", "--set", "msl=1s"}, {"--version=yes"}} {
		if code, _, errOut := runCLI(t, args...); code != 2 || !strings.HasSuffix(errOut, "(finwait help shows the usage)\n") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
}
