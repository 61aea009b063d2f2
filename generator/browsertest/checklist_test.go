package browsertest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"github.com/chromedp/chromedp"
)

// item is a checklist item as the page shows it.
type item struct {
	Text, Label  string // the item's text and its one label's, white space collapsed, lower case
	Links        int    // links in the item's text
	LinksInLabel bool   // every one of them is inside the label
	Split        string // displays of the item and its label that lay text out in columns
	Checked      bool
	W, H         float64 // the box's size
}

const itemsJS = `(() => {
  const norm = (s) => s.replace(/\s+/g, " ").trim().toLowerCase();
  const own = (li) => [...li.childNodes].filter((n) => !/^(UL|OL)$/.test(n.nodeName)).map((n) => n.textContent).join("");
  return [...document.querySelectorAll("main input.task")].map((box) => {
    const li = box.closest("li"), label = box.labels.length === 1 ? box.labels[0] : null;
    const links = [...li.querySelectorAll("a")].filter((a) => a.closest("li") === li);
    const b = box.getBoundingClientRect();
    return {Text: norm(own(li)), Label: label ? norm(label.textContent) : "", Links: links.length,
      LinksInLabel: !!label && links.every((a) => label.contains(a)),
      Split: [li, label, box.parentElement].filter((e) => e).map((e) => getComputedStyle(e).display).filter((d) => /flex|grid/.test(d)).join(" "),
      Checked: box.checked, W: b.width, H: b.height};
  });
})()`

// tapJS scrolls item %d into view and returns where to tap: on its text, away from the box
// and from links (%v: false), or on its first link (true), with the box's right edge.
const tapJS = `((i, link) => {
  const box = document.querySelectorAll("main input.task")[i], li = box.closest("li");
  li.scrollIntoView({block: "center"});
  let r;
  if (link) {
    r = li.querySelector("a").getClientRects()[0];
  } else {
    const w = document.createTreeWalker(li, NodeFilter.SHOW_TEXT, {acceptNode: (n) =>
      n.parentElement.closest("a, li") !== li || n.data.trim().length < 6 ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT});
    const t = w.nextNode(), k = t.data.search(/\S/) + 2, rg = document.createRange();
    rg.setStart(t, k); rg.setEnd(t, k + 1); r = rg.getBoundingClientRect();
  }
  return [r.left + r.width / 2, r.top + r.height / 2, box.getBoundingClientRect().right];
})(%d, %v)`

// TestChecklist protects a checklist as an applicant uses it on a phone (390x844):
//
//   - each item is one labelled control: its box and all its text, links included, inside
//     one <label>, and nothing lays the text out in columns around a link;
//   - the box is at least 24x24 px;
//   - tapping an item's text (away from the box) ticks the box; tapping a link in it opens
//     the link and ticks nothing;
//   - a tick belongs to the program's checklist and the item's wording, not to an address:
//     checklist/, checklist/index.html, v/latest/ and every edition's copy show it where the
//     item's wording is the same, an item reworded in an edition is unticked there, and the
//     other program's checklist shows none of it.
func TestChecklist(t *testing.T) {
	dir, base, _ := realSite(t)
	served := browsertest.Serve(t, dir, base.Path)
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	browsertest.Viewport(t, ctx, phone.W, phone.H)
	const list = "aliexpress/checklist/"

	items := func(u string) []item {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady("main input.task")); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]item](itemsJS))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < 4 {
			t.Fatalf("%s has %d checklist items; the real site's have more", u, len(got))
		}
		return got
	}

	// The editions' copies, and the wordings every one of them has.
	var copies []string
	everywhere := map[string]int{}
	eds, _ := os.ReadDir(filepath.Join(dir, "v"))
	for _, e := range eds {
		if _, err := os.Stat(filepath.Join(dir, "v", e.Name(), filepath.FromSlash(list), "index.html")); err == nil {
			copies = append(copies, "v/"+e.Name()+"/"+list)
			for _, it := range items(served + copies[len(copies)-1]) {
				everywhere[it.Text]++
			}
		}
	}
	if len(copies) < 2 {
		t.Fatalf("the site has %d copies of %s under v/; want v/latest/ and an edition", len(copies), list)
	}

	start := items(served + list)
	withLink := -1
	for i, it := range start {
		if it.Label != it.Text || !it.LinksInLabel {
			t.Errorf("item %d: its label says %q; want all of its text %q, links included", i, it.Label, it.Text)
		}
		if it.Split != "" {
			t.Errorf("item %d: laid out as %s, which splits its text around its links", i, it.Split)
		}
		if it.W < 24 || it.H < 24 {
			t.Errorf("item %d: the box is %.0fx%.0f px; want at least 24x24", i, it.W, it.H)
		}
		if it.Links > 0 && i%2 == 1 && withLink < 0 {
			withLink = i
		}
	}
	t.Logf("box %.0fx%.0f px", start[0].W, start[0].H)

	// Tap every other item's text, and every item some copy words differently.
	ticked := map[string]bool{}
	for i, it := range start {
		if i%2 == 1 && everywhere[it.Text] == len(copies) {
			continue
		}
		pt, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(tapJS, i, false)))
		if err != nil {
			t.Fatal(err)
		}
		if pt[0] <= pt[2] {
			t.Fatalf("item %d: the text to tap is at x=%.0f, on the box (its right edge %.0f)", i, pt[0], pt[2])
		}
		if err := chromedp.Do(ctx, chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
			t.Fatal(err)
		}
		ticked[it.Text] = true
	}
	if got := items(served + list); !sameTicks(got, ticked) {
		t.Fatalf("after tapping the text of %d items, %s shows %s", len(ticked), list, ticks(got))
	}

	// Tapping a link inside an unticked item follows the link and ticks nothing.
	if withLink < 0 {
		t.Fatalf("no unticked item with a link to tap")
	}
	pt, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(tapJS, withLink, true)))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
		t.Fatal(err)
	}
	if u := waitAway(t, ctx, served+list); u == "" {
		t.Errorf("tapping the link of item %d did not open it", withLink)
	}

	reworded := 0
	for _, u := range append([]string{list + "index.html", list}, copies...) {
		got := items(served + u)
		if !sameTicks(got, ticked) {
			t.Errorf("%s shows %s; want ticked exactly the items whose wording was ticked on %s", u, ticks(got), list)
		}
		for _, it := range got {
			if !ticked[it.Text] && everywhere[it.Text] < len(copies) {
				reworded++
			}
		}
	}
	if reworded == 0 {
		t.Errorf("no copy of %s words an item differently, so nothing showed that a reworded item starts unticked", list)
	}
	for _, it := range items(served + "alidropship/checklist/") {
		if it.Checked {
			t.Errorf("alidropship's checklist shows %q ticked; want aliexpress's ticks kept to aliexpress", it.Text)
		}
	}
}

// sameTicks reports whether exactly the items whose wording is in ticked are checked.
func sameTicks(items []item, ticked map[string]bool) bool {
	for _, it := range items {
		if it.Checked != ticked[it.Text] {
			return false
		}
	}
	return true
}

// ticks draws a list's boxes: x for ticked, - for not.
func ticks(items []item) string {
	var b strings.Builder
	for _, it := range items {
		if it.Checked {
			b.WriteByte('x')
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// waitAway waits up to five seconds for the tab to leave the page at from, and returns where
// it went ("" if it stayed).
func waitAway(t *testing.T, ctx context.Context, from string) string {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		u, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if u != from {
			return u
		}
	}
	return ""
}
