package kernel

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"finwait/lessons"
	"finwait/model"
)

// WriteReport prints r (may be nil), the sysctls (may be empty) and the
// live TIME-WAIT count (left out when tw < 0) as readable text in lang
// ("en" or "zh").
func WriteReport(w io.Writer, r *Report, sysctls []Sysctl, tw int, lang string) {
	m := lessons.Messages(lang)
	p := &printer{w: w, m: m}
	if r != nil {
		p.report(r)
	}
	if len(sysctls) > 0 {
		p.sysctls(sysctls)
	}
	if tw >= 0 {
		p.line(m.T("kernel.tw_count", "n", tw))
	}
}

type printer struct {
	w io.Writer
	m *lessons.Catalog
}

func (p *printer) line(s string) { fmt.Fprintln(p.w, strings.TrimRight(s, " ")) }

func (p *printer) report(r *Report) {
	m := p.m
	p.line(m.T("kernel.title", "scenario", r.Scenario))
	p.line(m.T("kernel.release", "release", r.Release, "cport", r.Ports[model.Client], "sport", r.Ports[model.Server]))
	p.line(m.T("kernel.sampling", "interval", fmtDur(r.Interval), "n", r.Samples, "elapsed", fmtDur(r.Elapsed)))
	if len(r.Sets) > 0 {
		p.line(m.T("kernel.sets", "list", strings.Join(r.Sets, " ")))
	} else {
		p.line(m.T("kernel.sets_none"))
	}
	for _, o := range r.Options {
		args := append([]any{"side", sideName(m, o.Side)}, o.Args...)
		p.line("  " + m.T(o.Key, args...))
	}
	// The engine column is as wide as its widest cell, so that the bars
	// line up whatever the timers say.
	colWidth := width(m.T("kernel.col.engine"))
	left := func(row Row) string {
		if row.Engine != nil {
			return p.engineStep(row.Engine)
		}
		return m.T("kernel.extra")
	}
	for side := model.Client; side <= model.Server; side++ {
		for _, row := range r.Rows[side] {
			colWidth = max(colWidth, width(left(row)))
		}
	}
	colWidth++ // pad leaves at least one space after the widest cell
	for side := model.Client; side <= model.Server; side++ {
		p.line("")
		p.line(m.T("kernel.side", "side", sideName(m, side)))
		p.line("  " + pad(m.T("kernel.col.engine"), colWidth) + " | " + m.T("kernel.col.kernel"))
		for _, row := range r.Rows[side] {
			left := pad(left(row), colWidth)
			right := m.T("kernel.missed")
			if row.Kernel != nil {
				right = p.kernelStep(row.Kernel)
			}
			p.line("  " + left + " | " + right)
		}
	}
	p.line("")
	p.line(m.T("kernel.checks"))
	bad := 0
	for _, c := range r.Checks {
		mark := m.T("kernel.ok")
		if !c.OK {
			mark = m.T("kernel.fail")
			bad++
		}
		p.line("  " + pad(mark, 10) + " " + p.check(&c))
	}
	if bad == 0 {
		p.line(m.T("kernel.result_ok"))
	} else {
		p.line(m.T("kernel.result_diff", "n", bad))
	}
	p.line("")
}

func (p *printer) engineStep(s *Step) string {
	out := pad(fmtDur(s.At), 9) + " " + s.State.String()
	for _, t := range s.Timers {
		out += "  " + p.m.T("kernel.timer_engine", "timer", p.m.T("kernel.timer."+t.Kind.String()), "dur", fmtDur(t.Left))
	}
	return out
}

func (p *printer) kernelStep(s *Step) string {
	m := p.m
	at := fmtDur(s.At)
	if s.Projected {
		at = "≈" + at
	}
	out := pad(at, 9) + " " + s.State.String()
	switch {
	case s.Projected:
		out += "  " + m.T("kernel.projected")
	case s.Code != 0:
		out += "  " + m.T("kernel.code", "code", fmt.Sprintf("%02X", s.Code))
	default:
		out += "  " + m.T("kernel.gone")
	}
	for _, t := range s.Timers {
		out += "  " + m.T("kernel.timer_kernel", "timer", m.T("kernel.tr."+strconv.Itoa(t.Code)), "left", fmtDur(t.Max))
		if t.Arms > 1 {
			out += " " + m.T("kernel.timer_arms", "n", t.Arms)
		}
	}
	return out
}

func (p *printer) check(c *Check) string {
	return p.m.T(c.Key, "side", sideName(p.m, c.Side), "state", c.State.String(),
		"kernel", p.value(c.Kernel), "engine", p.value(c.Engine))
}

func (p *printer) value(v any) string {
	switch x := v.(type) {
	case model.State:
		return x.String()
	case []model.State:
		s := make([]string, len(x))
		for i, st := range x {
			s[i] = st.String()
		}
		return strings.Join(s, " → ")
	case time.Duration:
		return fmtDur(x)
	case bool:
		if x {
			return p.m.T("kernel.yes")
		}
		return p.m.T("kernel.no")
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	case nil:
		return p.m.T("kernel.none")
	}
	return fmt.Sprint(v)
}

func (p *printer) sysctls(list []Sysctl) {
	m := p.m
	p.line(m.T("kernel.sysctls"))
	p.line("  " + pad(m.T("kernel.col.sysctl"), 24) + pad(m.T("kernel.col.machine"), 16) +
		pad(m.T("kernel.col.profile"), 16) + m.T("kernel.col.param"))
	for _, s := range list {
		v := s.Value
		if s.Err != nil {
			v = m.T("kernel.unreadable")
		}
		note := s.Param
		if s.Err == nil && !s.Same() {
			note += "  " + m.T("kernel.differs")
		}
		p.line("  " + pad(s.Name, 24) + pad(v, 16) + pad(s.Profile, 16) + note)
	}
}

// fmtDur prints a measured duration compactly: 41.3ms, 2.047s, 59.99s.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Microsecond), 'f', 0, 64) + "µs"
	case d < time.Second:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
	}
	return model.FormatDuration(d.Round(time.Second))
}

// pad fills s with spaces to n display columns (CJK characters count two).
func pad(s string, n int) string {
	w := width(s)
	if w >= n {
		return s + " "
	}
	return s + strings.Repeat(" ", n-w)
}

func width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
			r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}

func sideName(m *lessons.Catalog, s model.Side) string { return m.T("kernel.side." + s.String()) }
