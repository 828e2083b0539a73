package difftest

import (
	"bytes"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"finwait/model"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/channel"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"
)

var hostAddr = [2]tcpip.Address{
	tcpip.AddrFrom4([4]byte{192, 0, 2, 1}),    // client, as model.Addr
	tcpip.AddrFrom4([4]byte{198, 51, 100, 2}), // server
}

// gvHost is one machine: a gVisor stack on a channel link.
type gvHost struct {
	side     model.Side
	st       *stack.Stack
	link     *channel.Endpoint
	down     bool
	listener tcpip.Endpoint
	app      tcpip.Endpoint // the socket the application holds; nil after close()
	noread   bool
	eof      bool
	errSeen  bool
	// eps are every connection endpoint seen on this host, in order of
	// first appearance; last is the state last recorded for each.
	eps  []*tcp.Endpoint
	last []string
	gen  int // ordinal base: a rebooted host numbers its endpoints on
}

// flight is a packet on the wire between the hosts.
type flight struct {
	id     int
	from   model.Side
	sentAt time.Duration
	at     time.Duration
	data   []byte
	lost   bool
	seg    int // index in rec.segs
}

type pending struct {
	at time.Duration
	a  model.Action
	id int
}

// gvNet is the gVisor side of a differential run: two stacks joined by
// channel links whose packets the harness carries by hand after the
// engine's one-way delay, with a manual clock.
type gvNet struct {
	tb    testing.TB
	clock *trackClock
	p     model.Params
	hosts [2]*gvHost
	t0    time.Time // the scenario's time 0
	rec   *record
	recOn bool

	mu      sync.Mutex // guards out and writes (written from stack goroutines)
	out     []flight
	writes  int
	flights []flight
	nextID  int

	rules   []model.FaultRule
	sent    [2]int
	sentBy  [2][5]int
	actions []pending
	actN    int
	trig    []model.Trigger
	isn     [2]uint32
	retired []*gvHost
}

func newGvNet(tb testing.TB, p model.Params) *gvNet {
	n := &gvNet{tb: tb, clock: newTrackClock(), p: p, rec: newRecord()}
	for side := model.Client; side <= model.Server; side++ {
		n.hosts[side] = n.newHost(side)
	}
	n.t0 = n.clock.Now()
	return n
}

type notifier func()

func (f notifier) WriteNotify() { f() }

func (n *gvNet) newHost(side model.Side) *gvHost {
	h := &gvHost{side: side}
	h.st = stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol},
		Clock:              n.clock,
	})
	h.link = channel.New(1024, 1500, "")
	h.link.AddNotify(notifier(func() { n.captured(h) }))
	if err := h.st.CreateNIC(1, h.link); err != nil {
		n.tb.Fatalf("CreateNIC: %v", err)
	}
	pa := tcpip.ProtocolAddress{Protocol: ipv4.ProtocolNumber, AddressWithPrefix: hostAddr[side].WithPrefix()}
	if err := h.st.AddProtocolAddress(1, pa, stack.AddressProperties{}); err != nil {
		n.tb.Fatalf("AddProtocolAddress: %v", err)
	}
	h.st.SetRouteTable([]tcpip.Route{{Destination: header.IPv4EmptySubnet, NIC: 1}})
	// TIME-WAIT and the orphaned FIN-WAIT-2 lifetime as the engine's.
	tw := tcpip.TCPTimeWaitTimeoutOption(n.p.TimeWait())
	if err := h.st.SetTransportProtocolOption(tcp.ProtocolNumber, &tw); err != nil {
		n.tb.Fatalf("time-wait option: %v", err)
	}
	lt := tcpip.TCPLingerTimeoutOption(n.p.FinTimeout)
	if err := h.st.SetTransportProtocolOption(tcp.ProtocolNumber, &lt); err != nil {
		n.tb.Fatalf("linger2 option: %v", err)
	}
	if side == model.Server {
		var wq waiter.Queue
		ep, err := h.st.NewEndpoint(tcp.ProtocolNumber, ipv4.ProtocolNumber, &wq)
		if err != nil {
			n.tb.Fatalf("NewEndpoint: %v", err)
		}
		if err := ep.Bind(tcpip.FullAddress{Port: model.ServerPort}); err != nil {
			n.tb.Fatalf("Bind: %v", err)
		}
		if err := ep.Listen(16); err != nil {
			n.tb.Fatalf("Listen: %v", err)
		}
		h.listener = ep
	}
	return h
}

