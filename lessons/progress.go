package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Progress is what a learner has done: steps seen and questions answered,
// per lesson id. It is saved as JSON under the user's state directory.
type Progress struct {
	Version int                        `json:"version"`
	Lessons map[string]*LessonProgress `json:"lessons"`
	path    string
}

// LessonProgress is one lesson's record.
type LessonProgress struct {
	Steps   []int       `json:"steps"`   // step indexes reached, sorted
	Answers map[int]int `json:"answers"` // step index -> first answer given
	Correct int         `json:"correct"` // first answers that were right
}

const progressVersion = 1

// DefaultProgressPath is $XDG_STATE_HOME/finwait/progress.json, or
// ~/.local/state/finwait/progress.json.
func DefaultProgressPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "finwait", "progress.json"), nil
}

// ProgressWarning reports a progress file that could not be used; the
// program goes on with fresh progress.
type ProgressWarning struct {
	Path    string
	MovedTo string // where a corrupt file was moved, if it was
	Err     error
}

func (w *ProgressWarning) Error() string {
	if w.MovedTo != "" {
		return fmt.Sprintf("progress file %s was unreadable (%v); it was moved to %s and progress starts fresh", w.Path, w.Err, w.MovedTo)
	}
	return fmt.Sprintf("progress file %s: %v; progress will not be saved", w.Path, w.Err)
}

func (w *ProgressWarning) Unwrap() error { return w.Err }

// LoadProgress reads the progress file at path. A missing file is fresh
// progress. A corrupt file is moved aside (path.corrupt, .corrupt.1, ...)
// and reported as a *ProgressWarning together with fresh progress: the
// returned Progress is always usable.
func LoadProgress(path string) (*Progress, error) {
	p := &Progress{Version: progressVersion, Lessons: map[string]*LessonProgress{}, path: path}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, &ProgressWarning{Path: path, Err: err}
	}
	var q Progress
	if err := json.Unmarshal(b, &q); err != nil || q.Version != progressVersion {
		if err == nil {
			err = fmt.Errorf("unknown version %d", q.Version)
		}
		w := &ProgressWarning{Path: path, Err: err}
		for i := 0; i < 1000; i++ {
			dst := path + ".corrupt"
			if i > 0 {
				dst = fmt.Sprintf("%s.corrupt.%d", path, i)
			}
			if _, statErr := os.Stat(dst); errors.Is(statErr, os.ErrNotExist) {
				if os.Rename(path, dst) == nil {
					w.MovedTo = dst
				}
				break
			}
		}
		return p, w
	}
	if q.Lessons != nil {
		p.Lessons = q.Lessons
	}
	for _, lp := range p.Lessons {
		if lp.Answers == nil {
			lp.Answers = map[int]int{}
		}
	}
	return p, nil
}

// Save writes the progress atomically: a temporary file in the same
// directory, then a rename, so a crash never leaves half a file.
func (p *Progress) Save() error {
	if p.path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o755); err != nil {
		return &ProgressWarning{Path: p.path, Err: err}
	}
	b, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p.path), ".progress-*.json")
	if err != nil {
		return &ProgressWarning{Path: p.path, Err: err}
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp)
		return &ProgressWarning{Path: p.path, Err: errors.Join(werr, cerr)}
	}
	if err := os.Rename(tmp, p.path); err != nil {
		os.Remove(tmp)
		return &ProgressWarning{Path: p.path, Err: err}
	}
	return nil
}

func (p *Progress) lesson(id string) *LessonProgress {
	lp := p.Lessons[id]
	if lp == nil {
		lp = &LessonProgress{Answers: map[int]int{}}
		p.Lessons[id] = lp
	}
	return lp
}

// Reached records that step i of lesson id was reached.
func (p *Progress) Reached(id string, i int) {
	lp := p.lesson(id)
	k := sort.SearchInts(lp.Steps, i)
	if k < len(lp.Steps) && lp.Steps[k] == i {
		return
	}
	lp.Steps = append(lp.Steps, 0)
	copy(lp.Steps[k+1:], lp.Steps[k:])
	lp.Steps[k] = i
}

// Answered records the first answer to step i's question; later answers to
// the same question do not change the score. It reports whether this
// answer is right.
func (p *Progress) Answered(l *Lesson, i, choice int) bool {
	q := l.Steps[i].Question
	right := q != nil && choice == q.Answer
	lp := p.lesson(l.ID)
	if _, done := lp.Answers[i]; !done {
		lp.Answers[i] = choice
		if right {
			lp.Correct++
		}
	}
	return right
}

// Score returns right first answers and questions in the lesson.
func (p *Progress) Score(l *Lesson) (right, questions int) {
	for _, s := range l.Steps {
		if s.Question != nil {
			questions++
		}
	}
	if lp := p.Lessons[l.ID]; lp != nil {
		right = lp.Correct
	}
	return right, questions
}

// StepsDone returns how many of the lesson's steps were reached.
func (p *Progress) StepsDone(l *Lesson) int {
	if lp := p.Lessons[l.ID]; lp != nil {
		n := 0
		for _, s := range lp.Steps {
			if s < len(l.Steps) {
				n++
			}
		}
		return n
	}
	return 0
}
