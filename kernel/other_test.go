//go:build !linux

package kernel

import (
	"errors"
	"testing"
)

func TestNotLinux(t *testing.T) {
	if _, err := Compare("close"); !errors.Is(err, ErrNotLinux) {
		t.Errorf("Compare = %v, want ErrNotLinux", err)
	}
	if _, err := CountTimeWait(); !errors.Is(err, ErrNotLinux) {
		t.Errorf("CountTimeWait = %v, want ErrNotLinux", err)
	}
	for _, s := range Sysctls() {
		if !errors.Is(s.Err, ErrNotLinux) {
			t.Errorf("%s: Err = %v, want ErrNotLinux", s.Name, s.Err)
		}
	}
}
