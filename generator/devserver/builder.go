package devserver

import (
	"os"

	"affdocs/generator/site"
)

// SiteBuilder returns the rebuild function for the site source folder root: site.Build with
// opt, the one build every command uses, made incremental by a site.Memo that is told what
// changed, so a rebuild reads only those files and renders only the pages they affect. The
// second function describes the last rebuild's work, for the verbose log.
func SiteBuilder(root string, opt site.Options) (rebuild func(changed []string) (*site.Result, error), stats func() string) {
	fsys := os.DirFS(root)
	memo := site.NewMemo()
	opt.Memo = memo
	return func(changed []string) (*site.Result, error) {
		memo.Forget(changed...)
		return site.Build(fsys, opt)
	}, memo.Stats
}
