package site

import (
	"html/template"
	"sort"
	"strings"

	"affdocs/generator/markdown"
	"affdocs/generator/store"
)

// Layouts see pages only through pageRef and the site only through siteRef, which
// record what the layout read into the render's recorder, however it got there (.Parent,
// .Pages, .Site.Pages, a variable, a with block, a partial): a page's front matter and
// place (meta) as soon as the layout reaches the page, the list of a section's pages with
// their meta (kids), a page's text (content), the list of every page with their meta
// (pages), a program's screening rules (rules). A stored page is reused only when what it
// read is as it was (renderPage).

// depKind is what a layout read of a page.
type depKind byte

const (
	depMeta    depKind = 'm' // its front matter and place
	depKids    depKind = 'k' // the list of its pages, and their front matter and place
	depContent depKind = 'c' // its text and headings
	depPages   depKind = 'p' // the list of every page of the tree, with theirs (path "")
	depRules   depKind = 'r' // a program's screening rules (path: the program)
)

type dep struct {
	kind depKind
	path string
}

// recorder is what one render read, with the fingerprint of each thing when it was read.
type recorder map[dep]store.Key

// pageRef is a page as a layout sees it: its front matter and place as fields (reaching
// the page recorded its meta), and its Pages, Parent, Content and Headings as methods,
// which record what they read. The fields are copies, not an embedded *Page: a layout
// reads them in every loop, and text/template finds a struct's own fields at once but
// searches embedded ones anew on every access.
type pageRef struct {
	Path, Section, Source                        string
	IsSection                                    bool
	Title, LinkTitle, Description, Type, Program string
	Weight                                       int
	Effective, Updated                           string
	Aliases                                      []string

	p   *Page
	r   *renderer
	rec recorder
}

func (r *renderer) fill(x *pageRef, p *Page, rec recorder) {
	*x = pageRef{Path: p.Path, Section: p.Section, Source: p.Source, IsSection: p.IsSection,
		Title: p.Title, LinkTitle: p.LinkTitle, Description: p.Description, Type: p.Type, Program: p.Program,
		Weight: p.Weight, Effective: p.Effective, Updated: p.Updated, Aliases: p.Aliases,
		p: p, r: r, rec: rec}
}

// ref is p as a layout reached it.
func (r *renderer) ref(p *Page, rec recorder) *pageRef {
	if p == nil {
		return nil
	}
	rec[dep{depMeta, p.Path}] = p.metaFP
	x := &pageRef{}
	r.fill(x, p, rec)
	return x
}

// refs are the pages of a list whose fingerprint covers their meta.
func (r *renderer) refs(ps []*Page, rec recorder) []*pageRef {
	out := make([]*pageRef, len(ps))
	refs := make([]pageRef, len(ps))
	for i, p := range ps {
		r.fill(&refs[i], p, rec)
		out[i] = &refs[i]
	}
	return out
}

// Params is the page's whole front matter, unknown keys included.
func (x *pageRef) Params() map[string]any { return x.p.params() }

// IsHome reports whether the page is the site's home page.
func (x *pageRef) IsHome() bool { return x.Path == "" }

func (x *pageRef) Parent() *pageRef { return x.r.ref(x.p.Parent, x.rec) }

// Content and Headings are the page's text: another page's is converted when a layout
// reads it.
func (x *pageRef) Content() template.HTML {
	c, _ := x.content()
	return c
}

func (x *pageRef) Headings() []markdown.Heading {
	_, h := x.content()
	return h
}

// Pages are a section's pages and subsections, in order.
func (x *pageRef) Pages() []*pageRef {
	x.rec[dep{depKids, x.Path}] = x.p.kidsFP
	return x.r.refs(x.p.Pages, x.rec)
}

func (x *pageRef) content() (template.HTML, []markdown.Heading) {
	p := x.p
	x.rec[dep{depContent, p.Path}] = p.contentFP
	p.mu.Lock()
	defer p.mu.Unlock()
	x.r.b.convertLocked(x.r.site, p)
	return p.Content, p.Headings
}

// siteRef is the site as a layout sees it.
type siteRef struct {
	r   *renderer
	rec recorder
}

// Config is the site configuration (every page depends on all of it).
func (s siteRef) Config() Config { return s.r.site.Config }

func (s siteRef) Home() *pageRef { return s.r.ref(s.r.site.Home, s.rec) }

// Pages is every page of the tree, home first, then by site path.
func (s siteRef) Pages() []*pageRef {
	s.rec[dep{depPages, ""}] = s.r.site.pagesFP
	return s.r.refs(s.r.site.Pages, s.rec)
}

