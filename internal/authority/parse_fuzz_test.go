package authority

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// Fuzz tests of the catalogue form's parsers and of the CSV cells. Plain
// `go test` runs each on its seed corpus; `make fuzz` explores further.

// A discretion standard's lines ("情形 | 幅度") are read into tiers with
// both parts filled, and written back they read the same.
func FuzzParseTiers(f *testing.F) {
	for _, s := range []string{"情节轻微 | 警告\n情节一般｜处五千元以上二万元以下罚款", "", "\n\n", "没有分隔符的一行", "| 幅度", "情形 |",
		"a|b|c", "a ｜ b\r\nc | d", "\x00|\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tiers, msg := parseTiers(text)
		if msg != "" {
			if tiers != nil {
				t.Fatalf("refused with %q but returned tiers", msg)
			}
			return
		}
		for _, tr := range tiers {
			if tr.Circumstance == "" || tr.Range == "" || strings.Contains(tr.Circumstance, "|") ||
				tr.Circumstance != strings.TrimSpace(tr.Circumstance) || tr.Range != strings.TrimSpace(tr.Range) {
				t.Fatalf("parseTiers(%q): tier %+v", text, tr)
			}
		}
		again, msg := parseTiers(TiersText(tiers))
		if msg != "" || !slices.Equal(again, tiers) {
			t.Fatalf("parseTiers(%q) = %v, written back reads %v (%s)", text, tiers, again, msg)
		}
	})
}

// No cell of the CSV download starts as a formula, and each reads back as
// typed but for the one quote in front.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "处一万元以上罚款", "", "'=1", "—"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CSVCell(s)
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			t.Fatalf("CSVCell(%q) = %q starts as a formula", s, c)
		}
		if c != s && c != "'"+s {
			t.Fatalf("CSVCell(%q) = %q changed the text", s, c)
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write([]string{c, "x"})
		w.Flush()
		rec, err := csv.NewReader(&b).Read()
		if err != nil || len(rec) != 2 || rec[1] != "x" {
			t.Fatalf("CSVCell(%q) = %q breaks the row: %v %v", s, c, rec, err)
		}
	})
}
