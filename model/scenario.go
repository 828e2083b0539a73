package model

import (
	"fmt"
	"strconv"
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

// ParseScenario reads a scenario file. The language, one statement a line,
// '#' starting a comment:
//
//	description: what it shows
//	description-zh: 中文说明               the same in another language
//	set delay=20ms msl=30s          settings (any parameter)
//	start established|closed|listen
//	at 50ms server close            an action at a time
//	on server eof after 50ms server close
//	                                an action when a side reads EOF or is established
//	drop client:FIN:1               fault rules: drop, duplicate, or delay ... by D
//	delay server:DATA:1 by 40s
//	client noread | server keepalive
//	load count=30000 every=2ms closer=client hold=0 trace=2 sample=1s
//	end 130s                        stop the run there
//
// Actions: connect, reconnect, listen, close, shutdown, send N, abort,
// read, noread, keepalive, poweroff, poweron, reboot, and "set name=value".
func ParseScenario(file, src string) (*Scenario, error) {
	sc := &Scenario{File: file, TraceConns: 3}
	base := file
	if i := strings.LastIndexAny(base, "/\\"); i >= 0 {
		base = base[i+1:]
	}
	sc.Name = strings.TrimSuffix(base, ".scn")
	startSeen := false
	for i, raw := range strings.Split(src, "\n") {
		line := raw
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		fail := func(err error) error { return &ScenarioError{File: file, Line: i + 1, Err: err} }
		msg := func(key string, args ...any) error { return fail(&Msg{Key: key, Args: args}) }
		if k, v, ok := strings.Cut(line, ":"); ok && (k == "description" || k == "name" || strings.HasPrefix(k, "description-")) {
			switch {
			case k == "name":
				sc.Name = strings.TrimSpace(v)
			case k == "description":
				sc.Description = strings.TrimSpace(v)
			default:
				if sc.Descriptions == nil {
					sc.Descriptions = map[string]string{}
				}
				sc.Descriptions[strings.TrimPrefix(k, "description-")] = strings.TrimSpace(v)
			}
			continue
		}
		f := strings.Fields(line)
		switch f[0] {
		case "set":
			if len(f) < 2 {
				return nil, msg("scn.err.set_form")
			}
			for _, kv := range f[1:] {
				n, v, ok := strings.Cut(kv, "=")
				if !ok {
					return nil, msg("scn.err.set_pair", "value", strconv.Quote(kv))
				}
				if n != "rto_min" && n != "rto_max" {
					q := Linux()
					if err := q.Set(n, v); err != nil {
						return nil, fail(err)
					}
				}
				sc.Sets = append(sc.Sets, [2]string{n, v})
			}
		case "start":
			if len(f) != 2 {
				return nil, msg("scn.err.start_form")
			}
			if startSeen {
				return nil, msg("scn.err.start_twice")
			}
			startSeen = true
			switch f[1] {
			case "established":
				sc.Start = StartEstablished
			case "closed":
				sc.Start = StartClosed
			case "listen":
				sc.Start = StartListen
			default:
				return nil, msg("scn.err.start_value", "value", strconv.Quote(f[1]))
			}
		case "at":
			if len(f) < 3 {
				return nil, msg("scn.err.at_form")
			}
			t, err := ParseDuration(f[1])
			if err != nil {
				return nil, msg("scn.err.bad_time", "value", strconv.Quote(f[1]))
			}
			a, err := parseAction(f[2:])
			if err != nil {
				return nil, fail(err)
			}
			sc.Timed = append(sc.Timed, TimedAction{At: t, Action: a})
		case "on":
			// on SIDE EVENT [after D] ACTION...
			if len(f) < 4 {
				return nil, msg("scn.err.on_form")
			}
			side, ok := ParseSide(f[1])
			if !ok {
				return nil, msg("scn.err.side", "value", strconv.Quote(f[1]))
			}
			if f[2] != "eof" && f[2] != "established" {
				return nil, msg("scn.err.event", "value", strconv.Quote(f[2]))
			}
			tr := Trigger{Side: side, On: f[2]}
			rest := f[3:]
			if rest[0] == "after" {
				if len(rest) < 3 {
					return nil, msg("scn.err.after_form")
				}
				d, err := ParseDuration(rest[1])
				if err != nil {
					return nil, msg("scn.err.bad_time", "value", strconv.Quote(rest[1]))
				}
				tr.After = d
				rest = rest[2:]
			}
			a, err := parseAction(rest)
			if err != nil {
				return nil, fail(err)
			}
			tr.Action = a
			sc.Triggers = append(sc.Triggers, tr)
		case "drop", "duplicate", "delay":
			if len(f) < 2 {
				return nil, msg("scn.err.rule_missing", "fault", f[0])
			}
			fault := map[string]Fault{"drop": FaultDrop, "duplicate": FaultDuplicate, "delay": FaultDelay}[f[0]]
			r, err := ParseRule(f[1], fault)
			if err != nil {
				return nil, fail(err)
			}
			if fault == FaultDelay {
				if len(f) != 4 || f[2] != "by" {
					return nil, msg("scn.err.delay_by")
				}
				d, err := ParseDuration(f[3])
				if err != nil || d == 0 {
					return nil, msg("scn.err.bad_delay", "value", strconv.Quote(f[3]))
				}
				r.Dur = d
			} else if len(f) != 2 {
				return nil, msg("scn.err.after_rule", "value", strconv.Quote(strings.Join(f[2:], " ")))
			}
			sc.Rules = append(sc.Rules, r)
		case "client", "server":
			side, _ := ParseSide(f[0])
			if len(f) != 2 || (f[1] != "noread" && f[1] != "keepalive") {
				return nil, msg("scn.err.side_option", "side", f[0])
			}
			sc.Sides = append(sc.Sides, sideOpt{side: side, noread: f[1] == "noread", keepalive: f[1] == "keepalive"})
		case "load":
			if err := parseLoad(sc, f[1:]); err != nil {
				return nil, fail(err)
			}
			sc.Start = StartClosed
		case "end":
			if len(f) != 2 {
				return nil, msg("scn.err.end_form")
			}
			d, err := ParseDuration(f[1])
			if err != nil || d == 0 {
				return nil, msg("scn.err.bad_end", "value", strconv.Quote(f[1]))
			}
			sc.End = d
		default:
			return nil, msg("scn.err.unknown_statement", "value", strconv.Quote(f[0]))
		}
	}
	if _, err := sc.Params(); err != nil {
		return nil, &ScenarioError{File: file, Line: 0, Err: err}
	}
	return sc, nil
}

func parseLoad(sc *Scenario, f []string) error {
	sc.Load = Load{Every: time.Millisecond, Closer: Client}
	for _, kv := range f {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return &Msg{Key: "scn.err.load_pair", Args: []any{"value", strconv.Quote(kv)}}
		}
		switch k {
		case "count":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 10_000_000 {
				return &Msg{Key: "scn.err.load_count", Args: []any{"value", strconv.Quote(v)}}
			}
			sc.Load.Count = n
		case "every", "hold", "sample":
			d, err := ParseDuration(v)
			if err != nil {
				return &Msg{Key: "scn.err.load_time", Args: []any{"name", k, "value", strconv.Quote(v)}}
			}
			switch k {
			case "every":
				if d == 0 {
					return &Msg{Key: "scn.err.load_every"}
				}
				sc.Load.Every = d
			case "hold":
				sc.Load.Hold = d
			default:
				sc.SampleEvery = d
			}
		case "closer":
			s, ok := ParseSide(v)
			if !ok {
				return &Msg{Key: "scn.err.load_closer", Args: []any{"value", strconv.Quote(v)}}
			}
			sc.Load.Closer = s
		case "trace":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return &Msg{Key: "scn.err.load_trace", Args: []any{"value", strconv.Quote(v)}}
			}
			sc.TraceConns = n
		default:
			return &Msg{Key: "scn.err.load_unknown", Args: []any{"value", strconv.Quote(k)}}
		}
	}
	if sc.Load.Count == 0 {
		return &Msg{Key: "scn.err.load_needs_count"}
	}
	return nil
}

