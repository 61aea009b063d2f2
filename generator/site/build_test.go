package site

import (
	"strings"
	"testing"
	"testing/fstest"
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
