package ui

import (
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// busy is lost-final-ack mid-way: both columns with timers, segments in
// flight, a lost one, a full ladder.
func busy(b testing.TB, w, h int) *Model {
	m := open(b, "lost-final-ack", w, h)
	for range 7 {
		press(m, "l")
	}
	m.sim().AdvanceTo(m.sim().Now() + 5*time.Millisecond)
	press(m, "tab")
	return m
}

func benchView(b *testing.B, w, h int) {
	m := busy(b, w, h)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkView80x24(b *testing.B)  { benchView(b, 80, 24) }
func BenchmarkView200x60(b *testing.B) { benchView(b, 200, 60) }

// countWriter counts what the renderer writes to the terminal.
type countWriter struct {
	mu sync.Mutex
	n  int
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.n += len(p)
	c.mu.Unlock()
	return len(p), nil
}

func (c *countWriter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// frameCounter wraps the model to count animation frames.
type frameCounter struct {
	*Model
	mu     sync.Mutex
	frames int
}

func (f *frameCounter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tickMsg); ok {
		f.mu.Lock()
		f.frames++
		f.mu.Unlock()
	}
	_, cmd := f.Model.Update(msg)
	return f, cmd
}

// BenchmarkFrameBytes plays the close at the default speed through the
// real renderer and reports the bytes written per animation frame after
// the first screen.
func BenchmarkFrameBytes(b *testing.B) {
	for b.Loop() {
		m := open(b, "close", 80, 24)
		fc := &frameCounter{Model: m}
		out := &countWriter{}
		p := tea.NewProgram(fc, tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(80, 24))
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		time.Sleep(300 * time.Millisecond)
		first := out.get()
		fc.mu.Lock()
		f0 := fc.frames
		fc.mu.Unlock()
		p.Send(keyMsg("space"))
		time.Sleep(time.Second)
		p.Quit()
		<-done
		fc.mu.Lock()
		frames := fc.frames - f0
		fc.mu.Unlock()
		if frames > 0 {
			b.ReportMetric(float64(out.get()-first)/float64(frames), "bytes/frame")
			b.ReportMetric(float64(first), "first-bytes")
		}
	}
}

// BenchmarkViewLesson100x30 is a frame of what a student sees over SSH by
// default: lesson 1 open, its second step playing (pane beside nothing,
// under the columns).
func BenchmarkViewLesson100x30(b *testing.B) {
	m := lessonModel(b, 1, "en", 100, 30)
	press(m, "]", "1")
	m.sim().Step()
	m.sim().AdvanceTo(m.sim().Now() + 5*time.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
