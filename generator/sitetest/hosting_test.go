package sitetest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"

	"affdocs/generator/browsertest"
	"affdocs/generator/output"
	"affdocs/generator/site"
	"affdocs/generator/toolchain"
)

// TestNginx protects the nginx configuration the build writes (_hosting/nginx.conf), with a
// real nginx serving the built site: the repository's site under its baseURL's path (a
// sub-path of the host), and a small site with old addresses at a host's root. Over HTTP:
// a missing page is answered 404 with the 404 page, whose stylesheet, scripts and links
// resolve; old addresses and v/latest/ are permanent redirects to the right place; every
// response has the Content-Security-Policy the pages are built for, nosniff and
// frame-ancestors, and the cache lifetime of its kind; the self-check module is
// application/wasm, sent as its brotli or gzip copy to a browser that accepts one; the
// host's own files (_headers, _hosting/) are not served.
func TestNginx(t *testing.T) {
	nginx := nginxPath(t)
	t.Run("sub-path", func(t *testing.T) {
		dir, _ := realSite(t)
		u, err := url.Parse(baseURL(t))
		if err != nil {
			t.Fatal(err)
		}
		host := startNginx(t, nginx, dir, u.Path)
		checkHost(t, host+u.Path, dir, hostCase{latest: "alidropship/terms/"})
	})
	t.Run("root", func(t *testing.T) {
		dir := buildTxtar(t, "testdata/hosting.txtar")
		host := startNginx(t, nginx, dir, "/")
		checkHost(t, host+"/", dir, hostCase{latest: "terms/", aliases: map[string]string{
			"old/terms/": "terms/", "old/terms/index.html": "terms/", "articles/terms.html": "terms/",
		}})
	})
}

// hostCase is what a site served by a host must redirect.
type hostCase struct {
	latest  string            // a page of v/latest/, redirected to the same page at the unversioned paths
	aliases map[string]string // old address -> the page it redirects to
}

