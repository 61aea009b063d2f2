package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWarningsSummarised protects what an author reads after a build with warnings: the
// warnings of one kind in one file grouped, the first three shown and the rest counted; a
// frozen edition's warnings that the next newer edition (or the draft) has too counted,
// not repeated; a last line with the totals; -warnings=all printing every one; errors
// always printed, every one.
func TestWarningsSummarised(t *testing.T) {
	src := t.TempDir()
	links := "[1](gone1.md) [2](gone2.md) [3](gone3.md) [4](gone4.md) [5](gone5.md)\n"
	writeSite(t, src,
		"content/_site.yaml", "title: Guide\nlinks: warn\n",
		"content/_index.md", "---\ntitle: Guide\n---\nWelcome.\n",
		"content/a.md", "---\ntitle: A\n---\n"+links,
		"content/b.md", "---\ntitle: B\n---\nSee <b>this</b>.\n",
	)
	// Each cut is followed by one more broken link in the draft: e1 has five, e2 six, the
	// draft seven.
	for i, cut := range [][]string{{"e1", "2026-01-01"}, {"e2", "2026-02-01"}} {
		if code, _, stderr := runCmd("version", "cut", cut[0], "-effective", cut[1], "-src", src); code != 0 {
			t.Fatalf("version cut %s: exit %d\n%s", cut[0], code, stderr)
		}
		links += "[" + cut[0] + "](gone" + strconv.Itoa(6+i) + ".md)\n"
		writeSite(t, src, "content/a.md", "---\ntitle: A\n---\n"+links)
	}
	p := filepath.ToSlash(src) + "/content/"
	code, _, stderr := runCmd("check", "-src", src)
	if code != 0 {
		t.Fatalf("check: exit %d\n%s", code, stderr)
	}
	want := "warning: " + p + `a.md:4:5: broken link "gone1.md": no page or file at /gone1/
warning: ` + p + `a.md:4:19: broken link "gone2.md": no page or file at /gone2/
warning: ` + p + `a.md:4:33: broken link "gone3.md": no page or file at /gone3/
warning: ` + p + `a.md: 4 more broken links (-warnings=all shows them)
warning: ` + p + `b.md:4:5: raw HTML escaped (set unsafeHTML: true in _site.yaml to allow it)
warning: ` + p + `b.md:4:12: raw HTML escaped (set unsafeHTML: true in _site.yaml to allow it)
warning: 8 more in edition e2: the same as in the current draft (-warnings=all shows them)
warning: 7 more in edition e1: the same as in edition e2 (-warnings=all shows them)
warning: 24 warnings in all (18 broken links, 6 pieces of raw HTML escaped), 5 shown: -warnings=all shows every one
`
	if stderr != want {
		t.Errorf("check printed:\n%s\nwant:\n%s", stderr, want)
	}
	_, _, all := runCmd("check", "-src", src, "-warnings=all")
	if n := strings.Count(all, "warning: "); n != 24 {
		t.Errorf("-warnings=all printed %d warnings; want all 24:\n%s", n, all)
	}

	// Errors are never summarised: each of them is printed, after the warnings.
	writeSite(t, src, "content/c.md", "---\ntitle: C\ntype: nope\n---\n", "content/d.md", "---\ntitle: D\ntype: nope\n---\n")
	code, _, stderr = runCmd("check", "-src", src)
	if code != 1 || !strings.HasSuffix(stderr, "every one\n"+p+`c.md:3:7: unknown page type "nope" (want one of home, overview, terms, requirements, rejections, checklist, steps, selfcheck, page)`+"\n"+
		p+`d.md:3:7: unknown page type "nope" (want one of home, overview, terms, requirements, rejections, checklist, steps, selfcheck, page)`+"\n2 error(s); nothing was written\n") {
		t.Errorf("check with errors: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runCmd("check", "-src", src, "-warnings=some"); code != 2 || !strings.Contains(stderr, `-warnings must be "summary" or "all"`) {
		t.Errorf("-warnings=some: exit %d\n%s", code, stderr)
	}
}

// TestWarningsSitePolicy protects the case that asked for the summary: GitHub's site
// policies in three dated editions, checked with links: warn, have about 930 warnings, the
// same broken links in every edition; the summary prints a quarter of them.
func TestWarningsSitePolicy(t *testing.T) {
	corpus := filepath.Join("..", "..", "shared", "corpora", "site-policy")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("site-policy corpus not found at %s: %v", corpus, err)
	}
	src := t.TempDir()
	writeSite(t, src, "content/_site.yaml", "title: Site policy\nlinks: warn\n")
	for _, date := range []string{"2023-01-01", "2024-07-01", "2025-07-01"} {
		copyDir(t, filepath.Join(corpus, date), filepath.Join(src, "content", "_editions", date))
		writeSite(t, src, "content/_editions/"+date+"/edition.yaml", "effective: "+date+"\n")
	}
	_, _, all := runCmd("check", "-src", src, "-warnings=all")
	_, _, summary := runCmd("check", "-src", src)
	n, lines := strings.Count(all, "\n"), strings.Count(summary, "\n")
	t.Logf("%d warning lines with -warnings=all, %d without", n, lines)
	if n < 900 || lines > n/4 {
		t.Errorf("%d warning lines with -warnings=all, %d summarised; want at least 900, summarised to at most a quarter", n, lines)
	}
	for _, want := range []string{
		"more in edition 2024-07-01: the same as in edition 2025-07-01",
		"more in edition 2023-01-01: the same as in edition 2024-07-01",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
}
