package model

// Fuzz tests for everything that reads user text: scenario files, settings
// and fault rules. Malformed input must give an error, never a panic; a
// scenario that parses must also run.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParseScenario(f *testing.F) {
	ents, _ := os.ReadDir(filepath.Join("..", "assets", "scenarios"))
	for _, e := range ents {
		if b, err := os.ReadFile(filepath.Join("..", "assets", "scenarios", e.Name())); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"", "#", "start", "start established\nstart closed", "start sideways",
		"at", "at 50ms", "at -1s client close", "at 1x client close", "at 0 client send 0", "at 0 client send 99999999",
		"at 0 client frobnicate", "at 0 nobody close", "at 0 set", "at 0 set msl", "at 0 set msl=-1s", "at 0 set nope=1",
		"on server eof", "on server eof after", "on server eof after 1s", "on moon eof client close", "on server tea client close",
		"drop", "drop client", "drop client:FIN:0", "drop client:XYZ:1", "drop a:b:c:d", "drop client:1-", "drop client:5-1",
		"delay server:DATA:1", "delay server:DATA:1 by", "delay server:DATA:1 by 0", "duplicate client:1 extra",
		"client", "client noread extra", "server keepalive",
		"load", "load count=0", "load count=3 every=0", "load count=2 closer=moon", "load count=2 trace=-1", "load count=2 x=1",
		"end", "end 0", "end 1s 2s", "set", "set msl", "set msl=1h1s", "set rto_min=1s rto_max=1ms",
		"set loss=NaN", "set loss=200%", "set port_range=5-1", "set seed=-1", "set profile=bsd",
		"description: x\ndescription-zh: 中文\nname: n", "start listen\nat 0 client connect\nat 1s server close",
		"start closed\nat 0 client reconnect\nat 0 client reconnect", "start established\nat 0 client poweron",
		"start established\nat 0 server poweroff\nat 1s server poweroff\nat 2s server poweron\nat 3s server listen",
		"load count=5 every=1ms\nset port_range=40000-40001 tw_reuse=1\nstart established",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sc, err := ParseScenario("fuzz.scn", src)
		if err != nil {
			var se *ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *ScenarioError", err)
			}
			checkAuthoringData(t, se.Err)
			return
		}
		if sc.Load.Count > 5000 {
			sc.Load.Count = 5000 // keep each input quick; the parser was the target
		}
		s, err := New(sc, nil, nil)
		if err != nil {
			return
		}
		s.Run(10_000)
		_ = s.Current()
		_ = s.Flights()
		_ = s.Timers(Client)
		s.Rewind(s.Pos() / 2)
	})
}

func FuzzParamSet(f *testing.F) {
	names := ParamNames()
	for i, n := range names {
		p := Linux()
		v, _ := p.Get(n)
		f.Add(i, v)
		f.Add(i, "")
		f.Add(i, "-1")
		f.Add(i, "1e309")
		f.Add(i, "on")
	}
	f.Add(0, "rfc")
	f.Add(1, "9223372036854775807ns")
	f.Fuzz(func(t *testing.T, i int, value string) {
		if i < 0 {
			i = -(i + 1)
		}
		name := names[i%len(names)]
		p := Linux()
		before := p
		err := p.Set(name, value)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("Set(%q, %q): error %v is not a *ParamError", name, value, err)
			}
			if p != before {
				t.Fatalf("Set(%q, %q) failed but changed the settings", name, value)
			}
			if !strings.Contains(err.Error(), name) && pe.Name != "" {
				t.Fatalf("error %q does not name %s", err, name)
			}
			if pe.Name != "" && (pe.Allowed.Kind == "" || pe.ReasonKey != "" && englishReasons[pe.ReasonKey] == "") {
				t.Fatalf("error %q does not describe itself as data: %+v", err, *pe)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Set(%q, %q) accepted a value Validate rejects: %v", name, value, err)
		}
		// A value that was accepted must be read back the same way.
		got, _ := p.Get(name)
		q := Linux()
		if name != "profile" {
			if err := q.Set(name, got); err != nil {
				t.Fatalf("Get(%q) = %q, which Set rejects: %v", name, got, err)
			}
		}
		_ = p.Describe()
	})
}

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{"client:3", "server:FIN:1", "client:DATA:1-5", "client:ACK:1,3,5-7", "server:syn:1",
		"", ":", "client", "client:", "client:0", "client:-1", "client:1-", "client:3-1", "moon:1", "client:XYZ:1",
		"client:1:2:3", "client:1,2,3,4,5", "client:1000001", "client: 1 - 2 ", "server:RST:99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fault := range []Fault{FaultDrop, FaultDelay, FaultDuplicate} {
			r, err := ParseRule(s, fault)
			if err != nil {
				var re *RuleError
				if !errors.As(err, &re) {
					t.Fatalf("error %v is not a *RuleError", err)
				}
				checkAuthoringData(t, re)
				continue
			}
			if r.NSpan < 1 || r.NSpan > len(r.Spans) {
				t.Fatalf("%q parsed to %d spans", s, r.NSpan)
			}
			for i := 0; i < r.NSpan; i++ {
				if r.Spans[i][0] < 1 || r.Spans[i][0] > r.Spans[i][1] {
					t.Fatalf("%q parsed to span %v", s, r.Spans[i])
				}
			}
			// String writes it back in a form ParseRule reads the same.
			r2, err := ParseRule(r.String(), fault)
			if err != nil || r2 != r {
				t.Fatalf("%q -> %q -> %+v, %v", s, r.String(), r2, err)
			}
		}
	})
}

// checkAuthoringData fails unless err, an error about a scenario file or a
// fault rule, is data the interface can word: a *Msg or *RuleError whose
// keys the English table (and so, by a test in lessons, the catalogues)
// defines, or a *ParamError.
func checkAuthoringData(t *testing.T, err error) {
	t.Helper()
	switch e := err.(type) {
	case *Msg:
		if englishAuthoring[e.Key] == "" {
			t.Fatalf("error %q has the key %q, which the English table lacks", err, e.Key)
		}
		if len(e.Args)%2 != 0 {
			t.Fatalf("error %q has an odd number of placeholder arguments: %v", err, e.Args)
		}
		for _, inner := range e.Unwrap() {
			checkAuthoringData(t, inner)
		}
	case *RuleError:
		if englishAuthoring[e.ReasonKey] == "" {
			t.Fatalf("error %q has the reason key %q, which the English table lacks", err, e.ReasonKey)
		}
	case *ParamError:
		if e.ReasonKey != "" && englishReasons[e.ReasonKey] == "" {
			t.Fatalf("error %q has the reason key %q, which the English table lacks", err, e.ReasonKey)
		}
	default:
		t.Fatalf("error %v (%T) is not data the interface can word", err, err)
	}
	if strings.Contains(err.Error(), "scn.") {
		t.Fatalf("error %q shows a message key instead of its text", err)
	}
}
