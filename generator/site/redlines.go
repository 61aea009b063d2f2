package site

import (
	"bytes"
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
// to where it is published. The text is stored rebased, under the hash of the redline and
// of where each link went, so a build that finds the same redline and the same targets
// neither reads the redline nor rewrites its links; and each comparison's key is computed
// once, when it is complete, for every page that shows it.

// redlined is the redline stage's result: a page's clause summary (and its encoding, which
// the keys of the pages that show it hash) and the targets of its text's links, each a site
// path from the tree's root, once each, in the order the text first links them. The marked-up
// text is stored only rebased (rebased): a build that finds it does not read the redline.
type redlined struct {
	key     store.Key
	Summary redline.Summary
	summary []byte // encodeSummary(Summary)
	targets []string
	made    bool // made by this build, not yet stored: its targets are not known yet
}

// redline compares two conversions of a page; the result is stored under the hash of
// both conversions' keys. When the comparison is made now (r.made), html is its marked-up
// text: rebased finds its targets and stores it. r is nil when a page could not be read.
func (b *builder) redline(from, to *Site, old, cur *Page) (r *redlined, html string) {
	key := store.NewKey("redline").Str(b.opt.Salt).Key(old.contentFP).Key(cur.contentFP).Sum()
	if v, ok := b.st.Value(key, decodeRedlined); ok {
		r := *v.(*redlined) // shared: copied
		r.key = key
		return &r, ""
	}
	r = &redlined{key: key, made: true}
	var ok bool
	if r.Summary, html, ok = b.compare(from, to, old, cur); !ok {
		return nil, ""
	}
	r.summary = encodeSummary(store.NewEnc(), r.Summary).Bytes()
	return r, html
}

// compare converts both pages and compares them; ok is false when a page could not be read.
func (b *builder) compare(from, to *Site, old, cur *Page) (sum redline.Summary, html string, ok bool) {
	if !b.convert(from, old) || !b.convert(to, cur) {
		return sum, "", false
	}
	sum, html = redline.Page(string(old.Content), string(cur.Content))
	return sum, html, true
}

func (b *builder) putRedlined(r *redlined) {
	e := store.NewEnc().Raw(r.summary).Int(len(r.targets))
	for _, t := range r.targets {
		e.Str(t)
	}
	b.st.Put(r.key, e.Bytes())
}

func decodeRedlined(data []byte) (any, error) {
	d := store.NewDec(data)
	r := &redlined{summary: bytes.Clone(d.Raw())}
	r.targets = make([]string, d.Len())
	for i := range r.targets {
		r.targets[i] = d.Str()
	}
	if d.Err != nil {
		return nil, d.Err
	}
	sd := store.NewDec(r.summary)
	r.Summary = decodeSummary(sd)
	return r, sd.Err
}

// rebased is a redline's text with its links made relative to where it is published, dir +
// c.Redline: each target goes to the same file in the newer edition (in the older one for
// a link only the deleted text has). It is stored under the hash of the redline, the place
// and each target's edition, so a build whose targets go where they went before reuses it
// without reading the redline's text; that key is the page's content fingerprint (zero
// when a page could not be read).
func (b *builder) rebased(d *editionDiff, from, to *Site, old, cur *Page, dir string, c *pageChange) (store.Key, string) {
	r, html := b.redline(from, to, old, cur)
	if r == nil {
		c.Title = cur.Title
		return store.Key{}, ""
	}
	c.Summary, c.summary, c.Title = r.Summary, r.summary, cur.Title
	inFrom := func(target string) byte { // 1: the link goes to the older edition
		if _, ok := b.exists(to, strings.TrimSuffix(target, "index.html")); ok || !strings.HasSuffix(target, ".html") {
			return 0
		}
		if _, ok := b.exists(from, strings.TrimSuffix(target, "index.html")); ok {
			return 1
		}
		return 0
	}
	out := dir + c.Redline
	key := func(in []byte) store.Key {
		return store.NewKey("rebased").Key(r.key).Str(out).Str(d.From.Path).Str(d.To.Path).Raw(in).Sum()
	}
	edition := func(in byte) string {
		if in == 1 {
			return d.From.Path
		}
		return d.To.Path
	}
	if !r.made {
		// Stored: its text rebased as before when every target goes where it went. Else
		// (a link's target moved between the editions, or the store lost the rebased text)
		// the redline is made again, and its targets found again, the same.
		in := make([]byte, len(r.targets))
		for i, target := range r.targets {
			in[i] = inFrom(target)
		}
		k := key(in)
		if data, ok := b.st.Get(k); ok {
			return k, string(data)
		}
		var ok bool
		if _, html, ok = b.compare(from, to, old, cur); !ok {
			return store.Key{}, ""
		}
		r.targets = nil // the stored value's: shared
	}
	var in []byte
	seen := map[string]bool{}
	html = rebase(html, cur.Path, out, func(target string) string {
		i := inFrom(target)
		if !seen[target] {
			seen[target] = true
			r.targets, in = append(r.targets, target), append(in, i)
		}
		return edition(i) + target
	})
	b.putRedlined(r)
	k := key(in)
	b.st.Put(k, []byte(html))
	return k, html
}

// writeDiff redlines each changed page of d and writes the change list, under dir.
func (b *builder) writeDiff(d *editionDiff, dir string) {
	from, to := b.edition(d.From), b.edition(d.To)
	d.Dir, d.key = dir, store.Key{}
	redlines := make([]*Page, len(d.Changed))
	parallel(indexes(len(d.Changed)), func(i int) {
		c := d.Changed[i]
		old, cur := from.byPath[c.Path], to.byPath[c.Path]
		key, html := b.rebased(d, from, to, old, cur, dir, c)
		p := &Page{Title: "Changes to " + cur.Title, Type: "changes", Path: c.Path, out: dir + c.Redline, Parent: to.Home,
			Content: template.HTML(html), Params: map[string]any{}, diff: d, change: c, Program: cur.Program}
		if key != (store.Key{}) {
			p.contentFP = store.NewKey("generated content").Key(key).Sum()
		}
		redlines[i] = p
	})
	for _, c := range d.Added {
		c.Title = to.byPath[c.Path].Title
	}
	for _, c := range d.Removed {
		c.Title = from.byPath[c.Path].Title
	}
	d.key = d.recordKey()
	parallel(redlines, func(p *Page) { b.renderGenerated(to, d.To, p) })
	title := "Changes in " + d.To.Label
	if d.From != prevOf(b.set.list, d.To) {
		title = "Changes from " + d.From.Label + " to " + d.To.Label
	}
	idx := &Page{Title: title, Type: "changes", Path: "", out: dir, Parent: to.Home, Params: map[string]any{}, diff: d}
	b.renderGenerated(to, d.To, idx)
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
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
// fingerprints are those of what it shows, the keys of the comparisons it shows (computed
// once each, recordKey) and of its text (a redline's is the key of its rebased text).
func (b *builder) renderGenerated(s *Site, e *versions.Edition, p *Page) {
	p.LinkTitle = p.Title
	k := store.NewKey("generated").Key(p.metaKey()).Key(p.diff.recordKey())
	if p.change != nil {
		k.Key(p.change.recordKey())
	}
	k.Int(len(p.pairs))
	for _, d := range p.pairs {
		k.Key(d.recordKey())
	}
	p.metaFP = k.Sum()
	if p.contentFP == (store.Key{}) {
		p.contentFP = store.NewKey("generated content").Str(string(p.Content)).Sum()
	}
	p.converted = true
	b.renderPage(b.generatedRenderer(s, e), p, p.out+"index.html")
}

// generatedRenderer is the renderer of the generated pages of edition e's tree: one per
// tree, so its navigation fragments and checked lists are shared.
func (b *builder) generatedRenderer(s *Site, e *versions.Edition) *renderer {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.generated[e.Path]
	if r == nil {
		r = b.renderer(&tree{site: s, prefix: e.Path, ed: e}, nil)
		b.generated[e.Path] = r
	}
	return r
}

// recordKey hashes what a page shows of a comparison: the editions, where it is published,
// and each page of its lists (recordKey). writeDiff computes it once the comparison is
// complete; the zero key stands for no comparison.
func (d *editionDiff) recordKey() store.Key {
	if d == nil {
		return store.Key{}
	}
	if d.key != (store.Key{}) {
		return d.key
	}
	k := store.NewKey("diff").Str(d.From.ID).Str(d.To.ID).Str(d.Dir)
	for _, list := range [][]*pageChange{d.Changed, d.Added, d.Removed} {
		k.Int(len(list))
		for _, c := range list {
			k.Key(c.recordKey())
		}
	}
	return k.Sum()
}

// recordKey hashes what a page shows of a page's change: its path, title, redline's place
// and clause summary.
func (c *pageChange) recordKey() store.Key {
	sum := c.summary
	if sum == nil {
		sum = encodeSummary(store.NewEnc(), c.Summary).Bytes()
	}
	return store.NewKey("change").Str(c.Path).Str(c.Title).Str(c.Redline).Raw(sum).Sum()
}

// encodeSummary writes every field of a clause summary.
func encodeSummary(e *store.Enc, s redline.Summary) *store.Enc {
	for _, refs := range [][]redline.ClauseRef{s.Added, s.Removed, s.Changed, s.Moved, s.Renumbered} {
		e.Int(len(refs))
		for _, r := range refs {
			e.Str(r.ID).Str(r.Title).Str(r.Number).Str(r.Was)
		}
	}
	e.Int(s.Unchanged).Int(len(s.Outside))
	for _, o := range s.Outside {
		e.Str(o.Part).Int(o.Changes)
	}
	return e
}

func decodeSummary(d *store.Dec) redline.Summary {
	var s redline.Summary
	for _, refs := range []*[]redline.ClauseRef{&s.Added, &s.Removed, &s.Changed, &s.Moved, &s.Renumbered} {
		if n := d.Len(); n > 0 {
			*refs = make([]redline.ClauseRef, n)
			for i := range *refs {
				(*refs)[i] = redline.ClauseRef{ID: d.Str(), Title: d.Str(), Number: d.Str(), Was: d.Str()}
			}
		}
	}
	s.Unchanged = d.Int()
	if n := d.Len(); n > 0 {
		s.Outside = make([]redline.OutsideChange, n)
		for i := range s.Outside {
			s.Outside[i] = redline.OutsideChange{Part: d.Str(), Changes: d.Int()}
		}
	}
	return s
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
