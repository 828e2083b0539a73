package cli

import (
	"strings"
	"testing"

	"finwait/lessons"
)

// usageLinesOf are the lines of a usage text that start an entry of
// command name: "  finwait NAME" and a space or the end of the line.
func usageLinesOf(usage, name string) []string {
	var out []string
	for _, l := range strings.Split(usage, "\n") {
		if l == "  finwait "+name || strings.HasPrefix(l, "  finwait "+name+" ") {
			out = append(out, l)
		}
	}
	return out
}

// Every command answers -h, --help and finwait help COMMAND with its own
// part of the usage, in the chosen language, exit code 0: a line saying
// what it does, its entries (and none of another command's), the exit
// codes.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		if c.name == "" {
			continue // finwait -h is the whole usage: TestHelpInBothLanguages
		}
		for _, lang := range lessons.Languages {
			cat := lessons.Messages(lang)
			usage := lessons.Usage(lang)
			variants := [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}, {c.name, "-h", "--lang", lang},
				{"--lang", lang, c.name, "--help"}, {"help", c.name, "--lang=" + lang}}
			var first string
			for i, args := range variants {
				if lang == "zh" && !strings.Contains(strings.Join(args, " "), "zh") {
					args = append(args, "--lang", "zh")
				}
				code, out, errOut := runCLI(t, args...)
				if code != 0 || errOut != "" || out == "" {
					t.Errorf("%v: exit %d, stderr %q, %d bytes of help; want exit 0 and the help", args, code, errOut, len(out))
					continue
				}
				if i == 0 {
					first = out
				} else if out != first {
					t.Errorf("%v prints other help than %v:\n%s\nvs\n%s", args, variants[0], out, first)
				}
			}
			if cat.T(c.summary) == c.summary {
				t.Errorf("%s: the %s catalogue has no summary %s", c.name, lang, c.summary)
			}
			if c.raw != nil {
				continue // serve: its own help, in serve's tests
			}
			head := cat.T("cli.help_head", "cmd", c.name, "summary", cat.T(c.summary))
			if !strings.HasPrefix(first, head+"\n") {
				t.Errorf("%s -h in %s does not start with %q:\n%s", c.name, lang, head, first)
			}
			entries := usageLinesOf(usage, c.name)
			if len(entries) == 0 {
				t.Errorf("the %s usage has no entry for finwait %s", lang, c.name)
			}
			for _, e := range entries {
				if !strings.Contains(first, "\n"+e+"\n") {
					t.Errorf("%s -h in %s lacks %q:\n%s", c.name, lang, e, first)
				}
			}
			for _, o := range commands {
				if o.name != c.name && o.name != "" && len(usageLinesOf(first, o.name)) > 0 {
					t.Errorf("%s -h in %s shows finwait %s:\n%s", c.name, lang, o.name, first)
				}
			}
			for _, code := range []string{"\n  0 ", "\n  1 ", "\n  2 "} {
				if !strings.Contains(first, code) {
					t.Errorf("%s -h in %s does not document exit code %q:\n%s", c.name, lang, code[3:4], first)
				}
			}
		}
	}
	// Help wins over the other arguments, before or after them.
	_, want, _ := runCLI(t, "trace", "-h")
	for _, args := range [][]string{{"trace", "close", "--set", "msl=1s", "-h"}, {"trace", "--help", "close", "--drop", "client:1"}} {
		if code, out, errOut := runCLI(t, args...); code != 0 || out != want || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q; want trace's help", args, code, errOut)
		}
	}
	// finwait help takes one command at most, and a real one.
	for _, args := range [][]string{{"help", "trace", "params"}, {"help", "frobnicate"}, {"help", "-x"}} {
		if code, out, errOut := runCLI(t, args...); code != 2 || out != "" || !strings.HasSuffix(errOut, "(finwait help shows the usage)\n") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want a usage error", args, code, out, errOut)
		}
	}
}
