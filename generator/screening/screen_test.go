package screening

import (
	"reflect"
	"strings"
	"testing"
)

// goodApp returns an application the program accepts as it stands.
func goodApp(program string) Application {
	a := Application{
		Program:     program,
		Username:    "gadgetguide",
		Email:       "me@example.org",
		PaypalEmail: "pay@example.org",
		Channels: []Channel{{
			URL: "https://gadgetguide.example.org", Kind: "blog", Public: true, Status: "active",
			LastPost: "2026-11-02", OriginalPosts: 40,
		}},
		Niche:          "phone accessories",
		TrafficSources: []string{"seo", "social"},
		Geos:           []string{"US", "DE"},
		ContentTypes:   []string{"reviews", "comparisons"},
		Promotion:      "I write SEO reviews and comparisons of phone chargers and cases for readers in the US and Germany, with disclosed links.",
		AcceptsTerms:   true,
		Submitted:      "2026-11-20",
	}
	if program == AliExpress {
		a.AccessPath = "portals"
	}
	return a
}

type ruleCase struct {
	name    string
	program string
	edit    func(a *Application)
	want    []string // rule ids of the findings, in order
	message string   // a part of the joined messages, when set
}

// TestRules protects every rule of both programs, including the edges the
// issue names: an AliExpress coupon site with a clear plan is not
// rejected, an incomplete Admitad profile is, the Portals path needs no
// network profile, and stale, coming-soon and private channels are not
// visible.
func TestRules(t *testing.T) {
	ad, ax := AliDropship, AliExpress
	visibleBlog := func(url string, posts int, last string) Channel {
		return Channel{URL: url, Kind: "blog", Public: true, Status: "active", OriginalPosts: posts, LastPost: last}
	}
	cases := []ruleCase{
		{"ready", ad, func(a *Application) {}, nil, ""},
		{"ready", ax, func(a *Application) {}, nil, ""},

		// missing-field
		{"no username", ad, func(a *Application) { a.Username = "" }, []string{"missing-field"}, "Not filled in: Username."},
		{"blank username", ad, func(a *Application) { a.Username = " \t" }, []string{"missing-field"}, "Not filled in: Username."},
		{"username not required", ax, func(a *Application) { a.Username, a.PaypalEmail = "", "" }, nil, ""},
		{"no email", ad, func(a *Application) { a.Email = "" }, []string{"missing-field"}, "Not filled in: Email."},
		{"email not required", ax, func(a *Application) { a.Email = "" }, nil, ""},
		{"no niche", ax, func(a *Application) { a.Niche = " " }, []string{"missing-field"}, "Not filled in: Niche."},
		{"niche not required", ad, func(a *Application) { a.Niche = "" }, nil, ""},
		{"no paypal", ad, func(a *Application) { a.PaypalEmail = "" }, []string{"missing-field"}, "PayPal email"},
		{"several", ad, func(a *Application) { a.Username, a.PaypalEmail = "", "" }, []string{"missing-field"}, "Not filled in: Username and PayPal email."},
		{"no channels", ad, func(a *Application) { a.Channels = nil }, []string{"missing-field", "no-visible-channel"}, "No channel is given."},
		{"no channels", ax, func(a *Application) { a.Channels = nil }, []string{"missing-field", "no-visible-channel"}, "No channel is given."},
		{"channel without URL", ad, func(a *Application) { a.Channels[0].URL = " " }, []string{"missing-field", "no-visible-channel"}, "No channel is both public and active."},
		{"no promotion", ad, func(a *Application) { a.Promotion = "" }, []string{"missing-field", "unclear-promotion"}, "promotion plan"},
		{"no promotion", ax, func(a *Application) { a.Promotion = "" }, []string{"missing-field", "unclear-promotion"}, "Not filled in: How you will promote AliExpress.\nNo description of your traffic sources is given."},

		// invalid-email
		{"email without domain dot", ad, func(a *Application) { a.Email = "me@example" }, []string{"invalid-email"}, "Does not look like a valid address: Email."},
		{"email with space", ax, func(a *Application) { a.Email = "me @example.org" }, []string{"invalid-email"}, "Does not look like a valid address: Email (optional)."},
		{"two at signs", ad, func(a *Application) { a.PaypalEmail = "pay@@example.org" }, []string{"invalid-email"}, "Does not look like a valid address: PayPal email."},
		{"double dot", ad, func(a *Application) { a.Email = "me..you@example.org" }, []string{"invalid-email"}, ""},
		{"leading dot", ad, func(a *Application) { a.Email = ".me@example.org" }, []string{"invalid-email"}, ""},
		{"hyphen label", ad, func(a *Application) { a.Email = "me@-example.org" }, []string{"invalid-email"}, ""},
		{"numeric tld", ad, func(a *Application) { a.Email = "me@10.0.0.1" }, []string{"invalid-email"}, ""},
		{"no local part", ad, func(a *Application) { a.Email = "@example.org" }, []string{"invalid-email"}, ""},
		{"paypal not asked by aliexpress", ax, func(a *Application) { a.PaypalEmail = "nope" }, nil, ""},
		{"both bad", ad, func(a *Application) { a.Email, a.PaypalEmail = "a", "b" }, []string{"invalid-email"}, "Does not look like a valid address: Email and PayPal email."},
		{"plus, quote and spaces around", ad, func(a *Application) { a.Email = " o'brien+deals@mail.example.ie " }, nil, ""},
		{"internationalized", ad, func(a *Application) { a.Email = "jürgen@bücher.example" }, nil, ""},
		{"punycode tld", ax, func(a *Application) { a.Email = "me@example.xn--p1ai" }, nil, ""},

		// terms-not-accepted
		{"terms", ad, func(a *Application) { a.AcceptsTerms = false }, []string{"terms-not-accepted"}, "The AliDropship Program Terms and Conditions are not accepted."},
		{"terms", ax, func(a *Application) { a.AcceptsTerms = false }, []string{"terms-not-accepted"}, "The AliExpress Affiliate Program Service Agreement is not accepted."},

		// no-visible-channel
		{"coming soon", ad, func(a *Application) { a.Channels[0].Status = "No channel is both public and active." }, []string{"no-visible-channel"}, "No channel is both public and active."},
		{"coming soon", ax, func(a *Application) { a.Channels[0].Status = "coming-soon" }, []string{"no-visible-channel"}, "No channel is both public and active."},
		{"private", ax, func(a *Application) { a.Channels[0].Public = false }, []string{"no-visible-channel"}, "No channel is both public and active."},
		{"private and empty", ad, func(a *Application) { a.Channels[0].Public, a.Channels[0].Status = false, "empty" }, []string{"no-visible-channel"}, "No channel is both public and active."},
		{"status not given", ad, func(a *Application) { a.Channels[0].Status = "" }, []string{"no-visible-channel"}, "No channel is both public and active."},
		{"one of two visible", ax, func(a *Application) {
			a.Channels = append([]Channel{{URL: "https://soon.example.org", Status: "coming-soon", Public: true}}, a.Channels...)
		}, nil, ""},
		{"stale", ax, func(a *Application) { a.Channels[0].LastPost = "2026-05-04" }, []string{"no-visible-channel"},
			"The newest post on every public, active channel is more than 90 days older than the date you plan to apply (https://gadgetguide.example.org)."},
		{"stale", ad, func(a *Application) { a.Channels[0].LastPost = "2025-11-20" }, []string{"no-visible-channel"}, "The newest post on every public, active channel is more than 90 days older than the date you plan to apply (https://gadgetguide.example.org)."},
		{"90 days is not stale", ax, func(a *Application) { a.Channels[0].LastPost = "2026-08-22" }, nil, ""},
		{"91 days is stale", ax, func(a *Application) { a.Channels[0].LastPost = "2026-08-21" }, []string{"no-visible-channel"}, "The newest post on every public, active channel is more than 90 days older than the date you plan to apply (https://gadgetguide.example.org)."},
		{"post after submission", ax, func(a *Application) { a.Channels[0].LastPost = "2026-12-01" }, nil, ""},
		{"stale without submitted date is not judged", ad, func(a *Application) { a.Channels[0].LastPost, a.Submitted = "2020-01-01", "" }, nil, ""},
		{"no last post is not judged", ad, func(a *Application) { a.Channels[0].LastPost = "" }, nil, ""},
		{"newest visible channel counts", ax, func(a *Application) {
			a.Channels[0].LastPost = "2025-01-01"
			a.Channels = append(a.Channels, visibleBlog("https://two.example.org", 10, "2026-11-01"))
		}, nil, ""},
		{"a hidden channel's posts do not count", ax, func(a *Application) {
			a.Channels[0].LastPost = "2025-01-01"
			a.Channels = append(a.Channels, Channel{URL: "https://hidden.example.org", Status: "active", LastPost: "2026-11-19", OriginalPosts: 50})
		}, []string{"no-visible-channel"}, "The newest post on every public, active channel is more than 90 days older than the date you plan to apply (https://gadgetguide.example.org)."},

		// unclear-promotion
		{"short plan", ad, func(a *Application) { a.Promotion = "I will promote online" }, []string{"unclear-promotion"}, "The promotion plan has 4 words; this guide's rule of thumb is at least 12."},
		{"one word", ax, func(a *Application) { a.Promotion = "Instagram" }, []string{"unclear-promotion"}, "The description of your traffic sources has 1 word; this guide's rule of thumb is at least 12."},
		{"11 words", ad, func(a *Application) {
			a.Promotion = "one two three four five six seven eight nine ten eleven"
		}, []string{"unclear-promotion"}, "11 words"},
		{"12 words", ad, func(a *Application) {
			a.Promotion = "one two three four five six seven eight nine ten eleven twelve"
		}, nil, ""},
		{"punctuation is not a word", ad, func(a *Application) {
			a.Promotion = "one - two – three four five six seven eight nine ten eleven !!"
		}, []string{"unclear-promotion"}, "11 words"},
		{"Chinese characters count one each", ax, func(a *Application) {
			a.Promotion = "我每周在博客发布两篇关于手机配件的原创评测文章"
		}, nil, ""},
		{"generic plan", ad, func(a *Application) {
			a.Promotion = "I will promote your products online and on social media so that a lot of people everywhere can see them."
		}, []string{"unclear-promotion"}, `uses generic wording ("promote your products online", "social media", "everywhere")`},
		{"social media alone", ax, func(a *Application) {
			a.Promotion = "I am going to share the products that I like with my friends and followers on Social Media every day."
		}, []string{"unclear-promotion"}, `("social media")`},
		{"social media with a platform", ax, func(a *Application) {
			a.Promotion = "I am going to share the products that I like with my followers on social media, mostly Instagram reels, every day."
		}, nil, ""},
		{"social media with a number", ad, func(a *Application) {
			a.Promotion = "I am going to share the products that I like with my 12000 followers on social media every single day."
		}, nil, ""},
		{"no traffic sources", ax, func(a *Application) { a.TrafficSources = nil }, []string{"unclear-promotion"}, "No traffic sources are given."},
		{"no geos or content types", ax, func(a *Application) { a.Geos, a.ContentTypes = []string{" "}, nil }, []string{"unclear-promotion"}, "Not given: Main countries (GEOs) and Content types."},
		{"geos not needed", ad, func(a *Application) { a.TrafficSources, a.Geos, a.ContentTypes = nil, nil, nil }, nil, ""},
		{"short plan and no geos", ax, func(a *Application) { a.Promotion, a.Geos = "Deals.", nil }, []string{"unclear-promotion"},
			"The description of your traffic sources has 1 word; this guide's rule of thumb is at least 12. Not given: Main countries (GEOs)."},

		// thin-content
		{"copied", ad, func(a *Application) { a.Channels[0].CopiedOrGenerated = true }, []string{"thin-content"}, "Marked as copied or auto-generated: https://gadgetguide.example.org."},
		{"copied", ax, func(a *Application) { a.Channels[0].CopiedOrGenerated = true }, []string{"thin-content"}, "auto-generated"},
		{"copied hidden channel", ax, func(a *Application) {
			a.Channels = append(a.Channels, Channel{URL: "https://scraped.example.org", CopiedOrGenerated: true})
		}, []string{"thin-content"}, "Marked as copied or auto-generated: https://scraped.example.org."},
		{"4 posts", ad, func(a *Application) { a.Channels[0].OriginalPosts = 4 }, []string{"thin-content"}, "No public, active channel has 5 or more original posts (https://gadgetguide.example.org); this guide's rule of thumb is at least 5."},
		{"5 posts", ax, func(a *Application) { a.Channels[0].OriginalPosts = 5 }, nil, ""},
		{"best of two channels", ax, func(a *Application) {
			a.Channels[0].OriginalPosts = 2
			a.Channels = append(a.Channels, visibleBlog("https://two.example.org", 3, "2026-11-01"))
		}, []string{"thin-content"}, "No public, active channel has 5 or more original posts (https://gadgetguide.example.org and https://two.example.org); this guide's rule of thumb is at least 5."},
		{"posts not counted without a visible channel", ad, func(a *Application) { a.Channels[0].OriginalPosts, a.Channels[0].Status = 0, "empty" }, []string{"no-visible-channel"}, ""},

		// misleading-content and prohibited-methods
		{"misleading", ad, func(a *Application) { a.Practices = []string{"misleading-claims"} }, []string{"misleading-content"}, "misleading claims"},
		{"misleading", ax, func(a *Application) { a.Practices = []string{"misleading-claims"} }, []string{"misleading-content"}, ""},
		{"cookie stuffing", ad, func(a *Application) { a.Practices = []string{"cookie-stuffing"} }, []string{"prohibited-methods"}, "The application lists Cookie stuffing among its practices."},
		{"forced redirects", ax, func(a *Application) { a.Practices = []string{"forced-redirects"} }, []string{"prohibited-methods"}, "The application lists Forced redirects among its practices."},
		{"tracking", ax, func(a *Application) { a.Practices = []string{"non-consensual-tracking"} }, []string{"prohibited-methods"}, "The application lists Tracking without consent among its practices."},
		{"all practices", ad, func(a *Application) {
			a.Practices = []string{"non-consensual-tracking", "misleading-claims", "forced-redirects", "cookie-stuffing"}
		}, []string{"misleading-content", "prohibited-methods"}, "The application lists Cookie stuffing, Forced redirects and Tracking without consent among its practices."},

		// AliDropship only
		{"coupon site", ad, func(a *Application) { a.Channels[0].Kind = "coupon-site" }, []string{"coupon-deal-site"}, "A coupon or deal site: https://gadgetguide.example.org."},
		{"deal site", ad, func(a *Application) {
			a.Channels = append(a.Channels, Channel{URL: "https://deals.example.org", Kind: "deal-site"})
		}, []string{"coupon-deal-site"}, "A coupon or deal site: https://deals.example.org."},
		{"coupon site with a clear plan is not rejected", ax, func(a *Application) {
			a.Channels[0].Kind = "coupon-site"
			a.ContentTypes = []string{"coupons", "deals"}
			a.Promotion = "A coupon site with disclosed links: I verify AliExpress codes daily and email a weekly digest of tested deals to 3,000 readers."
		}, nil, ""},
		{"deal site with a vague plan needs work", ax, func(a *Application) {
			a.Channels[0].Kind = "deal-site"
			a.Promotion = "I post deals."
		}, []string{"unclear-promotion"}, ""},
		{"coupon and deal content types", ad, func(a *Application) { a.ContentTypes = []string{"reviews", "coupons", "deals"} }, []string{"coupon-deal-site"},
			"The content types include Coupons and Deals. If the channel is mainly coupons, discounts or deals, it may count as a coupon or deal website."},
		{"coupon content type on a coupon site", ad, func(a *Application) { a.Channels[0].Kind, a.ContentTypes = "coupon-site", []string{"coupons"} }, []string{"coupon-deal-site"},
			"A coupon or deal site: https://gadgetguide.example.org."},
		{"coupon content types allowed", ax, func(a *Application) { a.ContentTypes = []string{"coupons", "deals"} }, nil, ""},
		{"ppc", ad, func(a *Application) { a.TrafficSources = []string{"seo", "ppc"} }, []string{"ppc-advertiser"}, "The traffic sources include PPC advertising."},
		{"paid ads are not ppc", ad, func(a *Application) { a.TrafficSources = []string{"paid-ads"} }, nil, ""},
		{"ppc allowed", ax, func(a *Application) { a.TrafficSources = []string{"ppc"} }, nil, ""},
		{"dropshipping store", ad, func(a *Application) { a.Channels[0].Kind = "dropshipping-store" }, []string{"dropshipping-store"}, "A dropshipping store: https://gadgetguide.example.org."},
		{"dropshipping store allowed", ax, func(a *Application) { a.Channels[0].Kind = "dropshipping-store" }, nil, ""},

		// AliExpress only
		{"network profile incomplete", ax, func(a *Application) { a.AccessPath = "network" }, []string{"network-profile-incomplete"},
			"The access path is an affiliate network, and the network profile is not marked complete."},
		{"network profile complete", ax, func(a *Application) { a.AccessPath, a.NetworkProfileComplete = "network", true }, nil, ""},
		{"portals needs no network profile", ax, func(a *Application) { a.AccessPath, a.NetworkProfileComplete = "portals", false }, nil, ""},
		{"no access path", ax, func(a *Application) { a.AccessPath = "" }, nil, ""},
		{"network profile is not an AliDropship rule", ad, func(a *Application) { a.AccessPath = "network" }, nil, ""},
	}
	rules := fixtureRules(t)
	for _, tc := range cases {
		t.Run(tc.program+"/"+tc.name, func(t *testing.T) {
			a := goodApp(tc.program)
			tc.edit(&a)
			res := Screen(rules[tc.program], a)
			var got, msgs []string
			for _, f := range res.Findings {
				got = append(got, f.Rule)
				msgs = append(msgs, f.Message)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("findings %q, want %q\nmessages: %q", got, tc.want, msgs)
			}
			if joined := strings.Join(msgs, "\n"); tc.message != "" && !strings.Contains(joined, tc.message) {
				t.Errorf("messages %q do not contain %q", joined, tc.message)
			}
			if want := verdictFor(t, rules[tc.program], res.Findings); res.Verdict != want {
				t.Errorf("verdict %q, want %q", res.Verdict, want)
			}
		})
	}
}

