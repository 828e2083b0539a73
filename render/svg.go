package render

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"finwait/lessons"
	"finwait/model"
)

// The SVG's geometry, in pixels.
const (
	svgWidth  = 1280
	svgLaneC  = 450 // the client's lane
	svgLaneS  = 850 // the server's lane
	svgRowH   = 26  // one event's row
	svgTop    = 110 // where the first row starts, below the title and the lanes' names
	svgMargin = 20
)

// The SVG's colours come from the palette (the light look); its font is
// named once here.
var (
	svgPaper     = Paper.Hex(Light)
	svgArrowhead = Arrowhead.Hex(Light)
	svgLane      = Lane.Hex(Light)
	svgSubtle    = Grey.Hex(Light) // the description and the notes
	svgTime      = Grey.Hex(Light)
	svgSeg       = Blue.Hex(Light)
	svgSegFIN    = Yellow.Hex(Light)
	svgSegRST    = Red.Hex(Light)
	svgLost      = Red.Hex(Light)
	svgStateFill = StateFill.Hex(Light)
	svgStateLine = StateLine.Hex(Light)
	svgStateInk  = StateInk.Hex(Light)
)

const svgFontFamily = "DejaVu Sans Mono, Menlo, Consolas, monospace"

// svgDoc is one SVG being drawn: the events a diagram shows, the row of
// each, and the text so far.
type svgDoc struct {
	b      strings.Builder
	sim    *model.Sim
	cat    *lessons.Catalog
	evs    []model.Event
	rows   []int // the row of each event in evs
	nrows  int   // rows used
	height int
}

// SVG writes the run as an SVG sequence diagram: the two lanes, a row per
// event, an arrow per segment from its send to its arrival (dashed and
// crossed out when it was lost), state boxes beside the lanes and notes.
func SVG(w io.Writer, sim *model.Sim, cat *lessons.Catalog) error {
	d := newSVGDoc(sim, cat)
	d.header()
	d.lanes()
	for i := range d.evs {
		d.event(i)
	}
	d.b.WriteString("</svg>\n")
	_, err := io.WriteString(w, d.b.String())
	return err
}

// newSVGDoc lays the events out: each gets a row, and events at a new time
// start one row further down, so that time reads as space.
func newSVGDoc(sim *model.Sim, cat *lessons.Catalog) *svgDoc {
	d := &svgDoc{sim: sim, cat: cat, evs: exportEvents(sim)}
	d.rows = make([]int, len(d.evs))
	row := 0
	for i := range d.evs {
		if i > 0 && d.evs[i].T != d.evs[i-1].T {
			row++
		}
		d.rows[i] = row
		row++
	}
	d.nrows = row
	d.height = svgTop + (row+2)*svgRowH + svgMargin
	return d
}

