package deadline

import (
	"slices"
	"strings"
	"testing"
	"time"

	"zhifa/internal/zhifa"
)

// date parses "2006-01-02" as a local date; "" is the zero time.
func date(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(dateLayout, s, zhifa.Local)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ymd(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format(dateLayout)
}

// nationalDay2025 is the 2025 National Day / Mid-Autumn arrangement:
// 1-8 October off, Sunday 28 September and Saturday 11 October worked.
func nationalDay2025() Calendar {
	c := Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{"2025-09-28": true, "2025-10-11": true}}
	for d := 1; d <= 8; d++ {
		c.Holidays[time.Date(2025, 10, d, 0, 0, 0, 0, zhifa.Local).Format(dateLayout)] = true
	}
	return c
}

func find(t *testing.T, ds []Deadline, key string) Deadline {
	t.Helper()
	for _, d := range ds {
		if d.Key == key {
			return d
		}
	}
	t.Fatalf("no %q deadline in %+v", key, ds)
	return Deadline{}
}

func has(ds []Deadline, key string) bool {
	return slices.ContainsFunc(ds, func(d Deadline) bool { return d.Key == key })
}

func TestIsWorkday(t *testing.T) {
	cal := nationalDay2025()
	tests := []struct {
		day  string
		want bool
	}{
		{"2025-09-26", true},  // Friday
		{"2025-09-27", false}, // Saturday
		{"2025-09-28", true},  // Sunday, make-up working day
		{"2025-09-30", true},  // Tuesday
		{"2025-10-01", false}, // holiday
		{"2025-10-08", false}, // holiday (Wednesday)
		{"2025-10-09", true},  // Thursday after the holidays
		{"2025-10-11", true},  // Saturday, make-up working day
		{"2025-10-12", false}, // Sunday
	}
	for _, tt := range tests {
		if got := cal.IsWorkday(date(t, tt.day)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
	// A time late in the evening UTC is the next day in CST.
	if (Calendar{}).IsWorkday(time.Date(2025, 3, 7, 17, 0, 0, 0, time.UTC)) { // Sat 01:00 CST
		t.Error("Friday 17:00 UTC is Saturday in CST: not a working day")
	}
}

func TestAddWorkingDays(t *testing.T) {
	cal := nationalDay2025()
	tests := []struct {
		name string
		cal  Calendar
		from string
		n    int
		want string
	}{
		{"across a plain weekend", Calendar{}, "2025-03-06", 3, "2025-03-11"}, // Thu → Fri, Mon, Tue
		{"Friday start skips the weekend", Calendar{}, "2025-03-07", 1, "2025-03-10"},
		{"zero days", Calendar{}, "2025-03-07", 0, "2025-03-07"},
		// Thu 25 Sep: Fri 26 (1), Sat 27 off, Sun 28 make-up (2), Mon 29 (3).
		{"make-up Sunday counts", cal, "2025-09-25", 3, "2025-09-29"},
		// ... Tue 30 (4), 1-8 Oct off, Thu 9 Oct (5).
		{"across National Day", cal, "2025-09-25", 5, "2025-10-09"},
		// Mon 29: Tue 30 (1), Thu 9 Oct (2), Fri 10 (3).
		{"starting just before the holiday", cal, "2025-09-29", 3, "2025-10-10"},
		// Fri 26: 28, 29, 30, 9, 10, Sat 11 make-up, Mon 13.
		{"make-up Saturday counts", cal, "2025-09-26", 7, "2025-10-13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ymd(tt.cal.AddWorkingDays(date(t, tt.from), tt.n)); got != tt.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestEndOfPeriod(t *testing.T) {
	cal := nationalDay2025()
	tests := []struct {
		name string
		from string
		days int
		want string
	}{
		{"working day stays", "2025-03-01", 13, "2025-03-14"},               // Friday
		{"Saturday moves to Monday", "2025-03-01", 14, "2025-03-17"},        // Sat 15
		{"Sunday moves to Monday", "2025-03-01", 15, "2025-03-17"},          // Sun 16
		{"holiday moves past the holidays", "2025-09-16", 15, "2025-10-09"}, // 1 Oct
		{"make-up Sunday is a working day", "2025-09-13", 15, "2025-09-28"},
		{"last holiday moves to the next day", "2025-09-23", 15, "2025-10-09"}, // 8 Oct
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ymd(cal.EndOfPeriod(date(t, tt.from), tt.days)); got != tt.want {
				t.Errorf("EndOfPeriod(%s, %d) = %s, want %s", tt.from, tt.days, got, tt.want)
			}
		})
	}
}

func TestPausedDays(t *testing.T) {
	tests := []struct {
		name  string
		susp  [][2]string
		until string
		want  int
	}{
		{"none", nil, "2025-04-01", 0},
		{"resumed: From inclusive, Resumed exclusive", [][2]string{{"2025-03-10", "2025-03-20"}}, "2025-04-01", 10},
		{"resumed later than until counts up to until", [][2]string{{"2025-03-10", "2025-03-20"}}, "2025-03-15", 6},
		{"still running counts up to until inclusive", [][2]string{{"2025-03-10", ""}}, "2025-03-15", 6},
		{"overlaps count once", [][2]string{{"2025-03-15", "2025-03-25"}, {"2025-03-10", "2025-03-20"}}, "2025-04-01", 15},
		{"two separate", [][2]string{{"2025-03-10", "2025-03-12"}, {"2025-03-20", "2025-03-23"}}, "2025-04-01", 5},
		{"after until", [][2]string{{"2025-05-01", ""}}, "2025-04-01", 0},
		{"resumed the same day: nothing", [][2]string{{"2025-03-10", "2025-03-10"}}, "2025-04-01", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s []Suspension
			for _, x := range tt.susp {
				s = append(s, Suspension{From: date(t, x[0]), Resumed: date(t, x[1])})
			}
			if got := PausedDays(s, date(t, tt.until)); got != tt.want {
				t.Errorf("PausedDays = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestDecisionClock(t *testing.T) {
	tests := []struct {
		name       string
		today      string
		susp       [][2]string
		extensions int
		decided    string
		due        string
		status     Status
		daysLeft   int
	}{
		// Filed 1 March: day 1 is 2 March, day 90 is 30 May.
		{"plain 90 days", "2025-03-02", nil, 0, "", "2025-05-30", Running, 89},
		{"suspended 10 days moves due 10 days", "2025-04-01", [][2]string{{"2025-03-10", "2025-03-20"}}, 0, "", "2025-06-09", Running, 69},
		{"still suspended: Paused, due moved by days so far", "2025-03-15", [][2]string{{"2025-03-10", ""}}, 0, "", "2025-06-05", Paused, 82},
		// The filing day is not a day of the period: a suspension from the
		// filing day to 11 March takes 2..10 March, 9 days, off the clock:
		// Sunday 8 June, moved to Monday 9 June.
		{"suspension from the filing day", "2025-04-01", [][2]string{{"2025-03-01", "2025-03-11"}}, 0, "", "2025-06-09", Running, 69},
		{"overdue without extension", "2025-06-05", nil, 0, "", "2025-05-30", Overdue, -6},
		{"approved extension clears overdue", "2025-06-05", nil, 1, "", "2025-06-30", Running, 25}, // Sun 29 June → Mon 30
		{"two extensions", "2025-06-05", nil, 2, "", "2025-07-29", Running, 54},
		{"extension and suspension add up", "2025-06-05", [][2]string{{"2025-03-10", "2025-03-20"}}, 1, "", "2025-07-09", Running, 34},
		// A suspension that starts after the clock ran out does not revive it.
		{"suspended after it ran out stays overdue", "2025-06-03", [][2]string{{"2025-06-01", ""}}, 0, "", "2025-05-30", Overdue, -4},
		{"decided on the last day", "2025-06-10", nil, 0, "2025-05-30", "2025-05-30", Met, -11},
		{"decided late", "2025-06-10", nil, 0, "2025-05-31", "2025-05-30", Missed, -11},
		{"decided in time thanks to the suspension", "2025-06-10", [][2]string{{"2025-03-10", "2025-03-20"}}, 0, "2025-06-05", "2025-06-09", Met, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Dates{Today: date(t, tt.today), FiledOn: date(t, "2025-03-01"), DecidedOn: date(t, tt.decided), ExtensionsApproved: tt.extensions}
			for _, x := range tt.susp {
				d.Suspensions = append(d.Suspensions, Suspension{From: date(t, x[0]), Resumed: date(t, x[1])})
			}
			got := find(t, Compute(DefaultSettings(), Calendar{}, d), KeyDecision)
			if ymd(got.Due) != tt.due || got.Status != tt.status || got.DaysLeft != tt.daysLeft {
				t.Errorf("decision = %s %s %d, want %s %s %d", ymd(got.Due), got.Status, got.DaysLeft, tt.due, tt.status, tt.daysLeft)
			}
		})
	}
}

// TestWorkingDayPeriods checks the periods counted in working days across a
// weekend, a make-up working day and the National Day holidays.
func TestWorkingDayPeriods(t *testing.T) {
	cal := nationalDay2025()
	tests := []struct {
		name     string
		d        Dates
		key      string
		due      string
		status   Status
		daysLeft int
	}{
		// Notice served Thu 25 Sep: 3 working days are Fri 26, Sun 28, Mon 29.
		{"statement", Dates{Today: date(t, "2025-09-26"), NoticeServedOn: date(t, "2025-09-25")}, KeyStatement, "2025-09-29", DueSoon, 3},
		{"statement ends by itself", Dates{Today: date(t, "2025-09-30"), NoticeServedOn: date(t, "2025-09-25")}, KeyStatement, "2025-09-29", Met, -1},
		// 5 working days (art. 85): 26, 28, 29, 30 Sep, 9 Oct.
		{"hearing request across National Day", Dates{Today: date(t, "2025-09-26"), NoticeServedOn: date(t, "2025-09-25")}, KeyHearingRequest, "2025-10-09", Running, 13},
		{"hearing request due soon", Dates{Today: date(t, "2025-10-02"), NoticeServedOn: date(t, "2025-09-25")}, KeyHearingRequest, "2025-10-09", DueSoon, 7},
		{"hearing request met once decided", Dates{Today: date(t, "2025-10-20"), NoticeServedOn: date(t, "2025-09-25"), DecidedOn: date(t, "2025-10-15")}, KeyHearingRequest, "2025-10-09", Met, -11},
		{"review", Dates{Today: date(t, "2025-09-26"), ReviewSubmittedOn: date(t, "2025-09-25")}, KeyReview, "2025-10-09", Running, 13},
		{"review overdue", Dates{Today: date(t, "2025-10-10"), ReviewSubmittedOn: date(t, "2025-09-25")}, KeyReview, "2025-10-09", Overdue, -1},
		{"review met by the notice", Dates{Today: date(t, "2025-10-10"), ReviewSubmittedOn: date(t, "2025-09-25"), NoticeServedOn: date(t, "2025-10-10")}, KeyReview, "2025-10-09", Met, -1},
		// Decided Fri 26 Sep: 7 working days are 28, 29, 30 Sep, 9, 10, Sat 11, Mon 13 Oct.
		{"service", Dates{Today: date(t, "2025-09-26"), DecidedOn: date(t, "2025-09-26")}, KeyService, "2025-10-13", Running, 17},
		{"service in time", Dates{Today: date(t, "2025-10-20"), DecidedOn: date(t, "2025-09-26"), DecisionServedOn: date(t, "2025-10-13")}, KeyService, "2025-10-13", Met, -7},
		{"service late", Dates{Today: date(t, "2025-10-20"), DecidedOn: date(t, "2025-09-26"), DecisionServedOn: date(t, "2025-10-14")}, KeyService, "2025-10-13", Missed, -7},
		// Payment: 15 calendar days from 16 Sep is 1 Oct, a holiday → 9 Oct.
		{"payment moved off the holiday", Dates{Today: date(t, "2025-09-20"), DecidedOn: date(t, "2025-09-15"), DecisionServedOn: date(t, "2025-09-16")}, KeyPayment, "2025-10-09", Running, 19},
		{"payment overdue", Dates{Today: date(t, "2025-10-10"), DecidedOn: date(t, "2025-09-15"), DecisionServedOn: date(t, "2025-09-16")}, KeyPayment, "2025-10-09", Overdue, -1},
		{"paid late", Dates{Today: date(t, "2025-10-20"), DecidedOn: date(t, "2025-09-15"), DecisionServedOn: date(t, "2025-09-16"), PaidInFull: true, PaidOn: date(t, "2025-10-10")}, KeyPayment, "2025-10-09", Missed, -11},
		{"paid, date unknown", Dates{Today: date(t, "2025-10-20"), DecidedOn: date(t, "2025-09-15"), DecisionServedOn: date(t, "2025-09-16"), PaidInFull: true}, KeyPayment, "2025-10-09", Met, -11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(t, Compute(DefaultSettings(), cal, tt.d), tt.key)
			if ymd(got.Due) != tt.due || got.Status != tt.status || got.DaysLeft != tt.daysLeft {
				t.Errorf("%s = %s %s %d, want %s %s %d", tt.key, ymd(got.Due), got.Status, got.DaysLeft, tt.due, tt.status, tt.daysLeft)
			}
		})
	}
}

// TestSuspensionMovesDependentDates checks that every clock running during a
// suspension moves, not only the 90-day one.
func TestSuspensionMovesDependentDates(t *testing.T) {
	cal := nationalDay2025()
	tests := []struct {
		name   string
		d      Dates
		key    string
		due    string
		status Status
	}{
		// Notice Thu 25 Sep, suspended 26-29 Sep: Tue 30 (1), Thu 9 Oct (2), Fri 10 (3).
		{"statement", Dates{Today: date(t, "2025-10-01"), NoticeServedOn: date(t, "2025-09-25"),
			Suspensions: []Suspension{{date(t, "2025-09-26"), date(t, "2025-09-30")}}}, KeyStatement, "2025-10-10", Running},
		{"statement while suspended", Dates{Today: date(t, "2025-09-27"), NoticeServedOn: date(t, "2025-09-25"),
			Suspensions: []Suspension{{date(t, "2025-09-26"), time.Time{}}}}, KeyStatement, "2025-09-30", Paused},
		// Served Mon 3 Mar: 15 days is Tue 18 Mar; 3 days suspended → Fri 21 Mar.
		{"payment", Dates{Today: date(t, "2025-03-10"), DecidedOn: date(t, "2025-03-01"), DecisionServedOn: date(t, "2025-03-03"),
			Suspensions: []Suspension{{date(t, "2025-03-05"), date(t, "2025-03-08")}}}, KeyPayment, "2025-03-21", Running},
		// Submitted Mon 3 Mar: 5 working days is Mon 10 Mar; Tue 4 - Wed 5 suspended → Wed 12 Mar.
		{"review", Dates{Today: date(t, "2025-03-06"), ReviewSubmittedOn: date(t, "2025-03-03"),
			Suspensions: []Suspension{{date(t, "2025-03-04"), date(t, "2025-03-06")}}}, KeyReview, "2025-03-12", DueSoon},
		// A suspension before submission does not move the review.
		{"review, suspension before", Dates{Today: date(t, "2025-03-06"), ReviewSubmittedOn: date(t, "2025-03-03"),
			Suspensions: []Suspension{{date(t, "2025-02-10"), date(t, "2025-02-20")}}}, KeyReview, "2025-03-10", DueSoon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(t, Compute(DefaultSettings(), cal, tt.d), tt.key)
			if ymd(got.Due) != tt.due || got.Status != tt.status {
				t.Errorf("%s = %s %s, want %s %s", tt.key, ymd(got.Due), got.Status, tt.due, tt.status)
			}
		})
	}
}

func TestLimitation(t *testing.T) {
	tests := []struct {
		name    string
		act     string
		filed   string
		today   string
		serious bool
		closed  bool
		due     string
		status  Status
		note    bool // a warning that no penalty may be imposed
	}{
		{"lead within the period", "2023-03-01", "", "2024-01-01", false, false, "2025-03-01", Running, false},
		{"lead on the last day", "2023-03-01", "", "2025-03-01", false, false, "2025-03-01", DueSoon, false},
		{"lead past it", "2023-03-01", "", "2025-03-02", false, false, "2025-03-01", Overdue, true},
		{"filing stops it", "2023-03-01", "2025-02-28", "2025-06-01", false, false, "2025-03-01", Met, false},
		{"filed too late", "2023-03-01", "2025-03-05", "2025-06-01", false, false, "2025-03-01", Missed, true},
		{"serious harm: 5 years", "2023-03-01", "", "2025-03-02", true, false, "2028-03-01", Running, false},
		{"29 February ends on 28 February", "2024-02-29", "", "2025-01-01", false, false, "2026-02-28", Running, false},
		{"closed lead is not overdue", "2023-03-01", "", "2025-03-02", false, true, "2025-03-01", Met, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Dates{Today: date(t, tt.today), ActOn: date(t, tt.act), FiledOn: date(t, tt.filed), SeriousHarm: tt.serious, Closed: tt.closed}
			got := find(t, Compute(DefaultSettings(), Calendar{}, d), KeyLimitation)
			if ymd(got.Due) != tt.due || got.Status != tt.status {
				t.Errorf("limitation = %s %s, want %s %s", ymd(got.Due), got.Status, tt.due, tt.status)
			}
			if warned := strings.Contains(got.Note, "不得给予行政处罚"); warned != tt.note {
				t.Errorf("note %q: warning = %v, want %v", got.Note, warned, tt.note)
			}
			if got.Basis != "行政处罚法第三十六条" {
				t.Errorf("basis = %q", got.Basis)
			}
		})
	}
}

func TestDueSoonBoundary(t *testing.T) {
	// Filed 1 March, decision due 30 May.
	tests := []struct {
		today  string
		soon   int
		status Status
	}{
		{"2025-05-22", 7, Running}, // 8 days left
		{"2025-05-23", 7, DueSoon}, // 7 days left
		{"2025-05-30", 7, DueSoon}, // due today: not yet overdue
		{"2025-05-31", 7, Overdue},
		{"2025-05-29", 0, Running}, // DueSoonDays 0: only the last day is due soon
		{"2025-05-30", 0, DueSoon},
	}
	for _, tt := range tests {
		s := DefaultSettings()
		s.DueSoonDays = tt.soon
		d := Dates{Today: date(t, tt.today), FiledOn: date(t, "2025-03-01")}
		if got := find(t, Compute(s, Calendar{}, d), KeyDecision); got.Status != tt.status {
			t.Errorf("today %s, due soon %d: status %s (%d left), want %s", tt.today, tt.soon, got.Status, got.DaysLeft, tt.status)
		}
	}
}

func TestClosedCaseNeverOverdue(t *testing.T) {
	base := Dates{
		Today:             date(t, "2026-06-01"),
		ActOn:             date(t, "2025-02-01"),
		FiledOn:           date(t, "2025-03-01"),
		ReviewSubmittedOn: date(t, "2025-05-01"),
		NoticeServedOn:    date(t, "2025-05-12"),
		DecidedOn:         date(t, "2025-06-02"), // late: due 30 May
		DecisionServedOn:  date(t, "2025-06-03"),
	}
	tests := []struct {
		name     string
		d        func(Dates) Dates
		openWant Status // Worst while still open
		missed   []string
		present  []string
	}{
		{"unpaid fine", func(d Dates) Dates { return d }, Overdue, []string{KeyDecision},
			[]string{KeyLimitation, KeyReview, KeyStatement, KeyHearingRequest, KeyDecision, KeyService, KeyPayment}},
		{"withdrawn before decision", func(d Dates) Dates {
			d.DecidedOn, d.DecisionServedOn, d.NoticeServedOn = time.Time{}, time.Time{}, time.Time{}
			return d
		}, Overdue, nil, []string{KeyLimitation, KeyReview, KeyDecision}},
		{"suspended when closed", func(d Dates) Dates {
			d.DecidedOn, d.DecisionServedOn = time.Time{}, time.Time{}
			d.Suspensions = []Suspension{{From: date(t, "2025-05-20")}}
			return d
		}, Paused, nil, []string{KeyDecision}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d(base)
			open := Compute(DefaultSettings(), Calendar{}, d)
			if w := Worst(open); w != tt.openWant {
				t.Fatalf("open case: Worst = %s, want %s: %+v", w, tt.openWant, open)
			}
			d.Closed = true
			ds := Compute(DefaultSettings(), Calendar{}, d)
			for _, key := range tt.present {
				if !has(ds, key) {
					t.Errorf("missing %s", key)
				}
			}
			for _, dl := range ds {
				want := Met
				if slices.Contains(tt.missed, dl.Key) {
					want = Missed
				}
				if dl.Status != want {
					t.Errorf("%s: %s, want %s", dl.Key, dl.Status, want)
				}
			}
			if w := Worst(ds); w == Overdue || w == DueSoon || w == Running || w == Paused {
				t.Errorf("Worst of a closed case = %s", w)
			}
		})
	}
}

func TestSurcharge(t *testing.T) {
	due := "2025-03-18"
	tests := []struct {
		name string
		fine int64
		paid string
		want int64
	}{
		{"paid early", 10000, "2025-03-10", 0},
		{"paid on the due date", 10000, "2025-03-18", 0},
		{"one day late", 10000, "2025-03-19", 300},
		{"ten days late", 10000, "2025-03-28", 3000},
		{"33 days: 99%", 10000, "2025-04-20", 9900},
		{"34 days: capped at the fine", 10000, "2025-04-21", 10000},
		{"years late: capped", 10000, "2030-01-01", 10000},
		{"rounded down", 333, "2025-03-19", 9}, // 9.99 fen
		{"large fine", 100_000_000_00, "2025-03-20", 6_000_000_00},
		{"no fine", 0, "2025-04-21", 0},
		{"not paid: zero date", 10000, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Surcharge(tt.fine, date(t, due), date(t, tt.paid)); got != tt.want {
				t.Errorf("Surcharge(%d, %s, %s) = %d, want %d", tt.fine, due, tt.paid, got, tt.want)
			}
		})
	}
}

