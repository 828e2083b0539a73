package ui

import (
	"fmt"
	"io"

	"finwait/model"
)

// TUIOptions is what the command line hands the interactive program.
type TUIOptions struct {
	Scenario *model.Scenario // the scenario to open
	Sets     []string        // name=value overrides from --set
	Lang     string          // "en" or "zh"
}

// RunTUI runs the interactive program and returns the exit code.
// (Placeholder until the TUI lands: prints the usage.)
func RunTUI(o TUIOptions, stdout, stderr io.Writer) int {
	fmt.Fprint(stdout, usage)
	return 0
}
