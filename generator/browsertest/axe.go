package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags that [Axe] runs: WCAG 2.0, 2.1 and 2.2
// at levels A and AA, and axe's best practices.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// Violation is one axe-core rule that failed on a page.
type Violation struct {
	ID      string   `json:"id"`      // rule id, e.g. "image-alt"
	Impact  string   `json:"impact"`  // minor, moderate, serious, critical
	Help    string   `json:"help"`    // one-line description of the rule
	HelpURL string   `json:"helpUrl"` // Deque's page about the rule
	Tags    []string `json:"tags"`
	Nodes   []Node   `json:"nodes"` // the elements that fail it
}

// Node is one element that fails a rule.
type Node struct {
	// Target is the CSS selector path to the element; more than one entry
	// means the element is inside iframes or shadow roots.
	Target  []string `json:"target"`
	HTML    string   `json:"html"`    // the element's outer HTML, shortened
	Summary string   `json:"summary"` // what to fix
}

// String formats the violation on a few lines: rule, impact, help, and each
// failing element's selector and HTML.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s: %s", strings.Join(n.Target, " "), n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// FormatViolations formats violations for a test failure message, one
// block per rule, or "" when there are none.
func FormatViolations(vs []Violation) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("  ")
		b.WriteString(v.String())
	}
	return b.String()
}

// IDs returns the rule ids of the violations, in order.
func IDs(vs []Violation) []string {
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	return ids
}

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axeScript returns the source of axe.min.js from node_modules.
func axeScript() (string, error) {
	axeOnce.Do(func() {
		var p string
		if p, axeErr = nodeModule("axe-core/axe.min.js"); axeErr != nil {
			return
		}
		var b []byte
		b, axeErr = os.ReadFile(p)
		axeSrc = string(b)
	})
	return axeSrc, axeErr
}

// Axe loads url in the browser tab of ctx (from [Browser]), runs axe-core
// on the loaded page with [AxeTags], and returns the violations; none means
// the page passes. The test fails if the page does not load or axe cannot
// run; it is skipped (or fails under AFFDOCS_REQUIRE_TOOLS=1) when axe-core
// is not installed.
//
// axe-core is injected through the DevTools protocol (Runtime.evaluate), not
// as a <script> element, so the page's Content-Security-Policy neither
// blocks it nor is loosened for it. Emulation set on the tab before the call
// (viewport, prefers-color-scheme: see [Viewport], [ColorScheme]) applies.
//
// Typical use:
//
//	if vs := browsertest.Axe(t, ctx, url); len(vs) > 0 {
//		t.Errorf("%s: %d axe violations:\n%s", url, len(vs), browsertest.FormatViolations(vs))
//	}
func Axe(t testing.TB, ctx context.Context, url string) []Violation {
	t.Helper()
	if _, err := axeScript(); err != nil {
		missing(t, "axe test skipped: %v", err)
	}
	vs, err := RunAxe(ctx, url)
	if err != nil {
		t.Fatalf("axe %s: %v", url, err)
	}
	return vs
}

// RunAxe is [Axe] without a testing.TB: it returns an error instead of
// failing or skipping. An empty url runs axe on the page already loaded.
func RunAxe(ctx context.Context, url string) ([]Violation, error) {
	src, err := axeScript()
	if err != nil {
		return nil, err
	}
	tags, _ := json.Marshal(AxeTags)
	run := `(async () => {
  const r = await axe.run(document, {
    runOnly: {type: "tag", values: ` + string(tags) + `},
    resultTypes: ["violations"],
  });
  const sel = (t) => Array.isArray(t) ? t.join(" >>> ") : String(t);
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl, tags: v.tags,
    nodes: v.nodes.map((n) => ({target: n.target.map(sel), html: n.html, summary: n.failureSummary || ""})),
  }));
})()`
	steps := []chromedp.Action[chromedp.Void]{}
	if url != "" {
		steps = append(steps, chromedp.Navigate(url))
	}
	tctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		return nil, fmt.Errorf("loading page: %w", err)
	}
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return nil, fmt.Errorf("injecting axe-core: %w", err)
	}
	vs, err := chromedp.Run(tctx, chromedp.Evaluate[[]Violation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe-core: %w", err)
	}
	return vs, nil
}
