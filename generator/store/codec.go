package store

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
)

// NewKey starts the key of a stage's result: the input value is written field by field,
// as an Enc writes a value (every field length-prefixed, so two different sequences of
// fields never hash alike), and Sum hashes it at once. stage names the stage, so that equal
// inputs of different stages have different keys.
func NewKey(stage string) *Enc {
	return (&Enc{buf: make([]byte, 0, 256)}).Str(stage)
}

// Sum is the key of the value written so far.
func (e *Enc) Sum() Key { return sha256.Sum256(e.buf) }

// Enc writes a value as a sequence of fields, for Dec to read back in the same order.
type Enc struct{ buf []byte }

func NewEnc() *Enc { return &Enc{} }

func (e *Enc) Str(s string) *Enc {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
	return e
}

func (e *Enc) Raw(p []byte) *Enc {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(p)))
	e.buf = append(e.buf, p...)
	return e
}

func (e *Enc) Int(i int) *Enc {
	e.buf = binary.AppendVarint(e.buf, int64(i))
	return e
}

func (e *Enc) Bool(v bool) *Enc {
	if v {
		return e.Int(1)
	}
	return e.Int(0)
}

func (e *Enc) Key(k Key) *Enc {
	e.buf = append(e.buf, k[:]...)
	return e
}

// Bytes is the encoded value.
func (e *Enc) Bytes() []byte { return e.buf }

// Dec reads the fields an Enc wrote. A value that ends early or is malformed sets Err, and
// every later read returns zero values: callers check Err once, at the end.
type Dec struct {
	buf []byte
	Err error
}

func NewDec(p []byte) *Dec { return &Dec{buf: p} }

var errShort = errors.New("store: malformed value")

func (d *Dec) fail() { d.Err, d.buf = errShort, nil }

func (d *Dec) Str() string { return string(d.Raw()) }

// Raw returns a field's bytes without copying them.
func (d *Dec) Raw() []byte {
	n, w := binary.Uvarint(d.buf)
	if w <= 0 || uint64(len(d.buf)-w) < n {
		d.fail()
		return nil
	}
	p := d.buf[w : w+int(n) : w+int(n)]
	d.buf = d.buf[w+int(n):]
	return p
}

func (d *Dec) Int() int {
	i, w := binary.Varint(d.buf)
	if w <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[w:]
	return int(i)
}

func (d *Dec) Bool() bool { return d.Int() != 0 }

func (d *Dec) Key() Key {
	var k Key
	if len(d.buf) < len(k) {
		d.fail()
		return k
	}
	copy(k[:], d.buf)
	d.buf = d.buf[len(k):]
	return k
}

// Len reads a count, refusing one larger than what is left to read (a damaged value must
// not make the reader allocate gigabytes).
func (d *Dec) Len() int {
	n := d.Int()
	if n < 0 || n > len(d.buf) {
		d.fail()
		return 0
	}
	return n
}
