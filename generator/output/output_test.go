package output

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// tree reads every file below dir as slash path -> content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
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

// TestStageLinksUnchanged protects rebuilds from rewriting a whole site for a small edit: a
// file written with the bytes it already had is a hard link to the old file, a changed one
// is written anew, and after the swap the folder holds exactly the new files.
func TestStageLinksUnchanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(dir, files("a/index.html", "same", "b/index.html", "old", "gone.txt", "x")); err != nil {
		t.Fatal(err)
	}
	st, err := Stage(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files("a/index.html", "same", "b/index.html", "new!", "c.txt", "c") {
		if err := st.Write(name, data); err != nil {
			t.Fatal(err)
		}
	}
	linked := func(name string) bool {
		a, err1 := os.Stat(filepath.Join(dir, name))
		b, err2 := os.Stat(filepath.Join(st.tmp, name))
		return err1 == nil && err2 == nil && os.SameFile(a, b)
	}
	if !linked("a/index.html") {
		t.Error("an unchanged file was copied, not linked")
	}
	if linked("b/index.html") {
		t.Error("a changed file was linked to its old version")
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a/index.html": "same", "b/index.html": "new!", "c.txt": "c"}
	if got := tree(t, dir); !maps.Equal(got, want) {
		t.Errorf("after the swap: %v; want %v", got, want)
	}
}
