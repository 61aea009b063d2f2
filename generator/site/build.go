// Package site builds a static site from a source tree (content/, themes/,
// content/_site.yaml). Build is the one pipeline: the build, check, serve and version
// commands, the tests and the benchmarks all call it, and it reads top-down:
//
//  1. load (load.go, read.go, page.go): the configuration, the theme (theme.go), the
//     editions, and every tree's page index: each page's place and front matter;
//  2. for each page of each published tree, as one stream on all cores: convert its
//     Markdown and check what its type requires (convert.go, types.go), render it with the
//     theme (renderstage.go, render.go), minify it (minify.go) and hand it to the Output;
//  3. the site-wide files: redlines and change lists (editions.go), redirects, 404,
//     sitemap, feed (extras.go);
//  4. check: every source link of every tree, the draft included (links.go), and every
//     href, src and #fragment of every file that reached the Output (verify.go).
//
// Each stage is a function of one input value, and its result is kept in a store.Store
// under the hash of that value, so a rebuild redoes only what changed. Rendering records
// what each page read of the site (refs.go): a stored page is reused only when nothing it
// read changed, however its layout reached it. The Output keeps a file whose bytes did not
// change, so a rebuild writes only what changed. Problems are Diagnostics with positions
// (diag.go), all of a build's together.
package site

import (
	"errors"
	"io/fs"
	"path"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"affdocs/generator/markdown"
	"affdocs/generator/store"
	"affdocs/generator/toolchain"
	"affdocs/generator/versions"
)

// Options are the build's switches, set by the command line.
type Options struct {
	LinksWarn bool // report broken links as warnings (the -links=warn flag)
	NoMinify  bool // write outputs as rendered, for debugging
	Draft     bool // publish the working draft at the unversioned paths (serve's preview)
	// Today decides which edition is current (the newest in effect); zero means now.
	Today time.Time
	// Store keeps the stages' results between builds; nil keeps them for this build only.
	Store *store.Store
	// Salt identifies the generator (the shell passes a hash of its executable). It is
	// part of every key, so a new generator never reuses an old generator's results.
	Salt string
	// SelfCheck supplies the compiled self-check WebAssembly module and the matching
	// wasm_exec.js. It is called only when the site has a self-check page. When it is nil,
	// or fails (the build then warns), those pages say the check is unavailable.
	SelfCheck func() (*toolchain.Module, error)
	// Output receives the files, from any goroutine; nil keeps them in Result.Files.
	Output Output
}

// Result is a built site.
type Result struct {
	Files    map[string][]byte // every output file, when Options.Output was nil
	Warnings []*Diagnostic
	Site     *Site // the tree published at the unversioned paths
	Stats    Stats
}

// Stats count a build's work; every file count is of what reached the Output.
type Stats struct {
	Files         int // in the output: written and kept
	Written, Kept int // files handed to Output.Write; files Output.Has kept
	Pages         int // page outputs, in every tree
	Rendered      int // pages rendered anew (the others were reused)
	Converted     int // Markdown conversions done anew (the others were reused)
}

// Build turns the source tree fsys into the files of the site. The error, when not nil,
// joins one *Diagnostic per problem, all problems of the build together.
//
// Without editions the draft (content/) is the site. With editions, the current edition is
// published at the unversioned paths and at v/latest/, every edition at v/<ID>/, with
// redlines between consecutive editions and against the current one; the draft is checked
// but only published with Options.Draft (the serve preview).
func Build(fsys fs.FS, opt Options) (*Result, error) {
	b, err := newBuilder(fsys, opt)
	if err != nil {
		return b.finish(nil)
	}
	draft := b.loadTree(b.contentDir)
	var root *tree // published at the unversioned paths
	if len(b.set.list) == 0 || opt.Draft {
		root = &tree{site: draft, draft: len(b.set.list) > 0, release: true}
	}
	b.copyStatic()
	b.publishModule(draft)
	if root != nil {
		b.publish(root)
	} else {
		parallel(draft.Pages, func(p *Page) { b.ensureFacts(draft, p) }) // checked, not published
	}
	for _, ed := range b.set.list {
		s := b.edition(ed)
		if ed.Status == versions.Current {
			if root == nil {
				root = &tree{site: s, ed: ed}
				b.publish(root)
			}
			b.publish(&tree{site: s, prefix: "v/latest/", ed: ed})
		}
		b.publish(&tree{site: s, prefix: ed.Path, ed: ed})
		b.editionChanges(ed)
	}
	b.compareIndex()
	b.extras(root)
	b.checkLinks(draft)
	for _, ed := range b.set.list {
		b.checkLinks(b.trees[ed.ID])
	}
	b.verify()
	return b.finish(root.site)
}

