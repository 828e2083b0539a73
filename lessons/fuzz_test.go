package lessons

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"finwait/assets"
	"finwait/model"
)

// fuzzMaxLesson caps the size of a fuzzed lesson: the built-in ones are a
// few KB, and a bigger input only makes each run slower.
const fuzzMaxLesson = 8 << 10

// FuzzParseLesson: any text either parses into a lesson that keeps the
// parser's promises or fails with a LessonError pointing at a line of the
// text; it never panics. A lesson that parses can be run to the checkpoint
// of its first step, and that step's checks evaluated, without panicking.
func FuzzParseLesson(f *testing.F) {
	files, err := fs.Glob(assets.FS, "lessons/*/*.md")
	if err != nil || len(files) == 0 {
		f.Fatalf("no built-in lessons to seed with (%v)", err)
	}
	for _, name := range files {
		b, err := fs.ReadFile(assets.FS, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("")
	f.Add("---\n---\n")
	f.Add("---\nid: x\ntitle: x\nscenario: close\n---\n## s\nuntil: client enters TIME-WAIT #2\ncheck: t = 1s\n? q\n- [x] a\n- [ ] b\n> e\ntext\n")
	f.Add("---\r\nid: x\r\ntitle: x\r\nscenario: close\r\n---\r\n## s\r\nuntil: here\r\nscenario: lost-fin\r\nset: msl=0s\r\ndrop: client:FIN:1\r\ntext\r\n")

	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > fuzzMaxLesson {
			t.Skip()
		}
		l, err := ParseLesson("fuzz.md", src, "en")
		if err != nil {
			var le *LessonError
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T) is not a *LessonError", err, err)
			}
			nLines := strings.Count(strings.ReplaceAll(src, "\r\n", "\n"), "\n") + 1
			if le.File != "fuzz.md" || le.Line < 1 || le.Line > nLines {
				t.Fatalf("error %v points outside the %d-line file", err, nLines)
			}
			if l != nil {
				t.Fatalf("a lesson and an error: %v", err)
			}
			checkErrorKeys(t, le.Err)
			return
		}
		if l.ID == "" || l.Title == "" || l.Scenario == "" || len(l.Steps) == 0 {
			t.Fatalf("parsed an incomplete lesson: %+v", l)
		}
		for _, s := range l.Steps {
			if s.Until == "" || strings.TrimSpace(s.Text) == "" {
				t.Fatalf("step %q without until: or text", s.Title)
			}
			if q := s.Question; q != nil && (len(q.Choices) < 2 || q.Answer < 0 || q.Answer >= len(q.Choices) || q.Explain == "") {
				t.Fatalf("step %q has a malformed question: %+v", s.Title, q)
			}
		}

		// Load scenarios open tens of thousands of connections (about half
		// a second a run): leave them to TestBuiltinLessonsVerify.
		st := &l.Steps[0]
		if sc, err := BuiltinScenario(st.Scenario); err != nil || sc.Load.Count > 0 {
			return
		}
		sim, _, err := StepRun(l, 0)
		if err != nil {
			checkErrorKeys(t, err)
			return // a checkpoint that is never reached is a lesson error, not a crash
		}
		for _, c := range st.Checks {
			if err := EvalCheck(sim, c.Expr); err != nil {
				checkErrorKeys(t, err)
			}
		}
	})
}

// checkErrorKeys fails unless err is data the interface can word in both
// languages: every message key in it, its own or the model's, is in both
// catalogues.
func checkErrorKeys(t *testing.T, err error) {
	t.Helper()
	has := func(key string) {
		for _, lang := range Languages {
			if !Messages(lang).Has(key) {
				t.Fatalf("error %q has the key %q, which the %s catalogue lacks", err, key, lang)
			}
		}
	}
	var inner []error
	switch e := err.(type) {
	case *LessonError:
		inner = []error{e.Err}
	case *model.ScenarioError:
		inner = []error{e.Err}
	case *Msg:
		has(e.Key)
		inner = e.Unwrap()
	case *model.Msg:
		has(e.Key)
		inner = e.Unwrap()
	case *model.RuleError:
		has("scn.err.rule")
		has(e.ReasonKey)
	case *model.ParamError:
		if e.ReasonKey != "" {
			has(e.ReasonKey)
		}
	default:
		t.Fatalf("error %v (%T) is not data the interface can word", err, err)
	}
	for _, e := range inner {
		checkErrorKeys(t, e)
	}
}
