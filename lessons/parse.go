package lessons

import (
	"errors"
	"strconv"
	"strings"

	"finwait/model"
)

// MaxSteps bounds the steps of a lesson (besides the limits of any text
// file, model.SplitLines): checking a lesson runs every one of them.
const MaxSteps = 1_000

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
//
// The file may start with a UTF-8 byte-order mark and end its lines in
// CRLF. Control characters (they would reach the terminal), text that is
// not UTF-8, files and lines over model.SplitLines's limits and more than
// MaxSteps steps are refused. Every error is a *LessonError with the line
// it is about.
func ParseLesson(file, src, lang string) (*Lesson, error) {
	lines, err := model.SplitLines(src)
	if err != nil {
		var le *model.LineError
		errors.As(err, &le)
		return nil, &LessonError{File: file, Line: le.Line, Err: le.Err}
	}
	p := &lessonParser{l: &Lesson{Lang: lang, File: file}}
	i, err := p.frontMatter(lines)
	if err != nil {
		return nil, err
	}
	for ; i < len(lines); i++ {
		if err := p.line(lines[i], i+1); err != nil {
			return nil, &LessonError{File: file, Line: i + 1, Err: err}
		}
	}
	p.finish()
	if len(p.l.Steps) == 0 {
		return nil, p.fail(len(lines), msg("lesson.err.no_steps"))
	}
	for i := range p.l.Steps {
		s := &p.l.Steps[i]
		if err := checkStep(s); err != nil {
			return nil, p.fail(s.Line, err)
		}
	}
	return p.l, nil
}

// lessonParser is the state of ParseLesson between lines.
type lessonParser struct {
	l     *Lesson
	st    *Step    // the step being read; nil before the first
	text  []string // its text lines so far
	steps int      // steps begun
}

func (p *lessonParser) fail(line int, err error) error {
	return &LessonError{File: p.l.File, Line: line, Err: err}
}

// frontKeys are the keys of the front matter, in the order they are
// required.
var frontKeys = []struct {
	key   string
	field func(l *Lesson) *string
}{
	{"id", func(l *Lesson) *string { return &l.ID }},
	{"title", func(l *Lesson) *string { return &l.Title }},
	{"scenario", func(l *Lesson) *string { return &l.Scenario }},
}

// frontMatter reads the lines between the two "---" and returns the index
// of the line after them.
func (p *lessonParser) frontMatter(lines []string) (int, error) {
	if strings.TrimSpace(lines[0]) != "---" {
		return 0, p.fail(1, msg("lesson.err.front_start"))
	}
	scenarioLine := 1
	i := 1
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != "---"; i++ {
		k, v, ok := strings.Cut(lines[i], ":")
		if !ok {
			return 0, p.fail(i+1, msg("lesson.err.front_kv"))
		}
		name := strings.TrimSpace(k)
		known := false
		for _, f := range frontKeys {
			if f.key == name {
				*f.field(p.l) = strings.TrimSpace(v)
				known = true
			}
		}
		if !known {
			return 0, p.fail(i+1, msg("lesson.err.front_key", "key", strconv.Quote(k)))
		}
		if name == "scenario" {
			scenarioLine = i + 1
		}
	}
	if i == len(lines) {
		return 0, p.fail(1, msg("lesson.err.front_open"))
	}
	for _, f := range frontKeys {
		if *f.field(p.l) == "" {
			return 0, p.fail(1, msg("lesson.err.front_needs", "key", f.key+":"))
		}
	}
	if _, err := BuiltinScenario(p.l.Scenario); err != nil {
		return 0, p.fail(scenarioLine, err)
	}
	return i + 1, nil
}

// line reads one line after the front matter: a step's heading, one of its
// directives or question lines, or its text.
func (p *lessonParser) line(raw string, n int) error {
	line := strings.TrimSpace(raw)
	if title, ok := strings.CutPrefix(line, "## "); ok {
		return p.heading(strings.TrimSpace(title), n)
	}
	if p.st == nil {
		if line == "" || strings.HasPrefix(line, "# ") {
			return nil
		}
		return msg("lesson.err.before_step")
	}
	if k, v, ok := strings.Cut(line, ":"); ok {
		if read, ok := stepKeys[strings.TrimSpace(k)]; ok {
			return read(p.st, strings.TrimSpace(v), n)
		}
	}
	for _, q := range questionLines {
		if rest, ok := strings.CutPrefix(line, q.prefix); ok && (!q.inQuestion || p.st.Question != nil) {
			return q.read(p.st, strings.TrimSpace(rest))
		}
	}
	p.text = append(p.text, raw)
	return nil
}

