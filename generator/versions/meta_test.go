package versions

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMetaErrors protects the positions and words of edition.yaml problems, read from
// real files: each at its own line and column, with the fix.
func TestMetaErrors(t *testing.T) {
	for _, tc := range []struct{ meta, want string }{
		{"label: Terms: 2026\neffective: 2026-01-01\n", `content/_editions/e1/edition.yaml:1:8: the value contains a colon, which YAML reads as the start of another key: put the whole value in quotes: label: "Terms: 2026"`},
		{"label: \"Jan\neffective: 2026-01-01\n", `content/_editions/e1/edition.yaml:1:8: this value opens a quote (") that is never closed: add the closing " at the end of the value`},
		{"label: Jan\n\teffective: 2026-01-01\n", `content/_editions/e1/edition.yaml:2:1: a tab character: YAML indents with spaces only; replace the tab with spaces`},
		{"label: null\neffective: 2026-01-01\n", `content/_editions/e1/edition.yaml:1:8: label is empty: write the text after label: (or remove the line)`},
		{"label: Jan\neffective: 2026-01-01\npublished: last week\n", `content/_editions/e1/edition.yaml:3:12: published must be a date written YYYY-MM-DD, not "last week"`},
		{"label: Jan\neffective: 2026-01-01\nhash: abc\nfiles: none\n", `content/_editions/e1/edition.yaml:4:8: files must list each file of the edition with its hash (path: hash), as generator version cut writes it`},
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, "content", "_editions", "e1")
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, MetaFile), []byte(tc.meta), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errs := Load(os.DirFS(dir), "content", day("2026-06-01"))
		if len(errs) != 1 || errs[0].Error() != tc.want {
			t.Errorf("%q:\n got  %v\n want %s", tc.meta, errs, tc.want)
		}
	}
}

// TestCutRecords protects the evidence: a cut edition's metadata records its hash and each
// file's, and loads as recorded with the same hash.
func TestCutRecords(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"content/_index.md": "home", "content/a-b/x.md": "x", "content/a/y.md": "y", "content/a.md": "a"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	files, err := Cut(os.DirFS(dir), "content", "e1", "One: \"first\"", "2026-01-01", "2025-12-15")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eds, errs := Load(os.DirFS(dir), "content", day("2026-06-01"))
	if len(errs) != 0 || len(eds) != 1 || !eds[0].Recorded || eds[0].Label != `One: "first"` || eds[0].Published != "2025-12-15" {
		t.Fatalf("load: %v %+v", errs, eds)
	}
	meta := string(files["content/_editions/e1/edition.yaml"])
	if !strings.Contains(meta, "hash: "+eds[0].Hash+"\n") {
		t.Errorf("metadata does not record the hash %s:\n%s", eds[0].Hash, meta)
	}
	var names []string
	for _, f := range eds[0].Pages {
		names = append(names, f.Source)
		if !strings.Contains(meta, "  \""+f.Source+"\": "+f.Hash+"\n") {
			t.Errorf("metadata does not record %s", f.Source)
		}
	}
	if want := []string{"_index.md", "a/y.md", "a-b/x.md", "a.md"}; !slices.Equal(names, want) {
		t.Errorf("files %v, want %v (the walk's order)", names, want)
	}
	if _, err := Record(os.DirFS(dir), "content", "e1"); err == nil || !strings.Contains(err.Error(), "already records") {
		t.Errorf("record twice: %v", err)
	}
}

// TestSchedule protects what the build command says after a build (which edition takes
// effect next): Schedule reads the dates and statuses from edition.yaml alone, as Load
// does, without hashing any file.
func TestSchedule(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"content/_editions/b/edition.yaml": "label: B\neffective: 2027-01-01\npublished: 2026-12-02\n",
		"content/_editions/a/edition.yaml": "effective: 2026-11-01\n",
		"content/_editions/a/page.md":      "a",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	var got []string
	for _, e := range Schedule(os.DirFS(dir), "content", day("2026-12-10")) {
		got = append(got, e.ID+" "+e.Label+" "+e.Effective+" "+e.Published+" "+e.Status+" "+e.Hash)
	}
	if want := []string{"a a 2026-11-01  current ", "b B 2027-01-01 2026-12-02 upcoming "}; !slices.Equal(got, want) {
		t.Errorf("schedule:\n%q\nwant\n%q", got, want)
	}
}
