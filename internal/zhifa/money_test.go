package zhifa

import "testing"

func TestYuan(t *testing.T) {
	for fen, want := range map[int64]string{0: "0元", 300000: "3000元", 1250: "12.50元", 1205: "12.05元", 5: "0.05元", -150: "-1.50元"} {
		if got := Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %q, want %q", fen, got, want)
		}
	}
	good := map[string]int64{"3000": 300000, "12.5": 1250, "12.05": 1205, "3,000元": 300000, " 0.5 ": 50, "0": 0}
	for in, want := range good {
		if got, ok := ParseYuan(in); !ok || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "-5", "1.234", "1.", ".5", "1e3", "99999999999999"} {
		if _, ok := ParseYuan(in); ok {
			t.Errorf("ParseYuan(%q) accepted", in)
		}
	}
}
