package screening

// How a promotion plan is read.
//
// Words are counted the way a reader would: runs of characters separated
// by white space, where a run made only of punctuation (a lone dash) does
// not count, and every Chinese or Japanese character counts as one word
// because those languages do not separate words with spaces.
//
// A plan is generic when it uses one of genericPhrases and names none of
// specificTerms and no number: "I will promote your products online and
// on social media to reach many people" is generic; "I will post weekly
// YouTube reviews of phone cases" is not. Both lists are short on
// purpose: they catch the wording reviewers reject ("I will promote
// online"), and a plan that passes still gets read by a person.

// genericPhrases, matched on whole words, case-insensitively.
var genericPhrases = []string{
	"promote online",
	"promote it online",
	"promote them online",
	"promote your products online",
	"online promotion",
	"on the internet",
	"social media",
	"social networks",
	"all platforms",
	"various platforms",
	"various channels",
	"different channels",
	"many channels",
	"everywhere",
	"word of mouth",
	"online marketing",
	"digital marketing",
}

// specificTerms name a platform, a method or a kind of content.
var specificTerms = []string{
	"seo", "google", "bing", "keyword", "keywords",
	"blog", "blogs", "youtube", "instagram", "tiktok", "facebook", "telegram",
	"pinterest", "twitter", "reddit", "linkedin", "whatsapp", "discord", "quora",
	"twitch", "snapchat", "vk", "reels", "shorts",
	"newsletter", "newsletters", "email", "emails", "mailing", "podcast", "podcasts",
	"review", "reviews", "comparison", "comparisons", "guide", "guides",
	"tutorial", "tutorials", "roundup", "roundups", "video", "videos",
	"article", "articles", "unboxing", "unboxings", "webinar", "webinars",
	"course", "courses", "coupon", "coupons", "deal", "deals",
}

// countWords counts the words of s (see above).
func countWords(s string) int {
	n := 0
	inWord := false
	for _, r := range s {
		switch {
		case isSpace(r):
			inWord = false
		case isCJK(r):
			n++
			inWord = false
		case r < 0x80 && !isAlnum(byte(r)), r >= 0x2000 && r <= 0x206F, r >= 0x3000 && r <= 0x303F:
			// punctuation: part of a word, but not enough to make one
		case !inWord:
			n++
			inWord = true
		}
	}
	return n
}

// isCJK reports Han ideographs and Japanese kana.
func isCJK(r rune) bool {
	return r >= 0x3040 && r <= 0x30FF || // hiragana, katakana
		r >= 0x3400 && r <= 0x4DBF || r >= 0x4E00 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF ||
		r >= 0x20000 && r <= 0x2FFFF
}

// normalize lowercases ASCII letters and turns every run of characters
// other than letters and digits into one space, with a space at each end.
func normalize(s string) string {
	b := make([]byte, 1, len(s)+2)
	b[0] = ' '
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case isAlnum(c) || c >= 0x80:
			b = append(b, c)
		case b[len(b)-1] != ' ':
			b = append(b, ' ')
		}
	}
	if b[len(b)-1] != ' ' {
		b = append(b, ' ')
	}
	return string(b)
}

// genericWording returns the generic phrases of a plan that names nothing
// specific, quoted and joined ("\"social media\", \"everywhere\""), or "".
func genericWording(plan string) string {
	text := normalize(plan)
	for _, term := range specificTerms {
		if hasSubstring(text, " "+term+" ") {
			return ""
		}
	}
	for i := 0; i < len(text); i++ {
		if isDigit(text[i]) {
			return ""
		}
	}
	var found []string
	for _, p := range genericPhrases {
		if hasSubstring(text, " "+p+" ") {
			found = append(found, `"`+p+`"`)
		}
	}
	return join(found, ", ")
}
