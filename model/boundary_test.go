package model

// DESIGN.md: model imports only the standard library. This test asks the
// go tool for the package's full dependency list.

import (
	"os/exec"
	"strings"
	"testing"
)

func TestStdlibOnly(t *testing.T) {
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
	for _, p := range strings.Fields(string(out)) {
		if p != "finwait/model" {
			t.Errorf("model depends on non-standard package %s", p)
		}
	}
	// The list must actually contain the package itself: an empty answer
	// would mean the template or the directory was wrong.
	if !strings.Contains(string(out), "finwait/model") {
		t.Errorf("go list -deps did not list finwait/model itself: %q", out)
	}
}
