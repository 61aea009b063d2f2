package screening

// Cond is a condition on an application, written as a map:
//
//   - {field: NAME, OP: VALUE} tests one field of the schema ([Schema]):
//     empty: true|false   the field is blank, an empty list, false, or 0;
//     is: VALUE           equals VALUE (true/false for a bool); for a list, contains it;
//     in: [VALUE, ...]    is one of them; for a list, contains any of them;
//     words_below: N      a text has fewer than N words;
//     below: N, above: N  a count is below or above N;
//     older_than_days: N  a date is more than N days before the application's
//     submitted date (false when either date is missing);
//     valid_email: true|false  a non-blank address looks (or does not look) valid;
//     generic: true       a text uses only generic wording ("promote online")
//     without naming a platform, method or content type.
//   - {all: [COND, ...]}, {any: [COND, ...]}, {not: COND}: all, any, none.
//   - {channels: {where: COND, any|all|none: COND}}: over the channels
//     (those meeting where, if given), whose fields are named without
//     "channels."; all holds only when there is at least one such channel.
//   - {use: NAME}: the condition named NAME under conditions.
//
// Any condition may add label: TEXT, what it contributes to a message's
// {matched}. Without it, {matched} lists, from what held: a field's label
// (empty, words_below, below, above, older_than_days, valid_email), the
// labels of the choices found (is, in), the generic wording found
// (generic), and the channels found (channels: any or all). {count} is the
// first number measured: a count, a number of words, an age in days;
// {count NOUN} is that number with the noun, made plural when it is not 1
// ({count word}: "1 word", "12 words").
type Cond struct {
	Op     string // a leaf's op, or all, any, not, channels
	Field  string // a leaf's schema name
	Values []string
	Bool   bool
	N      int
	Kids   []*Cond // all, any, not; for channels: the test
	Where  *Cond   // channels: the filter, or nil
	Quant  string  // channels: any, all or none
	Label  string
}

var leafOps = []string{"empty", "is", "in", "words_below", "below", "above", "older_than_days", "valid_email", "generic"}

// cond parses n; scope is "channels." inside a channels condition.
func (p *parser) cond(n *Node, scope string) *Cond {
	if n.Kind != 'm' {
		p.fail(n, "condition: want a map such as {field: NAME, empty: true} or {any: [...]}, got "+kindName(n))
		return nil
	}
	c := &Cond{Label: p.str(n, "label", false)}
	var op string
	var arg *Node
	for i, k := range n.Keys {
		switch {
		case k == "label", k == "field":
		case op != "":
			p.fail(n.Items[i], "condition: a second test; write one test per condition and combine them with all or any")
			return nil
		case contains(leafOps, k), k == "all", k == "any", k == "not", k == "channels", k == "use":
			op, arg = k, n.Items[i]
		default:
			p.fail(n.Items[i], "condition: unknown key; want field with one of "+joinList(leafOps)+", or all, any, not, channels, use")
			return nil
		}
	}
	c.Op = op
	if f := n.Get("field"); f != nil || contains(leafOps, op) {
		if f == nil || f.Kind != 's' {
			p.fail(n, "condition: field: want the name of an application field")
			return nil
		}
		if op == "" || !contains(leafOps, op) {
			p.fail(n, "condition: say what to test: one of "+joinList(leafOps))
			return nil
		}
		return p.leaf(c, f, arg, scope)
	}
	switch op {
	case "":
		p.fail(n, "condition: empty; want field with a test, or all, any, not, channels, use")
		return nil
	case "all", "any":
		if arg.Kind != 'l' || len(arg.Items) == 0 {
			p.fail(arg, "want a list of conditions")
			return nil
		}
		for _, k := range arg.Items {
			c.Kids = append(c.Kids, p.cond(k, scope))
		}
	case "not":
		c.Kids = []*Cond{p.cond(arg, scope)}
	case "use":
		return p.use(arg, scope, c.Label)
	case "channels":
		if scope != "" {
			p.fail(arg, "channels: already inside a channels condition")
			return nil
		}
		if !p.keys(arg, "channels", "where", "any", "all", "none") {
			return nil
		}
		for i, k := range arg.Keys {
			if k == "where" {
				c.Where = p.cond(arg.Items[i], "channels.")
			} else if c.Quant == "" {
				c.Quant, c.Kids = k, []*Cond{p.cond(arg.Items[i], "channels.")}
			} else {
				p.fail(arg.Items[i], "channels: one of any, all or none, not two")
			}
		}
		if c.Quant == "" {
			p.fail(arg, "channels: say any, all or none")
		}
	}
	return c
}

