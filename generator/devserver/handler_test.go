package devserver

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"affdocs/generator/site"
)

// fixed is a server whose every build is files.
func fixed(files map[string][]byte) *Server {
	return New(Config{Rebuild: func([]string) (*site.Result, error) { return &site.Result{Files: files}, nil }})
}

var testFiles = map[string][]byte{
	"index.html":            []byte("<!doctype html><html><head><title>Home</title></head><body>home</body></html>"),
	"a/index.html":          []byte("<!doctype html><html><head><title>A</title></head><body>page a</body></html>"),
	"a/b/index.html":        []byte("<!doctype html><html><head><title>B</title></head><body>page b</body></html>"),
	"404.html":              []byte("<!doctype html><html><head><title>Not found</title></head><body>Page not found</body></html>"),
	"assets/site.css":       []byte("body{color:red}"),
	"assets/site.js":        []byte("console.log(1)"),
	"assets/selfcheck.wasm": []byte("\x00asm\x01\x00\x00\x00"),
	"a/rules.json":          []byte(`{"rules":[]}`),
	"sitemap.xml":           []byte("<urlset/>"),
	"img/logo.svg":          []byte("<svg/>"),
	"_headers":              []byte("/*\n  X-Frame-Options: DENY\n"),
}

// TestServeFiles protects what the server answers: files of the build with their types,
// folders through index.html, relative redirects, the site's 404 page, and the reload
// script added to HTML only, with a URL relative to the page.
func TestServeFiles(t *testing.T) {
	hs := httptest.NewServer(fixed(testFiles))
	defer hs.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		path, ctype string
		status      int
		body        string // contained in the body
		script      string // the injected script's src, "" for none
		location    string
	}{
		{path: "/", status: 200, ctype: "text/html; charset=utf-8", body: "home", script: "__livereload.js"},
		{path: "/index.html", status: 200, ctype: "text/html; charset=utf-8", body: "home", script: "__livereload.js"},
		{path: "/a/", status: 200, ctype: "text/html; charset=utf-8", body: "page a", script: "../__livereload.js"},
		{path: "/a/b/", status: 200, body: "page b", script: "../../__livereload.js"},
		{path: "/a/b/index.html", status: 200, body: "page b", script: "../../__livereload.js"},
		{path: "/a", status: 301, location: "a/"},
		{path: "/a/b?x=1", status: 301, location: "b/?x=1"},
		{path: "/assets/site.css", status: 200, ctype: "text/css; charset=utf-8", body: "body{color:red}"},
		{path: "/assets/site.css?v=123", status: 200, ctype: "text/css; charset=utf-8", body: "body{color:red}"},
		{path: "/assets/site.js", status: 200, ctype: "text/javascript; charset=utf-8"},
		{path: "/assets/selfcheck.wasm", status: 200, ctype: "application/wasm"},
		{path: "/a/rules.json", status: 200, ctype: "application/json"},
		{path: "/img/logo.svg", status: 200, ctype: "image/svg+xml"},
		{path: "/sitemap.xml", status: 200, ctype: "application/xml"},
		{path: "/img/", status: 404, body: "Page not found", script: "../__livereload.js"}, // no listings
		{path: "/nope", status: 404, body: "Page not found", script: "__livereload.js"},
		{path: "/no/such/page/", status: 404, body: "Page not found", script: "../../../__livereload.js"},
		{path: "/_headers", status: 404, body: "Page not found", script: "__livereload.js"},
		{path: "/__livereload.js", status: 200, ctype: "text/javascript; charset=utf-8", body: "EventSource"},
		{path: "/__livereload.css", status: 200, ctype: "text/css; charset=utf-8", body: "#livereload-overlay"},
	} {
		resp, err := noRedirect.Get(hs.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.path, resp.StatusCode, tc.status)
		}
		if tc.ctype != "" && resp.Header.Get("Content-Type") != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, resp.Header.Get("Content-Type"), tc.ctype)
		}
		if !bytes.Contains(body, []byte(tc.body)) {
			t.Errorf("GET %s: body does not contain %q:\n%s", tc.path, tc.body, body)
		}
		if tc.script != "" {
			if want := `<script src="` + tc.script + `"`; !bytes.Contains(body, []byte(want)) {
				t.Errorf("GET %s: no %s in\n%s", tc.path, want, body)
			}
		} else if bytes.Contains(body, []byte("<script src=")) {
			t.Errorf("GET %s: a script was injected into a non-HTML file:\n%s", tc.path, body)
		}
		if got := resp.Header.Get("Location"); got != tc.location {
			t.Errorf("GET %s: Location %q, want %q", tc.path, got, tc.location)
		}
	}
	if resp, err := http.Post(hs.URL+"/", "text/plain", nil); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %v %v, want 405", resp.StatusCode, err)
	}
}

