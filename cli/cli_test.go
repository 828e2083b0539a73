package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"finwait/kernel"
	"finwait/lessons"
	"finwait/model"
	"finwait/render"
)

func runCLI(t *testing.T, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

type jsonEvent struct {
	TMs  float64 `json:"t_ms"`
	Kind string  `json:"kind"`
	Side string  `json:"side"`
	Conn int     `json:"conn"`
	Seg  *struct {
		ID    int    `json:"id"`
		Flags string `json:"flags"`
		Seq   uint32 `json:"seq"`
		Ack   uint32 `json:"ack"`
		Len   int    `json:"len"`
	} `json:"seg"`
	From  string `json:"from"`
	To    string `json:"to"`
	Timer string `json:"timer"`
	Rule  string `json:"rule"`
	Note  string `json:"note"`
}

func traceJSON(t *testing.T, args ...string) []jsonEvent {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"trace", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var evs []jsonEvent
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e jsonEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		evs = append(evs, e)
	}
	return evs
}

func TestTraceJSONClose(t *testing.T) {
	evs := traceJSON(t, "close")
	var states []string
	var lastServerFIN float64
	for _, e := range evs {
		if e.Kind == "" || e.Side == "" {
			t.Fatalf("event without kind or side: %+v", e)
		}
		if e.Kind == "state" {
			states = append(states, e.Side+":"+e.From+">"+e.To)
			if e.Note == "" {
				t.Errorf("state event without an explanation: %+v", e)
			}
		}
		if e.Kind == "deliver" && e.Side == "client" && strings.Contains(e.Seg.Flags, "FIN") {
			lastServerFIN = e.TMs
		}
	}
	want := []string{"client:CLOSED>ESTABLISHED", "server:CLOSED>ESTABLISHED", "client:ESTABLISHED>FIN-WAIT-1", "server:ESTABLISHED>CLOSE-WAIT",
		"server:CLOSE-WAIT>LAST-ACK", "client:FIN-WAIT-1>FIN-WAIT-2", "client:FIN-WAIT-2>TIME-WAIT",
		"server:LAST-ACK>CLOSED", "client:TIME-WAIT>CLOSED"}
	if strings.Join(states, " ") != strings.Join(want, " ") {
		t.Fatalf("states:\n got %v\nwant %v", states, want)
	}
	end := evs[len(evs)-1]
	if end.To != "CLOSED" || end.TMs-lastServerFIN != 60000 {
		t.Errorf("client should close exactly 60 s after the server's FIN reached it: FIN at %v ms, end %+v", lastServerFIN, end)
	}
}

func TestTraceDropFinalACK(t *testing.T) {
	evs := traceJSON(t, "close", "--drop", "client:ACK:1")
	serverFINs, dropped := 0, false
	for _, e := range evs {
		if e.Kind == "send" && e.Side == "server" && strings.Contains(e.Seg.Flags, "FIN") {
			serverFINs++
		}
		if e.Kind == "drop" && e.Side == "client" && e.Seg.Flags == "ACK" {
			dropped = true
		}
	}
	if !dropped || serverFINs != 2 {
		t.Fatalf("dropping the final ACK should make the server resend its FIN once: dropped=%v FINs=%d", dropped, serverFINs)
	}
}

func TestTraceLadderReadable(t *testing.T) {
	code, out, _ := runCLI(t, "trace", "lost-final-ack")
	if code != 0 {
		t.Fatal(code)
	}
	for _, want := range []string{"TIME-WAIT", "✗ #", "restarts its 2MSL timer", "LAST-ACK → CLOSED"} {
		if !strings.Contains(out, want) {
			t.Errorf("ladder lacks %q", want)
		}
	}
	code, out, _ = runCLI(t, "trace", "close", "--lang", "zh")
	zh := lessons.Messages("zh")
	rule13 := []rune(zh.T("rule.13", "side", zh.T("side.client")))
	if code != 0 || !strings.Contains(out, zh.T("cli.time")) || !strings.Contains(out, string(rule13[:8])) || zh.T("side.client") == "client" {
		t.Errorf("Chinese ladder lacks Chinese explanations:\n%s", out)
	}
}

