// Package site loads a source tree (content/, themes/, content/_site.yaml) and builds the
// whole static site in memory. Build is the one entry point: the build, check and serve
// commands, the tests and the benchmarks all call it. Data flows one way:
// load -> parse -> render -> minify; writing to disk is the caller's business.
package site

import (
	"bytes"
	"compress/gzip"
	"errors"
	"html/template"
	"io/fs"
	"regexp"
	"runtime"
	"sync"

	"affdocs/generator/markdown"
)

// Options are the build's switches, set by the command line.
type Options struct {
	LinksWarn bool // report broken links as warnings (the -links=warn flag)
	NoMinify  bool // write outputs as rendered, for debugging
	// SelfCheck supplies the compiled self-check WebAssembly module and the matching
	// wasm_exec.js. It is called only when the site has a self-check page. When it is nil,
	// or fails (the build then warns), those pages say the check is unavailable.
	SelfCheck func() (module, wasmExec []byte, err error)
}

// Result is a built site: every output file by its slash path, plus the warnings.
type Result struct {
	Files    map[string][]byte
	Warnings []*Diagnostic
	Site     *Site
}

// Build turns the source tree fsys into the files of the site. The error, when not nil,
// joins one *Diagnostic per problem, all problems of the build together.
func Build(fsys fs.FS, opt Options) (*Result, error) {
	ds := &diags{}
	s := Load(fsys, ds)
	conv := markdown.New(markdown.Config{UnsafeHTML: s.Config.UnsafeHTML})
	parallel(s.Pages, func(p *Page) { s.convert(p, conv, ds) })

	th, err := loadTheme(fsys, s.Config.Theme)
	if err != nil {
		ds.add(&Diagnostic{File: "themes/" + s.Config.Theme, Msg: err.Error()})
		return finish(nil, s, ds)
	}
	files := map[string][]byte{}
	var mu sync.Mutex
	put := func(name string, data []byte) {
		mu.Lock()
		files[name] = data
		mu.Unlock()
	}
	assets := th.copyStatic(fsys, s, put, ds)
	s.buildRules(ds, put)
	r := &renderer{site: s, theme: th, assets: assets}
	if s.hasType("selfcheck") {
		r.selfCheck = publishModule(opt.SelfCheck, put, assets, ds)
	}
	parallel(s.Pages, func(p *Page) {
		out, err := r.page(p)
		if err != nil {
			ds.add(&Diagnostic{File: th.sourceOf(p.Type), Msg: err.Error()})
			return
		}
		put(p.Path+"index.html", out)
	})
	r.extras(put, ds)

	s.checkLinks(files, ds, opt.LinksWarn || s.Config.Links == "warn")
	if !opt.NoMinify {
		minifyAll(files, ds)
	}
	return finish(files, s, ds)
}

// publishModule adds the self-check module, its loader and compressed copies for hosts that
// serve them. It reports whether the module is published.
func publishModule(get func() ([]byte, []byte, error), put func(string, []byte), assets map[string]string, ds *diags) bool {
	if get == nil { // not wanted, as by the check command
		return false
	}
	module, execJS, err := get()
	if err != nil {
		ds.add(&Diagnostic{File: "assets/selfcheck.wasm", Msg: "self-check module not built: " + err.Error(), Warning: true})
		return false
	}
	for name, data := range map[string][]byte{"assets/selfcheck.wasm": module, "assets/wasm_exec.js": execJS} {
		put(name, data)
		assets[name] = versioned(name, data)
	}
	put("assets/selfcheck.wasm.gz", gzipped(module))
	return true
}

// gzipped is data compressed with gzip at the best level, for hosts that serve .gz copies.
func gzipped(data []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
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

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

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
	for _, m := range idAttr.FindAllSubmatch(doc.HTML, -1) {
		p.ids[string(m[1])] = true
	}
	for _, w := range doc.Warnings {
		ds.at(p.Source, p.src, p.bodyOff+w.Offset, true, "%s", w.Msg)
	}
	for _, e := range doc.Errors {
		ds.at(p.Source, p.src, p.bodyOff+e.Offset, false, "%s", e.Msg)
	}
	s.checkType(p, ds)
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
