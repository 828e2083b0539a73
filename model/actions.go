package model

import (
	"fmt"
	"time"
)

// ActionKind is something a user, a lesson or a scenario can do.
type ActionKind uint8

// Actions.
const (
	ActConnect   ActionKind = iota + 1 // active open from an ephemeral port
	ActReconnect                       // active open again from the client's same port (bind, then connect)
	ActListen                          // passive open
	ActClose                           // close(): FIN after queued data, or RST with unread data
	ActShutdown                        // shutdown(SHUT_WR): FIN, but keep reading
	ActSend                            // write N bytes
	ActAbort                           // close() with SO_LINGER {1, 0}: RST
	ActRead                            // read everything waiting
	ActNoRead                          // the application stops reading by itself
	ActKeepalive                       // setsockopt(SO_KEEPALIVE)
	ActPowerOff                        // the host loses power
	ActPowerOn                         // the host comes back, with no connections
	ActReboot                          // power off and on at once
	ActDrop                            // drop segment N in flight
	ActDelay                           // delay segment N in flight by Dur
	ActDuplicate                       // duplicate segment N in flight
	ActRule                            // add a fault rule (drop, delay or duplicate by count)
	ActSet                             // change a parameter from now on
)

var actNames = map[ActionKind]string{ActConnect: "connect", ActReconnect: "reconnect", ActListen: "listen",
	ActClose: "close", ActShutdown: "shutdown", ActSend: "send", ActAbort: "abort", ActRead: "read",
	ActNoRead: "noread", ActKeepalive: "keepalive", ActPowerOff: "poweroff", ActPowerOn: "poweron",
	ActReboot: "reboot", ActDrop: "drop", ActDelay: "delay", ActDuplicate: "duplicate", ActRule: "rule", ActSet: "set"}

func (k ActionKind) String() string { return actNames[k] }

// Action is one thing done to the run.
type Action struct {
	Kind  ActionKind
	Side  Side
	N     int           // bytes to send, or a segment id
	Dur   time.Duration // extra delay
	Rule  FaultRule
	Name  string // parameter
	Value string
}

func (a Action) String() string {
	switch a.Kind {
	case ActSend:
		return fmt.Sprintf("%s send %d", a.Side, a.N)
	case ActDrop, ActDuplicate:
		return fmt.Sprintf("%s segment %d", a.Kind, a.N)
	case ActDelay:
		return fmt.Sprintf("delay segment %d by %s", a.N, FormatDuration(a.Dur))
	case ActRule:
		return fmt.Sprintf("%s %s", a.Rule.Fault, a.Rule)
	case ActSet:
		return fmt.Sprintf("set %s=%s", a.Name, a.Value)
	}
	return a.Side.String() + " " + a.Kind.String()
}

// ActionError says why an action cannot be done now. Key is a message
// catalogue key; State is the side's state at the time.
type ActionError struct {
	Action Action
	State  State
	Key    string
	Err    error
}

func (e *ActionError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("cannot %s now: %s (state %s)", e.Action, e.Key, e.State)
}

func (e *ActionError) Unwrap() error { return e.Err }

