package site

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"affdocs/generator/source"
	"affdocs/generator/store"
	"gopkg.in/yaml.v3"
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
// its file, and its body is read again when it is converted. Folders and files starting
// with _ or . are not pages, except _index.md.
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
	return s
}

func (s *Site) add(p *Page) {
	s.Pages = append(s.Pages, p)
	s.byPath[p.Path] = p
	if p.Source != "" {
		s.bySource[p.Source] = p
	}
}

// LoadConfig reads content/_site.yaml; a missing file means the defaults.
func LoadConfig(fsys fs.FS, contentDir string, ds *diags) Config {
	var cfg Config
	file := path.Join(contentDir, ConfigFile)
	data, err := fs.ReadFile(fsys, file)
	if err == nil {
		var n yaml.Node
		err = yaml.Unmarshal(data, &n) // not :=, which hid every error of the file
		if err == nil && n.Kind != 0 { // Kind 0: an empty file
			err = n.Decode(&cfg)
		}
		if err != nil {
			line, msg := yamlError(err)
			ds.add(&Diagnostic{File: file, Line: line, Col: 1, Msg: msg})
		}
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
	if c.Links != "" && c.Links != "error" && c.Links != "warn" {
		ds.add(&Diagnostic{File: file, Line: 1, Col: 1, Msg: `links must be "error" or "warn"`})
	}
	return cfg
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
