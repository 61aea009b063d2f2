package site

import (
	"bytes"
	"fmt"
	"html/template"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"affdocs/generator/markdown"
	"affdocs/generator/store"
	"affdocs/generator/versions/yamlfile"
	"github.com/goccy/go-yaml/ast"
)

// Config is the site configuration, content/_site.yaml. The zero value builds a site.
type Config struct {
	Title       string         `yaml:"title"`
	Description string         `yaml:"description"`
	BaseURL     string         `yaml:"baseURL"`  // canonical links, sitemap and feeds only
	Language    string         `yaml:"language"` // html lang, default "en"
	Theme       string         `yaml:"theme"`    // themes/<name>, default "default"
	UnsafeHTML  bool           `yaml:"unsafeHTML"`
	Links       string         `yaml:"links"` // "error" (default) or "warn"
	Params      map[string]any `yaml:"params"`
}

// ConfigFile is where a site keeps its configuration, relative to the content folder.
const ConfigFile = "_site.yaml"

// pageTypes are the content types a page may declare, each with its layout
// layouts/<type>.html; generatedTypes are the layouts of the pages the build makes itself.
var (
	pageTypes      = []string{"home", "overview", "terms", "requirements", "rejections", "checklist", "steps", "selfcheck", "page"}
	generatedTypes = []string{"404", "changes", "compare"}
)

// Page is one Markdown file (or a generated section page) and everything derived from it.
type Page struct {
	Source    string // slash path in the site source, "content/a/b.md"; "" if generated
	Path      string // site path, "a/b/"; "" for the home page
	Section   string // site path of the section holding it, "a/"; "" for top level
	IsSection bool

	Title       string
	LinkTitle   string // a short title for navigation (front matter linkTitle, as in Hugo)
	Description string
	Type        string
	Program     string
	Weight      int
	Effective   string // YYYY-MM-DD
	Updated     string // YYYY-MM-DD
	Aliases     []string
	Params      map[string]any // the whole front matter, unknown keys included

	Content  template.HTML
	Headings []markdown.Heading
	Parent   *Page
	Pages    []*Page // a section's pages and subsections, ordered
	index    int     // its place in its parent's Pages

	out      string              // full output path of a generated page (redlines), else prefix + Path
	diff     *editionDiff        // changes pages: the edition comparison shown
	change   *pageChange         // a page's redline: its clause summary
	pairs    []*editionDiff      // the compare page: every pre-generated pair
	src      []byte              // the front matter (the body is read again when converted, unless kept in file)
	file     []byte              // the whole file as loaded, kept for its conversion (read.go)
	bodyOff  int                 // where the Markdown body starts in the file
	sum      store.Key           // SHA-256 of the whole file as loaded
	front    *yamlfile.Doc       // the parsed front matter, for positions
	fields   map[string]ast.Node // its top-level values, by key
	explicit bool                // Type was set in front matter
	values   valueMap            // its values: block (values.go)

	// Fingerprints of what layouts may read (refs.go), of the values its text may insert
	// besides its own (values.go), and what conversion found.
	metaFP, kidsFP, contentFP, valuesFP store.Key
	// mu guards the conversion: a page may be converted for its own render and read by
	// another page's layout at once.
	mu         sync.Mutex
	paramsOnce sync.Once
	facts      *facts // set once the page is converted or its facts restored
	converted  bool   // Content and Headings are set
}

// params is Params, decoded from the front matter when the page was restored from the
// store without it (read.go).
func (p *Page) params() map[string]any {
	p.paramsOnce.Do(func() {
		if p.Params != nil {
			return
		}
		q := &Page{Source: p.Source, src: p.src}
		q.parseFrontMatter(&diags{})
		p.Params = q.Params
	})
	return p.Params
}

// IsHome reports whether p is the site's home page.
func (p *Page) IsHome() bool { return p.Path == "" }

// MaxPageSize is the largest Markdown file a build reads, 2 MiB (the longest policy of
// the site-policy corpus is about 100 kB): a larger file is an error at the file, found
// from its size before it is read.
const MaxPageSize = markdown.MaxPageBytes

