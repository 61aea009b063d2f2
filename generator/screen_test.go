package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"affdocs/generator/golden"
	"affdocs/generator/screening"
	"affdocs/generator/site"
)

// copyContent copies the repository's draft content/ (not its editions) into a temp site root.
func copyContent(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir("../content", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", p)
		if d.IsDir() && d.Name() == "_editions" {
			return filepath.SkipDir // an unversioned copy: the draft is the site
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, rel), data, 0o644)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

const tenWordPlan = `{"program":"alidropship","username":"gadgetguide","email":"me@example.org","paypal_email":"pay@example.org",` +
	`"channels":[{"url":"https://gadgetguide.example.org","kind":"blog","public":true,"status":"active","last_post":"2026-11-02","original_posts":40}],` +
	`"niche":"phone accessories","traffic_sources":["seo"],"geos":["US"],"content_types":["reviews"],` +
	`"promotion":"Honest reviews of phone cases and chargers on my blog weekly.","accepts_terms":true,"submitted":"2026-11-20"}`

// TestScreenFollowsContent protects the promise that the rules live in the content: the
// screen command reads the threshold the legal team wrote, so editing it changes the verdict.
func TestScreenFollowsContent(t *testing.T) {
	dir := copyContent(t)
	app := filepath.Join(dir, "app.json")
	if err := os.WriteFile(app, []byte(tenWordPlan), 0o644); err != nil {
		t.Fatal(err)
	}
	screen := func() string {
		var out, errOut bytes.Buffer
		if code := run([]string{"screen", "-src", dir, "-format", "json", app}, &out, &errOut); code != 0 {
			t.Fatalf("screen: exit %d: %s", code, errOut.String())
		}
		return out.String()
	}
	if got := screen(); !strings.Contains(got, `"verdict":"needs-work"`) || !strings.Contains(got, `"rule":"unclear-promotion"`) {
		t.Fatalf("a 10-word plan with min_promotion_words 12: %s", got)
	}
	page := filepath.Join(dir, "content", "alidropship", "_index.md")
	src, _ := os.ReadFile(page)
	edited := strings.Replace(string(src), "min_promotion_words: 12", "min_promotion_words: 8", 1)
	if edited == string(src) {
		t.Fatal("the AliDropship section no longer sets the value min_promotion_words: 12")
	}
	if err := os.WriteFile(page, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := screen(); !strings.Contains(got, `"verdict":"ready"`) {
		t.Errorf("after lowering the threshold to 8 words: %s", got)
	}
}

// TestScreenBadInput protects reviewers' batches: a bad line is reported with FILE:LINE:COL
// and exit 2, and the other applications are still screened.
func TestScreenBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "batch.jsonl")
	batch := tenWordPlan + "\n" + `{"program":"alidropship","email":42}` + "\n" + strings.Replace(tenWordPlan, "gadgetguide", "second", 1) + "\n"
	if err := os.WriteFile(file, []byte(batch), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"screen", "-src", "..", "-format", "json", file}, &out, &errOut)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if want := file + ":2:34: email: want a string, got a number"; !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q does not contain %q", errOut.String(), want)
	}
	if n := strings.Count(out.String(), `"program":"alidropship"`); n != 2 {
		t.Errorf("%d results, want 2 (the good lines):\n%s", n, out.String())
	}
	if code := run([]string{"screen", "-format", "xml", file}, &out, &errOut); code != 2 {
		t.Errorf("bad -format: exit %d, want 2", code)
	}
}

