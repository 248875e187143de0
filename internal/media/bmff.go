package media

import (
	"bytes"
	"errors"
	"math"
	"time"
)

// The ISO base media file format (ISO/IEC 14496-12) holds HEIC photos
// (ISO/IEC 23008-12) and MP4, MOV and M4A files: a sequence of boxes, each
// a 32-bit size (1: a 64-bit size follows; 0: to the end), a four-letter
// type and its payload.

// maxBoxes bounds the boxes looked at on one level.
const maxBoxes = 4096

// box is a box of the file: its type and where its payload lies.
type box struct {
	typ  string
	off  int64 // payload start in the file
	size int64 // payload size
}

// boxes calls fn for each box of the file in [start, end) until fn says
// stop. A box that overruns end is malformed.
func (s *source) boxes(start, end int64, fn func(b box) (stop bool)) error {
	pos := start
	for range maxBoxes {
		if end-pos < 8 {
			return nil
		}
		h, err := s.at(pos, 8)
		if err != nil {
			return err
		}
		size, hdr := int64(be32(h)), int64(8)
		switch size {
		case 1:
			x, err := s.at(pos+8, 8)
			if err != nil {
				return err
			}
			if be64(x) > math.MaxInt64 {
				return errMalformed
			}
			size, hdr = int64(be64(x)), 16
		case 0:
			size = end - pos
		}
		if size < hdr || size > end-pos {
			return errMalformed
		}
		if fn(box{typ: string(h[4:8]), off: pos + hdr, size: size - hdr}) {
			return nil
		}
		pos += size
	}
	return nil
}

// find is the first box of type typ in [start, end), if any.
func (s *source) find(start, end int64, typ string) (box, bool, error) {
	var found box
	ok := false
	err := s.boxes(start, end, func(b box) bool {
		if b.typ == typ {
			found, ok = b, true
		}
		return ok
	})
	return found, ok, err
}

// payload reads a box's payload whole (at most maxRead).
func (s *source) payload(b box) ([]byte, error) {
	return s.at(b.off, b.size)
}

// children calls fn for each box in b (a payload in memory) until fn says
// stop; it stops quietly at the first box that overruns b.
func children(b []byte, fn func(typ string, payload []byte) (stop bool)) {
	for range maxBoxes {
		if len(b) < 8 {
			return
		}
		size, hdr := uint64(be32(b)), uint64(8)
		switch size {
		case 1:
			if len(b) < 16 {
				return
			}
			size, hdr = be64(b[8:]), 16
		case 0:
			size = uint64(len(b))
		}
		if size < hdr || size > uint64(len(b)) {
			return
		}
		if fn(string(b[4:8]), b[hdr:size]) {
			return
		}
		b = b[size:]
	}
}

// child is the payload of the first box of type typ in b.
func child(b []byte, typ string) ([]byte, bool) {
	var found []byte
	ok := false
	children(b, func(t string, p []byte) bool {
		if t == typ {
			found, ok = p, true
		}
		return ok
	})
	return found, ok
}

// reader reads big-endian fields of a payload in order, remembering a
// read past its end (after which every read yields 0).
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) n(size int) uint64 {
	if r.bad || size < 0 || size > len(r.b) {
		r.bad = true
		return 0
	}
	var v uint64
	for _, c := range r.b[:size] {
		v = v<<8 | uint64(c)
	}
	r.b = r.b[size:]
	return v
}

// readHEIF finds the Exif item of a HEIF/HEIC file: its ID in the item
// information box (iinf), its bytes where the item location box (iloc)
// puts them (in the file, or in the meta box's idat), all in the
// top-level meta box.
func readHEIF(s *source, loc *time.Location) (Meta, error) {
	meta, ok, err := s.find(0, s.size, "meta")
	if !ok || err != nil || meta.size < 4 {
		return Meta{}, err
	}
	start, end := meta.off+4, meta.off+meta.size // a full box: version and flags first
	var iinf, iloc, idat box
	err = s.boxes(start, end, func(b box) bool {
		switch b.typ {
		case "iinf":
			iinf = b
		case "iloc":
			iloc = b
		case "idat":
			idat = b
		}
		return false
	})
	if err != nil || iinf.typ == "" || iloc.typ == "" {
		return Meta{}, err
	}
	p, err := s.payload(iinf)
	if err != nil {
		return Meta{}, err
	}
	id, ok := exifItem(p)
	if !ok {
		return Meta{}, nil
	}
	if p, err = s.payload(iloc); err != nil {
		return Meta{}, err
	}
	exts, method, ok := itemExtents(p, id)
	if !ok {
		return Meta{}, nil
	}
	var data []byte
	for _, e := range exts {
		off, n := e[0], e[1]
		switch method {
		case 0: // in the file
			if n == 0 {
				n = s.size - off // to the end of the file
			}
		case 1: // in the meta box's idat
			if idat.typ == "" || off > idat.size || n == 0 {
				return Meta{}, nil
			}
			off += idat.off
		default:
			return Meta{}, nil
		}
		if n < 0 || int64(len(data))+n > maxRead {
			return Meta{}, nil
		}
		b, err := s.at(off, n)
		if err != nil {
			return Meta{}, err
		}
		data = append(data, b...)
	}
	return parseExifItem(data, loc), nil
}

