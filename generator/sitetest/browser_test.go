package sitetest

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"github.com/chromedp/chromedp"
)

var shots = flag.String("shots", "", "write screenshots of key pages at 360px and 1440px into this folder (TestScreenshots)")

// otherPath is where the tests serve the site: a sub-path unrelated to the baseURL's, to
// show that pages, which link relatively, work under any sub-path. Only the 404 page, served
// at any depth, links from the baseURL's path, so it is served there.
const otherPath = "/preview/any/path/"

// pageTypes names one page of each type in the real site, by its URL below the site root.
var pageTypes = []struct{ typ, path string }{
	{"home", "index.html"},
	{"overview", "alidropship/index.html"},
	{"terms", "alidropship/terms/index.html"},
	{"requirements", "aliexpress/requirements/index.html"},
	{"rejections", "alidropship/rejection-reasons/index.html"},
	{"checklist", "aliexpress/checklist/index.html"},
	{"steps", "alidropship/how-to-apply/index.html"},
	{"selfcheck", "aliexpress/self-check/index.html"},
	{"404", "no/such/page/"}, // the host answers with 404.html
}

// TestHTMLValid protects valid HTML: the Nu HTML Checker finds no error in any page.
func TestHTMLValid(t *testing.T) {
	dir, _ := realSite(t)
	if ms := browsertest.VNU(t, dir); len(ms) > 0 {
		t.Errorf("%d HTML errors:\n%s", len(ms), browsertest.FormatMessages(ms))
	}
}

// TestAccessibility protects WCAG 2.2 AA and a clean load on every page type: axe-core finds
// no violation at a phone and a desktop width in light and dark schemes, and the page loads
// with no failed request, script error or Content-Security-Policy violation, served under a
// sub-path (the 404 page under the baseURL's path) with the site's _headers.
func TestAccessibility(t *testing.T) {
	dir, _ := realSite(t)
	host, err := url.Parse(baseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	anyBase, hostBase := browsertest.Serve(t, dir, otherPath), browsertest.Serve(t, dir, host.Path)
	ctx := browsertest.Browser(t)
	pages := pageTypes
	if ed := firstEdition(t, dir); ed != "" { // an edition's page carries its banner and switcher
		pages = append(slices.Clone(pages), struct{ typ, path string }{"edition terms", "v/" + ed + "/alidropship/terms/index.html"})
	}
	for _, pt := range pages {
		page := anyBase + pt.path
		if pt.typ == "404" {
			page = hostBase + pt.path
		}
		t.Run(pt.typ, func(t *testing.T) {
			errs := browsertest.PageErrors(t, ctx, page)
			for _, e := range errs {
				if pt.typ == "404" && strings.HasPrefix(e, "HTTP 404 "+page+" ") {
					continue // the page itself: a 404 is what the host must answer
				}
				t.Errorf("loading %s: %s", page, e)
			}
			for _, width := range []int64{360, 1440} {
				for _, scheme := range []string{"light", "dark"} {
					browsertest.Viewport(t, ctx, width, 900)
					browsertest.ColorScheme(t, ctx, scheme)
					if err := load(ctx, page, pt.typ); err != nil {
						t.Fatalf("%s: %v", page, err)
					}
					// Axe skips the rest, saying how to install axe-core, when it is missing
					// (and fails under AFFDOCS_REQUIRE_TOOLS=1): the page errors are checked.
					if vs := browsertest.Axe(t, ctx, ""); len(vs) > 0 {
						t.Errorf("%s at %dpx, %s: %d axe violations:\n%s", pt.path, width, scheme, len(vs), browsertest.FormatViolations(vs))
					}
				}
			}
		})
	}
}

// firstEdition is the id of a published edition (v/<id>/ other than v/latest/), or "".
func firstEdition(t *testing.T, dir string) string {
	t.Helper()
	es, _ := os.ReadDir(filepath.Join(dir, "v"))
	for _, e := range es {
		if e.IsDir() && e.Name() != "latest" {
			return e.Name()
		}
	}
	return ""
}

// load opens page and waits until the page is ready for checking: for the self-check, until
// its script has shown the form (so axe checks what a reader with JavaScript uses).
func load(ctx context.Context, page, typ string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("body")); err != nil {
		return err
	}
	if typ == "selfcheck" {
		return chromedp.Do(ctx, chromedp.WaitVisible("#selfcheck"))
	}
	return nil
}

