// Package stats is the statistics page of the county and the towns (统计分析,
// issue 13): the period asked for and the same months a year earlier, whose
// figures each actor may read, and the page's tables and charts built from
// the summary numbers that internal/cases reads. It does no I/O but write
// the tables to an XLSX file.
package stats

import (
	"fmt"
	"strings"
	"time"

	"zhifa/internal/zhifa"
)

// Period is a run of whole months: From is the first day of the first
// month, To the first day of the month after the last.
type Period struct {
	From, To time.Time
}

// MaxMonths is the longest period the page counts.
const MaxMonths = 120

// month is the first day of t's month, in CST.
func month(year int, m time.Month) time.Time { return time.Date(year, m, 1, 0, 0, 0, 0, zhifa.Local) }

// DefaultPeriod is this year up to today's month.
func DefaultPeriod(today time.Time) Period {
	return Period{From: month(today.Year(), time.January), To: month(today.Year(), today.Month()).AddDate(0, 1, 0)}
}

// ParsePeriod reads the form's first and last months (2025-01). Either may
// be empty: the first is then January of the last's year (of today's), the
// last the first's December, or today's month in today's year.
func ParsePeriod(from, to string, today time.Time) (Period, zhifa.FieldErrors) {
	fe := zhifa.FieldErrors{}
	def := DefaultPeriod(today)
	parse := func(field, s, label string) (time.Time, bool) {
		s = strings.TrimSpace(s)
		if s == "" {
			return time.Time{}, true
		}
		t, err := time.ParseInLocation("2006-01", s, zhifa.Local)
		if err != nil {
			fe[field] = label + "请按“年-月”填写，如 " + today.Format("2006-01") + "。"
			return time.Time{}, false
		}
		if t.Year() < 2000 || t.Year() > 2100 {
			fe[field] = label + "须在2000年至2100年之间。"
			return time.Time{}, false
		}
		return t, true
	}
	f, okF := parse("from", from, "起始月份")
	t, okT := parse("to", to, "截止月份")
	if !okF || !okT {
		return Period{}, fe
	}
	switch {
	case f.IsZero() && t.IsZero():
		return def, nil
	case f.IsZero():
		f = month(t.Year(), time.January)
	case t.IsZero():
		t = month(f.Year(), time.December)
		if f.Year() == today.Year() {
			t = month(today.Year(), today.Month())
		}
		if t.Before(f) {
			t = f
		}
	}
	if t.Before(f) {
		fe["to"] = "截止月份不能早于起始月份。"
		return Period{}, fe
	}
	p := Period{From: f, To: t.AddDate(0, 1, 0)}
	if p.Months() > MaxMonths {
		fe["to"] = fmt.Sprintf("统计期间最长%d个月（%d年），请缩短。", MaxMonths, MaxMonths/12)
		return Period{}, fe
	}
	return p, nil
}

// Months is how many months p holds.
func (p Period) Months() int {
	return (p.To.Year()-p.From.Year())*12 + int(p.To.Month()) - int(p.From.Month())
}

// Last is the first day of p's last month.
func (p Period) Last() time.Time { return p.To.AddDate(0, -1, 0) }

// YearBefore is the same months a year earlier.
func (p Period) YearBefore() Period {
	return Period{From: p.From.AddDate(-1, 0, 0), To: p.To.AddDate(-1, 0, 0)}
}

// FromValue and ToValue are the form's values (2025-01).
func (p Period) FromValue() string { return p.From.Format("2006-01") }
func (p Period) ToValue() string   { return p.Last().Format("2006-01") }

// Label says the period in words: 2025年9月, 2025年1月至9月, 2024年7月至2025年6月.
func (p Period) Label() string {
	last := p.Last()
	switch {
	case p.Months() == 1:
		return fmt.Sprintf("%d年%d月", p.From.Year(), p.From.Month())
	case p.From.Year() == last.Year():
		return fmt.Sprintf("%d年%d月至%d月", p.From.Year(), p.From.Month(), last.Month())
	}
	return fmt.Sprintf("%d年%d月至%d年%d月", p.From.Year(), p.From.Month(), last.Year(), last.Month())
}

// EachMonth lists the first day of each of p's months.
func (p Period) EachMonth() []time.Time {
	var out []time.Time
	for m := p.From; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}
