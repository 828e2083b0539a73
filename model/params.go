package model

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Params are the settings of a run. Names follow the Linux sysctls where one
// exists (net.ipv4.tcp_fin_timeout is "fin_timeout", and so on).
type Params struct {
	Profile        string        // "linux" or "rfc"
	Delay          time.Duration // one-way link delay
	MSL            time.Duration // maximum segment lifetime the stacks assume; TIME-WAIT = 2 x MSL
	NetLifetime    time.Duration // how long the network really keeps a segment at most
	FinTimeout     time.Duration // orphaned FIN-WAIT-2 lifetime (tcp_fin_timeout)
	RTOInitial     time.Duration // RTO before the first RTT sample
	RTOMin         time.Duration
	RTOMax         time.Duration
	OrphanRetries  int           // tcp_orphan_retries; 0 means 8, as in Linux
	Retries2       int           // tcp_retries2, for sockets the application still holds
	SynRetries     int           // tcp_syn_retries
	DelayedACK     time.Duration // 0 = ACK at once
	Keepalive      bool          // SO_KEEPALIVE on both ends
	KeepaliveTime  time.Duration
	KeepaliveIntvl time.Duration
	KeepaliveProbe int
	TWReuse        int           // 0 off, 1 on, 2 loopback only
	TWReuseDelay   time.Duration // tcp_tw_reuse_delay
	Timestamps     bool          // RFC 7323 timestamps (and PAWS)
	MaxTWBuckets   int
	PortLo, PortHi int     // ip_local_port_range
	ISN            string  // "random" or "predictable"
	Loss           float64 // probability that the link loses a segment
	Seed           uint64
	RFC1337        bool // tcp_rfc1337: ignore RST in TIME-WAIT
	Loopback       bool // both hosts on loopback (tw_reuse=2 applies)
}

// TimeWait is the TIME-WAIT duration, 2 x MSL.
func (p *Params) TimeWait() time.Duration { return 2 * p.MSL }

// Lifetime is how long the network keeps a segment before discarding it.
// It belongs to the network, not to the hosts: changing msl (what the
// stacks assume) does not change it.
func (p *Params) Lifetime() time.Duration { return p.NetLifetime }

// Linux returns the linux profile: SPEC.md section 3 defaults.
func Linux() Params {
	return Params{
		Profile: "linux", Delay: 20 * time.Millisecond, MSL: 30 * time.Second, NetLifetime: 30 * time.Second,
		FinTimeout: 60 * time.Second, RTOInitial: time.Second, RTOMin: 200 * time.Millisecond,
		RTOMax: 120 * time.Second, OrphanRetries: 8, Retries2: 15, SynRetries: 6,
		DelayedACK: 40 * time.Millisecond, KeepaliveTime: 7200 * time.Second,
		KeepaliveIntvl: 75 * time.Second, KeepaliveProbe: 9, TWReuse: 2,
		TWReuseDelay: time.Second, Timestamps: true, MaxTWBuckets: 131072,
		PortLo: 32768, PortHi: 60999, ISN: "predictable", Seed: 1,
	}
}

// RFC returns the rfc profile: RFC 9293's MSL of 2 minutes (TIME-WAIT 4
// minutes), no delayed ACK, RFC 6298 timers, no timestamps.
func RFC() Params {
	p := Linux()
	p.Profile = "rfc"
	p.MSL = 2 * time.Minute
	p.NetLifetime = 2 * time.Minute
	p.DelayedACK = 0
	p.RTOMin = time.Second
	p.RTOMax = 60 * time.Second
	p.Timestamps = false
	p.TWReuse = 0
	return p
}

// Profile returns the named profile's defaults.
func Profile(name string) (Params, error) {
	switch name {
	case "linux":
		return Linux(), nil
	case "rfc":
		return RFC(), nil
	}
	return Params{}, &ParamError{Name: "profile", Value: name, Allowed: allowed(findParam("profile"))}
}

