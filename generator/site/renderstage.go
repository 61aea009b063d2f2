package site

import (
	"encoding/json"
	"maps"
	"slices"

	"affdocs/generator/store"
	"affdocs/generator/versions"
)

// renderKey hashes everything every page of a renderer may show that pageRef does not
// record: the generator, the theme's files, the configuration, the assets' versions, the
// build switches, where the tree is published and every edition's metadata and source hash
// (the switcher, banners and canonical links show them).
func (b *builder) renderKey(r *renderer) store.Key {
	cfg, _ := json.Marshal(b.cfg)
	k := store.NewKey("render").Str(b.opt.Salt).Str(b.theme.hash).Raw(cfg).Str(CSP).
		Bool(b.opt.NoMinify).Bool(r.selfCheck).Str(r.site.ContentDir).Str(r.prefix).Bool(r.draft).
		Str(editionFields(r.ed))
	for _, name := range slices.Sorted(maps.Keys(r.assets)) {
		k.Str(name).Str(r.assets[name])
	}
	for _, e := range b.set.list {
		k.Str(editionFields(e))
	}
	return k.Sum()
}

// editionFields is what pages show of an edition (its Hash covers its files).
func editionFields(e *versions.Edition) string {
	if e == nil {
		return ""
	}
	return e.ID + "\x00" + e.Label + "\x00" + e.Effective + "\x00" + e.Status + "\x00" + e.Path + "\x00" + e.Hash
}

// from names what made a page, for messages.
func (p *Page) from() string {
	if p.Source != "" {
		return p.Source
	}
	return "the generated page " + p.out
}

// rendered is a stored page output: its bytes' hash and anchors, and the stored list of
// what its render read.
type rendered struct {
	sum    [32]byte
	ids    []string
	idsSum store.Key
	deps   store.Key
}

// renderPage makes the output file name of page p. The render is stored under the hash of
// the renderer's key, the file name and the page's own fingerprints; a stored render is
// reused, without converting or rendering the page, when everything else it read is as
// it was and the output still holds its bytes.
func (b *builder) renderPage(r *renderer, p *Page, name string) {
	key := store.NewKey("page").Key(r.global).Str(name).Key(p.metaFP).Key(p.contentFP).Sum()
	if v, ok := b.st.Value(key, func(data []byte) (any, error) { return decodeRendered(data) }); ok {
		if e := v.(*rendered); r.unchanged(b.st, e.deps) && b.keep(name, &outFile{sum: e.sum, ids: e.ids, idsSum: &e.idsSum, page: true, from: p.from()}) {
			return
		}
	}
	if !b.convert(r.site, p) {
		return
	}
	rec := recorder{}
	out, minified, err := r.page(p, rec)
	if err != nil {
		b.ds.add(&Diagnostic{File: b.theme.sourceOf(p.Type), Msg: err.Error()})
		return
	}
	b.stats.rendered.Add(1)
	if !b.opt.NoMinify && !minified {
		if out, err = minifyFile(name, out); err != nil {
			b.ds.add(&Diagnostic{File: name, Msg: "minify: " + err.Error()})
		}
	}
	f := b.emitPage(p.from(), name, out)
	deps := encodeDeps(rec.deps(p.Path))
	dk := store.NewKey("deps").Raw(deps).Sum()
	b.st.Put(dk, deps)
	r.verified.Store(dk, true)
	b.st.Put(key, encodeRendered(&rendered{f.sum, f.ids, f.idsKey(), dk}))
}

func encodeRendered(e *rendered) []byte {
	enc := store.NewEnc().Key(e.sum).Key(e.deps).Key(e.idsSum).Int(len(e.ids))
	for _, id := range e.ids {
		enc.Str(id)
	}
	return enc.Bytes()
}

func decodeRendered(data []byte) (*rendered, error) {
	d := store.NewDec(data)
	e := &rendered{sum: d.Key(), deps: d.Key(), idsSum: d.Key()}
	n := d.Len()
	e.ids = make([]string, n)
	for i := range n {
		e.ids[i] = d.Str()
	}
	return e, d.Err
}
