package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"

	"affdocs/generator/versions"
)

// CSP is the Content-Security-Policy every page is built to satisfy: no inline scripts or
// styles, WebAssembly allowed, no form posts, nothing loaded from elsewhere.
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'"

// renderer executes the theme's layouts for a loaded, converted site.
type renderer struct {
	site      *Site
	theme     *theme
	assets    map[string]string
	selfCheck bool
	rules     map[string][]byte // program -> rules.json of this tree
	prefix    string            // where the tree is published: "", "v/<ID>/", "v/latest/"
	ed        *versions.Edition // the edition shown; nil for the draft or an unversioned site
	draft     bool              // draft preview banner
	set       *editionSet
	frags     *sync.Map // Cached's outputs, by template, page type, variant and depth
}

// view is what a layout sees as dot: the page, the site and URL helpers relative to the page.
type view struct {
	*Page
	Site      *Site
	Root      string // relative prefix to the site root, "../../"
	Canonical string // absolute URL, when the site has a baseURL
	SelfCheck bool   // the self-check module is published
	CSP       string
	r         *renderer
}

func (r *renderer) view(p *Page) *view {
	out := r.prefix + p.Path
	if p.out != "" {
		out = p.out
	}
	v := &view{Page: p, Site: r.site, Root: strings.Repeat("../", strings.Count(out, "/")), SelfCheck: r.selfCheck, CSP: CSP, r: r}
	if b := r.site.Config.BaseURL; b != "" {
		v.Canonical = b + out
		if r.ed != nil && p.out == "" && r.set.has(r.set.current, p.Path) {
			v.Canonical = b + p.Path // every edition's copy points at the current edition
		}
	}
	return v
}