// checkHost checks the site built into dir, served at base (ending in "/") by a host
// configured with the build's own files.
func checkHost(t *testing.T, base, dir string, c hostCase) {
	t.Helper()
	csp := site.CSP + "; frame-ancestors 'none'"
	security := func(t *testing.T, r *response) {
		t.Helper()
		for name, want := range map[string]string{"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := r.header.Get(name); got != want {
				t.Errorf("GET %s: %s %q, want %q", r.url, name, got, want)
			}
		}
	}
	const short, long = "public, max-age=0, must-revalidate", "public, max-age=31536000, immutable"

	t.Run("page", func(t *testing.T) {
		r := get(t, base, "")
		r.want(t, 200, "text/html", short)
		security(t, r)
	})

	t.Run("404", func(t *testing.T) {
		r := get(t, base+"no/such/page/", "")
		r.want(t, 404, "text/html", short)
		security(t, r)
		if !bytes.Contains(r.body, []byte("Page not found")) {
			t.Fatalf("GET %s: not the 404 page:\n%.400s", r.url, r.body)
		}
		links := regexp.MustCompile(`(?:href|src)="([^"#]+)`).FindAllSubmatch(r.body, -1)
		if len(links) < 3 {
			t.Fatalf("the 404 page has %d links", len(links))
		}
		for _, l := range links {
			ref, err := url.Parse(string(l[1]))
			if err != nil {
				t.Fatal(err)
			}
			target := r.request.ResolveReference(ref)
			lr := get(t, target.String(), "")
			if lr.status != 200 {
				t.Errorf("the 404 page at %s links to %s: status %d", r.url, target, lr.status)
			}
			if strings.HasSuffix(target.Path, ".css") && !strings.HasPrefix(lr.header.Get("Content-Type"), "text/css") {
				t.Errorf("%s: Content-Type %q, not a stylesheet", target, lr.header.Get("Content-Type"))
			}
		}
		// A folder without index.html is missing too, not forbidden.
		get(t, base+"assets/", "").want(t, 404, "text/html", short)
	})

	t.Run("redirects", func(t *testing.T) {
		redirects := map[string]string{"v/latest/" + c.latest: c.latest}
		for from, to := range c.aliases {
			redirects[from] = to
		}
		for from, to := range redirects {
			r := get(t, base+from, "")
			want, _ := url.Parse(base + to)
			if loc := r.header.Get("Location"); r.status != 301 || loc != want.Path {
				t.Errorf("GET %s: %d to %q; want 301 to %q", r.url, r.status, loc, want.Path)
			}
			if r := get(t, base+to, ""); r.status != 200 {
				t.Errorf("GET %s (redirected to): status %d", r.url, r.status)
			}
		}
	})

	t.Run("assets", func(t *testing.T) {
		r := get(t, base+"assets/site.css?v=1", "gzip")
		r.want(t, 200, "text/css", long)
		security(t, r)
		if r.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s: Content-Encoding %q; want gzip (text is compressed)", r.url, r.header.Get("Content-Encoding"))
		}
	})

	t.Run("module", func(t *testing.T) {
		wasm := base + "assets/selfcheck.wasm?v=1"
		for _, tc := range []struct{ accept, encoding, file string }{
			{"", "", "selfcheck.wasm"},
			{"gzip", "gzip", "selfcheck.wasm.gz"},
			{"br", "br", "selfcheck.wasm.br"},
			{"gzip, deflate, br, zstd", "br", "selfcheck.wasm.br"}, // what chromium sends
		} {
			r := get(t, wasm, tc.accept)
			r.want(t, 200, "application/wasm", long)
			security(t, r)
			if got := r.header.Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("GET %s with Accept-Encoding %q: Content-Encoding %q, want %q", wasm, tc.accept, got, tc.encoding)
			}
			if tc.encoding != "" && !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("GET %s with Accept-Encoding %q: no Vary: Accept-Encoding", wasm, tc.accept)
			}
			if want, _ := os.ReadFile(filepath.Join(dir, "assets", tc.file)); !bytes.Equal(r.body, want) {
				t.Errorf("GET %s with Accept-Encoding %q: %d bytes, not %s's %d", wasm, tc.accept, len(r.body), tc.file, len(want))
			}
		}
		// The gzip copy asked for by name (the self-check's loader does, and decompresses
		// it itself where a host would not compress) comes as it is, or as the brotli copy
		// to a browser that accepts it.
		for _, tc := range []struct{ accept, encoding, file string }{
			{"gzip", "", "selfcheck.wasm.gz"},
			{"gzip, deflate, br, zstd", "br", "selfcheck.wasm.br"},
		} {
			r := get(t, base+"assets/selfcheck.wasm.gz?v=1", tc.accept)
			want, _ := os.ReadFile(filepath.Join(dir, "assets", tc.file))
			if r.status != 200 || r.header.Get("Content-Encoding") != tc.encoding || !bytes.Equal(r.body, want) {
				t.Errorf("GET %s with Accept-Encoding %q: status %d, Content-Encoding %q, %d bytes; want %s (%d bytes), Content-Encoding %q",
					r.url, tc.accept, r.status, r.header.Get("Content-Encoding"), len(r.body), tc.file, len(want), tc.encoding)
			}
		}
		// The brotli copy is sent only for the names above.
		if r := get(t, base+"assets/selfcheck.wasm.br", "br"); r.status != 404 {
			t.Errorf("GET %s: status %d; want 404", r.url, r.status)
		}
	})

	t.Run("host files", func(t *testing.T) {
		for _, name := range []string{"_headers", "_redirects", ".htaccess", "_hosting/nginx.conf", ".affdocs-output"} {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Errorf("the build wrote no %s", name)
			}
			if r := get(t, base+name, ""); r.status != 404 {
				t.Errorf("GET %s: status %d; want 404 (the host's file, not the reader's)", r.url, r.status)
			}
		}
	})
}

