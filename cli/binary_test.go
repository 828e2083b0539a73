package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// buildFinwait builds the program from the module root, as a user does.
func buildFinwait(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("skipping: the go tool is not on PATH, so finwait cannot be built")
	}
	bin := filepath.Join(t.TempDir(), "finwait")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// exitCode runs cmd and returns its exit code and standard error.
func exitCode(t *testing.T, cmd *exec.Cmd) (int, string) {
	t.Helper()
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, errOut.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), errOut.String()
	}
	t.Fatalf("%v: %v", cmd.Args, err)
	return -1, ""
}

// The built program, as a shell runs it: its version is what the go tool
// recorded in it, and its exit codes are 1 for an output that cannot be
// written (a full device, a file that can grow no more) and 2 for a usage
// error.
func TestBuiltFinwait(t *testing.T) {
	bin := buildFinwait(t)

	t.Run("version", func(t *testing.T) {
		// go version -m reads the same build information independently.
		info, err := exec.Command("go", "version", "-m", bin).Output()
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^\tmod\tfinwait\t(\S+)`).FindSubmatch(info)
		if m == nil {
			t.Fatalf("go version -m names no finwait module:\n%s", info)
		}
		want := "finwait " + string(m[1])
		if r := regexp.MustCompile(`(?m)^\tbuild\tvcs\.revision=(\S+)`).FindSubmatch(info); r != nil {
			if strings.Contains(string(info), "\tbuild\tvcs.modified=true") {
				want += " (commit " + string(r[1]) + ", with uncommitted changes)"
			} else {
				want += " (commit " + string(r[1]) + ")"
			}
		}
		for _, args := range [][]string{{"--version"}, {"version"}} {
			out, err := exec.Command(bin, args...).Output()
			if err != nil || string(out) != want+"\n" {
				t.Errorf("finwait %s: %q (%v), want %q", args[0], out, err, want)
			}
		}
	})

	t.Run("stdout on /dev/full", func(t *testing.T) {
		full := devFull(t)
		cmd := exec.Command(bin, "trace", "close")
		cmd.Stdout = full
		code, errOut := exitCode(t, cmd)
		if want := "finwait: cannot write to standard output: write /dev/stdout: " + syscall.ENOSPC.Error() + "\n"; code != 1 || errOut != want {
			t.Errorf("finwait trace close > /dev/full: exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
		}
	})

	t.Run("file that cannot grow", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("skipping: needs a POSIX shell's ulimit -f")
		}
		// ulimit -f 2: no file of this process grows past 2 KiB, as on a
		// disk that fills in the middle of the export (the SVG is ~4 KiB).
		dir := t.TempDir()
		path := filepath.Join(dir, "close.svg")
		old := "the export of yesterday\n"
		if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sh", "-c", `ulimit -f 2 && exec "$0" "$@"`, bin, "trace", "close", "--format", "svg", "-o", path)
		code, errOut := exitCode(t, cmd)
		if want := "finwait: cannot write the export: write " + path + ": " + syscall.EFBIG.Error() + "\n"; code != 1 || errOut != want {
			t.Errorf("-o with ulimit -f 2: exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != old {
			t.Errorf("the older %s is %q (%v), want it untouched", path, b, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("the folder holds %v, want only close.svg", entries)
		}
	})

	t.Run("usage error", func(t *testing.T) {
		code, errOut := exitCode(t, exec.Command(bin, "trace", "close", "--bogus"))
		if code != 2 || !strings.Contains(errOut, `unknown flag "--bogus"`) {
			t.Errorf("finwait trace close --bogus: exit %d, stderr %q; want exit 2", code, errOut)
		}
	})
}
