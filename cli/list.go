package cli

import (
	"errors"
	"fmt"

	"finwait/lessons"
	"finwait/model"
)

// runScenarios is `finwait scenarios`: each built-in scenario's name and
// what it shows, in the language of --lang.
func runScenarios(e *env) int {
	if len(e.f.rest) > 0 {
		return fail(e.stderr, e.f.lang, errors.New(e.cat.T("cli.err.scenarios_args")))
	}
	names := lessons.ScenarioNames()
	w := 0
	for _, n := range names {
		w = max(w, len(n))
	}
	for _, n := range names {
		sc, err := lessons.BuiltinScenario(n)
		if err != nil {
			return fail(e.stderr, e.f.lang, err)
		}
		fmt.Fprintf(e.stdout, "%-*s  %s\n", w, n, sc.Describe(e.f.lang))
	}
	return exitOK
}

// runParams is `finwait params [--set name=value]...`: every setting with
// its value and what it allows.
func runParams(e *env) int {
	if len(e.f.rest) > 0 {
		return fail(e.stderr, e.f.lang, errors.New(e.cat.T("cli.err.params_args")))
	}
	sc := &model.Scenario{}
	p, err := sc.ParamsWith(e.f.sets)
	if err != nil {
		return fail(e.stderr, e.f.lang, err)
	}
	for _, info := range p.Describe() {
		line := fmt.Sprintf("%-17s %-14s %s", info.Name, info.Value, lessons.AllowedText(e.cat, info.Allowed))
		if info.LinuxNote != "" {
			line += "  [" + e.cat.T(info.LinuxNote) + "]"
		}
		fmt.Fprintln(e.stdout, line)
	}
	return exitOK
}
