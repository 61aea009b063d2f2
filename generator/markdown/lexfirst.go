package markdown

import (
	"math/bits"

	"github.com/dlclark/regexp2/v2/syntax"
)

// A rule's prefilter is the set of ASCII runes that can begin a non-empty match of its
// pattern, read from regexp2's own parse of the pattern (github.com/dlclark/regexp2/v2/syntax,
// the tree regexp2.Compile turns into the code it runs), so that a class means what it means
// to regexp2: Unicode \w, \s and \d, its case folding, class subtraction, even its quirks
// ([^\W\d] matches 9). A rule that can match the empty string is not filtered, nor one with
// a construct whose first rune is not known here (a backreference, a conditional); empty-width
// assertions and lookarounds (^, $, \b, \G, (?=...)) are read as matching the empty string,
// which only makes the set larger.

// asciiSet is a set of ASCII runes.
type asciiSet [2]uint64

func (s *asciiSet) add(c rune)     { s[c>>6] |= 1 << (c & 63) }
func (s asciiSet) has(c rune) bool { return c < 128 && s[c>>6]&(1<<(c&63)) != 0 }
func (s *asciiSet) union(t asciiSet) {
	s[0] |= t[0]
	s[1] |= t[1]
}

// allASCII is every ASCII rune.
var allASCII = asciiSet{^uint64(0), ^uint64(0)}

// lexFirst is a rule's prefilter: when filter is set, a match starting with an ASCII rune
// starts with one of set.
type lexFirst struct {
	set    asciiSet
	filter bool
}

// firstOf is the first-rune prefilter of a rule.
func firstOf(root *syntax.RegexNode) lexFirst {
	set, empty := firstSet(root)
	if empty {
		return lexFirst{}
	}
	return lexFirst{set: set, filter: true}
}

// firstSet is the set of ASCII runes that can begin a non-empty match of n, and whether n
// may match the empty string (or is empty-width).
func firstSet(n *syntax.RegexNode) (asciiSet, bool) {
	if n.Options&syntax.IgnoreCase != 0 {
		return allASCII, true // regexp2's parse turns case into sets ([Kk\u212a]), but for back-references
	}
	switch n.T {
	case syntax.NtNothing:
		return asciiSet{}, false
	case syntax.NtEmpty, syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtECMABoundary, syntax.NtNonECMABoundary, syntax.NtBeginning, syntax.NtStart,
		syntax.NtEndZ, syntax.NtEnd, syntax.NtUpdateBumpalong, syntax.NtPosLook, syntax.NtNegLook:
		return asciiSet{}, true
	case syntax.NtOne:
		return runeSet(n.Ch), false
	case syntax.NtMulti:
		if len(n.Str) == 0 {
			return asciiSet{}, true
		}
		return runeSet(n.Str[0]), false
	case syntax.NtNotone:
		return notRuneSet(n.Ch), false
	case syntax.NtSet:
		return charSet(n.Set), false
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return runeSet(n.Ch), n.M == 0
	case syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return notRuneSet(n.Ch), n.M == 0
	case syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		return charSet(n.Set), n.M == 0
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		if len(n.Children) == 1 {
			return firstSet(n.Children[0])
		}
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) == 1 {
			set, empty := firstSet(n.Children[0])
			return set, empty || n.M == 0
		}
	case syntax.NtConcatenate:
		var set asciiSet
		for _, sub := range n.Children {
			s, empty := firstSet(sub)
			set.union(s)
			if !empty {
				return set, false
			}
		}
		return set, true
	case syntax.NtAlternate:
		var set asciiSet
		empty := false
		for _, sub := range n.Children {
			s, e := firstSet(sub)
			set.union(s)
			empty = empty || e
		}
		return set, empty
	}
	return allASCII, true
}

// runeSet is {r} (empty beyond ASCII).
func runeSet(r rune) asciiSet {
	var set asciiSet
	if r < 128 {
		set.add(r)
	}
	return set
}

// notRuneSet is every ASCII rune but r.
func notRuneSet(r rune) asciiSet {
	set := allASCII
	if r < 128 {
		set[r>>6] &^= 1 << (r & 63)
	}
	return set
}

// charSet is the ASCII part of a regexp2 class.
func charSet(cs *syntax.CharSet) asciiSet {
	if cs == nil {
		return allASCII
	}
	return classSet(cs.CharIn)
}

// classSet is the set of ASCII runes in a class.
func classSet(in func(rune) bool) asciiSet {
	var set asciiSet
	for c := rune(0); c < 128; c++ {
		if in(c) {
			set.add(c)
		}
	}
	return set
}

// A rule whose matches all begin with one of a few literal strings (a list of keywords, as
// chroma.Words makes, an operator, a delimiter) is also filtered by those strings: a trie of
// its literal prefixes, each rune of which may be a small set ([Ss] when ignoring case),
// read from the same tree. A rule none of whose prefixes begins the text at the position is
// not tried. Only ASCII is known: a rune beyond it in the text lets the rule be tried.

// Limits on the prefixes of a rule: beyond them a prefix is cut short, which only admits more.
const (
	litMaxSeqs = 4096 // prefixes
	litMaxLen  = 32   // runes in a prefix
	litMaxSet  = 8    // runes a prefix rune may be
	litMaxNode = 1 << 15
)

