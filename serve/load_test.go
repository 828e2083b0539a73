package serve

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

var (
	loadFlag     = flag.Bool("load", false, "run TestLoad: many concurrent sessions animating (loopback only)")
	loadSessions = flag.Int("load-sessions", 100, "TestLoad: concurrent sessions")
	loadTime     = flag.Duration("load-time", 15*time.Second, "TestLoad: how long the students play")
	loadFPS      = flag.Int("load-fps", 0, "TestLoad: frame rate cap per session (0 = the server's default)")
	loadAnimFPS  = flag.Int("load-anim-fps", 0, "TestLoad: animation frames a second per session (0 = the server's default)")
	loadDebug    = flag.Bool("load-debug", false, "TestLoad: log each slow answer")
	loadThink    = flag.Duration("load-think", 0, "TestLoad: a student's pause between two plays (reading the screen)")
)

// TestLoad is a classroom on loopback: N students connect at once, then
// each repeatedly presses space (the run animates for 0.5-1.5 s), space
// again (pause) and g (back to the start). It reports the CPU the process
// used (server and clients: an upper bound for the server), the memory
// each session holds, and the key-to-frame latency: from a key sent on a
// quiet screen to the first bytes of the frame that answers it.
//
//	go test ./serve -run TestLoad -load -v
func TestLoad(t *testing.T) {
	if !*loadFlag {
		t.Skip("load test: go test ./serve -run TestLoad -load -v")
	}
	isolate(t)
	n := *loadSessions
	srv, addr := startServer(t, Config{MaxSessions: n, FPS: *loadFPS, AnimFPS: *loadAnimFPS})

	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	g0 := runtime.NumGoroutine()

	students := make([]*loadClient, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := newLoadClient(t, addr, fmt.Sprintf("student%03d", i))
			if err != nil {
				errs <- err
				return
			}
			students[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("connect: %v", err)
	}
	for _, c := range students {
		if !c.waitQuiet(10 * time.Second) {
			t.Fatalf("%s: the first screen never finished drawing", c.user)
		}
	}
	connectTime := time.Since(start)
	if got := srv.Sessions(); got != n {
		t.Fatalf("%d sessions open, want %d", got, n)
	}
	runtime.GC()
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	g1 := runtime.NumGoroutine()

	// Idle: connected, nobody presses anything.
	idle0, idleWall0 := cpuTime(), time.Now()
	time.Sleep(3 * time.Second)
	idleCPU, idleWall := cpuTime()-idle0, time.Since(idleWall0)

	cpu0, busy0, total0 := cpuTime(), 0.0, 0.0
	busy0, total0 = machineCPU()
	wall0 := time.Now()
	stop := wall0.Add(*loadTime)
	var mu sync.Mutex
	var lat []time.Duration
	var misses atomic.Int64
	missed := map[string]int{}
	var steady []time.Duration // after the first 2 s, when every student pressed space at once
	for _, c := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(len(c.user)), uint64(time.Now().UnixNano())))
			time.Sleep(time.Duration(rng.IntN(1000)) * time.Millisecond) // not all in step
			for time.Now().Before(stop) {
				for _, k := range []string{" ", "g"} {
					// Keys come at any point of the renderer's frame.
					time.Sleep(time.Duration(rng.IntN(50)) * time.Millisecond)
					d, ok := c.keyToFrame(k, 2*time.Second)
					if !ok {
						misses.Add(1)
						mu.Lock()
						missed[k]++
						mu.Unlock()
					} else {
						mu.Lock()
						lat = append(lat, d)
						if time.Since(wall0) > 2*time.Second {
							steady = append(steady, d)
						}
						if d > 100*time.Millisecond && *loadDebug {
							var ms runtime.MemStats
							runtime.ReadMemStats(&ms)
							t.Logf("slow %q %v at %v numgc %d", k, d, time.Since(wall0).Round(time.Millisecond), ms.NumGC)
						}
						mu.Unlock()
					}
					if k == " " {
						time.Sleep(time.Duration(500+rng.IntN(1000)) * time.Millisecond)
						c.send(" ")
					}
					c.waitQuiet(5 * time.Second)
				}
				if *loadThink > 0 {
					time.Sleep(*loadThink/2 + time.Duration(rng.Int64N(int64(*loadThink))))
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(wall0)
	cpu := cpuTime() - cpu0
	busy1, total1 := machineCPU()
	others := (busy1-busy0)/(total1-total0)*float64(runtime.NumCPU()) - cpu.Seconds()/wall.Seconds()
	var m2 runtime.MemStats
	runtime.ReadMemStats(&m2)
	var bytes int64
	for _, c := range students {
		bytes += c.bytes.Load()
	}

	slices.Sort(lat)
	slices.Sort(steady)
	pctOf := func(lat []time.Duration, p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))].Round(100 * time.Microsecond)
	}
	pct := func(p float64) time.Duration { return pctOf(lat, p) }
	perSession := float64(int64(m1.HeapInuse)-int64(m0.HeapInuse)) / float64(n)
	report := []string{
		fmt.Sprintf("sessions: %d on %d CPUs (GOMAXPROCS %d), connected and drawn in %v", n, runtime.NumCPU(), runtime.GOMAXPROCS(0), connectTime.Round(time.Millisecond)),
		fmt.Sprintf("memory: %.0f KiB heap in use per session (idle, after GC; %.1f MiB for all), %d goroutines per session; heap in use while playing %.1f MiB, Sys %.1f MiB",
			perSession/1024, float64(int64(m1.HeapInuse)-int64(m0.HeapInuse))/(1<<20), (g1-g0)/n, float64(m2.HeapInuse)/(1<<20), float64(m2.Sys)/(1<<20)),
		fmt.Sprintf("CPU idle: %.0f%% of one core for %d sessions nobody touches", 100*idleCPU.Seconds()/idleWall.Seconds(), n),
		fmt.Sprintf("CPU: %.2f s in %.1f s of play = %.0f%% of one core (server and clients together); other processes used %.0f%% of one core meanwhile", cpu.Seconds(), wall.Seconds(), 100*cpu.Seconds()/wall.Seconds(), 100*max(0, others)),
		fmt.Sprintf("output: %.1f KiB/s to all students", float64(bytes)/1024/wall.Seconds()),
		fmt.Sprintf("key-to-frame: %d samples, p50 %v, p99 %v, max %v; %d keys without an answer within 2 s",
			len(lat), pct(0.50), pct(0.99), pct(1), misses.Load()),
		fmt.Sprintf("key-to-frame after the first 2 s (all %d pressed space within the first second): %d samples, p50 %v, p99 %v, max %v",
			n, len(steady), pctOf(steady, 0.5), pctOf(steady, 0.99), pctOf(steady, 1)),
	}
	for _, l := range report {
		t.Log(l)
	}
	if misses.Load() > 0 {
		t.Errorf("%d keys got no new frame within 2 s: %v", misses.Load(), missed)
	}
	if p99 := pct(0.99); p99 > 50*time.Millisecond {
		t.Errorf("key-to-frame p99 %v, target under 50 ms", p99)
	}
}

