package redline

import (
	"slices"
	"strings"
)

// Diff compares two HTML fragments word by word and returns newHTML with the words that are
// only in oldHTML inside <del> and the words that are only in newHTML inside <ins>.
//
// Only text is compared: a change of markup alone (a word put in bold, a link retargeted)
// is not marked, and the markup of the result is newHTML's. Deleted text is put where it
// stood relative to the text both versions share, inside the same element when the new
// version still has it there; a deleted element (a paragraph, a list item, a table row) is
// shown as a copy of the old element with its text in <del>, without its id if the new
// version uses that id. Runs of changed words separated only by white space are grouped,
// so a replaced phrase reads "<del>old phrase</del><ins>new wording</ins>". Changes of
// white space alone are not marked. If the two fragments have the same text, the result
// has no <ins> or <del> at all.
func Diff(oldHTML, newHTML string) string {
	if oldHTML == newHTML {
		return newHTML
	}
	d := newDiffer()
	n := d.side(tokenize(newHTML))
	d.useIDs(n.toks)
	o := d.side(tokenize(oldHTML))
	d.diff(o, n)
	return d.out.String()
}

// differ holds what one redline shares: interned keys and contexts, the ids in use, and
// the output.
type differ struct {
	keys map[string]int32
	ctxs map[ctxKey]int32
	ids  map[string]bool
	out  emitter

	ukeys   map[unitKey]int32
	textCtx map[int32]bool // contexts in which either version has text
	pending []pending      // deleted text waiting for a place where text may stand
}

type ctxKey struct {
	parent int32
	name   string
}

func newDiffer() *differ {
	return &differ{
		keys: map[string]int32{" ": 0},
		ctxs: map[ctxKey]int32{},
		ids:  map[string]bool{},

		ukeys:   map[unitKey]int32{},
		textCtx: map[int32]bool{},
	}
}

// side is one version of a fragment, tokenized.
type side struct {
	toks []token
	dix  []int   // index in toks of each compared token
	keys []int32 // interned key of each compared token
	// ctx is the element context (the path of open elements, interned) before each token,
	// and at the end: text deleted from one version may only be put where the other has the
	// same context.
	ctx []int32
	// end is, for a start tag, the index of the last token of its element (its end tag).
	end []int
	// parent is the index of the start tag of the element each token is in, or -1.
	parent []int
}

func (d *differ) side(toks []token) *side {
	s := &side{toks: toks, ctx: make([]int32, len(toks)+1), end: make([]int, len(toks)), parent: make([]int, len(toks)),
		dix: make([]int, 0, len(toks)), keys: make([]int32, 0, len(toks))}
	type open struct {
		name string
		ctx  int32
		at   int
	}
	var stack []open
	cur := int32(0)
	top := func() int32 {
		if len(stack) == 0 {
			return 0
		}
		return stack[len(stack)-1].ctx
	}
	for i := range toks {
		t := &toks[i]
		s.ctx[i] = cur
		s.parent[i] = -1
		if len(stack) > 0 {
			s.parent[i] = stack[len(stack)-1].at
		}
		switch t.kind {
		case tWord, tSpace:
			if t.diff || t.kind == tWord {
				d.textCtx[cur] = true
			}
			if t.diff {
				s.dix = append(s.dix, i)
				key := t.key()
				k, ok := d.keys[key]
				if !ok {
					k = int32(len(d.keys))
					d.keys[key] = k
				}
				s.keys = append(s.keys, k)
			}
		case tStart:
			for len(stack) > 0 && impliedEnd(stack[len(stack)-1].name, t.name) {
				s.end[stack[len(stack)-1].at] = i - 1
				stack = stack[:len(stack)-1]
			}
			cur = top()
			s.end[i] = i
			s.parent[i] = -1
			if len(stack) > 0 {
				s.parent[i] = stack[len(stack)-1].at
			}
			if !t.isVoid() {
				ck := ctxKey{cur, t.name}
				c, ok := d.ctxs[ck]
				if !ok {
					c = int32(len(d.ctxs) + 1)
					d.ctxs[ck] = c
				}
				stack = append(stack, open{t.name, c, i})
				cur = c
			}
		case tEnd:
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].name == t.name {
					for _, o := range stack[k+1:] {
						s.end[o.at] = i - 1
					}
					s.end[stack[k].at] = i
					stack = stack[:k]
					break
				}
			}
			cur = top()
		}
	}
	for _, o := range stack {
		s.end[o.at] = len(toks) - 1
	}
	s.ctx[len(toks)] = cur
	return s
}

