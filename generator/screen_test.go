package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	page := filepath.Join(dir, "content", "alidropship", "rejection-reasons.md")
	src, _ := os.ReadFile(page)
	edited := strings.Replace(string(src), "min_promotion_words: 12", "min_promotion_words: 8", 1)
	if edited == string(src) {
		t.Fatal("the AliDropship rejection reasons no longer set min_promotion_words: 12")
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
