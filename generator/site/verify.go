package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"

	"affdocs/generator/store"
)

// The output check: after the build, every href, src and #fragment of every file that
// reached the Output (pages, redlines, change lists, compare, 404, redirects, feed,
// sitemap) must name a file of the output and, for a fragment, an id in it. It checks what
// was written, not what the build meant to write: a generated page with a wrong path
// fails the build like a broken link in the Markdown does (source links are checked with
// their positions by links.go; a broken one is not reported twice).
//
// A rebuild checks the files it wrote. The files it kept were checked when they were
// written, and stay right unless a file they may link to went away or lost an anchor:
// then every file is checked again, the kept ones read back from the output.

// outFile is one file of the output.
type outFile struct {
	sum     [32]byte
	ids     []string // anchors, for an HTML file: sorted, distinct
	links   []target // what it links to; nil until scanned
	scanned bool     // links is known
	written bool     // handed to Output.Write (else kept)
	page    bool     // a page's output
	from    string   // what made it, for messages: a source file, or "the generated sitemap"
	broken  bool     // the output check found problems in it
	idsSum  *store.Key
}

// idsKey is the hash of the file's anchors, computed once.
func (f *outFile) idsKey() store.Key {
	if f.idsSum == nil {
		k := idsKey(f.ids)
		f.idsSum = &k
	}
	return *f.idsSum
}

// target is a link resolved to an output file, and its fragment, both interned.
type target struct{ file, frag uint32 }

// emitPage hands a page's output to the output and returns its record.
func (b *builder) emitPage(from, name string, data []byte) *outFile {
	f := b.emitFile(from, name, data)
	f.page = true
	return f
}

// emitFile hands a finished file to the output, unless the output holds its bytes already,
// and records what the output check needs of it. from names its producer.
func (b *builder) emitFile(from, name string, data []byte) *outFile {
	f := b.scan(name, data)
	f.from = from
	if !b.keep(name, f) {
		if err := b.out.Write(name, data, f.sum); err != nil {
			b.ds.add(&Diagnostic{File: name, Msg: "write: " + err.Error()})
		}
		f.written = true
	}
	return f
}

// scan reads a file's anchors and links.
func (b *builder) scan(name string, data []byte) *outFile {
	f := &outFile{sum: sha256.Sum256(data), scanned: true}
	var links []string
	links, f.ids = scanLinks(name, data)
	f.links = b.resolveAll(name, links)
	return f
}

// scanLinks returns the link targets and ids of an HTML or XML file, unescaped.
func scanLinks(name string, data []byte) (links, ids []string) {
	switch path.Ext(name) {
	case ".html":
		attrs(data, func(attr, v string) {
			switch attr {
			case "href", "src":
				links = append(links, v)
			case "id":
				ids = append(ids, v)
			case "content": // a redirect page's refresh
				if _, u, ok := strings.Cut(v, "url="); ok && strings.HasPrefix(v, "0;") {
					links = append(links, strings.TrimSpace(u))
				}
			}
		})
	case ".xml":
		text := []byte(html.UnescapeString(string(data))) // the feed's entries hold escaped HTML
		attrs(text, func(attr, v string) {
			if attr == "href" {
				links = append(links, v)
			}
		})
		links = between(text, "<loc>", "</loc>", links)
	}
	slices.Sort(ids)
	return links, slices.Compact(ids)
}

// anchors is the ids of an HTML file, sorted and distinct: what links may point at.
func anchors(html []byte) []string {
	var ids []string
	attrs(html, func(attr, v string) {
		if attr == "id" {
			ids = append(ids, v)
		}
	})
	slices.Sort(ids)
	return slices.Compact(ids)
}

