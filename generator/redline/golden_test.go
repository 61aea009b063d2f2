package redline

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"affdocs/generator/golden"
)

// TestGolden redlines realistic pages (testdata/*.txtar: old.html and new.html as the
// markdown package renders them) and compares with want.html and summary.json.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", func(t *testing.T, ar *txtar.Archive) map[string][]byte {
		new := string(golden.Section(ar, "new.html"))
		sum, got := Page(string(golden.Section(ar, "old.html")), new)
		js, _ := json.MarshalIndent(sum, "", "  ")
		_, n, err := shown(got)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(n, words(new)) {
			t.Errorf("the redline does not show new.html's words")
		}
		checkHTML(t, got)
		return map[string][]byte{"want.html": []byte(got), "summary.json": append(js, '\n')}
	})
}

// checkHTML checks what the redline adds for validity: every <ins> and <del> stands where
// text may, and no id is used twice.
func checkHTML(t *testing.T, fragment string) {
	t.Helper()
	noText := map[string]bool{"ul": true, "ol": true, "dl": true, "table": true, "thead": true,
		"tbody": true, "tfoot": true, "tr": true, "colgroup": true, "select": true, "hgroup": true}
	var stack []string
	ids := map[string]bool{}
	for _, tok := range tokenize(fragment) {
		switch tok.kind {
		case tStart:
			if id, ok := getAttr(tok.raw, "id"); ok {
				if ids[id] {
					t.Errorf("duplicate id %q", id)
				}
				ids[id] = true
			}
			if (tok.name == "ins" || tok.name == "del") && len(stack) > 0 && noText[stack[len(stack)-1]] {
				t.Errorf("<%s> inside <%s> at %d", tok.name, stack[len(stack)-1], tok.pos)
			}
			if !tok.isVoid() {
				stack = append(stack, tok.name)
			}
		case tEnd:
			if len(stack) == 0 || stack[len(stack)-1] != tok.name {
				t.Fatalf("unbalanced %s at %d (open: %v)", tok.raw, tok.pos, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		t.Errorf("elements left open: %v", stack)
	}
}

// TestGoldenValid runs the Nu HTML Checker on the golden redlines when Java and vnu.jar are
// at hand (VNU_JAR, or the browser-test helpers' npm install); it skips otherwise, unless
// AFFDOCS_REQUIRE_TOOLS=1.
func TestGoldenValid(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	jar := os.Getenv("VNU_JAR")
	if jar == "" {
		jar = "../browsertest/node_modules/vnu-jar/build/dist/vnu.jar"
	}
	java, err := exec.LookPath("java")
	if _, serr := os.Stat(jar); err != nil || serr != nil {
		if os.Getenv("AFFDOCS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("java or %s missing", jar)
		}
		t.Skip("java or vnu.jar not found")
	}
	paths, _ := filepath.Glob("testdata/*.txtar")
	dir := t.TempDir()
	var files []string
	for _, path := range paths {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, got := Page(string(golden.Section(ar, "old.html")), string(golden.Section(ar, "new.html")))
		doc := "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redline</title></head>\n<body><main>\n" + got + "</main></body></html>\n"
		f := filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), ".txtar")+".html")
		if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(java, append([]string{"-jar", jar, "--errors-only"}, files...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("vnu: %v\n%s", err, out)
	}
}
