package difftest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"finwait/model"
)

// record is what one run of a scenario produced, in a form both the engine
// and the gVisor harness can fill: the segments on the wire in sending
// order, each endpoint's state sequence and what each side's application
// was told. Times are virtual, from the scenario's start.
type record struct {
	isn  [2]uint32 // initial send sequence of each side's first connection
	segs []segRec
	// states per endpoint: key is side and the endpoint's ordinal on that
	// side (1 = the first connection, 2 = the next one...).
	states map[epKey][]stateRec
	notes  [2][]noteRec
}

type epKey struct {
	side model.Side
	n    int
}

type segRec struct {
	t     time.Duration
	from  model.Side
	flags model.Flags
	seq   uint32
	ack   uint32
	len   int
	lost  bool
}

type stateRec struct {
	t  time.Duration
	st string
}

type noteRec struct {
	t    time.Duration
	what string
}

func newRecord() *record { return &record{states: map[epKey][]stateRec{}} }

func (r *record) addState(k epKey, t time.Duration, st string) {
	l := r.states[k]
	if len(l) > 0 && l[len(l)-1].st == st {
		return
	}
	r.states[k] = append(l, stateRec{t, st})
}

func ms(d time.Duration) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", float64(d)/float64(time.Second)), "0"), ".") + "s"
}

// segLines renders the segments in sending order. Segments that left both
// sides at the same instant are put client first: which of two hosts'
// simultaneous sends is logged first is an artefact of the harness. SEQ is
// relative to the sender's ISN and ACK to the receiver's, as tcpdump shows
// them; a SYN starts a new base for its sender.
func (r *record) segLines(withTime bool) []string {
	segs := append([]segRec(nil), r.segs...)
	sort.SliceStable(segs, func(i, j int) bool {
		if segs[i].t != segs[j].t {
			return segs[i].t < segs[j].t
		}
		return segs[i].from < segs[j].from
	})
	base := r.isn
	var out []string
	for _, s := range segs {
		if s.flags&model.SYN != 0 {
			base[s.from] = s.seq
		}
		dir := "c>s"
		if s.from == model.Server {
			dir = "s>c"
		}
		line := fmt.Sprintf("%s %-3s seq=%d", dir, s.flags.Short(), s.seq-base[s.from])
		if s.flags&model.ACK != 0 {
			line += fmt.Sprintf(" ack=%d", s.ack-base[s.from.Other()])
		}
		line += fmt.Sprintf(" len=%d", s.len)
		if s.lost {
			line += " LOST"
		}
		if withTime {
			line = fmt.Sprintf("%10s  %s", ms(s.t), line)
		}
		out = append(out, line)
	}
	return out
}

func (r *record) keys() []epKey {
	var ks []epKey
	for k := range r.states {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].side != ks[j].side {
			return ks[i].side < ks[j].side
		}
		return ks[i].n < ks[j].n
	})
	return ks
}

// stateLines is each endpoint's state sequence, without times.
func (r *record) stateLines() []string {
	var out []string
	for _, k := range r.keys() {
		var names []string
		for _, s := range r.states[k] {
			names = append(names, s.st)
		}
		out = append(out, fmt.Sprintf("%s#%d: %s", k.side, k.n, strings.Join(names, " ")))
	}
	return out
}

// timerLines is the timer outcome: when each endpoint left TIME-WAIT, and
// when each endpoint's life ended (the state it ended in is compared by
// stateLines).
func (r *record) timerLines() []string {
	var out []string
	for _, k := range r.keys() {
		l := r.states[k]
		for i, s := range l {
			if s.st == "TIME-WAIT" {
				end := "never"
				if i+1 < len(l) {
					end = ms(l[i+1].t)
				}
				out = append(out, fmt.Sprintf("%s#%d TIME-WAIT ends %s", k.side, k.n, end))
			}
		}
		if last := l[len(l)-1]; last.st == "CLOSED" || last.st == "ERROR" {
			out = append(out, fmt.Sprintf("%s#%d gone at %s", k.side, k.n, ms(last.t)))
		}
	}
	return out
}

// noteLines is what each side's application saw, with times.
func (r *record) noteLines() []string {
	var out []string
	for side := model.Client; side <= model.Server; side++ {
		for _, n := range r.notes[side] {
			out = append(out, fmt.Sprintf("%s %s at %s", side, n.what, ms(n.t)))
		}
	}
	return out
}

// lineDiff is a minimal line diff (longest common subsequence): lines only
// in a are marked "-", lines only in b "+". It is empty when a equals b.
func lineDiff(a, b []string) []string {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, "+ "+b[j])
			j++
		default:
			out = append(out, "- "+a[i])
			i++
		}
	}
	return out
}
