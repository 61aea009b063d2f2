package devserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"slices"
	"strings"
)

// Change is what a rebuild changed in the served files, and what browsers must do about it.
type Change struct {
	Files  []string          // every output added, removed or changed, sorted
	Reload []string          // HTML files whose viewers must update (in place, or by reloading), sorted
	All    bool              // Reload holds every HTML file of the site
	Shown  []string          // changed files other than HTML and stylesheets (images, scripts), sorted: a page that loaded one reloads, even when its HTML is the same
	Styles map[string]string // changed stylesheet -> its new cache-busting URL (both site-root-relative)
}

// Empty reports whether nothing changed.
func (c Change) Empty() bool { return len(c.Files) == 0 }

// Diff compares two builds' files. A page whose HTML changed is updated, unless the only
// difference is the version query of changed stylesheets (the stylesheet is then swapped in
// place). A changed file that is neither HTML nor CSS (an image, a script) reloads the pages
// that mention its name. Unchanged files are usually the very same slices (the build cache
// reuses them), so comparing a large site costs little.
func Diff(old, cur map[string][]byte) Change {
	var c Change
	for name, data := range cur {
		if prev, ok := old[name]; !ok || !same(prev, data) {
			c.Files = append(c.Files, name)
		}
	}
	for name := range old {
		if _, ok := cur[name]; !ok {
			c.Files = append(c.Files, name)
		}
	}
	slices.Sort(c.Files)

	var others []string // changed files pages may show: images, scripts, data
	for _, name := range c.Files {
		switch {
		case isHTML(name):
			if prev, ok := old[name]; ok {
				if data, ok := cur[name]; ok && equalBesidesStyleVersions(prev, data) {
					continue
				}
			}
			c.Reload = append(c.Reload, name)
		case path.Ext(name) == ".css":
			if data, ok := cur[name]; ok {
				if c.Styles == nil {
					c.Styles = map[string]string{}
				}
				c.Styles[name] = name + "?v=" + version(data)
			} else {
				others = append(others, name)
			}
		case !machineFile(name):
			others = append(others, name)
		}
	}
	if len(others) > 0 {
		c.Shown = others
		for name, data := range cur {
			if isHTML(name) && !slices.Contains(c.Reload, name) && mentions(data, others) {
				c.Reload = append(c.Reload, name)
			}
		}
		slices.Sort(c.Reload)
	}
	if len(c.Reload) > 0 {
		html := 0
		for name := range cur {
			if isHTML(name) {
				html++
			}
		}
		c.All = len(c.Reload) >= html
	}
	return c
}

// same reports whether a and b hold the same bytes, quickly when they are the same slice.
func same(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
}

func isHTML(name string) bool { return path.Ext(name) == ".html" }

// machineFile reports whether a file is read by programs, not shown in pages.
func machineFile(name string) bool {
	switch name {
	case "sitemap.xml", "robots.txt", "_headers", "_redirects":
		return true
	}
	return strings.HasSuffix(name, ".gz")
}

// mentions reports whether page names any of the files.
func mentions(page []byte, files []string) bool {
	for _, f := range files {
		if bytes.Contains(page, []byte(path.Base(f))) {
			return true
		}
	}
	return false
}

// version is a short content hash, for cache-busting stylesheet URLs.
func version(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:4])
}

// equalBesidesStyleVersions reports whether a and b differ only in the hexadecimal version
// query of stylesheet URLs ("site.css?v=1a2b3c4d"), the one change a stylesheet edit makes
// to every page.
func equalBesidesStyleVersions(a, b []byte) bool {
	const marker = ".css?v="
	for {
		n := commonPrefix(a, b)
		if n == len(a) && n == len(b) {
			return true
		}
		i := n
		for i > 0 && isHex(a[i-1]) {
			i--
		}
		if !bytes.HasSuffix(a[:i], []byte(marker)) {
			return false
		}
		a, b = a[i+hexRun(a[i:]):], b[i+hexRun(b[i:]):]
	}
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	// Compare in blocks first: most of a page is equal.
	i := 0
	for ; i+64 <= n && bytes.Equal(a[i:i+64], b[i:i+64]); i += 64 {
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

func hexRun(s []byte) int {
	n := 0
	for n < len(s) && isHex(s[n]) {
		n++
	}
	return n
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }
