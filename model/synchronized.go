package model

// SEGMENT ARRIVES in a synchronized state: RFC 9293 §3.10.7.4, one
// function per step.

// acceptable is the RFC 9293 §3.10.7.4 step 1 test.
func acceptable(ep *Endpoint, seg *Segment) bool {
	l := seg.SeqLen()
	wnd := ep.RcvWnd
	in := func(x uint32) bool { return seqLEQ(ep.RcvNxt, x) && seqLT(x, ep.RcvNxt+wnd) }
	if l == 0 {
		return in(seg.Seq)
	}
	return in(seg.Seq) || in(seg.Seq+l-1)
}

// arrival is what the steps of RFC 9293 §3.10.7.4 learn about a segment
// on its way through them. It holds no pointer to the segment, so that
// the segment, returned through note, stays on the stack.
type arrival struct {
	finAcked bool   // step 5 found our FIN acknowledged
	note     string // message key: what became of the segment so far
}

// inSynchronized handles SYN-RECEIVED and every state after ESTABLISHED
// but TIME-WAIT: RFC 9293 §3.10.7.4, one function per step. Each step
// returns true when the segment goes no further. Step 3 (security) and
// step 6 (URG) have nothing to model.
func (w *world) inSynchronized(ep *Endpoint, seg *Segment) string {
	var a arrival
	if w.step1Seq(ep, seg, &a) || w.step2RST(ep, seg, &a) || w.step4SYN(ep, seg, &a) ||
		w.step5ACK(ep, seg, &a) || w.step7Text(ep, seg, &a) {
		return a.note
	}
	w.step8FIN(ep, seg, &a)
	return a.note
}

// step1Seq is step 1, the sequence number check, preceded by PAWS (RFC
// 7323 §5.3 R1): a timestamp older than the last one seen marks an old
// duplicate. An unacceptable segment is answered with an ACK (rate
// limited as Linux does) unless it is a RST.
func (w *world) step1Seq(ep *Endpoint, seg *Segment, a *arrival) bool {
	if ep.tsOK && seg.TS && seg.Flags&RST == 0 && seqLT(seg.TSval, ep.tsRecent) {
		if !w.oowLimited(ep, seg) {
			w.sendACK(ep, "send.dupack")
		}
		a.note = "in.paws"
		return true
	}
	if !acceptable(ep, seg) {
		if seg.Flags&RST != 0 {
			a.note = "in.rst_out_of_window"
			return true
		}
		if !w.oowLimited(ep, seg) {
			w.sendACK(ep, "send.dupack")
		}
		switch {
		case seg.Flags&FIN != 0 && seqLT(seg.Seq, ep.RcvNxt):
			a.note = "in.fin_retransmit"
		case seg.Probe || seg.Len == 0 && seg.Seq == ep.RcvNxt-1:
			a.note = "in.probe"
		default:
			a.note = "in.unacceptable"
		}
		return true
	}
	ep.LastRcv = w.now
	ep.ProbesOut = 0
	return false
}

// step2RST is step 2, the RST check (RFC 5961 §3.2): a RST at exactly
// RCV.NXT resets the connection, one elsewhere in the window draws a
// challenge ACK.
func (w *world) step2RST(ep *Endpoint, seg *Segment, a *arrival) bool {
	if seg.Flags&RST == 0 {
		return false
	}
	if seg.Seq != ep.RcvNxt {
		w.sendACK(ep, "send.challenge")
		a.note = "in.rst_challenge"
		return true
	}
	w.reset(ep)
	a.note = "in.rst"
	return true
}

// step4SYN is step 4: a SYN in a synchronized state draws a challenge ACK
// (RFC 5961 §4.2).
func (w *world) step4SYN(ep *Endpoint, seg *Segment, a *arrival) bool {
	if seg.Flags&SYN == 0 {
		return false
	}
	w.sendACK(ep, "send.challenge")
	a.note = "in.syn_challenge"
	return true
}

