// Package ui is finwait's user interface: the command line and the
// Bubble Tea program.
package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"finwait/lessons"
	"finwait/model"
)

// The usage text (finwait help) is in assets/usage/LANG.txt, read with
// lessons.Usage.

// exit codes
const (
	exitOK    = 0
	exitNoTTY = 1
	exitUsage = 2
)

// Run is the command line: it returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	if helpAsked(args) {
		fmt.Fprint(stdout, lessons.Usage(cliLang(args)))
		return exitOK
	}
	if len(args) > 0 {
		switch args[0] {
		case "trace":
			return runTrace(args[1:], stdout, stderr)
		case "scenarios":
			return runScenarios(args[1:], stdout, stderr)
		case "params":
			return runParams(args[1:], stdout, stderr)
		case "lessons":
			return runLessons(args[1:], stdout, stderr)
		case "kernel":
			return runKernel(args[1:], stdout, stderr)
		}
	}
	f, err := parseFlags(args, false)
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	cat := lessons.Messages(f.lang)
	if len(f.rest) > 0 {
		return fail(stderr, f.lang, errors.New(cat.T("cli.err.unknown_command", "cmd", strconv.Quote(f.rest[0]))))
	}
	o := TUIOptions{Sets: f.sets, Lang: f.lang, Present: f.present, Narrate: f.narrate}
	if f.lesson != "" {
		l, err := lessonFlag(f)
		if err != nil {
			fmt.Fprintln(stderr, cat.T("cli.error", "err", errorText(cat, err)))
			return exitUsage
		}
		o.Lesson = l
	}
	if f.scenario != "" {
		sc, err := lessons.LoadScenario(f.scenario)
		if err != nil {
			return fail(stderr, f.lang, err)
		}
		if _, err := model.New(sc, f.sets, nil); err != nil {
			return fail(stderr, f.lang, err)
		}
		o.Scenario = sc
	} else if f.sets != nil {
		sc, _ := lessons.BuiltinScenario("close")
		if _, err := model.New(sc, f.sets, nil); err != nil {
			return fail(stderr, f.lang, err)
		}
	}
	return RunTUI(o, stdout, stderr)
}

// fail reports a usage error in lang, with a hint at where to look.
func fail(stderr io.Writer, lang string, err error) int {
	cat := lessons.Messages(lang)
	fmt.Fprintln(stderr, cat.T("cli.error", "err", errorText(cat, err)))
	var pe *model.ParamError
	if errors.As(err, &pe) {
		fmt.Fprintln(stderr, cat.T("cli.hint.params"))
	} else {
		fmt.Fprintln(stderr, cat.T("cli.hint.help"))
	}
	return exitUsage
}

// isLangFlag reports whether a flag name (before any '=') is --lang.
func isLangFlag(name string) bool {
	return strings.HasPrefix(name, "-") && strings.TrimLeft(name, "-") == "lang"
}

// cliLang is the language of every message: the last valid --lang anywhere
// on the command line, English without one. It is read before the flags are
// parsed, so that an error about an earlier argument is in that language too.
func cliLang(args []string) string {
	lang := "en"
	for i, a := range args {
		name, val, hasVal := strings.Cut(a, "=")
		if !isLangFlag(name) {
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				break
			}
			val = args[i+1]
		}
		if val == "en" || val == "zh" {
			lang = val
		}
	}
	return lang
}

// helpAsked reports whether the command is help, -h or --help, possibly
// after --lang (finwait --lang zh help).
func helpAsked(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "help" || a == "-h" || a == "--help" {
			return true
		}
		name, _, hasVal := strings.Cut(a, "=")
		if !isLangFlag(name) {
			return false
		}
		if !hasVal {
			i++ // the value
		}
	}
	return false
}

type flags struct {
	format   string
	out      string
	sets     []string
	drops    []model.FaultRule
	json     bool
	lang     string
	scenario string
	lesson   string
	present  bool
	narrate  bool
	rest     []string
}

// parseFlags reads --set, --drop, --json, --lang, --scenario and --lesson, in
// "--flag value" or "--flag=value" form, anywhere among the arguments. Its
// errors are in the language of --lang, wherever it is; f.lang is set even
// when it returns an error.
func parseFlags(args []string, traceFlags bool) (flags, error) {
	f := flags{lang: cliLang(args)}
	cat := lessons.Messages(f.lang)
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "-") || a == "-" {
			f.rest = append(f.rest, a)
			continue
		}
		name = strings.TrimLeft(name, "-")
		needVal := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", errors.New(cat.T("cli.err.needs_value", "flag", name))
			}
			i++
			return args[i], nil
		}
		switch {
		case name == "set":
			v, err := needVal()
			if err != nil {
				return f, err
			}
			n, _, ok := strings.Cut(v, "=")
			if !ok {
				return f, errors.New(cat.T("cli.err.set_form", "value", strconv.Quote(v)))
			}
			p := model.Linux()
			if err := p.Set(n, strings.SplitN(v, "=", 2)[1]); err != nil {
				return f, err
			}
			f.sets = append(f.sets, v)
		case name == "drop" && traceFlags:
			v, err := needVal()
			if err != nil {
				return f, err
			}
			r, err := model.ParseRule(v, model.FaultDrop)
			if err != nil {
				return f, err
			}
			f.drops = append(f.drops, r)
		case name == "json" && traceFlags && !hasVal:
			f.json = true
		case name == "format" && traceFlags:
			v, err := needVal()
			if err != nil {
				return f, err
			}
			if v != "text" && v != "mermaid" && v != "svg" && v != "json" {
				return f, errors.New(cat.T("cli.err.format", "value", strconv.Quote(v)))
			}
			f.format = v
		case (name == "o" || name == "output") && traceFlags:
			v, err := needVal()
			if err != nil {
				return f, err
			}
			f.out = v
		case name == "lang":
			v, err := needVal()
			if err != nil {
				return f, err
			}
			if v != "en" && v != "zh" {
				return f, errors.New(cat.T("cli.err.lang", "value", strconv.Quote(v)))
			}
			f.lang = v
		case name == "scenario" && !traceFlags:
			v, err := needVal()
			if err != nil {
				return f, err
			}
			f.scenario = v
		case name == "present" && !traceFlags && !hasVal:
			f.present = true
		case name == "narrate" && !traceFlags && !hasVal:
			f.narrate = true
		case name == "lesson" && !traceFlags:
			v, err := needVal()
			if err != nil {
				return f, err
			}
			f.lesson = v
		default:
			return f, errors.New(cat.T("cli.err.unknown_flag", "flag", strconv.Quote(a)))
		}
	}
	return f, nil
}

