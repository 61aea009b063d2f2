package markdown

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Value references. Prose may insert a value, written {{ name }} or {{ name.sub.key }}
// (spaces inside the braces optional), so that a fact typed once reads the same on every
// page. The page's caller says what a name holds (Options.Value); this file only finds the
// references:
//
//   - A reference is an inline of its own, parsed where prose is parsed: never inside a
//     code span, a code block, an autolink or raw HTML, which goldmark reads first. It may
//     stand in a paragraph, a heading, a list or task item, a table cell or a link's text.
//   - \{{ writes the braces themselves (the backslash escapes the first one, as CommonMark
//     escapes any punctuation), and a {{ with no }} later on its line is text.
//   - {{ and }} around anything that is not a name ({{ reply days }}) is an Error at the
//     {{: a name is one or more parts of letters, digits, "_" and "-", joined by dots.
//   - The inserted text is text, escaped as HTML: a value never adds markup. A heading's
//     generated anchor is made from what is written, the name, so it stays when the value
//     changes.

// ValueRef reads a value reference at the start of s. size is its length in bytes, 0
// when s does not start with a {{ closed by }} on the same line; err, when what stands
// between the braces is not a name, says so and how to write braces that are text.
func ValueRef[T string | []byte](s T) (name string, size int, err error) {
	if len(s) < 4 || s[0] != '{' || s[1] != '{' {
		return "", 0, nil
	}
	for i := 2; i+1 < len(s) && s[i] != '\n'; i++ {
		if s[i] == '}' && s[i+1] == '}' {
			name = strings.Trim(string(s[2:i]), " \t")
			if !ValidValueName(name) {
				return "", i + 2, fmt.Errorf(`%q is not a value reference: a value's name is letters, digits, _ and -, with dots between parts ({{ alidropship.reply_days_max }}); write \{{ for braces that are text`, string(s[:i+2]))
			}
			return name, i + 2, nil
		}
	}
	return "", 0, nil
}

// ValidValueName reports whether s can name a value: parts of letters, digits, "_" and
// "-", joined by dots.
func ValidValueName(s string) bool {
	part := 0 // length of the current part
	for _, r := range s {
		switch {
		case r == '.':
			if part == 0 {
				return false
			}
			part = 0
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			part++
		default:
			return false
		}
	}
	return part > 0
}

// Value is an inserted value: the name written and the text it stands for (what was
// written, when the name is not a value).
type Value struct {
	ast.BaseInline
	Name  string
	Shown string // the text it inserts
}

// KindValue is the NodeKind of Value.
var KindValue = ast.NewNodeKind("Value")

func (n *Value) Kind() ast.NodeKind { return KindValue }

func (n *Value) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Name": n.Name, "Shown": n.Shown}, nil)
}

// values is the goldmark extension for value references: the inline parser and the
// renderer of Value.
type values struct{}

func (values) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(valueParser{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(valueRenderer{}, 500)))
}

type valueParser struct{}

func (valueParser) Trigger() []byte { return []byte{'{'} }

// Parse resolves a reference through Options.Value as it is read: a page's values are
// known before it is converted, and the text is then in place for every later reader of
// the tree (heading text, table labels, task labels).
func (valueParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	st, _ := pc.Get(stateKey).(*state)
	if st == nil || st.opt.Value == nil {
		return nil
	}
	line, seg := block.PeekLine()
	name, size, err := ValueRef(line)
	if size == 0 {
		return nil
	}
	n := &Value{Name: name, Shown: string(line[:size])}
	block.Advance(size)
	if err == nil {
		n.Shown, err = st.opt.Value(name)
	}
	if err != nil {
		n.Shown = string(line[:size])
		st.doc.Errors = append(st.doc.Errors, Problem{seg.Start, err.Error()})
	}
	return n
}

type valueRenderer struct{}

func (valueRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindValue, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.Write(util.EscapeHTML([]byte(n.(*Value).Shown)))
		}
		return ast.WalkSkipChildren, nil
	})
}
