package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"finwait/lessons"
)

// devFull opens Linux's always-full device: every write to it fails with
// ENOSPC, as on a full disk.
func devFull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("skipping: /dev/full cannot be opened on %s (%v); it is Linux's always-full device", runtime.GOOS, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Every command that writes to standard output says so and exits 1 when
// the output is full (finwait trace close > /dev/full), in the chosen
// language, with the system's message.
func TestStdoutFullIsAnError(t *testing.T) {
	full := devFull(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	enospc := syscall.ENOSPC.Error() // "no space left on device"
	for _, args := range [][]string{
		{"trace", "close"}, {"trace", "close", "--json"}, {"trace", "lost-final-ack", "--format", "svg"},
		{"trace", "close", "--format", "mermaid", "-o", "-"},
		{"scenarios"}, {"params"}, {"lessons"}, {"version"}, {"--version"}, {"help"}, {"-h"}, {"trace", "-h"}, {"help", "params"},
	} {
		for _, lang := range lessons.Languages {
			var errOut bytes.Buffer
			code := Main(append(args, "--lang", lang), full, &errOut)
			cat := lessons.Messages(lang)
			want := cat.T("cli.error", "err", cat.T("cli.err.stdout", "err", "write /dev/full: "+enospc)) + "\n"
			if code != 1 || errOut.String() != want {
				t.Errorf("%v --lang %s > /dev/full: exit %d, stderr %q; want exit 1 and %q", args, lang, code, errOut.String(), want)
			}
		}
	}
}

// finwait trace -o /dev/full: exit 1 with the system's message, never
// "Exported", and the device is left where it is.
func TestExportToDevFull(t *testing.T) {
	devFull(t).Close()
	for _, format := range []string{"text", "svg", "mermaid", "json"} {
		code, _, errOut := runCLI(t, "trace", "lost-final-ack", "--format", format, "-o", "/dev/full")
		want := "finwait: cannot write the export: write /dev/full: " + syscall.ENOSPC.Error() + "\n"
		if code != 1 || errOut != want {
			t.Errorf("--format %s -o /dev/full: exit %d, stderr %q; want exit 1 and %q", format, code, errOut, want)
		}
	}
	if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/full is gone or no longer a device after a failed export: %v, %v", fi, err)
	}
}

// -o into a folder that does not exist is a runtime error (exit 1), not a
// usage error, and creates nothing.
func TestExportIntoMissingFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "no-such-folder", "close.svg")
	code, _, errOut := runCLI(t, "trace", "close", "--format", "svg", "-o", path)
	want := "finwait: cannot write the export: open " + path + ": " + syscall.ENOENT.Error() + "\n"
	if code != 1 || errOut != want {
		t.Errorf("-o %s: exit %d, stderr %q; want exit 1 and %q", path, code, errOut, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed export left %v in %s", entries, dir)
	}
}

// readOnlyFolder is a folder this process cannot create files in: a
// temporary folder without write permission, or, for root (whom permissions
// do not stop), Linux's /sys.
func readOnlyFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "read-only")
	if err := os.Mkdir(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	probe, err := os.CreateTemp(dir, "probe")
	if err != nil {
		return dir
	}
	probe.Close()
	os.Remove(probe.Name())
	if probe, err := os.CreateTemp("/sys", "finwait-probe"); err == nil {
		probe.Close()
		os.Remove(probe.Name())
		t.Skip("skipping: this process may write in a folder without write permission (root) and in /sys, so no read-only folder is at hand")
	}
	return "/sys"
}

func TestExportIntoReadOnlyFolder(t *testing.T) {
	dir := readOnlyFolder(t)
	path := filepath.Join(dir, "finwait-close.txt")
	code, _, errOut := runCLI(t, "trace", "close", "-o", path)
	want := "finwait: cannot write the export: open " + path + ": " + syscall.EACCES.Error() + "\n"
	if code != 1 || errOut != want {
		t.Errorf("-o %s: exit %d, stderr %q; want exit 1 and %q", path, code, errOut, want)
	}
	if _, err := os.Lstat(path); err == nil {
		t.Errorf("%s exists after a refused export", path)
	}
}

// -o over an existing file replaces it whole, keeps its permissions and
// leaves no temporary file behind; "Exported" is said only then.
func TestExportReplacesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "close.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("an older, longer export\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, ladder, _ := runCLI(t, "trace", "close")
	code, out, errOut := runCLI(t, "trace", "close", "-o", path)
	if code != 0 || out != "" || errOut != "Exported to "+path+".\n" {
		t.Fatalf("-o %s: exit %d, stdout %q, stderr %q", path, code, out, errOut)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != ladder {
		t.Errorf("%s holds %d bytes, want the %d bytes of the ladder (%v)", path, len(got), len(ladder), err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want the file's own 0600 kept (%v)", path, fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %v, want only close.txt", entries)
	}
}
