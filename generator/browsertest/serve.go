package browsertest

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// Serve serves the folder dir over HTTP on a loopback port under the URL
// path prefix (e.g. "/sub/path/"; "" or "/" for the root) until the test
// ends, and returns the base URL, ending in "/" (e.g.
// "http://127.0.0.1:PORT/sub/path/"). It behaves like a static host such as
// Netlify or Cloudflare Pages:
//
//   - "x/" serves x/index.html; a folder without index.html is 404 (no
//     listings); "x" redirects to "x/" when x is a folder;
//   - a missing file is answered 404 with dir/404.html when it exists;
//   - the headers in dir/_headers (Netlify/Cloudflare format: a path
//     pattern line, relative to the site root and possibly with "*" or
//     ":name", followed by indented "Name: value" lines) are added to the
//     responses whose path, with prefix removed, matches; so a page is
//     tested under its real Content-Security-Policy;
//   - _headers and _redirects themselves are not served;
//   - anything outside prefix is 404.
func Serve(t testing.TB, dir, prefix string) string {
	t.Helper()
	prefix = "/" + strings.Trim(prefix, "/") + "/"
	if prefix == "//" {
		prefix = "/"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		t.Fatalf("Serve: %s is not a folder", dir)
	}
	h := &siteHandler{dir: abs, prefix: prefix, files: http.FileServer(http.Dir(abs))}
	if b, err := os.ReadFile(filepath.Join(abs, "_headers")); err == nil {
		h.rules = parseHeaders(string(b))
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

type siteHandler struct {
	dir, prefix string
	files       http.Handler
	rules       []headerRule
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p+"/" == h.prefix {
		http.Redirect(w, r, h.prefix, http.StatusMovedPermanently)
		return
	}
	if !strings.HasPrefix(p, h.prefix) {
		http.NotFound(w, r)
		return
	}
	rel := "/" + strings.TrimPrefix(p, h.prefix) // site-root-relative path
	for _, rule := range h.rules {
		if rule.match(rel) {
			for _, kv := range rule.headers {
				w.Header().Add(kv[0], kv[1])
			}
		}
	}
	clean := path.Clean(rel)
	base := path.Base(clean)
	local := filepath.Join(h.dir, filepath.FromSlash(clean))
	fi, err := os.Stat(local)
	if err == nil && fi.IsDir() {
		if _, ierr := os.Stat(filepath.Join(local, "index.html")); ierr != nil {
			err = ierr
		}
	}
	if err != nil || base == "_headers" || base == "_redirects" {
		h.notFound(w, r)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = rel
	r2.URL.RawPath = ""
	h.files.ServeHTTP(w, r2)
}

func (h *siteHandler) notFound(w http.ResponseWriter, r *http.Request) {
	b, err := os.ReadFile(filepath.Join(h.dir, "404.html"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

// headerRule is one path block of a _headers file.
type headerRule struct {
	pattern string
	headers [][2]string
}

// parseHeaders reads a _headers file (Netlify and Cloudflare Pages format).
func parseHeaders(s string) []headerRule {
	var rules []headerRule
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			rules = append(rules, headerRule{pattern: trimmed})
			continue
		}
		name, value, ok := strings.Cut(trimmed, ":")
		if !ok || len(rules) == 0 {
			continue
		}
		r := &rules[len(rules)-1]
		r.headers = append(r.headers, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	return rules
}

// match reports whether the site-root-relative path p matches the rule's
// pattern: "*" matches any run of characters, ":name" one path segment.
// Absolute URL patterns (https://host/path) are matched on their path.
func (r headerRule) match(p string) bool {
	pat := r.pattern
	if i := strings.Index(pat, "://"); i >= 0 {
		rest := pat[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return false
		}
		pat = rest[j:]
	}
	return globMatch(pat, p)
}

func globMatch(pat, s string) bool {
	for pat != "" {
		switch {
		case pat[0] == '*':
			pat = pat[1:]
			for i := len(s); i >= 0; i-- {
				if globMatch(pat, s[i:]) {
					return true
				}
			}
			return false
		case pat[0] == ':' && len(pat) > 1:
			// placeholder: up to the next "/" in both
			j := strings.IndexByte(pat, '/')
			if j < 0 {
				j = len(pat)
			}
			k := strings.IndexByte(s, '/')
			if k < 0 {
				k = len(s)
			}
			if k == 0 {
				return false
			}
			pat, s = pat[j:], s[k:]
		default:
			if s == "" || pat[0] != s[0] {
				return false
			}
			pat, s = pat[1:], s[1:]
		}
	}
	return s == ""
}
