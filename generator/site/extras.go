package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"

	"affdocs/generator/store"
)

// extras writes the files that are not pages: redirects, 404, sitemap, robots.txt and the
// hosts' configurations (hosting.go). A file of the content at the site root (robots.txt,
// 404.html, _headers, _redirects) replaces the generated one.
func (r *renderer) extras(ds *diags) {
	s := r.site
	put := func(name string, data []byte) {
		if _, own := s.Static[name]; !own {
			r.b.put("the generated "+name, name, data)
		}
	}
	var aliases []Redirect
	for _, p := range s.Pages {
		for _, a := range p.Aliases {
			from := cleanSite("/" + strings.TrimPrefix(a, "/"))
			if !strings.HasSuffix(from, "/") && path.Ext(from) == "" {
				from += "/"
			}
			if other, ok := s.byPath[from]; ok {
				line, col := p.front.Pos(p.fields[aliasKey(p)])
				ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: fmt.Sprintf("alias %q would replace the page at /%s", a, other.Path)})
				continue
			}
			file := from
			if strings.HasSuffix(from, "/") {
				file += "index.html"
			}
			var b bytes.Buffer
			target := relURL(file, urlPath(p.Path)+"index.html")
			canonical := "" // a relative canonical link would name another page
			if s.Config.BaseURL != "" {
				canonical = s.Config.BaseURL + urlPath(p.Path)
			}
			_ = redirectTmpl.Execute(&b, map[string]string{"Title": p.Title, "Target": target, "Canonical": canonical})
			r.b.put("the alias "+a+" of "+p.Source, file, b.Bytes())
			aliases = append(aliases, Redirect{From: from, To: p.Path})
		}
	}

	nf := &Page{Title: "Page not found", Type: "404", Path: "", Params: map[string]any{}}
	v := r.view(nf, recorder{})
	if s.Config.BaseURL != "" {
		// A 404 page is served at any depth, so relative links break. Links from the host's
		// root (the baseURL's path) work and stay same-origin: absolute https://host/ links
		// would break on every other host (previews, a local server) under the strict CSP,
		// and the page's CSP (base-uri 'none') allows no <base>. So the baseURL must name
		// where the site is published: a placeholder is warned about (placeholderBaseURL),
		// and each host's configuration answers a missing path below it with this page.
		v.Root = basePath(s.Config.BaseURL)
	}
	v.Canonical = "" // a missing page has no canonical URL
	var b bytes.Buffer
	if err := r.theme.templates["404"].ExecuteTemplate(&b, "baseof.html", v); err != nil {
		ds.add(&Diagnostic{File: r.theme.sourceOf("404"), Msg: err.Error()})
	}
	put("404.html", b.Bytes())

	// The sitemap lists every page: stored under the hash of the list, with each page's meta.
	r.b.putStored("the generated sitemap", "sitemap.xml", store.NewKey("sitemap").Str(r.b.opt.Salt).Key(s.pagesFP).Str(s.Config.BaseURL).Bool(r.b.opt.NoMinify).Sum(), r.sitemap)
	robots := "User-agent: *\nAllow: /\n"
	if s.Config.BaseURL != "" {
		robots += "Sitemap: " + s.Config.BaseURL + "sitemap.xml\n"
	}
	put("robots.txt", []byte(robots))
	h := r.hosting(aliases)
	for _, f := range hostFiles {
		put(f.name, []byte(f.write(h)))
	}
	r.b.placeholderBaseURL()
}

func aliasKey(p *Page) string {
	if _, ok := p.fields["aliases"]; ok {
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
		set.URLs = append(set.URLs, url{r.site.Config.BaseURL + urlPath(p.Path), mod})
	}
	sort.Slice(set.URLs, func(i, j int) bool { return set.URLs[i].Loc < set.URLs[j].Loc })
	out, _ := xml.MarshalIndent(set, "", " ")
	return append([]byte(xml.Header), out...)
}
