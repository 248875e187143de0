package zhifa

import "testing"

func TestIDCheckDigit(t *testing.T) {
	for id, want := range map[string]bool{
		"11010519491231002X": true,  // the standard's own example
		"110105194912310021": false, // same number, wrong check digit
		"610924197001011234": true,
		"610924197001011235": false,
		"61092419700101123X": false,
		"6109241970010112":   false, // too short
		"61092419700101A236": false,
	} {
		if got := IDCheckDigitOK(id); got != want {
			t.Errorf("IDCheckDigitOK(%q) = %v, want %v", id, got, want)
		}
	}
}
