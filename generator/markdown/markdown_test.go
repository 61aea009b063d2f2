package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// at is the 1-based line and column of a byte offset, for readable failures.
func at(src string, off int) (line, col int) {
	before := src[:min(off, len(src))]
	line = strings.Count(before, "\n") + 1
	col = len(before) - strings.LastIndexByte(before, '\n')
	return line, col
}

// TestHeadings protects what the site's terms pages and tables of contents are built from:
// each ## and ### heading with its id (explicit {#id} or generated), whether the author wrote
// the id, its clause number, its text and where it is written.
func TestHeadings(t *testing.T) {
	src := "# Title\n\nIntro.\n\n## Who can apply {#who}\n\n### Any “level”\n\n### Any country {#country}\n\n## Review\n\n#### Deep {#deep}\n"
	doc := New(Config{}).Convert([]byte(src), Options{Number: true})
	var got []string
	for _, h := range doc.Headings {
		l, c := at(src, h.Offset)
		how := "generated"
		if h.Explicit {
			how = "explicit"
		}
		got = append(got, fmt.Sprintf("h%d #%s %q %q %s %d:%d", h.Level, h.ID, h.Number, h.Text, how, l, c))
	}
	want := []string{
		`h2 #who "1" "Who can apply" explicit 5:4`,
		`h3 #any-level "1.1" "Any “level”" generated 7:5`,
		`h3 #country "1.2" "Any country" explicit 9:5`,
		`h2 #review "2" "Review" generated 11:4`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("headings:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
	html := string(doc.HTML)
	for _, w := range []string{
		`<section class="clause" id="who">`, `<h2><span class="clause-no">1</span> Who can apply</h2>`,
		`<section class="clause" id="country">`, `<h3><span class="clause-no">1.2</span> Any country</h3>`,
		`<h4 id="deep">Deep</h4>`, // below ###, headings are not clauses
	} {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %s:\n%s", w, html)
		}
	}
	if strings.Contains(html, `<h2 id=`) || strings.Contains(html, `<h3 id=`) {
		t.Errorf("a clause heading kept its id (it belongs to its section, ids must be unique):\n%s", html)
	}
	unnumbered := string(New(Config{}).Convert([]byte(src), Options{}).HTML)
	if strings.Contains(unnumbered, "clause-no") {
		t.Error("clause numbers without Options.Number")
	}
}

// TestLinks protects link checking: every link and image destination goes through Resolve,
// the rewritten URL is written, and each internal link records what the author wrote and
// where, so a broken one is reported at its position.
func TestLinks(t *testing.T) {
	src := "See [terms](terms.md#who) and ![logo](img/logo.png).\n\n- [out](https://example.com/terms.md)\n- [again](terms.md#who)\n"
	var asked []string
	resolve := func(dest string) (string, *Link) {
		asked = append(asked, dest)
		if strings.HasPrefix(dest, "https:") {
			return dest, nil
		}
		return "../" + dest + "?resolved", &Link{Page: "x/"}
	}
	doc := New(Config{}).Convert([]byte(src), Options{Resolve: resolve})
	if want := []string{"terms.md#who", "img/logo.png", "https://example.com/terms.md", "terms.md#who"}; !slices.Equal(asked, want) {
		t.Errorf("Resolve called with %q; want %q", asked, want)
	}
	var got []string
	for _, l := range doc.Links {
		line, col := at(src, l.Offset)
		got = append(got, fmt.Sprintf("%s@%d:%d", l.Dest, line, col))
	}
	if want := []string{"terms.md#who@1:13", "img/logo.png@1:39", "terms.md#who@4:11"}; !slices.Equal(got, want) {
		t.Errorf("links = %q; want %q", got, want)
	}
	html := string(doc.HTML)
	for _, w := range []string{`href="../terms.md#who?resolved"`, `src="../img/logo.png?resolved"`, `href="https://example.com/terms.md"`} {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %s:\n%s", w, html)
		}
	}
}

