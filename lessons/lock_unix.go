//go:build unix

package lessons

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockExclusive: lockProgress really keeps other processes out.
const lockExclusive = true

// lockWait is how long a save waits for another finwait's save to end.
const lockWait = 3 * time.Second

// lockProgress takes an exclusive flock(2) on the lock file at path
// (created 0600 and left in place: removing it would let two processes
// lock two different files). The lock is the open file's, so two Progress
// values in one process exclude each other too, and a process that dies
// releases it.
func lockProgress(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, ErrProgressLocked
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// syncDir flushes a directory's entries (the rename) to the disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) { // a file system that cannot sync directories
		err = nil
	}
	return err
}
