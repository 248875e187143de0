// Package media tells what a file from a phone is and what it says about
// itself: its type from its first bytes (magic numbers, never the name), and
// when and where a photo or video was taken (the EXIF of a JPEG or HEIC
// photo; the movie header, QuickTime metadata and ©xyz location of an MP4
// or MOV video).
//
// The bytes come from users, so every length and offset read from a file is
// checked before it is used, and no more than a few megabytes of a file are
// read whatever it declares: a malformed file yields no metadata, never a
// panic or a long loop. The package does no I/O of its own beyond the
// io.ReaderAt it is given.
package media

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
)

// Content types this package tells apart beyond http.DetectContentType.
const (
	JPEG      = "image/jpeg"
	PNG       = "image/png"
	HEIC      = "image/heic"
	HEIF      = "image/heif"
	MP4       = "video/mp4"
	QuickTime = "video/quicktime"
	ThreeGPP  = "video/3gpp"
	M4A       = "audio/mp4"
	AMR       = "audio/amr"
	AMRWB     = "audio/amr-wb"
	PDF       = "application/pdf"
	TIFF      = "image/tiff"
)

// SniffLen is how many of a file's first bytes Sniff wants.
const SniffLen = 512

// Sniff tells a file's content type from its first bytes (up to SniffLen).
// The ISO base media formats phones write (HEIC photos, MP4 and MOV videos,
// M4A recordings) are told by their ftyp brands, AMR recordings by their
// magic line; anything else is as http.DetectContentType says (without
// parameters), "application/octet-stream" when unknown.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")):
		return TIFF
	case bytes.HasPrefix(head, []byte("#!AMR-WB\n")):
		return AMRWB
	case bytes.HasPrefix(head, []byte("#!AMR\n")):
		return AMR
	}
	if t := sniffFtyp(head); t != "" {
		return t
	}
	t := http.DetectContentType(head)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t
}

// brands maps an ftyp brand to the content type it marks, strongest first
// in brandOrder: a file whose major brand is the general "mif1" but which
// lists "heic" is a HEIC photo.
var brands = map[string]string{
	"heic": HEIC, "heix": HEIC, "heim": HEIC, "heis": HEIC, "hevc": HEIC, "hevx": HEIC,
	"mif1": HEIF, "msf1": HEIF, "mif2": HEIF,
	"qt  ": QuickTime,
	"M4A ": M4A, "M4B ": M4A, "M4P ": M4A, "F4A ": M4A,
	"3gp4": ThreeGPP, "3gp5": ThreeGPP, "3gp6": ThreeGPP, "3gp7": ThreeGPP, "3gp8": ThreeGPP, "3gp9": ThreeGPP,
	"3g2a": ThreeGPP, "3g2b": ThreeGPP, "3g2c": ThreeGPP, "3ge6": ThreeGPP, "3ge7": ThreeGPP, "3gg6": ThreeGPP,
	"isom": MP4, "iso2": MP4, "iso3": MP4, "iso4": MP4, "iso5": MP4, "iso6": MP4, "mp41": MP4, "mp42": MP4,
	"avc1": MP4, "mmp4": MP4, "MSNV": MP4, "M4V ": MP4, "M4VH": MP4, "M4VP": MP4, "dash": MP4, "XAVC": MP4,
	"f4v ": MP4, "kddi": MP4, "NDAS": MP4, "NDSC": MP4, "NDSH": MP4, "NDSM": MP4, "NDSP": MP4, "NDSS": MP4,
}

// brandOrder ranks the types when the major brand is not itself telling.
var brandOrder = []string{HEIC, HEIF, QuickTime, M4A, ThreeGPP, MP4}

