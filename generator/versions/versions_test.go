package versions

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// TestStatus protects which edition readers see: the newest in effect is current.
func TestStatus(t *testing.T) {
	for _, tt := range []struct {
		today string
		want  string
	}{
		{"2026-03-01", "current upcoming upcoming"}, // nothing in effect yet: the earliest is current
		{"2026-04-01", "current upcoming upcoming"},
		{"2026-06-30", "archived current upcoming"},
		{"2027-01-01", "archived archived current"},
	} {
		eds := []*Edition{{Effective: "2026-04-01"}, {Effective: "2026-06-01"}, {Effective: "2027-01-01"}}
		SetStatus(eds, day(tt.today))
		var got []string
		for _, e := range eds {
			got = append(got, e.Status)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("on %s: %v, want %s", tt.today, got, tt.want)
		}
	}
}

// TestLoadErrors protects editors from a silently ignored edition.
func TestLoadErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_editions/2026-01/edition.yaml": {Data: []byte("label: Jan\neffective: 2026-01-01\n")},
		"content/_editions/2026-01/terms.md":     {Data: []byte("# Terms\n")},
		"content/_editions/Bad ID/edition.yaml":  {Data: []byte("effective: 2026-02-01\n")},
		"content/_editions/nodate/edition.yaml":  {Data: []byte("label: x\neffective: soon\n")},
		"content/_editions/nometa/terms.md":      {Data: []byte("# Terms\n")},
	}
	eds, errs := Load(fsys, "content", day("2026-06-01"))
	if len(eds) != 1 || eds[0].ID != "2026-01" || eds[0].Status != Current || len(eds[0].Pages) != 1 {
		t.Errorf("editions: %+v", eds)
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	want := []string{
		`content/_editions/Bad ID: edition ID "Bad ID" must be lowercase letters, digits, '.', '-' or '_', start with a letter or digit, not end with '.', and be at most 64 characters (for example 2026-11); rename the folder`,
		`content/_editions/nodate/edition.yaml:2:12: effective must be a date written YYYY-MM-DD, not "soon"`,
		`content/_editions/nometa: missing edition.yaml (label and effective date)`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

// TestCut protects what a cut freezes: every published draft file (not the editions, the
// config, files set aside with _ or an editor's swap and backup files), plus the metadata.
func TestCut(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_site.yaml":                 {Data: []byte("title: x\n")},
		"content/_index.md":                  {Data: []byte("home")},
		"content/a/terms.md":                 {Data: []byte("terms")},
		"content/a/logo.svg":                 {Data: []byte("<svg/>")},
		"content/a/.terms.md.swp":            {Data: []byte("vim")},
		"content/a/terms.md~":                {Data: []byte("backup")},
		"content/_drafts/next.md":            {Data: []byte("not yet")},
		"content/_editions/old/edition.yaml": {Data: []byte("effective: 2025-01-01\n")},
		"content/_editions/old/a/terms.md":   {Data: []byte("old terms")},
	}
	files, err := Cut(fsys, "content", "2026-11", "November 2026", "2026-11-01", "2026-10-20")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	want := "content/_editions/2026-11/_index.md content/_editions/2026-11/a/logo.svg content/_editions/2026-11/a/terms.md content/_editions/2026-11/edition.yaml"
	slices.Sort(names)
	if strings.Join(names, " ") != want {
		t.Errorf("cut wrote %v", names)
	}
	if meta := string(files["content/_editions/2026-11/edition.yaml"]); !strings.Contains(meta, `label: "November 2026"`) || !strings.Contains(meta, "effective: 2026-11-01") || !strings.Contains(meta, "published: 2026-10-20\n") {
		t.Errorf("metadata:\n%s", meta)
	}
	for _, bad := range []struct{ id, eff, want string }{
		{"old", "2026-01-01", "already exists"},
		{"latest", "2026-01-01", "is reserved"},
		{"compare", "2026-01-01", "is reserved"},
		{"Nov", "2026-01-01", "must be lowercase"},
		{"x", "1 Nov", "YYYY-MM-DD"},
	} {
		if _, err := Cut(fsys, "content", bad.id, "", bad.eff, "2026-10-20"); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("cut %s %s: %v, want %q", bad.id, bad.eff, err, bad.want)
		}
	}
}

// TestCutRefusesLinks protects an edition from freezing what a link points at: a symbolic
// link in the draft stops the cut with its path.
func TestCutRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: A\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.md", filepath.Join(dir, "content", "b.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := Cut(os.DirFS(dir), "content", "2026-12", "", "2026-12-01", "2026-11-20")
	if err == nil || !strings.Contains(err.Error(), "content/b.md is a symbolic link") {
		t.Errorf("cut over a link: %v", err)
	}
}
