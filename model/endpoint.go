package model

import "time"

// Endpoint is one end of a TCP connection: its transmission control block
// (RFC 9293 section 3.3.1) and what its application has seen.
type Endpoint struct {
	Host  Side // which host it lives on
	Conn  int  // connection number, 1-based; the same on both ends
	Lport uint16
	Rport uint16
	State State

	ISS, IRS       uint32
	SndUna, SndNxt uint32
	RcvNxt         uint32
	RcvWnd         uint32

	// Orphan: the application has called close(); nobody holds the socket.
	Orphan bool
	// ShutWr: the application has called shutdown(SHUT_WR).
	ShutWr bool
	// FinSent and FinSeq: our FIN has been sent, at FinSeq.
	FinSent bool
	FinSeq  uint32
	// RcvFin: the peer's FIN has been received in order.
	RcvFin bool
	// Unread bytes waiting for the application (AutoRead off).
	Unread   int
	AutoRead bool
	// Received is every chunk the application has been given, in order.
	Received []Chunk
	// Seen is what the application has been told: EOF, ECONNRESET, ...
	Seen []string
	// Keepalive is SO_KEEPALIVE; ProbesOut counts unanswered probes.
	Keepalive bool
	ProbesOut int
	LastRcv   time.Duration // when a segment last arrived
	// Backoff is the retransmission back-off count; RTO the current base
	// retransmission timeout.
	Backoff int
	RTO     time.Duration
	SRTT    time.Duration
	// TWSince is when TIME-WAIT began (or was last restarted).
	TWSince time.Duration

	sent     int // stream bytes handed to the network
	queued   int // stream bytes written by the application and not yet sent
	finQueue bool
	rttvar   time.Duration
	rttSeen  bool // an RTT sample exists (SRTT may be 0 on a zero-delay link)
	rtx      []rtxSeg
	tlpDone  bool
	rtxStart time.Duration
	delack   bool // delayed-ACK mode (Linux leaves quick-ACK mode once payload arrives)
	unacked  int  // received bytes not yet acknowledged
	tsOK     bool
	tsRecent uint32
	tsStamp  bool // a peer timestamp has been recorded
	oowAt    time.Duration
	twEntry  time.Duration // entry into TIME-WAIT (for tcp_tw_reuse_delay)
	twSeq    uint64        // position in the host's TIME-WAIT queue
	timers   [numTimers]timer
	traced   bool
	live     bool // the slot holds an endpoint (slots are reused)
	index    int32
}

type timer struct {
	at    time.Duration
	start time.Duration
	gen   uint32
	armed bool
}

type rtxSeg struct {
	seg    Segment
	sentAt time.Duration
	first  time.Duration
	retx   bool
}

// TimerView is a live timer for display.
type TimerView struct {
	Kind    TimerKind
	At      time.Duration // when it fires
	Started time.Duration // when it was last armed, for a countdown bar
	Count   int           // back-off count or probes sent
}

// Timer reports one timer's deadline.
func (e *Endpoint) Timer(k TimerKind) (at time.Duration, armed bool) {
	return e.timers[k].at, e.timers[k].armed
}

// ReceivedText is the bytes the application has read, in order.
func (e *Endpoint) ReceivedText() string {
	s := ""
	for _, c := range e.Received {
		s += c.Bytes()
	}
	return s
}

// share caps Received and Seen of a copy: they only ever grow by append,
// so two copies may share the arrays as long as an append to either one
// copies first.
func (e *Endpoint) share() {
	e.Received = e.Received[:len(e.Received):len(e.Received)]
	e.Seen = e.Seen[:len(e.Seen):len(e.Seen)]
}

// rcvWindow is the receive window finwait advertises (no scaling).
const rcvWindow = 65535

// mss is the maximum segment size.
const mss = 1460
