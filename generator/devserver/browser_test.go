package devserver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"affdocs/generator/buildcache"
	"affdocs/generator/toolchain"
	"github.com/chromedp/chromedp"
)

// TestBrowser protects what an editor sees, in Debian's chromium, on a copy of the real
// site served under a sub-path: a Markdown save shows the new text without a manual
// reload; a CSS save restyles the page without reloading it; a broken front matter shows
// the problem in an overlay, which goes when the file is fixed. The page loads without
// errors or Content-Security-Policy violations, the live-reload script included.
func TestBrowser(t *testing.T) {
	ctx := browsertest.Browser(t)
	dir := copySite(t)
	w := startWatched(t, dir, siteRebuild(dir, testOptions()), false, "/preview/")
	b := tab{t, ctx, w}
	page := w.URL + "alidropship/terms/"

	if errs := browsertest.PageErrors(t, ctx, page); len(errs) > 0 {
		t.Fatalf("loading %s:\n%s", page, strings.Join(errs, "\n"))
	}
	b.connected()

	// A Markdown save: the new text appears by itself.
	const marker = "Saved a moment ago, shown without a manual reload."
	md := read(t, dir, "content/alidropship/terms.md")
	write(t, dir, "content/alidropship/terms.md", md+"\n"+marker+"\n")
	b.waitUntil("after a Markdown save", `document.body.innerText.includes(`+jsString(marker)+`)`)

	// A CSS save: the style changes, the page is not reloaded (a window variable survives).
	b.connected()
	b.eval(`window.notReloaded = true`)
	before := b.eval(`getComputedStyle(document.querySelector("main")).outlineColor`)
	css := read(t, dir, "themes/default/static/assets/site.css")
	write(t, dir, "themes/default/static/assets/site.css", css+"\nmain { outline: 3px solid rgb(1, 2, 3); }\n")
	b.waitUntil("after a CSS save", `getComputedStyle(document.querySelector("main")).outlineColor === "rgb(1, 2, 3)"`)
	if b.eval(`window.notReloaded === true`) != true {
		t.Errorf("the CSS save reloaded the page (outline color was %v)", before)
	}
	if n := b.eval(`document.querySelectorAll('link[rel="stylesheet"][href*="site.css"]').length`); n != float64(1) {
		t.Errorf("%v site.css links after the swap, want 1", n)
	}

	// A broken front matter: the overlay shows where, escaped, as an alert.
	broken := strings.Replace(md, "title: ", "title: [<b>unclosed\n", 1)
	write(t, dir, "content/alidropship/terms.md", broken)
	b.waitUntil("after a broken save", `(() => {
		const o = document.querySelector("#livereload-overlay[role=alert]");
		return !!o && o.textContent.includes("content/alidropship/terms.md:") && !o.querySelector("b");
	})()`)
	if b.eval(`window.notReloaded === true`) != true {
		t.Errorf("the broken save reloaded the page")
	}
	text := b.eval(`document.querySelector("#livereload-overlay code").textContent`).(string)
	if !strings.Contains(text, "content/alidropship/terms.md:") || !strings.Contains(text, "front matter") {
		t.Errorf("overlay line %q, want path:line:col: front matter: ...", text)
	}

	// Fixed: the overlay goes.
	write(t, dir, "content/alidropship/terms.md", md+"\n"+marker+"\n")
	b.waitUntil("after the fix", `document.querySelector("#livereload-overlay") === null`)
	if b.eval(`window.notReloaded === true`) != true {
		t.Errorf("restoring the last good text reloaded the page (nothing in it changed)")
	}
	if errs := browsertest.PageErrors(t, ctx, page); len(errs) > 0 {
		t.Errorf("reloading %s:\n%s", page, strings.Join(errs, "\n"))
	}
}

// TestBrowserFollow protects -follow: a save to another page takes the browser there.
func TestBrowserFollow(t *testing.T) {
	ctx := browsertest.Browser(t)
	dir := copySite(t)
	w := startWatched(t, dir, siteRebuild(dir, testOptions()), true, "")
	b := tab{t, ctx, w}
	if err := chromedp.Do(ctx, chromedp.Navigate(w.URL+"alidropship/terms/")); err != nil {
		t.Fatal(err)
	}
	b.connected()
	md := read(t, dir, "content/aliexpress/checklist.md")
	write(t, dir, "content/aliexpress/checklist.md", md+"\n- [ ] A step added just now\n")
	b.waitUntil("following the save", `location.pathname === "/aliexpress/checklist/" && document.body.innerText.includes("A step added just now")`)
}

