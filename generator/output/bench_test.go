package output

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkStageWrite measures writing a built site to disk as a cold build does: Open
// without a manifest, Write of 1,000 pages of 18 KB (the size of a minified page of the
// generated corpus) in a tree of 10 sections of 100 page folders, then Commit over the
// previous iteration's folder, which is moved aside and deleted.
func BenchmarkStageWrite(b *testing.B) {
	const pages = 1000
	names := make([]string, pages)
	for i := range names {
		names[i] = fmt.Sprintf("s%02d/p%03d/index.html", i/100, i%100)
	}
	page := bytes.Repeat([]byte("<p>Affiliate program terms.</p>\n"), 18<<10/32)
	sum := sha256.Sum256(page) // the build hashes each file once, for its own records
	dir := filepath.Join(b.TempDir(), "public")
	b.ReportAllocs()
	for b.Loop() {
		st, err := Open(dir, "")
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range names {
			if err := st.Write(name, page, sum); err != nil {
				b.Fatal(err)
			}
		}
		if err := st.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pages, "ns/page")
}
