package site

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"affdocs/generator/markdown"
	"affdocs/generator/store"
	"affdocs/generator/versions/yamlfile"
	"github.com/goccy/go-yaml/ast"
)

// Values: a fact typed once. Any page's front matter may hold a values: block of names
// (nested maps allowed) whose leaves are text, numbers or true/false:
//
//	values:
//	  reply_days_min: 3
//	  reply_days_max: 4
//
// and prose inserts one with {{ reply_days_max }} (the syntax is the markdown package's:
// values.go there). A page sees its own values, then those of each section's _index.md
// above it, nearest first, up to the home page's. A name whose first part names a
// top-level section of the same tree reaches that section's _index.md values too:
// {{ alidropship.reply_days_max }} from the home page. Editions are trees of their own,
// so each resolves within itself. A reference to a value that does not exist is an error
// at the reference, naming where it was looked for.
//
// What a page can see is part of its conversion's key (valuesFP), so editing a value
// converts again every page that may show it.

// valueMap is a values: block: each name holds a *valueLeaf or a nested valueMap.
type valueMap map[string]any

// valueLeaf is one value.
type valueLeaf struct {
	v    any    // int, float64, string or bool, as decoded from YAML
	text string // what prose shows: a number or true/false as written in the YAML
}

// ValueError is a {{ name }} that names no value, or that is not a name, at a byte offset
// of the text it was found in. Its Error is the message without a position: the caller
// places it.
type ValueError struct {
	Name   string // as written between the braces
	Offset int
	Msg    string
}

func (e *ValueError) Error() string { return e.Msg }

// value is the value name resolves to as page p sees it: an int, float64, string or bool.
// ok is false when there is no such value (or name is a group of values).
func (s *Site) value(p *Page, name string) (v any, ok bool) {
	l, err := s.lookup(p, name)
	if err != nil {
		return nil, false
	}
	return l.v, true
}

// expandValues fills in every {{ name }} of a plain string (a front matter field, say) as
// page p sees it; \{{ writes the braces themselves. The error joins a *ValueError for each
// reference that names no value.
func (s *Site) expandValues(p *Page, text string) (string, error) {
	return expandRefs(text, func(name string) (string, error) { return s.valueText(p, name) })
}

// expandRefs fills in every {{ name }} of text with what value gives for it; \{{ writes the
// braces themselves. The error joins a *ValueError for each reference that is not a name or
// for which value fails.
func expandRefs(text string, value func(name string) (string, error)) (string, error) {
	var b strings.Builder
	var errs []error
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "{{")
		if j < 0 {
			b.WriteString(text[i:])
			break
		}
		j += i
		if j > 0 && text[j-1] == '\\' {
			b.WriteString(text[i : j-1])
			b.WriteString("{{")
			i = j + 2
			continue
		}
		b.WriteString(text[i:j])
		name, size, err := markdown.ValueRef(text[j:])
		if size == 0 {
			b.WriteString("{{")
			i = j + 2
			continue
		}
		shown := text[j : j+size]
		if err == nil {
			shown, err = value(name)
		}
		if err != nil {
			errs = append(errs, &ValueError{Name: strings.TrimSpace(text[j+2 : j+size-2]), Offset: j, Msg: err.Error()})
		}
		b.WriteString(shown)
		i = j + size
	}
	return b.String(), errors.Join(errs...)
}

// valueText is the text {{ name }} inserts on page p: the one resolver of prose and of
// plain strings.
func (s *Site) valueText(p *Page, name string) (string, error) {
	l, err := s.lookup(p, name)
	if err != nil {
		return "", err
	}
	return l.text, nil
}

