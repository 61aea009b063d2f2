package site

import (
	"bytes"
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
	"affdocs/generator/versions"
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
//   - The theme, until Forget names something under themes/.
//   - A tree's loaded and converted pages, in place, when the only changes in it are to
//     the bodies of existing pages or the bytes of its static files: the front matter
//     bytes, the set of files and the configuration are the same. Only the pages with a
//     new body lose their conversion. (So a Result's Site is valid until the next Build
//     with the same Memo.)
//   - A page's Markdown conversion and type checks, when its source bytes, type, program
//     and site path are the same and every internal link it has resolves as before.
//   - A page's rendered output, when the layouts, the build switches and site-wide data
//     (configuration, assets, screening rules, editions) are the same, and so are the page
//     (its source bytes and conversion), its ancestors, their pages and its own pages,
//     as far down as they go. Layouts may show any of those pages' front matter and
//     place; only the page itself may show its Content and Headings. A theme whose layouts
//     use .Site.Pages makes every page depend on every page's front matter.
//   - A tree's link check, when its pages, files and outputs are the same: only the pages
//     converted anew are checked again, unless their anchors changed.
//   - The site-wide files (404 page, sitemap, redirects, editions feed), when the theme,
//     site-wide data and every page's front matter and place are the same.
//   - Minified outputs, when the unminified bytes are the same.
//
// Pages are rendered with a stand-in token for each asset's version ("site.css?v=…") and
// the token replaced by the version afterwards, and minified the same way: so an edit to
// the theme's CSS or JavaScript re-renders and re-minifies nothing, it only puts the new
// version into each page. (A token is letters and digits, which no layout context escapes
// and minifying leaves alone, so the replacement gives the bytes rendering and minifying
// with the version would.)
//
// TestMemoKnowsEveryField fails when Page, Site, renderer or view gain a field, so that
// whoever adds one decides here how it enters the keys; TestMemoEqualsFull compares memo
// builds with full builds after every kind of edit.
//
// A Memo serves one source and one build at a time. Entries not used by a build are
// dropped soon after, so memory follows the site's size.
type Memo struct {
	mu      sync.Mutex // guards loads, links and reconverted
	gen     int        // the build being made (or last made)
	pending []string   // forgotten since the last build began
	changed []string   // what the current build reads anew
	snap    *snapshot
	seeds   [2]maphash.Seed
	seq     atomic.Uint64 // conversion ids

	th    *theme // the last build's theme
	thGen int
	loads map[string]*loadEntry     // by tree folder
	convs table[string, *convEntry] // by source path
	minis table[string, *miniEntry] // by output file
	links map[string]*linkEntry     // by tree folder and prefix
	extra *extrasEntry

	// Per build.
	sites       sync.Map                  // *Site -> *siteInfo
	rkeys       sync.Map                  // *renderer -> *rkey
	reconverted map[string]bool           // sources converted anew -> whether their anchors changed
	tokenized   table[string, *tokenized] // output file -> the tokenized page it was made from
	stats       memoStats
}

// memoStats count the work of the last build.
type memoStats struct {
	pages, loaded                 atomic.Int64 // pages of the trees; loaded anew
	converted, rendered, minified atomic.Int64
	versioned                     atomic.Int64 // pages given new asset versions
	linkChecked                   atomic.Int64
}

// NewMemo returns an empty memo: its first build does everything.
func NewMemo() *Memo {
	return &Memo{
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		loads: map[string]*loadEntry{}, links: map[string]*linkEntry{},
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
	return fmt.Sprintf("of %d pages: %d loaded, %d converted, %d rendered, %d re-versioned, %d link-checked; %d files minified",
		st.pages.Load(), st.loaded.Load(), st.converted.Load(), st.rendered.Load(), st.versioned.Load(), st.linkChecked.Load(), st.minified.Load())
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
		m.th, m.extra = nil, nil
		clear(m.loads)
		clear(m.links)
		m.convs, m.minis = table[string, *convEntry]{}, table[string, *miniEntry]{}
	}
	m.convs.merge()
	m.minis.merge()
	for _, p := range m.changed {
		m.snap.forget(p)
	}
	if m.gen%8 == 0 {
		prune(m.loads, m.gen)
		prune(m.links, m.gen)
		for src := range m.convs.old { // kept pages do not touch their entry: keep live sources'
			if !m.live(src) {
				delete(m.convs.old, src)
			}
		}
		prune(m.minis.old, m.gen)
	}
	m.sites.Clear()
	m.rkeys.Clear()
	m.reconverted = map[string]bool{}
	m.tokenized = table[string, *tokenized]{}
	m.stats = memoStats{}
	return m.snap
}

// live reports whether a source is a page of a tree the last build loaded.
func (m *Memo) live(src string) bool {
	for _, e := range m.loads {
		if e.site.bySource[src] != nil {
			return true
		}
	}
	return false
}

// changedUnder reports whether this build forgot dir, something in it or a folder above it.
func (m *Memo) changedUnder(dir string) bool {
	for _, c := range m.changed {
		if _, inside, covers := under(dir, c); inside || covers {
			return true
		}
	}
	return false
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

// prune drops the entries recent builds did not use.
func prune[K comparable, E generational](entries map[K]E, gen int) {
	for k, e := range entries {
		if e.generation() < gen-1 {
			delete(entries, k)
		}
	}
}

// table is a map that the parallel parts of a build read without locking: the entries
// of earlier builds do not change during a build, and the entries a build makes wait in
// a locked map until the next build merges them.
type table[K comparable, V any] struct {
	old map[K]V
	mu  sync.Mutex
	new map[K]V
}

// get returns the entry for k, the newest one.
func (t *table[K, V]) get(k K) (V, bool) {
	t.mu.Lock()
	v, ok := t.new[k]
	t.mu.Unlock()
	if !ok {
		v, ok = t.old[k]
	}
	return v, ok
}

// settled returns an entry made before this build, without locking.
func (t *table[K, V]) settled(k K) V { return t.old[k] }

func (t *table[K, V]) put(k K, v V) {
	t.mu.Lock()
	if t.new == nil {
		t.new = map[K]V{}
	}
	t.new[k] = v
	t.mu.Unlock()
}

// merge makes the last build's entries settled; called between builds.
func (t *table[K, V]) merge() {
	if t.old == nil {
		t.old = map[K]V{}
	}
	maps.Copy(t.old, t.new)
	clear(t.new)
}

// sig is a 128-bit hash of a memo key.
type sig [2]uint64

// keyBuf gathers a key's fields, length-prefixed, to hash them at once.
type keyBuf []byte

func (k keyBuf) str(s string) keyBuf {
	return append(binary.AppendUvarint(k, uint64(len(s))), s...)
}

func (k keyBuf) bytes(p []byte) keyBuf {
	return append(binary.AppendUvarint(k, uint64(len(p))), p...)
}

func (k keyBuf) int(i int) keyBuf { return binary.AppendVarint(k, int64(i)) }

func (k keyBuf) bool(v bool) keyBuf {
	if v {
		return append(k, 1)
	}
	return append(k, 0)
}

func (k keyBuf) sig(s sig) keyBuf {
	return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(k, s[0]), s[1])
}

func (m *Memo) sum(k keyBuf) sig {
	return sig{maphash.Bytes(m.seeds[0], k), maphash.Bytes(m.seeds[1], k)}
}

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

// --- Theme ---------------------------------------------------------------------------

// theme is loadTheme, or the last build's theme when nothing under themes/ changed.
func (m *Memo) theme(fsys fs.FS, name string) (*theme, error) {
	if m == nil {
		return loadTheme(fsys, name)
	}
	if m.th != nil && m.th.name == name && m.thGen == m.gen-1 && !m.changedUnder("themes") {
		m.thGen = m.gen
		return m.th, nil
	}
	th, err := loadTheme(fsys, name)
	if err == nil {
		m.th, m.thGen = th, m.gen
	}
	return th, err
}

// --- Loading -------------------------------------------------------------------------

// loadEntry is a loaded tree, kept for the next build.
type loadEntry struct {
	gen   int
	dir   string
	cfg   Config
	site  *Site         // the tree the last build used, converted
	diags []*Diagnostic // Load's problems
	// The conversion problems of every page, by source, replayed for the pages whose
	// conversion the next build keeps.
	convDiags map[string][]*Diagnostic
	info      *siteInfo // the tree's render data, the same while only bodies change
}

func (e *loadEntry) generation() int { return e.gen }

// load is Load, or the previous build's tree, converted, with the new bodies of the pages
// whose body is all that changed.
//
// The tree is reused in place: a Result's Site is valid until the next Build with the same
// Memo. Reusing it keeps every unchanged page's conversion, and a large site's rebuild
// allocates almost nothing.
func (m *Memo) load(fsys fs.FS, dir string, cfg Config, ds *diags) *Site {
	if m == nil {
		return Load(fsys, dir, cfg, ds)
	}
	m.mu.Lock()
	e := m.loads[dir]
	m.mu.Unlock()
	if e != nil && e.gen == m.gen-1 && reflect.DeepEqual(e.cfg, cfg) && m.reload(e, fsys) {
		for _, d := range e.diags {
			ds.add(d)
		}
		for _, list := range e.convDiags {
			for _, d := range list {
				ds.add(d)
			}
		}
		e.info.kept = m.gen
		m.sites.Store(e.site, e.info)
		m.stats.pages.Add(int64(len(e.site.Pages)))
		return e.site
	}
	lds := &diags{}
	s := Load(fsys, dir, cfg, lds)
	for _, d := range lds.list {
		ds.add(d)
	}
	e = &loadEntry{gen: m.gen, dir: dir, cfg: cfg, site: s, diags: lds.list, convDiags: map[string][]*Diagnostic{}}
	e.info = m.site(s)
	m.mu.Lock()
	m.loads[dir] = e
	m.mu.Unlock()
	m.stats.loaded.Add(int64(len(s.Pages)))
	m.stats.pages.Add(int64(len(s.Pages)))
	return s
}

// reload updates the previous build's tree when every change under its folder is the body
// of one of its pages or the bytes of one of its static files, and reports whether it did.
// The pages with a new body lose their conversion, so that this build converts them.
func (m *Memo) reload(e *loadEntry, fsys fs.FS) bool {
	s := e.site
	bodies := map[*Page][]byte{}
	for _, c := range m.changed {
		rel, inside, covers := under(e.dir, c)
		switch {
		case covers: // the tree's folder itself, or one above it
			return false
		case !inside || !loadedName(e.dir, rel):
			continue
		}
		if p := s.bySource[c]; p != nil {
			data, err := fs.ReadFile(fsys, c)
			if err != nil || !sameFrontMatter(p, data) {
				return false
			}
			bodies[p] = data
			continue
		}
		if _, ok := s.Static[rel]; ok {
			if fi, err := fs.Stat(fsys, c); err == nil && fi.Mode().IsRegular() {
				continue // its bytes are read when published
			}
		}
		return false // a file or folder came or went
	}
	for p, data := range bodies {
		if same(p.src, data) {
			continue // saved unchanged: keep the conversion
		}
		p.src = data
		p.doc, p.Content, p.Headings, p.ids, p.reasons = nil, "", nil, nil, nil
		delete(e.convDiags, p.Source)
	}
	e.gen = m.gen
	return true
}

// under relates a changed path to a folder: its path relative to dir when inside it, or
// whether it is dir or a folder above it.
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

// convert is s.convert, or its remembered results when the page's inputs are the same. A
// page of a reused tree that kept its conversion is left as it is.
func (m *Memo) convert(s *Site, p *Page, conv *markdown.Converter, ds *diags) {
	if m == nil || p.Source == "" {
		s.convert(p, conv, ds)
		return
	}
	info := m.site(s)
	if info.kept == m.gen && p.doc != nil {
		return // its problems were replayed with the tree
	}
	pm := info.nav[p.Path]
	e := m.convs.settled(p.Source)
	if e != nil && e.typ == p.Type && e.program == p.Program && e.path == p.Path && e.dir == s.ContentDir &&
		e.unsafe == s.Config.UnsafeHTML && same(e.src, p.src) && (e.paths == info.paths || e.resolvesAlike(s, p)) {
		p.doc, p.Content, p.Headings, p.ids, p.reasons = e.doc, template.HTML(e.doc.HTML), e.doc.Headings, e.ids, e.reasons
		for _, d := range e.diags {
			ds.add(d)
		}
		e.gen = m.gen
	} else {
		pds := &diags{}
		s.convert(p, conv, pds)
		for _, d := range pds.list {
			ds.add(d)
		}
		old := e
		e = &convEntry{gen: m.gen, id: m.seq.Add(1), src: p.src, typ: p.Type, program: p.Program, path: p.Path, dir: s.ContentDir,
			unsafe: s.Config.UnsafeHTML, paths: info.paths, doc: p.doc, ids: p.ids, reasons: p.reasons, diags: pds.list}
		resolve := s.resolver(p)
		for _, l := range p.doc.Links {
			out, _ := resolve(l.Dest)
			e.links = append(e.links, out)
		}
		m.convs.put(p.Source, e)
		m.mu.Lock()
		m.reconverted[p.Source] = old == nil || !maps.Equal(old.ids, e.ids)
		m.mu.Unlock()
		m.stats.converted.Add(1)
	}
	if pm != nil {
		pm.conv = e
	}
	m.mu.Lock()
	if le := m.loads[s.ContentDir]; le != nil && le.site == s {
		if e.diags != nil {
			le.convDiags[p.Source] = e.diags
		} else {
			delete(le.convDiags, p.Source)
		}
	}
	m.mu.Unlock()
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

// siteInfo is what the memo knows of one loaded tree: computed when it is loaded, and
// kept while only page bodies change (none of it depends on them).
type siteInfo struct {
	once   sync.Once
	kept   int                  // the build that reused the tree with its conversions
	paths  sig                  // every page's site path
	all    sig                  // every page's navigation data
	static sig                  // the static files' names
	nav    map[string]*pageMemo // by site path
}

// pageMemo is what the memo knows of one page.
type pageMemo struct {
	self sig // the page's own front matter and place
	kids sig // its pages' self
	tree sig // all its descendants' self
	up   sig // its ancestors' self and kids

	conv *convEntry   // its conversion
	outs []*pageEntry // its outputs, one per prefix its tree is published under
}

func (m *Memo) site(s *Site) *siteInfo {
	v, ok := m.sites.Load(s)
	if !ok {
		v, _ = m.sites.LoadOrStore(s, &siteInfo{})
	}
	info := v.(*siteInfo)
	info.once.Do(func() { m.computeSite(s, info) })
	return info
}

func (m *Memo) computeSite(s *Site, info *siteInfo) {
	info.nav = make(map[string]*pageMemo, len(s.Pages))
	var paths, all keyBuf
	var k keyBuf
	for _, p := range s.Pages {
		k = k[:0].str(p.Source).str(p.Path).str(p.Section).bool(p.IsSection).str(p.Title).str(p.LinkTitle).str(p.Type).str(p.Program)
		k = k.bytes(p.src[:min(p.bodyOff, len(p.src))]) // the other front matter fields
		n := &pageMemo{self: m.sum(k)}
		info.nav[p.Path] = n
		paths = paths.str(p.Path)
		all = all.sig(n.self)
	}
	info.paths, info.all = m.sum(paths), m.sum(all)
	for i := len(s.Pages) - 1; i >= 0; i-- { // children sort after their parent
		p := s.Pages[i]
		var kids, tree keyBuf
		for _, c := range p.Pages {
			cn := info.nav[c.Path]
			kids = kids.sig(cn.self)
			tree = tree.sig(cn.self).sig(cn.tree)
		}
		info.nav[p.Path].kids, info.nav[p.Path].tree = m.sum(kids), m.sum(tree)
	}
	for _, p := range s.Pages { // parents sort before their children
		if a := p.Parent; a != nil {
			an := info.nav[a.Path]
			info.nav[p.Path].up = m.sum(keyBuf(nil).sig(an.up).sig(an.self).sig(an.kids))
		}
	}
	var st keyBuf
	for _, name := range slices.Sorted(maps.Keys(s.Static)) {
		st = st.str(name)
	}
	info.static = m.sum(st)
	// A tree loaded anew keeps the outputs of the pages that were there before: their
	// keys decide whether they still hold.
	m.mu.Lock()
	old := m.loads[s.ContentDir]
	m.mu.Unlock()
	if old != nil && old.info != nil && old.info != info {
		for path, pm := range info.nav {
			if was := old.info.nav[path]; was != nil {
				pm.outs = was.outs
			}
		}
	}
}

// rkey is what every page of one renderer shares in its render key.
type rkey struct {
	once     sync.Once
	sig      sig
	layouts  layoutSigs
	rules    map[string]sig    // by program: the screening data its pages show
	tokens   map[string]string // the assets with a stand-in token for each version
	versions *strings.Replacer // each token by its asset's version
	vsig     sig               // the versions
	frags    *sync.Map         // Cached's outputs made with the tokens
}

// versionOf is the version of an asset URL written name?v=version, as versioned makes them.
func versionOf(name, url string) (string, bool) {
	v, ok := strings.CutPrefix(url, name+"?v=")
	return v, ok && v != ""
}

// assetTokens returns the assets with each version replaced by the asset's token, and the
// replacer that puts the versions back. A token depends only on the asset's name, so a
// tokenized page stays valid when a version changes.
func (m *Memo) assetTokens(assets map[string]string) (map[string]string, *strings.Replacer, sig) {
	tokens := make(map[string]string, len(assets))
	var pairs []string
	var vs keyBuf
	for _, name := range slices.Sorted(maps.Keys(assets)) {
		url := assets[name]
		v, ok := versionOf(name, url)
		if !ok {
			tokens[name] = url
			continue
		}
		h := maphash.String(m.seeds[0], name)
		tok := fmt.Sprintf("zzMemoAsset%016xzz", h)
		tokens[name] = name + "?v=" + tok
		pairs = append(pairs, tok, v)
		vs = vs.str(tok).str(v)
	}
	return tokens, strings.NewReplacer(pairs...), m.sum(vs)
}

// tokenized is a page rendered with asset tokens, and the output made from it.
type tokenized struct {
	page, out []byte
	versions  *strings.Replacer
}

// detokenize is b with each asset token replaced by its version.
func detokenize(b []byte, versions *strings.Replacer) []byte {
	var out bytes.Buffer
	out.Grow(len(b))
	versions.WriteString(&out, string(b))
	return out.Bytes()
}

func (m *Memo) rendererKey(r *renderer) *rkey {
	v, ok := m.rkeys.Load(r)
	if !ok {
		v, _ = m.rkeys.LoadOrStore(r, &rkey{})
	}
	k := v.(*rkey)
	k.once.Do(func() {
		k.frags = &sync.Map{}
		k.layouts = m.layouts(r.theme)
		b := m.siteWide(nil, k.layouts.common, r.site.Config, r.assets, true, r.selfCheck, r.set)
		k.tokens, k.versions, k.vsig = m.assetTokens(r.assets)
		b = b.str(r.site.ContentDir).sig(m.site(r.site).static)
		b = b.str(r.prefix).bool(r.draft).str(editionFields(r.ed))
		k.rules = map[string]sig{}
		for prog, data := range r.rules {
			k.rules[prog] = m.sum(keyBuf(nil).str(prog).bytes(data))
		}
		k.sig = m.sum(b)
	})
	return k
}

// siteWide adds what every page of a build may show: layouts, configuration, assets, the
// self-check switch and the editions.
// With tokens, an asset that has a version enters the key as its token, not its version.
func (m *Memo) siteWide(b keyBuf, layouts sig, cfg Config, assets map[string]string, tokens bool, selfCheck bool, set *editionSet) keyBuf {
	b = b.sig(layouts).str(CSP)
	c, _ := json.Marshal(cfg)
	b = b.bytes(c)
	for _, name := range slices.Sorted(maps.Keys(assets)) {
		url := assets[name]
		if _, ok := versionOf(name, url); ok && tokens {
			url = "token"
		}
		b = b.str(name).str(url)
	}
	b = b.bool(selfCheck)
	if set != nil {
		for _, e := range set.list {
			b = b.str(editionFields(e))
		}
		b = b.str(editionFields(set.current))
	}
	return b
}

// editionFields is what pages show of an edition (its Hash covers its files).
func editionFields(e *versions.Edition) string {
	if e == nil {
		return ""
	}
	return strings.Join([]string{e.ID, e.Label, e.Effective, e.Status, e.Path, e.Hash}, "\x00")
}

// layoutSigs hash a theme's layouts (not its static files, which reach pages through the
// assets' versioned URLs): a page depends on the layouts every page uses (baseof.html,
// partials) and on its type's own layout, so a layout edit re-renders the pages that use it.
type layoutSigs struct {
	all       sig            // every layout
	common    sig            // every layout but the page types' own
	byType    map[string]sig // layouts/<type>.html
	sitePages bool           // some layout uses .Site.Pages
}

func (m *Memo) layouts(th *theme) layoutSigs {
	ls := layoutSigs{byType: map[string]sig{}}
	var all, common keyBuf
	all, common = all.str(th.name), common.str(th.name)
	for _, name := range th.list("layouts") {
		data, label, _ := th.read(name)
		all = all.str(name).str(label).bytes(data)
		if typ := strings.TrimSuffix(strings.TrimPrefix(name, "layouts/"), ".html"); path.Dir(name) == "layouts" && slices.Contains(layoutTypes, typ) {
			ls.byType[typ] = m.sum(keyBuf(nil).str(name).str(label).bytes(data))
			continue
		}
		common = common.str(name).str(label).bytes(data)
	}
	ls.all, ls.common = m.sum(all), m.sum(common)
	for _, t := range th.templates {
		for _, tt := range t.Templates() {
			if tt.Tree != nil && usesSitePages(tt.Tree.Root) {
				ls.sitePages = true
			}
		}
	}
	return ls
}

// usesSitePages reports whether a template reads .Site.Pages (every page of the site), or
// the pages of a page reached by a chain such as (index .Pages 0).Pages.
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
		case *parse.VariableNode:
			found = slices.Contains(n.Ident, "Site") && slices.Contains(n.Ident, "Pages")
		case *parse.ChainNode:
			found = slices.Contains(n.Field, "Pages")
			walk(n.Node)
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
	gen    int
	prefix string
	key    sig
	tok    []byte // rendered with asset tokens
	out    []byte // tok with the versions of vsig
	vsig   sig
}

// page is r.page, or the page's remembered output when its render key is the same.
func (m *Memo) page(r *renderer, p *Page) ([]byte, error) {
	if m == nil || p.out != "" || p.diff != nil || p.change != nil || p.pairs != nil {
		return r.page(p)
	}
	pm := m.site(r.site).nav[p.Path]
	if pm == nil { // not a page of the tree
		return r.page(p)
	}
	rk := m.rendererKey(r)
	conv := uint64(0)
	if p.Source != "" {
		conv = m.seq.Add(1) // converted outside the memo: never reuse
		if pm.conv != nil && pm.conv.doc == p.doc {
			conv = pm.conv.id
		}
	}
	var buf [128]byte
	layout, ok := rk.layouts.byType[p.Type]
	if !ok {
		layout = rk.layouts.all
	}
	k := keyBuf(buf[:0]).sig(rk.sig).sig(layout).sig(rk.rules[p.Program]).sig(pm.self).sig(pm.tree).sig(pm.up).int(int(conv))
	if rk.layouts.sitePages {
		k = k.sig(m.site(r.site).all)
	}
	key := m.sum(k)
	i := slices.IndexFunc(pm.outs, func(e *pageEntry) bool { return e.prefix == r.prefix })
	if i >= 0 && pm.outs[i].key == key {
		e := pm.outs[i]
		e.gen = m.gen
		if e.vsig != rk.vsig { // an asset changed: put its new version in
			e.out, e.vsig = detokenize(e.tok, rk.versions), rk.vsig
			m.tokenized.put(r.prefix+p.Path+"index.html", &tokenized{e.tok, e.out, rk.versions})
			m.stats.versioned.Add(1)
		}
		return e.out, nil
	}
	tr := *r // the same renderer, with tokens for the assets' versions
	tr.assets, tr.frags = rk.tokens, rk.frags
	tok, err := tr.page(p)
	if err != nil {
		m.stats.rendered.Add(1)
		return nil, err
	}
	out := detokenize(tok, rk.versions)
	e := &pageEntry{gen: m.gen, prefix: r.prefix, key: key, tok: tok, out: out, vsig: rk.vsig}
	if i >= 0 {
		pm.outs[i] = e
	} else {
		pm.outs = append(pm.outs, e)
	}
	m.tokenized.put(r.prefix+p.Path+"index.html", &tokenized{tok, out, rk.versions})
	m.stats.rendered.Add(1)
	return out, nil
}

// --- Link check ----------------------------------------------------------------------

// linkEntry is a tree's link check: its problems by page, and what it depended on.
type linkEntry struct {
	gen   int
	key   sig
	diags map[string][]*Diagnostic // by source
}

func (e *linkEntry) generation() int { return e.gen }

// checkLinks is s.checkLinks, checking again only the pages converted anew when nothing
// else a link check sees changed: the tree's pages and static files, the outputs so far,
// and the anchors of the pages converted anew.
func (m *Memo) checkLinks(s *Site, files map[string][]byte, prefix string, ds *diags, warn bool) {
	if m == nil {
		s.checkLinks(files, prefix, ds, warn)
		return
	}
	info := m.site(s)
	var names uint64 // the outputs' names, in any order
	for name := range files {
		names ^= maphash.String(m.seeds[0], name)
	}
	key := m.sum(keyBuf(nil).sig(info.paths).sig(info.static).str(prefix).bool(warn).int(int(names)).int(int(names >> 32)))
	id := s.ContentDir + "\x00" + prefix
	m.mu.Lock()
	e := m.links[id]
	m.mu.Unlock()
	check := s.Pages
	if e != nil && e.gen == m.gen-1 && e.key == key && !m.anchorsChanged(s) {
		check = nil
		for src := range m.reconverted {
			if p := s.bySource[src]; p != nil {
				check = append(check, p)
			}
		}
		next := maps.Clone(e.diags)
		for _, p := range check {
			delete(next, p.Source)
		}
		e = &linkEntry{gen: m.gen, key: key, diags: next}
	} else {
		e = &linkEntry{gen: m.gen, key: key, diags: map[string][]*Diagnostic{}}
	}
	sub := *s
	sub.Pages = check
	lds := &diags{}
	sub.checkLinks(files, prefix, lds, warn)
	for _, d := range lds.list {
		e.diags[d.File] = append(e.diags[d.File], d)
	}
	for _, list := range e.diags {
		for _, d := range list {
			ds.add(d)
		}
	}
	m.mu.Lock()
	m.links[id] = e
	m.mu.Unlock()
	m.stats.linkChecked.Add(int64(len(check)))
}

// anchorsChanged reports whether a page of s converted anew has other anchors than before
// (or is new), so that links to it must be checked again.
func (m *Memo) anchorsChanged(s *Site) bool {
	for src, changed := range m.reconverted {
		if changed && s.bySource[src] != nil {
			return true
		}
	}
	return false
}

// --- Site-wide files -----------------------------------------------------------------

// extrasEntry is the site-wide files of a build and the key of what they depend on.
type extrasEntry struct {
	gen   int
	key   sig
	files map[string][]byte // as put: minified
	diags []*Diagnostic
}

// extras is b.extras, or the remembered files when nothing they show changed: the theme,
// the site-wide data and every page's front matter and place.
func (m *Memo) extras(b *builder, root *Site) {
	if m == nil || root == nil {
		b.extras(root)
		return
	}
	info := m.site(root)
	k := m.siteWide(nil, m.layouts(b.theme).all, b.cfg, b.assets, false, b.selfCheck, b.set)
	k = k.sig(info.all).sig(info.paths).sig(info.static).str(root.ContentDir).bool(b.opt.Draft).bool(b.opt.NoMinify)
	key := m.sum(k)
	if e := m.extra; e != nil && e.gen == m.gen-1 && e.key == key {
		b.mu.Lock()
		maps.Copy(b.files, e.files)
		b.mu.Unlock()
		for _, d := range e.diags {
			b.ds.add(d)
		}
		e.gen = m.gen
		return
	}
	files, ds := b.files, b.ds // extras runs alone, last: record what it puts
	b.files, b.ds = map[string][]byte{}, &diags{}
	b.extras(root)
	e := &extrasEntry{gen: m.gen, key: key, files: b.files, diags: b.ds.list}
	b.files, b.ds = files, ds
	maps.Copy(b.files, e.files)
	for _, d := range e.diags {
		b.ds.add(d)
	}
	m.extra = e
}

// --- Minifying -----------------------------------------------------------------------

type miniEntry struct {
	gen      int
	raw, out []byte
	err      error
	tok      []byte // the tokenized page raw was made from, if any
	tokMin   []byte // tok minified
}

func (e *miniEntry) generation() int { return e.gen }

// minify is minifyFile, or the remembered result for the same bytes.
func (m *Memo) minify(name string, data []byte) ([]byte, error) {
	if _, ok := mediaTypes[path.Ext(name)]; m == nil || !ok {
		return minifyFile(name, data)
	}
	e := m.minis.settled(name)
	if e == nil || !same(e.raw, data) {
		e, _ = m.minis.get(name)
	}
	if e != nil && same(e.raw, data) {
		e.gen = m.gen
		return e.out, e.err
	}
	if t, ok := m.tokenized.get(name); ok && len(data) > 0 && len(t.out) == len(data) && &t.out[0] == &data[0] {
		// A page made from a tokenized one: minify the tokenized page (once per page) and
		// put the versions in, as for the page itself.
		n := &miniEntry{gen: m.gen, raw: data, tok: t.page}
		if e != nil && e.tok != nil && same(e.tok, t.page) {
			n.tokMin, n.err = e.tokMin, e.err
		} else {
			n.tokMin, n.err = minifyFile(name, t.page)
			m.stats.minified.Add(1)
		}
		n.out = detokenize(n.tokMin, t.versions)
		m.minis.put(name, n)
		return n.out, n.err
	}
	out, err := minifyFile(name, data)
	m.minis.put(name, &miniEntry{gen: m.gen, raw: data, out: out, err: err})
	m.stats.minified.Add(1)
	return out, err
}
