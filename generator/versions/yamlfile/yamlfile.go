// Package yamlfile reads the site's YAML (page front matter, content/_site.yaml, each
// edition's edition.yaml) with github.com/goccy/go-yaml, whose parser returns positioned
// errors and a positioned syntax tree, and turns its problems into plain words with a
// hint, each at its own line and column in the file. It lives under versions because both
// versions and site read YAML and site imports versions.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Problem is a problem at a position of the file: Line and Col are 1-based, counted in
// the file (not in the YAML text when the YAML starts further down), columns in runes.
type Problem struct {
	Line, Col int
	Msg       string
}

func (p *Problem) Error() string { return fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg) }

// Doc is a parsed YAML document.
type Doc struct {
	Root      ast.Node // nil for an empty document (nothing, or only comments)
	src       []byte
	firstLine int
}

// Parse parses src, the YAML text found at line firstLine (1-based) of its file, as one
// document. Duplicate keys, a second document, invalid UTF-8 and syntax errors are
// problems; the first syntax error stops the parse, so at most one of those is reported.
func Parse(src []byte, firstLine int) (*Doc, []*Problem) {
	doc := &Doc{src: src, firstLine: firstLine}
	if off, ok := ValidUTF8(src); !ok {
		line, col := Position(src, off)
		return doc, []*Problem{{Line: line + firstLine - 1, Col: col, Msg: fmt.Sprintf("this is not UTF-8 text (the byte 0x%02X): save the file as UTF-8", src[off])}}
	}
	// A byte order mark (Notepad writes one) is dropped: it is invisible in every editor,
	// so it takes no column.
	doc.src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	f, err := parser.ParseBytes(doc.src, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return doc, []*Problem{doc.Explain(err)}
	}
	var problems []*Problem
	for i, d := range f.Docs {
		if i == 0 {
			doc.Root = d.Body
			continue
		}
		var line, col int
		switch {
		case d.Start != nil && d.Start.Position != nil:
			line, col = d.Start.Position.Line+firstLine-1, d.Start.Position.Column
		case d.Body != nil:
			line, col = doc.Pos(d.Body)
		default:
			continue
		}
		problems = append(problems, &Problem{Line: line, Col: col, Msg: "a second YAML document starts here: a file holds one block of settings; remove this --- line"})
		break
	}
	if doc.Root != nil {
		problems = append(problems, doc.duplicates(doc.Root)...)
	}
	return doc, problems
}

// duplicates reports every key set twice in one mapping, at the second.
func (doc *Doc) duplicates(n ast.Node) []*Problem {
	var problems []*Problem
	ast.Walk(visitor(func(n ast.Node) {
		m, ok := n.(*ast.MappingNode)
		if !ok {
			return
		}
		seen := map[string]ast.Node{}
		for _, kv := range m.Values {
			k := KeyText(kv.Key)
			if first, dup := seen[k]; dup {
				line, col := doc.Pos(kv.Key)
				fline, _ := doc.Pos(first)
				problems = append(problems, &Problem{Line: line, Col: col, Msg: fmt.Sprintf("%q is set twice (first on line %d): keep one of them", k, fline)})
				continue
			}
			seen[k] = kv.Key
		}
	}), n)
	return problems
}

type visitor func(ast.Node)

func (v visitor) Visit(n ast.Node) ast.Visitor {
	if n != nil {
		v(n)
	}
	return v
}

// KeyText is the text of a mapping key.
func KeyText(k ast.Node) string {
	switch k := unwrap(k).(type) {
	case *ast.StringNode:
		return k.Value
	case nil:
		return ""
	default:
		if tk := k.GetToken(); tk != nil {
			return tk.Value
		}
		return k.String()
	}
}

// unwrap looks through an anchor (&name value) or a tag (!!str value) at the value.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.MappingKeyNode:
			n = v.Value
		default:
			return n
		}
	}
}

// Pos is the position of a node in the file.
func (doc *Doc) Pos(n ast.Node) (line, col int) {
	if d, ok := n.(*ast.DocumentNode); ok {
		n = d.Body
	}
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return doc.firstLine, 1
	}
	p := n.GetToken().Position
	return doc.place(p.Line, p.Column)
}

// place turns a position in the YAML text into one in the file, inside the text: an empty
// value (key: and nothing) is placed just after its key's colon, and a line the parser
// counted after a lone carriage return is placed on the last line the file has.
func (doc *Doc) place(line, col int) (int, int) {
	line = min(max(line, 1), bytes.Count(doc.src, []byte("\n"))+1)
	col = min(max(col, 1), utf8.RuneCountInString(lineText(doc.src, line))+1)
	return line + doc.firstLine - 1, col
}

