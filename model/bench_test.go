package model

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func loadScenario(tb testing.TB, name string) *Scenario {
	tb.Helper()
	path := filepath.Join("..", "assets", "scenarios", name+".scn")
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	sc, err := ParseScenario(path, string(b))
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

func newSim(tb testing.TB, name string, sets ...string) *Sim {
	tb.Helper()
	s, err := New(loadScenario(tb, name), sets, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// BenchmarkClose reports events per second on the close scenario.
func BenchmarkClose(b *testing.B) {
	sc := loadScenario(b, "close")
	b.ReportAllocs()
	steps := 0
	for b.Loop() {
		s, _ := New(sc, nil, nil)
		steps += s.Run(1 << 30)
	}
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPortExhaustion100k runs 100,000 short connections.
func BenchmarkPortExhaustion100k(b *testing.B) {
	sc := loadScenario(b, "port-exhaustion")
	sc.Load.Count = 100000
	sc.End = 0
	b.ReportAllocs()
	for b.Loop() {
		s, _ := New(sc, nil, nil)
		n := s.Run(1 << 30)
		b.ReportMetric(float64(n), "events")
		b.ReportMetric(float64(s.Current().Failures), "failures")
	}
}

// BenchmarkRewindOneEventAt100k steps back one event at event 100,000 of a
// long run and forward again (the user pressing "back" then "forward").
func BenchmarkRewindOneEventAt100k(b *testing.B) {
	for _, tc := range []struct {
		name string
		sc   func(b *testing.B) *Scenario
	}{
		{"keepalive", func(b *testing.B) *Scenario {
			// keepalive-alive lasting long enough for 100,000 events
			// (4 per 2-hour probe cycle).
			return scn(b, "start established\nset keepalive=on\nend 60000h\n")
		}},
		{"port-exhaustion", func(b *testing.B) *Scenario {
			sc := loadScenario(b, "port-exhaustion")
			sc.End = 0
			return sc
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := New(tc.sc(b), nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			const at = 100_000
			if n := s.Run(at); n < at {
				b.Fatalf("run has only %d events", n)
			}
			b.ReportAllocs()
			for b.Loop() {
				s.Rewind(at - 1)
				s.Step()
			}
			if s.Pos() != at {
				b.Fatalf("pos %d", s.Pos())
			}
		})
	}
}

// BenchmarkCloseAllocsPerEvent reports heap allocations per simulated event
// on the close scenario (construction of the run included).
func BenchmarkCloseAllocsPerEvent(b *testing.B) {
	sc := loadScenario(b, "close")
	var before, after runtime.MemStats
	steps, events := 0, 0
	runtime.ReadMemStats(&before)
	for b.Loop() {
		s, _ := New(sc, nil, nil)
		steps += s.Run(1 << 30)
		events += len(s.Trace())
	}
	runtime.ReadMemStats(&after)
	allocs := float64(after.Mallocs - before.Mallocs)
	// A step is one queue event (a segment arriving, a timer firing, an
	// action); each step records several trace events.
	b.ReportMetric(allocs/float64(steps), "allocs/step")
	b.ReportMetric(allocs/float64(events), "allocs/trace-event")
	b.ReportMetric(float64(steps)/float64(b.N), "steps/op")
}
