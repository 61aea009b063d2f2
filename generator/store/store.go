// Package store keeps the results of build stages between builds, content-addressed: each
// result is stored under a Key that is the hash of the stage's whole input value, as Go's
// build cache keys an action by the hash of everything it reads. A changed input is a new
// key, so an entry can be missing but never stale, and no input can be forgotten in a key
// field by field.
//
// A Store lives in memory (serve, tests) or is loaded from and saved to one file on disk
// (build): a pack of records, each checksummed, read at once when the store is opened.
// What a build puts is written as it comes to a side file (unlinked at once, so a killed
// build leaves nothing), not kept in memory, and read back from there if asked for; Save
// appends it to the pack. When the entries no build used since outweigh the live ones,
// Save rewrites the pack with the live ones only, so the file follows the site's size. A
// damaged or truncated pack loses its damaged records, nothing else.
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
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Key identifies a stage result: the SHA-256 of its whole input value.
type Key [sha256.Size]byte

func (k Key) String() string { return fmt.Sprintf("%x", k[:8]) }

// Store is a content-addressed map from Key to bytes; it is safe for concurrent use.
type Store struct {
	file string // the pack; "" in memory

	mu      sync.Mutex
	entries map[Key][]byte // the pack's, read at Open; a memory store's
	values  map[Key]any    // decoded entries, kept by a memory store (Value)
	used    map[Key]bool   // read or written since the store was opened
	size    int64          // bytes of records in the pack on disk
	damaged bool           // the pack ends in bytes that are not a record: rewrite it

	// A disk store's puts: records in the side file, which is made by the first Put.
	// spilled holds no pointers, so the collector never looks through it.
	spilled map[Key]spill
	side    *os.File
	sideW   *bufio.Writer
	sideN   int64 // bytes of records written to sideW
	flushed int64 // of which reached the file
	saved   int64 // of which are in the pack too
	sideErr error // the first error writing the side file: Save reports it
}

// spill is where a value put by this process lies in the side file, and its checksum.
type spill struct {
	off int64
	n   int
	sum uint32
}

// Memory returns an empty store that lives as long as the process.
func Memory() *Store {
	return &Store{entries: map[Key][]byte{}, values: map[Key]any{}, used: map[Key]bool{}, spilled: map[Key]spill{}}
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
	// Side files are unlinked when made; where a system cannot unlink an open file, the
	// next store opened removes those left (one still open stays).
	left, _ := filepath.Glob(s.file + ".side-*")
	for _, f := range left {
		os.Remove(f)
	}
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
	return s.get(k)
}

func (s *Store) get(k Key) ([]byte, bool) {
	if sp, ok := s.spilled[k]; ok {
		v, err := s.readSpill(sp)
		if err == nil {
			s.used[k] = true
		}
		return v, err == nil
	}
	v, ok := s.entries[k]
	if ok {
		s.used[k] = true
	}
	return v, ok
}

// readSpill reads a value back from the side file.
func (s *Store) readSpill(sp spill) ([]byte, error) {
	if sp.off+int64(sp.n) > s.flushed {
		if err := s.sideW.Flush(); err != nil {
			return nil, err
		}
		s.flushed = s.sideN
	}
	v := make([]byte, sp.n)
	_, err := s.side.ReadAt(v, sp.off)
	return v, err
}

