package zhifa

import (
	"strings"
	"testing"
)

// Fuzz tests of the money and ID number parsers. Plain `go test` runs each
// on its seed corpus; `make fuzz` explores further.

// An amount typed in yuan is read as a non-negative number of fen within
// the bound (13 digits of yuan), and written back it reads the same; an
// amount written by FormatYuan reads back as itself.
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"3000", "12.5", "12.05", "3,000元", " 0.5 ", "0", "", "abc", "-5", "1.234", "1.", ".5",
		"1e3", "99999999999999", "9999999999999.99", "３０００", "1，000", "1 000", "元", "0.00", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, ok := ParseYuan(s)
		if !ok {
			if fen != 0 {
				t.Fatalf("ParseYuan(%q) refused but returned %d", s, fen)
			}
			return
		}
		if fen < 0 || fen > 9999999999999_99 {
			t.Fatalf("ParseYuan(%q) = %d: out of bounds", s, fen)
		}
		written := FormatYuan(fen)
		back, ok := ParseYuan(written)
		if !ok || back != fen {
			t.Fatalf("ParseYuan(%q) = %d, written %q, reads back %d (%v)", s, fen, written, back, ok)
		}
		if again := FormatYuan(back); again != written {
			t.Fatalf("FormatYuan is not stable: %q then %q", written, again)
		}
		if withUnit, ok := ParseYuan(Yuan(fen)); !ok || withUnit != fen {
			t.Fatalf("Yuan(%d) = %q does not read back", fen, Yuan(fen))
		}
	})
}

func FuzzFormatYuan(f *testing.F) {
	for _, n := range []int64{0, 1, 5, 10, 99, 100, 1250, 300000, -150, 999999999999999, -1 << 63, 1<<63 - 1} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, fen int64) {
		s := FormatYuan(fen)
		back, ok := ParseYuan(s)
		switch {
		case fen < 0 && ok:
			t.Fatalf("FormatYuan(%d) = %q reads back as an amount", fen, s)
		case fen >= 0 && fen <= 9999999999999_99 && (!ok || back != fen):
			t.Fatalf("FormatYuan(%d) = %q reads back %d (%v)", fen, s, back, ok)
		case fen < 0 && !strings.HasPrefix(s, "-"):
			t.Fatalf("FormatYuan(%d) = %q lost its sign", fen, s)
		}
	})
}

// An ID number passes its check digit only with 17 digits and exactly one
// of the eleven check characters.
func FuzzIDCheckDigit(f *testing.F) {
	for _, s := range []string{"610924197001011234", "11010519491231002X", "110105194912310021", "", "61092419700101123",
		"6109241970010112345", "61092419700101123x", "６10924197001011234", "a10924197001011234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if !IDCheckDigitOK(id) {
			return
		}
		if len(id) != 18 {
			t.Fatalf("IDCheckDigitOK(%q): length %d", id, len(id))
		}
		for i := 0; i < 17; i++ {
			if id[i] < '0' || id[i] > '9' {
				t.Fatalf("IDCheckDigitOK(%q): not a digit at %d", id, i)
			}
		}
		valid := 0
		for _, c := range "0123456789X" {
			if IDCheckDigitOK(id[:17] + string(c)) {
				valid++
			}
		}
		if valid != 1 {
			t.Fatalf("IDCheckDigitOK(%q): %d check characters pass", id, valid)
		}
	})
}
