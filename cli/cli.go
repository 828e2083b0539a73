// Package cli is finwait's command line: one table of commands, one
// prologue that every command shares (the language, the flags, -h and
// --help, a check of every write to standard output) and the exit codes:
// 0 when all went well, 1 for a runtime error (an output that cannot be
// written, no terminal, a kernel that differs), 2 for a usage error (an
// unknown command or flag, a bad value, a scenario or lesson file with a
// mistake). The usage text is in assets/usage/LANG.txt.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"finwait/lessons"
	"finwait/model"
	"finwait/serve"
)

// exit codes
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// A command is one row of the table.
type command struct {
	name    string // "" is finwait without a command: the interactive view
	summary string // catalogue key of the line that heads its -h ("" for the default: its help is the whole usage)
	flags   []string
	run     func(e *env) int
	// raw, if set, takes the arguments as they are, with its own flags
	// and help (serve); the prologue only finds the command.
	raw func(args []string, stdout, stderr io.Writer) int
}

// commands is every command. Besides its own flags, every command that
// is not raw takes --lang and -h/--help. (It is filled in init: help looks
// commands up in it.)
var commands []command

func init() {
	commands = []command{
		{name: "", flags: tuiFlags, run: runTUI},
		{name: "trace", summary: "cli.cmd.trace", flags: traceFlags, run: runTrace},
		{name: "scenarios", summary: "cli.cmd.scenarios", run: runScenarios},
		{name: "params", summary: "cli.cmd.params", flags: []string{"set"}, run: runParams},
		{name: "kernel", summary: "cli.cmd.kernel", run: runKernel},
		{name: "lessons", summary: "cli.cmd.lessons", run: runLessons},
		{name: "version", summary: "cli.cmd.version", run: runVersion},
		{name: "help", summary: "cli.cmd.help", run: runHelp},
		{name: "serve", summary: "cli.cmd.serve", raw: serve.Main},
	}
}

// env is what a command runs with: its parsed flags, the catalogue of
// their language, and the outputs.
type env struct {
	f      flags
	cat    *lessons.Catalog
	stdout io.Writer // every write is checked: one that fails makes the exit code 1
	stderr io.Writer
	term   io.Writer // standard output as given, for the interactive view
}

// stdoutFailed reports whether a write to standard output failed (Main
// then says so and exits 1).
func (e *env) stdoutFailed() bool {
	cw, ok := e.stdout.(*checkedWriter)
	return ok && cw.err != nil
}

// Main runs the command line args (without the program's name) and
// returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	c, args := find(args)
	if c.raw != nil {
		// --lang anywhere chooses the language, also of a help that
		// stops reading the arguments at -h (serve -h --lang zh).
		if lang := cliLang(args); lang != "en" {
			args = append([]string{"--lang=" + lang}, args...)
		}
		return c.raw(args, stdout, stderr)
	}
	out := &checkedWriter{w: stdout}
	code := prologue(c, args, out, stdout, stderr)
	if out.err != nil {
		cat := lessons.Messages(cliLang(args))
		fmt.Fprintln(stderr, cat.T("cli.error", "err", cat.T("cli.err.stdout", "err", out.err)))
		return exitError
	}
	return code
}

// prologue is what every command does first: choose the language, parse
// the flags, answer -h and --help; then it runs the command.
func prologue(c *command, args []string, out *checkedWriter, stdout, stderr io.Writer) int {
	f, err := parseFlags(args, c.flags)
	if f.help {
		io.WriteString(out, commandHelp(c, f.lang))
		return exitOK
	}
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	return c.run(&env{f: f, cat: lessons.Messages(f.lang), stdout: out, stderr: stderr, term: stdout})
}

// find picks the command: the first argument, or the first after a
// leading --lang (finwait --lang zh trace close). The rest of the
// arguments, --lang included, are the command's.
func find(args []string) (*command, []string) {
	i := 0
	for i < len(args) {
		name, _, hasVal := cutFlag(args[i])
		if name != "lang" {
			break
		}
		i++
		if !hasVal {
			i++ // the value
		}
	}
	if i < len(args) {
		if c := lookup(args[i]); c != nil && c.name != "" {
			return c, append(append([]string{}, args[:i]...), args[i+1:]...)
		}
	}
	return lookup(""), args
}

// lookup finds a command by name; nil if there is none.
func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// checkedWriter keeps the first error of its writer; writes after it do
// nothing and return it.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	c.err = err
	return n, err
}

// fail reports a usage error in lang, with a hint at where to look, and
// returns exit code 2.
func fail(stderr io.Writer, lang string, err error) int {
	cat := lessons.Messages(lang)
	fmt.Fprintln(stderr, cat.T("cli.error", "err", lessons.ErrorText(cat, err)))
	var pe *model.ParamError
	if errors.As(err, &pe) {
		fmt.Fprintln(stderr, cat.T("cli.hint.params"))
	} else {
		fmt.Fprintln(stderr, cat.T("cli.hint.help"))
	}
	return exitUsage
}

// failRun reports a runtime error (the system's message included) and
// returns exit code 1.
func failRun(e *env, err error) int {
	fmt.Fprintln(e.stderr, e.cat.T("cli.error", "err", lessons.ErrorText(e.cat, err)))
	return exitError
}

// runHelp is `finwait help [COMMAND]`: the whole usage, or one command's.
func runHelp(e *env) int {
	switch len(e.f.rest) {
	case 0:
		io.WriteString(e.stdout, lessons.Usage(e.f.lang))
		return exitOK
	case 1:
		c := lookup(e.f.rest[0])
		if c == nil || c.name == "" {
			return fail(e.stderr, e.f.lang, errors.New(e.cat.T("cli.err.unknown_command", "cmd", strconv.Quote(e.f.rest[0]))))
		}
		if c.raw != nil {
			return c.raw([]string{"--lang", e.f.lang, "--help"}, e.stdout, e.stderr)
		}
		io.WriteString(e.stdout, commandHelp(c, e.f.lang))
		return exitOK
	}
	return fail(e.stderr, e.f.lang, errors.New(e.cat.T("cli.err.help_args")))
}
