package sitetest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// This file checks a built site on disk the way a browser opening it from a static host or
// from file:// would: every internal href and src must name an existing file (never a
// folder, which works on a host but not from disk), every #fragment an existing id, and no
// page may carry what a strict Content-Security-Policy blocks (style= attributes, <style>
// elements, inline scripts, on* handlers, javascript: URLs).

// htmlPage is what the checks need from one HTML file.
type htmlPage struct {
	ids  map[string]bool
	refs []htmlRef
	csp  []string // strict-CSP problems and duplicate ids, with their lines
}

type htmlRef struct {
	Line      int
	Tag, Attr string
	URL       string
}

// urlAttrs are the attributes holding a URL the browser (or the site's script) loads.
var urlAttrs = map[string]bool{"href": true, "src": true, "data-wasm": true, "action": true, "poster": true}

// scanHTML reads an HTML file with encoding/xml in its lenient HTML mode: enough to list
// tags, attributes and ids with line numbers for files this generator writes.
func scanHTML(r io.Reader) (*htmlPage, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	pg := &htmlPage{ids: map[string]bool{}}
	inScript := false
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return pg, nil
		}
		if err != nil {
			return pg, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			tag := strings.ToLower(t.Name.Local)
			hasSrc := false
			for _, a := range t.Attr {
				name := strings.ToLower(a.Name.Local)
				if a.Name.Space != "" {
					name = strings.ToLower(a.Name.Space) + ":" + name
				}
				switch {
				case name == "id":
					if pg.ids[a.Value] {
						pg.csp = append(pg.csp, fmt.Sprintf("line %d: duplicate id %q: links to it land on the first", line, a.Value))
					}
					pg.ids[a.Value] = true
				case name == "style":
					pg.csp = append(pg.csp, fmt.Sprintf("line %d: style= attribute on <%s>", line, tag))
				case strings.HasPrefix(name, "on"):
					pg.csp = append(pg.csp, fmt.Sprintf("line %d: inline event handler %s= on <%s>", line, name, tag))
				case urlAttrs[name]:
					if strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Value)), "javascript:") {
						pg.csp = append(pg.csp, fmt.Sprintf("line %d: javascript: URL on <%s>", line, tag))
					}
					pg.refs = append(pg.refs, htmlRef{line, tag, name, a.Value})
					hasSrc = hasSrc || name == "src"
				case name == "content" && tag == "meta":
					// <meta http-equiv="refresh" content="0; url=...">
					if _, u, ok := strings.Cut(a.Value, "url="); ok {
						pg.refs = append(pg.refs, htmlRef{line, tag, "content", u})
					}
				}
			}
			switch tag {
			case "style":
				pg.csp = append(pg.csp, fmt.Sprintf("line %d: <style> element", line))
			case "script":
				inScript = !hasSrc
			}
		case xml.CharData:
			if inScript && strings.TrimSpace(string(t)) != "" {
				pg.csp = append(pg.csp, fmt.Sprintf("line %d: inline <script>", line))
			}
		case xml.EndElement:
			inScript = false
		}
	}
}

// checkBuiltSite checks every HTML file below dir and returns the problems, one line each.
// baseURL (may be "") marks absolute URLs that point into the site itself, such as
// canonical links and the 404 page's links, so they are checked too.
func checkBuiltSite(dir, baseURL string) ([]string, error) {
	pages := map[string]*htmlPage{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, p)
		pg, err := scanHTML(f)
		if err != nil {
			return fmt.Errorf("%s: %v", rel, err)
		}
		pages[filepath.ToSlash(rel)] = pg
		return nil
	})
	if err != nil {
		return nil, err
	}
	var problems []string
	for name, pg := range pages {
		for _, c := range pg.csp {
			problems = append(problems, name+": "+c)
		}
		for _, ref := range pg.refs {
			if msg := checkRef(dir, name, ref, baseURL, pages); msg != "" {
				problems = append(problems, fmt.Sprintf("%s:%d: <%s %s=%q>: %s", name, ref.Line, ref.Tag, ref.Attr, ref.URL, msg))
			}
		}
	}
	return problems, nil
}

