package site

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"affdocs/generator/versions"
)

// These tests write real files into a folder and build it through os.Root, as the build
// command reads a site; each protects one class of bad input and the exact words the legal
// team reads for it.

const okPage = "---\ntitle: Fine\n---\n\nText.\n"

// diskSite writes name, content pairs into a new folder and returns it.
func diskSite(t *testing.T, nameData ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i+1 < len(nameData); i += 2 {
		writeFile(t, dir, nameData[i], nameData[i+1])
	}
	return dir
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildDisk builds the site in dir and returns its errors and warnings, one
// "path:line:col: message" each.
func buildDisk(t *testing.T, dir string) (res *Result, errs, warns []string) {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	res, err = Build(root.FS(), Options{NoMinify: true})
	for _, e := range unjoin(err) {
		var d *Diagnostic
		if !errors.As(e, &d) {
			t.Errorf("error %q is not a *Diagnostic", e)
		}
		errs = append(errs, e.Error())
	}
	for _, w := range res.Warnings {
		warns = append(warns, w.Error())
	}
	return res, errs, warns
}

type diskCase struct {
	name  string
	files []string // name, content pairs
	wants []string // every error, in order
}

func runDiskCases(t *testing.T, cases []diskCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, got, _ := buildDisk(t, diskSite(t, tc.files...))
			if !slices.Equal(got, tc.wants) {
				t.Errorf("errors:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(tc.wants, "\n      "))
			}
		})
	}
}

