package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Heading anchors. An anchor, written {#id} at the end of a heading, is what links to the
// heading (and, for ## and ###, to its clause) point at, so it must survive being copied into
// a URL and must name one heading:
//
//   - An anchor is one word: at least one character, each a letter or digit (of any script:
//     {#gebühren} is fine) or one of "-", "_", ":" and ".". Goldmark itself refuses other
//     ASCII punctuation and spaces, but then silently keeps the {...} as heading text and
//     makes up an id (## Who can apply {#who can apply} got the id
//     who-can-apply-who-can-apply); it accepts any other byte, including a no-break space
//     pasted from a word processor, symbols and control characters. Each of these, an empty
//     {#}, and two ids in one heading ({#a #b}) is an Error at the {, with the fix.
//   - Two headings of a page may not have the same anchor, whether written or generated:
//     the second is an Error at its heading. (Goldmark makes generated ids unique among
//     themselves, "fees", "fees-1", but not against an id written later.)
//
// Heading.Explicit is true when the author wrote an anchor, valid or not: an invalid one is
// already an Error, and a caller that requires anchors must not report it twice.

// badAnchor matches a {...} with a # at the end of a heading's text: an anchor goldmark did not
// accept, and so left in the text.
var badAnchor = regexp.MustCompile(`(?:^|[^\\])(\{[^{}]*#[^{}]*\})\s*$`)

// checkAnchor validates the anchor written at the end of heading h, if any, and reports
// whether there is one.
func checkAnchor(h *ast.Heading, src []byte, st *state) (explicit bool) {
	lines := h.Lines()
	if lines.Len() == 0 {
		return false
	}
	last := lines.At(lines.Len() - 1)
	eol := bytes.IndexByte(src[last.Stop:], '\n')
	if eol < 0 {
		eol = len(src) - last.Stop
	}
	rest := src[last.Stop : last.Stop+eol]
	if i := bytes.IndexByte(rest, '{'); i >= 0 && len(bytes.TrimSpace(rest[:i])) == 0 {
		// Goldmark took the attributes off the heading's text: read them again.
		at := last.Stop + i
		block := bytes.TrimRightFunc(rest[i:], unicode.IsSpace)
		attrs, ok := parser.ParseAttributes(text.NewReader(block))
		if !ok {
			return false
		}
		var ids []string
		for _, a := range attrs {
			if string(a.Name) != "id" {
				continue
			}
			v, isBytes := a.Value.([]byte)
			if !isBytes {
				v = fmt.Append(nil, a.Value)
			}
			ids = append(ids, string(v))
		}
		switch {
		case len(ids) == 0:
			return false
		case len(ids) > 1:
			st.errorf(at, "heading %s gives %d anchors, #%s: keep one", block, len(ids), strings.Join(ids, " and #"))
		case ids[0] == "":
			st.errorf(at, "heading anchor %s is empty: write a word after the #%s", block, suggest(", as in", PlainText(h, src)))
		case !validAnchor(ids[0]):
			st.errorf(at, "heading anchor %s is not valid: %s%s", block, anchorRule, suggest("; write", ids[0]))
		}
		return true
	}
	m := badAnchor.FindSubmatchIndex(src[last.Start:last.Stop])
	if m == nil {
		return false
	}
	written := src[last.Start+m[2] : last.Start+m[3]]
	id := written[1 : len(written)-1]
	id = bytes.TrimSpace(id[bytes.IndexByte(id, '#')+1:])
	if validAnchor(string(id)) && len(bytes.TrimSpace(rest)) > 0 { // ## Title {#x} ##
		st.errorf(last.Start+m[2], "heading anchor %s must end the line: remove %q after it", written, bytes.TrimSpace(rest))
	} else {
		st.errorf(last.Start+m[2], "heading anchor %s is not valid: %s%s", written, anchorRule, suggest("; write", string(id)))
	}
	return true
}

const anchorRule = `an anchor is one word of letters, digits, "-", "_", ":" or ".", with no spaces`

// validAnchor reports whether id follows the rule above.
func validAnchor(id string) bool {
	if id == "" || !utf8.ValidString(id) {
		return false
	}
	for i, r := range id {
		if !anchorRune(r) && !(i > 0 && unicode.IsMark(r)) { // a combining accent after a letter
			return false
		}
	}
	return true
}

func anchorRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == ':' || r == '.'
}

// suggest is lead, a space and {#x} with an anchor x made of s, or "" if s has no letter or
// digit.
func suggest(lead, s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if anchorRune(r) && r != ':' && r != '.' || b.Len() > 0 && unicode.IsMark(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return lead + " {#" + b.String() + "}"
}

// headingID is the id a heading has after parsing, written or generated.
func headingID(h *ast.Heading) string {
	v, _ := h.AttributeString("id")
	id, _ := v.([]byte)
	return string(id)
}

// checkDuplicateAnchors reports each heading whose anchor an earlier heading has.
func checkDuplicateAnchors(headings []*ast.Heading, src []byte, st *state) {
	first := map[string]*ast.Heading{}
	for _, h := range headings {
		id := headingID(h)
		if id == "" {
			continue
		}
		f, dup := first[id]
		if !dup {
			first[id] = h
			continue
		}
		st.errorf(nodeOffset(h), "two headings have the anchor #%s: %q and %q; rename one, or links to #%s land on the first", id, PlainText(f, src), PlainText(h, src), id)
	}
}

// errorf records an Error at a byte offset of the source.
func (st *state) errorf(off int, format string, args ...any) {
	st.doc.Errors = append(st.doc.Errors, Problem{off, fmt.Sprintf(format, args...)})
}