// verdictFor is the verdict findings of r's rules make, and checks what a
// finding may claim: "reject" only from a rule with a check resting on the
// program's words that the content rates "reject", never on this guide's
// rule of thumb alone.
func verdictFor(t *testing.T, r Rules, findings []Finding) string {
	t.Helper()
	v := VerdictReady
	for _, f := range findings {
		rejects := false // a check of the rule that rests on the program's words may reject
		for _, x := range r.Rules {
			for _, c := range x.Checks {
				rejects = rejects || x.ID == f.Rule && c.Severity == SeverityReject && c.Basis == BasisProgram
			}
		}
		switch {
		case f.Basis != BasisProgram && f.Basis != BasisGuide:
			t.Errorf("%s: basis %q", f.Rule, f.Basis)
		case f.Cite == "":
			t.Errorf("%s: no cite", f.Rule)
		case f.Severity == SeverityReject && (f.Basis == BasisGuide || !rejects):
			t.Errorf("%s: severity reject on basis %s", f.Rule, f.Basis)
		case f.Basis == BasisGuide && !strings.Contains(f.Cite, "This guide's"):
			t.Errorf("%s: a guide-based cite that does not say so: %q", f.Rule, f.Cite)
		}
		if f.Severity == SeverityReject {
			v = VerdictLikelyRejected
		} else if v == VerdictReady {
			v = VerdictNeedsWork
		}
	}
	return v
}

func ids(r Result) []string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, f.Rule)
	}
	return s
}
