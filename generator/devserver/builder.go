package devserver

import (
	"os"

	"affdocs/generator/site"
)

// SiteBuilder returns the rebuild function for the site source folder root: site.Build with
// opt, the one build every command uses.
func SiteBuilder(root string, opt site.Options) func(changed []string) (*site.Result, error) {
	fsys := os.DirFS(root)
	return func(changed []string) (*site.Result, error) {
		return site.Build(fsys, opt)
	}
}
