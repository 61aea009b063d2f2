package site

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"path"
	"slices"
	"strconv"
	"strings"

	"affdocs/generator/redline"
	"affdocs/generator/versions"
)

// editionSet is what every page needs to know about all editions: the switcher's targets
// and which pages changed in which edition.
type editionSet struct {
	list    []*versions.Edition
	current *versions.Edition
	paths   map[string]map[string]bool // edition ID -> site paths of its pages
	diffs   map[string]*editionDiff    // edition ID -> what changed since the previous one
	compare map[string]*editionDiff    // edition ID -> comparison with the current edition
}

// editionDiff is what changed in an edition against another, by site path.
type editionDiff struct {
	From, To *versions.Edition
	Changed  []*pageChange // pages in both whose source differs
	Added    []*pageChange
	Removed  []*pageChange
	Dir      string // where its change list is published, "v/<ID>/changes/"
	changed  map[string]bool
}

// pageChange is one page of an editionDiff, with its clause-level summary once redlined.
type pageChange struct {
	Path    string
	Title   string
	Summary redline.Summary
	Redline string // where its redline is, below the change list's folder (redlinePath)
}

// redlinePath is where a changed page's redline is published, below its change list: at
// the page's own site path, and the home page's at _home/ (its own path, "", is the change
// list; no page can be at _home/, since names starting with _ are not published).
func redlinePath(sitePath string) string {
	if sitePath == "" {
		return "_home/"
	}
	return sitePath
}

func newEditionSet(eds []*versions.Edition) *editionSet {
	set := &editionSet{list: eds, current: versions.CurrentOf(eds), paths: map[string]map[string]bool{}, diffs: map[string]*editionDiff{}, compare: map[string]*editionDiff{}}
	for _, e := range eds {
		set.paths[e.ID] = pagePaths(e)
	}
	for i := 1; i < len(eds); i++ {
		set.diffs[eds[i].ID] = diffEditions(eds[i-1], eds[i])
	}
	return set
}

// pagePaths are the site paths of an edition's Markdown files.
func pagePaths(e *versions.Edition) map[string]bool {
	out := map[string]bool{}
	for _, f := range e.Pages {
		if path.Ext(f.Source) == ".md" {
			out[sitePath(f.Source)] = true
		}
	}
	return out
}

// diffEditions compares two editions' source hashes: no rendering needed.
func diffEditions(from, to *versions.Edition) *editionDiff {
	d := &editionDiff{From: from, To: to, changed: map[string]bool{}}
	hashes := func(e *versions.Edition) map[string]string {
		m := map[string]string{}
		for _, f := range e.Pages {
			if path.Ext(f.Source) == ".md" {
				m[sitePath(f.Source)] = f.Hash
			}
		}
		return m
	}
	old, cur := hashes(from), hashes(to)
	for _, f := range to.Pages {
		p := sitePath(f.Source)
		if path.Ext(f.Source) != ".md" {
			continue
		}
		switch h, ok := old[p]; {
		case !ok:
			d.Added = append(d.Added, &pageChange{Path: p})
		case h != cur[p]:
			d.Changed = append(d.Changed, &pageChange{Path: p, Redline: redlinePath(p)})
			d.changed[p] = true
		}
	}
	for _, f := range from.Pages {
		if p := sitePath(f.Source); path.Ext(f.Source) == ".md" && cur[p] == "" {
			d.Removed = append(d.Removed, &pageChange{Path: p})
		}
	}
	return d
}

func (set *editionSet) has(e *versions.Edition, sitePath string) bool {
	return e != nil && set.paths[e.ID][sitePath]
}

// versionLink is one entry of the version switcher.
type versionLink struct {
	*versions.Edition
	URL      string
	Selected bool // the edition being read
	Missing  bool // the page does not exist there: the link goes to that edition's home
}

