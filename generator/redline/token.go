package redline

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tkind is the kind of a token of an HTML fragment.
type tkind uint8

const (
	tWord   tkind = iota // a word, a number, one punctuation character or one character reference
	tSpace               // a run of white space
	tStart               // a start tag
	tEnd                 // an end tag
	tMarkup              // a comment, doctype, processing instruction or raw text (script, style)
)

// token is one token of an HTML fragment. Text is split into words, white space and single
// punctuation characters, so a diff can say "30 days" became "45 days" without marking the
// whole phrase; a character reference (&amp;) is always one token. A number is one word with
// what joins its digits and its currency or percent sign ($1,000.50, 2024-07-01, 3-4, 15%),
// so a changed number is replaced whole: "$50" -> "$60", never "$5" + "0" -> "6" + "0".
type token struct {
	kind tkind
	// diff is set on the text tokens that are compared: every word, and white space unless
	// it is a whole text node on its own (the indentation between block elements), and
	// nothing inside a clause number.
	diff bool
	pos  int    // byte offset in the fragment
	raw  string // the token as written
	name string // lower-case tag name of a start or end tag
}

// key is what a text token is compared by: references decoded, all white space alike.
func (t *token) key() string {
	switch {
	case t.kind == tSpace:
		return " "
	case t.raw[0] == '&' && len(t.raw) > 1:
		return html.UnescapeString(t.raw)
	}
	return t.raw
}

// isText reports whether t is text (a word or white space).
func (t *token) isText() bool { return t.kind == tWord || t.kind == tSpace }

// voids are the HTML elements that have no end tag.
var voids = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
	"param": true, "keygen": true,
}

// rawTextElements hold text that is not markup up to their end tag.
var rawTextElements = map[string]bool{
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
	"iframe": true, "noembed": true, "noframes": true, "noscript": true,
}

// numberClass marks the element holding a clause number ("2.1"), which is not compared.
const numberClass = "clause-no"

// isVoid reports whether a start tag opens no element to be closed: a void element or
// a tag written self-closing.
func (t *token) isVoid() bool {
	return t.kind == tStart && (voids[t.name] || strings.HasSuffix(t.raw, "/>"))
}

// tokenize splits an HTML fragment into tokens. It never fails: anything that is not a
// well-formed tag is text.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/3+4)
	// A tag needs a '>' after it: past the last one, only a comment or a declaration can
	// start (and run to the end), so stray '<' in a long text cost no rescanning.
	lastGT := strings.LastIndexByte(s, '>')
	markup := func(i int) bool {
		return i+1 < len(s) && (i < lastGT || s[i+1] == '!' || s[i+1] == '?')
	}
	i := 0
	for i < len(s) {
		if s[i] == '<' && markup(i) {
			if n, kind, name := scanMarkup(s[i:]); n > 0 {
				toks = append(toks, token{kind: kind, pos: i, raw: s[i : i+n], name: name})
				i += n
				if kind == tStart && rawTextElements[name] && !strings.HasSuffix(s[i-2:i], "/>") {
					end := findEndTag(s[i:], name)
					if end > 0 {
						toks = append(toks, token{kind: tMarkup, pos: i, raw: s[i : i+end]})
						i += end
					}
				}
				continue
			}
		}
		j := i + 1
		for j < len(s) {
			if s[j] == '<' && markup(j) {
				if n, _, _ := scanMarkup(s[j:]); n > 0 {
					break
				}
			}
			j++
		}
		toks = splitText(toks, s, i, j)
		i = j
	}
	markNumbers(toks)
	return toks
}

