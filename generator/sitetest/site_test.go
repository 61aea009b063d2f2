package sitetest

import (
	"encoding/xml"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"affdocs/generator/site"
)

// markdownPages lists the site path of every page a content folder's Markdown publishes,
// worked out independently of the generator: a/b.md -> a/b/, a/_index.md -> a/.
func markdownPages(t *testing.T, contentDir string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(contentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(contentDir, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if rel != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") && name != "_index.md") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || path.Ext(name) != ".md" {
			return nil
		}
		dir, file := path.Split(rel)
		switch base := strings.TrimSuffix(file, ".md"); base {
		case "_index", "index":
			pages = append(pages, dir)
		default:
			pages = append(pages, dir+base+"/")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// TestRealSite is the whole-site test: the repository's content/ builds without a warning
// (but the one that its baseURL is still a placeholder), every Markdown file has its page,
// the sitemap lists every page, every internal link and asset of every HTML file resolves
// to a file (and its #fragment to an id) as it would from disk, nothing needs an inline
// script or style, and the host files exist.
func TestRealSite(t *testing.T) {
	dir, log := realSite(t)
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "warning") && !(strings.Contains(line, "_site.yaml:") && strings.Contains(line, "is a placeholder")) {
			t.Errorf("the build warns: %s", line)
		}
	}
	base := baseURL(t)

	pages := markdownPages(t, filepath.Join(repoRoot, "content"))
	if len(pages) < 15 {
		t.Errorf("only %d Markdown pages in content/", len(pages))
	}
	for _, p := range pages {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p), "index.html")); err != nil {
			t.Errorf("no page for the Markdown of /%s: %v", p, err)
		}
	}

	t.Run("sitemap", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
		if err != nil {
			t.Fatal(err)
		}
		var set struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(data, &set); err != nil {
			t.Fatalf("sitemap.xml: %v", err)
		}
		var locs []string
		for _, u := range set.URLs {
			locs = append(locs, u.Loc)
			rel, ok := strings.CutPrefix(u.Loc, base)
			if !ok {
				t.Errorf("sitemap URL %s is not under baseURL %s", u.Loc, base)
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel), "index.html")); err != nil {
				t.Errorf("sitemap lists %s, which has no page", u.Loc)
			}
		}
		for _, p := range pages {
			if !slices.Contains(locs, base+p) {
				t.Errorf("sitemap.xml does not list %s", base+p)
			}
		}
	})

	t.Run("links", func(t *testing.T) {
		problems, err := checkBuiltSite(dir, base)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(problems)
		for _, p := range problems {
			t.Error(p)
		}
	})

	t.Run("host files", func(t *testing.T) {
		for _, name := range []string{"robots.txt", "404.html", "_headers", "sitemap.xml", "index.html"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Error(err)
			}
		}
		headers, _ := os.ReadFile(filepath.Join(dir, "_headers"))
		if !strings.Contains(string(headers), "Content-Security-Policy: "+site.CSP) {
			t.Errorf("_headers does not send the CSP the pages are built for:\n%s", headers)
		}
		robots, _ := os.ReadFile(filepath.Join(dir, "robots.txt"))
		if !strings.Contains(string(robots), "Sitemap: "+base+"sitemap.xml") {
			t.Errorf("robots.txt does not point to the sitemap:\n%s", robots)
		}
	})
}

// baseURL is the real site's baseURL from content/_site.yaml, ending in "/".
func baseURL(t *testing.T) string {
	t.Helper()
	res, err := site.Build(os.DirFS(repoRoot), site.Options{NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Site.Config.BaseURL
	if b == "" {
		t.Fatal("content/_site.yaml has no baseURL: canonical links and the sitemap need one")
	}
	return b
}
