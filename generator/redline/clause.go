package redline

import (
	"html"
	"slices"
	"strings"
)

// Clause is one clause of a page: a <section> element, or an <h2 id=...> heading with what
// follows it up to the next one.
type Clause struct {
	ID    string // the stable anchor: the section's id, else its heading's id, else Title
	Title string // the heading's text, without its clause number
	// HTML is the section's inner HTML (heading included), or the <h2> element and what
	// follows it. It includes the sub-clauses.
	HTML string
	Sub  []Clause // the clause's own <section> elements (### sub-clauses), in order
}

// ClauseRef names a clause in a Summary.
type ClauseRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Summary says which clauses changed between two versions of a page. Clauses (sub-clauses
// included) are matched by ID. A clause is changed when its own text is (the text of its
// sub-clauses counts for them, not for it), and moved when it has another parent or another
// place among its siblings. Each list is in document order: of the new version, of the old
// one for Removed.
type Summary struct {
	Added     []ClauseRef `json:"added,omitempty"`
	Removed   []ClauseRef `json:"removed,omitempty"`
	Changed   []ClauseRef `json:"changed,omitempty"`
	Moved     []ClauseRef `json:"moved,omitempty"`
	Unchanged int         `json:"unchanged"` // matched clauses whose own text is the same
	// IntroChanged reports a change of the text outside every clause: before the first
	// (the introduction) or after the last (footnotes). Only Page sets it.
	IntroChanged bool `json:"introChanged,omitempty"`
}

// Empty reports whether s records no change at all.
func (s Summary) Empty() bool {
	return len(s.Added)+len(s.Removed)+len(s.Changed)+len(s.Moved) == 0 && !s.IntroChanged
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
	if len(found) == 0 {
		c.intro = body[pos(a):pos(b)]
		return c
	}
	c.intro = body[pos(a):pos(found[0].start)]
	for i, f := range found {
		p := &part{open: f.open, close: f.close, start: f.start, stop: f.stop}
		p.ID, p.Title = f.id, f.title
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
		p.own = appendWords(p.own, s.toks[k:f.innerEnd])
		if i+1 < len(found) {
			p.trailer = body[pos(f.stop):pos(found[i+1].start)]
		} else {
			c.outro = body[pos(f.stop):pos(b)]
		}
		c.parts = append(c.parts, p)
	}
	return c
}

// clauseAt is a clause found in a side's tokens: toks[start:stop], its content
// toks[inner:innerEnd].
type clauseAt struct {
	start, stop, inner, innerEnd int
	open, close                  string
	id, title                    string
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
			f.title, f.id = titleOf(s, f.inner, f.innerEnd, f.id)
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
		f.title, f.id = titleOf(s, k, s.end[k]+1, id)
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

// titleOf finds the first heading in s.toks[a:b] and returns its text, and id if id is "":
// the heading's id, else the title.
func titleOf(s *side, a, b int, id string) (string, string) {
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.kind != tStart || len(t.name) != 2 || t.name[0] != 'h' || t.name[1] < '1' || t.name[1] > '6' {
			continue
		}
		if id == "" {
			id, _ = getAttr(t.raw, "id")
		}
		title := plainText(s.toks[k+1 : min(s.end[k]+1, b)])
		if id == "" {
			id = title
		}
		return title, id
	}
	return "", id
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
		out = append(out, node{c: c, parent: parent, own: words(own), match: -1})
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
	markMoved(of, nf)
	var s Summary
	for j := range nf {
		f := &nf[j]
		ref := ClauseRef{f.c.ID, f.c.Title}
		switch {
		case f.match < 0:
			s.Added = append(s.Added, ref)
			continue
		case !slices.Equal(f.own, of[f.match].own):
			s.Changed = append(s.Changed, ref)
		default:
			s.Unchanged++
		}
		if f.moved {
			s.Moved = append(s.Moved, ref)
		}
	}
	for i := range of {
		if of[i].match < 0 {
			s.Removed = append(s.Removed, ClauseRef{of[i].c.ID, of[i].c.Title})
		}
	}
	return s
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

// Page redlines a whole page: it splits both versions into clauses (see SplitSections),
// compares them (see Compare), and returns the summary and the new page with each clause
// redlined word by word (see Diff), sub-clauses each against the old clause with the same
// ID, wherever it was. A clause's <section> gets the class redline-added, redline-changed
// (its own text changed), redline-moved or redline-removed; in the <h2> layout a <div>
// with that class is put around the clause. An added clause's text is all inside <ins>; a
// removed clause is shown, its text inside <del>, after the clause that preceded it in the
// old version; unchanged clauses are passed through as they are.
func Page(oldHTML, newHTML string) (Summary, string) {
	oc := splitPage(oldHTML)
	nc, ntoks := splitTokens(newHTML)
	op, of := flatParts(oc, -1, nil, nil)
	np, nf := flatParts(nc, -1, nil, nil)
	sum := compare(of, nf)
	sum.IntroChanged = !slices.Equal(words(outside(oc)), words(outside(nc)))
	if oldHTML == newHTML {
		return sum, newHTML
	}
	r := &pageRenderer{d: newDiffer(), class: map[*part]string{}}
	r.d.useIDs(ntoks)
	for j, f := range nf {
		p := np[j]
		var cl []string
		if f.match < 0 {
			cl = append(cl, ClassAdded)
		} else {
			p.pair, op[f.match].pair = op[f.match], p
			if !slices.Equal(f.own, of[f.match].own) {
				cl = append(cl, ClassChanged)
			}
			if f.moved {
				cl = append(cl, ClassMoved)
			}
		}
		r.class[p] = strings.Join(cl, " ")
	}
	r.container(oc, nc)
	return sum, r.d.out.String()
}

// outside is the text of a page outside every clause.
func outside(c *container) string {
	var b strings.Builder
	b.WriteString(c.intro + " ")
	for _, p := range c.parts {
		b.WriteString(p.trailer + " ")
	}
	b.WriteString(c.outro)
	return b.String()
}

type pageRenderer struct {
	d     *differ
	class map[*part]string
}

// container writes the redline of n against o (nil if n's clause was added).
func (r *pageRenderer) container(o, n *container) {
	oldIntro, oldOutro := "", ""
	after := map[int][]*part{} // new part index (-1: before the first) -> removed old parts
	if o != nil {
		oldIntro, oldOutro = o.intro, o.outro
		anchor := -1
		for _, op := range o.parts {
			switch {
			case op.pair == nil:
				after[anchor] = append(after[anchor], op)
			default:
				if k := slices.Index(n.parts, op.pair); k >= 0 {
					anchor = k
				}
			}
		}
	}
	r.d.diffStrings(oldIntro, n.intro)
	r.removed(after[-1])
	for k, np := range n.parts {
		class := r.class[np]
		open, close := np.open, np.close
		if class != "" {
			if n.wrapped {
				open = addClass(open, class)
			} else {
				open, close = `<div class="`+class+`">`, "</div>"
			}
		}
		r.d.out.tag(open)
		switch {
		case np.pair == nil:
			r.container(nil, np.inner)
		case np.pair.HTML == np.HTML:
			r.d.out.tag(np.HTML)
		default:
			r.container(np.pair.inner, np.inner)
		}
		r.d.out.tag(close)
		oldTrailer := ""
		if np.pair != nil {
			oldTrailer = np.pair.trailer
		}
		r.d.diffStrings(oldTrailer, np.trailer)
		r.removed(after[k])
	}
	r.d.diffStrings(oldOutro, n.outro)
}

// removed writes old clauses that the new version does not have, their text deleted.
// Their sub-clauses that the new version has elsewhere are shown there.
func (r *pageRenderer) removed(ps []*part) {
	for _, p := range ps {
		open, close := p.open, p.close
		if open != "" {
			open = addClass(r.d.freeID(open), ClassRemoved)
		} else {
			open, close = `<div class="`+ClassRemoved+`">`, "</div>"
		}
		r.d.out.tag(open)
		r.d.diffStrings(p.inner.intro, "")
		var gone []*part
		for _, sub := range p.inner.parts {
			if sub.pair == nil {
				gone = append(gone, sub)
			}
		}
		r.removed(gone)
		r.d.diffStrings(p.inner.outro, "")
		rest := p.inner.intro
		if len(p.inner.parts) > 0 {
			rest = p.inner.outro
		}
		r.d.out.tag(rest[len(strings.TrimRight(rest, " \t\r\n\f")):]) // the layout before the end tag
		r.d.out.tag(close)
		if strings.TrimSpace(p.trailer) == "" {
			r.d.out.tag(p.trailer)
		} else {
			r.d.diffStrings(p.trailer, "")
		}
	}
}
