// Package kernel checks finwait's engine against the real Linux kernel.
//
// Compare runs a loss-free scenario (close, server-close,
// three-segment-close, half-close, fin-wait-2-timeout, abort, abort-linger,
// keepalive-alive) with real sockets on 127.0.0.1, samples the kernel's
// view of both ends from /proc/net/tcp while it runs, runs the same
// scenario in the engine (linux profile, with the per-socket options
// expressed as engine settings) and lines the two up: per side the
// sequence of states with the timers seen in each, and a list of checks
// (who ends in TIME-WAIT, that the passive closer never has TIME-WAIT, the
// 60 s TIME-WAIT timer, the orphaned FIN-WAIT-2 lifetime, ...).
//
// The kernel is sampled, not traced: a state that lasts less than a
// sampling interval (LAST-ACK on loopback lasts microseconds) can be
// missed. A comparison therefore requires the kernel's states to be a
// subsequence of the engine's, the final states to agree and each
// scenario's key states to be seen; it never requires every transient
// state. TIME-WAIT is never waited out: its timer is read from /proc and
// the end is projected from it.
//
// Sysctls reads this machine's net.ipv4 settings next to the linux
// profile's defaults, CountTimeWait counts the machine's TIME-WAIT sockets
// and WriteReport prints a Report as text in English or Chinese. On other
// systems Compare and CountTimeWait return ErrNotLinux.
package kernel
