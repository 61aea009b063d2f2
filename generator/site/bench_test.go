package site

import (
	"os"
	"testing"
)

// BenchmarkBuildRealSite measures one Build of the repository's content/ as the build command
// runs it (minified, files read from disk), without the self-check module, whose compile is
// the Go toolchain's time, not the generator's.
//
//	go test ./generator/site -run '^$' -bench BuildRealSite -benchmem
func BenchmarkBuildRealSite(b *testing.B) {
	fsys := os.DirFS("../..")
	var files int
	for b.Loop() {
		res, err := Build(fsys, Options{})
		if err != nil {
			b.Fatal(err)
		}
		files = len(res.Files)
	}
	b.ReportMetric(float64(files), "files")
}
