package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"affdocs/generator/corpus"
)

// TestEmptySite protects a new user's first build: a site with no Markdown yet (an empty
// content/ folder, or only its _site.yaml) builds a home page and the host files instead of
// failing.
func TestEmptySite(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"nothing":     {},
		"config only": mapFS("content/_site.yaml", "title: New guide\n"),
	} {
		t.Run(name, func(t *testing.T) {
			res, err := Build(fsys, Options{NoMinify: true})
			if err != nil {
				t.Fatalf("build failed: %v", err)
			}
			for _, f := range []string{"index.html", "404.html", "sitemap.xml", "robots.txt", "_headers"} {
				if _, ok := res.Files[f]; !ok {
					t.Errorf("no %s", f)
				}
			}
			if name == "config only" && !strings.Contains(string(res.Files["index.html"]), "<h1>New guide</h1>") {
				t.Errorf("the home page is not titled with the site title:\n%s", res.Files["index.html"])
			}
		})
	}
}

// TestStreamedBuild protects the build command's way of building: with Options.Output, every
// file reaches the sink with the bytes an in-memory build makes, pages released after
// writing still have their broken links reported at the right line and column, and the
// pages' text is let go (the memory a large site would otherwise hold).
func TestStreamedBuild(t *testing.T) {
	corpusDir := t.TempDir()
	if _, err := corpus.Generate(corpusDir, 150, 1); err != nil {
		t.Fatal(err)
	}
	broken := mapFS("content/a.md", "---\ntitle: A\n---\n\nIntro.\n\n## Part {#part}\n\nSee [b](b.md#nope) and [c](c.md).\n",
		"content/b.md", "---\ntitle: B\n---\n\n[a](a.md#part)\n")
	for name, fsys := range map[string]fs.FS{
		"real site": os.DirFS("../.."), "corpus": os.DirFS(corpusDir), "broken links": broken,
	} {
		t.Run(name, func(t *testing.T) {
			want, wantErr := Build(fsys, Options{})
			var mu sync.Mutex
			got := map[string][]byte{}
			res, err := Build(fsys, Options{Output: func(name string, data []byte) error {
				mu.Lock()
				defer mu.Unlock()
				if _, dup := got[name]; dup {
					t.Errorf("%s written twice", name)
				}
				got[name] = data
				return nil
			}})
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("streamed build: %v\nin-memory build: %v", err, wantErr)
			}
			if !slices.Equal(slices.Sorted(maps.Keys(res.Files)), slices.Sorted(maps.Keys(want.Files))) {
				t.Errorf("Result.Files names differ from the in-memory build's")
			}
			for name, data := range want.Files {
				if !bytes.Equal(got[name], data) {
					t.Errorf("%s: streamed bytes differ from the in-memory build's", name)
				}
				if res.Files[name] != nil {
					t.Errorf("%s: a streamed build kept the file's bytes", name)
				}
			}
			if len(got) != len(want.Files) {
				t.Errorf("streamed %d files, want %d", len(got), len(want.Files))
			}
			for _, p := range res.Site.Pages {
				if name == "real site" { // a site with editions keeps its text for the redlines
					break
				}
				if p.Content != "" || p.src != nil {
					t.Errorf("%s: the page's text was kept after it was written", p.Path)
					break
				}
			}
		})
	}
	_, err := Build(broken, Options{Output: func(string, []byte) error { return nil }})
	want := `content/a.md:9:9: broken link "b.md#nope": /b/ has no anchor #nope` + "\n" +
		`content/a.md:9:28: broken link "c.md": no page or file at /c/`
	if fmt.Sprint(err) != want {
		t.Errorf("streamed build errors:\n%v\nwant:\n%s", err, want)
	}
	if _, err := Build(broken, Options{Output: func(string, []byte) error { return errors.New("disk full") }}); err == nil || !strings.Contains(err.Error(), "index.html: write: disk full") {
		t.Errorf("a failing sink must fail the build, got %v", err)
	}
}

// TestReadBody protects a streamed build from mixing two versions of a page: the body is
// read again when the page is converted, and a file whose front matter changed since the
// build loaded it is an error, not a page with stale navigation.
func TestReadBody(t *testing.T) {
	fsys := mapFS("content/a.md", "---\ntitle: A\n---\nBody.\n")
	s := Load(fsys, "content", Config{}, &diags{})
	p := s.bySource["content/a.md"]
	p.dropBody()
	if string(p.src) != "---\ntitle: A\n---\n" {
		t.Fatalf("dropBody kept %q", p.src)
	}
	b := &builder{fsys: fsys, ds: &diags{}}
	if !b.readBody(p) || string(p.body()) != "Body.\n" {
		t.Fatalf("readBody: body %q, problems %v", p.body(), b.ds.list)
	}
	p.dropBody()
	fsys["content/a.md"].Data = []byte("---\ntitle: A, renamed\n---\nBody.\n")
	if b.readBody(p) || len(b.ds.list) != 1 || b.ds.list[0].Error() != "content/a.md: changed while the site was building; build again" {
		t.Errorf("a front matter changed under the build: %v", b.ds.list)
	}
}
