package media

import (
	"bytes"
	"time"
)

// maxSegments bounds the JPEG segments looked at before the image data.
const maxSegments = 256

// readJPEG finds the EXIF block (an APP1 segment starting "Exif\0\0")
// among the segments before the image data.
func readJPEG(s *source, loc *time.Location) (Meta, error) {
	head, err := s.at(0, 2)
	if err != nil || head[0] != 0xFF || head[1] != 0xD8 {
		return Meta{}, err
	}
	pos := int64(2)
	for range maxSegments {
		h, err := s.at(pos, 4)
		if err != nil {
			return Meta{}, err
		}
		if h[0] != 0xFF {
			return Meta{}, errMalformed
		}
		marker := h[1]
		switch {
		case marker == 0xFF: // fill byte
			pos++
			continue
		case marker == 0xD9 || marker == 0xDA: // end of image, start of scan: no EXIF past here
			return Meta{}, nil
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD7: // markers without a length
			pos += 2
			continue
		}
		n := int64(be16(h[2:]))
		if n < 2 {
			return Meta{}, errMalformed
		}
		if marker == 0xE1 && n >= 2+6+8 {
			seg, err := s.at(pos+4, n-2)
			if err != nil {
				return Meta{}, err
			}
			if bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
				return parseExif(seg[6:], loc), nil
			}
		}
		pos += 2 + n
	}
	return Meta{}, nil
}
