package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
	"sync"

	"affdocs/generator/versions"
)

// Cache stores the outputs of frozen editions between builds, keyed by a hash of everything
// they depend on. Get returns false for anything missing; an entry that fails to decode or
// whose checksum does not match is rebuilt, never trusted.
type Cache interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte)
}

// cacheEntry is one edition's outputs: its files, and the change summaries the feed and the
// compare page need without re-rendering the edition.
type cacheEntry struct {
	Files   map[string][]byte
	Diff    *diffRecord
	Compare *diffRecord
}

// diffRecord is an editionDiff without pointers to editions.
type diffRecord struct {
	From, To                string
	Changed, Added, Removed []*pageChange
	Dir                     string
}

func (d *editionDiff) record() *diffRecord {
	return &diffRecord{From: d.From.ID, To: d.To.ID, Changed: d.Changed, Added: d.Added, Removed: d.Removed, Dir: d.Dir}
}

// apply copies a cached record's summaries into d, if it describes the same pair.
func (r *diffRecord) apply(d *editionDiff) bool {
	if r == nil || d == nil || r.From != d.From.ID || r.To != d.To.ID {
		return r == nil && d == nil
	}
	d.Changed, d.Added, d.Removed, d.Dir = r.Changed, r.Added, r.Removed, r.Dir
	return true
}

// crcTable is CRC-32C, hardware-accelerated: it detects a truncated or damaged entry (the
// key, a SHA-256 of the inputs, already makes a stale entry unreachable).
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// encode lays the entry out as: length and checksum of the rest, the number of files, each
// file's name and bytes (length-prefixed, so decoding slices them without copying), then the
// change summaries (gob).
func (e *cacheEntry) encode() []byte {
	data := make([]byte, 16, 1<<20)
	binary.LittleEndian.PutUint32(data[12:], uint32(len(e.Files)))
	for _, name := range slices.Sorted(maps.Keys(e.Files)) {
		data = binary.LittleEndian.AppendUint32(data, uint32(len(name)))
		data = append(data, name...)
		data = binary.LittleEndian.AppendUint32(data, uint32(len(e.Files[name])))
		data = append(data, e.Files[name]...)
	}
	body := bytes.NewBuffer(data)
	if err := gob.NewEncoder(body).Encode(diffs{e.Diff, e.Compare}); err != nil {
		return nil
	}
	data = body.Bytes()
	binary.LittleEndian.PutUint64(data[0:], uint64(len(data)-12))
	binary.LittleEndian.PutUint32(data[8:], crc32.Checksum(data[12:], crcTable))
	return data
}

type diffs struct{ Diff, Compare *diffRecord }

func decodeEntry(data []byte) (*cacheEntry, bool) {
	if len(data) < 16 || binary.LittleEndian.Uint64(data) != uint64(len(data)-12) ||
		binary.LittleEndian.Uint32(data[8:]) != crc32.Checksum(data[12:], crcTable) {
		return nil, false
	}
	n := binary.LittleEndian.Uint32(data[12:])
	e := &cacheEntry{Files: make(map[string][]byte, n)}
	rest := data[16:]
	next := func() ([]byte, bool) {
		if len(rest) < 4 {
			return nil, false
		}
		l := binary.LittleEndian.Uint32(rest)
		if uint64(len(rest)-4) < uint64(l) {
			return nil, false
		}
		v := rest[4 : 4+l : 4+l]
		rest = rest[4+l:]
		return v, true
	}
	for range n {
		name, ok1 := next()
		file, ok2 := next()
		if !ok1 || !ok2 {
			return nil, false
		}
		e.Files[string(name)] = file
	}
	var d diffs
	if err := gob.NewDecoder(bytes.NewReader(rest)).Decode(&d); err != nil {
		return nil, false
	}
	e.Diff, e.Compare = d.Diff, d.Compare
	return e, true
}

// cacheKey hashes everything an edition's outputs depend on: the generator, the theme, the
// site configuration, the assets' URLs, every edition's metadata and source hash (the
// switcher, banners and redlines show them), the edition itself and the build switches.
func (b *builder) cacheKey(ed *versions.Edition) string {
	if b.opt.Cache == nil {
		return ""
	}
	h := sha256.New()
	cfg, _ := json.Marshal(b.cfg)
	assets, _ := json.Marshal(b.assets) // maps marshal in key order
	fmt.Fprintf(h, "salt %s\ntheme %s\nconfig %s\nassets %s\nminify %v\nselfcheck %v\nedition %s\n",
		b.opt.CacheSalt, b.theme.hash, cfg, assets, !b.opt.NoMinify, b.selfCheck, ed.ID)
	for _, e := range b.set.list {
		fmt.Fprintf(h, "%s %q %s %s %s\n", e.ID, e.Label, e.Effective, e.Status, e.Hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// restore publishes an edition's outputs from the cache; false means render it.
func (b *builder) restore(key string, ed *versions.Edition) bool {
	if key == "" {
		return false
	}
	data, ok := b.opt.Cache.Get(key)
	if !ok {
		return false
	}
	e, ok := decodeEntry(data)
	if !ok || !e.Diff.apply(b.set.diffs[ed.ID]) || !e.Compare.apply(b.set.compareWith(ed)) {
		return false
	}
	b.mu.Lock()
	maps.Copy(b.files, e.Files)
	b.mu.Unlock()
	return true
}

// MemCache is a Cache in memory, for serve and for tests.
type MemCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *MemCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.m[key]
	return d, ok
}

func (c *MemCache) Put(key string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.m[key] = data
}
