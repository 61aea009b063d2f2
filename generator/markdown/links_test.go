package markdown

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestLinkPositions protects broken-link positions: each link is reported at its own
// destination as the parser read it, never at the first place the same text appears (s.md
// inside terms.md, or an earlier link to the same page); a reference link at its
// definition, once; autolinks and images too.
func TestLinkPositions(t *testing.T) {
	src := strings.Join([]string{
		"See [terms](terms.md) and [s](s.md), then [s again](s.md).",          // 1
		"[s.md](s.md) and ![s.md](s.md \"s.md\") and [**b\\]**](<s.md>)",      // 2
		"[![s.md](i.png)](s.md) [ref one][r] [r][] [r] <https://x.test/s.md>", // 3
		"",
		"| a | b |",
		"|---|---|",
		"| [x](s.md) | [y](s.md) |", // 7
		"",
		"> - [q](\ts.md)", // 9
		"",
		"[r]: s.md", // 11
		"[e]()",
		"",
	}, "\n")
	doc := New(Config{}).Convert([]byte(src), Options{Resolve: func(d string) (string, *Link) {
		return d, &Link{}
	}})
	var got []string
	for _, l := range doc.Links {
		line, col := at(src, l.Offset)
		got = append(got, fmt.Sprintf("%s@%d:%d", l.Dest, line, col))
	}
	want := []string{
		"terms.md@1:13", "s.md@1:31", "s.md@1:53",
		"s.md@2:8", "s.md@2:26", "s.md@2:54",
		"i.png@3:10", "s.md@3:18", "https://x.test/s.md@3:48",
		"s.md@7:7", "s.md@7:19",
		"s.md@9:10",
		"s.md@11:6", // [ref one][r], [r][] and [r]: one definition, one link
		"@12:5",     // an empty destination, just after the (
	}
	if !slices.Equal(got, want) {
		t.Errorf("links:\n got  %s\n want %s", strings.Join(got, " "), strings.Join(want, " "))
	}
	for _, l := range doc.Links {
		if !strings.HasPrefix(src[l.Offset:], l.Dest) {
			t.Errorf("link %q at %d: the source there is %.20q", l.Dest, l.Offset, src[l.Offset:])
		}
	}
}

// TestAutoLinkRewrite protects autolinks that the resolver rewrites: they link to the new
// destination and keep their text; external ones, www. links and e-mail addresses are left
// alone.
func TestAutoLinkRewrite(t *testing.T) {
	src := "<https://old.test/a> and https://keep.test/b, www.example.com, <me@example.com>.\n"
	var asked []string
	doc := New(Config{}).Convert([]byte(src), Options{Resolve: func(d string) (string, *Link) {
		asked = append(asked, d)
		if strings.Contains(d, "old") {
			return "../new/", &Link{}
		}
		return d, nil
	}})
	if want := []string{"https://old.test/a", "https://keep.test/b"}; !slices.Equal(asked, want) {
		t.Errorf("Resolve called with %q; want %q", asked, want)
	}
	html := string(doc.HTML)
	for _, w := range []string{
		`<a href="../new/">https://old.test/a</a>`, `<a href="https://keep.test/b">https://keep.test/b</a>`,
		`<a href="http://www.example.com">www.example.com</a>`, `<a href="mailto:me@example.com">me@example.com</a>`,
	} {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %s:\n%s", w, html)
		}
	}
	if len(doc.Links) != 1 || doc.Links[0].Offset != 1 {
		t.Errorf("links %+v; want one at offset 1", doc.Links)
	}
}
