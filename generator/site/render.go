package site

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"affdocs/generator/screening"
	"affdocs/generator/store"
	"affdocs/generator/versions"
)

// CSP is the Content-Security-Policy every page is built to satisfy: no inline scripts or
// styles, WebAssembly allowed, no form posts, nothing loaded from elsewhere.
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'"

// renderer executes the theme's layouts for one tree published under one prefix.
type renderer struct {
	b         *builder
	site      *Site
	theme     *theme
	assets    map[string]string
	selfCheck bool
	rules     map[string][]byte    // program -> rules.json of this tree
	rulesFP   map[string]store.Key // program -> hash of its rules.json
	prefix    string               // where the tree is published: "", "v/<ID>/", "v/latest/"
	ed        *versions.Edition    // the edition shown; nil for the draft or an unversioned site
	draft     bool                 // draft preview banner
	set       *editionSet
	global    store.Key // everything every page of this renderer may show (renderKey)
	frags     fragCache // Cached's outputs, by template, page type, variant and depth
	verified  sync.Map  // stored dependency lists checked by this renderer
}

func (b *builder) renderer(t *tree, rules map[string][]byte) *renderer {
	r := &renderer{b: b, site: t.site, theme: b.theme, assets: b.assets, selfCheck: b.selfCheck, rules: rules,
		rulesFP: map[string]store.Key{}, prefix: t.prefix, ed: t.ed, draft: t.draft, set: b.set}
	for prog, data := range rules {
		r.rulesFP[prog] = store.NewKey("rules").Raw(data).Sum()
	}
	r.global = b.renderKey(r)
	return r
}

// view is what a layout sees as dot: the page, the site and URL helpers relative to the page.
type view struct {
	*pageRef
	Site      siteRef
	Root      string // relative prefix to the site root, "../../"
	Canonical string // absolute URL, when the site has a baseURL
	SelfCheck bool   // the self-check module is published
	CSP       string
	minified  bool // the minified layouts are being executed: Cached executes those
}

// layouts is the page's layout and the partials, as executed for this view.
func (v *view) layouts() *template.Template {
	if v.minified {
		return v.r.theme.minified()[v.p.Type]
	}
	return v.r.theme.templates[v.p.Type]
}

func (r *renderer) view(p *Page, rec recorder) *view {
	out := r.prefix + p.Path
	if p.out != "" {
		out = p.out
	}
	v := &view{pageRef: r.ref(p, rec), Site: siteRef{r, rec}, Root: strings.Repeat("../", strings.Count(out, "/")), SelfCheck: r.selfCheck, CSP: CSP}
	if b := r.site.Config.BaseURL; b != "" {
		v.Canonical = b + urlPath(out)
		if r.ed != nil && p.out == "" && r.set.has(r.set.current, p.Path) {
			v.Canonical = b + urlPath(p.Path) // every edition's copy points at the current edition
		}
	}
	return v
}

// page renders p, recording what its layouts read into rec. With minify on, it executes
// the layouts minified once for every page, and says so (minified): the Markdown's HTML
// was compacted or minified when it was converted, so the page needs no minifying of its
// own. The bytes it keeps are html/template's escapes in the values the layouts insert
// (&#39;), which a minifier writes plainly: where those would save more than 1% of the page
// (a JSON attribute's &#34;, 4 bytes each), the page is minified whole after all. Escapes
// in the Markdown's HTML do not count. A page the minified layouts fail on is rendered
// again as written, so an error points at the line the theme's author wrote.
func (r *renderer) page(p *Page, rec recorder) (out []byte, minified bool, err error) {
	if !r.b.opt.NoMinify && r.theme.minified() != nil {
		if out, err := r.exec(p, rec, true); err == nil {
			escapes := bytes.Count(out, []byte("&#")) - strings.Count(string(p.Content), "&#")
			return out, 4*escapes < len(out)/100, nil
		}
	}
	out, err = r.exec(p, rec, false)
	return out, false, err
}

