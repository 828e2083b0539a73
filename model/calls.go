package model

// What the application calls and the hosts' power do to sockets.

// connect is connect(2) on the client: from an ephemeral port (which may
// take over a TIME-WAIT socket, SPEC.md 3.4), or from ClientPort again
// when sameport (bind, then connect).
func (w *world) connect(sameport bool) {
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
				return
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
			return
		}
	}
	var isn uint32
	if tw != nil {
		isn = tw.SndNxt + 65537
		w.reuseN++
		w.setState(tw, Rule3_4, "")
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
	w.setState(ep, Rule1, "")
	w.sendNew(ep, Segment{Flags: SYN, Seq: ep.ISS}, "send.syn")
}

func (w *world) sendFIN(ep *Endpoint) {
	ep.finQueue = true
	w.output(ep)
}

// closeEp is close(2) on a socket.
func (w *world) closeEp(ep *Endpoint) {
	ep.Orphan = true
	switch ep.State {
	case Listen, SynSent:
		w.setState(ep, Rule5, "")
		if ep.Host == Server {
			w.hosts[Server].listening = false
		}
		return
	}
	if ep.Unread > 0 {
		// Unread data: RST instead of FIN, no TIME-WAIT (SPEC.md B3).
		w.transmit(ep.Host, ep, Segment{Flags: RST | ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, "send.rst_unread")
		w.setState(ep, RuleB3, "")
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

// finState fires the close() row when the FIN leaves.
func (w *world) finState(ep *Endpoint) {
	switch ep.State {
	case Established:
		w.setState(ep, Rule7, "")
	case SynReceived:
		w.setState(ep, Rule6c, "")
	case CloseWait:
		w.setState(ep, Rule14, "")
	}
}

// abort is close() with SO_LINGER {1, 0}: RST, no TIME-WAIT (rules 25, 26).
func (w *world) abort(ep *Endpoint, rule RuleName) {
	ep.Orphan = true
	switch ep.State {
	case Closing, LastAck, TimeWait:
		w.setState(ep, Rule26, "")
	case Listen, SynSent:
		w.setState(ep, Rule5, "")
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
			w.setState(ep, RuleP, "")
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