// TestFileURL protects reading the site from disk: opened through file://, the home page
// is styled and a click on a program's requirements link opens that page.
func TestFileURL(t *testing.T) {
	dir, _ := realSite(t)
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	home := "file://" + filepath.ToSlash(dir) + "/index.html"
	link := `main a[href="alidropship/requirements/index.html"]`
	if err := chromedp.Do(ctx, chromedp.Navigate(home), chromedp.WaitVisible(link)); err != nil {
		t.Fatalf("opening %s: %v", home, err)
	}
	position, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".skip")).position`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(link), chromedp.WaitReady("body.type-requirements")); err != nil {
		t.Fatalf("from %s, following %s: %v", home, link, err)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text("h1"))
	if err != nil {
		t.Fatal(err)
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if position != "absolute" {
		t.Errorf("the skip link is %q, not absolute: site.css did not load from disk", position)
	}
	if want := "file://" + filepath.ToSlash(dir) + "/alidropship/requirements/index.html"; location != want {
		t.Errorf("after the click the browser is at %s; want %s", location, want)
	}
	if want := frontMatterTitle(t, "content/alidropship/requirements.md"); h1 != want {
		t.Errorf("the requirements page's h1 is %q; want %q", h1, want)
	}
}

// frontMatterTitle is the title: line of a content file.
func frontMatterTitle(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "title:"); ok {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	t.Fatalf("%s has no title", name)
	return ""
}

// TestScreenshots writes full-page screenshots of the home, a requirements and a terms page
// at 360px and 1440px, light and dark, for a person to look at. It runs only with
// -shots DIR: go test ./generator/sitetest -run Screenshots -shots /tmp/shots
func TestScreenshots(t *testing.T) {
	if *shots == "" {
		t.Skip("no -shots folder given")
	}
	if err := os.MkdirAll(*shots, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, _ := realSite(t)
	base := browsertest.Serve(t, dir, otherPath)
	ctx := browsertest.Browser(t)
	for _, pt := range pageTypes {
		if pt.typ != "home" && pt.typ != "requirements" && pt.typ != "terms" {
			continue
		}
		for _, width := range []int64{360, 1440} {
			for _, scheme := range []string{"light", "dark"} {
				browsertest.Viewport(t, ctx, width, map[int64]int64{360: 740, 1440: 900}[width])
				browsertest.ColorScheme(t, ctx, scheme)
				if err := chromedp.Do(ctx, chromedp.Navigate(base+pt.path), chromedp.WaitReady("body")); err != nil {
					t.Fatal(err)
				}
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				// Full pages of a phone's width are too tall to read when shown whole: also
				// keep the first screen, and the screen around the first table.
				top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				images := map[string][]byte{"full": png, "top": top}
				if err := chromedp.Do(ctx, chromedp.ScrollIntoView("main table", chromedp.AtLeast(0))); err == nil {
					if table, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
						images["table"] = table
					}
				}
				for part, data := range images {
					name := filepath.Join(*shots, fmt.Sprintf("%s-%d-%s-%s.png", pt.typ, width, scheme, part))
					if err := os.WriteFile(name, data, 0o644); err != nil {
						t.Fatal(err)
					}
					t.Logf("wrote %s", name)
				}
			}
		}
	}
}

// TestChecklistRemembersTicks protects what a reader does on a checklist: a tick survives a
// reload (kept in this browser's localStorage), and the note saying so appears only when the
// script runs.
func TestChecklistRemembersTicks(t *testing.T) {
	dir, _ := realSite(t)
	base := browsertest.Serve(t, dir, otherPath)
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	page := base + "alidropship/checklist/index.html"
	box := "main input.task"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(".note.js-only"), chromedp.Click(box)); err != nil {
		t.Fatalf("%s: ticking the first box: %v", page, err)
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(box)); err != nil {
		t.Fatal(err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[...document.querySelectorAll("main input.task")].map((b) => b.checked)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(checked) < 2 || !checked[0] || checked[1] {
		t.Errorf("after a reload the boxes are %v; want the first ticked, the others not", checked)
	}
}
