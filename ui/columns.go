package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"finwait/model"
)

// columnsView is the client column, the link with its segments in flight,
// and the server column, h rows.
func (cx *ctx) columnsView(h int) []string {
	cw := max(22, min(40, cx.w/4))
	ww := cx.w - 2*cw
	c := block(cx.sideColumn(model.Client, cw, h), cw, h)
	s := block(cx.sideColumn(model.Server, cw, h), cw, h)
	wire := block(cx.wireView(ww, h), ww, h)
	out := make([]string, h)
	for i := range out {
		out[i] = c[i] + wire[i] + s[i]
	}
	return out
}

// shortState abbreviates a state for the history line.
var shortState = map[model.State]string{
	model.Closed: "CLOSED", model.Listen: "LISTEN", model.SynSent: "SYN-S", model.SynReceived: "SYN-R",
	model.Established: "ESTAB", model.FinWait1: "FW1", model.FinWait2: "FW2", model.CloseWait: "CW",
	model.Closing: "CLOSING", model.LastAck: "LA", model.TimeWait: "TW",
}

func (cx *ctx) sideColumn(side model.Side, w, h int) []string {
	st := &cx.st
	ep, _ := cx.sim().Endpoint(side)
	down := cx.sim().HostDown(side)
	p := cx.sim().Params()
	var out []string

	head := strings.ToUpper(cx.cat.Side(side))
	if side == cx.side {
		head = st.selected.Render("▶ " + head)
	} else {
		head = st.bold.Render("  " + head)
	}
	port := ep.Lport
	if port == 0 {
		port = model.ServerPort
		if side == model.Client {
			port = model.ClientPort
		}
	}
	addr := fmt.Sprintf("%s:%d", model.Addr(side, p.Loopback), port)
	if lipglossWidth(head)+len(addr)+2 > w {
		addr = fmt.Sprintf(":%d", port)
	}
	out = append(out, head+" "+st.dim.Render(addr))

	name := ep.State.String()
	if down {
		name = "⊘ " + cx.cat.T("ui.col.down")
	}
	out = append(out, cx.stateBox(name, ep.State, down, w)...)

	out = append(out, st.dim.Render(cx.history(side, w)))

	una := fmt.Sprintf("SND.UNA %d", ep.SndUna)
	nxt := fmt.Sprintf("SND.NXT %d", ep.SndNxt)
	if len(una)+len(nxt)-6 < w {
		out = append(out, una+" NXT "+fmt.Sprint(ep.SndNxt))
	} else {
		out = append(out, una, nxt)
	}
	out = append(out, fmt.Sprintf("RCV.NXT %d", ep.RcvNxt))

	out = append(out, cx.timerLines(side, w-1)...)

	seen := "—"
	if len(ep.Seen) > 0 {
		seen = strings.Join(ep.Seen, ", ")
	}
	app := cx.cat.T("ui.col.app", "seen", seen)
	if ep.Orphan && ep.State != model.Closed {
		app += st.dim.Render(" · " + cx.cat.T("ui.col.orphan"))
	}
	out = append(out, app)
	for i := range out {
		out[i] = " " + out[i]
	}
	return out
}

// history is the side's recent states, newest last, cut from the left.
func (cx *ctx) history(side model.Side, w int) string {
	tr := cx.sim().Trace()
	var states []model.State
	for i := len(tr) - 1; i >= 0 && len(states) < 6; i-- {
		e := &tr[i]
		if e.Kind == model.EvState && e.Side == side && e.Rule != model.RuleS {
			if len(states) == 0 {
				states = append(states, e.To)
			}
			states = append(states, e.From)
		}
	}
	if len(states) == 0 {
		return ""
	}
	parts := make([]string, 0, len(states))
	for i := len(states) - 1; i >= 0; i-- {
		parts = append(parts, shortState[states[i]])
	}
	s := strings.Join(parts, "→")
	for len(s) > w-2 && len(parts) > 1 {
		parts = parts[1:]
		s = "…" + strings.Join(parts, "→")
	}
	return s
}

// wireView draws the link: every segment in flight at the fraction of its
// flight already travelled, plus the segments lost or expired a moment ago.
func (cx *ctx) wireView(w, h int) []string {
	st := &cx.st
	now := cx.sim().Now()
	p := cx.sim().Params()
	out := []string{st.dim.Render(center("◀── "+cx.cat.T("ui.wire.link", "delay", model.FormatDuration(p.Delay))+" ──▶", w))}
	inner := w - 2
	for _, it := range cx.wireItems() {
		if len(out)+2 > h {
			break
		}
		out = append(out, cx.segRows(&it.seg, it.x, inner, it.mark, it.tags, it.sel)...)
	}
	// Ghosts: segments that died within one link delay, or in this step.
	tr := cx.sim().Trace()
	from, _ := cx.sim().StepOf(cx.sim().Pos())
	for i := len(tr) - 1; i >= 0 && len(out)+2 <= h; i-- {
		e := &tr[i]
		if e.T < now-max(p.Delay, time.Millisecond) && i < from {
			break
		}
		if e.Kind != model.EvDrop && e.Kind != model.EvExpire {
			continue
		}
		mark, tag := "✗", cx.cat.T("ui.seg.lost")
		if e.Kind == model.EvExpire {
			mark, tag = "⌛", cx.cat.T("ui.seg.expired")
		}
		x := cx.deathPoint(e, tr[:i])
		out = append(out, cx.segRows(&e.Seg, x, inner, mark, tag, false)...)
	}
	return out
}

