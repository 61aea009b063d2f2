package redline

import (
	"html"
	"regexp"
	"slices"
	"strings"
)

// Clause is one clause of a page: a <section> element, or an <h2 id=...> heading with what
// follows it up to the next one.
type Clause struct {
	ID    string // the stable anchor: the section's id, else its heading's id, else Title
	Title string // the heading's text, without its clause number
	// Number is the clause's number: the text of its clause-no element, else a number
	// written at the start of its heading ("3" of "3. Risk", "5.2" of "5.2 Fees", "A" of
	// "A. Definitions"); "" if it has none.
	Number string
	// HTML is the section's inner HTML (heading included), or the <h2> element and what
	// follows it. It includes the sub-clauses.
	HTML string
	Sub  []Clause // the clause's own <section> elements (### sub-clauses), in order
	// numWords are the words of a Number written in the heading's text, which are not
	// compared: "3. Risk" -> "4. Risk" is a renumbering, not a change of wording.
	numWords []string
}

// The classes Page gives a clause's <section> (or the <div> it puts around an <h2> clause).
const (
	ClassAdded   = "redline-added"   // the clause is new
	ClassRemoved = "redline-removed" // the clause is gone: shown with its text deleted
	ClassChanged = "redline-changed" // the clause's own text changed
	ClassMoved   = "redline-moved"   // the clause has another parent or another place
)

// SplitSections splits a rendered page body into the part before the first clause and the
// clauses. Clauses are the outermost <section> elements that share a parent with the first
// one (their own sections are their sub-clauses); a page without sections is split at its
// <h2 id=...> headings instead (those sharing a parent with the first), each clause running
// to the next. What follows the last clause (footnotes) is in no clause.
func SplitSections(body string) (intro string, clauses []Clause) {
	c := splitPage(body)
	for _, p := range c.parts {
		clauses = append(clauses, p.Clause)
	}
	return c.intro, clauses
}

// container is a page, or a clause's content, split at its clauses.
type container struct {
	intro   string // before the first clause (all of it without clauses)
	parts   []*part
	outro   string // after the last clause
	wrapped bool   // clauses are <section> elements
	flow    bool   // the clauses' parent may hold a <details> (it is a section, a div, ...)
}

// part is one clause with its wrapper, its content and what follows it before the next.
type part struct {
	Clause
	open, close string // the section's start and end tags; "" in the <h2> layout
	trailer     string
	inner       *container
	own         []string // the words of the clause outside its sub-clauses
	start, stop int      // its tokens
	pair        *part    // the clause with the same ID in the other version
}

func splitPage(body string) *container {
	c, _ := splitTokens(body)
	return c
}

func splitTokens(body string) (*container, []token) {
	toks := tokenize(body)
	s := newDiffer().side(toks)
	return split(body, s, 0, len(toks), true), toks
}

// split splits body's tokens s.toks[a:b] at their clauses.
func split(body string, s *side, a, b int, h2 bool) *container {
	pos := func(k int) int {
		if k >= len(s.toks) {
			return len(body)
		}
		return s.toks[k].pos
	}
	found, wrapped := findClauses(s, a, b, h2)
	c := &container{wrapped: wrapped}
	if len(found) > 0 {
		parent := s.parent[found[0].start]
		c.flow = parent < 0 || flowParents[s.toks[parent].name]
	}
	if len(found) == 0 {
		c.intro = body[pos(a):pos(b)]
		return c
	}
	c.intro = body[pos(a):pos(found[0].start)]
	for i, f := range found {
		p := &part{open: f.open, close: f.close, start: f.start, stop: f.stop}
		p.ID, p.Title, p.Number, p.numWords = f.id, f.title, f.number, f.numWords
		p.HTML = body[pos(f.inner):pos(f.innerEnd)]
		if wrapped {
			p.inner = split(body, s, f.inner, f.innerEnd, false)
		} else {
			p.inner = &container{intro: p.HTML}
		}
		k := f.inner
		for _, sub := range p.inner.parts {
			p.Sub = append(p.Sub, sub.Clause)
			p.own = appendWords(p.own, s.toks[k:sub.start])
			k = sub.stop
		}
		p.own = withoutNumber(appendWords(p.own, s.toks[k:f.innerEnd]), p.numWords)
		if i+1 < len(found) {
			p.trailer = body[pos(f.stop):pos(found[i+1].start)]
		} else {
			c.outro = body[pos(f.stop):pos(b)]
		}
		c.parts = append(c.parts, p)
	}
	return c
}

