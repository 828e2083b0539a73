package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
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
	Correct int         `json:"correct"` // first answers that were right: len(Right)
	// Right lists the steps whose first answer was right, sorted, so that
	// two saves can be merged. Files written before it was kept lack it.
	Right []int `json:"right,omitempty"`
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
		sort.Ints(lp.Steps) // a file edited by hand
		sort.Ints(lp.Right)
	}
	return p, nil
}

// Save writes the progress so that none is ever lost, even when two
// finwait processes of one user (two windows, two SSH sessions) save the
// same file:
//
//   - under an exclusive lock (lock_unix.go), it reads the file as it is
//     now and merges it into p (see merge): a step once reached stays
//     reached, and a question answered right stays right;
//   - it writes a temporary file in the same directory, flushes it to the
//     disk (fsync), renames it over the file and flushes the directory, so
//     that neither a crash nor a power cut leaves half a file or loses a
//     save that returned nil;
//   - temporary files that a crash left behind are removed.
//
// p then holds the merged progress. An error is a *ProgressWarning, or
// ErrProgressLocked inside one.
func (p *Progress) Save() error {
	if p.path == "" {
		return nil
	}
	dir, base := filepath.Split(p.path)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &ProgressWarning{Path: p.path, Err: err}
	}
	unlock, err := lockProgress(filepath.Join(dir, "."+base+".lock"))
	if err != nil {
		return &ProgressWarning{Path: p.path, Err: err}
	}
	defer unlock()
	removeStaleTemps(dir, base)

	if disk, err := LoadProgress(p.path); err == nil {
		p.merge(disk)
	} // else: unreadable now (moved aside if corrupt): p replaces it

	b, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+base+tempInfix+"*")
	if err != nil {
		return &ProgressWarning{Path: p.path, Err: err}
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return &ProgressWarning{Path: p.path, Err: err}
	}
	if err := os.Rename(tmp, p.path); err != nil {
		os.Remove(tmp)
		return &ProgressWarning{Path: p.path, Err: err}
	}
	if err := syncDir(dir); err != nil {
		return &ProgressWarning{Path: p.path, Err: err}
	}
	return nil
}

// ErrProgressLocked: another finwait kept the progress file locked for
// longer than a save may wait.
var ErrProgressLocked = errors.New("the progress file is locked by another finwait")

// tempInfix names the temporary files of a save: .<file>.tmp-<random>.
const tempInfix = ".tmp-"

// legacyTempAge: temporary files of finwait versions before the lock
// (.progress-*.json, one pattern for every user in a directory) are
// removed once they are this old, when no save can still be writing them.
const legacyTempAge = 10 * time.Minute

// removeStaleTemps removes the temporary files left by saves that did not
// finish. Under the lock, every temporary file of this progress file is
// stale: only the lock holder writes one. Without a real lock (see
// lockExclusive), only old ones are.
func removeStaleTemps(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	own := "." + base + tempInfix
	for _, e := range entries {
		name := e.Name()
		var maxAge time.Duration
		switch {
		case strings.HasPrefix(name, own):
			if !lockExclusive {
				maxAge = legacyTempAge
			}
		case strings.HasPrefix(name, ".progress-") && strings.HasSuffix(name, ".json"):
			maxAge = legacyTempAge
		default:
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) >= maxAge {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// merge folds the progress saved by another process (disk) into p. Steps:
// the union. Answers: a question answered on one side only keeps that
// answer; answered on both, the first answer counts as it always does,
// and the one saved first (disk) is taken as the first, unless only p's
// is right: the best score stays. Right answers: the union.
func (p *Progress) merge(disk *Progress) {
	for id, d := range disk.Lessons {
		lp := p.lesson(id)
		lp.Steps = unionSorted(lp.Steps, d.Steps)
		known := lp.settled() && d.settled()
		mine := lp.Right
		for i, a := range d.Answers {
			if _, ok := lp.Answers[i]; ok && known && containsSorted(mine, i) && !containsSorted(d.Right, i) {
				continue // only ours is right: the best counts
			}
			lp.Answers[i] = a
		}
		if known {
			lp.Right = unionSorted(lp.Right, d.Right)
			lp.Correct = len(lp.Right)
		} else {
			// A file from before Right was kept: which answers were
			// right is worked out from the lesson (settle) when it is
			// next opened.
			lp.Right, lp.Correct = nil, max(lp.Correct, d.Correct)
		}
	}
}

// settled: Right says which first answers were right. A file written
// before Right was kept has only the count (Correct).
func (lp *LessonProgress) settled() bool { return len(lp.Right) == lp.Correct }

// settle works out Right from the answers and the lesson's answer key,
// for a record that does not say (see settled).
func (lp *LessonProgress) settle(l *Lesson) {
	if lp.settled() {
		return
	}
	lp.Right = nil
	for i, a := range lp.Answers {
		if i >= 0 && i < len(l.Steps) && l.Steps[i].Question != nil && a == l.Steps[i].Question.Answer {
			lp.Right = append(lp.Right, i)
		}
	}
	sort.Ints(lp.Right)
	lp.Correct = len(lp.Right)
}

func unionSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

func containsSorted(a []int, v int) bool {
	k := sort.SearchInts(a, v)
	return k < len(a) && a[k] == v
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
	lp.settle(l)
	if _, done := lp.Answers[i]; !done {
		lp.Answers[i] = choice
		if right && !containsSorted(lp.Right, i) {
			lp.Right = unionSorted(lp.Right, []int{i})
			lp.Correct = len(lp.Right)
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
		lp.settle(l)
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
