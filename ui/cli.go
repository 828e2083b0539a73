// Package ui is finwait's user interface: the command line and the
// Bubble Tea program.
package ui

const usage = `finwait: watch, step and break how a TCP connection ends.

Usage:
  finwait                          open the interactive view (not yet available: prints this)
  finwait scenarios                list the built-in scenarios
  finwait trace SCENARIO|FILE.scn  run a scenario headless and print its trace
      --json                       one JSON object per event
      --set name=value             change a setting (repeatable; see finwait params)
      --drop SIDE:N | SIDE:FLAG:N  drop the Nth segment a side sends (FLAG: SYN FIN RST DATA ACK;
                                   N may be a list 1,3 or a range 1-5; repeatable)
      --lang en|zh                 language of the explanations
  finwait params                   list every setting with its default and allowed range
`
