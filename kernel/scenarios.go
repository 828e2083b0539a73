package kernel

import (
	"slices"
	"strconv"
	"time"

	"finwait/model"
)

// scenario is one loss-free scenario that runs both on the kernel (the
// driver in driver_linux.go) and in the engine.
type scenario struct {
	name string
	// engine is the built-in scenario the engine runs; inline is a
	// scenario text for variants without a built-in file.
	engine, inline string
	// sets express the kernel run's per-socket options as engine settings.
	sets []string
	// checks adds the scenario's key comparisons.
	checks func(c *checker)
}

// Linger2 is the TCP_LINGER2 the fin-wait-2-timeout run sets on the
// client (the engine gets fin_timeout=2s).
const Linger2 = 2 * time.Second

// Keepalive settings of the keepalive-alive run (TCP_KEEPIDLE,
// TCP_KEEPINTVL, TCP_KEEPCNT on the client) and how long it runs: longer
// than idle + count x interval, so a peer that did not answer would have
// been declared dead before the end.
const (
	KeepIdle   = time.Second
	KeepIntvl  = time.Second
	KeepCnt    = 3
	keepWindow = 4500 * time.Millisecond
)

var scenarios = []scenario{
	{name: "close", engine: "close", checks: func(c *checker) {
		c.endsIn(model.Client, model.TimeWait)
		c.timer(model.Client, model.TimeWait, trTimeWait, model.TimerTimeWait)
		c.timer(model.Client, model.FinWait2, trTimeWait, model.TimerFinWait2)
		c.seen(model.Server, model.CloseWait)
		c.never(model.Server, model.TimeWait)
	}},
	{name: "server-close", engine: "server-close", checks: func(c *checker) {
		c.endsIn(model.Server, model.TimeWait)
		c.timer(model.Server, model.TimeWait, trTimeWait, model.TimerTimeWait)
		c.seen(model.Client, model.CloseWait)
		c.never(model.Client, model.TimeWait)
	}},
	{name: "three-segment-close", engine: "three-segment-close", checks: func(c *checker) {
		c.endsIn(model.Client, model.TimeWait)
		c.timer(model.Client, model.TimeWait, trTimeWait, model.TimerTimeWait)
		// The server's FIN carries the ACK of the client's FIN: the client
		// goes from FIN-WAIT-1 to TIME-WAIT without a visible FIN-WAIT-2
		// (the kernel passes it inside one softirq, SPEC.md 9).
		c.absent(model.Client, model.FinWait2)
		c.seen(model.Server, model.CloseWait)
		c.never(model.Server, model.TimeWait)
	}},
	{name: "half-close", engine: "half-close", checks: func(c *checker) {
		c.seen(model.Client, model.FinWait2)
		c.noTimer(model.Client, model.FinWait2)
		c.bytesAfterShut()
		c.endsIn(model.Client, model.TimeWait)
		c.timer(model.Client, model.TimeWait, trTimeWait, model.TimerTimeWait)
		c.seen(model.Server, model.CloseWait)
		c.never(model.Server, model.TimeWait)
	}},
	{name: "fin-wait-2-timeout", engine: "fin-wait-2-timeout", sets: []string{"fin_timeout=" + model.FormatDuration(Linger2)}, checks: func(c *checker) {
		c.timer(model.Client, model.FinWait2, trTimeWait, model.TimerFinWait2)
		c.lifetime(model.Client, model.FinWait2)
		c.never(model.Client, model.TimeWait)
		c.seen(model.Server, model.CloseWait)
		c.noTimer(model.Server, model.CloseWait)
		c.outlives(model.Server, model.CloseWait, model.Client)
		c.rst()
		c.never(model.Server, model.TimeWait)
	}},
	{name: "abort", engine: "abort", checks: func(c *checker) {
		c.never(model.Client, model.TimeWait)
		c.never(model.Server, model.TimeWait)
		c.told(model.Client, "ECONNRESET")
		c.rst()
	}},
	{name: "abort-linger", inline: "start established\nat 0 client abort\n", checks: func(c *checker) {
		c.never(model.Client, model.TimeWait)
		c.never(model.Server, model.TimeWait)
		c.told(model.Server, "ECONNRESET")
		c.rst()
	}},
	{name: "keepalive-alive", engine: "keepalive-alive", sets: []string{
		"keepalive=on",
		"keepalive_time=" + model.FormatDuration(KeepIdle),
		"keepalive_intvl=" + model.FormatDuration(KeepIntvl),
		"keepalive_probes=3",
	}, checks: func(c *checker) {
		c.timer(model.Client, model.Established, trKeepalive, model.TimerKeepalive)
		c.probes()
	}},
}

// Scenarios lists the scenarios Compare can run, in teaching order.
func Scenarios() []string {
	out := make([]string, len(scenarios))
	for i, s := range scenarios {
		out[i] = s.name
	}
	return out
}

func findScenario(name string) *scenario {
	for i := range scenarios {
		if scenarios[i].name == name {
			return &scenarios[i]
		}
	}
	return nil
}