func runScenarios(args []string, stdout, stderr io.Writer) int {
	lang := cliLang(args)
	if len(args) > 0 {
		return fail(stderr, lang, errors.New(lessons.Messages(lang).T("cli.err.scenarios_args")))
	}
	names := lessons.ScenarioNames()
	w := 0
	for _, n := range names {
		w = max(w, len(n))
	}
	for _, n := range names {
		sc, err := lessons.BuiltinScenario(n)
		if err != nil {
			return fail(stderr, lang, err)
		}
		fmt.Fprintf(stdout, "%-*s  %s\n", w, n, sc.Description)
	}
	return exitOK
}

func runParams(args []string, stdout, stderr io.Writer) int {
	f, err := parseFlags(args, false)
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	cat := lessons.Messages(f.lang)
	if len(f.rest) > 0 {
		return fail(stderr, f.lang, errors.New(cat.T("cli.err.params_args")))
	}
	sc := &model.Scenario{}
	p, err := sc.ParamsWith(f.sets)
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	for _, info := range p.Describe() {
		line := fmt.Sprintf("%-17s %-14s %s", info.Name, info.Value, allowedText(cat, info.Allowed))
		if info.LinuxNote != "" {
			line += "  [" + cat.T(info.LinuxNote) + "]"
		}
		fmt.Fprintln(stdout, line)
	}
	return exitOK
}

func runTrace(args []string, stdout, stderr io.Writer) int {
	f, err := parseFlags(args, true)
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	cat := lessons.Messages(f.lang)
	if len(f.rest) != 1 {
		return fail(stderr, f.lang, errors.New(cat.T("cli.err.trace_args")))
	}
	sc, err := lessons.LoadScenario(f.rest[0])
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	sim, err := model.New(sc, f.sets, f.drops)
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	sim.Run(maxTraceSteps)
	out := stdout
	var file *os.File
	if f.out != "" && f.out != "-" {
		file, err = os.Create(f.out)
		if err != nil {
			return fail(stderr, f.lang, errors.New(cat.T("cli.err.export_write", "err", err)))
		}
		out = file
	}
	if f.json || f.format == "json" {
		for i := range sim.Trace() {
			e := &sim.Trace()[i]
			fmt.Fprintln(out, e.JSON(cat.Note(e)))
		}
	} else {
		format := f.format
		if format == "" {
			format = "text"
		}
		Export(out, sim, cat, format)
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return fail(stderr, f.lang, errors.New(cat.T("cli.err.export_write", "err", err)))
		}
		fmt.Fprintln(stderr, cat.T("cli.exported", "file", f.out))
	}
	return exitOK
}

// maxTraceSteps bounds a headless run.
const maxTraceSteps = 50_000_000

func runLessons(args []string, stdout, stderr io.Writer) int {
	f, err := parseFlags(args, false)
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	cat := lessons.Messages(f.lang)
	if len(f.rest) > 0 {
		if f.rest[0] != "check" || len(f.rest) != 2 {
			return fail(stderr, f.lang, errors.New(cat.T("cli.err.lessons_usage")))
		}
		return checkLesson(f.rest[1], f.lang, stdout, stderr, cat)
	}
	ls, err := lessons.Builtin(f.lang)
	if err != nil {
		return fail(stderr, f.lang, err)
	}
	prog := loadProgress(stderr, cat)
	for _, l := range ls {
		right, total := prog.Score(l)
		fmt.Fprintln(stdout, cat.T("cli.lesson_line", "n", l.Number(), "title", l.Title, "done", prog.StepsDone(l),
			"steps", len(l.Steps), "right", right, "questions", total))
	}
	return exitOK
}

// loadProgress opens the user's progress file; problems are reported on
// stderr and never stop the program.
func loadProgress(stderr io.Writer, cat *lessons.Catalog) *lessons.Progress {
	path, err := lessons.DefaultProgressPath()
	if err != nil {
		p, _ := lessons.LoadProgress("")
		return p
	}
	p, err := lessons.LoadProgress(path)
	if err != nil {
		fmt.Fprintln(stderr, cat.T("cli.error", "err", err))
	}
	return p
}

func checkLesson(path, lang string, stdout, stderr io.Writer, cat *lessons.Catalog) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return fail(stderr, lang, errors.New(cat.T("ui.cli.lesson_read", "err", err)))
	}
	l, err := lessons.ParseLesson(path, string(b), lang)
	if err != nil {
		fmt.Fprintln(stderr, errorText(cat, err))
		return exitUsage
	}
	errs := lessons.Verify(l)
	for _, e := range errs {
		fmt.Fprintln(stderr, errorText(cat, e))
	}
	if len(errs) > 0 {
		return exitUsage
	}
	fmt.Fprintln(stdout, cat.T("cli.lesson_ok", "file", path, "steps", len(l.Steps)))
	return exitOK
}
