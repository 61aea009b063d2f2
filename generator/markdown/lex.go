package markdown

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// Tokenising is chroma's RegexLexer with another rule-matching loop. Chroma tries every rule
// of the current state in turn at every position, each a regexp2 match (most of them fail),
// and allocates a match, its groups and a map of named groups for each success and a JSON
// encoder for each token: a 6-line Python block took half a millisecond. fastLexer compiles
// the rules as chroma does (the same patterns, flags and LexerMutators), skips the rules
// whose first rune or literal prefixes (lexfirst.go) exclude the text at the position,
// matches the simple ones itself (lexmatch.go: literals, sets, alternatives) and the others
// with regexp2, and makes the named groups only for a rule whose emitter may read them.
// Everything else is chroma's own: the emitters and mutators run on a chroma.LexerState,
// and the loop below is LexerState.Iterator's, so the tokens are chroma's (lex_test.go
// compares them on every lexer and sample chroma has, and on arbitrary text).

// fastLexer tokenises like its *chroma.RegexLexer (which it embeds for Config and the rest).
type fastLexer struct {
	*chroma.RegexLexer
	once   sync.Once
	rules  chroma.CompiledRules // as chroma compiles them, handed to emitters and mutators
	states map[string]*lexStateRules
	err    error // from compiling: Tokenise returns chroma's own result then
}

// lexStateRules are one state's rules with, per ASCII rune, the rules that may match there.
type lexStateRules struct {
	rules []*chroma.CompiledRule
	named []bool        // the rule's emitter may read LexerState.NamedGroups
	lits  []*litNode    // the rule's literal prefixes, or nil
	lit   []*litMatcher // matches the rule instead of regexp2, or nil
	all   []int32       // every rule, tried at a rune that is not ASCII
	ascii [128][]int32  // the rules to try at each ASCII rune, in order
}

// fastLexers are the lexers fastLexerFor made, by chroma lexer.
var fastLexers sync.Map // *chroma.RegexLexer -> chroma.Lexer

// fastLexerFor returns a lexer that tokenises exactly as l does, faster when it can: l is a
// RegexLexer of chroma's global registry whose mutators are chroma's own (a mutator that
// rewrites the rules, as Raku's do, would leave the prefilter stale). Otherwise l itself.
func fastLexerFor(l chroma.Lexer) chroma.Lexer {
	rl, ok := l.(*chroma.RegexLexer)
	if !ok {
		return l
	}
	if f, ok := fastLexers.Load(rl); ok {
		return f.(chroma.Lexer)
	}
	f, _ := fastLexers.LoadOrStore(rl, newFastLexer(rl))
	return f.(chroma.Lexer)
}

// newFastLexer is fastLexerFor's lexer for rl.
func newFastLexer(rl *chroma.RegexLexer) chroma.Lexer {
	if lexers.GlobalLexerRegistry.Get(rl.Config().Name) != rl {
		return rl
	}
	raw, err := rl.Rules()
	if err != nil {
		return rl
	}
	for _, rules := range raw {
		for _, rule := range rules {
			if !knownMutator(rule.Mutator) {
				return rl
			}
		}
	}
	return &fastLexer{RegexLexer: rl}
}

// knownMutator reports whether m is nil or one of chroma's serialisable mutators, which only
// change the stack (or, Include and Combined, the rules before any text is read).
func knownMutator(m chroma.Mutator) bool {
	if m == nil {
		return true
	}
	sm, ok := m.(chroma.SerialisableMutator)
	if !ok {
		return false
	}
	if sm.MutatorKind() != "mutators" {
		return true
	}
	subs, ok := exportedField(m, "Mutators").([]chroma.Mutator)
	if !ok {
		return false
	}
	for _, sub := range subs {
		if !knownMutator(sub) {
			return false
		}
	}
	return true
}

