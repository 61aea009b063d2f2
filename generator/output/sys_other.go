//go:build !linux

package output

import (
	"errors"
	"io/fs"
	"os"
)

// exchange is unsupported here: swap moves the old folder aside instead.
func exchange(a, b string) error { return errors.ErrUnsupported }

// writable reports whether the folder's owner may write it (the best this can tell).
func writable(_ string, fi fs.FileInfo) bool { return fi.Mode().Perm()&0o200 != 0 }

// lock does nothing here: builds into one folder must not run at once.
func lock(string) (func(), error) { return func() {}, nil }

func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
