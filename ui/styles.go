package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"finwait/model"
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

func newStyles(isDark bool) styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	fg := func(light, dark string) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(light, dark)) }
	green, yellow, magenta := c("#0a7d32", "#5fd787"), c("#8a6100", "#ffd75f"), c("#8e2ea8", "#d787ff")
	red, blue, grey := c("#b3261e", "#ff6b6b"), c("#1f5fbf", "#7fb2ff"), c("#6b6b6b", "#9e9e9e")
	return styles{
		title:    lipgloss.NewStyle().Bold(true),
		dim:      lipgloss.NewStyle().Foreground(grey),
		bold:     lipgloss.NewStyle().Bold(true),
		key:      lipgloss.NewStyle().Bold(true).Foreground(blue),
		err:      lipgloss.NewStyle().Bold(true).Foreground(red),
		ok:       lipgloss.NewStyle().Foreground(green),
		warn:     lipgloss.NewStyle().Foreground(yellow),
		selected: lipgloss.NewStyle().Reverse(true).Bold(true),
		current:  lipgloss.NewStyle().Bold(true).Background(c("#e4ecf7", "#263a55")),
		marker:   lipgloss.NewStyle().Bold(true).Foreground(blue),

		stateBox:     lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Bold(true).Align(lipgloss.Center),
		stateOpen:    lipgloss.NewStyle().Foreground(green),
		stateClosing: lipgloss.NewStyle().Foreground(yellow),
		stateTW:      lipgloss.NewStyle().Foreground(magenta),
		stateClosed:  lipgloss.NewStyle().Foreground(grey),
		stateDown:    lipgloss.NewStyle().Foreground(red),

		segFIN:   fg("#8a6100", "#ffd75f").Bold(true),
		segACK:   fg("#0a7d32", "#5fd787"),
		segData:  fg("#1f5fbf", "#7fb2ff"),
		segRST:   fg("#b3261e", "#ff6b6b").Bold(true),
		segSYN:   fg("#8e2ea8", "#d787ff"),
		segProbe: fg("#00707a", "#5fd7d7"),
		segLost:  fg("#b3261e", "#ff6b6b").Strikethrough(true),
		segDup:   fg("#8e2ea8", "#d787ff").Italic(true),

		barFull:  fg("#1f5fbf", "#7fb2ff"),
		barEmpty: fg("#c8c8c8", "#444444"),
		lane:     fg("#9e9e9e", "#5f5f5f"),
		frame:    lipgloss.NewStyle().Foreground(grey),

		chartTW:   fg("#8e2ea8", "#d787ff"),
		chartFree: fg("#0a7d32", "#5fd787"),
		chartFail: fg("#b3261e", "#ff6b6b"),

		status:    lipgloss.NewStyle().Reverse(true),
		statusKey: lipgloss.NewStyle().Reverse(true).Bold(true),

		em:   lipgloss.NewStyle().Italic(true),
		code: fg("#00707a", "#5fd7d7"),
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
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	fg := func(light, dark string) lipgloss.Style {
		return lipgloss.NewStyle().Foreground(c(light, dark)).Bold(true)
	}
	ink := c("#000000", "#ffffff")
	green, yellow, magenta := c("#005f00", "#00ff5f"), c("#5f3f00", "#ffff00"), c("#6f007f", "#ff5fff")
	red, blue := c("#9f0000", "#ff3f3f"), c("#00308f", "#5fafff")
	s := newStyles(isDark)
	s.title = lipgloss.NewStyle().Bold(true).Foreground(ink)
	s.dim = lipgloss.NewStyle().Foreground(ink)
	s.bold = lipgloss.NewStyle().Bold(true).Foreground(ink)
	s.key = lipgloss.NewStyle().Bold(true).Foreground(blue)
	s.err = lipgloss.NewStyle().Bold(true).Foreground(red)
	s.ok = lipgloss.NewStyle().Bold(true).Foreground(green)
	s.warn = lipgloss.NewStyle().Bold(true).Foreground(yellow)
	s.marker = lipgloss.NewStyle().Bold(true).Foreground(blue)
	s.current = lipgloss.NewStyle().Bold(true).Reverse(true)
	s.stateBox = lipgloss.NewStyle().Border(lipgloss.ThickBorder()).Bold(true).Align(lipgloss.Center)
	s.stateOpen = lipgloss.NewStyle().Foreground(green)
	s.stateClosing = lipgloss.NewStyle().Foreground(yellow)
	s.stateTW = lipgloss.NewStyle().Foreground(magenta)
	s.stateClosed = lipgloss.NewStyle().Foreground(ink)
	s.stateDown = lipgloss.NewStyle().Foreground(red)
	s.segFIN = fg("#5f3f00", "#ffff00")
	s.segACK = fg("#005f00", "#00ff5f")
	s.segData = fg("#00308f", "#5fafff")
	s.segRST = fg("#9f0000", "#ff3f3f")
	s.segSYN = fg("#6f007f", "#ff5fff")
	s.segProbe = fg("#005f5f", "#00ffff")
	s.segLost = fg("#9f0000", "#ff3f3f").Strikethrough(true)
	s.segDup = fg("#6f007f", "#ff5fff").Italic(true)
	s.barFull = lipgloss.NewStyle().Foreground(ink)
	s.barEmpty = lipgloss.NewStyle().Foreground(ink)
	s.lane = lipgloss.NewStyle().Foreground(ink)
	s.frame = lipgloss.NewStyle().Foreground(ink)
	s.em = lipgloss.NewStyle().Italic(true).Bold(true).Foreground(ink)
	s.code = fg("#005f5f", "#00ffff")
	return s
}
