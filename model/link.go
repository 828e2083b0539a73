package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Fault is what a rule does to a matching segment.
type Fault uint8

// The faults a rule or the user can apply to a segment.
const (
	FaultDrop Fault = iota + 1
	FaultDelay
	FaultDuplicate
)

func (f Fault) String() string {
	switch f {
	case FaultDrop:
		return "drop"
	case FaultDelay:
		return "delay"
	case FaultDuplicate:
		return "duplicate"
	}
	return "?"
}

// FaultRule applies a fault to the Nth segments a side sends (counted from
// the start of the run, retransmissions included), optionally only those of
// one kind: SYN, FIN, RST, DATA, or ACK for a pure ACK.
type FaultRule struct {
	Side  Side
	Kind  string // "" for any segment
	Spans [4][2]int
	NSpan int
	Fault Fault
	Dur   time.Duration // for delay
}

func (r *FaultRule) matches(n int) bool {
	for i := 0; i < r.NSpan; i++ {
		if n >= r.Spans[i][0] && n <= r.Spans[i][1] {
			return true
		}
	}
	return false
}

// String writes the rule back in the syntax ParseRule reads.
func (r FaultRule) String() string {
	var parts []string
	for i := 0; i < r.NSpan; i++ {
		a, b := r.Spans[i][0], r.Spans[i][1]
		if a == b {
			parts = append(parts, strconv.Itoa(a))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", a, b))
		}
	}
	s := r.Side.String() + ":"
	if r.Kind != "" {
		s += r.Kind + ":"
	}
	return s + strings.Join(parts, ",")
}

// RuleError explains a malformed fault rule, as data: ReasonKey
// (scn.rule.*) says what is wrong, with its placeholders in ReasonArgs as
// name, value pairs. The interface words it from the catalogues.
type RuleError struct {
	Rule       string
	ReasonKey  string
	ReasonArgs []any
}

// Error is the Go error string, in English, for logs and tests.
func (e *RuleError) Error() string {
	return englishText("scn.err.rule", []any{"rule", strconv.Quote(e.Rule), "reason", englishText(e.ReasonKey, e.ReasonArgs)})
}

// ParseRule reads SIDE:N or SIDE:FLAG:N, where N is a number, a list
// "1,3" or a range "1-5".
func ParseRule(s string, fault Fault) (FaultRule, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	bad := func(key string, args ...any) (FaultRule, error) {
		return FaultRule{}, &RuleError{Rule: s, ReasonKey: key, ReasonArgs: args}
	}
	if len(parts) < 2 || len(parts) > 3 {
		return bad("scn.rule.parts")
	}
	side, ok := ParseSide(parts[0])
	if !ok {
		return bad("scn.rule.side")
	}
	r := FaultRule{Side: side, Fault: fault}
	nums := parts[1]
	if len(parts) == 3 {
		k := strings.ToUpper(parts[1])
		if _, ok := kindIndex[k]; !ok {
			return bad("scn.rule.flag")
		}
		r.Kind = k
		nums = parts[2]
	}
	for _, item := range strings.Split(nums, ",") {
		if r.NSpan == len(r.Spans) {
			return bad("scn.rule.spans", "n", len(r.Spans))
		}
		a, b, isRange := strings.Cut(item, "-")
		lo, err := strconv.Atoi(strings.TrimSpace(a))
		if err != nil || lo < 1 || lo > 1_000_000 {
			return bad("scn.rule.count")
		}
		hi := lo
		if isRange {
			hi, err = strconv.Atoi(strings.TrimSpace(b))
			if err != nil || hi < lo || hi > 1_000_000 {
				return bad("scn.rule.range")
			}
		}
		r.Spans[r.NSpan] = [2]int{lo, hi}
		r.NSpan++
	}
	return r, nil
}