// TestInject protects where the script goes and what it carries.
func TestInject(t *testing.T) {
	page := []byte("<html><head><title>x</title></head><body></body></html>")
	got := string(Inject(page, "a/b/", "a/b/index.html", "abc-1"))
	want := `<html><head><title>x</title><script src="../../__livereload.js" data-file="a/b/index.html" data-build="abc-1" defer></script></head><body></body></html>`
	if got != want {
		t.Errorf("Inject:\n got %s\nwant %s", got, want)
	}
	if got := string(Inject([]byte("<p>no head</p></body>"), "", "x.html", "1")); !strings.HasPrefix(got, `<p>no head</p><script src="__livereload.js"`) {
		t.Errorf("Inject without </head>: %s", got)
	}
	if got := string(Inject([]byte(`<p>`), "", `a"b.html`, "1")); !strings.Contains(got, `data-file="a&#34;b.html"`) {
		t.Errorf("Inject does not escape the file name: %s", got)
	}
}

// TestPathTraversal protects the source folder: no URL, however encoded, reaches a file
// that is not part of the built site.
func TestPathTraversal(t *testing.T) {
	dir := t.TempDir()
	secret := "module secret.example/do-not-serve"
	write(t, dir, "go.mod", secret)
	write(t, dir, "content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n")
	write(t, dir, "content/a/page.md", "---\ntitle: Page\n---\n\nSECRET-SOURCE-MARKER is only in the source? No: it is published.\n")
	write(t, dir, "content/_site.yaml", "title: T\n")
	srv := New(Config{Root: dir, Rebuild: siteRebuild(dir, testOptions())})
	if srv.Files() == nil {
		t.Fatalf("site did not build: %v", srv.Problems())
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	paths := []string{
		"/../go.mod", "/../../go.mod", "/a/../../go.mod", "/%2e%2e/go.mod", "/%2E%2E/go.mod",
		"/..%2fgo.mod", "/..%2Fgo.mod", "/a/..%2f..%2fgo.mod", "/%2e%2e%2fgo.mod", "/..%5cgo.mod",
		"/a%2fpage/", "/..\\go.mod", "/./go.mod", "//go.mod", "/go.mod",
		"/content/_site.yaml", "/content/a/page.md", "/a/page.md", "/%00", "/a/page/%2e%2e/%2e%2e/go.mod",
	}
	for _, p := range paths {
		// Raw request lines: an HTTP client would clean some of these paths itself.
		status, body := rawGet(t, hs.Listener.Addr().String(), p)
		if status != 404 && status != 400 {
			t.Errorf("GET %s: status %d, want 404 (or 400)", p, status)
		}
		if strings.Contains(body, secret) || strings.Contains(body, "title: Page") || strings.Contains(body, "title: T") {
			t.Errorf("GET %s served a source file:\n%s", p, body)
		}
		// And straight into the handler, whatever the HTTP server does first.
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "http://localhost"+strings.ReplaceAll(p, "\\", "%5c"), nil)
		srv.ServeHTTP(rec, req)
		if rec.Code != 404 || strings.Contains(rec.Body.String(), secret) {
			t.Errorf("ServeHTTP %s: status %d, body %q", p, rec.Code, rec.Body.String())
		}
	}
	if status, _ := rawGet(t, hs.Listener.Addr().String(), "/a/page/"); status != 200 {
		t.Errorf("GET /a/page/: status %d, want 200", status)
	}
}

// rawGet sends a request line as written and returns the status and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(body)
}

// TestSubPath protects serving under a sub-path (a proxy that strips a prefix): redirects
// and the script's URL are relative, and the event stream is found under the prefix.
func TestSubPath(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/preview/", http.StripPrefix("/preview", fixed(testFiles)))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close) // after the event stream's cleanup
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(hs.URL + "/preview/a")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc, _ := resp.Location(); resp.StatusCode != 301 || loc.Path != "/preview/a/" {
		t.Errorf("GET /preview/a: %d to %v, want 301 to /preview/a/", resp.StatusCode, loc)
	}
	resp, err = http.Get(hs.URL + "/preview/a/b/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte(`<script src="../../__livereload.js"`)) {
		t.Fatalf("GET /preview/a/b/: no relative script in\n%s", body)
	}
	// The script at ../../__livereload.js from /preview/a/b/ is /preview/__livereload.js;
	// it opens the stream next to itself.
	if resp, err := http.Get(hs.URL + "/preview/__livereload.js"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /preview/__livereload.js: %v %v", resp.StatusCode, err)
	}
	connect(t, hs.URL+"/preview/")
}

// TestBuildHasNoReloadScript protects what build publishes: the live-reload script is the
// server's, added as pages are served, never part of site.Build's output.
func TestBuildHasNoReloadScript(t *testing.T) {
	dir := repoRoot(t)
	for _, opt := range []site.Options{{}, {Draft: true}, {NoMinify: true}} {
		res, err := site.Build(os.DirFS(dir), opt)
		if err != nil {
			t.Fatalf("building the real site: %v", err)
		}
		for name, data := range res.Files {
			if bytes.Contains(data, []byte("__livereload")) || bytes.Contains(data, []byte("livereload")) {
				t.Errorf("%+v: %s contains the live-reload script", opt, name)
			}
		}
	}
	srv := New(Config{Root: dir, Rebuild: siteRebuild(dir, site.Options{})})
	page := srv.Files()["index.html"]
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/", nil))
	if !strings.Contains(rec.Body.String(), `<script src="__livereload.js"`) || bytes.Contains(page, []byte("__livereload")) {
		t.Errorf("the served home page should carry the script and the built one should not")
	}
}