// attrs calls f with the name and unescaped value of every attribute written name="value"
// (as html/template and the minifier write them), in one pass over the file.
func attrs(data []byte, f func(attr, value string)) {
	for {
		i := bytes.Index(data, []byte(`="`))
		if i < 0 {
			return
		}
		j := i
		for j > 0 && (data[j-1] >= 'a' && data[j-1] <= 'z' || data[j-1] == '-') {
			j--
		}
		attr := data[j:i]
		data = data[i+2:]
		k := bytes.IndexByte(data, '"')
		if k < 0 {
			return
		}
		if j > 0 && data != nil && (len(attr) == 2 || len(attr) == 3 || len(attr) == 4 || len(attr) == 7) {
			switch string(attr) {
			case "href", "src", "id", "content":
				v := string(data[:k])
				if strings.IndexByte(v, '&') >= 0 {
					v = html.UnescapeString(v)
				}
				f(string(attr), v)
			}
		}
		data = data[k+1:]
	}
}

func between(data []byte, open, close string, out []string) []string {
	for {
		i := bytes.Index(data, []byte(open))
		if i < 0 {
			return out
		}
		data = data[i+len(open):]
		j := bytes.Index(data, []byte(close))
		if j < 0 {
			return out
		}
		out = append(out, strings.TrimSpace(string(data[:j])))
		data = data[j:]
	}
}

// interner numbers output names and fragments, so that a site's links take little memory.
type interner struct {
	mu    sync.Mutex
	ids   map[string]uint32
	names []string
}

func (in *interner) id(s string) uint32 {
	if i, ok := in.ids[s]; ok {
		return i
	}
	if in.ids == nil {
		in.ids = map[string]uint32{"": 0}
		in.names = []string{""}
		if s == "" {
			return 0
		}
	}
	in.ids[s] = uint32(len(in.names))
	in.names = append(in.names, s)
	return in.ids[s]
}

// resolveAll resolves a file's links to output names, skipping external ones.
func (b *builder) resolveAll(from string, links []string) []target {
	type pair struct{ file, frag string }
	var res []pair
	for _, l := range links {
		if file, frag, ok := b.resolve(from, l); ok {
			res = append(res, pair{file, frag})
		}
	}
	out := make([]target, 0, len(res))
	b.names.mu.Lock()
	for _, r := range res {
		out = append(out, target{b.names.id(r.file), b.names.id(r.frag)})
	}
	b.names.mu.Unlock()
	slices.SortFunc(out, func(x, y target) int {
		if x.file != y.file {
			return int(x.file) - int(y.file)
		}
		return int(x.frag) - int(y.frag)
	})
	return slices.Compact(out)
}

// resolve turns a link of the output file from into the output name it points at, and
// its fragment; ok is false for a link outside the site.
func (b *builder) resolve(from, link string) (file, frag string, ok bool) {
	rooted := false
	switch base := b.cfg.BaseURL; {
	case link == "" || strings.HasPrefix(link, "//"):
		return "", "", false
	case base != "" && strings.HasPrefix(link, base):
		link, rooted = link[len(base):], true
	case strings.HasPrefix(link, "urn:affdocs:"):
		link, rooted = strings.TrimPrefix(link, "urn:affdocs:"), true
	case isExternal(link):
		return "", "", false
	case strings.HasPrefix(link, "/"): // from the host's root: the baseURL's path is the site's
		bp := basePath(base)
		if !strings.HasPrefix(link, bp) {
			return "", "", false
		}
		link, rooted = link[len(bp):], true
	}
	link, frag, _ = strings.Cut(link, "#")
	link, _, _ = strings.Cut(link, "?")
	if strings.IndexByte(link, '%') >= 0 {
		if u, err := url.PathUnescape(link); err == nil {
			link = u
		}
	}
	dir := path.Dir(from)
	if rooted {
		dir = "."
	}
	if link == "" {
		if rooted {
			return "index.html", frag, true
		}
		return from, frag, true
	}
	file = join(dir, link)
	if strings.HasSuffix(link, "/") || file == "." {
		file = strings.TrimPrefix(strings.TrimSuffix(file, "/")+"/index.html", "./")
	}
	return file, frag, true
}

