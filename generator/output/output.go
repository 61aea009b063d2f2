// Package output writes a built site into a folder so that a failed build never changes it
// and a successful one changes only what changed.
//
// A build opens the folder, asks for each of its files whether the folder already holds
// those exact bytes (Has: the manifest of the last build says so, and the file's size and
// time on disk are still the ones the manifest recorded), writes the others into a staging
// folder beside it, and then commits or discards:
//
//	d, err := output.Open("public", manifestPath)
//	defer d.Discard()                 // a failed build: the folder stays byte for byte
//	if !d.Has(name, sum) { d.Write(name, data, sum) }   // from any goroutine
//	err = d.Commit()
//
// Commit moves the staged files into the folder, one rename each, and removes the files
// the last build made and this one did not. The manifest is deleted before and written
// after, so a commit cut short (a crash, a full disk) leaves no manifest, and the next
// build trusts nothing in the folder: it writes every file into the staging folder and
// swaps it in whole, with one atomic exchange of the two folders where the system has one
// (Linux), so that there is no moment without the folder.
//
// The generator replaces only folders it made: each holds a Marker file, and Open refuses
// an existing folder with files but no marker (or manifest). Builds into one folder take
// turns (a lock beside the manifest), and a build sweeps the staging folders that killed
// builds left beside the folder.
package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Sum is the SHA-256 of a file's bytes.
type Sum = [sha256.Size]byte

// entry is what the manifest knows of one file: its bytes' hash, and its size and
// modification time on disk when the build left it, to notice a later edit.
type entry struct {
	Sum   Sum
	Size  int64
	MTime int64
}

// Marker is the file the generator leaves in every folder it builds.
const Marker = ".affdocs-output"

const markerText = "This folder is made by the affiliate-program guide's generator, which replaces it on\nevery build. Edit the sources instead.\n"

// NotOurs is the error of Open for an existing folder the generator did not make.
type NotOurs struct{ Dir string }

func (e *NotOurs) Error() string {
	return fmt.Sprintf("%s exists and was not made by the generator (it has files but no %s): a build would replace them; choose another output folder, or move it away first", e.Dir, Marker)
}

// Dir is an output folder being rebuilt.
type Dir struct {
	dir, manifest, stage string
	unlock               func()
	prev                 map[string]entry // nil: the folder's state is unknown

	// Files are written to the staging folder by one goroutine, in the order they come:
	// folders are made once each, and the kernel sees no contention for a parent folder
	// from many goroutines making folders in it at once (which cost 5x per mkdir).
	queue    chan staged
	wrote    sync.WaitGroup
	made     map[string]bool // folders made in stage, by the writer
	finished bool

	mu      sync.Mutex
	err     error // the writer's first error
	written map[string]Sum
	kept    map[string]entry
	done    bool
}

// staged is a file on its way to the staging folder.
type staged struct {
	path string
	data []byte
}

// Open starts a build of the folder dir (which need not exist). manifest is where the
// folder's manifest is kept, outside it (the folder holds only the site).
func Open(dir, manifest string) (*Dir, error) {
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	unlock := func() {}
	if manifest != "" {
		if err := os.MkdirAll(filepath.Dir(manifest), 0o755); err != nil {
			return nil, err
		}
		var err error
		if unlock, err = lock(manifest + ".lock"); err != nil {
			return nil, err
		}
	}
	d := &Dir{dir: dir, manifest: manifest, unlock: unlock, made: map[string]bool{}, written: map[string]Sum{}, kept: map[string]entry{}}
	fail := func(err error) (*Dir, error) {
		unlock()
		return nil, err
	}
	if fi, err := os.Lstat(dir); err == nil {
		if !fi.IsDir() {
			return fail(fmt.Errorf("%s is not a folder", dir))
		}
		if manifest != "" {
			d.prev = readManifest(manifest)
		}
		if !d.ours() {
			return fail(&NotOurs{dir})
		}
	}
	sweep(dir, manifest != "")
	stage, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".new-")
	if err != nil {
		return fail(err)
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		os.RemoveAll(stage)
		return fail(err)
	}
	d.stage = stage
	d.queue = make(chan staged, 64)
	d.wrote.Add(1)
	go d.writer()
	return d, nil
}

// writer writes the queued files into the staging folder.
func (d *Dir) writer() {
	defer d.wrote.Done()
	for f := range d.queue {
		if d.failed() != nil {
			continue
		}
		if err := d.mkdir(filepath.Dir(f.path)); err != nil {
			d.fail(err)
			continue
		}
		if err := writeFile(f.path, f.data); err != nil {
			d.fail(err)
		}
	}
}