// response is what a GET answered.
type response struct {
	url     string
	request *url.URL
	status  int
	header  http.Header
	body    []byte
}

// noFollow fetches without following redirects or decompressing.
var noFollow = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second,
}

// get fetches u with the Accept-Encoding given ("" for none).
func get(t *testing.T, u, acceptEncoding string) *response {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{url: u, request: req.URL, status: resp.StatusCode, header: resp.Header, body: body}
}

func (r *response) want(t *testing.T, status int, contentType, cache string) {
	t.Helper()
	if r.status != status {
		t.Errorf("GET %s: status %d, want %d", r.url, r.status, status)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, contentType) {
		t.Errorf("GET %s: Content-Type %q, want %s", r.url, ct, contentType)
	}
	if cc := r.header.Get("Cache-Control"); cc != cache {
		t.Errorf("GET %s: Cache-Control %q, want %q", r.url, cc, cache)
	}
}

// nginxPath is the nginx binary; without one the test is skipped (or fails under
// AFFDOCS_REQUIRE_TOOLS=1, as CI runs it).
func nginxPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} { // /usr/sbin is not on every user's PATH
		if p, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	msg := "nginx test skipped: nginx not found (apt-get install nginx)"
	if os.Getenv(browsertest.RequireToolsEnv) == "1" {
		t.Fatalf("%s [%s=1]", msg, browsertest.RequireToolsEnv)
	}
	t.Skip(msg)
	return ""
}

