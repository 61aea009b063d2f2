package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
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

// recorder is an Output that keeps what it is given, and fails writes when told to.
type recordingOutput struct {
	mu    sync.Mutex
	files map[string][]byte
	fail  error
}

func (o *recordingOutput) ID() string                  { return "test" }
func (o *recordingOutput) Has(string, [32]byte) bool   { return false }
func (o *recordingOutput) Read(string) ([]byte, error) { return nil, fs.ErrNotExist }
func (o *recordingOutput) Write(name string, data []byte, _ [32]byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != nil {
		return o.fail
	}
	if o.files == nil {
		o.files = map[string][]byte{}
	}
	if _, dup := o.files[name]; dup {
		return fmt.Errorf("%s written twice", name)
	}
	o.files[name] = data
	return nil
}

// TestBuildToOutput protects the build command's way of building: every file reaches the
// Output once, with the bytes an in-memory build makes; the counts are of what reached it;
// pages' text is let go once written; broken links are reported at their line and column;
// and a failing Output fails the build.
func TestBuildToOutput(t *testing.T) {
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
			out := &recordingOutput{}
			res, err := Build(fsys, Options{Output: out})
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("build to an Output: %v\nin-memory build: %v", err, wantErr)
			}
			if err != nil {
				return
			}
			if res.Files != nil {
				t.Error("a build to an Output kept the files in Result.Files")
			}
			if !maps.EqualFunc(out.files, want.Files, bytes.Equal) {
				t.Errorf("the Output got other files than an in-memory build makes")
			}
			if res.Stats.Files != len(out.files) || res.Stats.Written != len(out.files) {
				t.Errorf("stats %+v; the Output got %d files", res.Stats, len(out.files))
			}
			for _, p := range res.Site.Pages {
				if name == "real site" { // a site with editions publishes a tree thrice
					break
				}
				if p.Content != "" {
					t.Errorf("%s: the page's text was kept after it was written", p.Path)
					break
				}
			}
		})
	}
	_, err := Build(broken, Options{Output: &recordingOutput{}})
	want := `content/a.md:9:9: broken link "b.md#nope": /b/ has no anchor #nope` + "\n" +
		`content/a.md:9:28: broken link "c.md": no page or file at /c/`
	if fmt.Sprint(err) != want {
		t.Errorf("build errors:\n%v\nwant:\n%s", err, want)
	}
	if _, err := Build(broken, Options{Output: &recordingOutput{fail: errors.New("disk full")}}); err == nil || !strings.Contains(err.Error(), "index.html: write: disk full") {
		t.Errorf("a failing Output must fail the build, got %v", err)
	}
}

// TestChangedWhileBuilding protects a build from mixing two versions of a page: a page is
// converted from the bytes its index entry was loaded from (kept, up to keepFiles) or, when
// they were not kept, from the file read again, and then a file that changed since the
// build loaded it is an error, not a page with stale navigation.
func TestChangedWhileBuilding(t *testing.T) {
	for _, kept := range []bool{true, false} {
		fsys := mapFS("content/a.md", "---\ntitle: A\n---\nBody.\n")
		b, _ := newBuilder(fsys, Options{})
		s := b.loadTree("content")
		p := s.bySource["content/a.md"]
		if string(p.src) != "---\ntitle: A\n---\n" {
			t.Fatalf("the page index kept %q of the file as its front matter; want its front matter only", p.src)
		}
		if !kept {
			p.file = nil // as beyond keepFiles
		}
		fsys["content/a.md"].Data = []byte("---\ntitle: A, renamed\n---\nBody, renamed.\n")
		ok := b.convert(s, p)
		switch {
		case kept && (!ok || len(b.ds.list) != 0 || !strings.Contains(string(p.Content), "Body.")):
			t.Errorf("kept: converted %v, %q, %v; want the loaded version's body", ok, p.Content, b.ds.list)
		case !kept && (ok || len(b.ds.list) != 1 || b.ds.list[0].Error() != "content/a.md: changed while the site was building; build again"):
			t.Errorf("read again: a file changed under the build: %v", b.ds.list)
		}
		if p.file != nil {
			t.Error("the file's bytes were kept after its conversion")
		}
	}
}

// TestOutputConflicts protects the promise that each output file has one producer: a
// content file where the theme has an asset, an alias onto another file, are errors naming
// both producers; a content robots.txt, 404.html or _headers replaces the generated one,
// as the README says.
func TestOutputConflicts(t *testing.T) {
	_, err := Build(mapFS("content/a.md", "---\ntitle: A\naliases: [/assets/site.css]\n---\n",
		"content/assets/site.js", "// mine"), Options{NoMinify: true})
	for _, want := range []string{
		"(embedded default theme)/static/assets/site.js and content/assets/site.js both make the output file assets/site.js",
		"and the alias /assets/site.css of content/a.md both make the output file assets/site.css",
	} {
		if !strings.Contains(fmt.Sprint(err), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
	res, err := Build(mapFS("content/a.md", "---\ntitle: A\n---\n", "content/robots.txt", "User-agent: *\nDisallow: /\n"), Options{NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Files["robots.txt"]); got != "User-agent: *\nDisallow: /\n" {
		t.Errorf("robots.txt = %q; want the content's own", got)
	}
}

// TestSpecialFileNames protects readers from names that break URLs: pages whose files are
// named with #, ?, %, a space or non-ASCII letters are linked from navigation, the sitemap
// and other pages with escaped URLs that the output check follows to the files written.
func TestSpecialFileNames(t *testing.T) {
	names := []string{"a#b", "50%", "why?", "two words", "café"}
	files := []string{"content/_index.md", "---\ntitle: Home\n---\n"}
	var links strings.Builder
	for _, n := range names {
		links.WriteString("[" + n + "](<" + url.PathEscape(n) + ".md>) ") // as an author writes a # or ? in a link
	}
	for _, n := range names {
		files = append(files, "content/"+n+".md", "---\ntitle: "+strings.ReplaceAll(n, "#", "No.")+"\n---\n\n"+links.String()+"\n")
	}
	res, err := Build(mapFS(files...), Options{})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, n := range names {
		if _, ok := res.Files[n+"/index.html"]; !ok {
			t.Errorf("no page for %q", n)
		}
	}
	if sm := string(res.Files["sitemap.xml"]); !strings.Contains(sm, `<loc>a%23b/</loc>`) || !strings.Contains(sm, `<loc>50%25/</loc>`) {
		t.Errorf("the sitemap does not escape the names:\n%s", sm)
	}
	if page := string(res.Files["why?/index.html"]); !strings.Contains(page, `href="../a%23b/index.html"`) || !strings.Contains(page, `href="../why%3F/index.html"`) {
		t.Errorf("links between the pages are not escaped:\n%s", page)
	}
}
