package ui

import "finwait/lessons"

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