// Allowed describes, as data, the values a parameter accepts. The model
// never words it for people: the interface does, in the user's language,
// from the message catalogues.
type Allowed struct {
	// Kind is "duration", "int", "bool", "enum", "float", "range" (two
	// whole numbers LOW-HIGH), "uint" (a whole number from Min up),
	// "at_most" (no larger than the parameter Ref, now Max) or "form"
	// (a name=value setting).
	Kind     string
	Min, Max string   // bounds, written as Set accepts them ("0s", "10s", "127")
	Values   []string // the choices of an enum or a bool, in order
	Ref      string   // for "at_most": the parameter that bounds this one
	// Note is a message key (param.note.*) for what the kind and bounds do
	// not say, such as what tw_reuse's values mean; its text may place the
	// plain description with {range}. Empty when there is nothing to add.
	Note string
}

// ParamError says which parameter was wrong and what it allows.
type ParamError struct {
	Name, Value string // Name is "" for an unknown parameter, then named by Value
	Allowed     Allowed
	// ReasonKey is a message key (param.reason.*) saying what is wrong
	// with Value, or "" when it is simply not one of the allowed values;
	// ReasonArgs are its placeholders as name, value pairs.
	ReasonKey  string
	ReasonArgs []string
}

// Error is the Go error string, in English, for logs and tests. People are
// shown the error in their language from ReasonKey and Allowed instead.
func (e *ParamError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("unknown parameter %q; known: %s", e.Value, strings.Join(ParamNames(), ", "))
	}
	if e.ReasonKey != "" {
		return fmt.Sprintf("%s=%s: %s (allowed: %s)", e.Name, e.Value, englishReason(e.ReasonKey, e.ReasonArgs), englishAllowed(e.Allowed))
	}
	return fmt.Sprintf("%s=%s is not allowed (allowed: %s)", e.Name, e.Value, englishAllowed(e.Allowed))
}

// englishReasons words the reason keys for Error only; the catalogues
// (assets/messages/*/params.txt) hold the same texts for people, and a
// test in ui checks that the English ones agree.
var englishReasons = map[string]string{
	"param.reason.not_duration":  "not a duration (write it like 60s or 200ms)",
	"param.reason.out_of_range":  "out of range",
	"param.reason.not_int":       "not a whole number",
	"param.reason.not_uint":      "not a whole number ≥ 0",
	"param.reason.not_bool":      "not on or off",
	"param.reason.unknown_value": "unknown value",
	"param.reason.not_number":    "not a number",
	"param.reason.not_range":     "not a range like 32768-60999",
	"param.reason.larger_than":   "larger than {param}",
	"param.reason.missing_eq":    "missing '='",
}