// Editions are the switcher's entries: the same page in every edition, or that edition's
// home when the page does not exist there. Empty for an unversioned site.
func (v *view) Editions() []versionLink {
	var out []versionLink
	for i := len(v.r.set.list) - 1; i >= 0; i-- {
		e := v.r.set.list[i]
		l := versionLink{Edition: e, Selected: v.r.ed == e && !v.r.draft && v.p.out == ""}
		if v.r.set.has(e, v.p.Path) {
			l.URL = v.Root + e.Path + urlPath(v.p.Path) + "index.html"
		} else {
			l.URL, l.Missing = v.Root+e.Path+"index.html", true
		}
		out = append(out, l)
	}
	return out
}

// Edition is the edition being read; nil for the draft or an unversioned site.
func (v *view) Edition() *versions.Edition {
	if v.r.draft {
		return nil
	}
	return v.r.ed
}

// IsDraft reports a draft preview (serve without -published).
func (v *view) IsDraft() bool { return v.r.draft }

// CurrentURL is this page in the current edition (its home when the page is gone there).
func (v *view) CurrentURL() string {
	if v.r.set.has(v.r.set.current, v.p.Path) {
		return v.Root + urlPath(v.p.Path) + "index.html"
	}
	return v.Root + "index.html"
}

// ChangesURL is what changes in the edition being read: this page's redline when it
// changed, else the edition's list of changes.
func (v *view) ChangesURL() string {
	e := v.r.ed
	if e == nil || v.r.set.diffs[e.ID] == nil {
		return ""
	}
	if v.r.set.diffs[e.ID].changed[v.p.Path] {
		return v.Root + e.Path + "changes/" + urlPath(redlinePath(v.p.Path)) + "index.html"
	}
	return v.Root + e.Path + "changes/index.html"
}

// Diff is the comparison shown by a changes page.
func (v *view) Diff() *editionDiff { return v.p.diff }

// Change is the page comparison shown by a redline page; nil on a change list.
func (v *view) Change() *pageChange { return v.p.change }

// Pairs are the comparisons listed by the compare page.
func (v *view) Pairs() []*editionDiff { return v.p.pairs }

// editionChanges publishes the redlines of what changed in an edition since the previous
// one (v/<ID>/changes/), and its comparison with the current edition
// (v/compare/<A>..<B>/).
func (b *builder) editionChanges(ed *versions.Edition) {
	if d := b.set.diffs[ed.ID]; d != nil {
		b.writeDiff(d, ed.Path+"changes/")
	}
	if d := b.set.compareWith(ed); d != nil {
		b.writeDiff(d, "v/compare/"+d.From.ID+".."+d.To.ID+"/")
	}
}

// compareWith is the comparison of ed with the current edition, pre-generated for every
// edition that is not the current one or next to it (those are the editions' own changes).
func (set *editionSet) compareWith(ed *versions.Edition) *editionDiff {
	cur := set.current
	i, c := slices.Index(set.list, ed), slices.Index(set.list, cur)
	if cur == nil || i == c || i == c-1 || i == c+1 {
		return nil
	}
	if d := set.compare[ed.ID]; d != nil {
		return d
	}
	from, to := ed, cur
	if i > c {
		from, to = cur, ed
	}
	d := diffEditions(from, to)
	set.compare[ed.ID] = d
	return d
}

// compareIndex writes v/compare/, the list of every pre-generated pair of editions.
func (b *builder) compareIndex() {
	set := b.set
	if len(set.list) < 2 {
		return
	}
	var pairs []*editionDiff
	for _, e := range set.list {
		if d := set.diffs[e.ID]; d != nil {
			pairs = append(pairs, d)
		}
		if d := set.compareWith(e); d != nil {
			pairs = append(pairs, d)
		}
	}
	cur := set.current
	s := b.edition(cur)
	idx := &Page{Title: "Compare editions", Type: "compare", Path: "compare/", out: "v/compare/", Parent: s.Home, Params: map[string]any{}, pairs: pairs}
	b.renderGenerated(s, cur, idx)
}

