package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// nestedList is a list nested depth deep, one item per line, each indented under the last.
func nestedList(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return b.String()
}

// table is a table of cols columns and rows body rows of one cell (short rows are filled up).
func table(cols, rows int) string {
	return "Intro.\n\n|" + strings.Repeat(" a |", cols) + "\n|" + strings.Repeat("---|", cols) + "\n" + strings.Repeat("x\n", rows)
}

// refRun is n link reference definitions in a row, and a link using the first.
func refRun(n int) string {
	var b strings.Builder
	b.WriteString("See [r0].\n\n")
	for i := range n {
		fmt.Fprintf(&b, "[r%d]: u%d.md\n", i, i)
	}
	return b.String()
}

// TestLimits protects the limits: a page beyond one is not converted, whatever its shape, and
// gets one Error saying which limit, where; a page at a limit converts.
func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string // "" for no error
	}{
		{"page at the limit", strings.Repeat("word ", MaxPageBytes/5) + "\n", ""},
		{"page too big", strings.Repeat("word ", MaxPageBytes/5+1) + "\n",
			"1:1: the page is 2.1 MB; a page may be at most 2 MB: split it into several pages"},
		{"list at the limit", nestedList(MaxNesting), ""},
		{"list too deep", "Intro.\n\n" + nestedList(MaxNesting+1),
			"103:201: lists and quotes are nested 101 deep here; they may be nested at most 100 deep: flatten the structure or split it"},
		{"list too deep on one line", "Intro.\n\n" + strings.Repeat("- ", 3000) + "x\n",
			"3:201: lists and quotes are nested 101 deep here; they may be nested at most 100 deep: flatten the structure or split it"},
		{"quotes too deep", strings.Repeat(">", 3000) + " x\n",
			"1:3000: lists and quotes are nested 3000 deep here; they may be nested at most 100 deep: flatten the structure or split it"},
		{"quotes and lists too deep", strings.Repeat("> - ", 51) + "x\n",
			"1:201: lists and quotes are nested 101 deep here; they may be nested at most 100 deep: flatten the structure or split it"},
		{"deep list in fenced code is code", "```\n" + nestedList(300) + "```\n", ""},
		{"table at the limits", table(20, MaxTableRows-1), ""},
		{"table with too many rows", table(1, MaxTableRows+1),
			"3:1: this table has 10001 rows; a table may have at most 10000: split it into several tables"},
		{"table with too many cells", table(1000, 200),
			"3:1: this table has 201000 cells (201 rows of 1000 columns); the tables of a page may have at most 200000 cells: split it into several pages"},
		{"tables with too many cells together", table(20, 4999) + "\n" + table(20, 4999) + "\n" + table(1, 1),
			"10011:1: with this table, the tables of this page have 200002 cells; the tables of a page may have at most 200000 cells together: split the page"},
		{"table in a quote", "> | a |\n> |---|\n" + strings.Repeat("> x\n", MaxTableRows+1),
			"1:3: this table has 10001 rows; a table may have at most 10000: split it into several tables"},
		{"definitions at the limit", refRun(MaxDefinitionRun), ""},
		{"too many definitions in a row", refRun(MaxDefinitionRun + 1),
			"3:1: 1001 link definitions ([name]: address) in a row; at most 1000 may follow one another: put a blank line between groups of them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := New(Config{}).Convert([]byte(tc.src), Options{Resolve: func(d string) (string, *Link) { return d, &Link{} }})
			var got []string
			for _, e := range doc.Errors {
				line, col := at(tc.src, e.Offset)
				got = append(got, fmt.Sprintf("%d:%d: %s", line, col, e.Msg))
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("errors %q; want none", got)
			case tc.want == "" && len(doc.HTML) == 0:
				t.Error("no HTML")
			case tc.want != "" && (len(got) != 1 || got[0] != tc.want):
				t.Errorf("errors:\n got  %q\n want %q", got, tc.want)
			case tc.want != "" && (doc.HTML != nil || doc.Links != nil || doc.Headings != nil || doc.AST == nil || doc.AST.HasChildren()):
				t.Errorf("a page beyond a limit was converted: %d bytes of HTML, %d links, AST %v", len(doc.HTML), len(doc.Links), doc.AST)
			}
		})
	}
}

// BenchmarkLimits measures the pages of the issue, now refused, and the slowest pages within
// every limit we found (go test -run X -bench Limits -benchmem ./generator/markdown/).
func BenchmarkLimits(b *testing.B) {
	fill := func(unit string) string { return strings.Repeat(unit, MaxPageBytes/len(unit)) }
	for _, c := range []struct{ name, src string }{
		// Refused (before: 68 s and 1 GB; 3.5 GB).
		{"refused/list-3000-deep", nestedList(3000)},
		{"refused/table-1M-rows", "| a | b | c |\n|---|---|---|\n" + strings.Repeat("| 1 | 2 | 3 |\n", 1_000_000)},
		{"refused/list-1M-deep-one-line", strings.Repeat("- ", MaxPageBytes/2-1)},
		{"refused/table-500k-rows", table(1, MaxPageBytes/2-20)},
		{"refused/table-5M-cells", table(100_000, 50)},
		{"refused/definitions-50k", refRun(50_000)},
		// Within the limits, 2 MB each.
		{"within/lists-100-deep", fill(nestedList(MaxNesting) + "\n")},
		{"within/list-items-100-deep-per-line", fill(strings.Repeat("- ", MaxNesting) + "x\n")},
		{"within/quotes-and-lists-100-deep", fill(strings.Repeat("- > ", MaxNesting/2) + "x\n")},
		{"refused/tables-20M-cells", fill(table(20, MaxTableRows-1) + "\n")},
		{"within/tables-10k-rows-20-cols", table(20, MaxTableRows-1) + fill("Text.\n\n")[:MaxPageBytes-300_000]},
		{"within/links", fill("[a](b.md) ")},
	} {
		b.Run(c.name, func(b *testing.B) {
			conv := New(Config{})
			src := []byte(c.src)
			opt := Options{Number: true, Resolve: func(d string) (string, *Link) { return d, &Link{} }}
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				conv.Convert(src, opt)
			}
		})
	}
}
