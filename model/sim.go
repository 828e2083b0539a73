package model

import (
	"sort"
	"time"
)

// Sim is one run of a scenario: the engine plus its history, so that any
// earlier step can be restored exactly.
type Sim struct {
	w     *world
	sc    *Scenario
	end   time.Duration
	snaps []snap
	log   []logged
	li    int  // next log entry to apply when stepping forward
	every int  // steps between snapshots of a small run
	dense bool // the user has rewound: snapshot densely from now on
	smp   time.Duration
}

type snap struct {
	pos  int
	w    *world
	size int // live sockets in the snapshot, for the memory budget
}

type logged struct {
	pos int
	at  time.Duration
	a   Action
}

// DefaultEnd bounds a run whose scenario sets no end.
const DefaultEnd = 1000 * time.Hour

// New prepares a run of sc. sets are "name=value" overrides applied after
// the scenario's own settings; rules are extra fault rules.
func New(sc *Scenario, sets []string, rules []FaultRule) (*Sim, error) {
	p, err := sc.params(sets)
	if err != nil {
		return nil, err
	}
	w := &world{p: p, main: [2]int32{-1, -1}, traceTo: 1 << 30, rng: rng{s: p.Seed}}
	if sc.Load.Count > 0 {
		w.traceTo = sc.TraceConns
		w.load = sc.Load
	}
	w.hosts[Client].init(&w.p, true)
	w.hosts[Server].init(&w.p, false)
	w.hosts[Client].tsOff = 100000
	w.hosts[Server].tsOff = 700000
	w.hosts[Client].ka = p.Keepalive
	w.rules = append(w.rules, sc.Rules...)
	w.rules = append(w.rules, rules...)
	w.trig = append(w.trig, sc.Triggers...)
	for _, s := range sc.Sides {
		if s.noread {
			w.hosts[s.side].noread = true
		}
		if s.keepalive {
			w.hosts[s.side].ka = true
		}
	}
	switch sc.Start {
	case StartEstablished:
		w.establish()
	case StartListen:
		if err := w.apply(Action{Kind: ActListen, Side: Server}); err != nil {
			return nil, err
		}
	}
	if w.load.Count > 0 {
		w.hosts[Server].listening = true
		w.push(qitem{at: 0, kind: qLoad})
	}
	w.scheduleTimed(sc.Timed)
	s := &Sim{w: w, sc: sc, end: sc.End, every: 256}
	if s.end == 0 {
		s.end = DefaultEnd
	}
	if w.load.Count > 0 {
		s.smp = sc.SampleEvery
		if s.smp == 0 {
			s.smp = 100 * time.Millisecond
		}
		w.samples = append(w.samples, w.sample(0))
		w.nextSmp = s.smp
	}
	s.snaps = []snap{{pos: 0, w: w.clone()}}
	return s, nil
}

// establish creates connection 1 already ESTABLISHED on both sides, as if
// it had carried a request and its response: Linux is then out of
// quick-ACK mode, so a FIN is ACKed after the delayed-ACK time (SPEC.md A4).
// Each endpoint's birth is recorded as row S, from CLOSED, like any change.
func (w *world) establish() {
	w.nextCon = 1
	ci := w.newEndpoint(Client, 1, Closed).index
	si := w.newEndpoint(Server, 1, Closed).index
	// Both exist now: the pointers stay valid (newEndpoint may grow w.eps).
	c, s := &w.eps[ci], &w.eps[si]
	c.Lport, c.Rport = ClientPort, ServerPort
	s.Lport, s.Rport = ServerPort, ClientPort
	c.ISS, s.ISS = w.isn(Client), w.isn(Server)
	for _, e := range []*Endpoint{c, s} {
		e.SndUna, e.SndNxt = e.ISS+1, e.ISS+1
		e.delack = true
		e.tsOK = w.p.Timestamps
		e.tsStamp = w.p.Timestamps
		e.SRTT = 2 * w.p.Delay
		e.rttvar = w.p.Delay
		e.rttSeen = true
		e.RTO = w.rto(e)
		e.Keepalive = w.hosts[e.Host].ka
		e.AutoRead = !w.hosts[e.Host].noread
		w.hosts[e.Host].bind(w, e)
		w.setMain(e)
	}
	c.IRS, s.IRS = s.ISS, c.ISS
	c.RcvNxt, s.RcvNxt = s.SndNxt, c.SndNxt
	c.tsRecent, s.tsRecent = w.tsval(Server), w.tsval(Client)
	w.hosts[Server].listening = true
	w.setState(c, RuleS, "")
	w.setState(s, RuleS, "")
	w.startKeepalive(c)
	w.startKeepalive(s)
}