// flowParents are the elements whose content may be any flow content, a <details> fold
// included.
var flowParents = map[string]bool{"section": true, "div": true, "article": true, "main": true, "body": true, "aside": true, "details": true}

// clauseAt is a clause found in a side's tokens: toks[start:stop], its content
// toks[inner:innerEnd].
type clauseAt struct {
	start, stop, inner, innerEnd int
	open, close                  string
	id, title, number            string
	numWords                     []string
}

// findClauses finds the clauses among s.toks[a:b]: the outermost sections sharing a parent
// with the first, or if there are none and h2 is set, the <h2 id> headings sharing a parent
// with the first.
func findClauses(s *side, a, b int, h2 bool) ([]clauseAt, bool) {
	toks := s.toks
	var out []clauseAt
	parent := -2
	for k := a; k < b; k++ {
		t := &toks[k]
		if t.kind != tStart || t.name != "section" {
			continue
		}
		if parent == -2 {
			parent = s.parent[k]
		}
		if s.parent[k] == parent {
			end := min(s.end[k], b-1)
			f := clauseAt{start: k, stop: end + 1, inner: k + 1, innerEnd: end + 1, open: t.raw}
			if toks[end].kind == tEnd && toks[end].name == "section" && end > k {
				f.close = toks[end].raw
				f.innerEnd = end
			}
			f.id, _ = getAttr(t.raw, "id")
			f.heading(s, f.inner, f.innerEnd)
			out = append(out, f)
		}
		k = s.end[k] // sections inside are the clause's own
	}
	if out != nil || !h2 {
		return out, out != nil
	}
	parent = -2
	for k := a; k < b; k++ {
		t := &toks[k]
		if t.kind != tStart || t.name != "h2" {
			continue
		}
		id, _ := getAttr(t.raw, "id")
		if id == "" {
			continue
		}
		if parent == -2 {
			parent = s.parent[k]
		}
		if s.parent[k] != parent {
			continue
		}
		if n := len(out); n > 0 {
			out[n-1].stop, out[n-1].innerEnd = k, k
		}
		f := clauseAt{start: k, inner: k, id: id}
		f.heading(s, k, s.end[k]+1)
		out = append(out, f)
	}
	if n := len(out); n > 0 {
		// The last clause ends with its parent, or at the footnotes.
		stop := b
		if parent >= 0 && s.end[parent] < b {
			stop = s.end[parent]
			if toks[stop].kind != tEnd {
				stop++
			}
		}
		for k := out[n-1].start + 1; k < stop; k++ {
			if toks[k].kind == tStart && s.parent[k] == parent && hasClass(toks[k].raw, "footnotes") {
				stop = k
				break
			}
		}
		out[n-1].stop, out[n-1].innerEnd = stop, stop
	}
	return out, false
}

// heading finds the first heading in s.toks[a:b] and sets the clause's title and number
// from it, and its id if it has none: the heading's id, else the title.
func (f *clauseAt) heading(s *side, a, b int) {
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.kind != tStart || len(t.name) != 2 || t.name[0] != 'h' || t.name[1] < '1' || t.name[1] > '6' {
			continue
		}
		if f.id == "" {
			f.id, _ = getAttr(t.raw, "id")
		}
		inner := s.toks[k+1 : min(s.end[k]+1, b)]
		f.title = plainText(inner)
		f.number = numberText(inner)
		if f.number == "" {
			f.number, f.title, f.numWords = leadingNumber(f.title)
		}
		if f.id == "" {
			f.id = f.title
		}
		return
	}
}