// TestRawHTML protects the safe default: raw HTML is shown escaped, never passed through or
// dropped, each occurrence is a warning at its offset, and comments vanish silently.
func TestRawHTML(t *testing.T) {
	src := "<!-- note -->\n\n<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b>.\n"
	doc := New(Config{}).Convert([]byte(src), Options{})
	html := string(doc.HTML)
	if strings.Contains(html, "<script") || strings.Contains(html, "<b ") || strings.Contains(html, "note") {
		t.Errorf("raw HTML not escaped or comment kept:\n%s", html)
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the script is not shown escaped:\n%s", html)
	}
	var got []string
	for _, w := range doc.Warnings {
		line, col := at(src, w.Offset)
		got = append(got, fmt.Sprintf("%d:%d", line, col))
	}
	if want := []string{"3:1", "5:6", "5:27"}; !slices.Equal(got, want) {
		t.Errorf("warnings at %q; want %q", got, want)
	}
	unsafe := New(Config{UnsafeHTML: true}).Convert([]byte(src), Options{})
	if !bytes.Contains(unsafe.HTML, []byte("<script>alert(1)</script>")) || len(unsafe.Warnings) != 0 {
		t.Errorf("UnsafeHTML: raw HTML not passed through (or warned about):\n%s", unsafe.HTML)
	}
}

