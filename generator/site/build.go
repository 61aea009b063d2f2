// Package site loads a source tree (content/, themes/, content/_site.yaml) and builds the
// whole static site in memory. Build is the one entry point: the build, check and serve
// commands, the tests and the benchmarks all call it. Data flows one way:
// load -> parse -> render -> minify; writing to disk is the caller's business.
package site

import (
	"bytes"
	"errors"
	"html/template"
	"io/fs"
	"runtime"
	"sync"
	"time"

	"affdocs/generator/markdown"
	"affdocs/generator/versions"
)

// Options are the build's switches, set by the command line.
type Options struct {
	LinksWarn bool // report broken links as warnings (the -links=warn flag)
	NoMinify  bool // write outputs as rendered, for debugging
	Draft     bool // publish the working draft at the unversioned paths (serve's preview)
	// Today decides which edition is current (the newest in effect); zero means now.
	Today time.Time
	// Cache keeps the outputs of frozen editions between builds; nil renders everything.
	// CacheSalt identifies the generator (the shell passes a hash of its executable), so
	// a new generator never trusts an old generator's outputs.
	Cache     Cache
	CacheSalt string
	// SelfCheck supplies the compiled self-check WebAssembly module and the matching
	// wasm_exec.js. It is called only when the site has a self-check page. When it is nil,
	// or fails (the build then warns), those pages say the check is unavailable.
	SelfCheck func() (*Module, error)
	// Memo makes a rebuild redo only what changed since the previous build (serve); nil
	// builds everything. See incremental.go.
	Memo *Memo
	// Output, when set, receives every output file as soon as it is made, from any
	// goroutine, and the build keeps only the names (Result.Files maps them to nil). A site
	// without editions is then converted page by page as it is rendered, and each page's
	// text is let go once written, so memory holds the page index, not the site. An error
	// from Output fails the build. The build command streams to output.Staged this way.
	Output func(name string, data []byte) error
}

// Module is the compiled self-check: the WebAssembly module, its brotli and gzip copies (for
// hosts that serve .br and .gz; optional) and the wasm_exec.js of the toolchain that built it.
type Module struct {
	Wasm, WasmBrotli, WasmGzip, WasmExec []byte
}

// Result is a built site: every output file by its slash path (with nil contents when
// they went to Options.Output), plus the warnings.
type Result struct {
	Files    map[string][]byte
	Warnings []*Diagnostic
	Site     *Site
}

// Build turns the source tree fsys into the files of the site. The error, when not nil,
// joins one *Diagnostic per problem, all problems of the build together.
//
// Without editions the draft (content/) is the site. With editions, the current edition is
// published at the unversioned paths and at v/latest/, every edition at v/<ID>/, with
// redlines between consecutive editions and against the current one; the draft is checked
// but only published with Options.Draft (the serve preview).
func Build(fsys fs.FS, opt Options) (*Result, error) {
	ds := &diags{}
	fsys = opt.Memo.source(fsys)
	contentDir := ContentDir(fsys)
	cfg := LoadConfig(fsys, contentDir, ds)
	th, err := opt.Memo.theme(fsys, cfg.Theme)
	if err != nil {
		var d *Diagnostic // a template that does not parse is placed at its line
		if !errors.As(err, &d) {
			d = &Diagnostic{File: "themes/" + cfg.Theme, Msg: err.Error()}
		}
		ds.add(d)
		return finish(nil, nil, ds)
	}
	today := opt.Today
	if today.IsZero() {
		today = time.Now()
	}
	eds, problems := versions.Load(fsys, contentDir, today)
	for _, p := range problems {
		ds.add(&Diagnostic{File: p.File, Line: p.Line, Col: min(p.Line, 1), Msg: p.Msg})
	}
	b := &builder{
		fsys: fsys, opt: opt, ds: ds, theme: th, cfg: cfg, files: map[string][]byte{},
		conv:  markdown.New(markdown.Config{UnsafeHTML: cfg.UnsafeHTML}),
		set:   newEditionSet(eds),
		trees: map[string]*Site{},
		warn:  opt.LinksWarn || cfg.Links == "warn",
	}
	b.assets = th.copyStatic(b.put)
	// A streamed site without editions is converted as it is rendered and let go as it is
	// written (nothing reads its pages' text later: redlines read the editions'), and its
	// bodies are read then, so that a large site's text never sits in memory at once.
	release := opt.Output != nil && opt.Memo == nil && len(eds) == 0
	var draft *Site // converted below
	if release {
		draft = load(b.fsys, contentDir, b.cfg, ds, false)
	} else {
		draft = b.opt.Memo.load(b.fsys, contentDir, b.cfg, ds)
	}
	// Editions are copies of some draft: their self-check pages are not loaded yet (a cached
	// edition never is), so a versioned site always publishes the module.
	if draft.hasType("selfcheck") || len(eds) > 0 {
		b.selfCheck = publishModule(opt.SelfCheck, b.put, b.assets, ds)
	}

	var root *Site // the tree published at the unversioned paths
	if len(eds) == 0 || opt.Draft {
		root = draft
		b.publish(&tree{site: draft, draft: len(eds) > 0, convert: true, release: release}, b.put)
	} else {
		b.convert(draft) // checked, not published
	}
	for _, ed := range eds {
		if ed.Status == versions.Current {
			s := b.edition(ed)
			if root == nil {
				root = s
				b.publish(&tree{site: s, ed: ed}, b.put)
			}
			b.publish(&tree{site: s, prefix: "v/latest/", ed: ed}, b.put)
		}
		b.editionOutputs(ed)
	}
	b.compareIndex()
	b.opt.Memo.extras(b, root)
	return finish(b.files, root, ds)
}

