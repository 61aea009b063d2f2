package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"affdocs/generator/store"
)

// editionSite writes the real content/ to a temp dir with n editions, one month apart,
// each a copy of the draft where, as in generator/corpus's Editions, one page in ten (a
// different tenth in each edition, the AliDropship terms in every one) gains a note: each
// comparison then redlines several pages, as a history of terms does. Every file is dated
// an hour back, like a site whose editions were cut long ago: a file changed less than
// two seconds before a build is read and parsed again (read.go), and a tree written just
// before the benchmark would make every warm build do that for every page.
func editionSite(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	src := filepath.Join("..", "..", "content")
	var files = map[string][]byte{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if strings.HasPrefix(rel, "_editions") {
			return nil
		}
		files[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, "content", rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for rel, data := range files {
		write(rel, data)
	}
	var pages []string
	for rel := range files {
		if strings.HasSuffix(rel, ".md") {
			pages = append(pages, rel)
		}
	}
	slices.Sort(pages)
	reworded := map[string]int{} // page -> its place among the pages
	for j, rel := range pages {
		reworded[rel] = j
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		id := start.AddDate(0, i, 0).Format("2006-01")
		for rel, data := range files {
			if rel == ConfigFile {
				continue
			}
			if j, ok := reworded[rel]; ok && j%10 == i%10 || rel == filepath.Join("alidropship", "terms.md") {
				data = append(append([]byte{}, data...), fmt.Sprintf("\n\nEdition note %d.\n", i)...)
			}
			write(filepath.Join("_editions", id, rel), data)
		}
		write(filepath.Join("_editions", id, "edition.yaml"), []byte("effective: "+id+"-01\n"))
	}
	old := time.Now().Add(-time.Hour)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, old, old)
	})
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkEditions measures cold builds (no store) and warm builds (store and previous
// output kept, one draft page edited before each build) with 1 and with 10 editions. The
// history must not make warm builds slower: compare warm/editions=10 with warm/editions=1.
func BenchmarkEditions(b *testing.B) {
	for _, n := range []int{1, 10} {
		dir := editionSite(b, n)
		fsys := os.DirFS(dir)
		today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		b.Run(fmt.Sprintf("cold/editions=%d", n), func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := Build(fsys, Options{Today: today}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("warm/editions=%d", n), func(b *testing.B) {
			out := &MemOutput{}
			opt := Options{Today: today, Store: store.Memory(), Salt: "bench", Output: out}
			if _, err := Build(fsys, opt); err != nil {
				b.Fatal(err)
			}
			page := filepath.Join(dir, "content", "alidropship", "requirements.md")
			orig, _ := os.ReadFile(page)
			i := 0
			defer reportCPU(b)()
			for b.Loop() {
				i++
				if err := os.WriteFile(page, fmt.Appendf(append([]byte{}, orig...), "\nEdited %d.\n", i), 0o644); err != nil {
					b.Fatal(err)
				}
				out = out.Next() // keeps the sums of the files, as serve's output and a folder's index do
				opt.Output = out
				if _, err := Build(fsys, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU adds cpu-ms/op, the process CPU time per operation: steadier than wall time on a
// shared machine (it still counts the build's own parallel work and its GC).
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
