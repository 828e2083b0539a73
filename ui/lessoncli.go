package ui

import (
	"errors"
	"os"
	"strconv"

	"finwait/lessons"
)

// lessonFlag reads --lesson N|FILE: a built-in lesson by number, or a
// lesson file, parsed and run through every step before the interactive
// view starts, so that a mistake is reported with its file:line.
func lessonFlag(f flags) (*lessons.Lesson, error) {
	cat := lessons.Messages(f.lang)
	switch {
	case f.scenario != "":
		return nil, errors.New(cat.T("ui.cli.lesson_scenario"))
	case f.sets != nil:
		return nil, errors.New(cat.T("ui.cli.lesson_set"))
	}
	if n, err := strconv.Atoi(f.lesson); err == nil {
		ls, err := lessons.Builtin(f.lang)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			if l.Number() == n {
				return l, nil
			}
		}
		return nil, errors.New(cat.T("ui.cli.no_lesson", "n", n, "max", len(ls)))
	}
	b, err := os.ReadFile(f.lesson)
	if err != nil {
		return nil, errors.New(cat.T("ui.cli.lesson_read", "err", err))
	}
	l, err := lessons.ParseLesson(f.lesson, string(b), f.lang)
	if err != nil {
		return nil, err
	}
	if errs := lessons.Verify(l); len(errs) > 0 {
		return nil, errs[0] // file:line; finwait lessons check lists them all
	}
	return l, nil
}

// openModel opens what the options ask for: a bare scenario, or a lesson
// (the first built-in one when neither is given). progressPath is where
// lesson progress is kept ("" keeps it for this run only).
func openModel(o TUIOptions, progressPath string) (*Model, error) {
	bare := o.Scenario != nil || o.Lesson == nil && o.Sets != nil
	m, err := newModel(o.Scenario, o.Sets, o.Lang)
	if err != nil {
		return nil, err
	}
	m.loadProgress(progressPath)
	if bare {
		return m, nil
	}
	l := o.Lesson
	if l == nil {
		ls, err := lessons.Builtin(m.lang)
		if err != nil {
			return nil, err
		}
		l = ls[0]
	} else if !isBuiltin(l) {
		m.tutor.file = l
	}
	warn, warnErr := m.msg, m.msgErr
	m.tutor.initCmd = m.openLesson(l, 0)
	// The title line names the lesson: the status bar keeps only a
	// progress problem.
	m.msg, m.msgErr = warn, warnErr
	return m, nil
}

// isBuiltin reports whether a lesson is one of the embedded ones.
func isBuiltin(l *lessons.Lesson) bool {
	ls, err := lessons.Builtin(l.Lang)
	if err != nil {
		return false
	}
	for _, b := range ls {
		if b.File == l.File {
			return true
		}
	}
	return false
}
