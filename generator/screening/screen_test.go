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
		{"no username", ad, func(a *Application) { a.Username = "" }, []string{"missing-field"}, "A required field is empty: username."},
		{"blank username", ad, func(a *Application) { a.Username = " \t" }, []string{"missing-field"}, "username"},
		{"username not required", ax, func(a *Application) { a.Username, a.PaypalEmail = "", "" }, nil, ""},
		{"no email", ad, func(a *Application) { a.Email = "" }, []string{"missing-field"}, "A required field is empty: email."},
		{"email not required", ax, func(a *Application) { a.Email = "" }, nil, ""},
		{"no niche", ax, func(a *Application) { a.Niche = " " }, []string{"missing-field"}, "A required field is empty: niche."},
		{"niche not required", ad, func(a *Application) { a.Niche = "" }, nil, ""},
		{"no paypal", ad, func(a *Application) { a.PaypalEmail = "" }, []string{"missing-field"}, "PayPal email"},
		{"several", ad, func(a *Application) { a.Username, a.PaypalEmail = "", "" }, []string{"missing-field"}, "Required fields are empty: username and PayPal email."},
		{"no channels", ad, func(a *Application) { a.Channels = nil }, []string{"missing-field", "no-visible-channel"}, "channel URL"},
		{"no channels", ax, func(a *Application) { a.Channels = nil }, []string{"missing-field", "no-visible-channel"}, "No channel is given."},
		{"channel without URL", ad, func(a *Application) { a.Channels[0].URL = " " }, []string{"missing-field", "no-visible-channel"}, "Channel 1 has no URL"},
		{"no promotion", ad, func(a *Application) { a.Promotion = "" }, []string{"missing-field", "unclear-promotion"}, "promotion plan"},
		{"no promotion", ax, func(a *Application) { a.Promotion = "" }, []string{"missing-field", "unclear-promotion"}, "A required field is empty: promotion plan.\nNo promotion plan is given."},

		// invalid-email
		{"email without domain dot", ad, func(a *Application) { a.Email = "me@example" }, []string{"invalid-email"}, `The email "me@example" is not a valid address.`},
		{"email with space", ax, func(a *Application) { a.Email = "me @example.org" }, []string{"invalid-email"}, "email"},
		{"two at signs", ad, func(a *Application) { a.PaypalEmail = "pay@@example.org" }, []string{"invalid-email"}, `The PayPal email "pay@@example.org"`},
		{"double dot", ad, func(a *Application) { a.Email = "me..you@example.org" }, []string{"invalid-email"}, ""},
		{"leading dot", ad, func(a *Application) { a.Email = ".me@example.org" }, []string{"invalid-email"}, ""},
		{"hyphen label", ad, func(a *Application) { a.Email = "me@-example.org" }, []string{"invalid-email"}, ""},
		{"numeric tld", ad, func(a *Application) { a.Email = "me@10.0.0.1" }, []string{"invalid-email"}, ""},
		{"no local part", ad, func(a *Application) { a.Email = "@example.org" }, []string{"invalid-email"}, ""},
		{"paypal checked on aliexpress too", ax, func(a *Application) { a.PaypalEmail = "nope" }, []string{"invalid-email"}, "PayPal email"},
		{"both bad", ad, func(a *Application) { a.Email, a.PaypalEmail = "a", "b" }, []string{"invalid-email"}, `The email "a" is not a valid address. The PayPal email "b" is not a valid address.`},
		{"plus, quote and spaces around", ad, func(a *Application) { a.Email = " o'brien+deals@mail.example.ie " }, nil, ""},
		{"internationalized", ad, func(a *Application) { a.Email = "jürgen@bücher.example" }, nil, ""},
		{"punycode tld", ax, func(a *Application) { a.Email = "me@example.xn--p1ai" }, nil, ""},

		// terms-not-accepted
		{"terms", ad, func(a *Application) { a.AcceptsTerms = false }, []string{"terms-not-accepted"}, "The AliDropship Program Terms and Conditions are not accepted."},
		{"terms", ax, func(a *Application) { a.AcceptsTerms = false }, []string{"terms-not-accepted"}, "The AliExpress Affiliate Program Service Agreement is not accepted."},

		// no-visible-channel
		{"coming soon", ad, func(a *Application) { a.Channels[0].Status = "coming-soon" }, []string{"no-visible-channel"}, "https://gadgetguide.example.org is a coming-soon page."},
		{"coming soon", ax, func(a *Application) { a.Channels[0].Status = "coming-soon" }, []string{"no-visible-channel"}, "coming-soon"},
		{"private", ax, func(a *Application) { a.Channels[0].Public = false }, []string{"no-visible-channel"}, "https://gadgetguide.example.org is private."},
		{"private and empty", ad, func(a *Application) { a.Channels[0].Public, a.Channels[0].Status = false, "empty" }, []string{"no-visible-channel"}, "is private and is empty"},
		{"status not given", ad, func(a *Application) { a.Channels[0].Status = "" }, []string{"no-visible-channel"}, "is not marked active"},
		{"one of two visible", ax, func(a *Application) {
			a.Channels = append([]Channel{{URL: "https://soon.example.org", Status: "coming-soon", Public: true}}, a.Channels...)
		}, nil, ""},
		{"stale", ax, func(a *Application) { a.Channels[0].LastPost = "2026-05-04" }, []string{"no-visible-channel"},
			"The newest post on a public, active channel (https://gadgetguide.example.org, 2026-05-04) is 200 days older than the submission date 2026-11-20; this guide's rule of thumb is at most 90 days."},
		{"stale", ad, func(a *Application) { a.Channels[0].LastPost = "2025-11-20" }, []string{"no-visible-channel"}, "365 days older"},
		{"90 days is not stale", ax, func(a *Application) { a.Channels[0].LastPost = "2026-08-22" }, nil, ""},
		{"91 days is stale", ax, func(a *Application) { a.Channels[0].LastPost = "2026-08-21" }, []string{"no-visible-channel"}, "91 days older"},
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
		}, []string{"no-visible-channel"}, "(https://gadgetguide.example.org, 2025-01-01)"},

		// unclear-promotion
		{"short plan", ad, func(a *Application) { a.Promotion = "I will promote online" }, []string{"unclear-promotion"}, "The promotion plan has 4 words; this guide's rule of thumb is at least 15."},
		{"one word", ax, func(a *Application) { a.Promotion = "Instagram" }, []string{"unclear-promotion"}, "has 1 word;"},
		{"14 words", ad, func(a *Application) {
			a.Promotion = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
		}, []string{"unclear-promotion"}, "14 words"},
		{"15 words", ad, func(a *Application) {
			a.Promotion = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
		}, nil, ""},
		{"punctuation is not a word", ad, func(a *Application) {
			a.Promotion = "one - two – three four five six seven eight nine ten eleven twelve thirteen fourteen !!"
		}, []string{"unclear-promotion"}, "14 words"},
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
		{"no traffic sources", ax, func(a *Application) { a.TrafficSources = nil }, []string{"unclear-promotion"}, "No traffic sources given."},
		{"no geos or content types", ax, func(a *Application) { a.Geos, a.ContentTypes = []string{" "}, nil }, []string{"unclear-promotion"}, "No target GEOs or content types given."},
		{"geos not needed", ad, func(a *Application) { a.TrafficSources, a.Geos, a.ContentTypes = nil, nil, nil }, nil, ""},
		{"short plan and no geos", ax, func(a *Application) { a.Promotion, a.Geos = "Deals.", nil }, []string{"unclear-promotion"},
			"The promotion plan has 1 word; this guide's rule of thumb is at least 15. No target GEOs given."},

		// thin-content
		{"copied", ad, func(a *Application) { a.Channels[0].CopiedOrGenerated = true }, []string{"thin-content"}, "https://gadgetguide.example.org is marked as copied or auto-generated."},
		{"copied", ax, func(a *Application) { a.Channels[0].CopiedOrGenerated = true }, []string{"thin-content"}, "auto-generated"},
		{"copied hidden channel", ax, func(a *Application) {
			a.Channels = append(a.Channels, Channel{URL: "https://scraped.example.org", CopiedOrGenerated: true})
		}, []string{"thin-content"}, "https://scraped.example.org is marked"},
		{"4 posts", ad, func(a *Application) { a.Channels[0].OriginalPosts = 4 }, []string{"thin-content"}, "https://gadgetguide.example.org has 4 original posts; this guide's rule of thumb is at least 5."},
		{"5 posts", ax, func(a *Application) { a.Channels[0].OriginalPosts = 5 }, nil, ""},
		{"best of two channels", ax, func(a *Application) {
			a.Channels[0].OriginalPosts = 2
			a.Channels = append(a.Channels, visibleBlog("https://two.example.org", 3, "2026-11-01"))
		}, []string{"thin-content"}, "The public, active channel with the most original posts (https://two.example.org) has 3; this guide's rule of thumb is at least 5."},
		{"posts not counted without a visible channel", ad, func(a *Application) { a.Channels[0].OriginalPosts, a.Channels[0].Status = 0, "empty" }, []string{"no-visible-channel"}, ""},

		// misleading-content and prohibited-methods
		{"misleading", ad, func(a *Application) { a.Practices = []string{"misleading-claims"} }, []string{"misleading-content"}, "misleading claims"},
		{"misleading", ax, func(a *Application) { a.Practices = []string{"misleading-claims"} }, []string{"misleading-content"}, ""},
		{"cookie stuffing", ad, func(a *Application) { a.Practices = []string{"cookie-stuffing"} }, []string{"prohibited-methods"}, "The application lists cookie stuffing among its practices."},
		{"forced redirects", ax, func(a *Application) { a.Practices = []string{"forced-redirects"} }, []string{"prohibited-methods"}, "forced redirects"},
		{"tracking", ax, func(a *Application) { a.Practices = []string{"non-consensual-tracking"} }, []string{"prohibited-methods"}, "non-consensual tracking"},
		{"all practices", ad, func(a *Application) {
			a.Practices = []string{"non-consensual-tracking", "misleading-claims", "forced-redirects", "cookie-stuffing"}
		}, []string{"misleading-content", "prohibited-methods"}, "cookie stuffing, forced redirects and non-consensual tracking"},

		// AliDropship only
		{"coupon site", ad, func(a *Application) { a.Channels[0].Kind = "coupon-site" }, []string{"coupon-deal-site"}, "https://gadgetguide.example.org is a coupon site."},
		{"deal site", ad, func(a *Application) {
			a.Channels = append(a.Channels, Channel{URL: "https://deals.example.org", Kind: "deal-site"})
		}, []string{"coupon-deal-site"}, "https://deals.example.org is a deal site."},
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
			"The content types include coupons and deals. If the channel is mainly coupons, discounts or deals, it may count as a coupon or deal website."},
		{"coupon content type on a coupon site", ad, func(a *Application) { a.Channels[0].Kind, a.ContentTypes = "coupon-site", []string{"coupons"} }, []string{"coupon-deal-site"},
			"https://gadgetguide.example.org is a coupon site."},
		{"coupon content types allowed", ax, func(a *Application) { a.ContentTypes = []string{"coupons", "deals"} }, nil, ""},
		{"ppc", ad, func(a *Application) { a.TrafficSources = []string{"seo", "ppc"} }, []string{"ppc-advertiser"}, "The traffic sources include PPC advertising."},
		{"paid ads are not ppc", ad, func(a *Application) { a.TrafficSources = []string{"paid-ads"} }, nil, ""},
		{"ppc allowed", ax, func(a *Application) { a.TrafficSources = []string{"ppc"} }, nil, ""},
		{"dropshipping store", ad, func(a *Application) { a.Channels[0].Kind = "dropshipping-store" }, []string{"dropshipping-store"}, "https://gadgetguide.example.org is a dropshipping store."},
		{"dropshipping store allowed", ax, func(a *Application) { a.Channels[0].Kind = "dropshipping-store" }, nil, ""},

		// AliExpress only
		{"admitad profile incomplete", ax, func(a *Application) { a.AccessPath = "admitad" }, []string{"network-profile-incomplete"},
			"The access path is Admitad, and the Admitad publisher profile is not marked complete."},
		{"network profile incomplete", ax, func(a *Application) { a.AccessPath = "network" }, []string{"network-profile-incomplete"},
			"The access path is an affiliate network, and the network profile is not marked complete."},
		{"network profile complete", ax, func(a *Application) { a.AccessPath, a.NetworkProfileComplete = "network", true }, nil, ""},
		{"admitad profile complete", ax, func(a *Application) { a.AccessPath, a.NetworkProfileComplete = "admitad", true }, nil, ""},
		{"portals needs no network profile", ax, func(a *Application) { a.AccessPath, a.NetworkProfileComplete = "portals", false }, nil, ""},
		{"no access path", ax, func(a *Application) { a.AccessPath = "" }, nil, ""},
		{"network profile is not an AliDropship rule", ad, func(a *Application) { a.AccessPath = "admitad" }, nil, ""},
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
// finding may claim: a severity no higher than its rule's, and never
// "reject" on this guide's rule of thumb alone.
func verdictFor(t *testing.T, r Rules, findings []Finding) string {
	t.Helper()
	v := VerdictReady
	for _, f := range findings {
		var rule Rule
		for _, x := range r.Rules {
			if x.ID == f.Rule {
				rule = x
			}
		}
		switch {
		case f.Basis != BasisProgram && f.Basis != BasisGuide:
			t.Errorf("%s: basis %q", f.Rule, f.Basis)
		case f.Cite == "":
			t.Errorf("%s: no cite", f.Rule)
		case f.Severity == SeverityReject && (f.Basis == BasisGuide || rule.Severity != SeverityReject):
			t.Errorf("%s: severity reject on basis %s, rule severity %s", f.Rule, f.Basis, rule.Severity)
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

// TestBasis protects the truthfulness of findings: what each rests on, that
// a rule of thumb alone never makes "likely rejected", and that severities
// follow each program's own emphasis (the fixtures' severities are the
// content's).
func TestBasis(t *testing.T) {
	ad, ax := AliDropship, AliExpress
	rules := fixtureRules(t)
	for _, tc := range []struct {
		name, program string
		edit          func(a *Application)
		basis, sev    string // of the only finding
		verdict, cite string // cite: a part of the finding's Cite
	}{
		{"4 posts is a rule of thumb", ad, func(a *Application) { a.Channels[0].OriginalPosts = 4 },
			BasisGuide, SeverityFix, VerdictNeedsWork, "This guide's rule of thumb: at least 5 original posts. Not a published AliDropship rule."},
		{"4 posts is a rule of thumb", ax, func(a *Application) { a.Channels[0].OriginalPosts = 4 },
			BasisGuide, SeverityFix, VerdictNeedsWork, "Not a published AliExpress rule."},
		{"copied content is the program's reason", ad, func(a *Application) { a.Channels[0].CopiedOrGenerated = true },
			BasisProgram, SeverityReject, VerdictLikelyRejected, `"the applicants with a website that contains a lack of content which is original`},
		{"a stale channel is a rule of thumb", ax, func(a *Application) { a.Channels[0].LastPost = "2026-01-01" },
			BasisGuide, SeverityFix, VerdictNeedsWork, "a newest post at most 90 days old"},
		{"no visible channel is AliExpress's first risk", ax, func(a *Application) { a.Channels[0].Public = false },
			BasisProgram, SeverityReject, VerdictLikelyRejected, `"Applicants with no visible channel or unclear traffic sources are the most likely to be delayed or rejected."`},
		{"no visible channel is an AliDropship requirement", ad, func(a *Application) { a.Channels[0].Public = false },
			BasisProgram, SeverityFix, VerdictNeedsWork, `"Your application must include: … Active and relevant website`},
		{"a short plan is a rule of thumb", ad, func(a *Application) { a.Promotion = "Reviews of gadgets on my blog." },
			BasisGuide, SeverityFix, VerdictNeedsWork, "a promotion plan of at least 15 words"},
		{"a generic plan is AliDropship's reason", ad, func(a *Application) {
			a.Promotion = "I will promote your products online and on social media so that a lot of people everywhere can see them."
		}, BasisProgram, SeverityReject, VerdictLikelyRejected, `"the applicants with a lack of information about a promotion method"`},
		{"a generic plan is AliExpress's reason", ax, func(a *Application) {
			a.Promotion = "I will promote your products online and on social media so that a lot of people everywhere can see them."
		}, BasisProgram, SeverityReject, VerdictLikelyRejected, `generic “I will promote online” without details`},
		{"no traffic sources is AliExpress's reason", ax, func(a *Application) { a.TrafficSources = nil },
			BasisProgram, SeverityReject, VerdictLikelyRejected, "unclear traffic sources are the most likely"},
		{"no GEOs is the guide's reading of a tip", ax, func(a *Application) { a.Geos = nil },
			BasisGuide, SeverityFix, VerdictNeedsWork, `This guide's reading of AliExpress's tip`},
		{"cookie stuffing: AliDropship's page is silent", ad, func(a *Application) { a.Practices = []string{"cookie-stuffing"} },
			BasisGuide, SeverityFix, VerdictNeedsWork, "AliDropship's application page does not mention these methods."},
		{"cookie stuffing: AliExpress names it", ax, func(a *Application) { a.Practices = []string{"cookie-stuffing"} },
			BasisProgram, SeverityReject, VerdictLikelyRejected, "cookie stuffing, forced redirects"},
		{"coupon site", ad, func(a *Application) { a.Channels[0].Kind = "coupon-site" },
			BasisProgram, SeverityReject, VerdictLikelyRejected, `AliDropship lists "coupon or discount or deal websites" among commonly rejected applicants.`},
		{"coupon and deal content types", ad, func(a *Application) { a.ContentTypes = []string{"coupons", "deals"} },
			BasisProgram, SeverityFix, VerdictNeedsWork, `"coupon or discount or deal websites"`},
		{"an invalid email is this guide's check", ad, func(a *Application) { a.Email = "me@example" },
			BasisGuide, SeverityFix, VerdictNeedsWork, "This guide's check"},
		{"network profile", ax, func(a *Application) { a.AccessPath = "network" },
			BasisProgram, SeverityFix, VerdictNeedsWork, "complete your network profile first"},
	} {
		t.Run(tc.program+"/"+tc.name, func(t *testing.T) {
			a := goodApp(tc.program)
			tc.edit(&a)
			res := Screen(rules[tc.program], a)
			if len(res.Findings) != 1 {
				t.Fatalf("want one finding, got %+v", res.Findings)
			}
			f := res.Findings[0]
			if f.Basis != tc.basis || f.Severity != tc.sev || res.Verdict != tc.verdict || !strings.Contains(f.Cite, tc.cite) {
				t.Errorf("basis %s, severity %s, verdict %s, cite %q\nwant %s, %s, %s, cite containing %q",
					f.Basis, f.Severity, res.Verdict, f.Cite, tc.basis, tc.sev, tc.verdict, tc.cite)
			}
		})
	}
}

// TestScreenUsesTheRules protects what the content controls: which rules
// apply, their order, severities, texts and thresholds.
func TestScreenUsesTheRules(t *testing.T) {
	base := fixtureRules(t)[AliDropship]
	bad := goodApp(AliDropship)
	bad.Username = ""
	bad.TrafficSources = []string{"ppc"}
	bad.Channels[0].Kind = "coupon-site"

	t.Run("texts come from the rules", func(t *testing.T) {
		res := Screen(base, bad)
		f := res.Findings[0]
		r := base.Rules[0]
		if f.Rule != r.ID || f.Title != r.Title || f.Fix != r.Fix || f.Link != r.Link || f.Severity != r.Severity {
			t.Errorf("finding %+v does not carry rule %+v", f, r)
		}
		if res.Program != AliDropship || res.Edition != "" {
			t.Errorf("program %q edition %q", res.Program, res.Edition)
		}
	})
	t.Run("findings follow the order of the rules", func(t *testing.T) {
		r := base
		r.Rules = nil
		for i := len(base.Rules) - 1; i >= 0; i-- {
			r.Rules = append(r.Rules, base.Rules[i])
		}
		got := ids(Screen(r, bad))
		if want := []string{"ppc-advertiser", "coupon-deal-site", "missing-field"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("absent, unknown and repeated rules", func(t *testing.T) {
		r := base
		r.Rules = []Rule{
			{ID: "missing-field", Severity: "fix"},
			{ID: "network-profile-incomplete", Severity: "reject"}, // an AliExpress rule
			{ID: "no-such-rule", Severity: "reject"},
			{ID: "missing-field", Severity: "reject"},
		}
		res := Screen(r, bad)
		if got := ids(res); !reflect.DeepEqual(got, []string{"missing-field"}) || res.Verdict != VerdictNeedsWork {
			t.Errorf("got %q %s, want only missing-field, needs-work", got, res.Verdict)
		}
	})
	t.Run("severity decides the verdict", func(t *testing.T) {
		a := goodApp(AliDropship)
		a.TrafficSources = []string{"ppc"}
		r := base
		r.Rules = []Rule{{ID: "ppc-advertiser", Severity: "fix"}}
		if v := Screen(r, a).Verdict; v != VerdictNeedsWork {
			t.Errorf("fix severity: verdict %s", v)
		}
		r.Rules = []Rule{{ID: "ppc-advertiser", Severity: "reject"}}
		if v := Screen(r, a).Verdict; v != VerdictLikelyRejected {
			t.Errorf("reject severity: verdict %s", v)
		}
	})
	t.Run("thresholds come from the rules", func(t *testing.T) {
		a := goodApp(AliDropship)
		a.Promotion = "Weekly YouTube tutorials about store setup."
		a.Channels[0].OriginalPosts = 2
		a.Channels[0].LastPost = "2026-10-01"
		r := base
		if got := ids(Screen(r, a)); !reflect.DeepEqual(got, []string{"unclear-promotion", "thin-content"}) {
			t.Errorf("fixture thresholds: %q", got)
		}
		r.Thresholds = Thresholds{MinPromotionWords: 5, MinOriginalPosts: 2, MaxPostAgeDays: 30}
		if got := ids(Screen(r, a)); !reflect.DeepEqual(got, []string{"no-visible-channel"}) {
			t.Errorf("lower thresholds: %q", got)
		}
	})
	t.Run("an empty rule set finds nothing", func(t *testing.T) {
		res := Screen(Rules{Program: AliDropship}, Application{})
		if res.Verdict != VerdictReady || res.Findings == nil || len(res.Findings) != 0 || res.ReplyWindow != nil {
			t.Errorf("got %+v", res)
		}
	})
}

func ids(r Result) []string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, f.Rule)
	}
	return s
}

// TestReplyWindow protects the business-day arithmetic of the reply window.
func TestReplyWindow(t *testing.T) {
	for _, tc := range []struct {
		submitted string
		min, max  int
		want      *Window
	}{
		{"2026-11-20", 3, 4, &Window{"2026-11-25", "2026-11-26"}}, // Friday
		{"2026-11-21", 3, 4, &Window{"2026-11-25", "2026-11-26"}}, // Saturday
		{"2026-11-22", 3, 4, &Window{"2026-11-25", "2026-11-26"}}, // Sunday
		{"2026-11-23", 3, 4, &Window{"2026-11-26", "2026-11-27"}}, // Monday
		{"2026-11-25", 3, 4, &Window{"2026-11-30", "2026-12-01"}}, // Wednesday
		{"2026-12-30", 3, 4, &Window{"2027-01-04", "2027-01-05"}}, // across the year
		{"2028-02-25", 3, 4, &Window{"2028-03-01", "2028-03-02"}}, // leap year
		{"2026-11-21", 5, 10, &Window{"2026-11-27", "2026-12-04"}},
		{"2026-11-20", 0, 4, &Window{"2026-11-20", "2026-11-26"}},
		{"2026-11-20", 5, 4, &Window{"2026-11-27", "2026-11-27"}}, // min > max: not before from
		{"2026-11-20", 3, 0, nil},
		{"", 3, 4, nil},
	} {
		got := replyWindow(Thresholds{ReplyDaysMin: tc.min, ReplyDaysMax: tc.max}, tc.submitted)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("replyWindow(%s, %d..%d) = %v, want %v", tc.submitted, tc.min, tc.max, got, tc.want)
		}
	}
}
