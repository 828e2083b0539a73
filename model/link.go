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

// RuleError explains a malformed fault rule.
type RuleError struct {
	Rule   string
	Reason string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("bad segment rule %q: %s (write SIDE:N or SIDE:FLAG:N, e.g. client:3, server:FIN:1, client:DATA:1-5; FLAG is SYN, FIN, RST, DATA or ACK)", e.Rule, e.Reason)
}

// ParseRule reads SIDE:N or SIDE:FLAG:N, where N is a number, a list
// "1,3" or a range "1-5".
func ParseRule(s string, fault Fault) (FaultRule, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	bad := func(why string) (FaultRule, error) { return FaultRule{}, &RuleError{Rule: s, Reason: why} }
	if len(parts) < 2 || len(parts) > 3 {
		return bad("expected two or three parts separated by ':'")
	}
	side, ok := ParseSide(parts[0])
	if !ok {
		return bad("side must be client or server")
	}
	r := FaultRule{Side: side, Fault: fault}
	nums := parts[1]
	if len(parts) == 3 {
		k := strings.ToUpper(parts[1])
		if _, ok := kindIndex[k]; !ok {
			return bad("flag must be SYN, FIN, RST, DATA or ACK")
		}
		r.Kind = k
		nums = parts[2]
	}
	for _, item := range strings.Split(nums, ",") {
		if r.NSpan == len(r.Spans) {
			return bad(fmt.Sprintf("at most %d numbers or ranges", len(r.Spans)))
		}
		a, b, isRange := strings.Cut(item, "-")
		lo, err := strconv.Atoi(strings.TrimSpace(a))
		if err != nil || lo < 1 || lo > 1_000_000 {
			return bad("counts start at 1 and must be whole numbers")
		}
		hi := lo
		if isRange {
			hi, err = strconv.Atoi(strings.TrimSpace(b))
			if err != nil || hi < lo || hi > 1_000_000 {
				return bad("a range is LOW-HIGH with LOW ≤ HIGH")
			}
		}
		r.Spans[r.NSpan] = [2]int{lo, hi}
		r.NSpan++
	}
	return r, nil
}
