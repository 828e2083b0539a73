package cli

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"finwait/lessons"
	"finwait/model"
)

// flags is what the common parser read.
type flags struct {
	format   string
	out      string
	sets     []string
	drops    []model.FaultRule
	json     bool
	lang     string
	scenario string
	lesson   string
	present  bool
	narrate  bool
	version  bool
	help     bool
	rest     []string // the arguments that are not flags, in order
}

// The flags of the commands that take more than --lang and -h.
var (
	tuiFlags   = []string{"set", "scenario", "lesson", "present", "narrate", "version"}
	traceFlags = []string{"set", "drop", "json", "format", "o", "output"}
)

// flagDef is a flag of the common parser: whether it takes a value
// (--name VALUE or --name=VALUE; a flag without one refuses --name=VALUE)
// and what it does with it.
type flagDef struct {
	value bool
	set   func(f *flags, v string, cat *lessons.Catalog) error
}

// flagDefs is every flag by name (without its dashes: -o, --o, -set and
// --set are the same).
var flagDefs = map[string]flagDef{
	"lang": {true, func(f *flags, v string, cat *lessons.Catalog) error {
		if v != "en" && v != "zh" {
			return errors.New(cat.T("cli.err.lang", "value", strconv.Quote(v)))
		}
		f.lang = v
		return nil
	}},
	"h":    {false, func(f *flags, _ string, _ *lessons.Catalog) error { f.help = true; return nil }},
	"help": {false, func(f *flags, _ string, _ *lessons.Catalog) error { f.help = true; return nil }},
	"set": {true, func(f *flags, v string, cat *lessons.Catalog) error {
		n, val, ok := strings.Cut(v, "=")
		if !ok {
			return errors.New(cat.T("cli.err.set_form", "value", strconv.Quote(v)))
		}
		p := model.Linux()
		if err := p.Set(n, val); err != nil {
			return err
		}
		f.sets = append(f.sets, v)
		return nil
	}},
	"drop": {true, func(f *flags, v string, _ *lessons.Catalog) error {
		r, err := model.ParseRule(v, model.FaultDrop)
		if err != nil {
			return err
		}
		f.drops = append(f.drops, r)
		return nil
	}},
	"json": {false, func(f *flags, _ string, _ *lessons.Catalog) error { f.json = true; return nil }},
	"format": {true, func(f *flags, v string, cat *lessons.Catalog) error {
		if v != "text" && v != "mermaid" && v != "svg" && v != "json" {
			return errors.New(cat.T("cli.err.format", "value", strconv.Quote(v)))
		}
		f.format = v
		return nil
	}},
	"o":        {true, func(f *flags, v string, _ *lessons.Catalog) error { f.out = v; return nil }},
	"output":   {true, func(f *flags, v string, _ *lessons.Catalog) error { f.out = v; return nil }},
	"scenario": {true, func(f *flags, v string, _ *lessons.Catalog) error { f.scenario = v; return nil }},
	"lesson":   {true, func(f *flags, v string, _ *lessons.Catalog) error { f.lesson = v; return nil }},
	"present":  {false, func(f *flags, _ string, _ *lessons.Catalog) error { f.present = true; return nil }},
	"narrate":  {false, func(f *flags, _ string, _ *lessons.Catalog) error { f.narrate = true; return nil }},
	"version":  {false, func(f *flags, _ string, _ *lessons.Catalog) error { f.version = true; return nil }},
}

// cutFlag splits an argument into a flag's name (without its dashes) and
// value; name is "" when the argument is not a flag ("-" is not one).
func cutFlag(a string) (name, val string, hasVal bool) {
	if !strings.HasPrefix(a, "-") || a == "-" {
		return "", "", false
	}
	name, val, hasVal = strings.Cut(a, "=")
	return strings.TrimLeft(name, "-"), val, hasVal
}

// cliLang is the language of every message: the last valid --lang anywhere
// on the command line, English without one. It is read before the flags are
// parsed, so that an error about an earlier argument is in that language too.
func cliLang(args []string) string {
	lang := "en"
	for i, a := range args {
		name, val, hasVal := cutFlag(a)
		if name != "lang" {
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				break
			}
			val = args[i+1]
		}
		if val == "en" || val == "zh" {
			lang = val
		}
	}
	return lang
}

// parseFlags reads --lang, -h/--help and the flags named in allowed, in
// "--flag value" or "--flag=value" form, anywhere among the arguments. It
// stops at the first mistake; -h or --help before it still asks for help.
// Its errors are in the language of --lang, wherever it is; f.lang is set
// even when it returns an error.
func parseFlags(args []string, allowed []string) (flags, error) {
	f := flags{lang: cliLang(args)}
	cat := lessons.Messages(f.lang)
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := cutFlag(a)
		if name == "" && !strings.HasPrefix(a, "-") || a == "-" {
			f.rest = append(f.rest, a)
			continue
		}
		def, ok := flagDefs[name]
		common := name == "lang" || name == "h" || name == "help"
		if !ok || !common && !slices.Contains(allowed, name) || !def.value && hasVal {
			return f, errors.New(cat.T("cli.err.unknown_flag", "flag", strconv.Quote(a)))
		}
		if def.value && !hasVal {
			if i+1 >= len(args) {
				return f, errors.New(cat.T("cli.err.needs_value", "flag", name))
			}
			i++
			val = args[i]
		}
		if err := def.set(&f, val, cat); err != nil {
			return f, err
		}
	}
	return f, nil
}