// TestBrowserPatchInPlace protects reload in place, on the self-check page (its module
// included), whose script builds the form's result as the applicant types: a Markdown save
// that adds a paragraph above the form shows it without reloading the page (a window
// variable and an element taken before survive, the navigation is still the first one,
// no script or module is fetched again), and the window stays scrolled where it was, the
// typed text, the ticked box, the focus and the script's verdict stay. A new title is
// patched in place too; a CSS save swaps the stylesheet, and the next Markdown save is
// still patched in place.
func TestBrowserPatchInPlace(t *testing.T) {
	ctx := browsertest.Browser(t)
	dir := copySite(t)
	opt := testOptions()
	opt.SelfCheck = selfCheckModule
	w := startWatched(t, dir, siteRebuild(dir, opt), false, "/preview/")
	b := tab{t, ctx, w}
	browsertest.Viewport(t, ctx, 390, 844) // a phone: the page scrolls
	page := w.URL + "alidropship/self-check/"
	if errs := browsertest.PageErrors(t, ctx, page); len(errs) > 0 {
		t.Fatalf("loading %s:\n%s", page, strings.Join(errs, "\n"))
	}
	b.waitUntil("the self-check starts", `!document.getElementById("selfcheck").hidden`)
	b.ready()

	if err := chromedp.Do(ctx,
		chromedp.SendKeys("#sc-username", "jane-doe"),
		chromedp.Click("#sc-channels-copied_or_generated"),
		chromedp.SendKeys("#sc-promotion", "Weekly reviews."),
	); err != nil {
		t.Fatal(err)
	}
	b.waitUntil("the verdict", `document.getElementById("sc-findings").children.length > 0`)
	time.Sleep(300 * time.Millisecond) // the form updates its verdict 150ms after the last key
	const state = `JSON.stringify({
		scroll: scrollY,
		username: document.getElementById("sc-username").value,
		promotion: document.getElementById("sc-promotion").value,
		ticked: document.getElementById("sc-channels-copied_or_generated").checked,
		focus: document.activeElement.id,
		verdict: document.getElementById("sc-verdict").textContent,
		findings: document.getElementById("sc-findings").children.length,
		formShown: !document.getElementById("selfcheck").hidden,
		notReloaded: window.__marker === 1 && document.contains(window.__form),
		navigations: performance.getEntriesByType("navigation").map((e) => e.type).join() + "/" + performance.navigation.type,
		scripts: performance.getEntriesByType("resource").filter((e) => /\.(js|wasm)\b/.test(e.name)).length,
	})`
	b.eval(`scrollTo(0, 700); window.__marker = 1; window.__form = document.getElementById("selfcheck")`)
	before := b.eval(state).(string)
	if !strings.Contains(before, `"scroll":700,`) || !strings.Contains(before, `"focus":"sc-promotion"`) || !strings.Contains(before, `"notReloaded":true`) {
		t.Fatalf("before the save: %s", before)
	}

	const added = "A paragraph added above the form a moment ago."
	md := read(t, dir, "content/alidropship/self-check.md")
	edited := strings.Replace(md, "\n---\n", "\n---\n\n"+added+"\n", 1)
	write(t, dir, "content/alidropship/self-check.md", edited)
	b.waitUntil("after a Markdown save", `document.querySelector("main").textContent.includes(`+jsString(added)+`)`)
	if after := b.eval(state).(string); after != before {
		t.Errorf("the save changed the page's state:\nbefore %s\nafter  %s", before, after)
	}

	// A new title: the <title> and the heading change, in place.
	edited = strings.Replace(edited, "title: AliDropship application self-check", "title: AliDropship self-check, renamed", 1)
	write(t, dir, "content/alidropship/self-check.md", edited)
	b.waitUntil("after a new title", `document.title.startsWith("AliDropship self-check, renamed") && document.querySelector("h1").textContent.includes("renamed")`)
	b.notReloaded("the new title")

	// A CSS save swaps the stylesheet; the next Markdown save is still patched in place.
	css := read(t, dir, "themes/default/static/assets/site.css")
	write(t, dir, "themes/default/static/assets/site.css", css+"\nmain { outline: 3px solid rgb(1, 2, 3); }\n")
	b.waitUntil("after a CSS save", `getComputedStyle(document.querySelector("main")).outlineColor === "rgb(1, 2, 3)"`)
	b.notReloaded("the CSS save")
	const again = "And one more, after the stylesheet changed."
	write(t, dir, "content/alidropship/self-check.md", edited+"\n"+again+"\n")
	b.waitUntil("after a Markdown save", `document.querySelector("main").textContent.includes(`+jsString(again)+`)`)
	b.notReloaded("a Markdown save after the CSS save")
	if v := b.eval(`document.getElementById("sc-promotion").value`); v != "Weekly reviews." {
		t.Errorf("the typed text is now %q", v)
	}
}

