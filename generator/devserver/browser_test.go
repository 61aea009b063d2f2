package devserver

import (
	"context"
	"strings"
	"testing"
	"time"

	"affdocs/generator/browsertest"
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
	page := w.URL + "alidropship/terms/"

	if errs := browsertest.PageErrors(t, ctx, page); len(errs) > 0 {
		t.Fatalf("loading %s:\n%s", page, strings.Join(errs, "\n"))
	}
	connected := func() {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for w.hub.count() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the page did not connect to the event stream")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	connected()
	eval := func(js string) any {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	// waitUntil evaluates js until it is true; the page may reload meanwhile.
	waitUntil := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			tctx, cancel := context.WithTimeout(ctx, time.Second)
			ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool](js))
			cancel()
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s is still not true after 10s (last error: %v)", what, js, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// A Markdown save: the new text appears by itself.
	const marker = "Saved a moment ago, shown without a manual reload."
	md := read(t, dir, "content/alidropship/terms.md")
	write(t, dir, "content/alidropship/terms.md", md+"\n"+marker+"\n")
	waitUntil("after a Markdown save", `document.body.innerText.includes(`+jsString(marker)+`)`)

	// A CSS save: the style changes, the page is not reloaded (a window variable survives).
	connected()
	eval(`window.notReloaded = true`)
	before := eval(`getComputedStyle(document.querySelector("main")).outlineColor`)
	css := read(t, dir, "themes/default/static/assets/site.css")
	write(t, dir, "themes/default/static/assets/site.css", css+"\nmain { outline: 3px solid rgb(1, 2, 3); }\n")
	waitUntil("after a CSS save", `getComputedStyle(document.querySelector("main")).outlineColor === "rgb(1, 2, 3)"`)
	if eval(`window.notReloaded === true`) != true {
		t.Errorf("the CSS save reloaded the page (outline color was %v)", before)
	}
	if n := eval(`document.querySelectorAll('link[rel="stylesheet"][href*="site.css"]').length`); n != float64(1) {
		t.Errorf("%v site.css links after the swap, want 1", n)
	}

	// A broken front matter: the overlay shows where, escaped, as an alert.
	broken := strings.Replace(md, "title: ", "title: [<b>unclosed\n", 1)
	write(t, dir, "content/alidropship/terms.md", broken)
	waitUntil("after a broken save", `(() => {
		const o = document.querySelector("#livereload-overlay[role=alert]");
		return !!o && o.textContent.includes("content/alidropship/terms.md:") && !o.querySelector("b");
	})()`)
	if eval(`window.notReloaded === true`) != true {
		t.Errorf("the broken save reloaded the page")
	}
	text := eval(`document.querySelector("#livereload-overlay code").textContent`).(string)
	if !strings.Contains(text, "content/alidropship/terms.md:") || !strings.Contains(text, "front matter") {
		t.Errorf("overlay line %q, want path:line:col: front matter: ...", text)
	}

	// Fixed: the overlay goes.
	write(t, dir, "content/alidropship/terms.md", md+"\n"+marker+"\n")
	waitUntil("after the fix", `document.querySelector("#livereload-overlay") === null`)
	if eval(`window.notReloaded === true`) != true {
		t.Errorf("restoring the last good text reloaded the page (nothing in it changed)")
	}
	if errs := browsertest.PageErrors(t, ctx, page); len(errs) > 0 {
		t.Errorf("reloading %s:\n%s", page, strings.Join(errs, "\n"))
	}
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// TestBrowserFollow protects -follow: a save to another page takes the browser there.
func TestBrowserFollow(t *testing.T) {
	ctx := browsertest.Browser(t)
	dir := copySite(t)
	w := startWatched(t, dir, siteRebuild(dir, testOptions()), true, "")
	if err := chromedp.Do(ctx, chromedp.Navigate(w.URL+"alidropship/terms/")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); w.hub.count() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the page did not connect to the event stream")
		}
	}
	md := read(t, dir, "content/aliexpress/checklist.md")
	write(t, dir, "content/aliexpress/checklist.md", md+"\n- [ ] A step added just now\n")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		tctx, cancel := context.WithTimeout(ctx, time.Second)
		loc, err := chromedp.Run(tctx, chromedp.Evaluate[string](`location.pathname + "|" + document.body.innerText.includes("A step added just now")`))
		cancel()
		if err == nil && loc == "/aliexpress/checklist/|true" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser did not follow to the changed page: %q (%v)", loc, err)
		}
	}
}
