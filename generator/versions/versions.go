// Package versions is the edition model. The working draft is the pages of content/; each
// published edition is a frozen copy of them in content/_editions/<ID>/, next to an
// edition.yaml holding its label and effective date:
//
//	content/_editions/2026-11/edition.yaml   label: November 2026, effective: 2026-11-01
//	content/_editions/2026-11/alidropship/terms.md
//
// An edition's status follows from the dates: the newest edition already in effect on the
// build date is current, later ones are upcoming, earlier ones archived. So an upcoming
// edition becomes current only when the site is built again on or after its date: a site
// with editions is rebuilt every day (see the README's "Editions of the terms"). Its hash is the
// SHA-256 of its source files (paths and bytes), evidence of exactly what text was published.
// The package reads an fs.FS and returns files to write; it never writes itself.
package versions

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"affdocs/generator/source"
	"affdocs/generator/versions/yamlfile"
)

// Dir is where editions live, relative to the content folder.
const Dir = "_editions"

// MetaFile is each edition's metadata file.
const MetaFile = "edition.yaml"

// Statuses.
const (
	Current  = "current"
	Upcoming = "upcoming"
	Archived = "archived"
)

// Edition is one published, frozen copy of the content.
type Edition struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Effective string `json:"effective"` // YYYY-MM-DD: the date its pages show as theirs
	// Published is the day it was cut (YYYY-MM-DD), recorded by version cut; empty for an
	// edition cut before it was recorded.
	Published string `json:"published,omitempty"`
	Status    string `json:"status"`
	Path      string `json:"path"` // "v/<ID>/"
	Hash      string `json:"hash"` // SHA-256 of the source files
	Pages     []File `json:"pages"`
	Dir       string `json:"-"` // source folder, "content/_editions/<ID>"
	// Recorded: edition.yaml records the files' hashes (and Load checked them). An
	// edition cut by an older generator does not: nothing detects an edit to its files.
	Recorded bool `json:"-"`
}

// File is one source file of an edition with its own hash.
type File struct {
	Source string `json:"source"` // relative to the edition folder
	Hash   string `json:"hash"`
}

// Problem is why an edition cannot be published, at a position of its files.
type Problem struct {
	File      string // slash path of the edition's folder or file
	Line, Col int    // 1-based; 0 when the problem is the file or folder itself
	Msg       string
}

func (p *Problem) Error() string {
	if p.Line == 0 {
		return p.File + ": " + p.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, max(p.Col, 1), p.Msg)
}

// MaxMetaSize is the largest edition.yaml read (it lists a hash per file: about 100 bytes
// a file).
const MaxMetaSize = 16 << 20

var idSyntax = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// reserved are the names the generator writes under v/ itself (v/latest/, v/compare/), and
// the names Windows cannot give a folder.
var reserved = map[string]string{"latest": "the current edition is published at v/latest/", "compare": "the comparisons of editions are published at v/compare/"}

func init() {
	for _, n := range []string{"con", "prn", "aux", "nul"} {
		reserved[n] = "Windows cannot make a folder of that name"
	}
	for i := range 10 {
		reserved[fmt.Sprintf("com%d", i)] = "Windows cannot make a folder of that name"
		reserved[fmt.Sprintf("lpt%d", i)] = "Windows cannot make a folder of that name"
	}
}

// ValidID checks an edition ID, the name of its folder and of its place v/<ID>/ on the
// site: cut refuses a bad one and Load refuses an edition folder named so.
func ValidID(id string) error {
	switch {
	case !idSyntax.MatchString(id) || len(id) > 64 || strings.HasSuffix(id, "."):
		return fmt.Errorf("edition ID %q must be lowercase letters, digits, '.', '-' or '_', start with a letter or digit, not end with '.', and be at most 64 characters (for example 2026-11)", id)
	case reserved[id] != "":
		return fmt.Errorf("edition ID %q is reserved (%s): choose another ID, for example the effective month, 2026-11", id, reserved[id])
	case strings.Contains(id, ".."):
		return fmt.Errorf("edition ID %q must not contain \"..\" (the comparison pages are named <ID>..<ID>)", id)
	}
	return nil
}

