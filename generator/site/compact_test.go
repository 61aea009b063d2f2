package site

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"affdocs/generator/corpus"
	"affdocs/generator/markdown"
)

// compactCases are Markdown shapes whose whitespace the minifier treats in different ways:
// soft and hard line breaks, inline tags next to blocks, loose and tight lists, code at the
// edges of its block, tables, footnotes, definition lists, task lists, entities, numbered
// clauses.
var compactCases = []string{
	"",
	"one",
	"*a*\n**b**\n`c`\n[d](e)",
	"line  \nbreak\\\nhere",
	"- tight\n- list\n  - nested\n    - deeper\n\n1. loose\n\n2. list\n",
	"- item\n\n  more\n\n  ```\n  code\n  ```\n- x",
	"> quote\n> - in\n>\n> > deeper  \n> > text",
	"```go\n\n\nfunc main() {}\n\n\n```\n\n    indented\n      code\n\n~~~\n  <tag> & \"q\"\n~~~",
	"| a | b |\n|---|:-:|\n| `x` | *y* |\n|  | z |",
	"Text[^1] and more[^n].\n\n[^1]: A note.\n[^n]: Another\n\n    with code.",
	"Term\n: Definition\n: Another\n\nTerm 2\n\n: Loose",
	"- [ ] open\n- [x] done\n\n* [ ] star",
	"\"Quotes\" -- and --- dashes... 'single' &amp; &copy; &#35; &nbsp;x",
	"# H1\n## H2 {#id .cls}\n### H3\n#### H4\n\nSetext\n======\n\n---\n\n***",
	"a\n\n\n\n   b   \n\n\t\tc",
	"https://example.org and www.example.com and mail@example.org",
	"![alt *text*](img.png \"title\") [ref]\n\n[ref]: /x \"T\"",
	"## 1. Clause\n\nText.\n\n### Sub\n\n- a\n\n## Two\n",
	"  leading and trailing spaces  \n\n",
	"`code  with   spaces`  and   text   spaces",
}

// TestCompactHTML protects compactHTML, which stands in for the minifier on Markdown's HTML:
// the minifier makes the same page of its output as of the HTML it was given, on every
// shape above, CommonMark's spec examples (goldmark's copy), the site's own content and a
// generated corpus. It only takes bytes out, and keeps within 2% of the minifier's size.
func TestCompactHTML(t *testing.T) {
	var srcs []string
	srcs = append(srcs, compactCases...)
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output(); err != nil {
		t.Errorf("goldmark's module directory not found (go list -m: %v)", err)
	} else {
		data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "_test", "spec.json"))
		if err != nil {
			t.Fatal(err)
		}
		var spec []struct{ Markdown string }
		if err := json.Unmarshal(data, &spec); err != nil {
			t.Fatal(err)
		}
		for _, ex := range spec {
			srcs = append(srcs, ex.Markdown)
		}
	}
	nCases := len(srcs)
	tmp := t.TempDir()
	if _, err := corpus.GenerateShape(tmp, 300, 7, []int{10, 50}); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"../../content", filepath.Join(tmp, "content")} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				data, err := os.ReadFile(p)
				srcs = append(srcs, string(data))
				return err
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	conv := markdown.New(markdown.Config{})
	var raw, compacted, minified, skipped int
	for i, src := range srcs {
		doc := conv.Convert([]byte(src), markdown.Options{Number: i%2 == 0})
		if doc.RawHTML {
			skipped++
			continue
		}
		want, err := minifier.Bytes("text/html", bytes.Clone(doc.HTML))
		if err != nil {
			t.Fatal(err)
		}
		got := compactHTML(bytes.Clone(doc.HTML))
		again, _ := minifier.Bytes("text/html", bytes.Clone(got))
		if !bytes.Equal(again, want) {
			t.Errorf("source %d: the minifier makes another page of compactHTML's output:\nsource: %q\nhtml:      %q\ncompacted: %q\nminified:  %q\nits:       %q", i, src, doc.HTML, got, want, again)
		}
		if len(got) > len(doc.HTML) {
			t.Errorf("source %d: compactHTML added bytes: %q to %q", i, doc.HTML, got)
		}
		if i >= nCases {
			raw, compacted, minified = raw+len(doc.HTML), compacted+len(got), minified+len(want)
		}
	}
	// Inside <pre> nothing is taken out, whatever the tags (Markdown's code has none).
	for _, pre := range []string{"<pre>\n<br>\n x </pre>", "<pre> <b>\n</b>\n</pre>"} {
		if got := string(compactHTML([]byte(pre))); got != pre {
			t.Errorf("compactHTML(%q) = %q", pre, got)
		}
	}
	if skipped > nCases/3 {
		t.Errorf("%d of %d sources have raw HTML: too few compared", skipped, len(srcs))
	}
	t.Logf("%d sources (%d with raw HTML, left to the minifier); content and corpus: %d bytes of HTML, %d compacted, %d minified", len(srcs), skipped, raw, compacted, minified)
	if compacted > minified+minified/50 {
		t.Errorf("compacted HTML is %d bytes, the minifier's %d: more than 2%% larger", compacted, minified)
	}
}
