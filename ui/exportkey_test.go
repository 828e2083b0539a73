package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dropFirstFlight selects the first segment in flight with tab and drops
// it with x, as a user would; it returns the segment's id.
func dropFirstFlight(t *testing.T, m *Model) int {
	t.Helper()
	for range 10 {
		if len(m.sim().Flights()) > 0 {
			break
		}
		press(m, "l")
	}
	fl := m.sim().Flights()
	if len(fl) == 0 {
		t.Fatal("nothing in flight")
	}
	press(m, "tab", "x")
	if !strings.Contains(m.msg, "dropped") {
		t.Fatalf("tab x did not drop: %q", m.msg)
	}
	return fl[0].Seg.ID
}

// e writes the run as it is now, the user's drop included, to
// finwait-<scenario>-<n>.svg and .txt in the current directory; a second
// e takes the next n and leaves the first files alone.
func TestExportKeyWritesTheUsersRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m := open(t, "close", 80, 24)
	press(m, "l", "l", "l")
	id := dropFirstFlight(t, m)
	press(m, "l", "l")
	pressSettle(t, m, "e")
	if m.msgErr {
		t.Fatalf("e failed: %s", m.msg)
	}
	svg, txt := filepath.Join(dir, "finwait-close-1.svg"), filepath.Join(dir, "finwait-close-1.txt")
	if want := "Exported finwait-close-1.svg and .txt to " + dir; m.msg != want {
		t.Errorf("the status says %q, want %q", m.msg, want)
	}
	if !strings.Contains(screen(m), "✓ Exported finwait-close-1.svg and .txt to /") {
		t.Errorf("the status bar does not show the export:\n%s", screen(m))
	}
	text := readFile(t, txt)
	if want := fmt.Sprintf("✗ #%d lost", id); !strings.Contains(text, want) {
		t.Errorf("the text export does not show the dropped segment (%q):\n%s", want, text)
	}
	if strings.Contains(text, "60.090") {
		t.Error("the text export runs past where the user is: it should be the run as it is now")
	}
	image := readFile(t, svg)
	if !strings.HasPrefix(strings.TrimSpace(image), "<svg") && !strings.Contains(image, "<svg") {
		t.Errorf("not an SVG: %.80q", image)
	}
	if !strings.Contains(image, fmt.Sprintf("#%d", id)) {
		t.Errorf("the SVG does not show segment #%d", id)
	}

	// Rewind to the start and export again: new names, old files intact.
	pressSettle(t, m, "g", "e")
	if m.msgErr || !strings.Contains(m.msg, "finwait-close-2.svg") {
		t.Fatalf("the second e: %q", m.msg)
	}
	if readFile(t, txt) != text {
		t.Error("the second e overwrote the first text export")
	}
	if second := readFile(t, filepath.Join(dir, "finwait-close-2.txt")); strings.Contains(second, "lost") {
		t.Error("the second export (at the start of the run) shows the later drop")
	}
	// A name half taken (only the .txt exists) is skipped too.
	if err := os.WriteFile(filepath.Join(dir, "finwait-close-3.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	pressSettle(t, m, "e")
	if !strings.Contains(m.msg, "finwait-close-4.svg") || readFile(t, filepath.Join(dir, "finwait-close-3.txt")) != "mine" {
		t.Errorf("a taken name was used: %q", m.msg)
	}
}

// A shared session writes nothing and says why.
func TestExportKeyInSharedSession(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	tm, err := NewSession(SessionOptions{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	m := tm.(*Model)
	if !m.noFiles {
		t.Fatal("NewSession does not forbid files")
	}
	m.w, m.h = 80, 24
	pressSettle(t, m, "e")
	if ents, _ := os.ReadDir(dir); len(ents) > 0 {
		t.Errorf("a shared session wrote %s", ents[0].Name())
	}
	if !m.msgErr || !strings.Contains(m.msg, "not available in a shared session") {
		t.Errorf("the message does not say why: %q", m.msg)
	}
}

// A directory that cannot be written: the error is in the status bar.
func TestExportKeyWriteError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	m := open(t, "close", 80, 24)
	pressSettle(t, m, "e")
	if !m.msgErr || !strings.Contains(m.msg, "could not be exported") {
		t.Errorf("no error in the status bar: %q", m.msg)
	}
	if !strings.Contains(screen(m), "✗ The run could not be exported") {
		t.Errorf("the status bar does not show the error:\n%s", screen(m))
	}
}

func TestFileSafe(t *testing.T) {
	for in, want := range map[string]string{"close": "close", "/tmp/my run.scn": "my-run", "../": "run", "时间": "run"} {
		if got := fileSafe(in); got != want {
			t.Errorf("fileSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