// heading begins a step, which runs the previous step's scenario with its
// settings and faults unless it says otherwise.
func (p *lessonParser) heading(title string, n int) error {
	if p.steps == MaxSteps {
		return msg("lesson.err.max_steps", "max", MaxSteps)
	}
	p.steps++
	prev := Step{Scenario: p.l.Scenario}
	if p.st != nil {
		prev = *p.st
	}
	p.finish()
	p.st = &Step{Title: title, Line: n, Scenario: prev.Scenario, Sets: prev.Sets, Drops: prev.Drops}
	return nil
}

// finish ends the step being read.
func (p *lessonParser) finish() {
	if p.st != nil {
		p.st.Text = strings.TrimSpace(strings.Join(p.text, "\n"))
		p.l.Steps = append(p.l.Steps, *p.st)
	}
	p.text = nil
}

// stepKeys read the "key: value" lines of a step; n is the line's number.
var stepKeys = map[string]func(st *Step, v string, n int) error{
	"until": func(st *Step, v string, _ int) error {
		if st.Until != "" {
			return msg("lesson.err.until_twice")
		}
		if _, err := ParseCheckpoint(v); err != nil {
			return err
		}
		st.Until = v
		return nil
	},
	"scenario": func(st *Step, v string, _ int) error {
		if _, err := BuiltinScenario(v); err != nil {
			return err
		}
		st.Scenario = v
		st.Sets, st.Drops = nil, nil
		return nil
	},
	"set": func(st *Step, v string, _ int) error {
		st.Sets = nil
		for _, kv := range strings.Fields(v) {
			name, val, ok := strings.Cut(kv, "=")
			if !ok {
				return msg("lesson.err.set_form", "value", strconv.Quote(kv))
			}
			p := model.Linux()
			if err := p.Set(name, val); err != nil {
				return err
			}
			st.Sets = append(st.Sets, kv)
		}
		return nil
	},
	"drop": func(st *Step, v string, _ int) error {
		st.Drops = nil
		for _, r := range strings.Fields(v) {
			if _, err := model.ParseRule(r, model.FaultDrop); err != nil {
				return err
			}
			st.Drops = append(st.Drops, r)
		}
		return nil
	},
	"check": func(st *Step, v string, n int) error {
		if _, err := parseCheck(v); err != nil {
			return err
		}
		st.Checks = append(st.Checks, Check{Expr: v, Line: n})
		return nil
	},
}

// questionLines read a step's question, by how their lines begin; an
// explanation line ("> ") is text unless the step has a question.
var questionLines = []struct {
	prefix     string
	inQuestion bool
	read       func(st *Step, rest string) error
}{
	{"? ", false, func(st *Step, rest string) error {
		if st.Question != nil {
			return msg("lesson.err.two_questions")
		}
		st.Question = &Question{Prompt: rest, Answer: -1}
		return nil
	}},
	{"- [x] ", false, func(st *Step, rest string) error { return choice(st, rest, true) }},
	{"- [ ] ", false, func(st *Step, rest string) error { return choice(st, rest, false) }},
	{"> ", true, func(st *Step, rest string) error {
		if st.Question.Explain != "" {
			st.Question.Explain += " "
		}
		st.Question.Explain += rest
		return nil
	}},
}

func choice(st *Step, text string, right bool) error {
	q := st.Question
	if q == nil {
		return msg("lesson.err.choice_first")
	}
	if right {
		if q.Answer >= 0 {
			return msg("lesson.err.two_answers")
		}
		q.Answer = len(q.Choices)
	}
	q.Choices = append(q.Choices, text)
	return nil
}

// checkStep reports what a complete step lacks.
func checkStep(s *Step) error {
	title := strconv.Quote(s.Title)
	if s.Until == "" {
		return msg("lesson.err.needs_until", "step", title)
	}
	if q := s.Question; q != nil {
		switch {
		case len(q.Choices) < 2:
			return msg("lesson.err.few_choices", "step", title)
		case q.Answer < 0:
			return msg("lesson.err.no_answer", "step", title)
		case q.Explain == "":
			return msg("lesson.err.no_explain", "step", title)
		}
	}
	if strings.TrimSpace(s.Text) == "" {
		return msg("lesson.err.no_text", "step", title)
	}
	return nil
}
