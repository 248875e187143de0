package zhifa

import (
	"strconv"
	"strings"
)

// Money is kept in fen (分) as int64, never as floats; these helpers are
// the one place that reads and writes yuan (元).

// FormatYuan writes fen as a yuan number: "3000", "12.50".
func FormatYuan(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign = "-"
		u = uint64(-(fen + 1)) + 1 // safe for math.MinInt64
	}
	s := sign + strconv.FormatUint(u/100, 10)
	if c := u % 100; c != 0 {
		s += "." + strconv.FormatUint(c/10, 10) + strconv.FormatUint(c%10, 10)
	}
	return s
}

// Yuan writes fen with its unit: "3000元", "12.50元".
func Yuan(fen int64) string { return FormatYuan(fen) + "元" }

// ParseYuan reads a non-negative amount typed in yuan ("3000", "12.5",
// "3,000元") as fen, with at most two decimals.
func ParseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "元"))
	s = strings.NewReplacer(",", "", "，", "", " ", "").Replace(s)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (hasFrac && frac == "") {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	if len(whole) > 13 { // beyond any fine, and safe from overflow
		return 0, false
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 2-len(frac)), 10, 64)
	}
	return w*100 + f, true
}
