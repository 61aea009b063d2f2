package screening

import (
	"reflect"
	"testing"
)

// langRules is a small rules document in the JSON the site publishes, with
// one rule whose checks are given.
func langRules(checks string) string {
	return `{"program": "acme", "edition": "", "name": "Acme", "reply_days": [2, 5],
  "verdicts": {"ready": "r", "needs-work": "n", "likely-rejected": "l"},
  "fields": {
    "username": {"label": "Username"},
    "email": {"label": "Email"},
    "channels.url": {"label": "Channel address"},
    "channels.kind": {"label": "Kind", "choices": {"blog": "Blog", "shop": "Shop"}},
    "channels.public": {"label": "Public", "default": "true"},
    "channels.original_posts": {"label": "Posts"},
    "channels.last_post": {"label": "Newest post"},
    "practices": {"label": "Practices", "choices": {"spam": "Spam", "bots": "Bot traffic", "ok": "Fine"}},
    "promotion": {"label": "Plan"},
    "accepts_terms": {"label": "Terms"},
    "submitted": {"label": "Date"}
  },
  "conditions": {"seen": {"all": [{"field": "url", "empty": false}, {"field": "public", "is": true}]}},
  "rules": {"r": {"title": "R", "fix": "F", "link": "acme/rejection-reasons/#r", "checks": ` + checks + `}}}`
}

// TestLanguage protects what each kind of condition finds and says.
func TestLanguage(t *testing.T) {
	blog := Channel{URL: "https://a.example", Kind: "blog", Public: true, OriginalPosts: 3, LastPost: "2026-01-01"}
	shop := Channel{URL: "https://b.example", Kind: "shop", OriginalPosts: 9, LastPost: "2026-06-01"}
	app := Application{Program: "acme", Email: "me@x", Promotion: "I will promote online", Practices: []string{"bots", "spam"},
		Channels: []Channel{blog, shop}, Submitted: "2026-06-10"}
	for _, tc := range []struct {
		name, when string
		edit       func(a *Application)
		want       string // the message of {matched}|{count}, or "" when the condition does not hold
		fields     []string
	}{
		{"empty text", `{"field": "username", "empty": true}`, nil, "Username|0", []string{"username"}},
		{"not empty", `{"field": "username", "empty": false}`, nil, "", nil},
		{"empty bool", `{"field": "accepts_terms", "empty": true}`, nil, "Terms|0", []string{"accepts_terms"}},
		{"no channels", `{"field": "channels", "empty": true}`, func(a *Application) { a.Channels = nil }, "channels|0", []string{"channels"}},
		{"channels given", `{"field": "channels", "empty": true}`, nil, "", nil},
		{"channel field as a list", `{"field": "channels.url", "empty": true}`, func(a *Application) { a.Channels[0].URL, a.Channels[1].URL = " ", "" }, "Channel address|0", []string{"channels.url"}},
		{"channel kind in any channel", `{"field": "channels.kind", "is": "shop"}`, nil, "Shop|0", []string{"channels.kind"}},
		{"in: the choices found, in rule order", `{"field": "practices", "in": ["spam", "bots", "ok"]}`, nil, "Spam and Bot traffic|0", []string{"practices"}},
		{"in: none", `{"field": "practices", "in": ["ok"]}`, nil, "", nil},
		{"invalid email", `{"field": "email", "valid_email": false}`, nil, "Email|0", []string{"email"}},
		{"blank email is not invalid", `{"field": "email", "valid_email": false}`, func(a *Application) { a.Email = "" }, "", nil},
		{"words below", `{"field": "promotion", "words_below": 5}`, nil, "Plan|4", []string{"promotion"}},
		{"words enough", `{"field": "promotion", "words_below": 4}`, nil, "", nil},
		{"generic", `{"field": "promotion", "generic": true}`, nil, `"promote online"|0`, []string{"promotion"}},
		{"any channel", `{"channels": {"any": {"field": "kind", "is": "shop"}}}`, nil, "https://b.example|0", []string{"channels.kind"}},
		{"where and all, with a count", `{"channels": {"where": {"use": "seen"}, "all": {"field": "original_posts", "below": 5}}}`, nil, "https://a.example|3", []string{"channels.original_posts"}},
		{"all needs a channel", `{"channels": {"where": {"use": "seen"}, "all": {"field": "original_posts", "below": 5}}}`, func(a *Application) { a.Channels[0].Public = false }, "", nil},
		{"none", `{"channels": {"none": {"use": "seen"}}}`, func(a *Application) { a.Channels[0].Public = false }, "|0", []string{"channels"}},
		{"none does not hold", `{"channels": {"none": {"use": "seen"}}}`, nil, "", nil},
		{"older than, against submitted", `{"channels": {"any": {"field": "last_post", "older_than_days": 150}}}`, nil, "https://a.example|160", []string{"channels.last_post"}},
		{"older than needs submitted", `{"channels": {"any": {"field": "last_post", "older_than_days": 150}}}`, func(a *Application) { a.Submitted = "" }, "", nil},
		{"above", `{"channels": {"any": {"field": "original_posts", "above": 8}}}`, nil, "https://b.example|9", []string{"channels.original_posts"}},
		{"all of", `{"all": [{"field": "username", "empty": true}, {"field": "practices", "is": "spam"}]}`, nil, "Username and Spam|0", []string{"username", "practices"}},
		{"all of, one fails", `{"all": [{"field": "username", "empty": true}, {"field": "practices", "is": "ok"}]}`, nil, "", nil},
		{"any of, the ones that hold", `{"any": [{"field": "username", "empty": true}, {"field": "promotion", "empty": true}]}`, nil, "Username|0", []string{"username"}},
		{"not", `{"not": {"field": "promotion", "empty": true}}`, nil, "|0", nil},
		{"label", `{"field": "username", "empty": true, "label": "your name"}`, nil, "your name|0", []string{"username"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRules([]byte(langRules(`[{"when": ` + tc.when + `, "say": "{matched}|{count}", "basis": "program", "cite": "c"}]`)))
			if err != nil {
				t.Fatal(err)
			}
			a := app
			a.Channels = append([]Channel(nil), app.Channels...)
			if tc.edit != nil {
				tc.edit(&a)
			}
			res := Screen(r, a)
			got := ""
			var fields []string
			if len(res.Findings) == 1 {
				got, fields = res.Findings[0].Message, res.Findings[0].Fields
			}
			if got != tc.want {
				t.Errorf("message %q, want %q", got, tc.want)
			}
			if tc.want != "" && !reflect.DeepEqual(fields, append([]string{}, tc.fields...)) {
				t.Errorf("fields %q, want %q", fields, tc.fields)
			}
		})
	}
}

