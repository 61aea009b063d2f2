package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiteDir protects the cache's layout: two source folders never share a store, and a
// site's output manifests live in its own folder, never in the output.
func TestSiteDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	a, b := SiteDir("one"), SiteDir("two")
	if a == b {
		t.Errorf("two sources share %s", a)
	}
	if m := Manifest("one", "public"); filepath.Dir(m) != a {
		t.Errorf("Manifest = %s; want it in %s", m, a)
	}
	if Manifest("one", "public") == Manifest("one", "out") {
		t.Error("two output folders share a manifest")
	}
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
	memos, _ := filepath.Glob(filepath.Join(Root(), "executables", "*"))
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
