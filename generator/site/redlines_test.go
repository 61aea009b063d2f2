package site

import (
	"bytes"
	"html"
	"maps"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"affdocs/generator/redline"
	"affdocs/generator/store"
)

// visibleText is the text a reader sees of an HTML fragment before opening anything: the
// contents of folded redline clauses are left out (their one-line summaries count), tags
// are dropped and white space collapsed.
func visibleText(fragment string) string {
	fragment = foldBody.ReplaceAllString(fragment, "$1")
	fragment = tags.ReplaceAllString(fragment, " ")
	return strings.Join(strings.Fields(html.UnescapeString(fragment)), " ")
}

var (
	foldBody = regexp.MustCompile(`(?s)<details class="redline-fold"><summary>(.*?)</summary>.*?</details>`)
	tags     = regexp.MustCompile(`<[^>]*>`)
)

// TestSitePolicyRedlines protects what a reader of real legal text sees first on a redline:
// on a long policy whose one change is in one clause, the summary names that clause and
// the clause comes right after it, everything unchanged before it folded; a page whose only
// change is a typo in its introduction says so, with units; a clause renumbered in its
// heading's text is named as renumbered, not as removed and added; and no count anywhere
// reads "0 clauses changed" or "1 clauses".
func TestSitePolicyRedlines(t *testing.T) {
	fsys, _ := sitePolicy(t)
	res, err := Build(fsys, Options{LinksWarn: true, Today: sitePolicyToday, NoMinify: true})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	page := func(name string) string {
		t.Helper()
		data, ok := res.Files[name]
		if !ok {
			t.Fatalf("no output %s", name)
		}
		return string(data)
	}

	// GitHub Community Guidelines, 2024-07-01 to 2025-07-01: 75 lines of Markdown, one
	// clause changed (a quotation mark), its introduction and four clauses unchanged.
	const changed = `id="what-if-something-or-someone-offends-you"`
	doc := page("v/2025-07-01/changes/Policies/github-terms/github-community-guidelines/index.html")
	mustContain(t, "guidelines redline", doc, "On this page: 1 clause changed.",
		`<li>Changed: <a href="#what-if-something-or-someone-offends-you">What if something or someone offends you?</a></li>`)
	redline := doc[strings.Index(doc, `<div class="redline">`):]
	at := strings.LastIndex(redline[:max(strings.Index(redline, changed), 0)], "<")
	if at < 0 {
		t.Fatal("the changed clause is not in the redline")
	}
	before := visibleText(redline[:at])
	if len(before) > 200 {
		t.Errorf("before the changed clause a reader sees %d characters, want only the folds' summaries:\n%s", len(before), before)
	}
	if want := "Introduction, unchanged 1 unchanged clause: Maintaining a strong community"; before != want {
		t.Errorf("before the changed clause: %q\nwant %q", before, want)
	}
	if n := strings.Count(redline, `<details class="redline-fold">`); n != 3 {
		t.Errorf("%d folds; want 3 (the introduction, the clause before the change, the three after it)", n)
	}

	// GitHub Misinformation and Disinformation, 2024-07-01 to 2025-07-01: only a typo in the
	// introduction ("Polices").
	doc = page("v/2025-07-01/changes/Policies/acceptable-use-policies/github-misinformation-and-disinformation/index.html")
	mustContain(t, "introduction-only redline", doc, "On this page: 1 change in the introduction.",
		"<li>1 change in the introduction (before the first clause)</li>", "<del>Polices</del> <ins>Policies</ins>")
	mustContain(t, "change list", page("v/2025-07-01/changes/index.html"),
		`GitHub Misinformation and Disinformation</a> (1 change in the introduction)</li>`,
		`GitHub Community Guidelines</a> (1 clause changed)</li>`,
		"In all: 30 pages changed, 1 added.")

	// GitHub Event Terms, 2023-01-01 to 2024-07-01: "## 3. Risk, liability, and indemnity"
	// (#3-risk-liability-and-indemnity) became "## 4. ..." after a clause was inserted.
	doc = page("v/2024-07-01/changes/Policies/github-terms/github-event-terms/index.html")
	mustContain(t, "event terms redline", doc,
		`<li>3 renumbered as 4: <a href="#4-risk-liability-and-indemnity">Risk, liability, and indemnity</a> (same text)</li>`,
		`<li>Added: <a href="#3-information-sharing">3 Information sharing</a></li>`)

	bad := regexp.MustCompile(`\b0 clauses? (changed|added|removed)|\b1 (clauses|pages|changes)\b|\(\)|clauses: 0`)
	for name, data := range res.Files {
		if strings.Contains(name, "/changes/") || strings.HasPrefix(name, "v/compare/") || name == "feed.xml" {
			if m := bad.Find(data); m != nil {
				t.Errorf("%s: %q", name, m)
			}
		}
	}
}