// publishEditions writes versions.json and the Atom feed of editions.
func (b *builder) publishEditions(cfg Config) {
	set := b.set
	if len(set.list) == 0 {
		return
	}
	doc := struct {
		Current  string              `json:"current"`
		Editions []*versions.Edition `json:"editions"`
	}{Editions: set.list}
	if set.current != nil {
		doc.Current = set.current.ID
	}
	data, _ := json.MarshalIndent(doc, "", "  ")
	b.put("the generated versions.json", "versions.json", data)
	b.put("the generated feed", "feed.xml", b.feed(cfg))
}

// feed is an Atom feed with one entry per edition, newest first, summarising its changes.
func (b *builder) feed(cfg Config) []byte {
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
	}
	type content struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	type entry struct {
		Title   string  `xml:"title"`
		ID      string  `xml:"id"`
		Updated string  `xml:"updated"`
		Link    link    `xml:"link"`
		Content content `xml:"content"`
	}
	type author struct {
		Name string `xml:"name"`
	}
	var f struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Author  author   `xml:"author"`
		Links   []link   `xml:"link"`
		Entries []entry  `xml:"entry"`
	}
	base := cfg.BaseURL
	if base == "" {
		base = "urn:affdocs:"
	}
	f.Title = cfg.Title + ": editions of the terms"
	f.ID = base + "feed.xml"
	f.Author.Name = cfg.Title
	f.Links = []link{{Href: base + "feed.xml", Rel: "self"}, {Href: base}}
	for i := len(b.set.list) - 1; i >= 0; i-- {
		e := b.set.list[i]
		u := base + e.Path
		var body strings.Builder
		body.WriteString("<p>Edition " + template.HTMLEscapeString(e.Label) + ", effective " + e.Effective + " (" + e.Status + ").</p>")
		if d := b.set.diffs[e.ID]; d != nil {
			u = base + e.Path + "changes/"
			body.WriteString(changeSummaryHTML(d, base+e.Path+"changes/"))
		} else {
			body.WriteString("<p>First published edition.</p>")
		}
		updated := e.Effective + "T00:00:00Z"
		if updated > f.Updated {
			f.Updated = updated
		}
		f.Entries = append(f.Entries, entry{
			Title: e.Label + " (effective " + e.Effective + ")", ID: base + e.Path, Updated: updated,
			Link: link{Href: u}, Content: content{Type: "html", Body: body.String()},
		})
	}
	var out bytes.Buffer
	out.WriteString(xml.Header)
	enc := xml.NewEncoder(&out)
	enc.Indent("", " ")
	_ = enc.Encode(f)
	return out.Bytes()
}

// changeSummaryHTML lists an edition's changed, added and removed pages with clause counts.
func changeSummaryHTML(d *editionDiff, base string) string {
	var b strings.Builder
	list := func(head string, cs []*pageChange, link bool) {
		if len(cs) == 0 {
			return
		}
		b.WriteString("<p>" + head + ":</p><ul>")
		for _, c := range cs {
			t := template.HTMLEscapeString(c.Title)
			if link {
				t = `<a href="` + template.HTMLEscapeString(base+urlPath(c.Redline)) + `">` + t + `</a>`
			}
			b.WriteString("<li>" + t)
			if s := c.Summary; len(s.Added)+len(s.Removed)+len(s.Changed) > 0 {
				b.WriteString(" (clauses: " + strconv.Itoa(len(s.Changed)) + " changed, " + strconv.Itoa(len(s.Added)) + " added, " + strconv.Itoa(len(s.Removed)) + " removed)")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	list("Pages changed", d.Changed, true)
	list("Pages added", d.Added, false)
	list("Pages removed", d.Removed, false)
	if len(d.Changed)+len(d.Added)+len(d.Removed) == 0 {
		b.WriteString("<p>No page changed.</p>")
	}
	return b.String()
}

// extras writes the site-wide files: redirects, 404, sitemap, robots.txt, _headers, and for
// a versioned site versions.json and the feed.
func (b *builder) extras(root *tree) {
	b.renderer(root, nil).extras(b.ds)
	b.publishEditions(root.site.Config)
}
