//go:build !windows

package store

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive, non-blocking lock on f (flock).
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// allocated is the disk space a file takes: at most what its blocks hold
// (Badger preallocates its files).
func allocated(info os.FileInfo) int64 {
	n := info.Size()
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		n = min(n, st.Blocks*512)
	}
	return n
}
