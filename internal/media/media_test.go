package media

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func read(t testing.TB, b []byte) Meta {
	t.Helper()
	m, err := Read(bytes.NewReader(b), int64(len(b)), Sniff(b[:min(len(b), SniffLen)]), cst)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func near(a, b, eps float64) bool { return math.Abs(a-b) < eps }

// Each real file is told by its bytes, as are the heads phones write.
func TestSniff(t *testing.T) {
	for name, want := range map[string]string{
		"iphone15pro.heic": HEIC, "samsung-note5.jpg": JPEG, "sample.mp4": MP4, "sample.mov": QuickTime,
		"sample.m4a": M4A, "sample.amr": AMR,
	} {
		if got := Sniff(sample(t, name)[:SniffLen]); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	ftyp := func(major string, compat ...string) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(16+4*len(compat)))
		b = append(b, "ftyp"+major+"\x00\x00\x00\x00"...)
		for _, c := range compat {
			b = append(b, c...)
		}
		return append(b, 0, 0, 0, 8, 'f', 'r', 'e', 'e')
	}
	for _, tc := range []struct {
		head []byte
		want string
	}{
		{ftyp("heic", "mif1", "heic"), HEIC},
		{ftyp("heix", "mif1"), HEIC},
		{ftyp("mif1", "mif1", "heic"), HEIC}, // the general brand first, HEVC listed (Apple's older files)
		{ftyp("mif1", "mif1"), HEIF},
		{ftyp("msf1", "msf1", "hevc"), HEIC},
		{ftyp("qt  ", "qt  "), QuickTime},
		{ftyp("isom", "isom", "iso2", "avc1", "mp41"), MP4}, // Android's camera
		{ftyp("mp42", "isom", "mp42"), MP4},
		{ftyp("M4A ", "M4A ", "mp42", "isom"), M4A},
		{ftyp("3gp4", "isom", "3gp4"), ThreeGPP},
		{ftyp("avif", "avif", "mif1"), HEIF},
		{ftyp("zzzz"), "application/octet-stream"},
		{[]byte("#!AMR\n\x3c\x91"), AMR},
		{[]byte("#!AMR-WB\n\x04"), AMRWB},
		{[]byte("%PDF-1.7\n"), PDF},
		{[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), PNG},
		{[]byte("\xff\xd8\xff\xe1\x00\x10Exif"), JPEG},
		{[]byte("MZ\x90\x00\x03\x00\x00\x00"), "application/octet-stream"},
		{[]byte("\x00\x00\x00\x08ftyp"), "application/octet-stream"},
		{nil, "text/plain"},
	} {
		if got := Sniff(tc.head); got != tc.want {
			t.Errorf("Sniff(%q) = %s, want %s", tc.head, got, tc.want)
		}
	}
}

// The iPhone's HEIC photo: its Exif item, found through iinf and iloc in
// the mdat box, gives the time with its offset and the GPS position.
func TestReadHEIC(t *testing.T) {
	m := read(t, sample(t, "iphone15pro.heic"))
	want := time.Date(2026, 2, 19, 14, 22, 37, 0, time.FixedZone("", -8*3600))
	if !m.TakenAt.Equal(want) || m.TakenAt.In(cst).Format(time.DateTime) != "2026-02-20 06:22:37" {
		t.Errorf("taken at %v, want %v", m.TakenAt, want)
	}
	if m.Place == nil || !near(m.Place.Lat, 37+56/60.0+10.80/3600, 1e-6) || !near(m.Place.Lon, -(122+21/60.0+55.04/3600), 1e-6) {
		t.Fatalf("place %+v, want 37.93633 N 122.36529 W", m.Place)
	}
	if m.Place.Alt == nil || !near(*m.Place.Alt, 13.2088, 1e-3) {
		t.Errorf("altitude %v, want 13.21 m", m.Place.Alt)
	}
}

// The Samsung's JPEG photo: EXIF in APP1, a time without an offset (read
// in the zone given), a position in the western hemisphere.
func TestReadJPEG(t *testing.T) {
	m := read(t, sample(t, "samsung-note5.jpg"))
	if want := time.Date(2018, 4, 28, 21, 23, 12, 0, cst); !m.TakenAt.Equal(want) {
		t.Errorf("taken at %v, want %v", m.TakenAt, want)
	}
	if m.Place == nil || !near(m.Place.Lat, 26+35/60.0+12/3600.0, 1e-6) || !near(m.Place.Lon, -(80+3/60.0+13/3600.0), 1e-6) {
		t.Fatalf("place %+v, want 26.58667 N 80.05361 W", m.Place)
	}
	if m.Place.Alt == nil || *m.Place.Alt != 0 || math.Signbit(*m.Place.Alt) {
		t.Errorf("altitude %v, want 0 m", m.Place.Alt)
	}
}