// checker builds a report's checks from the two runs.
type checker struct {
	r    *Report
	k, e *runFacts
}

func (c *checker) add(ch Check) { c.r.Checks = append(c.r.Checks, ch) }

// compare aligns each side's states and adds the checks every scenario
// shares: the kernel's states fit the engine's, and the final states agree.
func (c *checker) compare() {
	for side := model.Client; side <= model.Server; side++ {
		rows, ok := Align(&c.e.tracks[side], &c.k.tracks[side])
		c.r.Rows[side] = rows
		c.add(Check{Key: "kernel.check.sequence", Side: side,
			Kernel: c.k.tracks[side].States(), Engine: c.e.tracks[side].States(), OK: ok})
		kf, ef := c.k.tracks[side].Final(), c.e.tracks[side].Final()
		c.add(Check{Key: "kernel.check.final", Side: side, Kernel: kf, Engine: ef, OK: kf == ef})
	}
}

// settled is the last state before CLOSED: the state a side ends in.
func settled(t *Track) model.State {
	for i := len(t.Steps) - 1; i >= 0; i-- {
		if t.Steps[i].State != model.Closed {
			return t.Steps[i].State
		}
	}
	return model.Closed
}

// endsIn: the side's last state before CLOSED is s on both.
func (c *checker) endsIn(side model.Side, s model.State) {
	k, e := settled(&c.k.tracks[side]), settled(&c.e.tracks[side])
	c.add(Check{Key: "kernel.check.ends_in", Side: side, State: s, Kernel: k, Engine: e, OK: k == s && e == s})
}

// seen: a key state both runs must show (the kernel must have sampled it).
func (c *checker) seen(side model.Side, s model.State) {
	k, e := c.k.tracks[side].Has(s), c.e.tracks[side].Has(s)
	c.add(Check{Key: "kernel.check.seen", Side: side, State: s, Kernel: k, Engine: e, OK: k && e})
}

// never: neither run shows s (no TIME-WAIT for the passive closer, none
// after an abort).
func (c *checker) never(side model.Side, s model.State) {
	k, e := c.k.tracks[side].Has(s), c.e.tracks[side].Has(s)
	c.add(Check{Key: "kernel.check.never", Side: side, State: s, Kernel: k, Engine: e, OK: !k && !e})
}

// absent is never for a state the kernel passes too fast to sample: the
// engine must not have it and the sampler must not have seen it.
func (c *checker) absent(side model.Side, s model.State) {
	k, e := c.k.tracks[side].Has(s), c.e.tracks[side].Has(s)
	c.add(Check{Key: "kernel.check.absent", Side: side, State: s, Kernel: k, Engine: e, OK: !k && !e})
}

// timerTolerance is how far a kernel timer may differ from the engine's:
// tm->when counts in 10 ms ticks and is read up to a sampling interval
// late, and a Linux timer fires up to a wheel-level granularity late
// (60 s: up to 4 s; SPEC.md 3.1 and F1 accept 60-62 s).
func timerTolerance(want time.Duration) (lo, hi time.Duration) {
	return want - max(100*time.Millisecond, want/60), want + max(100*time.Millisecond, want/30)
}

// timer: the timer running in state s (kernel tr code, engine kind) has
// the same length on both. The kernel's value is the largest time left
// seen, which is the closest reading to the timer's start.
func (c *checker) timer(side model.Side, s model.State, code int, kind model.TimerKind) {
	var k, e time.Duration
	kOK, eOK := false, false
	if st := c.k.tracks[side].Find(s); st != nil {
		for _, t := range st.Timers {
			if t.Code == code {
				k, kOK = t.Max, true
			}
		}
	}
	if st := c.e.tracks[side].Find(s); st != nil {
		for _, t := range st.Timers {
			if t.Kind == kind {
				e, eOK = t.Left, true
			}
		}
	}
	lo, hi := timerTolerance(e)
	ch := Check{Key: "kernel.check.timer", Side: side, State: s, Kernel: k, Engine: e,
		OK: kOK && eOK && k >= lo && k <= hi}
	if !kOK {
		ch.Kernel = false
	}
	if !eOK {
		ch.Engine = false
	}
	c.add(ch)
}

// noTimer: no timer runs in s (FIN-WAIT-2 after shutdown(SHUT_WR),
// CLOSE-WAIT): the kernel showed tr 0 throughout, the engine started no
// timer but the delayed ACK, which /proc does not show.
func (c *checker) noTimer(side model.Side, s model.State) {
	k, e := true, true
	if st := c.k.tracks[side].Find(s); st != nil {
		k = len(st.Timers) == 0
	} else {
		k = false
	}
	if st := c.e.tracks[side].Find(s); st != nil {
		e = len(st.Timers) == 0
	} else {
		e = false
	}
	c.add(Check{Key: "kernel.check.no_timer", Side: side, State: s, Kernel: k, Engine: e, OK: k && e})
}