// use returns the named condition name parsed in scope.
func (p *parser) use(n *Node, scope, label string) *Cond {
	if n.Kind != 's' || p.named.Get(n.Str) == nil {
		p.fail(n, "use: want the name of a condition under conditions")
		return nil
	}
	key := scope + n.Str
	c, seen := p.done[key]
	if !seen {
		p.done[key] = nil // parsing: a use of it now is a loop
		c = p.cond(p.named.Get(n.Str), scope)
		p.done[key] = c
	} else if c == nil {
		p.fail(n, "use: condition "+n.Str+" uses itself")
		return nil
	}
	if label != "" && c != nil {
		cp := *c
		cp.Label = label
		return &cp
	}
	return c
}

func (p *parser) leaf(c *Cond, f, arg *Node, scope string) *Cond {
	name := scope + f.Str
	kind := schemaKind(name)
	if kind == "" || kind == "channels" && scope != "" {
		p.fail(f, "field: unknown field "+quote(f.Str)+"; the application has "+joinList(schemaNames()))
		return nil
	}
	c.Field = name
	if field := p.r.field(name); field == nil && kind != "channels" {
		p.fail(f, "field: not under fields; add it with its label, so the form can ask for it")
	} else if field != nil {
		field.Read = true
	}
	if c.Op == "older_than_days" {
		p.needSubmitted(f, "older_than_days needs the field submitted (the date the applicant plans to apply) under fields")
	}
	list := scope == "" && hasPrefixAt(name, 0, "channels.")
	if list && c.Op != "empty" && c.Op != "is" && c.Op != "in" {
		p.fail(f, "a channel field read as the list of every channel's values takes only empty, is and in; test each channel with {channels: {any: {field: NAME, ...}}}")
		return nil
	}
	want := ""
	switch c.Op {
	case "empty", "valid_email", "generic":
		want = "true or false"
		if arg.Kind == 'b' {
			c.Bool = arg.Bool
			want = ""
		}
		if c.Op == "valid_email" && kind != "email" || c.Op == "generic" && kind != "longtext" && kind != "text" {
			p.fail(arg, "this test applies to a text field, not a "+kind+" field")
		}
	case "is":
		if kind == "bool" {
			want = "true or false"
			if arg.Kind == 'b' {
				c.Bool, want = arg.Bool, ""
			}
		} else if arg.Kind == 's' {
			c.Values = []string{arg.Str}
		} else {
			want = "text"
		}
	case "in":
		want = "a list of values"
		if arg.Kind == 'l' && kind != "bool" && kind != "count" && kind != "date" {
			want = ""
			for _, v := range arg.Items {
				if v.Kind != 's' {
					want = "a list of values"
				}
				c.Values = append(c.Values, v.Str)
			}
		}
	default: // words_below, below, above, older_than_days
		want = "a whole number"
		if arg.Kind == 'i' && arg.Int >= 0 {
			c.N, want = arg.Int, ""
		}
		k := "count"
		switch c.Op {
		case "words_below":
			k = "longtext"
		case "older_than_days":
			k = "date"
		}
		if k != kind && !(k == "longtext" && kind == "text") {
			p.fail(arg, "this test applies to a "+k+" field, not a "+kind+" field")
		}
	}
	if want != "" {
		p.fail(arg, "want "+want+", got "+kindName(arg))
		return nil
	}
	if field := p.r.field(name); field != nil && field.Choices != nil {
		for _, v := range c.Values {
			if field.choice(v) == nil {
				p.fail(arg, quote(v)+" is not one of the field's choices")
			}
		}
	}
	return c
}

