package lessons

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"finwait/assets"
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

// Builtin loads every built-in lesson in lang, in order (file names start
// with a number).
//
// The lessons are parsed once per language and shared: callers must not
// change them.
func Builtin(lang string) ([]*Lesson, error) {
	load, ok := builtins[lang]
	if !ok {
		return parseBuiltin(lang)
	}
	return load()
}

// builtins parses each language's lessons on first use.
var builtins = func() map[string]func() ([]*Lesson, error) {
	m := map[string]func() ([]*Lesson, error){}
	for _, l := range Languages {
		m[l] = sync.OnceValues(func() ([]*Lesson, error) { return parseBuiltin(l) })
	}
	return m
}()

func parseBuiltin(lang string) ([]*Lesson, error) {
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