func (r *renderer) exec(p *Page, rec recorder, minified bool) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(p.Content) + 16<<10) // the layout's share of a page: grown once, not doubled five times
	v := r.view(p, rec)
	v.minified = minified
	if err := v.layouts().ExecuteTemplate(&b, "baseof.html", v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// URL is the relative URL of another page from this one.
func (v *view) URL(p *pageRef) string { return v.Root + v.r.prefix + urlPath(p.p.Path) + "index.html" }

// Rel is the relative URL of a site path ("a/b/", "assets/x.png") from this page.
func (v *view) Rel(sitePath string) string {
	v.rec[dep{depPages, ""}] = v.r.site.pagesFP // whether it is a page decides the URL
	return v.Root + v.r.prefix + urlPath(v.r.site.urlOf(sitePath))
}

// Asset is the relative, cache-busted URL of a theme static file.
func (v *view) Asset(name string) string {
	if a, ok := v.r.assets[name]; ok {
		return v.Root + a
	}
	return v.Root + name
}

// fragment is a Cached output and what it read.
type fragment struct {
	html template.HTML
	rec  recorder
}

// Cached is the template name executed for this page, or its output for an earlier page of
// the tree (under the same prefix) of the same type and depth for which variant was the
// same: navigation that differs between pages only by what it highlights is rendered once
// per variant and depth, not once per page. The template may show the page itself only
// through what variant says of it. What the template read counts as read by every page
// that shows it.
func (v *view) Cached(name, variant string) (template.HTML, error) {
	key := name + "\x00" + v.p.Type + "\x00" + variant + "\x00" + v.Root
	if v.minified {
		key += "\x00min"
	}
	if f := v.r.frags.get(key); f != nil {
		v.rec.merge(f.rec)
		return f.html, nil
	}
	f, err := v.fragment(name)
	if err != nil {
		return "", err
	}
	v.r.frags.put(key, f)
	return f.html, nil
}

// fragCache keeps the fragments rendered last: between fragsKept and twice as many. Pages
// are rendered in the index's order, so the pages that share a fragment (the 5 of a long
// section's window) come one after another; a fragment asked for again after it was let go
// is rendered again, the same. At 100,000 pages, keeping them all held 20,000 windows and
// what each read, a tenth of the live heap, for the collector to scan over and over.
type fragCache struct {
	mu       sync.Mutex
	cur, old map[string]*fragment
}

const fragsKept = 1024

func (c *fragCache) get(key string) *fragment {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.cur[key]; f != nil {
		return f
	}
	if f := c.old[key]; f != nil {
		c.putLocked(key, f)
		return f
	}
	return nil
}

func (c *fragCache) put(key string, f *fragment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, f)
}

func (c *fragCache) putLocked(key string, f *fragment) {
	if c.cur == nil || len(c.cur) >= fragsKept {
		c.old, c.cur = c.cur, make(map[string]*fragment, fragsKept)
	}
	c.cur[key] = f
}

// fragment executes template name with a view of the page that records what it reads
// apart from the page's own, and adds those reads to the page's.
func (v *view) fragment(name string) (*fragment, error) {
	rec := recorder{}
	fv := *v
	fv.pageRef = &pageRef{} // not a read of the page: the variant says what the fragment shows of it
	v.r.fill(fv.pageRef, v.p, rec)
	fv.Site.rec = rec
	var b strings.Builder
	if err := fv.layouts().ExecuteTemplate(&b, name, &fv); err != nil {
		return nil, err
	}
	v.rec.merge(rec)
	return &fragment{template.HTML(b.String()), rec}, nil
}

// navMax is the most pages a section's navigation lists in full. A longer section lists a
// window of 2*navContext+navStep pages and links to the section for the rest: the window
// moves by navStep pages, keeping at least navContext pages on each side of the current one
// (but at the section's ends), so that navStep pages share each window and it is rendered
// once for them. A page's navigation then costs the same, and stays usable, in a section of
// any size.
const navMax, navStep, navContext = 30, 5, 3

