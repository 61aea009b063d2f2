package screening

// Node is one value of a rules document, as read from JSON (rules.json) or
// built by the site from a page's YAML front matter: the same tree either
// way, so one parser ([RulesFrom]) checks both.
type Node struct {
	Kind  byte     // 'n' null, 'b' true/false, 'i' whole number, 's' string, 'l' list, 'm' map
	Str   string   // a string
	Int   int      // a whole number
	Bool  bool     // true/false
	Items []*Node  // a list's elements, or a map's values
	Keys  []string // a map's keys, in order, one per Items element
	Pos   int      // where the value is: a byte offset in JSON, or whatever the builder chose
}

// Get returns the value of key in a map, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != 'm' {
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Items[i]
		}
	}
	return nil
}

// Set replaces the value of key in a map, or adds it at the end.
func (n *Node) Set(key string, v *Node) {
	for i, k := range n.Keys {
		if k == key {
			n.Items[i] = v
			return
		}
	}
	n.Keys = append(n.Keys, key)
	n.Items = append(n.Items, v)
}

// String is a string node.
func String(s string) *Node { return &Node{Kind: 's', Str: s} }

// AppendJSON appends n as JSON, map keys in their order.
func (n *Node) AppendJSON(b []byte) []byte {
	switch n.Kind {
	case 'b':
		if n.Bool {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case 'i':
		return append(b, itoa(n.Int)...)
	case 's':
		return appendString(b, n.Str)
	case 'l', 'm':
		open, end := byte('['), byte(']')
		if n.Kind == 'm' {
			open, end = '{', '}'
		}
		b = append(b, open)
		for i, v := range n.Items {
			if i > 0 {
				b = append(b, ',')
			}
			if n.Kind == 'm' {
				b = append(appendString(b, n.Keys[i]), ':')
			}
			b = v.AppendJSON(b)
		}
		return append(b, end)
	}
	return append(b, "null"...)
}

// node reads any JSON value as a Node whose Pos is its byte offset.
// Numbers must be whole numbers from -1e9 to 1e9: rules need nothing else.
func (d *decoder) node() (*Node, *DecodeError) {
	n := &Node{Pos: d.pos}
	var err *DecodeError
	switch c := d.peek(); {
	case c == '{':
		n.Kind = 'm'
		err = d.object(func(key string) *DecodeError {
			v, err := d.node()
			n.Keys, n.Items = append(n.Keys, key), append(n.Items, v)
			return err
		})
	case c == '[':
		n.Kind = 'l'
		err = d.array(func(int) *DecodeError {
			v, err := d.node()
			n.Items = append(n.Items, v)
			return err
		})
	case c == '"':
		n.Kind = 's'
		n.Str, err = d.str()
	case c == 't', c == 'f':
		n.Kind, n.Bool = 'b', c == 't'
		word := "false"
		if n.Bool {
			word = "true"
		}
		err = d.literal(word)
	case c == 'n':
		n.Kind = 'n'
		err = d.literal("null")
	case c == '-' || isDigit(c):
		var lit []byte
		lit, err = d.number()
		neg := len(lit) > 0 && lit[0] == '-'
		if neg {
			lit = lit[1:]
		}
		n.Kind, n.Int = 'i', digits(string(lit))
		if err == nil && (n.Int < 0 || len(lit) > 10 || n.Int > 1e9) {
			err = errAt(n.Pos, "want a whole number from -1000000000 to 1000000000")
		}
		if neg {
			n.Int = -n.Int
		}
	default:
		err = d.unexpected("a value")
	}
	return n, err
}
