package zhifa

// IDCheckDigitOK verifies the check digit of an 18-character resident
// identity number (GB 11643-1999, ISO 7064 MOD 11-2). The caller checks the
// shape (17 digits, then a digit or X).
func IDCheckDigitOK(id string) bool {
	if len(id) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		d := id[i]
		if d < '0' || d > '9' {
			return false
		}
		sum += int(d-'0') * w
	}
	return id[17] == "10X98765432"[sum%11]
}
