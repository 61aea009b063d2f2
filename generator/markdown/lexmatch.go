package markdown

import (
	"slices"
	"strconv"

	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// A rule made only of literals, sets, loops of one rune, alternation, concatenation, groups,
// anchors and lookarounds (lookbehinds of fixed strings only), such as a list of keywords
// as chroma.Words makes it, `(if|else|for)\b`, is matched here rather than by regexp2,
// which tries the alternatives one by one: a match of one of SQL's 800 keywords took 20 µs.
// litMatcher walks regexp2's own tree of the pattern (after its optimisations, as regexp2
// runs it) with regexp2's semantics: alternatives in order, backtracking into them unless
// atomic, a set's runes by its CharIn, \b by IsWordChar against the whole text, ^ and \A at
// its start or a line's, \G at the position. Loops of more than one rune (`(ab|c)*`) are
// left to regexp2: its rules for them (an empty iteration ends the loop) are subtler.

// litMatcher matches one rule.
type litMatcher struct {
	root   *litTree
	groups int // groups of the pattern, 0 included, numbered 0 to groups-1
}

// litTree is a node of regexp2's tree with its children, and for an alternation of many,
// which of them may match at each ASCII rune (by their first runes, as for the rules).
type litTree struct {
	*syntax.RegexNode
	kids  []*litTree
	ascii *[128][]int32
	in    asciiSet // the ASCII runes of the node's set, if it has one
}

// newLitTree mirrors n.
func newLitTree(n *syntax.RegexNode) *litTree {
	t := &litTree{RegexNode: n}
	if n.Set != nil {
		t.in = classSet(n.Set.CharIn)
	}
	for _, c := range n.Children {
		t.kids = append(t.kids, newLitTree(c))
	}
	if n.T == syntax.NtAlternate && len(n.Children) > 8 {
		t.ascii = new([128][]int32)
		for i, c := range n.Children {
			set, empty := firstSet(c)
			for r := range t.ascii {
				if empty || set.has(rune(r)) {
					t.ascii[r] = append(t.ascii[r], int32(i))
				}
			}
		}
	}
	return t
}

// newLitMatcher is the matcher for re, whose tree is tree, or nil when the tree has a node
// it does not match or the groups are not numbered in order.
func newLitMatcher(re *regexp2.Regexp, tree *syntax.RegexTree) *litMatcher {
	if !litSupported(tree.Root) {
		return nil
	}
	nums, names := re.GetGroupNumbers(), re.GetGroupNames()
	for i := range nums {
		if nums[i] != i || names[i] != strconv.Itoa(i) {
			return nil
		}
	}
	return &litMatcher{root: newLitTree(tree.Root), groups: len(nums)}
}

// litSupported reports whether litMatcher matches every node of n.
func litSupported(n *syntax.RegexNode) bool {
	if (n.T == syntax.NtPosLook || n.T == syntax.NtNegLook) && n.Options&syntax.RightToLeft != 0 {
		return len(n.Children) == 1 && litBehind(n.Children[0]) // a lookbehind
	}
	if n.Options&(syntax.RightToLeft|syntax.ECMAScript|syntax.IgnoreCase) != 0 {
		return false // (regexp2 resolves case in its parse: a node with IgnoreCase left is rare)
	}
	switch n.T {
	case syntax.NtOne, syntax.NtMulti, syntax.NtNotone, syntax.NtOneloop, syntax.NtOnelazy,
		syntax.NtOneloopatomic, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
	case syntax.NtSet, syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		if n.Set == nil {
			return false
		}
	case syntax.NtEmpty, syntax.NtNothing, syntax.NtStart, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtBol, syntax.NtEol, syntax.NtBeginning, syntax.NtEnd, syntax.NtEndZ:
	case syntax.NtConcatenate, syntax.NtAlternate:
	case syntax.NtCapture:
		if len(n.Children) != 1 || n.N != -1 || n.M < 0 {
			return false
		}
	case syntax.NtGroup, syntax.NtAtomic, syntax.NtPosLook, syntax.NtNegLook:
		if len(n.Children) != 1 {
			return false
		}
	default:
		return false
	}
	return !slices.ContainsFunc(n.Children, func(c *syntax.RegexNode) bool { return !litSupported(c) })
}

// litBehind reports whether n, in a lookbehind, is made of nodes that match one way only
// (runes, strings), which litRun.behind matches right to left.
func litBehind(n *syntax.RegexNode) bool {
	if n.Options&(syntax.ECMAScript|syntax.IgnoreCase) != 0 {
		return false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtMulti:
		return true
	case syntax.NtSet:
		return n.Set != nil
	case syntax.NtConcatenate:
		return !slices.ContainsFunc(n.Children, func(c *syntax.RegexNode) bool { return !litBehind(c) })
	}
	return false
}

// litRun is one match: the text, the position (where \G is) and the groups' spans.
type litRun struct {
	text  []rune
	start int
	caps  []int // start and end of each group, -1 when it did not match
}

// match returns the groups of the match at pos, or nil.
func (m *litMatcher) match(text []rune, pos int) []string {
	r := litRun{text: text, start: pos, caps: make([]int, 2*m.groups)}
	for i := range r.caps {
		r.caps[i] = -1
	}
	end := -1
	if !r.match(m.root, pos, func(e int) bool { end = e; return true }) {
		return nil
	}
	groups := make([]string, m.groups)
	groups[0] = string(text[pos:end])
	for g := 1; g < m.groups; g++ {
		if s := r.caps[2*g]; s >= 0 {
			groups[g] = string(text[s:r.caps[2*g+1]])
		}
	}
	return groups
}

// match reports whether n matches at pos and then k at the end of that match, trying n's
// ways to match in regexp2's order.
func (r *litRun) match(n *litTree, pos int, k func(int) bool) bool {
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return pos < len(r.text) && r.is(n, r.text[pos]) && k(pos+1)
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop:
		most := r.run(n, pos)
		for j := most; j >= n.M; j-- {
			if k(pos + j) {
				return true
			}
		}
		return false
	case syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy:
		most := r.run(n, pos)
		for j := n.M; j <= most; j++ {
			if k(pos + j) {
				return true
			}
		}
		return false
	case syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		most := r.run(n, pos)
		return most >= n.M && k(pos+most)
	case syntax.NtMulti:
		if len(r.text)-pos < len(n.Str) || !slices.Equal(r.text[pos:pos+len(n.Str)], n.Str) {
			return false
		}
		return k(pos + len(n.Str))
	case syntax.NtEmpty:
		return k(pos)
	case syntax.NtNothing:
		return false
	case syntax.NtStart:
		return pos == r.start && k(pos)
	case syntax.NtBoundary:
		return r.boundary(pos) && k(pos)
	case syntax.NtNonboundary:
		return !r.boundary(pos) && k(pos)
	case syntax.NtBol:
		return (pos == 0 || r.text[pos-1] == '\n') && k(pos)
	case syntax.NtEol:
		return (pos == len(r.text) || r.text[pos] == '\n') && k(pos)
	case syntax.NtBeginning:
		return pos == 0 && k(pos)
	case syntax.NtEnd:
		return pos == len(r.text) && k(pos)
	case syntax.NtEndZ:
		return (pos == len(r.text) || pos == len(r.text)-1 && r.text[pos] == '\n') && k(pos)
	case syntax.NtPosLook, syntax.NtNegLook:
		// A lookaround matches its first way only, at pos (a lookbehind ends there); past
		// a negative one, or backtracking past a positive one, its captures are undone.
		caps := slices.Clone(r.caps)
		var found bool
		if n.Options&syntax.RightToLeft != 0 {
			found = r.behind(n.kids[0], pos) >= 0
		} else {
			found = r.match(n.kids[0], pos, func(int) bool { return true })
		}
		if found == (n.T == syntax.NtPosLook) && k(pos) {
			return true
		}
		copy(r.caps, caps)
		return false
	case syntax.NtConcatenate:
		return r.concat(n.kids, pos, k)
	case syntax.NtAlternate:
		if n.ascii != nil && pos < len(r.text) && r.text[pos] < 128 {
			for _, i := range n.ascii[r.text[pos]] {
				if r.match(n.kids[i], pos, k) {
					return true
				}
			}
			return false
		}
		for _, c := range n.kids {
			if r.match(c, pos, k) {
				return true
			}
		}
		return false
	case syntax.NtCapture:
		g := 2 * n.M
		return r.match(n.kids[0], pos, func(e int) bool {
			s0, e0 := r.caps[g], r.caps[g+1]
			r.caps[g], r.caps[g+1] = pos, e
			if k(e) {
				return true
			}
			r.caps[g], r.caps[g+1] = s0, e0
			return false
		})
	case syntax.NtGroup:
		return r.match(n.kids[0], pos, k)
	case syntax.NtAtomic:
		caps := slices.Clone(r.caps)
		end := -1
		if !r.match(n.kids[0], pos, func(e int) bool { end = e; return true }) {
			return false
		}
		if k(end) {
			return true
		}
		copy(r.caps, caps) // backtracking past the group undoes its captures
		return false
	}
	panic("litRun: unsupported node") // litSupported checked
}