func (n *gvNet) now() time.Duration { return n.clock.Now().Sub(n.t0) }

// captured takes the packets a stack has just written, stamped with the
// time they left (the clock stands at a timer's deadline while it runs).
func (n *gvNet) captured(h *gvHost) {
	for {
		pkt := h.link.Read()
		if pkt == nil {
			return
		}
		v := pkt.ToView()
		data := append([]byte(nil), v.AsSlice()...)
		v.Release()
		pkt.DecRef()
		n.mu.Lock()
		n.writes++
		if !h.down {
			n.out = append(n.out, flight{from: h.side, sentAt: n.now(), data: data})
		}
		n.mu.Unlock()
	}
}

// tcpOf parses an IPv4 packet carrying TCP.
func tcpOf(b []byte) (header.TCP, int, bool) {
	ip := header.IPv4(b)
	if len(b) < header.IPv4MinimumSize || !ip.IsValid(len(b)) || ip.TransportProtocol() != header.TCPProtocolNumber {
		return nil, 0, false
	}
	t := header.TCP(ip.Payload())
	return t, len(ip.Payload()) - int(t.DataOffset()), true
}

func flagsOf(t header.TCP) model.Flags {
	f := t.Flags()
	var out model.Flags
	for _, m := range []struct {
		g header.TCPFlags
		f model.Flags
	}{{header.TCPFlagSyn, model.SYN}, {header.TCPFlagFin, model.FIN}, {header.TCPFlagRst, model.RST},
		{header.TCPFlagPsh, model.PSH}, {header.TCPFlagAck, model.ACK}} {
		if f.Contains(m.g) {
			out |= m.f
		}
	}
	return out
}

var kindIdx = map[string]int{"SYN": 0, "FIN": 1, "RST": 2, "DATA": 3, "ACK": 4}

func segKind(f model.Flags, l int) int {
	switch {
	case f&model.RST != 0:
		return 2
	case f&model.SYN != 0:
		return 0
	case f&model.FIN != 0:
		return 1
	case l > 0:
		return 3
	}
	return 4
}

func ruleMatches(r *model.FaultRule, k int) bool {
	for i := 0; i < r.NSpan; i++ {
		if k >= r.Spans[i][0] && k <= r.Spans[i][1] {
			return true
		}
	}
	return false
}

// launch puts the captured packets on the wire, applying the scenario's
// fault rules exactly as the engine does (counted per sending side, all
// segments or one kind).
func (n *gvNet) launch() {
	n.mu.Lock()
	out := n.out
	n.out = nil
	n.mu.Unlock()
	for _, f := range out {
		t, l, ok := tcpOf(f.data)
		if !ok {
			continue
		}
		fl := flagsOf(t)
		f.at = f.sentAt + n.p.Delay
		f.id = n.nextID
		n.nextID++
		if n.recOn {
			ki := segKind(fl, l)
			n.sent[f.from]++
			n.sentBy[f.from][ki]++
			for i := range n.rules {
				r := &n.rules[i]
				if r.Side != f.from || (r.Kind != "" && kindIdx[r.Kind] != ki) {
					continue
				}
				c := n.sent[f.from]
				if r.Kind != "" {
					c = n.sentBy[f.from][ki]
				}
				if !ruleMatches(r, c) {
					continue
				}
				switch r.Fault {
				case model.FaultDrop:
					f.lost = true
				case model.FaultDelay:
					f.at += r.Dur
				default:
					n.tb.Fatalf("fault %v not supported by the gVisor harness", r.Fault)
				}
			}
			f.seg = len(n.rec.segs)
			n.rec.segs = append(n.rec.segs, segRec{t: f.sentAt, from: f.from, flags: fl,
				seq: t.SequenceNumber(), ack: t.AckNumber(), len: l, lost: f.lost})
		} else if fl&model.SYN != 0 {
			n.isn[f.from] = t.SequenceNumber()
		}
		if !f.lost {
			n.flights = append(n.flights, f)
		}
	}
}

