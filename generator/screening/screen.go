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
// BasisGuide, this guide's rule of thumb or check (Cite says so, with its
// number). Severity is the rule's, except that it is "fix" when nothing in
// the finding is a reason the program itself names for refusal: a rule of
// thumb never makes a finding "reject".
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Basis    string `json:"basis"`
	Title    string `json:"title"`
	Message  string `json:"message"`
	Cite     string `json:"cite"`
	Fix      string `json:"fix"`
	Link     string `json:"link"`
}

// Window is when to expect a reply: From and To are YYYY-MM-DD dates.
type Window struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Screen checks a against the rules of r.Program.
//
// Rules are applied in the order of r.Rules, so findings come in that
// order. A rule the program does not know (see [KnownRules]) is ignored,
// and so is a repeated id; a known rule missing from r.Rules is not
// applied. The checks are those of r.Program: callers pick the rules that
// match a.Program.
//
// The verdict is VerdictLikelyRejected if any finding has severity
// "reject" (which only a finding resting on the program's own words can
// have), VerdictNeedsWork if there is any other finding, and
// VerdictReady otherwise. The reply window is set when a has a
// "submitted" date and r.Thresholds.ReplyDaysMax is above zero.
func Screen(r Rules, a Application) Result {
	res := Result{Program: r.Program, Edition: r.Edition, Verdict: VerdictReady, Findings: []Finding{}}
	known := KnownRules(r.Program)
	var done []string
	for _, rule := range r.Rules {
		if !contains(known, rule.ID) || contains(done, rule.ID) {
			continue
		}
		done = append(done, rule.ID)
		parts := check(rule.ID, r.Program, r.Thresholds, &a)
		if len(parts) == 0 {
			continue
		}
		f := Finding{Rule: rule.ID, Severity: SeverityFix, Basis: BasisGuide, Title: rule.Title, Fix: rule.Fix, Link: rule.Link}
		var msgs, cites []string
		for _, p := range parts {
			msgs = append(msgs, p.msg)
			if !contains(cites, p.cite) {
				cites = append(cites, p.cite)
			}
			if !p.guide {
				f.Basis = BasisProgram
			}
			if p.decisive && !p.guide && rule.Severity == SeverityReject {
				f.Severity = SeverityReject
			}
		}
		f.Message, f.Cite = join(msgs, " "), join(cites, " ")
		res.Findings = append(res.Findings, f)
		if f.Severity == SeverityReject {
			res.Verdict = VerdictLikelyRejected
		} else if res.Verdict == VerdictReady {
			res.Verdict = VerdictNeedsWork
		}
	}
	res.ReplyWindow = replyWindow(r.Thresholds, a.Submitted)
	return res
}

func replyWindow(t Thresholds, submitted string) *Window {
	day, ok := parseDate(submitted)
	if !ok || t.ReplyDaysMax <= 0 {
		return nil
	}
	from := addBusinessDays(day, t.ReplyDaysMin)
	return &Window{From: formatDate(from), To: formatDate(max(from, addBusinessDays(day, t.ReplyDaysMax)))}
}

