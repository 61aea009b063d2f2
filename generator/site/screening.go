package site

import (
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"affdocs/generator/markdown"
	"affdocs/generator/screening"
	"affdocs/generator/versions/yamlfile"
	yast "github.com/goccy/go-yaml/ast"
)

// buildRules turns each rejections page into its program's screening rules (rules.json):
// the screening: block of its front matter, with every {{ value }} filled in, and each
// rule's title, fix and link from its section. The rules are checked as the browser and
// the screen command will read them (screening.RulesFrom), each problem at its place in
// the front matter; sections and rules must match one to one.
func (s *Site) buildRules(ds *diags, prefix, edition string, put func(string, []byte)) map[string][]byte {
	rulesJSON := map[string][]byte{}
	for _, p := range s.Pages {
		if p.Type != "rejections" || p.facts == nil || p.Program == "" {
			continue
		}
		node := p.fields["screening"]
		if node == nil || p.front == nil {
			ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "a rejections page needs a screening: block in its front matter (its rules; see the README)"})
			continue
		}
		c := &rulesConv{p: p, ds: ds, file: p.Source, doc: p.front, values: func(name string) (any, bool) { return s.value(p, name) }}
		if mapValue(node, "rules") == nil && mapValue(node, "severity") != nil {
			if !c.legacy(node) {
				continue
			}
			node = c.doc.Root
		}
		doc := c.node(node)
		if doc == nil {
			continue
		}
		if doc.Kind != 'm' {
			c.fail(doc, "screening: want a map of name, fields, rules and so on")
			continue
		}
		doc.Keys = append([]string{"program", "edition"}, doc.Keys...)
		doc.Items = append([]*screening.Node{c.str(doc, p.Program), c.str(doc, edition)}, doc.Items...)
		c.sections(doc, prefix+urlPath(p.Path))
		if c.failed {
			continue
		}
		if _, errs := screening.RulesFrom(doc); len(errs) > 0 {
			for _, e := range errs {
				c.fail(e.Node, "screening: "+e.Msg)
			}
			continue
		}
		data := doc.AppendJSON(nil)
		rulesJSON[p.Program] = data
		put(prefix+p.Section+"rules.json", data)
	}
	for _, p := range s.Pages {
		if p.Type == "selfcheck" && p.Program != "" && rulesJSON[p.Program] == nil && !s.hasRejections(p.Program) {
			ds.add(&Diagnostic{File: p.Source, Line: 1, Col: 1, Msg: "a self-check for program " + p.Program + " needs a rejection-reasons page (type: rejections, program: " + p.Program + ") with its rules"})
		}
	}
	return rulesJSON
}

func (s *Site) hasRejections(program string) bool {
	return slices.ContainsFunc(s.Pages, func(p *Page) bool { return p.Type == "rejections" && p.Program == program })
}

// rulesConv converts one page's screening: block into a screening.Node, remembering where
// each node came from (Node.Pos indexes at).
type rulesConv struct {
	p      *Page
	ds     *diags
	file   string                        // the file the nodes come from
	doc    *yamlfile.Doc                 // its YAML
	values func(name string) (any, bool) // what {{ name }} stands for
	at     []yast.Node
	failed bool // a problem was reported
}

//go:embed legacy/*.yaml
var legacyRules embed.FS

// legacy puts in place of an old screening: block (thresholds and severity, from before
// rules were content) the built-in translation of the rules of its time, with the block's
// thresholds as its values. The block's severities are not used: the translation follows
// the sources' emphasis, as the guide's corrections of December 2026 do.
func (c *rulesConv) legacy(node yast.Node) bool {
	line, col := c.doc.Pos(node)
	src, err := legacyRules.ReadFile("legacy/" + c.p.Program + ".yaml")
	if err != nil {
		c.ds.add(&Diagnostic{File: c.p.Source, Line: line, Col: col, Msg: "screening: this block has only thresholds and severities, the form rules had before they were written in content, and there is no built-in translation for program " + c.p.Program + "; write its rules (see the README)"})
		return false
	}
	old := map[string]any{}
	pairs, _ := yamlfile.Mapping(node)
	for _, kv := range pairs {
		if n, ok := yamlfile.Int(kv.Value); ok {
			old[kv.Key] = n
		}
	}
	doc, problems := yamlfile.Parse(src, 1)
	if len(problems) > 0 {
		panic("legacy/" + c.p.Program + ".yaml: " + problems[0].Error())
	}
	c.doc, c.file = doc, "generator/site/legacy/"+c.p.Program+".yaml"
	c.values = func(name string) (any, bool) { v, ok := old[name]; return v, ok }
	return true
}

func (c *rulesConv) fail(n *screening.Node, msg string) {
	line, col := c.doc.Pos(c.at[n.Pos])
	c.failed = true
	c.ds.add(&Diagnostic{File: c.file, Line: line, Col: col, Msg: msg})
}

