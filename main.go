// Command finwait teaches how a TCP connection ends: run it for the
// interactive view, or see ui/cli.go for the subcommands.
package main

import (
	"os"

	"finwait/ui"
)

func main() {
	os.Exit(ui.Run(os.Args[1:], os.Stdout, os.Stderr))
}