// A video's creation time is its movie header's (seconds since 1904, UTC);
// files that say nothing yield nothing.
func TestReadMovie(t *testing.T) {
	m := read(t, sample(t, "sample.mp4"))
	if want := time.Date(2010, 3, 20, 21, 29, 11, 0, time.UTC); !m.TakenAt.Equal(want) || m.Place != nil {
		t.Errorf("mp4: %+v, want %v and no place", m, want)
	}
	for _, name := range []string{"sample.mov", "sample.m4a", "sample.amr"} {
		if m := read(t, sample(t, name)); !m.TakenAt.IsZero() || m.Place != nil {
			t.Errorf("%s: %+v, want nothing (its header's time is 0)", name, m)
		}
	}
}

// mkbox is a box of type typ around the payloads.
func mkbox(typ string, payloads ...[]byte) []byte {
	n := 8
	for _, p := range payloads {
		n += len(p)
	}
	b := binary.BigEndian.AppendUint32(nil, uint32(n))
	b = append(b, typ...)
	for _, p := range payloads {
		b = append(b, p...)
	}
	return b
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// mvhd is a version 0 movie header made at t.
func mvhd(t time.Time) []byte {
	secs := uint32(t.Sub(quickTimeEpoch) / time.Second)
	return mkbox("mvhd", []byte{0, 0, 0, 0}, u32(secs), u32(secs), u32(1000), u32(0), make([]byte, 80))
}

// androidMovie is an MP4 as Android's camera writes it: the location as
// ©xyz text in udta, the time in the movie header; the media data first.
func androidMovie(at time.Time, xyz string) []byte {
	text := append(append(u16(uint16(len(xyz))), 0x15, 0xc7), xyz...)
	return bytes.Join([][]byte{
		mkbox("ftyp", []byte("isom"), u32(0), []byte("isomiso2avc1mp41")),
		mkbox("mdat", bytes.Repeat([]byte{0x55}, 4096)),
		mkbox("moov", mvhd(at), mkbox("udta", mkbox("\xa9xyz", text))),
	}, nil)
}

// iPhoneMovie is a MOV as iPhones write it: QuickTime metadata (keys and
// ilst, the meta box without version and flags) with the local creation
// date and the ISO 6709 location.
func iPhoneMovie(header time.Time, created, location string) []byte {
	key := func(k string) []byte { return append(append(u32(uint32(8+len(k))), "mdta"...), k...) }
	data := func(v string) []byte { return mkbox("data", u32(1), u32(0), []byte(v)) }
	meta := mkbox("meta",
		mkbox("hdlr", make([]byte, 8), []byte("mdta"), make([]byte, 13)),
		mkbox("keys", u32(0), u32(3), key("com.apple.quicktime.make"), key("com.apple.quicktime.location.ISO6709"),
			key("com.apple.quicktime.creationdate")),
		mkbox("ilst", mkbox(string(u32(1)), data("Apple")), mkbox(string(u32(2)), data(location)), mkbox(string(u32(3)), data(created))))
	return bytes.Join([][]byte{
		mkbox("ftyp", []byte("qt  "), u32(0), []byte("qt  ")),
		mkbox("wide"),
		mkbox("mdat", bytes.Repeat([]byte{0xAA}, 2048)),
		mkbox("moov", mvhd(header), meta),
	}, nil)
}

func TestReadMovieLocation(t *testing.T) {
	at := time.Date(2025, 8, 25, 2, 11, 12, 0, time.UTC)
	m := read(t, androidMovie(at, "+32.5201+108.5375/"))
	if !m.TakenAt.Equal(at) || m.Place == nil || m.Place.Lat != 32.5201 || m.Place.Lon != 108.5375 || m.Place.Alt != nil {
		t.Errorf("android: %+v %+v", m, m.Place)
	}
	m = read(t, iPhoneMovie(at.Add(time.Minute), "2025-08-25T10:11:12+0800", "+32.5201+108.5375+573.764/"))
	if !m.TakenAt.Equal(at) || m.TakenAt.Format("-0700") != "+0800" {
		t.Errorf("iPhone: taken at %v, want %v in +08:00 (the creation date, not the header)", m.TakenAt, at)
	}
	if m.Place == nil || m.Place.Lat != 32.5201 || m.Place.Lon != 108.5375 || m.Place.Alt == nil || *m.Place.Alt != 573.764 {
		t.Errorf("iPhone: place %+v", m.Place)
	}
	// Without the metadata box the header's time stands.
	m = read(t, iPhoneMovie(at, "", "bad"))
	if !m.TakenAt.Equal(at) || m.Place != nil {
		t.Errorf("iPhone without its keys' values: %+v", m)
	}
	// A header never set (1904) says nothing.
	if m := read(t, androidMovie(quickTimeEpoch, "+00.0000+000.0000/")); !m.TakenAt.IsZero() || m.Place != nil {
		t.Errorf("unset header and 0/0 position: %+v", m)
	}
}

// tiffEntry is a TIFF IFD entry to write: its value's bytes (big-endian).
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

// mkTIFF writes a big-endian EXIF block of IFD0 pointing at an Exif IFD
// and a GPS IFD with the entries given.
func mkTIFF(exif, gps []tiffEntry) []byte {
	ifdSize := func(es []tiffEntry) int {
		n := 2 + 12*len(es) + 4
		for _, e := range es {
			if len(e.val) > 4 {
				n += len(e.val)
			}
		}
		return n
	}
	ifd0 := 8
	exifAt := ifd0 + 2 + 2*12 + 4
	gpsAt := exifAt + ifdSize(exif)
	b := []byte("MM\x00*")
	b = append(b, u32(uint32(ifd0))...)
	b = append(b, u16(2)...)
	b = append(b, u16(tagExifIFD)...)
	b = append(b, u16(4)...)
	b = append(b, u32(1)...)
	b = append(b, u32(uint32(exifAt))...)
	b = append(b, u16(tagGPSIFD)...)
	b = append(b, u16(4)...)
	b = append(b, u32(1)...)
	b = append(b, u32(uint32(gpsAt))...)
	b = append(b, u32(0)...)
	for _, es := range [][]tiffEntry{exif, gps} {
		start := len(b)
		extra := start + 2 + 12*len(es) + 4
		var tail []byte
		b = append(b, u16(uint16(len(es)))...)
		for _, e := range es {
			b = append(b, u16(e.tag)...)
			b = append(b, u16(e.typ)...)
			b = append(b, u32(e.count)...)
			if len(e.val) <= 4 {
				v := make([]byte, 4)
				copy(v, e.val)
				b = append(b, v...)
			} else {
				b = append(b, u32(uint32(extra+len(tail)))...)
				tail = append(tail, e.val...)
			}
		}
		b = append(b, u32(0)...)
		b = append(b, tail...)
	}
	return b
}

func rationals(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = append(b, u32(x)...)
	}
	return b
}

