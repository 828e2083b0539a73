package model

// arrive handles the end of a flight.
func (w *world) arrive(idx int32) {
	fs := &w.flights[idx]
	f := fs.Flight
	fs.live = false
	w.ffree = append(w.ffree, idx)
	seg := f.Seg
	dst := seg.From.Other()
	traced := seg.Conn <= w.traceTo
	switch {
	case f.Fate == Lost:
		if traced {
			w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvDrop, Side: seg.From, Conn: seg.Conn, HasSeg: true, Seg: seg, Note: "drop.lost"})
		}
		return
	case f.Fate == Expires:
		if traced {
			w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvExpire, Side: seg.From, Conn: seg.Conn, HasSeg: true, Seg: seg, Dur: w.p.Lifetime(), Note: "expire.msl"})
		}
		return
	case w.hosts[dst].down:
		if traced {
			w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvDrop, Side: seg.From, Conn: seg.Conn, HasSeg: true, Seg: seg, Note: "drop.host_down"})
		}
		return
	}
	di := -1
	if traced {
		di = len(w.trace)
		w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvDeliver, Side: dst, Conn: seg.Conn, HasSeg: true, Seg: seg})
	}
	note := w.input(dst, &seg)
	if di >= 0 && note != "" {
		w.trace[di].Note = note
	}
}

// input is SEGMENT ARRIVES (RFC 9293 §3.10.7) at host h. It returns a
// message key that explains what became of the segment.
func (w *world) input(h Side, seg *Segment) string {
	hs := &w.hosts[h]
	idx, ok := hs.lookup(seg.DstPort, seg.SrcPort)
	if !ok {
		if seg.Flags&SYN != 0 && seg.Flags&(ACK|RST) == 0 && hs.listening && seg.DstPort == ServerPort {
			ep := w.listener(h, seg)
			return w.inListen(ep, seg)
		}
		return w.noSocket(h, seg)
	}
	ep := &w.eps[idx]
	if seg.Conn > ep.Conn && ep.Conn == 0 {
		ep.Conn = seg.Conn
	}
	switch ep.State {
	case Listen:
		return w.inListen(ep, seg)
	case SynSent:
		return w.inSynSent(ep, seg)
	case TimeWait:
		return w.inTimeWait(ep, seg)
	}
	return w.inSynchronized(ep, seg)
}

// listener returns the endpoint that takes a SYN arriving at a listening
// port: the LISTEN endpoint shown in the server column, or a new one.
func (w *world) listener(h Side, seg *Segment) *Endpoint {
	hs := &w.hosts[h]
	var ep *Endpoint
	if hs.listenEp >= 0 && w.eps[hs.listenEp].State == Listen {
		ep = &w.eps[hs.listenEp]
		hs.listenEp = -1
		ep.Conn = seg.Conn
		ep.traced = seg.Conn <= w.traceTo
	} else {
		ep = w.newEndpoint(h, seg.Conn, Listen)
		ep.Keepalive = w.hosts[h].ka
		if ep.traced {
			w.setMain(ep)
		}
	}
	ep.Lport, ep.Rport = seg.DstPort, seg.SrcPort
	hs.bind(w, ep)
	return ep
}

// noSocket answers a segment for which no socket exists (RFC 9293
// §3.10.7.1; SPEC.md C1): a RST, unless the segment is itself a RST.
func (w *world) noSocket(h Side, seg *Segment) string {
	if seg.Flags&RST != 0 {
		return "in.nosock_rst"
	}
	rst := Segment{Flags: RST, Seq: seg.Ack, Conn: seg.Conn, SrcPort: seg.DstPort, DstPort: seg.SrcPort}
	if seg.Flags&ACK == 0 {
		rst = Segment{Flags: RST | ACK, Seq: 0, Ack: seg.Seq + seg.SeqLen(), Conn: seg.Conn, SrcPort: seg.DstPort, DstPort: seg.SrcPort}
	}
	w.transmit(h, nil, rst, "send.rst_nosock")
	return "in.nosock"
}

