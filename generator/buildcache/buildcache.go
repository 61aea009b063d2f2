// Package buildcache is the on-disk site.Cache: one file per key in the user's cache folder
// (never inside public/), written atomically. Integrity is checked by the site package
// (checksummed entries), so a truncated or corrupt file is simply a miss.
package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Dir is a cache in a folder.
type Dir string

// Default is $XDG_CACHE_HOME/affdocs (or the OS equivalent), or a temp folder.
func Default() Dir {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return Dir(filepath.Join(base, "affdocs", "editions"))
}

func (d Dir) path(key string) string { return filepath.Join(string(d), key[:2], key) }

// Get reads an entry; any error is a miss.
func (d Dir) Get(key string) ([]byte, bool) {
	if len(key) < 3 {
		return nil, false
	}
	data, err := os.ReadFile(d.path(key))
	return data, err == nil
}

// Put writes an entry atomically; a failure only costs a future rebuild.
func (d Dir) Put(key string, data []byte) {
	if len(key) < 3 {
		return
	}
	p := d.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-")
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(f.Name())
		return
	}
	if os.Rename(f.Name(), p) != nil {
		os.Remove(f.Name())
	}
}

// ExecutableHash identifies the running generator: outputs cached by another build of the
// generator are never reused. Hashing the 20 MB executable takes about 20 ms, so the hash is
// kept beside the cache under the executable's path, size and modification time (as Go's
// build cache trusts them), and computed again when one of them changes.
func ExecutableHash() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	id := sha256.Sum256(fmt.Appendf(nil, "%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano()))
	memo := filepath.Join(string(Default()), "..", "executables", hex.EncodeToString(id[:16]))
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
