// Command finwait teaches how a TCP connection ends: run it for the
// interactive view, or see ui/cli.go for the subcommands.
package main

import (
	"os"

	"finwait/serve"
	"finwait/ui"
)

func main() {
	// serve lives outside ui (it imports ui), so it is wired here.
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(serve.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(ui.Run(os.Args[1:], os.Stdout, os.Stderr))
}
