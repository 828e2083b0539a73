package cli

import (
	"strings"

	"finwait/lessons"
)

// The usage text (assets/usage/LANG.txt, read with lessons.Usage) is
// blocks of lines separated by blank lines: the title, then "Usage:" and
// one entry per command (a line "  finwait NAME ..." and the lines
// indented under it), then sections every command's help repeats (the exit
// codes).

// usageEntry is one entry of the usage: the command it is about ("" for
// finwait without a command) and its lines.
type usageEntry struct {
	cmd   string
	lines []string
}

// usageText is a usage text cut into its parts.
type usageText struct {
	heading string       // "Usage:"
	entries []usageEntry // in order
	after   []string     // the blocks after the entries, each with its lines
}

func parseUsage(text string) usageText {
	var blocks [][]string
	var cur []string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				blocks = append(blocks, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		blocks = append(blocks, cur)
	}
	var u usageText
	if len(blocks) < 2 {
		return u
	}
	u.heading = blocks[1][0]
	for _, line := range blocks[1][1:] {
		if rest, ok := strings.CutPrefix(line, "  finwait"); ok && (rest == "" || rest[0] == ' ') {
			cmd := ""
			if fields := strings.Fields(rest); len(fields) > 0 && !strings.HasPrefix(fields[0], "-") && !strings.HasPrefix(fields[0], "[") {
				cmd = fields[0]
			}
			u.entries = append(u.entries, usageEntry{cmd: cmd})
		}
		if n := len(u.entries); n > 0 {
			u.entries[n-1].lines = append(u.entries[n-1].lines, line)
		}
	}
	for _, b := range blocks[2:] {
		u.after = append(u.after, strings.Join(b, "\n")+"\n")
	}
	return u
}

// commandHelp is what -h prints for a command: for finwait without a
// command the whole usage, for the others a line saying what it does, its
// entries of the usage and the exit codes.
func commandHelp(c *command, lang string) string {
	text := lessons.Usage(lang)
	if c.name == "" {
		return text
	}
	u := parseUsage(text)
	cat := lessons.Messages(lang)
	var b strings.Builder
	b.WriteString(cat.T("cli.help_head", "cmd", c.name, "summary", cat.T(c.summary)) + "\n\n")
	b.WriteString(u.heading + "\n")
	for _, e := range u.entries {
		if e.cmd == c.name {
			b.WriteString(strings.Join(e.lines, "\n") + "\n")
		}
	}
	for _, a := range u.after {
		b.WriteString("\n" + a)
	}
	return b.String()
}
