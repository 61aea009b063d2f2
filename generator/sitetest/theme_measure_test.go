package sitetest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"affdocs/generator/browsertest"
	"github.com/chromedp/chromedp"
)

// measureJS reports where the parts of a page stand: the header, the section menus, the
// text column, the table of contents and the first checklist box, in CSS pixels from the
// page's top left.
const measureJS = `(() => {
  const r = (s) => { const e = document.querySelector(s); if (!e) return null;
    const b = e.getBoundingClientRect();
    return [Math.round(b.x), Math.round(b.y + scrollY), Math.round(b.width), Math.round(b.height)]; };
  return JSON.stringify({header: r(".site-header"), topnav: r("nav.top"), sidebar: r("nav.sidebar"),
    main: r("main"), toc: r(".toc"), box: r("main input.task"), doc: document.documentElement.scrollWidth});
})()`

// TestThemeMeasure writes the first screen of each page type at 390x844 and 1366x900 into
// the -shots folder and logs where the header, menus, text and table of contents stand, so
// a person can compare the theme before and after a change:
// go test ./generator/sitetest -run ThemeMeasure -shots /tmp/shots -v
func TestThemeMeasure(t *testing.T) {
	if *shots == "" {
		t.Skip("no -shots folder given")
	}
	if err := os.MkdirAll(*shots, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, _ := realSite(t)
	base := browsertest.Serve(t, dir, otherPath)
	ctx := browsertest.Browser(t)
	for _, size := range [][2]int64{{390, 844}, {1366, 900}} {
		browsertest.Viewport(t, ctx, size[0], size[1])
		for _, pt := range pageTypes {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+pt.path), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			m, err := chromedp.Run(ctx, chromedp.Evaluate[string](measureJS))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d %-12s %s", size[0], pt.typ, m)
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(*shots, fmt.Sprintf("%s-%d.png", pt.typ, size[0]))
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