// mkdir makes a folder of the stage, and those above it that are missing, with one system
// call each (os.MkdirAll would first look at the folder and its parent).
func (d *Dir) mkdir(dir string) error {
	if d.made[dir] || dir == d.stage {
		return nil
	}
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		if err = d.mkdir(filepath.Dir(dir)); err == nil {
			err = os.Mkdir(dir, 0o755)
		}
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	d.made[dir] = true
	return nil
}

func (d *Dir) fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
}

func (d *Dir) failed() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// finish waits until every queued file is written, and returns the writer's error.
func (d *Dir) finish() error {
	if !d.finished {
		d.finished = true
		close(d.queue)
		d.wrote.Wait()
	}
	return d.failed()
}

// ours reports whether the existing folder is empty or was made by the generator.
func (d *Dir) ours() bool {
	if _, err := os.Lstat(filepath.Join(d.dir, Marker)); err == nil || d.prev != nil {
		return true
	}
	f, err := os.Open(d.dir)
	if err != nil {
		return false
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) == 0
}

// sweep removes the staging folders that builds killed before they finished left beside
// dir. Holding the folder's lock, every one is stale; without it, those an hour old.
func sweep(dir string, locked bool) {
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".new-*"))
	for _, p := range left {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() && (locked || time.Since(fi.ModTime()) > time.Hour) {
			os.RemoveAll(p)
		}
	}
}

func readManifest(file string) map[string]entry {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var m map[string]entry
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&m) != nil {
		return nil
	}
	return m
}

// ID names the folder, for a build's record of what it last wrote there.
func (d *Dir) ID() string {
	abs, err := filepath.Abs(d.dir)
	if err != nil {
		return d.dir
	}
	return abs
}

// Has reports whether the folder holds name with exactly the bytes whose hash is sum, as
// the last build left it; the file is then kept as it is.
func (d *Dir) Has(name string, sum Sum) bool {
	e, ok := d.prev[name]
	if !ok || e.Sum != sum {
		return false
	}
	fi, err := os.Lstat(filepath.Join(d.dir, filepath.FromSlash(name)))
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != e.Size || fi.ModTime().UnixNano() != e.MTime {
		return false
	}
	d.mu.Lock()
	d.kept[name] = e
	d.mu.Unlock()
	return true
}

// Write stages one file, name being a slash path relative to the folder: it is written
// by the folder's writer, and a failure to write it fails this Write or a later one, or
// Commit. It is safe for concurrent use; data must not change afterwards.
func (d *Dir) Write(name string, data []byte, sum Sum) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	d.mu.Lock()
	err := d.err
	d.written[name] = sum
	d.mu.Unlock()
	if err != nil {
		return err
	}
	d.queue <- staged{filepath.Join(d.stage, filepath.FromSlash(name)), data}
	return nil
}

// Read returns the bytes of a file the folder holds.
func (d *Dir) Read(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(d.dir, filepath.FromSlash(name)))
}

// Counts are the files the build wrote and kept.
func (d *Dir) Counts() (written, kept int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.written), len(d.kept)
}