// settle lets both stacks finish all work due now: immediate timers and
// the TCP processor goroutines (Pause returns once their queues are empty).
func (n *gvNet) settle() {
	for i := 0; ; i++ {
		n.mu.Lock()
		before := n.writes
		n.mu.Unlock()
		n.clock.Advance(0)
		for _, h := range n.hosts {
			h.st.Pause()
			h.st.Resume()
		}
		n.mu.Lock()
		after := n.writes
		n.mu.Unlock()
		if after == before && i > 0 {
			break
		}
		if i > 1000 {
			n.tb.Fatal("gVisor stacks do not settle")
		}
	}
	n.launch()
	n.poll()
}

var stateNames = map[tcp.EndpointState]string{
	tcp.StateEstablished: "ESTABLISHED", tcp.StateSynSent: "SYN-SENT", tcp.StateSynRecv: "SYN-RECEIVED",
	tcp.StateFinWait1: "FIN-WAIT-1", tcp.StateFinWait2: "FIN-WAIT-2", tcp.StateTimeWait: "TIME-WAIT",
	tcp.StateClose: "CLOSED", tcp.StateCloseWait: "CLOSE-WAIT", tcp.StateLastAck: "LAST-ACK",
	tcp.StateListen: "LISTEN", tcp.StateClosing: "CLOSING",
	// gVisor keeps a connection that ended by RST or timeout in ERROR (its
	// sentry reports it as TCP_CLOSE); recorded as such, not renamed.
	tcp.StateError: "ERROR", tcp.StateInitial: "INITIAL", tcp.StateBound: "BOUND", tcp.StateConnecting: "CONNECTING",
}

// poll records every endpoint's state and what the applications see.
func (n *gvNet) poll() {
	t := n.now()
	for _, h := range n.hosts {
		if h.down {
			continue
		}
		// Endpoints registered with the stack: handshaking, connected
		// and TIME-WAIT ones (closed ones leave the table: keep polling
		// the ones already seen).
		for _, te := range h.st.RegisteredEndpoints() {
			ep, ok := te.(*tcp.Endpoint)
			if !ok || tcpip.Endpoint(ep) == h.listener || ep.EndpointState() == tcp.StateListen {
				continue
			}
			known := false
			for _, e := range h.eps {
				known = known || e == ep
			}
			if !known {
				h.eps = append(h.eps, ep)
				h.last = append(h.last, "")
			}
		}
		for i, ep := range h.eps {
			st := stateNames[ep.EndpointState()]
			if st != h.last[i] {
				h.last[i] = st
				if n.recOn {
					n.rec.addState(epKey{h.side, h.gen + i + 1}, t, st)
				}
			}
		}
		n.accept(h)
		n.readApp(h, t)
	}
}

func (n *gvNet) accept(h *gvHost) {
	if h.listener == nil {
		return
	}
	for {
		ep, _, err := h.listener.Accept(nil)
		if err != nil {
			return
		}
		h.app = ep
		h.eof, h.errSeen = false, false
	}
}

func errName(err tcpip.Error) string {
	switch err.(type) {
	case *tcpip.ErrConnectionReset:
		return "ECONNRESET"
	case *tcpip.ErrTimeout:
		return "ETIMEDOUT"
	case *tcpip.ErrConnectionAborted:
		return "ECONNABORTED"
	case *tcpip.ErrConnectionRefused:
		return "ECONNREFUSED"
	case *tcpip.ErrClosedForSend:
		return "EPIPE"
	}
	return fmt.Sprintf("%T", err)
}

