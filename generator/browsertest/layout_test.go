package browsertest_test

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"affdocs/generator/buildcache"
	"affdocs/generator/output"
	"affdocs/generator/site"
	"affdocs/generator/toolchain"
	"github.com/chromedp/chromedp"
)

var shots = flag.String("shots", "", "keep TestLayout's screenshots in this folder (default: a temporary folder removed after the test)")

// The two screens every page is checked at: a common phone and a common laptop.
var (
	phone   = screen{390, 844}
	desktop = screen{1366, 900}
)

type screen struct{ W, H int64 }

// page is one page of the built site of a given type, by its path below the site root.
type page struct{ typ, path string }

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if siteDir != "" {
		os.RemoveAll(filepath.Dir(siteDir))
	}
	os.Exit(code)
}

var (
	siteOnce sync.Once
	siteDir  string
	siteBase *url.URL // the site's baseURL
	sitePage []page
	siteErr  error
)

// realSite builds the repository's site once per test binary, the self-check module
// included, writes it to a temporary folder and returns the folder, the site's baseURL (its
// path is where the tests serve it, so the 404 page's links work) and one page of each type.
func realSite(t *testing.T) (dir string, base *url.URL, pages []page) {
	t.Helper()
	if _, err := browsertest.ChromiumPath(); err != nil {
		// Building the site takes seconds; skip first when the browser is missing anyway.
		browsertest.Browser(t)
	}
	siteOnce.Do(func() {
		res, err := site.Build(os.DirFS("../.."), site.Options{SelfCheck: func() (*toolchain.Module, error) {
			return toolchain.SelfCheck(context.Background(), filepath.Join(buildcache.Root(), "modules"))
		}})
		if err != nil {
			siteErr = err
			return
		}
		siteDir, err = os.MkdirTemp("", "browsertest-site-")
		if err != nil {
			siteErr = err
			return
		}
		siteDir = filepath.Join(siteDir, "public")
		if siteErr = output.Write(siteDir, res.Files); siteErr != nil {
			return
		}
		if siteBase, siteErr = url.Parse(res.Site.Config.BaseURL); siteErr != nil {
			return
		}
		sitePage, siteErr = pagesOfEachType(res.Files)
	})
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return siteDir, siteBase, sitePage
}

// pagesOfEachType picks one page of each type from the built files: the fixed pages of the
// two programs, the redline of a terms page in the newest edition that changed one, the
// compare page, the oldest edition's copy of a terms page (its banner and switcher) and an
// address with no page (answered with 404.html).
func pagesOfEachType(files map[string][]byte) ([]page, error) {
	pages := []page{
		{"home", "index.html"},
		{"overview", "alidropship/index.html"},
		{"terms", "alidropship/terms/index.html"},
		{"requirements", "aliexpress/requirements/index.html"},
		{"checklist", "aliexpress/checklist/index.html"},
		{"rejections", "alidropship/rejection-reasons/index.html"},
		{"selfcheck", "aliexpress/self-check/index.html"},
		{"steps", "alidropship/how-to-apply/index.html"},
		{"compare", "v/compare/index.html"},
	}
	var redlines []string
	for name := range files {
		if ok, _ := path.Match("v/*/changes/*/terms/index.html", name); ok {
			redlines = append(redlines, name)
		}
	}
	sort.Strings(redlines)
	if len(redlines) == 0 {
		return nil, fmt.Errorf("the site has no redline of a terms page (v/*/changes/*/terms/)")
	}
	var copies []string
	for name := range files {
		if ok, _ := path.Match("v/*/alidropship/terms/index.html", name); ok && !strings.HasPrefix(name, "v/latest/") {
			copies = append(copies, name)
		}
	}
	sort.Strings(copies)
	if len(copies) == 0 {
		return nil, fmt.Errorf("the site has no edition's copy of alidropship/terms/")
	}
	pages = append(pages, page{"changes", redlines[len(redlines)-1]}, page{"edition", copies[0]}, page{"404", "no/such/page/"})
	for _, p := range pages[:len(pages)-1] {
		if _, ok := files[p.path]; !ok {
			return nil, fmt.Errorf("the site has no %s page at %s", p.typ, p.path)
		}
	}
	return pages, nil
}

// open loads u in the tab of ctx and waits until it is ready to measure: for the
// self-check, until its script has shown the form.
func open(t *testing.T, ctx context.Context, u, typ string) {
	t.Helper()
	openFor(t, ctx, u, typ, true)
}

