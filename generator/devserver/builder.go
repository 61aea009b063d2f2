package devserver

import (
	"os"

	"affdocs/generator/site"
)

// SiteBuilder returns the rebuild function for the site source folder root: site.Build with
// opt, the one build every command uses, made incremental by a site.Memo: a rebuild reads
// only the files the watcher named and renders only the pages they affect. stats, when
// not nil, is set to a function describing the last rebuild's work.
func SiteBuilder(root string, opt site.Options) func(changed []string) (*site.Result, error) {
	return siteBuilder(root, opt, nil)
}

func siteBuilder(root string, opt site.Options, stats *func() string) func(changed []string) (*site.Result, error) {
	fsys := os.DirFS(root)
	memo := site.NewMemo()
	opt.Memo = memo
	if stats != nil {
		*stats = memo.Stats
	}
	return func(changed []string) (*site.Result, error) {
		memo.Forget(changed...)
		return site.Build(fsys, opt)
	}
}