// Pair is one key: value of a mapping.
type Pair struct {
	Key   string
	KeyAt ast.Node
	Value ast.Node
}

// Mapping is the pairs of a mapping node, in order; ok is false when n is not a mapping.
func Mapping(n ast.Node) (pairs []Pair, ok bool) {
	if kv, ok := unwrap(n).(*ast.MappingValueNode); ok {
		return []Pair{{Key: KeyText(kv.Key), KeyAt: kv.Key, Value: kv.Value}}, true
	}
	m, ok := unwrap(n).(*ast.MappingNode)
	if !ok {
		return nil, false
	}
	for _, kv := range m.Values {
		pairs = append(pairs, Pair{Key: KeyText(kv.Key), KeyAt: kv.Key, Value: kv.Value})
	}
	return pairs, true
}

// Text is the text of a value where text is required; msg says what is wrong otherwise,
// in words that name key.
func Text(key string, v ast.Node) (text, msg string) {
	tagged := false
	if t, ok := v.(*ast.TagNode); ok && t.Start != nil && (t.Start.Value == "!!str" || t.Start.Value == "!") {
		tagged = true
	}
	switch n := unwrap(v).(type) {
	case *ast.StringNode:
		return n.Value, ""
	case *ast.LiteralNode:
		return n.Value.Value, ""
	case *ast.NullNode:
		if tagged {
			return "", ""
		}
		return "", fmt.Sprintf("%s is empty: write the text after %s: (or remove the line)", key, key)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		raw := n.GetToken().Value
		if tagged {
			return raw, ""
		}
		return "", fmt.Sprintf("%s must be text, and YAML reads %s as a %s: put it in quotes, %s: %q", key, raw, kindWord(n), key, raw)
	case *ast.AliasNode:
		return "", fmt.Sprintf("%s must be text written out, not a reference (*name) to another value", key)
	case *ast.MappingNode, *ast.MappingValueNode:
		return "", fmt.Sprintf("%s must be text, not a block of keys: write the text on the same line, %s: text", key, key)
	case *ast.SequenceNode:
		return "", fmt.Sprintf("%s must be text, not a list: write one text on the same line, %s: text", key, key)
	default:
		return "", fmt.Sprintf("%s must be text", key)
	}
}

func kindWord(n ast.Node) string {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "number"
	case *ast.BoolNode:
		return "yes/no value"
	}
	return "value"
}

// Int is a whole number value; ok is false for anything else.
func Int(v ast.Node) (int, bool) {
	n, ok := unwrap(v).(*ast.IntegerNode)
	if !ok {
		return 0, false
	}
	var i int
	if err := yaml.NodeToValue(n, &i); err != nil {
		return 0, false
	}
	return i, true
}

// Decode decodes a node (usually the document's root) into out.
func (doc *Doc) Decode(n ast.Node, out any) *Problem {
	if err := yaml.NodeToValue(n, out); err != nil {
		return doc.Explain(err)
	}
	return nil
}

