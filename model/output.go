package model

import "time"

var kindIndex = map[string]int{"SYN": 0, "FIN": 1, "RST": 2, "DATA": 3, "ACK": 4}

func segKindIndex(s *Segment) int {
	switch {
	case s.Flags&RST != 0:
		return 2
	case s.Flags&SYN != 0:
		return 0
	case s.Flags&FIN != 0:
		return 1
	case s.Len > 0:
		return 3
	}
	return 4
}

// transmit puts a segment on the link from host h. ep may be nil (a RST
// from a host with no socket). note explains why it was sent.
func (w *world) transmit(h Side, ep *Endpoint, seg Segment, note string) {
	w.nextSeg++
	seg.ID = w.nextSeg
	seg.From = h
	if ep != nil {
		seg.Conn = ep.Conn
		seg.SrcPort, seg.DstPort = ep.Lport, ep.Rport
		if ep.tsOK || (seg.Flags&SYN != 0 && w.p.Timestamps) {
			seg.TS = true
			seg.TSval = w.tsval(h)
			seg.TSecr = ep.tsRecent
		}
	}
	w.sent[h]++
	ki := segKindIndex(&seg)
	w.sentBy[h][ki]++
	traced := ep == nil && seg.Conn <= w.traceTo || ep != nil && ep.traced
	if traced {
		w.trace = append(w.trace, Event{T: w.now, Step: w.pos, Kind: EvSend, Side: h, Conn: seg.Conn, HasSeg: true, Seg: seg, Note: note})
	}
	f := Flight{Seg: seg, SentAt: w.now, ArriveAt: w.now + w.p.Delay, Fate: Arrives}
	// Fault rules chosen by count, then the random loss rate.
	for i := range w.rules {
		r := &w.rules[i]
		if r.Side != h || (r.Kind != "" && kindIndex[r.Kind] != ki) {
			continue
		}
		n := w.sent[h]
		if r.Kind != "" {
			n = w.sentBy[h][ki]
		}
		if !r.matches(n) {
			continue
		}
		switch r.Fault {
		case FaultDrop:
			f.Fate = Lost
		case FaultDelay:
			f.Delayed += r.Dur
		case FaultDuplicate:
			w.launch(Flight{Seg: seg, SentAt: w.now, ArriveAt: f.ArriveAt + w.p.Delay/2 + time.Millisecond, Dup: true})
		}
	}
	if f.Fate == Arrives && w.p.Loss > 0 && w.rng.float() < w.p.Loss {
		f.Fate = Lost
	}
	f.ArriveAt += f.Delayed
	w.launch(f)
}

// launch schedules the end of a flight: arrival, loss half-way, or expiry
// when the segment outlives the network's lifetime.
func (w *world) launch(f Flight) {
	f.EndAt = f.ArriveAt
	switch {
	case f.Fate == Lost:
		f.EndAt = f.SentAt + (f.ArriveAt-f.SentAt)/2
	case f.ArriveAt-f.SentAt > w.p.Lifetime():
		f.Fate = Expires
		f.EndAt = f.SentAt + w.p.Lifetime()
	}
	var idx int32
	if n := len(w.ffree); n > 0 {
		idx = w.ffree[n-1]
		w.ffree = w.ffree[:n-1]
	} else {
		idx = int32(len(w.flights))
		w.flights = append(w.flights, flightSlot{})
	}
	gen := w.flights[idx].gen + 1
	w.flights[idx] = flightSlot{Flight: f, gen: gen, live: true}
	w.push(qitem{at: f.EndAt, kind: qFlight, a: idx, gen: gen})
}

