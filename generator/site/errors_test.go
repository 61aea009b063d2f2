package site

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"affdocs/generator/screening"
)

// mapFS makes a site from name, content pairs.
func mapFS(nameData ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(nameData); i += 2 {
		fsys[nameData[i]] = &fstest.MapFile{Data: []byte(nameData[i+1])}
	}
	return fsys
}

// rejectionsPage is a valid rejections page for program: three rules, each with a section
// with How to fix and When to reapply, and a check.
func rejectionsPage(program string) string {
	var fm, body strings.Builder
	fm.WriteString("---\ntitle: Rejection reasons\ntype: rejections\nprogram: " + program + "\nscreening:\n" +
		"  name: Test\n  verdicts: {ready: r, needs-work: n, likely-rejected: l}\n  fields:\n    username: {label: Username}\n  rules:\n")
	for _, id := range []string{"missing-field", "invalid-email", "thin-content"} {
		fmt.Fprintf(&fm, "    %s:\n      - {when: {field: username, empty: true}, say: s, basis: program, cite: c}\n", id)
		fmt.Fprintf(&body, "\n## Reason %s {#%s}\n\nWhy.\n\nHow to fix\n: Fix it.\n\nWhen to reapply\n: Later.\n", id, id)
	}
	return fm.String() + "---\n\nIntro.\n" + body.String()
}

// buildErrors builds fsys and returns each error of the build as "path:line:col: message".
func buildErrors(t *testing.T, fsys fstest.MapFS, opt Options) []string {
	t.Helper()
	_, err := Build(fsys, opt)
	if err == nil {
		return nil
	}
	var out []string
	for _, e := range unjoin(err) {
		var d *Diagnostic
		if !errors.As(e, &d) {
			t.Errorf("error %q is not a *Diagnostic", e)
		}
		out = append(out, e.Error())
	}
	return out
}

