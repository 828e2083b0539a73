package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"finwait/lessons"
	"finwait/model"
)

// englishProse is wording of model.ParamError.Error and the old Allowed
// strings that must never reach a Chinese reader.
var englishProse = []string{" to ", " or ", "allowed", "not a", "out of range", "unknown", "larger than", "within", "whole number", "loopback only", "means"}

// badSettings refuse a value of every kind for every reason.
var badSettings = [][2]string{
	{"delay", "99h"}, {"msl", "forever"}, {"tw_reuse", "3"}, {"orphan_retries", "x"}, {"orphan_retries", "200"},
	{"loss", "2"}, {"loss", "much"}, {"port_range", "9"}, {"port_range", "9-1"}, {"seed", "-1"},
	{"keepalive", "maybe"}, {"isn", "x"}, {"profile", "bsd"}, {"rto_min", "300s"}, {"bogus", "1"},
}

func paramErr(t *testing.T, name, value string) *model.ParamError {
	t.Helper()
	p := model.Linux()
	var pe *model.ParamError
	if err := p.Set(name, value); !errors.As(err, &pe) {
		t.Fatalf("Set(%s, %s) = %v, want a *model.ParamError", name, value, err)
	}
	return pe
}

// In English the catalogue words a refusal exactly as the model's Go error
// does, so the two stay in step; in Chinese no English prose is left.
func TestParamErrorText(t *testing.T) {
	en, zh := lessons.Messages("en"), lessons.Messages("zh")
	for _, kv := range badSettings {
		pe := paramErr(t, kv[0], kv[1])
		if got := paramErrorText(en, pe); got != pe.Error() {
			t.Errorf("%s=%s in English:\n got %q\nwant %q", kv[0], kv[1], got, pe.Error())
		}
		got := paramErrorText(zh, pe)
		if !hasHan(got) || strings.Contains(got, "param.") {
			t.Errorf("%s=%s in Chinese: %q", kv[0], kv[1], got)
		}
		for _, w := range englishProse {
			if strings.Contains(got, w) {
				t.Errorf("%s=%s in Chinese has English %q: %q", kv[0], kv[1], w, got)
			}
		}
	}
	// A bad set in a scenario file keeps its file:line.
	sc := &model.Scenario{}
	_, err := sc.ParamsWith([]string{"delay"})
	if got, want := errorText(zh, err), "delay=:缺少 '='(允许:name=value)"; got != want {
		t.Errorf("missing '=' in Chinese: %q, want %q", got, want)
	}
	_, err = model.ParseScenario("bad.scn", "start established\nset delay=99h\n")
	if got, want := errorText(zh, err), "bad.scn:2: delay=99h:超出范围(允许:0s 到 10s)"; got != want {
		t.Errorf("scenario error in Chinese: %q, want %q", got, want)
	}
	if got := errorText(en, err); got != err.Error() {
		t.Errorf("scenario error in English: %q, want %q", got, err.Error())
	}
}

// Every setting's allowed values are worded in both languages.
func TestAllowedText(t *testing.T) {
	en, zh := lessons.Messages("en"), lessons.Messages("zh")
	p := model.Linux()
	for _, info := range p.Describe() {
		e, z := allowedText(en, info.Allowed), allowedText(zh, info.Allowed)
		if e == "" || z == "" || strings.Contains(e+z, "param.") || e == z && info.Allowed.Kind != "form" && !strings.Contains(z, "或") {
			t.Errorf("%s: en %q, zh %q", info.Name, e, z)
		}
	}
	for _, c := range []struct{ name, en, zh string }{
		{"delay", "0s to 10s", "0s 到 10s"},
		{"keepalive", "on or off", "on 或 off"},
		{"profile", "linux or rfc", "linux 或 rfc"},
		{"tw_reuse", "0 (off), 1 (on), 2 (loopback only)", "0(关闭)、1(开启)、2(仅限回环)"},
		{"orphan_retries", "0 to 127 (0 means 8, as in Linux)", "0 到 127(0 表示 8,与 Linux 相同)"},
		{"port_range", "LOW-HIGH within 1-65535", "下限-上限,在 1-65535 之内"},
		{"seed", "a whole number ≥ 0", "≥ 0 的整数"},
		{"loss", "0 to 1 (or 0% to 100%)", "0 到 1(或 0% 到 100%)"},
	} {
		pe := paramErr(t, c.name, "?")
		if got := allowedText(en, pe.Allowed); got != c.en {
			t.Errorf("%s in English: %q, want %q", c.name, got, c.en)
		}
		if got := allowedText(zh, pe.Allowed); got != c.zh {
			t.Errorf("%s in Chinese: %q, want %q", c.name, got, c.zh)
		}
	}
}

