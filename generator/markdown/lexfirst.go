package markdown

import (
	"sync"
	"unicode"

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

// firstOf is the prefilter of a rule compiled by chroma as regexp2.Compile(pattern).
func firstOf(pattern string) lexFirst {
	tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
	if err != nil {
		return lexFirst{}
	}
	set, empty := firstSet(tree.Root)
	if empty {
		return lexFirst{}
	}
	return lexFirst{set: set, filter: true}
}

// firstSet is the set of ASCII runes that can begin a non-empty match of n, and whether n
// may match the empty string (or is empty-width).
func firstSet(n *syntax.RegexNode) (asciiSet, bool) {
	fold := n.Options&syntax.IgnoreCase != 0
	switch n.T {
	case syntax.NtNothing:
		return asciiSet{}, false
	case syntax.NtEmpty, syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtECMABoundary, syntax.NtNonECMABoundary, syntax.NtBeginning, syntax.NtStart,
		syntax.NtEndZ, syntax.NtEnd, syntax.NtUpdateBumpalong, syntax.NtPosLook, syntax.NtNegLook:
		return asciiSet{}, true
	case syntax.NtOne:
		return runeSet(n.Ch, fold), false
	case syntax.NtMulti:
		if len(n.Str) == 0 {
			return asciiSet{}, true
		}
		return runeSet(n.Str[0], fold), false
	case syntax.NtNotone:
		return notRuneSet(n.Ch, fold), false
	case syntax.NtSet:
		return charSet(n.Set, fold), false
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return runeSet(n.Ch, fold), n.M == 0
	case syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return notRuneSet(n.Ch, fold), n.M == 0
	case syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		return charSet(n.Set, fold), n.M == 0
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

// runeSet is {r}, with the runes related to it by case when fold is set.
func runeSet(r rune, fold bool) asciiSet {
	return classSet(func(c rune) bool { return c == r }, fold)
}

// notRuneSet is every ASCII rune but r (all of them when fold is set).
func notRuneSet(r rune, fold bool) asciiSet {
	set := allASCII
	if !fold && r < 128 {
		set[r>>6] &^= 1 << (r & 63)
	}
	return set
}

// charSet is the ASCII part of a regexp2 class.
func charSet(cs *syntax.CharSet, fold bool) asciiSet {
	if cs == nil {
		return allASCII
	}
	return classSet(cs.CharIn, fold)
}

// classSet is the set of ASCII runes in a class and, when fold is set, those related by case
// to a rune in it.
func classSet(in func(rune) bool, fold bool) asciiSet {
	var set asciiSet
	related := caseRelated()
	for c := rune(0); c < 128; c++ {
		if in(c) {
			set.add(c)
			continue
		}
		if fold {
			for _, x := range related[c] {
				if in(x) {
					set.add(c)
					break
				}
			}
		}
	}
	return set
}

// caseRelated lists, for each ASCII rune c, the runes x that regexp2 may take for c when
// ignoring case: c's simple case folding orbit, and every x whose lower or upper
// case is that of c (İ for i, K for k, ſ for s).
var caseRelated = sync.OnceValue(func() (related [128][]rune) {
	add := func(c, x rune) {
		if c < 128 && x != c {
			related[c] = append(related[c], x)
		}
	}
	for x := rune(0); x <= 0x1FFFF; x++ {
		for _, y := range []rune{unicode.ToLower(x), unicode.ToUpper(x), unicode.SimpleFold(x)} {
			if y < 128 {
				add(y, x)
				add(unicode.ToLower(y), x)
				add(unicode.ToUpper(y), x)
			}
		}
	}
	return related
})
