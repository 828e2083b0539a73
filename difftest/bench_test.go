package difftest

import (
	"testing"
	"time"
)

// BenchmarkCloseEngineVsGVisor runs the full close scenario once per
// iteration in the engine and on two gVisor stacks (stack set-up and the
// handshake included: that is what a gVisor run of a scenario costs).
// Report the ratio of the two ns/op figures.
func BenchmarkCloseEngineVsGVisor(b *testing.B) {
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e, _ := engineRun(b, "close", gvisorLike)
			if len(e.segs) != 4 {
				b.Fatalf("%d segments", len(e.segs))
			}
		}
	})
	b.Run("gvisor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g := gvisorRun(b, "close", gvisorLike, 1000*time.Second)
			if len(g.segs) != 4 {
				b.Fatalf("%d segments", len(g.segs))
			}
		}
	})
}
