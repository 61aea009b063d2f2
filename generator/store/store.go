// Package store keeps the results of build stages between builds, content-addressed: each
// result is stored under a Key that is the hash of the stage's whole input value, as Go's
// build cache keys an action by the hash of everything it reads. A changed input is a new
// key, so an entry can be missing but never stale, and no input can be forgotten in a key
// field by field.
//
// A Store lives in memory (serve, tests) or is loaded from and saved to one file on disk
// (build): a pack of records, each checksummed, read at once when the store is opened.
// Save appends the entries a build added; when the entries no build used since outweigh
// the live ones, it rewrites the pack with the live ones only, so the file follows the
// site's size. A damaged or truncated pack loses its damaged records, nothing else.
//
//	st, _ := store.Open(dir)                  // or store.Memory()
//	k := store.NewKey("convert").Str(path).Raw(src).Sum()
//	if v, ok := st.Get(k); ok { ... }        // decode with store.NewDec(v)
//	st.Put(k, store.NewEnc().Str(html).Bytes())
//	err := st.Save()                         // disk stores only
package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Key identifies a stage result: the SHA-256 of its whole input value.
type Key [sha256.Size]byte

func (k Key) String() string { return fmt.Sprintf("%x", k[:8]) }

// Store is a content-addressed map from Key to bytes; it is safe for concurrent use.
type Store struct {
	file string // the pack; "" in memory

	mu      sync.Mutex
	entries map[Key][]byte
	values  map[Key]any  // decoded entries, kept by a memory store (Value)
	used    map[Key]bool // read or written since the store was opened
	added   []Key        // written since the store was opened, in order
	size    int64        // bytes of records in the pack on disk
	damaged bool         // the pack ends in bytes that are not a record: rewrite it
}

// Memory returns an empty store that lives as long as the process.
func Memory() *Store {
	return &Store{entries: map[Key][]byte{}, values: map[Key]any{}, used: map[Key]bool{}}
}

const (
	magic      = "affdocs-store 1\n"
	headerSize = len(Key{}) + 8 // key, value length, CRC-32C of the value
	packName   = "pack"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Open loads the store kept in dir (made when missing). A pack that cannot be read is
// treated as empty and replaced by the next Save.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := Memory()
	s.file = filepath.Join(dir, packName)
	data, err := os.ReadFile(s.file)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(magic)) {
		s.damaged = true // another format: start again
		return s, nil
	}
	rest := data[len(magic):]
	for len(rest) >= headerSize {
		var k Key
		copy(k[:], rest)
		n := binary.LittleEndian.Uint32(rest[len(k):])
		sum := binary.LittleEndian.Uint32(rest[len(k)+4:])
		if uint64(len(rest)-headerSize) < uint64(n) {
			break // truncated: a Save that did not finish
		}
		v := rest[headerSize : headerSize+int(n) : headerSize+int(n)]
		if crc32.Checksum(v, crcTable) != sum {
			break // damaged: what follows cannot be trusted to be aligned
		}
		s.entries[k] = v
		s.size += int64(headerSize) + int64(n)
		rest = rest[headerSize+int(n):]
	}
	s.damaged = len(rest) > 0 // what follows the last sound record is dropped by the next Save
	return s, nil
}

// Get returns the value stored under k.
func (s *Store) Get(k Key) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.entries[k]
	if ok {
		s.used[k] = true
	}
	return v, ok
}

// Value is Get, decoded by decode. A memory store (serve's, which lives across rebuilds)
// keeps each decoded value with its bytes, so that a rebuild decodes only what is new; a
// disk store decodes every time (each build is a new process). The value is shared:
// callers must not change it. A value that does not decode is a miss.
func (s *Store) Value(k Key, decode func([]byte) (any, error)) (any, bool) {
	s.mu.Lock()
	v, decoded := s.values[k]
	data, found := s.entries[k]
	if found {
		s.used[k] = true
	}
	s.mu.Unlock()
	if decoded || !found {
		return v, decoded
	}
	v, err := decode(data)
	if err != nil {
		return nil, false
	}
	if s.file == "" {
		s.mu.Lock()
		s.values[k] = v
		s.mu.Unlock()
	}
	return v, true
}

// Put stores v under k. The store keeps v: the caller must not change it afterwards.
func (s *Store) Put(k Key, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.entries[k]; !ok || !bytes.Equal(old, v) {
		s.added = append(s.added, k) // a later record of a key replaces an earlier one
		delete(s.values, k)
	}
	s.entries[k] = v
	s.used[k] = true
}

// Prune forgets every entry not read or written since the last Prune (or Open): a
// long-lived memory store (serve) calls it after each build, so that its size follows the
// site's, not the number of edits.
func (s *Store) Prune() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.entries {
		if !s.used[k] {
			delete(s.entries, k)
			delete(s.values, k)
		}
	}
	clear(s.used)
	s.added = nil
}

// Save writes what this process added to the pack on disk; a memory store has nothing to
// do. When less than half of the pack would be entries used since Open, the pack is
// rewritten with the used entries only (into a new file renamed over the old one).
func (s *Store) Save() error {
	if s.file == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var live, fresh int64
	for k := range s.used {
		live += int64(headerSize + len(s.entries[k]))
	}
	for _, k := range s.added {
		fresh += int64(headerSize + len(s.entries[k]))
	}
	if s.size > 0 && !s.damaged && 2*live >= s.size+fresh {
		return s.appendAdded()
	}
	return s.rewrite()
}

// writeRecords writes the records of keys to w as they come, through one buffer: a pack
// is not built whole in memory first (at 100,000 pages, growing one slice to the pack's
// 110 MB took 4.5 s, most of it the kernel handing out fresh memory).
func (s *Store) writeRecords(w io.Writer, keys iter.Seq[Key]) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	var n int64
	var head [headerSize]byte
	for k := range keys {
		v := s.entries[k]
		copy(head[:], k[:])
		binary.LittleEndian.PutUint32(head[len(k):], uint32(len(v)))
		binary.LittleEndian.PutUint32(head[len(k)+4:], crc32.Checksum(v, crcTable))
		bw.Write(head[:])
		bw.Write(v)
		n += int64(headerSize + len(v))
	}
	return n, bw.Flush() // the first write error, if any
}

func (s *Store) appendAdded() error {
	if len(s.added) == 0 {
		return nil
	}
	f, err := os.OpenFile(s.file, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	// A crash leaves at most the last record truncated, which Open drops.
	n, err := s.writeRecords(f, slices.Values(s.added))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		s.size += n
		s.added = nil
	}
	return err
}

func (s *Store) rewrite() error {
	tmp, err := os.CreateTemp(filepath.Dir(s.file), packName+".new-*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(magic)
	var n int64
	if err == nil {
		n, err = s.writeRecords(tmp, maps.Keys(s.used))
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.file)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	s.size = n
	s.added, s.damaged = nil, false
	return nil
}
