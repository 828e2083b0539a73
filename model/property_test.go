package model

// Property tests (DESIGN.md "Tests"): random loss, delays, duplicates and
// settings on the single-connection scenarios. Every run must end within
// bounded virtual time with both sides at rest in a state the scenario
// allows; the engine must attempt no change the transition table refuses,
// and each endpoint's changes must go on from its birth; and no
// application may receive bytes twice, out of order, or bytes its peer
// never sent.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// singleConn lists the built-in single-connection scenarios and the states
// each side may rest in when the run is over (besides CLOSED).
var singleConn = map[string][2][]State{
	"abort":                       {{CloseWait}, nil}, // the data may arrive after close(): FIN, and the client never closes
	"close":                       {nil, nil},
	"fin-wait-2-timeout":          {nil, nil},
	"final-ack-lost-until-giveup": {nil, nil},
	"half-close":                  {{FinWait2}, nil}, // shutdown only: no timer
	"keepalive-alive":             {{Established}, {Established}},
	"keepalive-dead":              {nil, nil},
	"keepalive-reboot":            {nil, nil},
	"lost-fin":                    {nil, nil},
	"lost-final-ack":              {nil, nil},
	"old-duplicate":               {{Established}, {Established}},
	"old-duplicate-no-timewait":   {{Established}, {Established}},
	"server-close":                {nil, nil},
	"simultaneous-close":          {nil, nil},
	"syn-in-time-wait":            {{Established}, {Established}},
	"three-segment-close":         {nil, nil},
}

// restState reports whether an endpoint may stay in st with nothing left to
// happen: every other state is ended by a timer.
func restState(ep Endpoint) bool {
	switch ep.State {
	case Closed, Listen, Established, CloseWait:
		return true
	case FinWait2:
		return !ep.Orphan
	}
	return false
}

type propRun struct {
	name  string
	sets  []string
	rules []FaultRule
}

func (r propRun) String() string {
	var rs []string
	for _, x := range r.rules {
		d := ""
		if x.Fault == FaultDelay {
			d = " by " + FormatDuration(x.Dur)
		}
		rs = append(rs, x.Fault.String()+" "+x.String()+d)
	}
	return fmt.Sprintf("%s --set %s rules [%s]", r.name, strings.Join(r.sets, " "), strings.Join(rs, "; "))
}

func genRun(t *rapid.T) propRun {
	names := make([]string, 0, len(singleConn))
	for n := range singleConn {
		names = append(names, n)
	}
	slices.Sort(names)
	r := propRun{name: rapid.SampledFrom(names).Draw(t, "scenario")}
	if rapid.Bool().Draw(t, "lossy") {
		r.sets = append(r.sets, fmt.Sprintf("loss=%d%%", rapid.IntRange(1, 30).Draw(t, "loss")))
	}
	r.sets = append(r.sets,
		"delay="+FormatDuration(time.Duration(rapid.IntRange(0, 200).Draw(t, "delay_ms"))*time.Millisecond),
		"delayed_ack="+rapid.SampledFrom([]string{"0", "40ms", "100ms", "200ms"}).Draw(t, "delayed_ack"),
		"msl="+rapid.SampledFrom([]string{"1s", "5s", "30s", "60s"}).Draw(t, "msl"),
		fmt.Sprintf("seed=%d", rapid.Uint64().Draw(t, "seed")))
	n := rapid.IntRange(0, 4).Draw(t, "nrules")
	for i := 0; i < n; i++ {
		side := rapid.SampledFrom([]string{"client", "server"}).Draw(t, "side")
		kind := rapid.SampledFrom([]string{"", "SYN:", "FIN:", "RST:", "DATA:", "ACK:"}).Draw(t, "kind")
		lo := rapid.IntRange(1, 6).Draw(t, "from")
		hi := lo + rapid.IntRange(0, 3).Draw(t, "span")
		fault := rapid.SampledFrom([]Fault{FaultDrop, FaultDelay, FaultDuplicate}).Draw(t, "fault")
		fr, err := ParseRule(fmt.Sprintf("%s:%s%d-%d", side, kind, lo, hi), fault)
		if err != nil {
			t.Fatalf("generated rule: %v", err)
		}
		if fault == FaultDelay {
			fr.Dur = time.Duration(rapid.IntRange(1, 5000).Draw(t, "delay_by_ms")) * time.Millisecond
		}
		r.rules = append(r.rules, fr)
	}
	return r
}

