// Package versions is the edition model. The working draft is the pages of content/; each
// published edition is a frozen copy of them in content/_editions/<ID>/, next to an
// edition.yaml holding its label and effective date:
//
//	content/_editions/2026-11/edition.yaml   label: November 2026, effective: 2026-11-01
//	content/_editions/2026-11/alidropship/terms.md
//
// An edition's status follows from the dates: the newest edition already in effect on the
// build date is current, later ones are upcoming, earlier ones archived. Its hash is the
// SHA-256 of its source files (paths and bytes), evidence of exactly what text was published.
// The package reads an fs.FS and returns files to write; it never writes itself.
package versions

import (
	"affdocs/generator/source"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
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
	Effective string `json:"effective"` // YYYY-MM-DD
	Status    string `json:"status"`
	Path      string `json:"path"` // "v/<ID>/"
	Hash      string `json:"hash"` // SHA-256 of the source files
	Pages     []File `json:"pages"`
	Dir       string `json:"-"` // source folder, "content/_editions/<ID>"
}

// File is one source file of an edition with its own hash.
type File struct {
	Source string `json:"source"` // relative to the edition folder
	Hash   string `json:"hash"`
}

type meta struct {
	Label     string `yaml:"label"`
	Effective string `yaml:"effective"`
}

// Problem is why an edition cannot be published, at a position of its files.
type Problem struct {
	File string // slash path of the edition's folder or file
	Line int    // 0 when the problem is the folder itself
	Msg  string
}

func (p *Problem) Error() string {
	if p.Line == 0 {
		return p.File + ": " + p.Msg
	}
	return fmt.Sprintf("%s:%d:1: %s", p.File, p.Line, p.Msg)
}

var validID = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Load reads every edition under contentDir/_editions, sorted by effective date (oldest
// first), with statuses as of today. Problems come back as "path:line: message" errors.
func Load(fsys fs.FS, contentDir string, today time.Time) ([]*Edition, []*Problem) {
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
		if !validID.MatchString(e.Name()) || e.Name() == "latest" {
			errs = append(errs, &Problem{File: dir, Msg: fmt.Sprintf("edition ID %q must be lowercase letters, digits, '.', '-' or '_' and not \"latest\"", e.Name())})
			continue
		}
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			errs = append(errs, &Problem{File: dir, Msg: "missing " + MetaFile + " (label and effective date)"})
			continue
		}
		var m meta
		if err := yaml.Unmarshal(data, &m); err != nil {
			errs = append(errs, &Problem{File: file, Line: 1, Msg: err.Error()})
			continue
		}
		if _, err := time.Parse(time.DateOnly, m.Effective); err != nil {
			errs = append(errs, &Problem{File: file, Line: 1, Msg: fmt.Sprintf("effective must be a date written YYYY-MM-DD, not %q", m.Effective)})
			continue
		}
		ed := &Edition{ID: e.Name(), Label: m.Label, Effective: m.Effective, Path: "v/" + e.Name() + "/", Dir: dir}
		if ed.Label == "" {
			ed.Label = ed.ID
		}
		ed.Hash, ed.Pages, err = hashTree(fsys, dir)
		if err != nil {
			errs = append(errs, &Problem{File: dir, Msg: err.Error()})
			continue
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
// file's own hash, in path order.
func hashTree(fsys fs.FS, dir string) (string, []File, error) {
	var files []File
	all := sha256.New()
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, dir+"/")
		if rel == MetaFile || !published(rel) {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		files = append(files, File{Source: rel, Hash: h})
		fmt.Fprintf(all, "%s\x00%s\n", rel, h)
		return nil
	})
	return hex.EncodeToString(all.Sum(nil)), files, err
}

// Cut freezes the working draft as edition id: it returns the files to write, relative to the
// site root: a copy of every published file of contentDir (package source: not the editions,
// the site config or an editor's files), and the edition's metadata.
func Cut(fsys fs.FS, contentDir, id, label, effective string) (map[string][]byte, error) {
	if !validID.MatchString(id) || id == "latest" {
		return nil, fmt.Errorf("edition ID %q must be lowercase letters, digits, '.', '-' or '_' and not \"latest\"", id)
	}
	if _, err := time.Parse(time.DateOnly, effective); err != nil {
		return nil, fmt.Errorf("-effective must be a date written YYYY-MM-DD, not %q", effective)
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
	out[path.Join(dest, MetaFile)] = fmt.Appendf(nil, "# Edition %s, frozen by `generator version cut`. Do not edit the pages of this folder:\n# edit the draft in content/ and cut a new edition.\nlabel: %q\neffective: %s\n", id, label, effective)
	return out, nil
}
