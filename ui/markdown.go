package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The lesson text is a small Markdown: paragraphs separated by blank
// lines, "- " list items, **strong**, *emphasis* and `code`. It is wrapped
// here, on plain text measured by display width, and styled per line, so
// that a style never runs across a line end into the next pane and
// Chinese (which has no spaces) breaks between characters.

type mdStyle uint8

const (
	mdStrong mdStyle = 1 << iota
	mdEm
	mdCode
)

// mdAtom is a piece of text that is never broken: a word, or one wide
// character.
type mdAtom struct {
	text  string
	style mdStyle
	w     int
	space bool // a space separates it from the previous atom
	glue  bool // no line break is allowed before it
}

// mdStyles are the styles the text uses.
type mdStyles struct{ strong, em, code lipgloss.Style }

// renderMarkdown wraps src to w cells and styles it.
func renderMarkdown(src string, w int, sty mdStyles) []string {
	var out []string
	bs := mdBlocks(src)
	for i, b := range bs {
		// Items of one list are not separated by blank lines.
		if i > 0 && !(b.item && bs[i-1].item) {
			out = append(out, "")
		}
		indent := ""
		if b.item {
			indent = "  "
		}
		lines := wrapAtoms(mdAtoms(b.text), max(1, w-len(indent)))
		for j, l := range lines {
			pre := indent
			if b.item && j == 0 {
				pre = "• "
			}
			out = append(out, pre+renderAtoms(l, sty))
		}
	}
	return out
}

type mdBlock struct {
	text string
	item bool
}

// mdBlocks splits the text into paragraphs and list items.
func mdBlocks(src string) []mdBlock {
	var out []mdBlock
	var cur *mdBlock
	flush := func() {
		if cur != nil && strings.TrimSpace(cur.text) != "" {
			out = append(out, *cur)
		}
		cur = nil
	}
	for _, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") && !strings.HasPrefix(line, "**"):
			flush()
			cur = &mdBlock{text: strings.TrimSpace(line[2:]), item: true}
		case strings.HasPrefix(line, "#"):
			flush()
			out = append(out, mdBlock{text: "**" + strings.TrimSpace(strings.TrimLeft(line, "#")) + "**"})
		case cur == nil:
			cur = &mdBlock{text: line}
		default:
			cur.text = joinLines(cur.text, line)
		}
	}
	flush()
	return out
}

// joinLines joins two source lines of a paragraph: with a space, except
// between two wide characters (Chinese is written without spaces).
func joinLines(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if isWide(ra) && isWide(rb) {
		return a + b
	}
	return a + " " + b
}

func isWide(r rune) bool { return r >= 0x1100 && ansi.StringWidth(string(r)) == 2 }

// noBreakBefore are characters a line must not start with; noBreakAfter
// are characters a line must not end with.
const (
	noBreakBefore = "，。、；：？！）」』”’》〉】,.;:?!)]}%"
	noBreakAfter  = "（「『“‘《〈【([{"
)

// mdAtoms splits inline Markdown into atoms.
func mdAtoms(s string) []mdAtom {
	var atoms []mdAtom
	space := false
	var word strings.Builder
	wordStyle := mdStyle(0)
	flushWord := func() {
		if word.Len() == 0 {
			return
		}
		t := word.String()
		atoms = append(atoms, mdAtom{text: t, style: wordStyle, w: ansi.StringWidth(t), space: space})
		word.Reset()
		space = false
	}
	add := func(r rune, st mdStyle) {
		switch {
		case r == ' ' || r == '\t':
			flushWord()
			space = len(atoms) > 0
		case isWide(r):
			flushWord()
			atoms = append(atoms, mdAtom{text: string(r), style: st, w: ansi.StringWidth(string(r)), space: space})
			space = false
		default:
			if word.Len() > 0 && wordStyle != st {
				flushWord() // the next atom is glued to this one
			}
			if word.Len() == 0 {
				wordStyle = st
			}
			word.WriteRune(r)
		}
	}
	for _, sp := range mdSpans(s) {
		for _, r := range sp.text {
			add(r, sp.style)
		}
	}
	flushWord()
	// Break only at spaces and around wide characters, never before
	// closing punctuation or after opening punctuation.
	for i := range atoms {
		if i == 0 {
			continue
		}
		a, p := &atoms[i], &atoms[i-1]
		first, _ := utf8.DecodeRuneInString(a.text)
		last, _ := utf8.DecodeLastRuneInString(p.text)
		switch {
		case strings.ContainsRune(noBreakBefore, first), strings.ContainsRune(noBreakAfter, last):
			a.glue = true
		case a.space:
		case isWide(first) || isWide(last):
		default:
			a.glue = true
		}
	}
	return atoms
}

type mdSpan struct {
	text  string
	style mdStyle
}

