package buildcache

import (
	"bytes"
	"os"
	"path/filepath"
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
