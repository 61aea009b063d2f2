package screening

// The programs of the site's content, whose rules.json the fixtures in
// testdata/rules are (see TestRulesFixtures in package main).
const (
	AliDropship = "alidropship"
	AliExpress  = "aliexpress"
)

// Programs are the programs of the rules fixtures: the two of the site and ParcelPal, the
// fictional program of generator/testdata/thirdprogram.
func Programs() []string { return []string{AliDropship, AliExpress, "parcelpal"} }
