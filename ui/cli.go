// Package ui is finwait's user interface: the command line and the
// Bubble Tea program.
package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"finwait/lessons"
	"finwait/model"
)

const usage = `finwait: watch, step and break how a TCP connection ends.

Usage:
  finwait [--lesson N|FILE.md] [--lang en|zh]
                                   open the interactive view at a lesson: N is a built-in
                                   lesson (1 to 9, default 1), FILE.md your own lesson
      --present                    presenter mode for a projector: big states, no hints
                                   (P switches it in the program)
      --narrate                    no full screen: every event printed as a sentence, for
                                   screen readers and logs (same keys; ? lists them)
  finwait --scenario NAME|FILE.scn [--set name=value]... [--lang en|zh]
                                   open the interactive view on a scenario, without a lesson
  finwait scenarios                list the built-in scenarios
  finwait trace SCENARIO|FILE.scn  run a scenario headless and print its trace
      --json                       one JSON object per event (same as --format json)
      --format text|mermaid|svg    a ladder (default), a Mermaid sequenceDiagram, or an SVG
      -o FILE                      write to FILE instead of standard output
      --set name=value             change a setting (repeatable; see: finwait params)
      --drop SIDE:N | SIDE:FLAG:N  drop the Nth segment a side sends, counted from the
                                   start, retransmissions included (FLAG: SYN FIN RST
                                   DATA ACK; N may be a list 1,3 or a range 1-5)
      --lang en|zh                 language of the explanations
  finwait params [--set name=value]...
                                   every setting with its value and allowed range
  finwait kernel [SCENARIO|all] [--lang en|zh]
                                   run a real close on 127.0.0.1 and show the kernel's
                                   states and timers next to the engine's, this machine's
                                   net.ipv4 settings and its TIME-WAIT sockets (Linux)
  finwait lessons [--lang en|zh]   list the lessons with your progress
  finwait lessons check FILE.md    validate a lesson file: run every step to its
                                   checkpoint and check every claim (errors as file:line)
  finwait serve [--addr 127.0.0.1:2222] [--host-key PATH] [--max-sessions 200]
                [--idle-timeout 30m] [--authorized-keys FILE] [--password-file FILE]
                [--instructor-key PUBKEY|FILE] [--lang en|zh]
                                   a classroom over SSH: every student runs
                                   ssh -p 2222 HOST and gets their own finwait, or
                                   follows the instructor's run (--instructor-key)
                                   (finwait serve --help explains the flags)
`

// exit codes
const (
	exitOK    = 0
	exitNoTTY = 1
	exitUsage = 2
)

// Run is the command line: it returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
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
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return exitOK
		}
	}
	f, err := parseFlags(args, false)
	if err != nil {
		return fail(stderr, err)
	}
	if len(f.rest) > 0 {
		return fail(stderr, fmt.Errorf("unknown command %q", f.rest[0]))
	}
	o := TUIOptions{Sets: f.sets, Lang: f.lang, Present: f.present, Narrate: f.narrate}
	if f.lesson != "" {
		l, err := lessonFlag(f)
		if err != nil {
			fmt.Fprintf(stderr, "finwait: %v\n", err)
			return exitUsage
		}
		o.Lesson = l
	}
	if f.scenario != "" {
		sc, err := lessons.LoadScenario(f.scenario)
		if err != nil {
			return fail(stderr, err)
		}
		if _, err := model.New(sc, f.sets, nil); err != nil {
			return fail(stderr, err)
		}
		o.Scenario = sc
	} else if f.sets != nil {
		sc, _ := lessons.BuiltinScenario("close")
		if _, err := model.New(sc, f.sets, nil); err != nil {
			return fail(stderr, err)
		}
	}
	return RunTUI(o, stdout, stderr)
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "finwait: %v\n", err)
	var pe *model.ParamError
	if errors.As(err, &pe) {
		fmt.Fprintln(stderr, "(finwait params lists every setting and its range)")
	} else {
		fmt.Fprintln(stderr, "(finwait help shows the usage)")
	}
	return exitUsage
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
// "--flag value" or "--flag=value" form, anywhere among the arguments.
func parseFlags(args []string, traceFlags bool) (flags, error) {
	f := flags{lang: "en"}
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
				return "", fmt.Errorf("--%s needs a value", name)
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
				return f, fmt.Errorf("--set needs name=value, got %q", v)
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
				return f, fmt.Errorf("--format must be text, mermaid, svg or json, got %q", v)
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
				return f, fmt.Errorf("--lang must be en or zh, got %q", v)
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
			return f, fmt.Errorf("unknown flag %q", a)
		}
	}
	return f, nil
}

