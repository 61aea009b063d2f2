package site

import (
	"testing"

	"affdocs/generator/browsertest"
	"affdocs/generator/output"
)

// public writes a build's files into a folder, as the build command would, and returns it.
func public(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir() + "/public"
	if err := output.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestEditionsValidHTML runs the Nu HTML Checker on every page of a three-edition site:
// switchers, banners, redlines (ins and del inside lists and clauses), change lists and the
// compare page.
func TestEditionsValidHTML(t *testing.T) {
	dir := public(t, buildEditions(t, Options{}))
	if msgs := browsertest.VNU(t, dir); len(msgs) > 0 {
		t.Errorf("the Nu HTML Checker found %d errors:\n%s", len(msgs), browsertest.FormatMessages(msgs))
	}
}

// TestEditionsAccessible runs axe-core in chromium, light and dark, on the pages only a
// versioned site has: a redline, a change list, the compare page and the page about its
// feed, archived and upcoming banners with the switcher.
func TestEditionsAccessible(t *testing.T) {
	ctx := browsertest.Browser(t)
	base := browsertest.Serve(t, public(t, buildEditions(t, Options{})), "/terms-site/")
	for _, scheme := range []string{"light", "dark"} {
		browsertest.ColorScheme(t, ctx, scheme)
		for _, p := range []string{"v/2026-06/changes/terms/", "v/2026-06/changes/", "v/compare/", "v/compare/feed/", "v/2026-01/terms/", "v/2027-01/terms/"} {
			if v := browsertest.Axe(t, ctx, base+p+"index.html"); len(v) > 0 {
				t.Errorf("%s (%s): %s", p, scheme, browsertest.FormatViolations(v))
			}
			if errs := browsertest.PageErrors(t, ctx, base+p+"index.html"); len(errs) > 0 {
				t.Errorf("%s: %v", p, errs)
			}
		}
	}
}
