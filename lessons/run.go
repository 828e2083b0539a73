package lessons

import (
	"strconv"
	"strings"
	"time"

	"finwait/model"
)

// Checkpoint is where a step stops. Written forms:
//
//	start                          before anything happens
//	here                           where the previous step stopped
//	end                            when nothing more will happen
//	10s                            at a virtual time
//	client enters TIME-WAIT        a state change
//	server sends FIN               a segment leaves (SYN, FIN, RST, DATA, ACK, PROBE)
//	server resends FIN             a retransmission leaves
//	client sees ETIMEDOUT          the application is told (EOF, DATA, ECONNRESET, ...)
//	segment lost | segment expires a segment is dropped or dies of old age
//
// Without a count, a checkpoint is the next time it happens after the
// previous step's checkpoint. With "#N" it is the Nth time since the start
// of the run, e.g. "server sends FIN #2".
type Checkpoint struct {
	Kind  string // start, end, time, enters, sends, resends, sees, lost, expires
	Side  model.Side
	State model.State
	What  string
	At    time.Duration
	Nth   int
	Abs   bool // Nth counts from the start of the run
}

// ParseCheckpoint reads the text of an until: line.
func ParseCheckpoint(s string) (Checkpoint, error) {
	cp := Checkpoint{Nth: 1}
	f := strings.Fields(s)
	if n := len(f); n > 0 && strings.HasPrefix(f[n-1], "#") {
		k, err := strconv.Atoi(f[n-1][1:])
		if err != nil || k < 1 {
			return cp, msg("lesson.err.occurrence", "value", strconv.Quote(f[n-1]))
		}
		cp.Nth, cp.Abs = k, true
		f = f[:n-1]
	}
	bad := func() (Checkpoint, error) {
		return cp, msg("lesson.err.checkpoint", "value", strconv.Quote(s))
	}
	switch {
	case len(f) == 1 && (f[0] == "start" || f[0] == "end" || f[0] == "here"):
		cp.Kind = f[0]
		return cp, nil
	case len(f) == 1:
		d, err := model.ParseDuration(f[0])
		if err != nil {
			return bad()
		}
		cp.Kind, cp.At = "time", d
		return cp, nil
	case len(f) == 2 && f[0] == "segment" && (f[1] == "lost" || f[1] == "expires"):
		cp.Kind = f[1]
		return cp, nil
	case len(f) == 3:
		side, ok := model.ParseSide(f[0])
		if !ok {
			return bad()
		}
		cp.Side = side
		switch f[1] {
		case "enters":
			st, ok := model.ParseState(f[2])
			if !ok {
				return cp, msg("lesson.err.state", "value", strconv.Quote(f[2]))
			}
			cp.Kind, cp.State = "enters", st
		case "sends", "resends":
			w := strings.ToUpper(f[2])
			switch w {
			case "SYN", "FIN", "RST", "DATA", "ACK", "PROBE":
			default:
				return cp, msg("lesson.err.segment_kind", "value", strconv.Quote(f[2]))
			}
			cp.Kind, cp.What = f[1], w
		case "sees":
			cp.Kind, cp.What = "sees", strings.ToUpper(f[2])
		default:
			return bad()
		}
		return cp, nil
	}
	return bad()
}

// matches reports whether a trace event reaches the checkpoint.
func (cp *Checkpoint) matches(e *model.Event) bool {
	switch cp.Kind {
	case "enters":
		return e.Kind == model.EvState && e.Side == cp.Side && e.To == cp.State
	case "sends", "resends":
		if e.Kind != model.EvSend || e.Seg.From != cp.Side || (cp.Kind == "resends") != (e.Seg.Retrans > 0) {
			return false
		}
		if cp.What == "PROBE" {
			return e.Seg.Probe
		}
		if cp.What == "FIN" {
			return e.Seg.Flags&model.FIN != 0
		}
		return e.Seg.Kind() == cp.What
	case "sees":
		return e.Kind == model.EvNotify && e.Side == cp.Side && e.Detail == cp.What
	case "lost":
		return e.Kind == model.EvDrop
	case "expires":
		return e.Kind == model.EvExpire
	}
	return false
}

// maxCheckpointSteps bounds the search for a checkpoint.
const maxCheckpointSteps = 5_000_000

// RunTo steps sim until the checkpoint is reached (counting occurrences
// from trace index from) and returns an error if it never is.
func RunTo(sim *model.Sim, cp Checkpoint, from int) error {
	r := &runner{sim: sim, from: from, hits: map[Checkpoint]*cpHits{}}
	return r.runTo(cp)
}