// Err reports the first state change the engine attempted that the
// transition table does not allow (a *TransitionError), or nil. The change
// was refused and the run went on without it; a non-nil Err is a bug in the
// engine, which the tests look for after every run.
func (s *Sim) Err() error {
	if s.w.err == nil {
		return nil
	}
	return s.w.err
}

// Scenario returns the scenario being run.
func (s *Sim) Scenario() *Scenario { return s.sc }

// Now is the virtual time.
func (s *Sim) Now() time.Duration { return s.w.now }

// Pos is the number of steps taken; Rewind(Pos()-1) goes one step back.
func (s *Sim) Pos() int { return s.w.pos }

// End is the time after which the run stops.
func (s *Sim) End() time.Duration { return s.end }

// Params returns the settings in force now.
func (s *Sim) Params() Params { return s.w.p }

// Trace is every event so far. The slice is shared: do not modify it.
func (s *Sim) Trace() []Event { return s.w.trace }

// Samples is the per-state chart of a host run (empty otherwise).
func (s *Sim) Samples() []Sample { return s.w.samples }

// Current returns the counts right now, as a sample.
func (s *Sim) Current() Sample { return s.w.sample(s.w.now) }

// Endpoint returns a copy of the endpoint shown in a side's column, or
// ok=false when that side has no socket.
func (s *Sim) Endpoint(side Side) (Endpoint, bool) {
	ep := s.w.mainEp(side)
	if ep == nil {
		return Endpoint{State: Closed, Host: side}, false
	}
	return *ep, true
}

// HostDown reports whether a host is powered off.
func (s *Sim) HostDown(side Side) bool { return s.w.hosts[side].down }

