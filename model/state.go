package model

import "strings"

// State is a TCP connection state (RFC 9293 section 3.3.2). The zero value is
// invalid so that a forgotten initialisation is caught.
type State uint8

const (
	_ State = iota
	// Closed: no connection. Successors: Listen, SynSent, Established (a scenario that starts established).
	Closed
	// Listen: waiting for a SYN. Successors: SynReceived, Closed.
	Listen
	// SynSent: SYN sent, waiting for SYN,ACK. Successors: Established, SynReceived, Closed.
	SynSent
	// SynReceived: SYN received and answered. Successors: Established, FinWait1, CloseWait, Closed.
	SynReceived
	// Established: data flows both ways. Successors: FinWait1, CloseWait, Closed.
	Established
	// FinWait1: our FIN is sent, not yet acknowledged. Successors: FinWait2, Closing, TimeWait, Closed.
	FinWait1
	// FinWait2: our FIN is acknowledged; waiting for the peer's FIN. Successors: TimeWait, Closed.
	FinWait2
	// CloseWait: the peer's FIN arrived; waiting for our application to close. Successors: LastAck, Closed.
	CloseWait
	// Closing: both FINs sent, ours not yet acknowledged. Successors: TimeWait, Closed.
	Closing
	// LastAck: our FIN sent after the peer's; waiting for its ACK. Successors: Closed.
	LastAck
	// TimeWait: both FINs done; waiting 2 x MSL. Successors: Closed.
	TimeWait
	numStates
)

var stateNames = [numStates]string{"INVALID", "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED",
	"ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"}

// String returns the RFC 9293 spelling, e.g. "FIN-WAIT-1".
func (s State) String() string {
	if s >= numStates {
		return "INVALID"
	}
	return stateNames[s]
}

// ParseState reads an RFC 9293 state name; underscores and case are
// forgiven ("time_wait", "TIME-WAIT").
func ParseState(name string) (State, bool) {
	n := strings.ToUpper(strings.ReplaceAll(name, "_", "-"))
	if n == "SYN-RCVD" {
		n = "SYN-RECEIVED"
	}
	for s := Closed; s < numStates; s++ {
		if stateNames[s] == n {
			return s, true
		}
	}
	return 0, false
}

// Side names one end of the main connection.
type Side uint8

const (
	// Client is the side that connects (the left column).
	Client Side = iota
	// Server is the side that listens (the right column).
	Server
)

func (s Side) String() string {
	if s == Server {
		return "server"
	}
	return "client"
}

// Other returns the opposite side.
func (s Side) Other() Side { return 1 - s }

// ParseSide reads "client" or "server".
func ParseSide(v string) (Side, bool) {
	switch strings.ToLower(v) {
	case "client", "c":
		return Client, true
	case "server", "s":
		return Server, true
	}
	return 0, false
}

// Flags are TCP header control bits.
type Flags uint8

// The control bits finwait models.
const (
	SYN Flags = 1 << iota
	FIN
	RST
	PSH
	ACK
)

var flagNames = []struct {
	f Flags
	n string
}{{SYN, "SYN"}, {FIN, "FIN"}, {RST, "RST"}, {PSH, "PSH"}, {ACK, "ACK"}}

// String joins the flags in the order SYN, FIN, RST, PSH, ACK with commas.
func (f Flags) String() string {
	var b strings.Builder
	for _, fn := range flagNames {
		if f&fn.f != 0 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(fn.n)
		}
	}
	return b.String()
}

// Short is tcpdump's notation: "F." for FIN,ACK, "." for a pure ACK.
func (f Flags) Short() string {
	var b strings.Builder
	if f&SYN != 0 {
		b.WriteByte('S')
	}
	if f&FIN != 0 {
		b.WriteByte('F')
	}
	if f&RST != 0 {
		b.WriteByte('R')
	}
	if f&PSH != 0 {
		b.WriteByte('P')
	}
	if f&ACK != 0 {
		b.WriteByte('.')
	}
	return b.String()
}

// Has reports whether all of g are set.
func (f Flags) Has(g Flags) bool { return f&g == g }

// Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4).
func seqLT(a, b uint32) bool  { return int32(a-b) < 0 }
func seqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }
func seqGT(a, b uint32) bool  { return int32(a-b) > 0 }
