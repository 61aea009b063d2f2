package site

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"

	"affdocs/generator/markdown"
)

// Memo makes consecutive builds of one source incremental, for serve: a rebuild reads only
// the files named by Forget, converts only the Markdown whose inputs changed and renders
// only the pages whose inputs changed, and its result is byte for byte a full build's.
//
//	m := site.NewMemo()
//	res, err := site.Build(fsys, site.Options{Memo: m})  // everything
//	m.Forget("content/a/b.md")                           // the watcher saw a change
//	res, err = site.Build(fsys, site.Options{Memo: m})  // reads b.md, renders what shows it
//
// What is reused, and when (each keyed by the content of what it depends on):
//
//   - Source files, folder listings and lookups, until Forget names them, a folder above
//     them, or a file in their folder.
//   - A tree's loaded pages (front matter parsed, sections linked), when the only changes
//     in it are to the bodies of existing pages: their front matter bytes, the set of files
//     and the configuration are the same.
//   - A page's Markdown conversion and type checks, when its source bytes, type, program
//     and site path are the same and every internal link it has resolves as before.
//   - A page's rendered output, when the layouts, the build switches and site-wide data
//     (configuration, assets, screening rules, editions) are the same, and so are the page
//     (its source bytes and conversion), its ancestors, their pages and its own pages,
//     as far down as they go. Layouts may show any of those pages' front matter and
//     place; only the page itself may show its Content and Headings. A theme whose layouts
//     use .Site.Pages makes every page depend on every page's front matter.
//   - Minified outputs, when the unminified bytes are the same.
//
// A Memo serves one source and one build at a time. Entries not used by a build are
// dropped after it, so memory follows the site's size.
type Memo struct {
	mu      sync.Mutex
	gen     int      // the build being made (or last made)
	pending []string // forgotten since the last build began
	changed []string // what the current build reads anew
	snap    *snapshot

	loads map[string]*loadEntry // by tree folder
	convs map[string]*convEntry // by source path
	pages map[string]*pageEntry // by output file
	minis map[string]*miniEntry // by output file

	// Per build.
	sites   map[*Site]*siteInfo
	themes  map[*theme]sig
	convIDs map[*Page]uint64
	rkeys   map[*renderer]*rkey

	seq          atomic.Uint64 // conversion ids
	seeds        [2]maphash.Seed
	stats        memoStats
	layoutsCheck map[*theme]bool // per build: layouts reach every page through .Site.Pages
}

// memoStats count the work of the last build.
type memoStats struct {
	reloaded, loaded              atomic.Int64 // trees reused / loaded anew
	converted, rendered, minified atomic.Int64
	convertReused, renderReused   atomic.Int64
}

// NewMemo returns an empty memo: its first build does everything.
func NewMemo() *Memo {
	return &Memo{
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		loads: map[string]*loadEntry{}, convs: map[string]*convEntry{},
		pages: map[string]*pageEntry{}, minis: map[string]*miniEntry{},
	}
}

// Forget tells the memo that the named source paths (slash paths relative to the source
// root, as the build sees them) changed since the last build: files, or folders meaning
// everything in them; "." means everything.
func (m *Memo) Forget(paths ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pending = append(m.pending, paths...)
}

// Stats describes the last build's work: what was reused and what was redone.
func (m *Memo) Stats() string {
	st := &m.stats
	return fmt.Sprintf("pages loaded anew %d (trees reused %d), converted %d (reused %d), rendered %d (reused %d), minified %d",
		st.loaded.Load(), st.reloaded.Load(), st.converted.Load(), st.convertReused.Load(), st.rendered.Load(), st.renderReused.Load(), st.minified.Load())
}

// source starts a build: it forgets what changed and returns the snapshot to read from.
// Without a memo it returns fsys.
func (m *Memo) source(fsys fs.FS) fs.FS {
	if m == nil {
		return fsys
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	m.changed, m.pending = m.pending, nil
	if m.snap == nil || !sameFS(m.snap.base, fsys) {
		m.snap = newSnapshot(fsys)
		clear(m.loads)
		clear(m.convs)
		clear(m.pages)
		clear(m.minis)
	}
	for _, p := range m.changed {
		m.snap.forget(p)
	}
	prune(m.loads, m.gen)
	prune(m.convs, m.gen)
	prune(m.pages, m.gen)
	prune(m.minis, m.gen)
	m.sites = map[*Site]*siteInfo{}
	m.themes = map[*theme]sig{}
	m.convIDs = map[*Page]uint64{}
	m.rkeys = map[*renderer]*rkey{}
	m.layoutsCheck = map[*theme]bool{}
	m.stats = memoStats{}
	return m.snap
}

// sameFS reports whether two file systems are the same source (os.DirFS values compare).
func sameFS(a, b fs.FS) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	if !reflect.TypeOf(a).Comparable() {
		return true // cannot tell: a Memo is documented to serve one source
	}
	return a == b
}

