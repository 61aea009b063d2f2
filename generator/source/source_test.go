package source

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestRule protects what is a source: editor and system files never are, and only
// _index.md of the underscore names is published.
func TestRule(t *testing.T) {
	for name, want := range map[string]bool{
		"terms.md": true, "_index.md": true, "logo.png": true, "alidropship": true,
		".terms.md.swp": false, ".#terms.md": false, "#terms.md#": false, "terms.md~": false,
		".git": false, ".DS_Store": false, "4913": false, "node_modules": false,
		"_site.yaml": false, "_editions": false, "_drafts": false,
	} {
		if got := Published(name); got != want {
			t.Errorf("Published(%q) = %v; want %v", name, got, want)
		}
	}
	for _, name := range []string{"_site.yaml", "_editions", "terms.md"} {
		if Scratch(name) {
			t.Errorf("Scratch(%q): the site's own files are never scratch", name)
		}
	}
}

// noStat is a file system whose files do not know their size, as a pipe or some network
// file systems: ReadFile must find the limit by reading.
type noStat struct{ fs.FS }

type noStatFile struct{ fs.File }

func (f noStatFile) Stat() (fs.FileInfo, error) { return nil, errors.New("no stat") }

func (n noStat) Open(name string) (fs.File, error) {
	f, err := n.FS.Open(name)
	return noStatFile{f}, err
}

func TestReadFile(t *testing.T) {
	big := strings.Repeat("x", 5000)
	mfs := fstest.MapFS{"empty": {}, "big": {Data: []byte(big)}}
	for _, fsys := range []fs.FS{mfs, noStat{mfs}} {
		for _, tc := range []struct {
			name  string
			limit int64
			want  string
			err   bool
		}{{"empty", 10, "", false}, {"big", 5000, big, false}, {"big", 4999, "", true}, {"big", 100, "", true}} {
			got, err := ReadFile(fsys, tc.name, tc.limit)
			var tooBig *TooBig
			if string(got) != tc.want || tc.err != errors.As(err, &tooBig) {
				t.Errorf("%T: ReadFile(%s, limit %d) = %d bytes, %v", fsys, tc.name, tc.limit, len(got), err)
			}
		}
	}
}