// exifOf is an EXIF block with a time, an offset and a position.
func exifOf(when, offset string, lat, lon []byte, latRef, lonRef string) []byte {
	exif := []tiffEntry{{tagDateTimeOriginal, 2, uint32(len(when) + 1), append([]byte(when), 0)}}
	if offset != "" {
		exif = append(exif, tiffEntry{tagOffsetTimeOriginal, 2, uint32(len(offset) + 1), append([]byte(offset), 0)})
	}
	gps := []tiffEntry{
		{tagGPSLatitudeRef, 2, 2, []byte(latRef + "\x00")}, {tagGPSLatitude, 5, 3, lat},
		{tagGPSLongitudeRef, 2, 2, []byte(lonRef + "\x00")}, {tagGPSLongitude, 5, 3, lon},
		{tagGPSAltitudeRef, 1, 1, []byte{0}}, {tagGPSAltitude, 5, 1, rationals(5737, 10)},
	}
	return mkTIFF(exif, gps)
}

// ziyangExif is a photo taken in Ziyang County, China time.
func ziyangExif() []byte {
	return exifOf("2025:08:25 10:11:12", "+08:00", rationals(32, 1, 31, 1, 1236, 100), rationals(108, 1, 32, 1, 1500, 100), "N", "E")
}

// heicWith is a HEIC photo whose Exif item (4-byte offset, "Exif\0\0",
// the block) lies in the meta box's idat (construction method 1).
func heicWith(exif []byte) []byte {
	item := append(append(u32(6), "Exif\x00\x00"...), exif...)
	infe := mkbox("infe", []byte{2, 0, 0, 0}, u16(1), u16(0), []byte("hvc1"), []byte{0})
	infeExif := mkbox("infe", []byte{2, 0, 0, 0}, u16(2), u16(0), []byte("Exif"), []byte{0})
	iloc := mkbox("iloc", []byte{1, 0, 0, 0}, []byte{0x44, 0x00}, u16(1),
		u16(2), u16(1), u16(0), u16(1), u32(0), u32(uint32(len(item))))
	meta := mkbox("meta", []byte{0, 0, 0, 0},
		mkbox("hdlr", make([]byte, 8), []byte("pict"), make([]byte, 13)),
		mkbox("pitm", []byte{0, 0, 0, 0}, u16(1)),
		mkbox("iinf", []byte{0, 0, 0, 0}, u16(2), infe, infeExif),
		iloc,
		mkbox("idat", item))
	return bytes.Join([][]byte{mkbox("ftyp", []byte("heic"), u32(0), []byte("mif1heic")), meta, mkbox("mdat", make([]byte, 64))}, nil)
}

