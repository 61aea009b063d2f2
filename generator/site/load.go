package site

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"affdocs/generator/source"
	"affdocs/generator/store"
	"affdocs/generator/versions/yamlfile"
	"github.com/goccy/go-yaml/ast"
)

// Site is a loaded source tree: configuration, pages and static files.
type Site struct {
	Config     Config
	ContentDir string            // "content", or "." for a bare Markdown tree
	Pages      []*Page           // every page, home first, then by site path
	Home       *Page             // the root section page
	Static     map[string]string // site path -> source path, for non-Markdown files
	byPath     map[string]*Page
	bySource   map[string]*Page
	pagesFP    store.Key // the list of pages and their meta, for layouts that read it (refs.go)
	paths      store.Key // the list of pages' paths, which links resolve against
	prefixes   []string  // where the build published the tree
}

// ContentDir is where a source keeps its Markdown: content/ for a site root; anything else
// is treated as the content itself, so any folder of Markdown builds.
func ContentDir(fsys fs.FS) string {
	if fi, err := fs.Stat(fsys, "content"); err == nil && fi.IsDir() {
		return "content"
	}
	return "."
}

// load reads every page's front matter below dir (the draft's content folder, or an
// edition's folder). It does not convert: each page keeps its front matter and the hash of
// its file, and its body is kept for its conversion (read.go) or read again then. Folders
// and files starting with _ or . are not pages, except _index.md.
func (b *builder) load(dir string) *Site {
	fsys, ds := b.fsys, b.ds
	s := &Site{Config: b.cfg, ContentDir: dir, Static: map[string]string{}, byPath: map[string]*Page{}, bySource: map[string]*Page{}}
	var pages []*Page // in walk order; read and parsed below, on all cores
	infos := map[*Page]fs.DirEntry{}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			ds.add(&Diagnostic{File: p, Msg: err.Error()})
			return nil
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, dir), "/")
		name := d.Name()
		if rel != "" && !source.Published(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if dir == "." && d.IsDir() && (rel == "themes" || rel == "public") {
			return fs.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		if path.Ext(name) != ".md" {
			s.Static[rel] = p
			return nil
		}
		pg := &Page{Source: p, Path: sitePath(rel), IsSection: name == "_index.md"}
		pages = append(pages, pg)
		infos[pg] = d
		return nil
	})
	if err != nil {
		ds.add(&Diagnostic{File: dir, Msg: err.Error()})
	}
	parallel(pages, func(pg *Page) { b.loadPage(pg, infos[pg]) })
	for _, pg := range pages {
		if pg.src == nil { // not readable
			continue
		}
		if other := s.byPath[pg.Path]; other != nil {
			ds.add(&Diagnostic{File: pg.Source, Line: 1, Col: 1, Msg: "publishes to the same path /" + pg.Path + " as " + other.Source})
			continue
		}
		s.add(pg)
	}
	s.link()
	s.checkCase(ds)
	s.loadValues()
	return s
}

// checkCase reports two site paths that differ only in case: hosts that ignore case
// (Windows, macOS, many web servers) would serve one in place of the other.
func (s *Site) checkCase(ds *diags) {
	seen := map[string]string{} // lower-case site path -> the file or folder making it
	name := func(p *Page) string {
		if p.Source != "" {
			return p.Source
		}
		return path.Join(s.ContentDir, p.Path) + "/" // a folder's generated section page
	}
	check := func(sitePath, src string) {
		key := strings.ToLower(sitePath)
		if other, ok := seen[key]; ok && other != src {
			a, b := min(other, src), max(other, src)
			ds.add(&Diagnostic{File: b, Msg: fmt.Sprintf("%s and %s publish to addresses that differ only in upper and lower case; hosts that ignore case would serve one in place of the other: rename one of them", a, b)})
			return
		}
		seen[key] = src
	}
	for _, p := range s.Pages {
		check(p.Path, name(p))
	}
	for _, rel := range slices.Sorted(maps.Keys(s.Static)) {
		check(rel, s.Static[rel])
	}
}

func (s *Site) add(p *Page) {
	s.Pages = append(s.Pages, p)
	s.byPath[p.Path] = p
	if p.Source != "" {
		s.bySource[p.Source] = p
	}
}

// MaxConfigSize is the largest content/_site.yaml read.
const MaxConfigSize = 1 << 20

var themeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// LoadConfig reads content/_site.yaml; a missing file means the defaults. Every problem is
// reported at its line and column: YAML mistakes, a setting it does not know, a value of the
// wrong kind, a baseURL that is not an absolute http(s) address, a theme that is not the
// name of a folder in themes/.
func LoadConfig(fsys fs.FS, contentDir string, ds *diags) Config {
	var cfg Config
	file := path.Join(contentDir, ConfigFile)
	data, err := source.ReadFile(fsys, file, MaxConfigSize)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		ds.add(&Diagnostic{File: file, Msg: err.Error()})
	}
	if err == nil {
		cfg = parseConfig(file, data, ds)
	}
	c := &cfg
	if c.Language == "" {
		c.Language = "en"
	}
	if c.Theme == "" {
		c.Theme = "default"
	}
	if c.Title == "" {
		c.Title = "Documentation"
	}
	if c.BaseURL != "" && !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	return cfg
}

