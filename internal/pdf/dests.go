package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// DestPages reads where the named destinations of a PDF that Chromium
// printed fall: Chromium writes one for every element that a link of the
// page targets (<a href="#doc-3"> makes the destination doc-3 at the
// element with id="doc-3"). It returns each name's page, counted from 1,
// and the number of pages.
//
// It reads what Chromium's PDF writer (Skia) produces: a classic xref
// table, the catalog's /Dests dictionary and the page tree uncompressed
// (only content streams are compressed); the tree is nested for longer
// documents. It is no general PDF parser.
func DestPages(pdf []byte) (map[string]int, int, error) {
	f, err := parse(pdf)
	if err != nil {
		return nil, 0, err
	}
	root, ok := ref(f.trailer, "Root")
	if !ok {
		return nil, 0, errors.New("pdf: no /Root in the trailer")
	}
	catalog, err := f.object(root)
	if err != nil {
		return nil, 0, fmt.Errorf("pdf: catalog: %w", err)
	}
	pagesRef, ok := ref(catalog, "Pages")
	if !ok {
		return nil, 0, errors.New("pdf: catalog without /Pages")
	}
	// Page objects in document order: walk /Kids depth-first.
	index := map[int]int{}
	n := 0
	var walk func(obj, depth int) error
	walk = func(obj, depth int) error {
		if depth > 32 {
			return errors.New("pdf: page tree too deep")
		}
		body, err := f.object(obj)
		if err != nil {
			return err
		}
		switch {
		case typePages.Match(body):
			m := kidsRE.FindSubmatch(body)
			if m == nil {
				return fmt.Errorf("pdf: /Pages object %d without /Kids", obj)
			}
			for _, k := range refRE.FindAllSubmatch(m[1], -1) {
				kid, _ := strconv.Atoi(string(k[1]))
				if err := walk(kid, depth+1); err != nil {
					return err
				}
			}
		case typePage.Match(body):
			n++
			index[obj] = n
		default:
			return fmt.Errorf("pdf: object %d in the page tree is neither /Pages nor /Page", obj)
		}
		return nil
	}
	if err := walk(pagesRef, 0); err != nil {
		return nil, 0, err
	}
	out := map[string]int{}
	var dests []byte
	if r, ok := ref(catalog, "Dests"); ok {
		if dests, err = f.object(r); err != nil {
			return nil, 0, fmt.Errorf("pdf: /Dests: %w", err)
		}
	} else if m := inlineDestsRE.FindSubmatch(catalog); m != nil {
		dests = m[1]
	}
	for _, m := range destRE.FindAllSubmatch(dests, -1) {
		obj, _ := strconv.Atoi(string(m[2]))
		p, ok := index[obj]
		if !ok {
			return nil, 0, fmt.Errorf("pdf: destination %s points at object %d, not a page", m[1], obj)
		}
		out[unescapeName(m[1])] = p
	}
	return out, n, nil
}

var (
	refRE         = regexp.MustCompile(`(\d+)\s+(\d+)\s+R\b`)
	kidsRE        = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	typePages     = regexp.MustCompile(`/Type\s*/Pages\b`)
	typePage      = regexp.MustCompile(`/Type\s*/Page\b`)
	inlineDestsRE = regexp.MustCompile(`(?s)/Dests\s*<<(.*?)>>`)
	// destRE is one entry of the /Dests dictionary, /name [page 0 R /XYZ ...]
	// (or /name <</D [page 0 R ...]>>).
	destRE = regexp.MustCompile(`/((?:[^\s/\[\]<>(){}%#]|#[0-9A-Fa-f]{2})+)\s*(?:\[|<<\s*/D\s*\[)\s*(\d+)\s+\d+\s+R`)
	objRE  = regexp.MustCompile(`(?m)^(\d+)\s+(\d+)\s+obj\b`)
)

