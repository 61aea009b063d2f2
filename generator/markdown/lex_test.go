package markdown

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// lexTokens tokenises text with l and returns its tokens, uncoalesced, or the panic, and
// whether it stopped early: some lexers emit empty tokens forever on some inputs (JSONata on
// an unterminated string), so it stops after 8 tokens a byte.
func lexTokens(l chroma.Lexer, text string) (tokens []chroma.Token, cut bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			tokens, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	it, err := l.Tokenise(nil, text)
	if err != nil {
		return nil, false, err
	}
	for t := it(); t != chroma.EOF; t = it() {
		if len(tokens) == 8*len(text)+100 {
			return tokens, true, nil
		}
		tokens = append(tokens, t)
	}
	return tokens, false, nil
}

// lexCompare fails t unless fastLexerFor(l) tokenises text exactly as l does: the same
// tokens, type and value, one by one (or the same error or panic). Where chroma does not
// stop, the fast path must emit the same tokens until its guard (lexStallLimit) stops it.
func lexCompare(t *testing.T, l chroma.Lexer, name, text string) {
	t.Helper()
	want, wantCut, wantErr := lexTokens(l, text)
	got, gotCut, gotErr := lexTokens(fastLexerFor(l), text)
	if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
		t.Fatalf("%s on %s: error %v, chroma's %v", l.Config().Name, name, gotErr, wantErr)
	}
	if wantCut && !gotCut && len(got) > 0 && got[len(got)-1].Type == chroma.Error {
		got = got[:len(got)-1] // the guard's Error token, with the rest of the text
		want = want[:min(len(want), len(got))]
	}
	for i := range max(len(want), len(got)) {
		if i >= len(want) || i >= len(got) || want[i] != got[i] {
			var w, g chroma.Token
			if i < len(want) {
				w = want[i]
			}
			if i < len(got) {
				g = got[i]
			}
			t.Fatalf("%s on %s: token %d is %s %q, chroma's %s %q (%d tokens, chroma %d)",
				l.Config().Name, name, i, g.Type, g.Value, w.Type, w.Value, len(got), len(want))
		}
	}
}

// lexSample is a sample text from chroma's testdata and the lexer chroma's tests use for it.
type lexSample struct {
	name, text string
	lexer      chroma.Lexer
}

// lexSamples are chroma's lexer test inputs (lexers/testdata/*.actual, dir/*.actual,
// analysis/*.actual), each with the lexer chroma's TestLexers picks: by the file's name
// before its first dot, or the directory's name.
func lexSamples(t testing.TB) []lexSample {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/alecthomas/chroma/v2").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("chroma's module directory not found (go list -m: %v): no samples to compare on", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "lexers", "testdata", "*.actual"))
	more, _ := filepath.Glob(filepath.Join(dir, "lexers", "testdata", "*", "*.actual"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Skipf("no samples in %s/lexers/testdata", dir)
	}
	var samples []lexSample
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		key := strings.Split(filepath.Base(file), ".")[0]
		if parent := filepath.Base(filepath.Dir(file)); parent != "testdata" && parent != "analysis" {
			key = parent
		}
		l := lexers.Get(key)
		if l == nil {
			l = lexers.Analyse(string(src))
		}
		if l == nil {
			t.Fatalf("no lexer for %s", file)
		}
		rel, _ := filepath.Rel(filepath.Join(dir, "lexers", "testdata"), file)
		samples = append(samples, lexSample{name: rel, text: string(src), lexer: l})
	}
	return samples
}

// lexEdges are small inputs at the edges of the lexers' rules.
var lexEdges = []string{
	"", "\n", "x", "\n\n\n", "a\r\nb\r\n", "a\rb\r", "\t\tindented\n\tline", "no trailing newline",
	`"unterminated string` + "\nnext line", "'unterminated\n", "/* unterminated comment\n",
	"naïve café — “quotes” 日本語 😀\n", "\v\f\x00\x01 control\n", "<<<EOF\n", "#!/bin/sh\n", "{\n",
	"İıKſ ǅ ß\n", "}\n)\n]\n", "0x1F 1e10 .5 07 1_000\n",
}

