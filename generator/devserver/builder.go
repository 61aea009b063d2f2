package devserver

import (
	"fmt"
	"os"

	"affdocs/generator/site"
	"affdocs/generator/store"
)

// SiteBuilder returns the rebuild function for the site source folder root: site.Build with
// opt, the one pipeline every command runs, with a store in memory that lives as long as
// the server and the last good build's files as the output to keep unchanged files from.
// The pipeline itself decides what to redo; the paths the watcher saw are only logged. The
// second function describes the last rebuild's work, for the verbose log.
func SiteBuilder(root string, opt site.Options) (rebuild func(changed []string) (*site.Result, error), stats func() string) {
	fsys := os.DirFS(root)
	opt.Store = store.Memory()
	last, good := site.Stats{}, &site.MemOutput{}
	return func(changed []string) (*site.Result, error) {
			out := good.Next()
			o := opt
			o.Output = out
			res, err := site.Build(fsys, o)
			opt.Store.Prune()
			last = res.Stats
			if err == nil {
				good, res.Files = out, out.Files
			}
			return res, err
		}, func() string {
			return fmt.Sprintf("of %d pages: %d converted, %d rendered; %d files written, %d kept", last.Pages, last.Converted, last.Rendered, last.Written, last.Kept)
		}
}
