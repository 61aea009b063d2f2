package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEditorPublishesAnEdition is the versioning issue's "done when", run with the real
// commands on the real content: a legal editor changes a clause in the draft, cuts an
// edition, builds, and the site shows the new edition as current, the old one archived with
// its banner, a redline of exactly the words changed and a feed entry, while every URL of
// the old edition still works.
func TestEditorPublishesAnEdition(t *testing.T) {
	dir := copyContent(t)
	cmd := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String()
	}
	cmd("version", "cut", "2026-10", "-effective", "2026-10-01", "-label", "October 2026", "-src", dir)
	terms := writeOutReplyTime(t, dir)
	today := time.Now().Format(time.DateOnly)
	cmd("version", "cut", "next", "-label", "Next edition", "-src", dir) // effective today
	list := cmd("version", "list", "-src", dir)
	for _, want := range []string{"2026-10  October 2026  2026-10-01  archived", "next     Next edition  " + today + "  current"} {
		if !strings.Contains(list, want) {
			t.Errorf("version list lacks %q:\n%s", want, list)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	cmd("build", "-src", dir, "-o", out, "-minify=false")
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if got := read("alidropship/terms/index.html"); !strings.Contains(got, "three to four business days") {
		t.Error("the unversioned terms are not the new edition's")
	}
	old := read("v/2026-10/alidropship/terms/index.html")
	if !strings.Contains(old, "3 to 4 business days") || !strings.Contains(old, `class="banner archived"`) {
		t.Error("the old edition's terms lost their text or their archived banner")
	}
	redline := read("v/next/changes/alidropship/terms/index.html")
	if !strings.Contains(redline, "<del>3</del> <ins>three</ins> to <del>4</del> <ins>four</ins> business days") {
		t.Errorf("the redline does not mark exactly the words changed")
	}
	if n := strings.Count(redline, "<ins>") + strings.Count(redline, "<del>"); n != 4+2 { // 4 in the text, 2 in the legend
		t.Errorf("the redline marks %d runs, want the 4 changed words (plus the legend's 2)", n)
	}
	if feed := read("feed.xml"); !strings.Contains(feed, "Next edition (effective "+today+")") {
		t.Error("the feed has no entry for the new edition")
	}
	// Every page of the old edition is still published at its URL.
	for _, p := range []string{"alidropship/requirements", "aliexpress/terms", "alidropship/self-check"} {
		read("v/2026-10/" + p + "/index.html")
	}
	// A frozen edition cannot be cut again, and a broken draft cannot be frozen.
	var errOut bytes.Buffer
	if code := run([]string{"version", "cut", "next", "-src", dir}, &bytes.Buffer{}, &errOut); code != 1 || !strings.Contains(errOut.String(), "already exists") {
		t.Errorf("re-cutting an edition: exit %d, %s", code, errOut.String())
	}
	os.WriteFile(terms, []byte("---\ntitle: [broken\n---\n"), 0o644)
	errOut.Reset()
	if code := run([]string{"version", "cut", "later", "-src", dir}, &bytes.Buffer{}, &errOut); code != 1 || !strings.Contains(errOut.String(), "content/alidropship/terms.md:2:8: front matter") {
		t.Errorf("cutting a broken draft: exit %d, %s", code, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "_editions", "later")); err == nil {
		t.Error("a broken draft was frozen")
	}
}

// writeOutReplyTime makes the legal editor's edit of these tests in the site dir: the
// AliDropship terms insert the reply time from the program's values (3 and 4); the editor
// writes it out in words instead ("three to four business days"). It returns the file.
func writeOutReplyTime(t *testing.T, dir string) string {
	t.Helper()
	terms := filepath.Join(dir, "content", "alidropship", "terms.md")
	src, err := os.ReadFile(terms)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "{{ reply_days_min }} to {{ reply_days_max }} business days", "three to four business days", 1)
	if edited == string(src) {
		t.Fatal(`the AliDropship terms no longer say "{{ reply_days_min }} to {{ reply_days_max }} business days"`)
	}
	if err := os.WriteFile(terms, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	return terms
}

// TestDraftCheckedWithEditions protects editions from freezing broken text: once editions
// exist the draft is no longer published, but check and build still check it (links and
// anchors included) and fail at the broken link's position, and version cut refuses
// exactly what check refuses, so nothing broken reaches a frozen edition.
func TestDraftCheckedWithEditions(t *testing.T) {
	dir := copyContent(t)
	if code, _, stderr := runCmd("version", "cut", "2026-10", "-effective", "2026-10-01", "-src", dir); code != 0 {
		t.Fatalf("cut: exit %d\n%s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd("build", "-src", dir, "-o", out); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	before := snapshot(t, out)
	page := filepath.Join(dir, "content", "alidropship", "checklist.md")
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	broken := string(data) + "\nSee [the terms](terms.md#no-such-clause) and [gone](gone.md).\n"
	if err := os.WriteFile(page, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	line := strings.Count(broken, "\n")
	want := []string{
		fmt.Sprintf("content/alidropship/checklist.md:%d:17: broken link \"terms.md#no-such-clause\"", line),
		fmt.Sprintf("content/alidropship/checklist.md:%d:53: broken link \"gone.md\"", line),
	}
	for _, args := range [][]string{
		{"check", "-src", dir},
		{"build", "-src", dir, "-o", out},
		{"version", "cut", "2026-12", "-src", dir},
	} {
		code, _, stderr := runCmd(args...)
		if code != 1 {
			t.Errorf("%s: exit %d; want 1", args[0], code)
		}
		for _, w := range want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s does not report %q:\n%s", args[0], w, stderr)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "_editions", "2026-12")); err == nil {
		t.Error("version cut froze a draft that check refuses")
	}
	if after := snapshot(t, out); !maps.Equal(before, after) {
		t.Error("a failed build changed public/")
	}
}

// TestEditionIntegrity protects versions.json's promise of exactly what was published: an
// edition records its files' hashes when cut, and a build refuses a frozen file edited
// afterwards, naming it; an edition cut by an older generator (no hashes) builds with a
// warning until version record records them.
func TestEditionIntegrity(t *testing.T) {
	dir := copyContent(t)
	if code, _, stderr := runCmd("version", "cut", "2026-10", "-effective", "2026-10-01", "-src", dir); code != 0 {
		t.Fatalf("cut: exit %d\n%s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "public")
	frozen := filepath.Join(dir, "content", "_editions", "2026-10", "alidropship", "terms.md")
	data, err := os.ReadFile(frozen)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(frozen, append(data, "\nA sentence added later.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd("build", "-src", dir, "-o", out)
	if code != 1 || !strings.Contains(stderr, "2026-10/alidropship/terms.md: this file was changed after the edition was cut") {
		t.Errorf("a build over an edited edition: exit %d\n%s", code, stderr)
	}
	if err := os.WriteFile(frozen, data, 0o644); err != nil {
		t.Fatal(err)
	}
	meta := filepath.Join(dir, "content", "_editions", "2026-10", "edition.yaml")
	if err := os.WriteFile(meta, []byte("label: October\neffective: 2026-10-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd("build", "-src", dir, "-o", out); code != 0 || !strings.Contains(stderr, "version record 2026-10") {
		t.Errorf("an edition without hashes: exit %d, want 0 and a warning naming version record\n%s", code, stderr)
	}
	if code, _, stderr := runCmd("version", "record", "2026-10", "-src", dir); code != 0 {
		t.Fatalf("record: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runCmd("build", "-src", dir, "-o", out); code != 0 || strings.Contains(stderr, "records no hashes") {
		t.Errorf("after version record: exit %d\n%s", code, stderr)
	}
}

// TestHomePageRedline protects an edition whose home page changed: its redline has a place
// of its own (changes/_home/), not the change list's, and the list links to it.
func TestHomePageRedline(t *testing.T) {
	dir := copyContent(t)
	if code, _, stderr := runCmd("version", "cut", "2026-10", "-effective", "2026-10-01", "-src", dir); code != 0 {
		t.Fatalf("cut: exit %d\n%s", code, stderr)
	}
	home := filepath.Join(dir, "content", "_index.md")
	data, err := os.ReadFile(home)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(home, append(data, "\nA sentence added to the home page.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd("version", "cut", "2026-11", "-effective", "2026-11-01", "-src", dir); code != 0 {
		t.Fatalf("cut: exit %d\n%s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd("build", "-src", dir, "-o", out, "-minify=false"); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	redline, err := os.ReadFile(filepath.Join(out, "v", "2026-11", "changes", "_home", "index.html"))
	if err != nil || !strings.Contains(string(redline), "<ins>") {
		t.Errorf("no redline of the home page: %v", err)
	}
	list, err := os.ReadFile(filepath.Join(out, "v", "2026-11", "changes", "index.html"))
	if err != nil || !strings.Contains(string(list), `_home/index.html`) {
		t.Errorf("the change list does not link to the home page's redline: %v", err)
	}
}