type generational interface{ generation() int }

// prune drops the entries the previous build did not use.
func prune[E generational](entries map[string]E, gen int) {
	for k, e := range entries {
		if e.generation() < gen-1 {
			delete(entries, k)
		}
	}
}

// sig is a 128-bit hash of a memo key.
type sig [2]uint64

// hasher writes the same length-prefixed fields into two seeded hashes.
type hasher struct{ a, b maphash.Hash }

func (m *Memo) hasher() *hasher {
	h := &hasher{}
	h.a.SetSeed(m.seeds[0])
	h.b.SetSeed(m.seeds[1])
	return h
}

func (h *hasher) bytes(p []byte) {
	h.int(len(p))
	h.a.Write(p)
	h.b.Write(p)
}

func (h *hasher) str(s string) {
	h.int(len(s))
	h.a.WriteString(s)
	h.b.WriteString(s)
}

func (h *hasher) int(i int) {
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], uint64(i))
	h.a.Write(buf[:])
	h.b.Write(buf[:])
}

func (h *hasher) bool(v bool) {
	if v {
		h.int(1)
	} else {
		h.int(0)
	}
}

func (h *hasher) sig(s sig) {
	h.int(int(s[0]))
	h.int(int(s[1]))
}

func (h *hasher) sum() sig { return sig{h.a.Sum64(), h.b.Sum64()} }

// same reports whether a and b hold the same bytes, at once when they are the same slice.
func same(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return string(a) == string(b)
}

// --- Loading -------------------------------------------------------------------------

// loadEntry is a loaded tree as Load returned it, before conversion changed its pages.
type loadEntry struct {
	gen      int
	dir      string
	cfg      Config
	site     Site    // Config, ContentDir, Home and Static as loaded
	pages    []Page  // s.Pages as loaded; src is updated as bodies change
	parent   []int   // index of each page's Parent, -1 for none
	kids     [][]int // indexes of each page's Pages
	home     int
	bySource map[string]int
	diags    []*Diagnostic
}

func (e *loadEntry) generation() int { return e.gen }

// load is Load, or the previous build's tree with new page bodies when that is all that
// changed in it.
func (m *Memo) load(fsys fs.FS, dir string, cfg Config, ds *diags) *Site {
	if m == nil {
		return Load(fsys, dir, cfg, ds)
	}
	m.mu.Lock()
	e := m.loads[dir]
	m.mu.Unlock()
	if e != nil && e.gen == m.gen-1 && reflect.DeepEqual(e.cfg, cfg) {
		if s, ok := m.reload(e, fsys); ok {
			for _, d := range e.diags {
				ds.add(d)
			}
			m.stats.reloaded.Add(1)
			return s
		}
	}
	lds := &diags{}
	s := Load(fsys, dir, cfg, lds)
	for _, d := range lds.list {
		ds.add(d)
	}
	e = &loadEntry{gen: m.gen, dir: dir, cfg: cfg, site: *s, diags: lds.list, bySource: map[string]int{}}
	e.site.Pages, e.site.byPath, e.site.bySource = nil, nil, nil
	e.site.Static = maps.Clone(s.Static)
	index := make(map[*Page]int, len(s.Pages))
	for i, p := range s.Pages {
		index[p] = i
	}
	e.pages = make([]Page, len(s.Pages))
	e.parent = make([]int, len(s.Pages))
	e.kids = make([][]int, len(s.Pages))
	e.home = -1
	for i, p := range s.Pages {
		e.pages[i] = *p
		e.parent[i] = -1
		if p.Parent != nil {
			e.parent[i] = index[p.Parent]
		}
		for _, k := range p.Pages {
			e.kids[i] = append(e.kids[i], index[k])
		}
		if p.Source != "" {
			e.bySource[p.Source] = i
		}
		if p == s.Home {
			e.home = i
		}
	}
	m.mu.Lock()
	m.loads[dir] = e
	m.mu.Unlock()
	m.stats.loaded.Add(int64(len(s.Pages)))
	return s
}