// Load reads every edition under contentDir/_editions, sorted by effective date (oldest
// first), with statuses as of today. Problems come back as "path:line:col: message" errors.
// An edition whose edition.yaml records its files' hashes (every edition cut by this
// generator) is checked against them: a file changed, added or removed since the cut is
// a problem naming it. An edition without recorded hashes loads with Recorded false.
func Load(fsys fs.FS, contentDir string, today time.Time) ([]*Edition, []*Problem) {
	return load(fsys, contentDir, today, true)
}

// Schedule is Load without hashing or checking any file: the editions' IDs, labels, dates
// and statuses as of today, from their edition.yaml alone (Pages and Hash are empty).
// Problems are left to Load.
func Schedule(fsys fs.FS, contentDir string, today time.Time) []*Edition {
	eds, _ := load(fsys, contentDir, today, false)
	return eds
}

func load(fsys fs.FS, contentDir string, today time.Time, files bool) ([]*Edition, []*Problem) {
	root := path.Join(contentDir, Dir)
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, nil // no editions: an unversioned site
	}
	var eds []*Edition
	var errs []*Problem
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := path.Join(root, e.Name())
		file := path.Join(dir, MetaFile)
		if err := ValidID(e.Name()); err != nil {
			errs = append(errs, &Problem{File: dir, Msg: err.Error() + "; rename the folder"})
			continue
		}
		data, err := source.ReadFile(fsys, file, MaxMetaSize)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				err = errors.New("missing " + MetaFile + " (label and effective date)")
			}
			errs = append(errs, &Problem{File: dir, Msg: err.Error()})
			continue
		}
		m, problems := parseMeta(file, data)
		if len(problems) > 0 {
			errs = append(errs, problems...)
			continue
		}
		ed := &Edition{ID: e.Name(), Label: m.Label, Effective: m.Effective, Published: m.Published, Path: "v/" + e.Name() + "/", Dir: dir, Recorded: m.Files != nil}
		if ed.Label == "" {
			ed.Label = ed.ID
		}
		if files {
			ed.Hash, ed.Pages, err = hashTree(fsys, dir)
			if err != nil {
				errs = append(errs, &Problem{File: dir, Msg: err.Error()})
				continue
			}
			if ed.Recorded {
				errs = append(errs, m.check(ed)...)
			}
		}
		eds = append(eds, ed)
	}
	sort.SliceStable(eds, func(i, j int) bool {
		if eds[i].Effective != eds[j].Effective {
			return eds[i].Effective < eds[j].Effective
		}
		return eds[i].ID < eds[j].ID
	})
	SetStatus(eds, today)
	return eds, errs
}

// meta is an edition.yaml.
type meta struct {
	file      string
	Label     string
	Effective string
	Published string
	Hash      string            // the edition's hash when it was cut
	Files     map[string]string // each file's hash when it was cut; nil when not recorded
	hashAt    [2]int
	filesAt   [2]int
}

