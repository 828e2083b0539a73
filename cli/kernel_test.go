package cli

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// kernelUsable says whether this machine can run the kernel comparison.
func kernelUsable(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("skipping: the kernel comparison needs Linux")
	}
	if _, err := os.ReadFile("/proc/net/tcp"); err != nil {
		t.Skipf("skipping: /proc/net/tcp is unreadable (%v)", err)
	}
}

func TestKernelCLIUnknownScenario(t *testing.T) {
	code, _, errOut := runCLI(t, "kernel", "lost-final-ack")
	if code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errOut, `"lost-final-ack"`) || !strings.Contains(errOut, "half-close") {
		t.Errorf("the message should name the scenario and list the ones available:\n%s", errOut)
	}
}

func TestKernelCLIClose(t *testing.T) {
	kernelUsable(t)
	code, out, errOut := runCLI(t, "kernel")
	if code != exitOK {
		t.Fatalf("exit code %d, stderr:\n%s\nstdout:\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"side by side: close",       // the default scenario is the plain close
		"TIME-WAIT  st 06",          // the kernel's own state code for the client
		"The engine agrees",         // every check passed
		"tcp_fin_timeout",           // this machine's settings
		"TIME-WAIT sockets on this", // and its live TIME-WAIT count
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The table's bars line up: every row of a side has its "|" in the
	// same column as the header.
	var col int
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, " | "); i > 0 {
			if col == 0 {
				col = len([]rune(l[:i]))
			} else if c := len([]rune(l[:i])); c != col {
				t.Errorf("bar at column %d, the header's is at %d: %q", c, col, l)
			}
		}
	}
}
