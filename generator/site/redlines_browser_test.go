package site

import (
	"context"
	"strings"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"github.com/chromedp/chromedp"
)

// TestRedlineFirstScreen protects a redline as a reader sees it in Chromium, on a 1366x900
// desktop and a 390x844 phone: the one changed clause of a long real policy starts on the
// first screen; an insertion does not look like a link (no underline; a background and a
// box, which print and need no colour) and screen readers are told where it starts; a
// deleted word and the inserted one after it are apart ("3 5", never "35").
func TestRedlineFirstScreen(t *testing.T) {
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	fsys, _ := sitePolicy(t)
	res, err := Build(fsys, Options{LinksWarn: true, Today: sitePolicyToday})
	if err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, public(t, res.Files), "/policies/")
	page := base + "v/2025-07-01/changes/Policies/github-terms/github-community-guidelines/index.html"
	for _, size := range [][2]int64{{1366, 900}, {390, 844}} {
		browsertest.Viewport(t, ctx, size[0], size[1])
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			t.Fatal(err)
		}
		top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
			`document.getElementById("what-if-something-or-someone-offends-you").getBoundingClientRect().top`))
		if err != nil {
			t.Fatal(err)
		}
		if top >= float64(size[1]) {
			t.Errorf("%dx%d: the changed clause starts %.0f px down, below the first screen (%d px)", size[0], size[1], top, size[1])
		}
	}

	type mark struct {
		Decoration, Background, Border, Before string
		Left, Right                            float64
	}
	base = browsertest.Serve(t, public(t, buildEditions(t, Options{})), "/terms-site/")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"v/2026-06/changes/terms/index.html")); err != nil {
		t.Fatal(err)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]mark](`[...document.querySelectorAll(".redline ins, .redline del")].map(e => {
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {Decoration: e.localName + " " + s.textDecorationLine, Background: s.backgroundColor, Border: s.borderTopStyle + " " + s.borderTopWidth,
    Before: getComputedStyle(e, "::before").content, Left: r.left, Right: r.right};
})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) < 2 {
		t.Fatalf("%d marks on the redline; want a deletion and an insertion at least", len(marks))
	}
	for i, m := range marks {
		ins := strings.HasPrefix(m.Decoration, "ins")
		switch {
		case ins && (m.Decoration != "ins none" || m.Border != "solid 1px" || !strings.Contains(m.Before, "insertion start")):
			t.Errorf("insertion %d: %+v; want no underline, a 1px box and its start said", i, m)
		case !ins && (m.Decoration != "del line-through" || !strings.Contains(m.Before, "deletion start")):
			t.Errorf("deletion %d: %+v; want struck through and its start said", i, m)
		case m.Background == "rgba(0, 0, 0, 0)":
			t.Errorf("mark %d has no background: %+v", i, m)
		}
		if i > 0 && !ins && strings.HasPrefix(marks[i-1].Decoration, "ins") || i > 0 && ins && !strings.HasPrefix(marks[i-1].Decoration, "ins") {
			if gap := m.Left - marks[i-1].Right; gap > -1 && gap < 3 {
				t.Errorf("marks %d and %d are %.1f px apart: a replaced word runs into its replacement", i-1, i, gap)
			}
		}
	}
}

// TestComparePicker protects the compare page with JavaScript: two lists of the editions,
// and Compare opens the comparison of the two picked (in either order), which exists for
// every pair; without JavaScript the form stays hidden and the links list every pair.
func TestComparePicker(t *testing.T) {
	ctx := browsertest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	files := buildEditions(t, Options{})
	base := browsertest.Serve(t, public(t, files), "/terms-site/")
	for _, name := range []string{"v/2026-06/changes/index.html", "v/2027-01/changes/index.html", "v/compare/2026-01..2027-01/index.html"} {
		mustContain(t, "compare page", page(t, files, "v/compare/index.html"), `href="../../`+name+`"`)
	}
	err := chromedp.Do(ctx, chromedp.Navigate(base+"v/compare/index.html"), chromedp.WaitVisible("form.pick-pair"))
	if err != nil {
		t.Fatal(err)
	}
	options, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#pick-from option")].map(o => o.value + " " + o.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue("#pick-from", "2027-01"),
		chromedp.SetValue("#pick-to", "2026-01"),
		chromedp.Click("form.pick-pair button"),
		chromedp.WaitVisible("article.changes"),
	)
	if err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(options, ", "); got != "2026-01 January 2026, 2026-06 June 2026, 2027-01 January 2027" {
		t.Errorf("editions to pick from: %s", got)
	}
	if !strings.Contains(url, "/v/compare/2026-01..2027-01/") {
		t.Errorf("January 2027 against January 2026 opened %s", url)
	}
}
