package screening

// The programs of the site's content, whose rules.json the fixtures in
// testdata/rules are (see TestRulesFixtures in package main).
const (
	AliDropship = "alidropship"
	AliExpress  = "aliexpress"
)

func Programs() []string { return []string{AliDropship, AliExpress} }