// dataChecker follows what each application has been given.
type dataChecker struct {
	// chunks seen per (side, conn), as the application got them.
	got map[[2]int][]Chunk
}

func (d *dataChecker) observe(s *Sim) {
	for _, side := range []Side{Client, Server} {
		ep, ok := s.Endpoint(side)
		if !ok || ep.Conn == 0 {
			continue
		}
		k := [2]int{int(side), ep.Conn}
		prev := d.got[k]
		if len(ep.Received) < len(prev) || !slices.Equal(ep.Received[:len(prev)], prev) {
			// What an application has read can never be taken back.
			d.got[k] = append([]Chunk{{Conn: -1}}, ep.Received...)
			continue
		}
		d.got[k] = slices.Clone(ep.Received)
	}
}

// verify checks every application's byte stream; hazard tolerates chunks of
// an earlier connection (the old-duplicate hazard the settings allow).
func (d *dataChecker) verify(s *Sim, hazard bool) error {
	// What each side's application handed to the network, per connection.
	sentTo := map[[2]int]int{}
	for _, e := range s.Trace() {
		if e.Kind == EvSend && e.Seg.Data.Len > 0 {
			k := [2]int{int(e.Side), e.Seg.Data.Conn}
			sentTo[k] = max(sentTo[k], e.Seg.Data.Off+e.Seg.Data.Len)
		}
	}
	for k, chunks := range d.got {
		side, conn := Side(k[0]), k[1]
		off := 0
		for i, c := range chunks {
			switch {
			case c.Conn == -1:
				return fmt.Errorf("%s conn %d: received data changed after it was read", side, conn)
			case c.Conn != conn:
				if !hazard {
					return fmt.Errorf("%s conn %d: chunk %d belongs to connection %d", side, conn, i, c.Conn)
				}
			case c.From != side.Other():
				return fmt.Errorf("%s conn %d: chunk %d from %s", side, conn, i, c.From)
			case c.Off != off || c.Len <= 0:
				return fmt.Errorf("%s conn %d: chunk %d at offset %d len %d, want offset %d (duplicate or out of order)", side, conn, i, c.Off, c.Len, off)
			case c.Off+c.Len > sentTo[[2]int{int(side.Other()), conn}]:
				return fmt.Errorf("%s conn %d: chunk %d ends at %d, the peer sent %d", side, conn, i, c.Off+c.Len, sentTo[[2]int{int(side.Other()), conn}])
			default:
				off += c.Len
			}
		}
	}
	return nil
}

func TestPropertyRandomFaults(t *testing.T) {
	scs := map[string]*Scenario{}
	for name := range singleConn {
		scs[name] = loadScenario(t, name)
	}
	rapid.Check(t, func(t *rapid.T) {
		r := genRun(t)
		sc := scs[r.name]
		s, err := New(sc, r.sets, r.rules)
		if err != nil {
			t.Fatalf("%v: %v", r, err)
		}
		dc := &dataChecker{got: map[[2]int][]Chunk{}}
		for i := 0; i < 1_000_000 && s.Step(); i++ {
			dc.observe(s)
		}
		if !s.Done() {
			t.Fatalf("%v: not done after 1e6 steps at %v", r, s.Now())
		}
		bound := 3 * time.Hour
		if sc.End > 0 {
			bound = sc.End
		}
		if s.Now() > bound {
			t.Fatalf("%v: ended at %v, beyond %v", r, s.Now(), bound)
		}
		// A side left half-open is legitimate when its peer vanished
		// without a word it could receive: the peer gave up retransmitting
		// (no RST, SPEC.md 3.2) or its RST was lost (a RST is never
		// retransmitted).
		gaveUp := len(events(s, func(e *Event) bool {
			return e.Kind == EvState && (e.Rule == "L3.2" || e.Rule == "19" || e.Rule == "L4") ||
				(e.Kind == EvDrop || e.Kind == EvExpire) && e.Seg.Flags.Has(RST)
		})) > 0
		for _, side := range []Side{Client, Server} {
			ep, _ := s.Endpoint(side)
			if !restState(ep) {
				t.Fatalf("%v: %s ended in %s (orphan %v) with nothing left to happen\n%s", r, side, ep.State, ep.Orphan, dumpTrace(s))
			}
			ok := ep.State == Closed || slices.Contains(singleConn[r.name][side], ep.State) ||
				gaveUp && (ep.State == Established || ep.State == CloseWait)
			if !ok && !s.HostDown(side) {
				t.Fatalf("%v: %s ended in %s, which %s does not allow\n%s", r, side, ep.State, r.name, dumpTrace(s))
			}
		}
		// No change the table forbids was attempted (setState would have
		// refused it), and every endpoint's history starts at its birth
		// and goes on from where it was (fsm_test.go).
		if err := s.Err(); err != nil {
			t.Fatalf("%v: %v\n%s", r, err, dumpTrace(s))
		}
		if err := checkHistories(s.Trace()); err != nil {
			t.Fatalf("%v: %v\n%s", r, err, dumpTrace(s))
		}
		// Without timestamps (no PAWS) only TIME-WAIT protects a new
		// incarnation, and random faults can deny it (msl shorter than the
		// network's lifetime, or conn 1 ended by a RST): there old bytes in
		// conn 2 are the hazard being taught, not a bug. With timestamps
		// PAWS must always reject them.
		hazard := !s.Params().Timestamps
		if err := dc.verify(s, hazard); err != nil {
			t.Fatalf("%v: %v\n%s", r, err, dumpTrace(s))
		}
	})
}

