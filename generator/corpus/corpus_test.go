package corpus_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"affdocs/generator/corpus"
	"affdocs/generator/site"
)

// read returns every file below dir by slash path.
func read(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGenerateIsDeterministic protects benchmark comparisons across runs and machines: one
// seed and size give the same bytes, another seed other text.
func TestGenerateIsDeterministic(t *testing.T) {
	gen := func(seed uint64) map[string][]byte {
		dir := t.TempDir()
		if _, err := corpus.Generate(dir, 250, seed); err != nil {
			t.Fatal(err)
		}
		return read(t, dir)
	}
	a, b, c := gen(1), gen(1), gen(2)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	differ := 0
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		if strings.HasSuffix(name, ".md") && !bytes.Equal(data, c[name]) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("another seed gave the same pages")
	}
}

// TestShape protects what makes time per page comparable across sizes: leaf sections hold
// at most the largest of Sizes pages, no section holds more than Fanout sections, and every page has
// the features the benchmark is meant to exercise.
func TestShape(t *testing.T) {
	for _, n := range []int{1, 150, 1000, 2500} {
		dir := t.TempDir()
		files, err := corpus.Generate(dir, n, 1)
		if err != nil {
			t.Fatal(err)
		}
		pages, sections := 0, 0
		err = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			es, err := os.ReadDir(p)
			var subs, mds int
			for _, e := range es {
				switch {
				case e.IsDir():
					subs++
				case e.Name() != "_index.md" && strings.HasSuffix(e.Name(), ".md"):
					mds++
				}
			}
			if subs > corpus.Fanout || mds > slices.Max(corpus.Sizes) || subs > 0 && mds > 0 {
				t.Errorf("n=%d: %s holds %d sections and %d pages", n, p, subs, mds)
			}
			pages += mds
			sections++
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if pages != n || files != n+sections {
			t.Errorf("n=%d: %d pages and %d files in %d sections", n, pages, files, sections)
		}
	}
	dir := t.TempDir()
	if _, err := corpus.Generate(dir, 100, 1); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for name, data := range read(t, filepath.Join(dir, "content")) {
		if strings.HasSuffix(name, ".md") {
			all.Write(data)
		}
	}
	for _, want := range []string{"```go\n", "```python\n", "```sql\n", "| Requirement | Value | Notes |", "- [x] ", "- [ ] ",
		"## Overview {#overview}", ".md#", "](/s", "\n1. ", "**", "`"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("no page has %q", want)
		}
	}
}

// TestBuilds protects the benchmark's premise: the corpus builds with this generator without
// a warning (every link and anchor resolves) and, where Hugo is installed, with Hugo, page
// for page.
func TestBuilds(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpus.Generate(dir, 300, 1); err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatalf("our build: %v", err)
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w.Msg, "is a placeholder") { // the corpus has no address of its own
			t.Errorf("our build warned: %v", w)
		}
	}
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("AFFDOCS_REQUIRE_TOOLS") != "" {
			t.Fatal("hugo is not installed (.ci/run installs it)")
		}
		t.Skip("hugo is not installed (apt-get install hugo): the corpus is not checked against Hugo")
	}
	out := t.TempDir()
	cmd := exec.Command(hugo, "--minify", "--quiet", "-s", dir, "-d", out, "--cacheDir", t.TempDir())
	if msg, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(msg)) > 0 {
		t.Fatalf("hugo: %v\n%s", err, msg)
	}
	hugoFiles := read(t, out)
	for name := range res.Files {
		if strings.HasSuffix(name, "/index.html") || name == "index.html" {
			if _, ok := hugoFiles[name]; !ok {
				t.Errorf("hugo did not write %s", name)
			}
		}
	}
	page := string(hugoFiles["s00/p001/index.html"])
	for _, want := range []string{`class=chroma`, `<table>`, `id=overview`, `href=/docs/s00/`, `type=checkbox`} {
		if !strings.Contains(page, want) {
			t.Errorf("hugo's s00/p001/index.html has no %s", want)
		}
	}
	if strings.Contains(page, `.md"`) || strings.Contains(page, ".md>") || strings.Contains(page, ".md#") {
		t.Errorf("hugo left a .md link unresolved in s00/p001/index.html")
	}
}