// builder holds what every tree of one build shares.
type builder struct {
	start      time.Time
	fsys       fs.FS
	opt        Options
	ds         *diags
	st         *store.Store
	out        Output
	mem        *MemOutput // out, when the build keeps its files
	contentDir string
	theme      *theme
	cfg        Config
	conv       *markdown.Converter
	assets     map[string]string // theme file -> its versioned URL
	set        *editionSet
	trees      map[string]*Site     // loaded editions, by ID
	generated  map[string]*renderer // the renderer of generated pages, by prefix (redlines.go)
	selfCheck  bool
	warn       bool // broken links are warnings

	mu           sync.Mutex
	files        map[string]*outFile // every file of the output, by name
	names        interner            // output names and fragments the files link to
	brokenSource map[string]bool     // output names (and name#fragment) of broken source links
	stats        struct{ rendered, converted atomic.Int64 }
	kept         atomic.Int64 // bytes of files kept from loading to conversion (read.go)
}

// tree is one loaded source tree published under a prefix: the draft at "", an edition at
// v/<ID>/, the current edition also at "" and v/latest/.
type tree struct {
	site   *Site
	prefix string
	ed     *versions.Edition // nil for the draft
	draft  bool              // show the draft-preview banner
	// release: the tree is published under this prefix only, so each page's text is let
	// go once its output is written (memory then holds the page index, not the site).
	release bool
}

func newBuilder(fsys fs.FS, opt Options) (*builder, error) {
	b := &builder{start: time.Now(), fsys: fsys, opt: opt, ds: &diags{}, st: opt.Store, out: opt.Output, trees: map[string]*Site{}, generated: map[string]*renderer{}, files: map[string]*outFile{}}
	if b.st == nil {
		b.st = store.Memory()
	}
	if b.out == nil {
		b.mem = &MemOutput{}
		b.out = b.mem
	}
	b.contentDir = ContentDir(fsys)
	b.cfg = LoadConfig(fsys, b.contentDir, b.ds)
	b.warn = opt.LinksWarn || b.cfg.Links == "warn"
	th, err := loadTheme(fsys, b.cfg.Theme)
	if err != nil {
		var d *Diagnostic // a template that does not parse is placed at its line
		if !errors.As(err, &d) {
			d = &Diagnostic{File: "themes/" + b.cfg.Theme, Msg: err.Error()}
		}
		b.ds.add(d)
		return b, err
	}
	b.theme = th
	eds, problems := versions.Load(fsys, b.contentDir, b.today())
	for _, p := range problems {
		b.ds.add(&Diagnostic{File: p.File, Line: p.Line, Col: p.Col, Msg: p.Msg})
	}
	b.set = newEditionSet(eds)
	b.conv = markdown.New(markdown.Config{UnsafeHTML: b.cfg.UnsafeHTML})
	return b, nil
}

// loadTree loads one source tree's page index.
func (b *builder) loadTree(dir string) *Site {
	s := b.load(dir)
	s.fingerprint(b.opt.Salt)
	return s
}

