package source

import "testing"

// TestRule protects what is a source: editor and system files never are, and only
// _index.md of the underscore names is published.
func TestRule(t *testing.T) {
	for name, want := range map[string]bool{
		"terms.md": true, "_index.md": true, "logo.png": true, "alidropship": true,
		".terms.md.swp": false, ".#terms.md": false, "#terms.md#": false, "terms.md~": false,
		".git": false, ".DS_Store": false, "4913": false, "node_modules": false,
		"_site.yaml": false, "_editions": false, "_drafts": false,
	} {
		if got := Published(name); got != want {
			t.Errorf("Published(%q) = %v; want %v", name, got, want)
		}
	}
	for _, name := range []string{"_site.yaml", "_editions", "terms.md"} {
		if Scratch(name) {
			t.Errorf("Scratch(%q): the site's own files are never scratch", name)
		}
	}
}
