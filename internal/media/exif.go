package media

import (
	"encoding/binary"
	"math"
	"strings"
	"time"
)

// EXIF tags read (CIPA DC-008).
const (
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagDateTimeOriginal   = 0x9003
	tagDateTimeDigitized  = 0x9004
	tagOffsetTimeOriginal = 0x9011
	tagOffsetTimeDigitzd  = 0x9012
	tagGPSLatitudeRef     = 1
	tagGPSLatitude        = 2
	tagGPSLongitudeRef    = 3
	tagGPSLongitude       = 4
	tagGPSAltitudeRef     = 5
	tagGPSAltitude        = 6
)

// maxIFDEntries bounds the entries read of one IFD (real ones have tens).
const maxIFDEntries = 1000

// tiff is an EXIF block: a TIFF header and its IFDs.
type tiff struct {
	b     []byte
	order binary.ByteOrder
}

// entry is an IFD entry: its type, count and the bytes of its value.
type entry struct {
	typ   uint16
	count uint32
	val   []byte
}

// typeSize is the size of one value of each TIFF type (0: unknown type).
func typeSize(t uint16) int {
	switch t {
	case 1, 2, 6, 7: // BYTE, ASCII, SBYTE, UNDEFINED
		return 1
	case 3, 8: // SHORT, SSHORT
		return 2
	case 4, 9, 11: // LONG, SLONG, FLOAT
		return 4
	case 5, 10, 12: // RATIONAL, SRATIONAL, DOUBLE
		return 8
	}
	return 0
}

// parseExif reads the date taken and the GPS position from an EXIF block
// that starts with its TIFF header.
func parseExif(b []byte, loc *time.Location) Meta {
	var m Meta
	if len(b) < 8 {
		return m
	}
	t := &tiff{b: b}
	switch string(b[:4]) {
	case "II*\x00":
		t.order = binary.LittleEndian
	case "MM\x00*":
		t.order = binary.BigEndian
	default:
		return m
	}
	ifd0 := t.ifd(t.order.Uint32(b[4:]))
	if e, ok := ifd0[tagExifIFD]; ok {
		if off, ok := t.long(e); ok {
			exif := t.ifd(off)
			m.TakenAt = t.takenAt(exif, loc)
		}
	}
	if e, ok := ifd0[tagGPSIFD]; ok {
		if off, ok := t.long(e); ok {
			m.Place = t.gps(t.ifd(off))
		}
	}
	return m
}

// ifd reads the IFD at off: its entries by tag. Entries whose values lie
// outside the block are left out; a bad offset yields none.
func (t *tiff) ifd(off uint32) map[uint16]entry {
	out := map[uint16]entry{}
	if int64(off)+2 > int64(len(t.b)) {
		return out
	}
	n := int(t.order.Uint16(t.b[off:]))
	if n > maxIFDEntries {
		return out
	}
	for i := range n {
		p := int64(off) + 2 + int64(i)*12
		if p+12 > int64(len(t.b)) {
			break
		}
		e := t.b[p : p+12]
		tag, typ, count := t.order.Uint16(e), t.order.Uint16(e[2:]), t.order.Uint32(e[4:])
		size := int64(typeSize(typ)) * int64(count)
		if size == 0 || size > maxRead {
			continue
		}
		var val []byte
		if size <= 4 {
			val = e[8 : 8+size]
		} else {
			at := int64(t.order.Uint32(e[8:]))
			if at+size > int64(len(t.b)) {
				continue
			}
			val = t.b[at : at+size]
		}
		if _, seen := out[tag]; !seen {
			out[tag] = entry{typ: typ, count: count, val: val}
		}
	}
	return out
}

// long is an entry's first value as an offset (LONG or SHORT).
func (t *tiff) long(e entry) (uint32, bool) {
	switch e.typ {
	case 4, 13: // LONG, IFD
		return t.order.Uint32(e.val), true
	case 3:
		return uint32(t.order.Uint16(e.val)), true
	}
	return 0, false
}

// ascii is an ASCII entry's text, up to its first NUL, trimmed.
func ascii(e entry) string {
	if e.typ != 2 && e.typ != 7 {
		return ""
	}
	s := string(e.val)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// rationals are a RATIONAL entry's values; nil if any has a zero divisor.
func (t *tiff) rationals(e entry) []float64 {
	if e.typ != 5 && e.typ != 10 {
		return nil
	}
	var out []float64
	for i := 0; i+8 <= len(e.val); i += 8 {
		n, d := t.order.Uint32(e.val[i:]), t.order.Uint32(e.val[i+4:])
		if d == 0 {
			return nil
		}
		if e.typ == 10 {
			out = append(out, float64(int32(n))/float64(int32(d)))
		} else {
			out = append(out, float64(n)/float64(d))
		}
	}
	return out
}

// takenAt is DateTimeOriginal (else DateTimeDigitized) with its offset,
// in loc when the file gives none.
func (t *tiff) takenAt(exif map[uint16]entry, loc *time.Location) time.Time {
	for _, tags := range [][2]uint16{{tagDateTimeOriginal, tagOffsetTimeOriginal}, {tagDateTimeDigitized, tagOffsetTimeDigitzd}} {
		s := ascii(exif[tags[0]])
		if s == "" {
			continue
		}
		zone := loc
		if off, ok := parseOffset(ascii(exif[tags[1]])); ok {
			zone = time.FixedZone("", off)
		}
		if at, err := time.ParseInLocation("2006:01:02 15:04:05", s, zone); err == nil {
			return at
		}
	}
	return time.Time{}
}

// parseOffset reads an EXIF offset, "+08:00" or "-05:00", in seconds.
func parseOffset(s string) (int, bool) {
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, false
	}
	h, ok1 := digits(s[1:3])
	m, ok2 := digits(s[4:6])
	if !ok1 || !ok2 || h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

func digits(s string) (int, bool) {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, s != ""
}

// gps is the position in a GPS IFD, nil if it has none.
func (t *tiff) gps(g map[uint16]entry) *Place {
	lat, ok1 := t.degrees(g[tagGPSLatitude], ascii(g[tagGPSLatitudeRef]), "N", "S")
	lon, ok2 := t.degrees(g[tagGPSLongitude], ascii(g[tagGPSLongitudeRef]), "E", "W")
	if !ok1 || !ok2 {
		return nil
	}
	p := &Place{Lat: lat, Lon: lon}
	if alt := t.rationals(g[tagGPSAltitude]); len(alt) == 1 {
		a := alt[0]
		if ref := g[tagGPSAltitudeRef]; ref.typ == 1 && len(ref.val) == 1 && ref.val[0] == 1 && a != 0 {
			a = -a // below sea level
		}
		p.Alt = &a
	}
	return p
}

// degrees reads degrees, minutes and seconds with their hemisphere.
func (t *tiff) degrees(e entry, ref, pos, neg string) (float64, bool) {
	v := t.rationals(e)
	if len(v) != 3 || (ref != pos && ref != neg) {
		return 0, false
	}
	d := v[0] + v[1]/60 + v[2]/3600
	if math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
		return 0, false
	}
	if ref == neg {
		d = -d
	}
	return d, true
}
