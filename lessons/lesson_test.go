package lessons

import "testing"

// Every step of every built-in lesson, in both languages, runs to its
// checkpoint, and every claim written as a check holds in the engine.
func TestBuiltinLessonsVerify(t *testing.T) {
	for _, lang := range Languages {
		ls, err := Builtin(lang)
		if err != nil {
			t.Fatal(err)
		}
		if lang == "en" && len(ls) == 0 {
			t.Fatal("no English lessons")
		}
		for _, l := range ls {
			for _, err := range Verify(l) {
				t.Errorf("%s: %v", lang, err)
			}
		}
	}
}
