package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"finwait/model"
	"finwait/render"
)

// styles is the semantic palette. Every colour the program draws comes from
// here; every colour also has a non-colour cue (a symbol, bold, reverse).
type styles struct {
	title, dim, bold, key, err, ok, warn lipgloss.Style
	selected, current, marker            lipgloss.Style
	stateBox                             lipgloss.Style
	stateOpen, stateClosing, stateTW     lipgloss.Style
	stateClosed, stateDown               lipgloss.Style
	segFIN, segACK, segData, segRST      lipgloss.Style
	segSYN, segProbe, segLost, segDup    lipgloss.Style
	barFull, barEmpty                    lipgloss.Style
	lane, frame                          lipgloss.Style
	chartTW, chartFree, chartFail        lipgloss.Style
	status, statusKey                    lipgloss.Style
	em, code                             lipgloss.Style // lesson text
}

// colours is the palette's colours on this background, in the ordinary or
// the presenter look.
func colours(isDark, present bool) func(render.Colour) color.Color {
	light, dark := render.Light, render.Dark
	if present {
		light, dark = render.PresentLight, render.PresentDark
	}
	ld := lipgloss.LightDark(isDark)
	return func(c render.Colour) color.Color {
		return ld(lipgloss.Color(c.Hex(light)), lipgloss.Color(c.Hex(dark)))
	}
}

func newStyles(isDark bool) styles {
	c := colours(isDark, false)
	fg := func(col render.Colour) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(col)) }
	return styles{
		title:    lipgloss.NewStyle().Bold(true),
		dim:      fg(render.Grey),
		bold:     lipgloss.NewStyle().Bold(true),
		key:      fg(render.Blue).Bold(true),
		err:      fg(render.Red).Bold(true),
		ok:       fg(render.Green),
		warn:     fg(render.Yellow),
		selected: lipgloss.NewStyle().Reverse(true).Bold(true),
		current:  lipgloss.NewStyle().Bold(true).Background(c(render.Highlight)),
		marker:   fg(render.Blue).Bold(true),

		stateBox:     lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Bold(true).Align(lipgloss.Center),
		stateOpen:    fg(render.Green),
		stateClosing: fg(render.Yellow),
		stateTW:      fg(render.Magenta),
		stateClosed:  fg(render.Grey),
		stateDown:    fg(render.Red),

		segFIN:   fg(render.Yellow).Bold(true),
		segACK:   fg(render.Green),
		segData:  fg(render.Blue),
		segRST:   fg(render.Red).Bold(true),
		segSYN:   fg(render.Magenta),
		segProbe: fg(render.Cyan),
		segLost:  fg(render.Red).Strikethrough(true),
		segDup:   fg(render.Magenta).Italic(true),

		barFull:  fg(render.Blue),
		barEmpty: fg(render.Faint),
		lane:     fg(render.Lane),
		frame:    fg(render.Grey),

		chartTW:   fg(render.Magenta),
		chartFree: fg(render.Green),
		chartFail: fg(render.Red),

		status:    lipgloss.NewStyle().Reverse(true),
		statusKey: lipgloss.NewStyle().Reverse(true).Bold(true),

		em:   lipgloss.NewStyle().Italic(true),
		code: fg(render.Cyan),
	}
}

// forState is a state's colour family.
func (s *styles) forState(st model.State, down bool) lipgloss.Style {
	switch {
	case down:
		return s.stateDown
	case st == model.TimeWait:
		return s.stateTW
	case st == model.Closed || st == model.Listen:
		return s.stateClosed
	case st == model.Established || st == model.SynSent || st == model.SynReceived:
		return s.stateOpen
	}
	return s.stateClosing
}

// forSeg is a segment's colour by its most telling flag.
func (s *styles) forSeg(seg *model.Segment) lipgloss.Style {
	switch {
	case seg.Flags.Has(model.RST):
		return s.segRST
	case seg.Flags.Has(model.SYN):
		return s.segSYN
	case seg.Flags.Has(model.FIN):
		return s.segFIN
	case seg.Probe:
		return s.segProbe
	case seg.Len > 0:
		return s.segData
	}
	return s.segACK
}

// newPresentStyles is the presenter palette: for a projector, which washes
// out pale colours and thin strokes. Full-strength colours on the
// background's opposite, bold wherever a word must carry across the room,
// no grey text. Every cue that colour gives is also a word or a symbol.
func newPresentStyles(isDark bool) styles {
	c := colours(isDark, true)
	fg := func(col render.Colour) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(col)).Bold(true) }
	plain := func(col render.Colour) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(col)) }
	s := newStyles(isDark)
	s.title = fg(render.Ink)
	s.dim = plain(render.Ink)
	s.bold = fg(render.Ink)
	s.key = fg(render.Blue)
	s.err = fg(render.Red)
	s.ok = fg(render.Green)
	s.warn = fg(render.Yellow)
	s.marker = fg(render.Blue)
	s.current = lipgloss.NewStyle().Bold(true).Reverse(true)
	s.stateBox = lipgloss.NewStyle().Border(lipgloss.ThickBorder()).Bold(true).Align(lipgloss.Center)
	s.stateOpen = plain(render.Green)
	s.stateClosing = plain(render.Yellow)
	s.stateTW = plain(render.Magenta)
	s.stateClosed = plain(render.Ink)
	s.stateDown = plain(render.Red)
	s.segFIN = fg(render.Yellow)
	s.segACK = fg(render.Green)
	s.segData = fg(render.Blue)
	s.segRST = fg(render.Red)
	s.segSYN = fg(render.Magenta)
	s.segProbe = fg(render.Cyan)
	s.segLost = fg(render.Red).Strikethrough(true)
	s.segDup = fg(render.Magenta).Italic(true)
	s.barFull = plain(render.Ink)
	s.barEmpty = plain(render.Ink)
	s.lane = plain(render.Ink)
	s.frame = plain(render.Ink)
	s.em = fg(render.Ink).Italic(true)
	s.code = fg(render.Cyan)
	return s
}
