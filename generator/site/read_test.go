package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"affdocs/generator/store"
)

// countingFS counts the Markdown files a build opens.
type countingFS struct {
	fs.FS
	opened atomic.Int64
}

func (c *countingFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".md") {
		c.opened.Add(1)
	}
	return c.FS.Open(name)
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(c.FS, name) }

// TestReadStage protects rebuilds from reading every file, and from missing an edit: a
// file whose stat is unchanged and settled is not opened again (its hash and front matter
// come from the store), while an edited one is read, once, even an edit of the same size
// that puts the old modification time back (its change time tells).
func TestReadStage(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name, text string, mtime time.Time) {
		p := filepath.Join(dir, "content", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "---\ntitle: A\n---\n\nAlpha.\n", old)
	write("b.md", "---\ntitle: B\nparams: {x: 1}\n---\n\nBeta.\n", old)
	fsys := &countingFS{FS: os.DirFS(dir)}
	st := store.Memory()
	var last map[string][]byte
	build := func() int64 {
		t.Helper()
		fsys.opened.Store(0)
		out := &MemOutput{Prev: last}
		if _, err := Build(fsys, Options{Store: st, Salt: "t", Output: out, NoMinify: true}); err != nil {
			t.Fatal(err)
		}
		clean, err := Build(os.DirFS(dir), Options{NoMinify: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := out.Files["a/index.html"], clean.Files["a/index.html"]; string(got) != string(want) {
			t.Errorf("a/index.html differs from a clean build's:\n%s\nwant:\n%s", got, want)
		}
		last = out.Files
		return fsys.opened.Load()
	}
	if n := build(); n != 2 { // each file once: its front matter, and its body kept for conversion
		t.Errorf("first build opened %d Markdown files; want 2", n)
	}
	if n := build(); n != 0 {
		t.Errorf("a build with nothing changed opened %d Markdown files; want 0", n)
	}
	write("a.md", "---\ntitle: A\n---\n\nAlphA.\n", time.Now())
	if n := build(); n != 1 {
		t.Errorf("after an edit, the build opened %d Markdown files; want 1 (a.md)", n)
	}
	if runtime.GOOS != "linux" {
		return
	}
	time.Sleep(10 * time.Millisecond)
	write("a.md", "---\ntitle: A\n---\n\nALPHA.\n", old) // same size, old time put back
	build()
	if !strings.Contains(string(last["a/index.html"]), "ALPHA.") {
		t.Error("an edit that kept the size and put the old time back was missed")
	}
}
