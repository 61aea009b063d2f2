package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// cspListener runs in every new document before the page's own scripts (it
// is not subject to the page's CSP) and records CSP violations.
const cspListener = `window.__affdocsCSP = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__affdocsCSP.push("CSP " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline") +
    (e.sourceFile ? " at " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber : "") +
    (e.sample ? " (" + e.sample + ")" : ""));
});`

// PageErrors loads pageURL in the tab of ctx and returns every problem seen
// while loading it, one readable line each: requests answered with HTTP
// status >= 400 or failed (a broken stylesheet, script, image or font
// link), Content-Security-Policy violations (an inline script or style=
// attribute under a strict CSP), uncaught script exceptions, and
// console.error or browser error log entries. None means the page loaded
// cleanly. The browser's own request for /favicon.ico (made for a page with
// no <link rel="icon">) is not counted. The test fails if the page cannot
// be loaded at all.
func PageErrors(t testing.TB, ctx context.Context, pageURL string) []string {
	t.Helper()
	errs, err := RunPageErrors(ctx, pageURL)
	if err != nil {
		t.Fatalf("loading %s: %v", pageURL, err)
	}
	return errs
}

// RunPageErrors is [PageErrors] without a testing.TB.
func RunPageErrors(ctx context.Context, pageURL string) ([]string, error) {
	tctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	var (
		mu       sync.Mutex
		problems []string
		urls     = map[network.RequestID]string{}
	)
	seen := map[string]bool{}
	add := func(format string, args ...any) {
		if p := fmt.Sprintf(format, args...); !seen[p] { // chromium repeats some
			seen[p] = true
			problems = append(problems, p)
		}
	}
	lctx, stop := context.WithCancel(tctx)
	defer stop()
	err := chromedp.Listen(lctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if ev.Request != nil {
				urls[ev.RequestID] = ev.Request.URL
			}
		case *network.EventResponseReceived:
			if r := ev.Response; r != nil && r.Status >= 400 && !autoFavicon(ev) {
				add("HTTP %d %s (%s)", r.Status, r.URL, ev.Type)
			}
		case *network.EventLoadingFailed:
			if !ev.Canceled {
				reason := ev.ErrorText
				if ev.BlockedReason != "" {
					reason += " (" + string(ev.BlockedReason) + ")"
				}
				add("request failed: %s: %s (%s)", urls[ev.RequestID], reason, ev.Type)
			}
		case *runtime.EventExceptionThrown:
			if d := ev.ExceptionDetails; d != nil {
				text := d.Text
				if d.Exception != nil && d.Exception.Description != "" {
					text = d.Exception.Description
				}
				add("uncaught exception: %s at %s:%d:%d", text, d.URL, d.LineNumber+1, d.ColumnNumber+1)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					if a.Description != "" {
						parts = append(parts, a.Description)
					} else {
						parts = append(parts, strings.Trim(string(a.Value), `"`))
					}
				}
				add("console.%s: %s", ev.Type, strings.Join(parts, " "))
			}
		case *log.EventEntryAdded:
			// Network failures ("Failed to load resource") and CSP
			// violations are reported above with more detail; keep the
			// rest of the browser's errors, such as a stylesheet refused
			// for its MIME type.
			if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && e.Source != log.EntrySourceNetwork &&
				!(e.Source == log.EntrySourceSecurity && strings.Contains(e.Text, "Content Security Policy")) {
				add("browser %s error: %s", e.Source, e.Text)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	script, err := chromedp.Run(tctx, func(ctx context.Context, t *chromedp.Target) (page.AddScriptToEvaluateOnNewDocumentResult, error) {
		return cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
	})
	if err != nil {
		return nil, err
	}
	defer chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: script.Identifier})
		return err
	}))
	if err := chromedp.Do(tctx, chromedp.Navigate(pageURL)); err != nil {
		return nil, err
	}
	// Let late requests (fonts, images) and their events arrive.
	csp, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`new Promise((resolve) =>
  requestAnimationFrame(() => setTimeout(() => resolve(window.__affdocsCSP || []), 100)))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	for _, p := range csp {
		add("%s", p)
	}
	return problems, nil
}

// Viewport sets the tab's viewport (CSS pixels, device scale 1) for the
// pages loaded after it, e.g. 360×740 for a phone, 1440×900 for a desktop.
func Viewport(t testing.TB, ctx context.Context, width, height int64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("viewport %dx%d: %v", width, height, err)
	}
}

// ColorScheme emulates prefers-color-scheme ("light" or "dark"; "" resets)
// for the tab, so [Axe] checks contrast in that scheme. It is
// EmulateMedia(t, ctx, "", scheme).
func ColorScheme(t testing.TB, ctx context.Context, scheme string) {
	t.Helper()
	EmulateMedia(t, ctx, "", scheme)
}

// EmulateMedia emulates a CSS media type ("print", "screen"; "" for none)
// and a prefers-color-scheme ("light", "dark"; "" for none) for the tab,
// replacing any earlier emulation of either; e.g. "print" checks the print
// stylesheet.
func EmulateMedia(t testing.TB, ctx context.Context, media, scheme string) {
	t.Helper()
	p := emulation.SetEmulatedMediaParams{Media: media}
	if scheme != "" {
		p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	}
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, p)
		return err
	}))
	if err != nil {
		t.Fatalf("emulating media %q %q: %v", media, scheme, err)
	}
}

// autoFavicon reports whether the response is the browser's own request for
// /favicon.ico at the host's root, which every page without a <link
// rel="icon"> gets and which under a sub-path is outside the site.
func autoFavicon(ev *network.EventResponseReceived) bool {
	u, err := url.Parse(ev.Response.URL)
	return err == nil && u.Path == "/favicon.ico" && ev.Type == network.ResourceTypeOther
}
