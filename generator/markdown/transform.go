package markdown

import (
	"slices"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Section is a clause: a ## or ### heading with the blocks up to the next heading of the same
// or a higher level. It renders as <section id="..."> and carries the heading's anchor, so a
// link to a clause lands on the whole clause and redlines can match clauses by anchor.
type Section struct {
	ast.BaseBlock
	Level int
	ID    []byte
}

// KindSection is the NodeKind of Section.
var KindSection = ast.NewNodeKind("Section")

func (n *Section) Kind() ast.NodeKind { return KindSection }

func (n *Section) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": string(n.ID)}, nil)
}

// ClauseNumber is the "2.1" printed before a numbered heading's text.
type ClauseNumber struct {
	ast.BaseInline
	Number string
}

// KindClauseNumber is the NodeKind of ClauseNumber.
var KindClauseNumber = ast.NewNodeKind("ClauseNumber")

func (n *ClauseNumber) Kind() ast.NodeKind { return KindClauseNumber }

func (n *ClauseNumber) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Number": n.Number}, nil)
}

// transformer applies the per-page options kept in the parser context.
type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*state)
	if st == nil || st.limited {
		return
	}
	src := reader.Source()
	// One walk finds the nodes every step below works on; each step then runs in turn over
	// its own (none of them adds or removes a node another one works on).
	var headings []*ast.Heading
	var links, tables, boxes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindHeading:
			headings = append(headings, n.(*ast.Heading))
		case ast.KindLink, ast.KindImage, ast.KindAutoLink:
			links = append(links, n)
		case east.KindTable:
			tables = append(tables, n)
		case east.KindTaskCheckBox:
			boxes = append(boxes, n)
		case ast.KindHTMLBlock, ast.KindRawHTML:
			st.doc.RawHTML = true
		}
		return ast.WalkContinue, nil
	})
	keepHeadingAttrs(headings, src, st)
	rewriteLinks(links, src, st)
	labelTables(tables, src)
	labelTasks(boxes, src)
	wrapSections(doc, src, st)
}

// keepHeadingAttrs keeps only the id and classes of a heading's {...} attributes and warns
// about the rest: a style= attribute is blocked by the site's strict Content-Security-Policy
// (and reported by the browser), and nothing else belongs in content. It checks every
// heading's anchor (see anchors.go) and records which ones the author wrote.
func keepHeadingAttrs(headings []*ast.Heading, src []byte, st *state) {
	for _, h := range headings {
		if checkAnchor(h, src, st) {
			st.explicit[h] = true
		}
		attrs := slices.Clone(h.Attributes())
		h.RemoveAttributes()
		for _, a := range attrs {
			if name := string(a.Name); name == "id" || name == "class" {
				h.SetAttribute(a.Name, a.Value)
			} else {
				st.doc.Warnings = append(st.doc.Warnings, Problem{nodeOffset(h), "heading attribute " + name + "= dropped: only {#id} and {.class} are kept"})
			}
		}
	}
	checkDuplicateAnchors(headings, src, st)
}

// labelTables gives every body cell a data-label with its column's header text, so the
// theme can lay a table out as labelled cards on a narrow screen, and every aligned cell the
// class align-left, align-center or align-right.
func labelTables(tables []ast.Node, src []byte) {
	for _, n := range tables {
		var labels [][]byte
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			i := 0
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				if c, ok := cell.(*east.TableCell); ok && c.Alignment != east.AlignNone {
					cell.SetAttributeString("class", []byte("align-"+c.Alignment.String()))
				}
				if row.Kind() == east.KindTableHeader {
					labels = append(labels, []byte(PlainText(cell, src)))
				} else if i < len(labels) && len(labels[i]) > 0 {
					cell.SetAttributeString("data-label", labels[i])
				}
				i++
			}
		}
	}
}

// wrapSections groups the document's top-level blocks into nested Sections at ## and ###
// headings, moves each heading's id onto its section, numbers clauses when asked, and
// records the headings for the table of contents.
func wrapSections(doc *ast.Document, src []byte, st *state) {
	var open []*Section // open sections, outermost first
	var counts []int    // clause numbers for levels 2 and 3
	for n := doc.FirstChild(); n != nil; {
		next := n.NextSibling()
		if n.Kind() == east.KindFootnoteList {
			break // footnotes stay at the end of the page, outside every clause
		}
		h, ok := n.(*ast.Heading)
		if ok && (h.Level == 2 || h.Level == 3) {
			for len(open) > 0 && open[len(open)-1].Level >= h.Level {
				open = open[:len(open)-1]
			}
			depth := h.Level - 1 // 1 for ##, 2 for ###
			for len(counts) < depth {
				counts = append(counts, 0)
			}
			counts = counts[:depth]
			counts[depth-1]++
			sec := &Section{Level: h.Level, ID: moveID(h)}
			sec.SetLines(h.Lines()) // the section starts where its heading is written
			parent := ast.Node(doc)
			if len(open) > 0 {
				parent = open[len(open)-1]
			}
			doc.InsertBefore(doc, n, sec)
			doc.RemoveChild(doc, n)
			if parent != ast.Node(doc) {
				doc.RemoveChild(doc, sec)
				parent.AppendChild(parent, sec)
			}
			sec.AppendChild(sec, h)
			hd := Heading{Level: h.Level, ID: string(sec.ID), Text: PlainText(h, src), Offset: nodeOffset(h), Explicit: st.explicit[h]}
			if st.opt.Number {
				hd.Number = clauseNumber(counts)
				h.InsertBefore(h, h.FirstChild(), &ClauseNumber{Number: hd.Number})
			}
			st.doc.Headings = append(st.doc.Headings, hd)
			open = append(open, sec)
		} else if len(open) > 0 {
			doc.RemoveChild(doc, n)
			open[len(open)-1].AppendChild(open[len(open)-1], n)
		}
		n = next
	}
}

// moveID takes the id attribute off a heading (keeping its other attributes) and returns it.
func moveID(h *ast.Heading) []byte {
	v, ok := h.AttributeString("id")
	if !ok {
		return nil
	}
	id, _ := v.([]byte)
	attrs := h.Attributes()
	h.RemoveAttributes()
	for _, a := range attrs {
		if string(a.Name) != "id" {
			h.SetAttribute(a.Name, a.Value)
		}
	}
	return id
}
