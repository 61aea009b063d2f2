package markdown

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"affdocs/generator/corpus"
)

// corpusBodies are the Markdown bodies (without front matter) of the pages of a generated
// corpus of 1,000 pages, the one generator/site's benchmarks build; made once per test binary.
var corpusBodies = sync.OnceValues(func() ([][]byte, error) {
	dir, err := os.MkdirTemp("", "markdown-bench-corpus-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if _, err := corpus.Generate(dir, 1000, 1); err != nil {
		return nil, err
	}
	var bodies [][]byte
	err = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || filepath.Ext(p) != ".md" {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, body, ok := bytes.Cut(src, []byte("\n---\n"))
		if !ok {
			return fmt.Errorf("%s: no front matter", p)
		}
		bodies = append(bodies, body)
		return nil
	})
	return bodies, err
})

func benchBodies(b *testing.B) [][]byte {
	b.Helper()
	bodies, err := corpusBodies()
	if err != nil {
		b.Fatal(err)
	}
	return bodies
}

// benchConvert converts every document once per iteration, on one goroutine, and reports the
// time per document as ns/page.
func benchConvert(b *testing.B, docs [][]byte) {
	conv := New(Config{})
	opt := Options{Resolve: func(dest string) (string, *Link) { return dest, &Link{} }}
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range docs {
			if doc := conv.Convert(src, opt); len(doc.Errors) > 0 {
				b.Fatal(doc.Errors)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(docs)), "ns/page")
}

// BenchmarkStageConvert measures Converter.Convert (parsing, the transformers, rendering and
// code highlighting) over the bodies of the corpus pages.
func BenchmarkStageConvert(b *testing.B) {
	benchConvert(b, benchBodies(b))
}

// fence matches a fenced code block, from its opening line to its closing one.
var fence = regexp.MustCompile("(?ms)^```\\w+\n.*?^```\n")

// BenchmarkStageHighlight measures code highlighting: Convert of documents made of nothing
// but the fenced code blocks of each corpus page that has any, so its ns/page is the part
// of BenchmarkStageConvert's that chroma takes (plus a little parsing).
func BenchmarkStageHighlight(b *testing.B) {
	var docs [][]byte
	for _, body := range benchBodies(b) {
		if blocks := fence.FindAll(body, -1); blocks != nil {
			docs = append(docs, bytes.Join(blocks, []byte("\n")))
		}
	}
	if len(docs) == 0 {
		b.Fatal("no fenced code blocks in the corpus")
	}
	if html := New(Config{}).Convert(docs[0], Options{}).HTML; !bytes.Contains(html, []byte(`class="chroma"`)) {
		b.Fatalf("code not highlighted:\n%s", html)
	}
	benchConvert(b, docs)
}
