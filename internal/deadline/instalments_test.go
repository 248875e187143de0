package deadline

import (
	"testing"
	"time"

	"zhifa/internal/zhifa"
)

// A fine paid in instalments (APL art. 66 ¶2) is late only part by part:
// the surcharge runs on the overdue instalment from its own date.
func TestSurchargesOnInstalments(t *testing.T) {
	d := func(s string) time.Time {
		v, _ := time.ParseInLocation(time.DateOnly, s, zhifa.Local)
		return v
	}
	plan := []Instalment{{d("2025-10-31"), 100000}, {d("2025-11-30"), 100000}, {d("2025-12-31"), 100000}}
	pays := []PaymentIn{{100000, d("2025-10-31")}, {100000, d("2025-12-05")}, {100000, d("2025-12-31")}}
	got := SurchargesSchedule(300000, plan, pays, nil)
	// The second instalment is 5 days late: 1000 yuan × 3 % × 5 = 150 yuan.
	if want := []int64{0, 15000, 0}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("SurchargesSchedule = %v, want %v", got, want)
	}
	// Unpaid second instalment on 12-10: 10 days late, on 1000 yuan only.
	if got := SurchargeOwedSchedule(300000, plan, pays[:1], nil, d("2025-12-10")); got != 30000 {
		t.Errorf("SurchargeOwedSchedule = %d, want 30000", got)
	}
	// One instalment: the same as a single due date.
	single := []PaymentIn{{300000, d("2025-11-10")}}
	if a, b := Surcharges(300000, d("2025-10-31"), single, nil)[0], SurchargesSchedule(300000, []Instalment{{d("2025-10-31"), 300000}}, single, nil)[0]; a != b || a != 90000 {
		t.Errorf("single due: %d and %d, want 90000 (10 days × 3 %% × 3000 yuan)", a, b)
	}
}
