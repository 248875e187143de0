package deadline

import (
	"testing"
	"time"

	"zhifa/internal/zhifa"
)

// TestDayArithmeticShortcuts: Day, addDays and IsWorkday, which take a
// quicker path for a date that is already a local day, give what the plain
// time.Date and Format arithmetic gives, for every day from 2019 to 2031,
// for other zones and times of day, and around a listed holiday and 调休.
func TestDayArithmeticShortcuts(t *testing.T) {
	cal := Calendar{Holidays: map[string]bool{"2025-10-01": true, "2025-10-06": true}, Workdays: map[string]bool{"2025-09-28": true}}
	slowDay := func(t time.Time) time.Time {
		t = t.In(zhifa.Local)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zhifa.Local)
	}
	slowWorkday := func(d time.Time) bool {
		key := slowDay(d).Format(dateLayout)
		if cal.Holidays[key] {
			return false
		}
		if wd := d.In(zhifa.Local).Weekday(); wd == time.Saturday || wd == time.Sunday {
			return cal.Workdays[key]
		}
		return true
	}
	utc8 := time.FixedZone("other", 8*3600) // same offset, another *Location
	for d := time.Date(2019, 1, 1, 0, 0, 0, 0, zhifa.Local); d.Year() < 2032; d = d.AddDate(0, 0, 1) {
		for _, in := range []time.Time{d, d.Add(13*time.Hour + 5), d.In(time.UTC), d.Add(-time.Hour).In(time.UTC), d.In(utc8)} {
			if got, want := Day(in), slowDay(in); got != want {
				t.Fatalf("Day(%v) = %v, want %v", in, got, want)
			}
			if got, want := cal.IsWorkday(in), slowWorkday(in); got != want {
				t.Fatalf("IsWorkday(%v) = %v, want %v", in, got, want)
			}
		}
		for _, n := range []int{-400, -1, 0, 1, 7, 30, 366} {
			want := time.Date(d.Year(), d.Month(), d.Day()+n, 0, 0, 0, 0, zhifa.Local)
			if got := addDays(d, n); got != want {
				t.Fatalf("addDays(%v, %d) = %v, want %v", d, n, got, want)
			}
		}
	}
	if now := time.Now(); Day(now) != slowDay(now) {
		t.Errorf("Day(now) = %v, want %v", Day(now), slowDay(now))
	}
}
