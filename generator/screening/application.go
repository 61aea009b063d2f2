package screening

// Application is what an applicant tells a program, as the self-check form
// and the `screen` command read it from JSON. Empty strings and absent
// fields mean "not given".
type Application struct {
	Program                string    `json:"program"`     // AliDropship or AliExpress
	AccessPath             string    `json:"access_path"` // AliExpress only: "portals" | "network" (an affiliate network) | "admitad" (that network by name)
	Username               string    `json:"username"`
	Email                  string    `json:"email"`
	PaypalEmail            string    `json:"paypal_email"`
	Channels               []Channel `json:"channels"`
	Niche                  string    `json:"niche"`
	TrafficSources         []string  `json:"traffic_sources"` // seo, social, email, paid-ads, ppc, other
	Geos                   []string  `json:"geos"`            // country codes or regions, free text
	ContentTypes           []string  `json:"content_types"`   // reviews, comparisons, guides, roundups, coupons, deals, news, other
	Promotion              string    `json:"promotion"`       // how the applicant will promote, in words
	Practices              []string  `json:"practices"`       // misleading-claims, cookie-stuffing, forced-redirects, non-consensual-tracking
	NetworkProfileComplete bool      `json:"network_profile_complete"`
	AcceptsTerms           bool      `json:"accepts_terms"`
	Submitted              string    `json:"submitted"` // YYYY-MM-DD, optional
}

// Channel is one place where the applicant promotes.
type Channel struct {
	URL               string `json:"url"`
	Kind              string `json:"kind"`   // website, blog, youtube, ..., coupon-site, deal-site, dropshipping-store, other
	Public            bool   `json:"public"` // visible without logging in or being invited
	Status            string `json:"status"` // active, coming-soon, empty
	LastPost          string `json:"last_post"`
	OriginalPosts     int    `json:"original_posts"`
	CopiedOrGenerated bool   `json:"copied_or_generated"`
}

// The values the decoders accept for each enumerated field. An empty
// string is accepted for the single-valued fields and means "not given";
// list elements must be one of the values.
var (
	accessPaths     = []string{"portals", "network", "admitad"}
	channelKinds    = []string{"website", "blog", "youtube", "instagram", "tiktok", "facebook", "telegram", "email-list", "coupon-site", "deal-site", "dropshipping-store", "other"}
	channelStatuses = []string{"active", "coming-soon", "empty"}
	trafficSources  = []string{"seo", "social", "email", "paid-ads", "ppc", "other"}
	contentTypes    = []string{"reviews", "comparisons", "guides", "roundups", "coupons", "deals", "news", "other"}
	practices       = []string{"misleading-claims", "cookie-stuffing", "forced-redirects", "non-consensual-tracking"}
)

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
