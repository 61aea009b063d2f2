package screening

// Rules is one program's screening rules for one edition, as the content's
// rejection-reasons page writes them and public/<program>/rules.json
// publishes them; [RulesFrom] reads and checks them.
type Rules struct {
	Program   string            // the program's folder name: "alidropship"
	Edition   string            // edition id, "" for the working draft
	Name      string            // the program's name, as messages and the form show it
	ReplyDays [2]int            // business days from submission to the expected reply (from, to); zero when not given
	Verdicts  map[string]string // what the self-check says for each verdict
	Fields    []Field           // the application fields the form asks for, in form order
	Rules     []Rule            // in the order of the page's sections
}

// Field is one application field as the form asks for it. Name is a name
// of the application schema (see [Schema]); Label, Help and Choices come
// from the content.
type Field struct {
	Name    string
	Kind    string // the schema's kind of the field
	Label   string
	Help    string
	Default string   // the form's initial value: a choice, "true" for a box ticked, or text
	Choices []Choice // for the kinds "choice" and "choices": the values the program accepts, in order
	Read    bool     // a rule (or the reply window) reads the field: the form shows only those
}

// Choice is one accepted value of a field and what the form calls it.
type Choice struct{ Value, Label string }

// Rule is one rejection reason: its section of the page (ID is the
// section's anchor, Title its heading, Fix its "How to fix", Link the
// site-root-relative address of the section) and the checks that find it.
type Rule struct {
	ID, Title, Fix, Link string
	Checks               []Check
}

// Check is one way an application can meet a rule: a condition, what to
// say when it holds, and what that rests on.
type Check struct {
	When     *Cond
	Say      string // the message; {matched}, {count} and {count NOUN} are filled in
	Basis    string // BasisProgram or BasisGuide
	Cite     string // the program's words, quoted, or this guide's rule of thumb, said to be one
	Severity string // SeverityReject or SeverityFix
	Else     bool   // checked only when the check before it did not hold (and its own else-chain)
}

// Severities of a [Check].
const (
	SeverityReject = "reject"
	SeverityFix    = "fix"
)

// Bases of a [Check] and a [Finding]: what it rests on.
const (
	// BasisProgram: the program's own published words, quoted in Cite.
	BasisProgram = "program"
	// BasisGuide: this guide's rule of thumb or check; Cite says so. It is
	// not a published rule of the program, so it never makes a finding
	// "reject".
	BasisGuide = "guide"
)

// Verdicts of a [Result].
const (
	VerdictReady          = "ready"
	VerdictNeedsWork      = "needs-work"
	VerdictLikelyRejected = "likely-rejected"
)

// RuleError is one problem in a rules document, at the node it concerns.
type RuleError struct {
	Node *Node
	Msg  string
}

func (e *RuleError) Error() string { return e.Msg }

// ParseRules reads a program's rules.json and checks it as [RulesFrom]
// does. The error is a [*DecodeError] at the first problem.
func ParseRules(data []byte) (Rules, error) {
	d := decoder{data: data}
	n, err := topLevel(&d, (*decoder).node)
	if err != nil {
		return Rules{}, err
	}
	r, errs := RulesFrom(n)
	if len(errs) > 0 {
		p := positioner{data: data, line: 1}
		return Rules{}, p.locate(errAt(errs[0].Node.Pos, errs[0].Msg))
	}
	return r, nil
}