// screenFiles writes files (name to content) into a temporary folder and runs screen on
// them in order, against the repository's site, in the given format.
func screenFiles(t *testing.T, format string, files [][2]string) (dir, stdout, stderr string, code int) {
	t.Helper()
	dir = t.TempDir()
	args := []string{"screen", "-src", "..", "-format", format}
	for _, f := range files {
		name := filepath.Join(dir, f[0])
		if err := os.WriteFile(name, []byte(f[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, name)
	}
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return dir, out.String(), errOut.String(), code
}

// app is tenWordPlan with the username given, as it stands between the quotes in the
// JSON (escapes and raw bytes as they are).
func app(user string) string {
	return strings.Replace(tenWordPlan, `"gadgetguide"`, `"`+user+`"`, 1)
}

// badBatch is input a careless or hostile sender might give screen: each file's lines
// and what the command must say about them.
var badBatch = [][2]string{
	{"truncated.jsonl", `{"program":"alidropship","username":"gadg` + "\n" +
		app("after-truncated") + "\n" +
		`{"program":"alidropship","email":"me@example.org"` + "\n" +
		app("after-unclosed") + "\n"},
	{"blank.jsonl", app("blank-1") + "\n   \t\r\n\n" + app("blank-4") + "\n\n"},
	{"huge.jsonl", strings.Replace(app("huge-good"), `"Honest reviews`, `"`+strings.Repeat("honest ", 1<<20)+`reviews`, 1) + "\n" +
		`{"program":"alidropship","username":"huge-bad","promotion":"` + strings.Repeat("honest ", 1<<20) + "\n" +
		app("after-huge") + "\n"},
	{"latin1.jsonl", app("M\xfcller") + "\n" + app("after-latin1")},
	{"nul.jsonl", app("a\x00b") + "\n\x00\n" + app("after-nul") + "\n"},
	{"hostile.jsonl", app(`\u001b[2J\u001B[H\r\nspoof.jsonl:9  boss  alidropship  ready`) + "\n" +
		strings.Replace(app("\u202eevil\u2066x\u2069 \u009b31m"), `"me@example.org"`, `"\u0007@x\u202e"`, 1) + "\n" +
		"\u202e" + app("bidi-before") + "\n" +
		`{"program":"\u202eamazon"}` + "\n" +
		app("after-hostile") + "\n"},
	{"pretty.json", "{\n  \"program\": \"alidropship\",\n  \"username\": \"pretty\",\n  \"email\": \"me@example.org\"\n}\n"},
	{"empty.jsonl", ""},
}

// TestScreenBadLines protects reviewers' batches against broken and hostile lines: each
// line is decoded on its own, every bad one is reported with FILE:LINE:COL, every good one
// is screened, and the JSON results are exactly what the self-check computes.
func TestScreenBadLines(t *testing.T) {
	dir, out, errOut, code := screenFiles(t, "json", badBatch)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	wantErr := strings.Join([]string{
		"truncated.jsonl:1:37: string not closed on its line",
		"truncated.jsonl:3:50: unexpected end of line; want ',' or '}'",
		"huge.jsonl:2:60: string not closed on its line",
		"latin1.jsonl:1:39: invalid UTF-8 (byte 0xFC); save the file as UTF-8",
		"nul.jsonl:1:39: unexpected control character U+0000; want '\"' or a character other than a control character",
		"nul.jsonl:2:1: unexpected control character U+0000; want an application object",
		"hostile.jsonl:3:1: unexpected invisible character U+202E; want an application object",
		`hostile.jsonl:4:1: the site has no screening rules for program "\u202eamazon"`,
		"empty.jsonl: no applications: the file is empty or only white space",
	}, "\n") + "\n"
	if got := strings.ReplaceAll(errOut, dir+string(filepath.Separator), ""); got != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, wantErr)
	}
	rules, err := loadRules("..", "", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range badBatch {
		for _, it := range screening.DecodeAll([]byte(f[1])) {
			if r, ok := rules[it.App.Program]; it.Err == nil && ok {
				want = append(want, string(screening.EncodeJSON(screening.Screen(r, it.App))))
			}
		}
	}
	if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); !slices.Equal(got, want) || len(got) != 12 {
		t.Errorf("stdout has %d results, want 12:\n%.2000s\nwant:\n%.2000s", len(got), out, strings.Join(want, "\n"))
	}
	// The self-check in the browser gives the same bytes for a hostile line.
	hostile := strings.Split(badBatch[5][1], "\n")[1]
	if !strings.Contains(out, string(screening.SelfCheck([]byte(hostile), publishedRules(t, "alidropship")))) {
		t.Errorf("the JSON output differs from SelfCheck for %q", hostile)
	}
}

// publishedRules is the rules.json the build publishes for program.
func publishedRules(t *testing.T, program string) []byte {
	res, err := site.Build(os.DirFS(".."), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Files[program+"/rules.json"]
}

// TestScreenTableEscapes protects reviewers' terminals: the table shows one row per good
// application, in input order, with control characters, line breaks and bidirectional
// formatting characters escaped, and nothing on stdout or stderr that a terminal acts on.
func TestScreenTableEscapes(t *testing.T) {
	_, out, errOut, code := screenFiles(t, "text", badBatch)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	for _, s := range []string{out, errOut} {
		for i, r := range s {
			if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == utf8.RuneError {
				t.Errorf("output has %U at byte %d: %q", r, i, s[max(i-40, 0):min(i+40, len(s))])
			}
		}
	}
	var sources []string
	for _, line := range strings.Split(out, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "SOURCE") && !strings.Contains(line, "applications:") {
			source, _, _ := strings.Cut(line, " ")
			sources = append(sources, filepath.Base(source))
		}
	}
	wantSources := []string{
		"truncated.jsonl:2", "truncated.jsonl:4", "blank.jsonl:1", "blank.jsonl:4", "huge.jsonl:1", "huge.jsonl:3",
		"latin1.jsonl:2", "nul.jsonl:3", "hostile.jsonl:1", "hostile.jsonl:2", "hostile.jsonl:5", "pretty.json:1",
	}
	if !slices.Equal(sources, wantSources) {
		t.Errorf("rows %q\nwant %q\n%.3000s", sources, wantSources, out)
	}
	for _, want := range []string{
		`  \x1b[2J\x1b[H\r\nspoof.jsonl:9  boss  alidropship  ready  alidropship`,
		`  \u202eevil\u2066x\u2069 \u009b31m  `,
		"Does not look like a valid address: Email.",
		"12 applications: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table has no %q:\n%.3000s", want, out)
		}
	}
}

