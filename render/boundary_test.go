package render

// DESIGN.md: render knows nothing of terminals or keys. This test asks the
// go tool for the package's dependencies and refuses the terminal program's.

import (
	"os/exec"
	"strings"
	"testing"
)

func TestNoTerminalProgram(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH, so the dependency list cannot be read")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list -deps: %v\n%s", err, msg)
	}
	deps := strings.Fields(string(out))
	if !strings.Contains(string(out), "finwait/render") || !strings.Contains(string(out), "finwait/model") {
		t.Fatalf("go list -deps did not list finwait/render and finwait/model: %q", out)
	}
	for _, p := range deps {
		for _, banned := range []string{"charm.land/", "finwait/ui", "finwait/cli", "finwait/serve", "github.com/charmbracelet/x/term"} {
			if strings.HasPrefix(p, banned) {
				t.Errorf("render depends on %s (a terminal program's package)", p)
			}
		}
	}
}