// exifItem is the ID of the item of type "Exif" in an iinf payload.
func exifItem(p []byte) (uint32, bool) {
	if len(p) < 6 {
		return 0, false
	}
	body := p[6:] // version 0: a 16-bit count
	if p[0] != 0 {
		if len(p) < 8 {
			return 0, false
		}
		body = p[8:] // a 32-bit count
	}
	var id uint32
	found := false
	children(body, func(t string, e []byte) bool {
		if t != "infe" || len(e) < 4 {
			return false
		}
		r := &reader{b: e}
		version := r.n(1)
		r.n(3) // flags
		var itemID uint64
		switch version {
		case 2:
			itemID = r.n(2)
		case 3:
			itemID = r.n(4)
		default:
			return false // old item entries carry no type
		}
		r.n(2) // protection index
		typ := r.n(4)
		if !r.bad && typ == uint64(be32([]byte("Exif"))) {
			id, found = uint32(itemID), true
		}
		return found
	})
	return id, found
}

// maxExtents bounds the extents read of an iloc box.
const maxExtents = 4096

// itemExtents reads an iloc payload for item id: its extents (offset,
// length) and construction method (0: file offsets; 1: idat offsets).
func itemExtents(p []byte, id uint32) (exts [][2]int64, method uint64, ok bool) {
	r := &reader{b: p}
	version := r.n(1)
	r.n(3)
	sizes := r.n(2)
	offSize, lenSize, baseSize := int(sizes>>12&0xF), int(sizes>>8&0xF), int(sizes>>4&0xF)
	idxSize := 0
	if version == 1 || version == 2 {
		idxSize = int(sizes & 0xF)
	}
	for _, n := range []int{offSize, lenSize, baseSize, idxSize} {
		if n != 0 && n != 4 && n != 8 {
			return nil, 0, false
		}
	}
	if version > 2 {
		return nil, 0, false
	}
	var count uint64
	if version < 2 {
		count = r.n(2)
	} else {
		count = r.n(4)
	}
	total := 0
	for i := uint64(0); i < count && !r.bad; i++ {
		var itemID uint64
		if version < 2 {
			itemID = r.n(2)
		} else {
			itemID = r.n(4)
		}
		var m uint64
		if version == 1 || version == 2 {
			m = r.n(2) & 0xF
		}
		r.n(2) // data reference index
		base := r.n(baseSize)
		n := int(r.n(2))
		if total += n; total > maxExtents {
			return nil, 0, false
		}
		var these [][2]int64
		for range n {
			r.n(idxSize)
			off, length := r.n(offSize), r.n(lenSize)
			if base > math.MaxInt32*1024 || off > math.MaxInt32*1024 || length > maxRead {
				return nil, 0, false // beyond any file this package reads
			}
			these = append(these, [2]int64{int64(base + off), int64(length)})
		}
		if r.bad {
			return nil, 0, false
		}
		if uint32(itemID) == id && itemID <= math.MaxUint32 {
			return these, m, len(these) > 0
		}
	}
	return nil, 0, false
}

// parseExifItem reads an Exif item's bytes: a 32-bit offset to the TIFF
// header (past the "Exif\0\0" that usually comes first), then the block.
func parseExifItem(data []byte, loc *time.Location) Meta {
	if len(data) < 4 {
		return Meta{}
	}
	if off := int64(be32(data)); off < int64(len(data))-4 {
		if b := data[4+off:]; bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*")) {
			return parseExif(b, loc)
		}
	}
	// A writer that got the offset wrong: look for the header near the start.
	head := data[:min(len(data), 64)]
	if i := bytes.Index(head, []byte("Exif\x00\x00")); i >= 0 {
		return parseExif(data[i+6:], loc)
	}
	return Meta{}
}

// quickTimeEpoch is the origin of the movie header's times.
var quickTimeEpoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