func TestParamsCommandChinese(t *testing.T) {
	code, out, _ := runCLI(t, "params", "--lang", "zh")
	if code != 0 {
		t.Fatalf("params --lang zh: exit %d", code)
	}
	for _, want := range []string{"0s 到 10s", "on 或 off", "linux 或 rfc", "0(关闭)、1(开启)、2(仅限回环)", "0 到 1(或 0% 到 100%)"} {
		if !strings.Contains(out, want) {
			t.Errorf("params --lang zh lacks %q:\n%s", want, out)
		}
	}
	for _, w := range englishProse {
		if strings.Contains(out, w) {
			t.Errorf("params --lang zh has English %q:\n%s", w, out)
		}
	}
	code, out, _ = runCLI(t, "params")
	if code != 0 || !strings.Contains(out, "delay             20ms           0s to 10s\n") || !strings.Contains(out, "on or off") {
		t.Errorf("params in English: exit %d\n%s", code, out)
	}
}

func TestSetErrorChinese(t *testing.T) {
	zh := lessons.Messages("zh")
	code, _, errOut := runCLI(t, "trace", "close", "--set", "delay=99h", "--lang", "zh")
	want := zh.T("cli.error", "err", "delay=99h:超出范围(允许:0s 到 10s)") + "\n" + zh.T("cli.hint.params") + "\n"
	if code != 2 || errOut != want {
		t.Errorf("--set delay=99h --lang zh: exit %d, stderr\n%q\nwant exit 2 and\n%q", code, errOut, want)
	}
	code, _, errOut = runCLI(t, "trace", "close", "--set", "delay=99h")
	if want := "finwait: delay=99h: out of range (allowed: 0s to 10s)\n"; code != 2 || !strings.HasPrefix(errOut, want) {
		t.Errorf("--set delay=99h: exit %d, stderr %q, want it to start %q", code, errOut, want)
	}
	// The same refusal inside a scenario file and a lesson file.
	dir := t.TempDir()
	scn := filepath.Join(dir, "slow.scn")
	os.WriteFile(scn, []byte("start established\nset delay=99h\nat 10ms client close\n"), 0o644)
	code, _, errOut = runCLI(t, "trace", scn, "--lang", "zh")
	if code != 2 || !strings.Contains(errOut, "slow.scn:2: delay=99h:超出范围(允许:0s 到 10s)") {
		t.Errorf("scenario with delay=99h --lang zh: exit %d, %q", code, errOut)
	}
	md := filepath.Join(dir, "slow.md")
	os.WriteFile(md, []byte("---\nid: slow\ntitle: Slow\nscenario: close\n---\n## One\nuntil: end\nset: delay=99h\nText.\n"), 0o644)
	code, _, errOut = runCLI(t, "lessons", "check", md, "--lang", "zh")
	if code != 2 || !strings.Contains(errOut, "slow.md:8: delay=99h:超出范围(允许:0s 到 10s)") {
		t.Errorf("lesson with delay=99h --lang zh: exit %d, %q", code, errOut)
	}
}

// The settings form, switched to Chinese with L, words the range and the
// refusal of an invalid value in Chinese.
func TestSettingsFormChinese(t *testing.T) {
	m := open(t, "close", 120, 40)
	press(m, "L", "s", "down", "enter")
	for range 6 {
		press(m, "backspace")
	}
	typeText(m, "99s")
	press(m, "enter")
	s := screen(m)
	zh := lessons.Messages("zh")
	for _, want := range []string{zh.T("ui.settings.title"), "0s 到 10s", "on 或 off", "✗ " + zh.T("ui.settings.invalid", "value", "99s", "allowed", "0s 到 10s")} {
		if !strings.Contains(s, want) {
			t.Errorf("settings form in Chinese lacks %q:\n%s", want, s)
		}
	}
	for _, w := range []string{" to ", " or ", "is refused"} {
		if strings.Contains(s, w) {
			t.Errorf("settings form in Chinese has English %q:\n%s", w, s)
		}
	}
}
