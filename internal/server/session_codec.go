package server

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec encodes a session's deadline and values for the sessions
// table. scs's default, gob, built its decoder afresh for every request
// (about a tenth of a millisecond each time, read twice and written once
// per request) and writes a map in no fixed order. This format is a few
// dozen bytes, decoded without reflection, and the same values always give
// the same bytes, so quietStore can tell an unchanged session by its bytes.
//
// It holds the value types the server puts in a session (string, int64,
// int, bool; scs itself adds none that are not among them). Data that does
// not start with sessionMagic was written by gob before this codec: it is
// still read, so nobody is logged out by the change.
type sessionCodec struct{}

var _ scs.Codec = sessionCodec{}

// sessionMagic opens the encoding (version 1). Gob data never starts with
// it: gob's first byte is a message length, and 0xfa would announce one
// written in six bytes.
const sessionMagic = 0xfa

// The type of each value, before it.
const (
	tagString byte = 's'
	tagInt64  byte = 'i'
	tagInt    byte = 'n'
	tagBool   byte = 'b'
)

var errSessionData = errors.New("session data: malformed")

// Encode writes the magic byte, the deadline (Unix nanoseconds), the number
// of values, then each value by key order: key, type, value.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := make([]byte, 0, 64)
	b = append(b, sessionMagic)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		switch v := values[k].(type) {
		case string:
			b = appendString(append(b, tagString), v)
		case int64:
			b = binary.AppendVarint(append(b, tagInt64), v)
		case int:
			b = binary.AppendVarint(append(b, tagInt), int64(v))
		case bool:
			t := byte(0)
			if v {
				t = 1
			}
			b = append(b, tagBool, t)
		default:
			return nil, fmt.Errorf("session value %q: type %T cannot be stored", k, v)
		}
	}
	return b, nil
}

// Decode reads what Encode wrote, or gob's older data.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != sessionMagic {
		return scs.GobCodec{}.Decode(b)
	}
	d := sessionReader{b: b[1:]}
	deadline := time.Unix(0, d.varint())
	n := d.uvarint()
	if n > uint64(len(d.b)) { // every value takes at least a byte
		return time.Time{}, nil, errSessionData
	}
	values := make(map[string]any, n)
	for range n {
		k := d.string()
		switch d.byte() {
		case tagString:
			values[k] = d.string()
		case tagInt64:
			values[k] = d.varint()
		case tagInt:
			v := d.varint()
			if v < math.MinInt || v > math.MaxInt {
				d.err = true
			}
			values[k] = int(v)
		case tagBool:
			values[k] = d.byte() == 1
		default:
			d.err = true
		}
		if d.err {
			return time.Time{}, nil, errSessionData
		}
	}
	if d.err || len(d.b) != 0 {
		return time.Time{}, nil, errSessionData
	}
	return deadline, values, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// sessionReader reads Encode's parts; a read past the end or a malformed
// number sets err (and reads zero) instead of panicking.
type sessionReader struct {
	b   []byte
	err bool
}

func (r *sessionReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte {
	if len(r.b) == 0 {
		r.err = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) string() string {
	n := r.uvarint()
	if r.err || n > uint64(len(r.b)) {
		r.err = true
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
