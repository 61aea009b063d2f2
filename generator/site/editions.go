package site

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"path"
	"slices"
	"strings"
	"time"

	"affdocs/generator/redline"
	"affdocs/generator/store"
	"affdocs/generator/versions"
)

// editionSet is what every page needs to know about all editions: the switcher's targets
// and which pages changed in which edition.
type editionSet struct {
	list    []*versions.Edition
	current *versions.Edition
	paths   map[string]map[string]bool // edition ID -> site paths of its pages
	diffs   map[string]*editionDiff    // edition ID -> what changed since the previous one
	compare map[string]*editionDiff    // "<A>..<B>" -> comparison of two editions not next to each other
}

// editionDiff is what changed in an edition against another, by site path.
type editionDiff struct {
	From, To *versions.Edition
	Changed  []*pageChange // pages in both whose source differs
	Added    []*pageChange
	Removed  []*pageChange
	Dir      string // where its change list is published, "v/<ID>/changes/"
	changed  map[string]bool
	key      store.Key // what its pages show of it, once it is complete (recordKey)
}

// pageChange is one page of an editionDiff, with its clause-level summary once redlined.
type pageChange struct {
	Path    string
	Title   string
	Summary redline.Summary
	Redline string // where its redline is, below the change list's folder (redlinePath)
	summary []byte // Summary's encoding, from the redline stage
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
	return changesURL(v.Root, e, v.p.Path, v.r.set.diffs[e.ID].changed[v.p.Path])
}

// changesURL is, from root, page's redline in edition e when it changed there, else e's list
// of changes.
func changesURL(root string, e *versions.Edition, page string, changed bool) string {
	if changed {
		return root + e.Path + "changes/" + urlPath(redlinePath(page)) + "index.html"
	}
	return root + e.Path + "changes/index.html"
}

// upcomingNotice is what a page of the current edition says of the next edition to take
// effect: its label and date, and where to read what it changes.
type upcomingNotice struct {
	*versions.Edition
	URL     string // this page's redline in it when the page changes, else its change list
	Changed bool   // the page changes in it
	Removed bool   // the page is not in it
}

// Upcoming is the next edition to take effect, as the pages of the current edition (at the
// unversioned paths, v/latest/ and v/<ID>/) announce it; nil on every other page, and when
// no edition is upcoming. Its link goes to the upcoming edition's changes (this page's
// redline, or for the home page and a page it does not change, its change list), never to
// the page it is on.
func (v *view) Upcoming() *upcomingNotice {
	set := v.r.set
	if v.r.draft || v.r.ed == nil || v.r.ed != set.current || v.p.out != "" || v.p.Type == "404" {
		return nil
	}
	i := slices.Index(set.list, set.current)
	if i < 0 || i+1 == len(set.list) {
		return nil
	}
	next := set.list[i+1] // its change list compares it with the current edition
	n := &upcomingNotice{Edition: next}
	switch {
	case v.p.Path == "": // the home page: what changes on the whole site
	case set.diffs[next.ID].changed[v.p.Path]:
		n.Changed = true
	case !set.has(next, v.p.Path):
		n.Removed = true
	}
	n.URL = changesURL(v.Root, next, v.p.Path, n.Changed)
	return n
}

// EditionDate is the date a page shows as its own. In an edition it is the edition's
// effective date (edition.yaml), the one source of an edition's date: a page's own
// effective: front matter is not shown there (frozen pages keep the date of the draft they
// were cut from). On a site without editions it is the page's effective: front matter. The
// draft preview of a versioned site has none: the draft takes the date it is cut with.
func (v *view) EditionDate() string {
	switch {
	case v.r.ed != nil && !v.r.draft:
		return v.r.ed.Effective
	case len(v.r.set.list) == 0:
		return v.p.Effective
	}
	return ""
}

// Diff is the comparison shown by a changes page.
func (v *view) Diff() *editionDiff { return v.p.diff }

// Change is the page comparison shown by a redline page; nil on a change list.
func (v *view) Change() *pageChange { return v.p.change }

// Pairs are the comparisons listed by the compare page, older edition first.
func (v *view) Pairs() []*editionDiff { return v.p.pairs }

// pairGroup is one older edition and its comparisons with each newer one.
type pairGroup struct {
	From  *versions.Edition
	Pairs []*editionDiff
}

// PairGroups are the compare page's comparisons grouped by their older edition.
func (v *view) PairGroups() []pairGroup {
	var out []pairGroup
	for _, d := range v.p.pairs {
		if n := len(out); n > 0 && out[n-1].From == d.From {
			out[n-1].Pairs = append(out[n-1].Pairs, d)
			continue
		}
		out = append(out, pairGroup{From: d.From, Pairs: []*editionDiff{d}})
	}
	return out
}

// Counts says in words how many pages changed: "3 pages changed, 1 added", "no page
// changed".
func (d *editionDiff) Counts() string {
	if t := redline.Tally("page", "pages", len(d.Changed), len(d.Added), len(d.Removed)); t != "" {
		return t
	}
	return "no page changed"
}

