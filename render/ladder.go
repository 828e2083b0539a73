package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"finwait/lessons"
	"finwait/model"
)

const (
	ladderCell = 40 // width of each side's column
	ladderWrap = 96 // width explanations wrap at
)

// quietDeliver lists the notes of deliveries that go without saying;
// loudSend the notes of sends worth saying (the rest do not: the next
// line, a state change, says it).
var quietDeliver = map[string]bool{"in.ack": true, "in.data": true, "in.syn": true, "in.synack": true,
	"in.fin": true, "in.ack_fin": true, "in.rst": true, "in.nosock": true}
var loudSend = map[string]bool{"send.retransmit": true, "send.tlp": true, "send.probe": true,
	"send.keepalive_rst": true, "send.dupack": true, "send.challenge": true, "send.tw_ack": true,
	"send.delayed_ack": true, "send.rst_nosock": true, "send.rst_abort": true, "send.rst_unread": true,
	"send.rst_orphan": true, "send.rst_badack": true, "send.rst_listen": true}

// Quiet reports whether the explanation of a send or a delivery goes
// without saying, because the line after it (a state change) says it
// already; the ladder and the interactive view's narration leave it out.
func Quiet(e *model.Event) bool {
	switch e.Kind {
	case model.EvSend:
		return !loudSend[e.Note]
	case model.EvDeliver:
		return quietDeliver[e.Note]
	}
	return false
}

// Ladder prints a run as a readable ladder: one line per event in the
// client's or the server's column, segments as arrows, and the reason for
// each step below it.
func Ladder(w io.Writer, sim *model.Sim, cat *lessons.Catalog) error {
	ew := &errWriter{w: w}
	w = ew
	sc := sim.Scenario()
	p := sim.Params()
	fmt.Fprintf(w, "%s: %s\n", sc.Name, sc.Describe(cat.Lang))
	fmt.Fprintln(w, cat.T("cli.settings", "profile", p.Profile, "delay", model.FormatDuration(p.Delay),
		"tw", model.FormatDuration(p.TimeWait()), "msl", model.FormatDuration(p.MSL),
		"delack", model.FormatDuration(p.DelayedACK), "ts", onOff(cat, p.Timestamps)))
	if o := p.Overrides(); len(o) > 0 {
		fmt.Fprintln(w, cat.T("cli.overrides", "list", strings.Join(o, " ")))
	}
	fmt.Fprintln(w)
	cport := fmt.Sprint(model.ClientPort)
	if sc.Load.Count > 0 {
		cport = fmt.Sprintf("%d-%d", p.PortLo, p.PortHi)
	}
	fmt.Fprintf(w, "%s  %s%s\n", padLeft(cat.T("cli.time"), 10), pad(cat.Side(model.Client)+" "+model.Addr(model.Client, p.Loopback)+":"+cport, ladderCell),
		fmt.Sprintf("%s %s:%d", cat.Side(model.Server), model.Addr(model.Server, p.Loopback), model.ServerPort))
	fmt.Fprintf(w, "%10s  %s%s\n", "", pad(strings.Repeat("─", ladderCell-2), ladderCell), strings.Repeat("─", ladderCell-2))
	tr := sim.Trace()
	for i := range tr {
		e := &tr[i]
		cell, note := ladderCellText(e, cat)
		if cell == "" {
			continue
		}
		left, right := cell, ""
		if ladderSide(e) == model.Server {
			left, right = "", cell
		}
		fmt.Fprintf(w, "%10s  %s%s\n", seconds(e.T), pad(left, ladderCell), right)
		if note != "" {
			for _, l := range strings.Split(ansi.Wrap(note, ladderWrap-14, ""), "\n") {
				fmt.Fprintf(w, "%10s    │ %s\n", "", l)
			}
		}
	}
	if smp := sim.Samples(); len(smp) > 0 {
		writeSamples(w, sim, cat)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, cat.T("cli.end", "t", seconds(sim.Now()), "client", sideState(sim, model.Client), "server", sideState(sim, model.Server)))
	return ew.err
}

func sideState(sim *model.Sim, s model.Side) string {
	ep, _ := sim.Endpoint(s)
	return ep.State.String()
}