// reload rebuilds the previous build's tree when every change under its folder is the body
// of one of its pages, or the bytes of one of its static files.
func (m *Memo) reload(e *loadEntry, fsys fs.FS) (*Site, bool) {
	bodies := map[int][]byte{}
	for _, c := range m.changed {
		rel, inside, covers := under(e.dir, c)
		switch {
		case covers: // the tree's folder itself, or one above it
			return nil, false
		case !inside || !loadedName(e.dir, rel):
			continue
		}
		if i, ok := e.bySource[c]; ok {
			data, err := fs.ReadFile(fsys, c)
			if err != nil || !sameFrontMatter(&e.pages[i], data) {
				return nil, false
			}
			bodies[i] = data
			continue
		}
		if _, ok := e.site.Static[rel]; ok {
			if fi, err := fs.Stat(fsys, c); err == nil && fi.Mode().IsRegular() {
				continue // its bytes are read when published
			}
		}
		return nil, false // a file or folder came or went
	}
	for i, data := range bodies {
		e.pages[i].src = data
	}
	e.gen = m.gen
	return e.clone(), true
}

// under relates a changed path to a tree's folder: its path relative to dir when inside
// it, or whether it is dir or a folder above it.
func under(dir, p string) (rel string, inside, covers bool) {
	if dir == "." {
		return p, p != ".", p == "."
	}
	switch {
	case p == dir || p == "." || strings.HasPrefix(dir, p+"/"):
		return "", false, true
	case strings.HasPrefix(p, dir+"/"):
		return p[len(dir)+1:], true, false
	}
	return "", false, false
}

// loadedName reports whether Load reads a path of its tree: names starting with _ or .
// are not part of it (except _index.md), nor, in a bare Markdown folder, themes/ and
// public/ (see Load).
func loadedName(dir, rel string) bool {
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		if (strings.HasPrefix(s, ".") || strings.HasPrefix(s, "_")) && !(i == len(segs)-1 && s == "_index.md") {
			return false
		}
	}
	return !(dir == "." && (segs[0] == "themes" || segs[0] == "public"))
}

// sameFrontMatter reports whether data begins with the very front matter p was loaded
// with, up to and including its closing line, so that parsing data gives p's fields.
func sameFrontMatter(p *Page, data []byte) bool {
	n := p.bodyOff
	return n > 0 && n <= len(p.src) && p.src[n-1] == '\n' && len(data) >= n && string(data[:n]) == string(p.src[:n])
}

// clone is the loaded tree in new Page values, so that this build's conversion and
// rendering leave the previous build's site as it was.
func (e *loadEntry) clone() *Site {
	block := slices.Clone(e.pages)
	s := new(Site)
	*s = e.site
	s.Static = maps.Clone(e.site.Static)
	s.Pages = make([]*Page, len(block))
	s.byPath = make(map[string]*Page, len(block))
	s.bySource = make(map[string]*Page, len(e.bySource))
	for i := range block {
		p := &block[i]
		p.Parent = nil
		if j := e.parent[i]; j >= 0 {
			p.Parent = &block[j]
		}
		if e.kids[i] != nil {
			p.Pages = make([]*Page, len(e.kids[i]))
			for k, j := range e.kids[i] {
				p.Pages[k] = &block[j]
			}
		}
		s.Pages[i] = p
		s.byPath[p.Path] = p
		if p.Source != "" {
			s.bySource[p.Source] = p
		}
	}
	if e.home >= 0 {
		s.Home = &block[e.home]
	}
	return s
}

// --- Conversion ----------------------------------------------------------------------

// convEntry is a page's conversion and type checks, with what they depended on.
type convEntry struct {
	gen                     int
	id                      uint64 // identifies this conversion's output in render keys
	src                     []byte
	typ, program, path, dir string
	unsafe                  bool
	paths                   sig      // the tree's page paths when converted
	links                   []string // what each of doc.Links resolved to
	doc                     *markdown.Doc
	ids                     map[string]bool
	reasons                 []reason
	diags                   []*Diagnostic
}

func (e *convEntry) generation() int { return e.gen }