// impliedEnd reports whether a start tag named next ends the open element top, as the HTML
// parser does for unclosed list items, cells and paragraphs.
func impliedEnd(top, next string) bool {
	switch top {
	case "li":
		return next == "li"
	case "dt", "dd":
		return next == "dt" || next == "dd"
	case "td", "th":
		return next == "td" || next == "th" || next == "tr"
	case "tr":
		return next == "tr"
	case "option":
		return next == "option"
	case "p":
		switch next {
		case "p", "div", "ul", "ol", "dl", "table", "section", "article", "aside", "blockquote",
			"pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "header", "footer", "nav", "figure",
			"details", "form", "main", "address", "fieldset", "menu":
			return true
		}
	}
	return false
}

// useIDs records the ids of the start tags of toks as taken.
func (d *differ) useIDs(toks []token) {
	for i := range toks {
		if toks[i].kind == tStart && strings.Contains(toks[i].raw, "id") {
			if id, ok := getAttr(toks[i].raw, "id"); ok {
				d.ids[id] = true
			}
		}
	}
}

// diffStrings writes the redline of two fragments.
func (d *differ) diffStrings(oldHTML, newHTML string) {
	if oldHTML == newHTML {
		d.out.tag(newHTML)
		return
	}
	n := d.side(tokenize(newHTML))
	o := d.side(tokenize(oldHTML))
	d.diff(o, n)
}

// diff writes the redline of o against n.
func (d *differ) diff(o, n *side) {
	ma := matchWords(o, n)
	group(ma, o.keys, n.keys)
	p, pj := -1, -1
	for i, j := range ma {
		if j < 0 {
			continue
		}
		d.region(o, n, p, i, pj, int(j))
		k := n.dix[j]
		d.out.text('p', n, k)
		p, pj = i, int(j)
	}
	d.region(o, n, p, len(o.keys), pj, len(n.keys))
}

// matchWords matches the compared tokens of two versions: the words by Myers' algorithm,
// and the white space between two words that are matched and adjacent in both versions.
// Matching words alone first keeps a change of spacing ("x<br>y" -> "x y") from
// displacing a word.
func matchWords(o, n *side) []int32 {
	ow, okw := words32(o.keys)
	nw, nkw := words32(n.keys)
	wm := match(okw, nkw)
	compact(wm, okw, nkw)
	ma := make([]int32, len(o.keys))
	for i := range ma {
		ma[i] = -1
	}
	// spaces matches the white space of o.keys[i0:i1] and n.keys[j0:j1] in order.
	spaces := func(i0, i1, j0, j1 int) {
		for i0 < i1 && j0 < j1 {
			ma[i0] = int32(j0)
			i0++
			j0++
		}
	}
	pi, pj := -1, -1 // the last matched word pair, as word indices
	for wi, wj := range wm {
		if wj < 0 {
			continue
		}
		ma[ow[wi]] = int32(nw[wj])
		if wi == pi+1 && int(wj) == pj+1 {
			spaces(tokAfter(ow, pi), ow[wi], tokAfter(nw, pj), nw[wj])
		}
		pi, pj = wi, int(wj)
	}
	if pi == len(ow)-1 && pj == len(nw)-1 {
		spaces(tokAfter(ow, pi), len(o.keys), tokAfter(nw, pj), len(n.keys))
	}
	return ma
}

// words32 returns the indices and keys of the words among keys (white space is key 0).
func words32(keys []int32) (idx []int, ws []int32) {
	idx, ws = make([]int, 0, len(keys)), make([]int32, 0, len(keys))
	for i, k := range keys {
		if k != 0 {
			idx = append(idx, i)
			ws = append(ws, k)
		}
	}
	return idx, ws
}