func TestComputeOrderAndOmissions(t *testing.T) {
	d := Dates{
		Today:             date(t, "2025-04-01"),
		ActOn:             date(t, "2025-02-01"),
		FiledOn:           date(t, "2025-03-01"),
		ReviewSubmittedOn: date(t, "2025-03-10"),
		NoticeServedOn:    date(t, "2025-03-17"),
		DecidedOn:         date(t, "2025-03-25"),
		DecisionServedOn:  date(t, "2025-03-26"),
	}
	keys := func(ds []Deadline) []string {
		var k []string
		for _, x := range ds {
			k = append(k, x.Key)
		}
		return k
	}
	want := []string{KeyLimitation, KeyReview, KeyStatement, KeyHearingRequest, KeyDecision, KeyService, KeyPayment}
	ds := Compute(DefaultSettings(), Calendar{}, d)
	if got := keys(ds); !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	labels := map[string]string{KeyLimitation: "追责时效", KeyReview: "法制审核", KeyStatement: "陈述申辩期",
		KeyHearingRequest: "听证申请期", KeyDecision: "作出处罚决定", KeyService: "送达决定书", KeyPayment: "缴纳罚款"}
	for _, x := range ds {
		if x.Label != labels[x.Key] {
			t.Errorf("%s label %q", x.Key, x.Label)
		}
		if x.Basis == "" {
			t.Errorf("%s has no basis", x.Key)
		}
	}
	if b := find(t, ds, KeyReview).Basis; !strings.Contains(b, "（实务设定，可在程序设置中调整）") {
		t.Errorf("review basis %q should say it is a practice setting", b)
	}
	d.NoHearingRight, d.NoPayment = true, true
	if got := keys(Compute(DefaultSettings(), Calendar{}, d)); slices.Contains(got, KeyHearingRequest) || slices.Contains(got, KeyPayment) {
		t.Errorf("keys = %v: no hearing request or payment expected", got)
	}
	lead := Dates{Today: date(t, "2025-04-01")}
	if ds := Compute(DefaultSettings(), Calendar{}, lead); len(ds) != 0 {
		t.Errorf("a lead without dates has no deadlines: %+v", ds)
	}
}

