package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
)

// lessonModel opens built-in lesson n as the program would, with progress
// in a temporary file.
func lessonModel(t testing.TB, n int, lang string, w, h int) *Model {
	t.Helper()
	l := builtinLesson(t, n, lang)
	m, err := openModel(TUIOptions{Lesson: l, Lang: lang}, filepath.Join(t.TempDir(), "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func builtinLesson(t testing.TB, n int, lang string) *lessons.Lesson {
	t.Helper()
	ls, err := lessons.Builtin(lang)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Number() == n {
			return l
		}
	}
	t.Fatalf("no lesson %d", n)
	return nil
}

// playOut runs animation frames until the model stops moving (the step's
// checkpoint stops it), as the tick chain would.
func playOut(t testing.TB, m *Model) {
	t.Helper()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; m.clock.playing || m.clock.skip != nil; i++ {
		if i > 100_000 {
			t.Fatalf("still playing after %d frames: t=%v", i, m.sim().Now())
		}
		at = at.Add(frame)
		m.Update(tickMsg{gen: m.clock.gen, at: at})
	}
}

// checkStep evaluates the step's claims on the model's run.
func checkStep(t testing.TB, m *Model) {
	t.Helper()
	l, i := m.run.Lesson(), m.run.StepIndex()
	for _, ch := range l.Steps[i].Checks {
		if err := lessons.EvalCheck(m.sim(), ch.Expr); err != nil {
			t.Errorf("lesson %d step %d: %v", l.Number(), i+1, err)
		}
	}
}

// A lesson step at 80x24 (the pane replaces the ladder) and at 120x40 (the
// pane is beside it), in both languages: lesson 1, step 3, after the first
// question was answered and the FIN reached the server.
func TestGoldenLessonStep(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s-%dx%d", lang, sz[0], sz[1]), func(t *testing.T) {
				m := lessonModel(t, 1, lang, sz[0], sz[1])
				press(m, "]", "1")
				playOut(t, m)
				press(m, "]")
				playOut(t, m)
				s := screen(m)
				l := m.run.Lesson()
				for _, want := range []string{m.cat.T("ui.lesson.step", "i", 3, "n", len(l.Steps)), l.Steps[2].Title,
					m.cat.T("ui.lesson.score", "right", 1, "questions", 2), "CLOSE-WAIT"} {
					if !strings.Contains(s, want) {
						t.Errorf("screen lacks %q:\n%s", want, s)
					}
				}
				if strings.Contains(s, "**") {
					t.Errorf("raw Markdown on screen:\n%s", s)
				}
				golden(t, fmt.Sprintf("lesson-step-%s-%dx%d", lang, sz[0], sz[1]), s)
			})
		}
	}
}

// The question of lesson 1 step 2 before it is answered.
func TestGoldenLessonQuestion(t *testing.T) {
	m := lessonModel(t, 1, "en", 80, 24)
	press(m, "]")
	golden(t, "lesson-question-80x24", screen(m))
}

// The screen is exactly the terminal's size with a lesson open, at every
// size from the smallest allowed, in both layouts and languages.
func TestLessonScreenSizes(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m := lessonModel(t, 2, lang, 80, 24)
		press(m, "]")
		for _, sz := range [][2]int{{72, 20}, {80, 24}, {100, 30}, {119, 40}, {120, 24}, {150, 50}, {220, 60}} {
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			checkScreen(t, m)
			press(m, "1")
			checkScreen(t, m)
			press(m, "m")
			checkScreen(t, m)
			press(m, "esc")
		}
	}
}

