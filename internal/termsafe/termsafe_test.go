package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile names, as tried against the server's log and class view.
var hostile = map[string]string{
	"OSC 52 clipboard": "\x1b]52;c;cHduZWQ=\x07",
	"OSC 0 title":      "\x1b]0;TITLEPWN\x07",
	"OSC 2 title, ST":  "\x1b]2;TITLE\x1b\\",
	"clear screen":     "\x1b[2J\x1b[H",
	"SGR colour":       "\x1b[31mred",
	"forged log line":  "bob\r\n12:00:00 alice left (0 connected)",
	"C1 CSI":           "a\u009b2Jb",
	"C1 OSC":           "a\u009d0;T\u009cb",
	"DEL and BS":       "ab\x7f\x08c",
	"NUL":              "a\x00b",
	"bidi override":    "abc\u202edcba",
	"line separator":   "a\u2028b",
	"invalid UTF-8":    "a\xff\xfe\x9bb",
	"tab, BEL, VT, FF": "a\tb\x07c\x0bd\x0c",
	"very long":        strings.Repeat("\x1b[2J", 20000),
}

// raw reports the first byte or rune of s a terminal would act on.
func raw(s string) (string, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd") {
			return "invalid UTF-8", true
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\u2028' {
			return string(r), true
		}
	}
	return "", false
}

func TestNameLeavesNoControlCharacter(t *testing.T) {
	for what, name := range hostile {
		got := Name(name)
		if c, bad := raw(got); bad {
			t.Errorf("%s: Name(%q) = %q still holds %q", what, name, got, c)
		}
		if n := utf8.RuneCountInString(got); n > NameLimit {
			t.Errorf("%s: %d runes, want at most %d", what, n, NameLimit)
		}
	}
}

func TestNameEscapesAsSshdDoes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"alice", "alice"},
		{"学生 李", "学生 李"},
		{"\x1b[2J", `\033[2J`},
		{"a\r\nb", `a\015\012b`},
		{"a\u009bb", `a\302\233b`},
		{"a\x7fb", `a\177b`},
		{"a\x00b", `a\000b`},
		{"a\xffb", `a\377b`},
		{`a\033b`, `a\\033b`}, // a typed backslash cannot pass for an escape
		{"", ""},
	} {
		if got := Name(c.in); got != c.want {
			t.Errorf("Name(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestClipIsVisibleAndKeepsEscapesWhole(t *testing.T) {
	exact := strings.Repeat("x", NameLimit)
	if got := Name(exact); got != exact {
		t.Errorf("a name of exactly %d runes was changed to %q", NameLimit, got)
	}
	long := strings.Repeat("学", 100)
	got := Name(long)
	if want := strings.Repeat("学", NameLimit-1) + "…"; got != want {
		t.Errorf("Name(100 x 学) = %q, want 63 of them and …", got)
	}
	// 16 escapes of 4 runes each fill 64: the 17th must not be cut in two.
	got = Name(strings.Repeat("\x1b", 17))
	if want := strings.Repeat(`\033`, 15) + "…"; got != want {
		t.Errorf("clipped escapes: %q, want %q", got, want)
	}
	if got := Name(strings.Repeat("\x1b", 16)); got != strings.Repeat(`\033`, 16) {
		t.Errorf("16 escapes (64 runes) should fit whole, got %q", got)
	}
	if got := Text(strings.Repeat("y", 1000), 0); len(got) != 1000 {
		t.Errorf("Text with no limit clipped to %d bytes", len(got))
	}
}