// TestLexSamples compares the fast path with chroma's Tokenise on chroma's own samples, each
// with its lexer, and with every lexer on the edge inputs, a code block of each corpus
// language and two other languages' samples (all the samples with LEX_ALL=1).
func TestLexSamples(t *testing.T) {
	samples := lexSamples(t)
	all := lexers.GlobalLexerRegistry.Lexers
	fast := 0
	for _, l := range all {
		if _, ok := fastLexerFor(l).(*fastLexer); ok {
			fast++
		}
	}
	t.Logf("%d lexers, %d on the fast path; %d samples", len(all), fast, len(samples))

	for _, s := range samples {
		lexCompare(t, s.lexer, s.name, s.text)
	}
	blocks := map[string]string{} // a code block of each corpus language
	if bodies, err := corpusBodies(); err == nil {
		for _, body := range bodies {
			for _, b := range fence.FindAll(body, -1) {
				lang, code, _ := strings.Cut(strings.TrimSuffix(string(b), "```\n"), "\n")
				blocks[lang] = code
			}
		}
	}
	for i, l := range all {
		for j, e := range lexEdges {
			lexCompare(t, l, fmt.Sprintf("edge %d", j), e)
		}
		for lang, code := range blocks {
			lexCompare(t, l, "corpus block "+lang, code)
		}
		if os.Getenv("LEX_ALL") != "" {
			for _, s := range samples {
				lexCompare(t, l, s.name, s.text)
			}
			continue
		}
		for k := range 2 {
			s := samples[(i*7+k*131)%len(samples)]
			lexCompare(t, l, s.name, s.text)
		}
	}
}

// TestLexCorpusLanguages checks that the corpus's languages take the fast path and that it
// tokenises their code blocks as chroma does.
func TestLexCorpusLanguages(t *testing.T) {
	bodies, err := corpusBodies()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, body := range bodies {
		for _, b := range fence.FindAll(body, -1) {
			lang, code, _ := strings.Cut(strings.TrimSuffix(string(b), "```\n"), "\n")
			lang = strings.TrimPrefix(lang, "```")
			l := lexers.Get(lang)
			if _, ok := fastLexerFor(l).(*fastLexer); !ok {
				t.Fatalf("%s: no fast path", lang)
			}
			if seen[lang]++; seen[lang] <= 50 {
				lexCompare(t, l, "corpus "+lang, code)
			}
		}
	}
	langs := slices.Sorted(func(yield func(string) bool) {
		for k := range seen {
			if !yield(k) {
				return
			}
		}
	})
	if want := []string{"bash", "go", "html", "javascript", "json", "python", "sql", "yaml"}; !reflect.DeepEqual(langs, want) {
		t.Errorf("corpus languages %v, want %v", langs, want)
	}
}

