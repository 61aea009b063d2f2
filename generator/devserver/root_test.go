package devserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"affdocs/generator/site"
)

// TestHosts protects against DNS rebinding: a page of another site whose name resolves to
// 127.0.0.1 sends its own name as the Host header. Over a real listener, every path (pages,
// the event stream, the live-reload script) answers only the server's own address, and
// refuses anything else with 403 and a plain-text explanation that serves nothing of the site.
func TestHosts(t *testing.T) {
	hs := httptest.NewUnstartedServer(nil)
	_, port, _ := net.SplitHostPort(hs.Listener.Addr().String())
	srv := New(Config{
		Rebuild: fixed(testFiles).cfg.Rebuild,
		Hosts:   []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "preview.lan"},
	})
	hs.Config.Handler = srv
	hs.Start()
	t.Cleanup(hs.Close)
	t.Cleanup(srv.Close)

	get := func(host, path string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.Header.Get("Content-Type") == "text/event-stream" {
			return resp.StatusCode, resp.Header.Get("Content-Type"), "" // an open stream: no end to read to
		}
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
	}
	paths := []string{"/", "/a/", "/a/b/index.html", "/assets/site.css", "/nope", "/__livereload", "/__livereload.js", "/__livereload.css"}
	for _, host := range []string{
		"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port,
		"[0:0:0:0:0:0:0:1]:" + port, "preview.lan", "preview.lan:8443", "PREVIEW.LAN:" + port,
	} {
		for _, p := range paths {
			if code, _, _ := get(host, p); code == http.StatusForbidden {
				t.Errorf("Host %s, GET %s: 403, want it answered", host, p)
			}
		}
	}
	for _, host := range []string{
		"evil.example:" + port, "evil.example", "127.0.0.1.nip.io:" + port, "localhost.:" + port,
		"localhost", "127.0.0.1:1", "127.0.0.2:" + port, "[::2]:" + port, "preview.lan.evil.example",
		"10.0.0.1:" + port, "0.0.0.0:" + port,
	} {
		for _, p := range paths {
			code, ctype, body := get(host, p)
			if code != http.StatusForbidden || !strings.HasPrefix(ctype, "text/plain") || !strings.Contains(body, "answers only requests addressed to its own address") {
				t.Errorf("Host %s, GET %s: %d %s %q, want 403 with an explanation", host, p, code, ctype, body)
			}
			for _, leak := range []string{"page a", "page b", "home", "color:red", "EventSource", "livereload-overlay"} {
				if strings.Contains(body, leak) {
					t.Errorf("Host %s, GET %s: the refusal contains %q", host, p, leak)
				}
			}
		}
	}
	// A request without a Host header at all (HTTP/1.0) is refused too.
	conn, err := net.Dial("tcp", hs.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /a/ HTTP/1.0\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET without Host: %d, want 403", resp.StatusCode)
	}

	// Without Config.Hosts, the loopback names are answered on any port, and nothing else.
	def := httptest.NewServer(fixed(testFiles))
	t.Cleanup(def.Close)
	for host, want := range map[string]int{"localhost:9": 200, "127.0.0.1:9": 200, "[::1]": 200, "evil.example": 403, "evil.example:" + port: 403} {
		req, _ := http.NewRequest("GET", def.URL+"/a/", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("default rule, Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestSiteRootKept protects a site root whose content/ goes away (a branch switch, a folder
// deleted by mistake): the root stays a site root, never a bare folder of Markdown that
// publishes go.mod and the Go sources. The rebuild fails with a problem on content/, the last
// good site stays served, and the site comes back with content/.
func TestSiteRootKept(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "content/_site.yaml", "title: Kept\n")
	write(t, dir, "content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n")
	write(t, dir, "content/a.md", "---\ntitle: A\n---\n\nFirst text.\n")
	write(t, dir, "go.mod", "module secretmodule\n")
	write(t, dir, "main.go", "package main // SECRET-GO-SOURCE\n")
	write(t, dir, "NOTES.md", "---\ntitle: Notes\n---\n\nSECRET-NOTES\n")
	rebuild, _ := SiteBuilder(dir, testOptions())
	srv := startWatched(t, dir, rebuild, false, "")
	if p := srv.Problems(); p != nil {
		t.Fatalf("first build: %v", p)
	}
	before := srv.Files()
	if !strings.Contains(string(before["a/index.html"]), "First text.") {
		t.Fatalf("a/ not built: %v", keys(before))
	}

	wait := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10s; problems %q, files %v", what, srv.Problems(), keys(srv.Files()))
			}
		}
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for _, gone := range []func(){ // deleted, then moved away
		func() { os.RemoveAll(filepath.Join(dir, "content")) },
		func() { os.Rename(filepath.Join(dir, "content"), filepath.Join(dir, "content.away")) },
	} {
		_, lastGood := get("a/")
		gone()
		wait("the problem on content/", func() bool {
			p := srv.Problems()
			return len(p) == 1 && strings.HasPrefix(p[0], "content/: the folder is gone; restore it (serve was started on a site root")
		})
		for _, f := range []string{"go.mod", "main.go", "NOTES/index.html", "notes/index.html"} {
			if _, ok := srv.Files()[f]; ok {
				t.Errorf("without content/, the site has %s", f)
			}
		}
		for _, p := range []string{"go.mod", "main.go", "notes/", "NOTES/", "NOTES.md"} {
			if code, body := get(p); code != 404 || strings.Contains(body, "SECRET") || strings.Contains(body, "secretmodule") {
				t.Errorf("without content/, GET %s: %d %q", p, code, body)
			}
		}
		if code, body := get("a/"); code != 200 || body != lastGood {
			t.Errorf("without content/, GET a/: %d %q, want the last good page", code, body)
		}
		// One more change outside content/ changes nothing.
		write(t, dir, "other.md", "---\ntitle: Other\n---\n\nSECRET-OTHER\n")
		time.Sleep(50 * time.Millisecond)
		if code, _ := get("other/"); code != 404 {
			t.Errorf("without content/, GET other/: %d", code)
		}

		if _, err := os.Stat(filepath.Join(dir, "content.away")); err == nil {
			os.Rename(filepath.Join(dir, "content.away"), filepath.Join(dir, "content"))
			time.Sleep(20 * time.Millisecond)
			write(t, dir, "content/a.md", "---\ntitle: A\n---\n\nBack by rename.\n")
		} else {
			write(t, dir, "content/_site.yaml", "title: Kept\n")
			write(t, dir, "content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n")
			write(t, dir, "content/a.md", "---\ntitle: A\n---\n\nBack again.\n")
		}
		wait("recovery", func() bool {
			return srv.Problems() == nil && strings.Contains(string(srv.Files()["a/index.html"]), "Back")
		})
		if code, body := get("a/"); code != 200 || !strings.Contains(body, "Back") {
			t.Errorf("after content/ came back, GET a/: %d %q", code, body)
		}
	}
}

