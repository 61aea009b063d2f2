package markdown

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Link positions come from the parse, never from searching the text for the destination:
//
//   - An inline link or image, [text](dest) or ![alt](dest), is at its destination. Goldmark
//     keeps no segment for it, but the Destination it stores is a slice of the source, so its
//     offset is exact; where goldmark had to copy the line (a tab partly used as
//     indentation), the destination is looked for after the link's text, which the parser
//     does position.
//   - A reference-style link, [text][ref], [ref][] or [ref], is at the destination of its
//     definition ([ref]: dest): that is the text to fix when it is broken, and one fix
//     mends every use. So a definition used three times is one Link, not three.
//   - An autolink, <https://...> or a bare https://... (GFM), goes through Resolve too, at its
//     text, which is its destination. Bare www.example.com and e-mail addresses are not
//     passed: they are external by construction, and Resolve would read them as paths.
//
// Every other occurrence is its own Link at its own offset, so a page that links to a
// missing page twice gets two errors.

// rewriteLinks passes every link, image and autolink destination (links, in document
// order) through the resolver and records the internal ones with their positions.
func rewriteLinks(links []ast.Node, src []byte, st *state) {
	if st.opt.Resolve == nil {
		return
	}
	seen := map[int]bool{}    // definitions already reported, by offset
	var replace [][2]ast.Node // autolinks to replace with links, after the loop
	for _, n := range links {
		var dest *[]byte
		var ref *ast.ReferenceLink
		switch t := n.(type) {
		case *ast.Link:
			dest, ref = &t.Destination, t.Reference
		case *ast.Image:
			dest, ref = &t.Destination, t.Reference
		case *ast.AutoLink:
			if l := rewriteAutoLink(t, src, st); l != nil {
				replace = append(replace, [2]ast.Node{t, l})
			}
			continue
		}
		written := string(*dest)
		off := destOffset(n, src, *dest)
		out, link := st.opt.Resolve(written)
		*dest = []byte(out)
		if link != nil && !(ref != nil && seen[off]) {
			if ref != nil {
				seen[off] = true
			}
			link.Dest, link.Offset = written, off
			st.doc.Links = append(st.doc.Links, link)
		}
	}
	for _, r := range replace {
		if p := r[0].Parent(); p != nil {
			p.ReplaceChild(p, r[0], r[1])
		}
	}
	// In source order: a reference link is at its definition, which may come after
	// later links.
	slices.SortStableFunc(st.doc.Links, func(a, b *Link) int { return cmp.Compare(a.Offset, b.Offset) })
}

// rewriteAutoLink resolves an autolink written with its scheme. When the resolver changes its
// destination, it returns a plain link to the new one with the same text, to replace it.
func rewriteAutoLink(a *ast.AutoLink, src []byte, st *state) ast.Node {
	if a.AutoLinkType != ast.AutoLinkURL || a.Protocol != nil {
		return nil // an e-mail address or a www. link: external, and not written as a URL
	}
	label := a.Label(src)
	off := subOffset(src, label)
	if off < 0 {
		return nil
	}
	written := string(label)
	out, link := st.opt.Resolve(written)
	if link != nil {
		link.Dest, link.Offset = written, off
		st.doc.Links = append(st.doc.Links, link)
	}
	if out == written {
		return nil
	}
	l := ast.NewLink()
	l.Destination = []byte(out)
	l.AppendChild(l, ast.NewTextSegment(text.NewSegment(off, off+len(label))))
	return l
}

// destOffset is where the destination of a link or image is written: see the comment above.
func destOffset(n ast.Node, src, dest []byte) int {
	if off := subOffset(src, dest); off >= 0 {
		return off
	}
	start := n.Pos()
	if start < 0 || start > len(src) {
		start = nodeOffset(n)
	}
	from := max(start, contentEnd(n, src))
	if len(dest) == 0 { // [text](): just after the "("
		if i := bytes.Index(src[from:], []byte("](")); i >= 0 {
			return from + i + 2
		}
		return start
	}
	if i := bytes.Index(src[from:], dest); i >= 0 {
		return from + i
	}
	return start
}

// contentEnd is the offset just after the last source text of a link's or image's content,
// so that the "](" closing the content comes after it.
func contentEnd(n ast.Node, src []byte) int {
	end := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			end = max(end, t.Segment.Stop)
		case *ast.RawHTML:
			if k := t.Segments.Len(); k > 0 {
				end = max(end, t.Segments.At(k-1).Stop)
			}
		case *ast.AutoLink:
			label := t.Label(src)
			if off := subOffset(src, label); off >= 0 {
				end = max(end, off+len(label))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link, *ast.Image:
			if c != n { // a nested link or image ends after its own destination
				var d []byte
				if l, ok := t.(*ast.Link); ok {
					d = l.Destination
				} else {
					d = t.(*ast.Image).Destination
				}
				end = max(end, destOffset(c, src, d)+len(d))
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	return end
}

// subOffset is the offset of b in src when b is a slice of src's own bytes (as the parser
// keeps destinations and labels), else -1. Comparing the addresses makes it exact: equal
// text elsewhere in the page never matches.
func subOffset(src, b []byte) int {
	if len(b) == 0 || len(src) == 0 {
		return -1
	}
	off := cap(src) - cap(b)
	if off < 0 || off+len(b) > len(src) || &src[off] != &b[0] {
		return -1
	}
	return off
}
