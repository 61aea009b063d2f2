// Package themes embeds the default theme so that a site holding only content/ builds with
// the generator binary alone. A site's own themes/<name>/ folder overrides it file by file.
package themes

import "embed"

// Default is themes/default: layouts/*.html (html/template) and static/ (copied to the site root).
//
//go:embed all:default
var Default embed.FS
