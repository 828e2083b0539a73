package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"finwait/kernel"
)

// runKernel is `finwait kernel [SCENARIO|all]`: a real close on loopback
// next to the engine's, this machine's net.ipv4 settings and its TIME-WAIT
// count. Exit 0 when the engine agrees with the kernel, 1 when a check
// differs or the kernel cannot be used, 2 for bad arguments.
func runKernel(e *env) int {
	f, cat, stdout, stderr := e.f, e.cat, e.stdout, e.stderr
	if len(f.rest) > 1 {
		return fail(stderr, f.lang, errors.New(cat.T("cli.err.kernel_args", "list", strings.Join(kernel.Scenarios(), ", "))))
	}
	names := []string{"close"}
	if len(f.rest) == 1 {
		names = []string{f.rest[0]}
		if f.rest[0] == "all" {
			names = kernel.Scenarios()
		}
	}
	for _, name := range names {
		if !slices.Contains(kernel.Scenarios(), name) {
			return fail(stderr, f.lang, errors.New(cat.T("kernel.err.unknown_scenario",
				"name", name, "list", strings.Join(kernel.Scenarios(), ", "))))
		}
	}
	code := exitOK
	for i, name := range names {
		r, err := kernel.Compare(name)
		if err != nil {
			var ke *kernel.Error
			if errors.As(err, &ke) {
				fmt.Fprintln(stderr, cat.T("cli.error", "err", ke.Text(f.lang)))
			} else {
				fmt.Fprintln(stderr, cat.T("cli.error", "err", err))
			}
			return exitError
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		kernel.WriteReport(stdout, r, nil, -1, f.lang)
		if !r.OK() {
			code = exitError
		}
	}
	fmt.Fprintln(stdout)
	tw, err := kernel.CountTimeWait()
	if err != nil {
		tw = -1
	}
	kernel.WriteReport(stdout, nil, kernel.Sysctls(), tw, f.lang)
	return code
}
