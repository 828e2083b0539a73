package model

import (
	"time"
)

// The two hosts' addresses and the server's port, fixed for every run.
const (
	ServerPort uint16 = 80
	// ClientPort is the client's port in single-connection scenarios.
	ClientPort uint16 = 40000
)

// Addr returns the host's address for display.
func Addr(h Side, loopback bool) string {
	switch {
	case loopback && h == Client:
		return "127.0.0.1"
	case loopback:
		return "127.0.0.2"
	case h == Client:
		return "192.0.2.1"
	}
	return "198.51.100.2"
}

// host is one machine: its sockets, its ephemeral ports (the client) and
// its TIME-WAIT buckets.
type host struct {
	down      bool
	listening bool
	listenEp  int32 // an endpoint in LISTEN waiting for a SYN, or -1
	socks     map[uint32]int32
	tw        int
	tsOff     uint32
	ka        bool   // applications on this host enable SO_KEEPALIVE
	noread    bool   // applications on this host do not read by themselves
	twISN     uint32 // ISN for the connection that replaces a TIME-WAIT socket

	// Ephemeral ports towards the server (one destination), indexed by
	// port - PortLo: the endpoint holding it, or -1.
	owner     []int32
	freeCount int
	cursor    int
	twq       []twRef // TIME-WAIT sockets in order of entry
	twHead    int
	twSeq     uint64
}

type twRef struct {
	ep  int32
	seq uint64
}

func tuple(l, r uint16) uint32 { return uint32(l)<<16 | uint32(r) }

// cloneInto copies h reusing old's memory (see world.cloneInto).
func (h *host) cloneInto(old *host) host {
	c := *h
	c.socks = old.socks
	if c.socks == nil {
		c.socks = make(map[uint32]int32, len(h.socks))
	} else {
		clear(c.socks)
	}
	for k, v := range h.socks {
		c.socks[k] = v
	}
	c.owner = reuse(old.owner, h.owner)
	c.twq = reuse(old.twq, h.twq[h.twHead:])
	c.twHead = 0
	return c
}

func (h *host) init(p *Params, ephemeral bool) {
	h.socks = make(map[uint32]int32)
	h.listenEp = -1
	if ephemeral {
		h.freeCount = p.PortHi - p.PortLo + 1
	}
}

func (h *host) bind(w *world, ep *Endpoint) {
	h.socks[tuple(ep.Lport, ep.Rport)] = ep.index
	if h.owner != nil {
		if i := int(ep.Lport) - w.p.PortLo; i >= 0 && i < len(h.owner) {
			if h.owner[i] < 0 {
				h.freeCount--
			}
			h.owner[i] = ep.index
		}
	}
}

func (h *host) unbind(w *world, ep *Endpoint) {
	k := tuple(ep.Lport, ep.Rport)
	if idx, ok := h.socks[k]; ok && idx == ep.index {
		delete(h.socks, k)
		if h.owner != nil {
			if i := int(ep.Lport) - w.p.PortLo; i >= 0 && i < len(h.owner) && h.owner[i] == ep.index {
				h.owner[i] = -1
				h.freeCount++
			}
		}
	}
	if h.listenEp == ep.index {
		h.listenEp = -1
	}
}

// portTable makes the ephemeral port table on first use: most runs have
// one connection and never need it.
func (h *host) portTable(w *world) {
	if h.owner != nil {
		return
	}
	h.owner = make([]int32, w.p.PortHi-w.p.PortLo+1)
	for i := range h.owner {
		h.owner[i] = -1
	}
	for k, idx := range h.socks {
		if i := int(k>>16) - w.p.PortLo; i >= 0 && i < len(h.owner) {
			h.owner[i] = idx
			h.freeCount--
		}
	}
}

func (h *host) lookup(l, r uint16) (int32, bool) {
	idx, ok := h.socks[tuple(l, r)]
	return idx, ok
}

func (h *host) twEnter(w *world, ep *Endpoint) {
	h.tw++
	h.twSeq++
	ep.twSeq = h.twSeq
	ep.twEntry = w.now
	if h.owner != nil {
		h.twq = append(h.twq, twRef{ep.index, ep.twSeq})
	}
}

// oldestTW returns the client's oldest socket still in TIME-WAIT.
func (h *host) oldestTW(w *world) *Endpoint {
	for h.twHead < len(h.twq) {
		r := h.twq[h.twHead]
		ep := &w.eps[r.ep]
		if ep.live && ep.State == TimeWait && ep.twSeq == r.seq {
			return ep
		}
		h.twHead++
	}
	if h.twHead > 0 && h.twHead == len(h.twq) {
		h.twq, h.twHead = h.twq[:0], 0
	}
	return nil
}

// reusable applies tcp_twsk_unique (SPEC.md 3.4) to a TIME-WAIT socket
// that holds the 4-tuple an outgoing connect() wants. bound is true for
// bind()-then-connect, which skips the sysctl and the delay.
func (w *world) reusable(tw *Endpoint, bound bool) bool {
	if tw.State != TimeWait || !tw.tsStamp {
		return false
	}
	if bound {
		return true
	}
	reuse := w.p.TWReuse
	if reuse == 2 && !w.p.Loopback {
		reuse = 0
	}
	return reuse != 0 && w.now-tw.twEntry > w.p.TWReuseDelay
}

// allocPort picks an ephemeral port for an outgoing connection, as
// __inet_hash_connect does: a free port, or one whose 4-tuple is held by a
// TIME-WAIT socket that tcp_tw_reuse allows to be taken over. It returns
// the TIME-WAIT endpoint to take over, if any.
func (w *world) allocPort() (port uint16, tw *Endpoint, ok bool) {
	h := &w.hosts[Client]
	h.portTable(w)
	n := len(h.owner)
	if h.freeCount > 0 {
		for i := 0; i < n; i++ {
			j := (h.cursor + i) % n
			if o := h.owner[j]; o < 0 {
				h.cursor = (j + 1) % n
				return uint16(w.p.PortLo + j), nil, true
			} else if ep := &w.eps[o]; ep.State == TimeWait && w.reusable(ep, false) {
				h.cursor = (j + 1) % n
				return uint16(w.p.PortLo + j), ep, true
			}
		}
	}
	// Every port is held; the oldest TIME-WAIT socket is the best candidate.
	if tw := h.oldestTW(w); tw != nil && w.reusable(tw, false) {
		return tw.Lport, tw, true
	}
	return 0, nil, false
}

// Load describes the connection generator of a host run: Count connections
// opened Every apart, each closed at once by Closer (the other side closes
// when it reads EOF).
type Load struct {
	Count  int
	Every  time.Duration
	Closer Side
	Hold   time.Duration // how long a connection stays open before Closer closes it
}
