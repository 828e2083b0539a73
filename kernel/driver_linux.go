//go:build linux

package kernel

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"time"

	"finwait/model"
)

// sampleEvery is the pause between background samples of /proc/net/tcp.
// Reading the file walks the whole connection hash table, which takes a
// few milliseconds on a default-sized table, so the real interval is
// longer: Report.Interval is the measured mean. The keepalive run has no
// short states to catch and samples less often to spare the CPU.
const sampleEvery = time.Millisecond

func sampleInterval(name string) time.Duration {
	if name == "keepalive-alive" {
		return 10 * time.Millisecond
	}
	return sampleEvery
}

// ioTimeout bounds every blocking read: a kernel that does not behave as
// expected fails the run instead of hanging it.
const ioTimeout = 5 * time.Second

// kernelDrivers run each scenario on real sockets. Time 0 is the
// scenario's time 0; the engine's scenario file gives the same actions.
var kernelDrivers = map[string]func(k *krun) error{
	"close":               func(k *krun) error { return k.closeThenPeer(model.Client, 50*time.Millisecond) },
	"server-close":        func(k *krun) error { return k.closeThenPeer(model.Server, 50*time.Millisecond) },
	"three-segment-close": func(k *krun) error { return k.closeThenPeer(model.Client, 10*time.Millisecond) },
	"half-close":          (*krun).halfClose,
	"fin-wait-2-timeout":  (*krun).finWait2Timeout,
	"abort":               (*krun).abortUnread,
	"abort-linger":        (*krun).abortLinger,
	"keepalive-alive":     (*krun).keepalive,
}

// Compare runs scenario on real sockets on 127.0.0.1 and in the engine
// (linux profile plus the scenario's per-socket settings) and returns the
// two side by side with the scenario's checks. Scenarios lists the names.
func Compare(scenario string) (*Report, error) {
	s := findScenario(scenario)
	if s == nil {
		return nil, &Error{Key: "kernel.err.unknown_scenario", Args: []any{"name", scenario, "list", strings.Join(Scenarios(), ", ")}}
	}
	if _, err := os.ReadFile(procTCP); err != nil {
		return nil, &Error{Key: "kernel.err.proc", Args: []any{"path", procTCP}, Err: err}
	}
	sc, err := engineScenario(s)
	if err != nil {
		return nil, &Error{Key: "kernel.err.engine", Err: err}
	}
	sets := append([]string(nil), s.sets...)
	if !hasSet(sets, "fin_timeout") {
		// The engine's orphaned FIN-WAIT-2 lasts this machine's
		// tcp_fin_timeout when it differs from the profile's 60 s.
		if v, err := readSysctl("tcp_fin_timeout"); err == nil && v != "60" && v != "" {
			sets = append(sets, "fin_timeout="+v+"s")
		}
	}
	k, err := runKernel(s.name)
	if err != nil {
		return nil, err
	}
	window := time.Duration(0)
	if s.name == "keepalive-alive" {
		window = k.elapsed
	}
	e, err := engineRun(sc, sets, window)
	if err != nil {
		return nil, &Error{Key: "kernel.err.engine", Err: err}
	}
	rel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	r := &Report{Scenario: s.name, Release: strings.TrimSpace(string(rel)), Ports: k.ports, Sets: sets,
		Options: k.opts, Kernel: k.facts.tracks, Engine: e.tracks, Samples: k.samples, Elapsed: k.elapsed}
	if k.samples > 0 {
		r.Interval = k.elapsed / time.Duration(k.samples)
	}
	c := &checker{r: r, k: &k.facts, e: e}
	c.compare()
	s.checks(c)
	return r, nil
}

func hasSet(sets []string, name string) bool {
	for _, s := range sets {
		if strings.HasPrefix(s, name+"=") {
			return true
		}
	}
	return false
}

// krun is one kernel run: a connected pair on loopback and the sampler.
type krun struct {
	conn    [2]*net.TCPConn
	ports   [2]uint16
	smp     *sampler
	t0      time.Time
	facts   runFacts
	opts    []Option
	samples int
	elapsed time.Duration
}