// Explain turns a go-yaml error into a Problem in plain words, with a hint for the common
// mistakes, at the position of the mistake.
func (doc *Doc) Explain(err error) *Problem {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil || ye.GetToken().Position == nil {
		return &Problem{Line: doc.firstLine, Col: 1, Msg: "this is not valid YAML: " + err.Error()}
	}
	pos := ye.GetToken().Position
	line, col := pos.Line, pos.Column
	msg := ye.GetMessage()
	text := lineText(doc.src, line)
	at := func(line, col int, format string, args ...any) *Problem {
		line, col = doc.place(line, col)
		return &Problem{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	}
	lead := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	if i := strings.IndexByte(text, '\t'); i >= 0 && (strings.Contains(msg, "'\t'") || strings.Contains(lead, "\t")) {
		return at(line, utf8.RuneCountInString(text[:i])+1, "a tab character: YAML indents with spaces only; replace the tab with spaces")
	}
	after := runeSuffix(text, col-1)
	switch {
	case strings.HasPrefix(msg, "mapping value is not allowed in this context"):
		if k, v, ok := strings.Cut(text, ": "); ok && strings.Contains(v, ": ") || ok && strings.HasSuffix(v, ":") {
			key := strings.TrimSpace(k)
			val := strings.TrimSpace(v)
			return at(line, col, "the value contains a colon, which YAML reads as the start of another key: put the whole value in quotes: %s: %s", key, quote(val))
		}
		// The next line is indented deeper than this key's value allows.
		for l := line + 1; l <= line+50; l++ {
			t := lineText(doc.src, l)
			if strings.TrimSpace(t) == "" || strings.HasPrefix(strings.TrimSpace(t), "#") {
				continue
			}
			ind := len(t) - len(strings.TrimLeft(t, " "))
			return at(l, ind+1, "this line is indented more than the line above, so YAML reads it as part of the value above: start it in the same column as the other keys (or, for a block under the key above, leave nothing after that key's colon)")
		}
		return at(line, col, "the value contains a colon, which YAML reads as the start of another key: put the whole value in quotes")
	case strings.HasPrefix(msg, "could not find end character of double-quoted text"):
		return at(line, col, `this value opens a quote (") that is never closed: add the closing " at the end of the value`)
	case strings.HasPrefix(msg, "could not find end character of single-quoted text"):
		return at(line, col, `this value opens a quote (') that is never closed: add the closing ' at the end of the value (an apostrophe inside '...' is written twice: 'it''s')`)
	case strings.HasPrefix(msg, "sequence end token ']' not found"):
		return at(line, col, "a list opened with [ is not closed with ]: close it, or, if the value is text that starts with [, put it in quotes")
	case strings.HasPrefix(msg, "could not find flow mapping end token '}'"):
		return at(line, col, "a block opened with { is not closed with }: close it, or, if the value is text that starts with {, put it in quotes")
	case strings.HasPrefix(msg, "unexpected key name"):
		return at(line, col, `this line is not "key: value": add a colon and a space after the key, or, if it continues the value above, indent it`)
	case strings.Contains(msg, "is a reserved character"):
		return at(line, col, "a value cannot start with @ or `: put the value in quotes")
	case strings.HasPrefix(msg, "non-map value is specified") && strings.HasPrefix(strings.TrimSpace(text), "-"):
		return at(line, col, `a list item (- ...) among keys: put list items under a key ("key:" on its own line, then "  - item" lines)`)
	case strings.HasPrefix(msg, "non-map value is specified"):
		return at(line, col, `this line is not "key: value": add a colon and a space after the key, or, if it continues the value above, indent it`)
	case strings.HasPrefix(msg, "could not find alias"):
		return at(line, col, "*%s refers to a value marked &%s, and there is none above: write the value itself", strings.TrimPrefix(strings.Fields(after + " x")[0], "*"), strings.TrimPrefix(strings.Fields(after + " x")[0], "*"))
	case strings.HasPrefix(msg, "value is not allowed in this context"):
		if before := runePrefix(text, col-1); strings.TrimSpace(before) != "" {
			if _, v, ok := strings.Cut(before, ":"); ok {
				switch v = strings.TrimSpace(v); {
				case strings.HasPrefix(v, "'"):
					return at(line, col, `the apostrophe before this ends the quoted value: inside '...' write an apostrophe twice ('it''s'), or put the value in double quotes ("it's")`)
				case strings.HasPrefix(v, `"`):
					return at(line, col, `text after the closing quote: put the whole value inside the quotes (a " inside "..." is written \")`)
				}
			}
			return at(line, col, "unexpected text after the value: if it is part of the value, put the whole value in quotes")
		}
		return at(line, col, "this line's indentation does not match the lines above: the keys of one block start in the same column (use spaces)")
	}
	return at(line, col, "this is not valid YAML here (%s)", msg)
}

// quote writes s as a double-quoted YAML value.
func quote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// lineText is line n (1-based) of src without its line break.
func lineText(src []byte, n int) string {
	s := string(src)
	for i := 1; i < n; i++ {
		j := strings.IndexByte(s, '\n')
		if j < 0 {
			return ""
		}
		s = s[j+1:]
	}
	if j := strings.IndexByte(s, '\n'); j >= 0 {
		s = s[:j]
	}
	return strings.TrimSuffix(s, "\r")
}

func runePrefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func runeSuffix(s string, n int) string { return s[len(runePrefix(s, n)):] }

// ValidUTF8 reports whether src is UTF-8 text, and else the offset of the first bad byte.
func ValidUTF8(src []byte) (off int, ok bool) {
	for off < len(src) {
		r, size := utf8.DecodeRune(src[off:])
		if r == utf8.RuneError && size <= 1 {
			return off, false
		}
		off += size
	}
	return 0, true
}

// Position converts a byte offset of src into a 1-based line and column (in runes).
func Position(src []byte, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	before := src[:off]
	line = 1
	start := 0
	for i, c := range before {
		if c == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(before[start:]) + 1
}