// StepRun builds the simulation of step i of a lesson, positioned at its
// checkpoint: it restarts the scenario where the step's run begins and
// replays the checkpoints of the earlier steps of the same run. It also
// returns where the step began (the previous checkpoint's position) so
// that a user interface can play the step from there.
func StepRun(l *Lesson, i int) (sim *model.Sim, startPos int, err error) {
	if i < 0 || i >= len(l.Steps) {
		return nil, 0, msg("lesson.err.no_step", "id", l.ID, "n", i+1)
	}
	first := runStart(l, i)
	r, err := newRunner(l, first)
	if err != nil {
		return nil, 0, err
	}
	for j := first; j <= i; j++ {
		if j == i {
			startPos = r.sim.Pos()
		}
		if err := r.play(l, j); err != nil {
			return nil, 0, err
		}
	}
	return r.sim, startPos, nil
}

// Verify runs every step of a lesson to its checkpoint and evaluates its
// checks; it returns every failure with its file:line. Each run (the steps
// in a row with the same scenario, settings and faults) is played once,
// step after step, so checking a lesson costs time in proportion to its
// steps; a step whose checkpoint is not reached ends its run (the steps
// after it in the run cannot be reached either).
func Verify(l *Lesson) []error {
	var errs []error
	for first := 0; first < len(l.Steps); {
		last := first
		for last+1 < len(l.Steps) && l.Steps[last+1].restartKey() == l.Steps[first].restartKey() {
			last++
		}
		errs = append(errs, verifyRun(l, first, last)...)
		first = last + 1
	}
	return errs
}

// verifyRun plays steps first to last, one run, and evaluates their checks.
func verifyRun(l *Lesson, first, last int) []error {
	r, err := newRunner(l, first)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for j := first; j <= last; j++ {
		if err := r.play(l, j); err != nil {
			return append(errs, err)
		}
		for _, c := range l.Steps[j].Checks {
			if err := evalCheck(r.sim, c.Expr, &r.sent); err != nil {
				errs = append(errs, &LessonError{File: l.File, Line: c.Line, Err: err})
			}
		}
	}
	return errs
}

// A check is one claim, evaluated at the checkpoint:
//
//	client is TIME-WAIT            the side's state
//	client SND.NXT = 1002          a sequence variable (SND.UNA, SND.NXT, RCV.NXT, ISS, IRS)
//	t = 60.09s                     the virtual time (also <, >, <=, >=)
//	server sent FIN = 2            segments of a kind the side has sent so far (SYN FIN RST DATA ACK PROBE RETRANS)
//	client saw ETIMEDOUT           the application was told (EOF, ECONNRESET, ...)
//	client timer time-wait = 60s   time left on a running timer
//	client has no timer time-wait
//	failures > 0                   connect() failures (host runs); also reuses, timewait
//	client read old data           the application received bytes of an earlier connection
//	client did not read old data
type checkExpr struct {
	side  model.Side
	what  string // is, var, time, sent, saw, timer, notimer, count, olddata, noolddata
	name  string
	op    string
	value string
}

func parseCheck(s string) (checkExpr, error) {
	f := strings.Fields(s)
	bad := func(why string) (checkExpr, error) {
		return checkExpr{}, msg("lesson.err.check", "check", strconv.Quote(s), "why", msg(why))
	}
	if len(f) == 3 && f[0] == "t" {
		if _, err := model.ParseDuration(f[2]); err != nil || !isOp(f[1]) {
			return bad("lesson.check.time")
		}
		return checkExpr{what: "time", op: f[1], value: f[2]}, nil
	}
	if len(f) == 3 && (f[0] == "failures" || f[0] == "reuses" || f[0] == "timewait") {
		if _, err := strconv.Atoi(f[2]); err != nil || !isOp(f[1]) {
			return bad("lesson.check.count")
		}
		return checkExpr{what: "count", name: f[0], op: f[1], value: f[2]}, nil
	}
	if len(f) < 3 {
		return bad("lesson.check.short")
	}
	side, ok := model.ParseSide(f[0])
	if !ok {
		return bad("lesson.check.side")
	}
	c := checkExpr{side: side}
	switch {
	case len(f) == 3 && f[1] == "is":
		if _, ok := model.ParseState(f[2]); !ok {
			return bad("lesson.check.state")
		}
		c.what, c.value = "is", f[2]
	case len(f) == 4 && isOp(f[2]) && isVar(f[1]):
		if _, err := strconv.ParseUint(f[3], 10, 32); err != nil {
			return bad("lesson.check.var")
		}
		c.what, c.name, c.op, c.value = "var", strings.ToUpper(f[1]), f[2], f[3]
	case len(f) == 5 && f[1] == "sent" && isOp(f[3]):
		if _, err := strconv.Atoi(f[4]); err != nil {
			return bad("lesson.check.sent")
		}
		c.what, c.name, c.op, c.value = "sent", strings.ToUpper(f[2]), f[3], f[4]
	case len(f) == 3 && f[1] == "saw":
		c.what, c.value = "saw", strings.ToUpper(f[2])
	case len(f) == 5 && f[1] == "timer" && isOp(f[3]):
		if _, err := model.ParseDuration(f[4]); err != nil {
			return bad("lesson.check.timer")
		}
		c.what, c.name, c.op, c.value = "timer", f[2], f[3], f[4]
	case len(f) == 4 && f[1] == "has" && f[2] == "no" && f[3] != "":
		return bad("lesson.check.notimer")
	case len(f) == 5 && f[1] == "has" && f[2] == "no" && f[3] == "timer":
		c.what, c.name = "notimer", f[4]
	case len(f) == 4 && f[1] == "read" && f[2] == "old" && f[3] == "data":
		c.what = "olddata"
	case len(f) == 6 && f[1] == "did" && f[2] == "not" && f[3] == "read" && f[4] == "old" && f[5] == "data":
		c.what = "noolddata"
	default:
		return bad("lesson.check.unknown")
	}
	return c, nil
}

