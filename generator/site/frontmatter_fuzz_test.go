package site

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// The fuzz targets run their seeds (below and testdata/fuzz/<target>/) in every go test;
// go test -fuzz=FuzzFrontMatter ./generator/site/ runs them for longer. Each asserts that
// parsing never panics and that every problem is placed inside the file.

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		"", "---\n", "---\n---\n", "\uFEFF---\ntitle: A\n---\nText.\n", "+++\ntitle = 1\n+++\n", "{\n\"title\": 1\n}\n",
		"---\ntitle: Terms: plain language\n---\n", "---\ntitle: A\n\tb: 2\n---\n", "---\ntitle: \"x\n---\n",
		"---\ntitle: A\ntitle: B\n---\n", "---\ntitle: null\nweight: x\naliases: [1, ~]\n---\n", "---\na: &x [1]\nb: *x\ntitle: *y\n---\n",
		"---\ntitle: A\nscreening:\n  severity:\n    a: fix\n    a: reject\n---\n", "---\ntitle: [\n---\n", "\xff\xfe", "a\x00b", "---\ntitle: caf\xe9\n---\n",
		"---\r\ntitle: A\r\n---\r\n", "---\n? [a, b]\n: c\n---\n", "---\ntitle: !!str 1\ntype: !!binary aGk=\n---\n",
	} {
		f.Add([]byte(s))
	}
}

// checkPlaced fails when a problem is not at a line and column of src.
func checkPlaced(t *testing.T, src []byte, list []*Diagnostic) {
	t.Helper()
	lines := bytes.Split(src, []byte("\n"))
	for _, d := range list {
		if d.Line == 0 && d.Col == 0 {
			continue // the file itself
		}
		if d.Line < 1 || d.Line > len(lines) {
			t.Fatalf("%v: line %d outside the file's %d lines", d, d.Line, len(lines))
		}
		if n := utf8.RuneCount(lines[d.Line-1]); d.Col < 1 || d.Col > n+1 {
			t.Fatalf("%v: column %d outside line %d (%d characters)", d, d.Col, d.Line, n)
		}
	}
}

func FuzzFrontMatter(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		ds := &diags{}
		p := &Page{Source: "content/a.md", src: src}
		p.parseFrontMatter(ds)
		checkPlaced(t, src, ds.list)
		if p.bodyOff < 0 || p.bodyOff > len(src) {
			t.Fatalf("body offset %d outside the file (%d bytes)", p.bodyOff, len(src))
		}
		if p.Params == nil {
			t.Fatal("Params is nil")
		}
		if !utf8.ValidString(p.Title) && utf8.Valid(src) {
			t.Fatalf("title %q is not UTF-8", p.Title)
		}
	})
}

func FuzzConfig(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{
		"title: T\nbaseURL: https://example.org/\ntheme: default\nlinks: warn\nunsafeHTML: true\nparams:\n  a: 1\n",
		"baseURL: javascript:alert(1)\n", "theme: ../x\n", "title: T\ntitle: U\n", "- a\n", "params: [1]\n", "a: 1\n---\nb: 2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		ds := &diags{}
		cfg := parseConfig("content/_site.yaml", src, ds)
		checkPlaced(t, src, ds.list)
		if cfg.BaseURL != "" && checkBaseURL(cfg.BaseURL) != "" {
			t.Fatalf("accepted baseURL %q", cfg.BaseURL)
		}
	})
}
