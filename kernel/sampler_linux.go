//go:build linux

package kernel

import (
	"bytes"
	"net/netip"
	"os"
	"sync"
	"time"

	"finwait/model"
)

const procTCP = "/proc/net/tcp"

// sampler reads /proc/net/tcp, in the background every interval and on
// demand at the driver's checkpoints, and records each side's distinct
// states and the timers seen in them.
//
// Sampling cannot see a state shorter than the interval (on loopback,
// LAST-ACK lasts microseconds: the peer's ACK comes back at once; a
// FIN-WAIT-1 answered by a FIN that also ACKs it passes FIN-WAIT-2 inside
// one softirq). The comparison allows such gaps; the checkpoint samples
// make sure the states a scenario is about (CLOSE-WAIT after read()
// returned EOF, FIN-WAIT-1 right after close()) are caught.
type sampler struct {
	mu       sync.Mutex
	t0       time.Time
	interval time.Duration
	// local and remote identify each side's socket (client, server).
	local, remote [2]netip.AddrPort
	tracks        [2]Track
	lastWhen      [2][5]time.Duration
	missing       [2]time.Duration // first reading that missed the socket
	n             int
	err           error
	stop, done    chan struct{}
}

func newSampler(t0 time.Time, interval time.Duration, client, server netip.AddrPort) *sampler {
	s := &sampler{t0: t0, interval: interval, stop: make(chan struct{}), done: make(chan struct{})}
	s.local = [2]netip.AddrPort{client, server}
	s.remote = [2]netip.AddrPort{server, client}
	s.tracks[model.Client].Side = model.Client
	s.tracks[model.Server].Side = model.Server
	return s
}

func (s *sampler) start() {
	go func() {
		defer close(s.done)
		for {
			select {
			case <-s.stop:
				return
			default:
			}
			s.sample()
			time.Sleep(s.interval)
		}
	}()
}

// finish stops the background sampling, takes a last sample and projects
// the end of a running timewait timer.
func (s *sampler) finish() ([2]Track, int, error) {
	close(s.stop)
	<-s.done
	// Two readings: a socket missing from both is gone (see record).
	s.sample()
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	for side := range s.tracks {
		project(&s.tracks[side])
	}
	return s.tracks, s.n, s.err
}

// project appends the CLOSED that a running timewait timer (tr 3) will
// bring: a timewait socket only ends by its timer (no peer is left to
// send it anything), so its end is known without waiting 60 s for it.
func project(t *Track) {
	if len(t.Steps) == 0 {
		return
	}
	last := &t.Steps[len(t.Steps)-1]
	if last.State != model.TimeWait && last.State != model.FinWait2 {
		return
	}
	for _, tm := range last.Timers {
		if tm.Code == trTimeWait {
			t.Steps = append(t.Steps, Step{State: model.Closed, At: tm.At + tm.Left, Projected: true})
			return
		}
	}
}

// sample reads /proc/net/tcp once and records what it shows. Samples are
// serialised (the checkpoint samples run beside the background ones), so
// each reading starts after the previous one ended and the recorded order
// is the real order.
func (s *sampler) sample() {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := os.ReadFile(procTCP)
	now := time.Since(s.t0)
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return
	}
	socks, err := ParseProcNet(bytes.NewReader(b))
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return
	}
	s.n++
	for side := range s.tracks {
		var found *ProcSocket
		for i := range socks {
			if socks[i].Local == s.local[side] && socks[i].Remote == s.remote[side] {
				found = &socks[i]
				break
			}
		}
		s.record(side, found, now)
	}
}

func (s *sampler) record(side int, p *ProcSocket, now time.Duration) {
	t := &s.tracks[side]
	if p == nil {
		// Gone from the table: CLOSED (a closed socket is unhashed, so
		// /proc never lists it; st 07 would only show for a moment). The
		// file is produced a page at a time and the kernel resumes its
		// walk of the hash table by position, so a socket can be skipped
		// in one reading while sockets around it change: a socket counts
		// as gone only when two readings in a row miss it, and from the
		// first of them.
		if len(t.Steps) > 0 && t.Final() != model.Closed {
			if s.missing[side] == 0 {
				s.missing[side] = now
				return
			}
			t.Steps = append(t.Steps, Step{State: model.Closed, At: s.missing[side], Last: now})
			s.missing[side] = 0
		}
		return
	}
	s.missing[side] = 0
	st, ok := StateOf(p.St)
	if !ok {
		return
	}
	if len(t.Steps) == 0 || t.Final() != st {
		t.Steps = append(t.Steps, Step{State: st, At: now, Code: p.St})
		s.lastWhen[side] = [5]time.Duration{}
	}
	step := &t.Steps[len(t.Steps)-1]
	step.Last = now
	if p.Tr <= 0 || p.Tr > trProbe {
		return
	}
	var tm *Timer
	for i := range step.Timers {
		if step.Timers[i].Code == p.Tr {
			tm = &step.Timers[i]
		}
	}
	if tm == nil {
		step.Timers = append(step.Timers, Timer{Code: p.Tr, Left: p.When, Max: p.When, At: now, Arms: 1})
	} else {
		// A re-armed timer (a keepalive after its probe was answered)
		// shows more time left than the last reading.
		if p.When > s.lastWhen[side][p.Tr]+2*clockTick {
			tm.Arms++
		}
		tm.Max = max(tm.Max, p.When)
	}
	s.lastWhen[side][p.Tr] = p.When
}

// gone reports whether a side's socket has left the table.
func (s *sampler) gone(side model.Side) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.tracks[side]
	return len(t.Steps) > 0 && t.Final() == model.Closed
}
