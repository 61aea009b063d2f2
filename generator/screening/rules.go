package screening

import "errors"

// RuleError is one problem [Rules.Validate] finds. Rule is the rule id it
// concerns, or "" for the program and thresholds, so that the site build
// can point at the section (or front matter) that has to change.
type RuleError struct {
	Rule string
	Msg  string
}

func (e *RuleError) Error() string {
	if e.Rule == "" {
		return e.Msg
	}
	return "rule " + quote(e.Rule) + ": " + e.Msg
}

// Validate reports, as one error joining [*RuleError] values (see
// errors.Join), everything that makes r unfit to publish: an unknown
// program, a rule id the code does not know for the program or a known
// one that is missing, a repeated id, a severity other than "reject" or
// "fix", and reply days where the minimum exceeds the maximum. Thresholds
// are non-negative by construction of [ParseRules]; Validate checks that
// too for Rules built in code.
func (r Rules) Validate() error {
	var errs []error
	add := func(rule, msg string) { errs = append(errs, &RuleError{Rule: rule, Msg: msg}) }
	known := KnownRules(r.Program)
	if known == nil {
		add("", "unknown program "+quote(r.Program)+"; want \"alidropship\" or \"aliexpress\"")
	}
	var seen []string
	for _, rule := range r.Rules {
		switch {
		case known != nil && !contains(known, rule.ID):
			add(rule.ID, "not a rule the screening code knows for "+r.Program+" (known: "+joinList(known)+")")
		case contains(seen, rule.ID):
			add(rule.ID, "appears more than once")
		}
		seen = append(seen, rule.ID)
		if rule.Severity != SeverityReject && rule.Severity != SeverityFix {
			add(rule.ID, "severity "+quote(rule.Severity)+"; want \"reject\" or \"fix\"")
		}
	}
	for _, id := range known {
		if !contains(seen, id) {
			add(id, "missing: the screening code checks it for "+r.Program+", so the content needs a section for it")
		}
	}
	t := r.Thresholds
	for _, v := range []struct {
		name string
		n    int
	}{
		{"min_promotion_words", t.MinPromotionWords},
		{"max_post_age_days", t.MaxPostAgeDays},
		{"min_original_posts", t.MinOriginalPosts},
		{"reply_days_min", t.ReplyDaysMin},
		{"reply_days_max", t.ReplyDaysMax},
	} {
		if v.n < 0 {
			add("", "thresholds: "+v.name+" is negative ("+itoa(v.n)+")")
		}
	}
	if t.ReplyDaysMin > t.ReplyDaysMax {
		add("", "thresholds: reply_days_min ("+itoa(t.ReplyDaysMin)+") is greater than reply_days_max ("+itoa(t.ReplyDaysMax)+")")
	}
	return errors.Join(errs...)
}