// sendACK sends a pure ACK now and clears any pending delayed ACK.
func (w *world) sendACK(ep *Endpoint, note string) {
	w.stopTimer(ep, TimerDelayedACK, false)
	ep.unacked = 0
	w.transmit(ep.Host, ep, Segment{Flags: ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, note)
}

// scheduleACK acknowledges received data or a FIN: at once, or after the
// delayed-ACK time when the endpoint is in delayed-ACK mode.
func (w *world) scheduleACK(ep *Endpoint, immediate bool, note string) {
	if immediate || w.p.DelayedACK == 0 || !ep.delack || ep.unacked > mss {
		w.sendACK(ep, note)
		return
	}
	if !ep.timers[TimerDelayedACK].armed {
		w.armTimer(ep, TimerDelayedACK, w.p.DelayedACK)
	}
}

// output sends queued data and then a queued FIN (RFC 9293 §3.10.4: the FIN
// follows the data). Every segment after the SYN carries ACK, so a pending
// delayed ACK rides along.
func (w *world) output(ep *Endpoint) {
	for ep.queued > 0 {
		n := min(ep.queued, mss)
		seg := Segment{Flags: ACK | PSH, Seq: ep.SndNxt, Ack: ep.RcvNxt, Len: n,
			Data: Chunk{Conn: ep.Conn, From: ep.Host, Off: ep.sent, Len: n}}
		ep.queued -= n
		ep.sent += n
		w.sendNew(ep, seg, "send.data")
	}
	if ep.finQueue && !ep.FinSent {
		ep.finQueue = false
		ep.FinSent = true
		ep.FinSeq = ep.SndNxt
		w.finState(ep)
		w.sendNew(ep, Segment{Flags: FIN | ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, "send.fin")
	}
}

// sendNew sends a segment that occupies sequence space and queues it for
// retransmission.
func (w *world) sendNew(ep *Endpoint, seg Segment, note string) {
	if seg.Flags&ACK != 0 {
		w.stopTimer(ep, TimerDelayedACK, false)
		ep.unacked = 0
	}
	ep.SndNxt += seg.SeqLen()
	ep.rtx = append(ep.rtx, rtxSeg{seg: seg, sentAt: w.now, first: w.now})
	w.transmit(ep.Host, ep, seg, note)
	if !ep.timers[TimerRetransmit].armed {
		ep.rtxStart = w.now
		ep.tlpDone = false
		w.armTimer(ep, TimerRetransmit, w.rtoNow(ep))
	}
}

// rto computes the retransmission timeout from the RTT estimate: Linux
// keeps rttvar at least rto_min, so RTO ≈ SRTT + max(rto_min, 4·RTTVAR);
// RFC 6298 takes max(rto_min, SRTT + 4·RTTVAR).
func (w *world) rto(ep *Endpoint) time.Duration {
	if !ep.rttSeen {
		return w.p.RTOInitial
	}
	var r time.Duration
	if w.p.Profile == "linux" {
		r = ep.SRTT + max(w.p.RTOMin, 4*ep.rttvar)
	} else {
		r = max(w.p.RTOMin, ep.SRTT+4*ep.rttvar)
	}
	return min(max(r, w.p.RTOMin), w.p.RTOMax)
}

// rtoNow is the current timeout including back-off.
func (w *world) rtoNow(ep *Endpoint) time.Duration {
	r := ep.RTO
	if r == 0 {
		r = w.rto(ep)
	}
	for i := 0; i < ep.Backoff && r < w.p.RTOMax; i++ {
		r *= 2
	}
	return min(r, w.p.RTOMax)
}

func (w *world) rttSample(ep *Endpoint, rtt time.Duration) {
	if !ep.rttSeen {
		ep.rttSeen = true
		ep.SRTT = rtt
		ep.rttvar = rtt / 2
	} else {
		d := ep.SRTT - rtt
		if d < 0 {
			d = -d
		}
		ep.rttvar = (3*ep.rttvar + d) / 4
		ep.SRTT = (7*ep.SRTT + rtt) / 8
	}
	ep.RTO = w.rto(ep)
}

// giveUpBudget is Linux's tcp_model_timeout: how long retransmissions go on
// before the connection is abandoned, for a retry limit n.
func (w *world) giveUpBudget(n int) time.Duration {
	base := w.p.RTOMin
	thresh := 0
	for base<<(thresh+1) <= w.p.RTOMax {
		thresh++
	}
	if n <= thresh {
		return time.Duration((2<<n)-1) * base
	}
	return time.Duration((2<<thresh)-1)*base + time.Duration(n-thresh)*w.p.RTOMax
}

func (w *world) retryLimit(ep *Endpoint) int {
	switch {
	case ep.State == SynSent:
		return w.p.SynRetries
	case ep.Orphan:
		if w.p.OrphanRetries == 0 {
			return 8
		}
		return w.p.OrphanRetries
	}
	return w.p.Retries2
}

// onRetransmit handles the retransmission timer: on Linux the first firing
// is a tail-loss probe that does not back off (SPEC.md D1); later firings
// first check the give-up budget (SPEC.md 3.2), then resend the oldest
// unacknowledged segment and double the timeout.
func (w *world) onRetransmit(ep *Endpoint) {
	if len(ep.rtx) == 0 {
		return
	}
	tlp := w.p.Profile == "linux" && !ep.tlpDone && ep.State != SynSent && ep.State != SynReceived
	if !tlp {
		var limit time.Duration
		if ep.State == SynSent {
			limit = time.Duration((2<<w.p.SynRetries)-1) * w.p.RTOInitial
		} else {
			limit = w.giveUpBudget(w.retryLimit(ep))
		}
		if w.now-ep.rtx[0].first >= limit {
			w.giveUp(ep)
			return
		}
	}
	r := &ep.rtx[0]
	r.retx = true
	r.sentAt = w.now
	seg := r.seg
	seg.Ack = ep.RcvNxt
	note := "send.retransmit"
	if tlp {
		ep.tlpDone = true
		note = "send.tlp"
	} else {
		ep.Backoff++
	}
	seg.Retrans = ep.Backoff + b2i(ep.tlpDone)
	if seg.Flags&ACK != 0 {
		w.stopTimer(ep, TimerDelayedACK, false)
		ep.unacked = 0
	}
	w.transmit(ep.Host, ep, seg, note)
	w.armTimer(ep, TimerRetransmit, w.rtoNow(ep))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// giveUp abandons a connection whose retransmissions went unanswered:
// silently for an orphan, ETIMEDOUT for a socket the application holds.
// Linux sends no RST (SPEC.md 3.2, D2).
func (w *world) giveUp(ep *Endpoint) {
	rule := RuleL3_2
	if ep.State == LastAck || ep.State == Closing {
		rule = Rule19
	}
	w.setState(ep, rule, "")
	w.notify(ep, "ETIMEDOUT", "notify.giveup")
}

// onKeepalive is tcp_keepalive_timer: probe when idle long enough, give up
// after keepalive_probes unanswered probes (SPEC.md section 4).
func (w *world) onKeepalive(ep *Endpoint) {
	if !ep.Keepalive || !keepaliveState(ep) {
		return
	}
	if ep.SndNxt != ep.SndUna || ep.queued > 0 {
		w.armTimer(ep, TimerKeepalive, w.p.KeepaliveTime)
		return
	}
	idle := w.now - ep.LastRcv
	if idle < w.p.KeepaliveTime {
		w.armTimer(ep, TimerKeepalive, w.p.KeepaliveTime-idle)
		return
	}
	if ep.ProbesOut >= w.p.KeepaliveProbe {
		w.transmit(ep.Host, ep, Segment{Flags: RST | ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, "send.keepalive_rst")
		w.setState(ep, RuleL4, "")
		w.notify(ep, "ETIMEDOUT", "notify.keepalive")
		return
	}
	ep.ProbesOut++
	w.transmit(ep.Host, ep, Segment{Flags: ACK, Seq: ep.SndUna - 1, Ack: ep.RcvNxt, Probe: true}, "send.probe")
	w.armTimer(ep, TimerKeepalive, w.p.KeepaliveIntvl)
}

func keepaliveState(ep *Endpoint) bool {
	switch ep.State {
	case Established, CloseWait:
		return true
	case FinWait2:
		return !ep.Orphan
	}
	return false
}

func (w *world) startKeepalive(ep *Endpoint) {
	if ep.Keepalive && keepaliveState(ep) && !ep.timers[TimerKeepalive].armed {
		idle := w.now - ep.LastRcv
		w.armTimer(ep, TimerKeepalive, max(w.p.KeepaliveTime-idle, 0))
	}
}

// enterTimeWait moves ep to TIME-WAIT by the given rule and starts the 2MSL
// timer, unless every TIME-WAIT bucket is taken (tcp_max_tw_buckets): then
// the socket is simply closed, as Linux does.
func (w *world) enterTimeWait(ep *Endpoint, rule RuleName) {
	if w.hosts[ep.Host].tw >= w.p.MaxTWBuckets {
		w.setState(ep, Rule3_1, "")
		return
	}
	for k := TimerRetransmit; k < numTimers; k++ {
		if k != TimerTimeWait {
			w.stopTimer(ep, k, k != TimerDelayedACK)
		}
	}
	w.setState(ep, rule, "")
	ep.TWSince = w.now
	w.armTimer(ep, TimerTimeWait, w.p.TimeWait())
}

// onTimer dispatches a timer that fired.
func (w *world) onTimer(ep *Endpoint, k TimerKind) {
	ep.timers[k].armed = false
	if ep.traced {
		w.emit(ep, Event{Kind: EvTimerFire, Timer: k, N: timerCount(ep, k), Note: "timer_fire." + k.String()})
	}
	switch k {
	case TimerRetransmit:
		w.onRetransmit(ep)
	case TimerDelayedACK:
		if ep.State != Closed && ep.State != TimeWait {
			w.sendACK(ep, "send.delayed_ack")
		}
	case TimerTimeWait:
		w.setState(ep, Rule22, "")
	case TimerFinWait2:
		if ep.State == FinWait2 {
			w.setState(ep, RuleL3_3, "")
		}
	case TimerKeepalive:
		w.onKeepalive(ep)
	}
}
