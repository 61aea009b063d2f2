package screening

import (
	"bytes"
	"strings"
	"testing"
)

// TestPrintable protects reviewers' terminals from applicant text: what
// Printable escapes, and that the rest is left alone.
func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain günter 😀 \\n stays", "plain günter 😀 \\n stays"},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"a\r\nb\tc\vd\fe\bf\ag", `a\r\nb\tc\vd\fe\bf\ag`},
		{"\x00\x7f", `\x00\x7f`},
		{"\u0085\u009b31m", `\u0085\u009b31m`},
		{"\u2028\u2029", `\u2028\u2029`},
		{"\u202a\u202b\u202c\u202d\u202eabc", `\u202a\u202b\u202c\u202d\u202eabc`},
		{"\u2066\u2067\u2068\u2069\u200e\u200f\u061c", `\u2066\u2067\u2068\u2069\u200e\u200f\u061c`},
		{"M\xfcller \xe2\x82", `M\xfcller \xe2\x82`},
		{"\uFFFD\u200d\u00a0", "\uFFFD\u200d\u00a0"}, // visible or harmless
	} {
		if got := Printable(tc.in); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWriteTextEscapes protects the one-row-per-application promise of the
// table against hostile cells, and bounds the applicant column.
func TestWriteTextEscapes(t *testing.T) {
	res := Result{Program: AliExpress, Verdict: VerdictNeedsWork, Findings: []Finding{
		{Rule: "invalid-email", Severity: SeverityFix, Message: "The email \"\u202e@x\" is not\na valid address."},
	}}
	long := strings.Repeat("é", 100)
	var out bytes.Buffer
	if err := WriteText(&out, []Row{
		{Source: "a\x1b.jsonl:1", Applicant: "evil\r\nb.jsonl:2  forged  aliexpress  ready", Result: res},
		{Source: "a.jsonl:2", Applicant: long, Result: Result{Program: AliExpress, Verdict: VerdictReady}},
	}); err != nil {
		t.Fatal(err)
	}
	want := `SOURCE         APPLICANT                                                         PROGRAM     VERDICT     REPLY
a\x1b.jsonl:1  evil\r\nb.jsonl:2  forged  aliexpress  ready                      aliexpress  needs-work  -
    fix     invalid-email  The email "\u202e@x" is not\na valid address.
a.jsonl:2      ` + strings.Repeat("é", 63) + `…  aliexpress  ready       -
2 applications: 1 ready, 1 needs-work
`
	if out.String() != want {
		t.Errorf("WriteText:\n%s\nwant:\n%s", out.String(), want)
	}
}
