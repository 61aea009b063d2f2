package site

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Diagnostic is a problem at a position of a source file. Its Error reads
// "path:line:col: message", the form editors and terminals turn into links.
type Diagnostic struct {
	File      string // slash path inside the site source
	Line, Col int    // 1-based; 0 when unknown
	Msg       string
	Warning   bool
}

func (d *Diagnostic) Error() string {
	if d.Line == 0 {
		return fmt.Sprintf("%s: %s", d.File, d.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Msg)
}

// diags collects a build's problems; every problem is reported, not just the first.
type diags struct {
	mu   sync.Mutex
	list []*Diagnostic
}

func (ds *diags) add(d *Diagnostic) {
	ds.mu.Lock()
	ds.list = append(ds.list, d)
	ds.mu.Unlock()
}

func (ds *diags) addAll(list []*Diagnostic) {
	ds.mu.Lock()
	ds.list = append(ds.list, list...)
	ds.mu.Unlock()
}

// readProblem words an error reading a source file for the person who made the file.
// os.Root refuses a symlink that leads out of the site with an unexported error whose
// text is all there is to recognise it by.
func readProblem(err error) string {
	if strings.Contains(err.Error(), "path escapes from parent") {
		return "a symlink leading out of the site (or to an absolute path); it is not followed: put the file itself in the site, or use a relative link inside it"
	}
	return err.Error()
}

// at records a problem at a byte offset of src.
func (ds *diags) at(file string, src []byte, off int, warning bool, format string, args ...any) {
	line, col := position(src, off)
	ds.add(&Diagnostic{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Warning: warning})
}

// split returns errors and warnings, each sorted by file and position.
func (ds *diags) split() (errs, warns []*Diagnostic) {
	sort.SliceStable(ds.list, func(i, j int) bool {
		a, b := ds.list[i], ds.list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	seen := map[string]bool{} // a tree published at several paths reports its problems once
	for _, d := range ds.list {
		key := fmt.Sprint(d.Warning, d.Error())
		if seen[key] {
			continue
		}
		seen[key] = true
		if d.Warning {
			warns = append(warns, d)
		} else {
			errs = append(errs, d)
		}
	}
	return errs, warns
}

// position converts a byte offset into a 1-based line and column (columns count runes).
func position(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	before := src[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = len([]rune(string(before[start:]))) + 1
	return line, col
}

// errorCount is the number of errors so far.
func (ds *diags) errorCount() int {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	n := 0
	for _, d := range ds.list {
		if !d.Warning {
			n++
		}
	}
	return n
}