// literals returns strings (of rune sets) one of which begins every match of n, and whether
// every match of n is exactly one of them.
func literals(n *syntax.RegexNode) (seqs [][]asciiSet, exact bool) {
	empty := [][]asciiSet{{}}
	if n.Options&syntax.IgnoreCase != 0 {
		return empty, false // see firstSet
	}
	one := func(set asciiSet, min, max int) ([][]asciiSet, bool) {
		if count(set) > litMaxSet || min == 0 {
			return empty, false
		}
		seq := make([]asciiSet, 0, min)
		for range min {
			seq = append(seq, set)
		}
		return [][]asciiSet{seq}, min == max
	}
	switch n.T {
	case syntax.NtNothing:
		return nil, true
	case syntax.NtEmpty, syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtECMABoundary, syntax.NtNonECMABoundary, syntax.NtBeginning, syntax.NtStart,
		syntax.NtEndZ, syntax.NtEnd, syntax.NtUpdateBumpalong, syntax.NtPosLook, syntax.NtNegLook:
		return empty, true
	case syntax.NtOne:
		return one(runeSet(n.Ch), 1, 1)
	case syntax.NtSet:
		return one(charSet(n.Set), 1, 1)
	case syntax.NtMulti:
		seq := make([]asciiSet, len(n.Str))
		for i, r := range n.Str {
			seq[i] = runeSet(r)
		}
		return [][]asciiSet{seq}, true
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return one(runeSet(n.Ch), min(n.M, litMaxLen), n.N)
	case syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		return one(charSet(n.Set), min(n.M, litMaxLen), n.N)
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		if len(n.Children) == 1 {
			return literals(n.Children[0])
		}
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) == 1 && n.M > 0 {
			seqs, exact := literals(n.Children[0])
			return seqs, exact && n.M == 1 && n.N == 1
		}
	case syntax.NtConcatenate:
		seqs, exact = empty, true
		for _, sub := range n.Children {
			if !exact {
				break
			}
			next, nextExact := literals(sub)
			if len(seqs)*len(next) > litMaxSeqs {
				return seqs, false
			}
			var product [][]asciiSet
			for _, a := range seqs {
				for _, b := range next {
					seq := append(append(make([]asciiSet, 0, len(a)+len(b)), a...), b...)
					if len(seq) > litMaxLen {
						seq, nextExact = seq[:litMaxLen], false
					}
					product = append(product, seq)
				}
			}
			seqs, exact = product, nextExact
		}
		return seqs, exact
	case syntax.NtAlternate:
		exact = true
		for _, sub := range n.Children {
			s, e := literals(sub)
			seqs, exact = append(seqs, s...), exact && e
			if len(seqs) > litMaxSeqs {
				return empty, false
			}
		}
		return seqs, exact
	}
	return empty, false
}

// count is the number of runes in set.
func count(set asciiSet) int { return bits.OnesCount64(set[0]) + bits.OnesCount64(set[1]) }

// litNode is a node of a trie of literal prefixes.
type litNode struct {
	end  bool       // a prefix ends here
	keys []byte     // the runes that continue one
	next []*litNode // the node after each
}

// child is the node after c, or nil.
func (n *litNode) child(c byte) *litNode {
	for i, k := range n.keys {
		if k == c {
			return n.next[i]
		}
	}
	return nil
}

// insert adds seq below n, sharing the node after the runes of a set where it can; nodes
// counts the nodes made.
func (n *litNode) insert(seq []asciiSet, nodes *int) {
	if n.end {
		return
	}
	if len(seq) == 0 {
		n.end, n.keys, n.next = true, nil, nil
		return
	}
	var fresh *litNode
	seen := map[*litNode]bool{}
	for c := byte(0); c < 128; c++ {
		if !seq[0].has(rune(c)) {
			continue
		}
		next := n.child(c)
		if next == nil {
			if fresh == nil {
				fresh = &litNode{}
				*nodes++
			}
			n.keys, n.next = append(n.keys, c), append(n.next, fresh)
			continue
		}
		if !seen[next] {
			seen[next] = true
			next.insert(seq[1:], nodes)
		}
	}
	if fresh != nil {
		fresh.insert(seq[1:], nodes)
	}
}

// admits reports whether one of the prefixes below n begins text[pos:], or may (a rune
// beyond ASCII).
func (n *litNode) admits(text []rune, pos int) bool {
	for ; !n.end; pos++ {
		if pos >= len(text) {
			return false
		}
		c := text[pos]
		if c >= 128 {
			return true
		}
		if n = n.child(byte(c)); n == nil {
			return false
		}
	}
	return true
}

// literalsOf is the trie of the literal prefixes of a rule, or nil when it would not filter
// more than the first rune.
func literalsOf(tree *syntax.RegexNode) *litNode {
	seqs, _ := literals(tree)
	long := false
	for _, seq := range seqs {
		if len(seq) == 0 {
			return nil
		}
		long = long || len(seq) > 1
	}
	if !long {
		return nil
	}
	root, nodes := &litNode{}, 0
	for _, seq := range seqs {
		if root.insert(seq, &nodes); nodes > litMaxNode {
			return nil
		}
	}
	return root
}