// convert is s.convert, or its remembered results when the page's inputs are the same.
func (m *Memo) convert(s *Site, p *Page, conv *markdown.Converter, ds *diags) {
	if m == nil || p.Source == "" {
		s.convert(p, conv, ds)
		return
	}
	info := m.site(s)
	m.mu.Lock()
	e := m.convs[p.Source]
	m.mu.Unlock()
	if e != nil && e.typ == p.Type && e.program == p.Program && e.path == p.Path && e.dir == s.ContentDir &&
		e.unsafe == s.Config.UnsafeHTML && same(e.src, p.src) && (e.paths == info.paths || e.resolvesAlike(s, p)) {
		p.doc, p.Content, p.Headings, p.ids, p.reasons = e.doc, template.HTML(e.doc.HTML), e.doc.Headings, e.ids, e.reasons
		for _, d := range e.diags {
			ds.add(d)
		}
		m.mu.Lock()
		e.gen = m.gen
		m.convIDs[p] = e.id
		m.mu.Unlock()
		m.stats.convertReused.Add(1)
		return
	}
	pds := &diags{}
	s.convert(p, conv, pds)
	for _, d := range pds.list {
		ds.add(d)
	}
	e = &convEntry{gen: m.gen, id: m.seq.Add(1), src: p.src, typ: p.Type, program: p.Program, path: p.Path, dir: s.ContentDir,
		unsafe: s.Config.UnsafeHTML, paths: info.paths, doc: p.doc, ids: p.ids, reasons: p.reasons, diags: pds.list}
	resolve := s.resolver(p)
	for _, l := range p.doc.Links {
		out, _ := resolve(l.Dest)
		e.links = append(e.links, out)
	}
	m.mu.Lock()
	m.convs[p.Source] = e
	m.convIDs[p] = e.id
	m.mu.Unlock()
	m.stats.converted.Add(1)
}

// resolvesAlike reports whether every internal link of the conversion resolves in s as it
// did: the only way the site around a page enters its Markdown.
func (e *convEntry) resolvesAlike(s *Site, p *Page) bool {
	resolve := s.resolver(p)
	for i, l := range e.doc.Links {
		if out, _ := resolve(l.Dest); out != e.links[i] {
			return false
		}
	}
	return true
}

// --- Rendering -----------------------------------------------------------------------

// siteInfo is what render keys need of one loaded tree, computed once per build.
type siteInfo struct {
	once  sync.Once
	paths sig               // every page's site path
	all   sig               // every page's navigation data
	nav   map[*Page]*navSig // by page
}

type navSig struct {
	self sig // the page's own front matter and place
	kids sig // its pages' self
	tree sig // all its descendants' self
}

func (m *Memo) site(s *Site) *siteInfo {
	m.mu.Lock()
	info := m.sites[s]
	if info == nil {
		info = &siteInfo{}
		m.sites[s] = info
	}
	m.mu.Unlock()
	info.once.Do(func() { m.computeSite(s, info) })
	return info
}

func (m *Memo) computeSite(s *Site, info *siteInfo) {
	info.nav = make(map[*Page]*navSig, len(s.Pages))
	paths, all := m.hasher(), m.hasher()
	for _, p := range s.Pages {
		h := m.hasher()
		h.str(p.Source)
		h.str(p.Path)
		h.str(p.Section)
		h.bool(p.IsSection)
		h.str(p.Title)
		h.str(p.LinkTitle)
		h.str(p.Type)
		h.str(p.Program)
		h.bytes(p.src[:min(p.bodyOff, len(p.src))]) // the rest of the front matter's fields
		n := &navSig{self: h.sum()}
		info.nav[p] = n
		paths.str(p.Path)
		all.sig(n.self)
	}
	info.paths, info.all = paths.sum(), all.sum()
	for i := len(s.Pages) - 1; i >= 0; i-- { // children sort after their parent
		p := s.Pages[i]
		kids, tree := m.hasher(), m.hasher()
		for _, c := range p.Pages {
			kids.sig(info.nav[c].self)
			tree.sig(info.nav[c].self)
			tree.sig(info.nav[c].tree)
		}
		info.nav[p].kids, info.nav[p].tree = kids.sum(), tree.sum()
	}
}

// rkey is what every page of one renderer shares in its render key.
type rkey struct {
	once sync.Once
	sig  sig
	all  bool // layouts use .Site.Pages
}

func (m *Memo) rendererKey(r *renderer) *rkey {
	m.mu.Lock()
	k := m.rkeys[r]
	if k == nil {
		k = &rkey{}
		m.rkeys[r] = k
	}
	m.mu.Unlock()
	k.once.Do(func() {
		h := m.hasher()
		lay, all := m.layouts(r.theme)
		k.all = all
		h.sig(lay)
		cfg, _ := json.Marshal(r.site.Config)
		h.bytes(cfg)
		h.str(r.site.ContentDir)
		for _, name := range slices.Sorted(maps.Keys(r.site.Static)) {
			h.str(name)
		}
		for _, name := range slices.Sorted(maps.Keys(r.assets)) {
			h.str(name)
			h.str(r.assets[name])
		}
		h.bool(r.selfCheck)
		for _, prog := range slices.Sorted(maps.Keys(r.rules)) {
			h.str(prog)
			h.bytes(r.rules[prog])
		}
		h.str(r.prefix)
		h.bool(r.draft)
		h.str(CSP)
		if r.ed != nil {
			h.str(fmt.Sprint(r.ed.ID, r.ed.Label, r.ed.Effective, r.ed.Status, r.ed.Path, r.ed.Hash))
		}
		if r.set != nil {
			for _, e := range r.set.list {
				h.str(fmt.Sprint(e.ID, "\x00", e.Label, "\x00", e.Effective, "\x00", e.Status, "\x00", e.Path, "\x00", e.Hash))
			}
			if r.set.current != nil {
				h.str(r.set.current.ID)
			}
		}
		k.sig = h.sum()
	})
	return k
}

