package lessons

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"finwait/assets"
	"finwait/model"
)

// Lesson is one guided lesson in one language: a scenario and a series of
// steps, each run to a checkpoint.
type Lesson struct {
	ID       string
	Title    string
	Scenario string // the default scenario of its steps
	Lang     string
	File     string
	Steps    []Step
}

// Step is one stop of a lesson: run the scenario (with optional settings
// and faults) until Until, check that the engine agrees with the text, show
// the text, and optionally ask a question first.
type Step struct {
	Title    string
	Line     int      // where the step starts in its file
	Scenario string   // scenario to run; a change restarts the run
	Sets     []string // settings; a change restarts the run
	Drops    []string // fault rules "SIDE:N" / "SIDE:FLAG:N"; a change restarts the run
	Until    string   // the checkpoint, e.g. "client enters TIME-WAIT"
	Checks   []Check  // machine-checkable claims of the text
	Text     string   // Markdown shown to the user
	Question *Question
}

// Check is one claim to verify at the checkpoint, with where it is written.
type Check struct {
	Expr string
	Line int
}

// Question asks the user to predict what happens before the step runs.
type Question struct {
	Prompt  string
	Choices []string
	Answer  int // index into Choices
	Explain string
}

// LessonError names the file and line of a mistake in a lesson.
type LessonError struct {
	File string
	Line int
	// Err is what is wrong, as data: a *Msg, or an error of the model
	// (a *model.ParamError for a bad "set:" line, a *model.RuleError for
	// a bad "drop:" line).
	Err error
}

