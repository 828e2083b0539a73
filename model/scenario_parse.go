package model

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Limits of a scenario file, besides those of any text file (SplitLines).
// The run costs time in proportion to each of them, and the fault rules
// and triggers are consulted for every segment and connection.
const (
	MaxTimedActions = 100_000 // "at" lines
	MaxTriggers     = 1_000   // "on" lines
	MaxFaultRules   = 1_000   // "drop", "delay", "duplicate" lines
)

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
//
// The file may start with a UTF-8 byte-order mark and end its lines in
// CRLF; control characters, text that is not UTF-8 and files or lines
// over the limits are refused (see SplitLines), as are more than
// MaxTimedActions actions, MaxTriggers triggers or MaxFaultRules rules.
// Every error is a *ScenarioError with the line it is about.
func ParseScenario(file, src string) (*Scenario, error) {
	lines, err := SplitLines(src)
	if err != nil {
		var le *LineError
		errors.As(err, &le)
		return nil, &ScenarioError{File: file, Line: le.Line, Err: le.Err}
	}
	p := &scnParser{sc: &Scenario{File: file, Name: scenarioName(file), TraceConns: 3}}
	for i, raw := range lines {
		if err := p.line(raw); err != nil {
			return nil, &ScenarioError{File: file, Line: i + 1, Err: err}
		}
	}
	if _, err := p.sc.Params(); err != nil {
		return nil, &ScenarioError{File: file, Line: 0, Err: err}
	}
	return p.sc, nil
}

// scenarioName is a scenario's name from its file name: "x/close.scn" is
// "close".
func scenarioName(file string) string {
	base := file
	if i := strings.LastIndexAny(base, "/\\"); i >= 0 {
		base = base[i+1:]
	}
	return strings.TrimSuffix(base, ".scn")
}

// scnParser is the state of ParseScenario between lines.
type scnParser struct {
	sc        *Scenario
	startSeen bool
}

// statements reads each kind of statement, by its first word; f is the
// line split into words. The headers (description:, name:) come first.
var statements = map[string]func(p *scnParser, f []string) error{
	"set":       (*scnParser).set,
	"start":     (*scnParser).start,
	"at":        (*scnParser).at,
	"on":        (*scnParser).on,
	"drop":      (*scnParser).fault,
	"duplicate": (*scnParser).fault,
	"delay":     (*scnParser).fault,
	"client":    (*scnParser).sideOption,
	"server":    (*scnParser).sideOption,
	"load":      (*scnParser).load,
	"end":       (*scnParser).end,
}

// line reads one line: a comment or blank, a header, or a statement.
func (p *scnParser) line(raw string) error {
	line := raw
	if j := strings.IndexByte(line, '#'); j >= 0 {
		line = line[:j]
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return nil
	}
	if k, v, ok := strings.Cut(line, ":"); ok && p.header(k, strings.TrimSpace(v)) {
		return nil
	}
	f := strings.Fields(line)
	parse, ok := statements[f[0]]
	if !ok {
		return newMsg("scn.err.unknown_statement", "value", strconv.Quote(f[0]))
	}
	return parse(p, f)
}

// header reads "name: N", "description: D" and "description-LANG: D",
// and reports whether k is one of them.
func (p *scnParser) header(k, v string) bool {
	sc := p.sc
	switch {
	case k == "name":
		sc.Name = v
	case k == "description":
		sc.Description = v
	case strings.HasPrefix(k, "description-"):
		if sc.Descriptions == nil {
			sc.Descriptions = map[string]string{}
		}
		sc.Descriptions[strings.TrimPrefix(k, "description-")] = v
	default:
		return false
	}
	return true
}

func newMsg(key string, args ...any) *Msg { return &Msg{Key: key, Args: args} }

