package devserver

import (
	"reflect"
	"testing"
)

// TestDiff protects the reload decisions: a page reloads only when its HTML changed for
// more than a stylesheet's version, a stylesheet edit swaps the sheet instead, and an image
// reloads the pages that show it (the browser is told which file, as its HTML may be the same).
func TestDiff(t *testing.T) {
	page := func(css, body string) []byte {
		return []byte(`<html><head><link rel="stylesheet" href="../assets/site.css?v=` + css + `"></head><body>` + body + `</body></html>`)
	}
	old := map[string][]byte{
		"index.html":       page("aaaa1111", "home <img src=logo.png>"),
		"a/index.html":     page("aaaa1111", "page a"),
		"b/index.html":     page("aaaa1111", "page b"),
		"assets/site.css":  []byte("body{color:red}"),
		"logo.png":         []byte("png1"),
		"sitemap.xml":      []byte("<urlset/>"),
		"gone/index.html":  page("aaaa1111", "gone"),
		"assets/extra.css": []byte("p{}"),
	}
	clone := func() map[string][]byte {
		m := map[string][]byte{}
		for k, v := range old {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name string
		edit func(m map[string][]byte)
		want Change
	}{
		{"nothing", func(m map[string][]byte) {}, Change{}},
		{"same bytes in a new slice", func(m map[string][]byte) { m["a/index.html"] = page("aaaa1111", "page a") }, Change{}},
		{"one page", func(m map[string][]byte) { m["a/index.html"] = page("aaaa1111", "page A") },
			Change{Files: []string{"a/index.html"}, Reload: []string{"a/index.html"}}},
		{"stylesheet only", func(m map[string][]byte) {
			m["assets/site.css"] = []byte("body{color:blue}")
			for _, p := range []string{"index.html", "a/index.html", "b/index.html", "gone/index.html"} {
				m[p] = []byte(string(m[p][:len(`<html><head><link rel="stylesheet" href="../assets/site.css?v=`)]) + "bbbb2222" + string(m[p][len(`<html><head><link rel="stylesheet" href="../assets/site.css?v=`)+8:]))
			}
		}, Change{
			Files:  []string{"a/index.html", "assets/site.css", "b/index.html", "gone/index.html", "index.html"},
			Styles: map[string]string{"assets/site.css": "assets/site.css?v=" + version([]byte("body{color:blue}"))},
		}},
		{"stylesheet and one page's text", func(m map[string][]byte) {
			m["assets/site.css"] = []byte("body{color:blue}")
			m["index.html"] = page("bbbb2222", "home <img src=logo.png>")
			m["a/index.html"] = page("bbbb2222", "page A")
		}, Change{
			Files:  []string{"a/index.html", "assets/site.css", "index.html"},
			Reload: []string{"a/index.html"},
			Styles: map[string]string{"assets/site.css": "assets/site.css?v=" + version([]byte("body{color:blue}"))},
		}},
		{"image reloads the pages that show it", func(m map[string][]byte) { m["logo.png"] = []byte("png2") },
			Change{Files: []string{"logo.png"}, Reload: []string{"index.html"}, Shown: []string{"logo.png"}}},
		{"sitemap reloads nothing", func(m map[string][]byte) { m["sitemap.xml"] = []byte("<urlset><url/></urlset>") },
			Change{Files: []string{"sitemap.xml"}}},
		{"removed page", func(m map[string][]byte) { delete(m, "gone/index.html") },
			Change{Files: []string{"gone/index.html"}, Reload: []string{"gone/index.html"}}},
		{"new page", func(m map[string][]byte) { m["c/index.html"] = page("aaaa1111", "new") },
			Change{Files: []string{"c/index.html"}, Reload: []string{"c/index.html"}}},
		{"every page", func(m map[string][]byte) {
			for _, p := range []string{"index.html", "a/index.html", "b/index.html", "gone/index.html"} {
				m[p] = append([]byte("<!-- new layout -->"), m[p]...)
			}
		}, Change{
			Files:  []string{"a/index.html", "b/index.html", "gone/index.html", "index.html"},
			Reload: []string{"a/index.html", "b/index.html", "gone/index.html", "index.html"}, All: true,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := clone()
			tc.edit(m)
			got := Diff(old, m)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Diff:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestEqualBesidesStyleVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{`<link href="a.css?v=12ab">x`, `<link href="a.css?v=99ff00">x`, true},
		{`<link href="a.css?v=12ab"><link href="b.css?v=1">`, `<link href="a.css?v=34cd"><link href="b.css?v=2">`, true},
		{`<script src="a.js?v=12ab">`, `<script src="a.js?v=34cd">`, false},
		{`<link href="a.css?v=12ab">x`, `<link href="a.css?v=34cd">y`, false},
		{`same`, `same`, true},
		{`v=12`, `v=13`, false},
	} {
		if got := equalBesidesStyleVersions([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("equalBesidesStyleVersions(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
