package model

import (
	"fmt"
	"time"
)

// ActionKind is something a user, a lesson or a scenario can do.
type ActionKind uint8

// Actions.
const (
	ActConnect   ActionKind = iota + 1 // active open from an ephemeral port
	ActReconnect                       // active open again from the client's same port (bind, then connect)
	ActListen                          // passive open
	ActClose                           // close(): FIN after queued data, or RST with unread data
	ActShutdown                        // shutdown(SHUT_WR): FIN, but keep reading
	ActSend                            // write N bytes
	ActAbort                           // close() with SO_LINGER {1, 0}: RST
	ActRead                            // read everything waiting
	ActNoRead                          // the application stops reading by itself
	ActKeepalive                       // setsockopt(SO_KEEPALIVE)
	ActPowerOff                        // the host loses power
	ActPowerOn                         // the host comes back, with no connections
	ActReboot                          // power off and on at once
	ActDrop                            // drop segment N in flight
	ActDelay                           // delay segment N in flight by Dur
	ActDuplicate                       // duplicate segment N in flight
	ActRule                            // add a fault rule (drop, delay or duplicate by count)
	ActSet                             // change a parameter from now on
)

var actNames = map[ActionKind]string{ActConnect: "connect", ActReconnect: "reconnect", ActListen: "listen",
	ActClose: "close", ActShutdown: "shutdown", ActSend: "send", ActAbort: "abort", ActRead: "read",
	ActNoRead: "noread", ActKeepalive: "keepalive", ActPowerOff: "poweroff", ActPowerOn: "poweron",
	ActReboot: "reboot", ActDrop: "drop", ActDelay: "delay", ActDuplicate: "duplicate", ActRule: "rule", ActSet: "set"}

func (k ActionKind) String() string { return actNames[k] }

// Action is one thing done to the run.
type Action struct {
	Kind  ActionKind
	Side  Side
	N     int           // bytes to send, or a segment id
	Dur   time.Duration // extra delay
	Rule  FaultRule
	Name  string // parameter
	Value string
}

func (a Action) String() string {
	switch a.Kind {
	case ActSend:
		return fmt.Sprintf("%s send %d", a.Side, a.N)
	case ActDrop, ActDuplicate:
		return fmt.Sprintf("%s segment %d", a.Kind, a.N)
	case ActDelay:
		return fmt.Sprintf("delay segment %d by %s", a.N, FormatDuration(a.Dur))
	case ActRule:
		return fmt.Sprintf("%s %s", a.Rule.Fault, a.Rule)
	case ActSet:
		return fmt.Sprintf("set %s=%s", a.Name, a.Value)
	}
	return a.Side.String() + " " + a.Kind.String()
}

// ActionError says why an action cannot be done now. Key is a message
// catalogue key; State is the side's state at the time.
type ActionError struct {
	Action Action
	State  State
	Key    string
	Err    error
}

func (e *ActionError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("cannot %s now: %s (state %s)", e.Action, e.Key, e.State)
}

func (e *ActionError) Unwrap() error { return e.Err }

// actionSpec is one row of the action table: how the engine judges and
// does one kind of action.
type actionSpec struct {
	// app marks an application call: refused while its host is down.
	app bool
	// check says why the action cannot be done now, as a message key
	// (and an error for a bad parameter); "" when it can. It changes
	// nothing.
	check func(w *world, a Action, ep *Endpoint) (key string, err error)
	// do does an action that check accepted; it cannot fail.
	do func(w *world, a Action, ep *Endpoint)
	// fires lists the transition-table rows the action can fire on the
	// side's endpoint at once (ActionSet.Rows reads them).
	fires []RuleName
}

// actionTable is the table of actions by kind. init fills it because the
// actions refer back to it: a trigger fired by an action applies another.
var actionTable [ActSet + 1]actionSpec

func init() {
	fault := (*world).checkFault
	actionTable = [...]actionSpec{
		ActConnect:   {app: true, check: (*world).checkConnect, do: (*world).doConnect, fires: []RuleName{Rule1, Rule3_4}},
		ActReconnect: {app: true, check: (*world).checkConnect, do: (*world).doConnect, fires: []RuleName{Rule1, Rule3_4}},
		ActListen:    {app: true, check: (*world).checkListen, do: (*world).doListen, fires: []RuleName{Rule1p}},
		ActClose:     {app: true, check: (*world).checkClose, do: (*world).doClose, fires: []RuleName{Rule5, Rule6c, Rule7, Rule14, RuleB3}},
		ActShutdown:  {app: true, check: (*world).checkShutdown, do: (*world).doShutdown, fires: []RuleName{Rule6c, Rule7, Rule14}},
		ActSend:      {app: true, check: (*world).checkSend, do: (*world).doSend},
		ActAbort:     {app: true, check: (*world).checkAbort, do: (*world).doAbort, fires: []RuleName{Rule5, Rule25, Rule26}},
		ActRead:      {app: true, check: (*world).checkRead, do: (*world).doRead},
		ActNoRead:    {app: true, do: (*world).doNoRead},
		ActKeepalive: {app: true, do: (*world).doKeepalive},
		ActPowerOff:  {check: (*world).checkPowerOff, do: (*world).doPower, fires: []RuleName{RuleP}},
		ActReboot:    {do: (*world).doPower, fires: []RuleName{RuleP}},
		ActPowerOn:   {check: (*world).checkPowerOn, do: (*world).doPower},
		ActDrop:      {check: fault, do: (*world).doFault},
		ActDelay:     {check: fault, do: (*world).doFault},
		ActDuplicate: {check: fault, do: (*world).doFault},
		ActRule:      {do: (*world).doRule},
		ActSet:       {check: (*world).checkSet, do: (*world).doSet},
	}
}

