package model

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// EventKind classifies a trace event (DESIGN.md trace format).
type EventKind uint8

// Trace event kinds.
const (
	EvSend EventKind = iota + 1
	EvDeliver
	EvDrop
	EvExpire
	EvState
	EvTimerStart
	EvTimerFire
	EvTimerStop
	EvApp
	EvNotify
)

var kindNames = [...]string{"", "send", "deliver", "drop", "expire", "state", "timer_start", "timer_fire", "timer_stop", "app", "notify"}

func (k EventKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// TimerKind names a TCP timer.
type TimerKind uint8

// The timers an endpoint runs.
const (
	TimerNone TimerKind = iota
	TimerRetransmit
	TimerDelayedACK
	TimerTimeWait
	TimerFinWait2
	TimerKeepalive
	numTimers
)

var timerNames = [numTimers]string{"", "retransmit", "delayed-ack", "time-wait", "fin-wait-2", "keepalive"}

func (t TimerKind) String() string {
	if t < numTimers {
		return timerNames[t]
	}
	return "?"
}

// Event is one line of the trace. Every change the user can see is one.
type Event struct {
	T    time.Duration
	Kind EventKind
	Side Side // sender (send, drop, expire), receiver (deliver), owner (state, timers), told (app, notify)
	Conn int
	// Seg is set for send, deliver, drop and expire.
	HasSeg bool
	Seg    Segment
	From   State // state events
	To     State
	Timer  TimerKind
	Rule   RuleName // the transition-table row that fired (state events)
	// Note is a message-catalogue key explaining the event; Dur, N and
	// Detail fill its placeholders.
	Note   string
	Dur    time.Duration
	N      int
	Detail string // the application call, the errno, or the bytes received
	Step   int    // the simulation step that produced it
}

// JSON renders the event as one JSON object in the stable trace format.
// note is the explanation in the chosen language (may be empty).
func (e *Event) JSON(note string) string {
	var b strings.Builder
	b.WriteString(`{"t_ms":`)
	b.WriteString(strconv.FormatFloat(float64(e.T)/float64(time.Millisecond), 'f', -1, 64))
	b.WriteString(`,"kind":"`)
	b.WriteString(e.Kind.String())
	b.WriteString(`","side":"`)
	b.WriteString(e.Side.String())
	b.WriteString(`","conn":`)
	b.WriteString(strconv.Itoa(e.Conn))
	if e.HasSeg {
		s := &e.Seg
		b.WriteString(`,"seg":{"id":`)
		b.WriteString(strconv.Itoa(s.ID))
		b.WriteString(`,"flags":"`)
		b.WriteString(s.Flags.String())
		b.WriteString(`","seq":`)
		b.WriteString(strconv.FormatUint(uint64(s.Seq), 10))
		b.WriteString(`,"ack":`)
		b.WriteString(strconv.FormatUint(uint64(s.Ack), 10))
		b.WriteString(`,"len":`)
		b.WriteString(strconv.Itoa(s.Len))
		if s.Retrans > 0 {
			b.WriteString(`,"retrans":`)
			b.WriteString(strconv.Itoa(s.Retrans))
		}
		if s.Probe {
			b.WriteString(`,"probe":true`)
		}
		if s.TS {
			b.WriteString(`,"tsval":`)
			b.WriteString(strconv.FormatUint(uint64(s.TSval), 10))
		}
		b.WriteByte('}')
	}
	if e.Kind == EvState {
		b.WriteString(`,"from":"` + e.From.String() + `","to":"` + e.To.String() + `"`)
	}
	if e.Timer != TimerNone {
		b.WriteString(`,"timer":"` + e.Timer.String() + `"`)
		if e.Kind == EvTimerStart {
			b.WriteString(`,"dur_ms":`)
			b.WriteString(strconv.FormatFloat(float64(e.Dur)/float64(time.Millisecond), 'f', -1, 64))
		}
	}
	if e.Rule != "" {
		b.WriteString(`,"rule":"` + string(e.Rule) + `"`)
	}
	if e.Detail != "" {
		b.WriteString(`,"detail":`)
		b.WriteString(jsonString(e.Detail))
	}
	if note != "" {
		b.WriteString(`,"note":`)
		b.WriteString(jsonString(note))
	}
	b.WriteByte('}')
	return b.String()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