// TestScreenOneDocument protects a single application laid out over many lines: one
// result, with errors at their place in the document.
func TestScreenOneDocument(t *testing.T) {
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(tenWordPlan), "", "  "); err != nil {
		t.Fatal(err)
	}
	wrapped := strings.Replace(tenWordPlan, `,"email"`, ",\n\"email\"", 1)
	broken := strings.Replace(pretty.String(), `"email": "me@example.org",`, `"email": "me@example.org"`, 1)
	_, out, errOut, code := screenFiles(t, "json", [][2]string{
		{"pretty.json", pretty.String() + "\n"}, {"wrapped.json", wrapped}, {"broken.json", "\uFEFF" + broken},
	})
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if n := strings.Count(out, `"verdict":"needs-work"`); n != 2 || strings.Count(out, "\n") != 2 {
		t.Errorf("want 2 results:\n%s", out)
	}
	if want := "broken.json:5:3: unexpected '\"'; want ',' or '}'\n"; !strings.HasSuffix(errOut, want) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr %q, want one line ending %q", errOut, want)
	}
}

// TestThirdProgram protects the promise that a program is content: a fictional program
// (testdata/thirdprogram, a folder of Markdown) gets its rules.json, a form that asks for
// the fields its rules read and nothing else, and `screen` findings, with no Go written.
// Its rules.json is the screening package's fixture, so the WebAssembly module is compared
// with native screening on it too (generator/selfcheck).
func TestThirdProgram(t *testing.T) {
	const src = "testdata/thirdprogram"
	res, err := site.Build(os.DirFS(src), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	golden.File(t, "screening/testdata/rules/parcelpal.json", append(res.Files["parcelpal/rules.json"], '\n'))
	form := string(res.Files["parcelpal/self-check/index.html"])
	for _, want := range []string{`data-field="channels.kind"`, `value="forum"> Forum`, `data-field="geos"`,
		`Comma-separated codes, such as NL, BE.`, `data-field="accepts_terms"`, `data-field="submitted"`, `Check your ParcelPal application`} {
		if !strings.Contains(form, want) {
			t.Errorf("the ParcelPal self-check has no %q", want)
		}
	}
	if strings.Contains(form, `data-field="email"`) {
		t.Error("the form asks for email, which no ParcelPal rule reads")
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"screen", "-src", src, "-format", "json", src + "/app-forum.json"}, &out, &errOut); code != 0 {
		t.Fatalf("screen: exit %d: %s", code, errOut.String())
	}
	golden.File(t, src+"/app-forum.golden.json", out.Bytes())
}

// TestNewReasonFromMarkdown protects the legal team's way to add a rejection reason: a
// section and its rule in the page's front matter, no Go; screen finds it at once.
func TestNewReasonFromMarkdown(t *testing.T) {
	dir := copyContent(t)
	page := filepath.Join(dir, "content", "alidropship", "rejection-reasons.md")
	src, _ := os.ReadFile(page)
	edited := strings.Replace(string(src), "\n  fields:\n", "\n  fields:\n    geos: {label: Main countries}\n", 1)
	edited = strings.Replace(edited, "\n  rules:\n", `
  rules:
    no-countries:
      - when: {field: geos, empty: true}
        say: "Not filled in: {matched}."
        basis: guide
        cite: "This guide's rule of thumb: name your main countries. Not a published AliDropship rule."
`, 1)
	edited += "\n## No countries named {#no-countries}\n\nName the countries you reach.\n\nHow to fix\n: Name them.\n\nWhen to reapply\n: At once.\n"
	if err := os.WriteFile(page, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "app.json")
	os.WriteFile(app, []byte(strings.Replace(tenWordPlan, `"geos":["US"],`, "", 1)), 0o644)
	var out, errOut bytes.Buffer
	if code := run([]string{"screen", "-src", dir, "-format", "json", app}, &out, &errOut); code != 0 {
		t.Fatalf("screen: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `"rule":"no-countries","severity":"fix","basis":"guide","title":"No countries named","message":"Not filled in: Main countries."`) {
		t.Errorf("the new reason is not found: %s", out.String())
	}
}