// spec returns the row of an action kind, or nil for an unknown kind.
func spec(k ActionKind) *actionSpec {
	if int(k) >= len(actionTable) || actionTable[k].do == nil {
		return nil
	}
	return &actionTable[k]
}

// refusal says why a cannot be done now, or returns nil.
func (w *world) refusal(a Action) *ActionError {
	ep := w.mainEp(a.Side)
	st := Closed
	if ep != nil {
		st = ep.State
	}
	sp := spec(a.Kind)
	key, err := "", error(nil)
	switch {
	case sp == nil:
		key = "err.unknown"
	case sp.app && w.hosts[a.Side].down:
		key = "err.host_down"
	case sp.check != nil:
		key, err = sp.check(w, a, ep)
	}
	if key == "" {
		return nil
	}
	return &ActionError{Action: a, State: st, Key: key, Err: err}
}

// apply performs an action at the current time, or says why it cannot.
func (w *world) apply(a Action) error {
	if e := w.refusal(a); e != nil {
		return e
	}
	spec(a.Kind).do(w, a, w.mainEp(a.Side))
	return nil
}

func (w *world) checkConnect(a Action, ep *Endpoint) (string, error) {
	if a.Side != Client {
		return "err.connect_client_only", nil
	}
	// After close() the socket belongs to the kernel (an orphan in
	// FIN-WAIT-2, TIME-WAIT...): the application may connect again, and a
	// TIME-WAIT holding the port is then judged by tcp_tw_reuse (SPEC.md
	// 3.4).
	if ep != nil && ep.State != Closed && !ep.Orphan {
		return "err.busy", nil
	}
	return "", nil
}

func (w *world) doConnect(a Action, _ *Endpoint) { w.connect(a.Kind == ActReconnect) }

func (w *world) checkListen(_ Action, ep *Endpoint) (string, error) {
	if ep != nil && ep.State != Closed {
		return "err.busy", nil
	}
	return "", nil
}

func (w *world) doListen(a Action, _ *Endpoint) {
	w.hosts[a.Side].listening = true
	nep := w.newEndpoint(a.Side, 0, Closed)
	nep.Lport = ServerPort
	nep.Keepalive = w.hosts[a.Side].ka
	w.setMain(nep)
	w.emit(nep, Event{Kind: EvApp, Detail: "listen", Note: "app.listen"})
	w.setState(nep, Rule1p, "")
	w.hosts[a.Side].listenEp = nep.index
}

func (w *world) checkClose(_ Action, ep *Endpoint) (string, error) {
	switch {
	case ep == nil || ep.State == Closed:
		return "err.no_connection", nil
	case ep.Orphan:
		return "err.closed_already", nil
	}
	return "", nil
}

func (w *world) doClose(_ Action, ep *Endpoint) {
	w.emit(ep, Event{Kind: EvApp, Detail: "close", Note: "app.close"})
	w.closeEp(ep)
}

func (w *world) checkShutdown(_ Action, ep *Endpoint) (string, error) {
	if ep == nil || !(ep.State == Established || ep.State == CloseWait || ep.State == SynReceived) || ep.ShutWr {
		return "err.no_shutdown", nil
	}
	return "", nil
}

func (w *world) doShutdown(_ Action, ep *Endpoint) {
	w.emit(ep, Event{Kind: EvApp, Detail: "shutdown", Note: "app.shutdown"})
	ep.ShutWr = true
	w.sendFIN(ep)
}

// writable reports whether send() queues bytes now; otherwise it fails
// with EPIPE (after shutdown or close: our FIN is queued or out).
func writable(ep *Endpoint) bool {
	return !ep.ShutWr && !ep.Orphan && (ep.State == Established || ep.State == CloseWait)
}

func (w *world) checkSend(a Action, ep *Endpoint) (string, error) {
	switch {
	case ep == nil || ep.State == Closed:
		return "err.no_connection", nil
	case ep.State == Listen || ep.State == SynSent || ep.State == SynReceived:
		return "err.not_connected", nil
	case writable(ep) && (a.N <= 0 || a.N > 1<<20):
		return "err.send_size", nil
	}
	return "", nil
}