// startNginx serves dir at the path base of a new nginx (one process, no root needed, on a
// free loopback port) whose server block includes the site's _hosting/nginx.conf, and
// returns its address, "http://127.0.0.1:PORT". nginx stops when the test ends.
func startNginx(t *testing.T, nginx, dir, base string) string {
	t.Helper()
	prefix := t.TempDir()
	www := filepath.Join(prefix, "www")
	link := filepath.Join(www, filepath.FromSlash(strings.Trim(base, "/")))
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if base == "/" {
		link = www
	}
	abs, _ := filepath.Abs(dir)
	if err := os.Symlink(abs, link); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // nginx would otherwise read the site as nobody
	}
	conf := fmt.Sprintf(`%s
daemon off;
master_process off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 64; }
http {
    include %[3]s;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    server {
        listen %[4]s;
        server_name localhost;
        root %[5]s;
        include %[6]s;
    }
}
`, user, prefix, mimeTypes(nginx), addr, www, filepath.Join(abs, "_hosting", "nginx.conf"))
	confFile := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-p", prefix, "-c", confFile, "-e", filepath.Join(prefix, "error.log")}
	if out, err := exec.Command(nginx, append(args, "-t")...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s\nconfiguration:\n%s", err, out, conf)
	}
	cmd := exec.Command(nginx, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
			t.Logf("nginx error log:\n%s", log)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return "http://" + addr
		}
		select {
		case err := <-exited:
			t.Fatalf("nginx exited: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx is not listening on %s after 10s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mimeTypes is the mime.types file beside nginx's own configuration.
func mimeTypes(nginx string) string {
	out, _ := exec.Command(nginx, "-V").CombinedOutput()
	if m := regexp.MustCompile(`--conf-path=(\S+)`).FindSubmatch(out); m != nil {
		return filepath.Join(filepath.Dir(string(m[1])), "mime.types")
	}
	return "/etc/nginx/mime.types"
}

// buildTxtar builds the site of a txtar archive (with a stand-in self-check module and its
// compressed copies) into a new folder, and returns the folder.
func buildTxtar(t *testing.T, file string) string {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := txtar.FS(ar)
	if err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(fsys, site.Options{
		Today: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
		SelfCheck: func() (*toolchain.Module, error) {
			return standInModule(), nil
		},
	})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	dir := filepath.Join(t.TempDir(), path.Base(strings.TrimSuffix(file, ".txtar")))
	if err := output.Write(dir, res.Files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// standInModule is a valid, empty WebAssembly module padded to a size worth compressing,
// with its brotli and gzip copies.
func standInModule() *toolchain.Module {
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), 0, 0x81, 0x80, 0x04) // a custom section of 65,537 bytes:
	wasm = append(wasm, 0)                                                 // its name is empty,
	wasm = append(wasm, bytes.Repeat([]byte("affdocs "), 8192)...)         // then its bytes
	var gz, br bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(wasm)
	zw.Close()
	bw := brotli.NewWriter(&br)
	bw.Write(wasm)
	bw.Close()
	return &toolchain.Module{Wasm: wasm, WasmGzip: gz.Bytes(), WasmBrotli: br.Bytes(), WasmExec: []byte("// wasm_exec.js stand-in\n")}
}

// maxSelfCheckTransfer is the most the self-check page may cost to load, everything
// included (HTML, stylesheet, scripts, wasm_exec.js, the module): a phone on a slow
// connection should not pay for the 2.4 MB module uncompressed.
const maxSelfCheckTransfer = 800_000

// TestSelfCheckTransfer protects the self-check's download on any host: loaded in chromium
// from a plain static server that compresses nothing (Go's http.FileServer), the whole
// self-check page, module included, transfers at most 800 KB, because the page's script
// fetches the module's gzip copy by name and decompresses it itself. From nginx with the
// build's configuration (when nginx is installed) it transfers less.
func TestSelfCheckTransfer(t *testing.T) {
	dir, _ := realSite(t)
	ctx := browsertest.Browser(t)
	const page = "aliexpress/self-check/index.html"
	plain := selfCheckTransfer(t, ctx, browsertest.Serve(t, dir, otherPath)+page)
	if plain > maxSelfCheckTransfer {
		t.Errorf("the self-check page transfers %d bytes from a plain static server; want at most %d", plain, maxSelfCheckTransfer)
	}
	t.Run("nginx", func(t *testing.T) {
		nginx := nginxPath(t)
		u, err := url.Parse(baseURL(t))
		if err != nil {
			t.Fatal(err)
		}
		compressed := selfCheckTransfer(t, ctx, startNginx(t, nginx, dir, u.Path)+u.Path+page)
		if compressed > plain {
			t.Errorf("the self-check page transfers %d bytes from nginx, more than the %d from a plain server", compressed, plain)
		}
	})
}

// selfCheckTransfer loads a self-check page with the browser's cache off, waits until the
// form is ready (its module loaded and running), and returns the bytes that came over the
// network for it, headers included; the test's log lists them by request.
func selfCheckTransfer(t *testing.T, ctx context.Context, pageURL string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var (
		mu    sync.Mutex
		urls  = map[network.RequestID]string{}
		sizes = map[network.RequestID]float64{}
	)
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			urls[ev.RequestID] = ev.Request.URL
		case *network.EventLoadingFinished:
			sizes[ev.RequestID] = ev.EncodedDataLength
		}
	}); err != nil {
		t.Fatal(err)
	}
	noCache := chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tab, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tab, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		return err
	})
	if err := chromedp.Do(ctx, noCache, chromedp.Navigate(pageURL), chromedp.WaitVisible("#selfcheck")); err != nil {
		t.Fatalf("%s: %v", pageURL, err)
	}
	var total int64
	var lines []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		total, lines = 0, lines[:0]
		module := false
		for id, n := range sizes {
			if strings.HasPrefix(urls[id], "data:") {
				continue // the stylesheet's inline images: nothing transferred
			}
			total += int64(n)
			lines = append(lines, fmt.Sprintf("%9d  %s", int64(n), urls[id]))
			module = module || strings.Contains(urls[id], "/selfcheck.wasm")
		}
		mu.Unlock()
		if module || time.Now().After(deadline) {
			break
		}
	}
	slices.Sort(lines)
	t.Logf("%s: %d bytes in %d requests:\n%s", pageURL, total, len(lines), strings.Join(lines, "\n"))
	return total
}
