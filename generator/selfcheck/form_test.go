//go:build !js

package selfcheck_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"affdocs/generator/buildcache"
	"affdocs/generator/output"
	"affdocs/generator/site"
	"affdocs/generator/toolchain"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestForm is what an applicant does: open the self-check of the real site from a static
// host under a sub-path, fill it in, read the verdict and the findings, follow a finding to
// its section; no request carries what they typed, and axe-core finds no violation.
func TestForm(t *testing.T) {
	ctx0 := browsertest.Browser(t)
	base := servedSite(t, false)

	var mu sync.Mutex
	var requests []string
	ctx, cancel := context.WithTimeout(ctx0, 60*time.Second)
	defer cancel()
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			mu.Lock()
			requests = append(requests, e.Request.Method+" "+e.Request.URL+" "+postData(e.Request))
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	const secret = "gadgetguide-secret-handle"
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"alidropship/self-check/index.html"),
		chromedp.WaitVisible("#selfcheck"),
		chromedp.WaitVisible("#sc-verdict"),
		chromedp.SendKeys("#sc-username", secret),
		chromedp.SendKeys("#sc-email", "me@example.org"),
		chromedp.SendKeys("#sc-paypal_email", "pay@example.org"),
		chromedp.SendKeys("#sc-channels-url", "https://savemore-coupons.example.org"),
		chromedp.SetValue("#sc-channels-kind", "coupon-site"),
		chromedp.SendKeys("#sc-promotion", "I will promote online"),
		chromedp.Click(`input[name="accepts_terms"]`),
		chromedp.Sleep(400*time.Millisecond), // the form updates 150 ms after the last keystroke
	)
	if err != nil {
		t.Fatal(err)
	}
	verdict, err := chromedp.Run(ctx, chromedp.Text("#sc-verdict"))
	if err != nil {
		t.Fatal(err)
	}
	findings, _ := chromedp.Run(ctx, chromedp.Text("#sc-findings"))
	href, _ := chromedp.Run(ctx, chromedp.AttributeValue(`#sc-findings a`, "href"))
	if !strings.HasPrefix(verdict, "At risk of refusal: your application matches a kind of applicant AliDropship lists among commonly rejected applicants") {
		t.Errorf("verdict %q, want at risk (a coupon site applying to AliDropship)", verdict)
	}
	// Each finding says what it rests on: the coupon site on AliDropship's own list, the
	// 4-word plan on this guide's rule of thumb, never presented as AliDropship's.
	for _, want := range []string{"Coupon", "unclear", "How to fix", `Source: AliDropship lists "coupon or discount or deal websites" among commonly rejected applicants.`,
		"This guide suggests:", "Basis: This guide's rule of thumb: a promotion plan of at least 12 words. Not a published AliDropship rule."} {
		if !strings.Contains(strings.ToLower(findings), strings.ToLower(want)) {
			t.Errorf("findings do not mention %q:\n%s", want, findings)
		}
	}
	if v := browsertest.Axe(t, ctx, ""); len(v) > 0 {
		t.Errorf("axe on the filled form:\n%s", browsertest.FormatViolations(v))
	}

	// Follow the first finding to its section.
	if err := chromedp.Do(ctx, chromedp.Click(`#sc-findings a`), chromedp.WaitVisible(`main h1`)); err != nil {
		t.Fatal(err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash && document.querySelector(location.hash + " h2").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(href.Value, "rejection-reasons/index.html#") || heading == "" {
		t.Errorf("finding link %q led to a section with heading %q", href.Value, heading)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, r := range requests {
		if strings.Contains(r, secret) || strings.Contains(r, "savemore") {
			t.Errorf("a request carried what the applicant typed: %s", r)
		}
		if !strings.Contains(r, base) && !strings.HasPrefix(r, "GET data:") {
			t.Errorf("a request left the site: %s", r)
		}
	}
}

// servedSite builds the repository's site with the self-check module, writes it to a
// temporary folder and serves it under a sub-path as a static host would (with its _headers,
// so under its Content-Security-Policy); it returns the site's address. With draft, the
// working draft is at the unversioned paths (as in serve's preview), else the current
// edition. The module's compressed copies are kept in the build cache, as `make` keeps them.
func servedSite(t *testing.T, draft bool) string {
	t.Helper()
	module, err := toolchain.SelfCheck(context.Background(), filepath.Join(buildcache.Root(), "modules"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(os.DirFS("../.."), site.Options{Draft: draft, SelfCheck: func() (*toolchain.Module, error) { return module, nil }})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/public"
	if err := output.Write(dir, res.Files); err != nil {
		t.Fatal(err)
	}
	return browsertest.Serve(t, dir, "/some/sub/path/")
}

func postData(r *network.Request) string {
	var b strings.Builder
	for _, e := range r.PostDataEntries {
		b.Write(e.Bytes)
	}
	return b.String()
}
