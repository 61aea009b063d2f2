package site

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"affdocs/themes"
)

// TestEmbeddedTheme protects the promise that a site holding only content/ builds with the
// generator alone: every layout and static file comes from the theme embedded in the binary.
func TestEmbeddedTheme(t *testing.T) {
	fsys := mapFS(
		"content/_index.md", "---\ntitle: Home\n---\n\nHello.\n",
		"content/terms.md", "---\ntitle: Terms\ntype: terms\neffective: 2026-01-01\n---\n\n## One {#one}\n\nText.\n",
	)
	res, err := Build(fsys, Options{NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"assets/site.css", "assets/site.js"} {
		embedded, err := fs.ReadFile(themes.Default, "default/static/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(res.Files[name], embedded) {
			t.Errorf("%s is not the embedded theme's file", name)
		}
	}
	home := string(res.Files["index.html"])
	for _, want := range []string{`<a class="skip" href="#main">`, `href="assets/site.css?v=`, `<script src="assets/site.js?v=`} {
		if !strings.Contains(home, want) {
			t.Errorf("index.html lacks %s: the embedded baseof.html was not used", want)
		}
	}
	if !strings.Contains(string(res.Files["terms/index.html"]), `class="toc"`) {
		t.Error("terms/index.html has no table of contents: the embedded terms.html was not used")
	}
}

// TestThemeOverride protects file-by-file overriding: a site's own themes/default/ file wins
// over the embedded one, and every file it does not override still comes from the embedded
// theme. A theme with another name is laid over the embedded default in the same way.
func TestThemeOverride(t *testing.T) {
	content := []string{
		"content/about.md", "---\ntitle: About\n---\n\nHello.\n",
		"content/terms.md", "---\ntitle: Terms\ntype: terms\neffective: 2026-01-01\n---\n\n## One {#one}\n\nText.\n",
	}
	for _, name := range []string{"default", "custom"} {
		t.Run(name, func(t *testing.T) {
			fsys := mapFS(append(content,
				"content/_site.yaml", "theme: "+name+"\n",
				"themes/"+name+"/layouts/page.html", `{{define "main"}}<p class="overridden">{{.Title}} from the site's theme</p>{{end}}`,
				"themes/"+name+"/static/assets/site.js", "// the site's own script\n",
			)...)
			res, err := Build(fsys, Options{NoMinify: true})
			if err != nil {
				t.Fatal(err)
			}
			about := string(res.Files["about/index.html"])
			if !strings.Contains(about, `<p class="overridden">About from the site's theme</p>`) {
				t.Errorf("about/index.html does not use the site's page.html:\n%s", about)
			}
			if !strings.Contains(about, `<a class="skip" href="#main">`) {
				t.Error("about/index.html lost the embedded baseof.html")
			}
			terms := string(res.Files["terms/index.html"])
			if strings.Contains(terms, "overridden") || !strings.Contains(terms, `<article class="terms">`) {
				t.Error("terms/index.html does not use the embedded terms.html")
			}
			if got := string(res.Files["assets/site.js"]); got != "// the site's own script\n" {
				t.Errorf("assets/site.js = %q; want the site's own file", got)
			}
			embedded, _ := fs.ReadFile(themes.Default, "default/static/assets/site.css")
			if !bytes.HasPrefix(res.Files["assets/site.css"], embedded) {
				t.Error("assets/site.css is not the embedded one")
			}
		})
	}
}

// TestThemeErrors protects the errors a theme author sees: a missing theme names the folder,
// a template that does not parse is placed at its path:line:col.
func TestThemeErrors(t *testing.T) {
	page := "---\ntitle: A\n---\n\nText.\n"
	tests := []struct {
		name string
		fsys map[string]string
		want string
	}{
		{
			name: "missing theme",
			fsys: map[string]string{"content/_site.yaml": "theme: nope\n", "content/a.md": page},
			want: `themes/nope: theme "nope" not found (no themes/nope folder)`,
		},
		{
			name: "template syntax error",
			fsys: map[string]string{"content/a.md": page, "themes/default/layouts/page.html": "{{define \"main\"}}\n{{.Title}\n{{end}}"},
			want: "themes/default/layouts/page.html:2:1: bad character U+007D '}'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pairs []string
			for k, v := range tt.fsys {
				pairs = append(pairs, k, v)
			}
			_, err := Build(mapFS(pairs...), Options{NoMinify: true})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v; want %s", err, tt.want)
			}
		})
	}
}

// TestMinifiedLayouts protects minifying each fact once: the layouts are minified when the
// theme is loaded and the Markdown's HTML when it is converted, so a page needs no
// minifying of its own. A layout failing on a page is run again as written, so its error
// points at the line its author wrote, not at the minified text.
func TestMinifiedLayouts(t *testing.T) {
	layout := "{{define \"main\"}}\n<div class=\"spaced\">\n\n    <p>{{.Title}}</p>\n\n</div>\n{{.Content}}{{end}}"
	site := func(layout string) fs.FS {
		return mapFS(
			"content/a.md", "---\ntitle: A\n---\n\nOne.\n\n- two\n- three\n",
			"themes/default/layouts/page.html", layout)
	}
	res, err := Build(site(layout), Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := string(res.Files["a/index.html"])
	for _, want := range []string{`<div class="spaced"><p>A</p></div>`, `<p>One.</p><ul><li>two</li><li>three</li></ul>`} {
		if !strings.Contains(page, want) {
			t.Errorf("a/index.html lacks %s: not minified\n%s", want, page)
		}
	}
	res, err = Build(site(layout), Options{NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	if page := string(res.Files["a/index.html"]); !strings.Contains(page, "<div class=\"spaced\">\n\n    <p>A</p>") {
		t.Errorf("-minify=false changed the layout's text:\n%s", page)
	}

	// Values html/template must escape, more than 1% of the page: the page is minified
	// whole, and the minifier writes them plainly.
	quotes := strings.Repeat(`\"`, 400)
	res, err = Build(mapFS("content/a.md", "---\ntitle: A\ndescription: \""+quotes+"\"\n---\n\nOne.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if page := string(res.Files["a/index.html"]); strings.Contains(page, "&#34;") || !strings.Contains(page, strings.Repeat(`"`, 400)) {
		t.Errorf("a page with 400 escaped quotes was not minified whole:\n%s", page)
	}

	_, err = Build(site("{{define \"main\"}}\n<div>\n\n    <p>{{.Title}}</p>\n\n    <p>{{.Nope}}</p>\n</div>{{end}}"), Options{})
	if err == nil || !strings.Contains(err.Error(), "page.html:6:9: executing") {
		t.Errorf("error = %v; want one at page.html:6:9, where it is written", err)
	}
}
