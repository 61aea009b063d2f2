package site

import (
	"bytes"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"affdocs/generator/markdown"
	"affdocs/generator/store"
)

// valuesSite is a draft with values at every level: the home page, a top-level section and a
// page. testdata/golden/values.txtar shows what it renders; these tests hold the API and the
// store.
func valuesSite() fstest.MapFS {
	return mapFS(
		"content/_index.md", "---\ntitle: Guide\nvalues:\n  site_name: The guide\n  fee: 1.50\n---\n\nAliDropship replies in {{ alidropship.reply_days_max }} days.\n",
		"content/alidropship/_index.md", "---\ntitle: AliDropship\nvalues:\n  site_name: The AliDropship guide\n  reply_days_min: 3\n  reply_days_max: 4\n  thresholds:\n    words: 12\n    open: true\n---\n\nOverview.\n",
		"content/alidropship/reply.md", "---\ntitle: Reply\nvalues:\n  reply_days_max: 5\n---\n\nWait {{ reply_days_min }} to {{ reply_days_max }} days.\n",
		"content/alidropship/plain.md", "---\ntitle: Plain\n---\n\nNo values here.\n",
		"content/aliexpress/_index.md", "---\ntitle: AliExpress\n---\n\nUnlike AliDropship ({{ alidropship.reply_days_min }} to {{ alidropship.reply_days_max }} days), no reply time is stated.\n",
	)
}

