package redline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// shown returns the words of the old and of the new version that a redline shows: the old
// version is what is left without the insertions (and the <del> tags), the new version
// what is left without the deletions (and the <ins> tags); the labels of folds are the
// redline's own words, in neither version. It fails if an <ins> or <del> holds a tag or
// another <ins> or <del>, or is not closed.
func shown(redline string) (old, new []string, err error) {
	var in string // "ins" or "del" inside one
	label := 0    // 1 after a fold's start tag, 2 inside its <summary>
	for _, t := range tokenize(redline) {
		switch {
		case t.kind == tStart && t.name == "details" && hasClass(t.raw, ClassFold):
			label = 1
		case label == 1 && t.kind == tStart && t.name == "summary":
			label = 2
		case label == 2 && t.kind == tEnd && t.name == "summary":
			label = 0
		case label == 2:
		case (t.kind == tStart || t.kind == tEnd) && (t.name == "ins" || t.name == "del"):
			if t.kind == tStart {
				if in != "" || t.raw != "<"+t.name+">" {
					return nil, nil, fmt.Errorf("%s inside %q at %d", t.raw, in, t.pos)
				}
				in = t.name
			} else {
				if in != t.name {
					return nil, nil, fmt.Errorf("%s closes %q at %d", t.raw, in, t.pos)
				}
				in = ""
			}
		case in != "" && !t.isText():
			return nil, nil, fmt.Errorf("%s inside <%s> at %d", t.raw, in, t.pos)
		case t.diff && t.kind == tWord:
			if in != "ins" {
				old = append(old, t.key())
			}
			if in != "del" {
				new = append(new, t.key())
			}
		}
	}
	if in != "" {
		return nil, nil, fmt.Errorf("<%s> not closed", in)
	}
	return old, new, nil
}

// strictInput reports whether the round-trip properties can be asked of a fragment: it has
// no <ins> or <del> of its own, no clause numbers, whose text is not compared, and no
// <details> or <summary>, which a fold's label could be taken for.
func strictInput(s string) bool {
	l := strings.ToLower(s)
	return !strings.Contains(l, "<ins") && !strings.Contains(l, "<del") && !strings.Contains(l, numberClass) &&
		!strings.Contains(l, "<details") && !strings.Contains(l, "<summary")
}

// checkRedline checks that a redline of old and new shows exactly old's and new's words.
func checkRedline(t *testing.T, oldHTML, newHTML, out string) {
	t.Helper()
	o, n, err := shown(out)
	if err != nil {
		t.Fatalf("Diff(%q, %q) = %q: %v", oldHTML, newHTML, out, err)
	}
	if want := words(oldHTML); !slices.Equal(o, want) {
		t.Fatalf("Diff(%q, %q) = %q\nshows old words %q\nwant %q", oldHTML, newHTML, out, o, want)
	}
	if want := words(newHTML); !slices.Equal(n, want) {
		t.Fatalf("Diff(%q, %q) = %q\nshows new words %q\nwant %q", oldHTML, newHTML, out, n, want)
	}
	if slices.Equal(words(oldHTML), words(newHTML)) && (strings.Contains(out, "<ins>") || strings.Contains(out, "<del>")) {
		t.Fatalf("Diff(%q, %q) = %q: marks a change of the same words", oldHTML, newHTML, out)
	}
}

var fuzzSeeds = [][2]string{
	{"<p>the old phrase here</p>", "<p>the new words here</p>"},
	{"<ul>\n<li>A</li>\n<li>B</li>\n</ul>", "<ul>\n<li>A</li>\n<li>C</li>\n<li>B</li>\n</ul>"},
	{"<table><tr><td>a</td><td>1</td></tr></table>", "<table><tr><td>a</td><td>2</td></tr><tr><td>b</td></tr></table>"},
	{"<p>Fees &amp; costs: 1,000.50 &euro;</p>", "<p>Fees &amp; charges: 1,500.50 €</p>"},
	{"<p>x<br>y <em>z</em></p>", "<p>x y</p><p><strong>z</strong></p>"},
	{"<dl><dt>How to fix</dt><dd>Add a page.</dd></dl>", "<dl><dt>How to fix</dt><dd>Add two pages.</dd><dt>When</dt><dd>Now.</dd></dl>"},
	{"<p>a <!-- c --> b</p><script>x < y</script>", "<p>a b < c & d</p>"},
	{"<p>unclosed <b>bold", "<div><p>text</div>"},
	{"", ""},
	{"a", ""},
}

func FuzzDiff(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, oldHTML, newHTML string) {
		out := Diff(oldHTML, newHTML)
		if !strictInput(oldHTML) || !strictInput(newHTML) {
			return
		}
		checkRedline(t, oldHTML, newHTML, out)
	})
}

func FuzzPage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s[0], s[1])
	}
	f.Add(`<section id="a"><h2>A</h2><p>one</p></section><section id="b"><h2>B</h2></section>`,
		`<section id="b"><h2>B</h2><p>two</p></section><section id="c"><h2>C</h2></section>`)
	f.Add(`<p>intro</p><h2 id="a">A</h2><p>one</p><h2 id="b">B</h2>`, `<h2 id="b">B</h2><p>one</p><h2 id="a">A</h2>`)
	f.Fuzz(func(t *testing.T, oldHTML, newHTML string) {
		_, out := Page(oldHTML, newHTML)
		if !strictInput(oldHTML) || !strictInput(newHTML) {
			return
		}
		o, n, err := shown(out)
		if err != nil {
			t.Fatalf("Page(%q, %q) = %q: %v", oldHTML, newHTML, out, err)
		}
		if want := words(newHTML); !slices.Equal(n, want) {
			t.Fatalf("Page(%q, %q) = %q\nshows new words %q\nwant %q", oldHTML, newHTML, out, n, want)
		}
		// Clauses may be shown in another order than the old version's.
		want := words(oldHTML)
		slices.Sort(o)
		slices.Sort(want)
		if !slices.Equal(o, want) {
			t.Fatalf("Page(%q, %q) = %q\nshows old words %q\nwant %q", oldHTML, newHTML, out, o, want)
		}
	})
}