// mdSpans reads **strong**, *em* and `code`; a marker without its closing
// twin is kept as text.
func mdSpans(s string) []mdSpan {
	var out []mdSpan
	var plain strings.Builder
	var walk func(s string, st mdStyle)
	emit := func(st mdStyle) {
		if plain.Len() > 0 {
			out = append(out, mdSpan{plain.String(), st})
			plain.Reset()
		}
	}
	walk = func(s string, st mdStyle) {
		for i := 0; i < len(s); {
			switch {
			case s[i] == '`':
				if j := strings.IndexByte(s[i+1:], '`'); j >= 0 {
					emit(st)
					out = append(out, mdSpan{s[i+1 : i+1+j], st | mdCode})
					i += j + 2
					continue
				}
			case strings.HasPrefix(s[i:], "**"):
				if j := strings.Index(s[i+2:], "**"); j > 0 {
					emit(st)
					walk(s[i+2:i+2+j], st|mdStrong)
					emit(st | mdStrong)
					i += j + 4
					continue
				}
			case s[i] == '*' && i+1 < len(s) && s[i+1] != ' ':
				if j := closingStar(s[i+1:]); j > 0 {
					emit(st)
					walk(s[i+1:i+1+j], st|mdEm)
					emit(st | mdEm)
					i += j + 2
					continue
				}
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			plain.WriteRune(r)
			i += n
		}
		emit(st)
	}
	walk(s, 0)
	return out
}

// closingStar finds the single '*' that closes an emphasis, not part of
// a "**".
func closingStar(s string) int {
	for j := 0; j < len(s); j++ {
		if s[j] != '*' {
			continue
		}
		if j+1 < len(s) && s[j+1] == '*' {
			j++
			continue
		}
		if j > 0 && !unicode.IsSpace(rune(s[j-1])) {
			return j
		}
	}
	return -1
}

// wrapAtoms fills lines greedily; a run of glued atoms moves as a whole,
// and is cut only when it is wider than a line.
func wrapAtoms(atoms []mdAtom, w int) [][]mdAtom {
	var lines [][]mdAtom
	var cur []mdAtom
	cw := 0
	for i := 0; i < len(atoms); {
		j, gw := i+1, atoms[i].w
		for j < len(atoms) && atoms[j].glue {
			gw += atoms[j].w
			if atoms[j].space {
				gw++
			}
			j++
		}
		sp := 0
		if len(cur) > 0 && atoms[i].space {
			sp = 1
		}
		if len(cur) > 0 && cw+sp+gw > w {
			lines = append(lines, cur)
			cur, cw, sp = nil, 0, 0
		}
		for k := i; k < j; k++ {
			a := atoms[k]
			if len(cur) == 0 {
				a.space = false
			}
			aw := a.w
			if a.space {
				aw++
			}
			if len(cur) > 0 && cw+aw > w {
				// A glued run wider than the line: cut it.
				lines = append(lines, cur)
				cur, cw = nil, 0
				a.space, aw = false, a.w
			}
			for a.w > w {
				// A single word wider than the line.
				head := ansi.Truncate(a.text, w, "")
				lines = append(lines, []mdAtom{{text: head, style: a.style, w: ansi.StringWidth(head)}})
				a.text = strings.TrimPrefix(a.text, head)
				a.w = ansi.StringWidth(a.text)
				aw = a.w
			}
			cur = append(cur, a)
			cw += aw
		}
		i = j
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// renderAtoms styles one line, one style run at a time.
func renderAtoms(line []mdAtom, sty mdStyles) string {
	var b strings.Builder
	var run strings.Builder
	runStyle := mdStyle(0)
	flush := func() {
		if run.Len() == 0 {
			return
		}
		t := run.String()
		if runStyle == 0 {
			b.WriteString(t)
		} else {
			s := lipgloss.NewStyle()
			if runStyle&mdStrong != 0 {
				s = s.Inherit(sty.strong)
			}
			if runStyle&mdEm != 0 {
				s = s.Inherit(sty.em)
			}
			if runStyle&mdCode != 0 {
				s = s.Inherit(sty.code)
			}
			b.WriteString(s.Render(t))
		}
		run.Reset()
	}
	for _, a := range line {
		if a.space {
			if runStyle != a.style {
				flush()
				runStyle = 0
			}
			run.WriteByte(' ')
		}
		if a.style != runStyle {
			flush()
			runStyle = a.style
		}
		run.WriteString(a.text)
	}
	flush()
	return b.String()
}

// wrapWords wraps plain text like the lesson text (Chinese breaks between
// characters) to at most n lines, the last one ending in an ellipsis when
// text was cut.
func wrapWords(s string, w, n int) []string {
	var out []string
	for _, l := range wrapAtoms(mdAtoms(s), max(1, w)) {
		out = append(out, renderAtoms(l, mdStyles{}))
	}
	if len(out) > n {
		out = out[:n]
		out[n-1] = ansi.Truncate(out[n-1], w-1, "") + "…"
	}
	return out
}
