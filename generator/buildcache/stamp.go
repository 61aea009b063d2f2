package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A build's inputs and outputs are told apart from the last build's by a stamp of each: a
// hash of every file's path, size, mode and modification time below some folders (what
// make, rsync and Go's build cache trust). Reading no file, a stamp of 10,000 files costs
// about as much as listing them.

// Stamp hashes the listing of the folders roots (files and folders that do not exist
// count as empty), skipping the folders in skip and names starting with a dot, plus extra
// (the generator and its options).
func Stamp(extra string, roots []string, skip ...string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%q\n", extra)
	for _, root := range roots {
		fmt.Fprintf(h, "root %q\n", root)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && p == root {
					return nil
				}
				return err
			}
			if p != root && strings.HasPrefix(d.Name(), ".") || d.IsDir() && isIn(p, skip) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			fmt.Fprintf(h, "%q %d %o %d\n", filepath.ToSlash(rel), info.Size(), info.Mode(), info.ModTime().UnixNano())
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func isIn(p string, dirs []string) bool {
	for _, d := range dirs {
		if filepath.Clean(p) == filepath.Clean(d) {
			return true
		}
	}
	return false
}

// LastBuild is what the last build into the folder out recorded: the stamps of its inputs
// and of the folder it wrote; empty strings when there is no record.
func (d Dir) LastBuild(out string) (inputs, outputs string) {
	data, err := os.ReadFile(d.buildRecord(out))
	if err != nil {
		return "", ""
	}
	inputs, outputs, _ = strings.Cut(strings.TrimSpace(string(data)), "\n")
	return inputs, outputs
}

// SaveBuild records a build into the folder out; a failure only costs the next build its
// shortcut.
func (d Dir) SaveBuild(out, inputs, outputs string) {
	p := d.buildRecord(out)
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	_ = os.WriteFile(p, []byte(inputs+"\n"+outputs+"\n"), 0o644)
}

// ForgetBuild drops the record, before the folder is replaced.
func (d Dir) ForgetBuild(out string) { os.Remove(d.buildRecord(out)) }

func (d Dir) buildRecord(out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(string(d), "..", "builds", hex.EncodeToString(sum[:8]))
}
