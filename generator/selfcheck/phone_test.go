//go:build !js

package selfcheck_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"affdocs/generator/browsertest"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

var shots = flag.String("shots", "", "keep TestPhone's screenshots in this folder (default: a temporary folder removed after the test)")

// screen is a screen size the self-check is used at, with the reader's language (which
// sets how dates are written) and the reply window's dates as that reader reads them.
type screen struct {
	W, H  int64
	Lang  string
	Dates *regexp.Regexp // 1, 4 and 7 December 2026: applying on the 1st, a reply in 3 to 4 business days
}

// The same two screens as browsertest's TestLayout: a common phone and a common laptop.
var screens = []screen{
	{390, 844, "en-GB", regexp.MustCompile(`Tuesday,? 1 December 2026\b.*\bFriday,? 4 December 2026\b.*\bMonday,? 7 December 2026\b`)},
	{1366, 900, "en-US", regexp.MustCompile(`Tuesday, December 1, 2026\b.*\bFriday, December 4, 2026\b.*\bMonday, December 7, 2026\b`)},
}

// TestPhone protects what part 4 of issue 12 asks of the self-check, at a phone's and a
// laptop's size (screenshots of each step in -shots DIR):
//
//   - before the applicant types or changes anything, no verdict is shown, only what the
//     check will do, and no field is marked;
//   - each field's help is the one its program's rules give it, and describes the field;
//   - the default "date you plan to apply" is the browser's local date, in a time zone
//     whose date differs from UTC's at the time of the test;
//   - while the applicant types, a compact result (the verdict in a few words and the
//     number of points) is fully on the screen, and so is the focused field, uncovered; its
//     words change (and so are announced, politely) only when the result does;
//   - Tab reaches every field in the form's order, then the link to the full list, which
//     takes the reader (and the focus) to the list;
//   - the focus ring's colour is not the error colour; an error is tied to its field
//     (aria-invalid, aria-describedby) and said in words;
//   - the reply window is written in words in the reader's language, and no date in the
//     result is written YYYY-MM-DD;
//   - axe-core finds no violation before any input, nor with errors shown (in the light
//     and the dark scheme).
func TestPhone(t *testing.T) {
	ctx0 := browsertest.Browser(t)
	base := servedSite(t, true) // the working draft: what the next edition publishes
	out := *shots
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, sc := range screens {
		t.Run(fmt.Sprintf("%dx%d", sc.W, sc.H), func(t *testing.T) {
			tab, closeTab := chromedp.NewContext(ctx0)
			defer closeTab()
			ctx, cancel := context.WithTimeout(tab, 3*time.Minute)
			defer cancel()
			zone, loc := awayFromUTC(time.Now())
			emulate(t, ctx, sc, zone)
			before := time.Now().In(loc).Format(time.DateOnly)
			err := chromedp.Do(ctx, chromedp.Navigate(base+"alidropship/self-check/index.html"), chromedp.WaitVisible("#selfcheck"))
			if err != nil {
				t.Fatal(err)
			}
			after := time.Now().In(loc).Format(time.DateOnly)
			shot := func(t *testing.T, name string) {
				t.Helper()
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("selfcheck-%d-%s.png", sc.W, name)), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			shot(t, "start")

			t.Run("no verdict before input", func(t *testing.T) { checkUnjudged(t, ctx) })
			t.Run("help from the content", func(t *testing.T) { checkHelp(t, ctx) })
			t.Run("default date is the local date", func(t *testing.T) {
				got := eval[string](t, ctx, `document.getElementById("sc-submitted").value`)
				utc := time.Now().UTC().Format(time.DateOnly)
				if got != before && got != after {
					t.Errorf("the date you plan to apply is %s by default; want the local date in %s, %s (the UTC date is %s)", got, zone, after, utc)
				}
			})
			t.Run("axe before input", func(t *testing.T) { checkAxe(t, ctx) })
			t.Run("result in view while typing", func(t *testing.T) { checkTyping(t, ctx, sc, shot) })
			t.Run("announced only when it changes", func(t *testing.T) { checkLive(t, ctx) })
			t.Run("keyboard", func(t *testing.T) { checkKeyboard(t, ctx, shot) })
			t.Run("focus is not an error", func(t *testing.T) { checkFocus(t, ctx) })
			t.Run("dates in words", func(t *testing.T) { checkDates(t, ctx, sc) })
			t.Run("axe with errors shown", func(t *testing.T) {
				if n := eval[int](t, ctx, `document.querySelectorAll(".err:not(:empty)").length`); n == 0 {
					t.Fatal("no error is shown to check")
				}
				for _, scheme := range []string{"light", "dark"} {
					browsertest.ColorScheme(t, ctx, scheme)
					if vs := browsertest.Axe(t, ctx, ""); len(vs) > 0 {
						t.Errorf("%s scheme: %d axe violations:\n%s", scheme, len(vs), browsertest.FormatViolations(vs))
					}
				}
				browsertest.ColorScheme(t, ctx, "")
			})
		})
	}
}