func TestTracePortExhaustionSummary(t *testing.T) {
	code, out, _ := runCLI(t, "trace", "port-exhaustion")
	if code != 0 {
		t.Fatal(code)
	}
	if !strings.Contains(out, "EADDRNOTAVAIL") || !strings.Contains(out, lessons.Messages("en").T("cli.samples_title")) {
		t.Errorf("port-exhaustion trace should show EADDRNOTAVAIL and the summary table:\n%s", out[len(out)-2000:])
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.scn")
	os.WriteFile(bad, []byte("start established\n\nat 10ms client explode\n"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"trace", "no-such"}, "unknown scenario"},
		{[]string{"trace"}, "exactly one scenario"},
		{[]string{"trace", "close", "--set", "msl=forever"}, "msl=forever"},
		{[]string{"trace", "close", "--set", "tw_reuse=3"}, "0 (off), 1 (on), 2 (loopback only)"},
		{[]string{"trace", "close", "--set", "bogus=1"}, "unknown parameter"},
		{[]string{"trace", "close", "--drop", "client:0"}, "bad segment rule"},
		{[]string{"trace", bad}, "bad.scn:3:"},
		{[]string{"trace", filepath.Join(dir, "missing.scn")}, "cannot read scenario file"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"--lang", "fr"}, "--lang must be en or zh"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", c.args, code, errOut, c.want)
		}
	}
}

func TestScenariosAndParams(t *testing.T) {
	code, out, _ := runCLI(t, "scenarios")
	if code != 0 {
		t.Fatal(code)
	}
	for _, n := range lessons.ScenarioNames() {
		sc, err := lessons.BuiltinScenario(n)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Description == "" || !strings.Contains(out, n+" ") {
			t.Errorf("scenario %s missing or without description", n)
		}
	}
	if len(lessons.ScenarioNames()) < 18 {
		t.Errorf("want the 18 built-in scenarios, have %d", len(lessons.ScenarioNames()))
	}
	code, out, _ = runCLI(t, "params", "--set", "msl=1s")
	if code != 0 {
		t.Fatal(code)
	}
	for _, n := range model.ParamNames() {
		if !strings.Contains(out, n+" ") {
			t.Errorf("params lacks %s", n)
		}
	}
	if !strings.Contains(out, "Linux has no MSL") {
		t.Errorf("msl=1s should carry the Linux note:\n%s", out)
	}
}

