package site

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"affdocs/generator/markdown"
)

// resolver returns the link rewriter for page p. Links to Markdown sources ("terms.md#x"),
// site paths ("/a/b/") and relative paths ("../b/") become relative URLs ending in
// index.html, so the site works under any sub-path and opened from disk. External links are
// left alone.
func (s *Site) resolver(p *Page) func(string) (string, *markdown.Link) {
	return func(dest string) (string, *markdown.Link) {
		if dest == "" || isExternal(dest) {
			return dest, nil
		}
		raw, frag, _ := strings.Cut(dest, "#")
		if raw == "" { // same page
			return dest, &markdown.Link{Page: p.Path, Anchor: frag}
		}
		target, query := raw, ""
		if i := strings.IndexByte(raw, '?'); i >= 0 {
			target, query = raw[:i], raw[i:]
		}
		if u, err := url.PathUnescape(target); err == nil {
			target = u
		}
		var site string // path inside the site
		switch {
		case strings.HasSuffix(target, ".md"):
			srcDir := path.Dir(strings.TrimPrefix(strings.TrimPrefix(p.Source, s.ContentDir), "/"))
			if strings.HasPrefix(target, "/") {
				srcDir = "/"
			}
			site = sitePath(strings.TrimPrefix(path.Join(srcDir, target), "/"))
		case strings.HasPrefix(target, "/"):
			site = cleanSite(target)
		default:
			site = cleanSite(path.Join("/"+p.Path, target)) // relative to the page's URL
			if strings.HasSuffix(target, "/") && site != "" && !strings.HasSuffix(site, "/") {
				site += "/"
			}
		}
		link := &markdown.Link{Page: site, Anchor: frag}
		out := relURL(p.Path, urlPath(s.urlOf(site))) + query
		if frag != "" {
			out += "#" + frag
		}
		return out, link
	}
}

// urlOf is the file a site path is served from: a page's index.html, or a static file.
func (s *Site) urlOf(site string) string {
	if _, ok := s.byPath[site]; ok {
		return site + "index.html"
	}
	if _, ok := s.byPath[site+"/"]; ok {
		return site + "/index.html"
	}
	return site
}

// indexed reports whether a site path is a page or a static file of the tree, and which
// page: what the page index knows from the start of the build.
func (s *Site) indexed(site string) (*Page, bool) {
	if p, ok := s.byPath[site]; ok {
		return p, true
	}
	if p, ok := s.byPath[site+"/"]; ok {
		return p, true
	}
	_, ok := s.Static[site]
	return nil, ok
}

// exists reports whether a site path is a page, a static file or a file the build wrote
// (under one of the tree's prefixes or at the site root).
func (b *builder) exists(s *Site, site string) (*Page, bool) {
	if p, ok := s.indexed(site); ok {
		return p, true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, prefix := range s.prefixes {
		if _, ok := b.files[prefix+site]; ok {
			return nil, true
		}
	}
	_, ok := b.files[site]
	return nil, ok
}

// checkLinks reports every internal link of a tree whose page, file or anchor does not
// exist, at its position in the Markdown.
func (b *builder) checkLinks(s *Site) {
	for _, p := range s.Pages {
		if p.facts == nil {
			continue
		}
		for _, l := range p.facts.links {
			target, ok := b.exists(s, l.Page)
			var msg string
			switch {
			case !ok:
				msg = fmt.Sprintf("broken link %q: no page or file at /%s", l.Dest, l.Page)
			case l.Anchor != "" && target != nil && target.facts != nil && !target.facts.hasID(l.Anchor):
				msg = fmt.Sprintf("broken link %q: /%s has no anchor #%s", l.Dest, target.Path, l.Anchor)
			default:
				continue
			}
			b.ds.add(&Diagnostic{File: p.Source, Line: l.Line, Col: l.Col, Msg: msg, Warning: b.warn})
			b.mu.Lock()
			if b.brokenSource == nil {
				b.brokenSource = map[string]bool{}
			}
			for _, prefix := range s.prefixes {
				name := prefix + s.urlOf(l.Page)
				if strings.HasSuffix(name, "/") || name == prefix {
					name += "index.html" // how the resolver writes a link to a missing page
				}
				if !ok {
					b.brokenSource[name] = true
				} else {
					b.brokenSource[name+"#"+l.Anchor] = true
				}
			}
			b.mu.Unlock()
		}
	}
}

func isExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	if !strings.Contains(dest, ":") { // no scheme (most links: parsing them was a fifth of link checking)
		return false
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme != ""
}

// cleanSite normalises a rooted path to a site path without the leading slash, keeping a
// trailing slash.
func cleanSite(p string) string {
	c := path.Clean(p)
	if c == "/" || c == "." {
		return ""
	}
	c = strings.TrimPrefix(c, "/")
	if strings.HasSuffix(p, "/") {
		c += "/"
	}
	c = strings.TrimSuffix(c, "index.html")
	return c
}

// urlPath is a site path ("a b/c#1/") as a URL path ("a%20b/c%231/"): each segment
// percent-escaped, so that a file name with #, ?, % or a space still links to itself.
func urlPath(sitePath string) string {
	if !strings.ContainsAny(sitePath, " #?%\"<>\\^`{|}") && isASCII(sitePath) {
		return sitePath
	}
	segs := strings.Split(sitePath, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return false
		}
	}
	return true
}

// relURL is the relative URL from the page at site path from to the site file to.
func relURL(from, to string) string {
	depth := strings.Count(from, "/")
	return strings.Repeat("../", depth) + to
}