// readApp reads whatever the application can read now, as finwait's
// applications do (unless the scenario says the side does not read).
func (n *gvNet) readApp(h *gvHost, t time.Duration) {
	if h.app == nil || h.noread || h.errSeen {
		// An application stops reading once it has seen an error.
		return
	}
	for {
		var buf bytes.Buffer
		res, err := h.app.Read(&buf, tcpip.ReadOptions{})
		switch err.(type) {
		case nil:
			if res.Count == 0 {
				return
			}
			n.note(h.side, t, "DATA "+itoa(res.Count))
			continue
		case *tcpip.ErrWouldBlock:
			return
		case *tcpip.ErrClosedForReceive:
			if !h.eof {
				h.eof = true
				n.note(h.side, t, "EOF")
				n.onEOF(h.side)
			}
			return
		default:
			if !h.errSeen {
				h.errSeen = true
				n.note(h.side, t, errName(err))
			}
			return
		}
	}
}

func (n *gvNet) note(side model.Side, t time.Duration, what string) {
	if n.recOn {
		n.rec.notes[side] = append(n.rec.notes[side], noteRec{t, what})
	}
}

func (n *gvNet) onEOF(side model.Side) {
	for _, tr := range n.trig {
		if tr.Side == side && tr.On == "eof" {
			n.schedule(n.now()+tr.After, tr.Action)
		}
	}
}

func (n *gvNet) schedule(at time.Duration, a model.Action) {
	n.actN++
	n.actions = append(n.actions, pending{at: at, a: a, id: n.actN})
	sort.SliceStable(n.actions, func(i, j int) bool { return n.actions[i].at < n.actions[j].at })
}

func (n *gvNet) keepalive(ep tcpip.Endpoint) {
	ep.SocketOptions().SetKeepAlive(true)
	idle := tcpip.KeepaliveIdleOption(n.p.KeepaliveTime)
	intvl := tcpip.KeepaliveIntervalOption(n.p.KeepaliveIntvl)
	if err := ep.SetSockOpt(&idle); err != nil {
		n.tb.Fatalf("keepalive idle: %v", err)
	}
	if err := ep.SetSockOpt(&intvl); err != nil {
		n.tb.Fatalf("keepalive interval: %v", err)
	}
	if err := ep.SetSockOptInt(tcpip.KeepaliveCountOption, n.p.KeepaliveProbe); err != nil {
		n.tb.Fatalf("keepalive count: %v", err)
	}
}

// connect opens a connection from the client's fixed port.
func (n *gvNet) connect() {
	h := n.hosts[model.Client]
	var wq waiter.Queue
	ep, err := h.st.NewEndpoint(tcp.ProtocolNumber, ipv4.ProtocolNumber, &wq)
	if err != nil {
		n.tb.Fatalf("NewEndpoint: %v", err)
	}
	// bind() then connect() from the same port, as finwait's reconnect;
	// SO_REUSEADDR as an application doing that sets it.
	ep.SocketOptions().SetReuseAddress(true)
	if err := ep.Bind(tcpip.FullAddress{Port: model.ClientPort}); err != nil {
		n.tb.Fatalf("Bind: %v", err)
	}
	if n.p.Keepalive && n.recOn {
		n.keepalive(ep)
	}
	switch err := ep.Connect(tcpip.FullAddress{NIC: 1, Addr: hostAddr[model.Server], Port: model.ServerPort}); err.(type) {
	case *tcpip.ErrConnectStarted, nil:
	default:
		n.tb.Fatalf("Connect: %v", err)
	}
	h.app = ep
	h.eof, h.errSeen = false, false
}

