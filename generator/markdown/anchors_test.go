package markdown

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestHeadingAnchors protects stable anchors: a {#id} that is not one word is an Error at
// its {, with the anchor to write instead, rather than heading text with a made-up id; two
// headings with one anchor, written or generated, are an Error at the second; the author's
// anchor counts as written even when it is wrong (the Error says so, once).
func TestHeadingAnchors(t *testing.T) {
	src := strings.Join([]string{
		"## Who can apply {#who can apply}", // 1
		"## Fees {#}",
		"## Terms {#terms #conditions}",
		"## Pasted {#no\u00a0break}",
		"## Closed {#closed} ##", // 5
		"## Fine {#gebühren}",
		"## Review",
		"## Again {#review}",
		"#### Deep {#gebühren}",
		"## Literal \\{#not an anchor}", // 10
		"",
	}, "\n\n")
	doc := New(Config{}).Convert([]byte(src), Options{})
	var got []string
	for _, e := range doc.Errors {
		line, col := at(src, e.Offset)
		got = append(got, fmt.Sprintf("%d:%d: %s", line, col, e.Msg))
	}
	want := []string{
		`1:18: heading anchor {#who can apply} is not valid: an anchor is one word of letters, digits, "-", "_", ":" or ".", with no spaces; write {#who-can-apply}`,
		`3:9: heading anchor {#} is empty: write a word after the #, as in {#fees}`,
		`5:10: heading {#terms #conditions} gives 2 anchors, #terms and #conditions: keep one`,
		`7:11: heading anchor {#no` + "\u00a0" + `break} is not valid: an anchor is one word of letters, digits, "-", "_", ":" or ".", with no spaces; write {#no-break}`,
		`9:11: heading anchor {#closed} must end the line: remove "##" after it`,
		`15:4: two headings have the anchor #review: "Review" and "Again"; rename one, or links to #review land on the first`,
		`17:6: two headings have the anchor #gebühren: "Fine" and "Deep"; rename one, or links to #gebühren land on the first`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
	var explicit []string
	for _, h := range doc.Headings {
		explicit = append(explicit, fmt.Sprintf("%s=%v", h.ID, h.Explicit))
	}
	if want := []string{
		"who-can-apply-who-can-apply=true", "=true", "conditions=true", "no\u00a0break=true", "closed-closed=true",
		"gebühren=true", "review=false", "review=true", "literal-not-an-anchor=false",
	}; !slices.Equal(explicit, want) {
		t.Errorf("ids and Explicit:\n got  %q\n want %q", explicit, want)
	}
}