func TestLessonsCommands(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	code, out, _ := runCLI(t, "lessons")
	ls, _ := lessons.Builtin("en")
	if code != 0 || strings.Count(out, "\n") != len(ls) || len(ls) < 9 {
		t.Fatalf("lessons: exit %d, %d lines for %d lessons:\n%s", code, strings.Count(out, "\n"), len(ls), out)
	}
	src, err := os.ReadFile("../assets/lessons/en/05-lost-final-ack.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.md")
	os.WriteFile(good, src, 0o644)
	if code, _, errOut := runCLI(t, "lessons", "check", good); code != 0 {
		t.Fatalf("a built-in lesson should check clean: %s", errOut)
	}
	// A claim the engine contradicts is reported with its file:line.
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(bad, []byte(strings.Replace(string(src), "check: t = 310ms", "check: t = 999ms", 1)), 0o644)
	code, _, errOut := runCLI(t, "lessons", "check", bad)
	line := 1 + strings.Count(string(src[:strings.Index(string(src), "check: t = 310ms")]), "\n")
	if code != 2 || !strings.Contains(errOut, fmt.Sprintf("bad.md:%d:", line)) || !strings.Contains(errOut, "310ms") {
		t.Fatalf("want exit 2 naming bad.md:%d and the engine's 310ms, got %d %q", line, code, errOut)
	}
	// A malformed file is reported with its line.
	os.WriteFile(bad, []byte("---\nid: x\ntitle: y\nscenario: close\n---\n## s\nuntil: client flies\ntext\n"), 0o644)
	if code, _, errOut := runCLI(t, "lessons", "check", bad); code != 2 || !strings.Contains(errOut, "bad.md:7:") {
		t.Fatalf("want bad.md:7, got %d %q", code, errOut)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// usageColumns returns the display column at which each description in a
// usage text starts: after a gap of two spaces or more, or on a line of its
// own (indented, not a continuation of a command's [options]).
func usageColumns(text string) []int {
	var cols []int
	for _, line := range strings.Split(text, "\n") {
		body := strings.TrimLeft(line, " ")
		indent := len(line) - len(body)
		switch {
		case body == "" || strings.HasPrefix(body, "["):
		case indent > 8:
			cols = append(cols, ansi.StringWidth(line[:indent]))
		default:
			gap := strings.Index(body, "  ")
			if gap < 0 {
				continue
			}
			end := indent + gap + len(body[gap:]) - len(strings.TrimLeft(body[gap:], " "))
			cols = append(cols, ansi.StringWidth(line[:end]))
		}
	}
	return cols
}

func TestHelpInBothLanguages(t *testing.T) {
	en, zh := lessons.Usage("en"), lessons.Usage("zh")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"help"}, en},
		{[]string{"-h"}, en},
		{[]string{"--help"}, en},
		{[]string{"help", "--lang", "en"}, en},
		{[]string{"help", "--lang", "zh"}, zh},
		{[]string{"--help", "--lang", "zh"}, zh},
		{[]string{"-h", "--lang=zh"}, zh},
		{[]string{"--lang", "zh", "help"}, zh},
		{[]string{"--lang=zh", "--help"}, zh},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, c.args...)
		if code != 0 || out != c.want || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout\n%s\nwant exit 0 and\n%s", c.args, code, errOut, out, c.want)
		}
	}
	if !strings.HasPrefix(en, "finwait: watch, step and break how a TCP connection ends.\n") || hasHan(en) {
		t.Errorf("English usage:\n%s", en)
	}
	if !hasHan(zh) || zh == en {
		t.Errorf("Chinese usage is not translated:\n%s", zh)
	}
	commands := []string{"trace", "scenarios", "params", "kernel", "lessons", "lessons check", "version", "help", "serve"}
	flags := []string{"--lesson", "--lang", "--present", "--narrate", "--scenario", "--set", "--json", "--format",
		"-o", "--drop", "--addr", "--host-key", "--max-sessions", "--idle-timeout", "--authorized-keys",
		"--password-file", "--instructor-key", "serve --help", "--version", "--help"}
	widest := 0
	for _, line := range strings.Split(en, "\n") {
		widest = max(widest, ansi.StringWidth(line))
	}
	for lang, text := range map[string]string{"en": en, "zh": zh} {
		for _, c := range commands {
			if !strings.Contains(text, "\n  finwait "+c+" ") {
				t.Errorf("%s usage lacks the command finwait %s", lang, c)
			}
		}
		for _, f := range flags {
			if !strings.Contains(text, " "+f+" ") && !strings.Contains(text, "["+f+" ") {
				t.Errorf("%s usage lacks %s", lang, f)
			}
		}
		// The exit codes are documented: 0, 1 and 2, each with a description.
		for _, code := range []string{"0", "1", "2"} {
			if !regexp.MustCompile(`\n  ` + code + ` {30,}\S`).MatchString(text) {
				t.Errorf("%s usage does not document exit code %s", lang, code)
			}
		}
		// Every description starts at the same display column (a Chinese
		// character takes two), and no line is wider than the English ones.
		cols := usageColumns(text)
		if len(cols) < 25 {
			t.Fatalf("%s usage: found only %d descriptions", lang, len(cols))
		}
		for i, c := range cols {
			if c != 35 {
				t.Errorf("%s usage: description %d starts at column %d, want 35 (columns %v)", lang, i+1, c, cols)
				break
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if w := ansi.StringWidth(line); w > widest {
				t.Errorf("%s usage: line %d columns wide, wider than the English usage (%d): %q", lang, w, widest, line)
			}
		}
	}
}