// Commit makes the folder hold exactly the files written and kept. A *Leftover error
// means the new site is in place but the old copy could not be deleted.
func (d *Dir) Commit() error {
	d.done = true
	defer d.unlock()
	defer os.RemoveAll(d.stage)
	if err := d.finish(); err != nil {
		return err
	}
	if d.manifest != "" {
		if err := os.Remove(d.manifest); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	var err error
	if d.prev == nil || len(d.kept) == 0 {
		err = d.swap()
	} else {
		err = d.patch()
	}
	var left *Leftover
	if err != nil && !errors.As(err, &left) || d.manifest == "" {
		return err
	}
	if merr := d.saveManifest(); merr != nil {
		return merr
	}
	return err
}

// Leftover reports a commit that put the new site in place but could not delete the old
// copy (a read-only folder inside it, say).
type Leftover struct {
	Old string
	Err error
}

func (e *Leftover) Error() string {
	return fmt.Sprintf("the new site is in place, but its old copy could not be deleted (%v); it is left at %s", e.Err, e.Old)
}

// swap replaces the folder with the staging folder: with one atomic exchange where the
// system has one, else the old folder is moved aside and the new one moved in. The old
// one is deleted last.
func (d *Dir) swap() error {
	if err := os.WriteFile(filepath.Join(d.stage, Marker), []byte(markerText), 0o644); err != nil {
		return err
	}
	if _, err := os.Lstat(d.dir); err != nil {
		return os.Rename(d.stage, d.dir)
	}
	old := d.stage // after an exchange, the staging folder holds the old site
	if err := exchange(d.stage, d.dir); err != nil {
		old = d.stage + ".old"
		if err := os.Rename(d.dir, old); err != nil {
			return fmt.Errorf("move old %s aside: %w", d.dir, err)
		}
		if err := os.Rename(d.stage, d.dir); err != nil {
			_ = os.Rename(old, d.dir)
			return fmt.Errorf("swap in new %s: %w", d.dir, err)
		}
	}
	if err := os.RemoveAll(old); err != nil {
		return &Leftover{Old: old, Err: err}
	}
	return nil
}

// patch moves each staged file over its old copy and removes the files of the last build
// this one did not produce.
func (d *Dir) patch() error {
	names := make([]string, 0, len(d.written))
	for name := range d.written {
		names = append(names, name)
	}
	sort.Strings(names)
	// A folder that cannot be written would stop the commit half done: look first.
	checked := map[string]bool{}
	for _, name := range names {
		for dir := filepath.Dir(filepath.Join(d.dir, filepath.FromSlash(name))); !checked[dir]; dir = filepath.Dir(dir) {
			checked[dir] = true
			if fi, err := os.Stat(dir); err == nil {
				if !writable(dir, fi) {
					return fmt.Errorf("%s cannot be written (its permissions are %v): nothing was changed", dir, fi.Mode().Perm())
				}
				break
			}
			if dir == d.dir {
				break
			}
		}
	}
	if _, err := os.Lstat(filepath.Join(d.dir, Marker)); err != nil {
		if err := os.WriteFile(filepath.Join(d.dir, Marker), []byte(markerText), 0o644); err != nil {
			return err
		}
	}
	for _, name := range names {
		rel := filepath.FromSlash(name)
		dst := filepath.Join(d.dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			// A file where a folder must be now (a page became a section): replace it.
			if err = d.clear(filepath.Dir(dst)); err != nil {
				return err
			}
		}
		if err := os.Rename(filepath.Join(d.stage, rel), dst); err != nil {
			if fi, serr := os.Lstat(dst); serr == nil && fi.IsDir() { // a folder where a file must be
				if err = os.RemoveAll(dst); err == nil {
					err = os.Rename(filepath.Join(d.stage, rel), dst)
				}
			}
			if err != nil {
				return err
			}
		}
	}
	// Remove what the last build made and this one did not, then the folders left empty.
	// Files the generator did not make stay: it deletes only what it made.
	var gone []string
	for name := range d.prev {
		if _, ok := d.written[name]; ok {
			continue
		}
		if _, ok := d.kept[name]; ok {
			continue
		}
		gone = append(gone, name)
	}
	sort.Strings(gone)
	for _, name := range gone {
		p := filepath.Join(d.dir, filepath.FromSlash(name))
		if fi, err := os.Lstat(p); err != nil || fi.IsDir() {
			continue // gone already, or a folder now (a page became a section)
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		for dir := filepath.Dir(p); dir != d.dir && os.Remove(dir) == nil; dir = filepath.Dir(dir) {
		}
	}
	return nil
}

// clear makes dir a folder, removing a file in its way (or in the way of a parent).
func (d *Dir) clear(dir string) error {
	for p := dir; strings.HasPrefix(p, d.dir+string(filepath.Separator)); p = filepath.Dir(p) {
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			if err := os.Remove(p); err != nil {
				return err
			}
			break
		}
	}
	return os.MkdirAll(dir, 0o755)
}

func (d *Dir) saveManifest() error {
	m := make(map[string]entry, len(d.written)+len(d.kept))
	for name, e := range d.kept {
		m[name] = e
	}
	for name, sum := range d.written {
		fi, err := os.Lstat(filepath.Join(d.dir, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		m[name] = entry{Sum: sum, Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(m); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(d.manifest), 0o755); err != nil {
		return err
	}
	tmp := d.manifest + ".new"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, d.manifest)
}

// Discard deletes what was staged, leaving the folder as it was. After Commit it does
// nothing.
func (d *Dir) Discard() {
	if !d.done {
		d.done = true
		d.finish()
		os.RemoveAll(d.stage)
		d.unlock()
	}
}

// Write replaces the folder dir with exactly files (slash paths relative to dir), without
// a manifest: every file is written.
func Write(dir string, files map[string][]byte) error {
	d, err := Open(dir, "")
	if err != nil {
		return err
	}
	defer d.Discard()
	for name, data := range files {
		if err := d.Write(name, data, sha256.Sum256(data)); err != nil {
			return err
		}
	}
	return d.Commit()
}
