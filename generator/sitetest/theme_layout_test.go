package sitetest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"github.com/chromedp/chromedp"
)

// box is an element's place on the page in CSS pixels: left, top (from the page's top),
// width and height.
type box struct{ X, Y, W, H float64 }

// boxesOf measures the first element of each selector on the page loaded in ctx; a missing
// element fails the test.
func boxesOf(t *testing.T, ctx context.Context, page string, sels ...string) map[string]box {
	t.Helper()
	js := fmt.Sprintf(`JSON.stringify(Object.fromEntries(%s.map((s) => {
  const e = document.querySelector(s); if (!e) return [s, null];
  const b = e.getBoundingClientRect();
  return [s, {X: b.left, Y: b.top + scrollY, W: b.width, H: b.height}];
})))`, mustJSON(sels))
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	var out map[string]*box
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatal(err)
	}
	res := map[string]box{}
	for _, s := range sels {
		if out[s] == nil {
			t.Fatalf("%s: no %s", page, s)
		}
		res[s] = *out[s]
	}
	return res
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestThemePhoneHeader protects the first screen of a phone (390x844): the header is at most
// two short lines, the program's page list stands right under it (not after the page), and
// the page's title starts in the top third of the screen.
func TestThemePhoneHeader(t *testing.T) {
	dir, _ := realSite(t)
	base := browsertest.Serve(t, dir, otherPath)
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	browsertest.Viewport(t, ctx, 390, 844)
	for _, pt := range pageTypes {
		if pt.typ == "home" || pt.typ == "404" {
			continue
		}
		page := base + pt.path
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		b := boxesOf(t, ctx, page, ".site-header", "nav.sidebar", "main h1")
		if h := b[".site-header"].H; h > 100 {
			t.Errorf("%s: the header is %.0f px tall on a phone; want at most 100", pt.typ, h)
		}
		if s := b["nav.sidebar"]; s.Y > 160 || s.H > 60 {
			t.Errorf("%s: the program's page list is at y=%.0f, %.0f px tall; want one line under the header (y <= 160, at most 60 px)", pt.typ, s.Y, s.H)
		}
		if y := b["main h1"].Y; y > 844/3 {
			t.Errorf("%s: the title starts at y=%.0f; want it in the first third of the screen (<= %d)", pt.typ, y, 844/3)
		}
		if w, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
			t.Errorf("%s: the page is %.0f px wide on a 390 px screen (%v)", pt.typ, w, err)
		}
	}
}

// TestThemeDesktopLayout protects the use of a 1366x900 screen: the page list and the text
// are centred together (the space left of them and right of them differ by less than 64
// px), and on a terms page the table of contents is a column beside the clauses whose top
// is on the first screen, not a block above them.
func TestThemeDesktopLayout(t *testing.T) {
	dir, _ := realSite(t)
	base := browsertest.Serve(t, dir, otherPath)
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	browsertest.Viewport(t, ctx, 1366, 900)
	for _, pt := range pageTypes {
		if pt.typ == "404" {
			continue
		}
		page := base + pt.path
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		sels := []string{"main"}
		if pt.typ != "home" {
			sels = append(sels, "nav.sidebar")
		}
		b := boxesOf(t, ctx, page, sels...)
		left, right := b["main"].X, 1366-(b["main"].X+b["main"].W)
		if s, ok := b["nav.sidebar"]; ok {
			left = s.X
		}
		if math.Abs(left-right) > 64 {
			t.Errorf("%s: %.0f px empty left of the content and %.0f px right of it; want it centred", pt.typ, left, right)
		}
		if pt.typ == "terms" {
			b := boxesOf(t, ctx, page, ".toc", ".clauses")
			toc, text := b[".toc"], b[".clauses"]
			if toc.X < text.X+text.W || toc.Y > 300 {
				t.Errorf("terms: the table of contents is at x=%.0f y=%.0f, the clauses end at x=%.0f; want it beside them near the top", toc.X, toc.Y, text.X+text.W)
			}
			if open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".toc > details").open`)); err != nil || !open {
				t.Errorf("terms: the table of contents beside the text is folded (%v)", err)
			}
		}
	}
}