const bom = "\uFEFF"

// checkText reports a file that is not UTF-8 text, at its first bad byte.
func checkText(file string, src []byte, ds *diags) bool {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		ds.add(&Diagnostic{File: file, Line: 1, Col: 1, Msg: "this file is saved as UTF-16: save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)"})
		return false
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		ds.at(file, src, i, false, "this is not a text file (it holds a zero byte here): a page must be Markdown text saved as UTF-8; move other files out of the .md name")
		return false
	}
	if off, ok := yamlfile.ValidUTF8(src); !ok {
		ds.at(file, src, off, false, "this text is not UTF-8 (the byte 0x%02X here): save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)", src[off])
		return false
	}
	return true
}

// parseFrontMatter splits the YAML front matter off and decodes the known fields. Positions
// in errors are positions in the file. A page with front matter needs a title; a file
// without front matter (a bare folder of Markdown) takes its title from its name.
func (p *Page) parseFrontMatter(ds *diags) {
	src := p.src
	p.Params = map[string]any{}
	if !checkText(p.Source, src, ds) {
		p.bodyOff = len(src)
		return
	}
	start := 0
	if bytes.HasPrefix(src, []byte(bom)) { // Notepad's byte order mark
		start = len(bom)
	}
	p.bodyOff = start
	first := src[start:]
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	first = bytes.TrimRight(first, " \t\r")
	switch {
	case len(bytes.TrimSpace(src[start:])) == 0:
		ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "the file is empty: add front matter (---, title: ..., ---) and the page's text, or delete the file"})
		return
	case string(first) == "+++":
		ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "+++ starts TOML front matter, which this site does not read: write the front matter in YAML between --- lines (title: My page, not title = \"My page\")"})
		p.bodyOff = len(src)
		return
	case jsonFrontMatter(first):
		ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "{ starts JSON front matter, which this site does not read: write the front matter in YAML between --- lines (title: My page, not \"title\": \"My page\")"})
		p.bodyOff = len(src)
		return
	case string(first) != "---":
		return
	}
	yamlStart := start + bytes.IndexByte(src[start:], '\n') + 1
	end, next := -1, -1
	for i := yamlStart; i < len(src); {
		j := bytes.IndexByte(src[i:], '\n')
		line := src[i:]
		if j >= 0 {
			line = src[i : i+j]
		}
		if t := bytes.TrimRight(line, " \t\r"); string(t) == "---" || string(t) == "..." {
			end = i
			next = len(src)
			if j >= 0 {
				next = i + j + 1
			}
			break
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	if end < 0 {
		ds.at(p.Source, src, 0, false, "front matter is not closed: add a line with --- after it")
		p.bodyOff = len(src)
		return
	}
	p.bodyOff = next
	doc, problems := yamlfile.Parse(src[yamlStart:end], 2)
	for _, pr := range problems {
		ds.add(&Diagnostic{File: p.Source, Line: pr.Line, Col: pr.Col, Msg: "front matter: " + pr.Msg})
	}
	if len(problems) > 0 {
		return
	}
	p.front = doc
	p.fields = map[string]ast.Node{}
	if doc.Root == nil {
		ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "the front matter has no title: add a line title: followed by the page title after the first ---"})
		return
	}
	pairs, ok := yamlfile.Mapping(doc.Root)
	if !ok {
		line, col := doc.Pos(doc.Root)
		ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: "front matter must be lines of key: value (title: My page)"})
		return
	}
	for _, kv := range pairs {
		p.fields[kv.Key] = kv.Value
	}
	if pr := doc.Decode(doc.Root, &p.Params); pr != nil {
		ds.add(&Diagnostic{File: p.Source, Line: pr.Line, Col: pr.Col, Msg: "front matter: " + pr.Msg})
		p.Params = map[string]any{}
	}
	if p.Params == nil {
		p.Params = map[string]any{}
	}
	if _, ok := p.fields["title"]; !ok {
		ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "the front matter has no title: add a line title: followed by the page title after the first ---"})
	} else if p.Title = p.str(ds, "title"); p.Title == "" && !p.bad("title") {
		p.errAt(ds, "title", "the title is empty: write the page title after title:")
	}
	p.LinkTitle = p.str(ds, "linkTitle")
	p.Description = p.str(ds, "description")
	p.Program = p.str(ds, "program")
	p.Effective = p.date(ds, "effective")
	p.Updated = p.date(ds, "updated")
	if t := p.str(ds, "type"); t != "" {
		if !slices.Contains(pageTypes, t) {
			p.errAt(ds, "type", "unknown page type %q (want one of %s)", t, strings.Join(pageTypes, ", "))
		} else {
			p.Type, p.explicit = t, true
		}
	}
	if v, ok := p.fields["weight"]; ok {
		if w, ok := yamlfile.Int(v); ok {
			p.Weight = w
		} else {
			p.errAt(ds, "weight", "weight must be a whole number")
		}
	}
	for _, key := range []string{"aliases", "redirect_from"} {
		v, ok := p.fields[key]
		if !ok {
			continue
		}
		if _, isList := v.(*ast.SequenceNode); !isList {
			if s, msg := yamlfile.Text(key, v); msg == "" {
				p.Aliases = append(p.Aliases, s)
			} else {
				p.errAt(ds, key, "%s must be a list of site paths", key)
			}
			continue
		}
		for _, item := range v.(*ast.SequenceNode).Values {
			if s, msg := yamlfile.Text(key, item); msg == "" && s != "" {
				p.Aliases = append(p.Aliases, s)
			} else {
				line, col := p.front.Pos(item)
				ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: key + " must be a list of site paths (/old/path/), one per line"})
			}
		}
	}
	p.parseValues(ds)
}

