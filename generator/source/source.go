// Package source is the one rule for which files of a site are its sources: what the build
// reads, the live preview watches and version cut freezes and hashes. Editors, tools and
// the system leave files beside the sources (vim's .x.swp, emacs's #x#, backups x~, .git,
// .DS_Store); none of them is ever read, published, watched or frozen into an edition.
package source

import "strings"

// Scratch reports whether a file or folder name belongs to an editor, a tool or the
// system, never to the site: hidden names (.git, .DS_Store, vim's .x.swp, emacs's .#x lock),
// backups (x~), emacs's autosaves (#x#), vim's write test (4913) and node_modules.
func Scratch(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") ||
		name == "4913" || name == "node_modules"
}

// Published reports whether a file or folder name inside a content tree is published, as a
// page or a file: it is not scratch, and does not start with _ (the site settings, the
// editions, anything set aside), except _index.md, a section's own page.
func Published(name string) bool {
	return !Scratch(name) && (!strings.HasPrefix(name, "_") || name == "_index.md")
}
