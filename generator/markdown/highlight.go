package markdown

import (
	"bytes"
	"strings"
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
		if it, err := lx.Tokenise(nil, code.String()); err == nil {
			formatCode(w, it.Tokens())
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

// formatCode writes tokens as codeFormatter does, byte for byte (TestFormatCode), without
// its fmt.Sprintf and style lookups for every token: a fifth of highlighting's time. The
// block's and lines' wrappers are chroma's own, cut from what it writes for two probes.
func formatCode(w util.BufWriter, tokens []chroma.Token) {
	lines := chroma.SplitTokensIntoLines(tokens)
	if len(lines) == 0 {
		w.WriteString(codeWrap.empty)
		return
	}
	w.WriteString(codeWrap.first)
	for i, line := range lines {
		if i > 0 {
			w.WriteString(codeWrap.between)
		}
		for _, t := range line {
			span := tokenSpan(t.Type)
			w.WriteString(span)
			codeEscaper.WriteString(w, t.Value)
			if span != "" {
				w.WriteString("</span>")
			}
		}
	}
	w.WriteString(codeWrap.last)
}

// codeWrap is what codeFormatter writes around a block's lines: before the first one, between
// two, after the last one, and for a block of no lines.
var codeWrap = func() (c struct{ first, between, last, empty string }) {
	probe := func(values ...string) string {
		var b strings.Builder
		tokens := make([]chroma.Token, len(values))
		for i, v := range values {
			tokens[i] = chroma.Token{Type: chroma.Text, Value: v} // Text has no class: no span
		}
		codeFormatter.Format(&b, codeStyle, chroma.Literator(tokens...))
		return b.String()
	}
	one, two := probe("\x01"), probe("\x01\n", "\x02")
	c.first, c.last, _ = strings.Cut(one, "\x01")
	c.between, _, _ = strings.Cut(two[len(c.first)+2:], "\x02")
	c.empty = probe()
	return c
}()

// tokenSpan is the opening <span> codeFormatter writes for a token type ("" for none): the
// class of the type or of its nearest parent with one, as chroma's formatter finds it.
func tokenSpan(tt chroma.TokenType) string {
	if s, ok := spans.Load(tt); ok {
		return s.(string)
	}
	t := tt
	for t != 0 {
		if _, ok := chroma.StandardTypes[t]; ok {
			break
		}
		t = t.Parent()
	}
	span := ""
	if cls := chroma.StandardTypes[t]; cls != "" {
		span = `<span class="` + cls + `">`
	}
	spans.Store(tt, span)
	return span
}

var spans sync.Map // chroma.TokenType -> its opening <span>

// codeEscaper escapes a token as html.EscapeString does (chroma's formatter uses it), with
// the same replacements; WriteString writes into the page, where EscapeString allocates.
var codeEscaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;")