// deathPoint is where on the link a segment died: the fraction of its
// flight from the moment it was sent.
func (cx *ctx) deathPoint(e *model.Event, before []model.Event) float64 {
	d := cx.sim().Params().Delay
	for i := len(before) - 1; i >= 0; i-- {
		b := &before[i]
		if b.Kind == model.EvSend && b.Seg.ID == e.Seg.ID {
			if d <= 0 {
				return 0.5
			}
			return min(1, float64(e.T-b.T)/float64(d))
		}
	}
	return 0.5
}

func (cx *ctx) flightTags(f *model.Flight) string {
	var tags []string
	if f.Dup {
		tags = append(tags, "⧉ "+cx.cat.T("ui.seg.dup"))
	}
	if f.Delayed > 0 {
		tags = append(tags, "⧖ "+cx.cat.T("ui.seg.delayed", "dur", model.FormatDuration(f.Delayed)))
	}
	if f.Seg.Retrans > 0 {
		tags = append(tags, "↻ "+cx.cat.T("ui.seg.retrans", "n", f.Seg.Retrans))
	}
	if f.Seg.Probe {
		tags = append(tags, cx.cat.T("ui.seg.probe"))
	}
	if f.Fate == model.Expires {
		tags = append(tags, "⌛ "+cx.cat.T("ui.seg.too_old"))
	}
	if f.Fate == model.Lost && cx.sim().Now() >= f.EndAt {
		tags = append(tags, cx.cat.T("ui.seg.lost"))
	}
	return strings.Join(tags, " ")
}

// segLabel is the segment as tcpdump would summarise it.
func segLabel(s *model.Segment, w int) string {
	l := fmt.Sprintf("#%d %s seq=%d ack=%d", s.ID, s.Flags, s.Seq, s.Ack)
	if s.Len > 0 {
		l += fmt.Sprintf(" len=%d", s.Len)
	}
	if len(l) > w {
		l = fmt.Sprintf("#%d %s %d:%d", s.ID, s.Flags.Short(), s.Seq, s.Ack)
		if s.Len > 0 {
			l += fmt.Sprintf("+%d", s.Len)
		}
	}
	return l
}

// segRows draws one segment: its label above a trail that ends where the
// segment is now (x in 0..1 of the way), pointing in its direction.
func (cx *ctx) segRows(s *model.Segment, x float64, w int, mark, tags string, sel bool) []string {
	st := &cx.st
	sty := st.forSeg(s)
	if mark == "✗" {
		sty = st.segLost
	}
	pos := int(x*float64(w-1) + 0.5)
	label := segLabel(s, w-2)
	if tags != "" {
		label = segLabel(s, w-3-lipgloss.Width(tags)) + " " + tags
	}
	if sel {
		label = "▸" + label
	}
	lw := min(lipgloss.Width(label), w)
	head := "▶"
	if mark != "" {
		head = mark
	}
	var trail string
	var start int
	if s.From == model.Client {
		trail = sty.Render(strings.Repeat("━", pos)+head) + strings.Repeat(" ", max(0, w-pos-1))
		start = max(0, min(pos+1-lw, w-lw))
	} else {
		if mark == "" {
			head = "◀"
		}
		rp := w - 1 - pos
		trail = strings.Repeat(" ", rp) + sty.Render(head+strings.Repeat("━", pos))
		start = min(rp, w-lw)
	}
	lab := fit(label, lw)
	if sel {
		lab = st.selected.Render(lab)
	} else {
		lab = sty.Render(lab)
	}
	return []string{" " + strings.Repeat(" ", start) + lab, " " + trail}
}

// boxKey is what a drawn state box depends on.
type boxKey struct {
	name          string
	state         model.State
	down          bool
	w             int
	dark, present bool
}

// stateBox is a side's state in its framed box, drawn once per look.
func (cx *ctx) stateBox(name string, state model.State, down bool, w int) []string {
	k := boxKey{name, state, down, w, cx.dark, cx.present}
	if b, ok := cx.boxes[k]; ok {
		return b
	}
	st := &cx.st
	box := st.stateBox.Width(w - 1).BorderForeground(st.forState(state, down).GetForeground())
	b := strings.Split(box.Render(st.forState(state, down).Bold(true).Render(name)), "\n")
	if cx.boxes == nil || len(cx.boxes) > 64 {
		cx.boxes = map[boxKey][]string{}
	}
	cx.boxes[k] = b
	return b
}