// --- Fingerprints --------------------------------------------------------------------

// fingerprint computes, once the tree is loaded, what pageRef records: each page's meta,
// kids and content fingerprints and the tree's list of pages. A page's content
// fingerprint is the key of its conversion (convert.go): the hash of everything the
// conversion reads.
func (s *Site) fingerprint(salt string) {
	parallel(s.Pages, func(p *Page) { p.metaFP = p.metaKey() })
	all := store.NewKey("pages")
	for _, p := range s.Pages {
		all.Str(p.Path).Key(p.metaFP)
		kids := store.NewKey("kids")
		for _, c := range p.Pages {
			kids.Str(c.Path).Key(c.metaFP)
		}
		p.kidsFP = kids.Sum()
	}
	s.pagesFP = all.Sum()
	for _, p := range s.Pages {
		if p.Source != "" {
			p.contentFP = store.NewKey("convert").Str(salt).Bool(s.Config.UnsafeHTML).Str(s.ContentDir).
				Str(p.Source).Str(p.Path).Str(p.Type).Str(p.Program).Str(p.Effective).
				Key(s.pathsFP()).Key(p.valuesFP).Key(p.sum).Sum()
		}
	}
}

// pathsFP hashes the tree's page paths: what resolving a link depends on.
func (s *Site) pathsFP() store.Key {
	if s.paths == (store.Key{}) {
		k := store.NewKey("paths")
		for _, p := range s.Pages {
			k.Str(p.Path)
		}
		s.paths = k.Sum()
	}
	return s.paths
}

// metaKey hashes what a page shows of itself besides its text: its place and every front
// matter field, as given and as derived (a title from the path, an inherited program).
func (p *Page) metaKey() store.Key {
	k := store.NewKey("meta").Str(p.Source).Str(p.Path).Str(p.Section).Bool(p.IsSection).
		Str(p.Title).Str(p.LinkTitle).Str(p.Description).Str(p.Type).Str(p.Program).
		Int(p.Weight).Str(p.Effective).Str(p.Updated).Str(strings.Join(p.Aliases, "\x00")).
		Raw(p.src[:min(p.bodyOff, len(p.src))]).Str(p.out)
	return k.Sum()
}

// deps are what a render read, sorted, without the page itself (its own fingerprints are
// part of its key): siblings then share one stored list.
func (rec recorder) deps(self string) []depFP {
	out := make([]depFP, 0, len(rec))
	for d, fp := range rec {
		if d.path == self && (d.kind == depMeta || d.kind == depContent) {
			continue
		}
		out = append(out, depFP{d, fp})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].kind != out[j].kind {
			return out[i].kind < out[j].kind
		}
		return out[i].path < out[j].path
	})
	return out
}

type depFP struct {
	dep
	fp store.Key
}

// now is the fingerprint of what d names in the renderer's tree today; the zero key when it
// is gone.
func (r *renderer) now(d dep) store.Key {
	switch d.kind {
	case depPages:
		return r.site.pagesFP
	case depRules:
		return r.rulesFP[d.path]
	}
	p := r.site.byPath[d.path]
	if p == nil {
		return store.Key{}
	}
	switch d.kind {
	case depMeta:
		return p.metaFP
	case depKids:
		return p.kidsFP
	case depContent:
		return p.contentFP
	}
	return store.Key{}
}

func decodeDeps(data []byte) (any, error) {
	d := store.NewDec(data)
	out := make([]depFP, d.Len())
	for i := range out {
		out[i] = depFP{dep{depKind(d.Int()), d.Str()}, d.Key()}
	}
	return out, d.Err
}

func encodeDeps(ds []depFP) []byte {
	e := store.NewEnc().Int(len(ds))
	for _, d := range ds {
		e.Int(int(d.kind)).Str(d.path).Key(d.fp)
	}
	return e.Bytes()
}

// unchanged reports whether every dependency of a stored list still has its fingerprint;
// each list is checked once per renderer.
func (r *renderer) unchanged(st *store.Store, k store.Key) bool {
	if v, ok := r.verified.Load(k); ok {
		return v.(bool)
	}
	ok := false
	if v, found := st.Value(k, decodeDeps); found {
		ok = true
		for _, d := range v.([]depFP) {
			if r.now(d.dep) != d.fp {
				ok = false
				break
			}
		}
	}
	r.verified.Store(k, ok)
	return ok
}

// merge adds a fragment's dependencies to a page's.
func (rec recorder) merge(from recorder) {
	for d, fp := range from {
		rec[d] = fp
	}
}
