package output

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps two folders in one atomic step (renameat2 with RENAME_EXCHANGE).
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}

// writable reports whether this process may create and remove files in dir.
func writable(dir string, _ fs.FileInfo) bool { return unix.Access(dir, unix.W_OK) == nil }

// lock takes the lock file's exclusive lock, waiting for another build to finish.
func lock(file string) (unlock func(), err error) {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
