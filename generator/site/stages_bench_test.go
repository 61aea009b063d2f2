package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"affdocs/generator/corpus"
	"affdocs/generator/output"
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

// BenchmarkStageLoad measures Load: walking content/, reading every file, parsing its front
// matter and linking the section tree. No Markdown is converted.
func BenchmarkStageLoad(b *testing.B) {
	fsys := corpusFS(b)
	cfg := LoadConfig(fsys, "content", &diags{})
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		ds := &diags{}
		pages = len(Load(fsys, "content", cfg, ds).Pages)
		if errs, _ := ds.split(); len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
	reportPerPage(b, pages)
}

// BenchmarkStageRender measures template execution: renderer.page, with the renderer
// publish makes, for every page of the converted corpus.
func BenchmarkStageRender(b *testing.B) {
	res := builtCorpus(b)
	th, err := loadTheme(corpusFS(b), res.Site.Config.Theme)
	if err != nil {
		b.Fatal(err)
	}
	bl := &builder{theme: th, assets: th.copyStatic(func(string, []byte) {}), set: newEditionSet(nil)}
	r := bl.renderer(&tree{site: res.Site})
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range res.Site.Pages {
			if _, err := r.page(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPerPage(b, len(res.Site.Pages))
}

// BenchmarkStageMinify measures minifyFile on every rendered page of the corpus.
func BenchmarkStageMinify(b *testing.B) {
	res := builtCorpus(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range res.Site.Pages {
			name := p.Path + "index.html"
			if _, err := minifyFile(name, res.Files[name]); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPerPage(b, len(res.Site.Pages))
}

// BenchmarkBuildCorpus measures a whole build of the corpus as the build command runs it:
// sources read from disk, every output streamed into an output.Staged folder (on all cores),
// then committed over the previous build's.
func BenchmarkBuildCorpus(b *testing.B) {
	fsys := corpusFS(b)
	out := filepath.Join(b.TempDir(), "public")
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		st, err := output.Stage(out)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Build(fsys, Options{Output: st.Write})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Commit(); err != nil {
			b.Fatal(err)
		}
		pages = len(res.Site.Pages)
	}
	reportPerPage(b, pages)
}