// step5ACK is step 5, the ACK field: it completes the handshake in
// SYN-RECEIVED (rule 6), advances SND.UNA, and fires the rows for the ACK
// of our FIN (9, 16, 17; rule 11 waits for step 8).
func (w *world) step5ACK(ep *Endpoint, seg *Segment, a *arrival) bool {
	if seg.Flags&ACK == 0 {
		a.note = "in.no_ack"
		return true
	}
	if ep.State == SynReceived {
		if !seqLT(ep.SndUna, seg.Ack) || !seqLEQ(seg.Ack, ep.SndNxt) {
			w.transmit(ep.Host, ep, Segment{Flags: RST, Seq: seg.Ack}, "send.rst_badack")
			a.note = "in.bad_ack"
			return true
		}
		w.ackAdvance(ep, seg.Ack)
		w.setState(ep, Rule6, "")
		w.onEstablished(ep)
	}
	if seqGT(seg.Ack, ep.SndNxt) {
		w.sendACK(ep, "send.dupack")
		a.note = "in.ack_future"
		return true
	}
	w.recordTS(ep, seg)
	if seqGT(seg.Ack, ep.SndUna) {
		w.ackAdvance(ep, seg.Ack)
		a.finAcked = ep.FinSent && ep.SndUna == ep.SndNxt
	}
	a.note = "in.ack"
	if !a.finAcked {
		return false
	}
	a.note = "in.ack_fin"
	switch ep.State {
	case FinWait1:
		if seg.Flags&FIN != 0 && seg.Seq+uint32(seg.Len) == ep.RcvNxt {
			return false // rule 11, in step 8: FIN-WAIT-1 straight to TIME-WAIT
		}
		w.setState(ep, Rule9, "")
		if ep.Orphan {
			// Linux replaces an orphan in FIN-WAIT-2 by a mini-socket with
			// a timer of max(fin_timeout, 3.5 x RTO) (SPEC.md 3.3).
			w.armTimer(ep, TimerFinWait2, max(w.p.FinTimeout, w.rtoNow(ep)*7/2))
		} else {
			w.startKeepalive(ep)
		}
	case Closing:
		w.enterTimeWait(ep, Rule16)
		return true
	case LastAck:
		w.setState(ep, Rule17, "")
		return true
	}
	return false
}

// step7Text is step 7, the segment text: in-order bytes go to the
// application (trimmed of what it already has), out-of-order ones draw a
// duplicate ACK, and bytes for an orphan reset the connection (rule C3).
func (w *world) step7Text(ep *Endpoint, seg *Segment, a *arrival) bool {
	if seg.Len == 0 {
		return false
	}
	switch ep.State {
	case Established, FinWait1, FinWait2:
	default:
		a.note = "in.data_ignored"
		return false
	}
	if ep.Orphan {
		// Nobody will read it: reset (SPEC.md C3).
		w.transmit(ep.Host, ep, Segment{Flags: RST | ACK, Seq: ep.SndNxt, Ack: ep.RcvNxt}, "send.rst_orphan")
		w.setState(ep, RuleC3, "")
		a.note = "in.orphan_data"
		return true
	}
	if seg.Seq != ep.RcvNxt {
		start := ep.RcvNxt - seg.Seq
		if int(start) >= seg.Len || seqGT(seg.Seq, ep.RcvNxt) {
			w.sendACK(ep, "send.dupack")
			a.note = "in.out_of_order"
			return true
		}
		seg.Data.Off += int(start)
		seg.Data.Len -= int(start)
		seg.Len -= int(start)
		seg.Seq = ep.RcvNxt
	}
	ep.RcvNxt += uint32(seg.Len)
	ep.unacked += seg.Len
	w.deliverData(ep, seg.Data)
	a.note = "in.data"
	if seg.Flags&FIN == 0 {
		w.scheduleACK(ep, false, "send.ack_data")
	}
	ep.delack = true
	return false
}

// step8FIN is step 8, the FIN bit: an in-order FIN is acknowledged and
// fires rule 8, 10, 11 or 13 by state; one beyond RCV.NXT draws a
// duplicate ACK.
func (w *world) step8FIN(ep *Endpoint, seg *Segment, a *arrival) {
	if seg.Flags&FIN == 0 {
		return
	}
	if seg.Seq+uint32(seg.Len) != ep.RcvNxt {
		w.sendACK(ep, "send.dupack")
		a.note = "in.out_of_order"
		return
	}
	ep.RcvNxt++
	ep.RcvFin = true
	switch ep.State {
	case SynReceived, Established:
		w.setState(ep, Rule8, "")
		// Linux: a FIN is ACKed at once on a connection that has not
		// left quick-ACK mode, after the delayed-ACK time otherwise
		// (SPEC.md A3, A4).
		w.scheduleACK(ep, !ep.delack, "send.ack_fin")
		w.signalEOF(ep)
	case FinWait1:
		w.sendACK(ep, "send.ack_fin")
		if a.finAcked {
			w.enterTimeWait(ep, Rule11)
		} else {
			w.setState(ep, Rule10, "")
		}
	case FinWait2:
		w.sendACK(ep, "send.ack_fin")
		w.enterTimeWait(ep, Rule13)
	}
	// A half-closed socket (shutdown(SHUT_WR), still held by its
	// application) reads 0 now, like any receiver of a FIN (step 8:
	// "signal the user"); an orphan has nobody to tell.
	if (ep.State == TimeWait || ep.State == Closing) && !ep.Orphan {
		w.signalEOF(ep)
	}
	a.note = "in.fin"
}
