package site

import (
	"slices"
	"strings"

	"affdocs/generator/markdown"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

var requirementsHeader = []string{"Requirement", "What reviewers check", "How to pass quickly"}

// checkType enforces what each content type promises its readers, with positions: errAt
// reports at a byte offset of the body. It returns a rejections page's documented rules.
func checkType(p *Page, doc *markdown.Doc, src []byte, at func(off int, warning bool, format string, args ...any), ds *diags) (reasons []reason) {
	errAt := func(off int, format string, args ...any) { at(off, false, format, args...) }
	switch p.Type {
	case "terms":
		if p.Effective == "" {
			ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "terms need an effective date in front matter (effective: YYYY-MM-DD)"})
		}
		for _, h := range doc.Headings {
			if !h.Explicit {
				errAt(h.Offset, "clause %q needs a stable anchor: end the heading with {#%s} so links survive rewording", h.Text, h.ID)
			}
		}
	case "requirements":
		found := false
		walk(doc.AST, east.KindTable, func(n ast.Node) {
			var head []string
			for c := n.FirstChild().FirstChild(); c != nil; c = c.NextSibling() {
				head = append(head, markdown.PlainText(c, src))
			}
			found = found || slices.Equal(head, requirementsHeader)
		})
		if !found {
			errAt(0, "a requirements page needs a table with the header | %s |", strings.Join(requirementsHeader, " | "))
		}
	case "rejections":
		for n := doc.AST.FirstChild(); n != nil; n = n.NextSibling() {
			sec, ok := n.(*markdown.Section)
			if !ok || sec.Level != 2 {
				continue
			}
			h := sec.FirstChild()
			r := reason{ID: string(sec.ID), Title: markdown.PlainText(h, src), off: sec.Lines().At(0).Start}
			if hd := headingAt(doc, r.ID); hd != nil && !hd.Explicit {
				errAt(r.off, "rejection reason %q needs a stable anchor: end the heading with {#%s}", r.Title, r.ID)
			}
			terms := map[string]string{}
			walk(sec, east.KindDefinitionTerm, func(dt ast.Node) {
				if dd := dt.NextSibling(); dd != nil && dd.Kind() == east.KindDefinitionDescription {
					terms[markdown.PlainText(dt, src)] = markdown.PlainText(dd, src)
				}
			})
			for _, want := range []string{"How to fix", "When to reapply"} {
				if terms[want] == "" {
					errAt(r.off, "rejection reason %q has no %q definition (a line %q, then \": ...\")", r.Title, want, want)
				}
			}
			r.Fix = terms["How to fix"]
			reasons = append(reasons, r)
		}
	case "checklist":
		boxes := 0
		walk(doc.AST, east.KindTaskCheckBox, func(ast.Node) { boxes++ })
		if boxes == 0 {
			errAt(0, "a checklist needs task items written - [ ] item")
		}
	}
	if (p.Type == "selfcheck" || p.Type == "rejections") && p.Program == "" {
		ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "a " + p.Type + " page needs program: the program's name in lower case, such as alidropship"})
	}
	return reasons
}

func headingAt(doc *markdown.Doc, id string) *markdown.Heading {
	for i := range doc.Headings {
		if doc.Headings[i].ID == id {
			return &doc.Headings[i]
		}
	}
	return nil
}

// walk calls f on every node of kind k below n.
func walk(n ast.Node, k ast.NodeKind, f func(ast.Node)) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Kind() == k {
			f(c)
		}
		return ast.WalkContinue, nil
	})
}

// unjoin splits an errors.Join into its errors.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