// set NAME=VALUE...: settings. rto_min and rto_max are checked together,
// once the whole file is read (either may be written first).
func (p *scnParser) set(f []string) error {
	if len(f) < 2 {
		return newMsg("scn.err.set_form")
	}
	for _, kv := range f[1:] {
		n, v, ok := strings.Cut(kv, "=")
		if !ok {
			return newMsg("scn.err.set_pair", "value", strconv.Quote(kv))
		}
		if n != "rto_min" && n != "rto_max" {
			q := Linux()
			if err := q.Set(n, v); err != nil {
				return err
			}
		}
		p.sc.Sets = append(p.sc.Sets, [2]string{n, v})
	}
	return nil
}

var starts = map[string]Start{"established": StartEstablished, "closed": StartClosed, "listen": StartListen}

// start established|closed|listen, once.
func (p *scnParser) start(f []string) error {
	if len(f) != 2 {
		return newMsg("scn.err.start_form")
	}
	if p.startSeen {
		return newMsg("scn.err.start_twice")
	}
	p.startSeen = true
	st, ok := starts[f[1]]
	if !ok {
		return newMsg("scn.err.start_value", "value", strconv.Quote(f[1]))
	}
	p.sc.Start = st
	return nil
}

// at T ACTION...
func (p *scnParser) at(f []string) error {
	if len(f) < 3 {
		return newMsg("scn.err.at_form")
	}
	if len(p.sc.Timed) >= MaxTimedActions {
		return newMsg("scn.err.max_actions", "max", MaxTimedActions)
	}
	t, err := ParseDuration(f[1])
	if err != nil {
		return newMsg("scn.err.bad_time", "value", strconv.Quote(f[1]))
	}
	a, err := parseAction(f[2:])
	if err != nil {
		return err
	}
	p.sc.Timed = append(p.sc.Timed, TimedAction{At: t, Action: a})
	return nil
}

// on SIDE EVENT [after D] ACTION...
func (p *scnParser) on(f []string) error {
	if len(f) < 4 {
		return newMsg("scn.err.on_form")
	}
	if len(p.sc.Triggers) >= MaxTriggers {
		return newMsg("scn.err.max_triggers", "max", MaxTriggers)
	}
	side, ok := ParseSide(f[1])
	if !ok {
		return newMsg("scn.err.side", "value", strconv.Quote(f[1]))
	}
	if f[2] != "eof" && f[2] != "established" {
		return newMsg("scn.err.event", "value", strconv.Quote(f[2]))
	}
	tr := Trigger{Side: side, On: f[2]}
	rest := f[3:]
	if rest[0] == "after" {
		if len(rest) < 3 {
			return newMsg("scn.err.after_form")
		}
		d, err := ParseDuration(rest[1])
		if err != nil {
			return newMsg("scn.err.bad_time", "value", strconv.Quote(rest[1]))
		}
		tr.After = d
		rest = rest[2:]
	}
	a, err := parseAction(rest)
	if err != nil {
		return err
	}
	tr.Action = a
	p.sc.Triggers = append(p.sc.Triggers, tr)
	return nil
}

var faults = map[string]Fault{"drop": FaultDrop, "duplicate": FaultDuplicate, "delay": FaultDelay}

// drop RULE | duplicate RULE | delay RULE by D
func (p *scnParser) fault(f []string) error {
	if len(f) < 2 {
		return newMsg("scn.err.rule_missing", "fault", f[0])
	}
	if len(p.sc.Rules) >= MaxFaultRules {
		return newMsg("scn.err.max_rules", "max", MaxFaultRules)
	}
	fault := faults[f[0]]
	r, err := ParseRule(f[1], fault)
	if err != nil {
		return err
	}
	if fault == FaultDelay {
		if len(f) != 4 || f[2] != "by" {
			return newMsg("scn.err.delay_by")
		}
		d, err := ParseDuration(f[3])
		if err != nil || d == 0 {
			return newMsg("scn.err.bad_delay", "value", strconv.Quote(f[3]))
		}
		r.Dur = d
	} else if len(f) != 2 {
		return newMsg("scn.err.after_rule", "value", strconv.Quote(strings.Join(f[2:], " ")))
	}
	p.sc.Rules = append(p.sc.Rules, r)
	return nil
}

