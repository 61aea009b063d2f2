// Package output writes a built site to disk atomically: everything is written into a
// temporary folder beside the target, which replaces the target only when all writes
// succeeded. A failed build or write leaves the previous site byte for byte.
//
// A build streams its files into a Staged folder as it makes them (so the site is never
// held in memory), then commits or discards it:
//
//	st, err := output.Stage("public")
//	defer st.Discard()               // a no-op after Commit
//	... st.Write(name, data) from any goroutine ...
//	err = st.Commit()
package output

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Staged is a new version of a folder being written beside it.
type Staged struct {
	dir, tmp string
	old      bool     // dir exists: a file written with its old bytes is linked, not copied
	made     sync.Map // folders already created
	done     bool
}

// Stage starts a new version of the folder dir (which need not exist).
func Stage(dir string) (*Staged, error) {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	_, err = os.Stat(dir)
	return &Staged{dir: dir, tmp: tmp, old: err == nil}, nil
}

// Write writes one file, name being a slash path relative to the folder. It is safe for
// concurrent use. A file whose bytes are those of the same file in the old folder is a hard
// link to it: a rebuild after a small edit then writes, and later frees, almost no data.
func (s *Staged) Write(name string, data []byte) error {
	rel := filepath.FromSlash(name)
	p := filepath.Join(s.tmp, rel)
	if d := filepath.Dir(p); d != s.tmp {
		if _, ok := s.made.Load(d); !ok {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			s.made.Store(d, true)
		}
	}
	if s.old {
		old := filepath.Join(s.dir, rel)
		if same(old, data) && os.Link(old, p) == nil {
			return nil
		}
	}
	return os.WriteFile(p, data, 0o644)
}

// same reports whether the regular file at path holds exactly data.
func same(path string, data []byte) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	buf := make([]byte, len(data)+1) // one more: a file that grew meanwhile is not the same
	n, _ := io.ReadFull(f, buf)
	return n == len(data) && bytes.Equal(buf[:n], data)
}

// Commit replaces the folder with what was written: the old folder is moved aside, the new
// one moved in, then the old one deleted.
func (s *Staged) Commit() error {
	s.done = true
	old := ""
	if _, err := os.Stat(s.dir); err == nil {
		old = s.tmp + ".old"
		if err := os.Rename(s.dir, old); err != nil {
			os.RemoveAll(s.tmp)
			return fmt.Errorf("move old %s aside: %w", s.dir, err)
		}
	}
	if err := os.Rename(s.tmp, s.dir); err != nil {
		if old != "" {
			_ = os.Rename(old, s.dir)
		}
		os.RemoveAll(s.tmp)
		return fmt.Errorf("swap in new %s: %w", s.dir, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Discard deletes what was written, leaving the folder as it was. After Commit it does
// nothing.
func (s *Staged) Discard() {
	if !s.done {
		s.done = true
		os.RemoveAll(s.tmp)
	}
}

// Write replaces the folder dir with exactly files (slash paths relative to dir).
func Write(dir string, files map[string][]byte) error {
	s, err := Stage(dir)
	if err != nil {
		return err
	}
	defer s.Discard()
	for name, data := range files {
		if err := s.Write(name, data); err != nil {
			return err
		}
	}
	return s.Commit()
}