func openFor(t *testing.T, ctx context.Context, u, typ string, screen bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	if typ == "selfcheck" && screen { // printed, the form is left out
		if err := chromedp.Do(ctx, chromedp.WaitVisible("#selfcheck")); err != nil {
			t.Fatalf("%s: the self-check form did not appear: %v", u, err)
		}
	}
}

// rect is an element's border box in CSS pixels, X and Y from the document's top left.
type rect struct{ X, Y, W, H float64 }

func (r *rect) right() float64  { return r.X + r.W }
func (r *rect) bottom() float64 { return r.Y + r.H }

// facts are what TestLayout measures on a page; a nil rect is an element the page lacks
// (or does not show).
type facts struct {
	ScrollWidth, Width float64
	Header             *rect // .site-header
	Sidebar            *rect // nav.sidebar: the program's pages
	TopNav             *rect // nav.top: the programs
	Main               *rect
	Title              *rect // main h1
	Content            *rect // main article: the text column (with its table of contents)
	TOC                *rect // .toc
	Text               *rect // the clauses beside or under the table of contents
	Card               *card // the first row of a requirements table
}

// card is how a requirements table's first row leads on a phone.
type card struct {
	Lead   string // the text of its first cell as shown, ::before included
	Weight int    // that cell's font weight
}

const factsJS = `(() => {
  const r = (s) => { const e = document.querySelector(s); if (!e || !e.getClientRects().length) return null;
    const b = e.getBoundingClientRect(); return {X: b.left + scrollX, Y: b.top + scrollY, W: b.width, H: b.height}; };
  return {ScrollWidth: document.documentElement.scrollWidth, Width: innerWidth,
    Header: r(".site-header"), Sidebar: r("nav.sidebar"), TopNav: r("nav.top"), Main: r("main"),
    Title: r("main h1"), Content: r("main article"), TOC: r("main .toc"), Text: r("main .clauses, main .reasons"),
    Card: ((td) => td && {Lead: td.innerText, Weight: +getComputedStyle(td).fontWeight})(document.querySelector(".requirements tbody td"))};
})()`

// TestLayout protects how every page type uses a phone (390x844) and a laptop (1366x900)
// screen, with a screenshot of each for a person to look at (-shots DIR keeps them):
//
//   - nothing is wider than the screen (no sideways scrolling);
//   - on the phone the header is at most 64 px tall, the section menu (the program's pages,
//     or the programs) stands above the page's title, and a terms page's first clause
//     starts on the first screen (its table of contents folded);
//   - on the phone a requirements table's rows are cards led by the requirement in bold;
//   - on the laptop the page is centred (the space left and right of it within 64 px of
//     each other, over 100 px unless a table of contents stands beside the text) and a
//     program's page uses most of the width (its menu, text and table of contents span at
//     least 60% of it);
//   - axe-core finds no violation at either width;
//   - printed, a page names its edition and its address and hides the navigation.
func TestLayout(t *testing.T) {
	dir, base, pages := realSite(t)
	served := browsertest.Serve(t, dir, base.Path)
	ctx := browsertest.Browser(t)
	out := *shots
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []screen{phone, desktop} {
		browsertest.Viewport(t, ctx, sc.W, sc.H)
		for _, p := range pages {
			t.Run(fmt.Sprintf("%s/%d", p.typ, sc.W), func(t *testing.T) {
				open(t, ctx, served+p.path, p.typ)
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.Join(out, fmt.Sprintf("%s-%d.png", p.typ, sc.W))
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
				f, err := chromedp.Run(ctx, chromedp.Evaluate[facts](factsJS))
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: header %v, sidebar %v, main %v, toc %v; scroll width %.0f", name, f.Header, f.Sidebar, f.Main, f.TOC, f.ScrollWidth)
				checkLayout(t, p, sc, f)
				if vs := browsertest.Axe(t, ctx, ""); len(vs) > 0 {
					t.Errorf("%d axe violations:\n%s", len(vs), browsertest.FormatViolations(vs))
				}
			})
		}
	}
	t.Run("print", func(t *testing.T) { checkPrint(t, ctx, served, base, pages, out) })
}

