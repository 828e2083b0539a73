package model

import "sort"

// Msg is a message for a person, as data: a catalogue key (scn.err.* for
// scenario files and fault rules) and its placeholders as name, value
// pairs. A value that is itself an error is worded in turn. The model
// never words a Msg for people: the interface does, in the user's
// language, from the message catalogues (assets/messages/*/authoring.txt).
type Msg struct {
	Key  string
	Args []any
}

// Error is the Go error string, in English, for logs and tests.
func (m *Msg) Error() string { return englishText(m.Key, m.Args) }

// Unwrap returns the errors among the placeholders' values.
func (m *Msg) Unwrap() []error { return errorArgs(m.Args) }

func errorArgs(args []any) []error {
	var out []error
	for i := 1; i < len(args); i += 2 {
		if e, ok := args[i].(error); ok {
			out = append(out, e)
		}
	}
	return out
}

// englishAuthoring words the authoring messages for Error only; the
// catalogues (assets/messages/*/authoring.txt) hold the same texts for
// people, and a test in lessons checks that the English ones agree.
var englishAuthoring = map[string]string{
	// statements of a scenario file
	"scn.err.set_form":          "set needs name=value",
	"scn.err.set_pair":          "set needs name=value, got {value}",
	"scn.err.start_form":        "start needs one of established, closed, listen",
	"scn.err.start_twice":       "start is given twice",
	"scn.err.start_value":       "start needs one of established, closed, listen, got {value}",
	"scn.err.at_form":           "at needs a time and an action, e.g. 'at 50ms server close'",
	"scn.err.bad_time":          "bad time {value}: write it like 50ms or 2s",
	"scn.err.on_form":           "on needs a side, an event and an action, e.g. 'on server eof after 50ms server close'",
	"scn.err.side":              "side must be client or server, got {value}",
	"scn.err.event":             "event must be eof or established, got {value}",
	"scn.err.after_form":        "after needs a time and an action",
	"scn.err.rule_missing":      "{fault} needs a rule like client:FIN:1",
	"scn.err.delay_by":          "delay needs 'by D', e.g. 'delay server:DATA:1 by 40s'",
	"scn.err.bad_delay":         "bad delay {value}: write it like 40s",
	"scn.err.after_rule":        "unexpected {value} after the rule",
	"scn.err.side_option":       "expected '{side} noread' or '{side} keepalive'",
	"scn.err.end_form":          "end needs a time",
	"scn.err.bad_end":           "bad end time {value}",
	"scn.err.unknown_statement": "unknown statement {value} (expected description:, set, start, at, on, drop, delay, duplicate, client, server, load or end)",
	// limits of a scenario file
	"scn.err.max_actions":  "a scenario has at most {max} timed actions (at ...)",
	"scn.err.max_triggers": "a scenario has at most {max} triggers (on ...)",
	"scn.err.max_rules":    "a scenario has at most {max} fault rules (drop, delay, duplicate)",
	// any text file a person writes: scenarios and lessons (SplitLines)
	"text.err.file_big":  "the file is larger than {max} MiB",
	"text.err.line_long": "the line is longer than {max} bytes",
	"text.err.control":   "control character {char} is not allowed (only tab and line ends are)",
	"text.err.utf8":      "the line is not UTF-8 text (byte {byte})",
	// the load statement
	"scn.err.load_pair":        "load takes key=value pairs, got {value}",
	"scn.err.load_count":       "count must be 1 to 10000000, got {value}",
	"scn.err.load_time":        "bad {name} {value}: write it like 2ms",
	"scn.err.load_every":       "every must be more than 0",
	"scn.err.load_closer":      "closer must be client or server, got {value}",
	"scn.err.load_trace":       "trace must be a number of connections ≥ 0, got {value}",
	"scn.err.load_unknown":     "unknown load setting {value} (count, every, closer, hold, trace, sample)",
	"scn.err.load_needs_count": "load needs count=N",
	// actions (after "at T" or a trigger)
	"scn.err.action_missing": "missing action",
	"scn.err.action_set_one": "set needs one name=value",
	"scn.err.action_side":    "an action starts with client or server (or set), got {value}",
	"scn.err.action_what":    "{side} what? (connect, reconnect, listen, close, shutdown, send N, abort, read, noread, keepalive, poweroff, poweron, reboot)",
	"scn.err.action_unknown": "unknown action {value} (connect, reconnect, listen, close, shutdown, send N, abort, read, noread, keepalive, poweroff, poweron, reboot)",
	"scn.err.send_form":      "send needs a byte count, e.g. 'client send 100'",
	"scn.err.send_range":     "send needs 1 to 1048576 bytes, got {value}",
	"scn.err.action_extra":   "unexpected {value} after {action}",
	// fault rules (drop, delay, duplicate; --drop)
	"scn.err.rule":   "bad segment rule {rule}: {reason} (write SIDE:N or SIDE:FLAG:N, e.g. client:3, server:FIN:1, client:DATA:1-5; FLAG is SYN, FIN, RST, DATA or ACK)",
	"scn.rule.parts": "expected two or three parts separated by ':'",
	"scn.rule.side":  "side must be client or server",
	"scn.rule.flag":  "flag must be SYN, FIN, RST, DATA or ACK",
	"scn.rule.spans": "at most {n} numbers or ranges",
	"scn.rule.count": "counts start at 1 and must be whole numbers",
	"scn.rule.range": "a range is LOW-HIGH with LOW ≤ HIGH",
}

// AuthoringKeys lists the keys of every message the model reports about a
// scenario file or a fault rule, sorted, so that a test outside the model
// can check that the catalogues define them all.
func AuthoringKeys() []string {
	out := make([]string, 0, len(englishAuthoring))
	for k := range englishAuthoring {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// englishText words an English authoring message (Fill fills its
// placeholders, as it does for lessons.Catalog.T); an unknown key is
// returned as it is.
func englishText(key string, args []any) string {
	s, ok := englishAuthoring[key]
	if !ok {
		return key
	}
	return Fill(s, args...)
}
