package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

func firstLesson(t *testing.T) *Lesson {
	t.Helper()
	ls, err := Builtin("en")
	if err != nil || len(ls) == 0 {
		t.Fatal(err)
	}
	return ls[0]
}

func TestProgressRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "finwait", "progress.json")
	p, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	l := firstLesson(t)
	qi := -1
	for i, s := range l.Steps {
		if s.Question != nil {
			qi = i
			break
		}
	}
	if qi < 0 {
		t.Fatal("lesson 1 has no question")
	}
	p.Reached(l.ID, 0)
	p.Reached(l.ID, 2)
	p.Reached(l.ID, 2)
	if !p.Answered(l, qi, l.Steps[qi].Question.Answer) {
		t.Fatal("the marked answer should be right")
	}
	p.Answered(l, qi, l.Steps[qi].Question.Answer+1) // a second try does not change the score
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	q, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	right, total := q.Score(l)
	if q.StepsDone(l) != 2 || right != 1 || total == 0 {
		t.Fatalf("after reload: steps %d, score %d/%d", q.StepsDone(l), right, total)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".progress.json.lock", "progress.json"}; !slices.Equal(names, want) {
		t.Errorf("a save should leave the progress file and its lock, found %q", names)
	}
}

func TestProgressCorruptFileMovedAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	os.WriteFile(path, []byte("{not json"), 0o644)
	p, err := LoadProgress(path)
	var w *ProgressWarning
	if !errors.As(err, &w) || w.MovedTo == "" {
		t.Fatalf("want a warning that moved the file aside, got %v", err)
	}
	if _, err := os.Stat(w.MovedTo); err != nil {
		t.Errorf("the corrupt file should be kept at %s: %v", w.MovedTo, err)
	}
	if p == nil || len(p.Lessons) != 0 {
		t.Fatal("fresh progress expected")
	}
	p.Reached("x", 1)
	if err := p.Save(); err != nil {
		t.Fatalf("fresh progress should save: %v", err)
	}
	// a second corrupt file does not overwrite the first one moved aside
	os.WriteFile(path, []byte("[]"), 0o644)
	_, err = LoadProgress(path)
	if !errors.As(err, &w) || w.MovedTo != path+".corrupt.1" {
		t.Fatalf("second corrupt file: %v", err)
	}
}

func TestProgressReadOnlyDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(dir, 0o555)
	path := filepath.Join(dir, "progress.json")
	if os.Geteuid() == 0 || runtime.GOOS == "windows" {
		// root ignores permission bits: make the directory unusable
		// another way, by putting a file where it should be.
		blocker := filepath.Join(t.TempDir(), "not-a-dir")
		os.WriteFile(blocker, nil, 0o644)
		path = filepath.Join(blocker, "progress.json")
	}
	p, err := LoadProgress(path)
	if err != nil {
		var w *ProgressWarning
		if !errors.As(err, &w) {
			t.Fatalf("load: %v", err)
		}
	}
	p.Reached("x", 0)
	var w *ProgressWarning
	if err := p.Save(); !errors.As(err, &w) {
		t.Fatalf("saving where no file can be written should warn, got %v", err)
	}
	if w.Error() == "" {
		t.Fatal("the warning must say what went wrong")
	}
}
