//go:build !linux

package site

import "io/fs"

// statStamp is what the file system says of a file beyond its size and time (see
// stat_linux.go); elsewhere, nothing.
func statStamp(fs.FileInfo) string { return "" }