// sectionNav is what a page's section navigation shows.
type sectionNav struct {
	Section       *pageRef
	Pages         []*pageRef // all of the section's pages, or the window around the page
	Total         int        // the section's pages
	Before, After int        // pages left out before and after the window
}

// Window names what the navigation shows, for .Cached: the section and where its window
// starts. Every page it names is shown the same navigation but for the page marked current.
func (n *sectionNav) Window() string { return n.Section.p.Path + "@" + strconv.Itoa(n.Before) }

// Nav is the navigation of the page's section (the section itself for a section page): its
// pages in order, or a window of them around the page in a long section. The section's list
// is recorded as one dependency (its fingerprint covers its pages' front matter), not page
// by page. Nil on the home page and on generated pages.
func (v *view) Nav() *sectionNav {
	if v.p.out != "" || v.p == v.r.site.Home || v.p.Parent == nil {
		return nil
	}
	sec, at := v.p, -1
	if !v.p.IsSection {
		sec, at = v.p.Parent, v.p.index
	}
	if sec == v.r.site.Home {
		return nil
	}
	v.rec[dep{depKids, sec.Path}] = sec.kidsFP
	n := &sectionNav{Section: v.r.ref(sec, v.rec), Total: len(sec.Pages)}
	from, to := 0, len(sec.Pages)
	if to > navMax {
		size := 2*navContext + navStep
		from = max(0, min(at-at%navStep-navContext, to-size))
		to = from + size
	}
	n.Pages, n.Before, n.After = v.r.refs(sec.Pages[from:to], v.rec), from, len(sec.Pages)-to
	return n
}

// MarkCurrent marks the page's own link in a navigation fragment rendered for all the pages
// of a section (aria-current), so the fragment is rendered once per section, not per page.
func (v *view) MarkCurrent(nav template.HTML) template.HTML {
	link := `<a href="` + template.HTMLEscapeString(v.URL(v.pageRef)) + `"`
	return template.HTML(strings.Replace(string(nav), link+">", link+` aria-current="page">`, 1))
}

// Prev and Next are the pages before and after this one in its section, or nil.
func (v *view) Prev() *pageRef { return v.sibling(-1) }
func (v *view) Next() *pageRef { return v.sibling(+1) }

func (v *view) sibling(d int) *pageRef {
	par := v.p.Parent
	if v.p.out != "" || par == nil {
		return nil
	}
	v.rec[dep{depKids, par.Path}] = par.kidsFP
	if i := v.p.index + d; i >= 0 && i < len(par.Pages) {
		return v.r.refs(par.Pages[i:i+1], v.rec)[0]
	}
	return nil
}

// Sections are the top-level sections, for the site navigation.
func (v *view) Sections() []*pageRef {
	var out []*pageRef
	for _, p := range v.Site.Home().Pages() {
		if p.IsSection {
			out = append(out, p)
		}
	}
	return out
}

// Sibling is the first page of type typ in the page's section, or nil: how a layout links
// to the program's checklist without assuming its file name.
func (v *view) Sibling(typ string) *pageRef {
	if v.p.Parent == nil {
		return nil
	}
	for _, p := range v.Parent().Pages() {
		if p.Type == typ {
			return p
		}
	}
	return nil
}

// Crumbs are the page's ancestors, home first.
func (v *view) Crumbs() []*pageRef {
	var out []*pageRef
	for p := v.p.Parent; p != nil; p = p.Parent {
		out = append([]*pageRef{v.r.ref(p, v.rec)}, out...)
	}
	return out
}

// area is the top-level section the page belongs to (the program), nil on the home page.
func (v *view) area() *Page {
	if v.p.out != "" {
		return nil // a generated page (redline, change list) belongs to no section
	}
	home := v.r.site.Home
	p := v.p
	for p.Parent != nil && p.Parent != home {
		p = p.Parent
	}
	if p == home || p.Parent == nil { // the home page, or one outside the tree (404)
		return nil
	}
	return p
}

