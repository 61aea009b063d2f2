package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"affdocs/generator/markdown"
	"affdocs/themes"
)

// theme is the site's theme folder laid over the embedded default theme, file by file.
type theme struct {
	name      string
	layers    []fs.FS                              // the site's themes/<name> first, then the embedded default
	labels    []string                             // where each layer lives, for error messages
	templates map[string]*template.Template        // by page type, parsed as written
	minified  func() map[string]*template.Template // the same, minified on first use; a nil map when they cannot be
	hash      string                               // of every file the theme resolves to, for the build cache
}

func loadTheme(fsys fs.FS, name string) (*theme, error) {
	def, _ := fs.Sub(themes.Default, "default")
	th := &theme{name: name}
	if sub, err := fs.Sub(fsys, "themes/"+name); err == nil {
		if _, err := fs.Stat(sub, "."); err == nil {
			th.layers = append(th.layers, sub)
			th.labels = append(th.labels, "themes/"+name)
		} else if name != "default" {
			return nil, fmt.Errorf("theme %q not found (no themes/%s folder)", name, name)
		}
	}
	th.layers = append(th.layers, def)
	th.labels = append(th.labels, "(embedded default theme)")

	sum := sha256.New()
	for _, name := range th.list(".") {
		data, _, _ := th.read(name)
		fmt.Fprintf(sum, "%s %d\n", name, len(data))
		sum.Write(data)
	}
	th.hash = hex.EncodeToString(sum.Sum(nil))
	var err error
	if th.templates, err = th.parseAll(nil); err != nil {
		return nil, err
	}
	// The layouts minified once, by the first page rendered with minify on, so pages made
	// with them need no minifying but their Markdown's: a layout the minifier cannot keep
	// whole is used as written, and its pages are minified whole.
	th.minified = sync.OnceValue(func() map[string]*template.Template {
		m, _ := th.parseAll(func(src []byte) ([]byte, error) { return layoutMinifier.Bytes("text/html", src) })
		return m
	})
	return th, nil
}

// parseAll parses the layout of every page type, with baseof.html and the partials, each
// through edit when it is not nil.
func (th *theme) parseAll(edit func([]byte) ([]byte, error)) (map[string]*template.Template, error) {
	base := template.New("theme").Funcs(funcs)
	for _, name := range append([]string{"layouts/baseof.html"}, th.list("layouts/partials")...) {
		if err := th.parse(base, name, edit); err != nil {
			return nil, err
		}
	}
	out := map[string]*template.Template{}
	for _, typ := range slices.Concat(pageTypes, generatedTypes) {
		t, err := base.Clone()
		if err == nil {
			err = th.parse(t, "layouts/"+typ+".html", edit)
		}
		if err != nil {
			return nil, err
		}
		out[typ] = t
	}
	return out, nil
}

func (th *theme) parse(t *template.Template, name string, edit func([]byte) ([]byte, error)) error {
	data, label, err := th.read(name)
	if err == nil && edit != nil {
		data, err = edit(data)
	}
	if err != nil {
		return err
	}
	if _, err := t.New(path.Base(name)).Parse(string(data)); err != nil {
		return templateError(label+"/"+name, err)
	}
	return nil
}

var templateLine = regexp.MustCompile(`^template: [^:]*:(\d+):(?:(\d+):)? (.*)$`)

// templateError places a template parse error ("template: page.html:2: ...") at its line of
// file, so a theme author gets path:line:col like every other problem.
func templateError(file string, err error) *Diagnostic {
	d := &Diagnostic{File: file, Msg: err.Error()}
	if m := templateLine.FindStringSubmatch(err.Error()); m != nil {
		d.Line, _ = strconv.Atoi(m[1])
		d.Col = 1
		if m[2] != "" {
			d.Col, _ = strconv.Atoi(m[2])
		}
		d.Msg = m[3]
	}
	return d
}

// read returns a theme file from the first layer that has it.
func (th *theme) read(name string) ([]byte, string, error) {
	for i, l := range th.layers {
		if data, err := fs.ReadFile(l, name); err == nil {
			return data, th.labels[i], nil
		}
	}
	return nil, "", fmt.Errorf("theme %q has no %s", th.name, name)
}

// list is the union of the files below dir in every layer, sorted.
func (th *theme) list(dir string) []string {
	seen := map[string]bool{}
	for _, l := range th.layers {
		_ = fs.WalkDir(l, dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				seen[p] = true
			}
			return nil
		})
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// sourceOf names the file a page type's layout comes from, for error messages.
func (th *theme) sourceOf(typ string) string {
	_, label, _ := th.read("layouts/" + typ + ".html")
	return label + "/layouts/" + typ + ".html"
}

// staticFile is a file of the theme's static/ folder, at its site path.
type staticFile struct {
	name, label string // site path; theme file, for messages
	data        []byte
}

// static is the theme's static/ folder, published at the site root. The stylesheet gets
// the highlighting classes appended.
func (th *theme) static() []staticFile {
	var out []staticFile
	for _, name := range th.list("static") {
		data, label, _ := th.read(name)
		out_ := strings.TrimPrefix(name, "static/")
		if out_ == "assets/site.css" {
			data = append(append([]byte{}, data...), markdown.HighlightCSS()...)
		}
		out = append(out, staticFile{out_, label + "/" + name, data})
	}
	return out
}

// versioned is an asset's URL with a content hash query, so browsers never use a stale copy.
func versioned(name string, data []byte) string {
	sum := sha256.Sum256(data)
	return name + "?v=" + hex.EncodeToString(sum[:4])
}

var funcs = template.FuncMap{
	// urlpath escapes a site path for a URL: "a b#1/" -> "a%20b%231/".
	"urlpath": urlPath,
	// pairs turns "v1" "Label 1" "v2" "Label 2" into an ordered list of {Value, Label}.
	"pairs": func(kv ...string) []struct{ Value, Label string } {
		out := make([]struct{ Value, Label string }, 0, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, struct{ Value, Label string }{kv[i], kv[i+1]})
		}
		return out
	},
	// date writes YYYY-MM-DD as "1 November 2026", unambiguous in every country.
	"date": func(s string) string {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return s
		}
		return t.Format("2 January 2006")
	},
}