func TestZeroSettingsUseDefaults(t *testing.T) {
	d := Dates{Today: date(t, "2025-03-02"), FiledOn: date(t, "2025-03-01")}
	if got := find(t, Compute(Settings{DueSoonDays: 7}, Calendar{}, d), KeyDecision); ymd(got.Due) != "2025-05-30" {
		t.Errorf("due %s with zero settings, want 2025-05-30", ymd(got.Due))
	}
}

func TestDatesInOtherZones(t *testing.T) {
	// 16:00 UTC on 28 February is 00:00 CST on 1 March; 15:59 UTC on
	// 1 March is still 1 March in CST, 16:00 UTC is 2 March.
	filed := time.Date(2025, 2, 28, 16, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		today time.Time
		left  int
	}{
		{time.Date(2025, 3, 1, 15, 59, 0, 0, time.UTC), 90},
		{time.Date(2025, 3, 1, 16, 0, 0, 0, time.UTC), 89},
	} {
		got := find(t, Compute(DefaultSettings(), Calendar{}, Dates{Today: tt.today, FiledOn: filed}), KeyDecision)
		if ymd(got.Due) != "2025-05-30" || got.DaysLeft != tt.left {
			t.Errorf("today %s: due %s, %d left; want 2025-05-30, %d", tt.today, ymd(got.Due), got.DaysLeft, tt.left)
		}
	}
}

func TestWorst(t *testing.T) {
	tests := []struct {
		in   []Status
		want Status
	}{
		{nil, ""},
		{[]Status{Met}, Met},
		{[]Status{Met, Missed}, Missed},
		{[]Status{Missed, Paused}, Paused},
		{[]Status{Paused, Running, Met}, Running},
		{[]Status{Running, DueSoon}, DueSoon},
		{[]Status{DueSoon, Overdue, Running}, Overdue},
	}
	for _, tt := range tests {
		var ds []Deadline
		for _, s := range tt.in {
			ds = append(ds, Deadline{Status: s})
		}
		if got := Worst(ds); got != tt.want {
			t.Errorf("Worst(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStatusLabel(t *testing.T) {
	want := map[Status]string{Running: "进行中", DueSoon: "即将到期", Overdue: "已逾期", Paused: "已暂停", Met: "已完成", Missed: "逾期完成"}
	for s, l := range want {
		if s.Label() != l {
			t.Errorf("%s.Label() = %q, want %q", s, s.Label(), l)
		}
	}
}
