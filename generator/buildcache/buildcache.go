// Package buildcache says where a build keeps what it remembers between runs, in the
// user's cache folder (never inside public/ or the sources): the store of stage results
// and the output manifest of each site (see package store and package output), and the
// generator's own identity.
package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Root is $XDG_CACHE_HOME/affdocs (or the OS equivalent), else a folder in the temp folder.
// Deleting it loses nothing but time: the next build makes everything again.
func Root() string {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "affdocs")
}

// SiteDir is where the builds of the site source folder src keep their store and
// manifests: one folder per source folder, so two checkouts never share one.
func SiteDir(src string) string {
	return filepath.Join(Root(), "sites", id(src))
}

// Manifest is the file that records what a build left in the output folder out.
func Manifest(src, out string) string {
	return filepath.Join(SiteDir(src), "output-"+id(out))
}

// id names a folder by its absolute path.
func id(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	sum := sha256.Sum256([]byte(abs))
	return hex.EncodeToString(sum[:8])
}

// ExecutableHash identifies the running generator: results stored by another build of the
// generator are never reused. Hashing the 20 MB executable takes about 20 ms, so the hash is
// kept under the executable's path, size and modification time (as Go's build cache trusts
// them), and computed again when one of them changes.
func ExecutableHash() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	key := sha256.Sum256(fmt.Appendf(nil, "%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano()))
	memo := filepath.Join(Root(), "executables", hex.EncodeToString(key[:16]))
	if data, err := os.ReadFile(memo); err == nil && len(data) == 64 {
		return string(data)
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if os.MkdirAll(filepath.Dir(memo), 0o755) == nil {
		_ = os.WriteFile(memo, []byte(sum), 0o644)
	}
	return sum
}