// TestHeadingAttributes protects the strict CSP from a heading's {...} attributes: only the
// id and classes are kept; style= and anything else is dropped with a warning.
func TestHeadingAttributes(t *testing.T) {
	src := "## Fees {#fees .wide style=\"color:red\" onclick=\"x()\"}\n\n#### Small {style=\"x\"}\n"
	doc := New(Config{}).Convert([]byte(src), Options{})
	html := string(doc.HTML)
	if strings.Contains(html, "style=") || strings.Contains(html, "onclick") {
		t.Errorf("heading attributes that a strict CSP blocks were kept:\n%s", html)
	}
	if !strings.Contains(html, `<section class="clause" id="fees">`) || !strings.Contains(html, `<h2 class="wide">Fees</h2>`) {
		t.Errorf("id or class lost:\n%s", html)
	}
	var got []string
	for _, w := range doc.Warnings {
		line, col := at(src, w.Offset)
		got = append(got, fmt.Sprintf("%d:%d: %s", line, col, w.Msg))
	}
	want := []string{
		`1:4: heading attribute style= dropped: only {#id} and {.class} are kept`,
		`1:4: heading attribute onclick= dropped: only {#id} and {.class} are kept`,
		`3:6: heading attribute style= dropped: only {#id} and {.class} are kept`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// TestHighlight protects highlighting under a strict CSP: code is highlighted with classes,
// and HighlightCSS styles those classes for light and dark schemes.
func TestHighlight(t *testing.T) {
	doc := New(Config{}).Convert([]byte("```go\nfunc main() {}\n```\n"), Options{})
	html := string(doc.HTML)
	if !strings.Contains(html, `<span class="kd">func</span>`) || strings.Contains(html, "style=") {
		t.Errorf("code not highlighted with classes only:\n%s", html)
	}
	css := string(HighlightCSS())
	if !strings.Contains(css, ".chroma .kd") || !strings.Contains(css, "@media (prefers-color-scheme: dark){") {
		t.Errorf("HighlightCSS lacks the .kd rule or the dark scheme:\n%.300s", css)
	}
}

// TestPlainText protects rules.json and aria-labels, which need text without markup.
func TestPlainText(t *testing.T) {
	src := "Use **bold**, `code` and \"quotes\" -- with a [link](x.md) & <kbd>raw</kbd>.\n"
	doc := New(Config{}).Convert([]byte(src), Options{})
	got := PlainText(doc.AST, []byte(src))
	if want := "Use bold, code and “quotes” – with a link & raw."; got != want {
		t.Errorf("PlainText = %q; want %q", got, want)
	}
}

var (
	styleAttr   = regexp.MustCompile(`<[a-z][^>]*\sstyle=`)
	handlerAttr = regexp.MustCompile(`<[a-z][^>]*\son[a-z]+=`)
	rawTag      = regexp.MustCompile(`<(script|style|iframe|object|embed)`)
)

// FuzzConvert protects the converter from any Markdown a person may write: it never panics,
// every position it reports lies in the source, every link is reported where its
// destination is written, and with the default configuration its HTML holds nothing a
// strict Content-Security-Policy blocks or that runs code. The seeds run with go test; go
// test -fuzz FuzzConvert ./generator/markdown/ searches further.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"# T\n\n## A {#a}\n\n### B\n\ntext [l](a.md#x) ![i](i.png)\n",
		"| a | b |\n|:-|-:|\n| 1 | 2 |\n",
		"- [ ] task\n- [x] done\n",
		"Term\n: Definition\n",
		"Note[^1].\n\n[^1]: Foot.\n",
		"<div>raw</div>\n\n<script>x</script> <b onclick=\"y\">z</b>\n",
		"## H {#id .c style=\"s\" onclick=\"o\"}\n",
		"```js\nalert(\"x\")\n```\n",
		"\"quotes\" -- 'single' ...\n",
		"[x](javascript:alert(1)) <https://example.com>\n",
		"[terms](terms.md) [s](s.md) [s](s.md)\n",
		"[a][r] [r][] [r]\n\n[r]: s.md \"t\"\n[R]:\n  <x y.md>\n",
		"[![i](i.png \"]\")](s.md) [`]`](a.md) [<b title=\"]\">](b.md)\n",
		"[a](<>) [b]() [c](\n  c.md\n)\n",
		"- [t](\tt.md)\n\t- ![u](\tu.md)\n",
		"> | a | b |\n> |---|:-:|\n> | [x](x.md) | `a\\|b` [y](y.md) |\n",
		"https://example.com/a.md www.example.com me@example.com <mailto:a@b.c>\n",
		"## Who can apply {#who can apply}\n\n## A {#}\n\n## A {#a #b}\n\n## B {#a}\n\n## C {#c} ##\n",
		"Title {#t}\n===\n\n## T\n\n## T {#t}\n",
		"- - - - - - - - x\n> > > > - 1. x\n```\n- - -\n```\n",
		"|a|b|\n|-|-|\nx\ny\n",
		"## {{ v }} {#v}\n\n| {{ a.b }} | `{{ c }}` |\n|-|-|\n| \\{{ d }} | {{ x }} {{ e f }} |\n",
	} {
		f.Add(s)
	}
	conv := New(Config{})
	f.Fuzz(func(t *testing.T, src string) {
		doc := conv.Convert([]byte(src), Options{Number: true, Resolve: func(d string) (string, *Link) {
			return d, &Link{}
		}, Value: func(name string) (string, error) {
			if strings.HasPrefix(name, "x") {
				return "", errors.New("no value")
			}
			return `<script>alert("` + name + `")</script>`, nil // inserted as text
		}})
		for _, l := range doc.Links {
			if l.Offset < 0 || l.Offset > len(src) {
				t.Errorf("link %q at offset %d outside the source (%d bytes)", l.Dest, l.Offset, len(src))
			} else if !strings.HasPrefix(src[l.Offset:], l.Dest) {
				t.Errorf("link %q at offset %d, where the source is %.40q", l.Dest, l.Offset, src[l.Offset:])
			}
		}
		for _, p := range append(doc.Warnings, doc.Errors...) {
			if p.Offset < 0 || p.Offset > len(src) {
				t.Errorf("problem %q at offset %d outside the source (%d bytes)", p.Msg, p.Offset, len(src))
			} else if (p.Msg == "no value" || strings.Contains(p.Msg, "is not a value reference")) && !strings.HasPrefix(src[p.Offset:], "{{") {
				t.Errorf("value problem %q at offset %d, where the source is %.40q", p.Msg, p.Offset, src[p.Offset:])
			}
		}
		for _, h := range doc.Headings {
			if h.Offset < 0 || h.Offset > len(src) {
				t.Errorf("heading %q at offset %d outside the source", h.Text, h.Offset)
			}
		}
		html := doc.HTML
		if m := styleAttr.Find(html); m != nil {
			t.Errorf("style attribute in %q", m)
		}
		if m := handlerAttr.Find(html); m != nil {
			t.Errorf("event handler attribute in %q", m)
		}
		if m := rawTag.Find(html); m != nil {
			t.Errorf("raw %q element", m)
		}
	})
}
