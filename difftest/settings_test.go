package difftest

// gvisorLike are the engine settings that make it behave like gVisor's
// netstack where SPEC.md section 9 says the two real stacks differ and the
// engine has a knob for it:
//   - delayed_ack=0: gVisor ACKs a FIN at once, so a close is always four
//     segments;
//   - orphan_retries=15, retries2=15: gVisor gives up after tcp.MaxRetries
//     (15) retransmissions, orphan or not.
//
// Everything else (TIME-WAIT 60 s, fin_timeout 60 s, RTO min 200 ms, max
// 120 s, keepalive settings) already matches, or the harness sets gVisor's
// socket options to the engine's values.
var gvisorLike = []string{"delayed_ack=0", "orphan_retries=15", "retries2=15"}
