// Package golden is the golden-file test harness of the generator's packages: it compares
// what the code under test produces with what testdata says it must produce, prints a
// line diff when they differ, and with go test -update rewrites testdata instead.
//
// Run handles txtar archives that hold a case's input and its wanted output side by side;
// File handles a golden file that stands alone.
package golden

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// Update is the -update flag: rewrite golden files with what the code produces instead of
// comparing.
var Update = flag.Bool("update", false, "rewrite golden files with what the code under test produces")

// Run runs each txtar archive matching glob as a subtest named after the file, without
// .txtar. got receives the parsed archive and returns the sections the code produced, by
// name; Run compares each byte for byte with the archive's section of that name. An empty
// section and an absent one are the same. Sections got does not return (the case's input)
// are left alone.
//
// With -update, Run rewrites each archive whose sections differ: a section keeps its place,
// one got leaves empty is removed, a new one is appended (in name order); the comment and
// the other sections are kept.
func Run(t *testing.T, glob string, got func(t *testing.T, ar *txtar.Archive) map[string][]byte) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s: %v", glob, err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := got(t, ar)
			if *Update {
				if update(ar, sections) {
					if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			for _, name := range order(ar, sections) {
				if g, w := sections[name], Section(ar, name); !bytes.Equal(g, w) {
					t.Errorf("%s: %s differs (go test -run '%s' -update rewrites it):\n%s",
						file, name, t.Name(), lineDiff(string(w), string(g)))
				}
			}
		})
	}
}

// Section is the data of the archive's file name, nil if it has none.
func Section(ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

// order is the names of sections: those the archive has in its order, then the others in
// name order.
func order(ar *txtar.Archive, sections map[string][]byte) []string {
	var names, extra []string
	for _, f := range ar.Files {
		if _, ok := sections[f.Name]; ok {
			names = append(names, f.Name)
		}
	}
	for name := range sections {
		if !slices.Contains(names, name) {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	return append(names, extra...)
}

// update puts sections into the archive and reports whether that changed it.
func update(ar *txtar.Archive, sections map[string][]byte) bool {
	changed := false
	var files []txtar.File
	had := map[string]bool{}
	for _, f := range ar.Files {
		had[f.Name] = true
		data, ok := sections[f.Name]
		switch {
		case !ok || bytes.Equal(data, f.Data):
			files = append(files, f)
		case len(data) > 0:
			files = append(files, txtar.File{Name: f.Name, Data: data})
			changed = true
		default:
			changed = true // removed
		}
	}
	for _, name := range order(ar, sections) {
		if data := sections[name]; !had[name] && len(data) > 0 {
			files = append(files, txtar.File{Name: name, Data: data})
			changed = true
		}
	}
	ar.Files = files
	return changed
}

// File compares got with the golden file at path; with -update it writes got there instead.
func File(t testing.TB, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if *Update {
		if err != nil || !bytes.Equal(got, want) {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -run '%s' -update rewrites it):\n%s", path, t.Name(), lineDiff(string(want), string(got)))
	}
}

// lineDiff is a readable line diff of want and got: "-" lines are only in want, "+" lines
// only in got, with two lines of context around each change.
func lineDiff(want, got string) string {
	a, b := splitLines(want), splitLines(got)
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
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', a[i]})
			i++
		default:
			lines = append(lines, line{'+', b[j]})
			j++
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

// splitLines splits s after each newline; the last line lacks one only if s does.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
