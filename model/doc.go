// Package model is finwait's TCP engine: both ends of a TCP connection (and
// hosts with thousands of connections) running in a deterministic
// discrete-event simulation with a virtual clock.
//
// The endpoints implement the connection state machine of RFC 9293 section
// 3.3.2 (Figure 5) and the SEGMENT ARRIVES processing of section 3.10.7,
// refined where Linux differs in ways a student can observe (delayed ACKs,
// tail-loss probes, orphan retry budgets, the FIN-WAIT-2 mini-socket,
// tcp_tw_reuse, keepalive). Every state change goes through one function,
// world.setState, which checks it against the transition table in
// transitions.go (read it with [Rule] and [Rules]) and records it in the
// trace, an endpoint's birth included: a scenario that starts established
// records each side's CLOSED → ESTABLISHED by row [RuleS]. A change the
// table does not allow is refused and reported by [Sim.Err].
//
// Actions (application calls, power, faults on segments in flight) are
// judged by one table in actions.go: [Sim.Apply] does an action or says
// why not, [Sim.Check] only says, and [Sim.Allowed] lists what a side may
// do now, for an interface to enable its keys.
//
// The package uses only the standard library, never reads the wall clock,
// starts no goroutines and draws randomness only from the run's seed, so the
// same scenario, settings and user actions always give the same trace.
package model