// A HEIC whose Exif item is in idat, and a JPEG with the same block.
func TestReadBuiltPhotos(t *testing.T) {
	want := time.Date(2025, 8, 25, 10, 11, 12, 0, cst)
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0}, 0xFF, 0xE1)
	app1 := append([]byte("Exif\x00\x00"), ziyangExif()...)
	jpeg = append(append(append(jpeg, u16(uint16(len(app1)+2))...), app1...), 0xFF, 0xDA, 0, 2, 0xFF, 0xD9)
	for name, b := range map[string][]byte{"heic": heicWith(ziyangExif()), "jpeg": jpeg} {
		m := read(t, b)
		if !m.TakenAt.Equal(want) {
			t.Errorf("%s: taken at %v, want %v", name, m.TakenAt, want)
		}
		if m.Place == nil || !near(m.Place.Lat, 32.52010, 1e-5) || !near(m.Place.Lon, 108.53750, 1e-5) || m.Place.Alt == nil || *m.Place.Alt != 573.7 {
			t.Errorf("%s: place %+v", name, m.Place)
		}
	}
	// Southern and western hemispheres; an offset west of Greenwich.
	m := read(t, heicWith(exifOf("2025:01:02 03:04:05", "-05:00", rationals(10, 1, 0, 1, 0, 1), rationals(20, 1, 30, 1, 0, 1), "S", "W")))
	if !m.TakenAt.Equal(time.Date(2025, 1, 2, 8, 4, 5, 0, time.UTC)) || m.Place == nil || m.Place.Lat != -10 || m.Place.Lon != -20.5 {
		t.Errorf("south west: %v %+v", m.TakenAt, m.Place)
	}
	// Broken values are left out, not guessed: a zero divisor, a reference
	// that is no hemisphere, a date that is no date, a latitude over 90.
	for name, exif := range map[string][]byte{
		"zero divisor": exifOf("2025:08:25 10:11:12", "", rationals(32, 0, 31, 1, 0, 1), rationals(108, 1, 32, 1, 0, 1), "N", "E"),
		"bad ref":      exifOf("2025:08:25 10:11:12", "", rationals(32, 1, 31, 1, 0, 1), rationals(108, 1, 32, 1, 0, 1), "X", "E"),
		"over 90":      exifOf("2025:08:25 10:11:12", "", rationals(91, 1, 0, 1, 0, 1), rationals(108, 1, 0, 1, 0, 1), "N", "E"),
	} {
		if m := read(t, heicWith(exif)); m.Place != nil || !m.TakenAt.Equal(time.Date(2025, 8, 25, 10, 11, 12, 0, cst)) {
			t.Errorf("%s: %+v %+v", name, m, m.Place)
		}
	}
	if m := read(t, heicWith(exifOf("    :  :     :  :  ", "+08:00", rationals(32, 1, 0, 1, 0, 1), rationals(108, 1, 0, 1, 0, 1), "N", "E"))); !m.TakenAt.IsZero() || m.Place == nil {
		t.Errorf("blank date: %+v", m)
	}
}

