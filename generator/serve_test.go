package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeAddr protects the default: serve binds to loopback, and refuses an address
// other machines can reach unless -public says so.
func TestServeAddr(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:1313", false, true},
		{"127.0.0.2:0", false, true},
		{"[::1]:1313", false, true},
		{"localhost:1313", false, true},
		{":1313", false, false},
		{"0.0.0.0:1313", false, false},
		{"[::]:1313", false, false},
		{"192.168.1.10:1313", false, false},
		{"example.com:1313", false, false},
		{":1313", true, true},
		{"0.0.0.0:1313", true, true},
		{"192.168.1.10:1313", true, true},
		{"no-port", false, false},
	} {
		if err := checkAddr(tc.addr, tc.public); (err == nil) != tc.ok {
			t.Errorf("checkAddr(%q, public=%v) = %v, want ok=%v", tc.addr, tc.public, err, tc.ok)
		}
	}
	for _, addr := range []string{"0.0.0.0:0", ":0"} {
		code, _, stderr := runCmd("serve", "-addr", addr)
		if code != 2 || !strings.Contains(stderr, "-public") {
			t.Errorf("serve -addr %s: exit %d, stderr %q; want 2 and a word about -public", addr, code, stderr)
		}
	}
	_, _, stderr := runCmd("serve", "-h")
	if !strings.Contains(stderr, `(default "127.0.0.1:1313")`) {
		t.Errorf("serve -h does not show the loopback default:\n%s", stderr)
	}
}

// TestServe runs the command on a site: it prints the URL, serves the draft from memory
// with the live-reload script, shows a save, never writes public/, and stops with its
// context.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir,
		"content/_site.yaml", "title: Served\n",
		"content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n",
		"content/a.md", "---\ntitle: A\n---\n\nFirst text.\n",
	)
	base, out := startServe(t, "-src", dir, "-addr", "127.0.0.1:0", "-v")
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if page := get("a/"); !strings.Contains(page, "First text.") || !strings.Contains(page, `<script src="../__livereload.js"`) {
		t.Fatalf("GET a/:\n%s", page)
	}
	writeSite(t, dir, "content/a.md", "---\ntitle: A\n---\n\nSecond text.\n")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(get("a/"), "Second text."); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the save was not served:\n%s", out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("serve wrote public/ (%v)", err)
	}
}

// startServe runs the serve command with args until the test ends and returns the URL it
// prints and its output.
func startServe(t *testing.T, args ...string) (base string, out *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, args, out, out) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("serve did not stop with its context")
		}
	})
	url := regexp.MustCompile(`at (http://[^ ]+/) `)
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := url.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no URL:\n%s", out.String())
		}
	}
	return base, out
}

// syncBuffer is a bytes.Buffer for one writer goroutine and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeHost protects the preview against DNS rebinding over a real listener: a request
// whose Host header names another site (a page whose name was made to resolve to
// 127.0.0.1) is refused with 403 on every path, the event stream and the script included;
// the listen address and the loopback names are answered; -public adds the machine's own
// addresses and -host names, and -host needs -public.
func TestServeHost(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir,
		"content/_site.yaml", "title: Served\n",
		"content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n",
		"content/a.md", "---\ntitle: A\n---\n\nDRAFT-TEXT\n",
	)
	status := func(base, host, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.Header.Get("Content-Type") == "text/event-stream" {
			return resp.StatusCode, ""
		}
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	paths := []string{"", "a/", "__livereload", "__livereload.js", "__livereload.css", "nope"}
	var own string // an address of this machine that is not loopback, if it has one
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
				own = ipn.IP.String()
				break
			}
		}
	}

	if own == "" {
		t.Log("this machine has no non-loopback IPv4 address: the -public own-address checks are skipped")
	}
	base, out := startServe(t, "-src", dir, "-addr", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port} {
		for _, p := range paths {
			if code, _ := status(base, host, p); code == 403 {
				t.Errorf("Host %s, GET /%s: 403", host, p)
			}
		}
	}
	refused := []string{"evil.example:" + port, "evil.example", "localhost", "127.0.0.1:1", "preview.lan:" + port}
	if own != "" {
		refused = append(refused, own+":"+port) // only with -public
	}
	for _, host := range refused {
		for _, p := range paths {
			if code, body := status(base, host, p); code != 403 || strings.Contains(body, "DRAFT-TEXT") || strings.Contains(body, "EventSource") {
				t.Errorf("Host %s, GET /%s: %d %q, want 403", host, p, code, body)
			}
		}
	}
	if !strings.Contains(out.String(), `refused a request for host "evil.example:`+port+`"`) {
		t.Errorf("the refusal is not logged:\n%s", out.String())
	}

	if code, _, stderr := runCmd("serve", "-src", dir, "-addr", "127.0.0.1:0", "-host", "preview.lan"); code != 2 || !strings.Contains(stderr, "-public") {
		t.Errorf("serve -host without -public: exit %d, %q; want 2 and a word about -public", code, stderr)
	}

	base, _ = startServe(t, "-src", dir, "-addr", "127.0.0.1:0", "-public", "-host", "preview.lan")
	_, port, _ = net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	allowed := []string{"127.0.0.1:" + port, "localhost:" + port, "preview.lan", "preview.lan:" + port, "Preview.LAN:8080"}
	if own != "" {
		allowed = append(allowed, own+":"+port)
	}
	for _, host := range allowed {
		if code, body := status(base, host, "a/"); code != 200 || !strings.Contains(body, "DRAFT-TEXT") {
			t.Errorf("-public -host preview.lan, Host %s: %d", host, code)
		}
	}
	for _, host := range []string{"evil.example:" + port, "preview.lan.evil.example:" + port, "lan:" + port} {
		if code, _ := status(base, host, "a/"); code != 403 {
			t.Errorf("-public -host preview.lan, Host %s: %d, want 403", host, code)
		}
	}
}

