// Package deadline computes the running deadlines of a case (办案期限) from its
// dates, the period settings and a holiday calendar. It is pure: no I/O, no
// database, no clock of its own (the caller passes Today).
//
// All dates are local calendar dates (zhifa.Local, CST): every input is
// reduced to its local midnight, and a due date is the last day of a period,
// which ends at the end of that day.
package deadline

import (
	"time"

	"zhifa/internal/zhifa"
)

// Calendar knows public holidays and adjusted working days (调休: a weekend day
// that is a working day). The caller loads it from the State Council's yearly
// notice; an empty Calendar knows only weekends.
type Calendar struct {
	Holidays map[string]bool // "2025-10-01" → true: not a working day
	Workdays map[string]bool // "2025-09-28" → true: a weekend day that is a working day
}

const dateLayout = "2006-01-02"

// IsWorkday reports whether d is a working day: Monday to Friday unless a
// listed holiday; Saturday and Sunday only if listed in Workdays. A date listed
// in both maps is treated as a holiday (the reading that gives the party more
// time).
func (c Calendar) IsWorkday(d time.Time) bool {
	d = Day(d)
	var buf [len(dateLayout)]byte
	key := appendDay(buf[:0], d) // the map lookups do not allocate
	if c.Holidays[string(key)] {
		return false
	}
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return c.Workdays[string(key)]
	}
	return true
}

// appendDay appends d as dateLayout does, several times faster: a refresh of
// every case's deadlines asks about a working day tens of millions of times.
func appendDay(b []byte, d time.Time) []byte {
	y, m, day := d.Date()
	if y < 0 || y > 9999 {
		return d.AppendFormat(b, dateLayout)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// AddWorkingDays is AddWorkdays, kept for its callers.
func (c Calendar) AddWorkingDays(d time.Time, n int) time.Time { return c.AddWorkdays(d, n) }

// AddWorkdays returns the date n working days after d (d itself not
// counted): the period ends at the end of that day. n <= 0 returns d.
func (c Calendar) AddWorkdays(d time.Time, n int) time.Time {
	d = Day(d)
	for n > 0 {
		d = addDays(d, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// EndOfPeriod returns d + days calendar days, moved to the next working day if
// that day is not a working day. This is the general rule for periods counted
// in calendar days (民法典第二百零三条: a period whose last day is a statutory
// rest day ends on the first day after it). Note that the short periods of the
// Administrative Penalty Law ("二日""三日""五日""七日") are working days by its
// art. 85 and must use AddWorkingDays instead.
func (c Calendar) EndOfPeriod(d time.Time, days int) time.Time {
	if days < 0 {
		days = 0
	}
	return c.rollToWorkday(addDays(Day(d), days))
}

// rollToWorkday returns d, or the first working day after it.
func (c Calendar) rollToWorkday(d time.Time) time.Time {
	for !c.IsWorkday(d) {
		d = addDays(d, 1)
	}
	return d
}

// Day reduces t to its local calendar date (midnight CST). The zero time stays
// zero, so "not yet" dates survive.
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	if isDay(t) {
		return t.Round(0) // already one (as most dates here are); Round(0) drops a monotonic reading as time.Date does
	}
	t = t.In(zhifa.Local)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zhifa.Local)
}

// isDay reports whether t is a local date already (midnight in zhifa.Local),
// without splitting it into year, month and day.
func isDay(t time.Time) bool {
	return t.Location() == zhifa.Local && t.Nanosecond() == 0 && (t.Unix()+localOffset)%(24*3600) == 0
}

// localOffset is zhifa.Local's offset from UTC in seconds, the same all
// year (a fixed zone: CST has no daylight saving).
var localOffset = func() int64 {
	_, off := time.Date(2000, 1, 1, 0, 0, 0, 0, zhifa.Local).Zone()
	return int64(off)
}()

// addDays adds n calendar days to a local date. zhifa.Local is a fixed zone,
// so a day is always 24 hours: the quick way gives what time.Date does.
func addDays(d time.Time, n int) time.Time {
	if isDay(d) {
		return d.Round(0).Add(time.Duration(n) * 24 * time.Hour)
	}
	return time.Date(d.Year(), d.Month(), d.Day()+n, 0, 0, 0, 0, zhifa.Local)
}

// addYears adds n years to a local date; without a corresponding day (29
// February) the period ends on the last day of the month (民法典第二百零二条).
func addYears(d time.Time, n int) time.Time {
	y, m, day := d.Year()+n, d.Month(), d.Day()
	if last := time.Date(y, m+1, 0, 0, 0, 0, 0, zhifa.Local).Day(); day > last {
		day = last
	}
	return time.Date(y, m, day, 0, 0, 0, 0, zhifa.Local)
}

// addMonths adds n months to a local date; without a corresponding day (31
// April) the period ends on the last day of the month (民法典第二百零二条).
func addMonths(d time.Time, n int) time.Time {
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, zhifa.Local)
	day := d.Day()
	if last := first.AddDate(0, 1, -1).Day(); day > last {
		day = last
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, zhifa.Local)
}

// daysBetween returns to - from in whole days (both local dates; CST has no
// daylight saving, so a day is always 24 hours).
func daysBetween(from, to time.Time) int {
	return int(Day(to).Sub(Day(from)) / (24 * time.Hour))
}
