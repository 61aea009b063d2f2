package screening

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeErrors protects the messages and positions reviewers see for
// bad input (the screen command prints FILE: before them).
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, `1:1: unexpected end of input; want an application object`},
		{`   `, `1:4: unexpected end of input; want an application object`},
		{`[]`, `1:1: want an application object, got a list`},
		{`nul`, `1:1: unexpected 'n'; want an application object`},
		{`"x"`, `1:1: want an application object, got a string`},
		{`{}`, `1:1: program: missing; want the program's folder name, such as "alidropship"`},
		{`{"program": ""}`, `1:13: program: missing; want the program's folder name, such as "alidropship"`},
		{`{"program": 3}`, `1:13: program: want a string, got a number`},
		{"{\"program\": \"aliexpress\",\n \"accepts_terms\": \"yes\"}", `2:19: accepts_terms: want true or false, got a string`},
		{`{"program": "aliexpress", "channels": {}}`, `1:39: channels: want a list of channel objects, got an object`},
		{`{"program": "aliexpress", "channels": ["https://x.example"]}`, `1:40: channels[0]: want a channel object, got a string`},
		{`{"program": "aliexpress", "channels": [{"public": "true"}]}`, `1:51: channels[0].public: want true or false, got a string`},
		{`{"program": "aliexpress", "channels": [{"original_posts": "40"}]}`, `1:59: channels[0].original_posts: want a whole number, got a string`},
		{`{"program": "aliexpress", "channels": [{"original_posts": -1}]}`, `1:59: channels[0].original_posts: want a whole number from 0 to 1000000000, got -1`},
		{`{"program": "aliexpress", "channels": [{"original_posts": 2.5}]}`, `1:59: channels[0].original_posts: want a whole number from 0 to 1000000000, got 2.5`},
		{`{"program": "aliexpress", "channels": [{"original_posts": 1e3}]}`, `1:59: channels[0].original_posts: want a whole number from 0 to 1000000000, got 1e3`},
		{`{"program": "aliexpress", "channels": [{"original_posts": 99999999999}]}`, `1:59: channels[0].original_posts: want a whole number from 0 to 1000000000, got 99999999999`},
		{`{"program": "aliexpress", "channels": [{"last_post": "02/11/2026"}]}`, `1:54: channels[0].last_post: "02/11/2026" is not a date; want YYYY-MM-DD`},
		{`{"program": "aliexpress", "submitted": "2026-02-30"}`, `1:40: submitted: "2026-02-30" is not a date; want YYYY-MM-DD`},
		{`{"program": "aliexpress", "traffic_sources": "seo"}`, `1:46: traffic_sources: want a list of strings, got a string`},
		{`{"program": "aliexpress", "geos": ["US", 1]}`, `1:42: geos[1]: want a string, got a number`},
		{`{"program": "aliexpress", "geos": [null]}`, `1:36: geos[0]: want a string, got null`},
		// Syntax.
		{`{"program": "aliexpress",}`, `1:26: unexpected '}'; want '"' starting a key`},
		{`{"program": "aliexpress" "email": "x"}`, `1:26: unexpected '"'; want ',' or '}'`},
		{`{"program" "aliexpress"}`, `1:12: unexpected '"'; want ':' after a key`},
		{`{program: "aliexpress"}`, `1:2: unexpected 'p'; want '"' starting a key`},
		{`{'program': 'aliexpress'}`, `1:2: unexpected "'"; want '"' starting a key`},
		{`{"program": "aliexpress"`, `1:25: unexpected end of input; want ',' or '}'`},
		{`{"program": "aliexpress"} {}`, `1:27: unexpected '{'; want end of input after the object`},
		{`{"program": "aliexpress", "email": "me@example.org`, `1:36: string not closed`},
		{"{\"program\": \"aliexpress\", \"email\": \"me@\n\"}", `1:36: string not closed on its line`},
		{"{\"program\": \"aliexpress\", \"email\": \"a\tb\"}", `1:38: unexpected control character U+0009; want '"' or a character other than a control character`},
		{`{"program": "aliexpress", "email": "\x"}`, `1:38: unexpected 'x'; want an escape character (one of "\/bfnrtu)`},
		{`{"program": "aliexpress", "email": "\u12"}`, `1:37: invalid \u escape; want \u and 4 hex digits`},
		{`{"program": "aliexpress", "accepts_terms": tru}`, `1:47: unexpected '}'; want 'e' in true`},
		{`{"program": "aliexpress", "x": 01}`, `1:33: unexpected '1'; want ',' or '}'`},
		{`{"program": "aliexpress", "x": -}`, `1:33: unexpected '}'; want a digit`},
		{`{"program": "aliexpress", "x": 1.}`, `1:34: unexpected '}'; want a digit`},
		{`{"program": "aliexpress", "x": [1,]}`, `1:35: unexpected ']'; want a value`},
		{"{\"program\": \"aliexpress\", \"x\": \xff}", `1:32: unexpected byte 0xFF; want a value`},
		{`{"program": "aliexpress", "x": ` + strings.Repeat("[", 300), `1:231: objects and lists nested too deeply`},
	} {
		_, err := Decode([]byte(tc.in))
		if err == nil {
			t.Errorf("Decode(%q) succeeded, want %s", tc.in, tc.want)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("Decode(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
		var de *DecodeError
		if !errors.As(err, &de) || de.Offset < 0 || de.Offset > len(tc.in) {
			t.Errorf("Decode(%q): error %#v is not a *DecodeError within the input", tc.in, err)
		}
	}
}

// TestDecodeValues protects what a valid application decodes to, including
// nulls, unknown fields, escapes and invalid UTF-8.
func TestDecodeValues(t *testing.T) {
	in := "\n{\"program\": \"aliexpress\", \"access_path\": \"admitad\", \"username\": \"g\\u00fcnter \\ud83d\\ude00\",\n" +
		"\"email\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"paypal_email\": null, \"unknown\": {\"deep\": [1, 2.5e-3, true, null, \"x\"]},\n" +
		"\"channels\": [{\"url\": \"https://x.example\", \"kind\": \"blog\", \"public\": true, \"status\": \"active\", \"last_post\": \"2026-11-02\", \"original_posts\": 40, \"copied_or_generated\": false, \"extra\": 1}, {}],\n" +
		"\"niche\": \"bad \xff utf8 \\ud800 lone\", \"traffic_sources\": [\"seo\", \"ppc\"], \"geos\": [], \"content_types\": null,\n" +
		"\"promotion\": \"p\", \"practices\": [\"cookie-stuffing\"], \"network_profile_complete\": true, \"accepts_terms\": false, \"submitted\": \"2026-11-20\", \"Program\": \"ignored\"}\n"
	got, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Application{
		Program: AliExpress, AccessPath: "admitad", Username: "günter 😀", Email: "a\"b\\c/d\b\f\n\r\t",
		Channels: []Channel{
			{URL: "https://x.example", Kind: "blog", Public: true, Status: "active", LastPost: "2026-11-02", OriginalPosts: 40},
			{},
		},
		Niche: "bad \uFFFD utf8 \uFFFD lone", TrafficSources: []string{"seo", "ppc"}, Geos: []string{},
		Promotion: "p", Practices: []string{"cookie-stuffing"}, NetworkProfileComplete: true, Submitted: "2026-11-20",
	}
	if got.choices = nil; !reflect.DeepEqual(got, want) {
		t.Errorf("Decode:\n got %#v\nwant %#v", got, want)
	}
	// encoding/json agrees where the two are meant to (it matches keys
	// case-insensitively, so drop the "Program" key first).
	var std Application
	if err := json.Unmarshal([]byte(strings.Replace(in, `"Program"`, `"other"`, 1)), &std); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, std) {
		t.Errorf("encoding/json disagrees:\n ours %#v\n std  %#v", got, std)
	}
}

