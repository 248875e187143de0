package cases

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Fuzz tests of the parsers of what users type into the case forms. Plain
// `go test` runs each on its seed corpus; `make fuzz` explores further.

var fuzzToday = time.Date(2025, 9, 1, 0, 0, 0, 0, zhifa.Local)

// A date a form accepts is a calendar day at midnight in China, written
// back exactly as typed (less the spaces around it).
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-03-24", " 2025-03-24 ", "2024-02-29", "2025-02-29", "2025-13-01", "25-3-24",
		"2025/03/24", "", "0000-01-01", "9999-12-31", "2025-03-24T00:00:00", "２０２５-03-24", "2025-03-24\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDate(s)
		if !ok {
			return
		}
		if got := d.Format(time.DateOnly); got != strings.TrimSpace(s) {
			t.Fatalf("parseDate(%q) = %s: not what was typed", s, got)
		}
		if d.Location() != zhifa.Local || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("parseDate(%q) = %v: not midnight in China", s, d)
		}
	})
}

// The age on the act read from an ID number is in full years (周岁): the
// birthday has passed that many times, not one more.
func FuzzAgeOnAct(f *testing.F) {
	f.Add("610924197001011234", "2025-08-20")
	f.Add("610924200002290000", "2014-02-28")
	f.Add("610924200002290000", "2014-03-01")
	f.Add("610924201103010000", "2025-03-01")
	f.Add("610924201103010000", "2025-03-02")
	f.Add("61092420301301000X", "2025-01-01")
	f.Add("short", "2025-01-01")
	f.Fuzz(func(t *testing.T, id, day string) {
		d, ok := parseDate(day)
		if !ok {
			return
		}
		age, ok := AgeOnAct(id, d)
		if !ok {
			return
		}
		birth, err := time.ParseInLocation("20060102", id[6:14], zhifa.Local)
		if err != nil || birth.After(d) {
			t.Fatalf("AgeOnAct(%q, %s) accepted a bad birth date", id, day)
		}
		if age < 0 || age > 10000 {
			t.Fatalf("AgeOnAct(%q, %s) = %d", id, day, age)
		}
		if age > 0 && !d.After(birth.AddDate(age, 0, 0)) {
			t.Fatalf("AgeOnAct(%q, %s) = %d: the %dth birthday had not passed", id, day, age, age)
		}
		if d.After(birth.AddDate(age+1, 0, 0)) {
			t.Fatalf("AgeOnAct(%q, %s) = %d: one year too few", id, day, age)
		}
	})
}

// An accepted instalment plan has at least two instalments, each later
// than the one before and than the original due date, each above zero, and
// adds up to exactly what is owed.
func FuzzParseInstalments(f *testing.F) {
	f.Add("2025-10-31 1000\n2025-11-30 2000", int64(300000))
	f.Add("2025-10-31 1000元，2025-11-30 2000", int64(300000))
	f.Add("2025-10-31 1,000\n\n2025-11-30 2,000.5", int64(300050))
	f.Add("2025-10-31 1000", int64(100000))
	f.Add("2025-11-30 1000\n2025-10-31 2000", int64(300000))
	f.Add("2025-10-31 0\n2025-11-30 3000", int64(300000))
	f.Add("", int64(0))
	f.Add("2025-10-31 99999999999999\n2025-11-30 99999999999999", int64(1))
	f.Fuzz(func(t *testing.T, text string, owed int64) {
		due := fuzzToday.AddDate(0, 0, 15)
		plan, msg := parseInstalments(text, owed, due)
		if msg != "" {
			if plan != nil {
				t.Fatalf("refused with %q but returned a plan", msg)
			}
			return
		}
		if len(plan) == 1 {
			t.Fatalf("a plan of one instalment accepted: %v", plan)
		}
		var sum int64
		prev := due
		for _, p := range plan {
			d, ok := parseDate(p.DueOn)
			if !ok || !d.After(prev) {
				t.Fatalf("instalment on %q is not after %s: %v", p.DueOn, prev.Format(time.DateOnly), plan)
			}
			if p.AmountFen <= 0 {
				t.Fatalf("instalment of %d fen accepted", p.AmountFen)
			}
			sum += p.AmountFen
			prev = d
		}
		if len(plan) > 0 && sum != owed {
			t.Fatalf("instalments add up to %d, owed %d", sum, owed)
		}
	})
}

