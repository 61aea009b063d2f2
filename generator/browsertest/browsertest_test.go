package browsertest

import (
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestServe(t *testing.T) {
	base := Serve(t, "testdata/good", "sub/path")
	if !strings.HasSuffix(base, "/sub/path/") {
		t.Fatalf("base URL %q does not end in /sub/path/", base)
	}
	host := strings.TrimSuffix(base, "/sub/path/")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		url      string
		status   int
		contains string // in the body
		header   string // X-Test-Header
		location string
	}{
		{url: base, status: 200, contains: "A good page", header: "all"},
		{url: base + "index.html", status: 301, location: "./"},
		{url: base + "other", status: 301, location: "other/"},
		{url: base + "other/", status: 200, contains: "Other page", header: "all"},
		{url: base + "img/logo.svg", status: 200, contains: "<svg", header: "all, img"},
		{url: base + "img/", status: 404, contains: "Page not found"}, // no listing
		{url: base + "nope/", status: 404, contains: "Page not found", header: "all"},
		{url: base + "_headers", status: 404, contains: "Page not found"},
		{url: host + "/sub/path", status: 301, location: "/sub/path/"},
		{url: host + "/", status: 404},
		{url: host + "/index.html", status: 404},
	} {
		resp, err := noRedirect.Get(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.url, resp.StatusCode, tc.status)
		}
		if !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s: body does not contain %q:\n%s", tc.url, tc.contains, body)
		}
		if tc.header != "" {
			if got := strings.Join(resp.Header.Values("X-Test-Header"), ", "); got != tc.header {
				t.Errorf("GET %s: X-Test-Header %q, want %q", tc.url, got, tc.header)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("GET %s: Content-Security-Policy %q", tc.url, csp)
			}
		}
		if got := resp.Header.Get("Location"); got != tc.location {
			t.Errorf("GET %s: Location %q, want %q", tc.url, got, tc.location)
		}
	}
	if root := Serve(t, "testdata/good", ""); strings.HasSuffix(root, "//") || !strings.HasSuffix(root, "/") {
		t.Errorf("root base URL %q", root)
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pat, path string
		want      bool
	}{
		{"/*", "/", true},
		{"/*", "/a/b/", true},
		{"/a/*", "/a/b.css", true},
		{"/a/*", "/b/a/", false},
		{"/*.css", "/x/y.css", true},
		{"/*.css", "/x/y.js", false},
		{"/:lang/terms/", "/en/terms/", true},
		{"/:lang/terms/", "/en/fr/terms/", false},
		{"/exact/", "/exact/", true},
		{"/exact/", "/exact/more", false},
		{"https://example.com/a/*", "/a/b", true},
	} {
		if got := (headerRule{pattern: tc.pat}).match(tc.path); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pat, tc.path, got, tc.want)
		}
	}
}

func TestVNU(t *testing.T) {
	start := time.Now()
	if ms := VNU(t, "testdata/good"); len(ms) > 0 {
		t.Errorf("good pages: %d errors:\n%s", len(ms), FormatMessages(ms))
	}
	t.Logf("vnu on testdata/good: %v", time.Since(start))

	ms := VNU(t, "testdata/bad/index.html")
	var alt *Message
	for i, m := range ms {
		if strings.Contains(m.Message, "alt") {
			alt = &ms[i]
		}
	}
	if alt == nil {
		t.Fatalf("bad page: no error about the missing alt attribute; got:\n%s", FormatMessages(ms))
	}
	want, _ := filepath.Abs("testdata/bad/index.html")
	if alt.File != want || alt.Line != 11 || alt.Column == 0 || alt.Type != "error" {
		t.Errorf("bad page: alt error at %s:%d:%d (%s), want %s:11", alt.File, alt.Line, alt.Column, alt.Type, want)
	}
	t.Logf("bad page, as reported:\n%s", FormatMessages(ms))

	// CSS and SVG checks on request.
	if ms := VNUWith(t, VNUOptions{CSS: true, SVG: true}, "testdata/good"); len(ms) > 0 {
		t.Errorf("good folder with CSS and SVG: %d errors:\n%s", len(ms), FormatMessages(ms))
	}
}

func TestAxe(t *testing.T) {
	start := time.Now()
	ctx := Browser(t)
	started := time.Since(start)
	base := Serve(t, "testdata/good", "/sub/path/")
	start = time.Now()
	vs := Axe(t, ctx, base)
	t.Logf("chromium start: %v; first axe run: %v", started, time.Since(start))
	if len(vs) > 0 {
		t.Errorf("good page: %d violations:\n%s", len(vs), FormatViolations(vs))
	}
	start = time.Now()
	if vs := Axe(t, ctx, base+"other/"); len(vs) > 0 {
		t.Errorf("good other page: %d violations:\n%s", len(vs), FormatViolations(vs))
	}
	t.Logf("second axe run: %v", time.Since(start))

	// Phone size, dark scheme.
	Viewport(t, ctx, 360, 740)
	ColorScheme(t, ctx, "dark")
	if vs := Axe(t, ctx, base); len(vs) > 0 {
		t.Errorf("good page, 360px, dark: %d violations:\n%s", len(vs), FormatViolations(vs))
	}
	ColorScheme(t, ctx, "")

	bad := Serve(t, "testdata/bad", "/sub/path/")
	vs = Axe(t, ctx, bad)
	if !slices.Contains(IDs(vs), "image-alt") {
		t.Fatalf("bad page: no image-alt violation; got %v:\n%s", IDs(vs), FormatViolations(vs))
	}
	for _, v := range vs {
		if v.ID == "image-alt" && (len(v.Nodes) != 1 || !strings.Contains(v.Nodes[0].HTML, "logo.svg") || v.Impact != "critical") {
			t.Errorf("image-alt violation: %s", v)
		}
	}
	t.Logf("bad page, as reported:\n%s", FormatViolations(vs))

	// The same page from disk (file://) works too.
	abs, _ := filepath.Abs("testdata/bad/index.html")
	if vs := Axe(t, ctx, "file://"+abs); !slices.Contains(IDs(vs), "image-alt") {
		t.Errorf("bad page from file://: no image-alt violation; got %v", IDs(vs))
	}
}

func TestPageErrors(t *testing.T) {
	ctx := Browser(t)
	base := Serve(t, "testdata/good", "/sub/path/")
	if errs := PageErrors(t, ctx, base); len(errs) > 0 {
		t.Errorf("good page: %d problems:\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	bad := Serve(t, "testdata/bad", "/sub/path/")
	errs := PageErrors(t, ctx, bad)
	all := strings.Join(errs, "\n")
	for _, want := range []string{
		"HTTP 404 " + bad + "missing.png (Image)",
		"Refused to apply style from '" + bad + "missing.css'",
		"CSP style-src-attr blocked inline at " + bad + ":11:23",
		"CSP script-src-elem blocked inline at " + bad + ":13:9",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("bad page: no problem %q in:\n%s", want, all)
		}
	}
	t.Logf("bad page, as reported:\n  %s", strings.Join(errs, "\n  "))
}
