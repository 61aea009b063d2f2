package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"

	"affdocs/generator/markdown"
	"affdocs/generator/screening"
	"affdocs/generator/versions/yamlfile"
	yast "github.com/goccy/go-yaml/ast"
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
	if (p.Type == "selfcheck" || p.Type == "rejections") && !slices.Contains(screening.Programs(), p.Program) {
		ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "a " + p.Type + " page needs program: one of " + strings.Join(screening.Programs(), ", ")})
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

// screeningFrontMatter is the screening: block of a rejections page.
// It is decoded through JSON so that the keys are the ones rules.json uses.
type screeningFrontMatter struct {
	screening.Thresholds
	Severity map[string]string `json:"severity"`
}

func decodeScreening(doc *yamlfile.Doc, node yast.Node) (fm screeningFrontMatter, err error) {
	var raw any
	if pr := doc.Decode(node, &raw); pr != nil {
		return fm, errors.New(pr.Msg)
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return fm, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(&fm)
	return fm, err
}

// buildRules turns each rejections page into its program's screening rules: thresholds and
// severities from front matter, titles and fixes from the sections. The code's rules and the
// content's sections must match one to one.
func (s *Site) buildRules(ds *diags, prefix, edition string, put func(string, []byte)) map[string][]byte {
	rulesJSON := map[string][]byte{}
	for _, p := range s.Pages {
		if p.Type != "rejections" || p.facts == nil || !slices.Contains(screening.Programs(), p.Program) {
			continue
		}
		node := p.fields["screening"]
		if node == nil || p.front == nil {
			ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "a rejections page needs a screening: block in its front matter (thresholds and severity)"})
			continue
		}
		fm, err := decodeScreening(p.front, node)
		if err != nil {
			line, col := p.front.Pos(node)
			ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: "screening: " + strings.TrimPrefix(err.Error(), "json: ")})
			continue
		}
		rules := screening.Rules{Program: p.Program, Edition: edition, Thresholds: fm.Thresholds}
		reasons := p.facts.reasons
		for _, r := range reasons {
			rules.Rules = append(rules.Rules, screening.Rule{ID: r.ID, Severity: fm.Severity[r.ID], Title: r.Title, Fix: r.Fix, Link: prefix + urlPath(p.Path) + "#" + r.ID})
		}
		severity := mapValue(node, "severity")
		// at is where a problem with a rule is written: its section, else its severity.
		at := func(id string) (line, col int) {
			for _, r := range reasons {
				if r.ID == id {
					return r.Line, r.Col
				}
			}
			if v := mapValue(severity, id); v != nil {
				return p.front.Pos(v)
			}
			return p.front.Pos(node)
		}
		hasSection := func(id string) bool { return slices.ContainsFunc(reasons, func(r reason) bool { return r.ID == id }) }
		known := screening.KnownRules(p.Program)
		for _, id := range slices.Sorted(maps.Keys(fm.Severity)) {
			if !hasSection(id) && !slices.Contains(known, id) {
				line, col := at(id)
				ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: "screening.severity names unknown rule " + id})
			}
		}
		for _, err := range unjoin(rules.Validate()) {
			var re *screening.RuleError
			if !errors.As(err, &re) {
				continue
			}
			line, col := at(re.Rule)
			msg := re.Msg
			switch {
			case re.Rule == "":
			case !hasSection(re.Rule):
				msg = "screening rule " + re.Rule + " has no section: add ## Title {#" + re.Rule + "} with its explanation, How to fix and When to reapply"
			default:
				msg = "section #" + re.Rule + ": " + msg
			}
			ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: msg})
		}
		data, _ := json.Marshal(rules)
		rulesJSON[p.Program] = data
		put(prefix+p.Section+"rules.json", data)
	}
	return rulesJSON
}

// mapValue is the value node of key in a YAML mapping node, or nil.
func mapValue(m yast.Node, key string) yast.Node {
	if m == nil {
		return nil
	}
	pairs, _ := yamlfile.Mapping(m)
	for _, p := range pairs {
		if p.Key == key {
			return p.Value
		}
	}
	return nil
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