// step runs everything due at the earliest next instant (a timer, an
// arriving packet or a scripted action). It returns false when nothing is
// left before until.
func (n *gvNet) step(until time.Duration) bool {
	n.settle()
	next := time.Duration(-1)
	take := func(t time.Duration) {
		if next < 0 || t < next {
			next = t
		}
	}
	if at, ok := n.clock.next(); ok {
		take(at.Sub(n.t0))
	}
	for _, f := range n.flights {
		take(f.at)
	}
	if len(n.actions) > 0 {
		take(n.actions[0].at)
	}
	if next < 0 || next > until {
		return false
	}
	if d := next - n.now(); d > 0 {
		n.clock.Advance(d)
	}
	n.settle()
	// Packets arriving now, in sending order.
	sort.SliceStable(n.flights, func(i, j int) bool {
		if n.flights[i].at != n.flights[j].at {
			return n.flights[i].at < n.flights[j].at
		}
		return n.flights[i].id < n.flights[j].id
	})
	for len(n.flights) > 0 && n.flights[0].at <= next {
		f := n.flights[0]
		n.flights = n.flights[1:]
		dst := n.hosts[f.from.Other()]
		if dst.down {
			if n.recOn {
				n.rec.segs[f.seg].lost = true
			}
			continue
		}
		pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(f.data)})
		dst.link.InjectInbound(ipv4.ProtocolNumber, pkt)
		pkt.DecRef()
		n.settle()
	}
	for len(n.actions) > 0 && n.actions[0].at <= next {
		a := n.actions[0].a
		n.actions = n.actions[1:]
		n.apply(a)
		n.settle()
	}
	return true
}

// apply performs a scenario action on the gVisor hosts.
func (n *gvNet) apply(a model.Action) {
	h := n.hosts[a.Side]
	need := func() tcpip.Endpoint {
		if h.app == nil {
			n.tb.Fatalf("gVisor: %v with no socket", a)
		}
		return h.app
	}
	switch a.Kind {
	case model.ActClose:
		need().Close()
		h.app = nil
	case model.ActAbort:
		ep := need()
		ep.SocketOptions().SetLinger(tcpip.LingerOption{Enabled: true, Timeout: 0})
		ep.Close()
		h.app = nil
	case model.ActShutdown:
		if err := need().Shutdown(tcpip.ShutdownWrite); err != nil {
			n.tb.Fatalf("Shutdown: %v", err)
		}
	case model.ActSend:
		ep := need()
		data := bytes.Repeat([]byte{'x'}, a.N)
		var r bytes.Reader
		r.Reset(data)
		if _, err := ep.Write(&r, tcpip.WriteOptions{}); err != nil {
			n.note(a.Side, n.now(), errName(err))
		}
	case model.ActReconnect:
		n.connect()
	case model.ActNoRead:
		h.noread = true
	case model.ActRead:
		h.noread = false
	case model.ActKeepalive:
		n.keepalive(need())
	case model.ActPowerOff, model.ActReboot:
		n.powerOff(h)
		if a.Kind == model.ActReboot {
			n.powerOn(a.Side)
		}
	case model.ActPowerOn:
		n.powerOn(a.Side)
	default:
		n.tb.Fatalf("action %v not supported by the gVisor harness", a)
	}
}

// powerOff: the host stops; its connections are gone (recorded CLOSED, as
// the engine's rule P) and nothing it would still send reaches the wire.
func (n *gvNet) powerOff(h *gvHost) {
	h.down = true
	for i := range h.eps {
		if n.recOn && h.last[i] != "CLOSED" {
			n.rec.addState(epKey{h.side, h.gen + i + 1}, n.now(), "CLOSED")
		}
	}
}

// powerOn boots the host again with a fresh stack: no connections, the
// server listening again.
func (n *gvNet) powerOn(side model.Side) {
	old := n.hosts[side]
	nh := n.newHost(side)
	nh.gen = old.gen + len(old.eps)
	nh.noread = old.noread
	n.hosts[side] = nh
	n.retired = append(n.retired, old)
}

// close releases both stacks.
func (n *gvNet) close() {
	for _, h := range append(n.retired, n.hosts[:]...) {
		h.down = true
		h.st.Close()
		h.st.Wait()
	}
}