// TestCLIErrorsInChosenLanguage: usage errors come out in the language of
// --lang wherever it stands, even after the argument that is wrong.
func TestCLIErrorsInChosenLanguage(t *testing.T) {
	cases := []struct {
		args []string // --lang LANG is appended, or inserted at index at
		at   int
		key  string
		vars []any
	}{
		{[]string{"trace", "close", "--bogus"}, -1, "cli.err.unknown_flag", []any{"flag", strconv.Quote("--bogus")}},
		{[]string{"--bogus"}, -1, "cli.err.unknown_flag", []any{"flag", strconv.Quote("--bogus")}},
		{[]string{"trace", "close", "--set", "msl"}, -1, "cli.err.set_form", []any{"value", strconv.Quote("msl")}},
		{[]string{"trace", "close", "--set"}, 1, "cli.err.needs_value", []any{"flag", "set"}},
		{[]string{"trace", "close", "--format", "png"}, -1, "cli.err.format", []any{"value", strconv.Quote("png")}},
		{[]string{"trace"}, -1, "cli.err.trace_args", nil},
		{[]string{"frobnicate"}, 0, "cli.err.unknown_command", []any{"cmd", strconv.Quote("frobnicate")}},
		{[]string{"scenarios", "x"}, -1, "cli.err.scenarios_args", nil},
		{[]string{"params", "x"}, -1, "cli.err.params_args", nil},
		{[]string{"lessons", "x"}, -1, "cli.err.lessons_usage", nil},
		{[]string{"kernel", "close", "reset"}, -1, "cli.err.kernel_args", []any{"list", strings.Join(kernel.Scenarios(), ", ")}},
	}
	for _, lang := range []string{"en", "zh"} {
		cat := lessons.Messages(lang)
		for _, c := range cases {
			args := append([]string{}, c.args...)
			if c.at < 0 {
				args = append(args, "--lang", lang)
			} else {
				args = append(args[:c.at], append([]string{"--lang", lang}, args[c.at:]...)...)
			}
			code, _, errOut := runCLI(t, args...)
			want := cat.T("cli.error", "err", cat.T(c.key, c.vars...)) + "\n" + cat.T("cli.hint.help") + "\n"
			if code != 2 || errOut != want {
				t.Errorf("%v: exit %d, stderr\n%q\nwant exit 2 and\n%q", args, code, errOut, want)
			}
			if hasHan(errOut) != (lang == "zh") {
				t.Errorf("%v: stderr %q is not in %s", args, errOut, lang)
			}
		}
	}
	// A wrong --lang is reported in English, unless zh is asked for elsewhere.
	code, _, errOut := runCLI(t, "--lang", "fr")
	if code != 2 || !strings.Contains(errOut, "--lang must be en or zh, got \"fr\"") {
		t.Errorf("--lang fr: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "--lang", "fr", "--lang", "zh")
	zh := lessons.Messages("zh")
	if want := zh.T("cli.error", "err", zh.T("cli.err.lang", "value", `"fr"`)); code != 2 || !strings.HasPrefix(errOut, want+"\n") {
		t.Errorf("--lang fr --lang zh: exit %d, %q; want %q", code, errOut, want)
	}
	// A setting's error is in Chinese too, with the hint at finwait params.
	code, _, errOut = runCLI(t, "trace", "close", "--set", "bogus=1", "--lang", "zh")
	if code != 2 || !strings.Contains(errOut, "未知参数 \"bogus\"") || strings.Contains(errOut, "unknown parameter") ||
		!strings.HasSuffix(errOut, zh.T("cli.hint.params")+"\n") {
		t.Errorf("--set bogus=1 --lang zh: exit %d, %q", code, errOut)
	}
	// An export in an unknown format, as the interactive view would ask.
	sc, _ := lessons.BuiltinScenario("close")
	sim, err := model.New(sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := render.Export(&bytes.Buffer{}, sim, zh, "png"); err == nil || err.Error() != zh.T("export.err.format", "format", `"png"`) || !hasHan(err.Error()) {
		t.Errorf("Export png in Chinese: %v", err)
	}
}