// TestDecodeAll protects reading a file of many applications: JSON Lines,
// pretty-printed objects, and recovery after bad lines.
func TestDecodeAll(t *testing.T) {
	in := strings.Join([]string{
		`{"program": "alidropship", "username": "one"}`,
		`{"program": "aliexpress", "channels": "https://x.example"}`,
		`{"program": "aliexpress", "email": "broken}`,
		``,
		`{"program": "aliexpress", "username": "four"}`,
		`{"program": "amazon"}`,
		`{`,
		`  "program": "aliexpress",`,
		`  "channels": [`,
		`    {"url": "https://pretty.example"}`,
		`  ],`,
		`  "username": "pretty"`,
		`}`,
		`{"program": "aliexpress", "username": "unterminated"`,
		`{"program": "alidropship", "username": "after"} {"program": "alidropship", "username": "same line"}`,
		`not json at all`,
		`  {"program": "aliexpress", "username": "indented"}`,
		" \t\r",
		`{"program": "aliexpress", "username": "last"}`,
	}, "\n")
	want := []item{
		{1, 1, "one", ""},
		{2, 2, "", "2:39: channels: want a list of channel objects, got a string"},
		{3, 3, "", "3:36: string not closed on its line"},
		{5, 5, "four", ""},
		{6, 6, "", ""}, // a program the decoder does not judge: screen says it has no rules for it
		{7, 13, "pretty", ""},
		{14, 14, "", "14:53: unexpected end of line; want ',' or '}'"},
		{15, 15, "", "15:49: unexpected '{'; want end of line after the object"},
		{16, 16, "", "16:1: unexpected 'n'; want an application object"},
		{17, 17, "indented", ""},
		{19, 19, "last", ""},
	}
	if got := items(DecodeAll([]byte("\uFEFF" + in))); !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeAll:\n got %+v\nwant %+v", got, want)
	}
	if items := DecodeAll(nil); len(items) != 0 {
		t.Errorf("DecodeAll(nil) = %v", items)
	}
	list, err := DecodeLines(strings.NewReader(" \n\t{\"program\":\"aliexpress\"}\r\n"))
	if err != nil || len(list) != 1 || list[0].Err != nil || list[0].Line != 2 {
		t.Errorf("DecodeLines = %+v, %v", list, err)
	}
}

