package screening

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"affdocs/generator/golden"
)

// fixtureRules returns the rules fixtures of both programs, by program.
func fixtureRules(t testing.TB) map[string]Rules {
	t.Helper()
	m := map[string]Rules{}
	for _, p := range Programs() {
		data, err := os.ReadFile(filepath.Join("testdata", "rules", p+".json"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseRules(data)
		if err != nil {
			t.Fatalf("testdata/rules/%s.json:%v", p, err)
		}
		m[p] = r
	}
	return m
}

// appFiles returns the application fixtures (not their golden files).
func appFiles(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join("testdata", "apps", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".golden.json") {
			files = append(files, f)
		}
	}
	if len(files) < 40 {
		t.Fatalf("want at least 40 application fixtures, have %d", len(files))
	}
	return files
}

// TestGolden protects the result of every application fixture: verdict,
// findings, messages and reply window. Run with -update after a deliberate
// change and review the diff.
func TestGolden(t *testing.T) {
	rules := fixtureRules(t)
	for _, file := range appFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			app, err := Decode(data)
			if err != nil {
				t.Fatalf("%s:%v", file, err)
			}
			got := EncodeJSON(Screen(rules[app.Program], app))
			var indented bytes.Buffer
			if err := json.Indent(&indented, got, "", "  "); err != nil {
				t.Fatalf("EncodeJSON gave invalid JSON: %v\n%s", err, got)
			}
			indented.WriteByte('\n')
			golden.File(t, strings.TrimSuffix(file, ".json")+".golden.json", indented.Bytes())
		})
	}
}

// TestEncodeJSONMatchesMarshal protects the promise that EncodeJSON is
// byte for byte encoding/json's Marshal, for every fixture and for the
// strings that encoding/json escapes.
func TestEncodeJSONMatchesMarshal(t *testing.T) {
	rules := fixtureRules(t)
	var results []Result
	for _, file := range appFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		app, err := Decode(data)
		if err != nil {
			t.Fatalf("%s:%v", file, err)
		}
		results = append(results, Screen(rules[app.Program], app))
	}
	tricky := "<a href=\"x\">&amp;</a>\\ \b\f\n\r\t\x00\x01\x1f\x7f é \u2028\u2029 \xff\xfe \xed\xa0\x80 😀 \ufffd"
	results = append(results,
		Result{},
		Result{Program: tricky, Edition: tricky, Verdict: tricky, Findings: []Finding{{tricky, tricky, tricky, tricky, tricky, tricky, tricky, tricky, []string{tricky, ""}}, {}}, ReplyWindow: &Window{tricky, tricky}},
		Result{Findings: []Finding{}, ReplyWindow: &Window{}},
	)
	for _, r := range results {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := EncodeJSON(r); !bytes.Equal(got, want) {
			t.Errorf("EncodeJSON differs from json.Marshal\ngot:  %s\nwant: %s", got, want)
		}
	}
}

// TestWriteText protects the reviewers' table of the screen command.
func TestWriteText(t *testing.T) {
	rules := fixtureRules(t)
	var rows []Row
	for _, name := range []string{"ad-ready-blog", "ad-everything-wrong", "ax-admitad-incomplete", "ad-stale-no-submitted", "ax-coupon-site-clear-plan"} {
		data, err := os.ReadFile(filepath.Join("testdata", "apps", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		app, err := Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, Row{Source: name + ".json:1", Applicant: app.Username, Result: Screen(rules[app.Program], app)})
	}
	var got bytes.Buffer
	if err := WriteText(&got, rows); err != nil {
		t.Fatal(err)
	}
	golden.File(t, filepath.Join("testdata", "screen.txt"), got.Bytes())
}

// TestSelfCheck protects the browser entry point: the same JSON as
// EncodeJSON(Screen(...)) for valid input, and a positioned error object
// otherwise.
func TestSelfCheck(t *testing.T) {
	rules := fixtureRules(t)
	ruleData := map[string][]byte{}
	for _, p := range Programs() {
		b, err := os.ReadFile(filepath.Join("testdata", "rules", p+".json"))
		if err != nil {
			t.Fatal(err)
		}
		ruleData[p] = b
	}
	for _, file := range appFiles(t) {
		data, _ := os.ReadFile(file)
		app, err := Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		want := EncodeJSON(Screen(rules[app.Program], app))
		if got := SelfCheck(data, ruleData[app.Program]); !bytes.Equal(got, want) {
			t.Errorf("%s: SelfCheck = %s, want %s", file, got, want)
		}
	}
	for _, tc := range []struct{ app, rules, want string }{
		{`{"program": 1}`, string(ruleData[AliExpress]), `{"error":"program: want a string, got a number","source":"application","line":1,"col":13}`},
		{"{\n \"program\": \"aliexpress\",,}", string(ruleData[AliExpress]), `{"error":"unexpected ','; want '\"' starting a key","source":"application","line":2,"col":26}`},
		{`{"program": "aliexpress"}`, `{"program": "aliexpress", "rules": [{"id": "x", "severity": "maybe"}]}`, `{"error":"name: missing","source":"rules","line":1,"col":1}`},
		{`{"program": "aliexpress", "access_path": "admitad"}`, string(ruleData[AliExpress]), `{"error":"access_path: unknown value \"admitad\" for AliExpress; want one of portals, network","source":"application","line":1,"col":42}`},
		{`{"program": "alidropship"}`, string(ruleData[AliExpress]), `{"error":"the application is for alidropship but the rules are for aliexpress","source":"application"}`},
	} {
		if got := string(SelfCheck([]byte(tc.app), []byte(tc.rules))); got != tc.want {
			t.Errorf("SelfCheck(%q)\n got %s\nwant %s", tc.app, got, tc.want)
		}
		if !json.Valid([]byte(tc.want)) {
			t.Errorf("want is not JSON: %s", tc.want)
		}
	}
}
