package site

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"affdocs/generator/versions"
)

// Diagnostic is a problem at a position of a source file. Its Error reads
// "path:line:col: message", the form editors and terminals turn into links.
type Diagnostic struct {
	File      string // slash path inside the site source
	Line, Col int    // 1-based; 0 when unknown
	Msg       string
	Warning   bool
}

func (d *Diagnostic) Error() string {
	if d.Line == 0 {
		return fmt.Sprintf("%s: %s", d.File, d.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Msg)
}

// diags collects a build's problems; every problem is reported, not just the first.
type diags struct {
	mu   sync.Mutex
	list []*Diagnostic
}

func (ds *diags) add(d *Diagnostic) {
	ds.mu.Lock()
	ds.list = append(ds.list, d)
	ds.mu.Unlock()
}

func (ds *diags) addAll(list []*Diagnostic) {
	ds.mu.Lock()
	ds.list = append(ds.list, list...)
	ds.mu.Unlock()
}

// readProblem words an error reading a source file for the person who made the file.
// os.Root refuses a symlink that leads out of the site with an unexported error whose
// text is all there is to recognise it by.
func readProblem(err error) string {
	if strings.Contains(err.Error(), "path escapes from parent") {
		return "a symlink leading out of the site (or to an absolute path); it is not followed: put the file itself in the site, or use a relative link inside it"
	}
	return err.Error()
}

// at records a problem at a byte offset of src.
func (ds *diags) at(file string, src []byte, off int, warning bool, format string, args ...any) {
	line, col := position(src, off)
	ds.add(&Diagnostic{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Warning: warning})
}

// split returns errors and warnings, each sorted by file and position.
func (ds *diags) split() (errs, warns []*Diagnostic) {
	sort.SliceStable(ds.list, func(i, j int) bool {
		a, b := ds.list[i], ds.list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	seen := map[string]bool{} // a tree published at several paths reports its problems once
	for _, d := range ds.list {
		key := fmt.Sprint(d.Warning, d.Error())
		if seen[key] {
			continue
		}
		seen[key] = true
		if d.Warning {
			warns = append(warns, d)
		} else {
			errs = append(errs, d)
		}
	}
	return errs, warns
}

// position converts a byte offset into a 1-based line and column (columns count runes).
func position(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	before := src[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = len([]rune(string(before[start:]))) + 1
	return line, col
}

// errorCount is the number of errors so far.
func (ds *diags) errorCount() int {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	n := 0
	for _, d := range ds.list {
		if !d.Warning {
			n++
		}
	}
	return n
}

// WarningOptions say how WriteWarnings prints a build's warnings.
type WarningOptions struct {
	// All prints every warning on its own line, nothing grouped or left out.
	All bool
	// Few is how many warnings of each group are shown; 0 means 3.
	Few int
	// Editions gives the site's edition IDs, oldest first (EditionIDs); it is called only
	// when an edition has warnings. A frozen edition's warning that the next newer edition
	// (or, for the newest, the draft) has too is counted, not shown again.
	Editions func() []string
	// Name says a file's path as the reader should see it (the command prefixes the
	// source folder); nil leaves it as it is.
	Name func(file string) string
}

// WriteWarnings prints warnings for a person to read, each line starting "warning: ". The
// warnings of one kind in one file are a group: its first few are printed as they are,
// then how many more there are ("content/a.md: 14 more broken links"). A frozen edition's
// warnings that are the same as the next newer edition's (or the draft's) are counted
// per edition, not repeated: the editions are frozen, and their broken links are the ones
// already shown. A last line says how many warnings there are of each kind and how many
// were shown. With All, every warning is printed on its own line instead. It returns the
// number of warnings printed in full.
func WriteWarnings(w io.Writer, warns []*Diagnostic, opt WarningOptions) int {
	name := opt.Name
	if name == nil {
		name = func(f string) string { return f }
	}
	line := func(d *Diagnostic) {
		c := *d
		c.File = name(d.File)
		fmt.Fprintf(w, "warning: %s\n", c.Error())
	}
	if opt.All {
		for _, d := range warns {
			line(d)
		}
		return len(warns)
	}
	few := opt.Few
	if few <= 0 {
		few = 3
	}
	shown := 0
	var editions []string
	if opt.Editions != nil && slices.ContainsFunc(warns, func(d *Diagnostic) bool { id, _ := treeOf(d.File); return id != "" }) {
		editions = opt.Editions()
	}
	trees, same := sameAsNewer(warns, editions)
	for _, t := range trees {
		var groups []*warningGroup
		byKey := map[[2]string]*warningGroup{}
		for _, d := range t.warns {
			if same[d] {
				continue
			}
			k := [2]string{d.File, kindOf(d.Msg).one}
			g := byKey[k]
			if g == nil {
				g = &warningGroup{file: d.File, kind: kindOf(d.Msg)}
				byKey[k] = g
				groups = append(groups, g)
			}
			g.list = append(g.list, d)
		}
		for _, g := range groups {
			n := len(g.list)
			if n > few+1 {
				n = few
			}
			for _, d := range g.list[:n] {
				line(d)
			}
			shown += n
			if rest := len(g.list) - n; rest > 0 {
				fmt.Fprintf(w, "warning: %s: %d more %s (-warnings=all shows them)\n", name(g.file), rest, g.kind.plural(rest))
			}
		}
		if t.repeated > 0 {
			fmt.Fprintf(w, "warning: %d more in edition %s: the same as in %s (-warnings=all shows them)\n", t.repeated, t.id, t.newer)
		}
	}
	if shown < len(warns) {
		counts := make([]int, len(warningKinds)+1) // the last: of no known kind
		for _, d := range warns {
			counts[slices.IndexFunc(warningKinds, func(k warningKind) bool { return k.match(d.Msg) })+1]++
		}
		var parts []string
		for i, k := range warningKinds {
			if n := counts[i+1]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, k.plural(n)))
			}
		}
		if n := counts[0]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d other", n))
		}
		fmt.Fprintf(w, "warning: %d warnings in all (%s), %d shown: -warnings=all shows every one\n", len(warns), strings.Join(parts, ", "), shown)
	}
	return shown
}