// parseMeta reads an edition.yaml: label, effective and the recorded hashes.
func parseMeta(file string, data []byte) (*meta, []*Problem) {
	m := &meta{file: file}
	doc, yp := yamlfile.Parse(data, 1)
	var problems []*Problem
	at := func(line, col int, format string, args ...any) {
		problems = append(problems, &Problem{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	}
	for _, p := range yp {
		at(p.Line, p.Col, "%s", p.Msg)
	}
	if len(problems) > 0 {
		return m, problems
	}
	pairs, ok := yamlfile.Mapping(doc.Root)
	if !ok {
		line, col := doc.Pos(doc.Root)
		at(line, col, "%s must be lines of key: value (label: November 2026, effective: 2026-11-01)", MetaFile)
		return m, problems
	}
	text := func(kv yamlfile.Pair) string {
		s, msg := yamlfile.Text(kv.Key, kv.Value)
		if msg != "" {
			line, col := doc.Pos(kv.Value)
			at(line, col, "%s", msg)
		}
		return s
	}
	effectiveAt := [2]int{1, 1}
	seenEffective := false
	for _, kv := range pairs {
		switch kv.Key {
		case "label":
			m.Label = text(kv)
		case "effective":
			seenEffective = true
			effectiveAt[0], effectiveAt[1] = doc.Pos(kv.Value)
			m.Effective = text(kv)
			if m.Effective == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, m.Effective); err != nil {
				at(effectiveAt[0], effectiveAt[1], "effective must be a date written YYYY-MM-DD, not %q", m.Effective)
			}
		case "published":
			m.Published = text(kv)
			if _, err := time.Parse(time.DateOnly, m.Published); err != nil && m.Published != "" {
				line, col := doc.Pos(kv.Value)
				at(line, col, "published must be a date written YYYY-MM-DD, not %q", m.Published)
			}
		case "hash":
			m.hashAt[0], m.hashAt[1] = doc.Pos(kv.Value)
			m.Hash = text(kv)
		case "files":
			m.filesAt[0], m.filesAt[1] = doc.Pos(kv.KeyAt)
			files, ok := yamlfile.Mapping(kv.Value)
			if !ok {
				line, col := doc.Pos(kv.Value)
				at(line, col, "files must list each file of the edition with its hash (path: hash), as generator version cut writes it")
				continue
			}
			m.Files = map[string]string{}
			for _, f := range files {
				m.Files[f.Key] = text(f)
			}
		default:
			line, col := doc.Pos(kv.KeyAt)
			at(line, col, "unknown setting %q in %s (it has label, effective, published, hash and files)", kv.Key, MetaFile)
		}
	}
	if !seenEffective {
		at(1, 1, "the effective date is missing: add a line effective: YYYY-MM-DD")
	}
	if m.Files != nil && m.Hash == "" {
		at(m.filesAt[0], m.filesAt[1], "the edition's hash is missing: add the hash: line that generator version cut wrote")
	}
	return m, problems
}

// check compares an edition's files with the hashes recorded when it was cut.
func (m *meta) check(ed *Edition) []*Problem {
	var problems []*Problem
	have := map[string]string{}
	for _, f := range ed.Pages {
		have[f.Source] = f.Hash
		want, ok := m.Files[f.Source]
		switch {
		case !ok:
			problems = append(problems, &Problem{File: path.Join(ed.Dir, f.Source), Msg: "this file was added after the edition was cut: editions are frozen; remove it (add it to the draft in content/ instead), or cut a new edition"})
		case want != f.Hash:
			problems = append(problems, &Problem{File: path.Join(ed.Dir, f.Source), Msg: "this file was changed after the edition was cut: editions are frozen; restore it from version control, or cut a new edition"})
		}
	}
	for _, src := range slices.Sorted(maps.Keys(m.Files)) {
		if _, ok := have[src]; !ok {
			problems = append(problems, &Problem{File: path.Join(ed.Dir, src), Msg: "this file was removed after the edition was cut: editions are frozen; restore it from version control, or cut a new edition"})
		}
	}
	if len(problems) == 0 && m.Hash != ed.Hash {
		problems = append(problems, &Problem{File: m.file, Line: m.hashAt[0], Col: m.hashAt[1], Msg: "the recorded hash does not match the recorded files' hashes: edition.yaml was edited; restore it from version control"})
	}
	return problems
}

// SetStatus marks the newest edition in effect on today current, later ones upcoming and
// earlier ones archived. With every edition in the future, the earliest is current.
func SetStatus(eds []*Edition, today time.Time) {
	day := today.Format(time.DateOnly)
	cur := -1
	for i, e := range eds {
		if e.Effective <= day {
			cur = i
		}
	}
	if cur < 0 && len(eds) > 0 {
		cur = 0
	}
	for i, e := range eds {
		switch {
		case i == cur:
			e.Status = Current
		case i < cur:
			e.Status = Archived
		default:
			e.Status = Upcoming
		}
	}
}

// CurrentOf returns the current edition, or nil.
func CurrentOf(eds []*Edition) *Edition {
	for _, e := range eds {
		if e.Status == Current {
			return e
		}
	}
	return nil
}

// published reports whether every element of a slash path is published (package source).
func published(rel string) bool {
	for _, e := range strings.Split(rel, "/") {
		if !source.Published(e) {
			return false
		}
	}
	return true
}

// hashTree hashes every file below dir except the metadata: the edition's hash, and each
// file's own hash, in path order. The files are read and hashed on all cores: a build
// hashes every edition's files.
func hashTree(fsys fs.FS, dir string) (string, []File, error) {
	var files []File
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, dir+"/")
		if rel == MetaFile || !published(rel) {
			return nil
		}
		files = append(files, File{Source: rel})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	errs := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(files); i = int(next.Add(1) - 1) {
				data, err := fs.ReadFile(fsys, dir+"/"+files[i].Source)
				if err != nil {
					errs[i] = err
					continue
				}
				sum := sha256.Sum256(data)
				files[i].Hash = hex.EncodeToString(sum[:])
			}
		})
	}
	wg.Wait()
	for i, e := range errs {
		if e != nil {
			return "", files[:i], e
		}
	}
	return treeHash(files), files, nil
}

