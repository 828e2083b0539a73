package ui

import (
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// sendBytes is how much D writes.
const sendBytes = 100

// cycleSeg selects the next or previous segment in flight.
func (m *Model) cycleSeg(next bool) {
	fl := m.sim().Flights()
	if len(fl) == 0 {
		m.seg = 0
		m.say("ui.msg.no_flight", true)
		return
	}
	i := -1
	for j := range fl {
		if fl[j].Seg.ID == m.seg {
			i = j
		}
	}
	switch {
	case i < 0 && next:
		i = 0
	case i < 0:
		i = len(fl) - 1
	case next:
		i = (i + 1) % len(fl)
	default:
		i = (i + len(fl) - 1) % len(fl)
	}
	m.seg = fl[i].Seg.ID
}

// selected is the selected flight, if it is still in flight. With no
// selection and a single segment in flight, that one is meant.
func (cx *ctx) selected() (model.Flight, bool) {
	fl := cx.sim().Flights()
	for _, f := range fl {
		if f.Seg.ID == cx.seg {
			return f, true
		}
	}
	if len(fl) == 1 {
		return fl[0], true
	}
	return model.Flight{}, false
}

func (m *Model) segAction(msg tea.KeyPressMsg) {
	f, ok := m.selected()
	if !ok {
		m.say("ui.msg.select_first", true)
		return
	}
	a := model.Action{N: f.Seg.ID}
	what := "ui.msg.dropped"
	switch {
	case key.Matches(msg, m.keys.Drop):
		a.Kind = model.ActDrop
	case key.Matches(msg, m.keys.Delay):
		a.Kind, a.Dur, what = model.ActDelay, m.delayBy(), "ui.msg.delayed"
	default:
		a.Kind, what = model.ActDuplicate, "ui.msg.duplicated"
	}
	if m.act(a) {
		m.say(what, false, "id", f.Seg.ID, "dur", model.FormatDuration(a.Dur))
	}
}

// delayBy is how long d holds a segment back: long enough to arrive
// visibly out of order.
func (m *Model) delayBy() time.Duration {
	p := m.sim().Params()
	return max(4*p.Delay, 50*time.Millisecond)
}

func (m *Model) appAction(msg tea.KeyPressMsg) {
	k := &m.keys
	a := model.Action{Side: m.side}
	switch {
	case key.Matches(msg, k.Close):
		a.Kind = model.ActClose
	case key.Matches(msg, k.Shutdown):
		a.Kind = model.ActShutdown
	case key.Matches(msg, k.Send):
		a.Kind, a.N = model.ActSend, sendBytes
	case key.Matches(msg, k.Abort):
		a.Kind = model.ActAbort
	case key.Matches(msg, k.PowerOff):
		a.Kind, a.Side = model.ActPowerOff, m.side.Other()
		if m.sim().HostDown(a.Side) {
			a.Kind = model.ActPowerOn
		}
	case key.Matches(msg, k.Reboot):
		a.Kind, a.Side = model.ActReboot, m.side.Other()
	case key.Matches(msg, k.Reconnect):
		a.Kind, a.Side = model.ActReconnect, model.Client
	}
	if m.act(a) {
		m.say("ui.msg.done", false, "what", m.cat.T("ui.act."+a.Kind.String()), "side", m.cat.Side(a.Side))
	}
}

// armPane finishes X: drop the next segment the chosen side sends. It
// draws nothing of its own: the hint line asks for the side.
type armPane struct{}

func (armPane) View(*ctx, int) []string { return nil }

func (armPane) Hints(cx *ctx) []key.Binding {
	return []key.Binding{cx.keys.Client, cx.keys.Server, cx.keys.Cancel}
}

func (armPane) Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd) {
	var side model.Side
	switch {
	case key.Matches(msg, cx.keys.Client):
		side = model.Client
	case key.Matches(msg, cx.keys.Server):
		side = model.Server
	default:
		return nil, nil
	}
	sent := 0
	for _, e := range cx.sim().Trace() {
		if e.Kind == model.EvSend && e.Seg.From == side {
			sent++
		}
	}
	r, err := model.ParseRule(side.String()+":"+strconv.Itoa(sent+1), model.FaultDrop)
	if err != nil {
		cx.msg, cx.msgErr = lessons.ErrorText(cx.cat, err), true
		return nil, nil
	}
	cx.emit(applyAction{a: model.Action{Kind: model.ActRule, Side: side, Rule: r}, done: "ui.msg.armed",
		args: []any{"side", cx.cat.Side(side)}})
	return nil, nil
}

// toggleReuse switches tcp_tw_reuse between off and on from now on.
func (m *Model) toggleReuse() {
	v := "1"
	if m.sim().Params().TWReuse == 1 {
		v = "0"
	}
	if m.act(model.Action{Kind: model.ActSet, Name: "tw_reuse", Value: v}) {
		m.say("ui.msg.tw_reuse", false, "v", v)
	}
}

// isArm reports whether p is the prompt of X.
func isArm(p pane) bool {
	_, ok := p.(armPane)
	return ok
}
