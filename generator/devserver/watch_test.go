package devserver

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"affdocs/generator/site"
)

// TestIncrementalEqualsFull protects the promise of serve: whatever the edits, the site it
// serves after they settle is the site a fresh full build makes, byte for byte. The edits
// are the ones editors and version control make: in-place saves, atomic saves, front
// matter and body edits, new, renamed, moved and deleted files and folders (with files made
// before the watcher saw their folder), layouts, CSS and the site config, and a broken
// front matter fixed again.
func TestIncrementalEqualsFull(t *testing.T) {
	dir := copySite(t)
	opt := testOptions()
	w := startWatched(t, dir, siteRebuild(dir, opt), false, "")
	check := func(step string) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for {
			full, err := site.Build(os.DirFS(dir), opt)
			if err != nil {
				t.Fatalf("%s: the full build failed: %v", step, err)
			}
			diff := compareFiles(w.Files(), full.Files)
			if diff == "" && w.Problems() == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the served site differs from a full build:\n%s\nproblems: %v", step, diff, w.Problems())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	path := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	edit := func(rel, old, new string) {
		t.Helper()
		s := read(t, dir, rel)
		if !strings.Contains(s, old) {
			t.Fatalf("%s does not contain %q", rel, old)
		}
		write(t, dir, rel, strings.Replace(s, old, new, 1))
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check("start")

	steps := []struct {
		name  string
		do    func()
		paths []string // what the rebuild must have seen
	}{
		{"body edit", func() {
			edit("content/alidropship/terms.md", "It is not the official text.", "It is not the official text. Edited in place.")
		}, []string{"content/alidropship/terms.md"}},
		{"title edit (navigation of other pages)", func() {
			edit("content/aliexpress/checklist.md", "title: ", "title: Renamed ")
		}, []string{"content/aliexpress/checklist.md"}},
		{"weight edit (order in the sidebar)", func() {
			edit("content/alidropship/terms.md", "weight: 60", "weight: 1")
		}, []string{"content/alidropship/terms.md"}},
		{"new folder with pages", func() {
			write(t, dir, "content/guides/_index.md", "---\ntitle: Guides\ndescription: How-to guides.\n---\n\nGuides for affiliates. See the [terms](../alidropship/terms.md#about-this-summary).\n")
			write(t, dir, "content/guides/first.md", "---\ntitle: First guide\n---\n\nThe first guide links to [the second](second.md).\n")
			write(t, dir, "content/guides/second.md", "---\ntitle: Second guide\n---\n\nThe second guide.\n")
		}, []string{"content/guides"}},
		{"renamed file (a link breaks, then is fixed)", func() {
			must(os.Rename(path("content/guides/second.md"), path("content/guides/later.md")))
			edit("content/guides/first.md", "(second.md)", "(later.md)")
		}, []string{"content/guides/second.md", "content/guides/later.md", "content/guides/first.md"}},
		{"renamed folder", func() {
			must(os.Rename(path("content/guides"), path("content/help")))
		}, []string{"content/guides", "content/help"}},
		{"edit in the renamed folder", func() {
			edit("content/help/later.md", "The second guide.", "The second guide, edited after its folder moved.")
		}, []string{"content/help/later.md"}},
		{"deleted file", func() {
			edit("content/help/first.md", " links to [the second](later.md)", "")
			must(os.Remove(path("content/help/later.md")))
		}, []string{"content/help/later.md"}},
		{"nested folders made at once", func() {
			must(os.MkdirAll(path("content/deep/a/b"), 0o755))
			write(t, dir, "content/deep/a/b/leaf.md", "---\ntitle: Leaf\n---\n\nA page three folders down.\n")
			write(t, dir, "content/deep/a/page.md", "---\ntitle: Mid\n---\n\nA page two folders down.\n")
		}, []string{"content/deep"}},
		{"edit in a folder made at once", func() {
			edit("content/deep/a/b/leaf.md", "three folders down", "three folders down, edited")
		}, []string{"content/deep/a/b/leaf.md"}},
		{"folder moved in from outside", func() {
			out := filepath.Join(t.TempDir(), "moved")
			write(t, out, "_index.md", "---\ntitle: Moved in\n---\n\nA section moved in.\n")
			write(t, out, "sub/inner.md", "---\ntitle: Inner\n---\n\nInside.\n")
			must(os.Rename(out, path("content/moved")))
		}, []string{"content/moved"}},
		{"edit in a folder moved in", func() {
			edit("content/moved/sub/inner.md", "Inside.", "Inside, edited.")
		}, []string{"content/moved/sub/inner.md"}},
		{"static file added", func() {
			write(t, dir, "content/alidropship/diagram.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>`)
		}, []string{"content/alidropship/diagram.svg"}},
		{"static file changed", func() {
			write(t, dir, "content/alidropship/diagram.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"></svg>`)
		}, []string{"content/alidropship/diagram.svg"}},
		{"folder deleted", func() { must(os.RemoveAll(path("content/deep"))) }, []string{"content/deep"}},
		{"atomic save (write a temporary file, rename it over)", func() {
			s := read(t, dir, "content/aliexpress/terms.md")
			tmp := path("content/aliexpress/.terms.md.tmp")
			must(os.WriteFile(tmp, []byte(strings.Replace(s, "## ", "## Atomically saved: ", 1)), 0o644))
			must(os.Rename(tmp, path("content/aliexpress/terms.md")))
		}, []string{"content/aliexpress/terms.md"}},
		{"vim-style save (backup by rename, new file, chmod)", func() {
			s := read(t, dir, "content/aliexpress/how-to-apply.md")
			must(os.Rename(path("content/aliexpress/how-to-apply.md"), path("content/aliexpress/how-to-apply.md~")))
			write(t, dir, "content/aliexpress/how-to-apply.md", s+"\nAdded by a vim-style save.\n")
			must(os.Chmod(path("content/aliexpress/how-to-apply.md"), 0o600))
			must(os.Remove(path("content/aliexpress/how-to-apply.md~")))
		}, []string{"content/aliexpress/how-to-apply.md", "content/aliexpress/how-to-apply.md~"}},
		{"layout edit", func() {
			edit("themes/default/layouts/page.html", "<article>", `<article class="edited-layout">`)
		}, []string{"themes/default/layouts/page.html"}},
		{"partial edit", func() {
			edit("themes/default/layouts/partials/nav.html", `<nav class="crumbs"`, `<nav class="crumbs edited"`)
		}, []string{"themes/default/layouts/partials/nav.html"}},
		{"stylesheet edit", func() {
			s := read(t, dir, "themes/default/static/assets/site.css")
			write(t, dir, "themes/default/static/assets/site.css", s+"\nbody { outline: 1px solid red; }\n")
		}, []string{"themes/default/static/assets/site.css"}},
		{"site config edit", func() {
			edit("content/_site.yaml", "title: ", "title: Edited ")
		}, []string{"content/_site.yaml"}},
		{"broken front matter", func() {
			edit("content/alidropship/checklist.md", "title: ", "title: [unclosed\n")
		}, []string{"content/alidropship/checklist.md"}},
	}
	for _, st := range steps {
		st.do()
		w.waitFor(t, st.paths...)
		if st.name == "broken front matter" {
			deadline := time.Now().Add(2 * time.Second)
			for w.Problems() == nil && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if p := w.Problems(); len(p) == 0 || !strings.Contains(p[0], "content/alidropship/checklist.md:") {
				t.Fatalf("broken front matter: problems %q", p)
			}
			edit("content/alidropship/checklist.md", "title: [unclosed\n", "title: Fixed ")
			w.waitFor(t, st.paths...)
		}
		check(st.name)
	}
}

// compareFiles describes how got differs from want, or is "" when they are equal.
func compareFiles(got, want map[string][]byte) string {
	var b strings.Builder
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	n := 0
	for _, name := range names {
		g, gok := got[name]
		w, wok := want[name]
		var d string
		switch {
		case !gok:
			d = "missing"
		case !wok:
			d = "extra"
		case !bytes.Equal(g, w):
			i := commonPrefix(g, w)
			d = fmt.Sprintf("differs at byte %d: served %q, full build %q", i, excerpt(g, i), excerpt(w, i))
		default:
			continue
		}
		if n++; n <= 10 {
			fmt.Fprintf(&b, "  %s: %s\n", name, d)
		}
	}
	if n > 10 {
		fmt.Fprintf(&b, "  and %d more\n", n-10)
	}
	return b.String()
}

func excerpt(b []byte, at int) string {
	lo, hi := max(0, at-40), min(len(b), at+60)
	return string(b[lo:hi])
}
