//go:build !unix

package lessons

// lockExclusive: without flock(2) (Windows, Plan 9, wasm), saves are not
// locked against each other. Each still reads and merges what is on the
// disk just before it writes, so two processes lose progress only when
// their saves overlap within milliseconds.
const lockExclusive = false

func lockProgress(string) (func(), error) { return func() {}, nil }

// syncDir: directories cannot be flushed here; the rename is what the
// system makes of it.
func syncDir(string) error { return nil }
