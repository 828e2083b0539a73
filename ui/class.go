package ui

import (
	"slices"
	"time"

	"finwait/lessons"
	"finwait/model"
)

// Shared is the instructor's run as its followers need it: what the run
// was built from and the actions taken in it, never the screen. The
// engine is deterministic, so a follower that builds the same run and
// syncs to the same actions, step and clock (model.Sim.Sync) sees exactly
// what the instructor sees. Everything it points to is read only.
type Shared struct {
	Seq uint64 // increases with every publication
	// FromLesson: the run is the open lesson step's own run
	// (lessons.StepRun). Otherwise it is model.New(Scenario, Sets, nil).
	FromLesson bool
	Scenario   *model.Scenario
	Sets       []string
	Actions    []model.LoggedAction
	Pos        int           // the run's step
	Now        time.Duration // and its clock, which may be between steps
	Playing    bool
	Speed      int // index in the play speeds

	// The lesson the instructor has open: a built-in one by its id (each
	// follower shows it in its own language), or the instructor's own
	// file, parsed. Step is the step index; Lesson and File are empty when
	// no lesson is open.
	Lesson string
	File   *lessons.Lesson
	Step   int
}

// same reports whether s shows the same run as o, whatever their Seq.
func (s *Shared) same(o *Shared) bool {
	return s.FromLesson == o.FromLesson && s.Scenario == o.Scenario && slices.Equal(s.Sets, o.Sets) &&
		slices.Equal(s.Actions, o.Actions) && s.Pos == o.Pos && s.Now == o.Now && s.Playing == o.Playing &&
		s.Speed == o.Speed && s.Lesson == o.Lesson && s.File == o.File && s.Step == o.Step
}

// FollowMsg brings a student's program the instructor's newest Shared.
type FollowMsg struct{ S Shared }

// StudentStatus is what the instructor's class view shows of a student.
type StudentStatus struct {
	User      string
	Following bool   // false once the student has branched off
	Lesson    string // the lesson the student has open, by id
	Right     int    // first answers right in that lesson
	Questions int    // questions in that lesson
}

// Class connects one session to its classroom (finwait serve): the
// instructor's session publishes its run, students follow it and report
// how they are doing. Its methods must be safe to call from Update and
// must not block: delivery to other sessions happens elsewhere.
type Class interface {
	// Publish is called by the instructor's session whenever its run or
	// lesson changes.
	Publish(Shared)
	// Latest is the newest published run, if the instructor has published.
	Latest() (Shared, bool)
	// Report is called by a student's session when its status changes.
	Report(StudentStatus)
	// Roster lists the students, for the instructor's class view.
	Roster() []StudentStatus
}