// builder holds what every tree of one build shares.
type builder struct {
	fsys      fs.FS
	opt       Options
	ds        *diags
	theme     *theme
	cfg       Config
	conv      *markdown.Converter
	assets    map[string]string
	set       *editionSet
	trees     map[string]*Site // loaded editions, by ID
	selfCheck bool
	warn      bool // broken links are warnings

	mu    sync.Mutex
	files map[string][]byte
}

// tree is one loaded source tree published under a prefix: the draft at "", an edition at
// v/<ID>/, the current edition also at "" and v/latest/.
type tree struct {
	site   *Site
	prefix string
	ed     *versions.Edition // nil for the draft
	draft  bool              // show the draft-preview banner
	// convert: the pages are converted as they are rendered (else they already are);
	// release: each page's text is dropped once its output is written.
	convert, release bool
}

// put adds an output file, minified unless the build is for debugging.
func (b *builder) put(name string, data []byte) { b.store(name, data) }

// store is put, returning the bytes stored.
func (b *builder) store(name string, data []byte) []byte {
	if !b.opt.NoMinify {
		var err error
		if data, err = b.opt.Memo.minify(name, data); err != nil {
			b.ds.add(&Diagnostic{File: name, Msg: "minify: " + err.Error()})
		}
	}
	kept := data
	if b.opt.Output != nil {
		if err := b.opt.Output(name, data); err != nil {
			b.ds.add(&Diagnostic{File: name, Msg: "write: " + err.Error()})
		}
		kept = nil // the name only, for link checks
	}
	b.mu.Lock()
	b.files[name] = kept
	b.mu.Unlock()
	return data
}

// load reads and converts one tree.
func (b *builder) load(dir string) *Site {
	s := b.opt.Memo.load(b.fsys, dir, b.cfg, b.ds)
	b.convert(s)
	return s
}

// convert converts every page of a tree, on all cores.
func (b *builder) convert(s *Site) {
	parallel(s.Pages, func(p *Page) { b.opt.Memo.convert(s, p, b.conv, b.ds) })
}

// edition loads an edition's tree once.
func (b *builder) edition(ed *versions.Edition) *Site {
	if s, ok := b.trees[ed.ID]; ok {
		return s
	}
	s := b.load(ed.Dir)
	delete(s.Static, versions.MetaFile)
	b.trees[ed.ID] = s
	return s
}

// publish renders a tree's pages, static files and screening rules under its prefix, and
// checks its links.
func (b *builder) publish(t *tree, put func(string, []byte)) {
	s := t.site
	for out, src := range s.Static {
		data, err := fs.ReadFile(b.fsys, src)
		if err != nil {
			b.ds.add(&Diagnostic{File: src, Msg: err.Error()})
			continue
		}
		put(t.prefix+out, data)
	}
	edition := ""
	if t.ed != nil {
		edition = t.ed.ID
	}
	r := b.renderer(t)
	// convert converts a page of a tree converted as it is published (reading its body
	// again when the build dropped it), and reports whether it could.
	convert := func(p *Page) bool {
		if t.release && !b.readBody(p) {
			return false
		}
		b.opt.Memo.convert(s, p, b.conv, b.ds)
		return true
	}
	if t.convert { // the screening rules, which the self-check pages show, come first
		parallel(s.Pages, func(p *Page) {
			if p.Type == "rejections" {
				convert(p)
			}
		})
	}
	r.rules = s.buildRules(b.ds, t.prefix, edition, put)
	parallel(s.Pages, func(p *Page) {
		if t.convert && p.Type != "rejections" && !convert(p) {
			return
		}
		out, err := b.opt.Memo.page(r, p)
		if err != nil {
			b.ds.add(&Diagnostic{File: b.theme.sourceOf(p.Type), Msg: err.Error()})
			return
		}
		put(t.prefix+p.Path+"index.html", out)
		if t.release {
			p.release()
		}
	})
	b.mu.Lock()
	b.opt.Memo.checkLinks(s, b.files, t.prefix, b.ds, b.warn)
	b.mu.Unlock()
}

