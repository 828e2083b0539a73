package kernel

import (
	"bytes"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"finwait/assets"
	"finwait/model"
)

// A /proc/net/tcp excerpt from Linux 6.18 on x86-64: a listener, a
// TIME-WAIT (tw socket, tr 3, 59.99 s left), an orphaned FIN-WAIT-2 (tw
// socket with substate FIN_WAIT2: st 05, tr 3), a CLOSE-WAIT without a
// timer and an ESTABLISHED socket with its keepalive timer (tr 2).
const procSample = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:9C45 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1615 1 0000000074ff4404 100 0 0 10 0
   1: 0100007F:B9F0 0100007F:9C45 06 00000000:00000000 03:0000176F 00000000     0        0 0 3 0000000000000000
   2: 0100007F:A010 0100007F:9C45 05 00000000:00000000 03:000000C8 00000000     0        0 0 3 0000000000000000
   3: 0100007F:9C45 0100007F:A010 08 00000000:00000064 00:00000000 00000000     0        0 4242 1 0000000000000000 20 4 30 10 -1
   4: 0100007F:B000 0100007F:9C45 01 00000000:00000000 02:00000062 00000000     0        1 4243 1 0000000000000000 20 4 30 10 -1
`

func TestParseProcNet(t *testing.T) {
	socks, err := ParseProcNet(strings.NewReader(procSample))
	if err != nil || len(socks) != 5 {
		t.Fatalf("got %d sockets, %v", len(socks), err)
	}
	lo := netip.MustParseAddr("127.0.0.1")
	want := []struct {
		local, remote uint16
		st, tr        int
		when          time.Duration
		rx, probes    int
		state         model.State
	}{
		{0x9C45, 0, 0x0A, 0, 0, 0, 0, model.Listen},
		{0xB9F0, 0x9C45, 0x06, 3, 59990 * time.Millisecond, 0, 0, model.TimeWait},
		{0xA010, 0x9C45, 0x05, 3, 2 * time.Second, 0, 0, model.FinWait2},
		{0x9C45, 0xA010, 0x08, 0, 0, 100, 0, model.CloseWait},
		{0xB000, 0x9C45, 0x01, 2, 980 * time.Millisecond, 0, 1, model.Established},
	}
	if binaryLittle() {
		for i, w := range want {
			s := socks[i]
			if s.Local.Addr() != lo || s.Local.Port() != w.local || s.Remote.Port() != w.remote {
				t.Errorf("line %d: addresses %v %v", i, s.Local, s.Remote)
			}
			if i > 0 && s.Remote.Addr() != lo {
				t.Errorf("line %d: remote %v", i, s.Remote)
			}
		}
	}
	for i, w := range want {
		s := socks[i]
		if s.St != w.st || s.Tr != w.tr || s.When != w.when || s.RxQueue != w.rx || s.Probes != w.probes {
			t.Errorf("line %d: got %+v", i, s)
		}
		if st, ok := StateOf(s.St); !ok || st != w.state {
			t.Errorf("line %d: StateOf(%02X) = %v", i, s.St, st)
		}
	}
}

// binaryLittle: the fixture's addresses are as a little-endian kernel
// prints them.
func binaryLittle() bool {
	a, _ := parseHexAddr("0100007F:0000")
	return a.Addr() == netip.MustParseAddr("127.0.0.1")
}

func TestParseCounters(t *testing.T) {
	c := parseCounters(strings.NewReader("Tcp: RtoMin OutRsts\nTcp: 200 7\nTcpExt: TCPKeepAlive\nTcpExt: 12\n"))
	if c["Tcp.OutRsts"] != 7 || c["TcpExt.TCPKeepAlive"] != 12 || c["Tcp.RtoMin"] != 200 {
		t.Fatalf("got %v", c)
	}
}

func track(states ...model.State) *Track {
	t := &Track{}
	for i, s := range states {
		t.Steps = append(t.Steps, Step{State: s, At: time.Duration(i) * time.Millisecond})
	}
	return t
}

func TestAlign(t *testing.T) {
	E, CW, LA, C := model.Established, model.CloseWait, model.LastAck, model.Closed
	eng := track(E, CW, LA, C)
	// LAST-ACK missed by the sampler: allowed, shown as a gap.
	rows, ok := Align(eng, track(E, CW, C))
	if !ok || len(rows) != 4 || rows[2].Kernel != nil || rows[2].Engine.State != LA {
		t.Fatalf("missed transient: ok=%v rows=%+v", ok, rows)
	}
	// A state the engine lacks: a difference.
	if _, ok := Align(eng, track(E, CW, model.TimeWait, C)); ok {
		t.Error("a kernel TIME-WAIT the engine lacks must not align")
	}
	// Wrong order: a difference.
	if _, ok := Align(eng, track(E, LA, CW, C)); ok {
		t.Error("states in another order must not align")
	}
}

// fakeRuns builds kernel and engine facts for a close where the kernel
// behaves like the engine, so that a test can break one fact at a time.
func fakeRuns() (k, e *runFacts) {
	E, F1, F2, TW, CW, LA, C := model.Established, model.FinWait1, model.FinWait2, model.TimeWait, model.CloseWait, model.LastAck, model.Closed
	mk := func(kernel bool) *runFacts {
		f := &runFacts{}
		f.tracks[model.Client] = *track(E, F1, F2, TW, C)
		f.tracks[model.Server] = *track(E, CW, LA, C)
		if kernel {
			f.tracks[model.Server] = *track(E, CW, C)
		}
		tw := Timer{Kind: model.TimerTimeWait, Left: 60 * time.Second, Max: 60 * time.Second}
		if kernel {
			tw = Timer{Code: trTimeWait, Left: 59990 * time.Millisecond, Max: 59990 * time.Millisecond}
		}
		f.tracks[model.Client].Steps[3].Timers = []Timer{tw}
		return f
	}
	return mk(true), mk(false)
}

func runChecks(k, e *runFacts) *Report {
	r := &Report{}
	c := &checker{r: r, k: k, e: e}
	c.compare()
	scenarios[0].checks(c) // close
	return r
}

func failed(r *Report) []string {
	var out []string
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c.Key)
		}
	}
	return out
}

// The checks must catch each way the engine could contradict the kernel.
func TestChecksCatchDifferences(t *testing.T) {
	k, e := fakeRuns()
	if f := failed(runChecks(k, e)); len(f) != 1 || f[0] != "kernel.check.timer" {
		// The fake kernel never showed FIN-WAIT-2's timer: only that check fails.
		t.Fatalf("baseline: failing checks %v", f)
	}
	cases := []struct {
		name   string
		break_ func(k, e *runFacts)
		want   string
	}{
		{"passive closer gets TIME-WAIT in the engine", func(k, e *runFacts) {
			e.tracks[model.Server] = *track(model.Established, model.CloseWait, model.LastAck, model.TimeWait, model.Closed)
		}, "kernel.check.never"},
		{"active closer ends elsewhere", func(k, e *runFacts) {
			e.tracks[model.Client] = *track(model.Established, model.FinWait1, model.FinWait2, model.Closed)
		}, "kernel.check.ends_in"},
		{"TIME-WAIT timer 4 minutes", func(k, e *runFacts) {
			e.tracks[model.Client].Steps[3].Timers[0].Left = 4 * time.Minute
		}, "kernel.check.timer"},
		{"kernel shows a state the engine lacks", func(k, e *runFacts) {
			k.tracks[model.Server] = *track(model.Established, model.CloseWait, model.Closing, model.Closed)
		}, "kernel.check.sequence"},
		{"final states differ", func(k, e *runFacts) {
			e.tracks[model.Server] = *track(model.Established, model.CloseWait)
		}, "kernel.check.final"},
		{"CLOSE-WAIT never sampled", func(k, e *runFacts) {
			k.tracks[model.Server] = *track(model.Established, model.Closed)
		}, "kernel.check.seen"},
	}
	for _, c := range cases {
		k, e := fakeRuns()
		c.break_(k, e)
		if f := failed(runChecks(k, e)); !slices.Contains(f, c.want) {
			t.Errorf("%s: failing checks %v, want %s among them", c.name, f, c.want)
		}
	}
}

func TestEngineTracks(t *testing.T) {
	for _, s := range scenarios {
		sc, err := engineScenario(&s)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		f, err := engineRun(sc, s.sets, 0)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for side := model.Client; side <= model.Server; side++ {
			if st := f.tracks[side].States(); len(st) == 0 || st[0] != model.Established {
				t.Errorf("%s %s: engine track %v should start ESTABLISHED", s.name, side, st)
			}
		}
	}
}

func catalogueKeys(t *testing.T, lang string) []string {
	t.Helper()
	b, err := fs.ReadFile(assets.FS, "messages/"+lang+"/kernel.txt")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(v) == "" {
			t.Errorf("%s: bad line %q", lang, line)
			continue
		}
		k = strings.TrimSpace(k)
		if !strings.HasPrefix(k, "kernel.") {
			t.Errorf("%s: key %q lacks the kernel. prefix", lang, k)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Both catalogues have the same keys, and every key the Go code names
// exists in them.
func TestCatalogue(t *testing.T) {
	en, zh := catalogueKeys(t, "en"), catalogueKeys(t, "zh")
	if !slices.Equal(en, zh) {
		t.Errorf("en and zh kernel.txt keys differ:\nen %v\nzh %v", en, zh)
	}
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`"(kernel\.[a-z0-9_.-]*[a-z0-9_])"`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	// Keys built at run time.
	for _, k := range []string{"kernel.tr.1", "kernel.tr.2", "kernel.tr.3", "kernel.tr.4",
		"kernel.side.client", "kernel.side.server"} {
		used[k] = true
	}
	for _, k := range []model.TimerKind{model.TimerRetransmit, model.TimerTimeWait, model.TimerFinWait2, model.TimerKeepalive} {
		used["kernel.timer."+k.String()] = true
	}
	for k := range used {
		if _, ok := slices.BinarySearch(en, k); !ok {
			t.Errorf("key %s used in code but missing from kernel.txt", k)
		}
	}
}

// WriteReport fills every placeholder and finds every key in both
// languages.
func TestWriteReport(t *testing.T) {
	k, e := fakeRuns()
	r := runChecks(k, e)
	r.Scenario, r.Release, r.Ports, r.Elapsed, r.Samples, r.Interval = "close", "6.18", [2]uint16{40000, 8080}, time.Second, 200, 5*time.Millisecond
	r.Kernel, r.Engine = k.tracks, e.tracks
	r.Options = []Option{{Side: model.Client, Key: "kernel.opt.linger2", Args: []any{"secs", 2}}}
	sys := []Sysctl{{Name: "tcp_fin_timeout", Value: "30", Profile: "60", Param: "fin_timeout"}}
	for _, lang := range []string{"en", "zh"} {
		var b bytes.Buffer
		WriteReport(&b, r, sys, 7, lang)
		out := b.String()
		if strings.Contains(out, "kernel.") || strings.Contains(out, "{") {
			t.Errorf("%s: unfilled key or placeholder:\n%s", lang, out)
		}
		for _, want := range []string{"TIME-WAIT", "59.990s", "40000", "tcp_fin_timeout", "7"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", lang, want, out)
			}
		}
		if lang == "zh" && !strings.Contains(out, "客户端") {
			t.Errorf("zh output not in Chinese:\n%s", out)
		}
	}
}

func TestErrorText(t *testing.T) {
	err := &Error{Key: "kernel.err.proc", Args: []any{"path", "/proc/net/tcp"}, Err: os.ErrPermission}
	if s := err.Error(); !strings.Contains(s, "/proc/net/tcp") || !strings.Contains(s, "permission") {
		t.Errorf("Error() = %q", s)
	}
	if s := ErrNotLinux.Text("zh"); !strings.Contains(s, "Linux") || s == ErrNotLinux.Error() {
		t.Errorf("zh text %q", s)
	}
}
