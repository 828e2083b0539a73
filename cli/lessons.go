package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"finwait/lessons"
)

// runLessons is `finwait lessons` (the lessons with the user's progress)
// and `finwait lessons check FILE.md`.
func runLessons(e *env) int {
	f, cat := e.f, e.cat
	if len(f.rest) > 0 {
		if f.rest[0] != "check" || len(f.rest) != 2 {
			return fail(e.stderr, f.lang, errors.New(cat.T("cli.err.lessons_usage")))
		}
		return checkLesson(e, f.rest[1])
	}
	ls, err := lessons.Builtin(f.lang)
	if err != nil {
		return fail(e.stderr, f.lang, err)
	}
	prog := loadProgress(e.stderr, cat)
	for _, l := range ls {
		right, total := prog.Score(l)
		fmt.Fprintln(e.stdout, cat.T("cli.lesson_line", "n", l.Number(), "title", l.Title, "done", prog.StepsDone(l),
			"steps", len(l.Steps), "right", right, "questions", total))
	}
	return exitOK
}

// loadProgress opens the user's progress file; problems are reported on
// stderr and never stop the program.
func loadProgress(stderr io.Writer, cat *lessons.Catalog) *lessons.Progress {
	path, err := lessons.DefaultProgressPath()
	if err != nil {
		p, _ := lessons.LoadProgress("")
		return p
	}
	p, err := lessons.LoadProgress(path)
	if err != nil {
		fmt.Fprintln(stderr, cat.T("cli.error", "err", err))
	}
	return p
}

// checkLesson parses a lesson file and runs every step to its checkpoint:
// every mistake is listed with its file:line (exit code 2).
func checkLesson(e *env, path string) int {
	cat := e.cat
	b, err := os.ReadFile(path)
	if err != nil {
		return fail(e.stderr, e.f.lang, errors.New(cat.T("ui.cli.lesson_read", "err", err)))
	}
	l, err := lessons.ParseLesson(path, string(b), e.f.lang)
	if err != nil {
		fmt.Fprintln(e.stderr, lessons.ErrorText(cat, err))
		return exitUsage
	}
	errs := lessons.Verify(l)
	for _, err := range errs {
		fmt.Fprintln(e.stderr, lessons.ErrorText(cat, err))
	}
	if len(errs) > 0 {
		return exitUsage
	}
	fmt.Fprintln(e.stdout, cat.T("cli.lesson_ok", "file", path, "steps", len(l.Steps)))
	return exitOK
}