// TestServeHostsRule protects the rule serve gives the server for a wildcard -public
// address: the bound address, the loopback names and every address of the machine, at the
// listen port, and the -host names on any port.
func TestServeHostsRule(t *testing.T) {
	bound := &net.TCPAddr{IP: net.IPv4zero, Port: 4242}
	rule := serveHosts("0.0.0.0:0", bound, true, []string{"preview.lan"})
	want := []string{"localhost:4242", "127.0.0.1:4242", "[::1]:4242", "0.0.0.0:4242", "preview.lan"}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				want = append(want, net.JoinHostPort(ipn.IP.String(), "4242"))
			}
		}
	}
	for _, w := range want {
		if !slices.Contains(rule, w) {
			t.Errorf("rule %q lacks %s", rule, w)
		}
	}
	loop := serveHosts("127.0.0.1:0", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4242}, false, nil)
	for _, h := range loop {
		host, port, err := net.SplitHostPort(h)
		if err != nil || port != "4242" || !loopback(host) {
			t.Errorf("loopback rule %q has %s", loop, h)
		}
	}
}

// TestServeRootKept runs the command on a site root inside a Go module, as the project's
// own checkout is, and takes content/ away as a branch switch does: serve must keep
// serving the last good site, never go.mod or the Go sources, say what is wrong, and
// recover when content/ is back.
func TestServeRootKept(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir,
		"content/_site.yaml", "title: Served\n",
		"content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n",
		"content/a.md", "---\ntitle: A\n---\n\nFirst text.\n",
		"go.mod", "module secretmodule\n",
		"main.go", "package main // SECRET-GO-SOURCE\n",
		"README.md", "# SECRET-README\n",
	)
	base, out := startServe(t, "-src", dir, "-addr", "127.0.0.1:0")
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	waitOut := func(s string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), s); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("serve did not print %q:\n%s", s, out.String())
			}
		}
	}
	_, page := get("a/")
	if err := os.RemoveAll(filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	waitOut("content: the folder is gone; restore it (serve was started on a site root")
	for _, p := range []string{"go.mod", "main.go", "README/", "readme/", ""} {
		if code, body := get(p); strings.Contains(body, "SECRET") || strings.Contains(body, "secretmodule") || p != "" && code != 404 {
			t.Errorf("without content/, GET /%s: %d %q", p, code, body)
		}
	}
	if _, body := get("a/"); body != page {
		t.Errorf("without content/, GET /a/ is not the last good page:\n%s", body)
	}
	writeSite(t, dir,
		"content/_site.yaml", "title: Served\n",
		"content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n",
		"content/a.md", "---\ntitle: A\n---\n\nBack again.\n",
	)
	waitOut("build ok again")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, body := get("a/"); strings.Contains(body, "Back again.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the restored content/ is not served:\n%s", out.String())
		}
	}
}