func runKernel(name string) (*krun, error) {
	drive := kernelDrivers[name]
	k := &krun{}
	if err := k.connect(); err != nil {
		return nil, err
	}
	defer func() {
		for _, c := range k.conn {
			if c != nil {
				c.Close()
			}
		}
	}()
	before := readCounters()
	k.t0 = time.Now()
	local := [2]netip.AddrPort{
		k.conn[model.Client].LocalAddr().(*net.TCPAddr).AddrPort(),
		k.conn[model.Server].LocalAddr().(*net.TCPAddr).AddrPort(),
	}
	k.ports = [2]uint16{local[0].Port(), local[1].Port()}
	k.smp = newSampler(k.t0, sampleInterval(name), local[0], local[1])
	k.smp.sample()
	k.smp.start()
	err := drive(k)
	k.elapsed = time.Since(k.t0)
	tracks, n, serr := k.smp.finish()
	after := readCounters()
	k.facts.tracks, k.samples = tracks, n
	k.facts.rsts = int(after["Tcp.OutRsts"] - before["Tcp.OutRsts"])
	if k.facts.probes == 0 {
		k.facts.probes = int(after["TcpExt.TCPKeepAlive"] - before["TcpExt.TCPKeepAlive"])
	}
	if err != nil {
		return nil, &Error{Key: "kernel.err.run", Args: []any{"name", name}, Err: err}
	}
	if serr != nil {
		return nil, &Error{Key: "kernel.err.proc", Args: []any{"path", procTCP}, Err: serr}
	}
	return k, nil
}

// connect makes an ESTABLISHED pair on 127.0.0.1 and exchanges one request
// and one response, as the engine's "start established" assumes: with
// payload received, a FIN's ACK is delayed (SPEC.md A3, A4). Go's default
// keepalive is switched off on both ends: the sockets carry only what the
// scenario sets.
func (k *krun) connect() error {
	lc := net.ListenConfig{KeepAlive: -1}
	ln, err := lc.Listen(context.Background(), "tcp4", "127.0.0.1:0")
	if err != nil {
		return &Error{Key: "kernel.err.socket", Err: err}
	}
	defer ln.Close()
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := ln.Accept()
		ch <- res{c, err}
	}()
	d := net.Dialer{KeepAlive: -1, Timeout: ioTimeout}
	c, err := d.Dial("tcp4", ln.Addr().String())
	if err != nil {
		return &Error{Key: "kernel.err.socket", Err: err}
	}
	k.conn[model.Client] = c.(*net.TCPConn)
	a := <-ch
	if a.err != nil {
		return &Error{Key: "kernel.err.socket", Err: a.err}
	}
	k.conn[model.Server] = a.c.(*net.TCPConn)
	req := bytes.Repeat([]byte{'q'}, 64)
	if err := k.exchange(model.Client, req); err != nil {
		return err
	}
	if err := k.exchange(model.Server, req); err != nil {
		return err
	}
	// Let the delayed ACKs of the exchange leave before time 0.
	time.Sleep(60 * time.Millisecond)
	return nil
}

func (k *krun) exchange(from model.Side, b []byte) error {
	if _, err := k.conn[from].Write(b); err != nil {
		return &Error{Key: "kernel.err.socket", Err: err}
	}
	to := k.conn[from.Other()]
	to.SetReadDeadline(time.Now().Add(ioTimeout))
	if _, err := io.ReadFull(to, make([]byte, len(b))); err != nil {
		return &Error{Key: "kernel.err.socket", Err: err}
	}
	return nil
}

// close calls close() on a side's socket and samples at once.
func (k *krun) close(side model.Side) error {
	c := k.conn[side]
	k.conn[side] = nil
	err := c.Close()
	k.smp.sample()
	return err
}

