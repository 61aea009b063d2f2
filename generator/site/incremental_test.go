package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// memoCase is one edit of a memo test: what it does to the source folder and the paths a
// watcher would report.
type memoCase struct {
	name    string
	do      func(t *testing.T, dir string)
	changed []string
}

func writeSrc(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func editSrc(rel, old, new string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("%s does not contain %q", rel, old)
		}
		writeSrc(t, dir, rel, strings.Replace(string(data), old, new, 1))
	}
}

func appendSrc(rel, text string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		writeSrc(t, dir, rel, string(data)+text)
	}
}

func renameSrc(from, to string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.Rename(filepath.Join(dir, filepath.FromSlash(from)), filepath.Join(dir, filepath.FromSlash(to))); err != nil {
			t.Fatal(err)
		}
	}
}

func removeSrc(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
	}
}

// copyTree copies the files of fsys below the given top folders into a new temporary folder.
func copyTree(t *testing.T, fsys fs.FS, tops ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, top := range tops {
		err := fs.WalkDir(fsys, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			writeSrc(t, dir, p, string(data))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runMemo applies each edit to the site in dir and checks that a build with the memo (told
// what changed) equals a full build: every file byte for byte, every problem, and every
// page of the Result's Site as the templates and the link check see it.
func runMemo(t *testing.T, dir string, opt Options, cases []memoCase) {
	t.Helper()
	memo := NewMemo()
	mopt := opt
	mopt.Memo = memo
	fsys := os.DirFS(dir)
	check := func(step string) {
		t.Helper()
		got, gerr := Build(fsys, mopt)
		want, werr := Build(fsys, opt)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("%s: problems differ:\nwith the memo: %v\nfull build:    %v", step, gerr, werr)
		}
		if fmt.Sprint(got.Warnings) != fmt.Sprint(want.Warnings) {
			t.Fatalf("%s: warnings differ:\nwith the memo: %v\nfull build:    %v", step, got.Warnings, want.Warnings)
		}
		if d := filesDiff(got.Files, want.Files); d != "" {
			t.Fatalf("%s: files differ (memo: %s):\n%s", step, memo.Stats(), d)
		}
		if d := sitesDiff(got.Site, want.Site); d != "" {
			t.Fatalf("%s: sites differ:\n%s", step, d)
		}
		t.Logf("%s: %s", step, memo.Stats())
	}
	check("first build")
	check("nothing changed")
	for _, c := range cases {
		c.do(t, dir)
		memo.Forget(c.changed...)
		check(c.name)
	}
}

func filesDiff(got, want map[string][]byte) string {
	var b strings.Builder
	names := slices.Sorted(maps.Keys(want))
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	for _, n := range names {
		g, gok := got[n]
		w, wok := want[n]
		switch {
		case !gok:
			fmt.Fprintf(&b, "  %s: missing\n", n)
		case !wok:
			fmt.Fprintf(&b, "  %s: extra\n", n)
		case !bytes.Equal(g, w):
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			fmt.Fprintf(&b, "  %s: differs at byte %d: memo %q, full %q\n", n, i, g[max(0, i-30):min(len(g), i+50)], w[max(0, i-30):min(len(w), i+50)])
		}
	}
	return b.String()
}

// sitesDiff compares the pages of two loaded trees field by field (pointers to other
// pages by their paths).
func sitesDiff(got, want *Site) string {
	if got == nil || want == nil {
		if got != want {
			return "one site is nil"
		}
		return ""
	}
	if len(got.Pages) != len(want.Pages) {
		return fmt.Sprintf("%d pages, want %d", len(got.Pages), len(want.Pages))
	}
	var b strings.Builder
	for i, g := range got.Pages {
		w := want.Pages[i]
		gv, wv := reflect.ValueOf(g).Elem(), reflect.ValueOf(w).Elem()
		for f := range gv.NumField() {
			name := gv.Type().Field(f).Name
			var same bool
			switch name {
			case "Parent":
				same = (g.Parent == nil) == (w.Parent == nil) && (g.Parent == nil || g.Parent.Path == w.Parent.Path)
			case "Pages":
				same = slices.EqualFunc(g.Pages, w.Pages, func(a, b *Page) bool { return a.Path == b.Path })
			case "doc":
				same = (g.doc == nil) == (w.doc == nil) && (g.doc == nil || bytes.Equal(g.doc.HTML, w.doc.HTML) &&
					reflect.DeepEqual(g.doc.Links, w.doc.Links) && reflect.DeepEqual(g.doc.Headings, w.doc.Headings))
			case "keys":
				same = slices.Equal(slices.Sorted(maps.Keys(g.keys)), slices.Sorted(maps.Keys(w.keys)))
			case "src":
				same = bytes.Equal(g.src, w.src)
			case "bodyOff":
				same = g.bodyOff == w.bodyOff
			case "ids":
				same = maps.Equal(g.ids, w.ids)
			case "reasons":
				same = reflect.DeepEqual(g.reasons, w.reasons)
			case "explicit":
				same = g.explicit == w.explicit
			case "linkAt": // set only when a streamed build releases the page; never with a memo
				same = g.linkAt == nil && w.linkAt == nil
			case "out":
				same = g.out == w.out
			case "diff", "change", "pairs":
				same = reflect.DeepEqual(g.diff, w.diff) && reflect.DeepEqual(g.change, w.change) && reflect.DeepEqual(g.pairs, w.pairs)
			default:
				if !gv.Type().Field(f).IsExported() {
					fmt.Fprintf(&b, "  Page field %s: compare it in sitesDiff\n", name)
					continue
				}
				same = reflect.DeepEqual(gv.Field(f).Interface(), wv.Field(f).Interface())
			}
			if !same {
				fmt.Fprintf(&b, "  /%s: field %s differs\n", g.Path, name)
			}
		}
	}
	return b.String()
}

// TestMemoEqualsFull protects serve's incremental rebuilds: after every kind of edit, a
// build that reuses the memo's work equals a full build, on the real site (theme
// included) and on a site with editions, in draft preview and as published.
func TestMemoEqualsFull(t *testing.T) {
	real := []memoCase{
		{"body edit", appendSrc("content/alidropship/terms.md", "\nA new closing paragraph.\n"), []string{"content/alidropship/terms.md"}},
		{"same bytes saved again", appendSrc("content/alidropship/terms.md", ""), []string{"content/alidropship/terms.md"}},
		{"heading added (new anchor)", appendSrc("content/alidropship/terms.md", "\n## A new clause {#new-clause}\n\nText.\n"), []string{"content/alidropship/terms.md"}},
		{"link to the new anchor", appendSrc("content/aliexpress/terms.md", "\nSee [the new clause](../alidropship/terms.md#new-clause).\n"), []string{"content/aliexpress/terms.md"}},
		{"anchor removed (the link breaks)", editSrc("content/alidropship/terms.md", "{#new-clause}", "{#renamed-clause}"), []string{"content/alidropship/terms.md"}},
		{"link fixed", editSrc("content/aliexpress/terms.md", "#new-clause", "#renamed-clause"), []string{"content/aliexpress/terms.md"}},
		{"title edit", editSrc("content/aliexpress/checklist.md", "title: ", "title: Edited "), []string{"content/aliexpress/checklist.md"}},
		{"weight edit", editSrc("content/alidropship/terms.md", "weight: ", "weight: 1"), []string{"content/alidropship/terms.md"}},
		{"rejection reason edited (rules.json)", editSrc("content/alidropship/rejection-reasons.md", "How to fix\n: ", "How to fix\n: Edited. "), []string{"content/alidropship/rejection-reasons.md"}},
		{"new page", func(t *testing.T, dir string) {
			writeSrc(t, dir, "content/alidropship/faq.md", "---\ntitle: FAQ\n---\n\nQuestions, linking to [the terms](terms.md).\n")
		}, []string{"content/alidropship/faq.md"}},
		{"new folder", func(t *testing.T, dir string) {
			writeSrc(t, dir, "content/guides/_index.md", "---\ntitle: Guides\n---\n\nGuides.\n")
			writeSrc(t, dir, "content/guides/one.md", "---\ntitle: One\n---\n\nOne, see [faq](/alidropship/faq/).\n")
		}, []string{"content/guides"}},
		{"renamed page (its link breaks)", renameSrc("content/alidropship/faq.md", "content/alidropship/questions.md"), []string{"content/alidropship/faq.md", "content/alidropship/questions.md"}},
		{"link fixed after the rename", editSrc("content/guides/one.md", "/alidropship/faq/", "/alidropship/questions/"), []string{"content/guides/one.md"}},
		{"renamed folder", renameSrc("content/guides", "content/help"), []string{"content/guides", "content/help"}},
		{"static file added", func(t *testing.T, dir string) {
			writeSrc(t, dir, "content/help/diagram.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>`)
		}, []string{"content/help/diagram.svg"}},
		{"static file changed", func(t *testing.T, dir string) {
			writeSrc(t, dir, "content/help/diagram.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"></svg>`)
		}, []string{"content/help/diagram.svg"}},
		{"page deleted", removeSrc("content/help/one.md"), []string{"content/help/one.md"}},
		{"hidden and underscore files (not pages)", func(t *testing.T, dir string) {
			writeSrc(t, dir, "content/help/.draft.md.swp", "swap")
			writeSrc(t, dir, "content/help/_notes.md", "notes")
		}, []string{"content/help/.draft.md.swp", "content/help/_notes.md"}},
		{"layout edit", editSrc("themes/default/layouts/page.html", "<article>", `<article class="edited">`), []string{"themes/default/layouts/page.html"}},
		{"partial edit", editSrc("themes/default/layouts/partials/nav.html", `class="crumbs"`, `class="crumbs edited"`), []string{"themes/default/layouts/partials/nav.html"}},
		{"stylesheet edit", appendSrc("themes/default/static/assets/site.css", "\nmain { outline: 1px solid red; }\n"), []string{"themes/default/static/assets/site.css"}},
		{"config edit", editSrc("content/_site.yaml", "title: ", "title: Edited "), []string{"content/_site.yaml"}},
		{"broken front matter", editSrc("content/alidropship/checklist.md", "title: ", "title: [unclosed\n"), []string{"content/alidropship/checklist.md"}},
		{"body edit while broken", appendSrc("content/alidropship/terms.md", "\nMore.\n"), []string{"content/alidropship/terms.md"}},
		{"fixed", editSrc("content/alidropship/checklist.md", "title: [unclosed\n", "title: "), []string{"content/alidropship/checklist.md"}},
		{"type check error in a body", appendSrc("content/alidropship/terms.md", "\n## Clause without an anchor\n\nText.\n"), []string{"content/alidropship/terms.md"}},
		{"everything forgotten", func(*testing.T, string) {}, []string{"."}},
	}
	t.Run("real site", func(t *testing.T) {
		dir := copyTree(t, os.DirFS("../.."), "content", "themes")
		runMemo(t, dir, Options{Draft: true}, real)
	})
	t.Run("real site published, not minified", func(t *testing.T) {
		dir := copyTree(t, os.DirFS("../.."), "content", "themes")
		runMemo(t, dir, Options{NoMinify: true, LinksWarn: true}, real[:12])
	})
	t.Run("nested sections", func(t *testing.T) {
		dir := t.TempDir()
		writeSrc(t, dir, "content/_site.yaml", "title: Nested\n")
		writeSrc(t, dir, "content/_index.md", "---\ntitle: Home\n---\nHome.\n")
		for _, sec := range []string{"a", "b"} {
			writeSrc(t, dir, "content/"+sec+"/_index.md", "---\ntitle: Section "+sec+"\n---\nSection.\n")
			for _, sub := range []string{"x", "y"} {
				writeSrc(t, dir, "content/"+sec+"/"+sub+"/_index.md", "---\ntitle: Sub "+sub+"\ndescription: About "+sub+".\n---\nSub.\n")
				for _, pg := range []string{"p1", "p2", "p3"} {
					writeSrc(t, dir, "content/"+sec+"/"+sub+"/"+pg+".md", "---\ntitle: Page "+pg+"\nweight: 1\n---\nText, see [the other](p1.md).\n")
				}
			}
		}
		runMemo(t, dir, Options{}, []memoCase{
			{"leaf body", appendSrc("content/a/x/p2.md", "\nMore.\n"), []string{"content/a/x/p2.md"}},
			{"leaf title (its section's page list)", editSrc("content/a/x/p2.md", "title: Page p2", "title: Second"), []string{"content/a/x/p2.md"}},
			{"leaf weight (order)", editSrc("content/a/x/p3.md", "weight: 1", "weight: 0"), []string{"content/a/x/p3.md"}},
			{"sub-section description", editSrc("content/b/y/_index.md", "About y.", "About why."), []string{"content/b/y/_index.md"}},
			{"top section title (navigation everywhere)", editSrc("content/b/_index.md", "Section b", "Section B"), []string{"content/b/_index.md"}},
			{"home body", appendSrc("content/_index.md", "\nWelcome.\n"), []string{"content/_index.md"}},
			{"sub-section section page removed (generated instead)", removeSrc("content/a/y/_index.md"), []string{"content/a/y/_index.md"}},
			{"page in new folders, named alone", func(t *testing.T, dir string) {
				writeSrc(t, dir, "content/c/z/new.md", "---\ntitle: New\n---\nNew.\n")
			}, []string{"content/c/z/new.md"}},
		})
	})
	editions := []memoCase{
		{"draft body edit", editSrc("content/terms.md", "Draft wording.", "Draft wording, edited."), []string{"content/terms.md"}},
		{"draft page added", func(t *testing.T, dir string) {
			writeSrc(t, dir, "content/faq.md", "---\ntitle: FAQ\n---\nDraft FAQ.\n")
		}, []string{"content/faq.md"}},
		{"current edition body edit", editSrc("content/_editions/2026-06/terms.md", "## ", "## Edited "), []string{"content/_editions/2026-06/terms.md"}},
		{"archived edition label", editSrc("content/_editions/2026-01/edition.yaml", "label: ", "label: Old "), []string{"content/_editions/2026-01/edition.yaml"}},
		{"upcoming edition removed", removeSrc("content/_editions/2027-01"), []string{"content/_editions/2027-01"}},
		{"draft title edit", editSrc("content/faq.md", "title: FAQ", "title: Questions"), []string{"content/faq.md"}},
	}
	for _, draft := range []bool{true, false} {
		t.Run(fmt.Sprintf("editions draft=%v", draft), func(t *testing.T) {
			dir := copyTree(t, txtarFS(t, "testdata/editions.txtar"), "content")
			runMemo(t, dir, Options{Draft: draft, Today: editionsToday}, editions)
		})
	}
}

// TestMemoReusesWork protects the point of the memo: a body edit converts and renders one
// page and re-reads one file, and a build with nothing changed redoes nothing.
func TestMemoReusesWork(t *testing.T) {
	dir := copyTree(t, os.DirFS("../.."), "content", "themes")
	memo := NewMemo()
	opt := Options{Draft: true, Memo: memo}
	fsys := os.DirFS(dir)
	if _, err := Build(fsys, opt); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(fsys, opt); err != nil {
		t.Fatal(err)
	}
	st := &memo.stats
	if st.loaded.Load() != 0 || st.converted.Load() != 0 || st.rendered.Load() != 0 || st.minified.Load() != 0 {
		t.Errorf("a build with nothing changed: %s", memo.Stats())
	}
	appendSrc("content/alidropship/checklist.md", "\n- [ ] One more thing\n")(t, dir)
	memo.Forget("content/alidropship/checklist.md")
	if _, err := Build(fsys, opt); err != nil {
		t.Fatal(err)
	}
	if st.loaded.Load() != 0 || st.converted.Load() != 1 || st.rendered.Load() != 1 || st.linkChecked.Load() != 1 {
		t.Errorf("a body edit: %s; want 0 loaded, 1 converted, 1 rendered, 1 link-checked", memo.Stats())
	}
}

// TestMemoKnowsEveryField makes whoever adds a field to what a page's output depends on
// decide how the memo keys it (incremental.go), instead of letting serve show stale pages.
func TestMemoKnowsEveryField(t *testing.T) {
	known := map[string][]string{
		// Page: front matter fields are keyed by the front matter bytes (navigation) and the
		// source bytes (conversion); place by Path, Section, IsSection, Parent and Pages; the
		// conversion's results by its id; generated pages' fields bypass the memo; linkAt is
		// only set by a streamed build (Options.Output), which never has a memo.
		"Page": {"Source", "Path", "Section", "IsSection", "Title", "LinkTitle", "Description", "Type", "Program",
			"Weight", "Effective", "Updated", "Aliases", "Params", "Content", "Headings", "Parent", "Pages",
			"out", "diff", "change", "pairs", "src", "bodyOff", "keys", "doc", "ids", "reasons", "explicit", "linkAt"},
		// Site: Config and ContentDir in the renderer key, Static's names in the tree's data,
		// the pages in the navigation keys.
		"Site": {"Config", "ContentDir", "Pages", "Home", "Static", "byPath", "bySource"},
		// renderer: everything in the renderer key (site through the tree's data); frags is
		// one build's cache of what the rest makes.
		"renderer": {"site", "theme", "assets", "selfCheck", "rules", "prefix", "ed", "draft", "set", "frags"},
		// view: derived from the page and the renderer.
		"view": {"Page", "Site", "Root", "Canonical", "SelfCheck", "CSP", "r"},
	}
	for name, typ := range map[string]reflect.Type{
		"Page": reflect.TypeFor[Page](), "Site": reflect.TypeFor[Site](),
		"renderer": reflect.TypeFor[renderer](), "view": reflect.TypeFor[view](),
	} {
		var fields []string
		for f := range typ.Fields() {
			fields = append(fields, f.Name)
		}
		for _, f := range fields {
			if !slices.Contains(known[name], f) {
				t.Errorf("%s has a new field %s: decide how the memo (incremental.go) keys it, then list it here", name, f)
			}
		}
		for _, f := range known[name] {
			if !slices.Contains(fields, f) {
				t.Errorf("%s no longer has field %s: update incremental.go and this list", name, f)
			}
		}
	}
}

// TestUsesSitePages protects the one escape from the navigation keys: layouts that list
// every page of the site make every page depend on every page's front matter.
func TestUsesSitePages(t *testing.T) {
	for src, want := range map[string]bool{
		`{{range .Site.Pages}}{{.Title}}{{end}}`:            true,
		`{{range $.Site.Pages}}{{.Title}}{{end}}`:           true,
		`{{with .Site}}{{range .Pages}}x{{end}}{{end}}`:     false, // .Pages of the dot: accepted limitation
		`{{range (index .Pages 0).Pages}}{{.Title}}{{end}}`: true,
		`{{range .Pages}}{{.Title}}{{end}}`:                 false,
		`{{range $area := .Area}}{{$area.Title}}{{end}}`:    false,
		`{{if .Site.Home}}{{.Site.Config.Title}}{{end}}`:    false,
	} {
		tmpl := template.Must(template.New("t").Parse(src))
		if got := usesSitePages(tmpl.Tree.Root); got != want {
			t.Errorf("usesSitePages(%s) = %v, want %v", src, got, want)
		}
	}
	th, err := loadTheme(os.DirFS("../.."), "default")
	if err != nil {
		t.Fatal(err)
	}
	if NewMemo().layouts(th).sitePages {
		t.Errorf("the default theme's layouts should not use .Site.Pages")
	}
}
