package ui

import (
	"strings"

	"finwait/model"
)

// timerLines draws a side's live timers as countdown bars with the time
// left, in w cells each.
func (cx *ctx) timerLines(side model.Side, w int) []string {
	tv := cx.sim().Timers(side)
	if len(tv) == 0 {
		return []string{cx.st.dim.Render(cx.cat.T("ui.timer.none"))}
	}
	now := cx.sim().Now()
	labels := make([]string, len(tv))
	lw := 0
	p := cx.sim().Params()
	for i, t := range tv {
		labels[i] = cx.cat.T("ui.timer." + t.Kind.String())
		switch {
		case t.Kind == model.TimerRetransmit && t.Count > 0:
			labels[i] += " ×" + itoa(t.Count)
		case t.Kind == model.TimerKeepalive && t.Count > 0:
			labels[i] = cx.cat.T("ui.timer.probes", "n", t.Count, "of", p.KeepaliveProbe)
		}
		lw = max(lw, lipglossWidth(labels[i]))
	}
	out := make([]string, 0, len(tv))
	for i, t := range tv {
		rem := t.At - now
		tail := " " + left(rem)
		span := t.At - t.Started
		frac := 0.0
		if span > 0 {
			frac = float64(rem) / float64(span)
		}
		bw := max(3, w-lw-1-lipglossWidth(tail))
		out = append(out, fit(labels[i], lw)+" "+cx.bar(frac, bw)+tail)
	}
	return out
}

// bar is a static progress bar: the full part is the time still left.
func (cx *ctx) bar(frac float64, w int) string {
	frac = max(0, min(1, frac))
	eighths := int(frac*float64(w*8) + 0.5)
	full := eighths / 8
	var b strings.Builder
	b.WriteString(strings.Repeat("█", full))
	if r := eighths % 8; r > 0 && full < w {
		b.WriteString(string([]rune(" ▏▎▍▌▋▊▉")[r]))
		full++
	}
	return cx.st.barFull.Render(b.String()) + cx.st.barEmpty.Render(strings.Repeat("░", w-full))
}
