package site

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/golden/*.txtar with what the build produces")

// TestGolden protects the HTML each content type and each Markdown feature renders to.
//
// Each testdata/golden/*.txtar is one tiny site: its comment says what the case protects,
// its files (content/..., themes/...) are the site source, and these sections hold what the
// build must produce with Options{NoMinify: true}:
//
//	main/<file>   the <main> element of output file <file> (pages are long; main is the part a case is about)
//	out/<file>    the whole output file <file>
//	warnings      the build's warnings, one per line (absent: there must be none)
//	errors        the build's errors, one per line (absent: there must be none)
//
// go test ./generator/site -run TestGolden -update rewrites the want sections.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			for _, f := range ar.Files {
				if !isWant(f.Name) {
					fsys[f.Name] = &fstest.MapFile{Data: f.Data}
				}
			}
			res, err := Build(fsys, Options{NoMinify: true})
			got := func(name string) []byte {
				switch {
				case name == "warnings":
					return diagLines(res.Warnings)
				case name == "errors":
					return errorLines(err)
				case strings.HasPrefix(name, "main/"):
					return mainOf(res.Files, strings.TrimPrefix(name, "main/"))
				default:
					return wholeFile(res.Files, strings.TrimPrefix(name, "out/"))
				}
			}

			// warnings and errors are always compared: an unexpected one fails the case.
			names := []string{}
			for _, f := range ar.Files {
				if isWant(f.Name) && f.Name != "warnings" && f.Name != "errors" {
					names = append(names, f.Name)
				}
			}
			names = append(names, "warnings", "errors")
			want := map[string][]byte{}
			for _, f := range ar.Files {
				want[f.Name] = f.Data
			}

			if *update {
				var keep []txtar.File
				for _, f := range ar.Files {
					if !isWant(f.Name) {
						keep = append(keep, f)
					}
				}
				for _, name := range names {
					data := got(name)
					if (name == "warnings" || name == "errors") && len(data) == 0 {
						continue
					}
					keep = append(keep, txtar.File{Name: name, Data: data})
				}
				ar.Files = keep
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range names {
				if g, w := got(name), want[name]; !bytes.Equal(g, w) {
					t.Errorf("%s: %s differs from the golden file (go test -run 'TestGolden/%s' -update rewrites it):\n%s",
						file, name, t.Name()[len("TestGolden/"):], lineDiff(string(w), string(g)))
				}
			}
		})
	}
}

func isWant(name string) bool {
	return name == "warnings" || name == "errors" || strings.HasPrefix(name, "main/") || strings.HasPrefix(name, "out/")
}

func diagLines(ds []*Diagnostic) []byte {
	var b bytes.Buffer
	for _, d := range ds {
		fmt.Fprintln(&b, d)
	}
	return b.Bytes()
}

func errorLines(err error) []byte {
	if err == nil {
		return nil
	}
	var b bytes.Buffer
	for _, e := range unjoin(err) {
		fmt.Fprintln(&b, e)
	}
	return b.Bytes()
}

// wholeFile is a whole output file. A newline is added to a file that does not end in one,
// as txtar stores every section with a final newline.
func wholeFile(files map[string][]byte, name string) []byte {
	data, ok := files[name]
	if !ok {
		return []byte("(no such output file)\n")
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data[:len(data):len(data)], '\n')
	}
	return data
}

// mainOf is the <main> element of an output file, ending in a newline.
func mainOf(files map[string][]byte, name string) []byte {
	data, ok := files[name]
	if !ok {
		return []byte("(no such output file)\n")
	}
	i := bytes.Index(data, []byte("<main"))
	j := bytes.LastIndex(data, []byte("</main>"))
	if i < 0 || j < i {
		return []byte("(no <main> element)\n")
	}
	return append(data[i:j+len("</main>"):j+len("</main>")], '\n')
}

// lineDiff is a readable line diff of want and got: "-" lines are only in want, "+" lines
// only in got, with two lines of context around each change.
func lineDiff(want, got string) string {
	a, b := strings.SplitAfter(want, "\n"), strings.SplitAfter(got, "\n")
	// Longest common subsequence, by dynamic programming: golden files are small.
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			lines = append(lines, line{' ', a[i]})
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			lines = append(lines, line{'+', b[j]})
			j++
		default:
			lines = append(lines, line{'-', a[i]})
			i++
		}
	}
	const context = 2
	var out strings.Builder
	last := -1
	for k, l := range lines {
		near := false
		for d := max(0, k-context); d <= min(len(lines)-1, k+context); d++ {
			if lines[d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("  ...\n")
		}
		last = k
		text := l.text
		if !strings.HasSuffix(text, "\n") {
			text += "⏎(no newline at end)\n"
		}
		out.WriteByte(l.op)
		out.WriteByte(' ')
		out.WriteString(text)
	}
	return out.String()
}