// apply performs an action at the current time.
func (w *world) apply(a Action) error {
	ep := w.mainEp(a.Side)
	st := Closed
	if ep != nil {
		st = ep.State
	}
	fail := func(key string) error { return &ActionError{Action: a, State: st, Key: key} }
	hostDown := w.hosts[a.Side].down
	switch a.Kind {
	case ActConnect, ActReconnect, ActListen, ActClose, ActShutdown, ActSend, ActAbort, ActRead, ActNoRead, ActKeepalive:
		if hostDown {
			return fail("err.host_down")
		}
	}
	switch a.Kind {
	case ActConnect, ActReconnect:
		if a.Side != Client {
			return fail("err.connect_client_only")
		}
		// After close() the socket belongs to the kernel (an orphan in
		// FIN-WAIT-2, TIME-WAIT...): the application may connect again,
		// and a TIME-WAIT holding the port is then judged by tcp_tw_reuse
		// (SPEC.md 3.4).
		if ep != nil && ep.State != Closed && !ep.Orphan {
			return fail("err.busy")
		}
		return w.connect(a.Kind == ActReconnect)
	case ActListen:
		if ep != nil && ep.State != Closed {
			return fail("err.busy")
		}
		w.hosts[a.Side].listening = true
		nep := w.newEndpoint(a.Side, 0, Closed)
		nep.Lport = ServerPort
		nep.Keepalive = w.hosts[a.Side].ka
		w.setMain(nep)
		w.emit(nep, Event{Kind: EvApp, Detail: "listen", Note: "app.listen"})
		w.setState(nep, "1p", "")
		w.hosts[a.Side].listenEp = nep.index
		return nil
	case ActClose:
		return w.appClose(ep, a, st)
	case ActShutdown:
		if ep == nil || !(ep.State == Established || ep.State == CloseWait || ep.State == SynReceived) || ep.ShutWr {
			return fail("err.no_shutdown")
		}
		w.emit(ep, Event{Kind: EvApp, Detail: "shutdown", Note: "app.shutdown"})
		ep.ShutWr = true
		w.sendFIN(ep)
		return nil
	case ActSend:
		if ep == nil || ep.State == Closed {
			return fail("err.no_connection")
		}
		if ep.State == Listen || ep.State == SynSent || ep.State == SynReceived {
			return fail("err.not_connected")
		}
		if ep.ShutWr || ep.Orphan || !(ep.State == Established || ep.State == CloseWait) {
			w.emit(ep, Event{Kind: EvApp, Detail: "send", N: a.N, Note: "app.send"})
			w.notify(ep, "EPIPE", "notify.epipe")
			return nil
		}
		if a.N <= 0 || a.N > 1<<20 {
			return fail("err.send_size")
		}
		w.emit(ep, Event{Kind: EvApp, Detail: "send", N: a.N, Note: "app.send"})
		ep.queued += a.N
		w.output(ep)
		return nil
	case ActAbort:
		if ep == nil || ep.State == Closed {
			return fail("err.no_connection")
		}
		w.emit(ep, Event{Kind: EvApp, Detail: "abort", Note: "app.abort"})
		w.abort(ep, "25")
		return nil
	case ActRead:
		if ep == nil {
			return fail("err.no_connection")
		}
		ep.AutoRead = true
		if ep.Unread > 0 {
			w.emit(ep, Event{Kind: EvApp, Detail: "read", N: ep.Unread, Note: "app.read"})
			ep.Unread = 0
			if ep.RcvFin {
				w.signalEOF(ep)
			}
		}
		return nil
	case ActNoRead:
		w.hosts[a.Side].noread = true
		if ep != nil {
			ep.AutoRead = false
		}
		return nil
	case ActKeepalive:
		w.hosts[a.Side].ka = true
		if ep != nil {
			ep.Keepalive = true
			w.emit(ep, Event{Kind: EvApp, Detail: "keepalive", Note: "app.keepalive"})
			w.startKeepalive(ep)
		}
		return nil
	case ActPowerOff, ActReboot:
		if hostDown && a.Kind == ActPowerOff {
			return fail("err.host_down")
		}
		w.powerOff(a.Side)
		if a.Kind == ActReboot {
			w.powerOn(a.Side)
		}
		return nil
	case ActPowerOn:
		if !hostDown {
			return fail("err.host_up")
		}
		w.powerOn(a.Side)
		return nil
	case ActDrop, ActDelay, ActDuplicate:
		return w.faultFlight(a)
	case ActRule:
		w.rules = append(w.rules, a.Rule)
		return nil
	case ActSet:
		if err := w.p.Set(a.Name, a.Value); err != nil {
			return &ActionError{Action: a, State: st, Key: "err.param", Err: err}
		}
		if a.Name == "keepalive" {
			w.hosts[Client].ka = w.p.Keepalive
			if c := w.mainEp(Client); c != nil {
				c.Keepalive = w.p.Keepalive
				w.startKeepalive(c)
			}
		}
		return nil
	}
	return fail("err.unknown")
}

// mainEp is the endpoint shown in a side's column, if any.
func (w *world) mainEp(s Side) *Endpoint {
	if i := w.main[s]; i >= 0 && w.eps[i].live {
		return &w.eps[i]
	}
	return nil
}

func (w *world) connect(sameport bool) error {
	w.nextCon++
	conn := w.nextCon
	var port uint16
	var tw *Endpoint
	hs := &w.hosts[Client]
	if sameport {
		port = ClientPort
		if idx, ok := hs.lookup(port, ServerPort); ok {
			old := &w.eps[idx]
			if !w.reusable(old, true) {
				ep := w.newEndpoint(Client, conn, Closed)
				ep.Lport, ep.Rport = port, ServerPort
				w.setMain(ep)
				w.emit(ep, Event{Kind: EvApp, Detail: "connect", Note: "app.connect"})
				w.notify(ep, "EADDRNOTAVAIL", "notify.addrnotavail_bound")
				w.failN++
				return nil
			}
			tw = old
		}
	} else {
		var ok bool
		port, tw, ok = w.allocPort()
		if !ok {
			w.failN++
			if w.failN <= 3 {
				w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvNotify, Side: Client, Conn: conn, Detail: "EADDRNOTAVAIL", N: w.failN, Note: "notify.addrnotavail"})
			}
			return nil
		}
	}
	var isn uint32
	if tw != nil {
		isn = tw.SndNxt + 65537
		w.reuseN++
		w.setState(tw, "3.4", "")
	}
	ep := w.newEndpoint(Client, conn, Closed)
	ep.Lport, ep.Rport = port, ServerPort
	ep.Keepalive = hs.ka
	ep.AutoRead = !hs.noread
	if conn <= w.traceTo {
		w.setMain(ep)
	}
	hs.bind(w, ep)
	w.emit(ep, Event{Kind: EvApp, Detail: "connect", Note: "app.connect"})
	ep.ISS = w.isn(Client)
	if tw != nil {
		ep.ISS = isn
	}
	ep.SndUna, ep.SndNxt = ep.ISS, ep.ISS
	w.setState(ep, "1", "")
	w.sendNew(ep, Segment{Flags: SYN, Seq: ep.ISS}, "send.syn")
	return nil
}

