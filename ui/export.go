package ui

import (
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"

	"finwait/lessons"
	"finwait/model"
)

// An export draws a finished (or paused) run as a sequence diagram for
// slides and handouts: text (the ladder), Mermaid, or SVG.

// Formats lists the export formats.
var Formats = []string{"text", "mermaid", "svg"}

// Export writes the run in the given format.
func Export(w io.Writer, sim *model.Sim, cat *lessons.Catalog, format string) error {
	switch format {
	case "text":
		WriteLadder(w, sim, cat)
	case "mermaid":
		writeMermaid(w, sim, cat)
	case "svg":
		writeSVG(w, sim, cat)
	default:
		return errors.New(cat.T("export.err.format", "format", strconv.Quote(format)))
	}
	return nil
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

func writeMermaid(w io.Writer, sim *model.Sim, cat *lessons.Catalog) {
	p := sim.Params()
	sc := sim.Scenario()
	fmt.Fprintln(w, "sequenceDiagram")
	fmt.Fprintf(w, "    title %s\n", mermaidText(sc.Name+" - "+sc.Describe(cat.Lang)))
	fmt.Fprintf(w, "    participant C as %s %s\n", mermaidText(cat.Side(model.Client)), model.Addr(model.Client, p.Loopback))
	fmt.Fprintf(w, "    participant S as %s %s\n", mermaidText(cat.Side(model.Server)), model.Addr(model.Server, p.Loopback))
	lane := map[model.Side]string{model.Client: "C", model.Server: "S"}
	note := func(s model.Side, text string) {
		pos := "left of"
		if s == model.Server {
			pos = "right of"
		}
		fmt.Fprintf(w, "    Note %s %s: %s\n", pos, lane[s], mermaidText(text))
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
			fmt.Fprintf(w, "    %s%s%s: %s\n", lane[e.Seg.From], arrow, lane[e.Seg.From.Other()],
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
}

// svgRow is one line of the SVG diagram: an event at a y position.
const (
	svgWidth  = 1280
	svgLaneC  = 450
	svgLaneS  = 850
	svgRowH   = 26
	svgTop    = 110
	svgMargin = 20
)

func writeSVG(w io.Writer, sim *model.Sim, cat *lessons.Catalog) {
	evs := exportEvents(sim)
	p := sim.Params()
	sc := sim.Scenario()
	// Each event gets a row; a segment's arrow runs from its send row to
	// the row where it arrived (the first event at or after that time).
	rows := make(map[int]int) // index in evs -> row
	row := 0
	for i := range evs {
		if i > 0 && evs[i].T != evs[i-1].T {
			row++
		}
		rows[i] = row
		row++
	}
	rowAt := func(t float64) int {
		for i := range evs {
			if evs[i].T.Seconds() >= t {
				return rows[i]
			}
		}
		return row
	}
	height := svgTop + (row+2)*svgRowH + svgMargin
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="13">`+"\n", svgWidth, height, svgWidth, height)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%d" y="30" font-size="17" font-weight="bold">%s</text>`+"\n", svgMargin, esc(sc.Name))
	fmt.Fprintf(&b, `<text x="%d" y="52" fill="#444">%s</text>`+"\n", svgMargin, esc(sc.Describe(cat.Lang)))
	for _, l := range []struct {
		x    int
		side model.Side
	}{{svgLaneC, model.Client}, {svgLaneS, model.Server}} {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s %s</text>`+"\n", l.x, svgTop-24, esc(cat.Side(l.side)), model.Addr(l.side, p.Loopback))
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999" stroke-width="2"/>`+"\n", l.x, svgTop-12, l.x, height-svgMargin)
	}
	y := func(r int) int { return svgTop + r*svgRowH + svgRowH/2 }
	laneX := func(s model.Side) int {
		if s == model.Server {
			return svgLaneS
		}
		return svgLaneC
	}
	for i := range evs {
		e := &evs[i]
		r := rows[i]
		if i == 0 || evs[i-1].T != e.T {
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#666">%s s</text>`+"\n", svgMargin, y(r)+4, seconds(e.T))
		}
		x := laneX(e.Side)
		anchor, dx := "end", -10
		if e.Side == model.Server {
			anchor, dx = "start", 10
		}
		switch e.Kind {
		case model.EvSend:
			x1 := laneX(e.Seg.From)
			x2 := laneX(e.Seg.From.Other())
			y1 := y(r)
			k, d := fate(sim, e.Seg.ID)
			r2 := r + 1
			if d != nil {
				r2 = max(rowAt(d.T.Seconds()), r+1)
			}
			y2 := y(r2)
			label := segText(&e.Seg)
			color := "#1f4e9c"
			if e.Seg.Flags&model.FIN != 0 {
				color = "#b5520b"
			}
			if e.Seg.Flags&model.RST != 0 {
				color = "#b00020"
			}
			if k == model.EvDrop || k == model.EvExpire {
				mx, my := (x1+x2)/2, (y1+y2)/2
				fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`+"\n", x1, y1, mx, my, color)
				fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="20" fill="#b00020">✗</text>`+"\n", mx, my+7)
				if k == model.EvDrop {
					label += " " + cat.T("export.lost")
				} else {
					label += " " + cat.T("export.expired")
				}
			} else {
				fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" marker-end="url(#arrow)"/>`+"\n", x1, y1, x2, y2, color)
			}
			// The label sits a third of the way from the sender, so that
			// the labels of crossing segments do not overlap.
			lx, ly := x1+(x2-x1)/3, y1+(y2-y1)/3
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="%s" transform="rotate(%.1f %d %d)">%s</text>`+"\n",
				lx, ly-5, color, angle(x1, y1, x2, y2), lx, ly, esc(label))
		case model.EvState:
			// Beside the lane, on the outside like the notes: the lane
			// itself stays free for the arrowheads that end there.
			text := e.To.String()
			wbox := 9*len(text) + 16
			bx := x - 8 - wbox
			if e.Side == model.Server {
				bx = x + 8
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="20" rx="4" fill="#eef3e2" stroke="#5a7d1a"/>`+"\n", bx, y(r)-14, wbox)
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold" fill="#2d4a00">%s</text>`+"\n", bx+wbox/2, y(r)+1, esc(text))
		default:
			text := cat.Note(e)
			if e.Kind == model.EvNotify {
				text = cat.T("export.app_sees", "what", e.Detail)
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="%s" fill="#444">%s</text>`+"\n", x+dx, y(r)+4, anchor, esc(text))
		}
	}
	b.WriteString("</svg>\n")
	io.WriteString(w, b.String())
}

func esc(s string) string { return html.EscapeString(s) }

// angle is the rotation, in degrees, that lays a label along an arrow.
func angle(x1, y1, x2, y2 int) float64 {
	dx, dy := float64(x2-x1), float64(y2-y1)
	if dx < 0 {
		dx, dy = -dx, -dy
	}
	return math.Atan2(dy, dx) * 180 / math.Pi
}
