package site

import (
	"bytes"
	"fmt"
	"html/template"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"affdocs/generator/markdown"
	"affdocs/generator/store"
	"gopkg.in/yaml.v3"
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

	out      string         // full output path of a generated page (redlines), else prefix + Path
	diff     *editionDiff   // changes pages: the edition comparison shown
	change   *pageChange    // a page's redline: its clause summary
	pairs    []*editionDiff // the compare page: every pre-generated pair
	src      []byte         // the front matter (the body is read again when converted)
	bodyOff  int            // where the Markdown body starts in the file
	sum      store.Key      // SHA-256 of the whole file as loaded
	keys     map[string]*yaml.Node
	explicit bool // Type was set in front matter

	// Fingerprints of what layouts may read (refs.go), and what conversion found.
	metaFP, kidsFP, contentFP store.Key
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

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// yamlError takes the line number out of a yaml.v3 error message.
func yamlError(err error) (line int, msg string) {
	line, msg = 1, err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if yamlParserProblems[msg] { // yaml.v3 counts these lines from 0, scanner lines from 1
			line++
		}
	}
	return line, strings.TrimPrefix(msg, "yaml: ")
}

// yamlParserProblems are the messages of yaml.v3's parser (as opposed to its scanner), whose
// "line N" is 0-based.
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'": true, "did not find expected ',' or '}'": true,
	"did not find expected '-' indicator": true, "did not find expected <document start>": true,
	"did not find expected key": true, "did not find expected node content": true,
	"found duplicate %TAG directive": true, "found duplicate %YAML directive": true,
	"found incompatible YAML document": true, "found undefined tag handle": true,
}

// parseFrontMatter splits the YAML front matter off and decodes the known fields. Positions
// in errors are positions in the file.
func (p *Page) parseFrontMatter(ds *diags) {
	src := p.src
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		p.Params = map[string]any{}
		return
	}
	first := bytes.IndexByte(src, '\n') + 1
	end, next := -1, -1
	for i := first; i < len(src); {
		j := bytes.IndexByte(src[i:], '\n')
		line := src[i:]
		if j >= 0 {
			line = src[i : i+j]
		}
		if t := bytes.TrimRight(line, " \r"); string(t) == "---" || string(t) == "..." {
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
		p.Params = map[string]any{}
		return
	}
	p.bodyOff = next
	var root yaml.Node
	if err := yaml.Unmarshal(src[first:end], &root); err != nil {
		line, msg := yamlError(err)
		ds.add(&Diagnostic{File: p.Source, Line: line + 1, Col: 1, Msg: "front matter: " + msg})
		p.Params = map[string]any{}
		return
	}
	p.Params = map[string]any{}
	p.keys = map[string]*yaml.Node{}
	if len(root.Content) == 0 {
		return
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		ds.add(&Diagnostic{File: p.Source, Line: m.Line + 1, Col: m.Column, Msg: "front matter must be a mapping of keys to values"})
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		p.keys[k.Value] = v
		var val any
		_ = v.Decode(&val)
		p.Params[k.Value] = val
	}
	p.Title = p.str(ds, "title")
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
	if v, ok := p.keys["weight"]; ok {
		if err := v.Decode(&p.Weight); err != nil {
			p.errAt(ds, "weight", "weight must be a whole number")
		}
	}
	for _, key := range []string{"aliases", "redirect_from"} {
		if v, ok := p.keys[key]; ok {
			var list []string
			if v.Kind == yaml.ScalarNode {
				list = []string{v.Value}
			} else if err := v.Decode(&list); err != nil {
				p.errAt(ds, key, "%s must be a list of site paths", key)
			}
			p.Aliases = append(p.Aliases, list...)
		}
	}
}

func (p *Page) str(ds *diags, key string) string {
	v, ok := p.keys[key]
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		p.errAt(ds, key, "%s must be text", key)
		return ""
	}
	return v.Value
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
	v := p.keys[key]
	ds.add(&Diagnostic{File: p.Source, Line: v.Line + 1, Col: v.Column, Msg: fmt.Sprintf(format, args...)})
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

// titleFromPath makes a readable title for a generated section page: "github-terms" -> "Github terms".
func titleFromPath(p string) string {
	name := path.Base(strings.TrimSuffix(p, "/"))
	name = strings.ReplaceAll(name, "-", " ")
	if name == "" || name == "." { // the root: the caller uses the site title
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
