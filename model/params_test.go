package model

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// What a setting allows is data, for the interface to word in the user's
// language; Error still reads as English for logs and tests.
func TestParamAllowedIsData(t *testing.T) {
	p := Linux()
	got := map[string]Allowed{}
	for _, info := range p.Describe() {
		if info.Allowed.Kind == "" {
			t.Errorf("%s: Allowed has no kind", info.Name)
		}
		got[info.Name] = info.Allowed
	}
	want := map[string]Allowed{
		"profile":        {Kind: "enum", Values: []string{"linux", "rfc"}},
		"delay":          {Kind: "duration", Min: "0s", Max: "10s"},
		"rto_max":        {Kind: "duration", Min: "1ms", Max: "10m"},
		"orphan_retries": {Kind: "int", Min: "0", Max: "127", Note: "param.note.orphan_retries"},
		"retries2":       {Kind: "int", Min: "1", Max: "255"},
		"keepalive":      {Kind: "bool", Values: []string{"on", "off"}},
		"tw_reuse":       {Kind: "int", Min: "0", Max: "2", Note: "param.note.tw_reuse"},
		"port_range":     {Kind: "range", Min: "1", Max: "65535"},
		"loss":           {Kind: "float", Min: "0", Max: "1"},
		"seed":           {Kind: "uint", Min: "0", Max: "18446744073709551615"},
	}
	for name, w := range want {
		if !reflect.DeepEqual(got[name], w) {
			t.Errorf("%s: Allowed = %+v, want %+v", name, got[name], w)
		}
	}
}

func TestParamErrorIsData(t *testing.T) {
	cases := []struct {
		name, value string
		want        ParamError
		english     string
	}{
		{"delay", "99h", ParamError{Name: "delay", Value: "99h", Allowed: Allowed{Kind: "duration", Min: "0s", Max: "10s"},
			ReasonKey: "param.reason.out_of_range"}, "delay=99h: out of range (allowed: 0s to 10s)"},
		{"msl", "forever", ParamError{Name: "msl", Value: "forever", Allowed: Allowed{Kind: "duration", Min: "0s", Max: "1h"},
			ReasonKey: "param.reason.not_duration"}, "msl=forever: not a duration (write it like 60s or 200ms) (allowed: 0s to 1h)"},
		{"tw_reuse", "3", ParamError{Name: "tw_reuse", Value: "3", Allowed: Allowed{Kind: "int", Min: "0", Max: "2", Note: "param.note.tw_reuse"},
			ReasonKey: "param.reason.out_of_range"}, "tw_reuse=3: out of range (allowed: 0 (off), 1 (on), 2 (loopback only))"},
		{"orphan_retries", "x", ParamError{Name: "orphan_retries", Value: "x", Allowed: Allowed{Kind: "int", Min: "0", Max: "127", Note: "param.note.orphan_retries"},
			ReasonKey: "param.reason.not_int"}, "orphan_retries=x: not a whole number (allowed: 0 to 127 (0 means 8, as in Linux))"},
		{"loss", "2", ParamError{Name: "loss", Value: "2", Allowed: Allowed{Kind: "float", Min: "0", Max: "1"},
			ReasonKey: "param.reason.out_of_range"}, "loss=2: out of range (allowed: 0 to 1 (or 0% to 100%))"},
		{"port_range", "9", ParamError{Name: "port_range", Value: "9", Allowed: Allowed{Kind: "range", Min: "1", Max: "65535"},
			ReasonKey: "param.reason.not_range"}, "port_range=9: not a range like 32768-60999 (allowed: LOW-HIGH within 1-65535)"},
		{"seed", "-1", ParamError{Name: "seed", Value: "-1", Allowed: Allowed{Kind: "uint", Min: "0", Max: "18446744073709551615"},
			ReasonKey: "param.reason.not_uint"}, "seed=-1: not a whole number ≥ 0 (allowed: a whole number ≥ 0)"},
		{"keepalive", "maybe", ParamError{Name: "keepalive", Value: "maybe", Allowed: Allowed{Kind: "bool", Values: []string{"on", "off"}},
			ReasonKey: "param.reason.not_bool"}, "keepalive=maybe: not on or off (allowed: on or off)"},
		{"isn", "x", ParamError{Name: "isn", Value: "x", Allowed: Allowed{Kind: "enum", Values: []string{"random", "predictable"}},
			ReasonKey: "param.reason.unknown_value"}, "isn=x: unknown value (allowed: random or predictable)"},
		{"rto_min", "300s", ParamError{Name: "rto_min", Value: "300s", Allowed: Allowed{Kind: "at_most", Max: "120s", Ref: "rto_max"},
			ReasonKey: "param.reason.larger_than", ReasonArgs: []string{"param", "rto_max"}},
			"rto_min=300s: larger than rto_max (allowed: at most rto_max (120s))"},
	}
	for _, c := range cases {
		p := Linux()
		err := p.Set(c.name, c.value)
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Fatalf("Set(%s, %s) = %v, want a *ParamError", c.name, c.value, err)
		}
		if !reflect.DeepEqual(*pe, c.want) {
			t.Errorf("Set(%s, %s):\n got %+v\nwant %+v", c.name, c.value, *pe, c.want)
		}
		if err.Error() != c.english {
			t.Errorf("Set(%s, %s).Error() = %q, want %q", c.name, c.value, err, c.english)
		}
	}
	_, err := Profile("bsd")
	if want := "profile=bsd is not allowed (allowed: linux or rfc)"; err == nil || err.Error() != want {
		t.Errorf("Profile(bsd) = %v, want %q", err, want)
	}
}

func TestFormatDurationReadable(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 40 * time.Millisecond: "40ms", 1500 * time.Millisecond: "1.5s", 75 * time.Second: "75s",
		10 * time.Minute: "10m", 90 * time.Minute: "1h30m", 7875 * time.Second: "2h11m15s",
		10*time.Minute + 30*time.Second: "10m30s", 2 * time.Hour: "2h",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