func (w *world) inListen(ep *Endpoint, seg *Segment) string {
	switch {
	case seg.Flags&RST != 0:
		return "in.ignored"
	case seg.Flags&ACK != 0:
		w.transmit(ep.Host, ep, Segment{Flags: RST, Seq: seg.Ack}, "send.rst_listen")
		return "in.listen_ack"
	case seg.Flags&SYN == 0:
		return "in.ignored"
	}
	ep.IRS = seg.Seq
	ep.RcvNxt = seg.Seq + 1
	ep.ISS = w.isn(ep.Host)
	if tw := w.hosts[ep.Host].twISN; tw != 0 {
		ep.ISS = tw
		w.hosts[ep.Host].twISN = 0
	}
	ep.SndUna, ep.SndNxt = ep.ISS, ep.ISS
	ep.tsOK = w.p.Timestamps && seg.TS
	w.recordTS(ep, seg)
	ep.LastRcv = w.now
	w.setState(ep, Rule2, "")
	w.sendNew(ep, Segment{Flags: SYN | ACK, Seq: ep.ISS, Ack: ep.RcvNxt}, "send.synack")
	return "in.syn"
}

func (w *world) inSynSent(ep *Endpoint, seg *Segment) string {
	if seg.Flags&ACK != 0 && (seqLEQ(seg.Ack, ep.ISS) || seqGT(seg.Ack, ep.SndNxt)) {
		if seg.Flags&RST == 0 {
			w.transmit(ep.Host, ep, Segment{Flags: RST, Seq: seg.Ack}, "send.rst_badack")
		}
		return "in.bad_ack"
	}
	if seg.Flags&RST != 0 {
		if seg.Flags&ACK == 0 {
			return "in.ignored"
		}
		w.setState(ep, Rule4, "")
		w.notify(ep, "ECONNREFUSED", "notify.refused")
		return "in.rst"
	}
	if seg.Flags&SYN == 0 {
		return "in.ignored"
	}
	ep.IRS = seg.Seq
	ep.RcvNxt = seg.Seq + 1
	ep.tsOK = w.p.Timestamps && seg.TS
	w.recordTS(ep, seg)
	ep.LastRcv = w.now
	if seg.Flags&ACK != 0 {
		w.ackAdvance(ep, seg.Ack)
		w.setState(ep, Rule3, "")
		w.sendACK(ep, "send.ack_synack")
		w.onEstablished(ep)
		return "in.synack"
	}
	w.setState(ep, Rule3s, "")
	ep.SndNxt = ep.ISS
	ep.rtx = ep.rtx[:0]
	w.sendNew(ep, Segment{Flags: SYN | ACK, Seq: ep.ISS, Ack: ep.RcvNxt}, "send.synack")
	return "in.syn"
}

