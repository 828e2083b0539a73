package model

import (
	"fmt"
	"strings"
	"time"
)

// Start is how a scenario begins.
type Start uint8

// Scenario starts.
const (
	StartEstablished Start = iota // connection 1 ESTABLISHED on both sides
	StartClosed                   // nothing; the scenario connects
	StartListen                   // the server listens; the client is closed
)

// Scenario is a run described as data: settings, then timed actions,
// triggers and fault rules. See ParseScenario for the language.
type Scenario struct {
	Name        string
	Description string
	// Descriptions in other languages, by language code ("zh").
	Descriptions map[string]string
	File         string
	Sets         [][2]string
	Start        Start
	Timed        []TimedAction
	Triggers     []Trigger
	Rules        []FaultRule
	Load         Load
	TraceConns   int
	SampleEvery  time.Duration
	End          time.Duration
	Sides        []sideOpt
}

type sideOpt struct {
	side      Side
	noread    bool
	keepalive bool
}

// TimedAction is an action at a virtual time.
type TimedAction struct {
	At     time.Duration
	Action Action
}

// Describe returns the description in lang ("en", "zh"), falling back to
// English.
func (sc *Scenario) Describe(lang string) string {
	if d, ok := sc.Descriptions[lang]; ok {
		return d
	}
	return sc.Description
}

// ScenarioError names the file and line of a mistake in a scenario.
type ScenarioError struct {
	File string
	Line int
	// Err is what is wrong, as data: a *Msg, a *ParamError for a bad
	// setting or a *RuleError for a bad fault rule.
	Err error
}

// Unwrap returns what is wrong, so that the interface can word it in the
// user's language.
func (e *ScenarioError) Unwrap() error { return e.Err }

// Error is the Go error string, in English, for logs and tests.
func (e *ScenarioError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (sc *Scenario) params(extra []string) (Params, error) {
	p := Linux()
	all := append([][2]string(nil), sc.Sets...)
	for _, s := range extra {
		name, val, ok := strings.Cut(s, "=")
		if !ok {
			return p, &ParamError{Name: s, Value: "", Allowed: Allowed{Kind: "form"}, ReasonKey: "param.reason.missing_eq"}
		}
		all = append(all, [2]string{strings.TrimSpace(name), val})
	}
	// A profile applies first, wherever it is written.
	for _, kv := range all {
		if kv[0] == "profile" {
			if err := p.Set("profile", kv[1]); err != nil {
				return p, err
			}
		}
	}
	for _, kv := range all {
		if kv[0] == "profile" {
			continue
		}
		if err := p.Set(kv[0], kv[1]); err != nil {
			return p, err
		}
	}
	return p, nil
}

// Params returns the scenario's settings (its profile plus its own sets).
func (sc *Scenario) Params() (Params, error) { return sc.params(nil) }

// ParamsWith returns the scenario's settings with extra "name=value"
// overrides applied last.
func (sc *Scenario) ParamsWith(sets []string) (Params, error) { return sc.params(sets) }