func englishReason(key string, args []string) string {
	s, ok := englishReasons[key]
	if !ok {
		return key
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// englishAllowed words an Allowed for Error only (see englishReasons).
func englishAllowed(a Allowed) string {
	var s string
	switch a.Kind {
	case "duration", "int":
		s = a.Min + " to " + a.Max
	case "bool", "enum":
		s = strings.Join(a.Values, " or ")
	case "float":
		s = a.Min + " to " + a.Max + " (or " + Percent(a.Min) + " to " + Percent(a.Max) + ")"
	case "range":
		s = "LOW-HIGH within " + a.Min + "-" + a.Max
	case "uint":
		s = "a whole number ≥ " + a.Min
	case "at_most":
		s = "at most " + a.Ref + " (" + a.Max + ")"
	case "form":
		s = "name=value"
	}
	switch a.Note {
	case "param.note.tw_reuse":
		s = "0 (off), 1 (on), 2 (loopback only)"
	case "param.note.orphan_retries":
		s += " (0 means 8, as in Linux)"
	}
	return s
}

// Percent writes a fraction such as "0.5" as a percentage, "50%" (for
// the loss rate's range).
func Percent(frac string) string {
	x, err := strconv.ParseFloat(frac, 64)
	if err != nil {
		return frac
	}
	return strconv.FormatFloat(x*100, 'f', -1, 64) + "%"
}

type paramKind uint8

const (
	kDur paramKind = iota
	kInt
	kBool
	kEnum
	kFloat
	kRange
	kUint
)

// paramDef describes one parameter: how to read, write and check it.
type paramDef struct {
	name     string
	kind     paramKind
	min, max float64 // for durations, in nanoseconds
	enum     []string
	get      func(*Params) any
	set      func(*Params, any)
	linux    func(*Params) bool // true when the value is possible on real Linux
	linuxKey string             // message key explaining why not
}

func durDef(name string, lo, hi time.Duration, f func(*Params) *time.Duration) paramDef {
	return paramDef{name: name, kind: kDur, min: float64(lo), max: float64(hi),
		get: func(p *Params) any { return *f(p) }, set: func(p *Params, v any) { *f(p) = v.(time.Duration) }}
}

func intDef(name string, lo, hi int, f func(*Params) *int) paramDef {
	return paramDef{name: name, kind: kInt, min: float64(lo), max: float64(hi),
		get: func(p *Params) any { return *f(p) }, set: func(p *Params, v any) { *f(p) = v.(int) }}
}

func boolDef(name string, f func(*Params) *bool) paramDef {
	return paramDef{name: name, kind: kBool,
		get: func(p *Params) any { return *f(p) }, set: func(p *Params, v any) { *f(p) = v.(bool) }}
}

var paramDefs = []paramDef{
	{name: "profile", kind: kEnum, enum: []string{"linux", "rfc"},
		get: func(p *Params) any { return p.Profile }, set: func(p *Params, v any) { p.Profile = v.(string) }},
	durDef("delay", 0, 10*time.Second, func(p *Params) *time.Duration { return &p.Delay }),
	withLinux(durDef("msl", 0, time.Hour, func(p *Params) *time.Duration { return &p.MSL }),
		func(p *Params) bool { return p.MSL == 30*time.Second }, "linux.msl"),
	durDef("net_lifetime", time.Millisecond, 10*time.Hour, func(p *Params) *time.Duration { return &p.NetLifetime }),
	durDef("fin_timeout", time.Millisecond, time.Hour, func(p *Params) *time.Duration { return &p.FinTimeout }),
	durDef("rto_initial", time.Millisecond, 10*time.Minute, func(p *Params) *time.Duration { return &p.RTOInitial }),
	durDef("rto_min", time.Millisecond, 10*time.Minute, func(p *Params) *time.Duration { return &p.RTOMin }),
	durDef("rto_max", time.Millisecond, 10*time.Minute, func(p *Params) *time.Duration { return &p.RTOMax }),
	intDef("orphan_retries", 0, 127, func(p *Params) *int { return &p.OrphanRetries }),
	intDef("retries2", 1, 255, func(p *Params) *int { return &p.Retries2 }),
	intDef("syn_retries", 1, 127, func(p *Params) *int { return &p.SynRetries }),
	withLinux(durDef("delayed_ack", 0, 2*time.Second, func(p *Params) *time.Duration { return &p.DelayedACK }),
		func(p *Params) bool {
			return p.DelayedACK == 0 || (p.DelayedACK >= 40*time.Millisecond && p.DelayedACK <= 200*time.Millisecond)
		}, "linux.delayed_ack"),
	boolDef("keepalive", func(p *Params) *bool { return &p.Keepalive }),
	durDef("keepalive_time", time.Millisecond, 32767*time.Second, func(p *Params) *time.Duration { return &p.KeepaliveTime }),
	durDef("keepalive_intvl", time.Millisecond, 32767*time.Second, func(p *Params) *time.Duration { return &p.KeepaliveIntvl }),
	intDef("keepalive_probes", 1, 127, func(p *Params) *int { return &p.KeepaliveProbe }),
	{name: "tw_reuse", kind: kInt, min: 0, max: 2,
		get: func(p *Params) any { return p.TWReuse }, set: func(p *Params, v any) { p.TWReuse = v.(int) }},
	durDef("tw_reuse_delay", time.Millisecond, time.Minute, func(p *Params) *time.Duration { return &p.TWReuseDelay }),
	boolDef("timestamps", func(p *Params) *bool { return &p.Timestamps }),
	intDef("max_tw_buckets", 0, 10_000_000, func(p *Params) *int { return &p.MaxTWBuckets }),
	{name: "port_range", kind: kRange, min: 1, max: 65535,
		get: func(p *Params) any { return [2]int{p.PortLo, p.PortHi} },
		set: func(p *Params, v any) { r := v.([2]int); p.PortLo, p.PortHi = r[0], r[1] }},
	{name: "isn", kind: kEnum, enum: []string{"random", "predictable"},
		get: func(p *Params) any { return p.ISN }, set: func(p *Params, v any) { p.ISN = v.(string) },
		linux: func(p *Params) bool { return p.ISN == "random" }, linuxKey: "linux.isn"},
	{name: "loss", kind: kFloat, min: 0, max: 1,
		get: func(p *Params) any { return p.Loss }, set: func(p *Params, v any) { p.Loss = v.(float64) }},
	{name: "seed", kind: kUint, min: 0, max: math.MaxUint64,
		get: func(p *Params) any { return p.Seed }, set: func(p *Params, v any) { p.Seed = v.(uint64) }},
	boolDef("rfc1337", func(p *Params) *bool { return &p.RFC1337 }),
	boolDef("loopback", func(p *Params) *bool { return &p.Loopback }),
}

func withLinux(d paramDef, ok func(*Params) bool, key string) paramDef {
	d.linux, d.linuxKey = ok, key
	return d
}

func findParam(name string) *paramDef {
	for i := range paramDefs {
		if paramDefs[i].name == name {
			return &paramDefs[i]
		}
	}
	return nil
}

// ParamNames lists every parameter in display order.
func ParamNames() []string {
	out := make([]string, len(paramDefs))
	for i, d := range paramDefs {
		out[i] = d.name
	}
	return out
}

// ParamInfo describes one parameter for a settings form.
type ParamInfo struct {
	Name    string
	Value   string  // current value, formatted as Set accepts it
	Allowed Allowed // the allowed values or range
	// LinuxNote is a message key, set when the current value is impossible
	// on real Linux (for example any msl: Linux has no MSL knob).
	LinuxNote string
}

// Describe lists every parameter with its current value and allowed range.
func (p *Params) Describe() []ParamInfo {
	out := make([]ParamInfo, 0, len(paramDefs))
	for _, d := range paramDefs {
		out = append(out, p.describe(&d))
	}
	return out
}

func (p *Params) describe(d *paramDef) ParamInfo {
	info := ParamInfo{Name: d.name, Value: formatValue(d, d.get(p)), Allowed: allowed(d)}
	if d.linux != nil && !d.linux(p) {
		info.LinuxNote = d.linuxKey
	}
	return info
}

// Get returns the formatted value of one parameter.
func (p *Params) Get(name string) (string, error) {
	d := findParam(name)
	if d == nil {
		return "", &ParamError{Value: name}
	}
	return formatValue(d, d.get(p)), nil
}

func allowed(d *paramDef) Allowed {
	switch d.kind {
	case kDur:
		return Allowed{Kind: "duration", Min: FormatDuration(time.Duration(d.min)), Max: FormatDuration(time.Duration(d.max))}
	case kInt:
		a := Allowed{Kind: "int", Min: strconv.Itoa(int(d.min)), Max: strconv.Itoa(int(d.max))}
		switch d.name {
		case "tw_reuse":
			a.Note = "param.note.tw_reuse" // 0 off, 1 on, 2 loopback only
		case "orphan_retries":
			a.Note = "param.note.orphan_retries" // 0 means 8, as in Linux
		}
		return a
	case kBool:
		return Allowed{Kind: "bool", Values: []string{"on", "off"}}
	case kEnum:
		return Allowed{Kind: "enum", Values: append([]string(nil), d.enum...)}
	case kFloat:
		return Allowed{Kind: "float", Min: strconv.FormatFloat(d.min, 'g', -1, 64), Max: strconv.FormatFloat(d.max, 'g', -1, 64)}
	case kRange:
		return Allowed{Kind: "range", Min: strconv.Itoa(int(d.min)), Max: strconv.Itoa(int(d.max))}
	case kUint:
		return Allowed{Kind: "uint", Min: "0", Max: strconv.FormatUint(math.MaxUint64, 10)}
	}
	return Allowed{}
}

func formatValue(d *paramDef, v any) string {
	switch x := v.(type) {
	case time.Duration:
		return FormatDuration(x)
	case int:
		return strconv.Itoa(x)
	case uint64:
		return strconv.FormatUint(x, 10)
	case bool:
		if x {
			return "on"
		}
		return "off"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case [2]int:
		return fmt.Sprintf("%d-%d", x[0], x[1])
	}
	return fmt.Sprint(v)
}

// FormatDuration prints a duration the way a person writes it: "60s",
// "200ms", "2h11m15s", "1.5s".
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= 10*time.Minute && d%time.Second == 0:
		s := d.String() // 10m0s, 1h30m0s, 2h11m15s
		if strings.HasSuffix(s, "m0s") {
			s = s[:len(s)-2]
		}
		return s
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	case d%time.Millisecond == 0 && d < time.Second:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
	case d%time.Millisecond == 0:
		return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
	}
	return d.String()
}