// readMovie reads an MP4, MOV or M4A file's moov box: when it was made
// (the iPhone's com.apple.quicktime.creationdate, else the movie header's
// creation time) and where (com.apple.quicktime.location.ISO6709, else the
// ©xyz user data that Android phones write).
func readMovie(s *source) (Meta, error) {
	moov, ok, err := s.find(0, s.size, "moov")
	if !ok || err != nil {
		return Meta{}, err
	}
	var m Meta
	var keyed map[string][]byte
	var readErr error
	err = s.boxes(moov.off, moov.off+moov.size, func(b box) bool {
		var p []byte
		switch b.typ {
		case "mvhd", "udta", "meta":
			if p, readErr = s.payload(b); readErr != nil {
				return true
			}
		default:
			return false
		}
		switch b.typ {
		case "mvhd":
			if m.TakenAt.IsZero() {
				m.TakenAt = movieTime(p)
			}
		case "udta":
			if m.Place == nil {
				m.Place = userDataPlace(p)
			}
		case "meta":
			keyed = keyedMeta(p)
		}
		return false
	})
	if err == nil {
		err = readErr
	}
	if err != nil && !errors.Is(err, errMalformed) {
		return m, err
	}
	if v, ok := keyed["com.apple.quicktime.creationdate"]; ok {
		for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
			if t, err := time.Parse(layout, string(v)); err == nil {
				m.TakenAt = t
				break
			}
		}
	}
	if v, ok := keyed["com.apple.quicktime.location.ISO6709"]; ok {
		if p, ok := ParseISO6709(string(v)); ok {
			m.Place = p
		}
	}
	return m, nil
}

// movieTime is the creation time in an mvhd payload (UTC), zero if unset.
func movieTime(p []byte) time.Time {
	r := &reader{b: p}
	version := r.n(1)
	r.n(3)
	var secs uint64
	switch version {
	case 0:
		secs = r.n(4)
	case 1:
		secs = r.n(8)
	default:
		return time.Time{}
	}
	if r.bad || secs == 0 || secs > 1<<40 {
		return time.Time{}
	}
	return quickTimeEpoch.Add(time.Duration(secs) * time.Second)
}

// userDataPlace is the position of a udta payload: a QuickTime ©xyz text
// item (16-bit length, 16-bit language, text), or an iTunes-style
// meta/ilst/©xyz/data inside it.
func userDataPlace(p []byte) *Place {
	if b, ok := child(p, "\xa9xyz"); ok {
		r := &reader{b: b}
		n := int(r.n(2))
		r.n(2)
		if !r.bad && n <= len(r.b) {
			if pl, ok := ParseISO6709(string(r.b[:n])); ok {
				return pl
			}
		}
	}
	if meta, ok := child(p, "meta"); ok && len(meta) >= 4 {
		if ilst, ok := child(fullBoxBody(meta), "ilst"); ok {
			if item, ok := child(ilst, "\xa9xyz"); ok {
				if v, ok := dataValue(item); ok {
					if pl, ok := ParseISO6709(string(v)); ok {
						return pl
					}
				}
			}
		}
	}
	return nil
}

// fullBoxBody skips a meta payload's version and flags: ISO files write
// them, QuickTime files do not (their meta starts with a box, hdlr).
func fullBoxBody(meta []byte) []byte {
	if len(meta) >= 12 && string(meta[4:8]) == "hdlr" && be32(meta) >= 8 {
		return meta // QuickTime: no version and flags
	}
	if len(meta) < 4 {
		return nil
	}
	return meta[4:]
}

// keyedMeta reads a QuickTime metadata box (keys, and ilst whose items are
// typed by their key's 1-based index) into its text values by key.
func keyedMeta(meta []byte) map[string][]byte {
	body := fullBoxBody(meta)
	keys, ok1 := child(body, "keys")
	ilst, ok2 := child(body, "ilst")
	if !ok1 || !ok2 || len(keys) < 8 {
		return nil
	}
	r := &reader{b: keys[4:]} // version and flags
	count := r.n(4)
	var names []string
	for i := uint64(0); i < count && i < maxBoxes && !r.bad; i++ {
		size := int(r.n(4))
		r.n(4) // namespace, "mdta"
		if size < 8 || size-8 > len(r.b) {
			break
		}
		names = append(names, string(r.b[:size-8]))
		r.b = r.b[size-8:]
	}
	out := map[string][]byte{}
	children(ilst, func(t string, item []byte) bool {
		i := int(be32([]byte(t)))
		if i < 1 || i > len(names) {
			return false
		}
		if v, ok := dataValue(item); ok {
			out[names[i-1]] = v
		}
		return false
	})
	return out
}

// dataValue is the value of an item's data box when it is text (type 1,
// UTF-8).
func dataValue(item []byte) ([]byte, bool) {
	d, ok := child(item, "data")
	if !ok || len(d) < 8 || be32(d) != 1 {
		return nil, false
	}
	return d[8:], true
}