// join is path.Join for a folder and a relative link, without path.Clean's allocations
// for the links a site is made of ("../../a/b/index.html").
func join(dir, rel string) string {
	for strings.HasPrefix(rel, "../") {
		rel = rel[3:]
		if dir == "." || dir == "" {
			return "../" + rel // outside the site: never an output file
		}
		if i := strings.LastIndexByte(dir, '/'); i >= 0 {
			dir = dir[:i]
		} else {
			dir = "."
		}
	}
	if strings.Contains(rel, "./") || rel == ".." || rel == "." {
		return path.Join(dir, rel)
	}
	if dir == "." {
		return rel
	}
	return dir + "/" + rel
}

// verify runs the output check.
func (b *builder) verify() {
	b.mu.Lock()
	defer b.mu.Unlock()
	prev := b.loadIndex()
	all := prev == nil
	for name, p := range prev {
		f := b.files[name]
		if f == nil || p.ids != f.idsKey() || p.broken {
			all = true
			break
		}
	}
	exists := make(map[uint32]*outFile, len(b.files))
	b.names.mu.Lock()
	for name, f := range b.files {
		exists[b.names.id(name)] = f
	}
	b.names.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(b.files)) {
		f := b.files[name]
		if !f.scanned {
			if !all {
				continue
			}
			data, err := b.out.Read(name)
			if err != nil {
				b.ds.add(&Diagnostic{File: name, Msg: "read back: " + err.Error()})
				continue
			}
			g := b.scan(name, data)
			f.links, f.scanned = g.links, true
		}
		var problems []string
		for _, t := range f.links {
			file, frag := b.names.names[t.file], b.names.names[t.frag] // no writers now
			tf := exists[t.file]
			switch {
			case b.brokenSource[file] || b.brokenSource[file+"#"+frag]:
				continue // reported at its source
			case tf == nil:
				problems = append(problems, fmt.Sprintf("links to %s, which the build did not write", file))
			case frag != "" && path.Ext(file) == ".html":
				if !hasID(tf.ids, frag) {
					problems = append(problems, fmt.Sprintf("links to %s#%s, which has no such anchor", file, frag))
				}
			}
		}
		f.broken = len(problems) > 0
		for _, msg := range problems {
			b.ds.add(&Diagnostic{File: "(output) " + name, Msg: msg, Warning: b.warn})
		}
	}
}

// indexEntry is what the next build needs of a file of this one for the output check.
type indexEntry struct {
	ids    store.Key // of its anchors
	broken bool      // it had output-check problems (warnings)
}

func (b *builder) indexKey() store.Key {
	return store.NewKey("output index").Str(b.opt.Salt).Str(b.out.ID()).Sum()
}

func idsKey(ids []string) store.Key {
	return store.NewKey("ids").Str(strings.Join(ids, "\x00")).Sum()
}

// loadIndex is the last successful build's index of this output, nil when unknown.
func (b *builder) loadIndex() map[string]indexEntry {
	data, ok := b.st.Get(b.indexKey())
	if !ok {
		return nil
	}
	d := store.NewDec(data)
	m := map[string]indexEntry{}
	for range d.Len() {
		m[d.Str()] = indexEntry{d.Key(), d.Bool()}
	}
	if d.Err != nil {
		return nil
	}
	return m
}

// saveIndex records this build's output for the next build's output check.
func (b *builder) saveIndex() {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := store.NewEnc().Int(len(b.files))
	for _, name := range slices.Sorted(maps.Keys(b.files)) {
		f := b.files[name]
		e.Str(name).Key(f.idsKey()).Bool(f.broken)
	}
	b.st.Put(b.indexKey(), e.Bytes())
}

// hasID reports whether a browser scrolls to the fragment frag in a page with these ids
// (sorted): the element whose id is frag, or else the one whose id is frag percent-decoded
// (#%C3%A9 finds id="é"), as the HTML standard says.
func hasID(ids []string, frag string) bool {
	if _, ok := slices.BinarySearch(ids, frag); ok {
		return true
	}
	if strings.IndexByte(frag, '%') < 0 {
		return false
	}
	u, err := url.PathUnescape(frag)
	if err != nil || u == frag {
		return false
	}
	_, ok := slices.BinarySearch(ids, u)
	return ok
}
