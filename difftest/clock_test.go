package difftest

import (
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/faketime"
)

// trackClock is faketime.ManualClock plus a record of the deadline of
// every armed timer, so that the harness can jump straight to the next
// thing that will happen (keepalive runs span hours of virtual time).
type trackClock struct {
	*faketime.ManualClock
	mu     sync.Mutex
	timers map[*trackTimer]struct{}
}

type trackTimer struct {
	c  *trackClock
	t  tcpip.Timer
	at time.Time
}

func newTrackClock() *trackClock {
	return &trackClock{ManualClock: faketime.NewManualClock(), timers: map[*trackTimer]struct{}{}}
}

// AfterFunc implements tcpip.Clock.
func (c *trackClock) AfterFunc(d time.Duration, f func()) tcpip.Timer {
	tt := &trackTimer{c: c}
	c.arm(tt, d)
	tt.t = c.ManualClock.AfterFunc(d, func() {
		c.mu.Lock()
		delete(c.timers, tt)
		c.mu.Unlock()
		f()
	})
	return tt
}

func (c *trackClock) arm(tt *trackTimer, d time.Duration) {
	now := c.Now()
	c.mu.Lock()
	tt.at = now.Add(d)
	c.timers[tt] = struct{}{}
	c.mu.Unlock()
}

// Stop implements tcpip.Timer.
func (tt *trackTimer) Stop() bool {
	tt.c.mu.Lock()
	delete(tt.c.timers, tt)
	tt.c.mu.Unlock()
	return tt.t.Stop()
}

// Reset implements tcpip.Timer.
func (tt *trackTimer) Reset(d time.Duration) {
	tt.c.arm(tt, d)
	tt.t.Reset(d)
}

// next returns the earliest deadline of an armed timer.
func (c *trackClock) next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var best time.Time
	ok := false
	for tt := range c.timers {
		if !ok || tt.at.Before(best) {
			best, ok = tt.at, true
		}
	}
	return best, ok
}
