package site

import (
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"affdocs/generator/golden"
	"affdocs/generator/toolchain"
)

// TestHostingFormats protects each host's configuration, all written from one description
// of the site's rules (Hosting): _headers and _redirects (Netlify, Cloudflare Pages),
// .htaccess (Apache) and _hosting/nginx.conf. Each testdata/hosting/*.txtar is a site and
// the files it must produce (out/<file>) and its warnings; -update rewrites them. nginx
// itself serves what these say in ../sitetest's TestNginx.
func TestHostingFormats(t *testing.T) {
	golden.Run(t, "testdata/hosting/*.txtar", func(t *testing.T, _ *txtar.Archive) map[string][]byte {
		// The archive's wanted sections are files outside content/, which the build never reads.
		fsys := txtarFS(t, filepath.Join("testdata", "hosting", path.Base(t.Name())+".txtar"))
		module := &toolchain.Module{Wasm: []byte("\x00asm\x01\x00\x00\x00"), WasmBrotli: []byte("br"), WasmGzip: []byte("gz"), WasmExec: []byte("//")}
		res, err := Build(fsys, Options{NoMinify: true, Today: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
			SelfCheck: func() (*toolchain.Module, error) { return module, nil }})
		got := map[string][]byte{"warnings": diagLines(res.Warnings), "errors": errorLines(err)}
		for _, f := range hostFiles {
			got["out/"+f.name] = wholeFile(res.Files, f.name)
		}
		return got
	})
}

// TestPlaceholderBaseURL protects the warning a site gets while its baseURL names a host
// reserved for examples: once, at the value's place in _site.yaml, and only then.
func TestPlaceholderBaseURL(t *testing.T) {
	for _, tc := range []struct {
		baseURL string
		warn    bool
	}{
		{"https://example.org/affiliate-guide/", true},
		{"http://www.example.com/", true},
		{"https://docs.EXAMPLE.net./g/", true},
		{"https://guide.example/", true},
		{"https://acme.test/", false},
		{"https://notexample.org/", false},
		{"https://example.org.au/", false},
	} {
		fsys := fstest.MapFS{
			"content/_site.yaml": {Data: []byte("# the site\ntitle: Guide\nbaseURL:   " + tc.baseURL + "\n")},
			"content/_index.md":  {Data: []byte("---\ntitle: Home\n---\nHello.\n")},
		}
		res, err := Build(fsys, Options{NoMinify: true})
		if err != nil {
			t.Fatalf("%s: %v", tc.baseURL, err)
		}
		got := strings.TrimSpace(string(diagLines(res.Warnings)))
		want := ""
		if tc.warn {
			want = "content/_site.yaml:3:12: baseURL " + strings.TrimSuffix(tc.baseURL, "/") + "/ is a placeholder: canonical links, the sitemap, robots.txt, the feed and the 404 page's links point there; set it to the address the site is published at"
		}
		if got != want {
			t.Errorf("baseURL %q: warnings\n%s\nwant\n%s", tc.baseURL, got, want)
		}
	}
}