// RulesFrom reads and checks a rules document:
//
//	program: alidropship          # set by the build
//	edition: "2026-12"            # set by the build
//	name: AliDropship
//	reply_days: [3, 4]            # optional
//	verdicts: {ready: ..., needs-work: ..., likely-rejected: ...}
//	fields:                       # the form, in order
//	  email: {label: Email, help: ...}
//	  channels.kind: {label: Kind of channel, choices: {website: Website, ...}}
//	conditions:                   # named conditions, used as {use: NAME}
//	  visible: {all: [...]}
//	rules:
//	  RULE-ID: {title: ..., fix: ..., link: ..., checks: [CHECK, ...]}
//
// A CHECK is {when: COND, say: TEXT, basis: program|guide, cite: TEXT,
// severity: reject|fix, else: true|false}; see [Cond] for conditions. It
// returns every problem found, each at its node; the Rules are usable only
// when there is none.
func RulesFrom(n *Node) (Rules, []*RuleError) {
	p := &parser{named: n.Get("conditions"), done: map[string]*Cond{}}
	r := Rules{Verdicts: map[string]string{}}
	if !p.keys(n, "a rules map", "program", "edition", "name", "reply_days", "verdicts", "fields", "conditions", "rules") {
		return r, p.errs
	}
	r.Program = p.str(n, "program", true)
	r.Edition = p.str(n, "edition", false)
	r.Name = p.str(n, "name", true)
	if days := n.Get("reply_days"); days != nil {
		if days.Kind != 'l' || len(days.Items) != 2 || days.Items[0].Kind != 'i' || days.Items[1].Kind != 'i' ||
			days.Items[0].Int < 0 || days.Items[0].Int > days.Items[1].Int {
			p.fail(days, "reply_days: want [FROM, TO], two whole numbers of business days with 0 <= FROM <= TO")
		} else {
			r.ReplyDays = [2]int{days.Items[0].Int, days.Items[1].Int}
		}
	}
	if v := p.need(n, "verdicts", 'm', "a map"); v != nil && p.keys(v, "verdicts", VerdictReady, VerdictNeedsWork, VerdictLikelyRejected) {
		for _, k := range []string{VerdictReady, VerdictNeedsWork, VerdictLikelyRejected} {
			r.Verdicts[k] = p.str(v, k, true)
		}
	}
	p.fields(&r, p.need(n, "fields", 'm', "a map of field names"))
	p.r = &r
	if rules := p.need(n, "rules", 'm', "a map of rule ids"); rules != nil {
		for i, id := range rules.Keys {
			r.Rules = append(r.Rules, p.rule(id, rules.Items[i]))
		}
	}
	if r.ReplyDays[1] > 0 { // the reply window is counted from it
		p.needSubmitted(n.Get("reply_days"), "reply_days needs the field submitted (the date the applicant plans to apply) in fields")
	}
	return r, p.errs
}

// field returns the program's field called name, or nil.
func (r *Rules) field(name string) *Field {
	for i := range r.Fields {
		if r.Fields[i].Name == name {
			return &r.Fields[i]
		}
	}
	return nil
}

// parser collects the problems of one rules document.
type parser struct {
	errs  []*RuleError
	r     *Rules
	named *Node            // the conditions map
	done  map[string]*Cond // named conditions parsed, by scope + name; nil while parsing
}

func (p *parser) fail(n *Node, msg string) { p.errs = append(p.errs, &RuleError{Node: n, Msg: msg}) }

// needSubmitted marks the field submitted as read, or reports msg at n when the program has
// no such field.
func (p *parser) needSubmitted(n *Node, msg string) {
	if f := p.r.field("submitted"); f != nil {
		f.Read = true
	} else {
		p.fail(n, msg)
	}
}

// keys checks that n is a map whose keys are all among allowed.
func (p *parser) keys(n *Node, what string, allowed ...string) bool {
	if n.Kind != 'm' {
		p.fail(n, what+": want a map, got "+kindName(n))
		return false
	}
	ok := true
	for i, k := range n.Keys {
		if !contains(allowed, k) {
			p.fail(n.Items[i], what+": unknown key "+quote(k)+"; want one of "+joinList(allowed))
			ok = false
		}
	}
	return ok
}

// need returns n's member key if it is of kind, else reports it and returns nil.
func (p *parser) need(n *Node, key string, kind byte, want string) *Node {
	v := n.Get(key)
	switch {
	case v == nil:
		p.fail(n, key+": missing; want "+want)
	case v.Kind != kind:
		p.fail(v, key+": want "+want+", got "+kindName(v))
	default:
		return v
	}
	return nil
}

// str returns n's string member key; it must not be blank if required.
func (p *parser) str(n *Node, key string, required bool) string {
	v := n.Get(key)
	switch {
	case v == nil && !required:
		return ""
	case v == nil:
		p.fail(n, key+": missing")
	case v.Kind != 's':
		p.fail(v, key+": want text, got "+kindName(v))
	case required && blank(v.Str):
		p.fail(v, key+": empty")
	default:
		return v.Str
	}
	return ""
}

func kindName(n *Node) string {
	switch n.Kind {
	case 'b':
		return "true/false"
	case 'i':
		return "a number"
	case 's':
		return "text " + quote(n.Str)
	case 'l':
		return "a list"
	case 'm':
		return "a map"
	}
	return "nothing"
}

