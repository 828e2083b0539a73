// Package difftest holds differential tests that run finwait's engine
// (package model) and gVisor's netstack side by side through the same
// teardown scenarios and compare the TCP states, the segments on the wire
// and the timer outcomes (SPEC.md section 9).
//
// Only _test.go files import gVisor, so it is never linked into the
// finwait binary.
package difftest