// splitText appends the tokens of the text node s[i:j].
func splitText(toks []token, s string, i, j int) []token {
	first := len(toks)
	onlySpace := true
	for i < j {
		c := s[i]
		start := i
		switch {
		case isSpace(c):
			for i < j && isSpace(s[i]) {
				i++
			}
			toks = append(toks, token{kind: tSpace, diff: true, pos: start, raw: s[start:i]})
			continue
		case c == '&':
			if n := refLen(s[i:j]); n > 0 {
				raw := s[i : i+n]
				toks = append(toks, token{kind: tWord, diff: true, pos: i, raw: raw})
				i += n
				onlySpace = false
				continue
			}
		}
		onlySpace = false
		r, n := utf8.DecodeRuneInString(s[i:j])
		if isCurrency(r) && i+n < j && isDigit(rune(s[i+n])) {
			// A currency sign is part of the amount it comes before: $50 is one word.
			i += n
			r, n = utf8.DecodeRuneInString(s[i:j])
		}
		if isWordRune(r) {
			i += n
			for i < j {
				r, n := utf8.DecodeRuneInString(s[i:j])
				if isWordRune(r) {
					i += n
					continue
				}
				// Keep a number one word: 1,000.50, 2024-07-01, 3-4, 10:30, 1/2, and 15%.
				if isNumberJoin(r) && i+n < j && isDigit(rune(s[i-1])) && isDigit(rune(s[i+n])) {
					i += n
					continue
				}
				if r == '%' && isDigit(rune(s[i-1])) {
					i += n
				}
				break
			}
		} else {
			i += n
		}
		raw := s[start:i]
		toks = append(toks, token{kind: tWord, diff: true, pos: start, raw: raw})
	}
	if onlySpace {
		// White space alone between two tags is layout, not text.
		for k := first; k < len(toks); k++ {
			toks[k].diff = false
		}
	}
	return toks
}