// TestErrors protects the exact position and wording of every content error a legal-team
// author can make: each says where (path:line:col) and what to do.
func TestErrors(t *testing.T) {
	ok := "---\ntitle: Fine\n---\n\nText.\n"
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		wants []string
	}{
		{
			name: "front matter YAML error: at the line in the file, not in the front matter",
			fsys: mapFS("content/a.md", "---\ntitle: A\ndescription: [unclosed\n---\n\nText.\n"),
			wants: []string{
				"content/a.md:3:14: front matter: a list opened with [ is not closed with ]: close it, or, if the value is text that starts with [, put it in quotes",
			},
		},
		{
			name: "front matter YAML error found by the parser after the bad line",
			fsys: mapFS("content/a.md", "---\ntitle: A\nlist:\n  - x\n bad: 2\n---\n"),
			wants: []string{
				"content/a.md:5:2: front matter: this line's indentation does not match the lines above: the keys of one block start in the same column (use spaces)",
			},
		},
		{
			name: "front matter YAML error found by the scanner",
			fsys: mapFS("content/a.md", "---\ntitle: A\n\tb: 2\n---\n"),
			wants: []string{
				"content/a.md:3:1: front matter: a tab character: YAML indents with spaces only; replace the tab with spaces",
			},
		},
		{
			name: "site config YAML error",
			fsys: mapFS("content/_site.yaml", "title: T\nparams:\n  - x\n bad: 1\n", "content/a.md", ok),
			wants: []string{
				"content/_site.yaml:4:2: this line's indentation does not match the lines above: the keys of one block start in the same column (use spaces)",
			},
		},
		{
			name: "front matter not closed",
			fsys: mapFS("content/a.md", "---\ntitle: A\n\nText.\n"),
			wants: []string{
				"content/a.md:1:1: front matter is not closed: add a line with --- after it",
			},
		},
		{
			name: "unknown type, at its value",
			fsys: mapFS("content/a.md", "---\ntitle: A\ntype: glossary\n---\n\nText.\n"),
			wants: []string{
				`content/a.md:3:7: unknown page type "glossary" (want one of home, overview, terms, requirements, rejections, checklist, steps, selfcheck, page)`,
			},
		},
		{
			name: "bad date and weight",
			fsys: mapFS("content/a.md", "---\ntitle: A\nupdated: 1 May 2026\nweight: first\n---\n"),
			wants: []string{
				`content/a.md:3:10: updated must be a date written YYYY-MM-DD, not "1 May 2026"`,
				"content/a.md:4:9: weight must be a whole number",
			},
		},
		{
			name: "broken link to a Markdown file, at the destination",
			fsys: mapFS("content/a.md", "---\ntitle: A\n---\n\nSee the [terms](terms.md) first.\n"),
			wants: []string{
				`content/a.md:5:17: broken link "terms.md": no page or file at /terms/`,
			},
		},
		{
			name: "broken link to a site path",
			fsys: mapFS("content/a.md", "---\ntitle: A\n---\n\n- one\n- two [x](/b/c/)\n"),
			wants: []string{
				`content/a.md:6:11: broken link "/b/c/": no page or file at /b/c/`,
			},
		},
		{
			name: "broken anchor",
			fsys: mapFS(
				"content/a.md", "---\ntitle: A\n---\n\nSee [b](b.md#nope) and [here](#missing).\n",
				"content/b.md", "---\ntitle: B\n---\n\n## Real {#real}\n",
			),
			wants: []string{
				`content/a.md:5:9: broken link "b.md#nope": /b/ has no anchor #nope`,
				`content/a.md:5:31: broken link "#missing": /a/ has no anchor #missing`,
			},
		},
		{
			name: "terms clause without an explicit id",
			fsys: mapFS("content/terms.md", "---\ntitle: Terms\ntype: terms\neffective: 2026-01-01\n---\n\n## Who can apply {#who}\n\n### Any level\n\nYes.\n"),
			wants: []string{
				`content/terms.md:9:5: clause "Any level" needs a stable anchor: end the heading with {#any-level} so links survive rewording`,
			},
		},
		{
			name: "terms without an effective date",
			fsys: mapFS("content/terms.md", "---\ntitle: Terms\ntype: terms\n---\n\nText.\n"),
			wants: []string{
				"content/terms.md:1:1: terms need an effective date in front matter (effective: YYYY-MM-DD)",
			},
		},
		{
			name: "requirements without the table",
			fsys: mapFS("content/req.md", "---\ntitle: R\ntype: requirements\n---\n\n| Need | Check |\n|---|---|\n| a | b |\n"),
			wants: []string{
				"content/req.md:5:1: a requirements page needs a table with the header | Requirement | What reviewers check | How to pass quickly |",
			},
		},
		{
			name: "checklist without task items",
			fsys: mapFS("content/list.md", "---\ntitle: L\ntype: checklist\n---\n\n- item\n"),
			wants: []string{
				"content/list.md:5:1: a checklist needs task items written - [ ] item",
			},
		},
		{
			name: "rejections page: a reason without How to fix",
			fsys: mapFS("content/aliexpress/rejection-reasons.md", strings.Replace(rejectionsPage("aliexpress"),
				"## Reason thin-content {#thin-content}\n\nWhy.\n\nHow to fix\n: Fix it.\n", "## Reason thin-content {#thin-content}\n\nWhy.\n", 1)),
			wants: []string{
				`content/aliexpress/rejection-reasons.md:%d:4: rejection reason "Reason thin-content" has no "How to fix" definition (a line "How to fix", then ": ...")`,
			},
		},
		{
			name: "rejections page: a rule has no section",
			fsys: mapFS("content/aliexpress/rejection-reasons.md", strings.Replace(rejectionsPage("aliexpress"),
				"\n## Reason thin-content {#thin-content}\n\nWhy.\n\nHow to fix\n: Fix it.\n\nWhen to reapply\n: Later.\n", "", 1)),
			wants: []string{
				"content/aliexpress/rejection-reasons.md:16:7: screening: rule thin-content has no section: add ## Title {#thin-content} with its explanation, How to fix and When to reapply",
			},
		},
		{
			name: "rejections page: a section has no rule",
			fsys: mapFS("content/aliexpress/rejection-reasons.md", strings.Replace(rejectionsPage("aliexpress"),
				"\nIntro.\n", "\nIntro.\n\n## Made up {#made-up}\n\nWhy.\n\nHow to fix\n: Fix it.\n\nWhen to reapply\n: Later.\n", 1)),
			wants: []string{
				"content/aliexpress/rejection-reasons.md:%d:4: section #made-up has no rule: add made-up: under screening.rules with the checks that find it",
			},
		},
		{
			name: "rejections page: a rule reads a field the schema does not have",
			fsys: mapFS("content/aliexpress/rejection-reasons.md", strings.Replace(rejectionsPage("aliexpress"), "{field: username", "{field: nick", 1)),
			wants: []string{
				`content/aliexpress/rejection-reasons.md:12:24: screening: field: unknown field "nick"; the application has ` + strings.Join(schemaNames(), ", "),
			},
		},
		{
			name: "rejections page: a value that does not exist",
			fsys: mapFS("content/aliexpress/rejection-reasons.md", strings.Replace(rejectionsPage("aliexpress"), "say: s,", `say: "at least {{ min_words }}",`, 1)),
			wants: []string{
				"content/aliexpress/rejection-reasons.md:12:53: screening: no value min_words: values are set under values: in the front matter of this page or of a section's _index.md",
			},
		},
		{
			name: "rejections page without program",
			fsys: mapFS("content/r.md", strings.Replace(rejectionsPage("aliexpress"), "program: aliexpress\n", "", 1)),
			wants: []string{
				"content/r.md:1:1: a rejections page needs program: the program's name in lower case, such as alidropship",
			},
		},
		{
			name: "unknown config value",
			fsys: mapFS("content/_site.yaml", "title: T\nlinks: maybe\n", "content/a.md", ok),
			wants: []string{
				`content/_site.yaml:2:8: links must be "error" or "warn"`,
			},
		},
		{
			name: "two files publish to the same path",
			fsys: mapFS("content/a.md", ok, "content/a/index.md", ok),
			wants: []string{
				"content/a.md:1:1: publishes to the same path /a/ as content/a/index.md",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildErrors(t, tt.fsys, Options{NoMinify: true})
			wants := slices.Clone(tt.wants)
			for i, w := range wants {
				if strings.Contains(w, "%d") { // a line found by searching the source
					wants[i] = fmt.Sprintf(w, lineOf(t, tt.fsys, w))
				}
			}
			if !slices.Equal(got, wants) {
				t.Errorf("errors:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(wants, "\n      "))
			}
		})
	}
}

