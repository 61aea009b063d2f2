package screening

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzScreen protects the decoders and Screen against any input: no
// panic, errors inside the input, and output that is valid JSON identical
// to encoding/json's.
func FuzzScreen(f *testing.F) {
	rules := fixtureRules(f)
	for _, file := range appFiles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``, `{`, `[`, `{"program":"aliexpress","channels":[{}]}`, "{\"program\":\"aliexpress\"}\n{\"program\":",
		`{"program":"alidropship","submitted":"9999-12-31","channels":[{"url":"x","public":true,"status":"active","last_post":"0001-01-01"}]}`,
		`{"program":"aliexpress","email":"\ud800\udc00\u2028<>&","promotion":"` + "\xff\xfe" + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, it := range DecodeAll(data) {
			if it.Err != nil && (it.Err.Offset < 0 || it.Err.Offset > len(data) || it.Err.Line < 1 || it.Err.Col < 1) {
				t.Fatalf("DecodeAll: error outside the input: %+v", it.Err)
			}
		}
		if r, err := ParseRules(data); err == nil {
			_ = Screen(r, Application{Program: r.Program, Submitted: "2026-11-20"})
		}
		app, err := Decode(data)
		if err != nil {
			if de, ok := err.(*DecodeError); !ok || de.Offset < 0 || de.Offset > len(data) {
				t.Fatalf("Decode: bad error %#v", err)
			}
			return
		}
		for _, p := range Programs() {
			res := Screen(rules[p], app)
			got := EncodeJSON(res)
			want, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("EncodeJSON differs from json.Marshal\ngot:  %s\nwant: %s", got, want)
			}
			if res.Verdict == "" || res.Findings == nil {
				t.Fatalf("incomplete result %+v", res)
			}
		}
	})
}

// FuzzScreenInput protects what the screen command does with a file: no
// panic; every non-blank line is covered by exactly one item, in order;
// when no line is a lone "{" and the file is not one JSON value, each
// non-blank line is its own item (a value ends at its line's end); every
// error lies inside the input; and the reviewers' table of the good items
// has one row per item and nothing a terminal would act on. The seed
// corpus is in testdata/fuzz/FuzzScreenInput.
func FuzzScreenInput(f *testing.F) {
	rules := fixtureRules(f)
	for _, s := range []string{
		"{\"program\":\"aliexpress\",\"username\":\"cut\n{\"program\":\"aliexpress\"}\n",
		"{\n  \"program\": \"aliexpress\"\n}\n{\n  \"program\": \"alidropship\",\n",
		"\uFEFF \t\r\n\n{\"program\":\"alidropship\",\"username\":\"\\u001b[2J\\r\\n\u202e\u0085\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items := DecodeAll(data)
		text := data
		if bytes.HasPrefix(text, []byte("\uFEFF")) {
			text = text[3:]
		}
		lines := bytes.Split(text, []byte("\n"))
		utf16 := bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
		prevEnd := 0
		for _, it := range items {
			if it.Line <= prevEnd || it.EndLine < it.Line || it.EndLine > len(lines) {
				t.Fatalf("item lines %d-%d after %d, %d lines: %+v", it.Line, it.EndLine, prevEnd, len(lines), items)
			}
			prevEnd = it.EndLine
			if e := it.Err; e != nil && (e.Offset < 0 || e.Offset > len(data) || e.Line < it.Line || e.Line > it.EndLine+1 || e.Col < 1) {
				t.Fatalf("error outside its item %d-%d: %+v", it.Line, it.EndLine, e)
			}
		}
		lone, blanks := false, 0
		var nonBlank []int
		for i, l := range lines {
			l = bytes.Trim(l, " \t\r")
			switch {
			case len(l) == 0:
				blanks++
				continue
			case string(l) == "{":
				lone = true
			}
			nonBlank = append(nonBlank, i+1)
			covered := false
			for _, it := range items {
				covered = covered || it.Line <= i+1 && i+1 <= it.EndLine
			}
			if !covered && !utf16 {
				t.Fatalf("line %d (%q) is neither screened nor reported: %+v", i+1, lines[i], items)
			}
		}
		if !utf16 && !lone && !json.Valid(text) {
			if len(items) != len(nonBlank) {
				t.Fatalf("%d items for %d non-blank lines: %+v", len(items), len(nonBlank), items)
			}
			for i, it := range items {
				if it.Line != nonBlank[i] || it.EndLine != it.Line {
					t.Fatalf("item %d on lines %d-%d, want line %d", i, it.Line, it.EndLine, nonBlank[i])
				}
			}
		}
		var rows []Row
		findings := 0
		for _, it := range items {
			if it.Err == nil {
				res := Screen(rules[it.App.Program], it.App)
				if !json.Valid(EncodeJSON(res)) {
					t.Fatalf("invalid JSON for %+v", it.App)
				}
				rows = append(rows, Row{Source: "f:" + itoa(it.Line), Applicant: it.App.Username, Result: res})
				findings += len(res.Findings)
			}
		}
		var out bytes.Buffer
		if err := WriteText(&out, rows); err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(out.Bytes(), []byte("\n")); n != len(rows)+findings+2 {
			t.Fatalf("table has %d lines for %d rows and %d findings:\n%s", n, len(rows), findings, out.Bytes())
		}
		if !utf8.Valid(out.Bytes()) {
			t.Fatalf("table is not UTF-8:\n%q", out.Bytes())
		}
		for _, r := range out.String() {
			if r < 0x20 && r != '\n' || r == 0x7f || hidden(r) {
				t.Fatalf("table shows %U:\n%q", r, out.Bytes())
			}
		}
	})
}
