package markdown

import (
	"bytes"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Code blocks are highlighted by chroma with CSS classes (HighlightCSS has the colours), by
// one formatter and one style for every block of every page. (goldmark-highlighting makes a
// formatter per block, whose style cache is then rebuilt each time: a tenth of a build's
// time on a site with code on every page.)
var (
	codeFormatter = chromahtml.New(chromahtml.WithClasses(true))
	codeStyle     = styles.Get("github")
	codeLexers    sync.Map // language -> chroma.Lexer (coalescing), or nil when unknown
)

// lexerFor is the coalescing lexer for a fenced block's language, or nil: chroma's, with our
// faster rule matching where it tokenises the same (lex.go).
func lexerFor(lang string) chroma.Lexer {
	if l, ok := codeLexers.Load(lang); ok {
		lx, _ := l.(chroma.Lexer)
		return lx
	}
	var lx chroma.Lexer
	if l := lexers.Get(lang); l != nil {
		lx = chroma.Coalesce(fastLexerFor(l))
	}
	codeLexers.Store(lang, lx)
	return lx
}

// codeBlock renders a fenced code block: highlighted when its language is known, else
// escaped in <pre><code class="language-x">.
func (r *nodeRenderer) codeBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(src)
	var code bytes.Buffer
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		code.Write(seg.Value(src))
	}
	if lx := lexerFor(string(lang)); lang != nil && lx != nil {
		if it, err := lx.Tokenise(nil, code.String()); err == nil && codeFormatter.Format(w, codeStyle, it) == nil {
			return ast.WalkContinue, nil
		}
	}
	w.WriteString("<pre><code")
	if lang != nil {
		w.WriteString(` class="language-`)
		w.Write(util.EscapeHTML(lang))
		w.WriteByte('"')
	}
	w.WriteByte('>')
	w.Write(util.EscapeHTML(code.Bytes()))
	w.WriteString("</code></pre>\n")
	return ast.WalkContinue, nil
}