// TestEditionLinks protects the ways between editions: counts say what they count, the
// banner's "See what changes" never links the page it is on, the switcher's feed link opens
// a page about subscribing (which links the feed), not the feed's XML, and the feed's
// entries count clauses in words.
func TestEditionLinks(t *testing.T) {
	files := buildEditions(t, Options{})
	mustContain(t, "compare page", page(t, files, "v/compare/index.html"),
		"June 2026</a> <span class=\"status\">(current)</span>: 1 page changed, 1 added, 1 removed</li>")
	mustContain(t, "change list", page(t, files, "v/2026-06/changes/index.html"),
		"In all: 1 page changed, 1 added, 1 removed.", "Terms</a> (1 clause changed, 1 added, 1 removed)</li>")
	upcoming := page(t, files, "v/2027-01/changes/terms/index.html")
	mustContain(t, "upcoming redline", upcoming, `class="banner upcoming"`)
	if strings.Contains(upcoming, "See what changes") {
		t.Error("the banner of a redline links to the redline itself")
	}
	mustContain(t, "upcoming terms", page(t, files, "v/2027-01/terms/index.html"),
		`<a href="../../../v/2027-01/changes/terms/index.html">See what changes</a>`)
	terms := page(t, files, "terms/index.html")
	mustContain(t, "switcher", terms, `<a href="../v/compare/feed/index.html">Feed of changes</a>`)
	if strings.Contains(terms, "feed.xml") {
		t.Error("a page links the feed's XML instead of the page about it")
	}
	mustContain(t, "feed page", page(t, files, "v/compare/feed/index.html"),
		`<code class="feed-address">https://example.org/guide/feed.xml</code>`, `<a href="../../../feed.xml" type="application/atom+xml">`)
	mustContain(t, "feed", page(t, files, "feed.xml"), "Terms&lt;/a&gt;: 1 clause changed, 1 added, 1 removed")
}

// TestRedlineTargetMoves: a redline's text is stored rebased, its links pointing into the
// edition that has their target. When only a target moves (the newer edition gains the
// file that a link of the deleted text pointed to in the older one; the upcoming edition
// too, whose comparison with the oldest would otherwise link the file at the site's root),
// the redline is the same but the stored text is not reused: the warm build links the newer edition's file,
// as a cold build does, byte for byte.
func TestRedlineTargetMoves(t *testing.T) {
	fsys := txtarFS(t, "testdata/editions.txtar")
	const terms = "content/_editions/2026-01/terms.md"
	fsys[terms] = &fstest.MapFile{Data: bytes.Replace(fsys[terms].Data, []byte("by bank transfer."), []byte("by bank transfer (see the [notes](../notes.html))."), 1)}
	fsys["content/_editions/2026-01/notes.html"] = &fstest.MapFile{Data: []byte("<p>Notes.</p>\n")}
	build := func(opt Options) map[string][]byte {
		t.Helper()
		opt.Today, opt.NoMinify = editionsToday, true
		res, err := Build(fsys, opt)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		return res.Files
	}
	const redline = "v/2026-06/changes/terms/index.html"
	st := store.Memory()
	first := build(Options{Store: st, Salt: "test"})
	mustContain(t, "first build", page(t, first, redline), `<a href="../../../../v/2026-01/notes.html"><del>notes</del></a>`)
	for _, ed := range []string{"2026-06", "2027-01"} {
		fsys["content/_editions/"+ed+"/notes.html"] = &fstest.MapFile{Data: []byte("<p>Notes.</p>\n")}
	}
	warm := build(Options{Store: st, Salt: "test"})
	mustContain(t, "warm build", page(t, warm, redline), `<a href="../../../../v/2026-06/notes.html"><del>notes</del></a>`)
	if cold := build(Options{}); !maps.EqualFunc(cold, warm, bytes.Equal) {
		t.Error("the warm build differs from a build without a store")
	}
}

// TestSummaryEncoding: a stored redline keeps every field of its clause summary, and the
// keys of the pages that show it hash them all (encodeSummary), including fields added to
// redline.Summary later: the test fills every field, however many there are.
func TestSummaryEncoding(t *testing.T) {
	var s redline.Summary
	n := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			n++
			v.SetString("s" + strings.Repeat("x", n))
		case reflect.Int:
			n++
			v.SetInt(int64(n))
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			for i := range v.Len() {
				fill(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				fill(v.Field(i))
			}
		default:
			t.Fatalf("encodeSummary: a field of kind %s", v.Kind())
		}
	}
	fill(reflect.ValueOf(&s).Elem())
	data := encodeSummary(store.NewEnc(), s).Bytes()
	d := store.NewDec(data)
	if got := decodeSummary(d); d.Err != nil || !reflect.DeepEqual(got, s) {
		t.Errorf("decoded %+v (%v), want %+v", got, d.Err, s)
	}
	if got := decodeSummary(store.NewDec(encodeSummary(store.NewEnc(), redline.Summary{}).Bytes())); !reflect.DeepEqual(got, redline.Summary{}) {
		t.Errorf("empty summary decoded as %+v", got)
	}
}