// checkRef returns what is wrong with one URL of the page at site path from, or "".
func checkRef(dir, from string, ref htmlRef, baseURL string, pages map[string]*htmlPage) string {
	raw := ref.URL
	var target string // site path of the file the URL names
	switch {
	case baseURL != "" && strings.HasPrefix(raw, baseURL):
		target = strings.TrimPrefix(raw, baseURL)
	case strings.HasPrefix(raw, "//"):
		return ""
	default:
		u, err := url.Parse(raw)
		if err != nil {
			return "not a URL: " + err.Error()
		}
		if u.Scheme != "" {
			return "" // external, mailto:, data:
		}
		if strings.HasPrefix(raw, "/") {
			if b, err := url.Parse(baseURL); err == nil && baseURL != "" && strings.HasPrefix(u.Path, b.Path) {
				target = strings.TrimPrefix(raw, b.Path) // root-relative under the site's own path
			} else {
				return "root-relative URL: breaks under a sub-path and from disk"
			}
		} else {
			target = raw
			if !strings.HasPrefix(raw, "#") {
				target = path.Join(path.Dir(from), raw)
				if strings.HasSuffix(raw, "/") || raw == "." || raw == ".." {
					target += "/"
				}
			} else {
				target = from + raw
			}
			if target == ".." || strings.HasPrefix(target, "../") {
				return "points outside the site"
			}
		}
	}
	target, frag, _ := strings.Cut(target, "#")
	target, _, _ = strings.Cut(target, "?")
	if p, err := url.PathUnescape(target); err == nil {
		target = p
	}
	if target == "" {
		target = "index.html" // the root, named by baseURL alone: served as index.html
		if !strings.HasPrefix(raw, baseURL) {
			target = from
		}
	}
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target)))
	switch {
	case err != nil:
		return "no such file " + target
	case fi.IsDir() && !strings.HasPrefix(raw, baseURL):
		return "names the folder " + target + ", which does not open from disk: link to its index.html"
	case fi.IsDir():
		target = path.Join(target, "index.html")
	}
	if frag != "" {
		pg, ok := pages[target]
		if !ok {
			return "#" + frag + " in a file that is not HTML"
		}
		if !pg.ids[frag] {
			return "no id " + frag + " in " + target
		}
	}
	return ""
}

// TestCheckerCatches protects the whole-site test from passing vacuously: the checker must
// report each kind of problem it looks for.
func TestCheckerCatches(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"index.html": `<!doctype html><html><head><link rel="stylesheet" href="a.css?v=1"><script src="a.js" defer></script></head>
<body><main id="top"><a id="top" href="b/index.html#here">ok</a> <a href="#top">ok</a> <a href="https://example.com/">ok</a>
<a href="https://example.org/site/b/">ok, canonical form</a>
<a href="b/">folder</a>
<a href="c/index.html">missing</a>
<a href="b/index.html#nowhere">missing anchor</a>
<p style="color:red">styled</p>
<button onclick="go()">handler</button>
<a href="javascript:go()">js url</a>
<a href="/b/index.html">root-relative</a>
<script>inline()</script>
<style>p{}</style>
<img src="../up.png" alt="">
</main></body></html>`,
		"b/index.html": `<!doctype html><html><body><p id="here">x</p><meta http-equiv="refresh" content="0; url=../gone.html"></body></html>`,
		"a.css":        "",
		"a.js":         "",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := checkBuiltSite(dir, "https://example.org/site/")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{
		`b/index.html:1: <meta content="../gone.html">: no such file gone.html`,
		`index.html: line 11: inline <script>`,
		`index.html: line 12: <style> element`,
		`index.html: line 2: duplicate id "top": links to it land on the first`,
		`index.html: line 7: style= attribute on <p>`,
		`index.html: line 8: inline event handler onclick= on <button>`,
		`index.html: line 9: javascript: URL on <a>`,
		`index.html:10: <a href="/b/index.html">: root-relative URL: breaks under a sub-path and from disk`,
		`index.html:13: <img src="../up.png">: points outside the site`,
		`index.html:4: <a href="b/">: names the folder b/, which does not open from disk: link to its index.html`,
		`index.html:5: <a href="c/index.html">: no such file c/index.html`,
		`index.html:6: <a href="b/index.html#nowhere">: no id nowhere in b/index.html`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
