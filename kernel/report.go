package kernel

import (
	"time"

	"finwait/lessons"
	"finwait/model"
)

// Report is one scenario run on the kernel and in the engine, side by side.
type Report struct {
	Scenario string
	// Release is the kernel release (/proc/sys/kernel/osrelease).
	Release string
	// Ports are the kernel run's ports, by side (model.Client, model.Server).
	Ports [2]uint16
	// Sets are the engine settings used on top of the linux profile: the
	// scenario's per-socket options expressed as engine parameters.
	Sets []string
	// Options names the per-socket options the kernel run set (message
	// keys of the catalogue, e.g. kernel.opt.linger2).
	Options []Option
	// Kernel and Engine are each side's states, indexed by model.Side.
	Kernel, Engine [2]Track
	// Rows line the two up per side (see Align).
	Rows [2][]Row
	// Checks are the scenario's comparisons; all OK means the engine
	// agrees with the kernel.
	Checks []Check
	// Interval is the mean time between samples of /proc/net/tcp;
	// Samples the number of samples taken.
	Interval time.Duration
	Samples  int
	// Elapsed is the kernel run's wall time.
	Elapsed time.Duration
}

// Option is a per-socket option the kernel run set, as a catalogue key
// with its placeholders.
type Option struct {
	Side model.Side
	Key  string
	Args []any
}

// OK reports whether every check passed.
func (r *Report) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Track is one side's sequence of distinct states.
type Track struct {
	Side  model.Side
	Steps []Step
}

// Step is one state a side was in.
type Step struct {
	State model.State
	// At is when the state was entered (engine: virtual time; kernel:
	// first sample showing it, wall time since the scenario's time 0).
	At time.Duration
	// Last is, for the kernel, the last sample that showed the state.
	Last time.Duration
	// Code is the /proc "st" code (kernel only, 0 for CLOSED: gone).
	Code int
	// Timers are the timers seen while in the state.
	Timers []Timer
	// Projected: the kernel's CLOSED was not observed but follows from a
	// running timewait timer (tr 3), at At = its expiry.
	Projected bool
}

// Timer is a timer seen in a state.
type Timer struct {
	// Kernel: the /proc tr code (1..4); Engine: 0.
	Code int
	// Engine: the engine's timer; Kernel: model.TimerNone.
	Kind model.TimerKind
	// Left is the time left when first seen (kernel) or the duration it
	// was started with (engine); Max is the largest value seen.
	Left, Max time.Duration
	// At is when it was first seen or started.
	At time.Duration
	// Arms counts (re)starts: engine timer starts, or kernel samples where
	// the time left jumped up.
	Arms int
}

// Row is one line of the side-by-side view: an engine step and the kernel
// step matched to it. Either may be nil: a nil Kernel is a state the
// sampler did not see; a nil Engine is a kernel state the engine lacks.
type Row struct {
	Engine, Kernel *Step
}

// Check is one comparison between the kernel and the engine.
type Check struct {
	// Key is the catalogue key of the sentence saying what is checked.
	Key  string
	Side model.Side
	// State is the state the check is about, when there is one.
	State model.State
	// Kernel and Engine are the values seen: a model.State, a
	// []model.State, a time.Duration, an int, a bool or a string (an errno
	// name).
	Kernel, Engine any
	OK             bool
}

// States returns the track's states in order.
func (t *Track) States() []model.State {
	out := make([]model.State, len(t.Steps))
	for i, s := range t.Steps {
		out[i] = s.State
	}
	return out
}

// Final is the last state (CLOSED for an empty track).
func (t *Track) Final() model.State {
	if len(t.Steps) == 0 {
		return model.Closed
	}
	return t.Steps[len(t.Steps)-1].State
}

// Find returns the first step in state s.
func (t *Track) Find(s model.State) *Step {
	for i := range t.Steps {
		if t.Steps[i].State == s {
			return &t.Steps[i]
		}
	}
	return nil
}

// Has reports whether the track ever shows state s.
func (t *Track) Has(s model.State) bool { return t.Find(s) != nil }

// Align matches the kernel's states to the engine's in order (greedy
// subsequence match). It reports whether every kernel state found a
// place: the kernel may skip engine states (the sampler misses short
// ones) but must not show a state the engine lacks or show them in
// another order.
func Align(engine, kernel *Track) ([]Row, bool) {
	var rows []Row
	ok := true
	e := 0
	for ki := range kernel.Steps {
		k := &kernel.Steps[ki]
		j := e
		for j < len(engine.Steps) && engine.Steps[j].State != k.State {
			j++
		}
		if j == len(engine.Steps) {
			rows = append(rows, Row{Kernel: k})
			ok = false
			continue
		}
		for ; e < j; e++ {
			rows = append(rows, Row{Engine: &engine.Steps[e]})
		}
		rows = append(rows, Row{Engine: &engine.Steps[j], Kernel: k})
		e = j + 1
	}
	for ; e < len(engine.Steps); e++ {
		rows = append(rows, Row{Engine: &engine.Steps[e]})
	}
	return rows, ok
}

// Error is a failure whose text comes from the message catalogue.
type Error struct {
	Key  string
	Args []any
	Err  error
}

// ErrNotLinux is returned where the kernel comparison cannot run.
var ErrNotLinux = &Error{Key: "kernel.err.not_linux"}

func (e *Error) Error() string { return e.Text("en") }

// Text is the message in lang ("en", "zh").
func (e *Error) Text(lang string) string {
	args := append([]any(nil), e.Args...)
	if e.Err != nil {
		args = append(args, "err", e.Err.Error())
	}
	return lessons.Messages(lang).T(e.Key, args...)
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotLinux) work on copies.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Key == e.Key && t.Args == nil && t.Err == nil
}

// Sysctl is one of this machine's net.ipv4 settings next to the linux
// profile's default.
type Sysctl struct {
	Name string // e.g. "tcp_fin_timeout"
	// Value is what /proc/sys/net/ipv4/NAME holds (whitespace collapsed),
	// empty when it cannot be read (Err says why).
	Value string
	// Profile is the linux profile's value in the same units.
	Profile string
	// Param is the engine parameter that models it.
	Param string
	Err   error
}

// Same reports whether the machine matches the profile.
func (s *Sysctl) Same() bool { return s.Err == nil && s.Value == s.Profile }