func TestParseISO6709(t *testing.T) {
	for _, tc := range []struct {
		in       string
		lat, lon float64
		alt      float64 // NaN: none
		ok       bool
	}{
		{"+32.5201+108.5375/", 32.5201, 108.5375, math.NaN(), true},
		{"+37.9363-122.3653+013.200/", 37.9363, -122.3653, 13.2, true},
		{"-33.8688+151.2093CRSWGS_84/", -33.8688, 151.2093, math.NaN(), true},
		{"+3231.206+10832.250/", 32 + 31.206/60, 108 + 32.25/60, math.NaN(), true}, // degrees and minutes
		{"+323112.36+1083215.0/", 32 + 31/60.0 + 12.36/3600, 108 + 32/60.0 + 15/3600.0, math.NaN(), true},
		{"+91.0000+108.0000/", 0, 0, 0, false},
		{"+32.5+181.0/", 0, 0, 0, false},
		{"+00.0000+000.0000/", 0, 0, 0, false},
		{"32.5201,108.5375", 0, 0, 0, false},
		{"+32.5201/", 0, 0, 0, false},
		{"+1.2.3+4/", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		p, ok := ParseISO6709(tc.in)
		if ok != tc.ok {
			t.Errorf("%q: ok %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if !near(p.Lat, tc.lat, 1e-9) || !near(p.Lon, tc.lon, 1e-9) || (p.Alt == nil) != math.IsNaN(tc.alt) || p.Alt != nil && *p.Alt != tc.alt {
			t.Errorf("%q: %+v (alt %v), want %v %v %v", tc.in, p, p.Alt, tc.lat, tc.lon, tc.alt)
		}
	}
}

// A file cut anywhere, or with any byte changed, yields what it still
// says or nothing: never a panic, an error or a position off the Earth.
func TestReadDamagedFiles(t *testing.T) {
	files := map[string][]byte{
		"heic":    heicWith(ziyangExif()),
		"android": androidMovie(time.Date(2025, 8, 25, 2, 11, 12, 0, time.UTC), "+32.5201+108.5375/"),
		"iphone":  iPhoneMovie(time.Date(2025, 8, 25, 2, 11, 12, 0, time.UTC), "2025-08-25T10:11:12+0800", "+32.5201+108.5375+573.764/"),
		"jpeg":    sample(t, "samsung-note5.jpg")[:4096],
	}
	for name, b := range files {
		for cut := 0; cut < len(b); cut += max(1, len(b)/300) {
			check(t, b[:cut])
		}
		for i := range b {
			if i%7 != 0 {
				continue
			}
			c := bytes.Clone(b)
			c[i] ^= 0xFF
			check(t, c)
		}
		_ = name
	}
}

// check reads b as each type and checks that what it got is sane.
func check(t testing.TB, b []byte) {
	t.Helper()
	for _, ct := range []string{JPEG, HEIC, MP4, QuickTime, Sniff(b[:min(len(b), SniffLen)])} {
		m, err := Read(bytes.NewReader(b), int64(len(b)), ct, cst)
		if err != nil {
			t.Fatalf("%s: %v", ct, err)
		}
		if !m.TakenAt.IsZero() && !plausible(m.TakenAt) {
			t.Fatalf("%s: implausible time %v", ct, m.TakenAt)
		}
		if p := m.Place; p != nil && (math.Abs(p.Lat) > 90 || math.Abs(p.Lon) > 180 || math.IsNaN(p.Lat) || math.IsNaN(p.Lon) ||
			p.Alt != nil && (math.IsNaN(*p.Alt) || *p.Alt < -11000 || *p.Alt > 100000)) {
			t.Fatalf("%s: place off the Earth %+v", ct, p)
		}
	}
}

// A file that declares boxes and IFDs far larger than itself is not read
// past its end nor past the bound on what one file may take.
func TestReadIsBounded(t *testing.T) {
	huge := bytes.Join([][]byte{
		mkbox("ftyp", []byte("isom"), u32(0)),
		{0, 0, 0, 1}, []byte("moov"), {0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
	}, nil)
	counted := &countingReader{r: bytes.NewReader(huge)}
	if m, err := Read(counted, 1<<40, MP4, cst); err != nil || !m.TakenAt.IsZero() {
		t.Fatalf("%+v %v", m, err)
	}
	if counted.n > maxTotal {
		t.Fatalf("read %d bytes of a file that lies about its size", counted.n)
	}
}

type countingReader struct {
	r *bytes.Reader
	n int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.n += int64(len(p))
	return c.r.ReadAt(p, off)
}

// FuzzMeta reads arbitrary bytes as each kind of file: the bytes come from
// users.
func FuzzMeta(f *testing.F) {
	f.Add(heicWith(ziyangExif()))
	f.Add(androidMovie(time.Date(2025, 8, 25, 2, 11, 12, 0, time.UTC), "+32.5201+108.5375/"))
	f.Add(iPhoneMovie(time.Date(2025, 8, 25, 2, 11, 12, 0, time.UTC), "2025-08-25T10:11:12+0800", "+32.5201+108.5375+573.764/"))
	f.Add(append([]byte("\xff\xd8\xff\xe1\x01\x00Exif\x00\x00"), ziyangExif()...))
	f.Add(sample(f, "samsung-note5.jpg")[:2048])
	f.Add(sample(f, "sample.mp4")[:1024])
	f.Fuzz(func(t *testing.T, b []byte) {
		check(t, b)
		_, _ = ParseISO6709(string(b))
	})
}
