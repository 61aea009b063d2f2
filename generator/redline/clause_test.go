package redline

import (
	"reflect"
	"strings"
	"testing"
)

// sec is a clause as the markdown package renders it.
func sec(id, title, body string) string {
	return `<section class="clause" id="` + id + `">` + "\n<h2>" + title + "</h2>\n" + body + "</section>\n"
}

func TestSplitSections(t *testing.T) {
	sub := `<section class="clause" id="late-fees">` + "\n<h3><span class=\"clause-no\">1.1</span> Late fees</h3>\n<p>None.</p>\n</section>\n"
	body := "<p>Intro.</p>\n" +
		`<section class="clause" id="fees">` + "\n<h2><span class=\"clause-no\">1</span> Fees &amp; costs</h2>\n<p>We pay 5%.</p>\n" + sub + "</section>\n" +
		`<section class="clause" id="term">` + "\n<h2><span class=\"clause-no\">2</span> Term</h2>\n<p>One year.</p>\n</section>\n" +
		`<div class="footnotes" role="doc-endnotes"><ol><li id="fn:1"><p>Note.</p></li></ol></div>` + "\n"
	intro, cs := SplitSections(body)
	if intro != "<p>Intro.</p>\n" {
		t.Errorf("intro = %q", intro)
	}
	want := []Clause{
		{ID: "fees", Title: "Fees & costs", Number: "1",
			HTML: "\n<h2><span class=\"clause-no\">1</span> Fees &amp; costs</h2>\n<p>We pay 5%.</p>\n" + sub,
			Sub:  []Clause{{ID: "late-fees", Title: "Late fees", Number: "1.1", HTML: "\n<h3><span class=\"clause-no\">1.1</span> Late fees</h3>\n<p>None.</p>\n"}}},
		{ID: "term", Title: "Term", Number: "2", HTML: "\n<h2><span class=\"clause-no\">2</span> Term</h2>\n<p>One year.</p>\n"},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Errorf("clauses:\n got %+v\nwant %+v", cs, want)
	}
}

func TestSplitSectionsHeadings(t *testing.T) {
	body := "<p>Intro.</p>\n<h2 id=\"fees\">Fees</h2>\n<p>We pay 5%.</p>\n<h3 id=\"late\">Late</h3>\n<p>None.</p>\n" +
		"<h2>No id</h2>\n<h2 id=\"term\">Term</h2>\n<p>One year.</p>\n<div class=\"footnotes\"><p>Note.</p></div>\n"
	intro, cs := SplitSections(body)
	if intro != "<p>Intro.</p>\n" {
		t.Errorf("intro = %q", intro)
	}
	want := []Clause{
		{ID: "fees", Title: "Fees", HTML: "<h2 id=\"fees\">Fees</h2>\n<p>We pay 5%.</p>\n<h3 id=\"late\">Late</h3>\n<p>None.</p>\n<h2>No id</h2>\n"},
		{ID: "term", Title: "Term", HTML: "<h2 id=\"term\">Term</h2>\n<p>One year.</p>\n"},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Errorf("clauses:\n got %+v\nwant %+v", cs, want)
	}

	if intro, cs := SplitSections("<p>Just text.</p>"); intro != "<p>Just text.</p>" || cs != nil {
		t.Errorf("SplitSections without clauses = %q, %v", intro, cs)
	}
	if intro, cs := SplitSections(""); intro != "" || cs != nil {
		t.Errorf("SplitSections(\"\") = %q, %v", intro, cs)
	}
	// Without an id, a section is named by its heading's id, else its title.
	_, cs = SplitSections("<section><h2 id=\"x\">X</h2></section><section><h2>Y</h2></section>")
	if len(cs) != 2 || cs[0].ID != "x" || cs[1].ID != "Y" {
		t.Errorf("ids = %+v", cs)
	}
}