func (p *parser) fields(r *Rules, n *Node) {
	if n == nil {
		return
	}
	for i, name := range n.Keys {
		v := n.Items[i]
		kind := schemaKind(name)
		if kind == "" {
			p.fail(v, "unknown field "+quote(name)+"; the application has "+joinList(schemaNames()))
			continue
		}
		f := Field{Name: name, Kind: kind}
		if p.keys(v, "field", "label", "help", "default", "choices") {
			f.Label = p.str(v, "label", true)
			f.Help = p.str(v, "help", false)
			f.Default = p.str(v, "default", false)
			if c := v.Get("choices"); c != nil {
				if kind != "choice" && kind != "choices" {
					p.fail(c, "choices: this field is not a choice")
				} else if c.Kind != 'm' || len(c.Keys) == 0 {
					p.fail(c, "choices: want a map of value: label")
				} else {
					for _, val := range c.Keys {
						f.Choices = append(f.Choices, Choice{val, p.str(c, val, true)})
					}
				}
			} else if kind == "choice" || kind == "choices" {
				p.fail(v, "choices: missing; list the values the program accepts, each with its label")
			}
			if f.Default != "" && f.Choices != nil && f.choice(f.Default) == nil {
				p.fail(v.Get("default"), "default: not one of the field's choices")
			}
		}
		r.Fields = append(r.Fields, f)
	}
}

// choice returns f's choice with value v, or nil (also when f is nil).
func (f *Field) choice(v string) *Choice {
	if f == nil {
		return nil
	}
	for i := range f.Choices {
		if f.Choices[i].Value == v {
			return &f.Choices[i]
		}
	}
	return nil
}

func (p *parser) rule(id string, n *Node) Rule {
	rule := Rule{ID: id}
	if !p.keys(n, "rule", "title", "fix", "link", "checks") {
		return rule
	}
	rule.Title, rule.Fix, rule.Link = p.str(n, "title", true), p.str(n, "fix", true), p.str(n, "link", true)
	checks := p.need(n, "checks", 'l', "a list of checks")
	if checks == nil {
		return rule
	}
	if len(checks.Items) == 0 {
		p.fail(checks, "no checks; write at least one")
	}
	for i, c := range checks.Items {
		if !p.keys(c, "check", "when", "say", "basis", "cite", "severity", "else") {
			continue
		}
		ch := Check{Say: p.str(c, "say", true), Basis: p.str(c, "basis", true), Cite: p.str(c, "cite", true), Severity: SeverityFix}
		if w := c.Get("when"); w == nil {
			p.fail(c, "when: missing; say which applications the check finds")
		} else {
			ch.When = p.cond(w, "")
		}
		if s := c.Get("severity"); s != nil {
			ch.Severity = p.str(c, "severity", true)
			if ch.Severity != SeverityReject && ch.Severity != SeverityFix {
				p.fail(s, "severity: want reject or fix")
			}
		}
		if e := c.Get("else"); e != nil {
			if e.Kind != 'b' || i == 0 {
				p.fail(e, "else: want true or false, after another check")
			}
			ch.Else = e.Bool
		}
		switch ch.Basis {
		case BasisProgram:
		case BasisGuide:
			if ch.Severity == SeverityReject {
				p.fail(c.Get("severity"), "a check resting on this guide's own rule of thumb (basis: guide) cannot make an application likely rejected; use severity: fix")
			}
			if !hasSubstring(lower(ch.Cite), "this guide") {
				p.fail(c.Get("cite"), "cite: a check with basis: guide must say it is this guide's rule of thumb (write \"This guide's rule of thumb: ...\")")
			}
		case "":
		default:
			p.fail(c.Get("basis"), "basis: want program (the program's own words, quoted in cite) or guide (this guide's rule of thumb)")
		}
		for _, s := range placeholders(ch.Say) {
			if s != "matched" && s != "count" && !hasPrefixAt(s, 0, "count ") {
				p.fail(c.Get("say"), "say: unknown placeholder; the message can use {matched}, {count} and {count NOUN} (\"1 word\", \"2 words\")")
			}
		}
		rule.Checks = append(rule.Checks, ch)
	}
	return rule
}

// placeholders returns the NAME of each {NAME} in s.
func placeholders(s string) []string {
	var names []string
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != '}' && s[j] != '{' {
			j++
		}
		if j < len(s) && s[j] == '}' {
			names = append(names, s[i+1:j])
			i = j
		}
	}
	return names
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
