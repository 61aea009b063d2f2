package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"affdocs/generator/corpus"
	"affdocs/generator/output"
	"affdocs/generator/store"
)

// The stage benchmarks time one step of a build at a time, on one goroutine, over a
// generated corpus, so that a regression of BenchmarkBuildCorpus shows where it comes from.
// Converting Markdown and highlighting code are timed in generator/markdown, writing the
// output in generator/output:
//
//	go test ./generator/site ./generator/markdown ./generator/output -run '^$' -bench 'Stage|Corpus'

// corpusPages is the size of the benchmark corpus: big enough to show per-page costs, small
// enough for a whole build to take about a second.
const corpusPages = 1000

// corpusRoot is where the corpus is generated, on first use; TestMain removes it.
var corpusRoot string

var generateCorpus = sync.OnceValue(func() (err error) {
	if corpusRoot, err = os.MkdirTemp("", "site-bench-corpus-"); err != nil {
		return err
	}
	_, err = corpus.Generate(corpusRoot, corpusPages, 1)
	return err
})

func TestMain(m *testing.M) {
	code := m.Run()
	os.RemoveAll(corpusRoot) // "" when no benchmark ran: removes nothing
	os.Exit(code)
}

// corpusFS is the generated corpus, read from disk as the build command reads a site.
func corpusFS(b *testing.B) fs.FS {
	b.Helper()
	if err := generateCorpus(); err != nil {
		b.Fatal(err)
	}
	return os.DirFS(corpusRoot)
}

// builtCorpus is the corpus built without minifying: its loaded and converted site, ready to
// render again, and its pages as the layouts wrote them.
func builtCorpus(b *testing.B) *Result {
	b.Helper()
	res, err := Build(corpusFS(b), Options{NoMinify: true})
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// reportPerPage adds ns/page, the time of one iteration shared out over its pages.
func reportPerPage(b *testing.B, pages int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(pages), "ns/page")
}

// BenchmarkStageLoad measures load: walking content/, reading every file, parsing its front
// matter and linking the section tree. No Markdown is converted.
func BenchmarkStageLoad(b *testing.B) {
	fsys := corpusFS(b)
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		bl, _ := newBuilder(fsys, Options{}) // a new store each time: every file is read
		pages = len(bl.load("content").Pages)
		if errs, _ := bl.ds.split(); len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
	reportPerPage(b, pages)
}

// BenchmarkStageRender measures template execution: renderer.page, with the renderer
// publish makes, for every page of the converted corpus.
func BenchmarkStageRender(b *testing.B) {
	res := builtCorpus(b)
	bl, err := newBuilder(corpusFS(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	bl.copyStatic()
	for _, p := range res.Site.Pages {
		bl.convert(res.Site, p)
	}
	r := bl.renderer(&tree{site: res.Site}, nil)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range res.Site.Pages {
			if _, _, err := r.page(p, recorder{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPerPage(b, len(res.Site.Pages))
}

// BenchmarkStageMinify measures what a build minifies for each page: the HTML of its
// Markdown, which has no raw HTML here, so it is compacted (the layouts are minified once,
// when the theme is loaded). BenchmarkStageMinifyHTML is the minifier on the same HTML, as
// for a page with raw HTML.
func BenchmarkStageMinify(b *testing.B) {
	benchMinify(b, func(html []byte) { compactHTML(html) })
}

func BenchmarkStageMinifyHTML(b *testing.B) {
	benchMinify(b, func(html []byte) {
		if _, err := minifier.Bytes("text/html", html); err != nil {
			b.Fatal(err)
		}
	})
}

func benchMinify(b *testing.B, minify func([]byte)) {
	res := builtCorpus(b)
	bl, err := newBuilder(corpusFS(b), Options{NoMinify: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range res.Site.Pages {
		bl.convert(res.Site, p)
	}
	buf := make([]byte, 0, 1<<16)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range res.Site.Pages {
			minify(append(buf[:0], p.Content...)) // compactHTML works in place
		}
	}
	reportPerPage(b, len(res.Site.Pages))
}

// BenchmarkBuildCorpus measures a whole cold build of the corpus as the build command runs
// it: sources read from disk, every output written into a staging folder (on all cores),
// then swapped in for the previous build's.
func BenchmarkBuildCorpus(b *testing.B) {
	fsys := corpusFS(b)
	out := filepath.Join(b.TempDir(), "public")
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		d, err := output.Open(out, "")
		if err != nil {
			b.Fatal(err)
		}
		res, err := Build(fsys, Options{Output: d})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			b.Fatal(err)
		}
		pages = res.Stats.Pages
	}
	reportPerPage(b, pages)
}

// BenchmarkRebuildCorpus measures what make does after the legal team edits one page: a
// build with the disk store and the output's manifest of the last build, after one page's
// text changed (a different page each time). Compare with BenchmarkBuildCorpus.
func BenchmarkRebuildCorpus(b *testing.B) {
	if err := generateCorpus(); err != nil {
		b.Fatal(err)
	}
	src := b.TempDir()
	if err := os.CopyFS(src, os.DirFS(corpusRoot)); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(src)
	cache, out := b.TempDir(), filepath.Join(b.TempDir(), "public")
	build := func() *Result {
		st, err := store.Open(filepath.Join(cache, "store"))
		if err != nil {
			b.Fatal(err)
		}
		d, err := output.Open(out, filepath.Join(cache, "manifest"))
		if err != nil {
			b.Fatal(err)
		}
		res, err := Build(fsys, Options{Store: st, Salt: "bench", Output: d})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			b.Fatal(err)
		}
		if err := st.Save(); err != nil {
			b.Fatal(err)
		}
		return res
	}
	res := build()
	var sources []string
	for _, p := range res.Site.Pages {
		if p.Source != "" && !p.IsSection {
			sources = append(sources, filepath.Join(src, filepath.FromSlash(p.Source)))
		}
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		file := sources[i%len(sources)]
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		i++
		if err := os.WriteFile(file, fmt.Appendf(data, "\nEdited %d.\n", i), 0o644); err != nil {
			b.Fatal(err)
		}
		if res := build(); res.Stats.Rendered > 5 {
			b.Fatalf("a one-page edit rendered %d pages", res.Stats.Rendered)
		}
	}
	reportPerPage(b, len(res.Site.Pages))
}