func TestLessonQuestionScore(t *testing.T) {
	l := builtinLesson(t, 1, "en")
	q := l.Steps[1].Question
	if q == nil || q.Answer != 0 {
		t.Fatal("lesson 1 step 2 should ask a question whose first choice is right")
	}
	t.Run("right", func(t *testing.T) {
		m := lessonModel(t, 1, "en", 80, 24)
		press(m, "]")
		if !m.run.Asking() {
			t.Fatal("step 2 did not wait for an answer")
		}
		pos := m.sim().Pos()
		press(m, "space", "right")
		if m.sim().Pos() != pos || m.clock.playing {
			t.Error("time moved while the question waited for an answer")
		}
		press(m, "1")
		if right, _ := m.run.Progress().Score(l); right != 1 {
			t.Errorf("score %d after the right answer, want 1", right)
		}
		s := screen(m)
		for _, want := range []string{"✓ Right", "score 1/2", q.Explain[:40]} {
			if !strings.Contains(strings.ReplaceAll(s, "\n ", " "), want) {
				t.Errorf("screen lacks %q:\n%s", want, s)
			}
		}
		playOut(t, m)
		checkStep(t, m)
	})
	t.Run("wrong", func(t *testing.T) {
		m := lessonModel(t, 1, "en", 80, 24)
		press(m, "]", "2")
		if right, _ := m.run.Progress().Score(l); right != 0 {
			t.Errorf("score %d after a wrong answer, want 0", right)
		}
		s := screen(m)
		for _, want := range []string{"✗ Not quite", "The answer: " + q.Choices[0], "score 0/2"} {
			if !strings.Contains(s, want) {
				t.Errorf("screen lacks %q:\n%s", want, s)
			}
		}
		// Only the first answer counts: back and right this time.
		press(m, "[", "]", "1")
		if right, _ := m.run.Progress().Score(l); right != 0 {
			t.Errorf("a second answer changed the score to %d", right)
		}
		if !strings.Contains(screen(m), "✓ Right") {
			t.Error("the second answer is not shown as right")
		}
	})
	t.Run("no such choice", func(t *testing.T) {
		m := lessonModel(t, 1, "en", 80, 24)
		press(m, "]", "7")
		if !m.run.Asking() || !m.msgErr {
			t.Error("choice 7 of 3 was accepted")
		}
	})
}

// ] plays each step to exactly its checkpoint: every claim of the step's
// text holds on the run the user sees, for every step of every lesson.
func TestNextStepReachesCheckpoint(t *testing.T) {
	for n := 1; n <= 9; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			if testing.Short() && n == 6 {
				t.Skip("host runs take a few seconds")
			}
			m := lessonModel(t, n, "en", 80, 24)
			l := m.run.Lesson()
			for i := range l.Steps {
				cp, start, err := lessons.StepRun(l, i)
				if err != nil {
					t.Fatal(err)
				}
				if i > 0 {
					pos := m.sim().Pos()
					press(m, "]")
					if m.run.StepIndex() != i {
						t.Fatalf("] did not move to step %d", i+1)
					}
					if m.sim().Pos() != start || start > pos && m.sim().Pos() != start {
						t.Fatalf("step %d does not begin where the step began (pos %d, want %d)", i+1, m.sim().Pos(), start)
					}
				}
				if m.run.Asking() {
					press(m, "1")
				}
				if cp.Pos() > start && !m.clock.playing {
					t.Fatalf("step %d is not being played", i+1)
				}
				playOut(t, m)
				if m.sim().Pos() != cp.Pos() || m.sim().Now() != cp.Now() {
					t.Fatalf("step %d stopped at pos %d t=%v, its checkpoint is pos %d t=%v", i+1, m.sim().Pos(), m.sim().Now(), cp.Pos(), cp.Now())
				}
				checkStep(t, m)
				if !m.run.Reached() || !strings.Contains(screen(m), "✓") {
					t.Errorf("step %d reached but not shown as reached", i+1)
				}
			}
			if got := m.run.Progress().StepsDone(l); got != len(l.Steps) {
				t.Errorf("progress has %d of %d steps", got, len(l.Steps))
			}
		})
	}
}

// The user's drop takes the run off the lesson's path; R puts it back.
func TestPathRestoresAfterDrop(t *testing.T) {
	m := lessonModel(t, 1, "en", 80, 24)
	press(m, "]", "1")
	playOut(t, m)
	press(m, "]") // step 3: the FIN travels to the server
	if len(m.sim().Flights()) != 1 {
		t.Fatalf("want the client's FIN in flight, have %d segments", len(m.sim().Flights()))
	}
	press(m, "tab", "x")
	if m.run.OnPath() {
		t.Fatal("a drop kept the run on the lesson's path")
	}
	if !strings.Contains(screen(m), "R back to the lesson's path") {
		t.Errorf("no hint to return to the path:\n%s", screen(m))
	}
	m.sim().Run(10)
	if ep, _ := m.sim().Endpoint(1); ep.State.String() == "CLOSE-WAIT" {
		t.Fatal("the dropped FIN reached the server anyway")
	}
	press(m, "R")
	if !m.run.OnPath() || len(m.sim().Actions()) != 0 {
		t.Fatal("R left the user's actions in the run")
	}
	playOut(t, m)
	checkStep(t, m)
	if !strings.Contains(screen(m), "✓ step reached") {
		t.Errorf("after R the step is not reached:\n%s", screen(m))
	}
}