// readBody reads again the source of a page whose body was dropped after loading, and
// reports whether it still has the front matter the build loaded.
func (b *builder) readBody(p *Page) bool {
	if p.Source == "" || len(p.src) != p.bodyOff {
		return true // generated, or never dropped
	}
	data, err := fs.ReadFile(b.fsys, p.Source)
	if err == nil && !bytes.HasPrefix(data, p.src) {
		err = errors.New("changed while the site was building; build again")
	}
	if err != nil {
		b.ds.add(&Diagnostic{File: p.Source, Msg: err.Error()})
		return false
	}
	p.src = data
	return true
}

func (b *builder) renderer(t *tree) *renderer {
	return &renderer{site: t.site, theme: b.theme, assets: b.assets, selfCheck: b.selfCheck, prefix: t.prefix, ed: t.ed, draft: t.draft, set: b.set, frags: &sync.Map{}}
}

// publishModule adds the self-check module, its loader and compressed copies for hosts that
// serve them. It reports whether the module is published.
func publishModule(get func() (*Module, error), put func(string, []byte), assets map[string]string, ds *diags) bool {
	if get == nil { // not wanted, as by the check command
		return false
	}
	m, err := get()
	if err != nil {
		ds.add(&Diagnostic{File: "assets/selfcheck.wasm", Msg: "self-check module not built: " + err.Error(), Warning: true})
		return false
	}
	for name, data := range map[string][]byte{"assets/selfcheck.wasm": m.Wasm, "assets/wasm_exec.js": m.WasmExec} {
		put(name, data)
		assets[name] = versioned(name, data)
	}
	if m.WasmGzip != nil {
		put("assets/selfcheck.wasm.gz", m.WasmGzip)
	}
	if m.WasmBrotli != nil {
		put("assets/selfcheck.wasm.br", m.WasmBrotli)
	}
	return true
}

func finish(files map[string][]byte, s *Site, ds *diags) (*Result, error) {
	errs, warns := ds.split()
	res := &Result{Files: files, Warnings: warns, Site: s}
	if len(errs) > 0 {
		joined := make([]error, len(errs))
		for i, e := range errs {
			joined[i] = e
		}
		return res, errors.Join(joined...)
	}
	return res, nil
}

// collectIDs records the value of every id="..." attribute in rendered HTML: the anchors
// links may point at. (A byte scan: this runs on every page of every build.)
func collectIDs(html []byte, ids map[string]bool) {
	for {
		i := bytes.Index(html, []byte(` id="`))
		if i < 0 {
			return
		}
		html = html[i+5:]
		j := bytes.IndexByte(html, '"')
		if j < 0 {
			return
		}
		ids[string(html[:j])] = true
		html = html[j:]
	}
}

// convert renders a page's Markdown and checks what its type requires.
func (s *Site) convert(p *Page, conv *markdown.Converter, ds *diags) {
	p.ids = map[string]bool{}
	if p.Source == "" {
		return
	}
	doc := conv.Convert(p.body(), markdown.Options{Number: p.Type == "terms", Resolve: s.resolver(p)})
	p.doc = doc
	p.Content = template.HTML(doc.HTML)
	p.Headings = doc.Headings
	collectIDs(doc.HTML, p.ids)
	for _, w := range doc.Warnings {
		ds.at(p.Source, p.src, p.bodyOff+w.Offset, true, "%s", w.Msg)
	}
	for _, e := range doc.Errors {
		ds.at(p.Source, p.src, p.bodyOff+e.Offset, false, "%s", e.Msg)
	}
	s.checkType(p, ds)
	doc.AST = nil // only the type checks read the syntax tree: let it go (most of a page's memory)
}

// parallel runs f on every item, on all cores.
func parallel[T any](items []T, f func(T)) {
	work := make(chan T)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				f(p)
			}
		}()
	}
	for _, it := range items {
		work <- it
	}
	close(work)
	wg.Wait()
}
