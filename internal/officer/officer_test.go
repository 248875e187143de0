package officer

import (
	"testing"
	"time"

	"zhifa/internal/zhifa"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, zhifa.Local)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCertificateStatusOn(t *testing.T) {
	cert := &Certificate{Number: "61092001", ValidFrom: day("2021-01-01"), ValidUntil: day("2026-01-31")}
	cases := []struct {
		on    string
		want  CertStatus
		valid bool
	}{
		{"2020-12-31", CertNotYet, false},
		{"2021-01-01", CertValid, true},
		{"2025-12-31", CertValid, true},    // 31 days left
		{"2026-01-01", CertExpiring, true}, // 30 days left: flagged
		{"2026-01-31", CertExpiring, true}, // the last valid day
		{"2026-02-01", CertExpired, false},
	}
	for _, tc := range cases {
		if got := cert.StatusOn(day(tc.on)); got != tc.want {
			t.Errorf("on %s: %s, want %s", tc.on, got, tc.want)
		}
		if got := cert.ValidOn(day(tc.on)); got != tc.valid {
			t.Errorf("on %s: valid %v, want %v", tc.on, got, tc.valid)
		}
	}
	var none *Certificate
	if none.StatusOn(day("2025-01-01")) != CertMissing || none.ValidOn(day("2025-01-01")) {
		t.Error("a missing certificate must be missing and not valid")
	}
}

func TestCertificateInputValidate(t *testing.T) {
	in := CertificateInput{Number: " 610 ", Issuer: "紫", ValidFrom: "2025-02-30", ValidUntil: ""}
	_, err := in.Validate()
	fe, ok := err.(zhifa.FieldErrors)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	for _, field := range []string{"number", "issuer", "valid_from", "valid_until"} {
		if fe[field] == "" {
			t.Errorf("no message for %s", field)
		}
	}
	in = CertificateInput{Number: "61092001", Issuer: "紫阳县人民政府", ValidFrom: "2025-01-01", ValidUntil: "2030-01-01"}
	c, err := in.Validate()
	if err != nil || !c.ValidUntil.Equal(day("2030-01-01")) {
		t.Fatalf("good input refused: %v", err)
	}
}