// check returns why a breaks the rule id, each part with what it rests
// on, or nothing if it does not.
func check(id, program string, t Thresholds, a *Application) []part {
	one := func(msg, c string) []part {
		if msg == "" {
			return nil
		}
		return []part{sourced(msg, c)}
	}
	switch id {
	case "missing-field":
		return one(missingField(program, a), cite(program, adMustInclude, axProfile))
	case "invalid-email":
		if msg := invalidEmail(a); msg != "" {
			return []part{guided(msg, guideEmail(program))}
		}
	case "terms-not-accepted":
		if !a.AcceptsTerms {
			if program == AliExpress {
				return one("The AliExpress Affiliate Program Service Agreement is not accepted.", axTerms)
			}
			return one("The "+programTitle(program)+" Program Terms and Conditions are not accepted.", adTerms)
		}
	case "no-visible-channel":
		return noVisibleChannel(program, t, a)
	case "unclear-promotion":
		return unclearPromotion(program, t, a)
	case "thin-content":
		return thinContent(program, t, a)
	case "misleading-content":
		if contains(a.Practices, "misleading-claims") {
			return one("The application lists misleading claims among its practices.", cite(program, adMisleading, axHighRisk))
		}
	case "prohibited-methods":
		var found []string
		for _, p := range []struct{ id, label string }{
			{"cookie-stuffing", "cookie stuffing"},
			{"forced-redirects", "forced redirects"},
			{"non-consensual-tracking", "non-consensual tracking"},
		} {
			if contains(a.Practices, p.id) {
				found = append(found, p.label)
			}
		}
		if len(found) > 0 {
			msg := "The application lists " + joinAnd(found) + " among its practices."
			if program == AliExpress {
				return one(msg, axMethods)
			}
			// AliDropship's application page is silent on these methods.
			return []part{guided(msg, adMethods)}
		}
	case "coupon-deal-site":
		if parts := one(channelsOfKind(a, "coupon-site", "a coupon site", "deal-site", "a deal site"), adCoupon); parts != nil {
			return parts
		}
		var types []string
		for _, ct := range []string{"coupons", "deals"} {
			if contains(a.ContentTypes, ct) {
				types = append(types, ct)
			}
		}
		if len(types) > 0 {
			// The program's words, but whether the channel is a coupon or deal
			// website is the reviewers' call: this alone is not "reject".
			return []part{{msg: "The content types include " + joinAnd(types) +
				". If the channel is mainly coupons, discounts or deals, it may count as a coupon or deal website.", cite: adCoupon}}
		}
	case "ppc-advertiser":
		if contains(a.TrafficSources, "ppc") {
			return one("The traffic sources include PPC advertising.", adPPC)
		}
	case "dropshipping-store":
		return one(channelsOfKind(a, "dropshipping-store", "a dropshipping store", "", ""), adStore)
	case "network-profile-incomplete":
		switch {
		case a.AccessPath == "admitad" && !a.NetworkProfileComplete:
			return one("The access path is Admitad, and the Admitad publisher profile is not marked complete.", axNetwork)
		case a.AccessPath == "network" && !a.NetworkProfileComplete:
			return one("The access path is an affiliate network, and the network profile is not marked complete.", axNetwork)
		}
	}
	return nil
}

func missingField(program string, a *Application) string {
	var empty []string
	if program == AliDropship && blank(a.Username) {
		empty = append(empty, "username")
	}
	if program == AliDropship && blank(a.Email) { // AliExpress's material does not ask for one
		empty = append(empty, "email")
	}
	if program == AliDropship && blank(a.PaypalEmail) {
		empty = append(empty, "PayPal email")
	}
	if !hasChannelURL(a) {
		empty = append(empty, "channel URL")
	}
	if program == AliExpress && blank(a.Niche) {
		empty = append(empty, "niche")
	}
	if blank(a.Promotion) {
		empty = append(empty, "promotion plan")
	}
	switch len(empty) {
	case 0:
		return ""
	case 1:
		return "A required field is empty: " + empty[0] + "."
	}
	return "Required fields are empty: " + joinAnd(empty) + "."
}

func hasChannelURL(a *Application) bool {
	for _, ch := range a.Channels {
		if !blank(ch.URL) {
			return true
		}
	}
	return false
}

func invalidEmail(a *Application) string {
	var msgs []string
	if !blank(a.Email) && !validEmail(a.Email) {
		msgs = append(msgs, "The email "+quote(a.Email)+" is not a valid address.")
	}
	if !blank(a.PaypalEmail) && !validEmail(a.PaypalEmail) {
		msgs = append(msgs, "The PayPal email "+quote(a.PaypalEmail)+" is not a valid address.")
	}
	return join(msgs, " ")
}

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

// visible reports whether reviewers can see a channel: it has a URL, is
// public and is marked active.
func visible(ch *Channel) bool {
	return !blank(ch.URL) && ch.Public && ch.Status == "active"
}

// channelName names a channel in a message: its URL, or its position.
func channelName(a *Application, i int) string {
	if u := trimSpace(a.Channels[i].URL); u != "" {
		return shorten(u, 80)
	}
	return "Channel " + itoa(i+1)
}

