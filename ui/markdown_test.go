package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"finwait/lessons"
)

func TestMarkdownInline(t *testing.T) {
	st := newStyles(true)
	md := mdStyles{strong: st.bold, em: st.em, code: st.code}
	src := "The server enters **CLOSE-WAIT**. Notice what did *not* happen:\n`ss` prints it, and 2 * 3 stays."
	lines := renderMarkdown(src, 30, md)
	plain := ansi.Strip(strings.Join(lines, "\n"))
	want := "The server enters CLOSE-WAIT.\nNotice what did not happen: ss\nprints it, and 2 * 3 stays."
	if plain != want {
		t.Errorf("got\n%s\nwant\n%s", plain, want)
	}
	if !strings.Contains(lines[0], st.bold.Render("CLOSE-WAIT")) {
		t.Errorf("CLOSE-WAIT is not bold: %q", lines[0])
	}
	if !strings.Contains(lines[1], st.em.Render("not")) || !strings.Contains(lines[1], st.code.Render("ss")) {
		t.Errorf("emphasis or code lost: %q", lines[1])
	}
}

// Every line of every built-in lesson's text fits the width by display
// width, holds no Markdown markers, and closes the styles it opens.
func TestMarkdownLessonsFit(t *testing.T) {
	st := newStyles(true)
	md := mdStyles{strong: st.bold, em: st.em, code: st.code}
	for _, lang := range []string{"en", "zh"} {
		ls, err := lessons.Builtin(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			for _, s := range l.Steps {
				for _, w := range []int{20, 37, 78} {
					for _, line := range renderMarkdown(s.Text, w, md) {
						p := ansi.Strip(line)
						if ansi.StringWidth(p) > w {
							t.Errorf("%s %q at %d: line %q is %d wide", lang, s.Title, w, p, ansi.StringWidth(p))
						}
						if strings.Contains(p, "**") || strings.Contains(p, "`") {
							t.Errorf("%s %q: raw Markdown in %q", lang, s.Title, p)
						}
						if i := strings.LastIndex(line, "\x1b["); i >= 0 && !strings.HasPrefix(line[i:], "\x1b[m") && !strings.HasPrefix(line[i:], "\x1b[0m") {
							t.Errorf("%s %q: a style runs past the line end: %q", lang, s.Title, line)
						}
					}
				}
			}
		}
	}
}

func TestMarkdownChineseBreaks(t *testing.T) {
	lines := renderMarkdown("客户端进入 **TIME-WAIT**，等待 2MSL。", 12, mdStyles{})
	got := ansi.Strip(strings.Join(lines, "|"))
	// Never a line starting with "，" or "。"; wide characters count two.
	if got != "客户端进入|TIME-WAIT，|等待 2MSL。" {
		t.Errorf("got %q", got)
	}
}
