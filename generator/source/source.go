// Package source is the one rule for which files of a site are its sources: what the build
// reads, the live preview watches and version cut freezes and hashes. Editors, tools and
// the system leave files beside the sources (vim's .x.swp, emacs's #x#, backups x~, .git,
// .DS_Store); none of them is ever read, published, watched or frozen into an edition.
package source

import (
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

// Scratch reports whether a file or folder name belongs to an editor, a tool or the
// system, never to the site: hidden names (.git, .DS_Store, vim's .x.swp, emacs's .#x lock),
// backups (x~), emacs's autosaves (#x#), vim's write test (4913) and node_modules.
func Scratch(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") ||
		name == "4913" || name == "node_modules"
}

// Published reports whether a file or folder name inside a content tree is published, as a
// page or a file: it is not scratch, and does not start with _ (the site settings, the
// editions, anything set aside), except _index.md, a section's own page.
func Published(name string) bool {
	return !Scratch(name) && (!strings.HasPrefix(name, "_") || name == "_index.md")
}

// ReadFile reads a source file of at most limit bytes. A larger file is a *TooBig error,
// found from its size before it is read, or after limit bytes when it grows meanwhile: no
// input can make a build hold more than its limits.
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(512)
	if fi, err := f.Stat(); err == nil {
		if fi.Size() > limit {
			return nil, &TooBig{Size: fi.Size(), Limit: limit}
		}
		size = fi.Size() + 1 // one read to the end and one to see it, as os.ReadFile does
	}
	data := make([]byte, 0, size)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			return nil, &TooBig{Limit: limit}
		}
		if err == io.EOF {
			return data, nil
		} else if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// TooBig is the error of a file above its size limit; Size is 0 when unknown.
type TooBig struct{ Size, Limit int64 }

func (e *TooBig) Error() string {
	mb := func(n int64, prec int) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', prec, 64) }
	if e.Size > 0 {
		return fmt.Sprintf("the file is %s MB, above the limit of %s MB for one file", mb(e.Size, 1), mb(e.Limit, -1))
	}
	return fmt.Sprintf("the file is larger than the limit of %s MB for one file", mb(e.Limit, -1))
}
