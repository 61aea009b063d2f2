package site

import (
	"strings"
	"testing"
)

// TestWriteWarnings protects the summary's grouping: by file and kind, four shown whole
// (never "1 more"), five as three and "2 more"; a redline's link warnings in one edition
// the same as in the newer one, whatever edition their paths and messages name; a warning
// of no known kind grouped with its exact copies only.
func TestWriteWarnings(t *testing.T) {
	var warns []*Diagnostic
	add := func(file string, line int, msg string) {
		warns = append(warns, &Diagnostic{File: file, Line: line, Col: 1, Msg: msg, Warning: true})
	}
	for i := range 4 {
		add("content/a.md", i+1, `broken link "x": no page or file at /x/`)
	}
	for i := range 5 {
		add("content/b.md", i+1, "raw HTML escaped (set unsafeHTML: true in _site.yaml to allow it)")
	}
	add("content/b.md", 9, "something new")
	add("content/b.md", 10, "something new")
	for _, id := range []string{"2024", "2025"} {
		add("(output) v/"+id+"/changes/terms/index.html", 0, "links to v/"+id+"/gone/, which the build did not write")
	}
	var b strings.Builder
	shown := WriteWarnings(&b, warns, WarningOptions{Editions: func() []string { return []string{"2024", "2025"} }})
	want := `warning: content/a.md:1:1: broken link "x": no page or file at /x/
warning: content/a.md:2:1: broken link "x": no page or file at /x/
warning: content/a.md:3:1: broken link "x": no page or file at /x/
warning: content/a.md:4:1: broken link "x": no page or file at /x/
warning: content/b.md:1:1: raw HTML escaped (set unsafeHTML: true in _site.yaml to allow it)
warning: content/b.md:2:1: raw HTML escaped (set unsafeHTML: true in _site.yaml to allow it)
warning: content/b.md:3:1: raw HTML escaped (set unsafeHTML: true in _site.yaml to allow it)
warning: content/b.md: 2 more pieces of raw HTML escaped (-warnings=all shows them)
warning: content/b.md:9:1: something new
warning: content/b.md:10:1: something new
warning: (output) v/2025/changes/terms/index.html: links to v/2025/gone/, which the build did not write
warning: 1 more in edition 2024: the same as in edition 2025 (-warnings=all shows them)
warning: 13 warnings in all (4 broken links, 5 pieces of raw HTML escaped, 2 links to files the build did not write, 2 other), 10 shown: -warnings=all shows every one
`
	if got := b.String(); got != want || shown != 10 {
		t.Errorf("WriteWarnings (%d shown):\n%s\nwant:\n%s", shown, got, want)
	}
}
