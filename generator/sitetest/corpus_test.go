package sitetest

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"affdocs/generator/output"
	"affdocs/generator/site"
	"github.com/goccy/go-yaml"
)

// corpusDir is the imported legal corpus: real Markdown written for another generator, with
// unknown front matter keys, Liquid-style tags, raw HTML and redirect_from lists.
var corpusDir = filepath.Join(repoRoot, "..", "shared", "corpora", "site-policy", "2025-07-01")

var metaRefresh = regexp.MustCompile(`<meta http-equiv="refresh" content="0; url=([^"]+)">`)

// TestCorpus protects "any Markdown tree builds": the corpus builds with broken links as
// warnings, every Markdown file becomes a page, no warning lacks its position, every
// redirect_from path gets a redirect page to its page, and no page needs an inline script
// or style.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not found (it lives beside the repository, at ../shared/corpora/site-policy/2025-07-01): %v", err)
	}
	res, err := site.Build(os.DirFS(corpusDir), site.Options{LinksWarn: true})
	if err != nil {
		t.Fatalf("the corpus does not build with -links=warn:\n%v", err)
	}

	pages := markdownPages(t, corpusDir)
	if len(pages) < 50 {
		t.Errorf("only %d Markdown files found in the corpus", len(pages))
	}
	for _, p := range pages {
		html, ok := res.Files[p+"index.html"]
		if !ok {
			t.Errorf("no page for the Markdown of /%s", p)
		} else if !bytes.Contains(html, []byte(`<main id="main"`)) {
			t.Errorf("/%sindex.html has no main element", p)
		}
	}

	if len(res.Warnings) == 0 {
		t.Error("no warnings: the corpus has broken links and raw HTML that must be reported")
	}
	for _, w := range res.Warnings {
		if w.Line <= 0 || w.Col <= 0 || !strings.HasSuffix(w.File, ".md") {
			t.Errorf("warning without a source position: %v", w)
		}
	}

	redirects := 0
	for _, p := range pages {
		for _, from := range redirectFrom(t, p) {
			redirects++
			file := strings.Trim(from, "/")
			if path.Ext(file) == "" {
				file += "/index.html"
			}
			data, ok := res.Files[file]
			if !ok {
				t.Errorf("redirect_from %s of /%s: no redirect page %s", from, p, file)
				continue
			}
			m := metaRefresh.FindSubmatch(data)
			if m == nil {
				t.Errorf("%s has no meta refresh:\n%s", file, data)
				continue
			}
			if got := path.Join(path.Dir(file), string(m[1])); got != p+"index.html" {
				t.Errorf("%s redirects to %s; want %sindex.html", file, got, p)
			}
		}
	}
	t.Logf("%d pages, %d warnings, %d redirect pages", len(pages), len(res.Warnings), redirects)
	if redirects < 40 {
		t.Errorf("only %d redirect_from paths found; the corpus has dozens", redirects)
	}

	// Broken links are expected here (they are warnings); markup a strict CSP blocks is not.
	dir := filepath.Join(t.TempDir(), "public")
	if err := output.Write(dir, res.Files); err != nil {
		t.Fatal(err)
	}
	problems, err := checkBuiltSite(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.Contains(p, ": line ") { // the strict-CSP problems
			t.Error(p)
		}
	}
}

// redirectFrom reads the redirect_from list of the page at site path p from its Markdown.
func redirectFrom(t *testing.T, p string) []string {
	t.Helper()
	var src []byte
	for _, name := range []string{strings.TrimSuffix(p, "/") + ".md", p + "_index.md", p + "index.md"} {
		if data, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(name))); err == nil {
			src = data
			break
		}
	}
	fm, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil
	}
	end := bytes.Index(fm, []byte("\n---"))
	if end < 0 {
		return nil
	}
	var meta struct {
		RedirectFrom []string `yaml:"redirect_from"`
	}
	if err := yaml.Unmarshal(fm[:end], &meta); err != nil {
		t.Fatalf("/%s: %v", p, err)
	}
	return slices.Clip(meta.RedirectFrom)
}
