// Package screening checks an affiliate application against one program's
// rejection reasons, the same way in the `screen` command and in the browser.
//
// The package is pure: it imports no os, net/http or syscall/js, reads no
// clock and keeps no global state, so a result depends only on the [Rules]
// and the [Application] given to [Screen]. The rule texts, severities and
// thresholds come from the content (the rejection-reasons page of each
// program); the conditions under which a rule fires are code, listed per
// program by [KnownRules].
//
// JSON is read and written by a small hand-written codec for these fixed
// types instead of encoding/json, which would more than double the size of
// the WebAssembly module. [EncodeJSON] produces the same bytes as
// encoding/json's Marshal would for a [Result]; the decoders accept exactly
// the JSON grammar, ignore unknown object keys (keys match exactly, not
// case-insensitively as in encoding/json), and report wrong types,
// unknown enumeration values and malformed dates with a line and column.
//
// # Dates
//
// Screening never looks at the current time. The age of a channel's newest
// post is measured against the application's "submitted" date; when the
// application has no "submitted" date the age check is skipped and nothing
// is said about it (the self-check form fills in today's date). The reply
// window counts business days (Monday to Friday) after "submitted";
// public holidays are not known and not skipped.
package screening

// Rules is one program's screening data for one edition; it is what
// public/<program>/rules.json holds.
type Rules struct {
	Program    string     `json:"program"` // "alidropship" | "aliexpress"
	Edition    string     `json:"edition"` // edition id, "" for the working draft
	Thresholds Thresholds `json:"thresholds"`
	Rules      []Rule     `json:"rules"`
}

// Thresholds are the numbers the legal team sets per program and edition.
type Thresholds struct {
	MinPromotionWords int `json:"min_promotion_words"` // fewer words => unclear-promotion
	MaxPostAgeDays    int `json:"max_post_age_days"`   // newest last_post older than this (vs submitted) => no-visible-channel
	MinOriginalPosts  int `json:"min_original_posts"`  // fewer => thin-content
	ReplyDaysMin      int `json:"reply_days_min"`      // business days, 3
	ReplyDaysMax      int `json:"reply_days_max"`      // business days, 4
}

// Rule is one rejection reason as the content describes it.
type Rule struct {
	ID       string `json:"id"`       // e.g. "coupon-deal-site" == anchor of its section
	Severity string `json:"severity"` // "reject" (=> verdict likely-rejected) | "fix" (=> needs-work)
	Title    string `json:"title"`    // heading text of its section
	Fix      string `json:"fix"`      // plain text of its "How to fix" definition
	Link     string `json:"link"`     // site-root-relative: "alidropship/rejection-reasons/#coupon-deal-site"
}

// Program names.
const (
	AliDropship = "alidropship"
	AliExpress  = "aliexpress"
)

// Severities of a [Rule].
const (
	SeverityReject = "reject"
	SeverityFix    = "fix"
)

// Verdicts of a [Result].
const (
	VerdictReady          = "ready"
	VerdictNeedsWork      = "needs-work"
	VerdictLikelyRejected = "likely-rejected"
)

// Programs returns the program names the package knows, in a fixed order.
func Programs() []string { return []string{AliDropship, AliExpress} }

// commonRules apply to both programs; the order is the order of the
// rejection-reasons pages and of findings in the fixtures.
var commonRules = []string{
	"missing-field",
	"invalid-email",
	"terms-not-accepted",
	"no-visible-channel",
	"unclear-promotion",
	"thin-content",
	"misleading-content",
	"prohibited-methods",
}

// KnownRules returns the ids of the rules the code can check for program,
// or nil for an unknown program. Every id must have a section in that
// program's rejection-reasons page, and the page must name no other.
func KnownRules(program string) []string {
	ids := append([]string(nil), commonRules...)
	switch program {
	case AliDropship:
		return append(ids, "coupon-deal-site", "ppc-advertiser", "dropshipping-store")
	case AliExpress:
		return append(ids, "network-profile-incomplete")
	}
	return nil
}

func programTitle(program string) string {
	switch program {
	case AliDropship:
		return "AliDropship"
	case AliExpress:
		return "AliExpress"
	}
	return program
}
