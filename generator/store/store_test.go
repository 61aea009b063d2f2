package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func key(s string) Key { return NewKey("test").Str(s).Sum() }

// TestSaveAndOpen protects the disk store: what one build put, the next one gets, and a
// key put again with other bytes reads back as the later value.
func TestSaveAndOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Put(key("a"), []byte("one"))
	s.Put(key("b"), []byte("two"))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s, _ = Open(dir)
	if v, ok := s.Get(key("a")); !ok || string(v) != "one" {
		t.Fatalf("Get(a) = %q, %v after reopening", v, ok)
	}
	s.Put(key("a"), []byte("uno"))
	s.Get(key("b"))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s, _ = Open(dir)
	for k, want := range map[string]string{"a": "uno", "b": "two"} {
		if v, ok := s.Get(key(k)); !ok || string(v) != want {
			t.Errorf("Get(%s) = %q, %v; want %q", k, v, ok, want)
		}
	}
	if _, ok := s.Get(key("c")); ok {
		t.Error("a key never put was found")
	}
}

// TestDamagedPack protects builds from a damaged store: a truncated record (a Save cut
// short) or a flipped byte loses that record and what follows, never returns wrong bytes,
// and the next Save writes a sound pack.
func TestDamagedPack(t *testing.T) {
	for name, damage := range map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)-3] },
		"flipped":   func(b []byte) []byte { b[len(b)-2] ^= 0xff; return b },
		"garbage":   func([]byte) []byte { return []byte("not a store") },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s, _ := Open(dir)
			s.Put(key("first"), []byte("kept"))
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			s, _ = Open(dir)
			s.Get(key("first"))
			s.Put(key("last"), []byte("damaged"))
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, packName)
			data, _ := os.ReadFile(file)
			if err := os.WriteFile(file, damage(data), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := s.Get(key("last")); ok {
				t.Errorf("a damaged record was returned: %q", v)
			}
			if v, ok := s.Get(key("first")); ok && string(v) != "kept" {
				t.Errorf("a sound record reads %q", v)
			}
			s.Put(key("again"), []byte("x"))
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			s, _ = Open(dir)
			if v, ok := s.Get(key("again")); !ok || string(v) != "x" {
				t.Errorf("after saving over a damaged pack: %q, %v", v, ok)
			}
		})
	}
}

// TestPackFollowsUse protects the disk from a store that only grows: once most of the pack
// is entries no build used, Save rewrites it with the used ones only.
func TestPackFollowsUse(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("x"), 1000)
	for round := range 10 {
		s, _ := Open(dir)
		for i := range 10 {
			s.Put(key(fmt.Sprint(round, i)), big) // every build makes new entries only
		}
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, packName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 25*1000 {
		t.Errorf("the pack holds %d bytes for 10 live entries of 1000", fi.Size())
	}
	left, _ := filepath.Glob(filepath.Join(dir, packName+".new-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestPrune protects serve's memory: entries the last build did not use are dropped.
func TestPrune(t *testing.T) {
	s := Memory()
	s.Put(key("old"), []byte("1"))
	s.Prune()
	s.Put(key("new"), []byte("2"))
	s.Prune()
	if _, ok := s.Get(key("old")); ok {
		t.Error("an entry no build used survived")
	}
	if _, ok := s.Get(key("new")); !ok {
		t.Error("an entry the last build used was dropped")
	}
}

// TestKeysAndCodec protects the keys' promise (different fields, different keys: "ab","c"
// is not "a","bc") and the codec's round trip, and a malformed value is an error, not a
// panic or a huge allocation.
func TestKeysAndCodec(t *testing.T) {
	if NewKey("s").Str("ab").Str("c").Sum() == NewKey("s").Str("a").Str("bc").Sum() {
		t.Error("field boundaries do not count in keys")
	}
	if NewKey("s").Str("a").Sum() == NewKey("t").Str("a").Sum() {
		t.Error("the stage does not count in keys")
	}
	v := NewEnc().Str("héllo").Int(-7).Bool(true).Key(key("k")).Raw([]byte{0, 1}).Bytes()
	d := NewDec(v)
	if s, i, b, k, r := d.Str(), d.Int(), d.Bool(), d.Key(), d.Raw(); s != "héllo" || i != -7 || !b || k != key("k") || !bytes.Equal(r, []byte{0, 1}) || d.Err != nil {
		t.Errorf("round trip: %q %d %v %v %v %v", s, i, b, k, r, d.Err)
	}
	d = NewDec(NewEnc().Int(1 << 40).Bytes())
	if n := d.Len(); n != 0 || d.Err == nil {
		t.Errorf("a count larger than the value: %d, %v", n, d.Err)
	}
	d = NewDec(v[:3])
	d.Str()
	d.Int()
	d.Key()
	if d.Err == nil {
		t.Error("a truncated value read without an error")
	}
}

// TestValue protects serve's decoded values: a memory store decodes an entry once and
// forgets the decoded value when the entry is replaced or pruned; a value that does not
// decode is a miss.
func TestValue(t *testing.T) {
	s := Memory()
	decodes := 0
	decode := func(b []byte) (any, error) {
		decodes++
		if string(b) == "bad" {
			return nil, errShort
		}
		return string(b), nil
	}
	s.Put(key("a"), []byte("one"))
	for range 3 {
		if v, ok := s.Value(key("a"), decode); !ok || v != "one" {
			t.Fatalf("Value = %v, %v", v, ok)
		}
	}
	if decodes != 1 {
		t.Errorf("decoded %d times; want once", decodes)
	}
	s.Put(key("a"), []byte("two"))
	if v, _ := s.Value(key("a"), decode); v != "two" {
		t.Errorf("after a new Put: %v", v)
	}
	s.Put(key("b"), []byte("bad"))
	if _, ok := s.Value(key("b"), decode); ok {
		t.Error("a value that does not decode was a hit")
	}
	if _, ok := s.Value(key("none"), decode); ok {
		t.Error("a missing key was a hit")
	}
}

// TestSpill protects what a disk store does with what a build puts: it is written to a
// side file as it comes, not kept in memory, yet reads back at once; a key put again with
// the same bytes is written once; a second Save appends only what came after the first;
// and nothing is left beside the pack.
func TestSpill(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := bytes.Repeat([]byte("a"), 3000)
	for range 5 {
		s.Put(key("a"), a)
	}
	if len(s.entries) != 0 {
		t.Errorf("the store kept %d values in memory", len(s.entries))
	}
	if v, ok := s.Get(key("a")); !ok || !bytes.Equal(v, a) {
		t.Fatalf("Get(a) before Save = %d bytes, %v", len(v), ok)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s.Put(key("b"), []byte("bee"))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Get(key("a")); !ok || !bytes.Equal(v, a) {
		t.Errorf("Get(a) after Save = %d bytes, %v", len(v), ok)
	}
	fi, err := os.Stat(filepath.Join(dir, packName))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len(magic) + 2*headerSize + len(a) + 3); fi.Size() != want {
		t.Errorf("the pack is %d bytes; want %d, two records once each", fi.Size(), want)
	}
	s, _ = Open(dir)
	for k, want := range map[string][]byte{"a": a, "b": []byte("bee")} {
		if v, ok := s.Get(key(k)); !ok || !bytes.Equal(v, want) {
			t.Errorf("Get(%s) after reopening = %d bytes, %v", k, len(v), ok)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, packName+".*")); len(left) > 0 {
		t.Errorf("files left beside the pack: %v", left)
	}
}