// Timers lists a side's running timers, soonest first.
func (s *Sim) Timers(side Side) []TimerView {
	ep := s.w.mainEp(side)
	if ep == nil {
		return nil
	}
	var out []TimerView
	for k := TimerRetransmit; k < numTimers; k++ {
		t := ep.timers[k]
		if t.armed {
			out = append(out, TimerView{Kind: k, At: t.at, Started: t.start, Count: timerCount(ep, k)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// Flights lists the segments on the link now, oldest first.
func (s *Sim) Flights() []Flight {
	var out []Flight
	for _, f := range s.w.flights {
		if f.live && f.Seg.Conn <= s.w.traceTo {
			out = append(out, f.Flight)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seg.ID < out[j].Seg.ID })
	return out
}

// NextAt is the time of the next event, if any is due before the end.
func (s *Sim) NextAt() (time.Duration, bool) {
	it, ok := s.w.peek()
	if !ok || it.at > s.end {
		return 0, false
	}
	return it.at, true
}

// Done reports whether nothing more will happen.
func (s *Sim) Done() bool {
	_, ok := s.NextAt()
	return !ok
}

func (w *world) live(it qitem) bool {
	switch it.kind {
	case qFlight:
		f := &w.flights[it.a]
		return f.live && f.gen == it.gen
	case qTimer:
		ep := &w.eps[it.a]
		t := &ep.timers[it.tk]
		return ep.live && t.armed && t.gen == it.gen
	case qClose:
		ep := &w.eps[it.a]
		return ep.live && uint32(ep.Conn) == it.gen
	}
	return true
}

// Step processes the next event. It returns false when nothing is left
// before the end of the run.
func (s *Sim) Step() bool {
	if _, ok := s.NextAt(); !ok {
		return false
	}
	w := s.w
	it := w.next()
	s.sampleTo(it.at)
	w.now = it.at
	w.pos++
	w.process(it)
	s.afterStep()
	return true
}

func (s *Sim) sampleTo(t time.Duration) {
	w := s.w
	for s.smp > 0 && w.nextSmp <= t {
		w.samples = append(w.samples, w.sample(w.nextSmp))
		w.nextSmp += s.smp
	}
}

// afterStep takes a snapshot when one is due (before the user's actions at
// this step: Rewind replays those from the log), then replays the actions
// recorded at this step.
func (s *Sim) afterStep() {
	s.snapshot()
	for s.li < len(s.log) && s.log[s.li].pos == s.w.pos {
		l := s.log[s.li]
		s.w.now = l.at
		_ = s.w.apply(l.a)
		s.li++
	}
}

func (w *world) process(it qitem) {
	switch it.kind {
	case qFlight:
		w.arrive(it.a)
	case qTimer:
		w.onTimer(&w.eps[it.a], it.tk)
	case qAction, qTimed:
		a := w.scheduled(it)
		if err := w.apply(a); err != nil {
			key := "err.unknown"
			if ae, ok := err.(*ActionError); ok {
				key = ae.Key
			}
			w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvApp, Side: a.Side, Detail: a.String(), Note: key})
		}
	case qLoad:
		w.loadN++
		w.connect(false)
		if w.loadN < w.load.Count {
			w.push(qitem{at: w.now + w.load.Every, kind: qLoad})
		}
	case qClose:
		ep := &w.eps[it.a]
		w.emit(ep, Event{Kind: EvApp, Detail: "close", Note: "app.close"})
		w.closeEp(ep)
	}
}

// AdvanceTo processes every event up to t and moves the clock to t, for
// animation: countdowns move between events.
func (s *Sim) AdvanceTo(t time.Duration) {
	for {
		at, ok := s.NextAt()
		if !ok || at > t {
			break
		}
		s.Step()
	}
	if t > s.end {
		t = s.end
	}
	if t > s.w.now {
		s.w.now = t
	}
}

// Run steps until the end or until max steps; it returns the steps taken.
func (s *Sim) Run(max int) int {
	n := 0
	for n < max && s.Step() {
		n++
	}
	return n
}

// Apply does an action now, at the current step, and records it so that
// rewinding and stepping forward again replays it. Everything the run had
// recorded after this point is forgotten: the future is rewritten.
func (s *Sim) Apply(a Action) error {
	s.truncateFuture()
	if err := s.w.apply(a); err != nil {
		return err
	}
	s.log = append(s.log, logged{pos: s.w.pos, at: s.w.now, a: a})
	s.li = len(s.log)
	return nil
}

// StepOf returns the trace index range [from, to) of the events of step pos.
func (s *Sim) StepOf(pos int) (from, to int) {
	tr := s.w.trace
	from = sort.Search(len(tr), func(i int) bool { return tr[i].Step >= pos })
	to = sort.Search(len(tr), func(i int) bool { return tr[i].Step > pos })
	return
}

// Trigger runs an action when something happens to a side's connection.
type Trigger struct {
	Side   Side
	On     string // "eof", "established"
	After  time.Duration
	Action Action
}

// fire runs the triggers for an event on ep, or the load generator's
// policy in a host run.
func (w *world) fire(ep *Endpoint, on string) {
	if w.load.Count > 0 {
		closer := w.load.Closer
		switch {
		case on == "established" && ep.Host == closer:
			if w.load.Hold == 0 {
				w.emit(ep, Event{Kind: EvApp, Detail: "close", Note: "app.close"})
				w.closeEp(ep)
			} else {
				w.push(qitem{at: w.now + w.load.Hold, kind: qClose, a: ep.index, gen: uint32(ep.Conn)})
			}
		case on == "eof" && ep.Host != closer:
			w.emit(ep, Event{Kind: EvApp, Detail: "close", Note: "app.close"})
			w.closeEp(ep)
		}
		return
	}
	if w.main[ep.Host] != ep.index {
		return
	}
	for i, t := range w.trig {
		if t.Side != ep.Host || t.On != on {
			continue
		}
		if t.After == 0 {
			if err := w.apply(t.Action); err != nil {
				w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvApp, Side: t.Action.Side, Detail: t.Action.String(), Note: "err.trigger"})
			}
			continue
		}
		w.push(qitem{at: w.now + t.After, kind: qAction, a: int32(i)})
	}
}