func TestLessonLanguageSwitch(t *testing.T) {
	m := lessonModel(t, 1, "en", 80, 24)
	press(m, "]", "1")
	playOut(t, m)
	press(m, "]")
	playOut(t, m)
	pos := m.sim().Pos()
	press(m, "L")
	zh := builtinLesson(t, 1, "zh")
	s := screen(m)
	if m.run.StepIndex() != 2 || m.sim().Pos() != pos || !strings.Contains(s, zh.Steps[2].Title) || !strings.Contains(s, "第 3/9 步") {
		t.Errorf("L did not show step 3 in Chinese at the same point of the run:\n%s", s)
	}
	press(m, "L")
	if !strings.Contains(screen(m), "The server reads EOF") {
		t.Error("L back did not show the English step")
	}
}

func TestLessonMenu(t *testing.T) {
	m := lessonModel(t, 1, "en", 80, 24)
	press(m, "]", "1")
	playOut(t, m)
	press(m, "m")
	if _, ok := m.top().(*menuPane); !ok {
		t.Fatal("m did not open the lesson menu")
	}
	s := screen(m)
	ls, _ := lessons.Builtin("en")
	for _, l := range ls {
		if !strings.Contains(s, l.Title[:min(len(l.Title), 20)]) {
			t.Errorf("menu lacks lesson %q", l.Title)
		}
	}
	if !strings.Contains(s, "2/9 steps · score 1/2") {
		t.Errorf("menu lacks lesson 1's progress:\n%s", s)
	}
	golden(t, "lesson-menu-80x24", s)
	press(m, "esc")
	if m.top() != nil || m.run.StepIndex() != 1 {
		t.Error("esc did not go back to the lesson where it was")
	}
	press(m, "m", "down", "down", "down", "down", "enter")
	if l, i := m.run.Lesson(), m.run.StepIndex(); l.Number() != 5 || i != 0 || !strings.Contains(screen(m), "Lesson 5") {
		t.Fatalf("enter on the fifth line opened lesson %d step %d", l.Number(), i+1)
	}
	playOut(t, m)
	checkStep(t, m)
}