// tokAfter is the index of the token after word w (-1: before the first).
func tokAfter(idx []int, w int) int {
	if w < 0 {
		return 0
	}
	return idx[w] + 1
}

// compact slides each run of changed tokens over equal tokens next to it, as diff tools
// do, so that runs merge where they can: "Security <ins>(including Code Security and
// Secret Protection)</ins>" rather than "<ins>Security (including Code</ins> Security
// <ins>and Secret Protection)</ins>". The matching is rebuilt from the unchanged tokens.
func compact(ma []int32, ok, nk []int32) {
	chOld := make([]bool, len(ok))
	chNew := make([]bool, len(nk))
	for j := range chNew {
		chNew[j] = true
	}
	for i, j := range ma {
		if j < 0 {
			chOld[i] = true
		} else {
			chNew[j] = false
		}
	}
	slide(ok, chOld)
	slide(nk, chNew)
	j := 0
	for i := range ma {
		ma[i] = -1
		if chOld[i] {
			continue
		}
		for chNew[j] {
			j++
		}
		ma[i] = int32(j)
		j++
	}
}

// slide moves the runs of changed tokens of one version as far down as they go, merging
// runs that meet. The sequence of unchanged tokens keeps its keys.
func slide(keys []int32, ch []bool) {
	n := len(keys)
	for s := 0; s < n; {
		if !ch[s] {
			s++
			continue
		}
		e := s
		for e < n && ch[e] {
			e++
		}
		for {
			size := e - s
			for s > 0 && !ch[s-1] && keys[s-1] == keys[e-1] {
				s--
				e--
				ch[s], ch[e] = true, false
				for s > 0 && ch[s-1] {
					s--
				}
			}
			for e < n && keys[s] == keys[e] {
				ch[s], ch[e] = false, true
				s++
				e++
				for e < n && ch[e] {
					e++
				}
			}
			if e-s == size {
				break
			}
		}
		s = e
	}
}

// group unmatches the runs of white space that both versions share between two changes,
// so that "old phrase" -> "new words" is one change rather than two, then trims the
// changes again of what their two sides begin or end with alike.
func group(ma []int32, ok, nk []int32) {
	i := 0
	prevI, prevJ := -1, -1 // last matched pair before the current run
	for i < len(ma) {
		if ma[i] < 0 {
			i++
			continue
		}
		// A run of matched pairs on one diagonal: ma[i..e).
		e := i + 1
		for e < len(ma) && ma[e] == ma[e-1]+1 {
			e++
		}
		j := int(ma[i])
		before := i > prevI+1 || j > prevJ+1
		lastJ := int(ma[e-1])
		nextI, nextJ := len(ma), len(nk)
		for k := e; k < len(ma); k++ {
			if ma[k] >= 0 {
				nextI, nextJ = k, int(ma[k])
				break
			}
		}
		after := nextI > e || nextJ > lastJ+1
		allSpace := true
		for k := i; k < e; k++ {
			if ok[k] != 0 {
				allSpace = false
				break
			}
		}
		if before && after && allSpace {
			for k := i; k < e; k++ {
				ma[k] = -1
			}
		} else {
			prevI, prevJ = e-1, lastJ
		}
		i = e
	}
	// Trim each change: old[i0:i1] replaced by new[j0:j1].
	i0, j0 := 0, 0
	for i := 0; i <= len(ma); i++ {
		if i < len(ma) && ma[i] < 0 {
			continue
		}
		i1, j1 := i, len(nk)
		if i < len(ma) {
			j1 = int(ma[i])
		}
		for i1 > i0 && j1 > j0 && ok[i1-1] == nk[j1-1] {
			i1--
			j1--
			ma[i1] = int32(j1)
		}
		for i0 < i1 && j0 < j1 && ok[i0] == nk[j0] {
			ma[i0] = int32(j0)
			i0++
			j0++
		}
		if i < len(ma) {
			i0, j0 = i+1, int(ma[i])+1
		}
	}
}

