package lessons

import (
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"finwait/assets"
	"finwait/model"
)

// ScenarioNames lists the built-in scenarios, sorted.
func ScenarioNames() []string {
	files, _ := fs.Glob(assets.FS, "scenarios/*.scn")
	out := make([]string, 0, len(files))
	for _, f := range files {
		out = append(out, strings.TrimSuffix(path.Base(f), ".scn"))
	}
	sort.Strings(out)
	return out
}

// BuiltinScenario parses a built-in scenario by name.
func BuiltinScenario(name string) (*model.Scenario, error) {
	b, err := fs.ReadFile(assets.FS, "scenarios/"+name+".scn")
	if err != nil {
		return nil, msg("lesson.err.unknown_scenario", "name", strconv.Quote(name), "list", strings.Join(ScenarioNames(), ", "))
	}
	return model.ParseScenario(name+".scn", string(b))
}

// LoadScenario opens a built-in scenario by name, or a user's file when
// the argument ends in .scn or names an existing file.
func LoadScenario(arg string) (*model.Scenario, error) {
	if strings.HasSuffix(arg, ".scn") || strings.ContainsAny(arg, `/\`) {
		b, err := os.ReadFile(arg)
		if err != nil {
			return nil, msg("lesson.err.read_scenario", "err", err)
		}
		return model.ParseScenario(arg, string(b))
	}
	return BuiltinScenario(arg)
}
