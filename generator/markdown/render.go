package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// nodeRenderer renders this package's nodes and overrides goldmark for task boxes (labelled
// and usable, not disabled) and, unless unsafe, raw HTML (shown escaped, never dropped).
type nodeRenderer struct{ unsafe bool }

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindSection, r.section)
	reg.Register(KindClauseNumber, r.clauseNumber)
	reg.Register(KindTaskLabel, r.taskLabel)
	reg.Register(east.KindTaskCheckBox, r.taskCheckBox)
	reg.Register(east.KindTableCell, r.tableCell)
	reg.Register(ast.KindFencedCodeBlock, r.codeBlock)
	if !r.unsafe {
		reg.Register(ast.KindHTMLBlock, r.htmlBlock)
		reg.Register(ast.KindRawHTML, r.rawHTML)
	}
}

func (r *nodeRenderer) section(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	s := n.(*Section)
	if entering {
		w.WriteString(`<section class="clause"`)
		if len(s.ID) > 0 {
			w.WriteString(` id="`)
			w.Write(util.EscapeHTML(s.ID))
			w.WriteByte('"')
		}
		w.WriteString(">\n")
	} else {
		w.WriteString("</section>\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) clauseNumber(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<span class="clause-no">`)
		w.WriteString(n.(*ClauseNumber).Number)
		w.WriteString(`</span> `)
	}
	return ast.WalkContinue, nil
}

// tableCell renders a GFM table cell as goldmark does (alignment is a class: see
// labelTables), except that an empty cell of the header row, the corner of a comparison
// table, is a <td>: screen readers announce an empty <th> as a header that says nothing.
func (r *nodeRenderer) tableCell(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	tag, filter := "td", extension.TableTdCellAttributeFilter
	if n.Parent().Kind() == east.KindTableHeader && n.HasChildren() {
		tag, filter = "th", extension.TableThCellAttributeFilter
	}
	if entering {
		w.WriteString("<" + tag)
		if n.Attributes() != nil {
			ghtml.RenderAttributes(w, n, filter)
		}
		w.WriteByte('>')
	} else {
		w.WriteString("</" + tag + ">\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) htmlBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	raw := rawSource(n, src)
	if isComment(raw) {
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<p class="raw-html">`)
	w.Write(util.EscapeHTML(bytes.TrimSpace(raw)))
	w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	if raw := rawSource(n, src); !isComment(raw) {
		w.Write(util.EscapeHTML(raw))
	}
	return ast.WalkSkipChildren, nil
}

// isComment reports whether raw HTML is only an HTML comment, which is dropped silently:
// comments (lint directives, editor notes) never render, escaped or not.
func isComment(b []byte) bool {
	b = bytes.TrimSpace(b)
	return bytes.HasPrefix(b, []byte("<!--")) && bytes.HasSuffix(b, []byte("-->"))
}

// rawSource is the HTML an author wrote in an HTMLBlock or RawHTML node.
func rawSource(n ast.Node, src []byte) []byte {
	var raw bytes.Buffer
	switch t := n.(type) {
	case *ast.RawHTML:
		for i := 0; i < t.Segments.Len(); i++ {
			seg := t.Segments.At(i)
			raw.Write(seg.Value(src))
		}
	case *ast.HTMLBlock:
		for i := 0; i < t.Lines().Len(); i++ {
			seg := t.Lines().At(i)
			raw.Write(seg.Value(src))
		}
		if t.HasClosure() {
			raw.Write(t.ClosureLine.Value(src))
		}
	}
	return raw.Bytes()
}