// read reads until EOF or an error (at most n bytes counted), records what
// the application saw and samples.
func (k *krun) read(side model.Side) (int, error) {
	c := k.conn[side]
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	n := 0
	buf := make([]byte, 4096)
	for {
		m, err := c.Read(buf)
		n += m
		if err == nil {
			continue
		}
		k.smp.sample()
		what := errnoName(err)
		if what == "" {
			return n, err
		}
		k.facts.seen[side] = append(k.facts.seen[side], what)
		return n, nil
	}
}

// errnoName names what a read returned the way the engine's trace does.
func errnoName(err error) string {
	for _, e := range []struct {
		errno syscall.Errno
		name  string
	}{{syscall.ECONNRESET, "ECONNRESET"}, {syscall.EPIPE, "EPIPE"}, {syscall.ETIMEDOUT, "ETIMEDOUT"}} {
		if errors.Is(err, e.errno) {
			return e.name
		}
	}
	if errors.Is(err, io.EOF) {
		return "EOF"
	}
	return ""
}

// wait sleeps until time at since time 0 (sampling in the background).
func (k *krun) wait(at time.Duration) {
	time.Sleep(time.Until(k.t0.Add(at)))
	k.smp.sample()
}

func (k *krun) now() time.Duration { return time.Since(k.t0) }

// setsockopt sets an integer socket option on a side's socket.
func (k *krun) setsockopt(side model.Side, level, opt, value int) error {
	rc, err := k.conn[side].SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), level, opt, value) }); err != nil {
		return err
	}
	return serr
}

// closeThenPeer: closer calls close() at 0; the peer reads EOF and closes
// after delay (close, server-close, three-segment-close).
func (k *krun) closeThenPeer(closer model.Side, delay time.Duration) error {
	peer := closer.Other()
	if err := k.close(closer); err != nil {
		return err
	}
	if _, err := k.read(peer); err != nil {
		return err
	}
	k.wait(k.now() + delay)
	if err := k.close(peer); err != nil {
		return err
	}
	k.wait(k.now() + 50*time.Millisecond)
	return nil
}

// halfClose: the client shuts down its sending side; the server reads EOF,
// sends 3000 bytes 10 ms later, which the client still reads, and closes
// at 300 ms.
func (k *krun) halfClose() error {
	if err := k.conn[model.Client].CloseWrite(); err != nil {
		return err
	}
	k.smp.sample()
	if _, err := k.read(model.Server); err != nil {
		return err
	}
	k.wait(k.now() + 10*time.Millisecond)
	if _, err := k.conn[model.Server].Write(make([]byte, 3000)); err != nil {
		return err
	}
	c := k.conn[model.Client]
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	n, err := io.ReadFull(c, make([]byte, 3000))
	k.facts.bytesAfterShut = n
	if err != nil {
		return err
	}
	k.smp.sample()
	k.wait(300 * time.Millisecond)
	if err := k.close(model.Server); err != nil {
		return err
	}
	if _, err := k.read(model.Client); err != nil {
		return err
	}
	k.wait(k.now() + 50*time.Millisecond)
	return k.close(model.Client)
}

// finWait2Timeout: the client sets TCP_LINGER2 and closes; the server
// reads EOF but does not close (a CLOSE-WAIT leak) until the client's
// orphaned FIN-WAIT-2 has expired; its late FIN then meets a RST.
func (k *krun) finWait2Timeout() error {
	secs := int(Linger2 / time.Second)
	if err := k.setsockopt(model.Client, syscall.IPPROTO_TCP, syscall.TCP_LINGER2, secs); err != nil {
		return err
	}
	k.opts = append(k.opts, Option{Side: model.Client, Key: "kernel.opt.linger2", Args: []any{"secs", secs}})
	if err := k.close(model.Client); err != nil {
		return err
	}
	if _, err := k.read(model.Server); err != nil {
		return err
	}
	deadline := Linger2 + 3*time.Second
	for !k.smp.gone(model.Client) {
		if k.now() > deadline {
			return &Error{Key: "kernel.err.fw2_stuck", Args: []any{"dur", model.FormatDuration(deadline)}}
		}
		time.Sleep(sampleEvery)
	}
	k.wait(k.now() + 200*time.Millisecond)
	if err := k.close(model.Server); err != nil {
		return err
	}
	k.wait(k.now() + 100*time.Millisecond)
	return nil
}