// TestBareRootKept protects the other half of the decision: a bare folder of Markdown that
// gains a content/ folder is not silently narrowed to it; the rebuild says to restart.
func TestBareRootKept(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.md", "---\ntitle: A\n---\n\nBare text.\n")
	rebuild, _ := SiteBuilder(dir, testOptions())
	if _, err := rebuild(nil); err != nil {
		t.Fatalf("bare folder: %v", err)
	}
	write(t, dir, "content/b.md", "---\ntitle: B\n---\n\nB.\n")
	_, err := rebuild([]string{"content/b.md"})
	if err == nil || !strings.Contains(err.Error(), "content/: this folder appeared after serve started on a bare folder") {
		t.Errorf("after content/ appeared: %v", err)
	}
	os.RemoveAll(filepath.Join(dir, "content"))
	if _, err := rebuild([]string{"content"}); err != nil {
		t.Errorf("after content/ went again: %v", err)
	}
}

// TestSymlinkOutside protects the sources' boundary: a symlink in content/ to a file
// outside the site is refused, not followed. The build reports it, and nothing of the
// file is served.
func TestSymlinkOutside(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, "secret.md", "---\ntitle: Secret\n---\n\nTOP-SECRET-TEXT\n")
	write(t, outside, "secret.txt", "TOP-SECRET-BYTES\n")
	dir := t.TempDir()
	write(t, dir, "content/_site.yaml", "title: Linked\n")
	write(t, dir, "content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n")
	write(t, dir, "content/a.md", "---\ntitle: A\n---\n\nA page.\n")
	for link, target := range map[string]string{
		"content/leak.md":          filepath.Join(outside, "secret.md"),
		"content/files/leak.txt":   filepath.Join(outside, "secret.txt"),
		"content/rel.md":           filepath.Join("..", "..", filepath.Base(outside), "secret.md"),
		"content/linkeddir":        outside,
		"content/files/inside.txt": filepath.Join("..", "a.md"), // inside the site: allowed
	} {
		p := filepath.Join(dir, filepath.FromSlash(link))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	rebuild, _ := SiteBuilder(dir, testOptions())
	res, err := rebuild(nil)
	if err == nil {
		t.Fatalf("the build accepted symlinks leading out of the site; files %v", keys(res.Files))
	}
	t.Logf("the build reports:\n%v", err)
	for _, name := range []string{"content/leak.md", "content/files/leak.txt"} {
		if !strings.Contains(err.Error(), name+": a symlink leading out of the site") {
			t.Errorf("the build does not report %s:\n%v", name, err)
		}
	}
	srv := New(Config{Rebuild: rebuild})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for _, p := range []string{"leak/", "files/leak.txt", "rel/", "linkeddir/secret.txt", "linkeddir/secret/"} {
		resp, err := http.Get(hs.URL + "/" + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 || strings.Contains(string(body), "TOP-SECRET") {
			t.Errorf("GET %s: %d %q", p, resp.StatusCode, body)
		}
	}
	for name, data := range srv.Files() {
		if strings.Contains(string(data), "TOP-SECRET") {
			t.Errorf("%s holds the outside file's text", name)
		}
	}

	// Once the links are gone, the site builds.
	for _, link := range []string{"content/leak.md", "content/files/leak.txt", "content/rel.md", "content/linkeddir"} {
		os.Remove(filepath.Join(dir, filepath.FromSlash(link)))
	}
	res, err = rebuild([]string{"content"})
	if err != nil {
		t.Fatalf("without the outside links: %v", err)
	}
	if !strings.Contains(string(res.Files["files/inside.txt"]), "A page.") {
		t.Errorf("a relative symlink inside the site is not followed: files/inside.txt = %q", res.Files["files/inside.txt"])
	}
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestSiteFS protects the guard behind the start-time decision: even a build that finds
// content/ gone halfway through (and so takes the folder for bare Markdown) sees content/
// and themes/ only, never go.mod or the Go sources.
func TestSiteFS(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module secretmodule\n")
	write(t, dir, "main.go", "package main // SECRET-GO-SOURCE\n")
	write(t, dir, "NOTES.md", "---\ntitle: Notes\n---\n\nSECRET-NOTES\n")
	write(t, dir, "themes/x/static/x.css", "body{}")
	fsys := siteFS{os.DirFS(dir)}
	ds, err := fs.ReadDir(fsys, ".")
	if err != nil || len(ds) != 1 || ds[0].Name() != "themes" {
		t.Errorf("ReadDir(.) = %v, %v; want themes only", ds, err)
	}
	for _, name := range []string{"go.mod", "main.go", "NOTES.md", "."} {
		if _, err := fs.ReadFile(fsys, name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(%s): %v, want not found", name, err)
		}
	}
	if _, err := fs.ReadFile(fsys, "themes/x/static/x.css"); err != nil {
		t.Errorf("ReadFile(themes/x/static/x.css): %v", err)
	}
	res, _ := site.Build(fsys, testOptions())
	for name, data := range res.Files {
		if strings.Contains(string(data), "SECRET") || strings.Contains(string(data), "secretmodule") {
			t.Errorf("a build of the folder without content/ published %s", name)
		}
	}
}