// lineOf finds the line of the heading a %d-message is about, so rejections fixtures need no
// hand-counted line numbers: it is the line of the "## " heading whose text the message quotes
// or whose id it names.
func lineOf(t *testing.T, fsys fstest.MapFS, msg string) int {
	t.Helper()
	file, _, _ := strings.Cut(msg, ":")
	src := string(fsys[file].Data)
	for i, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(line, "## ") {
			continue
		}
		text, id, _ := strings.Cut(strings.TrimPrefix(line, "## "), " {#")
		if strings.Contains(msg, `"`+text+`"`) || strings.Contains(msg, "#"+strings.TrimSuffix(id, "}")+" ") || strings.Contains(msg, "#"+strings.TrimSuffix(id, "}")+":") {
			return i + 1
		}
	}
	t.Fatalf("no heading in %s for %q", file, msg)
	return 0
}

// TestAllErrorsReportedTogether protects the promise that one build reports every problem,
// across files, sorted by file and position, instead of stopping at the first.
func TestAllErrorsReportedTogether(t *testing.T) {
	fsys := mapFS(
		"content/b.md", "---\ntitle: B\ntype: nope\n---\n\n[x](gone.md)\n",
		"content/a.md", "---\ntitle: A\n---\n\n[y](/missing/) and [z](b.md#none)\n",
		"content/c.md", "---\ntitle: [\n---\n",
	)
	_, err := Build(fsys, Options{NoMinify: true})
	if err == nil {
		t.Fatal("build succeeded; want errors")
	}
	errs := unjoin(err)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`content/a.md:5:5: broken link "/missing/": no page or file at /missing/`,
		`content/a.md:5:24: broken link "b.md#none": /b/ has no anchor #none`,
		`content/b.md:3:7: unknown page type "nope" (want one of home, overview, terms, requirements, rejections, checklist, steps, selfcheck, page)`,
		`content/b.md:6:5: broken link "gone.md": no page or file at /gone/`,
		"content/c.md:2:8: front matter: a list opened with [ is not closed with ]: close it, or, if the value is text that starts with [, put it in quotes",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
	if msg := err.Error(); msg != strings.Join(want, "\n") {
		t.Errorf("err.Error() = %q; want the errors one per line", msg)
	}
}

// TestLinksWarn protects the switch that turns broken links into warnings (for imported
// corpora): the build succeeds and reports them with their positions; other errors stay errors.
func TestLinksWarn(t *testing.T) {
	fsys := mapFS("content/a.md", "---\ntitle: A\n---\n\n[x](gone.md)\n")
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		opt  Options
	}{
		{"option", fsys, Options{LinksWarn: true}},
		{"config", mapFS("content/_site.yaml", "links: warn\n", "content/a.md", string(fsys["content/a.md"].Data)), Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Build(tc.fsys, tc.opt)
			if err != nil {
				t.Fatalf("build failed: %v", err)
			}
			var got []string
			for _, w := range res.Warnings {
				got = append(got, w.Error())
			}
			want := []string{`content/a.md:5:5: broken link "gone.md": no page or file at /gone/`}
			if !slices.Equal(got, want) {
				t.Errorf("warnings = %q; want %q", got, want)
			}
			if _, ok := res.Files["a/index.html"]; !ok {
				t.Error("a/index.html not built")
			}
		})
	}
	bad := mapFS("content/a.md", "---\ntitle: A\ntype: nope\n---\n\n[x](gone.md)\n")
	if _, err := Build(bad, Options{LinksWarn: true}); err == nil {
		t.Error("with LinksWarn, an unknown type still must fail the build")
	}
}

func schemaNames() []string {
	var names []string
	for _, f := range screening.Schema {
		names = append(names, f.Name)
	}
	return names
}