// edition loads an edition's tree once.
func (b *builder) edition(ed *versions.Edition) *Site {
	if s, ok := b.trees[ed.ID]; ok {
		return s
	}
	s := b.loadTree(ed.Dir)
	delete(s.Static, versions.MetaFile)
	if !ed.Recorded {
		b.ds.add(&Diagnostic{File: path.Join(ed.Dir, versions.MetaFile), Warning: true, Msg: "this edition records no hashes of its files (it was cut by an older generator), so an edit to them cannot be detected: " +
			"check its files against what was published, then record them with: generator version record " + ed.ID})
	}
	b.trees[ed.ID] = s
	return s
}

// publish renders a tree's static files, screening rules and pages under its prefix.
func (b *builder) publish(t *tree) {
	s := t.site
	s.prefixes = append(s.prefixes, t.prefix)
	for out, src := range s.Static {
		data, err := fs.ReadFile(b.fsys, src)
		if err != nil {
			b.ds.add(&Diagnostic{File: src, Msg: readProblem(err)})
			continue
		}
		b.put(src, t.prefix+out, data)
	}
	edition := ""
	if t.ed != nil {
		edition = t.ed.ID
	}
	// The screening rules come first: the self-check pages show them.
	parallel(s.Pages, func(p *Page) {
		if p.Type == "rejections" {
			b.ensureFacts(s, p)
		}
	})
	r := b.renderer(t, s.buildRules(b.ds, t.prefix, edition, b.putter("the screening rules")))
	parallel(s.Pages, func(p *Page) {
		b.renderPage(r, p, t.prefix+p.Path+"index.html")
		b.ensureFacts(s, p) // for the link check, when the page was reused
		if t.release {
			p.release()
		}
	})
}

// publishModule adds the self-check module, its loader and compressed copies for hosts that
// serve them. Editions are copies of some draft, so a versioned site always publishes it.
func (b *builder) publishModule(draft *Site) {
	if b.opt.SelfCheck == nil || !(draft.hasType("selfcheck") || len(b.set.list) > 0) {
		return
	}
	m, err := b.opt.SelfCheck()
	if err != nil {
		b.ds.add(&Diagnostic{File: "assets/selfcheck.wasm", Msg: "self-check module not built: " + err.Error(), Warning: true})
		return
	}
	b.selfCheck = true
	for name, data := range map[string][]byte{"assets/selfcheck.wasm": m.Wasm, "assets/wasm_exec.js": m.WasmExec} {
		b.put("the self-check module", name, data)
		b.assets[name] = versioned(name, data)
	}
	if m.WasmGzip != nil {
		b.emitFile("the self-check module", "assets/selfcheck.wasm.gz", m.WasmGzip)
	}
	if m.WasmBrotli != nil {
		b.emitFile("the self-check module", "assets/selfcheck.wasm.br", m.WasmBrotli)
	}
}

// copyStatic publishes the theme's static/ folder at the site root, each file's URL
// versioned by its content.
func (b *builder) copyStatic() {
	b.assets = map[string]string{}
	for _, f := range b.theme.static() {
		b.put(f.label, f.name, f.data)
		b.assets[f.name] = versioned(f.name, f.data)
	}
}

func (b *builder) finish(root *Site) (*Result, error) {
	errs, warns := b.ds.split()
	res := &Result{Warnings: warns, Site: root}
	b.mu.Lock()
	res.Stats.Files = len(b.files)
	for _, f := range b.files {
		if f.written {
			res.Stats.Written++
		} else {
			res.Stats.Kept++
		}
		if f.page {
			res.Stats.Pages++
		}
	}
	b.mu.Unlock()
	res.Stats.Rendered = int(b.stats.rendered.Load())
	res.Stats.Converted = int(b.stats.converted.Load())
	if len(errs) > 0 {
		joined := make([]error, len(errs))
		for i, e := range errs {
			joined[i] = e
		}
		return res, errors.Join(joined...)
	}
	b.saveIndex()
	if b.mem != nil {
		res.Files = b.mem.Files
	}
	return res, nil
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