// ParseAction reads an action as written after "at T": "client close",
// "server send 100", "set msl=1s".
func ParseAction(s string) (Action, error) { return parseAction(strings.Fields(s)) }

func parseAction(f []string) (Action, error) {
	if len(f) == 0 {
		return Action{}, &Msg{Key: "scn.err.action_missing"}
	}
	if f[0] == "set" {
		if len(f) != 2 {
			return Action{}, &Msg{Key: "scn.err.action_set_one"}
		}
		n, v, ok := strings.Cut(f[1], "=")
		if !ok {
			return Action{}, &Msg{Key: "scn.err.set_form"}
		}
		q := Linux()
		if err := q.Set(n, v); err != nil {
			return Action{}, err
		}
		return Action{Kind: ActSet, Name: n, Value: v}, nil
	}
	side, ok := ParseSide(f[0])
	if !ok {
		return Action{}, &Msg{Key: "scn.err.action_side", Args: []any{"value", strconv.Quote(f[0])}}
	}
	if len(f) < 2 {
		return Action{}, &Msg{Key: "scn.err.action_what", Args: []any{"side", f[0]}}
	}
	a := Action{Side: side}
	for k, name := range actNames {
		if name == f[1] && k <= ActReboot {
			a.Kind = k
		}
	}
	if a.Kind == 0 {
		return Action{}, &Msg{Key: "scn.err.action_unknown", Args: []any{"value", strconv.Quote(f[1])}}
	}
	if a.Kind == ActSend {
		if len(f) != 3 {
			return Action{}, &Msg{Key: "scn.err.send_form"}
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 1 || n > 1<<20 {
			return Action{}, &Msg{Key: "scn.err.send_range", Args: []any{"value", strconv.Quote(f[2])}}
		}
		a.N = n
	} else if len(f) != 2 {
		return Action{}, &Msg{Key: "scn.err.action_extra", Args: []any{"value", strconv.Quote(strings.Join(f[2:], " ")), "action", f[1]}}
	}
	return a, nil
}
