package model

import (
	"os"
	"path/filepath"
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