// lookup finds a value as page p sees it: in p's own values, then each section's above it,
// nearest first, then, when the name's first part names a top-level section, in that
// section's.
func (s *Site) lookup(p *Page, name string) (*valueLeaf, error) {
	parts := strings.Split(name, ".")
	var looked []string // where the name was looked for, for the message
	for q := p; q != nil; q = q.Parent {
		if q.Source == "" {
			continue
		}
		if v, ok := q.values.find(parts); ok {
			return s.leaf(p, q, name, v)
		}
		looked = append(looked, s.valuesPlace(p, q))
	}
	msg := fmt.Sprintf("no value %q in %s", name, orList(looked))
	if sec := s.topSection(parts[0]); sec != nil && len(parts) > 1 {
		rest := strings.Join(parts[1:], ".")
		if v, ok := sec.values.find(parts[1:]); ok {
			return s.leaf(p, sec, rest, v)
		}
		msg += fmt.Sprintf(", nor %q in %s", rest, s.valuesPlace(p, sec))
	}
	if alt := s.suggestValue(p, name); alt != "" {
		msg += "; did you mean " + alt + "?"
	}
	return nil, errors.New(msg)
}

// leaf is v, found under name in q's values, when it is one value.
func (s *Site) leaf(p, q *Page, name string, v any) (*valueLeaf, error) {
	if l, ok := v.(*valueLeaf); ok {
		return l, nil
	}
	example := name + ".name"
	if names := v.(valueMap).names(name + "."); len(names) > 0 {
		example = names[0]
	}
	return nil, fmt.Errorf("%q in %s is a group of values, not one value: name one of them, such as %s", name, s.valuesPlace(p, q), example)
}

// topSection is the page of the top-level section called name, if it has an _index.md.
func (s *Site) topSection(name string) *Page {
	sec := s.byPath[name+"/"]
	if sec == nil || !sec.IsSection || sec.Source == "" {
		return nil
	}
	return sec
}

// valuesPlace names q's values block in a message about page p: "this page's values" or
// the file, relative to the tree's folder.
func (s *Site) valuesPlace(p, q *Page) string {
	if p == q {
		return "this page's values"
	}
	return strings.TrimPrefix(q.Source, s.ContentDir+"/")
}

