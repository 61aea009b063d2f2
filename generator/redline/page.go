package redline

import (
	"html"
	"slices"
	"strings"
)

// The classes Page gives the unchanged clauses it folds away and the <details> that folds
// them.
const ClassFold = "redline-fold"

// Page redlines a whole page: it splits both versions into clauses (see SplitSections),
// compares them (see Compare), and returns the summary and the new page with each clause
// redlined word by word (see Diff), sub-clauses each against the old clause with the same
// ID, wherever it was. A clause's <section> gets the class redline-added, redline-changed
// (its own text changed), redline-moved or redline-removed; in the <h2> layout a <div>
// with that class is put around the clause. An added clause's text is all inside <ins>; a
// removed clause is shown, its text inside <del>, after the clause that preceded it in the
// old version.
//
// What did not change is folded, so that the changes of a long page are on its first
// screen: each run of clauses whose words are the same in both versions (a renumbered
// clause among them) is put in a <details class="redline-fold">, whose <summary> counts
// and names them ("3 unchanged clauses: 4 Termination, ..."), and so is an unchanged
// introduction when the page has clauses. A reader opens them without JavaScript; a link
// to an anchor inside one opens it in browsers that support that (Chromium). The summary
// counts the changes outside the clauses (Summary.Outside).
func Page(oldHTML, newHTML string) (Summary, string) {
	oc := splitPage(oldHTML)
	nc, ntoks := splitTokens(newHTML)
	op, of := flatParts(oc, -1, nil, nil)
	np, nf := flatParts(nc, -1, nil, nil)
	sum := compare(of, nf)
	if oldHTML == newHTML {
		return sum, newHTML
	}
	sum.Outside = outsideChanges(oc, nc)
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
	r.container(oc, nc, true)
	return sum, r.d.out.String()
}

// outsideChanges counts the changes of a page's text outside its clauses, by part.
func outsideChanges(o, n *container) []OutsideChange {
	var out []OutsideChange
	add := func(part, old, new string) {
		if k := changeRuns(old, new); k > 0 {
			out = append(out, OutsideChange{Part: part, Changes: k})
		}
	}
	if len(o.parts) == 0 && len(n.parts) == 0 {
		add(PartText, o.intro+o.outro, n.intro+n.outro)
		return out
	}
	add(PartIntro, o.intro, n.intro)
	trailers := func(c *container) string {
		var b strings.Builder
		for _, p := range c.parts {
			b.WriteString(p.trailer + " ")
		}
		return b.String()
	}
	add(PartBetween, trailers(o), trailers(n))
	add(PartEnd, o.outro, n.outro)
	return out
}

// changeRuns is the number of changes between two fragments: runs of deleted and inserted
// words with no unchanged word between them.
func changeRuns(old, new string) int {
	if slices.Equal(words(old), words(new)) {
		return 0
	}
	d := newDiffer()
	d.diffStrings(old, new)
	e := &d.out
	runs, in := 0, false
	for _, it := range e.items {
		switch it.kind {
		case 'i', 'd':
			if !in && strings.TrimSpace(string(e.buf[it.start:it.end])) != "" {
				runs++
				in = true
			}
		case 'p':
			if strings.TrimSpace(string(e.buf[it.start:it.end])) != "" {
				in = false
			}
		}
	}
	return runs
}

type pageRenderer struct {
	d     *differ
	class map[*part]string
}

// container writes the redline of n against o (nil if n's clause was added); top is set
// for the page itself, whose unchanged introduction is folded.
func (r *pageRenderer) container(o, n *container, top bool) {
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
	if top && o != nil && n.flow && len(n.parts) > 0 && unchangedIntro(oldIntro, n.intro) {
		body := strings.TrimRight(n.intro, " \t\r\n\f")
		r.d.out.tag(`<details class="` + ClassFold + `"><summary>Introduction, unchanged</summary>` + "\n" + body + "</details>" + n.intro[len(body):])
	} else {
		r.d.diffStrings(oldIntro, n.intro)
	}
	r.removed(after[-1])
	for k := 0; k < len(n.parts); k++ {
		e := k // the parts k..e-1 are folded
		for o != nil && n.flow && e < len(n.parts) && (e == k || len(after[e-1]) == 0) && r.quiet(n.parts[e], n.wrapped) {
			e++
		}
		if e > k {
			r.d.out.tag(`<details class="` + ClassFold + `"><summary>` + foldLabel(n.parts[k:e]) + "</summary>\n")
			for i := k; i < e-1; i++ {
				r.part(n, i)
				r.trailer(n.parts[i])
			}
			r.part(n, e-1)
			r.d.out.tag("</details>")
			k = e - 1
		} else {
			r.part(n, k)
		}
		r.trailer(n.parts[k])
		r.removed(after[k])
	}
	r.d.diffStrings(oldOutro, n.outro)
}

// part writes the redline of the clause n.parts[k], in its element.
func (r *pageRenderer) part(n *container, k int) {
	np := n.parts[k]
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
		r.container(nil, np.inner, false)
	case np.pair.HTML == np.HTML:
		r.d.out.tag(np.HTML)
	default:
		r.container(np.pair.inner, np.inner, false)
	}
	r.d.out.tag(close)
}

// trailer writes the redline of what follows a clause before the next.
func (r *pageRenderer) trailer(np *part) {
	oldTrailer := ""
	if np.pair != nil {
		oldTrailer = np.pair.trailer
	}
	r.d.diffStrings(oldTrailer, np.trailer)
}

// quiet reports whether a clause may be folded: its words, its sub-clauses' and what
// follows it are the same in both versions, and nothing moved (its number may differ).
func (r *pageRenderer) quiet(p *part, wrapped bool) bool {
	if p.pair == nil || r.class[p] != "" || len(p.inner.parts) != len(p.pair.inner.parts) ||
		!slices.Equal(words(p.pair.trailer), words(p.trailer)) {
		return false
	}
	for i, sub := range p.inner.parts {
		if sub.pair != p.pair.inner.parts[i] || !r.quiet(sub, true) {
			return false
		}
	}
	return wrapped || balanced(p.HTML) // a clause of the <h2> layout is not an element
}

// foldLabel is the <summary> of a fold: "5 unchanged clauses: 4 Termination; 5 Choice of
// law; 6 Notices and 2 more" (titles hold commas: "Risk, liability, and indemnity").
func foldLabel(ps []*part) string {
	const named = 3
	var names []string
	for _, p := range ps[:min(len(ps), named)] {
		name := p.Title
		if p.Number != "" {
			name = p.Number + " " + name
		}
		names = append(names, html.EscapeString(name))
	}
	label := Plural(len(ps), "unchanged clause", "unchanged clauses") + ": " + strings.Join(names, "; ")
	if len(ps) > named {
		label += " and " + Plural(len(ps)-named, "more", "more")
	}
	return label
}

// unchangedIntro reports whether an introduction has words and the same words as before,
// and can be folded whole (balanced).
func unchangedIntro(old, cur string) bool {
	ws := words(cur)
	return len(ws) > 0 && slices.Equal(words(old), ws) && balanced(cur)
}

// balanced reports whether every element a fragment opens it also closes, in order: it
// can be put inside another element whole.
func balanced(fragment string) bool {
	var open []string
	for _, t := range tokenize(fragment) {
		switch {
		case t.kind == tStart && !t.isVoid():
			open = append(open, t.name)
		case t.kind == tEnd:
			if len(open) == 0 || open[len(open)-1] != t.name {
				return false
			}
			open = open[:len(open)-1]
		}
	}
	return len(open) == 0
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
