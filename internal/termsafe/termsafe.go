// Package termsafe makes untrusted text (a user name chosen by whoever
// connects, a title from someone else's lesson file) safe to print on a
// terminal: no byte of it can move the cursor, set the title or the
// clipboard, clear the screen or start a new line.
//
// It escapes the way OpenSSH's sshd logs untrusted strings (strnvis with
// VIS_OCTAL): every character that is not printable becomes a backslash
// and three octal digits per byte, so ESC is \033, a newline \012 and the
// C1 control CSI (U+009B, UTF-8 C2 9B) \302\233; a backslash becomes \\,
// so the escaped text reads back unambiguously. Unlike sshd, which keeps
// tab, newline, CR, BS and BEL under VIS_SAFE, every control character is
// escaped (a CR or LF in a log line forges another line), and printable
// non-ASCII text (a Chinese name) is kept as it is.
//
// Nothing is dropped silently: text cut at the limit ends with "…".
package termsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameLimit is how many characters (runes, after escaping) Name keeps.
const NameLimit = 64

// ellipsis ends clipped text.
const ellipsis = "…"

// Name is a user name as it may be printed: escaped, and clipped to
// NameLimit runes (the "…" included). Runes, not display cells: a name of
// Chinese characters may take up to twice as many terminal columns, and a
// view that aligns columns still measures it by display width.
func Name(s string) string { return Text(s, NameLimit) }

// Text escapes s like Name and clips the result to at most limit runes
// (the "…" included); limit <= 0 keeps it whole. An escape sequence is
// never cut in the middle.
func Text(s string, limit int) string {
	var b strings.Builder
	n := 0 // runes written
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		tok := s[i : i+size]
		var esc string
		switch {
		case r == '\\':
			esc = `\\`
		case r == utf8.RuneError && size == 1, !printable(r):
			esc = octal(tok)
		default:
			esc = tok
		}
		w := utf8.RuneCountInString(esc)
		if limit > 0 && n+w > limit-1 && !fitsWhole(s[i:], limit-n) {
			b.WriteString(ellipsis)
			return b.String()
		}
		b.WriteString(esc)
		n += w
		i += size
	}
	return b.String()
}

// fitsWhole reports whether the rest of the text, escaped, takes at most
// room runes (so that it can be written without an ellipsis).
func fitsWhole(rest string, room int) bool {
	n := 0
	for i := 0; i < len(rest); {
		r, size := utf8.DecodeRuneInString(rest[i:])
		switch {
		case r == '\\':
			n += 2
		case r == utf8.RuneError && size == 1, !printable(r):
			n += 4 * size
		default:
			n++
		}
		if n > room {
			return false
		}
		i += size
	}
	return true
}

// printable is what a terminal draws as a glyph: letters, marks, numbers,
// punctuation, symbols and spaces (unicode.IsGraphic), without the C0 and
// C1 controls, DEL, format characters (bidirectional overrides, which
// reorder what follows on the line), line and paragraph separators,
// surrogates, private use and unassigned code points.
func printable(r rune) bool {
	return r >= 0x20 && r != 0x7f && !(r >= 0x80 && r < 0xa0) && unicode.IsGraphic(r)
}

// octal writes each byte of tok as \ooo.
func octal(tok string) string {
	const digits = "01234567"
	b := make([]byte, 0, 4*len(tok))
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		b = append(b, '\\', digits[c>>6], digits[c>>3&7], digits[c&7])
	}
	return string(b)
}