// Set parses and validates one "name=value" setting. On error p is unchanged.
func (p *Params) Set(name, value string) error {
	d := findParam(name)
	if d == nil {
		return &ParamError{Value: name}
	}
	value = strings.TrimSpace(value)
	bad := func(reason string) error { // reason is a param.reason.* key
		return &ParamError{Name: name, Value: value, Allowed: allowed(d), ReasonKey: reason}
	}
	var v any
	switch d.kind {
	case kDur:
		x, err := ParseDuration(value)
		if err != nil {
			return bad("param.reason.not_duration")
		}
		if float64(x) < d.min || float64(x) > d.max {
			return bad("param.reason.out_of_range")
		}
		v = x
	case kInt:
		x, err := strconv.Atoi(value)
		if err != nil {
			return bad("param.reason.not_int")
		}
		if float64(x) < d.min || float64(x) > d.max {
			return bad("param.reason.out_of_range")
		}
		v = x
	case kUint:
		x, err := strconv.ParseUint(value, 10, 64)
		if err != nil {
			return bad("param.reason.not_uint")
		}
		v = x
	case kBool:
		switch strings.ToLower(value) {
		case "on", "1", "true", "yes":
			v = true
		case "off", "0", "false", "no":
			v = false
		default:
			return bad("param.reason.not_bool")
		}
	case kEnum:
		ok := false
		for _, e := range d.enum {
			ok = ok || e == value
		}
		if !ok {
			return bad("param.reason.unknown_value")
		}
		v = value
	case kFloat:
		s, pct := strings.CutSuffix(value, "%")
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) {
			return bad("param.reason.not_number")
		}
		if pct {
			x /= 100
		}
		if x < 0 || x > 1 {
			return bad("param.reason.out_of_range")
		}
		v = x
	case kRange:
		lo, hi, ok := strings.Cut(value, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if !ok || err1 != nil || err2 != nil {
			return bad("param.reason.not_range")
		}
		if a < 1 || b > 65535 || a > b {
			return bad("param.reason.out_of_range")
		}
		v = [2]int{a, b}
	}
	if name == "profile" {
		np, _ := Profile(v.(string))
		*p = np
		return nil
	}
	q := *p
	d.set(&q, v)
	if err := q.check(); err != nil {
		pe := err.(*ParamError)
		if pe.Name == name {
			pe.Value = value
		}
		return err
	}
	*p = q
	return nil
}