// item is an [Item] as the tests compare it.
type item struct {
	Line, EndLine int
	User, Err     string
}

func items(list []Item) []item {
	var got []item
	for _, it := range list {
		l := item{Line: it.Line, EndLine: it.EndLine, User: it.App.Username}
		if it.Err != nil {
			l.Err = it.Err.Error()
		}
		got = append(got, l)
	}
	return got
}

// TestDecodeAllLayouts protects how DecodeAll tells one application from
// JSON Lines, and its errors for bad and hostile bytes.
func TestDecodeAllLayouts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []item
	}{
		{"one object wrapped by hand", "{\"program\": \"aliexpress\",\n \"username\": \"wrapped\"}\n", []item{{1, 2, "wrapped", ""}}},
		{"one object, a type error", "\n\n{\"program\": \"aliexpress\",\n \"email\": 42}", []item{{3, 4, "", "4:11: email: want a string, got a number"}}},
		{"a list", "[\n{\"program\": \"aliexpress\"}\n]\n", []item{{1, 3, "", "1:1: want an application object, got a list; to screen many applications, put one object on each line (JSON Lines)"}}},
		{"pretty objects one after another (jq .)", "{\n  \"program\": \"aliexpress\",\n  \"username\": \"a\"\n}\n{\n  \"program\": \"alidropship\",\n  \"username\": \"b\"\n}\n",
			[]item{{1, 4, "a", ""}, {5, 8, "b", ""}}},
		{"a pretty object missing a comma", "{\n  \"program\": \"aliexpress\"\n  \"username\": \"a\"\n}\n",
			[]item{{1, 4, "", "3:3: unexpected '\"'; want ',' or '}'"}}},
		{"a truncated pretty object before a line", "{\n  \"program\": \"aliexpress\",\n{\"program\": \"aliexpress\", \"username\": \"next\"}\n",
			[]item{{1, 2, "", "3:1: unexpected '{'; want '\"' starting a key"}, {3, 3, "next", ""}}},
		{"a truncated pretty object at the end", "{\"program\": \"aliexpress\", \"username\": \"first\"}\n{\n  \"program\": \"aliexpress\",\n",
			[]item{{1, 1, "first", ""}, {2, 3, "", "4:1: unexpected end of input; want '\"' starting a key"}}},
		{"text after a pretty object", "{\n\"program\": \"aliexpress\"\n} x\n{\"program\": \"aliexpress\", \"username\": \"next\"}",
			[]item{{1, 3, "", "3:3: unexpected 'x'; want end of line after the object"}, {4, 4, "next", ""}}},
		{"CRLF", "{\"program\": \"aliexpress\", \"username\": \"a\"\r\n{\"program\": \"aliexpress\", \"username\": \"b\"}\r\n",
			[]item{{1, 1, "", "1:42: unexpected end of line; want ',' or '}'"}, {2, 2, "b", ""}}},
		{"invalid UTF-8 (Latin-1)", "{\"program\": \"aliexpress\", \"username\": \"M\xfcller\"}\n{\"program\": \"aliexpress\", \"username\": \"b\"}",
			[]item{{1, 1, "", "1:41: invalid UTF-8 (byte 0xFC); save the file as UTF-8"}, {2, 2, "b", ""}}},
		{"invalid UTF-8 in one document", "{\"program\": \"aliexpress\",\n\"username\": \"\xe2\x82\"}",
			[]item{{1, 2, "", "2:14: invalid UTF-8 (byte 0xE2); save the file as UTF-8"}}},
		{"a NUL byte in a string", "{\"program\": \"aliexpress\", \"username\": \"a\x00b\"}\n{\"program\": \"aliexpress\", \"username\": \"b\"}",
			[]item{{1, 1, "", "1:41: unexpected control character U+0000; want '\"' or a character other than a control character"}, {2, 2, "b", ""}}},
		{"a NUL byte between lines", "{\"program\": \"aliexpress\", \"username\": \"a\"}\n\x00\n{\"program\": \"aliexpress\", \"username\": \"b\"}",
			[]item{{1, 1, "a", ""}, {2, 2, "", "2:1: unexpected control character U+0000; want an application object"}, {3, 3, "b", ""}}},
		{"a bidi override before a line", "\u202e{\"program\": \"aliexpress\"}\n{\"program\": \"aliexpress\", \"username\": \"b\"}",
			[]item{{1, 1, "", "1:1: unexpected invisible character U+202E; want an application object"}, {2, 2, "b", ""}}},
		{"a C1 control", "\u0085\n{\"program\": \"aliexpress\", \"username\": \"b\"}",
			[]item{{1, 1, "", "1:1: unexpected control character U+0085; want an application object"}, {2, 2, "b", ""}}},
		{"a byte order mark inside", "{\"program\": \"aliexpress\", \"username\": \"a\"}\n\uFEFF{\"program\": \"aliexpress\"}",
			[]item{{1, 1, "a", ""}, {2, 2, "", "2:1: unexpected byte order mark U+FEFF; want an application object"}}},
		{"UTF-16", "\xff\xfe{\x00\n\x00}\x00", []item{{1, 2, "", "1:1: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"}}},
		{"only white space", " \n\t\r\n", nil},
		{"escapes and controls inside strings are text", `{"program": "aliexpress", "username": "\u001b[2J\r\nready\u202e"}` + "\n",
			[]item{{1, 1, "\x1b[2J\r\nready\u202e", ""}}},
	} {
		if got := items(DecodeAll([]byte(tc.in))); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: DecodeAll(%q)\n got %+v\nwant %+v", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestDecodeAllHugeLine protects a batch with one enormous line: a
// broken one is reported at its exact column and the lines after it are
// read.
func TestDecodeAllHugeLine(t *testing.T) {
	long := strings.Repeat("word ", 1<<20)
	in := `{"program": "aliexpress", "promotion": "` + long + `"}` + "\n" +
		`{"program": "aliexpress", "promotion": "` + long + "\n" +
		`{"program": "aliexpress", "username": "after"}`
	got := items(DecodeAll([]byte(in)))
	want := []item{{1, 1, "", ""}, {2, 2, "", "2:40: string not closed on its line"}, {3, 3, "after", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeAll:\n got %+v\nwant %+v", got, want)
	}
}
