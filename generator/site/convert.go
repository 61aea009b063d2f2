package site

import (
	"crypto/sha256"
	"errors"
	"html/template"
	"io/fs"
	"slices"

	"affdocs/generator/markdown"
	"affdocs/generator/store"
)

// facts are what a page's conversion leaves for the rest of the build once its HTML is
// written: its problems, anchors, internal links and, on a rejections page, the documented
// screening rules. They are stored under the conversion's key (the page's contentFP), so
// a page that is not rendered again is not converted again to check links to and from it.
type facts struct {
	diags   []*Diagnostic
	ids     []string // sorted: a site's pages keep these until the links are checked
	links   []pageLink
	reasons []reason
}

// pageLink is an internal link of a page, with its position in the source file.
type pageLink struct {
	Dest, Page, Anchor string
	Line, Col          int
}

// reason is one section of a rejections page: a screening rule's documentation.
type reason struct {
	ID, Title, Fix string
	Line, Col      int // of its heading
	off            int // of its heading in the body, while converting
}

// ensureFacts gives p its facts: from the store when its conversion is stored, else by
// converting it. The conversion's problems are reported here, once per page and build.
func (b *builder) ensureFacts(s *Site, p *Page) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.facts != nil {
		return
	}
	if p.Source == "" {
		p.facts = &facts{}
		return
	}
	if v, ok := b.st.Value(p.contentFP, func(data []byte) (any, error) { return decodeFacts(data) }); ok {
		p.facts = v.(*facts)
		b.ds.addAll(p.facts.diags)
		return
	}
	b.convertLocked(s, p)
}

// convert converts a page's Markdown, checks what its type requires and stores its facts.
// It reports whether the page has its Content (its file could be read as loaded).
func (b *builder) convert(s *Site, p *Page) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return b.convertLocked(s, p)
}

func (b *builder) convertLocked(s *Site, p *Page) bool {
	if p.converted || p.Source == "" {
		return true
	}
	data, err := p.file, error(nil)
	p.file = nil
	if data == nil {
		data, err = fs.ReadFile(b.fsys, p.Source)
		if err == nil && sha256.Sum256(data) != p.sum {
			err = errors.New("changed while the site was building; build again")
		}
	}
	if err != nil {
		b.ds.add(&Diagnostic{File: p.Source, Msg: readProblem(err)})
		return false
	}
	b.stats.converted.Add(1)
	body := data[p.bodyOff:]
	doc := b.conv.Convert(body, markdown.Options{Number: p.Type == "terms", Resolve: s.resolver(p),
		Value: func(name string) (string, error) { return s.valueText(p, name) }})
	if !b.opt.NoMinify {
		// Minified here, once: the page's layouts are minified once for every page (see
		// renderer.page).
		// HTML the converter wrote all of only needs the line breaks between its blocks taken
		// out; an author's raw HTML goes through the minifier.
		if !doc.RawHTML {
			doc.HTML = compactHTML(doc.HTML)
		} else if html, err := minifier.Bytes("text/html", doc.HTML); err == nil {
			doc.HTML = html
		}
	}
	ds := &diags{}
	at := func(off int) (int, int) { return position(data, p.bodyOff+off) }
	for _, w := range doc.Warnings {
		ds.at(p.Source, data, p.bodyOff+w.Offset, true, "%s", w.Msg)
	}
	for _, e := range doc.Errors {
		ds.at(p.Source, data, p.bodyOff+e.Offset, false, "%s", e.Msg)
	}
	f := &facts{ids: anchors(doc.HTML)}
	for _, l := range doc.Links {
		line, col := at(l.Offset)
		f.links = append(f.links, pageLink{l.Dest, l.Page, l.Anchor, line, col})
	}
	if refused := len(doc.Errors) > 0 && doc.AST.ChildCount() == 0; !refused { // over a limit: one error is enough
		f.reasons = checkType(p, doc, body, func(off int, warning bool, format string, args ...any) {
			ds.at(p.Source, data, p.bodyOff+off, warning, format, args...)
		}, ds)
	}
	for i := range f.reasons {
		f.reasons[i].Line, f.reasons[i].Col = at(f.reasons[i].off)
	}
	f.diags = ds.list
	if p.facts == nil {
		b.ds.addAll(f.diags)
	}
	p.facts = f
	p.Content, p.Headings, p.converted = template.HTML(doc.HTML), doc.Headings, true
	b.st.Put(p.contentFP, encodeFacts(f))
	// A link without an anchor to a page or file of the index is right: only the others
	// are kept for checkLinks, which needs every page's anchors and every generated file.
	f.links = slices.DeleteFunc(f.links, func(l pageLink) bool {
		_, ok := s.indexed(l.Page)
		return ok && l.Anchor == ""
	})
	return true
}

// hasID reports whether the page's text has the anchor id.
func (f *facts) hasID(id string) bool {
	_, ok := slices.BinarySearch(f.ids, id)
	return ok
}

// release lets go of a page's text once it is rendered for the last time.
func (p *Page) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Content, p.Headings, p.converted = "", nil, false
}

func encodeFacts(f *facts) []byte {
	e := store.NewEnc().Int(len(f.diags))
	for _, d := range f.diags {
		e.Str(d.File).Int(d.Line).Int(d.Col).Str(d.Msg).Bool(d.Warning)
	}
	e.Int(len(f.ids))
	for _, id := range f.ids {
		e.Str(id)
	}
	e.Int(len(f.links))
	for _, l := range f.links {
		e.Str(l.Dest).Str(l.Page).Str(l.Anchor).Int(l.Line).Int(l.Col)
	}
	e.Int(len(f.reasons))
	for _, r := range f.reasons {
		e.Str(r.ID).Str(r.Title).Str(r.Fix).Int(r.Line).Int(r.Col)
	}
	return e.Bytes()
}

func decodeFacts(data []byte) (*facts, error) {
	d := store.NewDec(data)
	f := &facts{}
	for range d.Len() {
		f.diags = append(f.diags, &Diagnostic{File: d.Str(), Line: d.Int(), Col: d.Int(), Msg: d.Str(), Warning: d.Bool()})
	}
	for range d.Len() {
		f.ids = append(f.ids, d.Str())
	}
	for range d.Len() {
		f.links = append(f.links, pageLink{d.Str(), d.Str(), d.Str(), d.Int(), d.Int()})
	}
	for range d.Len() {
		f.reasons = append(f.reasons, reason{ID: d.Str(), Title: d.Str(), Fix: d.Str(), Line: d.Int(), Col: d.Int()})
	}
	return f, d.Err
}