// jsonFrontMatter reports whether a first line opens Hugo's JSON front matter: a { alone,
// or followed by a quoted key (not a {{ template }} or {% tag %}).
func jsonFrontMatter(first []byte) bool {
	if len(first) == 0 || first[0] != '{' {
		return false
	}
	rest := bytes.TrimSpace(first[1:])
	return len(rest) == 0 || rest[0] == '"'
}

// bad reports whether a problem was already reported at key's value (it was not text).
func (p *Page) bad(key string) bool {
	_, msg := yamlfile.Text(key, p.fields[key])
	return msg != ""
}

func (p *Page) str(ds *diags, key string) string {
	v, ok := p.fields[key]
	if !ok {
		return ""
	}
	s, msg := yamlfile.Text(key, v)
	if msg != "" {
		p.errAt(ds, key, "%s", msg)
	}
	return s
}

func (p *Page) date(ds *diags, key string) string {
	s := p.str(ds, key)
	if s == "" {
		return ""
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		p.errAt(ds, key, "%s must be a date written YYYY-MM-DD, not %q", key, s)
		return ""
	}
	return s
}

// errAt reports an error at the value of a front matter key.
func (p *Page) errAt(ds *diags, key, format string, args ...any) {
	line, col := p.front.Pos(p.fields[key])
	ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// sitePath maps a content file to its site path: a/b.md -> a/b/, a/_index.md -> a/,
// a/index.md -> a/ (a leaf bundle, as in Hugo).
func sitePath(rel string) string {
	dir, file := path.Split(rel)
	name := strings.TrimSuffix(file, path.Ext(file))
	if name == "_index" || name == "index" {
		return dir
	}
	return dir + name + "/"
}

// titleFromPath makes a readable title for a generated section page: "github-terms" ->
// "Github terms", "école-règles" -> "École règles" (the first letter, not the first byte).
func titleFromPath(p string) string {
	name := path.Base(strings.TrimSuffix(p, "/"))
	name = strings.ReplaceAll(name, "-", " ")
	if name == "" || name == "." { // the root: the caller uses the site title
		return ""
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToTitle(r)) + name[size:]
}