func runScenarios(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return fail(stderr, fmt.Errorf("scenarios takes no arguments"))
	}
	names := lessons.ScenarioNames()
	w := 0
	for _, n := range names {
		w = max(w, len(n))
	}
	for _, n := range names {
		sc, err := lessons.BuiltinScenario(n)
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "%-*s  %s\n", w, n, sc.Description)
	}
	return exitOK
}

func runParams(args []string, stdout, stderr io.Writer) int {
	f, err := parseFlags(args, false)
	if err != nil {
		return fail(stderr, err)
	}
	if len(f.rest) > 0 {
		return fail(stderr, fmt.Errorf("params takes only --set and --lang"))
	}
	sc := &model.Scenario{}
	p, err := sc.ParamsWith(f.sets)
	if err != nil {
		return fail(stderr, err)
	}
	cat := lessons.Messages(f.lang)
	for _, info := range p.Describe() {
		line := fmt.Sprintf("%-17s %-14s %s", info.Name, info.Value, info.Allowed)
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
		return fail(stderr, err)
	}
	if len(f.rest) != 1 {
		return fail(stderr, fmt.Errorf("trace needs exactly one scenario name or .scn file (finwait scenarios lists them)"))
	}
	sc, err := lessons.LoadScenario(f.rest[0])
	if err != nil {
		return fail(stderr, err)
	}
	sim, err := model.New(sc, f.sets, f.drops)
	if err != nil {
		return fail(stderr, err)
	}
	sim.Run(maxTraceSteps)
	cat := lessons.Messages(f.lang)
	out := stdout
	var file *os.File
	if f.out != "" && f.out != "-" {
		file, err = os.Create(f.out)
		if err != nil {
			return fail(stderr, fmt.Errorf("cannot write the export: %w", err))
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
			return fail(stderr, fmt.Errorf("cannot write the export: %w", err))
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
		return fail(stderr, err)
	}
	cat := lessons.Messages(f.lang)
	if len(f.rest) > 0 {
		if f.rest[0] != "check" || len(f.rest) != 2 {
			return fail(stderr, fmt.Errorf("usage: finwait lessons [check FILE.md]"))
		}
		return checkLesson(f.rest[1], f.lang, stdout, stderr, cat)
	}
	ls, err := lessons.Builtin(f.lang)
	if err != nil {
		return fail(stderr, err)
	}
	prog := loadProgress(stderr)
	for _, l := range ls {
		right, total := prog.Score(l)
		fmt.Fprintln(stdout, cat.T("cli.lesson_line", "n", l.Number(), "title", l.Title, "done", prog.StepsDone(l),
			"steps", len(l.Steps), "right", right, "questions", total))
	}
	return exitOK
}

// loadProgress opens the user's progress file; problems are reported on
// stderr and never stop the program.
func loadProgress(stderr io.Writer) *lessons.Progress {
	path, err := lessons.DefaultProgressPath()
	if err != nil {
		p, _ := lessons.LoadProgress("")
		return p
	}
	p, err := lessons.LoadProgress(path)
	if err != nil {
		fmt.Fprintf(stderr, "finwait: %v\n", err)
	}
	return p
}

func checkLesson(path, lang string, stdout, stderr io.Writer, cat *lessons.Catalog) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return fail(stderr, fmt.Errorf("cannot read lesson file: %w", err))
	}
	l, err := lessons.ParseLesson(path, string(b), lang)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}
	errs := lessons.Verify(l)
	for _, e := range errs {
		fmt.Fprintf(stderr, "%v\n", e)
	}
	if len(errs) > 0 {
		return exitUsage
	}
	fmt.Fprintln(stdout, cat.T("cli.lesson_ok", "file", path, "steps", len(l.Steps)))
	return exitOK
}