// TestLexFirst checks the prefilter on patterns whose first runes are known.
func TestLexFirst(t *testing.T) {
	for _, c := range []struct {
		pattern, first string // first "" means not filtered
	}{
		{`abc`, "a"},
		{`(?i)abc`, "Aa"},
		{`\G(?mi)(?:abc)`, "Aa"},
		{`(?i)k`, "Kk"},
		{`(?i)\u212A`, "Kk"},
		{`(?i)\u0130`, "Ii"},
		{`[a-c]x|y`, "abcy"},
		{`^\s*#`, "\t\n\v\f\r #"},
		{`\b(if|else)\b`, "ei"},
		{`a?b*c`, "abc"},
		{`(?=a)\d`, "0123456789"},
		{`[a-e-[bd]]`, "ace"},
		{`[[:x:]]`, "["}, // regexp2's reading
		{`(a)\1`, "a"},
		{`[^\W\d]`, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"}, // regexp2's reading
		{`a*`, ""},
		{`$`, ""},
		{`\Z`, ""},
		{`(a)?\1?`, ""},
		{`.`, "all but \n"},
		{`(?s).`, "all"},
		{`[^"]`, "all but \""},
	} {
		tree, err := syntax.Parse(c.pattern, syntax.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := firstOf(tree.Root)
		var want lexFirst
		switch c.first {
		case "":
		case "all":
			want = lexFirst{set: allASCII, filter: true}
		case "all but \n", "all but \"":
			want = lexFirst{set: allASCII, filter: true}
			want.set[0] &^= 1 << c.first[len(c.first)-1]
		default:
			want.filter = true
			for _, r := range c.first {
				want.set.add(r)
			}
		}
		if got != want {
			t.Errorf("firstOf(%q) = %v, want %v", c.pattern, got, want)
		}
	}
}

// FuzzLexCompare compares the fast path with chroma's Tokenise on arbitrary text in the
// corpus's languages and a few with other kinds of rules.
func FuzzLexCompare(f *testing.F) {
	for _, e := range lexEdges {
		f.Add(e)
	}
	f.Add("def f(x):\n    return f'{x!r:>10}' # c\n")
	f.Add("SELECT a, 'b''c' FROM t WHERE x <> 1; -- c\n")
	f.Add("<a href=\"x\">t</a><script>var x = 1;</script><style>a{b:c}</style>\n")
	f.Add("key: [1, 2]\n- {a: b}\n--- |\n  text\n")
	f.Add("for i in $(seq 1 3); do echo \"${i}\"; done <<EOF\nx\nEOF\n")
	f.Add("func f() { x := `raw` + \"s\"; f (1) }\n")
	names := []string{"go", "python", "javascript", "yaml", "json", "bash", "sql", "html", "css", "c", "rust", "php", "java", "ruby", "toml"}
	f.Fuzz(func(t *testing.T, text string) {
		for _, name := range names {
			lexCompare(t, lexers.Get(name), "fuzz input", text)
		}
	})
}

// TestLexMatcher compares litMatcher with regexp2 directly: every rule it matches, of every
// lexer, at 200 positions of the lexer's samples and the edge inputs.
func TestLexMatcher(t *testing.T) {
	texts := map[chroma.Lexer][]string{}
	for _, s := range lexSamples(t) {
		texts[s.lexer] = append(texts[s.lexer], s.text)
	}
	rules, positions := 0, 0
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		f, ok := fastLexerFor(l).(*fastLexer)
		if !ok {
			continue
		}
		if _, err := f.Tokenise(nil, ""); err != nil || f.err != nil {
			t.Fatalf("%s: %v %v", l.Config().Name, err, f.err)
		}
		text := []rune(strings.Join(append(texts[l], lexEdges...), "\n"))
		stride := max(1, len(text)/200)
		for state, s := range f.states {
			for i, lit := range s.lit {
				if lit == nil {
					continue
				}
				rules++
				re := s.rules[i].Regexp
				for pos := 0; pos < len(text); pos += stride {
					positions++
					var want []string
					if m, err := re.FindRunesMatchStartingAt(text, pos); err == nil && m != nil && m.RuneIndex == pos {
						for _, g := range m.Groups() {
							want = append(want, g.String())
						}
					}
					if got := lit.match(text, pos); !slices.Equal(got, want) {
						t.Fatalf("%s %s.%d %q at %q: %q, regexp2 %q", l.Config().Name, state, i,
							s.rules[i].Pattern, string(text[pos:min(pos+20, len(text))]), got, want)
					}
				}
			}
		}
	}
	t.Logf("%d rules matched here, compared at %d positions", rules, positions)

	text := []rune("ab x abx a.bx ab\nx ba.x _x ÿx")
	for _, pattern := range []string{`(?<=ab)x`, `(?<!a[.b])x`, `(?<=\S\.)\w+`, `^x|x$|\Ax|x\z|x\Z`, `(?=\w\b)(x)`, `(?!(b))\w`} {
		re := regexp2.MustCompile(`\G(?m)(?:` + pattern + `)`)
		tree, err := syntax.Parse(re.String(), syntax.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		lit := newLitMatcher(re, tree)
		if lit == nil {
			t.Fatalf("%q: not matched here", pattern)
		}
		for pos := range text {
			var want []string
			if m, _ := re.FindRunesMatchStartingAt(text, pos); m != nil && m.RuneIndex == pos {
				for _, g := range m.Groups() {
					want = append(want, g.String())
				}
			}
			if got := lit.match(text, pos); !slices.Equal(got, want) {
				t.Errorf("%q at %d: %q, regexp2 %q", pattern, pos, got, want)
			}
		}
	}
}

// TestFormatCode compares formatCode with chroma's HTML formatter, byte for byte, on the
// tokens of chroma's samples (each with its lexer) and of the edge inputs (with a few
// lexers), coalesced as a code block's are, and on hand-made tokens: every token type,
// empty values, escapes, newlines inside and at the ends of tokens.
func TestFormatCode(t *testing.T) {
	compare := func(name string, tokens []chroma.Token) {
		t.Helper()
		tokens = chroma.Literator(tokens...).Tokens() // as a lexer's iterator gives them: up to EOF
		var want strings.Builder
		if err := codeFormatter.Format(&want, codeStyle, chroma.Literator(tokens...)); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		w := bufio.NewWriter(&got)
		formatCode(w, tokens)
		w.Flush()
		if got.String() != want.String() {
			t.Fatalf("%s: formatCode wrote\n%q\nchroma's formatter\n%q", name, got.String(), want.String())
		}
	}
	coalesced := func(l chroma.Lexer, text string) []chroma.Token {
		it, err := chroma.Coalesce(l).Tokenise(nil, text)
		if err != nil {
			return nil
		}
		return it.Tokens()
	}
	n := 0
	for _, s := range lexSamples(t) {
		compare(s.name, coalesced(s.lexer, s.text))
		n++
	}
	for _, lang := range []string{"go", "python", "javascript", "html", "sql", "bash", "json", "yaml"} {
		for j, e := range lexEdges {
			compare(fmt.Sprintf("%s edge %d", lang, j), coalesced(lexers.Get(lang), e))
			n++
		}
	}
	var every []chroma.Token
	for tt := range chroma.StandardTypes {
		every = append(every, chroma.Token{Type: tt, Value: "a<b>&'\"\n"}, chroma.Token{Type: tt + 1, Value: ""})
	}
	every = append(every, chroma.Token{Type: chroma.Keyword, Value: "\n\nx\n"}, chroma.Token{Type: chroma.Text, Value: "\n"})
	compare("every type", every)
	compare("nothing", nil)
	compare("one empty", []chroma.Token{{Type: chroma.Keyword}})
	t.Logf("%d blocks formatted alike", n+3)
}
