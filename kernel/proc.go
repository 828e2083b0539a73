package kernel

import (
	"bufio"
	"encoding/binary"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"finwait/model"
)

// ProcSocket is one line of /proc/net/tcp or /proc/net/tcp6.
type ProcSocket struct {
	Local, Remote netip.AddrPort
	// St is the "st" column: the kernel's state code (SPEC.md 3.7). A
	// timewait mini-socket prints its substate, so an orphaned FIN-WAIT-2
	// (st 05) and a TIME-WAIT (st 06) are both timewait sockets (tr 3).
	St int
	// TxQueue and RxQueue are the bytes queued to send and to read.
	TxQueue, RxQueue int
	// Tr is the timer code ("tr"): 0 none, 1 retransmit (also RACK and
	// TLP), 2 sk_timer (keepalive, FIN-WAIT-2 linger), 3 timewait, 4 zero
	// window probe.
	Tr int
	// When is "tm->when", the time left on that timer (0 without a timer).
	When time.Duration
	// Retrans is "retrnsmt"; Probes is the column after uid, which holds
	// icsk_probes_out (unanswered keepalive or zero-window probes).
	Retrans, Probes int
}

// clockTick is USER_HZ: /proc/net/tcp prints tm->when in clock ticks
// (jiffies_delta_to_clock_t). USER_HZ is 100 on every Linux architecture
// Go supports.
const clockTick = 10 * time.Millisecond

// The /proc "st" codes (include/net/tcp_states.h).
const (
	stEstablished = 0x01
	stSynSent     = 0x02
	stSynRecv     = 0x03
	stFinWait1    = 0x04
	stFinWait2    = 0x05
	stTimeWait    = 0x06
	stClose       = 0x07
	stCloseWait   = 0x08
	stLastAck     = 0x09
	stListen      = 0x0A
	stClosing     = 0x0B
)

// Timer codes of the "tr" column.
const (
	trNone      = 0
	trRetrans   = 1
	trKeepalive = 2
	trTimeWait  = 3
	trProbe     = 4
)

// StateOf maps a /proc state code to the engine's state (SPEC.md 3.7).
func StateOf(st int) (model.State, bool) {
	switch st {
	case stEstablished:
		return model.Established, true
	case stSynSent:
		return model.SynSent, true
	case stSynRecv:
		return model.SynReceived, true
	case stFinWait1:
		return model.FinWait1, true
	case stFinWait2:
		return model.FinWait2, true
	case stTimeWait:
		return model.TimeWait, true
	case stClose:
		return model.Closed, true
	case stCloseWait:
		return model.CloseWait, true
	case stLastAck:
		return model.LastAck, true
	case stListen:
		return model.Listen, true
	case stClosing:
		return model.Closing, true
	}
	return 0, false
}

// ParseProcNet reads the text of /proc/net/tcp or /proc/net/tcp6. Lines
// that do not parse (the header) are skipped.
func ParseProcNet(r io.Reader) ([]ProcSocket, error) {
	var out []ProcSocket
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		if s, ok := parseProcLine(sc.Text()); ok {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

// parseProcLine reads one socket line:
//
//	sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
//	 0: 0100007F:A1B2 0100007F:1F90 06 00000000:00000000 03:00001770 00000000 0 0 0 ...
func parseProcLine(line string) (ProcSocket, bool) {
	var s ProcSocket
	f := strings.Fields(line)
	if len(f) < 9 || !strings.HasSuffix(f[0], ":") {
		return s, false
	}
	var ok bool
	if s.Local, ok = parseHexAddr(f[1]); !ok {
		return s, false
	}
	if s.Remote, ok = parseHexAddr(f[2]); !ok {
		return s, false
	}
	st, err := strconv.ParseUint(f[3], 16, 8)
	if err != nil {
		return s, false
	}
	s.St = int(st)
	tx, rx, ok1 := hexPair(f[4])
	tr, when, ok2 := hexPair(f[5])
	if !ok1 || !ok2 {
		return s, false
	}
	s.TxQueue, s.RxQueue, s.Tr = int(tx), int(rx), int(tr)
	s.When = time.Duration(when) * clockTick
	if v, err := strconv.ParseUint(f[6], 16, 32); err == nil {
		s.Retrans = int(v)
	}
	if v, err := strconv.Atoi(f[8]); err == nil {
		s.Probes = v
	}
	return s, true
}

func hexPair(s string) (uint64, uint64, bool) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	return x, y, err1 == nil && err2 == nil
}

// parseHexAddr reads "0100007F:1F90". The kernel prints the address as
// 32-bit words in host byte order (each __be32 read as a native integer)
// and the port as a plain number.
func parseHexAddr(s string) (netip.AddrPort, bool) {
	h, p, ok := strings.Cut(s, ":")
	if !ok || (len(h) != 8 && len(h) != 32) {
		return netip.AddrPort{}, false
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return netip.AddrPort{}, false
	}
	b := make([]byte, 0, 16)
	for i := 0; i < len(h); i += 8 {
		w, err := strconv.ParseUint(h[i:i+8], 16, 32)
		if err != nil {
			return netip.AddrPort{}, false
		}
		b = binary.NativeEndian.AppendUint32(b, uint32(w))
	}
	addr, _ := netip.AddrFromSlice(b)
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)), true
}

// parseCounters reads the "Name: k1 k2 ...\nName: v1 v2 ..." pairs of
// /proc/net/snmp and /proc/net/netstat into "Name.key" -> value.
func parseCounters(r io.Reader) map[string]int64 {
	out := map[string]int64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var head []string
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		if head != nil && f[0] == head[0] && len(f) == len(head) {
			for i := 1; i < len(f); i++ {
				if v, err := strconv.ParseInt(f[i], 10, 64); err == nil {
					out[strings.TrimSuffix(f[0], ":")+"."+head[i]] = v
				}
			}
			head = nil
			continue
		}
		head = f
	}
	return out
}
