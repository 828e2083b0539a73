package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"finwait/lessons"
)

// englishProse is wording of model.ParamError.Error and the old Allowed
// strings that must never reach a Chinese reader.
var englishProse = []string{" to ", " or ", "allowed", "not a", "out of range", "unknown", "larger than", "within", "whole number", "loopback only", "means"}

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