// TestFrontMatterEncoding: a byte order mark is accepted; a file that is not UTF-8 text is
// refused at its first bad byte; an empty file is refused.
func TestFrontMatterEncoding(t *testing.T) {
	res, errs, _ := buildDisk(t, diskSite(t, "content/a.md", "\uFEFF---\ntitle: Saved by Notepad\n---\n\nText.\n"))
	if errs != nil {
		t.Fatalf("a page with a BOM: %v", errs)
	}
	page := string(res.Files["a/index.html"])
	if !strings.Contains(page, "<title>Saved by Notepad") || strings.Contains(page, "title:") {
		t.Errorf("a page with a BOM does not read its front matter:\n%s", page)
	}
	runDiskCases(t, []diskCase{
		{"invalid UTF-8", []string{"content/a.md", "---\ntitle: Caf\xe9\n---\n"},
			[]string{"content/a.md:2:11: this text is not UTF-8 (the byte 0xE9 here): save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)"}},
		{"invalid UTF-8 in the body", []string{"content/a.md", "---\ntitle: A\n---\n\nna\xefve\n"},
			[]string{"content/a.md:5:3: this text is not UTF-8 (the byte 0xEF here): save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)"}},
		{"binary", []string{"content/logo.md", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
			[]string{"content/logo.md:3:1: this is not a text file (it holds a zero byte here): a page must be Markdown text saved as UTF-8; move other files out of the .md name"}},
		{"UTF-16", []string{"content/a.md", "\xff\xfe-\x00-\x00-\x00\n\x00"},
			[]string{"content/a.md:1:1: this file is saved as UTF-16: save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)"}},
		{"empty", []string{"content/a.md", "\n \n"},
			[]string{"content/a.md:1:1: the file is empty: add front matter (---, title: ..., ---) and the page's text, or delete the file"}},
	})
}

// TestFrontMatterFormats: TOML (+++) and JSON ({) front matter are refused with a hint,
// not published as text.
func TestFrontMatterFormats(t *testing.T) {
	runDiskCases(t, []diskCase{
		{"TOML", []string{"content/a.md", "+++\ntitle = \"A\"\n+++\n\nText.\n"},
			[]string{`content/a.md:1:1: +++ starts TOML front matter, which this site does not read: write the front matter in YAML between --- lines (title: My page, not title = "My page")`}},
		{"JSON", []string{"content/a.md", "{\n  \"title\": \"A\"\n}\n\nText.\n"},
			[]string{`content/a.md:1:1: { starts JSON front matter, which this site does not read: write the front matter in YAML between --- lines (title: My page, not "title": "My page")`}},
		{"JSON after a BOM", []string{"content/a.md", "\uFEFF{ \"title\": \"A\" }\n\nText.\n"},
			[]string{`content/a.md:1:1: { starts JSON front matter, which this site does not read: write the front matter in YAML between --- lines (title: My page, not "title": "My page")`}},
	})
	// A body that starts with a template-like brace is not front matter.
	if _, errs, _ := buildDisk(t, diskSite(t, "content/a.md", "{% raw %}\n\nText.\n")); errs != nil {
		t.Errorf("{%% ... %%} at the start: %v", errs)
	}
}

// TestFrontMatterTitle: a page with front matter needs a title that is text; a file without
// front matter takes its title from its name.
func TestFrontMatterTitle(t *testing.T) {
	runDiskCases(t, []diskCase{
		{"missing", []string{"content/a.md", "---\ndescription: D\n---\n"},
			[]string{"content/a.md:1:1: the front matter has no title: add a line title: followed by the page title after the first ---"}},
		{"empty front matter", []string{"content/a.md", "---\n---\n\nText.\n"},
			[]string{"content/a.md:1:1: the front matter has no title: add a line title: followed by the page title after the first ---"}},
		{"null", []string{"content/a.md", "---\ntitle: null\n---\n"},
			[]string{"content/a.md:2:8: title is empty: write the text after title: (or remove the line)"}},
		{"nothing after the colon", []string{"content/a.md", "---\ntitle:\n---\n"},
			[]string{"content/a.md:2:7: title is empty: write the text after title: (or remove the line)"}},
		{"empty text", []string{"content/a.md", "---\ntitle: \"\"\n---\n"},
			[]string{"content/a.md:2:8: the title is empty: write the page title after title:"}},
		{"a number", []string{"content/a.md", "---\ntitle: 2026\ndescription: true\n---\n"},
			[]string{
				`content/a.md:2:8: title must be text, and YAML reads 2026 as a number: put it in quotes, title: "2026"`,
				`content/a.md:3:14: description must be text, and YAML reads true as a yes/no value: put it in quotes, description: "true"`,
			}},
		{"a list", []string{"content/a.md", "---\ntitle: [a, b]\n---\n"},
			[]string{"content/a.md:2:8: title must be text, not a list: write one text on the same line, title: text"}},
		{"not key: value", []string{"content/a.md", "---\n- a\n- b\n---\n"},
			[]string{"content/a.md:2:1: front matter must be lines of key: value (title: My page)"}},
	})
	res, errs, _ := buildDisk(t, diskSite(t, "content/notes/read-me.md", "# Notes\n\nNo front matter.\n"))
	if errs != nil {
		t.Fatalf("a page without front matter: %v", errs)
	}
	if p := res.Site.byPath["notes/read-me/"]; p == nil || p.Title != "Read me" {
		t.Errorf("a page without front matter is titled from its name: %+v", p)
	}
}

// TestFrontMatterDuplicateKeys: a key set twice is an error at the second, at any depth.
func TestFrontMatterDuplicateKeys(t *testing.T) {
	runDiskCases(t, []diskCase{
		{"top level", []string{"content/a.md", "---\ntitle: A\ndescription: D\ntitle: B\n---\n"},
			[]string{`content/a.md:4:1: front matter: "title" is set twice (first on line 2): keep one of them`}},
		{"nested", []string{"content/a.md", "---\ntitle: A\nparams:\n  x: 1\n  x: 2\n---\n"},
			[]string{`content/a.md:5:3: front matter: "x" is set twice (first on line 4): keep one of them`}},
		{"site config", []string{"content/_site.yaml", "title: T\nbaseURL: https://example.org/\ntitle: U\n", "content/a.md", okPage},
			[]string{`content/_site.yaml:3:1: "title" is set twice (first on line 1): keep one of them`}},
	})
}

// TestYAMLHints: the common YAML mistakes, in front matter, _site.yaml and edition.yaml,
// each at the mistake's own line and column, in words with the fix.
func TestYAMLHints(t *testing.T) {
	edition := func(meta string) []string {
		return []string{"content/_editions/2026-01/edition.yaml", meta, "content/_editions/2026-01/a.md", okPage, "content/a.md", okPage}
	}
	runDiskCases(t, []diskCase{
		{"colon in a value", []string{"content/a.md", "---\ntitle: Terms: plain language\n---\n"},
			[]string{`content/a.md:2:8: front matter: the value contains a colon, which YAML reads as the start of another key: put the whole value in quotes: title: "Terms: plain language"`}},
		{"tab indent", []string{"content/a.md", "---\ntitle: A\nparams:\n\tx: 1\n---\n"},
			[]string{"content/a.md:4:1: front matter: a tab character: YAML indents with spaces only; replace the tab with spaces"}},
		{"unclosed double quote", []string{"content/a.md", "---\ntitle: \"Terms\ndescription: D\n---\n"},
			[]string{`content/a.md:2:8: front matter: this value opens a quote (") that is never closed: add the closing " at the end of the value`}},
		{"unclosed single quote", []string{"content/a.md", "---\ntitle: A\ndescription: 'it's\n---\n"},
			[]string{`content/a.md:3:18: front matter: the apostrophe before this ends the quoted value: inside '...' write an apostrophe twice ('it''s'), or put the value in double quotes ("it's")`}},
		{"text after a quoted value", []string{"content/a.md", "---\ntitle: \"Terms\" of use\n---\n"},
			[]string{`content/a.md:2:16: front matter: text after the closing quote: put the whole value inside the quotes (a " inside "..." is written \")`}},
		{"line indented under a value", []string{"content/a.md", "---\ntitle: A\ndescription: D\n  weight: 2\n---\n"},
			[]string{"content/a.md:4:3: front matter: this line is indented more than the line above, so YAML reads it as part of the value above: start it in the same column as the other keys (or, for a block under the key above, leave nothing after that key's colon)"}},
		{"no colon", []string{"content/a.md", "---\ntitle: A\njust words\nweight: 2\n---\n"},
			[]string{`content/a.md:3:1: front matter: this line is not "key: value": add a colon and a space after the key, or, if it continues the value above, indent it`}},
		{"site config: colon in a value", []string{"content/_site.yaml", "title: Guide\ndescription: Terms: plain\n", "content/a.md", okPage},
			[]string{`content/_site.yaml:2:14: the value contains a colon, which YAML reads as the start of another key: put the whole value in quotes: description: "Terms: plain"`}},
		{"site config: tab", []string{"content/_site.yaml", "title: Guide\nparams:\n  a: 1\n\tb: 2\n", "content/a.md", okPage},
			[]string{"content/_site.yaml:4:1: a tab character: YAML indents with spaces only; replace the tab with spaces"}},
		{"edition: duplicate", edition("label: Jan\neffective: 2026-01-01\neffective: 2026-02-01\n"),
			[]string{`content/_editions/2026-01/edition.yaml:3:1: "effective" is set twice (first on line 2): keep one of them`}},
		{"edition: unknown setting", edition("label: Jan\nefective: 2026-01-01\n"),
			[]string{
				`content/_editions/2026-01/edition.yaml:1:1: the effective date is missing: add a line effective: YYYY-MM-DD`,
				`content/_editions/2026-01/edition.yaml:2:1: unknown setting "efective" in edition.yaml (it has label, effective, published, hash and files)`,
			}},
	})
}

// TestConfigValidation: baseURL is an absolute http(s) address and theme a folder name of
// themes/, each refused at its value.
func TestConfigValidation(t *testing.T) {
	cfg := func(yaml string) []string { return []string{"content/_site.yaml", yaml, "content/a.md", okPage} }
	const base = "baseURL must be the site's full address, starting with https:// or http:// (for example https://example.org/guide/), not "
	const theme = "theme must be the name of a folder in themes/ (letters, digits, '.', '-' or '_'), not "
	runDiskCases(t, []diskCase{
		{"javascript: baseURL", cfg("title: T\nbaseURL: javascript:alert(1)//\n"), []string{`content/_site.yaml:2:10: ` + base + `"javascript:alert(1)//"`}},
		{"relative baseURL", cfg("baseURL: /guide/\n"), []string{`content/_site.yaml:1:10: ` + base + `"/guide/"`}},
		{"baseURL without host", cfg("baseURL: https:///x\n"), []string{`content/_site.yaml:1:10: ` + base + `"https:///x"`}},
		{"baseURL with a quote", cfg("baseURL: 'https://example.org/\"><script>'\n"), []string{`content/_site.yaml:1:10: ` + base + `"https://example.org/\"><script>"`}},
		{"theme above themes/", cfg("theme: ../../etc\n"), []string{`content/_site.yaml:1:8: ` + theme + `"../../etc"`}},
		{"theme with a slash", cfg("theme: a/b\n"), []string{`content/_site.yaml:1:8: ` + theme + `"a/b"`}},
		{"unknown setting", cfg("title: T\nbaseUrl: https://example.org/\n"), []string{`content/_site.yaml:2:1: unknown setting "baseUrl" (the settings are title, description, baseURL, language, theme, unsafeHTML, links and params; a template's own values go under params:)`}},
		{"null title", cfg("title: ~\n"), []string{`content/_site.yaml:1:8: title is empty: write the text after title: (or remove the line)`}},
		{"unsafeHTML as text", cfg("unsafeHTML: \"yes\"\n"), []string{`content/_site.yaml:1:13: unsafeHTML must be true or false`}},
		{"not key: value", cfg("- title\n"), []string{`content/_site.yaml:1:1: the site settings must be lines of key: value (title: My guide)`}},
	})
	res, errs, _ := buildDisk(t, diskSite(t, cfg("baseURL: http://example.org/guide\ntheme: default\n")...))
	if errs != nil || res.Site.Config.BaseURL != "http://example.org/guide/" {
		t.Errorf("a good config: %v %q", errs, res.Site.Config.BaseURL)
	}
}

// TestNames: titles made from non-ASCII folder names are valid text; site paths that differ
// only in case are refused naming both files; edition IDs that are paths the generator
// writes under v/ are refused.
func TestNames(t *testing.T) {
	res, errs, _ := buildDisk(t, diskSite(t, "content/école-règles/a.md", okPage, "content/überblick/b.md", okPage))
	if errs != nil {
		t.Fatal(errs)
	}
	for path, want := range map[string]string{"école-règles/": "École règles", "überblick/": "Überblick"} {
		if p := res.Site.byPath[path]; p == nil || p.Title != want {
			t.Errorf("title of /%s: %+v, want %q", path, p, want)
		}
	}
	reserved := func(id string) []string {
		return []string{"content/_editions/" + id + "/edition.yaml", "effective: 2026-01-01\n", "content/_editions/" + id + "/a.md", okPage, "content/a.md", okPage}
	}
	runDiskCases(t, []diskCase{
		{"case-only collision of pages", []string{"content/Terms.md", okPage, "content/terms.md", okPage},
			[]string{"content/terms.md: content/Terms.md and content/terms.md publish to addresses that differ only in upper and lower case; hosts that ignore case would serve one in place of the other: rename one of them"}},
		{"case-only collision of folders", []string{"content/A/x.md", okPage, "content/a/y.md", okPage},
			[]string{"content/a/: content/A/ and content/a/ publish to addresses that differ only in upper and lower case; hosts that ignore case would serve one in place of the other: rename one of them"}},
		{"case-only collision of files", []string{"content/Logo.svg", "<svg/>", "content/logo.svg", "<svg/>", "content/a.md", okPage},
			[]string{"content/logo.svg: content/Logo.svg and content/logo.svg publish to addresses that differ only in upper and lower case; hosts that ignore case would serve one in place of the other: rename one of them"}},
		{"edition compare", reserved("compare"),
			[]string{`content/_editions/compare: edition ID "compare" is reserved (the comparisons of editions are published at v/compare/): choose another ID, for example the effective month, 2026-11; rename the folder`}},
		{"edition latest", reserved("latest"),
			[]string{`content/_editions/latest: edition ID "latest" is reserved (the current edition is published at v/latest/): choose another ID, for example the effective month, 2026-11; rename the folder`}},
	})
}

// TestFrozenEditions: an edition records its files' hashes when it is cut, and a build
// refuses it once a file was changed, added or removed, naming each; an edition cut by an
// older generator (no hashes) builds with a warning saying how to record them.
func TestFrozenEditions(t *testing.T) {
	dir := diskSite(t, "content/_index.md", okPage, "content/terms.md", okPage, "content/faq.md", okPage)
	files, err := versions.Cut(os.DirFS(dir), "content", "2026-01", "January 2026", "2026-01-01", "2025-12-15")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		writeFile(t, dir, name, string(data))
	}
	if _, errs, warns := buildDisk(t, dir); errs != nil || warns != nil {
		t.Fatalf("a freshly cut edition: %v %v", errs, warns)
	}
	ed := "content/_editions/2026-01/"
	writeFile(t, dir, ed+"terms.md", okPage+"\nA new clause.\n")
	writeFile(t, dir, ed+"new.md", okPage)
	if err := os.Remove(filepath.Join(dir, ed+"faq.md")); err != nil {
		t.Fatal(err)
	}
	_, errs, _ := buildDisk(t, dir)
	want := []string{
		ed + "faq.md: this file was removed after the edition was cut: editions are frozen; restore it from version control, or cut a new edition",
		ed + "new.md: this file was added after the edition was cut: editions are frozen; remove it (add it to the draft in content/ instead), or cut a new edition",
		ed + "terms.md: this file was changed after the edition was cut: editions are frozen; restore it from version control, or cut a new edition",
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors:\n got  %s\n want %s", strings.Join(errs, "\n      "), strings.Join(want, "\n      "))
	}

	old := diskSite(t, "content/a.md", okPage, ed+"edition.yaml", "label: Old\neffective: 2026-01-01\n", ed+"a.md", okPage)
	_, errs, warns := buildDisk(t, old)
	wantWarn := []string{ed + "edition.yaml: this edition records no hashes of its files (it was cut by an older generator), so an edit to them cannot be detected: check its files against what was published, then record them with: generator version record 2026-01"}
	if errs != nil || !slices.Equal(warns, wantWarn) {
		t.Errorf("an edition without hashes: errors %v, warnings %v", errs, warns)
	}
	meta, err := versions.Record(os.DirFS(old), "content", "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, old, ed+"edition.yaml", string(meta))
	if _, errs, warns := buildDisk(t, old); errs != nil || warns != nil {
		t.Errorf("after recording: %v %v", errs, warns)
	}
}

// TestLimits: a Markdown file above MaxPageSize and a _site.yaml above MaxConfigSize are
// errors at the file.
func TestLimits(t *testing.T) {
	big := okPage + strings.Repeat("word ", MaxPageSize/5+1)
	runDiskCases(t, []diskCase{
		{"page", []string{"content/a.md", big},
			[]string{"content/a.md: the file is 2.0 MB, above the limit of 2 MB for one file: split it into several pages"}},
		{"config", []string{"content/_site.yaml", "title: T\n" + strings.Repeat("# comment\n", MaxConfigSize/10+1), "content/a.md", okPage},
			[]string{"content/_site.yaml: the file is 1.0 MB, above the limit of 1 MB for one file"}},
	})
	at := okPage + strings.Repeat("x", MaxPageSize-len(okPage))
	if _, errs, _ := buildDisk(t, diskSite(t, "content/a.md", at)); errs != nil {
		t.Errorf("a page of exactly MaxPageSize: %v", errs)
	}
}
