package lessons

import (
	"errors"
	"strings"
	"testing"

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
	en, zh := Messages("en"), Messages("zh")
	for _, kv := range badSettings {
		pe := paramErr(t, kv[0], kv[1])
		if got := ParamErrorText(en, pe); got != pe.Error() {
			t.Errorf("%s=%s in English:\n got %q\nwant %q", kv[0], kv[1], got, pe.Error())
		}
		got := ParamErrorText(zh, pe)
		if !catalogHasHan(got) || strings.Contains(got, "param.") {
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
	if got, want := ErrorText(zh, err), "delay=:缺少 '='(允许:name=value)"; got != want {
		t.Errorf("missing '=' in Chinese: %q, want %q", got, want)
	}
	_, err = model.ParseScenario("bad.scn", "start established\nset delay=99h\n")
	if got, want := ErrorText(zh, err), "bad.scn:2: delay=99h:超出范围(允许:0s 到 10s)"; got != want {
		t.Errorf("scenario error in Chinese: %q, want %q", got, want)
	}
	if got := ErrorText(en, err); got != err.Error() {
		t.Errorf("scenario error in English: %q, want %q", got, err.Error())
	}
}

// Every setting's allowed values are worded in both languages.
func TestAllowedText(t *testing.T) {
	en, zh := Messages("en"), Messages("zh")
	p := model.Linux()
	for _, info := range p.Describe() {
		e, z := AllowedText(en, info.Allowed), AllowedText(zh, info.Allowed)
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
		if got := AllowedText(en, pe.Allowed); got != c.en {
			t.Errorf("%s in English: %q, want %q", c.name, got, c.en)
		}
		if got := AllowedText(zh, pe.Allowed); got != c.zh {
			t.Errorf("%s in Chinese: %q, want %q", c.name, got, c.zh)
		}
	}
}

// In English the catalogues word every authoring error exactly as its Go
// error does, wherever it is nested.
func TestAuthoringErrorTextEnglishIsError(t *testing.T) {
	en, zh := Messages("en"), Messages("zh")
	for _, src := range []string{"at 0 set msl=x", "load count=2 closer=moon", "duplicate client:1 extra", "on moon eof client close",
		"client noread extra", "drop client:1,2,3,4,5", "end 0", "at 0 client send 0"} {
		_, err := model.ParseScenario("x.scn", src)
		if err == nil {
			t.Fatalf("%q parsed", src)
		}
		if got := ErrorText(en, err); got != err.Error() {
			t.Errorf("%q in English:\n got %q\nwant %q", src, got, err.Error())
		}
		if got := ErrorText(zh, err); !catalogHasHan(got) || !strings.HasPrefix(got, "x.scn:1: ") {
			t.Errorf("%q in Chinese: %q", src, got)
		}
	}
}