// lifetime: how long the side stayed in s before the next state (the
// orphaned FIN-WAIT-2 expiring): the kernel's time matches the engine's.
func (c *checker) lifetime(side model.Side, s model.State) {
	k, kOK := stateLife(&c.k.tracks[side], s)
	e, eOK := stateLife(&c.e.tracks[side], s)
	lo, hi := e-100*time.Millisecond, e+300*time.Millisecond
	ch := Check{Key: "kernel.check.lifetime", Side: side, State: s, Kernel: k, Engine: e,
		OK: kOK && eOK && k >= lo && k <= hi}
	c.add(ch)
}

func stateLife(t *Track, s model.State) (time.Duration, bool) {
	for i := range t.Steps {
		if t.Steps[i].State == s && i+1 < len(t.Steps) && !t.Steps[i+1].Projected {
			return t.Steps[i+1].At - t.Steps[i].At, true
		}
	}
	return 0, false
}

// outlives: side's state s is still there after the other side has gone
// (a CLOSE-WAIT without close() outlives the peer's orphaned FIN-WAIT-2).
func (c *checker) outlives(side model.Side, s model.State, other model.Side) {
	f := func(r *runFacts) bool {
		st := r.tracks[side].Find(s)
		o := &r.tracks[other]
		if st == nil || len(o.Steps) == 0 || o.Final() != model.Closed {
			return false
		}
		gone := o.Steps[len(o.Steps)-1].At
		end := st.Last
		for i := range r.tracks[side].Steps {
			if &r.tracks[side].Steps[i] == st && i+1 < len(r.tracks[side].Steps) {
				end = max(end, r.tracks[side].Steps[i+1].At)
			}
		}
		return end > gone
	}
	k, e := f(c.k), f(c.e)
	c.add(Check{Key: "kernel.check.outlives", Side: side, State: s, Kernel: k, Engine: e, OK: k && e})
}

// told: the side's application saw errno (ECONNRESET after an abort).
func (c *checker) told(side model.Side, errno string) {
	k, e := slices.Contains(c.k.seen[side], errno), slices.Contains(c.e.seen[side], errno)
	c.add(Check{Key: "kernel.check.told", Side: side, Kernel: firstErr(c.k.seen[side]), Engine: firstErr(c.e.seen[side]), OK: k && e})
}

func firstErr(seen []string) string {
	for _, s := range seen {
		if s != "EOF" {
			return s
		}
	}
	if len(seen) > 0 {
		return seen[0]
	}
	return "-"
}

// rst: both runs sent a RST. The kernel's count is the namespace's
// OutRsts counter, so it can only be too high, never too low: the check
// asks for at least one on each.
func (c *checker) rst() {
	c.add(Check{Key: "kernel.check.rst", Kernel: c.k.rsts, Engine: c.e.rsts, OK: c.k.rsts > 0 && c.e.rsts > 0})
}

// bytesAfterShut: the client read the server's data after its own
// shutdown(SHUT_WR) (half-close: data still flows the other way).
func (c *checker) bytesAfterShut() {
	c.add(Check{Key: "kernel.check.half_close_data", Side: model.Client, Kernel: c.k.bytesAfterShut, Engine: c.e.bytesAfterShut,
		OK: c.k.bytesAfterShut > 0 && c.k.bytesAfterShut == c.e.bytesAfterShut})
}

// probes: keepalive probes sent in the same window agree within one (a
// Linux timer may fire a little late), and at least two were sent (so at
// least one was answered before the connection could have died).
func (c *checker) probes() {
	d := c.k.probes - c.e.probes
	c.add(Check{Key: "kernel.check.probes", Side: model.Client, Kernel: c.k.probes, Engine: c.e.probes,
		OK: c.k.probes >= 2 && d >= -1 && d <= 1})
}

// profileSysctls lists the sysctls Sysctls reads, with the linux
// profile's values in the units /proc/sys uses.
func profileSysctls() []Sysctl {
	p := model.Linux()
	secs := func(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }
	ts := "0"
	if p.Timestamps {
		ts = "1"
	}
	return []Sysctl{
		{Name: "tcp_fin_timeout", Profile: secs(p.FinTimeout), Param: "fin_timeout"},
		{Name: "tcp_tw_reuse", Profile: strconv.Itoa(p.TWReuse), Param: "tw_reuse"},
		{Name: "tcp_keepalive_time", Profile: secs(p.KeepaliveTime), Param: "keepalive_time"},
		{Name: "tcp_keepalive_intvl", Profile: secs(p.KeepaliveIntvl), Param: "keepalive_intvl"},
		{Name: "tcp_keepalive_probes", Profile: strconv.Itoa(p.KeepaliveProbe), Param: "keepalive_probes"},
		{Name: "ip_local_port_range", Profile: strconv.Itoa(p.PortLo) + " " + strconv.Itoa(p.PortHi), Param: "port_range"},
		{Name: "tcp_max_tw_buckets", Profile: strconv.Itoa(p.MaxTWBuckets), Param: "max_tw_buckets"},
		{Name: "tcp_timestamps", Profile: ts, Param: "timestamps"},
	}
}
