package redline

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite want.html and summary.json in testdata/*.txtar")

// archive is a txtar archive: a comment, then files each introduced by a "-- name --" line.
type archive struct {
	comment string
	names   []string
	files   map[string]string
}

func readArchive(t *testing.T, path string) *archive {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := &archive{files: map[string]string{}}
	cur := ""
	var b strings.Builder
	flush := func() {
		if cur == "" {
			a.comment = b.String()
		} else {
			a.files[cur] = b.String()
		}
		b.Reset()
	}
	for line := range strings.Lines(string(data)) {
		if name, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "-- "); ok && strings.HasSuffix(name, " --") {
			flush()
			cur = strings.TrimSuffix(name, " --")
			a.names = append(a.names, cur)
			continue
		}
		b.WriteString(line)
	}
	flush()
	return a
}

func (a *archive) set(name, data string) {
	if !slices.Contains(a.names, name) {
		a.names = append(a.names, name)
	}
	a.files[name] = data
}

func (a *archive) bytes() []byte {
	var b bytes.Buffer
	b.WriteString(a.comment)
	for _, n := range a.names {
		fmt.Fprintf(&b, "-- %s --\n", n)
		b.WriteString(a.files[n])
		if d := a.files[n]; d != "" && !strings.HasSuffix(d, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// TestGolden redlines realistic pages (testdata/*.txtar: old.html and new.html as the
// markdown package renders them) and compares with want.html and summary.json.
func TestGolden(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no testdata/*.txtar")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a := readArchive(t, path)
			old, new := a.files["old.html"], a.files["new.html"]
			sum, got := Page(old, new)
			js, _ := json.MarshalIndent(sum, "", "  ")
			gotSum := string(js) + "\n"
			if *update {
				a.set("want.html", got)
				a.set("summary.json", gotSum)
				if err := os.WriteFile(path, a.bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := a.files["want.html"]; got != want {
				t.Errorf("Page differs from want.html (run go test -update and review the diff):\n%s", got)
			}
			if want := a.files["summary.json"]; gotSum != want {
				t.Errorf("summary differs from summary.json:\n%s", gotSum)
			}
			_, n, err := shown(got)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(n, words(new)) {
				t.Errorf("the redline does not show new.html's words")
			}
			checkHTML(t, got)
		})
	}
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
		a := readArchive(t, path)
		_, got := Page(a.files["old.html"], a.files["new.html"])
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