func TestDefaultStartIsLessonOne(t *testing.T) {
	m, err := openModel(TUIOptions{Lang: "en"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if l := m.run.Lesson(); l == nil || l.Number() != 1 || m.run.StepIndex() != 0 {
		t.Fatal("no flags should open lesson 1, step 1")
	}
	sc, _ := lessons.BuiltinScenario("close")
	m, err = openModel(TUIOptions{Scenario: sc, Lang: "en"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if m.run.Lesson() != nil || strings.Contains(screen(m), "step 1/") {
		t.Error("--scenario opened a lesson")
	}
	// o opens a bare scenario: the lesson closes.
	m = lessonModel(t, 1, "en", 80, 24)
	press(m, "o", "enter")
	if m.run.Lesson() != nil {
		t.Error("opening a scenario left the lesson open")
	}
}

// NewSession (the SSH server's) opens lesson 1 and keeps progress where it
// is told.
func TestSessionProgress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alice", "progress.json")
	tm, err := NewSession(SessionOptions{Lang: "zh", ProgressPath: path})
	if err != nil {
		t.Fatal(err)
	}
	m := tm.(*Model)
	if l := m.run.Lesson(); l == nil || l.Number() != 1 || l.Lang != "zh" {
		t.Fatal("a session should open lesson 1 in its language")
	}
	settle(t, m, m.Init())
	p, err := lessons.LoadProgress(path)
	if err != nil || p.StepsDone(m.run.Lesson()) != 1 {
		t.Errorf("step 1 reached but not saved to %s: %v", path, err)
	}
}

func TestProgressSavedUnderXDG(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	path, err := lessons.DefaultProgressPath()
	if err != nil || !strings.HasPrefix(path, dir) {
		t.Fatalf("progress path %q not under XDG_STATE_HOME", path)
	}
	m, err := openModel(TUIOptions{Lang: "en"}, path)
	if err != nil {
		t.Fatal(err)
	}
	pressSettle(t, m, "]", "2")
	playOut(t, m)
	settle(t, m, m.quit())
	p, err := lessons.LoadProgress(filepath.Join(dir, "finwait", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	lp := p.Lessons["four-way-close"]
	if lp == nil || fmt.Sprint(lp.Steps) != "[0 1]" || lp.Answers[1] != 1 || lp.Correct != 0 {
		t.Fatalf("saved progress %+v, want steps [0 1] and the wrong answer 2 to step 2", lp)
	}
	// A new run shows it.
	m, _ = openModel(TUIOptions{Lang: "en"}, path)
	press(m, "m")
	if !strings.Contains(screen(m), "2/9 steps · score 0/2") {
		t.Errorf("the menu of a new run does not show the saved progress:\n%s", screen(m))
	}
}

func TestProgressWarnings(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := openModel(TUIOptions{Lang: "en"}, path)
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 250, Height: 30})
	if s := screen(m); !strings.Contains(s, "Progress file unreadable, moved to "+path+".corrupt") {
		t.Errorf("no warning about the corrupt progress file:\n%s", s)
	}
	if _, err := os.Stat(path + ".corrupt"); err != nil {
		t.Error("the corrupt file was not moved aside")
	}
	// A directory that cannot be created: the warning is shown once and
	// the lesson goes on.
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	m, err = openModel(TUIOptions{Lang: "en"}, filepath.Join(blocker, "finwait", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
	if !m.msgErr || !strings.Contains(screen(m), "Lesson progress cannot be saved") {
		t.Errorf("no warning about unsaved progress:\n%s", screen(m))
	}
	press(m, "]", "1")
	playOut(t, m)
	if m.run.StepIndex() != 1 || !m.run.Reached() || m.msg != "" {
		t.Errorf("the lesson did not go on quietly after the warning: step %d reached %v msg %q", m.run.StepIndex(), m.run.Reached(), m.msg)
	}
}

// A lesson from a file (--lesson FILE, read and checked by the command
// line) is marked in the view as the user's own.
func TestFileLessonView(t *testing.T) {
	dir := t.TempDir()
	good := `---
id: mine
title: My lesson
scenario: close
---
## The client closes
until: client enters FIN-WAIT-1
check: client is FIN-WAIT-1
The client sent its **FIN**.
`
	path := filepath.Join(dir, "good.md")
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := lessons.ParseLesson(path, good, "en")
	if err != nil {
		t.Fatal(err)
	}
	if errs := lessons.Verify(l); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	// Opened in the view, a file lesson is marked as the user's own.
	m, err := openModel(TUIOptions{Lesson: l, Lang: "en"}, "")
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	playOut(t, m)
	s := screen(m)
	if !strings.Contains(s, "Your lesson · My lesson") || !strings.Contains(s, "The client sent its FIN.") {
		t.Errorf("the file lesson is not shown:\n%s", s)
	}
	press(m, "m")
	if !strings.Contains(screen(m), "My lesson (your file)") {
		t.Errorf("the menu does not list the file lesson:\n%s", screen(m))
	}
}

// p hides the pane and brings the ladder back; at 120 columns the ladder
// and the pane are on screen together.
func TestLessonPaneLayout(t *testing.T) {
	m := lessonModel(t, 1, "en", 80, 24)
	press(m, "]", "1")
	playOut(t, m)
	ladder := m.cat.T("ui.ladder.link")
	if s := screen(m); strings.Contains(s, ladder) || !strings.Contains(s, "step 2/9") {
		t.Errorf("at 80x24 the pane should replace the ladder:\n%s", s)
	}
	press(m, "p")
	if s := screen(m); !strings.Contains(s, ladder) || strings.Contains(s, "step 2/9") {
		t.Errorf("p should hide the pane and show the ladder:\n%s", s)
	}
	press(m, "p")
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if s := screen(m); !strings.Contains(s, ladder) || !strings.Contains(s, "step 2/9") {
		t.Errorf("at 120x40 the ladder and the pane should both show:\n%s", s)
	}
	// Scrolling the text: the last line comes into view.
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	before := screen(m)
	if !strings.Contains(before, "↓ 5 more") {
		t.Fatalf("step 2 should not fit in 80x24:\n%s", before)
	}
	for range 10 {
		press(m, "down")
	}
	after := screen(m)
	if after == before || strings.Contains(after, "↓ ") || !strings.Contains(after, "ack=1002.") {
		t.Errorf("↓ did not scroll to the end of the text:\n%s", after)
	}
	press(m, "up", "up", "up", "up", "up", "up")
	if screen(m) != before {
		t.Error("↑ did not scroll back to the top")
	}
}

// The help view lists the lesson keys; at 80x24 it scrolls to them.
func TestHelpShowsLessonKeys(t *testing.T) {
	m := lessonModel(t, 1, "en", 80, 24)
	press(m, "?")
	var all strings.Builder
	for range 5 {
		all.WriteString(screen(m))
		checkScreen(t, m)
		press(m, "pgdown")
	}
	for _, b := range []keyBinding{m.keys.Lessons, m.keys.NextStep, m.keys.PrevStep, m.keys.Path, m.keys.Answer, m.keys.Pane} {
		if !strings.Contains(all.String(), b.Help().Key+" ") || !strings.Contains(all.String(), b.Help().Desc) {
			t.Errorf("help at 80x24 never shows %q %q", b.Help().Key, b.Help().Desc)
		}
	}
	press(m, "q")
	if m.top() != nil {
		t.Error("a key other than scrolling did not close the help")
	}
}
