package serve

import (
	"encoding/binary"
	"io"
	"sync"
	"sync/atomic"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Bounds on what one student can make the server hold or do.
const (
	maxCols, maxRows = 400, 200 // a larger window is drawn at this size (cells cost memory)
	maxTermName      = 64       // $TERM
	maxPtyPayload    = 4 << 10  // pty-req with its terminal modes
	maxEnv           = 32       // env requests per session
	maxEnvPayload    = 1 << 10

	// Keys: a burst of inputBurst bytes, then inputRate bytes a second.
	// Typing and key repeat (30 keys a second, 3 bytes for an arrow) stay
	// far below; a long paste is dropped. Every key costs an Update and a
	// View, so this also bounds the CPU one student can ask for.
	inputBurst = 1 << 10
	inputRate  = 256
)

type guardedChannel struct{ gossh.NewChannel }

func (g guardedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, in, err := g.NewChannel.Accept()
	if err != nil {
		return ch, in, err
	}
	out := make(chan *gossh.Request)
	go screenRequests(in, out)
	return ch, out, nil
}

// screenRequests refuses agent and X11 forwarding (the library would say
// yes to the agent), bounds env requests, and clamps window sizes.
func screenRequests(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	envs := 0
	for req := range in {
		ok := true
		switch req.Type {
		case "auth-agent-req@openssh.com", "x11-req":
			ok = false
		case "env":
			envs++
			ok = envs <= maxEnv && len(req.Payload) <= maxEnvPayload
		case "pty-req":
			ok = clampPty(req.Payload)
		case "window-change":
			clampWindow(req.Payload)
		}
		if !ok {
			_ = req.Reply(false, nil)
			continue
		}
		out <- req
	}
}

// clampPty checks a pty-req payload (string TERM, uint32 cols, rows,
// width px, height px, string modes: RFC 4254 section 6.2) and clamps its
// size in place.
func clampPty(p []byte) bool {
	if len(p) > maxPtyPayload || len(p) < 4 {
		return false
	}
	n := binary.BigEndian.Uint32(p)
	if n > maxTermName || int(n)+4+16 > len(p) {
		return false
	}
	clampWindow(p[4+n:])
	return true
}

// clampWindow clamps the columns and rows at the start of p (a
// window-change payload, RFC 4254 section 6.7) in place.
func clampWindow(p []byte) {
	if len(p) < 8 {
		return
	}
	if binary.BigEndian.Uint32(p) > maxCols {
		binary.BigEndian.PutUint32(p, maxCols)
	}
	if binary.BigEndian.Uint32(p[4:]) > maxRows {
		binary.BigEndian.PutUint32(p[4:], maxRows)
	}
}

// inputGate is what the program reads the student's keys from: it notes
// when input last came (for the idle timeout) and drops what goes over a
// byte budget, whole reads at a time so that key sequences stay intact.
type inputGate struct {
	r    io.Reader
	last atomic.Int64 // unix nanoseconds

	mu      sync.Mutex
	tokens  float64
	fill    time.Time
	dropped int64
}

func newInputGate(r io.Reader) *inputGate {
	now := time.Now()
	g := &inputGate{r: r, tokens: inputBurst, fill: now}
	g.last.Store(now.UnixNano())
	return g
}

func (g *inputGate) lastInput() time.Time { return time.Unix(0, g.last.Load()) }

func (g *inputGate) Read(p []byte) (int, error) {
	for {
		n, err := g.r.Read(p)
		if n == 0 || g.allow(n) {
			return n, err
		}
		if err != nil {
			return 0, err
		}
	}
}

func (g *inputGate) allow(n int) bool {
	now := time.Now()
	g.last.Store(now.UnixNano())
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tokens = min(inputBurst, g.tokens+now.Sub(g.fill).Seconds()*inputRate)
	g.fill = now
	if float64(n) > g.tokens {
		g.dropped += int64(n)
		return false
	}
	g.tokens -= float64(n)
	return true
}