func isOp(s string) bool {
	switch s {
	case "=", "<", ">", "<=", ">=", "!=":
		return true
	}
	return false
}

func isVar(s string) bool {
	switch strings.ToUpper(s) {
	case "SND.UNA", "SND.NXT", "RCV.NXT", "ISS", "IRS":
		return true
	}
	return false
}

func compare(got, want int64, op string) bool {
	switch op {
	case "=":
		return got == want
	case "!=":
		return got != want
	case "<":
		return got < want
	case ">":
		return got > want
	case "<=":
		return got <= want
	case ">=":
		return got >= want
	}
	return false
}

// EvalCheck evaluates one check against a run at its checkpoint.
func EvalCheck(sim *model.Sim, s string) error { return evalCheck(sim, s, &sentCount{}) }

// evalCheck is EvalCheck counting segments sent with sent, which may have
// counted an earlier part of the same trace.
func evalCheck(sim *model.Sim, s string, sent *sentCount) error {
	c, err := parseCheck(s)
	if err != nil {
		return err
	}
	ep, _ := sim.Endpoint(c.side)
	mismatch := func(got any) error { return msg("lesson.err.mismatch", "check", strconv.Quote(s), "got", got) }
	switch c.what {
	case "is":
		want, _ := model.ParseState(c.value)
		if ep.State != want {
			return mismatch(ep.State)
		}
	case "var":
		var got uint32
		switch c.name {
		case "SND.UNA":
			got = ep.SndUna
		case "SND.NXT":
			got = ep.SndNxt
		case "RCV.NXT":
			got = ep.RcvNxt
		case "ISS":
			got = ep.ISS
		case "IRS":
			got = ep.IRS
		}
		want, _ := strconv.ParseUint(c.value, 10, 32)
		if !compare(int64(got), int64(want), c.op) {
			return mismatch(got)
		}
	case "time":
		want, _ := model.ParseDuration(c.value)
		if !compare(int64(sim.Now()), int64(want), c.op) {
			return mismatch(model.FormatDuration(sim.Now()))
		}
	case "sent":
		n := sent.count(sim, c.side, c.name)
		want, _ := strconv.Atoi(c.value)
		if !compare(int64(n), int64(want), c.op) {
			return mismatch(n)
		}
	case "saw":
		for _, x := range ep.Seen {
			if x == c.value {
				return nil
			}
		}
		return mismatch(ep.Seen)
	case "timer", "notimer":
		var left time.Duration = -1
		for _, t := range sim.Timers(c.side) {
			if t.Kind.String() == c.name {
				left = t.At - sim.Now()
			}
		}
		if c.what == "notimer" {
			if left >= 0 {
				return mismatch(msg("lesson.got.left", "dur", model.FormatDuration(left)))
			}
			return nil
		}
		want, _ := model.ParseDuration(c.value)
		if left < 0 || !compare(int64(left), int64(want), c.op) {
			return mismatch(model.FormatDuration(left))
		}
	case "count":
		cur := sim.Current()
		got := map[string]int{"failures": cur.Failures, "reuses": cur.Reuses, "timewait": cur.TimeWaitTW}[c.name]
		want, _ := strconv.Atoi(c.value)
		if !compare(int64(got), int64(want), c.op) {
			return mismatch(got)
		}
	case "olddata", "noolddata":
		old := false
		for _, ch := range ep.Received {
			old = old || ch.Conn != ep.Conn
		}
		if old != (c.what == "olddata") {
			return mismatch(old)
		}
	}
	return nil
}
