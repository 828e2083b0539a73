// Package render draws a run (a *model.Sim and its trace) for people
// outside the terminal program: a text ladder for handouts and the command
// line, a Mermaid sequenceDiagram, and an SVG for slides. The command line
// (finwait trace --format) and the interactive view's e key both use it; it
// knows nothing of terminals or keys.
//
// Every function returns the first error its writer gave, so that a caller
// can tell a full disk from a finished export.
package render

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"finwait/lessons"
	"finwait/model"
)

// Formats lists the export formats.
var Formats = []string{"text", "mermaid", "svg"}

// Export writes the run in the given format.
func Export(w io.Writer, sim *model.Sim, cat *lessons.Catalog, format string) error {
	switch format {
	case "text":
		return Ladder(w, sim, cat)
	case "mermaid":
		return Mermaid(w, sim, cat)
	case "svg":
		return SVG(w, sim, cat)
	}
	return errors.New(cat.T("export.err.format", "format", strconv.Quote(format)))
}

// errWriter keeps the first error of its writer and writes nothing after
// it, so that a drawing of many small writes checks them all at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	e.err = err
	return n, err
}

// exportEvents is what a diagram shows: segments, state changes, the
// application's calls and what it was told, and timers starting; the rest
// (timer stops, delivery of each segment) is implied by the arrows.
func exportEvents(sim *model.Sim) []model.Event {
	var out []model.Event
	for _, e := range sim.Trace() {
		switch e.Kind {
		case model.EvSend, model.EvState, model.EvNotify, model.EvApp:
			out = append(out, e)
		case model.EvTimerStart:
			if e.Timer == model.TimerTimeWait || e.Timer == model.TimerFinWait2 || e.Timer == model.TimerKeepalive {
				out = append(out, e)
			}
		}
	}
	return out
}

// fate finds what became of segment id: delivered (and when), lost or expired.
func fate(sim *model.Sim, id int) (kind model.EventKind, e *model.Event) {
	tr := sim.Trace()
	for i := range tr {
		if tr[i].HasSeg && tr[i].Seg.ID == id && tr[i].Kind != model.EvSend {
			return tr[i].Kind, &tr[i]
		}
	}
	return 0, nil
}

func mermaidText(s string) string {
	r := strings.NewReplacer(";", ",", "#", "no.", "\n", " ", ":", " ")
	return r.Replace(s)
}

// Mermaid writes the run as a Mermaid sequenceDiagram: one message per
// segment (-x for a lost or expired one), notes on the lanes for state
// changes, the application's calls and timers.
func Mermaid(w io.Writer, sim *model.Sim, cat *lessons.Catalog) error {
	ew := &errWriter{w: w}
	p := sim.Params()
	sc := sim.Scenario()
	fmt.Fprintln(ew, "sequenceDiagram")
	fmt.Fprintf(ew, "    title %s\n", mermaidText(sc.Name+" - "+sc.Describe(cat.Lang)))
	fmt.Fprintf(ew, "    participant C as %s %s\n", mermaidText(cat.Side(model.Client)), model.Addr(model.Client, p.Loopback))
	fmt.Fprintf(ew, "    participant S as %s %s\n", mermaidText(cat.Side(model.Server)), model.Addr(model.Server, p.Loopback))
	lane := map[model.Side]string{model.Client: "C", model.Server: "S"}
	note := func(s model.Side, text string) {
		pos := "left of"
		if s == model.Server {
			pos = "right of"
		}
		fmt.Fprintf(ew, "    Note %s %s: %s\n", pos, lane[s], mermaidText(text))
	}
	for _, e := range exportEvents(sim) {
		t := seconds(e.T) + " s"
		switch e.Kind {
		case model.EvSend:
			arrow := "->>"
			suffix := ""
			switch k, d := fate(sim, e.Seg.ID); k {
			case model.EvDrop:
				arrow, suffix = "-x", " "+cat.T("export.lost")
			case model.EvExpire:
				arrow, suffix = "-x", " "+cat.T("export.expired")
			case model.EvDeliver:
				suffix = " " + cat.T("export.arrives_at", "t", seconds(d.T))
			}
			fmt.Fprintf(ew, "    %s%s%s: %s\n", lane[e.Seg.From], arrow, lane[e.Seg.From.Other()],
				mermaidText(t+" "+segText(&e.Seg)+suffix))
		case model.EvState:
			note(e.Side, fmt.Sprintf("%s %s → %s", t, e.From, e.To))
		case model.EvNotify:
			note(e.Side, t+" "+cat.T("export.app_sees", "what", e.Detail))
		case model.EvApp:
			note(e.Side, t+" "+cat.Note(&e))
		case model.EvTimerStart:
			note(e.Side, t+" "+cat.Note(&e))
		}
	}
	return ew.err
}