// TestChecks protects else-chains, severities, bases and the verdict.
func TestChecks(t *testing.T) {
	checks := `[
  {"when": {"field": "promotion", "empty": true}, "say": "none", "basis": "program", "cite": "P1", "severity": "reject"},
  {"when": {"field": "promotion", "words_below": 5}, "else": true, "say": "short", "basis": "guide", "cite": "This guide's rule of thumb: 5 words."},
  {"when": {"field": "promotion", "generic": true}, "else": true, "say": "generic", "basis": "program", "cite": "P2"},
  {"when": {"field": "username", "empty": true}, "say": "no name", "basis": "program", "cite": "P1"}
]`
	r, err := ParseRules([]byte(langRules(checks)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		promotion, username            string
		verdict, msg, basis, cite, sev string
	}{
		{"", "me", VerdictLikelyRejected, "none", BasisProgram, "P1", SeverityReject},
		{"I promote", "me", VerdictNeedsWork, "short", BasisGuide, "This guide's rule of thumb: 5 words.", SeverityFix},
		{"I promote", "", VerdictNeedsWork, "short no name", BasisProgram, "This guide's rule of thumb: 5 words. P1", SeverityFix},
		{"I will promote your products online and on social media so that a lot of people everywhere can see them.", "me", VerdictNeedsWork, "generic", BasisProgram, "P2", SeverityFix},
		{"I review phone cases on my blog every week", "me", VerdictReady, "", "", "", ""},
	} {
		res := Screen(r, Application{Program: "acme", Promotion: tc.promotion, Username: tc.username, Submitted: "2026-06-10"})
		var f Finding
		if len(res.Findings) > 0 {
			f = res.Findings[0]
		}
		if res.Verdict != tc.verdict || f.Message != tc.msg || f.Basis != tc.basis || f.Cite != tc.cite || f.Severity != tc.sev {
			t.Errorf("%q/%q: got %s %q %s %q %s, want %s %q %s %q %s", tc.promotion, tc.username,
				res.Verdict, f.Message, f.Basis, f.Cite, f.Severity, tc.verdict, tc.msg, tc.basis, tc.cite, tc.sev)
		}
		if res.ReplyWindow == nil || *res.ReplyWindow != (Window{"2026-06-12", "2026-06-17"}) {
			t.Errorf("reply window %+v, want 2 to 5 business days after Wednesday 10 June", res.ReplyWindow)
		}
	}
}

// TestRulesFromErrors protects the problems a rules document can have,
// each at its place.
func TestRulesFromErrors(t *testing.T) {
	for _, tc := range []struct{ checks, want string }{
		{`[{"when": {"field": "nick", "empty": true}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:112: field: unknown field "nick"; the application has access_path, username, email, paypal_email, channels, channels.url, channels.kind, channels.public, channels.status, channels.last_post, channels.original_posts, channels.copied_or_generated, niche, traffic_sources, geos, content_types, promotion, practices, network_profile_complete, accepts_terms, submitted`},
		{`[{"when": {"field": "niche", "empty": true}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:112: field: not under fields; add it with its label, so the form can ask for it`},
		{`[{"when": {"field": "practices", "in": ["spam", "phishing"]}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:131: "phishing" is not one of the field's choices`},
		{`[{"when": {"field": "promotion", "below": 3}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:134: this test applies to a count field, not a longtext field`},
		{`[{"when": {"field": "promotion", "words_below": "many"}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:140: want a whole number, got text "many"`},
		{`[{"when": {"field": "promotion", "empty": true, "is": "x"}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:146: condition: a second test; write one test per condition and combine them with all or any`},
		{`[{"when": {"field": "channels.original_posts", "below": 3}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:112: a channel field read as the list of every channel's values takes only empty, is and in; test each channel with {channels: {any: {field: NAME, ...}}}`},
		{`[{"when": {"use": "nope"}, "say": "s", "basis": "program", "cite": "c"}]`,
			`17:110: use: want the name of a condition under conditions`},
		{`[{"when": {"field": "username", "empty": true}, "say": "s", "basis": "guide", "cite": "c", "severity": "reject"}]`,
			`17:195: a check resting on this guide's own rule of thumb (basis: guide) cannot make an application likely rejected; use severity: fix`},
		{`[{"when": {"field": "username", "empty": true}, "say": "s", "basis": "guide", "cite": "Acme says so"}]`,
			`17:178: cite: a check with basis: guide must say it is this guide's rule of thumb (write "This guide's rule of thumb: ...")`},
		{`[{"when": {"field": "username", "empty": true}, "say": "{who}", "basis": "program", "cite": "c"}]`,
			`17:147: say: unknown placeholder; the message can use {matched}, {count} and {count NOUN} ("1 word", "2 words")`},
		{`[{"when": {"field": "username", "empty": true}, "say": "s", "basis": "rumour", "cite": "c"}]`,
			`17:161: basis: want program (the program's own words, quoted in cite) or guide (this guide's rule of thumb)`},
		{`[{"say": "s", "basis": "program", "cite": "c"}]`, `17:93: when: missing; say which applications the check finds`},
		{`[]`, `17:92: no checks; write at least one`},
	} {
		_, err := ParseRules([]byte(langRules(tc.checks)))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s\n got %v\nwant %s", tc.checks, err, tc.want)
		}
	}
}

// TestCheckChoices protects the program's choices as the values an
// application may give, with the position of a wrong one.
func TestCheckChoices(t *testing.T) {
	r, err := ParseRules([]byte(langRules(`[{"when": {"field": "practices", "is": "spam"}, "say": "s", "basis": "program", "cite": "c"},
{"when": {"channels": {"any": {"field": "kind", "is": "shop"}}}, "say": "s", "basis": "program", "cite": "c"}]`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ app, want string }{
		{`{"program": "acme", "practices": ["spam", "ok"], "channels": [{"kind": "blog"}]}`, ""},
		{`{"program": "acme", "access_path": "anything"}`, ""}, // Acme does not ask for it
		{"{\"program\": \"acme\",\n \"channels\": [{\"kind\": \"blog\"}, {\"kind\": \"vlog\"}]}", `2:42: channels[1].kind: unknown value "vlog" for Acme; want one of blog, shop`},
		{`{"program": "acme", "practices": ["phishing"]}`, `1:35: practices[0]: unknown value "phishing" for Acme; want one of spam, bots, ok`},
	} {
		a, err := Decode([]byte(tc.app))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if err := r.CheckChoices(&a); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.app, got, tc.want)
		}
	}
}
