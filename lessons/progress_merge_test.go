package lessons

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// questions returns the indexes of lesson 1's steps that ask a question.
func questions(t *testing.T, l *Lesson) []int {
	t.Helper()
	var qs []int
	for i, s := range l.Steps {
		if s.Question != nil {
			qs = append(qs, i)
		}
	}
	if len(qs) < 2 {
		t.Fatalf("lesson %s needs two questions for this test, has %d", l.ID, len(qs))
	}
	return qs
}

func wrong(l *Lesson, i int) int {
	return (l.Steps[i].Question.Answer + 1) % len(l.Steps[i].Question.Choices)
}

// Two windows of one user: each loaded the same (empty) progress, then
// did different things. Whatever order they save in, nothing is lost.
func TestTwoProgressValuesMergeInEitherOrder(t *testing.T) {
	l := firstLesson(t)
	qs := questions(t, l)
	q1, q2 := qs[0], qs[1]
	for _, order := range []string{"a then b", "b then a"} {
		t.Run(order, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users", "alice.json")
			a, _ := LoadProgress(path)
			b, _ := LoadProgress(path)
			a.Reached(l.ID, 0)
			a.Reached(l.ID, 1)
			a.Answered(l, q1, l.Steps[q1].Question.Answer) // right in a
			b.Reached(l.ID, 3)
			b.Answered(l, q1, wrong(l, q1))                // wrong in b: the best stays
			b.Answered(l, q2, l.Steps[q2].Question.Answer) // only b answered q2
			b.Reached("another-lesson", 7)
			first, second := a, b
			if order == "b then a" {
				first, second = b, a
			}
			if err := first.Save(); err != nil {
				t.Fatal(err)
			}
			if err := second.Save(); err != nil {
				t.Fatal(err)
			}
			got, err := LoadProgress(path)
			if err != nil {
				t.Fatal(err)
			}
			lp := got.Lessons[l.ID]
			if lp == nil || !slices.Equal(lp.Steps, []int{0, 1, 3}) {
				t.Fatalf("steps %v, want [0 1 3] (both windows')", lp)
			}
			if right, _ := got.Score(l); right != 2 {
				t.Errorf("score %d, want 2 (q1 right in a, q2 right in b)", right)
			}
			if lp.Answers[q1] != l.Steps[q1].Question.Answer || lp.Answers[q2] != l.Steps[q2].Question.Answer {
				t.Errorf("answers %v: the right answers should be kept", lp.Answers)
			}
			if o := got.Lessons["another-lesson"]; o == nil || !slices.Equal(o.Steps, []int{7}) {
				t.Errorf("the other lesson's progress was lost: %+v", o)
			}
			// The second saver now shows the merged progress too.
			if second.StepsDone(l) != 3 {
				t.Errorf("after its save, the second window knows %d steps, want 3", second.StepsDone(l))
			}
		})
	}
}

// Both wrong, with different choices: the first saved is the first answer.
func TestMergeKeepsTheFirstSavedAnswerWhenNeitherIsRight(t *testing.T) {
	l := firstLesson(t)
	q := questions(t, l)[0]
	choices := len(l.Steps[q].Question.Choices)
	if choices < 3 {
		t.Skip("needs a question with three choices")
	}
	var w []int
	for c := 0; c < choices && len(w) < 2; c++ {
		if c != l.Steps[q].Question.Answer {
			w = append(w, c)
		}
	}
	path := filepath.Join(t.TempDir(), "p.json")
	a, _ := LoadProgress(path)
	b, _ := LoadProgress(path)
	a.Answered(l, q, w[0])
	b.Answered(l, q, w[1])
	a.Save()
	b.Save()
	got, _ := LoadProgress(path)
	if c := got.Lessons[l.ID].Answers[q]; c != w[0] {
		t.Errorf("answer %d, want %d (saved first)", c, w[0])
	}
	if right, _ := got.Score(l); right != 0 {
		t.Errorf("score %d, want 0", right)
	}
}

// A progress file of an earlier finwait (no "right" list) keeps its score
// and merges.
func TestLegacyProgressFileKeepsItsScore(t *testing.T) {
	l := firstLesson(t)
	q := questions(t, l)[0]
	path := filepath.Join(t.TempDir(), "p.json")
	legacy := fmt.Sprintf(`{"version":1,"lessons":{%q:{"steps":[0,%d],"answers":{"%d":%d},"correct":1}}}`,
		l.ID, q, q, l.Steps[q].Question.Answer)
	os.WriteFile(path, []byte(legacy), 0o600)
	a, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := LoadProgress(path)
	b.Reached(l.ID, 5)
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
	a.Reached(l.ID, 6)
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	got, _ := LoadProgress(path)
	if right, _ := got.Score(l); right != 1 || got.StepsDone(l) != 4 {
		t.Errorf("score %d, steps %d; want 1 and 4", right, got.StepsDone(l))
	}
}

func TestSaveRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alice.json")
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{".alice.json.tmp-123", ".progress-456.json"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o600)
		os.Chtimes(filepath.Join(dir, name), old, old)
	}
	// Another user's file and a fresh legacy temporary file (an older
	// finwait may be writing it now) are left alone.
	keep := []string{"bob.json", ".progress-789.json"}
	for _, name := range keep {
		os.WriteFile(filepath.Join(dir, name), []byte("{}"), 0o600)
	}
	p, _ := LoadProgress(path)
	p.Reached("x", 1)
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{".alice.json.lock", ".progress-789.json", "alice.json", "bob.json"}
	if !slices.Equal(names, want) {
		t.Errorf("after the save the directory holds %q, want %q", names, want)
	}
}

func TestSaveCreatesPrivateDirectories(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "finwait", "progress.json")
	p, _ := LoadProgress(path)
	p.Reached("x", 1)
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want 0700 (%v)", d, fi.Mode().Perm(), err)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("progress file mode %v, want 0600", fi.Mode().Perm())
	}
}

// Two processes saving the same file as fast as they can, each its own
// steps: with the lock and the merge, every step of both is in the file
// at the end. Without the lock, a read-merge-write of one process lands
// between the read and the rename of the other and loses its steps.
func TestConcurrentProcessesLoseNoStep(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	path := filepath.Join(t.TempDir(), "shared.json")
	const per = 60
	var cmds []*exec.Cmd
	for w := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProgressSaver$")
		cmd.Env = append(os.Environ(), "FINWAIT_SAVER_PATH="+path, "FINWAIT_SAVER_FROM="+strconv.Itoa(w*per),
			"FINWAIT_SAVER_N="+strconv.Itoa(per))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("saver: %v", err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got Progress
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	steps := got.Lessons["race"].Steps
	var missing []int
	for i := range 2 * per {
		if !slices.Contains(steps, i) {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d steps lost: %v", len(missing), missing)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*tmp*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestHelperProgressSaver is one process of TestConcurrentProcessesLoseNoStep.
func TestHelperProgressSaver(t *testing.T) {
	path := os.Getenv("FINWAIT_SAVER_PATH")
	if path == "" {
		t.Skip("a helper process")
	}
	from, _ := strconv.Atoi(os.Getenv("FINWAIT_SAVER_FROM"))
	n, _ := strconv.Atoi(os.Getenv("FINWAIT_SAVER_N"))
	p, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := from; i < from+n; i++ {
		p.Reached("race", i)
		if err := p.Save(); err != nil {
			t.Fatal(err)
		}
	}
}