// result is what a condition found when it held.
type result struct {
	matched []string
	fields  []string
	count   int
	counted bool
}

func (r *result) add(o *result) {
	for _, m := range o.matched {
		if !contains(r.matched, m) {
			r.matched = append(r.matched, m)
		}
	}
	for _, f := range o.fields {
		if !contains(r.fields, f) {
			r.fields = append(r.fields, f)
		}
	}
	if !r.counted && o.counted {
		r.count, r.counted = o.count, true
	}
}

// eval reports whether c holds for a (and channel ch, inside channels),
// adding what it found to res.
func (e *evaluator) eval(c *Cond, ch *Channel, res *result) bool {
	var own result
	ok := false
	switch c.Op {
	case "all", "any":
		ok = c.Op == "all"
		for _, k := range c.Kids {
			var sub result
			if e.eval(k, ch, &sub) {
				own.add(&sub)
				if c.Op == "any" {
					ok = true
				}
			} else if c.Op == "all" {
				ok = false
				break
			}
		}
	case "not":
		var sub result
		ok = !e.eval(c.Kids[0], ch, &sub)
	case "channels":
		n := 0
		ok = c.Quant != "any"
		for i := range e.a.Channels {
			chi := &e.a.Channels[i]
			if c.Where != nil && !e.eval(c.Where, chi, &result{}) {
				continue
			}
			n++
			var sub result
			hit := e.eval(c.Kids[0], chi, &sub)
			switch {
			case hit && c.Quant == "none":
				ok = false
			case !hit && c.Quant == "all":
				ok = false
			case hit:
				if c.Quant == "any" {
					ok = true
				}
				sub.matched = []string{e.channelName(i)}
				own.add(&sub)
			}
		}
		if c.Quant == "all" && n == 0 {
			ok = false
		}
		if c.Quant == "none" {
			own.fields = []string{"channels"}
		}
	default:
		ok = e.leaf(c, ch, &own)
	}
	if ok {
		if c.Label != "" {
			own.matched = []string{c.Label}
		}
		res.add(&own)
	}
	return ok
}

func (e *evaluator) leaf(c *Cond, ch *Channel, res *result) bool {
	v := get(e.a, ch, c.Field)
	f := e.r.field(c.Field)
	label := c.Field
	if f != nil {
		label = f.Label
	}
	res.fields = []string{c.Field}
	res.matched = []string{label}
	switch c.Op {
	case "empty":
		return (blank(v.s) && !hasNonBlank(v.list) && !v.b && v.n == 0) == c.Bool
	case "is", "in":
		if schemaKind(c.Field) == "bool" {
			return v.b == c.Bool
		}
		var found []string
		for _, want := range c.Values {
			if v.s == want || contains(v.list, want) {
				if ch := f.choice(want); ch != nil {
					want = ch.Label
				}
				found = append(found, want)
			}
		}
		res.matched = found
		return found != nil
	case "words_below":
		res.count, res.counted = countWords(v.s), true
		return res.count < c.N
	case "below", "above":
		res.count, res.counted = v.n, true
		return c.Op == "below" && v.n < c.N || c.Op == "above" && v.n > c.N
	case "older_than_days":
		day, ok1 := parseDate(v.s)
		sub, ok2 := parseDate(e.a.Submitted)
		res.count, res.counted = sub-day, true
		return ok1 && ok2 && sub-day > c.N
	case "valid_email":
		return !blank(v.s) && validEmail(v.s) == c.Bool
	case "generic":
		g := genericWording(v.s)
		res.matched = []string{g}
		return (g != "") == c.Bool
	}
	return false
}

func hasNonBlank(list []string) bool {
	for _, s := range list {
		if !blank(s) {
			return true
		}
	}
	return false
}
