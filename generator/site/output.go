package site

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"sync"

	"affdocs/generator/store"
)

// Output is where a build's files go: a folder on disk (output.Dir) or memory (MemOutput).
type Output interface {
	// ID names the output: the build records under it what it last wrote there.
	ID() string
	// Has reports whether the output already holds name with the bytes whose SHA-256 is
	// sum (from an earlier build); the build then keeps that file as it is.
	Has(name string, sum [32]byte) bool
	// Write adds a file, whose SHA-256 is sum; an error fails the build.
	Write(name string, data []byte, sum [32]byte) error
	// Read returns the bytes of a file the output holds (to check its links again).
	Read(name string) ([]byte, error)
}

// MemOutput is an Output in memory: Files after the build, Prev the files of the build
// before it, from which it keeps what did not change. Next starts the next build's output
// from this one's (serve keeps the last good build's).
type MemOutput struct {
	Prev, Files map[string][]byte
	prevSums    map[string][32]byte // of Prev, when known
	sums        map[string][32]byte // of Files
	mu          sync.Mutex
}

// Next is an output for the next build, which keeps what it can of this one's files.
func (m *MemOutput) Next() *MemOutput {
	return &MemOutput{Prev: m.Files, prevSums: m.sums}
}

func (m *MemOutput) ID() string { return "memory" }

func (m *MemOutput) Has(name string, sum [32]byte) bool {
	data, ok := m.Prev[name]
	if !ok {
		return false
	}
	if m.prevSums != nil {
		ok = m.prevSums[name] == sum
	} else {
		ok = sha256.Sum256(data) == sum
	}
	if ok {
		m.put(name, data, sum)
	}
	return ok
}

func (m *MemOutput) Write(name string, data []byte, sum [32]byte) error {
	m.put(name, data, sum)
	return nil
}

func (m *MemOutput) put(name string, data []byte, sum [32]byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Files == nil {
		m.Files, m.sums = map[string][]byte{}, map[string][32]byte{}
	}
	m.Files[name], m.sums[name] = data, sum
}

func (m *MemOutput) Read(name string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if data, ok := m.Files[name]; ok {
		return data, nil
	}
	return nil, fs.ErrNotExist
}

// put minifies a file (unless the build is for debugging) and hands it to the output.
func (b *builder) put(from, name string, data []byte) {
	if !b.opt.NoMinify {
		var err error
		if data, err = minifyFile(name, data); err != nil {
			b.ds.add(&Diagnostic{File: name, Msg: "minify: " + err.Error()})
		}
	}
	b.emitFile(from, name, data)
}

// putter is put for one producer, for code that takes a func(name, data).
func (b *builder) putter(from string) func(string, []byte) {
	return func(name string, data []byte) { b.put(from, name, data) }
}

// putStored is put for a file whose bytes are stored under key, made by make when not.
func (b *builder) putStored(from, name string, key store.Key, make func() []byte) {
	if data, ok := b.st.Get(key); ok {
		b.emitFile(from, name, data)
		return
	}
	data := make()
	if !b.opt.NoMinify {
		var err error
		if data, err = minifyFile(name, data); err != nil {
			b.ds.add(&Diagnostic{File: name, Msg: "minify: " + err.Error()})
			return
		}
	}
	b.st.Put(key, data)
	b.emitFile(from, name, data)
}

// keep records an output file, kept as it is when the output has its bytes already.
func (b *builder) keep(name string, f *outFile) bool {
	kept := b.out.Has(name, f.sum)
	b.mu.Lock()
	defer b.mu.Unlock()
	if old := b.files[name]; old != nil && old.sum != f.sum {
		b.ds.add(&Diagnostic{File: f.from, Msg: fmt.Sprintf("%s and %s both make the output file %s: rename or remove one", old.from, f.from, name)})
	}
	b.files[name] = f
	return kept
}