func noVisibleChannel(program string, t Thresholds, a *Application) []part {
	c := cite(program, adChannel, axMostLikely)
	if len(a.Channels) == 0 {
		return []part{sourced("No channel is given.", c)}
	}
	if !anyVisible(a) {
		why := make([]string, len(a.Channels))
		for i := range a.Channels {
			ch := &a.Channels[i]
			var is []string
			if blank(ch.URL) {
				is = append(is, "has no URL")
			}
			if !ch.Public {
				is = append(is, "is private")
			}
			switch ch.Status {
			case "coming-soon":
				is = append(is, "is a coming-soon page")
			case "empty":
				is = append(is, "is empty")
			case "":
				is = append(is, "is not marked active")
			}
			why[i] = channelName(a, i) + " " + joinAnd(is)
		}
		return []part{sourced("No channel is public and active: "+join(why, "; ")+".", c)}
	}
	submitted, ok := parseDate(a.Submitted)
	if !ok || t.MaxPostAgeDays <= 0 {
		return nil // the age cannot be judged without a date; say nothing about it
	}
	newest, newestAt := 0, -1
	for i := range a.Channels {
		if ch := &a.Channels[i]; visible(ch) {
			if d, ok := parseDate(ch.LastPost); ok && (newestAt < 0 || d > newest) {
				newest, newestAt = d, i
			}
		}
	}
	if newestAt < 0 {
		return nil // no post dates given; nothing to judge
	}
	if age := submitted - newest; age > t.MaxPostAgeDays {
		return []part{guided("The newest post on a public, active channel ("+channelName(a, newestAt)+", "+
			formatDate(newest)+") is "+plural(age, "day")+" older than the submission date "+
			formatDate(submitted)+"; this guide's rule of thumb is at most "+plural(t.MaxPostAgeDays, "day")+".",
			guidePostAge(program, t))}
	}
	return nil
}

func anyVisible(a *Application) bool {
	for i := range a.Channels {
		if visible(&a.Channels[i]) {
			return true
		}
	}
	return false
}

func unclearPromotion(program string, t Thresholds, a *Application) []part {
	var parts []part
	c := cite(program, adPromotion, axMostLikely)
	if n := countWords(a.Promotion); n == 0 {
		parts = append(parts, sourced("No promotion plan is given.", c))
	} else if n < t.MinPromotionWords {
		parts = append(parts, guided("The promotion plan has "+plural(n, "word")+"; this guide's rule of thumb is at least "+itoa(t.MinPromotionWords)+".",
			guideWords(program, t)))
	} else if generic := genericWording(a.Promotion); generic != "" {
		parts = append(parts, sourced("The promotion plan uses generic wording ("+generic+") without naming a platform, method or content type.",
			cite(program, adPromotion, axGeneric)))
	}
	if program == AliExpress {
		if len(a.TrafficSources) == 0 {
			parts = append(parts, sourced("No traffic sources given.", axMostLikely))
		}
		var none []string
		if !hasNonBlank(a.Geos) {
			none = append(none, "target GEOs")
		}
		if len(a.ContentTypes) == 0 {
			none = append(none, "content types")
		}
		if len(none) > 0 {
			parts = append(parts, guided("No "+joinOr(none)+" given.", axTip))
		}
	}
	return parts
}

func hasNonBlank(list []string) bool {
	for _, s := range list {
		if !blank(s) {
			return true
		}
	}
	return false
}

func thinContent(program string, t Thresholds, a *Application) []part {
	var parts []part
	for i := range a.Channels {
		if a.Channels[i].CopiedOrGenerated {
			parts = append(parts, sourced(channelName(a, i)+" is marked as copied or auto-generated.", cite(program, adThin, axThin)))
		}
	}
	best, bestAt, count := -1, -1, 0
	for i := range a.Channels {
		if ch := &a.Channels[i]; visible(ch) {
			count++
			if ch.OriginalPosts > best {
				best, bestAt = ch.OriginalPosts, i
			}
		}
	}
	// Without a visible channel there is nothing to count; no-visible-channel says so.
	if bestAt >= 0 && best < t.MinOriginalPosts {
		rule := "; this guide's rule of thumb is at least " + itoa(t.MinOriginalPosts) + "."
		msg := channelName(a, bestAt) + " has " + plural(best, "original post") + rule
		if count > 1 {
			msg = "The public, active channel with the most original posts (" + channelName(a, bestAt) + ") has " + itoa(best) + rule
		}
		parts = append(parts, guided(msg, guidePosts(program, t)))
	}
	return parts
}

// channelsOfKind names the channels of kind k1 (described as d1) or k2.
func channelsOfKind(a *Application, k1, d1, k2, d2 string) string {
	var msgs []string
	for i, ch := range a.Channels {
		switch {
		case ch.Kind == k1:
			msgs = append(msgs, channelName(a, i)+" is "+d1+".")
		case k2 != "" && ch.Kind == k2:
			msgs = append(msgs, channelName(a, i)+" is "+d2+".")
		}
	}
	return join(msgs, " ")
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
