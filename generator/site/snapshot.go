package site

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// snapshot is a source file system remembered between builds: each file is read, each
// folder listed and each name looked up once, until forget says it changed. A Memo puts
// one in front of the source, so a rebuild reads only the files the watcher named.
type snapshot struct {
	base fs.FS

	mu      sync.Mutex
	entries map[string]*snapEntry
}

type snapEntry struct {
	info    fs.FileInfo // nil until looked up
	statErr error
	data    []byte // a regular file's bytes, once read
	readErr error
	read    bool
	list    []fs.DirEntry // a folder's entries, once listed
	listErr error
	listed  bool
}

func newSnapshot(base fs.FS) *snapshot {
	return &snapshot{base: base, entries: map[string]*snapEntry{}}
}

// forget drops what the snapshot knows of name, of everything below it, and the listing
// of its folder (name may have come or gone), and forgets that folders above it were
// missing. "." forgets everything. A folder that came or went must be named itself (as
// fsnotify does): forgetting a file in it is not enough.
func (sn *snapshot) forget(name string) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	name = path.Clean(name)
	if name == "." || name == "/" || strings.HasPrefix(name, "../") || name == ".." {
		clear(sn.entries)
		return
	}
	delete(sn.entries, name)
	prefix := name + "/"
	for k := range sn.entries {
		if strings.HasPrefix(k, prefix) {
			delete(sn.entries, k)
		}
	}
	// Its folder's listing changed; and a folder above that was missing may exist now.
	for dir := path.Dir(name); ; dir = path.Dir(dir) {
		e := sn.entries[dir]
		if e != nil && (e.statErr != nil || e.listErr != nil || e.readErr != nil) {
			delete(sn.entries, dir)
		} else if e != nil {
			e.list, e.listErr, e.listed = nil, nil, false
			break
		}
		if dir == "." {
			break
		}
	}
}

func (sn *snapshot) entry(name string) *snapEntry {
	e := sn.entries[name]
	if e == nil {
		e = &snapEntry{}
		sn.entries[name] = e
	}
	return e
}

func (sn *snapshot) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	sn.mu.Lock()
	if e := sn.entries[name]; e != nil && (e.info != nil || e.statErr != nil) {
		sn.mu.Unlock()
		return e.info, e.statErr
	}
	sn.mu.Unlock()
	info, err := fs.Stat(sn.base, name)
	sn.mu.Lock()
	e := sn.entry(name)
	e.info, e.statErr = info, err
	sn.mu.Unlock()
	return info, err
}

// ReadFile returns a copy of the file's bytes, as fs.ReadFileFS asks.
func (sn *snapshot) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	sn.mu.Lock()
	if e := sn.entries[name]; e != nil && e.read {
		data, err := bytes.Clone(e.data), e.readErr
		sn.mu.Unlock()
		return data, err
	}
	sn.mu.Unlock()
	data, err := fs.ReadFile(sn.base, name)
	sn.mu.Lock()
	e := sn.entry(name)
	e.data, e.readErr, e.read = data, err, true
	sn.mu.Unlock()
	return bytes.Clone(data), err
}

func (sn *snapshot) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	sn.mu.Lock()
	if e := sn.entries[name]; e != nil && e.listed {
		list, err := slices.Clone(e.list), e.listErr
		sn.mu.Unlock()
		return list, err
	}
	sn.mu.Unlock()
	list, err := fs.ReadDir(sn.base, name)
	sn.mu.Lock()
	e := sn.entry(name)
	e.list, e.listErr, e.listed = list, err, true
	sn.mu.Unlock()
	return slices.Clone(list), err
}

// Open serves files and folders from the snapshot too, for callers such as fs.Sub.
func (sn *snapshot) Open(name string) (fs.File, error) {
	info, err := sn.Stat(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPathError(err)}
	}
	if info.IsDir() {
		list, err := sn.ReadDir(name)
		if err != nil {
			return nil, err
		}
		return &snapDir{info: info, list: list}, nil
	}
	data, err := sn.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return &snapFile{info: info, Reader: bytes.NewReader(data)}, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

type snapFile struct {
	info fs.FileInfo
	*bytes.Reader
}

func (f *snapFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *snapFile) Close() error               { return nil }

type snapDir struct {
	info fs.FileInfo
	list []fs.DirEntry
	off  int
}

func (d *snapDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *snapDir) Close() error               { return nil }
func (d *snapDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: fs.ErrInvalid}
}

func (d *snapDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.list[d.off:]
	if n <= 0 {
		d.off = len(d.list)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}