// TestDataCheckerCatchesCorruption makes sure the checker above is not
// blind: the shortened TIME-WAIT scenario delivers connection 1's bytes to
// connection 2, and the checker must say so.
func TestDataCheckerCatchesCorruption(t *testing.T) {
	s := newSim(t, "old-duplicate-no-timewait")
	dc := &dataChecker{got: map[[2]int][]Chunk{}}
	for s.Step() {
		dc.observe(s)
	}
	if err := dc.verify(s, false); err == nil || !strings.Contains(err.Error(), "belongs to connection 1") {
		t.Errorf("checker missed the old duplicate: %v", err)
	}
}

// TestOldDuplicate shows the hazard TIME-WAIT prevents (SPEC.md 6 #8).
func TestOldDuplicate(t *testing.T) {
	t.Run("no_timewait_corrupts_connection_2", func(t *testing.T) {
		s := runBuiltin(t, "old-duplicate-no-timewait")
		c, _ := s.Endpoint(Client)
		if c.Conn != 2 {
			t.Fatalf("client shows connection %d, want 2", c.Conn)
		}
		if len(c.Received) != 1 || c.Received[0].Conn != 1 || c.Received[0].From != Server || c.Received[0].Len != 100 {
			t.Errorf("connection 2 received %+v, want connection 1's 100 bytes", c.Received)
		}
		if !strings.HasPrefix(c.ReceivedText(), "[#1 server]") {
			t.Errorf("connection 2 read %q", c.ReceivedText())
		}
	})
	t.Run("timestamps_PAWS_rejects", func(t *testing.T) {
		s := runScn(t, "start established\nset msl=1s net_lifetime=30s timestamps=on isn=predictable\n"+
			"delay server:DATA:1 by 5s\nat 0 server send 100\nat 500ms client close\n"+
			"on server eof after 50ms server close\nat 3s client reconnect\n")
		c, _ := s.Endpoint(Client)
		if c.Conn != 2 || c.State != Established || len(c.Received) != 0 {
			t.Errorf("connection %d %v received %+v, want nothing", c.Conn, c.State, c.Received)
		}
		paws := events(s, func(e *Event) bool { return match(e, EvDeliver, Client, anyConn) && e.Note == "in.paws" })
		if len(paws) != 1 || paws[0].Seg.Data.Conn != 1 {
			t.Errorf("PAWS rejections %v, want the old segment", paws)
		}
	})
	t.Run("timewait_lets_it_expire", func(t *testing.T) {
		s := runBuiltin(t, "old-duplicate")
		c, _ := s.Endpoint(Client)
		if c.Conn != 2 || len(c.Received) != 0 {
			t.Errorf("connection %d received %+v", c.Conn, c.Received)
		}
		ex := events(s, func(e *Event) bool { return e.Kind == EvExpire })
		conn2 := stateByRule(t, s, Client, "1")
		if len(ex) != 1 || ex[0].Seg.Data.Conn != 1 || ex[0].T >= conn2.T {
			t.Errorf("expiry %v should come before connection 2 opens at %v", ex, conn2.T)
		}
	})
}