// treeHash is the edition's hash: the SHA-256 of "path\x00hash\n" of each file, in the
// order of a walk of the folder (each folder's names sorted, a folder's files where its
// name sorts).
func treeHash(files []File) string {
	slices.SortFunc(files, func(a, b File) int {
		return slices.Compare(strings.Split(a.Source, "/"), strings.Split(b.Source, "/"))
	})
	all := sha256.New()
	for _, f := range files {
		fmt.Fprintf(all, "%s\x00%s\n", f.Source, f.Hash)
	}
	return hex.EncodeToString(all.Sum(nil))
}

// recordYAML is the part of edition.yaml that records the hashes.
func recordYAML(files []File) []byte {
	hash := treeHash(files)
	var b strings.Builder
	b.WriteString("# The SHA-256 of the edition and of each of its files when it was cut: the build refuses\n")
	b.WriteString("# the edition if a file no longer matches. Do not edit.\n")
	fmt.Fprintf(&b, "hash: %s\n", hash)
	b.WriteString("files:\n")
	for _, f := range files {
		fmt.Fprintf(&b, "  %s: %s\n", strconv.Quote(f.Source), f.Hash)
	}
	return []byte(b.String())
}

// Record returns edition id's edition.yaml with the hashes of its files as they are now
// appended, for an edition cut by a generator that did not record them. Check the files
// against what was published before recording them.
func Record(fsys fs.FS, contentDir, id string) ([]byte, error) {
	dir := path.Join(contentDir, Dir, id)
	file := path.Join(dir, MetaFile)
	data, err := source.ReadFile(fsys, file, MaxMetaSize)
	if err != nil {
		return nil, err
	}
	m, problems := parseMeta(file, data)
	if len(problems) > 0 {
		return nil, problems[0]
	}
	if m.Files != nil {
		return nil, fmt.Errorf("%s already records the hashes of edition %s", file, id)
	}
	_, files, err := hashTree(fsys, dir)
	if err != nil {
		return nil, err
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	return append(data, recordYAML(files)...), nil
}

// Cut freezes the working draft as edition id: it returns the files to write, relative to the
// site root: a copy of every published file of contentDir (package source: not the editions,
// the site config or an editor's files), and the edition's metadata: its label, the date
// it takes effect and the day it was cut (published, YYYY-MM-DD), by which the feed dates it.
func Cut(fsys fs.FS, contentDir, id, label, effective, publishedOn string) (map[string][]byte, error) {
	if err := ValidID(id); err != nil {
		return nil, err
	}
	if _, err := time.Parse(time.DateOnly, effective); err != nil {
		return nil, fmt.Errorf("-effective must be a date written YYYY-MM-DD, not %q", effective)
	}
	if _, err := time.Parse(time.DateOnly, publishedOn); err != nil {
		return nil, fmt.Errorf("the publication date must be written YYYY-MM-DD, not %q", publishedOn)
	}
	dest := path.Join(contentDir, Dir, id)
	if _, err := fs.Stat(fsys, dest); err == nil {
		return nil, fmt.Errorf("edition %s already exists in %s: editions are frozen; choose a new ID", id, dest)
	}
	out := map[string][]byte{}
	err := fs.WalkDir(fsys, contentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, contentDir), "/")
		if rel == "" {
			return nil
		}
		if !source.Published(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is a symbolic link or a special file: an edition freezes files, so put the file itself there", p)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out[path.Join(dest, rel)] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	if label == "" {
		label = id
	}
	var files []File
	for name, data := range out {
		sum := sha256.Sum256(data)
		files = append(files, File{Source: strings.TrimPrefix(name, dest+"/"), Hash: hex.EncodeToString(sum[:])})
	}
	meta := fmt.Appendf(nil, "# Edition %s, frozen by `generator version cut`. Do not edit the pages of this folder:\n# edit the draft in content/ and cut a new edition.\nlabel: %s\neffective: %s\npublished: %s\n", id, strconv.Quote(label), effective, publishedOn)
	out[path.Join(dest, MetaFile)] = append(meta, recordYAML(files)...)
	return out, nil
}