// awayFromUTC returns a time zone whose date differs from UTC's at now: 14 hours ahead late in
// the UTC day, 11 hours behind early in it (neither has summer time).
func awayFromUTC(now time.Time) (string, *time.Location) {
	if now.UTC().Hour() >= 10 {
		return "Pacific/Kiritimati", time.FixedZone("+14", 14*3600)
	}
	return "Pacific/Pago_Pago", time.FixedZone("-11", -11*3600)
}

// emulate sets the tab's screen, time zone and language for the pages it loads next.
func emulate(t *testing.T, ctx context.Context, sc screen, zone string) {
	t.Helper()
	browsertest.Viewport(t, ctx, sc.W, sc.H)
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone}); err != nil {
		t.Fatal(err)
	}
	ua, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.userAgent`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: sc.Lang}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: strings.ReplaceAll(sc.Lang, "-", "_")}); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page and fails the test if it throws.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// settled waits until the form has updated (150 ms after the last keystroke) and the page
// has scrolled and painted.
const settled = 400 * time.Millisecond

func checkAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	if vs := browsertest.Axe(t, ctx, ""); len(vs) > 0 {
		t.Errorf("%d axe violations:\n%s", len(vs), browsertest.FormatViolations(vs))
	}
}

// checkUnjudged checks the untouched form: the result says what the check will do, with no
// verdict, no finding and no field marked.
func checkUnjudged(t *testing.T, ctx context.Context) {
	got := eval[struct {
		Brief, Verdict, Class string
		Findings, Errors      int
		Verdicts              []string
	}](t, ctx, `(() => {
  const rules = JSON.parse(document.getElementById("selfcheck").dataset.rules);
  return {Brief: document.getElementById("sc-brief").innerText, Verdict: document.getElementById("sc-verdict").innerText,
    Class: document.getElementById("sc-verdict").className, Findings: document.querySelectorAll("#sc-findings li").length,
    Errors: document.querySelectorAll(".err:not(:empty), [aria-invalid]").length, Verdicts: Object.values(rules.verdicts)};
})()`)
	if !strings.HasPrefix(got.Brief, "Not checked yet") || !strings.HasPrefix(got.Verdict, "Not checked yet") {
		t.Errorf("before any input the summary says %q and the result %q; want them to say it is not checked yet", got.Brief, got.Verdict)
	}
	for _, v := range got.Verdicts {
		short, _, _ := strings.Cut(v, ":")
		if strings.Contains(got.Brief+got.Verdict, short) {
			t.Errorf("before any input the result already says %q", short)
		}
	}
	if got.Class != "verdict" || got.Findings > 0 || got.Errors > 0 {
		t.Errorf("before any input: verdict class %q, %d findings, %d fields marked; want none", got.Class, got.Findings, got.Errors)
	}
}

// checkHelp checks that every field of the form shows the help its program's rules give
// it (screening.fields.<name>.help in the rejection-reasons page), tied to the field with
// aria-describedby, and no other.
func checkHelp(t *testing.T, ctx context.Context) {
	got := eval[struct {
		Fields, Helped int
		Wrong          []string
	}](t, ctx, `(() => {
  const fields = JSON.parse(document.getElementById("selfcheck").dataset.rules).fields;
  const wrong = [];
  let helped = 0;
  const wrappers = document.querySelectorAll("#selfcheck [data-field]");
  for (const w of wrappers) {
    const name = w.dataset.field, want = (fields[name] || {}).help || "";
    const hint = w.querySelector(".hint"), text = hint ? hint.textContent : "";
    const owner = w.matches("fieldset") ? w : w.querySelector("input, select, textarea");
    const tied = hint && (owner.getAttribute("aria-describedby") || "").split(" ").includes(hint.id);
    if (text !== want || (hint && !tied)) wrong.push(name + ": shows " + JSON.stringify(text) + (hint && !tied ? " (not in aria-describedby)" : "") + ", rules say " + JSON.stringify(want));
    if (want) helped++;
  }
  return {Fields: wrappers.length, Helped: helped, Wrong: wrong};
})()`)
	t.Logf("%d of %d fields have help from the content", got.Helped, got.Fields)
	for _, w := range got.Wrong {
		t.Error(w)
	}
	if got.Helped == 0 {
		t.Error("no field has help")
	}
}

// box is an element's border box in CSS pixels, relative to the viewport.
type box struct{ X, Y, W, H float64 }

func (b *box) String() string {
	if b == nil {
		return "not shown"
	}
	return fmt.Sprintf("%.0fx%.0f at (%.0f, %.0f)", b.W, b.H, b.X, b.Y)
}

// within reports whether b is wholly inside a viewport of width w and height h.
func (b *box) within(w, h float64) bool {
	return b != nil && b.X >= -0.5 && b.Y >= -0.5 && b.X+b.W <= w+0.5 && b.Y+b.H <= h+0.5
}

func (b *box) overlaps(o *box) bool {
	return b.X < o.X+o.W-0.5 && o.X < b.X+b.W-0.5 && b.Y < o.Y+o.H-0.5 && o.Y < b.Y+b.H-0.5
}

// view is what is on the screen: the summary (on a wide screen with the list of points),
// its compact result (the verdict in a few words, the number of points and the link to the
// full list), the form and the focused element.
type view struct {
	Summary, Compact, Form, Focused *box
	FocusedName, Brief              string
	W, H                            float64
}

const viewJS = `(() => {
  const box = (e) => { if (!e || !e.getClientRects().length) return null;
    const b = e.getBoundingClientRect(); return {X: b.left, Y: b.top, W: b.width, H: b.height}; };
  const a = document.activeElement;
  return {Summary: box(document.getElementById("sc-summary")), Compact: box(document.querySelector(".sc-brief")), Form: box(document.getElementById("selfcheck")),
    Focused: box(a), FocusedName: a.id || a.name || a.tagName, Brief: document.getElementById("sc-brief").innerText,
    W: document.documentElement.clientWidth, H: innerHeight};
})()`

// checkTyping types into fields from the top of the form to its bottom, then goes back up
// with Shift+Tab; at each step the compact result and the focused field are on the screen,
// apart.
func checkTyping(t *testing.T, ctx context.Context, sc screen, shot func(*testing.T, string)) {
	look := func(step string) view {
		t.Helper()
		v := eval[view](t, ctx, viewJS)
		switch {
		case !v.Compact.within(v.W, v.H):
			t.Errorf("%s: the compact result is %v, not wholly on the %.0fx%.0f screen", step, v.Compact, v.W, v.H)
		case !v.Focused.within(v.W, v.H):
			t.Errorf("%s: the focused field %s is %v, not wholly on the %.0fx%.0f screen", step, v.FocusedName, v.Focused, v.W, v.H)
		case v.Summary.overlaps(v.Focused):
			t.Errorf("%s: the compact result (%v) covers the focused field %s (%v)", step, v.Summary, v.FocusedName, v.Focused)
		}
		return v
	}
	for _, f := range []struct{ sel, text string }{
		{"#sc-username", "gadgetguide"},
		{"#sc-email", "me@"}, // not an address: an error to show
		{"#sc-channels-url", "https://gadgetguide.example.org"},
		{"#sc-channels-original_posts", "3"},
		{"#sc-promotion", "I will promote online"},
	} {
		do(t, ctx, chromedp.SendKeys(f.sel, f.text), chromedp.Sleep(settled))
		look("typing in " + f.sel)
	}
	shot(t, "typing")
	v := look("after typing")
	if !regexp.MustCompile(`^[A-Z][^:]*: \d+ (point|reason)`).MatchString(v.Brief) {
		t.Errorf("the compact result says %q; want the verdict in a few words and the number of points", v.Brief)
	}
	t.Logf("summary %v, its compact result %v, on a %.0fx%.0f screen; form %v: %q", v.Summary, v.Compact, v.W, v.H, v.Form, v.Brief)
	if sc.W < 600 {
		if v.Summary.H > 64 {
			t.Errorf("the compact result is %.0f px tall on a phone; want at most 64", v.Summary.H)
		}
		if v.Summary.Y > 1 {
			t.Errorf("the compact result is at y=%.0f while the form scrolls; want it stuck to the top of the screen", v.Summary.Y)
		}
	} else if v.Summary.X < v.Form.X+v.Form.W {
		t.Errorf("on a %.0f px screen the compact result (%v) is not beside the form (%v)", v.W, v.Summary, v.Form)
	}
	for i := range 12 {
		do(t, ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)), chromedp.Sleep(100*time.Millisecond))
		look(fmt.Sprintf("Shift+Tab %d from the promotion plan", i+1))
	}
}

// checkLive checks that the compact result is a polite live region whose words change when
// the result changes and not on keystrokes that change nothing, and that the full list is
// not announced as it is rebuilt.
func checkLive(t *testing.T, ctx context.Context) {
	got := eval[struct{ Role, Live, ListLive string }](t, ctx, `(() => { const b = document.getElementById("sc-brief");
  window.__briefChanges = 0;
  new MutationObserver((ms) => { window.__briefChanges += ms.length; }).observe(b, {childList: true, characterData: true, subtree: true});
  const live = document.getElementById("sc-findings").closest("[aria-live], [role=status], [role=alert], [role=log]");
  return {Role: b.getAttribute("role") || "", Live: b.getAttribute("aria-live") || "", ListLive: live ? live.id || live.tagName : ""}; })()`)
	if got.Role != "status" && got.Live != "polite" {
		t.Errorf("the compact result has role %q, aria-live %q; want a polite live region", got.Role, got.Live)
	}
	if got.ListLive != "" {
		t.Errorf("the full list is inside a live region (%s): it would be read out on every change", got.ListLive)
	}
	for _, k := range "abcde" { // each keystroke after the update of the one before
		do(t, ctx, chromedp.SendKeys("#sc-username", string(k)), chromedp.Sleep(250*time.Millisecond))
	}
	if n := eval[int](t, ctx, `window.__briefChanges`); n != 0 {
		t.Errorf("typing 5 letters into a filled-in username changed the compact result %d times; want 0 (nothing changed)", n)
	}
	do(t, ctx, chromedp.SendKeys("#sc-paypal_email", "pay@example.org"), chromedp.Sleep(settled))
	if n := eval[int](t, ctx, `window.__briefChanges`); n == 0 {
		t.Errorf("filling in the PayPal email left the compact result as it was; want it to change")
	}
}

// checkKeyboard presses Tab from the form's first field: every field's controls are reached
// in order (a radio group once, at its ticked choice), then the link to the full list; Enter
// on it shows the list and moves the focus there.
func checkKeyboard(t *testing.T, ctx context.Context, shot func(*testing.T, string)) {
	want := eval[[]string](t, ctx, `(() => {
  const form = document.getElementById("selfcheck");
  const key = (e) => e.id || e.name + "=" + e.value;
  const stops = [...form.elements].filter((e) => !e.disabled && e.tabIndex >= 0 && e.type !== "fieldset" && !(e.type === "radio" && !e.checked));
  stops[0].focus();
  return [...stops.map(key), "sc-jump"];
})()`)
	const keyJS = `(() => { const e = document.activeElement; return e.id || e.name + "=" + e.value; })()`
	// A date field takes a Tab for each of its parts: count each field once.
	got := []string{eval[string](t, ctx, keyJS)}
	for range 4 * len(want) {
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
		if k := eval[string](t, ctx, keyJS); k != got[len(got)-1] {
			got = append(got, k)
		}
		if got[len(got)-1] == want[len(want)-1] {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Tab went through\n  %s\nwant\n  %s", strings.Join(got, " "), strings.Join(want, " "))
	}
	reached, _ := json.Marshal(got)
	missed := eval[[]string](t, ctx, `[...document.querySelectorAll("#selfcheck [data-field]")].filter((f) =>
  ![...f.querySelectorAll("input, select, textarea")].some((c) => `+string(reached)+`.includes(c.id || c.name + "=" + c.value))).map((f) => f.dataset.field)`)
	if len(missed) > 0 {
		t.Errorf("Tab never reached the fields %s", strings.Join(missed, ", "))
	}
	v := eval[view](t, ctx, viewJS)
	if v.FocusedName != "sc-jump" || !v.Focused.within(v.W, v.H) {
		t.Fatalf("after the last field the focus is on %s at %v; want the link to the full list, on the screen", v.FocusedName, v.Focused)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.Sleep(settled))
	shot(t, "list")
	at := eval[struct {
		Hash, Focused string
		Top, H        float64
	}](t, ctx, `({Hash: location.hash, Focused: document.activeElement.id,
  Top: document.getElementById("sc-result").getBoundingClientRect().top, H: innerHeight})`)
	if at.Hash != "#sc-result" || at.Top < -1 || at.Top > at.H/3 || !strings.HasPrefix(at.Focused, "sc-result") {
		t.Errorf("the link to the full list led to %q with the list's top at y=%.0f of %.0f and the focus on %q; want #sc-result at the top, focused", at.Hash, at.Top, at.H, at.Focused)
	}
}

// checkFocus focuses the email field, which shows an error, and compares the focus ring's
// colour with the error's: they must differ clearly; the error is tied to the field and said
// in words.
func checkFocus(t *testing.T, ctx context.Context) {
	got := eval[struct {
		Outline, Style, Width, Border, Error, ErrorText, Invalid, Described string
		Visible                                                             bool
	}](t, ctx, `(() => { const e = document.getElementById("sc-email"), err = document.getElementById("sc-email-err");
  e.focus(); const s = getComputedStyle(e);
  return {Outline: s.outlineColor, Style: s.outlineStyle, Width: s.outlineWidth, Border: s.borderTopColor,
    Error: getComputedStyle(err).color, ErrorText: err.textContent, Invalid: e.getAttribute("aria-invalid") || "",
    Described: e.getAttribute("aria-describedby") || "", Visible: e.matches(":focus-visible")}; })()`)
	t.Logf("focus ring %s %s %s; error text %s, invalid field's border %s", got.Width, got.Style, got.Outline, got.Error, got.Border)
	if got.Invalid != "true" || got.ErrorText == "" || !slices.Contains(strings.Fields(got.Described), "sc-email-err") {
		t.Errorf("the email field (me@) has aria-invalid %q, aria-describedby %q, error text %q; want an error in words tied to it", got.Invalid, got.Described, got.ErrorText)
	}
	if !got.Visible || got.Style == "none" || got.Width == "0px" {
		t.Fatalf("the focused email field shows no focus ring (:focus-visible %v, outline %s %s)", got.Visible, got.Width, got.Style)
	}
	for _, c := range []struct{ what, colour string }{{"the error text", got.Error}, {"the invalid field's border", got.Border}} {
		if d := colourDistance(t, got.Outline, c.colour); d < 100 {
			t.Errorf("the focus ring (%s) is close to the colour of %s (%s): distance %.0f of 441; want a focus style distinct from errors", got.Outline, c.what, c.colour, d)
		}
	}
}

// colourDistance is the distance between two CSS rgb() colours in RGB space (0 to 441).
func colourDistance(t *testing.T, a, b string) float64 {
	t.Helper()
	var ra, ga, ba, rb, gb, bb float64
	if _, err := fmt.Sscanf(a, "rgb(%g, %g, %g)", &ra, &ga, &ba); err != nil {
		t.Fatalf("colour %q: %v", a, err)
	}
	if _, err := fmt.Sscanf(b, "rgb(%g, %g, %g)", &rb, &gb, &bb); err != nil {
		t.Fatalf("colour %q: %v", b, err)
	}
	return math.Sqrt((ra-rb)*(ra-rb) + (ga-gb)*(ga-gb) + (ba-bb)*(ba-bb))
}

// checkDates sets the date the applicant plans to apply to Tuesday 1 December 2026 and reads
// the reply window (3 to 4 business days later) in the reader's language.
func checkDates(t *testing.T, ctx context.Context, sc screen) {
	eval[bool](t, ctx, `(() => { const e = document.getElementById("sc-submitted"); e.value = "2026-12-01";
  return e.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	do(t, ctx, chromedp.Sleep(settled))
	shown := eval[struct{ Reply, Result string }](t, ctx, `({Reply: document.getElementById("sc-reply").innerText,
  Result: document.getElementById("sc-summary").innerText + "\n" + document.getElementById("sc-result").innerText})`)
	if !sc.Dates.MatchString(shown.Reply) {
		t.Errorf("the reply window for a reader of %s reads %q; want it to match %s", sc.Lang, shown.Reply, sc.Dates)
	}
	if iso := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`).FindAllString(shown.Result, -1); len(iso) > 0 {
		t.Errorf("the result shows dates as %s; want them in words", strings.Join(iso, ", "))
	}
}