// Area is the top-level section the page belongs to (the program), nil on the home page.
func (v *view) Area() *pageRef { return v.r.ref(v.area(), v.rec) }

// AreaPath is the site path of the page's top-level section, "" on the home page: the
// variant of the site navigation.
func (v *view) AreaPath() string {
	if a := v.area(); a != nil {
		return a.Path
	}
	return ""
}

// InArea reports whether p is the page or one of its ancestors, for aria-current.
func (v *view) InArea(p *pageRef) bool {
	for q := v.p; q != nil; q = q.Parent {
		if q == p.p && p.p != v.r.site.Home {
			return true
		}
	}
	return false
}

// RulesJSON is the screening data of the page's program, for the self-check form.
func (v *view) RulesJSON() string {
	prog := v.Program
	v.rec[dep{depRules, prog}] = v.r.rulesFP[prog]
	return string(v.r.rules[prog])
}

// Form is the self-check form of the page's program: the fields its rules read, in the
// order its rules list them, with their labels, help and choices from the content. Channel
// fields are grouped, so the layout can put them in a fieldset of their own.
func (v *view) Form() []formGroup {
	rules, err := screening.ParseRules([]byte(v.RulesJSON()))
	if err != nil {
		return nil
	}
	var groups []formGroup
	for _, f := range rules.Fields {
		if !f.Read {
			continue
		}
		channel := strings.HasPrefix(f.Name, "channels.")
		if len(groups) == 0 || groups[len(groups)-1].Channel != channel {
			groups = append(groups, formGroup{Channel: channel})
		}
		ff := formField{Field: f, ID: "sc-" + strings.ReplaceAll(f.Name, ".", "-"), Input: formInputs[f.Kind]}
		g := &groups[len(groups)-1]
		g.Fields = append(g.Fields, ff)
	}
	return groups
}

// formInputs is the HTML input type of each kind of field that is one input.
var formInputs = map[string]string{"text": "text", "email": "email", "url": "url", "list": "text", "date": "date", "count": "number"}

type formGroup struct {
	Channel bool // the fields of the applicant's main channel
	Fields  []formField
}

type formField struct {
	screening.Field
	ID    string // the element id
	Input string // the input type, for the kinds that are one <input>
}

// TOC is the page's clause headings, for the table of contents.
func (v *view) TOC() []tocEntry {
	var out []tocEntry
	for _, h := range v.Headings() {
		out = append(out, tocEntry{h.ID, h.Number, h.Text, h.Level})
	}
	return out
}

type tocEntry struct {
	ID, Number, Text string
	Level            int
}

// TableOfContents is the list of TOC, written as the default theme's toc partial wrote it
// with range (Hugo's .TableOfContents is the same kind of thing): a layout executes its
// actions one reflective call at a time, and this list took a quarter of a page's
// rendering (BenchmarkStageRender). Empty when the page has no clause headings.
func (v *view) TableOfContents() template.HTML {
	hs := v.Headings()
	if len(hs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("<ol>")
	for _, h := range hs {
		b.WriteString(`<li class="toc-l`)
		b.WriteString(strconv.Itoa(h.Level))
		b.WriteString(`"><a href="#`)
		writeFragment(&b, h.ID)
		b.WriteString(`">`)
		if h.Number != "" {
			b.WriteString(`<span class="clause-no">`)
			textEscaper.WriteString(&b, h.Number)
			b.WriteString(`</span> `)
		}
		textEscaper.WriteString(&b, h.Text)
		b.WriteString("</a></li>")
	}
	b.WriteString("</ol>")
	return template.HTML(b.String())
}

// writeFragment writes id escaped as html/template escapes a URL's fragment: every byte
// but letters, digits and -._~ as %xx.
func writeFragment(b *strings.Builder, id string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// textEscaper escapes text as html/template does in an element's text.
var textEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")