// numberText is the text of the clause-number element among toks, "" if none.
func numberText(toks []token) string {
	for i := range toks {
		if toks[i].kind != tStart || !hasClass(toks[i].raw, numberClass) {
			continue
		}
		var b strings.Builder
		depth := 0
		for _, t := range toks[i:] {
			switch {
			case t.kind == tStart && !t.isVoid():
				depth++
			case t.kind == tEnd:
				depth--
			case t.isText():
				b.WriteString(t.raw)
			}
			if depth == 0 {
				break
			}
		}
		return strings.TrimSpace(html.UnescapeString(b.String()))
	}
	return ""
}

// headingNumber matches a number written at the start of a heading: "3. ", "5.2 ", "5.2. ",
// "A. ", "IV. ", "(a) ". A number without a dot ("2024 ") is a word of the title.
var headingNumber = regexp.MustCompile(`^(\d+(?:\.\d+)+\.?|\d+\.|[A-Z]\.|[IVXLC]+\.|\([0-9a-zA-Z]{1,4}\))\s+(\S.*)$`)

// leadingNumber splits a heading's text into its number, written without a final dot, the
// rest of the title, and the number's words as the text is compared.
func leadingNumber(title string) (number, rest string, ws []string) {
	m := headingNumber.FindStringSubmatch(title)
	if m == nil {
		return "", title, nil
	}
	return strings.TrimSuffix(m[1], "."), m[2], words(html.EscapeString(m[1]))
}

// withoutNumber is a clause's own words without the words of its number, which start them.
func withoutNumber(own, num []string) []string {
	if len(num) > 0 && len(own) >= len(num) && slices.Equal(own[:len(num)], num) {
		return own[len(num):]
	}
	return own
}

