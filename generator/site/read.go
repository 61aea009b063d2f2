package site

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"time"

	"affdocs/generator/source"
	"affdocs/generator/store"
)

// The read stage: a page's file, from its bytes to its front matter. Two stored results
// spare a rebuild reading and parsing every file again:
//
//   - the hash of a file's bytes, under the hash of its path and what the file system says
//     of it (size, modification time and, where the system has them, inode and change
//     time), as Go's build cache and git's index trust a file's stat. It is stored only
//     for a file last modified more than two seconds before the build began, so that an
//     edit in the same clock tick as the read is never taken for the file read.
//   - the page's front matter (the fields every page has, its problems and its raw text),
//     under the hash of the file's bytes. A page whose front matter later stages place
//     problems at (aliases, a screening block) is parsed again instead.

// settle is how long after its last modification a file's stat is trusted.
const settle = 2 * time.Second

// keepFiles is how many bytes of the files read to load the index are kept for their pages'
// conversion, which would otherwise read them again (a tenth of a cold build's reading and
// hashing): all of a 10,000-page site's, and the first 64 MB of a larger one's, so that
// memory does not grow with the site for it.
const keepFiles = 64 << 20

// loadPage gives a page of the index its front matter and the hash of its file.
func (b *builder) loadPage(p *Page, d fs.DirEntry) {
	var statKey store.Key
	fi, err := d.Info()
	stable := err == nil && fi.Mode().IsRegular() && fi.ModTime().Before(b.start.Add(-settle))
	if stable {
		statKey = store.NewKey("stat").Str(b.opt.Salt).Str(p.Source).Int(int(fi.Size())).
			Int(int(fi.ModTime().UnixNano())).Str(fi.Mode().String()).Str(statStamp(fi)).Sum()
		if sum, ok := b.st.Get(statKey); ok && len(sum) == len(p.sum) {
			copy(p.sum[:], sum)
			if b.restoreFront(p) {
				return
			}
		}
	}
	data, err := source.ReadFile(b.fsys, p.Source, MaxPageSize)
	if err != nil {
		msg := readProblem(err)
		if tb := (*source.TooBig)(nil); errors.As(err, &tb) {
			msg += ": split it into several pages"
		}
		b.ds.add(&Diagnostic{File: p.Source, Msg: msg})
		return
	}
	p.sum = sha256.Sum256(data)
	if stable {
		b.st.Put(statKey, p.sum[:])
	}
	ds := &diags{}
	p.src = data
	p.parseFrontMatter(ds)
	p.src = bytes.Clone(data[:min(p.bodyOff, len(data))])
	if b.kept.Add(int64(len(data))) <= keepFiles {
		p.file = data
	}
	b.ds.addAll(ds.list)
	if p.fields["aliases"] == nil && p.fields["redirect_from"] == nil && p.fields["screening"] == nil {
		b.st.Put(b.frontKey(p), encodeFront(p, ds.list))
		// Only aliases and the screening block are placed by later stages: let the syntax
		// tree and the decoded fields go (params decodes them again for a layout that asks).
		p.front, p.fields, p.Params = nil, nil, nil
	}
}

func (b *builder) frontKey(p *Page) store.Key {
	return store.NewKey("front").Str(b.opt.Salt).Str(p.Source).Key(p.sum).Sum()
}

// restoreFront fills in a page's front matter from the store.
func (b *builder) restoreFront(p *Page) bool {
	v, ok := b.st.Value(b.frontKey(p), decodeFront)
	if !ok {
		return false
	}
	e := v.(*Page) // the fields encodeFront keeps, shared: copied, never changed
	p.src, p.bodyOff = e.src, e.bodyOff
	p.Title, p.LinkTitle, p.Description, p.Program = e.Title, e.LinkTitle, e.Description, e.Program
	p.Effective, p.Updated, p.Type, p.explicit, p.Weight = e.Effective, e.Updated, e.Type, e.explicit, e.Weight
	b.ds.addAll(e.facts.diags)
	return true
}

func decodeFront(data []byte) (any, error) {
	d := store.NewDec(data)
	e := &Page{facts: &facts{}}
	e.src = bytes.Clone(d.Raw())
	e.bodyOff = d.Int()
	e.Title, e.LinkTitle, e.Description, e.Program = d.Str(), d.Str(), d.Str(), d.Str()
	e.Effective, e.Updated, e.Type, e.explicit, e.Weight = d.Str(), d.Str(), d.Str(), d.Bool(), d.Int()
	for range d.Len() {
		e.facts.diags = append(e.facts.diags, &Diagnostic{File: d.Str(), Line: d.Int(), Col: d.Int(), Msg: d.Str(), Warning: d.Bool()})
	}
	return e, d.Err
}

func encodeFront(p *Page, list []*Diagnostic) []byte {
	e := store.NewEnc().Raw(p.src).Int(p.bodyOff)
	e.Str(p.Title).Str(p.LinkTitle).Str(p.Description).Str(p.Program)
	e.Str(p.Effective).Str(p.Updated).Str(p.Type).Bool(p.explicit).Int(p.Weight)
	e.Int(len(list))
	for _, d := range list {
		e.Str(d.File).Int(d.Line).Int(d.Col).Str(d.Msg).Bool(d.Warning)
	}
	return e.Bytes()
}
