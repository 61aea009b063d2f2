package output

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree reads every file below dir as slash path -> content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == Marker {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// entries lists the names in dir, to see leftover temporary folders.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func files(kv ...string) map[string][]byte {
	m := map[string][]byte{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = []byte(kv[i+1])
	}
	return m
}

// TestWriteCreates protects a first build: the folder and its parents are made, nested
// files land at their slash paths, and nothing but the folder is left beside it.
func TestWriteCreates(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site", "public")
	if err := Write(dir, files("index.html", "home", "a/b/index.html", "deep", "assets/site.css", "css")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "home", "a/b/index.html": "deep", "assets/site.css": "css"}
	if got := tree(t, dir); !maps.Equal(got, want) {
		t.Errorf("files = %v; want %v", got, want)
	}
	if got := entries(t, filepath.Join(parent, "site")); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: %v; want only public (no temporary folders)", got)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("output folder mode = %v, %v; want 0755 so a web server can read it", fi.Mode().Perm(), err)
	}
}

// TestWriteReplaces protects rebuilds: the folder then holds exactly the new files; files
// of the old build that the new one does not produce (a deleted page) are gone.
func TestWriteReplaces(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	if err := Write(dir, files("index.html", "old", "gone/index.html", "stale", "keep.txt", "same")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "by-hand.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, files("index.html", "new", "keep.txt", "same", "added/index.html", "added")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "new", "keep.txt": "same", "added/index.html": "added"}
	if got := tree(t, dir); !maps.Equal(got, want) {
		t.Errorf("files = %v; want %v", got, want)
	}
	if got := entries(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: %v; want only public (no temporary or old folders)", got)
	}
}

// TestWriteFailureKeepsOld protects the atomic promise: when a write fails, the previous
// output is left as it was, and no temporary folder is left behind.
func TestWriteFailureKeepsOld(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	old := files("index.html", "old", "a/index.html", "old a")
	if err := Write(dir, old); err != nil {
		t.Fatal(err)
	}
	// "a" cannot be both a file and a folder: whichever is written second fails.
	if err := Write(dir, files("index.html", "new", "a", "file", "a/index.html", "new a")); err == nil {
		t.Fatal("Write succeeded; want an error for a path that is both a file and a folder")
	}
	want := map[string]string{"index.html": "old", "a/index.html": "old a"}
	if got := tree(t, dir); !maps.Equal(got, want) {
		t.Errorf("after a failed write, files = %v; want the old %v", got, want)
	}
	if got := entries(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: %v; want only public (no temporary folders)", got)
	}
}

// TestWriteEmpty protects an empty site: the folder exists and is empty.
func TestWriteEmpty(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(dir, files("x.html", "x")); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, nil); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, dir); len(got) != 0 {
		t.Errorf("files = %v; want none", got)
	}
}