// abortUnread: the client sends 100 bytes the server never reads; the
// server's close() at 100 ms sends RST instead of FIN; the client's read
// sees ECONNRESET.
func (k *krun) abortUnread() error {
	if _, err := k.conn[model.Client].Write(make([]byte, 100)); err != nil {
		return err
	}
	k.wait(100 * time.Millisecond)
	if err := k.close(model.Server); err != nil {
		return err
	}
	k.wait(k.now() + 20*time.Millisecond)
	if _, err := k.read(model.Client); err != nil {
		return err
	}
	k.wait(k.now() + 20*time.Millisecond)
	return nil
}

// abortLinger: the client sets SO_LINGER {1, 0} and closes: RST at once;
// the server's read sees ECONNRESET.
func (k *krun) abortLinger() error {
	if err := k.conn[model.Client].SetLinger(0); err != nil {
		return err
	}
	k.opts = append(k.opts, Option{Side: model.Client, Key: "kernel.opt.linger0"})
	if err := k.close(model.Client); err != nil {
		return err
	}
	if _, err := k.read(model.Server); err != nil {
		return err
	}
	k.wait(k.now() + 20*time.Millisecond)
	return nil
}

// keepalive: the client turns keepalive on with a 1 s idle time, 1 s
// interval and 3 probes; the idle server answers every probe. The run lasts
// longer than idle + 3 x interval: a peer that did not answer would have
// been declared dead (RST, ETIMEDOUT) before the end.
func (k *krun) keepalive() error {
	for _, o := range []struct{ level, opt, v int }{
		{syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, 1},
		{syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE, int(KeepIdle / time.Second)},
		{syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL, int(KeepIntvl / time.Second)},
		{syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT, KeepCnt},
	} {
		if err := k.setsockopt(model.Client, o.level, o.opt, o.v); err != nil {
			return err
		}
	}
	k.opts = append(k.opts, Option{Side: model.Client, Key: "kernel.opt.keepalive",
		Args: []any{"idle", int(KeepIdle / time.Second), "intvl", int(KeepIntvl / time.Second), "cnt", KeepCnt}})
	k.wait(keepWindow)
	return nil
}

// readCounters reads the namespace's TCP counters (/proc/net/snmp and
// /proc/net/netstat); missing files give an empty map.
func readCounters() map[string]int64 {
	out := map[string]int64{}
	for _, f := range []string{"/proc/net/snmp", "/proc/net/netstat"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for k, v := range parseCounters(bytes.NewReader(b)) {
			out[k] = v
		}
	}
	return out
}

func readSysctl(name string) (string, error) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/" + name)
	if err != nil {
		return "", err
	}
	return strings.Join(strings.Fields(string(b)), " "), nil
}

// Sysctls returns this machine's net.ipv4 TCP settings next to the linux
// profile's defaults.
func Sysctls() []Sysctl {
	out := profileSysctls()
	for i := range out {
		out[i].Value, out[i].Err = readSysctl(out[i].Name)
	}
	return out
}

// CountTimeWait counts the TIME-WAIT sockets (st 06) on this machine in
// /proc/net/tcp and /proc/net/tcp6 (the latter may be absent).
func CountTimeWait() (int, error) {
	n := 0
	for i, f := range []string{procTCP, "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			if i > 0 && errors.Is(err, os.ErrNotExist) {
				continue
			}
			return 0, &Error{Key: "kernel.err.proc", Args: []any{"path", f}, Err: err}
		}
		socks, err := ParseProcNet(bytes.NewReader(b))
		if err != nil {
			return 0, &Error{Key: "kernel.err.proc", Args: []any{"path", f}, Err: err}
		}
		for _, s := range socks {
			if s.St == stTimeWait {
				n++
			}
		}
	}
	return n, nil
}
