package screening

// Result is the outcome of screening one application.
type Result struct {
	Program     string    `json:"program"`
	Edition     string    `json:"edition"`
	Verdict     string    `json:"verdict"`  // VerdictReady, VerdictNeedsWork or VerdictLikelyRejected
	Findings    []Finding `json:"findings"` // never nil from Screen, so it encodes as []
	ReplyWindow *Window   `json:"reply_window,omitempty"`
}

// Finding is one rule the application breaks. Title, Fix and Link are the
// rule's, from the content; Message says what in this application breaks
// it, and Basis and Cite what that rests on: BasisProgram when any of it
// rests on the program's own published words (quoted in Cite), else
// BasisGuide, this guide's rule of thumb or check (Cite says so). Severity
// is "reject" only when a check resting on the program's words that the
// content rates "reject" holds: a rule of thumb never makes it "reject".
type Finding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Basis    string   `json:"basis"`
	Title    string   `json:"title"`
	Message  string   `json:"message"`
	Cite     string   `json:"cite"`
	Fix      string   `json:"fix"`
	Link     string   `json:"link"`
	Fields   []string `json:"fields"` // the application fields the finding is about, as schema names
}

// Window is when to expect a reply: From and To are YYYY-MM-DD dates.
type Window struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Screen checks a against r, the rules of a's program.
//
// Each rule's checks are tried in order; a check with Else is tried only
// when the check before it did not hold (nor any check it was an else of).
// A rule with at least one check that holds is a finding, whose message
// joins the messages of those checks and whose cite joins their cites.
// The finding's severity is "reject" when one of those checks has severity
// reject (which only a check resting on the program's own words can have),
// its basis "program" when one of them rests on the program's words.
//
// The verdict is VerdictLikelyRejected if any finding has severity
// "reject", VerdictNeedsWork if there is any other finding, and
// VerdictReady otherwise. The reply window is set when a has a submitted
// date and r has reply days.
func Screen(r Rules, a Application) Result {
	res := Result{Program: r.Program, Edition: r.Edition, Verdict: VerdictReady, Findings: []Finding{}}
	e := &evaluator{r: &r, a: &a}
	for _, rule := range r.Rules {
		f := Finding{Rule: rule.ID, Severity: SeverityFix, Basis: BasisGuide, Title: rule.Title, Fix: rule.Fix, Link: rule.Link, Fields: []string{}}
		var msgs, cites []string
		held := false // the check before held (or one of its else-chain did)
		for i, c := range rule.Checks {
			if i > 0 && c.Else && held {
				continue
			}
			var found result
			held = c.When != nil && e.eval(c.When, nil, &found)
			if !held {
				continue
			}
			msgs = append(msgs, fill(c.Say, &found))
			if !contains(cites, c.Cite) {
				cites = append(cites, c.Cite)
			}
			for _, name := range found.fields {
				if !contains(f.Fields, name) {
					f.Fields = append(f.Fields, name)
				}
			}
			if c.Basis != BasisGuide {
				f.Basis = BasisProgram
			}
			if c.Severity == SeverityReject && c.Basis != BasisGuide {
				f.Severity = SeverityReject
			}
		}
		if msgs == nil {
			continue
		}
		f.Message, f.Cite = join(msgs, " "), join(cites, " ")
		res.Findings = append(res.Findings, f)
		if f.Severity == SeverityReject {
			res.Verdict = VerdictLikelyRejected
		} else if res.Verdict == VerdictReady {
			res.Verdict = VerdictNeedsWork
		}
	}
	if day, ok := parseDate(a.Submitted); ok && r.ReplyDays[1] > 0 {
		res.ReplyWindow = &Window{From: formatDate(addBusinessDays(day, r.ReplyDays[0])), To: formatDate(addBusinessDays(day, r.ReplyDays[1]))}
	}
	return res
}

// evaluator checks conditions of rules r on application a.
type evaluator struct {
	r *Rules
	a *Application
}

// fill puts what a check found into its message.
func fill(say string, found *result) string {
	var b []byte
	for i := 0; i < len(say); i++ {
		switch {
		case hasPrefixAt(say, i, "{matched}"):
			b = append(b, joinAnd(found.matched)...)
			i += len("{matched}") - 1
		case hasPrefixAt(say, i, "{count"):
			end := i
			for end < len(say) && say[end] != '}' {
				end++
			}
			if noun := trimSpace(say[i+len("{count") : end]); noun != "" {
				b = append(b, plural(found.count, noun)...)
			} else {
				b = append(b, itoa(found.count)...)
			}
			i = end
		default:
			b = append(b, say[i])
		}
	}
	return string(b)
}

func hasPrefixAt(s string, i int, p string) bool { return len(s)-i >= len(p) && s[i:i+len(p)] == p }

// validEmail accepts a plain addr-spec, as sign-up forms do: a local part
// of RFC 5322 atext characters and single dots, '@', and a domain of two
// or more labels of letters, digits and inner hyphens whose last label is
// not all digits. Bytes above 0x7F are allowed in both parts
// (internationalized addresses); surrounding spaces are ignored.
func validEmail(s string) bool {
	s = trimSpace(s)
	at := len(s) - 1
	for at >= 0 && s[at] != '@' {
		at--
	}
	if at < 1 || len(s) > 254 || at > 64 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	for _, part := range split(local, '.') {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !isAlnum(c) && c < 0x80 && !hasSubstring("!#$%&'*+-/=?^_`{|}~", string(c)) {
				return false
			}
		}
	}
	labels := split(domain, '.')
	if len(labels) < 2 || digits(labels[len(labels)-1]) >= 0 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isAlnum(c) && c < 0x80 && c != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// channelName names a channel in a message: its URL, or its position.
func (e *evaluator) channelName(i int) string {
	if u := trimSpace(e.a.Channels[i].URL); u != "" {
		return shorten(u, 80)
	}
	return "Channel " + itoa(i+1)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return itoa(n) + " " + noun + "s"
}

// joinAnd joins ["a", "b", "c"] as "a, b and c".
func joinAnd(list []string) string { return joinLast(list, " and ") }

// joinOr joins ["a", "b", "c"] as "a, b or c".
func joinOr(list []string) string { return joinLast(list, " or ") }

func joinLast(list []string, last string) string {
	if len(list) <= 1 {
		return join(list, "")
	}
	return join(list[:len(list)-1], ", ") + last + list[len(list)-1]
}

// shorten cuts s to at most n bytes at a character boundary, marking the
// cut with "…".
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
