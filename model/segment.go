package model

import (
	"fmt"
	"time"
)

// Segment is one TCP segment on the wire.
type Segment struct {
	ID    int   // unique per run, in sending order
	From  Side  // the sending host
	Conn  int   // the connection (incarnation) that sent it, 1-based; 0 for a RST from a host with no socket
	Flags Flags // control bits
	Seq   uint32
	Ack   uint32
	Len   int // payload bytes; SYN and FIN are not counted here
	// Data names the payload: which connection's stream and at which offset.
	// The receiver's application gets exactly these bytes.
	Data Chunk
	// TS is set when the segment carries an RFC 7323 timestamp option.
	TS           bool
	TSval, TSecr uint32
	Retrans      int  // 0 for the first transmission
	Probe        bool // a keepalive probe
	SrcPort      uint16
	DstPort      uint16
}

// SeqLen is SEG.LEN: payload plus one for SYN and one for FIN.
func (s *Segment) SeqLen() uint32 {
	n := uint32(s.Len)
	if s.Flags&SYN != 0 {
		n++
	}
	if s.Flags&FIN != 0 {
		n++
	}
	return n
}

// Kind is the segment's class for drop rules: SYN, FIN, RST, DATA or ACK
// (a pure ACK).
func (s *Segment) Kind() string {
	switch {
	case s.Flags&RST != 0:
		return "RST"
	case s.Flags&SYN != 0:
		return "SYN"
	case s.Flags&FIN != 0:
		return "FIN"
	case s.Len > 0:
		return "DATA"
	}
	return "ACK"
}

// Summary is a short tcpdump-like description: "FIN,ACK seq=1001 ack=5001 len=0".
func (s *Segment) Summary() string {
	return fmt.Sprintf("%s seq=%d ack=%d len=%d", s.Flags, s.Seq, s.Ack, s.Len)
}

// Chunk identifies payload bytes: Len bytes of connection Conn's stream from
// side From, starting at stream offset Off. Payload bytes are generated from
// this identity, so a test can tell old bytes from new ones.
type Chunk struct {
	Conn int
	From Side
	Off  int
	Len  int
}

// Bytes returns the payload's text: each connection writes its own
// recognisable pattern ("#1 client byte 0..").
func (c Chunk) Bytes() string {
	if c.Len == 0 {
		return ""
	}
	pat := fmt.Sprintf("[#%d %s]", c.Conn, c.From)
	b := make([]byte, c.Len)
	for i := range b {
		b[i] = pat[(c.Off+i)%len(pat)]
	}
	return string(b)
}

// Flight is a segment travelling on the link.
type Flight struct {
	Seg      Segment
	SentAt   time.Duration // when it left the sender
	ArriveAt time.Duration // when it reaches the receiver (or would have)
	// EndAt is when the flight ends: ArriveAt, or the moment it is lost or
	// expires on the way.
	EndAt   time.Duration
	Fate    Fate
	Delayed time.Duration // extra delay added by a fault
	Dup     bool          // a copy made by a duplicate fault
}

// Fate is what will become of a segment in flight.
type Fate uint8

// Fates of a segment in flight.
const (
	Arrives Fate = iota
	Lost         // dropped by a fault or the loss rate
	Expires      // older than the network's lifetime on arrival: discarded
)

// Progress is the fraction of the flight completed at time now, 0..1.
func (f *Flight) Progress(now time.Duration) float64 {
	span := f.ArriveAt - f.SentAt
	if span <= 0 {
		return 1
	}
	x := float64(now-f.SentAt) / float64(span)
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}