// suggestValue is the name page p can reach that is most like name, if one is close: the
// same name in a top-level section, or one a typo away.
func (s *Site) suggestValue(p *Page, name string) string {
	var names []string
	for q := p; q != nil; q = q.Parent {
		names = append(names, q.values.names("")...)
	}
	for _, sec := range s.Home.Pages {
		if sec.IsSection {
			names = append(names, sec.values.names(strings.TrimSuffix(sec.Path, "/")+".")...)
		}
	}
	best, bestDist := "", len(name)/3+1 // a typo: about one edit in three letters
	for _, n := range names {
		d := editDistance(n, name)
		if strings.HasSuffix(n, "."+name) {
			d = 0 // the name is a section's
		}
		if d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// find is the value or group under the name's parts.
func (m valueMap) find(parts []string) (any, bool) {
	var v any = m
	for _, part := range parts {
		g, ok := v.(valueMap)
		if !ok {
			return nil, false
		}
		if v, ok = g[part]; !ok {
			return nil, false
		}
	}
	return v, true
}

// names are the full names of every value of m, sorted, each after prefix.
func (m valueMap) names(prefix string) []string {
	var out []string
	for k, v := range m {
		if g, ok := v.(valueMap); ok {
			out = append(out, g.names(prefix+k+".")...)
		} else {
			out = append(out, prefix+k)
		}
	}
	slices.Sort(out)
	return out
}

// hash adds m to a key, in name order, so that how the YAML is laid out does not matter.
func (m valueMap) hash(k *store.Enc) {
	keys := make([]string, 0, len(m))
	for name := range m {
		keys = append(keys, name)
	}
	slices.Sort(keys)
	k.Int(len(keys))
	for _, name := range keys {
		k.Str(name)
		switch v := m[name].(type) {
		case valueMap:
			k.Bool(true)
			v.hash(k)
		case *valueLeaf:
			k.Bool(false).Str(fmt.Sprintf("%T", v.v)).Str(v.text)
		}
	}
}

// parseValues decodes the page's values: block, reporting each problem at its place.
func (p *Page) parseValues(ds *diags) {
	node, ok := p.fields["values"]
	if !ok {
		return
	}
	at := func(n ast.Node, format string, args ...any) {
		line, col := p.front.Pos(n)
		ds.add(&Diagnostic{File: p.Source, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	}
	if _, ok := yamlfile.Mapping(node); !ok {
		at(node, "values must be lines of name: value, indented under values: (reply_days_max: 4)")
		return
	}
	p.values = decodeValues(node, "values", at)
}

func decodeValues(node ast.Node, path string, at func(ast.Node, string, ...any)) valueMap {
	pairs, _ := yamlfile.Mapping(node)
	m := valueMap{}
	for _, kv := range pairs {
		name := path + "." + kv.Key
		if !markdown.ValidValueName(kv.Key) || strings.Contains(kv.Key, ".") {
			at(kv.KeyAt, "the value name %q may have only letters, digits, _ and - (reply_days_max), so that {{ name }} can name it", kv.Key)
			continue
		}
		if _, ok := yamlfile.Mapping(kv.Value); ok {
			m[kv.Key] = decodeValues(kv.Value, name, at)
			continue
		}
		v := kv.Value
		for { // look through an anchor (&name value) or a tag (!!str value)
			if a, ok := v.(*ast.AnchorNode); ok {
				v = a.Value
			} else if t, ok := v.(*ast.TagNode); ok && t.Start != nil && t.Start.Value != "!!str" && t.Start.Value != "!" {
				v = t.Value
			} else {
				break
			}
		}
		switch n := v.(type) {
		case *ast.IntegerNode:
			if i, ok := yamlfile.Int(n); ok {
				m[kv.Key] = &valueLeaf{i, n.GetToken().Value}
			} else {
				at(v, "%s is too large a whole number", name)
			}
		case *ast.FloatNode:
			m[kv.Key] = &valueLeaf{n.Value, n.GetToken().Value}
		case *ast.BoolNode:
			m[kv.Key] = &valueLeaf{n.Value, n.GetToken().Value}
		case *ast.NullNode:
			at(v, "%s is empty: write its value after %s: (or remove the line)", name, kv.Key)
		case *ast.SequenceNode:
			at(v, "%s is a list: a value is one text, number or true/false (or a group of values, indented under it)", name)
		default:
			text, msg := yamlfile.Text(name, kv.Value)
			if msg != "" {
				at(v, "%s", msg)
				continue
			}
			m[kv.Key] = &valueLeaf{text, text}
		}
	}
	return m
}

// loadValues gives each page of the tree its values (parsed again from its front matter's
// text when the front matter came from the store) and the key of the values it can see.
func (s *Site) loadValues() {
	for _, p := range s.Pages {
		if p.values == nil && p.Source != "" && bytes.Contains(p.src, []byte("values")) {
			q := &Page{Source: p.Source, src: p.src}
			q.parseFrontMatter(&diags{})
			p.values = q.values
		}
	}
	own := map[*Page]store.Key{} // each values block's hash
	for _, p := range s.Pages {
		if p.values != nil {
			k := store.NewKey("values").Str(p.Path)
			p.values.hash(k)
			own[p] = k.Sum()
		}
	}
	top := store.NewKey("top values")
	for _, sec := range s.Home.Pages {
		if h, ok := own[sec]; ok && sec.IsSection {
			top.Key(h)
		}
	}
	topFP := top.Sum()
	for _, p := range s.Pages {
		k := store.NewKey("seen values").Key(topFP)
		for q := p.Parent; q != nil; q = q.Parent {
			if h, ok := own[q]; ok {
				k.Key(h)
			}
		}
		p.valuesFP = k.Sum()
	}
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// editDistance is the number of letters to add, remove or change to turn a into b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