// Error is the Go error string, in English, for logs and tests.
func (e *LessonError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns what is wrong, so that the interface can word it in the
// user's language.
func (e *LessonError) Unwrap() error { return e.Err }

// Msg is a message for a lesson's author, as data: a catalogue key
// (lesson.err.*, lesson.check.*) and its placeholders as name, value
// pairs; a value that is an error is worded in turn. The interface words
// it in the user's language; Error words it in English.
type Msg struct {
	Key  string
	Args []any
}

func (m *Msg) Error() string { return Messages("en").T(m.Key, m.Args...) }

// Unwrap returns the errors among the placeholders' values.
func (m *Msg) Unwrap() []error {
	var out []error
	for i := 1; i < len(m.Args); i += 2 {
		if e, ok := m.Args[i].(error); ok {
			out = append(out, e)
		}
	}
	return out
}

func msg(key string, args ...any) error { return &Msg{Key: key, Args: args} }

// restartKey identifies the run a step belongs to: steps with the same key
// in a row continue one run.
func (s *Step) restartKey() string {
	return s.Scenario + "|" + strings.Join(s.Sets, " ") + "|" + strings.Join(s.Drops, " ")
}

// ParseLesson reads a lesson file:
//
//	---
//	id: four-way-close
//	title: The four-way close
//	scenario: close
//	---
//	## Step title
//	until: client enters FIN-WAIT-1        the checkpoint (see Checkpoint)
//	scenario: lost-final-ack               optional: another scenario
//	set: msl=1s timestamps=off             optional: settings
//	drop: client:ACK:1                     optional: fault rules
//	check: client is FIN-WAIT-1            claims the engine must agree with
//	? What does the client send?           a question asked before the step runs
//	- [x] a FIN                            choices, the right one marked [x]
//	- [ ] an ACK
//	> why, shown after the answer          (the explanation)
//	Text of the step, in Markdown.
func ParseLesson(file, src, lang string) (*Lesson, error) {
	l := &Lesson{Lang: lang, File: file}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	fail := func(n int, err error) error { return &LessonError{File: file, Line: n, Err: err} }
	i := 0
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return nil, fail(1, msg("lesson.err.front_start"))
	}
	for i = 1; i < len(lines) && strings.TrimSpace(lines[i]) != "---"; i++ {
		k, v, ok := strings.Cut(lines[i], ":")
		if !ok {
			return nil, fail(i+1, msg("lesson.err.front_kv"))
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "id":
			l.ID = v
		case "title":
			l.Title = v
		case "scenario":
			l.Scenario = v
		default:
			return nil, fail(i+1, msg("lesson.err.front_key", "key", strconv.Quote(k)))
		}
	}
	if i == len(lines) {
		return nil, fail(1, msg("lesson.err.front_open"))
	}
	switch {
	case l.ID == "":
		return nil, fail(1, msg("lesson.err.front_needs", "key", "id:"))
	case l.Title == "":
		return nil, fail(1, msg("lesson.err.front_needs", "key", "title:"))
	case l.Scenario == "":
		return nil, fail(1, msg("lesson.err.front_needs", "key", "scenario:"))
	}
	var st *Step
	var text []string
	finish := func() {
		if st != nil {
			st.Text = strings.TrimSpace(strings.Join(text, "\n"))
			l.Steps = append(l.Steps, *st)
		}
		text = nil
	}
	prev := Step{Scenario: l.Scenario}
	for i++; i < len(lines); i++ {
		n := i + 1
		raw := lines[i]
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "## ") {
			finish()
			st = &Step{Title: strings.TrimSpace(line[3:]), Line: n, Scenario: prev.Scenario, Sets: prev.Sets, Drops: prev.Drops}
			continue
		}
		if st == nil {
			if line == "" || strings.HasPrefix(line, "# ") {
				continue
			}
			return nil, fail(n, msg("lesson.err.before_step"))
		}
		k, v, isKV := strings.Cut(line, ":")
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		switch {
		case isKV && k == "until":
			if st.Until != "" {
				return nil, fail(n, msg("lesson.err.until_twice"))
			}
			if _, err := ParseCheckpoint(v); err != nil {
				return nil, fail(n, err)
			}
			st.Until = v
		case isKV && k == "scenario":
			if _, err := BuiltinScenario(v); err != nil {
				return nil, fail(n, err)
			}
			st.Scenario = v
			st.Sets, st.Drops = nil, nil
		case isKV && k == "set":
			st.Sets = nil
			for _, kv := range strings.Fields(v) {
				name, val, ok := strings.Cut(kv, "=")
				p := model.Linux()
				if !ok {
					return nil, fail(n, msg("lesson.err.set_form", "value", strconv.Quote(kv)))
				}
				if err := p.Set(name, val); err != nil {
					return nil, fail(n, err)
				}
				st.Sets = append(st.Sets, kv)
			}
		case isKV && k == "drop":
			st.Drops = nil
			for _, r := range strings.Fields(v) {
				if _, err := model.ParseRule(r, model.FaultDrop); err != nil {
					return nil, fail(n, err)
				}
				st.Drops = append(st.Drops, r)
			}
		case isKV && k == "check":
			if _, err := parseCheck(v); err != nil {
				return nil, fail(n, err)
			}
			st.Checks = append(st.Checks, Check{Expr: v, Line: n})
		case strings.HasPrefix(line, "? "):
			if st.Question != nil {
				return nil, fail(n, msg("lesson.err.two_questions"))
			}
			st.Question = &Question{Prompt: strings.TrimSpace(line[2:]), Answer: -1}
		case strings.HasPrefix(line, "- [x] ") || strings.HasPrefix(line, "- [ ] "):
			if st.Question == nil {
				return nil, fail(n, msg("lesson.err.choice_first"))
			}
			if line[3] == 'x' {
				if st.Question.Answer >= 0 {
					return nil, fail(n, msg("lesson.err.two_answers"))
				}
				st.Question.Answer = len(st.Question.Choices)
			}
			st.Question.Choices = append(st.Question.Choices, strings.TrimSpace(line[6:]))
		case strings.HasPrefix(line, "> ") && st.Question != nil:
			if st.Question.Explain != "" {
				st.Question.Explain += " "
			}
			st.Question.Explain += strings.TrimSpace(line[2:])
		default:
			text = append(text, raw)
		}
		prev = *st
	}
	finish()
	if len(l.Steps) == 0 {
		return nil, fail(len(lines), msg("lesson.err.no_steps"))
	}
	for _, s := range l.Steps {
		if s.Until == "" {
			return nil, fail(s.Line, msg("lesson.err.needs_until", "step", strconv.Quote(s.Title)))
		}
		if q := s.Question; q != nil {
			if len(q.Choices) < 2 {
				return nil, fail(s.Line, msg("lesson.err.few_choices", "step", strconv.Quote(s.Title)))
			}
			if q.Answer < 0 {
				return nil, fail(s.Line, msg("lesson.err.no_answer", "step", strconv.Quote(s.Title)))
			}
			if q.Explain == "" {
				return nil, fail(s.Line, msg("lesson.err.no_explain", "step", strconv.Quote(s.Title)))
			}
		}
		if strings.TrimSpace(s.Text) == "" {
			return nil, fail(s.Line, msg("lesson.err.no_text", "step", strconv.Quote(s.Title)))
		}
	}
	return l, nil
}

// Builtin loads every built-in lesson in lang, in order (file names start
// with a number).
func Builtin(lang string) ([]*Lesson, error) {
	files, err := fs.Glob(assets.FS, "lessons/"+lang+"/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*Lesson
	for _, f := range files {
		b, err := fs.ReadFile(assets.FS, f)
		if err != nil {
			return nil, err
		}
		l, err := ParseLesson("assets/"+f, string(b), lang)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// Number returns the lesson's number from its file name ("03-..." -> 3), or 0.
func (l *Lesson) Number() int {
	base := path.Base(l.File)
	n, _ := strconv.Atoi(strings.SplitN(base, "-", 2)[0])
	return n
}
