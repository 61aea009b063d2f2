package devserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"affdocs/generator/corpus"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// BenchmarkSaveToReload measures what an editor waits for: the time from writing a
// Markdown file to the reload event reaching a connected client (an HTTP client reading the
// event stream, as a browser's EventSource does), through the watcher, its quiet window,
// the rebuild and the comparison of outputs. It reports the median and 95th percentile in
// milliseconds, on a copy of the real site and on a generated site of 10,000 pages.
func BenchmarkSaveToReload(b *testing.B) {
	b.Run("site=real", func(b *testing.B) {
		benchSaveToReload(b, copySite(b), "content/alidropship/terms.md", "alidropship/terms/index.html")
	})
	b.Run("site=10000pages", func(b *testing.B) {
		dir := b.TempDir()
		generateSite(b, dir, 100, 100)
		benchSaveToReload(b, dir, "content/s050/p050.md", "s050/p050/index.html")
	})
}

func benchSaveToReload(b *testing.B, dir, source, output string) {
	w := startWatched(b, dir, siteRebuild(dir, testOptions()), false, "")
	if w.Files() == nil {
		b.Fatalf("the site did not build: %v", w.Problems())
	}
	c, _ := connect(b, w.URL)
	orig := read(b, dir, source)
	var lat []time.Duration
	n := 0
	for b.Loop() {
		n++
		start := time.Now()
		write(b, dir, source, fmt.Sprintf("%s\nEdit number %d.\n", orig, n))
		for {
			ev := c.next(b, time.Minute)
			if ev.name == "reload" && (ev.msg.All || slices.Contains(ev.msg.Files, output)) {
				lat = append(lat, ev.at.Sub(start))
				break
			}
			if ev.name == "errors" {
				b.Fatalf("build failed: %v", ev.msg.Errors)
			}
		}
		w.waitFor(b, source) // let the rebuild finish before the next save
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "ms-median")
	b.ReportMetric(ms(lat[(len(lat)*95+99)/100-1]), "ms-p95")
	b.ReportMetric(float64(len(w.Files())), "outputs")
}

// generateSite writes a site of sections × perSection pages (plus the section pages and
// the home page): front matter, headings, lists, inline code and links between pages, so
// that every part of the build has work to do.
func generateSite(t testing.TB, dir string, sections, perSection int) {
	t.Helper()
	put := func(rel, s string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("content/_site.yaml", "title: Generated site\nbaseURL: https://example.org/\n")
	put("content/_index.md", "---\ntitle: Home\n---\n\nWelcome to the generated site.\n")
	for s := range sections {
		put(fmt.Sprintf("content/s%03d/_index.md", s), fmt.Sprintf("---\ntitle: Section %d\ndescription: The pages of section %d.\nweight: %d\n---\n\nThe pages of section %d.\n", s, s, s, s))
		for p := range perSection {
			put(fmt.Sprintf("content/s%03d/p%03d.md", s, p), fmt.Sprintf(`---
title: Page %d of section %d
description: A generated page.
weight: %d
---

## First part {#first}

This is page %d. It links to [the next page](p%03d.md#first) and to [its section](/s%03d/).

- one item
- two *items*

## Second part

Some more text with `+"`code`"+` and **strong** words, so that the page has a realistic size.
Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.
`, p, s, p, p, (p+1)%perSection, s))
		}
	}
}

// BenchmarkSaveToVisible measures what an editor sees: the time from writing a Markdown
// file to its new text being on screen in headless Chromium, through the watcher, the
// rebuild, the event and whatever the page does about it (patch in place, or reload). A
// probe added to every document the tab loads notes the time of the first animation frame
// whose document holds the new text; it is compared with the time of the write (one clock,
// one machine). It reports the median and 95th percentile in milliseconds, and how many
// saves reloaded the page (none, when each is patched in place), on a copy of the real site
// and on the generated 1,000-page corpus (a page of its 400-page section).
func BenchmarkSaveToVisible(b *testing.B) {
	b.Run("site=real", func(b *testing.B) {
		benchSaveToVisible(b, copySite(b), "content/alidropship/terms.md")
	})
	b.Run("site=corpus1000", func(b *testing.B) {
		dir := b.TempDir()
		if _, err := corpus.Generate(dir, 1000, 1); err != nil {
			b.Fatal(err)
		}
		benchSaveToVisible(b, dir, corpus.PagePath(1000, 200))
	})
}

// visibleProbe runs in every document of the tab before its own scripts. It counts the
// documents, and after each animation frame that follows a change to the document, it
// records when the text that sessionStorage "want" names is first in the page;
// sessionStorage survives a reload.
const visibleProbe = `(() => {
  sessionStorage.setItem("documents", String(Number(sessionStorage.getItem("documents")) + 1));
  let pending = false;
  const check = () => {
    pending = false;
    const want = sessionStorage.getItem("want");
    if (want && sessionStorage.getItem("seen") !== want && document.body && document.body.textContent.includes(want)) {
      sessionStorage.setItem("seen", want);
      sessionStorage.setItem("seenAt", String(Date.now()));
    }
  };
  new MutationObserver(() => {
    if (!pending) { pending = true; requestAnimationFrame(check); }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();`

func benchSaveToVisible(b *testing.B, dir, source string) {
	ctx := browsertest.Browser(b)
	w := startWatched(b, dir, siteRebuild(dir, testOptions()), false, "")
	if w.Files() == nil {
		b.Fatalf("the site did not build: %v", w.Problems())
	}
	_, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (page.AddScriptToEvaluateOnNewDocumentResult, error) {
		return cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: visibleProbe})
	})
	if err != nil {
		b.Fatal(err)
	}
	pageURL := w.URL + strings.TrimSuffix(strings.TrimPrefix(source, "content/"), ".md") + "/"
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		b.Fatal(err)
	}
	tab := tab{b, ctx, w}
	tab.settled()
	orig := read(b, dir, source)
	var lat []time.Duration
	n := 0
	for b.Loop() {
		n++
		text := jsString(fmt.Sprintf("Edit number %d.", n))
		tab.eval(`sessionStorage.setItem("want", ` + text + `)`)
		start := time.Now()
		write(b, dir, source, fmt.Sprintf("%s\nEdit number %d.\n", orig, n))
		tab.waitUntil("the edit shows", `sessionStorage.getItem("seen") === `+text)
		at := tab.eval(`Number(sessionStorage.getItem("seenAt"))`).(float64)
		lat = append(lat, time.UnixMilli(int64(at)).Sub(start))
		tab.settled()
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "ms-median")
	b.ReportMetric(ms(lat[(len(lat)*95+99)/100-1]), "ms-p95")
	b.ReportMetric(tab.eval(`Number(sessionStorage.getItem("documents"))`).(float64)-1, "reloads")
}
