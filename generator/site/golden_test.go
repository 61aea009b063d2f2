package site

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"affdocs/generator/golden"
)

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
	golden.Run(t, "testdata/golden/*.txtar", func(t *testing.T, ar *txtar.Archive) map[string][]byte {
		fsys := fstest.MapFS{}
		for _, f := range ar.Files {
			if !isWant(f.Name) {
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
		}
		res, err := Build(fsys, Options{NoMinify: true})
		// warnings and errors are always compared: an unexpected one fails the case.
		got := map[string][]byte{"warnings": diagLines(res.Warnings), "errors": errorLines(err)}
		for _, f := range ar.Files {
			switch {
			case strings.HasPrefix(f.Name, "main/"):
				got[f.Name] = mainOf(res.Files, strings.TrimPrefix(f.Name, "main/"))
			case strings.HasPrefix(f.Name, "out/"):
				got[f.Name] = wholeFile(res.Files, strings.TrimPrefix(f.Name, "out/"))
			}
		}
		return got
	})
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
