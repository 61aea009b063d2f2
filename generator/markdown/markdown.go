// Package markdown turns one page's Markdown into HTML. Goldmark is configured here and only
// here: GFM, footnotes, definition lists, typographic quotes, heading IDs with explicit {#id}
// attributes, chroma highlighting with CSS classes, value references ({{ name }}, resolved
// by the caller: values.go), and this project's AST transformers (clause sections and
// numbering, link rewriting, escaped raw HTML, labelled task boxes).
//
// The converter knows nothing about files or sites: the caller passes a Resolver that maps
// link destinations to output URLs, and gets back positions as byte offsets into the source.
// Those positions come from the parse: links.go says where each kind of link is reported,
// anchors.go what a heading anchor may be, and limits.go the limits on a page (size,
// nesting, tables), beyond which it is refused with an Error instead of converted.
package markdown

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"strings"

	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Config is the site-wide Markdown configuration. The zero value is the safe default.
type Config struct {
	UnsafeHTML bool // pass raw HTML through instead of escaping it
}

// Options are per page.
type Options struct {
	// Number prefixes ## and ### headings with clause numbers (1, 1.1, ...).
	Number bool
	// Resolve rewrites a link destination. It returns the destination to write and, for a
	// link inside the site, a non-nil *Link to check later. Nil leaves links unchanged.
	Resolve func(dest string) (string, *Link)
	// Value gives the text a {{ name }} reference inserts (values.go); its error is an
	// Error at the reference. Nil leaves references as written.
	Value func(name string) (string, error)
}

// Link is an internal link found in a page, for the caller to check.
type Link struct {
	Dest   string // as written by the author
	Page   string // site path of the target page ("a/b/"), or "" for the same page
	Anchor string // fragment without '#', may be empty
	Offset int    // byte offset of Dest in the source (of its definition, for a [x][ref] link)
}

// Heading is one entry of a page's table of contents.
type Heading struct {
	Level    int
	ID       string
	Number   string // "2.1" on numbered pages, else ""
	Text     string
	Explicit bool // the author wrote the id as {#id} (if it is not a valid one, Doc.Errors says so)
	Offset   int  // where the heading is written
}

// Problem is a warning or error at a byte offset of the source.
type Problem struct {
	Offset int
	Msg    string
}

// Doc is a converted page.
type Doc struct {
	HTML     []byte
	Headings []Heading // h2 and h3, in order
	Links    []*Link
	Warnings []Problem
	Errors   []Problem
	AST      ast.Node // for callers that extract structure (tables, definition lists)
	RawHTML  bool     // the author wrote HTML (passed through, or left out as a comment)
}

// Converter converts Markdown with one goldmark instance; it is safe for concurrent use.
type Converter struct {
	md  goldmark.Markdown
	cfg Config
}

var stateKey = parser.NewContextKey()

// state carries per-page options and results through goldmark's parser context.
type state struct {
	opt      Options
	doc      *Doc
	explicit map[*ast.Heading]bool // headings whose author wrote an anchor
	limited  bool                  // the page breaks a limit: not converted
	cells    int                   // table cells so far (MaxTableCells)
}

// New builds the converter; this is the one place goldmark is configured.
func New(cfg Config) *Converter {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{unsafe: cfg.UnsafeHTML}, 100)),
	}
	if cfg.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(
			// GFM (tables, task lists, strikethrough, autolinks), with table cell alignment
			// left to a class (set in labelTables): goldmark's default is a style attribute,
			// which a strict Content-Security-Policy blocks.
			extension.Linkify,
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
			extension.Strikethrough,
			extension.TaskList,
			extension.Footnote,
			extension.DefinitionList,
			extension.Typographer,
			values{},
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithHeadingAttribute(),
			parser.WithASTTransformers(util.Prioritized(transformer{}, 100)),
			// Limits checked on a paragraph's lines before goldmark takes link reference
			// definitions out (100) and before it makes tables (200).
			parser.WithParagraphTransformers(util.Prioritized(definitionLimit{}, 90), util.Prioritized(tableLimit{}, 150)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md, cfg: cfg}
}

// Convert parses and renders src. It never fails: problems are reported in the Doc. A page
// that breaks one of the limits (MaxPageBytes, MaxNesting, MaxTableRows, MaxTableCells,
// MaxDefinitionRun) is not converted: its Doc has the Error and an empty AST, and no HTML,
// headings or links.
func (c *Converter) Convert(src []byte, opt Options) *Doc {
	if errs := checkLimits(src); errs != nil {
		return &Doc{Errors: errs, AST: ast.NewDocument()}
	}
	doc := &Doc{}
	pc := parser.NewContext()
	st := &state{opt: opt, doc: doc, explicit: map[*ast.Heading]bool{}}
	pc.Set(stateKey, st)
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	if st.limited {
		return &Doc{Errors: doc.Errors, AST: ast.NewDocument()}
	}
	var buf bytes.Buffer
	buf.Grow(len(src) * 2)
	if err := c.md.Renderer().Render(&buf, src, root); err != nil {
		doc.Errors = append(doc.Errors, Problem{0, "render: " + err.Error()})
	}
	if !c.cfg.UnsafeHTML {
		_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering && (n.Kind() == ast.KindHTMLBlock || n.Kind() == ast.KindRawHTML) && !isComment(rawSource(n, src)) {
				doc.Warnings = append(doc.Warnings, Problem{nodeOffset(n), "raw HTML escaped (set unsafeHTML: true in _site.yaml to allow it)"})
			}
			return ast.WalkContinue, nil
		})
	}
	doc.HTML = buf.Bytes()
	doc.AST = root
	return doc
}

// HighlightCSS is the stylesheet for highlighted code: a light style, and a dark one under
// prefers-color-scheme: dark.
func HighlightCSS() []byte {
	var b bytes.Buffer
	_ = codeFormatter.WriteCSS(&b, codeStyle)
	b.WriteString("@media (prefers-color-scheme: dark){")
	_ = codeFormatter.WriteCSS(&b, styles.Get("github-dark"))
	b.WriteString("}")
	return b.Bytes()
}

// PlainText is the text content of n, without markup.
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *Value:
			b.Write(util.EscapeHTML([]byte(t.Shown))) // unescaped below, with the rest
		case *ast.CodeSpan:
			for k := t.FirstChild(); k != nil; k = k.NextSibling() {
				if s, ok := k.(*ast.Text); ok {
					b.Write(s.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML, *ast.AutoLink:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// Typographic quotes and entity references are entities in the AST: plain text means
	// the characters themselves.
	return strings.TrimSpace(stdhtml.UnescapeString(b.String()))
}

// nodeOffset is the source offset where n starts, or of its nearest positioned ancestor.
func nodeOffset(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		switch t := n.(type) {
		case *ast.Text:
			return t.Segment.Start
		case *ast.RawHTML:
			if t.Segments.Len() > 0 {
				return t.Segments.At(0).Start
			}
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
		if c := n.FirstChild(); c != nil {
			if t, ok := c.(*ast.Text); ok {
				return t.Segment.Start
			}
		}
	}
	return 0
}

func clauseNumber(counts []int) string {
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = fmt.Sprint(c)
	}
	return strings.Join(parts, ".")
}
