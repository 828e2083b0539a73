package cli

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"finwait/lessons"
	"finwait/model"
	"finwait/ui"
)

// runTUI is finwait without a command: the interactive view, at a lesson
// (--lesson, lesson 1 by default) or on a scenario (--scenario). Every
// file is read and checked here, so that a mistake is said with its
// file:line before the screen is taken.
func runTUI(e *env) int {
	f, cat := e.f, e.cat
	if f.version {
		return runVersion(&env{f: flags{lang: f.lang}, cat: cat, stdout: e.stdout, stderr: e.stderr})
	}
	if len(f.rest) > 0 {
		return fail(e.stderr, f.lang, errors.New(cat.T("cli.err.unknown_command", "cmd", strconv.Quote(f.rest[0]))))
	}
	o := ui.TUIOptions{Sets: f.sets, Lang: f.lang, Present: f.present, Narrate: f.narrate}
	if f.lesson != "" {
		l, err := lessonFlag(f)
		if err != nil {
			fmt.Fprintln(e.stderr, cat.T("cli.error", "err", lessons.ErrorText(cat, err)))
			return exitUsage
		}
		o.Lesson = l
	}
	if f.scenario != "" {
		sc, err := lessons.LoadScenario(f.scenario)
		if err != nil {
			return fail(e.stderr, f.lang, err)
		}
		if _, err := model.New(sc, f.sets, nil); err != nil {
			return fail(e.stderr, f.lang, err)
		}
		o.Scenario = sc
	} else if f.sets != nil {
		sc, _ := lessons.BuiltinScenario("close")
		if _, err := model.New(sc, f.sets, nil); err != nil {
			return fail(e.stderr, f.lang, err)
		}
	}
	return ui.RunTUI(o, e.term, e.stderr)
}

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
