// Package corpus writes a deterministic documentation site of any size, for benchmarks: the
// same seed and size always give the same bytes. The site builds with this generator (its
// content/_site.yaml) and with Hugo (hugo.toml and the minimal layouts/ embedded here), so
// both can be timed on one corpus.
//
// Pages sit in a tree of sections no wider than Fanout at any level. Leaf sections hold
// from 10 to 400 pages (Sizes, in turn), so the corpus has the shapes that make navigation
// costly (a 400-page section's sidebar) as well as small ones; the tree gets deeper as the
// site grows (at 10,000 pages, top-level sections hold leaf sections). GenerateShape writes
// the same pages with one leaf size, to compare the cost per page of small and big sections. Every page has front
// matter, headings with stable anchors, paragraphs with inline markup, a GFM table, lists, a
// task list, links to pages in its section and elsewhere (some to anchors), and code blocks
// in several languages whose text differs from page to page.
package corpus

import (
	"embed"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"affdocs/themes"
)

// Fanout is the most sections a section holds.
const Fanout = 10

// Sizes are the numbers of pages of the leaf sections of a corpus, in turn.
var Sizes = []int{10, 400, 25, 200, 50, 100}

//go:embed all:hugo
var hugoFiles embed.FS

// Generate writes a site of n pages (leaf pages, not counting section pages) into dir,
// which must not exist or be empty. It returns the number of Markdown files written.
func Generate(dir string, n int, seed uint64) (int, error) {
	return GenerateShape(dir, n, seed, Sizes)
}

// GenerateShape is Generate with leaf sections of the given sizes, in turn.
func GenerateShape(dir string, n int, seed uint64, sizes []int) (int, error) {
	g := &gen{dir: dir, rnd: rand.New(rand.NewPCG(seed, 0x5eed)), sizes: sizes}
	if err := g.write("content/_site.yaml", "title: Benchmark corpus\nbaseURL: https://example.org/docs/\n"); err != nil {
		return 0, err
	}
	if err := fs.WalkDir(hugoFiles, "hugo", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := hugoFiles.ReadFile(p)
		if err != nil {
			return err
		}
		return g.write(strings.TrimPrefix(p, "hugo/"), string(data))
	}); err != nil {
		return 0, err
	}
	css, err := fs.ReadFile(themes.Default, "default/static/assets/site.css") // Hugo's pages get our stylesheet
	if err != nil {
		return 0, err
	}
	if err := g.write("static/site.css", string(css)); err != nil {
		return 0, err
	}
	g.layout(n)
	if err := g.write("content/_index.md", "---\ntitle: Benchmark corpus\ndescription: A generated documentation site.\n---\n\n"+g.paragraph()+"\n"); err != nil {
		return 0, err
	}
	files := 1
	for i, sec := range g.sections {
		title := "Section " + strings.ReplaceAll(strings.TrimSuffix(sec, "/"), "/", ".")
		body := fmt.Sprintf("---\ntitle: %q\ndescription: Pages about topic %d.\nweight: %d\n---\n\n%s\n", title, i, i+1, g.paragraph())
		if err := g.write("content/"+sec+"_index.md", body); err != nil {
			return 0, err
		}
		files++
	}
	for i := range n {
		g.size = g.leafSize[g.leafOf(i)]
		if err := g.write(g.pagePath(i), g.pageText(i)); err != nil {
			return 0, err
		}
		files++
	}
	return files, nil
}

type gen struct {
	dir       string
	rnd       *rand.Rand
	sizes     []int    // the leaf sizes, in turn
	sections  []string // every section folder, "s03/s07/", parents first
	leaves    []string // the sections that hold pages, in order
	leafStart []int    // the index of each leaf's first page
	leafSize  []int    // the number of pages of each leaf
	size      int      // pages in the leaf being written
}

func (g *gen) write(rel, text string) error {
	p := filepath.Join(g.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(text), 0o644)
}

// PagePath is the source path of the i-th page (from 0) of a corpus of n pages.
func PagePath(n, i int) string {
	g := &gen{sizes: Sizes}
	g.layout(n)
	return g.pagePath(i)
}

// leafOf is the leaf section of page i.
func (g *gen) leafOf(i int) int {
	return sort.SearchInts(g.leafStart, i+1) - 1
}

func (g *gen) pagePath(i int) string {
	l := g.leafOf(i)
	return "content/" + g.leaves[l] + g.page(i-g.leafStart[l]) + ".md"
}