// A proposal or decision form gives at least one penalty; a fine is the
// amount typed, above zero; an order to correct is due no earlier than
// today; the words are kept as typed, trimmed.
func FuzzPenalties(f *testing.F) {
	f.Add(false, "3000", "", "", "", "", "", "")
	f.Add(true, "", "", "", "", "", "补植树木60棵", "2025-10-01")
	f.Add(false, "12.5", "违法所得100元", "暂扣许可证", "吊销", "通报批评", "拆除", "2025-08-01")
	f.Add(false, "-5", "", "", "", "", "", "")
	f.Add(false, "0", " ", "\t", "", "", "", "")
	f.Add(false, "1e3", "", "", "", "", "补植", "")
	f.Fuzz(func(t *testing.T, warning bool, amount, confiscation, suspension, revocation, other, measure, due string) {
		in := ActionInput{Warning: warning, AmountYuan: amount, Confiscation: confiscation, Suspension: suspension,
			Revocation: revocation, Other: other, OrderMeasure: measure, OrderDue: due}
		ps, err := in.penalties(fuzzToday)
		if err != nil {
			if zhifa.ErrorCode(err) != zhifa.EINVALID {
				t.Fatalf("penalties: %v is not a form error", err)
			}
			return
		}
		if len(ps) == 0 {
			t.Fatal("no penalty accepted")
		}
		for _, p := range ps {
			switch p.Kind {
			case workflow.KindFine:
				want, ok := ParseYuan(amount)
				if !ok || p.AmountFen != want || p.AmountFen <= 0 {
					t.Fatalf("fine of %d fen from %q", p.AmountFen, amount)
				}
			case workflow.KindOrder:
				d, ok := parseDate(p.DueOn)
				if !ok || d.Before(fuzzToday) || p.Measure != strings.TrimSpace(measure) || p.Measure == "" {
					t.Fatalf("order %+v from %q due %q", p, measure, due)
				}
			case workflow.KindWarning:
				if !warning {
					t.Fatal("a warning nobody asked for")
				}
			default:
				if p.Note == "" || p.Note != strings.TrimSpace(p.Note) {
					t.Fatalf("penalty %+v: words not trimmed", p)
				}
			}
		}
		if DescribePenalties(ps) == "" {
			t.Fatalf("penalties %v describe as nothing", ps)
		}
	})
}

// A search for a case number is read as one only when it is one; the
// parts come back as written.
func FuzzNumberQuery(f *testing.F) {
	for _, s := range []string{"紫毛坝综执立〔2025〕12号", "〔2025〕12号", "12号", "0号", "〔2025〕999999999号",
		"〔2025〕9999999999号", "〔25〕12号", "刘某", "12", "紫综执立〔2025〕12号", "〔2025〕号", "%_\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		exact, year, seq, ok := numberQuery(q)
		if !ok {
			if exact != "" || year != 0 || seq != 0 {
				t.Fatalf("numberQuery(%q) refused but returned parts", q)
			}
			return
		}
		if exact != "" {
			if exact != q || !strings.HasSuffix(q, "号") || !strings.HasPrefix(q, "紫") {
				t.Fatalf("numberQuery(%q) exact %q", q, exact)
			}
			return
		}
		if seq < 0 || seq > 999999999 || year < 0 || year > 9999 {
			t.Fatalf("numberQuery(%q) = year %d seq %d", q, year, seq)
		}
		again := fmt.Sprintf("%d号", seq)
		if year != 0 {
			again = fmt.Sprintf("〔%04d〕%d号", year, seq)
		}
		if _, y, s, ok := numberQuery(again); !ok || y != year || s != seq {
			t.Fatalf("numberQuery(%q) = %d/%d, but %q reads %d/%d", q, year, seq, again, y, s)
		}
	})
}
