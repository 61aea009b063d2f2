package screening

// Bases of a [Finding]: what it rests on.
const (
	// BasisProgram: the program's own published words, quoted in the
	// finding's Cite.
	BasisProgram = "program"
	// BasisGuide: this guide's rule of thumb or check (Cite says which and
	// gives its number); it is not a published rule of the program, so it
	// never by itself makes the verdict VerdictLikelyRejected.
	BasisGuide = "guide"
)

// part is one thing an application does that breaks a rule: what
// (msg), what that rests on (cite, and whether that is this guide's rule
// of thumb rather than the program's words), and whether the program's
// words name it as a reason for refusal plainly enough to carry the rule's
// "reject" severity.
type part struct {
	msg, cite string
	guide     bool
	decisive  bool
}

// sourced is a part resting on the program's words that carries the rule's
// severity; guided is one resting on this guide's rule of thumb or check.
func sourced(msg, cite string) part { return part{msg: msg, cite: cite, decisive: true} }
func guided(msg, cite string) part  { return part{msg: msg, cite: cite, guide: true} }

// The program's published words, quoted from the source documents this
// guide rests on; and this guide's own rules of thumb, said to be so.
const (
	adMustInclude = `AliDropship: "Your application must include: Username; Email; PayPal Email; Active and relevant website or another channel for AliDropship promotion; Explanation of how you intend to promote AliDropship."`
	adChannel     = `AliDropship: "Your application must include: … Active and relevant website or another channel for AliDropship promotion."`
	adTerms       = `AliDropship: "By applying to Program you should carefully read and agree with the AliDropship Program Terms and Conditions."`
	adRefused     = ` among commonly rejected applicants.`
	adPromotion   = `AliDropship lists "the applicants with a lack of information about a promotion method"` + adRefused
	adThin        = `AliDropship lists "the applicants with a website that contains a lack of content which is original and beneficial to visitors or pages that are mainly empty"` + adRefused
	adMisleading  = `AliDropship lists "the applicants with inaccurate, deceptive or otherwise misleading content"` + adRefused
	adCoupon      = `AliDropship lists "coupon or discount or deal websites"` + adRefused
	adPPC         = `AliDropship lists "PPC Advertisers"` + adRefused
	adStore       = `AliDropship lists "the certain applicants who intend to promote us through dropshipping stores, as we do not pay commission for AliExpress products sales in the stores"` + adRefused
	adMethods     = `This guide's caution: AliDropship's application page does not mention these methods. AliExpress's material says "Avoid misleading claims, cookie stuffing, forced redirects, or any “non-consensual” tracking methods."; this guide applies that to AliDropship too. Not a published AliDropship rule.`

	axProfile    = `AliExpress: "Add your website/social links, describe your niche, and list your traffic sources (SEO, social, email, paid ads). This is the main part reviewers use to evaluate suitability."`
	axTerms      = `AliExpress: reviewers check "Agreement acceptance + adherence to program rules and restrictions."`
	axMostLikely = `AliExpress: "Applicants with no visible channel or unclear traffic sources are the most likely to be delayed or rejected."`
	axGeneric    = `AliExpress names "Unclear traffic source explanation (generic “I will promote online” without details)" among the most common reasons for approval delays or rejection.`
	axTip        = `This guide's reading of AliExpress's tip "Write a short, specific description: top GEOs, content type, and whether you use coupons/deals or product reviews." Not a published reason for refusal.`
	axThin       = `AliExpress names "Low-quality content (thin pages, copied/scraped listings, or auto-generated pages with no value)" among the most common reasons for approval delays or rejection.`
	axHighRisk   = `AliExpress names "High-risk promotion intent (misleading ads, prohibited methods, or suspicious incentive tactics)" among the most common reasons for approval delays or rejection.`
	axMethods    = `AliExpress: "Avoid misleading claims, cookie stuffing, forced redirects, or any “non-consensual” tracking methods." ` + axHighRisk
	axNetwork    = `AliExpress: "If you’re using a network like Admitad, complete your network profile first and then apply to AliExpress inside the network dashboard."`
)

// cite returns the AliDropship or the AliExpress text.
func cite(program, ad, ax string) string {
	if program == AliExpress {
		return ax
	}
	return ad
}

// notPublished ends a rule of thumb's citation.
func notPublished(program string) string {
	return " Not a published " + programTitle(program) + " rule."
}

func guideWords(program string, t Thresholds) string {
	return "This guide's rule of thumb: a promotion plan of at least " + plural(t.MinPromotionWords, "word") + "." + notPublished(program)
}

func guidePostAge(program string, t Thresholds) string {
	return "This guide's rule of thumb: a newest post at most " + plural(t.MaxPostAgeDays, "day") + " old." + notPublished(program)
}

func guidePosts(program string, t Thresholds) string {
	return "This guide's rule of thumb: at least " + plural(t.MinOriginalPosts, "original post") + "." + notPublished(program)
}

func guideEmail(program string) string {
	return "This guide's check that an address looks valid." + notPublished(program)
}