func TestCompare(t *testing.T) {
	c := func(id, text string, sub ...Clause) Clause {
		html := "<h2>" + id + "</h2><p>" + text + "</p>"
		for _, s := range sub {
			html += "<section>" + s.HTML + "</section>"
		}
		return Clause{ID: id, Title: strings.ToUpper(id), HTML: html, Sub: sub}
	}
	ref := func(ids ...string) []ClauseRef {
		var rs []ClauseRef
		for _, id := range ids {
			rs = append(rs, ClauseRef{ID: id, Title: strings.ToUpper(id)})
		}
		return rs
	}
	tests := []struct {
		name     string
		old, new []Clause
		want     Summary
	}{
		{"identical", []Clause{c("a", "x"), c("b", "y")}, []Clause{c("a", "x"), c("b", "y")},
			Summary{Unchanged: 2}},
		{"empty", nil, nil, Summary{}},
		{"added", []Clause{c("a", "x")}, []Clause{c("a", "x"), c("b", "y")},
			Summary{Added: ref("b"), Unchanged: 1}},
		{"removed", []Clause{c("a", "x"), c("b", "y")}, []Clause{c("b", "y")},
			Summary{Removed: ref("a"), Unchanged: 1}},
		{"changed", []Clause{c("a", "x"), c("b", "y")}, []Clause{c("a", "x"), c("b", "z")},
			Summary{Changed: ref("b"), Unchanged: 1}},
		{"markup is not a change", []Clause{c("a", "x y")}, []Clause{c("a", "x <em>y</em>")},
			Summary{Unchanged: 1}},
		{"reordered", []Clause{c("a", "x"), c("b", "y"), c("c", "z")}, []Clause{c("c", "z"), c("a", "x"), c("b", "w")},
			Summary{Changed: ref("b"), Moved: ref("c"), Unchanged: 2}},
		{"sub-clause changed", []Clause{c("a", "x", c("a1", "p"), c("a2", "q"))}, []Clause{c("a", "x", c("a1", "p"), c("a2", "r"))},
			Summary{Changed: ref("a2"), Unchanged: 2}},
		{"sub-clause moved to another clause", []Clause{c("a", "x", c("s", "p")), c("b", "y")}, []Clause{c("a", "x"), c("b", "y", c("s", "p"))},
			Summary{Moved: ref("s"), Unchanged: 3}},
		{"all replaced", []Clause{c("a", "x")}, []Clause{c("b", "x")},
			Summary{Added: ref("b"), Removed: ref("a")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(tt.old, tt.new); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Compare:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestPage(t *testing.T) {
	fees := sec("fees", "Fees", "<p>We pay 5%.</p>\n")
	term := sec("term", "Term", "<p>One year.</p>\n")
	law := sec("law", "Law", "<p>Delaware.</p>\n")
	term2 := sec("term", "Term", "<p>Two years.</p>\n")
	fold := func(label string, clauses ...string) string {
		return `<details class="redline-fold"><summary>` + label + "</summary>\n" +
			strings.TrimSuffix(strings.Join(clauses, ""), "\n") + "</details>\n"
	}
	tests := []struct {
		name, old, new string
		want           string
		sum            Summary
	}{
		{"identical", "<p>Intro.</p>\n" + fees + term, "<p>Intro.</p>\n" + fees + term,
			"<p>Intro.</p>\n" + fees + term,
			Summary{Unchanged: 2}},
		{"empty", "", "", "", Summary{}},
		{"clause added", fees + term, fees + law + term,
			fold("1 unchanged clause: Fees", fees) + `<section class="clause redline-added" id="law">` + "\n<h2><ins>Law</ins></h2>\n<p><ins>Delaware.</ins></p>\n</section>\n" +
				fold("1 unchanged clause: Term", term),
			Summary{Added: []ClauseRef{{ID: "law", Title: "Law"}}, Unchanged: 2}},
		{"clause removed, shown after the one before it", fees + term + law, fees + law,
			fold("1 unchanged clause: Fees", fees) + `<section class="clause redline-removed" id="term">` + "\n<h2><del>Term</del></h2>\n<p><del>One year.</del></p>\n</section>\n" +
				fold("1 unchanged clause: Law", law),
			Summary{Removed: []ClauseRef{{ID: "term", Title: "Term"}}, Unchanged: 2}},
		{"first clause removed", fees + term, term,
			`<section class="clause redline-removed" id="fees">` + "\n<h2><del>Fees</del></h2>\n<p><del>We pay 5%.</del></p>\n</section>\n" + fold("1 unchanged clause: Term", term),
			Summary{Removed: []ClauseRef{{ID: "fees", Title: "Fees"}}, Unchanged: 1}},
		{"clauses reordered and changed", fees + term + law, law + fees + term2,
			`<section class="clause redline-moved" id="law">` + "\n<h2>Law</h2>\n<p>Delaware.</p>\n</section>\n" + fold("1 unchanged clause: Fees", fees) +
				`<section class="clause redline-changed" id="term">` + "\n<h2>Term</h2>\n<p><del>One year</del> <ins>Two years</ins>.</p>\n</section>\n",
			Summary{Changed: []ClauseRef{{ID: "term", Title: "Term"}}, Moved: []ClauseRef{{ID: "law", Title: "Law"}}, Unchanged: 2}},
		{"intro changed", "<p>Old intro.</p>\n" + fees, "<p>New intro.</p>\n" + fees,
			"<p><del>Old</del> <ins>New</ins> intro.</p>\n" + fold("1 unchanged clause: Fees", fees),
			Summary{Unchanged: 1, Outside: []OutsideChange{{Part: PartIntro, Changes: 1}}}},
		{"h2 layout",
			"<p>Intro.</p>\n<h2 id=\"fees\">Fees</h2>\n<p>We pay 5%.</p>\n<h2 id=\"term\">Term</h2>\n<p>One year.</p>\n",
			"<p>Intro.</p>\n<h2 id=\"fees\">Fees</h2>\n<p>We pay 6%.</p>\n<h2 id=\"law\">Law</h2>\n<p>Delaware.</p>\n",
			fold("Introduction, unchanged", "<p>Intro.</p>\n") +
				"<div class=\"redline-changed\"><h2 id=\"fees\">Fees</h2>\n<p>We pay <del>5%</del> <ins>6%</ins>.</p>\n</div>" +
				"<div class=\"redline-removed\"><h2 id=\"term\"><del>Term</del></h2>\n<p><del>One year.</del></p>\n</div>" +
				"<div class=\"redline-added\"><h2 id=\"law\"><ins>Law</ins></h2>\n<p><ins>Delaware.</ins></p>\n</div>",
			Summary{Added: []ClauseRef{{ID: "law", Title: "Law"}}, Removed: []ClauseRef{{ID: "term", Title: "Term"}}, Changed: []ClauseRef{{ID: "fees", Title: "Fees"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, got := Page(tt.old, tt.new)
			if got != tt.want {
				t.Errorf("Page:\n got %q\nwant %q", got, tt.want)
			}
			if !reflect.DeepEqual(sum, tt.sum) {
				t.Errorf("summary:\n got %+v\nwant %+v", sum, tt.sum)
			}
			if sum.Empty() != (tt.old == tt.new) {
				t.Errorf("Empty() = %v", sum.Empty())
			}
		})
	}
}

// A sub-clause moved into an added clause is redlined against its old text, not shown as
// all new; the clause it left does not show it again.
func TestPageMovedSubClause(t *testing.T) {
	sub := func(text string) string {
		return `<section class="clause" id="risk">` + "\n<h3>Risk</h3>\n<p>" + text + "</p>\n</section>\n"
	}
	old := sec("liability", "Liability", "<p>Limits.</p>\n"+sub("You assume all risk."))
	new := sec("liability", "Liability", "<p>Limits.</p>\n") + sec("safety", "Safety", "<p>Be safe.</p>\n"+sub("You assume the risk."))
	sum, got := Page(old, new)
	want := sec("liability", "Liability", "<p>Limits.</p>\n") +
		`<section class="clause redline-added" id="safety">` + "\n<h2><ins>Safety</ins></h2>\n<p><ins>Be safe.</ins></p>\n" +
		`<section class="clause redline-changed redline-moved" id="risk">` + "\n<h3>Risk</h3>\n<p>You assume <del>all</del> <ins>the</ins> risk.</p>\n</section>\n" +
		"</section>\n"
	if got != want {
		t.Errorf("Page:\n got %q\nwant %q", got, want)
	}
	wantSum := Summary{Added: []ClauseRef{{ID: "safety", Title: "Safety"}}, Changed: []ClauseRef{{ID: "risk", Title: "Risk"}}, Moved: []ClauseRef{{ID: "risk", Title: "Risk"}}, Unchanged: 1}
	if !reflect.DeepEqual(sum, wantSum) {
		t.Errorf("summary:\n got %+v\nwant %+v", sum, wantSum)
	}
}
