package markdown

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// BenchmarkLex tokenises a code block of each corpus language (Tokenise and drain the
// iterator, as highlighting does), with chroma's lexer and with fastLexerFor's.
func BenchmarkLex(b *testing.B) {
	bodies := benchBodies(b)
	for _, lang := range []string{"go", "python", "javascript", "yaml", "json", "bash", "sql", "html"} {
		var code string
		for _, body := range bodies {
			for _, block := range fence.FindAll(body, -1) {
				if l, c, _ := strings.Cut(strings.TrimSuffix(string(block), "```\n"), "\n"); l == "```"+lang && code == "" {
					code = c
				}
			}
		}
		if code == "" {
			b.Fatalf("no %s block in the corpus", lang)
		}
		l := lexers.Get(lang)
		for _, path := range []struct {
			name  string
			lexer chroma.Lexer
		}{{"chroma", l}, {"fast", fastLexerFor(l)}} {
			b.Run(lang+"/"+path.name, func(b *testing.B) {
				if _, err := path.lexer.Tokenise(nil, ""); err != nil { // compiles the rules
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					it, err := path.lexer.Tokenise(nil, code)
					if err != nil {
						b.Fatal(err)
					}
					for t := it(); t != chroma.EOF; t = it() {
					}
				}
			})
		}
	}
}
