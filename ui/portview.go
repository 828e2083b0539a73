package ui

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"finwait/model"
)

// portView is the host-level picture of a port-exhaustion run: counts now,
// and TIME-WAIT, free ports and connect() failures over time as charts.
func (cx *ctx) portView(h int) []string {
	st := &cx.st
	cur := cx.sim().Current()
	p := cx.sim().Params()
	total := p.PortHi - p.PortLo + 1
	reuse := cx.cat.T("ui.port.reuse", "v", p.TWReuse)
	out := []string{
		" " + st.bold.Render(cx.cat.T("ui.port.title")) + "  " + st.key.Render(cx.keys.TWReuse.Help().Key) + " " + reuse,
		" " + strings.Join([]string{
			st.chartTW.Render("■ " + cx.cat.T("ui.port.tw", "n", cur.TimeWaitTW)),
			st.chartFree.Render("▲ " + cx.cat.T("ui.port.free", "n", cur.PortsFree, "total", total)),
			st.chartFail.Render("✗ " + cx.cat.T("ui.port.fail", "n", cur.Failures)),
		}, "  "),
		" " + cx.cat.T("ui.port.opened", "n", cur.Opened, "reused", cur.Reuses) + "  " +
			st.dim.Render(cx.cat.T("ui.port.span", "from", secs(smp0(cx.sim())), "to", secs(cur.T))),
	}
	smp := append(append([]model.Sample(nil), cx.sim().Samples()...), cur)
	ch := max(1, (h-len(out))/3)
	lw := 0
	labels := []string{"■ " + cx.cat.T("ui.port.tw_short"), "▲ " + cx.cat.T("ui.port.free_short"), "✗ " + cx.cat.T("ui.port.fail_short")}
	for _, l := range labels {
		lw = max(lw, lipgloss.Width(l))
	}
	cw := cx.w - lw - 3
	series := []struct {
		sty lipgloss.Style
		get func(*model.Sample) int
		max int
	}{
		{st.chartTW, func(s *model.Sample) int { return s.TimeWaitTW }, total},
		{st.chartFree, func(s *model.Sample) int { return s.PortsFree }, total},
		{st.chartFail, func(s *model.Sample) int { return s.Failures }, 0},
	}
	for i, se := range series {
		vals := resample(smp, cw, se.get)
		top := se.max
		for _, v := range vals {
			top = max(top, v)
		}
		rows := chart(vals, top, ch)
		for r, row := range rows {
			lab := strings.Repeat(" ", lw)
			if r == 0 {
				lab = fit(labels[i], lw)
			}
			out = append(out, " "+lab+" "+st.lane.Render("┤")+se.sty.Render(row))
		}
	}
	return block(out, cx.w, h)
}

// smp0 is the time of the first sample shown.
func smp0(s *model.Sim) time.Duration {
	if smp := s.Samples(); len(smp) > 0 {
		return smp[0].T
	}
	return 0
}

// resample takes the latest value per column: one column per sample while
// they fit, else the samples compressed evenly into w columns.
func resample(smp []model.Sample, w int, get func(*model.Sample) int) []int {
	n := len(smp)
	if n == 0 || w <= 0 {
		return nil
	}
	if n <= w {
		out := make([]int, n)
		for i := range smp {
			out[i] = get(&smp[i])
		}
		return out
	}
	out := make([]int, w)
	for c := range out {
		out[c] = get(&smp[(c+1)*n/w-1])
	}
	return out
}

// chart draws values as a block chart h rows high, scaled to top.
func chart(vals []int, top, h int) []string {
	levels := []rune(" ▁▂▃▄▅▆▇█")
	rows := make([][]rune, h)
	for r := range rows {
		rows[r] = make([]rune, len(vals))
	}
	for c, v := range vals {
		e := 0
		if top > 0 {
			e = (v*h*8 + top/2) / top
		}
		if v > 0 && e == 0 {
			e = 1 // a non-zero value is never invisible
		}
		for r := range h {
			fill := e - (h-1-r)*8
			rows[r][c] = levels[max(0, min(8, fill))]
		}
	}
	out := make([]string, h)
	for r := range rows {
		out[r] = string(rows[r])
	}
	return out
}