// TestRebuildWritesOnlyChanges protects rebuilds from rewriting a whole site for a small
// edit: with the manifest of the last build, a file whose bytes are unchanged is kept (the
// same inode, the same time), a changed one is written, one the build no longer makes is
// removed, and the folder then holds exactly the new files.
func TestRebuildWritesOnlyChanges(t *testing.T) {
	parent := t.TempDir()
	dir, manifest := filepath.Join(parent, "public"), filepath.Join(parent, "cache", "manifest")
	build := func(fs map[string][]byte) *Dir {
		t.Helper()
		d, err := Open(dir, manifest)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range slices.Sorted(maps.Keys(fs)) {
			if !d.Has(name, sha256.Sum256(fs[name])) {
				if err := d.Write(name, fs[name], sha256.Sum256(fs[name])); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return d
	}
	build(files("a/index.html", "same", "b/index.html", "old", "gone/index.html", "x", "page", "a page"))
	before, err := os.Stat(filepath.Join(dir, "a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	d := build(files("a/index.html", "same", "b/index.html", "new!", "c.txt", "c", "page/index.html", "now a section"))
	if w, k := d.Counts(); w != 3 || k != 1 {
		t.Errorf("written, kept = %d, %d; want 3, 1", w, k)
	}
	after, err := os.Stat(filepath.Join(dir, "a/index.html"))
	if err != nil || !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Error("an unchanged file was written again")
	}
	want := map[string]string{"a/index.html": "same", "b/index.html": "new!", "c.txt": "c", "page/index.html": "now a section"}
	if got := tree(t, dir); !maps.Equal(got, want) {
		t.Errorf("after the rebuild: %v; want %v", got, want)
	}
	if got := entries(t, parent); !slices.Equal(got, []string{"cache", "public"}) { // the manifest and lock are in cache
		t.Errorf("beside the output: %v; want no staging folder", got)
	}

	// An edit by hand, of the same size, is noticed: the file is written again.
	if err := os.WriteFile(filepath.Join(dir, "a/index.html"), []byte("SAME"), 0o644); err != nil {
		t.Fatal(err)
	}
	build(want2map(want))
	if got := tree(t, dir); !maps.Equal(got, want) {
		t.Errorf("after an edit by hand and a rebuild: %v; want %v", got, want)
	}

	// Without a manifest (a commit cut short deletes it first), nothing is trusted.
	if err := os.Remove(manifest); err != nil {
		t.Fatal(err)
	}
	if d := build(want2map(want)); d.prev != nil {
		t.Error("a folder without a manifest was trusted")
	} else if w, k := d.Counts(); w != 4 || k != 0 {
		t.Errorf("without a manifest: written, kept = %d, %d; want 4, 0", w, k)
	}
}

func want2map(m map[string]string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out
}

// TestFailedBuildKeepsOld protects the promise that a failed build changes nothing: files
// were staged, then Discard; the folder is as it was and no staging folder is left.
func TestFailedBuildKeepsOld(t *testing.T) {
	parent := t.TempDir()
	dir, manifest := filepath.Join(parent, "public"), filepath.Join(t.TempDir(), "manifest")
	if err := Write(dir, files("index.html", "old")); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, manifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Write("index.html", []byte("new"), sha256.Sum256([]byte("new"))); err != nil {
		t.Fatal(err)
	}
	d.Discard()
	if got := tree(t, dir); !maps.Equal(got, map[string]string{"index.html": "old"}) {
		t.Errorf("after a discarded build: %v", got)
	}
	if got := entries(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: %v; want only public", got)
	}
}

// TestReadOnlyFolder protects a read-only output from a half-done commit: a folder that
// cannot be written is reported before anything is changed, and the message says so.
func TestReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only folders: run as another user to test this")
	}
	parent := t.TempDir()
	dir, manifest := filepath.Join(parent, "public"), filepath.Join(t.TempDir(), "manifest")
	put := func(fs map[string][]byte) error {
		d, err := Open(dir, manifest)
		if err != nil {
			return err
		}
		defer d.Discard()
		for _, name := range slices.Sorted(maps.Keys(fs)) {
			if !d.Has(name, sha256.Sum256(fs[name])) {
				if err := d.Write(name, fs[name], sha256.Sum256(fs[name])); err != nil {
					return err
				}
			}
		}
		return d.Commit()
	}
	if err := put(files("a/index.html", "a", "b/index.html", "b")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "b"), 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(filepath.Join(dir, "b"), 0o755)
	err := put(files("a/index.html", "A", "b/index.html", "B"))
	if err == nil || !strings.Contains(err.Error(), "cannot be written") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("commit into a read-only folder: %v", err)
	}
	if got := tree(t, dir); !maps.Equal(got, map[string]string{"a/index.html": "a", "b/index.html": "b"}) {
		t.Errorf("after a refused commit: %v", got)
	}
}

// TestForeignFolder protects folders the generator did not make: Open refuses one with
// files and no marker, and accepts an empty one or its own.
func TestForeignFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "theirs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, "") // empty: fine
	if err != nil {
		t.Fatalf("an empty folder was refused: %v", err)
	}
	d.Discard()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	var notOurs *NotOurs
	if _, err := Open(dir, ""); !errors.As(err, &notOurs) {
		t.Fatalf("a folder with someone's files: %v; want NotOurs", err)
	}
	mine := filepath.Join(t.TempDir(), "public")
	if err := Write(mine, files("index.html", "x")); err != nil {
		t.Fatal(err)
	}
	if err := Write(mine, files("index.html", "y")); err != nil {
		t.Errorf("the generator's own folder was refused: %v", err)
	}
}