// str is a string node placed where n is.
func (c *rulesConv) str(n *screening.Node, s string) *screening.Node {
	v := screening.String(s)
	v.Pos = n.Pos
	return v
}

// node converts a YAML value. A text that is exactly {{ name }} becomes the value itself
// (so a threshold can name a number); {{ name }} inside a longer text is filled in.
func (c *rulesConv) node(y yast.Node) *screening.Node {
	n := &screening.Node{Pos: len(c.at)}
	c.at = append(c.at, y)
	if pairs, ok := yamlfile.Mapping(y); ok {
		n.Kind = 'm'
		for _, kv := range pairs {
			v := c.node(kv.Value)
			if v == nil {
				return nil
			}
			n.Keys, n.Items = append(n.Keys, kv.Key), append(n.Items, v)
		}
		return n
	}
	switch v := y.(type) {
	case *yast.SequenceNode:
		n.Kind = 'l'
		for _, e := range v.Values {
			ev := c.node(e)
			if ev == nil {
				return nil
			}
			n.Items = append(n.Items, ev)
		}
	case *yast.BoolNode:
		n.Kind, n.Bool = 'b', v.Value
	case *yast.NullNode:
		n.Kind = 'n'
	case *yast.IntegerNode:
		i, ok := yamlfile.Int(v)
		if !ok {
			c.fail(n, "screening: want a whole number")
			return nil
		}
		n.Kind, n.Int = 'i', i
	default:
		text, msg := yamlfile.Text("screening", y)
		if msg != "" {
			c.fail(n, "screening: want text, a number, true/false, a list or a map here")
			return nil
		}
		return c.fill(n, text)
	}
	return n
}

// fill sets n to text with its {{ values }} filled in. A text that is one reference to a
// whole number or true/false is that value, so that it can be a threshold.
func (c *rulesConv) fill(n *screening.Node, text string) *screening.Node {
	n.Kind = 's'
	whole := strings.TrimSpace(text)
	if name, size, err := markdown.ValueRef(whole); err == nil && size > 0 && size == len(whole) {
		switch v, _ := c.values(name); v := v.(type) {
		case int:
			n.Kind, n.Int = 'i', v
			return n
		case bool:
			n.Kind, n.Bool = 'b', v
			return n
		}
	}
	str, err := expandRefs(text, func(name string) (string, error) {
		v, found := c.values(name)
		if !found {
			return "", errors.New("no value " + name + ": values are set under values: in the front matter of this page or of a section's _index.md")
		}
		return fmt.Sprint(v), nil
	})
	if ve := (*ValueError)(nil); errors.As(err, &ve) {
		c.fail(n, "screening: "+ve.Msg)
		return nil
	}
	n.Str = str
	return n
}

// sections checks that the page's sections and its rules match one to one and gives each
// rule its section's title, fix and link: rules: {ID: [checks]} becomes
// rules: {ID: {title, fix, link, checks}}.
func (c *rulesConv) sections(doc *screening.Node, page string) {
	rules := doc.Get("rules")
	if rules == nil || rules.Kind != 'm' {
		if rules == nil {
			rules = doc
		}
		c.fail(rules, "screening: rules: want a map from each section's id to its checks")
		return
	}
	reasons := c.p.facts.reasons
	for i, id := range rules.Keys {
		if !slices.ContainsFunc(reasons, func(r reason) bool { return r.ID == id }) {
			c.fail(rules.Items[i], "screening: rule "+id+" has no section: add ## Title {#"+id+"} with its explanation, How to fix and When to reapply")
		}
	}
	// Rules come in the order of the sections, each with its section's title, fix and link.
	var keys []string
	var items []*screening.Node
	for _, r := range reasons {
		checks := rules.Get(r.ID)
		switch {
		case checks == nil:
			c.ds.add(&Diagnostic{File: c.p.Source, Line: r.Line, Col: r.Col, Msg: "section #" + r.ID + " has no rule: add " + r.ID + ": under screening.rules with the checks that find it"})
			c.failed = true
		case r.Fix == "":
			c.failed = true // its section has no How to fix: said where the page is converted
		default:
			entry := &screening.Node{Kind: 'm', Pos: checks.Pos}
			entry.Set("title", c.str(checks, r.Title))
			entry.Set("fix", c.str(checks, r.Fix))
			entry.Set("link", c.str(checks, page+"#"+r.ID))
			entry.Set("checks", checks)
			keys, items = append(keys, r.ID), append(items, entry)
		}
	}
	rules.Keys, rules.Items = keys, items
}

// mapValue is the value node of key in a YAML mapping node, or nil.
func mapValue(m yast.Node, key string) yast.Node {
	pairs, _ := yamlfile.Mapping(m)
	for _, p := range pairs {
		if p.Key == key {
			return p.Value
		}
	}
	return nil
}