func (r *renderer) page(p *Page) ([]byte, error) {
	t := r.theme.templates[p.Type]
	var b bytes.Buffer
	b.Grow(len(p.Content) + 16<<10) // the layout's share of a page: grown once, not doubled five times
	if err := t.ExecuteTemplate(&b, "baseof.html", r.view(p)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// URL is the relative URL of another page from this one.
func (v *view) URL(p *Page) string { return v.Root + v.r.prefix + p.Path + "index.html" }

// Rel is the relative URL of a site path ("a/b/", "assets/x.png") from this page.
func (v *view) Rel(sitePath string) string { return v.Root + v.r.prefix + v.Site.urlOf(sitePath) }

// Asset is the relative, cache-busted URL of a theme static file.
func (v *view) Asset(name string) string {
	if a, ok := v.r.assets[name]; ok {
		return v.Root + a
	}
	return v.Root + name
}

// Cached is the template name executed for this page, or its output for an earlier page of
// the tree (under the same prefix) of the same type and depth for which variant was the
// same: navigation that differs between pages only by what it highlights is rendered once
// per variant and depth, not once per page. The template may show the page itself only
// through what variant says of it.
func (v *view) Cached(name, variant string) (template.HTML, error) {
	key := name + "\x00" + v.Type + "\x00" + variant + "\x00" + v.Root
	if h, ok := v.r.frags.Load(key); ok {
		return h.(template.HTML), nil
	}
	var b strings.Builder
	if err := v.r.theme.templates[v.Type].ExecuteTemplate(&b, name, v); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	v.r.frags.Store(key, h)
	return h, nil
}

// AreaPath is the site path of the page's top-level section, "" on the home page: the
// variant of the site navigation.
func (v *view) AreaPath() string {
	if a := v.Area(); a != nil {
		return a.Path
	}
	return ""
}

// CurrentIn is the page's site path when it is area or one of area's pages (which a
// section's navigation marks as current), else "": the variant of that navigation.
func (v *view) CurrentIn(area *Page) string {
	if v.Page == area || v.Parent == area {
		return v.Path
	}
	return ""
}

// Sections are the top-level sections, for the site navigation.
func (v *view) Sections() []*Page {
	var out []*Page
	for _, p := range v.Site.Home.Pages {
		if p.IsSection {
			out = append(out, p)
		}
	}
	return out
}

// Sibling is the first page of type typ in the page's section, or nil: how a layout links
// to the program's checklist without assuming its file name.
func (v *view) Sibling(typ string) *Page {
	if v.Parent == nil {
		return nil
	}
	for _, p := range v.Parent.Pages {
		if p.Type == typ {
			return p
		}
	}
	return nil
}

// Crumbs are the page's ancestors, home first.
func (v *view) Crumbs() []*Page {
	var out []*Page
	for p := v.Parent; p != nil; p = p.Parent {
		out = append([]*Page{p}, out...)
	}
	return out
}

// Area is the top-level section the page belongs to (the program), nil on the home page.
func (v *view) Area() *Page {
	if v.Page.out != "" {
		return nil // a generated page (redline, change list) belongs to no section
	}
	p := v.Page
	for p.Parent != nil && p.Parent != v.Site.Home {
		p = p.Parent
	}
	if p == v.Site.Home || p.Parent == nil { // the home page, or one outside the tree (404)
		return nil
	}
	return p
}

// InArea reports whether p is the page or one of its ancestors, for aria-current.
func (v *view) InArea(p *Page) bool {
	for q := v.Page; q != nil; q = q.Parent {
		if q == p && p != v.Site.Home {
			return true
		}
	}
	return false
}

// RulesJSON is the screening data of the page's program, for the self-check form.
func (v *view) RulesJSON() string { return string(v.r.rules[v.Program]) }

// TOC is the page's clause headings, for the table of contents.
func (v *view) TOC() []tocEntry {
	var out []tocEntry
	for _, h := range v.Headings {
		out = append(out, tocEntry{h.ID, h.Number, h.Text, h.Level})
	}
	return out
}

type tocEntry struct {
	ID, Number, Text string
	Level            int
}

// extras writes the files that are not pages: redirects, 404, sitemap, robots.txt, _headers.
func (r *renderer) extras(put func(string, []byte), ds *diags) {
	s := r.site
	for _, p := range s.Pages {
		for _, a := range p.Aliases {
			from := cleanSite("/" + strings.TrimPrefix(a, "/"))
			if !strings.HasSuffix(from, "/") && path.Ext(from) == "" {
				from += "/"
			}
			if other, ok := s.byPath[from]; ok {
				ds.add(&Diagnostic{File: p.Source, Line: p.keys[aliasKey(p)].Line + 1, Col: 1, Msg: fmt.Sprintf("alias %q would replace the page at /%s", a, other.Path)})
				continue
			}
			file := from
			if strings.HasSuffix(from, "/") {
				file += "index.html"
			}
			var b bytes.Buffer
			target := relURL(file, p.Path+"index.html")
			_ = redirectTmpl.Execute(&b, map[string]string{"Title": p.Title, "Target": target, "Canonical": s.Config.BaseURL + p.Path})
			put(file, b.Bytes())
		}
	}

	nf := &Page{Title: "Page not found", Type: "404", Path: "", Params: map[string]any{}}
	v := r.view(nf)
	if u, err := url.Parse(s.Config.BaseURL); err == nil && s.Config.BaseURL != "" {
		// A 404 page is served at any depth, so relative links break. Links from the host's
		// root (the baseURL's path) work and stay same-origin: absolute https://host/ links
		// would break on every other host (previews, a local server) under the strict CSP.
		v.Root = u.Path
	}
	v.Canonical = "" // a missing page has no canonical URL
	var b bytes.Buffer
	if err := r.theme.templates["404"].ExecuteTemplate(&b, "baseof.html", v); err != nil {
		ds.add(&Diagnostic{File: r.theme.sourceOf("404"), Msg: err.Error()})
	}
	put("404.html", b.Bytes())

	put("sitemap.xml", r.sitemap())
	robots := "User-agent: *\nAllow: /\n"
	if s.Config.BaseURL != "" {
		robots += "Sitemap: " + s.Config.BaseURL + "sitemap.xml\n"
	}
	put("robots.txt", []byte(robots))
	put("_headers", []byte("/*\n  Content-Security-Policy: "+CSP+"; frame-ancestors 'none'\n"+
		"  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n"+
		"  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n"+
		"  Cross-Origin-Opener-Policy: same-origin\n"+
		"/assets/*.wasm\n  Content-Type: application/wasm\n"))
}

func aliasKey(p *Page) string {
	if _, ok := p.keys["aliases"]; ok {
		return "aliases"
	}
	return "redirect_from"
}

var redirectTmpl = template.Must(template.New("redirect").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
{{if .Canonical}}<link rel="canonical" href="{{.Canonical}}">{{end}}
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{.Target}}">
</head><body><main><p>This page has moved to <a href="{{.Target}}">{{.Title}}</a>.</p></main></body></html>
`))

// sitemap lists every page with its absolute URL (relative when the site has no baseURL).
func (r *renderer) sitemap() []byte {
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	var set struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []url    `xml:"url"`
	}
	set.NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	for _, p := range r.site.Pages {
		mod := p.Updated
		if mod == "" {
			mod = p.Effective
		}
		set.URLs = append(set.URLs, url{r.site.Config.BaseURL + p.Path, mod})
	}
	sort.Slice(set.URLs, func(i, j int) bool { return set.URLs[i].Loc < set.URLs[j].Loc })
	out, _ := xml.MarshalIndent(set, "", " ")
	return append([]byte(xml.Header), out...)
}
