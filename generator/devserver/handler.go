package devserver

import (
	"bytes"
	"embed"
	"html"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// The live-reload endpoints, at the root of wherever the site is mounted. Pages refer to them
// with relative URLs and the script finds the stream next to itself, so the server works
// under any sub-path and behind a proxy.
const (
	eventsPath = "__livereload"
	scriptPath = "__livereload.js"
	stylePath  = "__livereload.css"
)

//go:embed client/livereload.js client/livereload.css
var client embed.FS

// ServeHTTP serves the last good build from memory. Only files of the built site exist:
// a URL naming anything else, or escaping the site with "..", gets the site's 404 page. A
// request for another host than Config.Hosts names gets 403, whatever its path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.checkHost(w, r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	rel := strings.TrimPrefix(r.URL.Path, "/")
	switch rel {
	case eventsPath:
		s.serveEvents(w, r)
		return
	case scriptPath, stylePath:
		data, _ := client.ReadFile("client/" + strings.TrimPrefix(rel, "__"))
		serve(w, r, rel, data, http.StatusOK)
		return
	}
	st := s.state.Load()
	if st.files == nil { // no good build yet: a page that shows the errors and waits
		s.servePage(w, r, rel, "", []byte(waitingPage), http.StatusServiceUnavailable)
		return
	}
	if encodedSeparator(r.URL.EscapedPath()) {
		s.notFound(w, r, st, rel)
		return
	}
	name, redirect := lookup(st.files, rel)
	switch {
	case redirect != "":
		if q := r.URL.RawQuery; q != "" {
			redirect += "?" + q
		}
		h.Set("Location", redirect) // relative: right under any mount point
		w.WriteHeader(http.StatusMovedPermanently)
	case name == "":
		s.notFound(w, r, st, rel)
	case isHTML(name):
		s.servePage(w, r, rel, name, st.files[name], http.StatusOK)
	default:
		serve(w, r, name, st.files[name], http.StatusOK)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *state, rel string) {
	if page, ok := st.files["404.html"]; ok {
		s.servePage(w, r, rel, "404.html", page, http.StatusNotFound)
		return
	}
	http.NotFound(w, r)
}

// servePage serves an HTML page with the live-reload script added.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, rel, name string, page []byte, status int) {
	st := s.state.Load()
	serve(w, r, "index.html", Inject(page, rel, name, st.build), status)
}

const waitingPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>
<body><main><h1>The site has not built yet</h1><p>Fix the problems listed on this page and save: it reloads by itself.</p></main></body></html>
`

// Inject adds the live-reload script to an HTML page served at the URL path rel (relative to
// the site's mount point), just before </head>. The script is external, so a strict
// Content-Security-Policy (script-src 'self') allows it; its URL is relative to the page, so
// it works under any sub-path. file names the page's output file and build the build it
// comes from, so that the browser knows whether a change concerns it.
func Inject(page []byte, rel, file, build string) []byte {
	root := strings.Repeat("../", strings.Count(rel, "/"))
	tag := `<script src="` + root + scriptPath + `" data-file="` + html.EscapeString(file) +
		`" data-build="` + html.EscapeString(build) + `" defer></script>`
	at := bytes.Index(page, []byte("</head>"))
	if at < 0 {
		at = bytes.Index(page, []byte("</body>"))
	}
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:at]...)
	out = append(out, tag...)
	return append(out, page[at:]...)
}

// lookup finds what the site path rel (unescaped, without the leading slash) serves: a file
// of the site, or a redirect (for a folder written without its trailing slash), or neither.
// Folders serve their index.html; there are no listings. Paths with "." or ".." segments,
// empty segments, backslashes or NUL bytes find nothing, and neither do the host's own
// files such as _headers.
func lookup(files map[string][]byte, rel string) (name, redirect string) {
	if strings.ContainsAny(rel, "\\\x00") {
		return "", ""
	}
	segs := strings.Split(rel, "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." || seg == "" && i != len(segs)-1 {
			return "", ""
		}
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		if _, ok := files[rel+"index.html"]; ok {
			return rel + "index.html", ""
		}
		return "", ""
	}
	if _, ok := files[rel]; ok {
		if strings.HasPrefix(path.Base(rel), "_") {
			return "", ""
		}
		return rel, ""
	}
	if _, ok := files[rel+"/index.html"]; ok {
		return "", path.Base(rel) + "/"
	}
	return "", ""
}

// encodedSeparator reports whether an escaped URL path hides a slash or backslash, as in
// "..%2fgo.mod": nothing of the site is named that way.
func encodedSeparator(escaped string) bool {
	e := strings.ToLower(escaped)
	return strings.Contains(e, "%2f") || strings.Contains(e, "%5c")
}

// serve writes data as the file name (its extension sets the Content-Type), honouring HEAD
// and Range requests.
func serve(w http.ResponseWriter, r *http.Request, name string, data []byte, status int) {
	w.Header().Set("Content-Type", contentType(name))
	if status != http.StatusOK {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(data)
		}
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// contentTypes are the types of the files a site has, independent of the system's MIME
// tables; others come from the system, or are sniffed.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".wasm":  "application/wasm",
	".svg":   "image/svg+xml",
	".xml":   "application/xml",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/vnd.microsoft.icon",
	".pdf":   "application/pdf",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".gz":    "application/gzip",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