// is reports whether a node that matches one rune (alone or in a loop) matches c.
func (r *litRun) is(n *litTree, c rune) bool {
	switch n.T {
	case syntax.NtOne, syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return c == n.Ch
	case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return c != n.Ch
	}
	if c < 128 {
		return n.in.has(c)
	}
	return n.Set.CharIn(c)
}

// run is how many runes a loop of one rune may take from pos: as many as match, at most N.
func (r *litRun) run(n *litTree, pos int) int {
	j := 0
	for j < n.N && pos+j < len(r.text) && r.is(n, r.text[pos+j]) {
		j++
	}
	return j
}

// concat matches the nodes one after the other. (Those that match in one way only are
// matched in a loop.)
func (r *litRun) concat(nodes []*litTree, pos int, k func(int) bool) bool {
	for ; len(nodes) > 0; nodes = nodes[1:] {
		n := nodes[0]
		switch n.T {
		case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
			if pos >= len(r.text) || !r.is(n, r.text[pos]) {
				return false
			}
			pos++
			continue
		case syntax.NtMulti:
			if len(r.text)-pos < len(n.Str) || !slices.Equal(r.text[pos:pos+len(n.Str)], n.Str) {
				return false
			}
			pos += len(n.Str)
			continue
		case syntax.NtBoundary, syntax.NtNonboundary:
			if r.boundary(pos) != (n.T == syntax.NtBoundary) {
				return false
			}
			continue
		}
		break
	}
	switch len(nodes) {
	case 0:
		return k(pos)
	case 1:
		return r.match(nodes[0], pos, k)
	}
	return r.match(nodes[0], pos, func(e int) bool { return r.concat(nodes[1:], e, k) })
}

// behind matches n (litBehind) right to left, ending at pos: where it starts, or -1.
func (r *litRun) behind(n *litTree, pos int) int {
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		if pos > 0 && r.is(n, r.text[pos-1]) {
			return pos - 1
		}
	case syntax.NtMulti:
		if pos >= len(n.Str) && slices.Equal(r.text[pos-len(n.Str):pos], n.Str) {
			return pos - len(n.Str)
		}
	case syntax.NtConcatenate: // (its nodes in the order they match, right to left)
		for i := 0; i < len(n.kids) && pos >= 0; i++ {
			pos = r.behind(n.kids[i], pos)
		}
		return pos
	}
	return -1
}

// boundary is regexp2's Runner.IsBoundary.
func (r *litRun) boundary(i int) bool {
	return (i > 0 && syntax.IsWordChar(r.text[i-1])) != (i < len(r.text) && syntax.IsWordChar(r.text[i]))
}