// Value is Get, decoded by decode. A memory store (serve's, which lives across rebuilds)
// keeps each decoded value with its bytes, so that a rebuild decodes only what is new; a
// disk store decodes every time (each build is a new process). The value is shared:
// callers must not change it. A value that does not decode is a miss.
func (s *Store) Value(k Key, decode func([]byte) (any, error)) (any, bool) {
	s.mu.Lock()
	v, decoded := s.values[k]
	data, found := s.get(k)
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

// Put stores v under k. A memory store keeps v: the caller must not change it afterwards.
func (s *Store) Put(k Key, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used[k] = true
	if s.file != "" {
		if sp, ok := s.spilled[k]; ok {
			if sp.n == len(v) && sp.sum == crc32.Checksum(v, crcTable) {
				return // put already (many pages put the same dependency list)
			}
		} else if old, ok := s.entries[k]; ok && bytes.Equal(old, v) {
			return
		}
		s.spill(k, v)
		return
	}
	if old, ok := s.entries[k]; !ok || !bytes.Equal(old, v) {
		delete(s.values, k) // decoded from other bytes
	}
	s.entries[k] = v
}

// spill writes a record to the side file, made on first use. A record that cannot be
// written is not kept: the store misses it, as it would a damaged record.
func (s *Store) spill(k Key, v []byte) {
	if s.side == nil && s.sideErr == nil {
		s.side, s.sideErr = os.CreateTemp(filepath.Dir(s.file), packName+".side-*")
		if s.sideErr == nil {
			os.Remove(s.side.Name()) // where it can be removed while open: a killed build leaves nothing
			s.sideW = bufio.NewWriterSize(s.side, 1<<20)
		}
	}
	if s.sideErr != nil {
		return
	}
	if s.sideErr = writeRecord(s.sideW, k, v); s.sideErr != nil {
		return
	}
	s.spilled[k] = spill{s.sideN + int64(headerSize), len(v), crc32.Checksum(v, crcTable)}
	s.sideN += int64(headerSize + len(v))
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
	if s.side != nil {
		if s.sideErr == nil {
			s.sideErr = s.sideW.Flush()
		}
		if s.sideErr != nil {
			return s.sideErr
		}
		s.flushed = s.sideN
	}
	live, fresh := s.sideN, s.sideN-s.saved
	for k := range s.used {
		if _, ok := s.spilled[k]; !ok {
			live += int64(headerSize + len(s.entries[k]))
		}
	}
	var err error
	if s.size > 0 && !s.damaged && 2*live >= s.size+fresh {
		err = s.appendAdded()
	} else {
		err = s.rewrite()
	}
	if err == nil {
		s.saved = s.sideN
	}
	return err
}

// writeRecord writes one record to w: the key, the value's length and CRC-32C, the value.
// Records go through a buffer: a pack is never built whole in memory (at 100,000 pages,
// growing one slice to the pack's 110 MB took 4.5 s, most of it the kernel handing out
// fresh memory).
func writeRecord(w *bufio.Writer, k Key, v []byte) error {
	var head [headerSize]byte
	copy(head[:], k[:])
	binary.LittleEndian.PutUint32(head[len(k):], uint32(len(v)))
	binary.LittleEndian.PutUint32(head[len(k)+4:], crc32.Checksum(v, crcTable))
	w.Write(head[:])
	_, err := w.Write(v) // a bufio.Writer's first error stays: this reports it
	return err
}

// sideRecords is the side file's records from offset from.
func (s *Store) sideRecords(from int64) io.Reader {
	if s.side == nil {
		return strings.NewReader("")
	}
	return io.NewSectionReader(s.side, from, s.sideN-from)
}

// appendAdded appends to the pack the records put since the last Save.
func (s *Store) appendAdded() error {
	if s.sideN == s.saved {
		return nil
	}
	f, err := os.OpenFile(s.file, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	// A crash leaves at most the last record truncated, which Open drops.
	_, err = io.Copy(f, s.sideRecords(s.saved))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		s.size += s.sideN - s.saved
	}
	return err
}

// rewrite writes a new pack of the entries used since Open and the side file's records.
func (s *Store) rewrite() error {
	tmp, err := os.CreateTemp(filepath.Dir(s.file), packName+".new-*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	bw.WriteString(magic)
	n := s.sideN
	for k := range s.used {
		v, ok := s.entries[k]
		if _, put := s.spilled[k]; put || !ok {
			continue // its record is in the side file
		}
		writeRecord(bw, k, v)
		n += int64(headerSize + len(v))
	}
	_, err = io.Copy(bw, s.sideRecords(0))
	if ferr := bw.Flush(); err == nil {
		err = ferr
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
	s.damaged = false
	return nil
}
