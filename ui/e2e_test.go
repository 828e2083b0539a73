package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxTerm drives the real binary in a tmux pane on a private socket.
type tmuxTerm struct {
	t    *testing.T
	sock string
}

func (tt *tmuxTerm) run(args ...string) string {
	tt.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tt.sock}, args...)...).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tt *tmuxTerm) screen() string { return tt.run("capture-pane", "-p") }

func (tt *tmuxTerm) keys(k ...string) { tt.run(append([]string{"send-keys"}, k...)...) }

// waitFor polls the pane until ok accepts it.
func (tt *tmuxTerm) waitFor(what string, ok func(string) bool) string {
	tt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := tt.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

func (tt *tmuxTerm) waitText(s string) string {
	tt.t.Helper()
	return tt.waitFor(strconv.Quote(s), func(sc string) bool { return strings.Contains(sc, s) })
}

var stepRe = regexp.MustCompile(`│ event (\d+) │`)

func stepOf(t *testing.T, screen string) int {
	t.Helper()
	m := stepRe.FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no step on screen:\n%s", screen)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestEndToEnd runs the built program in a real pseudo-terminal: step the
// close to TIME-WAIT, rewind two events, drop the client's final ACK and
// watch the server resend its FIN, quit, and find the terminal clean.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed: CI must run the end-to-end test (.ci/run installs tmux)")
		}
		t.Skip("skipping: tmux is not installed; the end-to-end test needs a real pseudo-terminal from tmux")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "finwait")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	tt := &tmuxTerm{t: t, sock: filepath.Join(dir, "sock")}
	tt.run("-f", os.DevNull, "new-session", "-d", "-x", "80", "-y", "24", "env", "PS1=$ ", "TERM=xterm-256color", "sh")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tt.sock, "kill-server").Run() })
	tt.keys(bin+" --scenario close; echo EXIT=$?", "Enter")
	tt.waitText("ESTABLISHED")

	for i := 0; i < 20 && !strings.Contains(tt.screen(), "│     TIME-WAIT     │"); i++ {
		tt.keys("l")
		time.Sleep(40 * time.Millisecond)
	}
	s := tt.waitText("│     TIME-WAIT     │")
	before := stepOf(t, s)
	tt.keys("Left", "Left")
	s = tt.waitFor("two steps back", func(s string) bool { return stepRe.MatchString(s) && stepOf(t, s) == before-2 })
	if strings.Contains(s, "│     TIME-WAIT     │") {
		t.Errorf("two events back the client is still in TIME-WAIT:\n%s", s)
	}
	// Forward again until the client's final ACK is in flight, then drop it.
	for i := 0; i < 10 && !strings.Contains(tt.screen(), "#4 ACK"); i++ {
		tt.keys("l")
		time.Sleep(40 * time.Millisecond)
	}
	tt.waitText("#4 ACK")
	tt.keys("Tab", "x")
	tt.waitText("Segment #4 dropped")
	for i := 0; i < 10 && !strings.Contains(tt.screen(), "↻"); i++ {
		tt.keys("l")
		time.Sleep(40 * time.Millisecond)
	}
	s = tt.waitText("↻")
	if !strings.Contains(s, "FIN,ACK") || !strings.Contains(s, "✗ #4 lost") {
		t.Errorf("no resent FIN after the lost ACK:\n%s", s)
	}
	tt.keys("q")
	s = tt.waitText("EXIT=0")
	if strings.Contains(s, "CLIENT") || strings.Contains(s, "╭") {
		t.Errorf("the interface is still on the terminal after quitting:\n%s", s)
	}
	if got := strings.TrimSpace(tt.run("display", "-p", "#{alternate_on} #{cursor_flag}")); got != "0 1" {
		t.Errorf("terminal not restored: alternate screen and cursor flags %q, want \"0 1\"", got)
	}
}
