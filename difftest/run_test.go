package difftest

import (
	"strconv"
	"testing"
	"time"

	"finwait/lessons"
	"finwait/model"
)

func itoa(n int) string { return strconv.Itoa(n) }

// gvisorRun runs a built-in scenario on two gVisor stacks: the connection
// is opened by a real handshake first, and the scenario's time 0 is the
// moment both ends are ESTABLISHED (the engine starts there).
func gvisorRun(tb testing.TB, name string, sets []string, until time.Duration) *record {
	tb.Helper()
	sc, err := lessons.BuiltinScenario(name)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := sc.ParamsWith(sets)
	if err != nil {
		tb.Fatal(err)
	}
	if sc.Start != model.StartEstablished {
		tb.Fatalf("%s: the harness starts scenarios from an established connection", name)
	}
	n := newGvNet(tb, p)
	defer n.close()
	n.connect()
	cli, srv := n.hosts[model.Client], n.hosts[model.Server]
	for cli.app == nil || srv.app == nil || stateNames[cli.eps[0].EndpointState()] != "ESTABLISHED" {
		if !n.step(time.Hour) {
			tb.Fatal("gVisor handshake did not complete")
		}
	}
	n.settle()
	if len(n.flights) > 0 {
		tb.Fatal("packets still in flight after the handshake")
	}
	// Time 0.
	n.t0 = n.clock.Now()
	n.recOn = true
	n.rec.isn = n.isn
	for side, h := range n.hosts {
		for i := range h.eps {
			n.rec.addState(epKey{model.Side(side), i + 1}, 0, h.last[i])
		}
	}
	if p.Keepalive {
		n.keepalive(cli.app)
	}
	sim, err := model.New(sc, sets, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for side := model.Client; side <= model.Server; side++ {
		if ep, ok := sim.Endpoint(side); ok && !ep.AutoRead {
			n.hosts[side].noread = true
		}
	}
	n.rules = append(n.rules, sc.Rules...)
	n.trig = append(n.trig, sc.Triggers...)
	for _, t := range sc.Timed {
		n.schedule(t.At, t.Action)
	}
	if sc.End > 0 {
		until = sc.End
	}
	for n.step(until) {
	}
	return n.rec
}

// runUntil is how long the gVisor run may go on when the scenario sets no
// end: 1000 s past the engine's last event, so that anything gVisor does
// later than the engine is seen.
func runUntil(e *record) time.Duration {
	var last time.Duration
	for _, s := range e.segs {
		last = max(last, s.t)
	}
	for _, l := range e.states {
		last = max(last, l[len(l)-1].t)
	}
	for _, ns := range e.notes {
		for _, x := range ns {
			last = max(last, x.t)
		}
	}
	return last + 1000*time.Second
}