// TestBrowserReloadFallback protects what reload in place leaves to a reload: a layout
// that adds to every page's <head>, or adds a script, reloads the page (the new document
// has the change, the old window's variable is gone), and so does a change to an image
// the page shows, though its HTML stays the same; on the checklist, a paragraph added
// is patched in place and the ticked box stays ticked, but an item reworded, whose box's
// data-task the checklist script read as it started, reloads.
func TestBrowserReloadFallback(t *testing.T) {
	ctx := browsertest.Browser(t)
	dir := copySite(t)
	w := startWatched(t, dir, siteRebuild(dir, testOptions()), false, "")
	b := tab{t, ctx, w}
	reloadsAfter := func(what string, change func(), want string) {
		t.Helper()
		b.ready()
		b.eval(`window.__marker = 1; window.__form = document.body`)
		change()
		b.waitUntil(what, want)
		b.waitUntil(what+" reloads", `window.__marker === undefined && performance.getEntriesByType("navigation")[0].type === "reload"`)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(w.URL+"alidropship/terms/")); err != nil {
		t.Fatal(err)
	}
	layout := read(t, dir, "themes/default/layouts/baseof.html")
	edit := func(old, new string) func() {
		return func() {
			if !strings.Contains(layout, old) {
				t.Fatalf("baseof.html has no %q", old)
			}
			layout = strings.Replace(layout, old, new, 1)
			write(t, dir, "themes/default/layouts/baseof.html", layout)
		}
	}
	reloadsAfter("a <head> change", edit(`<meta charset="utf-8">`, `<meta charset="utf-8"><meta name="x-test" content="1">`),
		`document.querySelector('meta[name="x-test"]') !== null`)
	reloadsAfter("a script added", edit(`</body>`, `<script src="{{.Asset "assets/editions.js"}}" defer></script></body>`),
		`document.querySelectorAll('script[src*="editions.js"]').length === 1`)

	// An image added is patched in place; the image changed reloads (the HTML is the same).
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="10"></svg>`
	write(t, dir, "content/alidropship/chart.svg", fmt.Sprintf(svg, 10))
	b.ready()
	b.eval(`window.__marker = 1; window.__form = document.querySelector("main")`)
	md := read(t, dir, "content/alidropship/terms.md")
	write(t, dir, "content/alidropship/terms.md", md+"\n![A chart](../chart.svg)\n")
	b.waitUntil("an image added", `document.querySelector('img[src$="chart.svg"]')?.naturalWidth === 10`)
	b.notReloaded("an image added")
	reloadsAfter("the image changed", func() { write(t, dir, "content/alidropship/chart.svg", fmt.Sprintf(svg, 20)) },
		`document.querySelector('img[src$="chart.svg"]')?.naturalWidth === 20`)

	if err := chromedp.Do(ctx, chromedp.Navigate(w.URL+"alidropship/checklist/")); err != nil {
		t.Fatal(err)
	}
	b.ready()
	if err := chromedp.Do(ctx, chromedp.Click("input.task")); err != nil {
		t.Fatal(err)
	}
	b.eval(`window.__marker = 1; window.__form = document.querySelector("input.task")`)
	md = read(t, dir, "content/alidropship/checklist.md")
	md = strings.Replace(md, "\n---\n", "\n---\n\nA paragraph added a moment ago.\n", 1)
	write(t, dir, "content/alidropship/checklist.md", md)
	b.waitUntil("a paragraph added", `document.body.textContent.includes("A paragraph added a moment ago.")`)
	b.notReloaded("a paragraph added to the checklist")
	if b.eval(`document.querySelector("input.task").checked`) != true {
		t.Errorf("the ticked box is no longer ticked")
	}
	const item = "- [ ] My website or other channel is active"
	if !strings.Contains(md, item) {
		t.Fatalf("checklist.md has no %q", item)
	}
	reloadsAfter("an item reworded", func() {
		write(t, dir, "content/alidropship/checklist.md", strings.Replace(md, item, item+", reworded,", 1))
	}, `document.body.textContent.includes("is active, reworded,")`)
}

// TestBrowserPatchMatchesServed protects the patch against the only oracle there is: after
// each of a series of random edits to a page's Markdown (paragraphs added, removed, swapped,
// copied, words changed, in one place or several per save), the patched page's <body> is
// the same as the <body> the server now serves, and the page was never reloaded.
func TestBrowserPatchMatchesServed(t *testing.T) {
	ctx := browsertest.Browser(t)
	dir := copySite(t)
	w := startWatched(t, dir, siteRebuild(dir, testOptions()), false, "")
	b := tab{t, ctx, w}
	browsertest.Viewport(t, ctx, 390, 844) // a phone: the contents stay folded, as served
	if err := chromedp.Do(ctx, chromedp.Navigate(w.URL+"alidropship/terms/")); err != nil {
		t.Fatal(err)
	}
	b.ready()
	b.eval(`window.__marker = 1; window.__form = document.querySelector("main")`)

	const source = "content/alidropship/terms.md"
	md := read(t, dir, source)
	end := strings.Index(md[3:], "\n---\n") + 3 + len("\n---\n")
	front, blocks := md[:end], strings.Split(strings.TrimSpace(md[end:]), "\n\n")
	rnd := rand.New(rand.NewPCG(1, 2))
	// prose picks a block that is not a heading: headings carry the anchors other pages
	// link to, and a broken link fails the build.
	prose := func() int {
		for {
			if i := rnd.IntN(len(blocks)); !strings.HasPrefix(blocks[i], "#") {
				return i
			}
		}
	}
	edits := []func(){
		func() { // a paragraph added
			i := rnd.IntN(len(blocks) + 1)
			blocks = slices.Insert(blocks, i, fmt.Sprintf("A paragraph added at %d, with *emphasis*.", i))
		},
		func() { // a block removed
			i := prose()
			blocks = slices.Delete(blocks, i, i+1)
		},
		func() { // a word changed
			i := prose()
			blocks[i] = strings.Replace(blocks[i], " the ", " the changed ", 1) + " More."
		},
		func() { // two blocks swapped
			i := rnd.IntN(len(blocks) - 1)
			blocks[i], blocks[i+1] = blocks[i+1], blocks[i]
		},
		func() { // a block copied further on
			i := prose()
			blocks = slices.Insert(blocks, min(len(blocks), i+1+rnd.IntN(3)), blocks[i])
		},
	}
	const sameBody = `(() => {
		const x = new XMLHttpRequest();
		x.open("GET", location.href, false);
		x.send();
		const served = new DOMParser().parseFromString(x.responseText, "text/html");
		return document.body.isEqualNode(served.body);
	})()`
	for step := range 20 {
		for range 1 + rnd.IntN(2) {
			edits[rnd.IntN(len(edits))]()
		}
		write(t, dir, source, front+"\n"+strings.Join(blocks, "\n\n")+"\n")
		w.waitFor(t, source)
		b.waitUntil(fmt.Sprintf("edit %d", step), sameBody)
		b.notReloaded(fmt.Sprintf("edit %d", step))
	}
}

// selfCheckModule is the self-check module, compiled once per test binary (its compressed
// copies come from the build cache, as `make` keeps them).
var selfCheckModule = sync.OnceValues(func() (*toolchain.Module, error) {
	return toolchain.SelfCheck(context.Background(), filepath.Join(buildcache.Root(), "modules"))
})

// tab is a browser tab on a watched server's pages, with what the browser tests and
// benchmarks do in it.
type tab struct {
	t   testing.TB
	ctx context.Context
	w   *watched
}

// connected waits until a page is connected to the event stream.
func (b tab) connected() {
	b.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); b.w.hub.count() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.t.Fatal("the page did not connect to the event stream")
		}
	}
}

// settled waits until the watcher has been quiet for a moment (no rebuild under way is
// about to tell the page something), and the page has loaded and connected.
func (b tab) settled() {
	b.t.Helper()
	for quiet := false; !quiet; {
		select {
		case <-b.w.rebuilds:
		case <-time.After(200 * time.Millisecond):
			quiet = true
		}
	}
	b.waitUntil("the page loads", `document.readyState === "complete"`)
	b.connected()
}

// ready is settled, and the live-reload script has the copy of the page as served that
// it patches the page from.
func (b tab) ready() {
	b.t.Helper()
	b.settled()
	b.waitUntil("the page's served copy", `performance.getEntriesByType("resource").some((e) => e.initiatorType === "fetch" && e.name === location.href.split("#")[0])`)
	time.Sleep(50 * time.Millisecond) // and has parsed it
}

// notReloaded checks that the page was not reloaded, nor the element in window.__form
// replaced, since window.__marker was set.
func (b tab) notReloaded(after string) {
	b.t.Helper()
	if b.eval(`window.__marker === 1 && document.contains(window.__form)`) != true {
		b.t.Errorf("%s reloaded the page", after)
	}
}

// eval evaluates js in the page.
func (b tab) eval(js string) any {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitUntil evaluates js until it is true; the page may reload meanwhile.
func (b tab) waitUntil(what, js string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := try[bool](b.ctx, js)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: %s is still not true after 10s (last error: %v)", what, js, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// try evaluates js once, giving up after a second: a reload may be replacing the page.
func try[T any](ctx context.Context, js string) (T, error) {
	tctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return chromedp.Run(tctx, chromedp.Evaluate[T](js))
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