// Counts says in words what changed on the page: see redline.Summary.Counts.
func (c *pageChange) Counts() string { return c.Summary.Counts() }

// editionChanges publishes the redlines of what changed in an edition since the previous
// one (v/<ID>/changes/), and its comparison with every older edition
// (v/compare/<A>..<ID>/).
func (b *builder) editionChanges(ed *versions.Edition) {
	if d := b.set.diffs[ed.ID]; d != nil {
		b.writeDiff(d, ed.Path+"changes/")
	}
	for _, d := range b.set.pairsTo(ed) {
		b.writeDiff(d, "v/compare/"+d.From.ID+".."+d.To.ID+"/")
	}
}

// pairsTo are the comparisons with ed of the editions older than the one before it (that
// one is ed's own change list). With the editions' own change lists they make every pair
// of editions, so the compare page lets a reader pick any two without JavaScript: n
// editions make n(n-1)/2 comparisons, each redlining only the pages that differ.
func (set *editionSet) pairsTo(ed *versions.Edition) []*editionDiff {
	var out []*editionDiff
	for _, from := range set.list[:max(slices.Index(set.list, ed)-1, 0)] {
		key := from.ID + ".." + ed.ID
		d := set.compare[key]
		if d == nil {
			d = diffEditions(from, ed)
			set.compare[key] = d
		}
		out = append(out, d)
	}
	return out
}

// The compare page, and the page about following the feed, published beside it.
const (
	comparePage = "v/compare/"
	feedPage    = "v/compare/feed/"
)

// compareIndex writes v/compare/, where a reader picks two editions among every pair, and
// v/compare/feed/, which says how to follow the feed of editions.
func (b *builder) compareIndex() {
	set := b.set
	if len(set.list) < 2 {
		return
	}
	var pairs []*editionDiff
	for _, e := range set.list {
		pairs = append(pairs, set.pairsTo(e)...)
		if d := set.diffs[e.ID]; d != nil {
			pairs = append(pairs, d)
		}
	}
	at := func(e *versions.Edition) int { return slices.Index(set.list, e) }
	slices.SortStableFunc(pairs, func(a, b *editionDiff) int {
		if a.From != b.From {
			return at(a.From) - at(b.From)
		}
		return at(a.To) - at(b.To)
	})
	cur := set.current
	s := b.edition(cur)
	idx := &Page{Title: "Compare editions", Type: "compare", Path: "compare/", out: comparePage, Parent: s.Home, Params: map[string]any{}, pairs: pairs}
	b.renderGenerated(s, cur, idx)
	feed := &Page{Title: "Follow changes to the terms", Type: "compare", Path: "compare/feed/", out: feedPage, Parent: s.Home, Params: map[string]any{}}
	b.renderGenerated(s, cur, feed)
}

// IsFeedPage reports the page about following the feed (it shares the compare layout).
func (v *view) IsFeedPage() bool { return v.p.out == feedPage }

// FeedAddress is the feed's address to paste into a feed reader: absolute when the site
// has a baseURL, else relative to this page.
func (v *view) FeedAddress() string {
	if base := v.r.site.Config.BaseURL; base != "" {
		return base + "feed.xml"
	}
	return v.Root + "feed.xml"
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
		Title     string  `xml:"title"`
		ID        string  `xml:"id"`
		Published string  `xml:"published"`
		Updated   string  `xml:"updated"`
		Link      link    `xml:"link"`
		Content   content `xml:"content"`
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
	today := b.day()
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
		published, updated := feedDates(e, today)
		f.Updated = max(f.Updated, updated+"T00:00:00Z")
		f.Entries = append(f.Entries, entry{
			Title: e.Label + " (effective " + e.Effective + ")", ID: base + e.Path,
			Published: published + "T00:00:00Z", Updated: updated + "T00:00:00Z",
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

// feedDates are an edition's dates in the feed (YYYY-MM-DD), never after today, the build's
// day: published is the day it was cut (edition.yaml's published; its effective date for an
// edition cut before that was recorded), updated the day it took effect once it has, else
// its publication. So a feed built on a given day is the same whenever it is built, and an
// upcoming edition is news on the day it is cut and again on the day it takes effect.
func feedDates(e *versions.Edition, today string) (published, updated string) {
	published = e.Published
	if published == "" {
		published = e.Effective
	}
	published = min(published, today)
	updated = published
	if e.Effective <= today {
		updated = max(updated, e.Effective)
	}
	return published, updated
}

// today is the build's date, by which the editions' statuses are decided: Options.Today,
// or the day the build started.
func (b *builder) today() time.Time {
	if b.opt.Today.IsZero() {
		return b.start
	}
	return b.opt.Today
}

// day is today as YYYY-MM-DD.
func (b *builder) day() string { return b.today().Format(time.DateOnly) }

// changeSummaryHTML lists an edition's changed, added and removed pages, with what changed
// on each changed page in words ("1 clause changed; 1 change in the introduction").
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
			if link {
				b.WriteString(": " + template.HTMLEscapeString(c.Counts()))
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