type warningGroup struct {
	file string
	kind warningKind
	list []*Diagnostic
}

// warningKind is what a warning is about, as its message starts: the unit of a group.
type warningKind struct {
	one, many string
	match     func(msg string) bool
}

func (k warningKind) plural(n int) string {
	if n == 1 {
		return k.one
	}
	return k.many
}

var warningKinds = []warningKind{
	{"broken link", "broken links", func(m string) bool { return strings.HasPrefix(m, "broken link") }},
	{"piece of raw HTML escaped", "pieces of raw HTML escaped", func(m string) bool { return strings.HasPrefix(m, "raw HTML escaped") }},
	{"link to a file the build did not write", "links to files the build did not write", func(m string) bool {
		return strings.HasPrefix(m, "links to ") && strings.HasSuffix(m, "which the build did not write")
	}},
	{"link to a missing anchor", "links to missing anchors", func(m string) bool {
		return strings.HasPrefix(m, "links to ") && strings.HasSuffix(m, "which has no such anchor")
	}},
}

// kindOf is the kind of a warning's message; a message of no known kind is its own kind.
func kindOf(msg string) warningKind {
	for _, k := range warningKinds {
		if k.match(msg) {
			return k
		}
	}
	return warningKind{one: "warning like this: " + msg, many: "warnings like this: " + msg}
}

// warningTree is the warnings of one tree: the draft (and every file outside the
// editions), or one edition.
type warningTree struct {
	id       string // edition ID; "" for the draft
	warns    []*Diagnostic
	newer    string // the tree a repeated warning is the same as: "the current draft", "edition X"
	repeated int
}

// sameAsNewer splits warnings by tree, the draft first, then the editions newest first,
// and marks each warning of an edition that the next newer tree has too: the same message
// (the edition's own v/<ID>/ in it aside) at the same path inside the tree, wherever in
// the file.
func sameAsNewer(warns []*Diagnostic, editions []string) ([]*warningTree, map[*Diagnostic]bool) {
	byID := map[string]*warningTree{"": {id: ""}}
	order := []string{""}
	for i := len(editions) - 1; i >= 0; i-- {
		byID[editions[i]] = &warningTree{id: editions[i]}
		order = append(order, editions[i])
	}
	type key struct{ rel, msg string }
	keys := map[*Diagnostic]key{}
	for _, d := range warns {
		id, rel := treeOf(d.File)
		t := byID[id]
		if t == nil { // an edition the list does not know: shown in full, after the others
			t = &warningTree{id: id}
			byID[id] = t
			order = append(order, id)
		}
		t.warns = append(t.warns, d)
		keys[d] = key{rel, strings.ReplaceAll(d.Msg, "v/"+id+"/", "v/*/")}
	}
	same := map[*Diagnostic]bool{}
	var trees []*warningTree
	prev := byID[""]
	prevName := "the current draft"
	for i, id := range order {
		t := byID[id]
		if i > 0 && slices.Contains(editions, id) {
			have := map[key]int{}
			for _, d := range prev.warns {
				have[keys[d]]++
			}
			for _, d := range t.warns {
				if k := keys[d]; have[k] > 0 {
					have[k]--
					same[d] = true
					t.repeated++
				}
			}
			t.newer = prevName
			prev, prevName = t, "edition "+id
		}
		if len(t.warns) > 0 {
			trees = append(trees, t)
		}
	}
	return trees, same
}

// treeOf is the edition a warning's file belongs to ("" for the draft and files outside
// the editions) and the file's path inside that tree.
func treeOf(file string) (id, rel string) {
	const dir = "_editions/"
	if i := strings.Index(file, dir); i >= 0 && (i == 0 || file[i-1] == '/') {
		id, rel, _ := strings.Cut(file[i+len(dir):], "/")
		return id, rel
	}
	if rest, ok := strings.CutPrefix(file, "(output) v/"); ok {
		if id, rel, _ := strings.Cut(rest, "/"); id != "compare" && id != "latest" {
			return id, "(output) " + rel
		}
		return "", file
	}
	if rest, ok := strings.CutPrefix(file, "content/"); ok {
		return "", rest
	}
	return "", file
}

// EditionIDs are the IDs of the site's editions, oldest first (for WriteWarnings), read
// from their edition.yaml alone: no edition's files are read or hashed again for them.
func EditionIDs(fsys fs.FS) []string {
	eds := versions.Schedule(fsys, ContentDir(fsys), time.Time{})
	ids := make([]string, len(eds))
	for i, e := range eds {
		ids[i] = e.ID
	}
	return ids
}
