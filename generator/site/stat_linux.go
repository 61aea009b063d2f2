package site

import (
	"fmt"
	"io/fs"
	"syscall"
)

// statStamp is what the file system says of a file beyond its size and time: its inode
// and change time, which no editor or copy preserves (see read.go).
func statStamp(fi fs.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprint(st.Dev, st.Ino, st.Ctim.Nano())
	}
	return ""
}