// rawAfter and rawAt map a compared token's index (or -1, or len) to a token index.
func (s *side) rawAfter(p int) int {
	if p < 0 {
		return 0
	}
	return s.dix[p] + 1
}

func (s *side) rawAt(q int) int {
	if q >= len(s.dix) {
		return len(s.toks)
	}
	return s.dix[q]
}

// region writes what lies between two tokens the versions share (or an end of the
// fragment): the old tokens o.toks[a:b], whose text is all deleted, and the new tokens
// n.toks[c:e], whose text is all inserted.
func (d *differ) region(o, n *side, p, q, pj, qj int) {
	a, b := o.rawAfter(p), o.rawAt(q)
	c, e := n.rawAfter(pj), n.rawAt(qj)
	if q-p-1 == 0 {
		d.walkNew(n, c, e)
		return
	}
	d.level(o, d.units(o, a, b, true), n, d.units(n, c, e, false), e)
	d.flushPending()
}

// A unit is what a region is made of at one level: a whole element, a tag of an element
// that starts or ends outside the region, or a run of text.
type unit struct {
	kind byte // 'e' element, 'o' open tag, 'c' close tag, 'v' void element, 't' text, 'w' layout space, 'm' markup
	s, e int  // tokens [s, e)
	key  int32
}

type unitKey struct {
	kind byte
	name string
}

// units splits s.toks[a:b] into units. The old version's layout space and markup are left
// out: the new version's are kept.
func (d *differ) units(s *side, a, b int, old bool) []unit {
	var us []unit
	add := func(kind byte, i, j int, name string) {
		k, ok := d.ukeys[unitKey{kind, name}]
		if !ok {
			k = int32(len(d.ukeys))
			d.ukeys[unitKey{kind, name}] = k
		}
		us = append(us, unit{kind, i, j, k})
	}
	for k := a; k < b; {
		t := &s.toks[k]
		switch t.kind {
		case tStart:
			switch {
			case t.isVoid():
				add('v', k, k+1, t.name)
			case s.end[k] < b:
				add('e', k, s.end[k]+1, t.name)
				k = s.end[k]
			default:
				add('o', k, k+1, t.name)
			}
			k++
		case tEnd:
			add('c', k, k+1, t.name)
			k++
		case tMarkup:
			if !old {
				us = append(us, unit{'m', k, k + 1, -1})
			}
			k++
		default:
			j, layout := k, true
			for ; j < b && s.toks[j].isText(); j++ {
				layout = layout && s.toks[j].kind == tSpace && !s.toks[j].diff
			}
			switch {
			case !layout:
				add('t', k, j, "")
			case !old:
				us = append(us, unit{'w', k, j, -1})
			}
			k = j
		}
	}
	return us
}

// level writes two unit sequences aligned by kind and name: the units of both versions
// (elements recursively), the old version's other text and elements deleted in place, the
// new version's inserted. nEnd is where the new sequence ends.
func (d *differ) level(o *side, ou []unit, n *side, nu []unit, nEnd int) {
	ok := make([]int32, len(ou))
	for i := range ou {
		ok[i] = ou[i].key
	}
	nk := make([]int32, len(nu))
	for j := range nu {
		nk[j] = nu[j].key
	}
	ma := match(ok, nk)
	i, j := 0, 0
	for i < len(ou) || j < len(nu) {
		pos := nEnd
		if j < len(nu) {
			pos = nu[j].s
		}
		if len(d.pending) > 0 && d.textCtx[n.ctx[pos]] {
			d.flushPending()
		}
		switch {
		case i < len(ou) && ma[i] < 0:
			d.delUnit(o, ou[i], n.ctx[pos])
			i++
		case i >= len(ou) || int(ma[i]) != j:
			d.walkNew(n, nu[j].s, nu[j].e)
			j++
		default:
			d.pair(o, ou[i], n, nu[j])
			i++
			j++
		}
	}
}

