package site

import (
	"encoding/json"
	"html/template"
	"regexp"
	"strings"

	"affdocs/generator/redline"
	"affdocs/generator/store"
	"affdocs/generator/versions"
)

// Redlines: for each page changed between two editions, the redline stage compares the
// two conversions (stored under the hash of both), and the page is rendered like any
// other, under v/<ID>/changes/ or v/compare/<A>..<B>/, with its text's links made relative
// to where it is published.

// redlined is the redline stage's result: a page's clause summary and its marked-up text.
type redlined struct {
	Summary redline.Summary
	HTML    string
}

// redline compares two conversions of a page; the result is stored under the hash of
// both conversions' keys.
func (b *builder) redline(from, to *Site, old, cur *Page) *redlined {
	key := store.NewKey("redline").Str(b.opt.Salt).Key(old.contentFP).Key(cur.contentFP).Sum()
	var r redlined
	if data, ok := b.st.Get(key); ok && json.Unmarshal(data, &r) == nil {
		return &r
	}
	if !b.convert(from, old) || !b.convert(to, cur) {
		return &r
	}
	r.Summary, r.HTML = redline.Page(string(old.Content), string(cur.Content))
	data, _ := json.Marshal(&r)
	b.st.Put(key, data)
	return &r
}

// writeDiff redlines each changed page of d and writes the change list, under dir.
func (b *builder) writeDiff(d *editionDiff, dir string) {
	from, to := b.edition(d.From), b.edition(d.To)
	d.Dir = dir
	var redlines []*Page
	for _, c := range d.Changed {
		old, cur := from.byPath[c.Path], to.byPath[c.Path]
		rl := b.redline(from, to, old, cur)
		c.Summary, c.Title = rl.Summary, cur.Title
		// The text's links are relative to the page in the edition: make them relative
		// to the redline, to the same file in the newer edition (in the older one for a
		// link only the deleted text has).
		html := rebase(rl.HTML, cur.Path, dir+c.Redline, func(target string) string {
			if _, ok := b.exists(to, strings.TrimSuffix(target, "index.html")); ok || !strings.HasSuffix(target, ".html") {
				return d.To.Path + target
			}
			if _, ok := b.exists(from, strings.TrimSuffix(target, "index.html")); ok {
				return d.From.Path + target
			}
			return d.To.Path + target
		})
		redlines = append(redlines, &Page{Title: "Changes to " + cur.Title, Type: "changes", Path: c.Path, out: dir + c.Redline, Parent: to.Home,
			Content: template.HTML(html), Params: map[string]any{}, diff: d, change: c, Program: cur.Program})
	}
	for _, c := range d.Added {
		c.Title = to.byPath[c.Path].Title
	}
	for _, c := range d.Removed {
		c.Title = from.byPath[c.Path].Title
	}
	for _, p := range redlines {
		b.renderGenerated(to, d.To, p)
	}
	title := "Changes in " + d.To.Label
	if d.From != prevOf(b.set.list, d.To) {
		title = "Changes from " + d.From.Label + " to " + d.To.Label
	}
	idx := &Page{Title: title, Type: "changes", Path: "", out: dir, Parent: to.Home, Params: map[string]any{}, diff: d}
	b.renderGenerated(to, d.To, idx)
}

func prevOf(list []*versions.Edition, e *versions.Edition) *versions.Edition {
	for i := 1; i < len(list); i++ {
		if list[i] == e {
			return list[i-1]
		}
	}
	return nil
}

// renderGenerated renders a page that has no source (a redline, a change list, the compare
// page) in the context of edition e's tree, through the same stage as every page: its
// fingerprints are those of what it shows.
func (b *builder) renderGenerated(s *Site, e *versions.Edition, p *Page) {
	p.LinkTitle = p.Title
	shown, _ := json.Marshal(struct {
		Diff   *diffRecord
		Change *pageChange
		Pairs  []*diffRecord
	}{p.diff.record(), p.change, records(p.pairs)})
	p.metaFP = store.NewKey("generated").Key(p.metaKey()).Raw(shown).Sum()
	p.contentFP = store.NewKey("generated content").Str(string(p.Content)).Sum()
	p.converted = true
	r := b.generated[e.Path] // one per tree: its navigation fragments and checked lists are shared
	if r == nil {
		r = b.renderer(&tree{site: s, prefix: e.Path, ed: e}, nil)
		b.generated[e.Path] = r
	}
	b.renderPage(r, p, p.out+"index.html")
}

// diffRecord is what a page shows of an editionDiff.
type diffRecord struct {
	From, To                string
	Changed, Added, Removed []*pageChange
	Dir                     string
}

func (d *editionDiff) record() *diffRecord {
	if d == nil {
		return nil
	}
	return &diffRecord{From: d.From.ID, To: d.To.ID, Changed: d.Changed, Added: d.Added, Removed: d.Removed, Dir: d.Dir}
}

func records(ds []*editionDiff) []*diffRecord {
	out := make([]*diffRecord, len(ds))
	for i, d := range ds {
		out[i] = d.record()
	}
	return out
}

var linkAttr = regexp.MustCompile(` (href|src)="([^"#][^"]*)"`)

// rebase rewrites the relative links of HTML written for the page at site path from so
// that they work from the file at site path to: each link's target in the tree becomes
// root(target), a path from the site's root.
func rebase(html, from, to string, root func(target string) string) string {
	return linkAttr.ReplaceAllStringFunc(html, func(m string) string {
		sub := linkAttr.FindStringSubmatch(m)
		link := sub[2]
		if isExternal(link) || strings.HasPrefix(link, "/") {
			return m
		}
		rest := ""
		if i := strings.IndexAny(link, "?#"); i >= 0 {
			link, rest = link[:i], link[i:]
		}
		target := join(strings.TrimSuffix(from, "/"), link)
		if from == "" {
			target = join(".", link)
		}
		if strings.HasPrefix(target, "../") {
			return m // outside the tree: left as written
		}
		return " " + sub[1] + `="` + relURL(to, root(target)) + rest + `"`
	})
}