func (w *world) sendFIN(ep *Endpoint) {
	ep.finQueue = true
	w.output(ep)
}

func (w *world) appClose(ep *Endpoint, a Action, st State) error {
	if ep == nil || ep.State == Closed {
		return &ActionError{Action: a, State: st, Key: "err.no_connection"}
	}
	if ep.Orphan {
		return &ActionError{Action: a, State: st, Key: "err.closed_already"}
	}
	w.emit(ep, Event{Kind: EvApp, Detail: "close", Note: "app.close"})
	w.closeEp(ep)
	return nil
}

// closeEp is close(2) on a socket.
func (w *world) closeEp(ep *Endpoint) {
	ep.Orphan = true
	switch ep.State {
	case Listen, SynSent:
		w.setState(ep, "5", "")
		if ep.Host == Server {
			w.hosts[Server].listening = false
		}
		return
	}
	if ep.Unread > 0 {
		// Unread data: RST instead of FIN, no TIME-WAIT (SPEC.md B3).
		w.transmit(ep.Host, ep, Segment{Flags: RST | ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, "send.rst_unread")
		w.setState(ep, "B3", "")
		return
	}
	switch ep.State {
	case FinWait2:
		if !ep.timers[TimerFinWait2].armed {
			// An orphaned FIN-WAIT-2 socket now has a timer (SPEC.md 3.3).
			w.stopTimer(ep, TimerKeepalive, true)
			w.armTimer(ep, TimerFinWait2, max(w.p.FinTimeout, w.rtoNow(ep)*7/2))
		}
		return
	case FinWait1, Closing, LastAck, TimeWait:
		return
	}
	if !ep.FinSent && !ep.finQueue {
		w.sendFIN(ep)
	}
}

// stateOnFIN applies the close() transition when the FIN leaves.
func (w *world) finState(ep *Endpoint) {
	switch ep.State {
	case Established:
		w.setState(ep, "7", "")
	case SynReceived:
		w.setState(ep, "6c", "")
	case CloseWait:
		w.setState(ep, "14", "")
	}
}

// abort is close() with SO_LINGER {1, 0}: RST, no TIME-WAIT (rules 25, 26).
func (w *world) abort(ep *Endpoint, rule string) {
	ep.Orphan = true
	switch ep.State {
	case Closing, LastAck, TimeWait:
		w.setState(ep, "26", "")
	case Listen, SynSent:
		w.setState(ep, "5", "")
	default:
		w.transmit(ep.Host, ep, Segment{Flags: RST | ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, "send.rst_abort")
		w.setState(ep, rule, "")
	}
}

func (w *world) powerOff(h Side) {
	hs := &w.hosts[h]
	hs.down = true
	w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvApp, Side: h, Detail: "poweroff", Note: "app.poweroff"})
	for i := range w.eps {
		ep := &w.eps[i]
		if ep.live && ep.Host == h && ep.State != Closed {
			w.setState(ep, "P", "")
		}
	}
}

func (w *world) powerOn(h Side) {
	hs := &w.hosts[h]
	hs.down = false
	w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvApp, Side: h, Detail: "poweron", Note: "app.poweron"})
	if hs.listening {
		hs.listenEp = -1
	}
}

func (w *world) faultFlight(a Action) error {
	for i := range w.flights {
		fs := &w.flights[i]
		if !fs.live || fs.Seg.ID != a.N {
			continue
		}
		switch a.Kind {
		case ActDrop:
			if fs.Fate != Arrives {
				return &ActionError{Action: a, Key: "err.seg_lost_already"}
			}
			fs.Fate = Lost
			fs.EndAt = w.now
		case ActDelay:
			if fs.Fate != Arrives || a.Dur <= 0 {
				return &ActionError{Action: a, Key: "err.seg_lost_already"}
			}
			fs.Delayed += a.Dur
			fs.ArriveAt += a.Dur
			fs.EndAt = fs.ArriveAt
			if fs.ArriveAt-fs.SentAt > w.p.Lifetime() {
				fs.Fate = Expires
				fs.EndAt = fs.SentAt + w.p.Lifetime()
			}
		case ActDuplicate:
			w.launch(Flight{Seg: fs.Seg, SentAt: w.now, ArriveAt: max(fs.ArriveAt, w.now) + w.p.Delay/2 + time.Millisecond, Dup: true})
			return nil
		}
		fs.gen++
		w.push(qitem{at: fs.EndAt, kind: qFlight, a: int32(i), gen: fs.gen})
		return nil
	}
	return &ActionError{Action: a, Key: "err.no_such_segment"}
}