// markNumbers takes the text inside clause-number elements out of the diff.
func markNumbers(toks []token) {
	depth := 0 // > 0 inside a clause number
	for k := range toks {
		t := &toks[k]
		switch {
		case depth > 0 && t.kind == tStart && !t.isVoid():
			depth++
		case depth > 0 && t.kind == tEnd:
			depth--
		case depth > 0 && t.isText():
			t.diff = false
		case depth == 0 && t.kind == tStart && !t.isVoid() && hasClass(t.raw, numberClass):
			depth = 1
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isNumberJoin reports the characters that join the digits of one number: 1,000.50,
// 2024-07-01, 3–4, 10:30, 1/2.
func isNumberJoin(r rune) bool {
	switch r {
	case '.', ',', '-', '/', ':', '\u2013':
		return true
	}
	return false
}

func isCurrency(r rune) bool {
	switch r {
	case '$', '\u20ac', '\u00a3', '\u00a5', '\u20b9':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || isDigit(r) || isASCIILetter(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// refLen is the length of the character reference at the start of s, or 0.
func refLen(s string) int {
	if len(s) < 3 || s[0] != '&' {
		return 0
	}
	i := 1
	if s[1] == '#' {
		i = 2
		hex := i < len(s) && (s[i] == 'x' || s[i] == 'X')
		if hex {
			i++
		}
		start := i
		for i < len(s) && (isDigit(rune(s[i])) || hex && strings.IndexByte("abcdefABCDEF", s[i]) >= 0) {
			i++
		}
		if i == start || i-start > 8 {
			return 0
		}
	} else {
		for i < len(s) && i < 40 && (isASCIILetter(s[i]) || isDigit(rune(s[i]))) {
			i++
		}
		if i == 1 || !isASCIILetter(s[1]) {
			return 0
		}
	}
	if i < len(s) && s[i] == ';' {
		return i + 1
	}
	return 0
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// scanMarkup reports the length of the tag, comment or declaration at the start of s (which
// starts with '<'), its kind and, for a tag, its lower-case name; 0 if s does not start with
// markup.
func scanMarkup(s string) (int, tkind, string) {
	if len(s) < 2 {
		return 0, 0, ""
	}
	switch c := s[1]; {
	case isASCIILetter(c):
		n, name := scanTag(s, 1)
		return n, tStart, name
	case c == '/' && len(s) > 2 && isASCIILetter(s[2]):
		n, name := scanTag(s, 2)
		return n, tEnd, name
	case c == '!':
		if strings.HasPrefix(s, "<!--") {
			if strings.HasPrefix(s[4:], ">") {
				return 5, tMarkup, ""
			}
			if strings.HasPrefix(s[4:], "->") {
				return 6, tMarkup, ""
			}
			if k := strings.Index(s[4:], "-->"); k >= 0 {
				return 4 + k + 3, tMarkup, ""
			}
			return len(s), tMarkup, ""
		}
		fallthrough
	case c == '?':
		if k := strings.IndexByte(s, '>'); k >= 0 {
			return k + 1, tMarkup, ""
		}
		return len(s), tMarkup, ""
	}
	return 0, 0, ""
}

// scanTag scans a start or end tag whose name starts at s[i]; 0 if it has no closing '>'.
func scanTag(s string, i int) (int, string) {
	start := i
	for i < len(s) && !isSpace(s[i]) && s[i] != '/' && s[i] != '>' {
		i++
	}
	name := s[start:i]
	for i < len(s) {
		switch c := s[i]; {
		case c == '>':
			return i + 1, strings.ToLower(name)
		case c == '"' || c == '\'':
			// A quote only opens a value after '='; elsewhere it is part of a name.
			if k := prevNonSpace(s, i); k >= 0 && s[k] == '=' {
				end := strings.IndexByte(s[i+1:], c)
				if end < 0 {
					return 0, ""
				}
				i += end + 2
				continue
			}
		}
		i++
	}
	return 0, ""
}

func prevNonSpace(s string, i int) int {
	for i--; i >= 0 && isSpace(s[i]); i-- {
	}
	return i
}

// findEndTag is the offset in s of the end tag </name of a raw text element, or len(s).
func findEndTag(s, name string) int {
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], "</")
		if k < 0 {
			break
		}
		i += k
		rest := s[i+2:]
		if len(rest) >= len(name) && strings.EqualFold(rest[:len(name)], name) &&
			(len(rest) == len(name) || isSpace(rest[len(name)]) || rest[len(name)] == '/' || rest[len(name)] == '>') {
			return i
		}
		i += 2
	}
	return len(s)
}

// attr is one attribute of a start tag: its name, its value with references decoded, and
// the span raw[start:end] it takes, leading white space included.
type attr struct {
	name, val  string
	start, end int
}

// attrs parses the attributes of a start tag.
func attrs(raw string) []attr {
	var out []attr
	i := 1
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++
	}
	for i < len(raw) {
		start := i
		for i < len(raw) && (isSpace(raw[i]) || raw[i] == '/') {
			i++
		}
		if i >= len(raw) || raw[i] == '>' {
			break
		}
		ns := i
		for i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' && (raw[i] != '=' || i == ns) {
			i++
		}
		a := attr{name: strings.ToLower(raw[ns:i]), start: start}
		j := i
		for j < len(raw) && isSpace(raw[j]) {
			j++
		}
		if j < len(raw) && raw[j] == '=' {
			j++
			for j < len(raw) && isSpace(raw[j]) {
				j++
			}
			if j < len(raw) && (raw[j] == '"' || raw[j] == '\'') {
				q := raw[j]
				end := strings.IndexByte(raw[j+1:], q)
				if end < 0 {
					end = len(raw) - j - 1
				}
				a.val = raw[j+1 : j+1+end]
				i = min(j+end+2, len(raw))
			} else {
				vs := j
				for j < len(raw) && !isSpace(raw[j]) && raw[j] != '>' {
					j++
				}
				a.val = raw[vs:j]
				i = j
			}
			a.val = html.UnescapeString(a.val)
		}
		a.end = i
		out = append(out, a)
	}
	return out
}

// getAttr is the value of the named attribute of a start tag.
func getAttr(raw, name string) (string, bool) {
	for _, a := range attrs(raw) {
		if a.name == name {
			return a.val, true
		}
	}
	return "", false
}

func hasClass(raw, class string) bool {
	v, _ := getAttr(raw, "class")
	for f := range strings.FieldsSeq(v) {
		if f == class {
			return true
		}
	}
	return false
}

// withoutAttr is the start tag raw without the named attribute.
func withoutAttr(raw, name string) string {
	for _, a := range attrs(raw) {
		if a.name == name {
			return raw[:a.start] + raw[a.end:]
		}
	}
	return raw
}

// addClass is the start tag raw with class added to its class attribute.
func addClass(raw, class string) string {
	for _, a := range attrs(raw) {
		if a.name == "class" {
			v := strings.TrimSpace(a.val + " " + class)
			return raw[:a.start] + ` class="` + html.EscapeString(v) + `"` + raw[a.end:]
		}
	}
	end := len(raw) - 1
	if strings.HasSuffix(raw, "/>") {
		end--
	}
	for end > 0 && isSpace(raw[end-1]) {
		end--
	}
	return raw[:end] + ` class="` + html.EscapeString(class) + `"` + raw[end:]
}
