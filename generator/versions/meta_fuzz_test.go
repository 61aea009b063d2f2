package versions

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzMeta: reading an edition.yaml never panics and places every problem inside the file.
func FuzzMeta(f *testing.F) {
	for _, s := range []string{
		"label: Jan\neffective: 2026-01-01\n", "label: Terms: 2026\n", "label: \"x\n", "effective: 2026-01-01\nhash: x\nfiles:\n  \"a.md\": y\n  \"a.md\": z\n",
		"files: [1]\n", "\t", "- x\n", "label: caf\xe9\n", "a: 1\n---\nb: 2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		_, problems := parseMeta("edition.yaml", src)
		lines := bytes.Split(src, []byte("\n"))
		for _, p := range problems {
			if p.Line < 1 || p.Line > len(lines) {
				t.Fatalf("%v: line outside the file's %d lines", p, len(lines))
			}
			if n := utf8.RuneCount(lines[p.Line-1]); p.Col < 1 || p.Col > n+1 {
				t.Fatalf("%v: column outside line %d (%d characters)", p, p.Line, n)
			}
		}
	})
}