// layout makes the section tree for n pages: leaves of g.sizes pages in turn (the last one
// holds what is left), in the shallowest tree with at most Fanout children per section.
func (g *gen) layout(n int) {
	for start, k := 0, 0; start < n; k++ {
		size := min(g.sizes[k%len(g.sizes)], n-start)
		g.leafStart, g.leafSize = append(g.leafStart, start), append(g.leafSize, size)
		start += size
	}
	leaves := len(g.leafStart)
	depth := 1
	for room := Fanout; room < leaves; room *= Fanout {
		depth++
	}
	var walk func(prefix string, level, first, count int)
	// walk spreads count leaves, numbered from first, below prefix.
	walk = func(prefix string, level, first, count int) {
		if level == depth {
			g.leaves = append(g.leaves, prefix)
			return
		}
		per := 1
		for range depth - level - 1 {
			per *= Fanout
		}
		for i := 0; i*per < count; i++ {
			sec := fmt.Sprintf("%ss%02d/", prefix, i)
			g.sections = append(g.sections, sec)
			walk(sec, level+1, first+i*per, min(per, count-i*per))
		}
	}
	walk("", 0, 0, leaves)
}

func (g *gen) page(i int) string { return fmt.Sprintf("p%03d", i) }

var words = strings.Fields(`affiliate program commission payout threshold traffic source
	review application website audience content policy partner link cookie window report
	coupon cashback network publisher advertiser approval rejection requirement checklist
	account payment method currency country category product order conversion rate period
	terms edition clause section update notice contact support dashboard campaign channel`)

func (g *gen) word() string { return words[g.rnd.IntN(len(words))] }