// delUnit writes a unit deleted from the old version where the new version's context is
// ctx: an element as a copy if it has the same context there, otherwise its text, as soon
// as text may stand.
func (d *differ) delUnit(o *side, u unit, ctx int32) {
	switch u.kind {
	case 'e':
		if o.ctx[u.s] == ctx {
			if u.s > 0 && o.toks[u.s-1].kind == tSpace && !o.toks[u.s-1].diff {
				d.out.text('p', o, u.s-1) // the old layout before the element
			}
			d.copyOld(o, u.s, u.e)
			return
		}
	case 't':
	default:
		return
	}
	if d.textCtx[ctx] && len(d.pending) == 0 {
		d.delFlat(o, u.s, u.e)
	} else {
		d.pending = append(d.pending, pending{o, u.s, u.e})
	}
}

type pending struct {
	o    *side
	a, b int
}

func (d *differ) flushPending() {
	for _, p := range d.pending {
		d.delFlat(p.o, p.a, p.b)
	}
	d.pending = d.pending[:0]
}

// pair writes two units matched by kind and name.
func (d *differ) pair(o *side, ou unit, n *side, nu unit) {
	switch ou.kind {
	case 'e':
		d.out.tag(n.toks[nu.s].raw)
		oe, ne := interiorEnd(o, ou), interiorEnd(n, nu)
		d.level(o, d.units(o, ou.s+1, oe, true), n, d.units(n, nu.s+1, ne, false), ne)
		d.walkNew(n, ne, nu.e)
	case 't':
		d.delFlat(o, ou.s, ou.e)
		d.walkNew(n, nu.s, nu.e)
	default:
		d.walkNew(n, nu.s, nu.e)
	}
}

// interiorEnd is where the content of element unit u ends: at its end tag, if it has one.
func interiorEnd(s *side, u unit) int {
	if last := &s.toks[u.e-1]; u.e-1 > u.s && last.kind == tEnd && last.name == s.toks[u.s].name {
		return u.e - 1
	}
	return u.e
}

// walkNew writes new tokens: tags as they are, compared text as inserted.
func (d *differ) walkNew(n *side, c, e int) {
	for k := c; k < e; k++ {
		t := &n.toks[k]
		switch {
		case !t.isText():
			d.out.tag(t.raw)
		case t.diff:
			d.out.text('i', n, k)
		default:
			d.out.text('p', n, k)
		}
	}
}

// delFlat writes the compared old text of o.toks[a:b] as deleted text, without its markup.
func (d *differ) delFlat(o *side, a, b int) {
	for k := max(a, 0); k < b; k++ {
		if o.toks[k].diff {
			d.out.text('d', o, k)
		}
	}
}

// copyOld writes o.toks[a:b], an element deleted from the old version, with its text as
// deleted text. Ids the output already uses are dropped; scripts, styles and comments are
// left out; elements left open are closed.
func (d *differ) copyOld(o *side, a, b int) {
	var open []string
	skip := 0 // inside a raw text element
	for k := a; k < b; k++ {
		t := &o.toks[k]
		switch t.kind {
		case tStart:
			if rawTextElements[t.name] {
				if !t.isVoid() {
					skip++
				}
				continue
			}
			if skip > 0 {
				continue
			}
			for len(open) > 0 && impliedEnd(open[len(open)-1], t.name) {
				open = open[:len(open)-1]
			}
			if !t.isVoid() {
				open = append(open, t.name)
			}
			d.out.tag(d.freeID(t.raw))
		case tEnd:
			if rawTextElements[t.name] {
				skip = max(skip-1, 0)
				continue
			}
			if skip > 0 {
				continue
			}
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == t.name {
					for _, name := range slices.Backward(open[i+1:]) {
						d.out.tag("</" + name + ">")
					}
					open = open[:i]
					d.out.tag(t.raw)
					break
				}
			}
		case tMarkup:
		default:
			switch {
			case skip > 0:
			case t.diff || t.kind == tWord:
				d.out.text('d', o, k)
			default:
				d.out.text('p', o, k)
			}
		}
	}
	for _, name := range slices.Backward(open) {
		d.out.tag("</" + name + ">")
	}
}

// freeID is a copied start tag, without its id if the output already has that id.
func (d *differ) freeID(raw string) string {
	if !strings.Contains(raw, "id") {
		return raw
	}
	id, ok := getAttr(raw, "id")
	if !ok {
		return raw
	}
	if d.ids[id] {
		return withoutAttr(raw, "id")
	}
	d.ids[id] = true
	return raw
}

