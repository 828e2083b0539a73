package render

// Colour is one colour of finwait's palette, by name. The terminal (dark
// and light backgrounds, presenter mode) and the SVG export all take their
// colours from here, so that a FIN is the same yellow-brown on a slide as
// on the screen. Every use of colour also has a cue that is not colour.
type Colour uint8

// The palette's colours.
const (
	Green     Colour = iota + 1 // open states, ACKs, free ports
	Yellow                      // closing states, FINs, warnings
	Magenta                     // TIME-WAIT, SYNs, duplicates
	Red                         // RSTs, losses, errors, a powered-off host
	Blue                        // data, keys, timer bars
	Cyan                        // keepalive probes, code in lesson text
	Grey                        // dim text, closed states
	Ink                         // the strongest text on the background
	Faint                       // the empty part of a bar
	Lane                        // the ladder's lanes
	Highlight                   // the background of the current step's rows
	Paper                       // the SVG's background
	StateFill                   // a state box in the SVG
	StateLine
	StateInk
	Arrowhead
	numColours
)

// Look is where a colour is shown.
type Look uint8

// The looks: a terminal with a light or a dark background, each in the
// ordinary and the presenter style (full strength for projectors). The
// SVG uses Light.
const (
	Light Look = iota
	Dark
	PresentLight
	PresentDark
	numLooks
)

// palette is every colour in every look, each written once.
var palette = [numColours][numLooks]string{
	Green:     {"#0a7d32", "#5fd787", "#005f00", "#00ff5f"},
	Yellow:    {"#8a6100", "#ffd75f", "#5f3f00", "#ffff00"},
	Magenta:   {"#8e2ea8", "#d787ff", "#6f007f", "#ff5fff"},
	Red:       {"#b3261e", "#ff6b6b", "#9f0000", "#ff3f3f"},
	Blue:      {"#1f5fbf", "#7fb2ff", "#00308f", "#5fafff"},
	Cyan:      {"#00707a", "#5fd7d7", "#005f5f", "#00ffff"},
	Grey:      {"#6b6b6b", "#9e9e9e", "#000000", "#ffffff"},
	Ink:       {"#000000", "#ffffff", "#000000", "#ffffff"},
	Faint:     {"#c8c8c8", "#444444", "#000000", "#ffffff"},
	Lane:      {"#9e9e9e", "#5f5f5f", "#000000", "#ffffff"},
	Highlight: {"#e4ecf7", "#263a55", "#e4ecf7", "#263a55"},
	Paper:     {"#ffffff", "#000000", "#ffffff", "#000000"},
	StateFill: {"#eef3e2", "#1c2a10", "#eef3e2", "#1c2a10"},
	StateLine: {"#5a7d1a", "#8fbf4a", "#2d4a00", "#bfff5f"},
	StateInk:  {"#2d4a00", "#d7f5a8", "#000000", "#ffffff"},
	Arrowhead: {"#333333", "#cccccc", "#000000", "#ffffff"},
}

// Hex is the colour in a look, as #rrggbb.
func (c Colour) Hex(l Look) string {
	if c == 0 || c >= numColours || l >= numLooks {
		return ""
	}
	return palette[c][l]
}
