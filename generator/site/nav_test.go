package site

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSectionNav protects the navigation of a long section: a page lists a window of 11
// pages with at least 3 on each side of it (but at the ends), marked current, and links to
// the section for the rest; a short section lists all its pages; previous and next follow
// the section's order. Pages that share a window show the same sidebar but for the mark.
func TestSectionNav(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_site.yaml":      {Data: []byte("title: T\n")},
		"content/long/_index.md":  {Data: []byte("---\ntitle: Long\n---\n\nMany pages.\n")},
		"content/short/_index.md": {Data: []byte("---\ntitle: Short\n---\n\nTwo pages.\n")},
		"content/short/a.md":      {Data: []byte("---\ntitle: A\nweight: 1\n---\n\nA.\n")},
		"content/short/b.md":      {Data: []byte("---\ntitle: B\nweight: 2\n---\n\nB.\n")},
	}
	for i := range 40 {
		fsys[fmt.Sprintf("content/long/p%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: P%02d\nweight: %d\n---\n\nText.\n", i, i)}
	}
	res, err := Build(fsys, Options{NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	sidebar := regexp.MustCompile(`(?s)<nav class="sidebar".*?</nav>`)
	links := regexp.MustCompile(`<li(?: class="sidebar-more")?><a href="[^"]*"( aria-current="page")?>([^<]*)</a>`)
	list := func(page string) string {
		var out []string
		for _, m := range links.FindAllStringSubmatch(sidebar.FindString(string(res.Files[page])), -1) {
			out = append(out, m[2]+map[bool]string{true: "*"}[m[1] != ""])
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct{ page, want string }{
		{"long/p20/index.html", "17 earlier pages,P17,P18,P19,P20*,P21,P22,P23,P24,P25,P26,P27,12 later pages"},
		{"long/p24/index.html", "17 earlier pages,P17,P18,P19,P20,P21,P22,P23,P24*,P25,P26,P27,12 later pages"},
		{"long/p25/index.html", "22 earlier pages,P22,P23,P24,P25*,P26,P27,P28,P29,P30,P31,P32,7 later pages"},
		{"long/p04/index.html", "P00,P01,P02,P03,P04*,P05,P06,P07,P08,P09,P10,29 later pages"},
		{"long/p00/index.html", "P00*,P01,P02,P03,P04,P05,P06,P07,P08,P09,P10,29 later pages"},
		{"long/p36/index.html", "29 earlier pages,P29,P30,P31,P32,P33,P34,P35,P36*,P37,P38,P39"},
		{"long/p39/index.html", "29 earlier pages,P29,P30,P31,P32,P33,P34,P35,P36,P37,P38,P39*"},
		{"long/index.html", "P00,P01,P02,P03,P04,P05,P06,P07,P08,P09,P10,29 later pages"},
		{"short/b/index.html", "A,B*"},
	} {
		if got := list(tc.page); got != tc.want {
			t.Errorf("%s: sidebar %s, want %s", tc.page, got, tc.want)
		}
	}
	long := string(res.Files["long/p20/index.html"])
	for _, want := range []string{`All 40 pages of Long</a>`, `rel="prev" href="../../long/p19/index.html"`, `rel="next" href="../../long/p21/index.html"`} {
		if !strings.Contains(long, want) {
			t.Errorf("long/p20 has no %q", want)
		}
	}
	if strings.Contains(string(res.Files["short/a/index.html"]), "All 2 pages") || strings.Contains(string(res.Files["short/a/index.html"]), `rel="prev"`) {
		t.Error("a short section's first page links to the whole list or to a previous page")
	}
	if long := string(res.Files["long/index.html"]); !strings.Contains(long, `<a href="../long/index.html" aria-current="page">Long</a>`) {
		t.Errorf("the section page is not marked current in its own sidebar:\n%s", sidebar.FindString(long))
	}
}

// TestTableOfContents protects .TableOfContents, written in Go: it is what ranging over
// .TOC in a layout writes, byte for byte, for headings that html/template must escape, with
// and without clause numbers. Its link to a non-ASCII id (#%c3%a9...) is found by the link
// check, as a browser finds it.
func TestTableOfContents(t *testing.T) {
	layout := `{{define "main"}}[[{{.TableOfContents}}|<ol>{{range .TOC}}<li class="toc-l{{.Level}}"><a href="#{{.ID}}">{{with .Number}}<span class="clause-no">{{.}}</span> {{end}}{{.Text}}</a></li>{{end}}</ol>]]{{.Content}}{{end}}`
	body := "## Fees + \"taxes\" & a < b > c {#fees}\n\n### L'été {#été-ß}\n\n## `code` *em* [link](b.md) {#code}\n\n### a/b?c=d#e {#x_y.z}\n"
	for _, typ := range []string{"page", "terms"} {
		res, err := Build(fstest.MapFS{
			"content/a.md": {Data: []byte("---\ntitle: A\ntype: " + typ + "\neffective: 2026-01-01\n---\n\n" + body)},
			"content/b.md": {Data: []byte("---\ntitle: B\n---\n\nB.\n")},
			"themes/default/layouts/" + typ + ".html": {Data: []byte(layout)},
		}, Options{NoMinify: true})
		if err != nil {
			t.Fatal(err)
		}
		page := string(res.Files["a/index.html"])
		got, want, _ := strings.Cut(page[strings.Index(page, "[[")+2:strings.Index(page, "]]")], "|")
		if got != want || !strings.Contains(got, "&#43;") || strings.Count(got, "<li") != 4 {
			t.Errorf("%s: .TableOfContents is\n%s\nranging over .TOC writes\n%s", typ, got, want)
		}
	}
}

// TestFragCache protects the bound on Cached's fragments: the last fragsKept are kept, a
// fragment asked for again is kept longer, and no more than twice fragsKept are held.
func TestFragCache(t *testing.T) {
	var c fragCache
	frag := func(i int) *fragment { return &fragment{html: template.HTML(fmt.Sprint(i))} }
	for i := range 3 * fragsKept {
		c.put(fmt.Sprint(i), frag(i))
		if i%fragsKept == 0 {
			c.get("0") // kept by use
		}
	}
	if f := c.get("0"); f == nil || f.html != "0" {
		t.Errorf("a fragment asked for all along was let go: %v", f)
	}
	if c.get("1") != nil {
		t.Error("an old fragment is still kept")
	}
	for i := 2 * fragsKept; i < 3*fragsKept; i++ {
		if f := c.get(fmt.Sprint(i)); f == nil || f.html != template.HTML(fmt.Sprint(i)) {
			t.Fatalf("fragment %d of the last %d is not kept", i, fragsKept)
		}
	}
	if n := len(c.cur) + len(c.old); n > 2*fragsKept {
		t.Errorf("%d fragments kept, more than %d", n, 2*fragsKept)
	}
}

// TestHasID protects how the output check finds a link's fragment: as a browser does, by
// the id as written, then percent-decoded.
func TestHasID(t *testing.T) {
	ids := []string{"a%20b", "x", "é"} // sorted
	for frag, want := range map[string]bool{
		"x": true, "a%20b": true, "%C3%A9": true, "%c3%a9": true, "%78": true,
		"a b": false, "y": false, "%": false, "%zz": false, "%C3": false,
	} {
		if got := hasID(ids, frag); got != want {
			t.Errorf("hasID(%q) = %v, want %v", frag, got, want)
		}
	}
}
