package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNarrateFlags(t *testing.T) {
	f, err := parseFlags([]string{"--narrate", "--present", "--lang", "zh"}, tuiFlags)
	if err != nil || !f.narrate || !f.present {
		t.Errorf("parseFlags: %+v, %v", f, err)
	}
	if _, err := parseFlags([]string{"--present=yes"}, tuiFlags); err == nil {
		t.Error("--present=yes accepted")
	}
}

func TestLessonFlag(t *testing.T) {
	dir := t.TempDir()
	good := `---
id: mine
title: My lesson
scenario: close
---
## The client closes
until: client enters FIN-WAIT-1
check: client is FIN-WAIT-1
The client sent its **FIN**.
`
	badUntil := strings.Replace(good, "until: client enters FIN-WAIT-1", "until: client enters FIN-WAIT-9", 1)
	badCheck := strings.Replace(good, "check: client is FIN-WAIT-1", "check: client is TIME-WAIT", 1)
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--lesson", write("until.md", badUntil)}, "until.md:7: "},
		{[]string{"--lesson", write("check.md", badCheck)}, "check.md:8: "},
		{[]string{"--lesson", filepath.Join(dir, "missing.md")}, "cannot read the lesson file"},
		{[]string{"--lesson", "12"}, "there is no lesson 12: the lessons are numbered 1 to 9"},
		{[]string{"--lesson", "3", "--scenario", "close"}, "--lesson and --scenario cannot be used together"},
		{[]string{"--lesson", "3", "--set", "msl=1s"}, "--set cannot be used with --lesson"},
		{[]string{"--lesson"}, "--lesson needs a value"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", c.args, code, errOut, c.want)
		}
		if c.want != "--lesson needs a value" && strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: want one line of error, got %q", c.args, errOut)
		}
	}
	// A good file and a number pass the checks and reach the terminal test.
	for _, arg := range []string{write("good.md", good), "9"} {
		if code, _, errOut := runCLI(t, "--lesson", arg); code != exitError {
			t.Errorf("--lesson %s: exit %d (%s), want %d (no terminal here)", arg, code, errOut, exitError)
		}
	}
	// A file that checks clean is the lesson the view opens.
	l, err := lessonFlag(flags{lesson: filepath.Join(dir, "good.md"), lang: "en"})
	if err != nil || l.Title != "My lesson" || len(l.Steps) != 1 {
		t.Fatalf("lessonFlag(good.md) = %+v, %v; want the lesson My lesson with one step", l, err)
	}
}