// TestValueAPI protects what the screening rules read through value and expandValues: the
// leaf as YAML decodes it, found in the page's own values, then its sections' nearest
// first, then a top-level section's; and in a plain string, the text prose would show, with
// each missing value's name and offset.
func TestValueAPI(t *testing.T) {
	res, err := Build(valuesSite(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Site
	reply, home := s.byPath["alidropship/reply/"], s.Home
	for _, tc := range []struct {
		p    *Page
		name string
		want any
	}{
		{reply, "reply_days_max", 5},                          // its own
		{reply, "reply_days_min", 3},                          // its section's
		{reply, "site_name", "The AliDropship guide"},         // the nearest section's, not the home page's
		{reply, "fee", 1.5},                                   // the home page's
		{reply, "thresholds.open", true},                      // nested
		{home, "alidropship.reply_days_max", 4},               // a top-level section's, by its name
		{reply, "alidropship.thresholds.words", 12},           // likewise, from inside it
		{s.byPath["aliexpress/"], "site_name", "The guide"},   // another section sees the home page's
		{s.byPath["alidropship/plain/"], "reply_days_max", 4}, // a page with no values block
	} {
		got, ok := s.value(tc.p, tc.name)
		if !ok || got != tc.want {
			t.Errorf("value(%s, %s) = %#v, %v; want %#v", tc.p.Source, tc.name, got, ok, tc.want)
		}
	}
	for _, name := range []string{"reply_days_maxx", "thresholds", "aliexpress.site_name", "thresholds.words.x"} {
		if got, ok := s.value(reply, name); ok {
			t.Errorf("value(reply, %s) = %#v; want none", name, got)
		}
	}

	got, err := s.expandValues(reply, `{{ reply_days_min }}-{{reply_days_max}} days, fee {{ fee }}, \{{ fee }}, {{ open`)
	if want := "3-5 days, fee 1.50, {{ fee }}, {{ open"; got != want || err != nil {
		t.Errorf("expandValues = %q, %v; want %q", got, err, want)
	}
	text := "Wait {{ reply_days_maxx }} or {{ a b }} days."
	_, err = s.expandValues(reply, text)
	var list []string
	for _, e := range unjoin(err) {
		var ve *ValueError
		if !errors.As(e, &ve) {
			t.Fatalf("error %v is not a *ValueError", e)
		}
		if !strings.HasPrefix(text[ve.Offset:], "{{") {
			t.Errorf("%v at offset %d, where the text is %q", ve, ve.Offset, text[ve.Offset:])
		}
		list = append(list, ve.Name+": "+ve.Error())
	}
	want := []string{
		`reply_days_maxx: no value "reply_days_maxx" in this page's values, alidropship/_index.md or _index.md; did you mean reply_days_max?`,
		`a b: "{{ a b }}" is not a value reference: a value's name is letters, digits, _ and -, with dots between parts ({{ alidropship.reply_days_max }}); write \{{ for braces that are text`,
	}
	if !slices.Equal(list, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(list, "\n"), strings.Join(want, "\n"))
	}
}

// TestValueMissing protects the message an author sees for a value that does not exist:
// the file, line and column of the {{, the name, where it was looked for, and a suggestion.
func TestValueMissing(t *testing.T) {
	fsys := valuesSite()
	fsys["content/alidropship/reply.md"].Data = []byte("---\ntitle: Reply\n---\n\nIntro.\n\n- Wait {{ reply_days_maxx }} days.\n")
	got := buildErrors(t, fsys, Options{})
	want := []string{`content/alidropship/reply.md:7:8: no value "reply_days_maxx" in this page's values, alidropship/_index.md or _index.md; did you mean reply_days_max?`}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestValueRebuild protects the store from values: a value edited in a section's _index.md
// is shown, after a warm rebuild, on every page that inserts it (its own section's and, by
// the section's name, another's), and the rebuild equals a clean build; an edit of that
// _index.md that leaves its values alone changes no other page's conversion key.
func TestValueRebuild(t *testing.T) {
	fsys := valuesSite()
	st := store.Memory()
	out := &MemOutput{}
	build := func() *Result {
		t.Helper()
		out = out.Next()
		res, err := Build(fsys, Options{Store: st, Output: out, Salt: "test", NoMinify: true})
		if err != nil {
			t.Fatal(err)
		}
		clean, err := Build(fsys, Options{Salt: "test", NoMinify: true})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.EqualFunc(out.Files, clean.Files, bytes.Equal) {
			t.Errorf("the warm build differs from a clean build")
		}
		return res
	}
	build()
	section := "content/alidropship/_index.md"
	edit := func(old, new string) { // a new time too: the store trusts a file's size and time
		f := fsys[section]
		f.Data, f.ModTime = bytes.Replace(f.Data, []byte(old), []byte(new), 1), f.ModTime.Add(time.Second)
	}
	edit("reply_days_max: 4", "reply_days_max: 6")
	res := build()
	mustContain(t, "home", string(out.Files["index.html"]), "AliDropship replies in 6 days.")
	mustContain(t, "aliexpress", string(out.Files["aliexpress/index.html"]), "(3 to 6 days)")
	mustContain(t, "reply", string(out.Files["alidropship/reply/index.html"]), "Wait 3 to 5 days.") // its own value
	if res.Stats.Converted < 2 {
		t.Errorf("after a value edit: %+v; want the pages that show it converted again", res.Stats)
	}
	if res := build(); res.Stats.Converted != 0 || res.Stats.Rendered != 0 {
		t.Errorf("nothing changed: %+v; want nothing converted or rendered", res.Stats)
	}
	keys := func(res *Result) map[string]store.Key {
		m := map[string]store.Key{}
		for _, p := range res.Site.Pages {
			m[p.Path] = p.contentFP
		}
		return m
	}
	before := keys(res)
	edit("title: AliDropship", "title: AliDropship program")
	after := keys(build())
	for path, k := range after {
		if changed := k != before[path]; changed != (path == "alidropship/") {
			t.Errorf("after a title edit, the conversion key of /%s changed: %v; want only the edited page's", path, changed)
		}
	}
}

// TestValuesPerTree protects editions: each is a tree of its own, whose pages see its own
// values, so a value edited in the draft changes no published edition.
func TestValuesPerTree(t *testing.T) {
	fsys := valuesSite()
	for name, f := range valuesSite() {
		data := bytes.Replace(f.Data, []byte("reply_days_max: 4"), []byte("reply_days_max: 9"), 1)
		fsys["content/_editions/e1/"+strings.TrimPrefix(name, "content/")] = &fstest.MapFile{Data: data}
	}
	fsys["content/_editions/e1/edition.yaml"] = &fstest.MapFile{Data: []byte("effective: 2026-01-01\n")}
	res, err := Build(fsys, Options{Draft: true, Today: editionsToday})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "draft", string(res.Files["index.html"]), "AliDropship replies in 4 days.")
	mustContain(t, "edition", string(res.Files["v/e1/index.html"]), "AliDropship replies in 9 days.")
}

// FuzzValues protects the values: block from any YAML a person may write under it: parsing
// never panics, every problem is placed inside the file, and every value parsed has a name
// a reference can write and is found under it.
func FuzzValues(f *testing.F) {
	for _, s := range []string{
		"  a: 1\n  b: 1.50\n  c: text\n  d: true\n", "  g:\n    h:\n      i: 0x1F\n", "  a:\n  b: []\n  c: {}\n",
		"  a b: 1\n  a.b: 2\n  \"\": 3\n", "  a: &x 1\n  b: *x\n  c: !!str 12\n  d: !!int 1\n", "  - 1\n", " 12", "  a: |\n    two\n    lines\n",
		"  a: 99999999999999999999999\n  b: .inf\n  c: 2026-11-01\n  d: ~\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, block string) {
		src := []byte("---\ntitle: A\nvalues:" + block + "\n---\n")
		ds := &diags{}
		p := &Page{Source: "content/a.md", src: src}
		p.parseFrontMatter(ds)
		checkPlaced(t, src, ds.list)
		s := &Site{Home: p, ContentDir: "content", byPath: map[string]*Page{"": p}}
		for _, name := range p.values.names("") {
			if _, size, err := markdown.ValueRef("{{ " + name + " }}"); err != nil || size == 0 {
				t.Fatalf("value %q cannot be named: %v", name, err)
			}
			if _, ok := s.value(p, name); !ok {
				t.Fatalf("value %q is not found", name)
			}
		}
	})
}
