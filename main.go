// Command finwait teaches how a TCP connection ends: run it for the
// interactive view, or see package cli for the subcommands.
package main

import (
	"os"

	"finwait/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