// loadClient is a student without a screen: it only notes when bytes
// arrive, so that the client side costs as little as possible.
type loadClient struct {
	user  string
	in    io.Writer
	bytes atomic.Int64
	last  atomic.Int64   // unix ns of the last byte
	got   chan time.Time // the time of a read; the first after a drain
}

func newLoadClient(t *testing.T, addr, user string) (*loadClient, error) {
	c, err := dial(t, addr, user, nil)
	if err != nil {
		return nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		return nil, err
	}
	lc := &loadClient{user: user, got: make(chan time.Time, 1)}
	lc.last.Store(time.Now().UnixNano())
	out, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if lc.in, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			k, err := out.Read(buf)
			if k > 0 {
				now := time.Now()
				lc.bytes.Add(int64(k))
				lc.last.Store(now.UnixNano())
				select {
				case lc.got <- now:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return lc, nil
}

func (c *loadClient) send(k string) { _, _ = io.WriteString(c.in, k) }

// waitQuiet waits until no byte has come for 100 ms.
func (c *loadClient) waitQuiet(d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); {
		if time.Since(time.Unix(0, c.last.Load())) >= 100*time.Millisecond {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// keyToFrame sends k on a quiet screen and times the first bytes back.
func (c *loadClient) keyToFrame(k string, d time.Duration) (time.Duration, bool) {
	select {
	case <-c.got:
	default:
	}
	t0 := time.Now()
	c.send(k)
	select {
	case at := <-c.got:
		return at.Sub(t0), true
	case <-time.After(d):
		return 0, false
	}
}

// machineCPU reads the busy and total jiffies of all CPUs (Linux; zeros
// elsewhere), to tell whether other processes shared the machine.
func machineCPU() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	for i, f := range strings.Fields(line)[1:] {
		v, _ := strconv.ParseFloat(f, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