func onOff(cat *lessons.Catalog, b bool) string {
	if b {
		return cat.T("cli.on")
	}
	return cat.T("cli.off")
}

// ladderSide is the column an event is drawn in.
func ladderSide(e *model.Event) model.Side {
	switch e.Kind {
	case model.EvSend, model.EvDrop, model.EvExpire:
		return e.Seg.From
	case model.EvDeliver:
		return e.Seg.From.Other()
	}
	return e.Side
}

func segText(s *model.Segment) string {
	t := fmt.Sprintf("#%d %s seq=%d ack=%d", s.ID, s.Flags, s.Seq, s.Ack)
	if s.Len > 0 {
		t += fmt.Sprintf(" len=%d", s.Len)
	}
	return t
}

func ladderCellText(e *model.Event, cat *lessons.Catalog) (cell, note string) {
	switch e.Kind {
	case model.EvSend:
		if !Quiet(e) {
			note = cat.Note(e)
		}
		if e.Seg.From == model.Client {
			return segText(&e.Seg) + " ──▶", note
		}
		return "◀── " + segText(&e.Seg), note
	case model.EvDeliver:
		if !Quiet(e) {
			note = cat.Note(e)
		}
		if e.Seg.From == model.Client {
			return "──▶ " + cat.T("cli.arrives", "id", e.Seg.ID), note
		}
		return cat.T("cli.arrives", "id", e.Seg.ID) + " ◀──", note
	case model.EvDrop:
		return "✗ " + cat.T("cli.lost", "id", e.Seg.ID), cat.Note(e)
	case model.EvExpire:
		return "⌛ " + cat.T("cli.expired", "id", e.Seg.ID), cat.Note(e)
	case model.EvState:
		return fmt.Sprintf("%s → %s  [%s]", e.From, e.To, e.Rule), cat.Note(e)
	case model.EvTimerStart:
		return "◷ " + cat.Note(e), ""
	case model.EvTimerFire:
		return "◉ " + cat.Note(e), ""
	case model.EvApp:
		if strings.HasPrefix(e.Note, "err.") {
			return e.Detail + ": " + cat.T(e.Note), ""
		}
		return cat.Note(e), ""
	case model.EvNotify:
		if e.Detail == "DATA" {
			return "⇒ " + cat.T("cli.bytes", "n", e.N), cat.Note(e)
		}
		return "⇒ " + e.Detail, cat.Note(e)
	}
	return "", ""
}

func writeSamples(w io.Writer, sim *model.Sim, cat *lessons.Catalog) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, cat.T("cli.samples_title"))
	fmt.Fprintln(w, padLeft(cat.T("cli.time"), 10)+" "+padLeft(cat.T("cli.opened"), 9)+" "+padLeft("ESTABLISHED", 12)+" "+
		padLeft(cat.T("cli.tw_client"), 12)+" "+padLeft(cat.T("cli.tw_server"), 12)+" "+padLeft(cat.T("cli.ports_free"), 10)+" "+
		padLeft(cat.T("cli.failures"), 10)+" "+padLeft(cat.T("cli.reuses"), 10))
	smp := sim.Samples()
	step := time.Duration(0)
	if len(smp) > 1 {
		step = smp[1].T - smp[0].T
	}
	every := 1
	for step > 0 && time.Duration(every)*step < 5*time.Second {
		every++
	}
	for i := 0; i < len(smp); i += every {
		s := &smp[i]
		fmt.Fprintf(w, "%10s %9d %12d %12d %12d %10d %10d %10d\n", seconds(s.T), s.Opened, s.StateCount(model.Established),
			s.TimeWaitTW, s.TimeWaitSV, s.PortsFree, s.Failures, s.Reuses)
	}
}

// seconds prints virtual time in seconds with millisecond precision.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// padLeft right-aligns s in display width n.
func padLeft(s string, n int) string {
	if w := ansi.StringWidth(s); w < n {
		return strings.Repeat(" ", n-w) + s
	}
	return s
}

// pad pads s with spaces to display width n (Chinese counts double).
func pad(s string, n int) string {
	if w := ansi.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s + " "
}
