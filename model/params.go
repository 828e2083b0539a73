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
	return Params{}, &ParamError{Name: "profile", Value: name, Allowed: "linux or rfc"}
}

// ParamError says which parameter was wrong and what it allows.
type ParamError struct {
	Name, Value, Allowed string
	Reason               string
}

func (e *ParamError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("unknown parameter %q; known: %s", e.Value, strings.Join(ParamNames(), ", "))
	}
	if e.Reason != "" {
		return fmt.Sprintf("%s=%s: %s (allowed: %s)", e.Name, e.Value, e.Reason, e.Allowed)
	}
	return fmt.Sprintf("%s=%s is not allowed (allowed: %s)", e.Name, e.Value, e.Allowed)
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
	Value   string // current value, formatted as Set accepts it
	Allowed string // the allowed values or range
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

func allowed(d *paramDef) string {
	switch d.kind {
	case kDur:
		return FormatDuration(time.Duration(d.min)) + " to " + FormatDuration(time.Duration(d.max))
	case kInt:
		if d.name == "tw_reuse" {
			return "0 (off), 1 (on), 2 (loopback only)"
		}
		if d.name == "orphan_retries" {
			return "0 to 127 (0 means 8, as in Linux)"
		}
		return fmt.Sprintf("%d to %d", int(d.min), int(d.max))
	case kBool:
		return "on or off"
	case kEnum:
		return strings.Join(d.enum, " or ")
	case kFloat:
		return "0 to 1 (or 0% to 100%)"
	case kRange:
		return "LOW-HIGH within 1-65535"
	case kUint:
		return "a whole number ≥ 0"
	}
	return ""
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
		return d.String()
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
	bad := func(reason string) error {
		return &ParamError{Name: name, Value: value, Allowed: allowed(d), Reason: reason}
	}
	var v any
	switch d.kind {
	case kDur:
		x, err := ParseDuration(value)
		if err != nil {
			return bad("not a duration (write it like 60s or 200ms)")
		}
		if float64(x) < d.min || float64(x) > d.max {
			return bad("out of range")
		}
		v = x
	case kInt:
		x, err := strconv.Atoi(value)
		if err != nil {
			return bad("not a whole number")
		}
		if float64(x) < d.min || float64(x) > d.max {
			return bad("out of range")
		}
		v = x
	case kUint:
		x, err := strconv.ParseUint(value, 10, 64)
		if err != nil {
			return bad("not a whole number ≥ 0")
		}
		v = x
	case kBool:
		switch strings.ToLower(value) {
		case "on", "1", "true", "yes":
			v = true
		case "off", "0", "false", "no":
			v = false
		default:
			return bad("not on or off")
		}
	case kEnum:
		ok := false
		for _, e := range d.enum {
			ok = ok || e == value
		}
		if !ok {
			return bad("unknown value")
		}
		v = value
	case kFloat:
		s, pct := strings.CutSuffix(value, "%")
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) {
			return bad("not a number")
		}
		if pct {
			x /= 100
		}
		if x < 0 || x > 1 {
			return bad("out of range")
		}
		v = x
	case kRange:
		lo, hi, ok := strings.Cut(value, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if !ok || err1 != nil || err2 != nil {
			return bad("not a range like 32768-60999")
		}
		if a < 1 || b > 65535 || a > b {
			return bad("out of range")
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
		return &ParamError{Name: "rto_min", Value: FormatDuration(p.RTOMin), Allowed: "at most rto_max (" + FormatDuration(p.RTOMax) + ")", Reason: "larger than rto_max"}
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
