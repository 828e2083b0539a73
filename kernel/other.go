//go:build !linux

package kernel

// Compare needs the Linux kernel: elsewhere it returns ErrNotLinux.
func Compare(scenario string) (*Report, error) { return nil, ErrNotLinux }

// Sysctls lists the linux profile's values; Value stays empty and Err is
// ErrNotLinux, since there is no /proc/sys/net/ipv4 to read.
func Sysctls() []Sysctl {
	out := profileSysctls()
	for i := range out {
		out[i].Err = ErrNotLinux
	}
	return out
}

// CountTimeWait needs /proc/net/tcp: elsewhere it returns ErrNotLinux.
func CountTimeWait() (int, error) { return 0, ErrNotLinux }
