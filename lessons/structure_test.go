package lessons

import (
	"fmt"
	"path"
	"slices"
	"testing"
	"unicode"
)

// structureBuiltin loads the built-in lessons of lang or stops the test.
func structureBuiltin(t *testing.T, lang string) []*Lesson {
	t.Helper()
	ls, err := Builtin(lang)
	if err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	if len(ls) == 0 {
		t.Fatalf("%s: no built-in lessons", lang)
	}
	return ls
}

// structureHasHan reports whether s contains a Chinese character.
func structureHasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func structureExprs(cs []Check) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Expr
	}
	return out
}

// The Chinese lessons are translations: same files, same ids and
// scenarios, and step by step the same machine-checked directives and the
// same questions, so that a learner in either language runs exactly the
// same simulation and is asked the same things.
func TestLessonsSameStructureInEnglishAndChinese(t *testing.T) {
	en := structureBuiltin(t, "en")
	zh := structureBuiltin(t, "zh")
	if len(en) != len(zh) {
		t.Fatalf("%d English lessons, %d Chinese lessons", len(en), len(zh))
	}
	for i, e := range en {
		z := zh[i]
		if path.Base(e.File) != path.Base(z.File) {
			t.Errorf("lesson %d: file %s in English, %s in Chinese", i+1, path.Base(e.File), path.Base(z.File))
		}
		if e.ID != z.ID {
			t.Errorf("%s: id %q in English, %q in Chinese", z.File, e.ID, z.ID)
		}
		if e.Scenario != z.Scenario {
			t.Errorf("%s: scenario %q in English, %q in Chinese", z.File, e.Scenario, z.Scenario)
		}
		if e.Number() != z.Number() {
			t.Errorf("%s: number %d in English, %d in Chinese", z.File, e.Number(), z.Number())
		}
		if !structureHasHan(z.Title) {
			t.Errorf("%s: title %q is not translated", z.File, z.Title)
		}
		if len(e.Steps) != len(z.Steps) {
			t.Errorf("%s: %d steps in English, %d in Chinese", z.File, len(e.Steps), len(z.Steps))
			continue
		}
		for j := range e.Steps {
			es, zs := &e.Steps[j], &z.Steps[j]
			fail := func(format string, a ...any) {
				t.Helper()
				t.Errorf("%s:%d: step %d (%s): %s", z.File, zs.Line, j+1, es.Title, fmt.Sprintf(format, a...))
			}
			if es.Until != zs.Until {
				fail("until: %q in English, %q in Chinese", es.Until, zs.Until)
			}
			if es.Scenario != zs.Scenario {
				fail("scenario: %q in English, %q in Chinese", es.Scenario, zs.Scenario)
			}
			if !slices.Equal(es.Sets, zs.Sets) {
				fail("set: %q in English, %q in Chinese", es.Sets, zs.Sets)
			}
			if !slices.Equal(es.Drops, zs.Drops) {
				fail("drop: %q in English, %q in Chinese", es.Drops, zs.Drops)
			}
			if ec, zc := structureExprs(es.Checks), structureExprs(zs.Checks); !slices.Equal(ec, zc) {
				fail("checks %q in English, %q in Chinese", ec, zc)
			}
			if (es.Question == nil) != (zs.Question == nil) {
				fail("a question in one language only")
			} else if es.Question != nil {
				eq, zq := es.Question, zs.Question
				if len(eq.Choices) != len(zq.Choices) {
					fail("%d choices in English, %d in Chinese", len(eq.Choices), len(zq.Choices))
				}
				if eq.Answer != zq.Answer {
					fail("right choice is %d in English, %d in Chinese", eq.Answer+1, zq.Answer+1)
				}
				if !structureHasHan(zq.Prompt) || !structureHasHan(zq.Explain) {
					fail("question or explanation not translated")
				}
			}
			if !structureHasHan(zs.Text) {
				fail("text is not in Chinese")
			}
			if !structureHasHan(zs.Title) && zs.Title != es.Title {
				fail("title %q is neither Chinese nor the English title", zs.Title)
			}
		}
	}
}

// The English lessons are in English: no step was replaced by Chinese
// text by mistake (a few Chinese terms, like 四次挥手, may appear).
func TestEnglishLessonsAreEnglish(t *testing.T) {
	for _, l := range structureBuiltin(t, "en") {
		for _, s := range l.Steps {
			han, letters := 0, 0
			for _, r := range s.Text {
				switch {
				case unicode.Is(unicode.Han, r):
					han++
				case r < unicode.MaxASCII && unicode.IsLetter(r):
					letters++
				}
			}
			if han*10 > letters {
				t.Errorf("%s:%d: step %q looks Chinese", l.File, s.Line, s.Title)
			}
		}
	}
}