// inTimeWait is Linux's tcp_timewait_state_process (SPEC.md 1.3, 1.4, F1).
func (w *world) inTimeWait(ep *Endpoint, seg *Segment) string {
	paws := ep.tsOK && seg.TS && seqLT(seg.TSval, ep.tsRecent) && seg.Flags&RST == 0
	end := seg.Seq + seg.SeqLen()
	if !paws && seg.Seq == ep.RcvNxt && (end == seg.Seq || seg.Flags&RST != 0) {
		if seg.Flags&RST != 0 {
			if w.p.RFC1337 {
				return "in.tw_rst_ignored"
			}
			w.setState(ep, Rule24, "rule.24.tw")
			return "in.tw_rst"
		}
		w.restartTimeWait(ep)
		return "in.tw_bare_ack"
	}
	if seg.Flags&SYN != 0 && seg.Flags&(RST|ACK) == 0 && !paws &&
		(seqGT(seg.Seq, ep.RcvNxt) || (ep.tsOK && seg.TS && seqGT(seg.TSval, ep.tsRecent))) {
		// The new connection starts above everything the old one sent.
		isn := ep.SndNxt + 65537
		h := ep.Host
		w.setState(ep, Rule1_3, "")
		w.hosts[h].twISN = isn
		if !w.hosts[h].listening {
			return w.noSocket(h, seg)
		}
		nep := w.listener(h, seg)
		w.inListen(nep, seg)
		return "in.tw_syn"
	}
	if seg.Flags&RST != 0 {
		return "in.tw_rst_ignored"
	}
	if paws || seg.Flags&ACK != 0 {
		w.restartTimeWait(ep)
	}
	if w.oowLimited(ep, seg) {
		return "in.tw_old_limited"
	}
	w.transmit(ep.Host, ep, Segment{Flags: ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, "send.tw_ack")
	switch {
	case seg.Flags&FIN != 0:
		return "in.tw_fin"
	case paws:
		return "in.paws"
	case seg.Flags&SYN != 0:
		return "in.tw_syn_rejected"
	}
	return "in.tw_old"
}

func (w *world) restartTimeWait(ep *Endpoint) {
	ep.TWSince = w.now
	w.armTimer(ep, TimerTimeWait, w.p.TimeWait())
}

// oowLimited is tcp_oow_rate_limited: answers to out-of-window segments
// without payload are sent at most every 500 ms (tcp_invalid_ratelimit).
func (w *world) oowLimited(ep *Endpoint, seg *Segment) bool {
	if seg.Len > 0 && seg.Flags&SYN == 0 || seg.Flags&FIN != 0 {
		return false
	}
	const ratelimit = 500_000_000
	if ep.oowAt != 0 && w.now-ep.oowAt < ratelimit {
		return true
	}
	ep.oowAt = w.now
	if ep.oowAt == 0 {
		ep.oowAt = 1
	}
	return false
}

func (w *world) recordTS(ep *Endpoint, seg *Segment) {
	if ep.tsOK && seg.TS {
		ep.tsRecent = seg.TSval
		ep.tsStamp = true
	}
}

// ackAdvance moves SND.UNA, drops acknowledged segments from the
// retransmission queue, takes an RTT sample (Karn: never from a
// retransmitted segment) and resets the back-off.
func (w *world) ackAdvance(ep *Endpoint, ack uint32) {
	ep.SndUna = ack
	n := 0
	for n < len(ep.rtx) {
		r := &ep.rtx[n]
		if seqGT(r.seg.Seq+r.seg.SeqLen(), ack) {
			break
		}
		if !r.retx {
			w.rttSample(ep, w.now-r.sentAt)
		}
		n++
	}
	ep.rtx = ep.rtx[:copy(ep.rtx, ep.rtx[n:])]
	if n > 0 {
		ep.Backoff = 0
		ep.tlpDone = false
	}
	if len(ep.rtx) == 0 {
		w.stopTimer(ep, TimerRetransmit, true)
	} else if n > 0 {
		ep.rtxStart = w.now
		w.armTimer(ep, TimerRetransmit, w.rtoNow(ep))
	}
}

func (w *world) deliverData(ep *Endpoint, c Chunk) {
	ep.Received = append(ep.Received, c)
	if c.Conn != ep.Conn {
		// Bytes of an earlier connection on the same 4-tuple: the old
		// duplicate the source text warns about.
		w.emit(ep, Event{Kind: EvNotify, Detail: "DATA", N: c.Len, Note: "notify.data_old"})
		if !ep.AutoRead {
			ep.Unread += c.Len
		}
		return
	}
	if ep.AutoRead {
		w.emit(ep, Event{Kind: EvNotify, Detail: "DATA", N: c.Len, Note: "notify.data"})
	} else {
		ep.Unread += c.Len
		w.emit(ep, Event{Kind: EvNotify, Detail: "DATA", N: c.Len, Note: "notify.data_unread"})
	}
}

func (w *world) signalEOF(ep *Endpoint) {
	if ep.Unread > 0 && !ep.AutoRead {
		return
	}
	w.notify(ep, "EOF", "notify.eof")
	w.fire(ep, "eof")
}

// reset handles an acceptable RST (rules 23, 24; SPEC.md 1.2: Linux reports
// EPIPE in CLOSE-WAIT, ECONNRESET elsewhere).
func (w *world) reset(ep *Endpoint) {
	st := ep.State
	if st == Closing || st == LastAck {
		w.setState(ep, Rule24, "")
		return
	}
	if st == SynReceived {
		w.setState(ep, Rule6r, "")
		return
	}
	w.setState(ep, Rule23, "")
	if st == CloseWait {
		w.notify(ep, "EPIPE", "notify.epipe_rst")
	} else {
		w.notify(ep, "ECONNRESET", "notify.reset")
	}
}

// onEstablished starts keepalive and fires "established" triggers.
func (w *world) onEstablished(ep *Endpoint) {
	w.startKeepalive(ep)
	w.fire(ep, "established")
}