// emitter collects the output as items: tags, plain text, inserted and deleted text.
type emitter struct {
	buf   []byte
	items []item
	// where the last text item's last token came from, to keep tokens apart that were
	// not adjacent in their version
	lastSide *side
	lastTok  int
}

type item struct {
	kind       byte // 't' tag, 'p' plain text, 'i' inserted text, 'd' deleted text
	start, end int  // in buf
}

func (e *emitter) tag(raw string) {
	e.add('t', raw)
	e.lastSide = nil
}

// text writes the text token s.toks[k] as kind.
func (e *emitter) text(kind byte, s *side, k int) {
	t := &s.toks[k]
	raw := t.raw
	if t.kind == tWord {
		switch raw {
		case "<":
			raw = "&lt;"
		case "&":
			raw = "&amp;"
		}
	}
	if n := len(e.items); n > 0 && e.items[n-1].kind == kind && e.items[n-1].end > e.items[n-1].start &&
		(e.lastSide != s || e.lastTok != k-1) {
		// Tokens from different places: keep them apart as words.
		if !isSpace(e.buf[len(e.buf)-1]) && !isSpace(raw[0]) {
			e.add(kind, " ")
		}
	}
	e.add(kind, raw)
	e.lastSide, e.lastTok = s, k
}

func (e *emitter) add(kind byte, s string) {
	if s == "" {
		return
	}
	if n := len(e.items); n > 0 && e.items[n-1].kind == kind && e.items[n-1].end == len(e.buf) {
		e.buf = append(e.buf, s...)
		e.items[n-1].end = len(e.buf)
		return
	}
	start := len(e.buf)
	e.buf = append(e.buf, s...)
	e.items = append(e.items, item{kind, start, len(e.buf)})
}

// String renders the items. White space at the edges of an insertion is written outside
// it; at the edges of a deletion it is dropped or written outside it when the text around
// already has white space there, so that "a <del>big</del> cat" reads right in both versions.
// A deletion and an insertion that meet are kept apart by a space, so that "3" replaced by
// "5" reads "<del>3</del> <ins>5</ins>", never "35". A change of white space alone is not
// marked.
func (e *emitter) String() string {
	var b strings.Builder
	b.Grow(len(e.buf) + len(e.items)*6)
	lastSpace := false
	var closed byte // 'i' or 'd' right after </ins> or </del>
	write := func(s string) {
		if s != "" {
			b.WriteString(s)
			lastSpace = isSpace(s[len(s)-1])
			closed = 0
		}
	}
	mark := func(kind byte, core string) {
		if closed != 0 && closed != kind {
			write(" ")
		}
		if kind == 'i' {
			write("<ins>" + core + "</ins>")
		} else {
			write("<del>" + core + "</del>")
		}
		closed = kind
	}
	for k, it := range e.items {
		s := string(e.buf[it.start:it.end])
		switch it.kind {
		case 't', 'p':
			write(s)
		case 'i':
			lead, core, trail := splitSpace(s)
			write(lead)
			if core != "" {
				mark('i', core)
			}
			write(trail)
		case 'd':
			lead, core, trail := splitSpace(s)
			if core == "" {
				continue
			}
			nextSpace := false
			if k+1 < len(e.items) && (e.items[k+1].kind == 'p' || e.items[k+1].kind == 'i') {
				nextSpace = isSpace(e.buf[e.items[k+1].start])
			}
			if lastSpace {
				lead = ""
			}
			if nextSpace {
				trail = ""
			}
			var before, after string
			if lead == "" && trail != "" && lastSpace {
				after, trail = trail, ""
			}
			if trail == "" && lead != "" && nextSpace {
				before, lead = lead, ""
			}
			write(before)
			mark('d', lead+core+trail)
			write(after)
		}
	}
	return b.String()
}

// splitSpace splits s into leading white space, the rest, and trailing white space.
func splitSpace(s string) (lead, core, trail string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := len(s)
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[:i], s[i:j], s[j:]
}
