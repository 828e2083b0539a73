package model

import (
	"fmt"
	"slices"
	"time"
)

type qkind uint8

const (
	qFlight qkind = iota + 1 // a flight ends: arrives, is lost, or expires
	qTimer                   // an endpoint timer
	qAction                  // a trigger's action, after its delay (a: index in trig)
	qLoad                    // the load generator opens its next connection
	qClose                   // the load generator closes a connection
)

type qitem struct {
	at   time.Duration
	seq  uint64
	kind qkind
	tk   TimerKind
	a    int32
	gen  uint32
}

// queue is a binary min-heap of events ordered by (time, insertion
// sequence). It is written out rather than using container/heap so that a
// push does not box the item into an interface (one allocation per event).
type queue []qitem

func (q queue) less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}

func (q *queue) push(it qitem) {
	*q = append(*q, it)
	h := *q
	i := len(h) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (q *queue) pop() qitem {
	h := *q
	n := len(h) - 1
	top := h[0]
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}

// world is everything that changes during a run. It holds no pointers into
// itself, so clone() is a deep copy: rewind restores clones.
type world struct {
	p       Params
	now     time.Duration
	seq     uint64
	q       queue
	eps     []Endpoint
	free    []int32
	hosts   [2]host
	flights []flightSlot
	ffree   []int32
	rng     rng
	nextSeg int
	nextCon int
	pos     int // steps done

	sent    [2]int
	sentBy  [2][5]int // per side, per segment kind (SYN FIN RST DATA ACK)
	rules   []FaultRule
	tq      timedQueue // the scenario's timed actions (timed.go)
	trig    []Trigger  // never modified after New: clones share it
	load    Load
	loadN   int
	failN   int
	reuseN  int
	main    [2]int32 // endpoint shown in each column, -1 if none
	traceTo int      // connections numbered above this are not traced
	counts  [numStates]int

	trace   []Event
	samples []Sample
	nextSmp time.Duration
	err     *TransitionError // the first change setState refused
}

type flightSlot struct {
	Flight
	gen  uint32
	live bool
}

func (w *world) clone() *world { return w.cloneInto(nil) }

// cloneInto is clone reusing the memory of old, a world nobody uses any
// more (the run's current world when it rewinds): rewinding a host run
// with thousands of sockets then allocates almost nothing.
func (w *world) cloneInto(old *world) *world {
	var buf world
	if old != nil {
		buf = *old
	}
	c := *w
	c.q = reuse(buf.q, w.q)
	c.eps = slices.Grow(buf.eps[:0], len(w.eps))[:len(w.eps)]
	for i := range w.eps {
		var rtx []rtxSeg
		if i < len(buf.eps) {
			rtx = buf.eps[i].rtx[:0]
		}
		c.eps[i] = w.eps[i]
		c.eps[i].rtx = reuse(rtx, w.eps[i].rtx)
		c.eps[i].share()
	}
	c.free = reuse(buf.free, w.free)
	for i := range w.hosts {
		c.hosts[i] = w.hosts[i].cloneInto(&buf.hosts[i])
	}
	c.flights = reuse(buf.flights, w.flights)
	c.ffree = reuse(buf.ffree, w.ffree)
	c.rules = reuse(buf.rules, w.rules)
	if old != nil {
		*old = c
		return old
	}
	return &c
}

// reuse copies src into buf's memory; a nil src stays nil (code tells an
// unset slice from an empty one, e.g. a host's port owners).
func reuse[T any](buf, src []T) []T {
	if src == nil {
		return nil
	}
	return append(buf[:0], src...)
}

func (w *world) push(it qitem) {
	w.seq++
	it.seq = w.seq
	w.q.push(it)
}

// emit records a trace event for a traced connection.
func (w *world) emit(ep *Endpoint, e Event) {
	if ep != nil && !ep.traced {
		return
	}
	e.T = w.now
	e.Step = w.pos
	if ep != nil {
		e.Conn = ep.Conn
		if e.Kind == EvState || e.Kind == EvTimerStart || e.Kind == EvTimerFire || e.Kind == EvTimerStop || e.Kind == EvNotify || e.Kind == EvApp {
			e.Side = ep.Host
		}
	}
	w.trace = append(w.trace, e)
}

// setState is the one place an endpoint's state changes: it records the
// change in the trace with the row that fired and its explanation (note,
// or the row's own key when note is empty). It refuses any change the
// transition table does not list: the endpoint keeps its state, nothing is
// recorded, and the run keeps the first such refusal for Sim.Err. Such a
// refusal is a bug in the engine, never the user's doing.
func (w *world) setState(ep *Endpoint, rule RuleName, note string) {
	t := row(rule)
	if t == nil || !t.allows(ep.State) {
		if w.err == nil {
			w.err = &TransitionError{Rule: rule, From: ep.State, Side: ep.Host, Conn: ep.Conn, T: w.now}
		}
		return
	}
	from := ep.State
	w.counts[from]--
	w.counts[t.To]++
	ep.State = t.To
	if ep.traced {
		if note == "" {
			note = t.NoteKey()
		}
		w.emit(ep, Event{Kind: EvState, From: from, To: t.To, Rule: rule, Note: note})
	}
	switch t.To {
	case TimeWait:
		w.hosts[ep.Host].twEnter(w, ep)
	case Closed:
		w.release(ep)
	}
	if from == TimeWait {
		w.hosts[ep.Host].tw--
	}
}

// TransitionError is a state change the engine attempted that the
// transition table does not allow. setState refuses it; Sim.Err reports the
// first one of a run.
type TransitionError struct {
	Rule RuleName
	From State
	Side Side
	Conn int
	T    time.Duration
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("finwait: %s conn %d at %s: rule %q does not lead out of %s (engine bug)", e.Side, e.Conn, FormatDuration(e.T), e.Rule, e.From)
}

// newEndpoint takes a free slot for a new socket. st is CLOSED, and
// setState records the socket's birth as it would any change, with one
// exception: the socket a listener makes for an arriving SYN is a copy of
// the listener (RFC 9293 §3.10.7.2) and starts in LISTEN like it; its first
// recorded row is rule 2, from LISTEN.
func (w *world) newEndpoint(h Side, conn int, st State) *Endpoint {
	var idx int32
	var gens [numTimers]timer
	var rtx []rtxSeg
	if n := len(w.free); n > 0 {
		idx = w.free[n-1]
		w.free = w.free[:n-1]
		for k := range gens {
			gens[k].gen = w.eps[idx].timers[k].gen + 1
		}
		// The live world owns its slices (snapshots hold copies), so a
		// reused slot keeps its retransmission queue's storage.
		rtx = w.eps[idx].rtx[:0]
	} else {
		idx = int32(len(w.eps))
		w.eps = append(w.eps, Endpoint{})
	}
	w.eps[idx] = Endpoint{Host: h, Conn: conn, State: st, index: idx, live: true, timers: gens,
		RcvWnd: rcvWindow, AutoRead: true, traced: conn <= w.traceTo, LastRcv: w.now, rtx: rtx}
	w.counts[st]++
	return &w.eps[idx]
}

// release frees a CLOSED endpoint's timers, socket-table entry and port.
func (w *world) release(ep *Endpoint) {
	for k := TimerRetransmit; k < numTimers; k++ {
		w.stopTimer(ep, k, false)
	}
	w.hosts[ep.Host].unbind(w, ep)
	if w.main[ep.Host] != ep.index {
		w.freeSlot(ep)
	}
}

func (w *world) freeSlot(ep *Endpoint) {
	if !ep.live {
		return
	}
	w.counts[ep.State]--
	ep.live = false
	w.free = append(w.free, ep.index)
}

// setMain makes ep the endpoint shown for its side, freeing the previous one
// if it is finished.
func (w *world) setMain(ep *Endpoint) {
	old := w.main[ep.Host]
	w.main[ep.Host] = ep.index
	if old >= 0 && old != ep.index {
		o := &w.eps[old]
		if o.live && o.State == Closed {
			w.freeSlot(o)
		}
	}
}

func (w *world) armTimer(ep *Endpoint, k TimerKind, d time.Duration) {
	t := &ep.timers[k]
	t.gen++
	t.at = w.now + d
	t.start = w.now
	t.armed = true
	w.push(qitem{at: t.at, kind: qTimer, tk: k, a: ep.index, gen: t.gen})
	if ep.traced {
		w.emit(ep, Event{Kind: EvTimerStart, Timer: k, Dur: d, N: timerCount(ep, k), Note: "timer." + k.String()})
	}
}

func timerCount(ep *Endpoint, k TimerKind) int {
	switch k {
	case TimerRetransmit:
		return ep.Backoff
	case TimerKeepalive:
		return ep.ProbesOut
	}
	return 0
}

func (w *world) stopTimer(ep *Endpoint, k TimerKind, trace bool) {
	t := &ep.timers[k]
	if !t.armed {
		return
	}
	t.armed = false
	t.gen++
	if trace && ep.traced {
		w.emit(ep, Event{Kind: EvTimerStop, Timer: k, Note: "timer_stop." + k.String()})
	}
}

func (w *world) notify(ep *Endpoint, what string, note string) {
	if ep.Orphan && what != "EADDRNOTAVAIL" {
		return
	}
	ep.Seen = append(ep.Seen, what)
	w.emit(ep, Event{Kind: EvNotify, Detail: what, Note: note})
}

// isn picks an initial sequence number.
func (w *world) isn(h Side) uint32 {
	if w.p.ISN == "predictable" {
		if h == Client {
			return 1000
		}
		return 5000
	}
	return uint32(w.rng.next())
}

// tsval is the RFC 7323 timestamp clock: milliseconds, with a per-host
// offset (Linux keys the offset on the address pair, so it stays the same
// for every connection between two hosts).
func (w *world) tsval(h Side) uint32 {
	return uint32(w.now/time.Millisecond) + w.hosts[h].tsOff
}

// Sample is a point of the per-state chart of a host run.
type Sample struct {
	T          time.Duration
	States     [numStates]int
	PortsFree  int
	PortsUsed  int
	Failures   int // connect() failures so far (EADDRNOTAVAIL)
	Reuses     int // TIME-WAIT sockets taken over by tcp_tw_reuse so far
	Opened     int // connections attempted so far
	TimeWaitTW int // TIME-WAIT sockets on the client host
	TimeWaitSV int // TIME-WAIT sockets on the server host
}

// StateCount returns one state's count in the sample.
func (s *Sample) StateCount(st State) int { return s.States[st] }

func (w *world) sample(t time.Duration) Sample {
	s := Sample{T: t, States: w.counts, Failures: w.failN, Reuses: w.reuseN, Opened: w.loadN,
		TimeWaitTW: w.hosts[Client].tw, TimeWaitSV: w.hosts[Server].tw}
	s.PortsFree = w.hosts[Client].freeCount
	s.PortsUsed = w.p.PortHi - w.p.PortLo + 1 - s.PortsFree
	s.States[0] = 0
	return s
}