// checkLayout checks what TestLayout protects on one page at one screen size.
func checkLayout(t *testing.T, p page, sc screen, f facts) {
	t.Helper()
	if f.ScrollWidth > f.Width {
		t.Errorf("the page is %.0f px wide on a %.0f px screen: it scrolls sideways", f.ScrollWidth, f.Width)
	}
	if f.Main == nil || f.Title == nil || f.Header == nil {
		t.Fatalf("no main, main h1 or header to measure: %+v", f)
	}
	inProgram := p.typ != "home" && p.typ != "compare" && p.typ != "changes" && p.typ != "404"
	if inProgram && f.Sidebar == nil {
		t.Errorf("no menu of the program's pages (nav.sidebar)")
	}
	if sc == phone {
		if f.Header.H > 64 {
			t.Errorf("the header is %.0f px tall on a phone; want at most 64", f.Header.H)
		}
		menu := f.Sidebar
		if menu == nil {
			menu = f.TopNav
		}
		if menu == nil {
			t.Errorf("no section menu on a phone")
		} else if menu.bottom() > f.Title.Y {
			t.Errorf("the section menu ends at y=%.0f, below the title's top (y=%.0f); want it above the page", menu.bottom(), f.Title.Y)
		}
		if p.typ == "requirements" && (f.Card == nil || f.Card.Weight < 700 || strings.HasPrefix(f.Card.Lead, "Requirement")) {
			t.Errorf("the first requirement card leads with %+v; want the requirement itself in bold, not a label", f.Card)
		}
		if p.typ == "terms" && (f.Text == nil || f.Text.Y >= float64(sc.H)) {
			t.Errorf("the terms' first clause starts at %v, not on the first screen (%d px): the table of contents fills it", f.Text, sc.H)
		}
		return
	}
	left, right := f.Main.X, f.Main.right()
	for _, r := range []*rect{f.Sidebar, f.TOC} {
		if r != nil {
			left, right = min(left, r.X), max(right, r.right())
		}
	}
	beside := f.TOC != nil && f.Text != nil && f.TOC.X >= f.Text.right() && f.TOC.Y < float64(sc.H)/3
	if f.TOC != nil && !beside {
		t.Errorf("the table of contents is at (%.0f, %.0f), the text ends at x=%v; want it beside the text near the top", f.TOC.X, f.TOC.Y, f.Text)
	}
	if free := f.Width - right; left-free > 64 || free-left > 64 || (left <= 100 && !beside) {
		t.Errorf("%.0f px free left of the page and %.0f px right of it; want it centred, over 100 px each (unless a table of contents uses the room)", left, free)
	}
	if used := right - left; f.Sidebar != nil && used < 0.6*f.Width {
		t.Errorf("the menu, text and table of contents span %.0f px of %.0f; want at least 60%%", used, f.Width)
	}
}

// printJS reports, under print media, the text of the printed source line and which
// navigation is still shown.
const printJS = `(() => {
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const src = document.querySelector(".print-source");
  return {Source: src && shown(src) ? src.textContent : "",
    Nav: [...document.querySelectorAll("nav, .skip, .site-header, .switcher")].filter(shown).map((e) => e.outerHTML.slice(0, 80))};
})()`

// checkPrint emulates print media on each page and checks that the printed page names its
// edition (the one its switcher names; the compare page spans them) and its address under
// the baseURL (an edition's copy its own, unless it is the current edition's), and shows no
// navigation. The
// printed terms page's first screen is written to out.
func checkPrint(t *testing.T, ctx context.Context, served string, base *url.URL, pages []page, out string) {
	browsertest.Viewport(t, ctx, desktop.W, desktop.H)
	browsertest.EmulateMedia(t, ctx, "print", "")
	defer browsertest.EmulateMedia(t, ctx, "", "")
	var current string // the current edition's label, as the home page names it
	for _, p := range pages {
		if p.typ == "404" {
			continue // no address of its own
		}
		openFor(t, ctx, served+p.path, p.typ, false)
		label, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(".switcher summary") || {textContent: ""}).textContent.replace(/^Edition:\s*/, "")`))
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
			Source string
			Nav    []string
		}](printJS))
		if err != nil {
			t.Fatal(err)
		}
		if p.typ == "home" {
			current = label
		}
		addr := base.String() + strings.TrimSuffix(p.path, "index.html")
		switch {
		case p.typ == "compare":
			label = "" // it spans the editions
		case p.typ == "edition" && label == current:
			addr = base.String() + strings.SplitN(strings.TrimSuffix(p.path, "index.html"), "/", 3)[2]
		}
		if !strings.HasSuffix(got.Source, "Printed from "+addr) || (label != "") != strings.Contains(got.Source, label+" edition") {
			t.Errorf("%s printed says %q; want the edition %q and the address %s", p.typ, got.Source, label, addr)
		}
		if len(got.Nav) > 0 {
			t.Errorf("%s printed shows navigation: %s", p.typ, strings.Join(got.Nav, "; "))
		}
		if p.typ == "terms" {
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "terms-print.png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