// layouts hashes the theme's layouts, and reports whether any of them uses .Site.Pages.
func (m *Memo) layouts(th *theme) (sig, bool) {
	m.mu.Lock()
	s, ok := m.themes[th]
	all := m.layoutsCheck[th]
	m.mu.Unlock()
	if ok {
		return s, all
	}
	h := m.hasher()
	h.str(th.name)
	for _, name := range th.list("layouts") {
		data, label, _ := th.read(name)
		h.str(name)
		h.str(label)
		h.bytes(data)
	}
	for _, t := range th.templates {
		for _, tt := range t.Templates() {
			if tt.Tree != nil && usesSitePages(tt.Tree.Root) {
				all = true
			}
		}
	}
	s = h.sum()
	m.mu.Lock()
	m.themes[th], m.layoutsCheck[th] = s, all
	m.mu.Unlock()
	return s, all
}

// usesSitePages reports whether a template reads .Site.Pages (every page of the site).
func usesSitePages(n parse.Node) bool {
	found := false
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		if found || n == nil || reflect.ValueOf(n).IsNil() {
			return
		}
		switch n := n.(type) {
		case *parse.FieldNode:
			found = slices.Contains(n.Ident, "Site") && slices.Contains(n.Ident, "Pages")
		case *parse.ChainNode:
			found = slices.Contains(n.Field, "Pages")
			walk(n.Node)
		case *parse.VariableNode:
			found = slices.Contains(n.Ident, "Site") && slices.Contains(n.Ident, "Pages")
		case *parse.ListNode:
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, c := range n.Args {
				walk(c)
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	walk(n)
	return found
}

// pageEntry is a page's rendered output and the key of what it was rendered from.
type pageEntry struct {
	gen int
	key sig
	out []byte
}

func (e *pageEntry) generation() int { return e.gen }

// page is r.page, or the page's remembered output when its render key is the same.
func (m *Memo) page(r *renderer, p *Page) ([]byte, error) {
	if m == nil || p.out != "" || p.diff != nil || p.change != nil || p.pairs != nil {
		return r.page(p)
	}
	rk := m.rendererKey(r)
	info := m.site(r.site)
	nav := info.nav[p]
	if nav == nil { // not a page of the tree
		return r.page(p)
	}
	h := m.hasher()
	h.sig(rk.sig)
	h.sig(nav.self)
	h.sig(nav.tree)
	m.mu.Lock()
	h.int(int(m.convIDs[p]))
	m.mu.Unlock()
	for a := p.Parent; a != nil; a = a.Parent {
		if an := info.nav[a]; an != nil {
			h.sig(an.self)
			h.sig(an.kids)
		}
	}
	if rk.all {
		h.sig(info.all)
	}
	key := h.sum()
	name := r.prefix + p.Path + "index.html"
	m.mu.Lock()
	e := m.pages[name]
	if e != nil && e.key == key {
		e.gen = m.gen
		m.mu.Unlock()
		m.stats.renderReused.Add(1)
		return e.out, nil
	}
	m.mu.Unlock()
	out, err := r.page(p)
	if err == nil {
		m.mu.Lock()
		m.pages[name] = &pageEntry{gen: m.gen, key: key, out: out}
		m.mu.Unlock()
	}
	m.stats.rendered.Add(1)
	return out, err
}

// --- Minifying -----------------------------------------------------------------------

type miniEntry struct {
	gen      int
	raw, out []byte
	err      error
}

func (e *miniEntry) generation() int { return e.gen }

// minify is minifyFile, or the remembered result for the same bytes.
func (m *Memo) minify(name string, data []byte) ([]byte, error) {
	if _, ok := mediaTypes[path.Ext(name)]; m == nil || !ok {
		return minifyFile(name, data)
	}
	m.mu.Lock()
	e := m.minis[name]
	if e != nil && same(e.raw, data) {
		e.gen = m.gen
		m.mu.Unlock()
		return e.out, e.err
	}
	m.mu.Unlock()
	out, err := minifyFile(name, data)
	m.mu.Lock()
	m.minis[name] = &miniEntry{gen: m.gen, raw: data, out: out, err: err}
	m.mu.Unlock()
	m.stats.minified.Add(1)
	return out, err
}
