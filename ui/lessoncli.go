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