// sniffFtyp reads an ISO base media file's ftyp box: the major brand, then
// the compatible brands. "" if head is not one.
func sniffFtyp(head []byte) string {
	if len(head) < 12 || string(head[4:8]) != "ftyp" {
		return ""
	}
	size := int(be32(head))
	if size < 16 || size > 4096 {
		size = len(head) // the box's size is not believable: read what there is
	}
	size = min(size, len(head))
	major := head[8:12]
	switch t := brands[string(major)]; t {
	case HEIC, QuickTime, M4A, ThreeGPP:
		return t
	}
	seen := map[string]bool{}
	if t := brands[string(major)]; t != "" {
		seen[t] = true
	}
	for i := 16; i+4 <= size; i += 4 {
		if t := brands[string(head[i:i+4])]; t != "" {
			seen[t] = true
		}
	}
	for _, t := range brandOrder {
		if seen[t] {
			return t
		}
	}
	return ""
}

// Meta is what a file says of when and where it was taken.
type Meta struct {
	// TakenAt is when the photo or video was taken; zero if the file does
	// not say. A photo's EXIF time without its offset is read in the
	// location given to Read.
	TakenAt time.Time
	// Place is where, nil if the file does not say.
	Place *Place
}

// Place is a position in WGS 84 decimal degrees (north and east positive).
type Place struct {
	Lat, Lon float64
	Alt      *float64 // metres above sea level, if known
}

// valid reports whether p is a position on Earth and not the 0/0 that
// phones without a fix sometimes write.
func (p *Place) valid() bool {
	ok := p != nil && !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) && math.Abs(p.Lat) <= 90 && math.Abs(p.Lon) <= 180 &&
		(p.Lat != 0 || p.Lon != 0)
	if ok && p.Alt != nil && (math.IsNaN(*p.Alt) || *p.Alt < -11000 || *p.Alt > 100000) {
		p.Alt = nil // a position with a nonsense altitude keeps its position
	}
	return ok
}

// plausible bounds the times a file may claim: a camera's clock never set
// says 1904 or 1970.
func plausible(t time.Time) bool {
	return t.Year() >= 1990 && t.Year() < 2200
}

// Read reads what the file says about itself. size is the file's length;
// contentType is what Sniff said of it; loc is the time zone of an EXIF
// time that does not give its offset. A file whose metadata is missing or
// malformed yields an empty Meta; only a failure of r is an error.
func Read(r io.ReaderAt, size int64, contentType string, loc *time.Location) (Meta, error) {
	s := &source{r: r, size: size}
	var m Meta
	var err error
	switch contentType {
	case JPEG:
		m, err = readJPEG(s, loc)
	case HEIC, HEIF:
		m, err = readHEIF(s, loc)
	case MP4, QuickTime, ThreeGPP, M4A:
		m, err = readMovie(s)
	default:
		return Meta{}, nil
	}
	if errors.Is(err, errMalformed) {
		err = nil // keep what was read before the damage
	}
	if !m.TakenAt.IsZero() && !plausible(m.TakenAt) {
		m.TakenAt = time.Time{}
	}
	if !m.Place.valid() {
		m.Place = nil
	}
	return m, err
}

// errMalformed stops the reading of a file that is not as its format says.
var errMalformed = errors.New("media: malformed file")

// maxRead is the most Read takes of a file in one piece (an EXIF block, a
// box of metadata).
const maxRead = 1 << 20

// source reads a file of known size, refusing anything outside it.
type source struct {
	r    io.ReaderAt
	size int64
	read int64 // bytes read so far, bounded by maxTotal
}

// maxTotal bounds what Read takes of one file altogether.
const maxTotal = 8 << 20

// at returns the n bytes at off; errMalformed if they are not all in the
// file or more than maxRead.
func (s *source) at(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || n > maxRead || off > s.size || n > s.size-off {
		return nil, errMalformed
	}
	if s.read += n; s.read > maxTotal {
		return nil, errMalformed
	}
	b := make([]byte, n)
	k, err := s.r.ReadAt(b, off)
	if k == int(n) {
		return b, nil
	}
	if err == nil || err == io.EOF {
		return nil, errMalformed // shorter than its size said
	}
	return nil, err
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
func be64(b []byte) uint64 { return uint64(be32(b))<<32 | uint64(be32(b[4:])) }