// check validates relations between parameters.
func (p *Params) check() error {
	if p.RTOMin > p.RTOMax {
		return &ParamError{Name: "rto_min", Value: FormatDuration(p.RTOMin),
			Allowed:   Allowed{Kind: "at_most", Max: FormatDuration(p.RTOMax), Ref: "rto_max"},
			ReasonKey: "param.reason.larger_than", ReasonArgs: []string{"param", "rto_max"}}
	}
	return nil
}

// Validate checks every parameter against its range.
func (p *Params) Validate() error {
	for _, d := range paramDefs {
		if d.name == "profile" {
			continue
		}
		q := *p
		if err := q.Set(d.name, formatValue(&d, d.get(p))); err != nil {
			return err
		}
	}
	return p.check()
}

// ParseDuration accepts Go durations ("60s", "1m30s", "200ms") and a bare 0.
func ParseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %s", s)
	}
	return d, nil
}

// Overrides returns "name=value" for every parameter that differs from its
// profile's default, sorted, for display and for reproducing a run.
func (p *Params) Overrides() []string {
	base, _ := Profile(p.Profile)
	var out []string
	for _, d := range paramDefs {
		a, b := formatValue(&d, d.get(p)), formatValue(&d, d.get(&base))
		if a != b {
			out = append(out, d.name+"="+a)
		}
	}
	sort.Strings(out)
	return out
}