func (g *gen) sentence() string {
	n := 6 + g.rnd.IntN(12)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	switch g.rnd.IntN(4) {
	case 0:
		ws[2] = "**" + ws[2] + "**"
	case 1:
		ws[3] = "*" + ws[3] + "*"
	case 2:
		ws[1] = "`" + ws[1] + "_" + fmt.Sprint(g.rnd.IntN(1000)) + "`"
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (g *gen) paragraph() string {
	n := 3 + g.rnd.IntN(4)
	ss := make([]string, n)
	for i := range ss {
		ss[i] = g.sentence()
	}
	return strings.Join(ss, " ")
}

var anchors = []string{"overview", "requirements", "example", "limits", "checklist"}

// link is a Markdown link from page i to another page: a page of its section, or the first
// page of any section (by its site path), sometimes to one of the anchors every page has.
func (g *gen) link(i int) string {
	var dest string
	if g.rnd.IntN(2) == 0 {
		dest = g.page((i+1+g.rnd.IntN(g.size))%g.size) + ".md"
	} else {
		dest = "/" + g.leaves[g.rnd.IntN(len(g.leaves))] + g.page(0) + ".md"
	}
	if g.rnd.IntN(2) == 0 {
		dest += "#" + anchors[g.rnd.IntN(len(anchors))]
	}
	return fmt.Sprintf("[%s %s](%s)", g.word(), g.word(), dest)
}

var langs = []string{"go", "python", "javascript", "yaml", "json", "bash", "sql", "html"}

func (g *gen) code(i int) string {
	id := fmt.Sprintf("%s_%d", g.word(), i)
	v := g.rnd.IntN(100000)
	switch lang := langs[g.rnd.IntN(len(langs))]; lang {
	case "go":
		return fmt.Sprintf("```go\n// %s returns the %s for an order.\nfunc %s(amount float64) float64 {\n\tif amount < %d {\n\t\treturn 0 // below the %s\n\t}\n\treturn amount * 0.%02d\n}\n```", id, g.word(), id, v%500, g.word(), v%100)
	case "python":
		return fmt.Sprintf("```python\ndef %s(orders):\n    \"\"\"Sum the %s of every order.\"\"\"\n    total = 0\n    for o in orders:\n        if o[\"status\"] == \"%s\":\n            total += o[\"amount\"] * %d / 100\n    return total\n```", id, g.word(), g.word(), v%50)
	case "javascript":
		return fmt.Sprintf("```javascript\nexport function %s(link) {\n  const url = new URL(link);\n  url.searchParams.set(\"sub_id\", \"%s-%d\");\n  return url.toString(); // %s\n}\n```", id, g.word(), v, g.sentence())
	case "yaml":
		return fmt.Sprintf("```yaml\n%s:\n  threshold: %d\n  currency: USD\n  channels:\n    - %s\n    - %s\n  review_days: %d\n```", id, v%1000, g.word(), g.word(), 1+v%14)
	case "json":
		return fmt.Sprintf("```json\n{\n  \"id\": \"%s\",\n  \"commission\": %d.%02d,\n  \"approved\": %t,\n  \"tags\": [\"%s\", \"%s\"]\n}\n```", id, v%50, v%100, v%2 == 0, g.word(), g.word())
	case "bash":
		return fmt.Sprintf("```bash\n# fetch the %s report\ncurl -s \"https://example.org/api/%s?limit=%d\" \\\n  | jq '.items[] | select(.%s > %d)'\n```", g.word(), id, v%200, g.word(), v%1000)
	case "sql":
		return fmt.Sprintf("```sql\nSELECT %s, SUM(amount) AS total\nFROM orders\nWHERE status = '%s' AND amount > %d\nGROUP BY %s\nORDER BY total DESC;\n```", g.word(), g.word(), v%1000, g.word())
	default:
		return fmt.Sprintf("```html\n<a href=\"https://example.org/?ref=%s\" rel=\"sponsored\">%s %s</a>\n<!-- %s -->\n```", id, g.word(), g.word(), g.sentence())
	}
}

func (g *gen) pageText(i int) string {
	var b strings.Builder
	p := i - g.leafStart[g.leafOf(i)]
	fmt.Fprintf(&b, "---\ntitle: \"Topic %d: %s %s\"\ndescription: %s\nweight: %d\nupdated: 2026-%02d-%02d\n---\n\n", i, g.word(), g.word(), strings.TrimSuffix(g.sentence(), "."), p+1, 1+i%12, 1+i%28)
	fmt.Fprintf(&b, "%s See %s and %s.\n\n", g.paragraph(), g.link(i), g.link(i))
	fmt.Fprintf(&b, "## Overview {#overview}\n\n%s\n\n%s\n\n", g.paragraph(), g.paragraph())
	fmt.Fprintf(&b, "## Requirements {#requirements}\n\n| Requirement | Value | Notes |\n|---|---:|---|\n")
	for range 3 + g.rnd.IntN(4) {
		fmt.Fprintf(&b, "| %s %s | %d | %s |\n", g.word(), g.word(), g.rnd.IntN(1000), strings.TrimSuffix(g.sentence(), "."))
	}
	fmt.Fprintf(&b, "\n%s\n\n", g.paragraph())
	fmt.Fprintf(&b, "## Example {#example}\n\n%s\n\n%s\n\n", g.sentence(), g.code(i))
	if g.rnd.IntN(2) == 0 {
		fmt.Fprintf(&b, "%s\n\n%s\n\n", g.sentence(), g.code(i))
	}
	fmt.Fprintf(&b, "## Limits {#limits}\n\n")
	for range 3 + g.rnd.IntN(3) {
		fmt.Fprintf(&b, "- %s\n", g.sentence())
	}
	fmt.Fprintf(&b, "\n1. %s\n2. %s %s\n3. %s\n\n", g.sentence(), g.sentence(), g.link(i), g.sentence())
	fmt.Fprintf(&b, "### Details\n\n%s\n\n", g.paragraph())
	fmt.Fprintf(&b, "## Checklist {#checklist}\n\n")
	for range 3 + g.rnd.IntN(3) {
		box := " "
		if g.rnd.IntN(3) == 0 {
			box = "x"
		}
		fmt.Fprintf(&b, "- [%s] %s\n", box, g.sentence())
	}
	fmt.Fprintf(&b, "\n%s Back to the [overview](#overview); next: %s.\n", g.paragraph(), g.link(i))
	return b.String()
}

// Editions adds k published editions to a generated corpus in dir: each a copy of its pages
// in content/_editions/2026-MM/, months 01 to k, where edition e rewords one page in ten, so
// consecutive editions differ as terms do and every edition has redlines to show.
func Editions(dir string, k int) error {
	content := filepath.Join(dir, "content")
	var pages []string
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "_editions" {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			pages = append(pages, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for e := 1; e <= k; e++ {
		id := fmt.Sprintf("2026-%02d", e)
		ed := filepath.Join(content, "_editions", id)
		g := &gen{dir: ed}
		if err := g.write("edition.yaml", fmt.Sprintf("label: Edition %d\neffective: %s-01\n", e, id)); err != nil {
			return err
		}
		for i, p := range pages {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			text := string(data)
			if i%10 == e%10 {
				text = strings.Replace(text, "## Limits {#limits}\n\n", fmt.Sprintf("## Limits {#limits}\n\nAs of edition %d, these limits apply.\n\n", e), 1)
			}
			rel, _ := filepath.Rel(content, p)
			if err := g.write(filepath.ToSlash(rel), text); err != nil {
				return err
			}
		}
	}
	return nil
}
