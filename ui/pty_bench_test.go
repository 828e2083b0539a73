package ui

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

var idleFor = flag.Duration("idle", 10*time.Second, "how long BenchmarkPausedCPU leaves each program paused")

// ptyProc is a program running in a pseudo-terminal of 80x24, its output
// collected as it comes.
type ptyProc struct {
	cmd   *exec.Cmd
	tty   *os.File
	mu    sync.Mutex
	out   bytes.Buffer
	seen  chan struct{} // closed when the marker first appears
	start time.Time
	first time.Duration // time from start to the marker
	done  chan struct{}
}

func startPTY(tb testing.TB, bin, marker string, args ...string) *ptyProc {
	tb.Helper()
	p := &ptyProc{cmd: exec.Command(bin, args...), seen: make(chan struct{}), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "TERM=xterm-256color", "XDG_STATE_HOME="+tb.TempDir())
	p.start = time.Now()
	tty, err := pty.StartWithSize(p.cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		tb.Fatal(err)
	}
	p.tty = tty
	go func() {
		defer close(p.done)
		buf := make([]byte, 32<<10)
		found := false
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.out.Write(buf[:n])
				if !found && bytes.Contains(p.out.Bytes(), []byte(marker)) {
					found = true
					p.first = time.Since(p.start)
					close(p.seen)
				}
				p.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

// waitFirst waits for the marker on screen and returns how long it took.
func (p *ptyProc) waitFirst(tb testing.TB) time.Duration {
	tb.Helper()
	select {
	case <-p.seen:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		tb.Fatalf("no first frame after 10 s; output: %q", p.out.String())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.first
}

// quit presses q, waits for the exit and returns the CPU time the process
// used (user + system).
func (p *ptyProc) quit(tb testing.TB) time.Duration {
	tb.Helper()
	p.tty.Write([]byte("q"))
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			tb.Fatalf("exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		tb.Fatal("did not quit on q")
	}
	p.tty.Close()
	<-p.done
	ru := p.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func buildBin(tb testing.TB, pkg, name string) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), name)
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		tb.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// BenchmarkStartupFirstFrame is the time from starting a program in a
// pseudo-terminal to its first frame, for finwait as `go run .` opens it
// (lesson 1) and on a bare scenario, each against the smallest Bubble Tea
// program started the same way, in turn. Target: ratio at most 1.2.
func BenchmarkStartupFirstFrame(b *testing.B) {
	fw := buildBin(b, "..", "finwait")
	minimal := buildBin(b, "./testdata/minimal", "minimal")
	for _, c := range []struct {
		name string
		args []string
	}{{"lesson1", nil}, {"scenario", []string{"--scenario", "close"}}} {
		b.Run(c.name, func(b *testing.B) {
			var tf, tm time.Duration
			n := 0
			for b.Loop() {
				p := startPTY(b, fw, "ESTABLISHED", c.args...)
				tf += p.waitFirst(b)
				q := startPTY(b, minimal, "ESTABLISHED")
				tm += q.waitFirst(b)
				n++
				b.StopTimer()
				p.quit(b)
				q.quit(b)
				b.StartTimer()
			}
			b.ReportMetric(float64(tf.Microseconds())/float64(n)/1000, "ms/first-frame")
			b.ReportMetric(float64(tm.Microseconds())/float64(n)/1000, "minimal-ms")
			b.ReportMetric(float64(tf)/float64(max(tm, 1)), "ratio")
		})
	}
}

// cpuNow is the CPU time the process has used so far, summed over its
// threads from /proc (nanosecond run times, unlike rusage's ticks).
func (p *ptyProc) cpuNow(tb testing.TB) time.Duration {
	tb.Helper()
	dir := fmt.Sprintf("/proc/%d/task", p.cmd.Process.Pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		tb.Skipf("skipping: %v (needs Linux /proc)", err)
	}
	var total time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, t.Name(), "schedstat"))
		if err != nil {
			continue // the thread ended meanwhile
		}
		var ns int64
		fmt.Sscan(string(b), &ns)
		total += time.Duration(ns)
	}
	return total
}

// BenchmarkPausedCPU leaves finwait paused on the close scenario for -idle
// (10 s) and compares the CPU it used in that time with a minimal Bubble
// Tea program left alone as long at the same frame rate (start-up is not
// counted: the clock starts half a second after the first frame). Target:
// ratio at most 1.1.
func BenchmarkPausedCPU(b *testing.B) {
	fw := buildBin(b, "..", "finwait")
	minimal := buildBin(b, "./testdata/minimal", "minimal")
	for b.Loop() {
		p := startPTY(b, fw, "ESTABLISHED", "--scenario", "close")
		q := startPTY(b, minimal, "ESTABLISHED")
		p.waitFirst(b)
		q.waitFirst(b)
		time.Sleep(500 * time.Millisecond)
		f0, m0 := p.cpuNow(b), q.cpuNow(b)
		time.Sleep(*idleFor)
		cf, cm := p.cpuNow(b)-f0, q.cpuNow(b)-m0
		p.quit(b)
		q.quit(b)
		b.ReportMetric(float64(cf.Microseconds())/1000, "finwait-cpu-ms")
		b.ReportMetric(float64(cm.Microseconds())/1000, "minimal-cpu-ms")
		b.ReportMetric(float64(cf)/float64(max(cm, 1)), "ratio")
	}
}
