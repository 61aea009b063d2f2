package sitetest

import (
	"context"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"github.com/chromedp/chromedp"
)

// TestThemeChecklist protects a checklist as an applicant uses it on a phone: each item is
// one run of text with its links inline (the "(" before a link ends on the link's line, right
// before it), the box is at least 24 px, tapping the item's text ticks its box, and the tick
// is kept for the page, not the address: checklist/ and checklist/index.html, and the page
// in an edition, show it.
func TestThemeChecklist(t *testing.T) {
	dir, _ := realSite(t)
	base := browsertest.Serve(t, dir, otherPath)
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	browsertest.Viewport(t, ctx, 390, 844)
	page := base + "aliexpress/checklist/index.html"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(".note.js-only")); err != nil {
		t.Fatal(err)
	}

	// Inline links: for each item with a link, where its text before the link ends and where
	// the link starts.
	type gap struct {
		Item           int
		Top, LinkTop   float64
		Right, LinkLft float64
	}
	gaps, err := chromedp.Run(ctx, chromedp.Evaluate[[]gap](`[...document.querySelectorAll(".checklist li")].flatMap((li, i) => {
  const a = li.querySelector("a"); const t = a && a.previousSibling;
  if (!t || t.nodeType !== 3 || !t.data.length) return [];
  const r = document.createRange(); r.setStart(t, t.data.length - 1); r.setEnd(t, t.data.length);
  const c = r.getClientRects(); const last = c[c.length - 1]; const l = a.getClientRects()[0];
  return [{Item: i, Top: last.top, LinkTop: l.top, Right: last.right, LinkLft: l.left}];
})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) < 3 {
		t.Fatalf("only %d checklist items with a link after text; the page has more", len(gaps))
	}
	for _, g := range gaps {
		if d := g.LinkTop - g.Top; d > 4 || d < -4 || g.LinkLft-g.Right > 2 || g.LinkLft < g.Right-2 {
			t.Errorf("item %d: the text before its link ends at (%.0f, %.0f) and the link starts at (%.0f, %.0f); want them side by side on one line",
				g.Item, g.Right, g.Top, g.LinkLft, g.LinkTop)
		}
	}

	size, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const b = document.querySelector("main input.task").getBoundingClientRect(); return [b.width, b.height]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if size[0] < 24 || size[1] < 24 {
		t.Errorf("the checkbox is %vx%v px; want at least 24x24", size[0], size[1])
	}

	// Tap the first item's text, away from its box and its link: it ticks.
	pt, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
  const li = document.querySelector(".checklist li"); const box = li.querySelector("input.task");
  const b = box.getBoundingClientRect(); li.scrollIntoView({block: "center"});
  const r = document.createRange(); const t = [...li.querySelectorAll("*"), li].flatMap((e) => [...e.childNodes]).find((n) => n.nodeType === 3 && n.data.trim().length > 8);
  r.setStart(t, 2); r.setEnd(t, 5); const c = r.getBoundingClientRect();
  return [c.left + c.width / 2, c.top + c.height / 2, box.getBoundingClientRect().right];
})()`))
	if err != nil {
		t.Fatal(err)
	}
	if pt[0] <= pt[2] {
		t.Fatalf("the text to tap is at x=%.0f, on the box (its right edge %.0f)", pt[0], pt[2])
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
		t.Fatal(err)
	}
	ticks := func(url string) []bool {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible("main input.task")); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[...document.querySelectorAll("main input.task")].map((b) => b.checked)`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, u := range []string{page, base + "aliexpress/checklist/", base + "v/latest/aliexpress/checklist/index.html", base + "v/" + firstEdition(t, dir) + "/aliexpress/checklist/index.html"} {
		got := ticks(u)
		if len(got) < 2 || !got[0] || got[1] {
			t.Errorf("%s: the boxes are %v after tapping the first item's text; want the first ticked, the others not", u, got)
		}
	}
	// Another page's ticks are its own.
	if got := ticks(base + "alidropship/checklist/index.html"); len(got) == 0 || got[0] {
		t.Errorf("alidropship's checklist shows %v; want aliexpress's tick not to appear there", got)
	}
}