func (w *world) doSend(a Action, ep *Endpoint) {
	w.emit(ep, Event{Kind: EvApp, Detail: "send", N: a.N, Note: "app.send"})
	if !writable(ep) {
		w.notify(ep, "EPIPE", "notify.epipe")
		return
	}
	ep.queued += a.N
	w.output(ep)
}

func (w *world) checkAbort(_ Action, ep *Endpoint) (string, error) {
	if ep == nil || ep.State == Closed {
		return "err.no_connection", nil
	}
	return "", nil
}

func (w *world) doAbort(_ Action, ep *Endpoint) {
	w.emit(ep, Event{Kind: EvApp, Detail: "abort", Note: "app.abort"})
	w.abort(ep, Rule25)
}

func (w *world) checkRead(_ Action, ep *Endpoint) (string, error) {
	if ep == nil {
		return "err.no_connection", nil
	}
	return "", nil
}

func (w *world) doRead(_ Action, ep *Endpoint) {
	ep.AutoRead = true
	if ep.Unread > 0 {
		w.emit(ep, Event{Kind: EvApp, Detail: "read", N: ep.Unread, Note: "app.read"})
		ep.Unread = 0
		if ep.RcvFin {
			w.signalEOF(ep)
		}
	}
}

func (w *world) doNoRead(a Action, ep *Endpoint) {
	w.hosts[a.Side].noread = true
	if ep != nil {
		ep.AutoRead = false
	}
}

func (w *world) doKeepalive(a Action, ep *Endpoint) {
	w.hosts[a.Side].ka = true
	if ep != nil {
		ep.Keepalive = true
		w.emit(ep, Event{Kind: EvApp, Detail: "keepalive", Note: "app.keepalive"})
		w.startKeepalive(ep)
	}
}

func (w *world) checkPowerOff(a Action, _ *Endpoint) (string, error) {
	if w.hosts[a.Side].down {
		return "err.host_down", nil
	}
	return "", nil
}

func (w *world) checkPowerOn(a Action, _ *Endpoint) (string, error) {
	if !w.hosts[a.Side].down {
		return "err.host_up", nil
	}
	return "", nil
}

// doPower is poweroff, poweron and reboot (off, then on at once).
func (w *world) doPower(a Action, _ *Endpoint) {
	if a.Kind != ActPowerOn {
		w.powerOff(a.Side)
	}
	if a.Kind != ActPowerOff {
		w.powerOn(a.Side)
	}
}

func (w *world) doRule(a Action, _ *Endpoint) { w.rules = append(w.rules, a.Rule) }

func (w *world) checkSet(a Action, _ *Endpoint) (string, error) {
	p := w.p
	if err := p.Set(a.Name, a.Value); err != nil {
		return "err.param", err
	}
	return "", nil
}

func (w *world) doSet(a Action, _ *Endpoint) {
	_ = w.p.Set(a.Name, a.Value) // checkSet accepted it
	if a.Name == "keepalive" {
		w.hosts[Client].ka = w.p.Keepalive
		if c := w.mainEp(Client); c != nil {
			c.Keepalive = w.p.Keepalive
			w.startKeepalive(c)
		}
	}
}

// mainEp is the endpoint shown in a side's column, if any.
func (w *world) mainEp(s Side) *Endpoint {
	if i := w.main[s]; i >= 0 && w.eps[i].live {
		return &w.eps[i]
	}
	return nil
}

// flight finds segment id in flight.
func (w *world) flight(id int) (int, bool) {
	for i := range w.flights {
		if w.flights[i].live && w.flights[i].Seg.ID == id {
			return i, true
		}
	}
	return 0, false
}

// checkFault judges drop, delay and duplicate: the segment must be in
// flight, and still on its way for a drop or a delay.
func (w *world) checkFault(a Action, _ *Endpoint) (string, error) {
	i, ok := w.flight(a.N)
	if !ok {
		return "err.no_such_segment", nil
	}
	if a.Kind != ActDuplicate && (w.flights[i].Fate != Arrives || a.Kind == ActDelay && a.Dur <= 0) {
		return "err.seg_lost_already", nil
	}
	return "", nil
}

func (w *world) doFault(a Action, _ *Endpoint) {
	i, _ := w.flight(a.N)
	fs := &w.flights[i]
	switch a.Kind {
	case ActDrop:
		fs.Fate = Lost
		fs.EndAt = w.now
	case ActDelay:
		fs.Delayed += a.Dur
		fs.ArriveAt += a.Dur
		fs.EndAt = fs.ArriveAt
		if fs.ArriveAt-fs.SentAt > w.p.Lifetime() {
			fs.Fate = Expires
			fs.EndAt = fs.SentAt + w.p.Lifetime()
		}
	case ActDuplicate:
		w.launch(Flight{Seg: fs.Seg, SentAt: w.now, ArriveAt: max(fs.ArriveAt, w.now) + w.p.Delay/2 + time.Millisecond, Dup: true})
		return
	}
	fs.gen++
	w.push(qitem{at: fs.EndAt, kind: qFlight, a: int32(i), gen: fs.gen})
}
