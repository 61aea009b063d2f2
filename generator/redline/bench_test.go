package redline

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

var benchWords = strings.Fields(`affiliate program terms commission payment website traffic
	channel content promotion review approval account partner policy notice period days
	reasonable written consent applicable law agreement party parties obligation rights
	coupon deal links tracking cookie referral customer order refund store product`)

// benchPage is a terms page of about n words in clauses of paragraphs and lists, rendered
// as the markdown package renders it; with edits > 0, scattered words are replaced,
// inserted and deleted (edits of each, spread over the page).
func benchPage(n, edits int) string {
	r := rand.New(rand.NewPCG(7, 11))
	ws := make([]string, n)
	for i := range ws {
		ws[i] = benchWords[r.IntN(len(benchWords))]
	}
	if edits > 0 {
		e := rand.New(rand.NewPCG(3, 5))
		for k := range edits {
			i := (k*len(ws))/edits + e.IntN(len(ws)/edits/2)
			switch k % 3 {
			case 0:
				ws[i] = "amended"
			case 1:
				ws[i] = ws[i] + " newly added"
			case 2:
				ws[i] = ""
			}
		}
	}
	var b strings.Builder
	b.WriteString("<p>These terms govern the program.</p>\n")
	for i, clause := 0, 1; i < len(ws); clause++ {
		fmt.Fprintf(&b, "<section class=\"clause\" id=\"c%d\">\n<h2><span class=\"clause-no\">%d</span> Clause %d</h2>\n", clause, clause, clause)
		for p := 0; p < 4 && i < len(ws); p++ {
			end := min(i+60, len(ws))
			if p == 2 {
				b.WriteString("<ul>\n")
				for ; i < end; i += 12 {
					fmt.Fprintf(&b, "<li>%s;</li>\n", strings.Join(ws[i:min(i+12, end)], " "))
				}
				b.WriteString("</ul>\n")
				continue
			}
			fmt.Fprintf(&b, "<p>%s, <a href=\"/x/\">%s</a> %s.</p>\n", strings.Join(ws[i:i+10], " "), ws[i+10], strings.Join(ws[i+11:end], " "))
			i = end
		}
		b.WriteString("</section>\n")
	}
	return b.String()
}

func BenchmarkDiff(b *testing.B) {
	old, new := benchPage(5000, 0), benchPage(5000, 20)
	b.SetBytes(int64(len(new)))
	b.ReportAllocs()
	for b.Loop() {
		Diff(old, new)
	}
}

func BenchmarkPage(b *testing.B) {
	old, new := benchPage(5000, 0), benchPage(5000, 20)
	b.SetBytes(int64(len(new)))
	b.ReportAllocs()
	for b.Loop() {
		Page(old, new)
	}
}

// BenchmarkDiffRewrite is the worst case: two unrelated pages of 5,000 words.
func BenchmarkDiffRewrite(b *testing.B) {
	old := benchPage(5000, 0)
	new := strings.NewReplacer("a", "e", "o", "u").Replace(old)
	b.ReportAllocs()
	for b.Loop() {
		Diff(old, new)
	}
}

func TestBenchPage(t *testing.T) {
	old, new := benchPage(5000, 0), benchPage(5000, 20)
	if n := len(words(old)); n < 5000 || n > 6000 {
		t.Errorf("bench page has %d words", n)
	}
	out := Diff(old, new)
	checkRedline(t, old, new, out)
	ins, del := strings.Count(out, "<ins>"), strings.Count(out, "<del>")
	if ins < 10 || del < 10 || ins > 30 || del > 30 {
		t.Errorf("%d insertions and %d deletions for 20 edits", ins, del)
	}
}
