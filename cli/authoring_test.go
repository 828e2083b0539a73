package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"finwait/lessons"
	"finwait/model"
)

// authoringEnglish is wording of the English authoring messages that must
// never reach a Chinese reader (keywords such as client or until: may).
var authoringEnglish = []string{"unknown", " needs ", " must ", "bad ", "got ", "failed", "expected", "write ", "the run", "cannot"}

// A mistake in a scenario file, a lesson file or a --drop rule is reported
// with its file:line and exit code 2: in Chinese with --lang zh, in the
// model's and the lessons' English (their Error) without.
func TestAuthoringErrorsBothLanguages(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "---\nid: bad\ntitle: Bad\nscenario: close\n---\n## One\n"
	cases := []struct {
		name     string
		args     []string // the command, before --lang
		at       string   // file:line, "" for a --drop rule
		en, zh   string   // the English and the Chinese message (after file:line)
		lessonMD bool     // the file is a lesson (lessons check, --lesson)
	}{
		{name: "unknown action", args: []string{"trace", write("action.scn", "start established\n\nat 10ms client explode\n")}, at: "action.scn:3",
			en: `unknown action "explode" (connect, reconnect, listen, close, shutdown, send N, abort, read, noread, keepalive, poweroff, poweron, reboot)`,
			zh: `未知动作 "explode"(connect、reconnect、listen、close、shutdown、send N、abort、read、noread、keepalive、poweroff、poweron、reboot)`},
		{name: "start twice", args: []string{"trace", write("start.scn", "# two starts\nstart established\nstart closed\n")}, at: "start.scn:3",
			en: "start is given twice", zh: "start 写了两次"},
		{name: "load count", args: []string{"trace", write("load.scn", "load count=0\n")}, at: "load.scn:1",
			en: `count must be 1 to 10000000, got "0"`, zh: `count 必须在 1 到 10000000 之间,实际是 "0"`},
		{name: "bad time", args: []string{"trace", write("time.scn", "start established\nat 1x client close\n")}, at: "time.scn:2",
			en: `bad time "1x": write it like 50ms or 2s`, zh: `时间 "1x" 有误:请写成 50ms 或 2s 这样的形式`},
		{name: "rule in a scenario", args: []string{"trace", write("rule.scn", "start established\ndrop moon:1\n")}, at: "rule.scn:2",
			en: `bad segment rule "moon:1": side must be client or server (write SIDE:N or SIDE:FLAG:N`,
			zh: `报文段规则 "moon:1" 有误:一方必须是 client 或 server(写作 SIDE:N 或 SIDE:FLAG:N`},
		{name: "--scenario FILE", args: []string{"--scenario", write("stmt.scn", "start established\nexplode now\n")}, at: "stmt.scn:2",
			en: `unknown statement "explode" (expected description:, set, start, at, on, drop, delay, duplicate, client, server, load or end)`,
			zh: `未知语句 "explode"(应为 description:、set、start、at、on、drop、delay、duplicate、client、server、load 或 end)`},
		{name: "--drop", args: []string{"trace", "close", "--drop", "client:BOGUS:1"},
			en: `bad segment rule "client:BOGUS:1": flag must be SYN, FIN, RST, DATA or ACK (write SIDE:N`,
			zh: `报文段规则 "client:BOGUS:1" 有误:标志必须是 SYN、FIN、RST、DATA 或 ACK(写作 SIDE:N`},
		{name: "front matter", lessonMD: true, args: []string{"lessons", "check", write("front.md", "# no front matter\n")}, at: "front.md:1",
			en: "a lesson starts with front matter: a line '---', then id:, title:, scenario:, then '---'",
			zh: "课程以前置信息开头:一行 '---',然后是 id:、title:、scenario:,再一行 '---'"},
		{name: "until", lessonMD: true, args: []string{"lessons", "check", write("until.md", head+"until: client leaves\nText.\n")}, at: "until.md:7",
			en: `unknown checkpoint "client leaves": write start, end, a time like 10s,`, zh: `未知检查点 "client leaves":请写 start、end、10s 这样的时间、`},
		{name: "check", lessonMD: true, args: []string{"lessons", "check", write("check.md", head+"until: end\ncheck: client is SLEEPY\nText.\n")}, at: "check.md:8",
			en: `bad check "client is SLEEPY": unknown state`, zh: `检查 "client is SLEEPY" 有误:未知状态`},
		{name: "scenario", lessonMD: true, args: []string{"lessons", "check", write("other.md", head+"until: end\nscenario: nope\nText.\n")}, at: "other.md:8",
			en: `unknown scenario "nope" (built-in scenarios: abort, close,`, zh: `未知场景 "nope"(内置场景:abort, close,`},
		{name: "question", lessonMD: true, args: []string{"lessons", "check", write("quiz.md", head+"until: end\n? Which?\n- [x] a\n- [ ] b\nText.\n")}, at: "quiz.md:6",
			en: `the question of step "One" needs an explanation line starting with '> '`, zh: `步骤 "One" 的问题需要一行以 '> ' 开头的解释`},
		{name: "check fails", lessonMD: true, args: []string{"lessons", "check", write("claim.md", head+"until: client enters TIME-WAIT\ncheck: client is CLOSED\ncheck: client has no timer time-wait\nText.\n")}, at: "claim.md:8",
			en: `check "client is CLOSED" failed: the engine says TIME-WAIT`, zh: `检查 "client is CLOSED" 未通过:引擎给出的是 TIME-WAIT`},
		{name: "timer left", lessonMD: true, args: []string{"lessons", "check", write("timer.md", head+"until: client enters TIME-WAIT\ncheck: client has no timer time-wait\nText.\n")}, at: "timer.md:8",
			en: `check "client has no timer time-wait" failed: the engine says 60s left`, zh: `检查 "client has no timer time-wait" 未通过:引擎给出的是 剩余 60s`},
		{name: "never reached", lessonMD: true, args: []string{"--lesson", write("never.md", head+"until: end\nText.\n## Two\nuntil: client enters TIME-WAIT\nText.\n")}, at: "never.md:9",
			en: `step "Two": checkpoint not reached: the run ended at `, zh: `步骤 "Two":未到达检查点:运行在 `},
	}
	for _, c := range cases {
		prefix := ""
		if c.at != "" {
			prefix = filepath.Join(dir, c.at) + ": "
		}
		code, _, errOut := runCLI(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, prefix+c.en) {
			t.Errorf("%s in English: exit %d, stderr\n%s\nwant exit 2 and %q", c.name, code, errOut, prefix+c.en)
		}
		if want := authoringEnglishError(t, c.args); !strings.Contains(errOut, want) {
			t.Errorf("%s in English: stderr\n%s\ndoes not hold the Go error %q", c.name, errOut, want)
		}
		code, _, errOut = runCLI(t, append(c.args, "--lang", "zh")...)
		if code != exitUsage || !strings.Contains(errOut, prefix+c.zh) {
			t.Errorf("%s in Chinese: exit %d, stderr\n%s\nwant exit 2 and %q", c.name, code, errOut, prefix+c.zh)
		}
		msg := errOut[strings.Index(errOut, prefix)+len(prefix):]
		for _, w := range authoringEnglish {
			if strings.Contains(msg, w) {
				t.Errorf("%s in Chinese has English %q: %q", c.name, w, errOut)
			}
		}
		if strings.Contains(errOut, "scn.") || strings.Contains(errOut, "lesson.") {
			t.Errorf("%s in Chinese shows a message key: %q", c.name, errOut)
		}
	}
}

// authoringEnglishError is the Go error (Error, in English) that the file
// or rule of a command gives when read in the program itself.
func authoringEnglishError(t *testing.T, args []string) string {
	t.Helper()
	file := args[len(args)-1]
	if args[0] == "trace" && args[1] == "close" {
		_, err := model.ParseRule(file, model.FaultDrop)
		return errString(err)
	}
	if !strings.HasSuffix(file, ".md") {
		_, err := lessons.LoadScenario(file)
		return errString(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lessons.ParseLesson(file, string(b), "en")
	if err != nil {
		return err.Error()
	}
	if errs := lessons.Verify(l); len(errs) > 0 {
		return errs[0].Error()
	}
	return "(no error)"
}

func errString(err error) string {
	if err == nil {
		return "(no error)"
	}
	return err.Error()
}
