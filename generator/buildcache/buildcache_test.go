package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDir protects the disk cache: what is put is got back, a missing key is a miss, and a
// put never leaves a temporary file behind.
func TestDir(t *testing.T) {
	d := Dir(t.TempDir())
	key := "ab0123456789"
	if _, ok := d.Get(key); ok {
		t.Fatal("hit in an empty cache")
	}
	d.Put(key, []byte("outputs"))
	if got, ok := d.Get(key); !ok || !bytes.Equal(got, []byte("outputs")) {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	d.Put(key, []byte("newer"))
	if got, _ := d.Get(key); string(got) != "newer" {
		t.Errorf("after a second Put: %q", got)
	}
	left, _ := filepath.Glob(filepath.Join(string(d), "ab", ".tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if _, ok := d.Get("x"); ok {
		t.Error("a malformed key hit")
	}
	if ExecutableHash() == "" {
		t.Error("the test binary has no hash")
	}
	_ = os.RemoveAll(string(d))
}

// TestExecutableHash protects the identity that keeps another generator's cached outputs
// out of a build: the SHA-256 of the running executable, remembered under the executable's
// path, size and time so that a warm build does not hash 20 MB again.
func TestExecutableHash(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	if got := ExecutableHash(); got != want {
		t.Fatalf("ExecutableHash() = %s; want %s", got, want)
	}
	memos, _ := filepath.Glob(filepath.Join(string(Default()), "..", "executables", "*"))
	if len(memos) != 1 {
		t.Fatalf("remembered hashes: %v", memos)
	}
	if err := os.WriteFile(memos[0], []byte(strings.Repeat("a", 64)), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := ExecutableHash(); got != strings.Repeat("a", 64) {
		t.Errorf("the remembered hash was not used: %s", got)
	}
}
