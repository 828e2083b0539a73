package ui

import "strings"

// A pixel font 5 pixels high for state names and segment flags in
// presenter mode. Drawn with half blocks (two pixels per cell, one above
// the other) a glyph is 3 rows high with square pixels; at scale 2 every
// pixel is two cells wide and one row high, 5 rows in all. Widths vary: I
// is one pixel, M and W five, so the longest state name stays narrow.
var glyphs = map[rune][5]string{
	'A': {"###", "#.#", "###", "#.#", "#.#"},
	'B': {"##.", "#.#", "##.", "#.#", "##."},
	'C': {"###", "#..", "#..", "#..", "###"},
	'D': {"##.", "#.#", "#.#", "#.#", "##."},
	'E': {"###", "#..", "###", "#..", "###"},
	'F': {"###", "#..", "###", "#..", "#.."},
	'G': {"###", "#..", "#.#", "#.#", "###"},
	'H': {"#.#", "#.#", "###", "#.#", "#.#"},
	'I': {"#", "#", "#", "#", "#"},
	'J': {"..#", "..#", "..#", "#.#", "###"},
	'K': {"#.#", "#.#", "##.", "#.#", "#.#"},
	'L': {"#..", "#..", "#..", "#..", "###"},
	'M': {"#...#", "##.##", "#.#.#", "#...#", "#...#"},
	'N': {"#..#", "##.#", "#.##", "#..#", "#..#"},
	'O': {"###", "#.#", "#.#", "#.#", "###"},
	'P': {"###", "#.#", "###", "#..", "#.."},
	'Q': {"###", "#.#", "#.#", "###", "..#"},
	'R': {"##.", "#.#", "##.", "#.#", "#.#"},
	'S': {"###", "#..", "###", "..#", "###"},
	'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"},
	'V': {"#.#", "#.#", "#.#", "#.#", ".#."},
	'W': {"#...#", "#...#", "#.#.#", "##.##", "#...#"},
	'X': {"#.#", "#.#", ".#.", "#.#", "#.#"},
	'Y': {"#.#", "#.#", ".#.", ".#.", ".#."},
	'Z': {"###", "..#", ".#.", "#..", "###"},
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"},
	'3': {"###", "..#", "###", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", "..#", "..#", "..#"},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "###"},
	'-': {"..", "..", "##", "..", ".."},
	' ': {"..", "..", "..", "..", ".."},
}

// bigRows is how many terminal rows bigText draws at a scale.
func bigRows(scale int) int {
	if scale >= 2 {
		return 5
	}
	return 3
}

// bigWidth is the cells bigText needs for s, and false when s has a
// character the font lacks (Chinese, punctuation): then s is drawn as
// spaced text instead.
func bigWidth(s string, scale int) (int, bool) {
	w, n := 0, 0
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			return 0, false
		}
		w += len(g[0])
		n++
	}
	if n == 0 {
		return 0, true
	}
	return (w + n - 1) * max(1, scale), true
}

// bigText draws s in the pixel font, one string per row, all the same width.
func bigText(s string, scale int) []string {
	scale = max(1, min(2, scale))
	var px [5]strings.Builder
	first := true
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			g = glyphs[' ']
		}
		for y := range px {
			if !first {
				px[y].WriteByte('.')
			}
			px[y].WriteString(g[y])
		}
		first = false
	}
	rows := make([]string, 5)
	for y := range px {
		rows[y] = px[y].String()
	}
	var out []string
	if scale == 2 {
		for _, row := range rows {
			var b strings.Builder
			for _, c := range row {
				b.WriteString(pick(c == '#', "██", "  "))
			}
			out = append(out, b.String())
		}
		return out
	}
	for y := 0; y < 5; y += 2 {
		var b strings.Builder
		for x := range len(rows[y]) {
			top := rows[y][x] == '#'
			bot := y+1 < 5 && rows[y+1][x] == '#'
			switch {
			case top && bot:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bot:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		out = append(out, b.String())
	}
	return out
}

// spaced letter-spaces s ("F I N - W A I T - 1"): the fallback when the
// font lacks a character or the pixel font does not fit.
func spaced(s string) string {
	rs := []rune(s)
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, " ")
}