// unescapeName decodes a PDF name's #xx escapes.
func unescapeName(b []byte) string {
	if !bytes.Contains(b, []byte("#")) {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// file is a PDF's objects by number (their offsets) and its trailer.
type file struct {
	data    []byte
	offsets map[int]int
	trailer []byte
}

func parse(data []byte) (*file, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, errors.New("pdf: not a PDF")
	}
	f := &file{data: data, offsets: map[int]int{}}
	t := bytes.LastIndex(data, []byte("trailer"))
	if t < 0 {
		return nil, errors.New("pdf: no trailer (a cross-reference stream: not a PDF Chromium writes)")
	}
	f.trailer = data[t:]
	if end := bytes.Index(f.trailer, []byte("startxref")); end >= 0 {
		f.trailer = f.trailer[:end]
	}
	// The xref table gives each object's offset; a damaged table falls back
	// to finding "N 0 obj" at the start of a line.
	if err := f.readXref(); err != nil {
		for _, m := range objRE.FindAllSubmatchIndex(data, -1) {
			n, _ := strconv.Atoi(string(data[m[2]:m[3]]))
			f.offsets[n] = m[0]
		}
	}
	return f, nil
}

func (f *file) readXref() error {
	s := bytes.LastIndex(f.data, []byte("startxref"))
	if s < 0 {
		return errors.New("no startxref")
	}
	fields := bytes.Fields(f.data[s+len("startxref"):])
	if len(fields) == 0 {
		return errors.New("no xref offset")
	}
	off, err := strconv.Atoi(string(fields[0]))
	if err != nil || off <= 0 || off >= len(f.data) || !bytes.HasPrefix(f.data[off:], []byte("xref")) {
		return errors.New("bad xref offset")
	}
	rest := f.data[off+len("xref"):]
	for {
		rest = bytes.TrimLeft(rest, " \r\n")
		if bytes.HasPrefix(rest, []byte("trailer")) {
			return nil
		}
		// A subsection: "first count", then count entries of 20 bytes.
		nl := bytes.IndexAny(rest, "\r\n")
		if nl < 0 {
			return errors.New("truncated xref")
		}
		head := bytes.Fields(rest[:nl])
		if len(head) != 2 {
			return errors.New("bad xref subsection")
		}
		first, err1 := strconv.Atoi(string(head[0]))
		count, err2 := strconv.Atoi(string(head[1]))
		if err1 != nil || err2 != nil || count < 0 {
			return errors.New("bad xref subsection")
		}
		rest = bytes.TrimLeft(rest[nl:], "\r\n")
		for i := 0; i < count; i++ {
			if len(rest) < 18 {
				return errors.New("truncated xref")
			}
			e := bytes.Fields(rest[:18])
			if len(e) == 3 && string(e[2]) == "n" {
				o, err := strconv.Atoi(string(e[0]))
				if err != nil {
					return err
				}
				f.offsets[first+i] = o
			}
			rest = bytes.TrimLeft(rest[18:], " \r\n")
		}
	}
}

// object is the dictionary (or other value) of object n, without a stream.
func (f *file) object(n int) ([]byte, error) {
	off, ok := f.offsets[n]
	if !ok || off >= len(f.data) {
		return nil, fmt.Errorf("object %d not found", n)
	}
	b := f.data[off:]
	if i := bytes.Index(b, []byte("obj")); i >= 0 {
		b = b[i+3:]
	}
	if end := bytes.Index(b, []byte("endobj")); end >= 0 {
		b = b[:end]
	}
	if s := bytes.Index(b, []byte("stream")); s >= 0 {
		b = b[:s]
	}
	return b, nil
}

// ref reads the reference /key N 0 R of a dictionary.
func ref(dict []byte, key string) (int, bool) {
	m := regexp.MustCompile(`/` + key + `\s+(\d+)\s+\d+\s+R\b`).FindSubmatch(dict)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(string(m[1]))
	return n, err == nil
}
