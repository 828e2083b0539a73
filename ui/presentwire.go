package ui

// The link in presenter mode: the segments in flight across the whole
// width, drawn big.

import (
	"strings"
	"time"

	"finwait/model"
)

// wireItem is one segment on the link: in flight, or lost a moment ago.
type wireItem struct {
	seg  model.Segment
	x    float64 // how far along, 0..1
	mark string  // "✗" lost, "⌛" expired, "" travelling
	tags string
	sel  bool
}

// wireItems is what the ordinary link view shows, as data.
func (cx *ctx) wireItems() []wireItem {
	now := cx.sim().Now()
	var out []wireItem
	for _, f := range cx.sim().Flights() {
		x := f.Progress(now)
		mark := ""
		switch {
		case f.Fate == model.Lost && now >= f.EndAt:
			x = float64(f.EndAt-f.SentAt) / float64(max(1, f.ArriveAt-f.SentAt))
			mark = "✗"
		case f.Fate == model.Expires && now >= f.EndAt:
			mark = "⌛"
		}
		out = append(out, wireItem{seg: f.Seg, x: x, mark: mark, tags: cx.flightTags(&f), sel: f.Seg.ID == cx.seg})
	}
	tr := cx.sim().Trace()
	from, _ := cx.sim().StepOf(cx.sim().Pos())
	d := cx.sim().Params().Delay
	for i := len(tr) - 1; i >= 0; i-- {
		e := &tr[i]
		if e.T < now-max(d, time.Millisecond) && i < from {
			break
		}
		if e.Kind != model.EvDrop && e.Kind != model.EvExpire {
			continue
		}
		it := wireItem{seg: e.Seg, x: cx.deathPoint(e, tr[:i]), mark: "✗", tags: cx.cat.T("ui.seg.lost")}
		if e.Kind == model.EvExpire {
			it.mark, it.tags = "⌛", cx.cat.T("ui.seg.expired")
		}
		out = append(out, it)
	}
	return out
}

// presentWire is the link across the whole width, the client's end on the
// left under the client's box.
func (cx *ctx) presentWire(g presentGeom) []string {
	st := &cx.st
	p := cx.sim().Params()
	w := cx.w - 2
	out := []string{" " + st.dim.Render(center("◀── "+cx.cat.T("ui.wire.link", "delay", model.FormatDuration(p.Delay))+" ──▶", w))}
	items := cx.wireItems()
	for i, it := range items {
		if i >= g.slots {
			break
		}
		out = append(out, cx.presentSeg(it, w, g.bigSeg)...)
	}
	return block(out, cx.w, g.wireH)
}

// presentSeg draws one segment: its flags (in the pixel font when big),
// its numbers, and a thick trail ending where it is now.
func (cx *ctx) presentSeg(it wireItem, w int, big bool) []string {
	st := &cx.st
	s := &it.seg
	sty := st.forSeg(s)
	if it.mark == "✗" {
		sty = st.segLost
	}
	pos := int(it.x*float64(w-1) + 0.5)
	right := s.From == model.Client
	// place puts a label of lw cells at the segment's head.
	place := func(lw int) int {
		lw = min(lw, w)
		if right {
			return max(0, min(pos+1-lw, w-lw))
		}
		return max(0, min(w-1-pos, w-lw))
	}
	row := func(label string, styled string) string {
		lw := min(width(label), w)
		return " " + strings.Repeat(" ", place(lw)) + styled
	}
	detail := "#" + itoa(s.ID) + "  seq " + itoa(int(s.Seq)) + "  ack " + itoa(int(s.Ack))
	if s.Len > 0 {
		detail += "  len " + itoa(s.Len)
	}
	if it.tags != "" {
		detail += "  " + it.tags
	}
	if it.mark != "" {
		detail = it.mark + " " + detail
	}
	if it.sel {
		detail = "▸ " + detail
	}
	detailSty := sty
	if it.sel {
		detailSty = st.selected
	}
	flags := strings.ReplaceAll(s.Flags.String(), ",", " ")
	var out []string
	if _, ok := bigWidth(flags, 1); big && ok {
		for _, l := range bigText(flags, 1) {
			out = append(out, row(l, sty.Render(l)))
		}
		out = append(out, row(fit(detail, min(width(detail), w)), detailSty.Render(fit(detail, min(width(detail), w)))))
	} else {
		l := spaced(flags) + "   " + detail
		l = fit(l, min(width(l), w))
		out = append(out, row(l, detailSty.Render(l)))
	}
	head := pick(right, "▶", "◀")
	if it.mark != "" {
		head = it.mark
	}
	var trail string
	if right {
		trail = sty.Render(strings.Repeat("━", pos)+head) + strings.Repeat(" ", max(0, w-pos-1))
	} else {
		trail = strings.Repeat(" ", max(0, w-1-pos)) + sty.Render(head+strings.Repeat("━", pos))
	}
	return append(out, " "+trail)
}
