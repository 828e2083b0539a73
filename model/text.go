package model

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on the text files people write (scenario and lesson files), so
// that a file from someone else cannot exhaust the program.
const (
	// MaxFileBytes bounds a scenario or lesson file.
	MaxFileBytes = 8 << 20
	// MaxLineBytes bounds one line of such a file.
	MaxLineBytes = 16 << 10
)

// LineError is a line of a text file that cannot be read as one: its
// number (from 1) and what is wrong, as a *Msg.
type LineError struct {
	Line int
	Err  error
}

// Error is the Go error string, in English, for logs and tests.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns what is wrong.
func (e *LineError) Unwrap() error { return e.Err }

// SplitLines splits the text of a file a person wrote (a scenario, a
// lesson) into its lines, without their line ends. A UTF-8 byte-order mark
// at the start is dropped, and a line may end in CRLF as well as LF (as
// editors on Windows write them). It refuses, with a *LineError naming the
// line: a file over MaxFileBytes, a line over MaxLineBytes, text that is
// not UTF-8, and any control character other than tab: the other C0
// controls (ESC, BEL, a CR inside a line...), DEL and the C1 controls
// U+0080 to U+009F. The text is shown on terminals, and a file from
// someone else must not be able to send them escape sequences.
func SplitLines(src string) ([]string, error) {
	src = strings.TrimPrefix(src, "\ufeff")
	if len(src) > MaxFileBytes {
		line := strings.Count(src[:MaxFileBytes], "\n") + 1
		return nil, &LineError{Line: line, Err: &Msg{Key: "text.err.file_big", Args: []any{"max", MaxFileBytes >> 20}}}
	}
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		lines[i] = l
		if len(l) > MaxLineBytes {
			return nil, &LineError{Line: i + 1, Err: &Msg{Key: "text.err.line_long", Args: []any{"max", MaxLineBytes}}}
		}
		if err := checkText(l); err != nil {
			return nil, &LineError{Line: i + 1, Err: err}
		}
	}
	return lines, nil
}

// checkText refuses control characters (but tab) and bytes that are not
// UTF-8 in one line of text.
func checkText(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' {
			i++
			continue
		}
		if c < 0x80 {
			return &Msg{Key: "text.err.control", Args: []any{"char", codePoint(rune(c))}}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return &Msg{Key: "text.err.utf8", Args: []any{"byte", fmt.Sprintf("0x%02X", c)}}
		}
		if r >= 0x80 && r <= 0x9f {
			return &Msg{Key: "text.err.control", Args: []any{"char", codePoint(r)}}
		}
		i += size
	}
	return nil
}

// codePoint writes a character as U+001B.
func codePoint(r rune) string { return fmt.Sprintf("U+%04X", r) }

// Fill fills the {name} placeholders of a message template from args,
// given as name, value pairs; a value is written as fmt.Sprint writes it
// (an error as its Error). A placeholder without a value, and any other
// text in braces, is left as it is; a name without a value at the end of
// args is ignored. A value's text is not searched for placeholders in
// turn. This is the one filler of finwait's messages: the model's English
// errors and every catalogue (lessons.Catalog.T) use it.
func Fill(template string, args ...any) string {
	if len(args) < 2 || !strings.Contains(template, "{") {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + 16)
	s := template
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open+1:], '}')
		if end < 0 {
			break
		}
		name := s[open+1 : open+1+end]
		if j := strings.LastIndexByte(name, '{'); j >= 0 {
			// "{{x}": the placeholder starts at the last brace.
			b.WriteString(s[:open+1+j])
			s = s[open+1+j:]
			continue
		}
		b.WriteString(s[:open])
		if v, ok := lookupArg(args, name); ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[open : open+end+2])
		}
		s = s[open+end+2:]
	}
	b.WriteString(s)
	return b.String()
}

// lookupArg finds the first value named name among name, value pairs.
func lookupArg(args []any, name string) (string, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		n, ok := args[i].(string)
		if !ok {
			n = fmt.Sprint(args[i])
		}
		if n == name {
			switch v := args[i+1].(type) {
			case string:
				return v, true
			case int:
				return strconv.Itoa(v), true
			}
			return fmt.Sprint(args[i+1]), true
		}
	}
	return "", false
}