// plainText is the compared text of toks, references decoded and white space collapsed.
func plainText(toks []token) string {
	var b strings.Builder
	for i := range toks {
		if toks[i].diff {
			b.WriteString(toks[i].raw)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// words is the compared text of an HTML fragment, white space left out: two fragments with
// the same words read the same.
func words(fragment string) []string {
	toks := tokenize(fragment)
	return appendWords(make([]string, 0, len(toks)/2), toks)
}

func appendWords(ws []string, toks []token) []string {
	for i := range toks {
		if toks[i].diff && toks[i].kind == tWord {
			ws = append(ws, toks[i].key())
		}
	}
	return ws
}

// node is a clause of a flattened clause tree (parents before their sub-clauses).
type node struct {
	c      *Clause
	parent int // index of the parent clause, -1 at the top
	own    []string
	match  int // index of the clause with the same ID in the other version, or -1
	moved  bool
}

func flatten(cs []Clause, parent int, out []node) []node {
	for i := range cs {
		c := &cs[i]
		own := c.HTML
		for _, sub := range c.Sub {
			own = strings.Replace(own, sub.HTML, " ", 1)
		}
		out = append(out, node{c: c, parent: parent, own: withoutNumber(words(own), c.numWords), match: -1})
		out = flatten(c.Sub, len(out)-1, out)
	}
	return out
}

// Compare matches two versions' clauses (and sub-clauses) by ID and summarizes the changes.
func Compare(old, new []Clause) Summary {
	of, nf := flatten(old, -1, nil), flatten(new, -1, nil)
	return compare(of, nf)
}

func compare(of, nf []node) Summary {
	matchClauses(of, nf)
	markMoved(of, nf)
	var s Summary
	for j := range nf {
		f := &nf[j]
		ref := ClauseRef{ID: f.c.ID, Title: f.c.Title, Number: f.c.Number}
		if f.match < 0 {
			s.Added = append(s.Added, ref)
			continue
		}
		if was := of[f.match].c.Number; was != ref.Number {
			ref.Was = was
		}
		changed := !slices.Equal(f.own, of[f.match].own)
		switch {
		case changed:
			s.Changed = append(s.Changed, ref)
		default:
			s.Unchanged++
		}
		switch {
		case f.moved:
			s.Moved = append(s.Moved, ref)
		case !changed && ref.Was != "" && ref.Number != "":
			s.Renumbered = append(s.Renumbered, ref)
		}
	}
	for i := range of {
		if of[i].match < 0 {
			s.Removed = append(s.Removed, ClauseRef{ID: of[i].c.ID, Title: of[i].c.Title, Number: of[i].c.Number})
		}
	}
	return s
}

// matchClauses matches the clauses of two versions by ID, then those left by title: a
// heading whose anchor was made from its numbered text ("3. Risk", #3-risk) gets another
// anchor when it is renumbered, yet it is the same clause; then those left that are
// numbered in their text by number.
func matchClauses(of, nf []node) {
	byID := map[string][]int{}
	for i := range of {
		byID[of[i].c.ID] = append(byID[of[i].c.ID], i)
	}
	for j := range nf {
		if is := byID[nf[j].c.ID]; len(is) > 0 {
			nf[j].match, of[is[0]].match = is[0], j
			byID[nf[j].c.ID] = is[1:]
		}
	}
	byTitle := map[string][]int{}
	for i := range of {
		if of[i].match < 0 && of[i].c.Title != "" {
			byTitle[of[i].c.Title] = append(byTitle[of[i].c.Title], i)
		}
	}
	for j := range nf {
		if is := byTitle[nf[j].c.Title]; nf[j].match < 0 && len(is) > 0 {
			nf[j].match, of[is[0]].match = is[0], j
			byTitle[nf[j].c.Title] = is[1:]
		}
	}
	// A heading numbered in its text that keeps its number and its parent but not its
	// title ("2. Pictures" -> "2. Pictures and videos") is the same clause, reworded.
	for j := range nf {
		f := &nf[j]
		if f.match >= 0 || f.c.numWords == nil {
			continue
		}
		for i := range of {
			o := &of[i]
			if o.match < 0 && o.c.numWords != nil && o.c.Number == f.c.Number &&
				(f.parent < 0 && o.parent < 0 || f.parent >= 0 && nf[f.parent].match == o.parent && o.parent >= 0) {
				f.match, o.match = i, j
				break
			}
		}
	}
}

// markMoved marks the matched new clauses whose parent is not the match of their old
// parent, or whose place among the siblings that kept their parent changed (those not in
// a longest run in the old order).
func markMoved(of, nf []node) {
	siblings := map[int][]int{} // new parent -> matched clauses keeping their parent
	for j := range nf {
		f := &nf[j]
		if f.match < 0 {
			continue
		}
		op := of[f.match].parent
		if (f.parent < 0) != (op < 0) || f.parent >= 0 && nf[f.parent].match != op {
			f.moved = true
			continue
		}
		siblings[f.parent] = append(siblings[f.parent], j)
	}
	for _, js := range siblings {
		keep := increasing(js, func(j int) int { return nf[j].match })
		for _, j := range js {
			if !keep[j] {
				nf[j].moved = true
			}
		}
	}
}

// increasing returns the members of a longest subsequence of js along which key increases.
func increasing(js []int, key func(int) int) map[int]bool {
	var tails []int // tails[k]: index in js of the smallest last key of a run of k+1
	prev := make([]int, len(js))
	for i, j := range js {
		k, _ := slices.BinarySearchFunc(tails, key(j), func(t, v int) int { return key(js[t]) - v })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	keep := map[int]bool{}
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
			keep[js[i]] = true
		}
	}
	return keep
}

// flatParts lists c's parts in flatten order, and their nodes.
func flatParts(c *container, parent int, ps []*part, ns []node) ([]*part, []node) {
	for _, p := range c.parts {
		ps = append(ps, p)
		ns = append(ns, node{c: &p.Clause, parent: parent, own: p.own, match: -1})
		ps, ns = flatParts(p.inner, len(ns)-1, ps, ns)
	}
	return ps, ns
}