// client noread | server keepalive ...
func (p *scnParser) sideOption(f []string) error {
	side, _ := ParseSide(f[0])
	if len(f) != 2 || (f[1] != "noread" && f[1] != "keepalive") {
		return newMsg("scn.err.side_option", "side", f[0])
	}
	p.sc.Sides = append(p.sc.Sides, sideOpt{side: side, noread: f[1] == "noread", keepalive: f[1] == "keepalive"})
	return nil
}

// end D
func (p *scnParser) end(f []string) error {
	if len(f) != 2 {
		return newMsg("scn.err.end_form")
	}
	d, err := ParseDuration(f[1])
	if err != nil || d == 0 {
		return newMsg("scn.err.bad_end", "value", strconv.Quote(f[1]))
	}
	p.sc.End = d
	return nil
}

// load KEY=VALUE...: a host run; the scenario then starts closed.
func (p *scnParser) load(f []string) error {
	sc := p.sc
	sc.Load = Load{Every: time.Millisecond, Closer: Client}
	for _, kv := range f[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return newMsg("scn.err.load_pair", "value", strconv.Quote(kv))
		}
		set, ok := loadKeys[k]
		if !ok {
			return newMsg("scn.err.load_unknown", "value", strconv.Quote(k))
		}
		if err := set(sc, k, v); err != nil {
			return err
		}
	}
	if sc.Load.Count == 0 {
		return newMsg("scn.err.load_needs_count")
	}
	sc.Start = StartClosed
	return nil
}

// loadKeys reads each key of a load statement.
var loadKeys = map[string]func(sc *Scenario, k, v string) error{
	"count": func(sc *Scenario, _, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10_000_000 {
			return newMsg("scn.err.load_count", "value", strconv.Quote(v))
		}
		sc.Load.Count = n
		return nil
	},
	"every": func(sc *Scenario, k, v string) error {
		d, err := loadDuration(k, v)
		if err == nil && d == 0 {
			err = newMsg("scn.err.load_every")
		}
		if err == nil {
			sc.Load.Every = d
		}
		return err
	},
	"hold": func(sc *Scenario, k, v string) error {
		d, err := loadDuration(k, v)
		if err == nil {
			sc.Load.Hold = d
		}
		return err
	},
	"sample": func(sc *Scenario, k, v string) error {
		d, err := loadDuration(k, v)
		if err == nil {
			sc.SampleEvery = d
		}
		return err
	},
	"closer": func(sc *Scenario, _, v string) error {
		s, ok := ParseSide(v)
		if !ok {
			return newMsg("scn.err.load_closer", "value", strconv.Quote(v))
		}
		sc.Load.Closer = s
		return nil
	},
	"trace": func(sc *Scenario, _, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return newMsg("scn.err.load_trace", "value", strconv.Quote(v))
		}
		sc.TraceConns = n
		return nil
	},
}

func loadDuration(k, v string) (time.Duration, error) {
	d, err := ParseDuration(v)
	if err != nil {
		return 0, newMsg("scn.err.load_time", "name", k, "value", strconv.Quote(v))
	}
	return d, nil
}

// ParseAction reads an action as written after "at T": "client close",
// "server send 100", "set msl=1s".
func ParseAction(s string) (Action, error) { return parseAction(strings.Fields(s)) }

// scenarioActions are the application and host actions a scenario may
// take, by name (the faults on one segment are the interface's).
var scenarioActions = func() map[string]ActionKind {
	m := map[string]ActionKind{}
	for k, name := range actNames {
		if k <= ActReboot {
			m[name] = k
		}
	}
	return m
}()

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
	a := Action{Side: side, Kind: scenarioActions[f[1]]}
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
