package model

import (
	"sort"
	"time"
)

// A run's history: snapshots, the log of the user's actions, rewinding
// and replaying.

// Snapshot policy. A snapshot costs about as much as copying every live
// socket; replaying a step costs well under a microsecond. Runs with few
// sockets snapshot every 256 steps. Host runs with thousands of sockets
// snapshot sparsely (every live*8 steps) while they only run forward; once
// the user rewinds, the replay takes dense snapshots (every live/8 steps)
// so that stepping back again and again near that point stays fast. Old
// snapshots are thinned out (every other one dropped) when their total size
// passes snapBudget sockets, which bounds memory.
const snapBudget = 1 << 18

func (s *Sim) snapshot() {
	pos := s.w.pos
	live := len(s.w.eps) - len(s.w.free)
	interval := s.every
	if live > 64 {
		if s.dense {
			interval = max(s.every, live/8)
		} else {
			interval = max(s.every, live*8)
		}
	}
	i := sort.Search(len(s.snaps), func(i int) bool { return s.snaps[i].pos >= pos })
	if i < len(s.snaps) && s.snaps[i].pos-pos < interval/2 {
		return
	}
	if i > 0 && pos-s.snaps[i-1].pos < interval {
		return
	}
	s.snaps = append(s.snaps, snap{})
	copy(s.snaps[i+1:], s.snaps[i:])
	s.snaps[i] = snap{pos: pos, w: s.w.clone(), size: live + 64}
	total := 0
	for _, sn := range s.snaps {
		total += sn.size
	}
	for total > snapBudget && len(s.snaps) > 4 {
		// Drop every other snapshot in the older half, keeping the first.
		half := len(s.snaps) / 2
		kept := s.snaps[:1]
		for j := 1; j < len(s.snaps); j++ {
			if j < half && j%2 == 1 {
				total -= s.snaps[j].size
				continue
			}
			kept = append(kept, s.snaps[j])
		}
		if len(kept) == len(s.snaps) {
			break
		}
		s.snaps = kept
	}
}

func (s *Sim) truncateFuture() {
	p := s.w.pos
	i := sort.Search(len(s.log), func(i int) bool { return s.log[i].pos > p })
	s.log = s.log[:i]
	s.li = i
	j := sort.Search(len(s.snaps), func(i int) bool { return s.snaps[i].pos > p })
	s.snaps = s.snaps[:j]
}

// Actions lists the user's actions so far with the step each was done at.
func (s *Sim) Actions() []LoggedAction {
	out := make([]LoggedAction, len(s.log))
	for i, l := range s.log {
		out[i] = LoggedAction{Pos: l.pos, At: l.at, Action: l.a}
	}
	return out
}

// LoggedAction is a user action with the step and time it was done at.
type LoggedAction struct {
	Pos    int
	At     time.Duration
	Action Action
}

// Rewind restores the run exactly as it was after step pos (including the
// user's actions at that step). Stepping forward again replays recorded
// actions.
func (s *Sim) Rewind(pos int) {
	if pos < 0 {
		pos = 0
	}
	if pos >= s.w.pos {
		for s.w.pos < pos && s.Step() {
		}
		return
	}
	s.dense = true
	i := sort.Search(len(s.snaps), func(i int) bool { return s.snaps[i].pos > pos }) - 1
	sn := s.snaps[i]
	s.w = sn.w.cloneInto(s.w)
	s.li = sort.Search(len(s.log), func(i int) bool { return s.log[i].pos >= sn.pos })
	for s.li < len(s.log) && s.log[s.li].pos == sn.pos {
		l := s.log[s.li]
		s.w.now = l.at
		_ = s.w.apply(l.a)
		s.li++
	}
	for s.w.pos < pos && s.Step() {
	}
}

// Replay makes this run a copy of another run of the same scenario,
// settings and rules, from that run's actions alone: it forgets its own
// actions, takes log (as the other run's Actions returned it), and goes to
// step pos with the clock at now (the other run's Pos and Now). Because
// the engine is deterministic the two runs are then identical, and
// stepping on gives the same events. Followers of a shared run use it to
// see exactly what the leader sees without being sent any state.
func (s *Sim) Replay(log []LoggedAction, pos int, now time.Duration) {
	s.log = s.log[:0]
	for _, l := range log {
		s.log = append(s.log, logged{pos: l.Pos, at: l.At, a: l.Action})
	}
	s.snaps = s.snaps[:1] // later snapshots hold the old actions' effects
	s.w = s.snaps[0].w.cloneInto(s.w)
	s.li = 0
	for s.li < len(s.log) && s.log[s.li].pos == 0 {
		l := s.log[s.li]
		s.w.now = l.at
		_ = s.w.apply(l.a)
		s.li++
	}
	for s.w.pos < pos && s.Step() {
	}
	// Between events the leader's clock may have moved on (animation):
	// move ours without processing anything, as AdvanceTo did there.
	if now > s.w.now && now <= s.end {
		s.w.now = now
	}
}

// Sync brings this run to the state of another run of the same scenario,
// settings and rules that has taken the actions log and stands at step
// pos with the clock at now. When this run has taken exactly those actions
// it only steps forward or rewinds, which is cheap; otherwise it replays
// (see Replay).
func (s *Sim) Sync(log []LoggedAction, pos int, now time.Duration) {
	same := len(log) == len(s.log)
	for i := 0; same && i < len(log); i++ {
		l := &s.log[i]
		same = log[i] == LoggedAction{Pos: l.pos, At: l.at, Action: l.a}
	}
	if !same || (pos == 0 && now < s.w.now) {
		s.Replay(log, pos, now)
		return
	}
	if pos < s.w.pos || now < s.w.now {
		s.Rewind(pos - 1)
	}
	for s.w.pos < pos && s.Step() {
	}
	if now > s.w.now && now <= s.end {
		s.w.now = now
	}
}