// parseConfig decodes _site.yaml, reporting each problem at its position.
func parseConfig(file string, data []byte, ds *diags) Config {
	var c Config
	at := func(line, col int, format string, args ...any) {
		ds.add(&Diagnostic{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	}
	if !checkText(file, data, ds) {
		return c
	}
	doc, problems := yamlfile.Parse(data, 1)
	for _, p := range problems {
		at(p.Line, p.Col, "%s", p.Msg)
	}
	if len(problems) > 0 || doc.Root == nil {
		return c
	}
	pairs, ok := yamlfile.Mapping(doc.Root)
	if !ok {
		line, col := doc.Pos(doc.Root)
		at(line, col, "the site settings must be lines of key: value (title: My guide)")
		return c
	}
	for _, kv := range pairs {
		line, col := doc.Pos(kv.Value)
		text := func() string {
			s, msg := yamlfile.Text(kv.Key, kv.Value)
			if msg != "" {
				at(line, col, "%s", msg)
			}
			return s
		}
		switch kv.Key {
		case "title":
			c.Title = text()
		case "description":
			c.Description = text()
		case "language":
			c.Language = text()
		case "baseURL":
			u := text()
			if msg := checkBaseURL(u); msg != "" {
				at(line, col, "%s", msg)
			} else {
				c.BaseURL = u
			}
		case "theme":
			name := text()
			if name != "" && (!themeName.MatchString(name) || strings.Contains(name, "..")) {
				at(line, col, "theme must be the name of a folder in themes/ (letters, digits, '.', '-' or '_'), not %q", name)
			} else {
				c.Theme = name
			}
		case "unsafeHTML":
			if b, ok := kv.Value.(*ast.BoolNode); ok {
				c.UnsafeHTML = b.Value
			} else {
				at(line, col, "unsafeHTML must be true or false")
			}
		case "links":
			c.Links = text()
			if c.Links != "" && c.Links != "error" && c.Links != "warn" {
				at(line, col, `links must be "error" or "warn"`)
			}
		case "params":
			if _, ok := yamlfile.Mapping(kv.Value); !ok {
				at(line, col, "params must be lines of key: value, indented under params:")
				continue
			}
			if p := doc.Decode(kv.Value, &c.Params); p != nil {
				at(p.Line, p.Col, "%s", p.Msg)
			}
		default:
			kl, kc := doc.Pos(kv.KeyAt)
			at(kl, kc, "unknown setting %q (the settings are title, description, baseURL, language, theme, unsafeHTML, links and params; a template's own values go under params:)", kv.Key)
		}
	}
	return c
}

// checkBaseURL says what is wrong with a baseURL, or "".
func checkBaseURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, " \t\n\"'<>\\") {
		return fmt.Sprintf("baseURL must be the site's full address, starting with https:// or http:// (for example https://example.org/guide/), not %q", s)
	}
	return ""
}

// link builds the section tree: missing section pages are generated, program and type are
// inherited, and every section's pages are ordered by weight, then title.
func (s *Site) link() {
	if s.byPath[""] == nil { // a site without Markdown still has a home page
		s.add(&Page{Path: "", IsSection: true, Params: map[string]any{}})
	}
	for _, p := range append([]*Page(nil), s.Pages...) {
		for dir := parentDir(p.Path); ; dir = parentDir(dir) {
			if s.byPath[dir] == nil {
				s.add(&Page{Path: dir, IsSection: true, Title: titleFromPath(dir), Params: map[string]any{}})
			}
			if dir == "" {
				break
			}
		}
	}
	sort.Slice(s.Pages, func(i, j int) bool { return s.Pages[i].Path < s.Pages[j].Path })
	s.Home = s.byPath[""]
	for _, p := range s.Pages {
		if p.Type == "" {
			switch {
			case p == s.Home:
				p.Type = "home"
			case p.IsSection:
				p.Type = "overview"
			default:
				p.Type = "page"
			}
		}
		if p.Title == "" {
			p.Title = titleFromPath(p.Path)
			if p == s.Home {
				p.Title = s.Config.Title
			}
		}
		if p.LinkTitle == "" {
			p.LinkTitle = p.Title
		}
		if p == s.Home {
			continue
		}
		parent := s.byPath[parentDir(p.Path)]
		p.Parent = parent
		p.Section = parent.Path
		parent.Pages = append(parent.Pages, p)
	}
	for _, p := range s.Pages { // parents come before children in path order
		if p.Program == "" && p.Parent != nil {
			p.Program = p.Parent.Program
		}
		sort.SliceStable(p.Pages, func(i, j int) bool {
			a, b := p.Pages[i], p.Pages[j]
			if a.Weight != b.Weight {
				return a.Weight < b.Weight
			}
			return a.Title < b.Title
		})
		for i, c := range p.Pages {
			c.index = i
		}
	}
}

// parentDir is the site path of the section holding p: "a/b/" -> "a/", "a/" -> "".
func parentDir(p string) string {
	p = strings.TrimSuffix(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i+1]
	}
	return ""
}

// hasType reports whether any page is of type t.
func (s *Site) hasType(t string) bool {
	for _, p := range s.Pages {
		if p.Type == t {
			return true
		}
	}
	return false
}
