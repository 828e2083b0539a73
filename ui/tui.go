// Package ui is finwait's interactive program (Bubble Tea): RunTUI for a
// terminal, NewSession for an SSH session. The command line is package
// cli.
package ui

import (
	"errors"
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"finwait/lessons"
	"finwait/model"
)

// exit codes, as for the command line (package cli)
const (
	exitOK    = 0
	exitNoTTY = 1
	exitUsage = 2
)

// TUIOptions is what the command line hands the interactive program.
type TUIOptions struct {
	Scenario *model.Scenario // the scenario to open
	Sets     []string        // name=value overrides from --set
	Lang     string          // "en" or "zh"
	Lesson   *lessons.Lesson // the lesson to open; with no Scenario either, lesson 1
	Present  bool            // presenter mode for a projector (--present)
	Narrate  bool            // plain-text narration, no full screen (--narrate)
}

// RunTUI runs the interactive program and returns the exit code.
func RunTUI(o TUIOptions, stdout, stderr io.Writer) int {
	cat := lessons.Messages(o.Lang)
	out, ok := stdout.(*os.File)
	if !ok || !term.IsTerminal(out.Fd()) || !hasTTY() {
		fmt.Fprintln(stderr, cat.T("ui.no_tty"))
		return exitNoTTY
	}
	path, err := lessons.DefaultProgressPath()
	if err != nil {
		path = "" // no home directory: progress is kept for this run only
	}
	m, err := openModel(o, path)
	if err != nil {
		fmt.Fprintln(stderr, cat.T("cli.error", "err", lessons.ErrorText(cat, err)))
		return exitUsage
	}
	m.setPresent(o.Present)
	if o.Narrate {
		m.narr = &narration{}
	}
	p := tea.NewProgram(m, tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		if errors.Is(err, tea.ErrProgramPanic) {
			fmt.Fprintln(stderr, cat.T("ui.panic"))
		} else {
			fmt.Fprintln(stderr, cat.T("cli.error", "err", err))
		}
		return exitNoTTY
	}
	return exitOK
}

// hasTTY reports whether a controlling terminal can be opened for input.
func hasTTY() bool {
	if term.IsTerminal(os.Stdin.Fd()) {
		return true
	}
	f, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	f.Close()
	return true
}