// header opens the document: size, the arrowhead, the paper, the title and
// the scenario's description.
func (d *svgDoc) header() {
	sc := d.sim.Scenario()
	fmt.Fprintf(&d.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s" font-size="13">`+"\n",
		svgWidth, d.height, svgWidth, d.height, svgFontFamily)
	fmt.Fprintf(&d.b, `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker></defs>`+"\n", svgArrowhead)
	fmt.Fprintf(&d.b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", svgPaper)
	fmt.Fprintf(&d.b, `<text x="%d" y="30" font-size="17" font-weight="bold">%s</text>`+"\n", svgMargin, esc(sc.Name))
	fmt.Fprintf(&d.b, `<text x="%d" y="52" fill="%s">%s</text>`+"\n", svgMargin, svgSubtle, esc(sc.Describe(d.cat.Lang)))
}

// lanes draws each side's name and address over its vertical line.
func (d *svgDoc) lanes() {
	p := d.sim.Params()
	for _, side := range []model.Side{model.Client, model.Server} {
		x := laneX(side)
		fmt.Fprintf(&d.b, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s %s</text>`+"\n",
			x, svgTop-24, esc(d.cat.Side(side)), model.Addr(side, p.Loopback))
		fmt.Fprintf(&d.b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`+"\n",
			x, svgTop-12, x, d.height-svgMargin, svgLane)
	}
}

// event draws evs[i], with its time in the margin when it is the first
// event at that time.
func (d *svgDoc) event(i int) {
	e := &d.evs[i]
	if i == 0 || d.evs[i-1].T != e.T {
		fmt.Fprintf(&d.b, `<text x="%d" y="%d" fill="%s">%s s</text>`+"\n", svgMargin, rowY(d.rows[i])+4, svgTime, seconds(e.T))
	}
	switch e.Kind {
	case model.EvSend:
		d.segment(i)
	case model.EvState:
		d.stateBox(i)
	default:
		d.note(i)
	}
}

// segment draws a segment's arrow from the row it was sent in to the row
// where it arrived (the first event at or after that time), or half an
// arrow ending in a cross when it was lost or expired, with its label.
func (d *svgDoc) segment(i int) {
	e := &d.evs[i]
	r := d.rows[i]
	x1, x2 := laneX(e.Seg.From), laneX(e.Seg.From.Other())
	y1 := rowY(r)
	k, arrival := fate(d.sim, e.Seg.ID)
	r2 := r + 1
	if arrival != nil {
		r2 = max(d.rowAt(arrival.T.Seconds()), r+1)
	}
	y2 := rowY(r2)
	label := segText(&e.Seg)
	color := segColor(e.Seg.Flags)
	if k == model.EvDrop || k == model.EvExpire {
		mx, my := (x1+x2)/2, (y1+y2)/2
		fmt.Fprintf(&d.b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`+"\n", x1, y1, mx, my, color)
		fmt.Fprintf(&d.b, `<text x="%d" y="%d" text-anchor="middle" font-size="20" fill="%s">✗</text>`+"\n", mx, my+7, svgLost)
		if k == model.EvDrop {
			label += " " + d.cat.T("export.lost")
		} else {
			label += " " + d.cat.T("export.expired")
		}
	} else {
		fmt.Fprintf(&d.b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" marker-end="url(#arrow)"/>`+"\n", x1, y1, x2, y2, color)
	}
	// The label sits a third of the way from the sender, so that the
	// labels of crossing segments do not overlap.
	lx, ly := x1+(x2-x1)/3, y1+(y2-y1)/3
	fmt.Fprintf(&d.b, `<text x="%d" y="%d" text-anchor="middle" fill="%s" transform="rotate(%.1f %d %d)">%s</text>`+"\n",
		lx, ly-5, color, angle(x1, y1, x2, y2), lx, ly, esc(label))
}

// stateBox draws the state entered, in a box beside the lane on the outside
// like the notes: the lane itself stays free for the arrowheads that end
// there.
func (d *svgDoc) stateBox(i int) {
	e := &d.evs[i]
	y := rowY(d.rows[i])
	x := laneX(e.Side)
	text := e.To.String()
	wbox := 9*len(text) + 16
	bx := x - 8 - wbox
	if e.Side == model.Server {
		bx = x + 8
	}
	fmt.Fprintf(&d.b, `<rect x="%d" y="%d" width="%d" height="20" rx="4" fill="%s" stroke="%s"/>`+"\n", bx, y-14, wbox, svgStateFill, svgStateLine)
	fmt.Fprintf(&d.b, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold" fill="%s">%s</text>`+"\n", bx+wbox/2, y+1, svgStateInk, esc(text))
}

// note writes what the application did or was told, or a timer starting,
// on the outside of its side's lane.
func (d *svgDoc) note(i int) {
	e := &d.evs[i]
	anchor, dx := "end", -10
	if e.Side == model.Server {
		anchor, dx = "start", 10
	}
	text := d.cat.Note(e)
	if e.Kind == model.EvNotify {
		text = d.cat.T("export.app_sees", "what", e.Detail)
	}
	fmt.Fprintf(&d.b, `<text x="%d" y="%d" text-anchor="%s" fill="%s">%s</text>`+"\n", laneX(e.Side)+dx, rowY(d.rows[i])+4, anchor, svgSubtle, esc(text))
}

// rowAt is the row of the first event at or after t seconds (past the last
// row when there is none).
func (d *svgDoc) rowAt(t float64) int {
	for i := range d.evs {
		if d.evs[i].T.Seconds() >= t {
			return d.rows[i]
		}
	}
	return d.nrows
}

// rowY is the middle of row r.
func rowY(r int) int { return svgTop + r*svgRowH + svgRowH/2 }

func laneX(s model.Side) int {
	if s == model.Server {
		return svgLaneS
	}
	return svgLaneC
}

// segColor tells a FIN and a RST from the rest.
func segColor(f model.Flags) string {
	switch {
	case f&model.RST != 0:
		return svgSegRST
	case f&model.FIN != 0:
		return svgSegFIN
	}
	return svgSeg
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
