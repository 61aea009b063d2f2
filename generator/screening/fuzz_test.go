package screening

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
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
			_ = r.Validate()
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