// plainEmitter reports whether e is nil or one of chroma's serialisable emitters, none of
// which reads LexerState.NamedGroups.
func plainEmitter(e chroma.Emitter) bool {
	if e == nil {
		return true
	}
	se, ok := e.(chroma.SerialisableEmitter)
	if !ok {
		return false
	}
	switch se.EmitterKind() {
	case "token", "using", "usingself":
		return true
	case "bygroups", "usingbygroup":
		subs, ok := exportedField(e, "Emitters").(chroma.Emitters)
		if !ok {
			return false
		}
		for _, sub := range subs {
			if !plainEmitter(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// exportedField is the value of the exported field name of the struct v points to, or nil.
func exportedField(v any, name string) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := rv.Elem().FieldByName(name)
	if !f.IsValid() || !f.CanInterface() {
		return nil
	}
	return f.Interface()
}

// compile does what chroma's RegexLexer.fetchRules and maybeCompile do, on a copy of the
// rules: each pattern compiled as `\G(?flags)(?:pattern)` with a 250 ms timeout, then the
// LexerMutators (Include, Combined) applied until none is left, then the emitters validated.
func (f *fastLexer) compile() error {
	raw, err := f.RegexLexer.Rules()
	if err != nil {
		return err
	}
	config := f.Config()
	flags := ""
	if !config.NotMultiline {
		flags += "m"
	}
	if config.CaseInsensitive {
		flags += "i"
	}
	if config.DotAll {
		flags += "s"
	}
	rules := chroma.CompiledRules{}
	type filter struct {
		first lexFirst
		lits  *litNode
		lit   *litMatcher
	}
	filters := map[*chroma.CompiledRule]filter{}
	for state, list := range raw {
		rules[state] = nil
		for i, rule := range list {
			pattern := "(?:" + rule.Pattern + ")"
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			pattern = `\G` + pattern
			re, err := regexp2.Compile(pattern)
			if err != nil {
				return fmt.Errorf("failed to compile rule %s.%d: %s", state, i, err)
			}
			re.MatchTimeout = 250 * time.Millisecond
			cr := &chroma.CompiledRule{Rule: rule, Regexp: re}
			if tree, err := syntax.Parse(pattern, syntax.ParseOptions{}); err == nil {
				filters[cr] = filter{firstOf(tree.Root), literalsOf(tree.Root), newLitMatcher(re, tree)}
			}
			rules[state] = append(rules[state], cr)
		}
	}
restart:
	seen := map[chroma.LexerMutator]bool{}
	for state := range rules {
		for i := range len(rules[state]) {
			if compile, ok := rules[state][i].Mutator.(chroma.LexerMutator); ok {
				if seen[compile] {
					return fmt.Errorf("saw mutator %T twice; this should not happen", compile)
				}
				seen[compile] = true
				if err := compile.MutateLexer(rules, state, i); err != nil {
					return err
				}
				goto restart
			}
		}
	}
	f.states = map[string]*lexStateRules{}
	for state, list := range rules {
		s := &lexStateRules{rules: list, named: make([]bool, len(list)), lits: make([]*litNode, len(list)), lit: make([]*litMatcher, len(list)), all: make([]int32, len(list))}
		for i, rule := range list {
			if v, ok := rule.Type.(chroma.ValidatingEmitter); ok {
				if err := v.ValidateEmitter(rule); err != nil {
					return fmt.Errorf("%s: %s: %s: %w", config.Name, state, rule.Pattern, err)
				}
			}
			s.named[i] = !plainEmitter(rule.Type)
			s.all[i] = int32(i)
			filter := filters[rule]
			s.lits[i], s.lit[i] = filter.lits, filter.lit
			for c := range s.ascii {
				if !filter.first.filter || filter.first.set.has(rune(c)) {
					s.ascii[c] = append(s.ascii[c], int32(i))
				}
			}
		}
		f.states[state] = s
	}
	f.rules = rules
	return nil
}

// Tokenise is chroma's RegexLexer.Tokenise with lexRun's loop.
func (f *fastLexer) Tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	f.once.Do(func() { f.err = f.compile() })
	if f.err != nil {
		return f.RegexLexer.Tokenise(options, text)
	}
	if options == nil {
		options = &chroma.TokeniseOptions{State: "root", EnsureLF: true} // chroma's defaultOptions
	}
	if options.EnsureLF { // as chroma's ensureLF: \r\n and \r become \n
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	newlineAdded := false
	if !options.Nested && f.Config().EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
		newlineAdded = true
	}
	r := &lexRun{
		LexerState: chroma.LexerState{
			Registry:       lexers.GlobalLexerRegistry, // the lexer's, as fastLexerFor checked
			Lexer:          f.RegexLexer,
			Text:           []rune(text),
			Stack:          []string{options.State},
			Rules:          f.rules,
			MutatorContext: map[any]any{},
		},
		f:            f,
		root:         options.State,
		newlineAdded: newlineAdded,
	}
	return r.next, nil
}

// lexRun is one tokenising: the chroma.LexerState the emitters and mutators see, and what
// chroma keeps in the state's unexported fields.
type lexRun struct {
	chroma.LexerState
	f            *fastLexer
	its          []chroma.Iterator // the emitters' iterators not yet drained
	root         string            // the initial state, to which a newline without a rule returns
	newlineAdded bool              // for EnsureNL: the last newline is not tokenised
	lastPos      int               // the position when stalled was reset
	stalled      int               // rules matched since the position last moved
}

// lexStallLimit is how many rules in a row may match the empty string before lexRun gives up.
// Chroma does not: a lexer with a rule that matches the empty string without changing state
// (JSONata's last, on a quote that does not begin a string) loops forever there, emitting
// empty tokens, which highlighting coalesces, so the build would hang. Input that needs this
// many would be a stack 10,000 states deep.
const lexStallLimit = 10_000

// drain returns the next token of the emitters' iterators, or EOF when there is none.
func (r *lexRun) drain() chroma.Token {
	for len(r.its) > 0 {
		n := len(r.its) - 1
		t := r.its[n]()
		if t.Type == chroma.Ignore {
			continue
		}
		if t == chroma.EOF {
			r.its = r.its[:n]
			continue
		}
		return t
	}
	return chroma.EOF
}

// next is chroma's LexerState.Iterator, with match in place of its matchRules.
func (r *lexRun) next() chroma.Token {
	end := len(r.Text)
	if r.newlineAdded {
		end--
	}
	for r.Pos < end && len(r.Stack) > 0 {
		if t := r.drain(); t != chroma.EOF {
			return t
		}
		if r.Pos != r.lastPos {
			r.lastPos, r.stalled = r.Pos, 0
		} else if r.stalled++; r.stalled > lexStallLimit {
			r.Stack = nil // chroma would loop forever: the rest is an Error token
			break
		}
		r.State = r.Stack[len(r.Stack)-1]
		state, ok := r.f.states[r.State]
		if !ok {
			panic("unknown state " + r.State)
		}
		i, groups := r.match(state)
		if groups == nil {
			// chroma (after Pygments): a newline that no rule matches empties the stack.
			if r.Text[r.Pos] == '\n' && r.State != r.root {
				r.Stack = []string{r.root}
				continue
			}
			r.Pos++
			return chroma.Token{Type: chroma.Error, Value: string(r.Text[r.Pos-1 : r.Pos])}
		}
		rule := state.rules[i]
		r.Rule = i
		r.Groups = groups
		r.Pos += utf8.RuneCountInString(groups[0])
		if rule.Mutator != nil {
			if err := rule.Mutator.Mutate(&r.LexerState); err != nil {
				panic(err)
			}
		}
		if rule.Type != nil {
			r.its = append(r.its, rule.Type.Emit(r.Groups, &r.LexerState))
		}
	}
	if t := r.drain(); t != chroma.EOF {
		return t
	}
	if r.Pos != len(r.Text) && len(r.Stack) == 0 {
		value := string(r.Text[r.Pos:])
		r.Pos = len(r.Text)
		return chroma.Token{Type: chroma.Error, Value: value}
	}
	return chroma.EOF
}

// match is chroma's matchRules over the rules that may match at the position (by their first
// rune and literal prefixes): the index of
// the first that matches and its groups, or nil. It sets NamedGroups when the rule needs them.
func (r *lexRun) match(s *lexStateRules) (int, []string) {
	try := s.all
	if c := r.Text[r.Pos]; c < 128 {
		try = s.ascii[c]
	}
	for _, i := range try {
		if lits := s.lits[i]; lits != nil && !lits.admits(r.Text, r.Pos) {
			continue
		}
		var groups []string
		if lit := s.lit[i]; lit != nil {
			if groups = lit.match(r.Text, r.Pos); groups == nil {
				continue
			}
		} else {
			m, err := s.rules[i].Regexp.FindRunesMatchStartingAt(r.Text, r.Pos)
			if m == nil || err != nil || m.RuneIndex != r.Pos {
				continue
			}
			gs := m.Groups()
			groups = make([]string, len(gs))
			for j := range gs {
				groups[j] = gs[j].String()
			}
		}
		r.NamedGroups = nil
		if s.named[i] {
			r.NamedGroups = make(map[string]string, len(groups))
			for j, g := range groups {
				r.NamedGroups[s.rules[i].Regexp.GroupNameFromNumber(j)] = g
			}
		}
		return int(i), groups
	}
	return 0, nil
}
