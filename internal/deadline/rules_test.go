package deadline

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDecisionEndsOnAWorkingDay is the audit's S3: filed Monday 2 June 2025,
// the 90th day is Sunday 31 August, so the period ends on Monday 1 September.
func TestDecisionEndsOnAWorkingDay(t *testing.T) {
	tests := []struct {
		name       string
		cal        Calendar
		filed      string
		extensions int
		decided    string
		today      string
		due        string
		status     Status
	}{
		{"S3: Sunday moves to Monday", Calendar{}, "2025-06-02", 0, "", "2025-09-01", "2025-09-01", DueSoon},
		{"S3: a decision on Monday is in time", Calendar{}, "2025-06-02", 0, "2025-09-01", "2025-09-02", "2025-09-01", Met},
		{"S3: Tuesday is late", Calendar{}, "2025-06-02", 0, "2025-09-02", "2025-09-03", "2025-09-01", Missed},
		{"S3: overdue on Tuesday", Calendar{}, "2025-06-02", 0, "", "2025-09-02", "2025-09-01", Overdue},
		// 3 July + 90 = 1 October, a holiday: the period runs to 9 October.
		{"holiday moves past the holidays", nationalDay2025(), "2025-07-03", 0, "", "2025-09-01", "2025-10-09", Running},
		{"a working day stays", Calendar{}, "2025-06-03", 0, "", "2025-09-01", "2025-09-01", DueSoon},
		// S3: five extensions of 30 days put the end at Wednesday 28 January 2026.
		{"S3: five extensions", Calendar{}, "2025-06-02", 5, "", "2025-09-01", "2026-01-28", Running},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Dates{Today: date(t, tt.today), FiledOn: date(t, tt.filed), DecidedOn: date(t, tt.decided), ExtensionsApproved: tt.extensions}
			got := find(t, Compute(DefaultSettings(), tt.cal, d), KeyDecision)
			if ymd(got.Due) != tt.due || got.Status != tt.status {
				t.Errorf("decision = %s %s, want %s %s", ymd(got.Due), got.Status, tt.due, tt.status)
			}
		})
	}
}

func TestWithinLimitation(t *testing.T) {
	tests := []struct {
		act, discovered string
		years           int
		want            bool
	}{
		{"2023-03-01", "2025-03-01", 2, true}, // the last day counts
		{"2023-03-01", "2025-03-02", 2, false},
		{"2022-01-10", "2024-06-01", 2, false},
		{"2022-01-10", "2024-06-01", 5, true},
		{"2022-01-10", "2027-01-10", 5, true},
		{"2022-01-10", "2027-01-11", 5, false},
		{"2024-02-29", "2026-02-28", 2, true}, // no 29 February: the month's last day
		{"2024-02-29", "2026-03-01", 2, false},
	}
	for _, tt := range tests {
		if got := WithinLimitation(date(t, tt.act), date(t, tt.discovered), tt.years); got != tt.want {
			t.Errorf("WithinLimitation(%s, %s, %d) = %v, want %v", tt.act, tt.discovered, tt.years, got, tt.want)
		}
	}
}

// TestLimitationRunsToDiscovery is the audit's S8: the limitation is measured
// to the discovery, not to the filing, and is 5 years for serious harm.
func TestLimitationRunsToDiscovery(t *testing.T) {
	tests := []struct {
		name              string
		act, disc, filed  string
		today             string
		serious           bool
		years, yearsSerio int // settings; 0 = default
		due               string
		status            Status
		note              string
	}{
		{"S8: discovered in time, filed later: lawful", "2023-09-01", "2025-08-25", "2025-09-05", "2025-09-10", false, 0, 0, "2025-09-01", Met, ""},
		{"S8: discovered after two years", "2022-01-10", "2024-06-01", "", "2024-06-02", false, 0, 0, "2024-01-10", Missed,
			"发现时已超过追责时效（2年），不得给予行政处罚"},
		{"S8: serious harm, five years", "2022-01-10", "2024-06-01", "", "2024-06-02", true, 0, 0, "2027-01-10", Met, ""},
		{"serious harm discovered too late names 5 years", "2019-01-10", "2024-06-01", "", "2024-06-02", true, 0, 0, "2024-01-10", Missed,
			"发现时已超过追责时效（5年），不得给予行政处罚"},
		{"the note names the configured period", "2022-01-10", "2025-06-01", "", "2025-06-02", true, 0, 3, "2025-01-10", Missed,
			"发现时已超过追责时效（3年），不得给予行政处罚"},
		{"discovered on the last day", "2023-03-01", "2025-03-01", "", "2025-03-02", false, 0, 0, "2025-03-01", Met, ""},
		{"without a discovery date the filing stands in", "2023-03-01", "", "2025-03-05", "2025-03-06", false, 0, 0, "2025-03-01", Missed,
			"立案时已超过追责时效（2年）；请核对发现日期，发现时已超过的，不得给予行政处罚"},
		{"lead past the period without a discovery date", "2023-03-01", "", "", "2025-03-02", false, 0, 0, "2025-03-01", Overdue,
			"已超过追责时效（2年），不得给予行政处罚"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			if tt.years > 0 {
				s.LimitationYears = tt.years
			}
			if tt.yearsSerio > 0 {
				s.LimitationYearsSerious = tt.yearsSerio
			}
			d := Dates{Today: date(t, tt.today), ActOn: date(t, tt.act), DiscoveredOn: date(t, tt.disc), FiledOn: date(t, tt.filed), SeriousHarm: tt.serious}
			got := find(t, Compute(s, Calendar{}, d), KeyLimitation)
			if ymd(got.Due) != tt.due || got.Status != tt.status || got.Note != tt.note {
				t.Errorf("limitation = %s %s %q, want %s %s %q", ymd(got.Due), got.Status, got.Note, tt.due, tt.status, tt.note)
			}
		})
	}
}

func TestFilingClock(t *testing.T) {
	// Discovered Monday 1 September 2025: the 15th working day is Monday 22 September.
	tests := []struct {
		name   string
		days   int
		filed  string
		today  string
		closed bool
		due    string
		status Status
		note   string
	}{
		{"lead, running", 0, "", "2025-09-10", false, "2025-09-22", Running, ""},
		{"lead, due soon", 0, "", "2025-09-16", false, "2025-09-22", DueSoon, ""},
		{"lead, overdue", 0, "", "2025-09-23", false, "2025-09-22", Overdue, ""},
		{"filed on the last day", 0, "2025-09-22", "2025-09-30", false, "2025-09-22", Met, ""},
		{"filed late", 0, "2025-09-23", "2025-09-30", false, "2025-09-22", Missed, "立案迟延"},
		{"closed lead (not filed)", 0, "", "2025-10-30", true, "2025-09-22", Met, ""},
		// 5 working days: 2, 3, 4, 5, 8 September.
		{"configured period", 5, "", "2025-09-02", false, "2025-09-08", DueSoon, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			if tt.days > 0 {
				s.FilingWorkingDays = tt.days
			}
			d := Dates{Today: date(t, tt.today), DiscoveredOn: date(t, "2025-09-01"), FiledOn: date(t, tt.filed), Closed: tt.closed}
			got := find(t, Compute(s, nationalDay2025(), d), KeyFiling)
			if ymd(got.Due) != tt.due || got.Status != tt.status || got.Note != tt.note {
				t.Errorf("filing = %s %s %q, want %s %s %q", ymd(got.Due), got.Status, got.Note, tt.due, tt.status, tt.note)
			}
			if got.Label != "立案" || !strings.Contains(got.Basis, "行政处罚法第五十四条") {
				t.Errorf("label %q basis %q", got.Label, got.Basis)
			}
			want := "15个工作日"
			if tt.days > 0 {
				want = "5个工作日"
			}
			if !strings.Contains(got.Basis, want) {
				t.Errorf("basis %q should name %s", got.Basis, want)
			}
		})
	}
}

func TestHearingDateOK(t *testing.T) {
	cal := nationalDay2025()
	tests := []struct {
		name            string
		notice, hearing string
		min             int
		want            bool
	}{
		// Notice Monday 1 September: 2, 3, 4, 5, 8, 9, 10 September.
		{"the 7th working day", "2025-09-01", "2025-09-10", 7, true},
		{"the 6th working day", "2025-09-01", "2025-09-09", 7, false},
		{"later", "2025-09-01", "2025-09-20", 7, true},
		{"before the notice", "2025-09-01", "2025-08-30", 7, false},
		// Notice Monday 29 September: 30 Sep, 9, 10, Sat 11 (make-up), 13, 14, 15 October.
		{"across National Day", "2025-09-29", "2025-10-15", 7, true},
		{"across National Day, a day short", "2025-09-29", "2025-10-14", 7, false},
		{"calendar days are not enough", "2025-09-29", "2025-10-07", 7, false},
		{"a longer configured notice", "2025-09-01", "2025-09-10", 10, false},
		{"no notice", "", "2025-09-10", 7, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HearingDateOK(cal, date(t, tt.notice), date(t, tt.hearing), tt.min); got != tt.want {
				t.Errorf("HearingDateOK(%s, %s, %d) = %v, want %v", tt.notice, tt.hearing, tt.min, got, tt.want)
			}
		})
	}
	if got := ymd(cal.AddWorkdays(date(t, "2025-09-29"), 7)); got != "2025-10-15" {
		t.Errorf("AddWorkdays = %s, want 2025-10-15", got)
	}
}

// TestOtherClocks covers preservation, seizure, transfer and hand-in, which a
// suspension of the case does not stop.
func TestOtherClocks(t *testing.T) {
	cal := nationalDay2025()
	suspended := []Suspension{{From: date(t, "2025-09-01")}}
	tests := []struct {
		name   string
		d      Dates
		key    string
		due    string
		status Status
		note   string
	}{
		// Thursday 25 September + 7 working days: 26, 28, 29, 30 Sep, 9, 10, Sat 11 Oct.
		{"preservation running, not paused by a suspension", Dates{Today: date(t, "2025-09-26"), PreservedOn: date(t, "2025-09-25"), Suspensions: suspended},
			KeyPreservation, "2025-10-11", Running, ""},
		{"preservation decided in time", Dates{Today: date(t, "2025-10-20"), PreservedOn: date(t, "2025-09-25"), PreservationDecidedOn: date(t, "2025-10-11")},
			KeyPreservation, "2025-10-11", Met, ""},
		{"preservation decided late", Dates{Today: date(t, "2025-10-20"), PreservedOn: date(t, "2025-09-25"), PreservationDecidedOn: date(t, "2025-10-13")},
			KeyPreservation, "2025-10-11", Missed, ""},
		{"preservation overdue", Dates{Today: date(t, "2025-10-13"), PreservedOn: date(t, "2025-09-25")},
			KeyPreservation, "2025-10-11", Overdue, "登记保存后7个工作日内未作出处理决定，应当解除先行登记保存"},
		// 30 calendar days from 1 September.
		{"seizure", Dates{Today: date(t, "2025-09-02"), SeizedOn: date(t, "2025-09-01"), Suspensions: suspended},
			KeySeizure, "2025-10-01", Running, ""},
		{"seizure extended once", Dates{Today: date(t, "2025-10-02"), SeizedOn: date(t, "2025-09-01"), SeizureExtended: true},
			KeySeizure, "2025-10-31", Running, ""},
		{"seizure lifted in time", Dates{Today: date(t, "2025-10-02"), SeizedOn: date(t, "2025-09-01"), SeizureEndedOn: date(t, "2025-10-01")},
			KeySeizure, "2025-10-01", Met, ""},
		{"seizure overdue", Dates{Today: date(t, "2025-10-02"), SeizedOn: date(t, "2025-09-01")},
			KeySeizure, "2025-10-01", Overdue, "查封、扣押期限已届满，应当及时解除（行政强制法第二十八条）"},
		// Friday 26 September + 3 working days: Sun 28 (make-up), 29, 30.
		{"transfer", Dates{Today: date(t, "2025-09-26"), TransferProposedOn: date(t, "2025-09-26")},
			KeyTransfer, "2025-09-30", DueSoon, ""},
		{"transfer decided late", Dates{Today: date(t, "2025-10-10"), TransferProposedOn: date(t, "2025-09-26"), TransferDecidedOn: date(t, "2025-10-09")},
			KeyTransfer, "2025-09-30", Missed, ""},
		// Tuesday 30 September + 2 working days: 9, 10 October.
		{"hand in", Dates{Today: date(t, "2025-09-30"), CashCollectedOn: date(t, "2025-09-30")},
			KeyHandIn, "2025-10-10", Running, ""},
		{"handed in", Dates{Today: date(t, "2025-10-20"), CashCollectedOn: date(t, "2025-09-30"), CashHandedInOn: date(t, "2025-10-09")},
			KeyHandIn, "2025-10-10", Met, ""},
		{"hand in overdue", Dates{Today: date(t, "2025-10-11"), CashCollectedOn: date(t, "2025-09-30")},
			KeyHandIn, "2025-10-10", Overdue, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(t, Compute(DefaultSettings(), cal, tt.d), tt.key)
			if ymd(got.Due) != tt.due || got.Status != tt.status || got.Note != tt.note {
				t.Errorf("%s = %s %s %q, want %s %s %q", tt.key, ymd(got.Due), got.Status, got.Note, tt.due, tt.status, tt.note)
			}
		})
	}
}

func TestEnforcementWindow(t *testing.T) {
	cal := nationalDay2025()
	tests := []struct {
		name                       string
		served, demand, deferred   string
		earliest, latest           string
		litigationMonths, demandWD int
	}{
		// Served Tue 16 Sep 2025: reconsideration to 15 Nov (Sat) → 17 Nov;
		// lawsuit to 16 Mar 2026 (Mon). Court application from 17 Mar to 16 Jun 2026.
		{"remedy periods decide", "2025-09-16", "2025-10-09", "", "2026-03-17", "2026-06-16", 0, 0},
		// The 10th working day after Tue 10 Mar 2026 is Tue 24 Mar.
		{"the 催告 decides", "2025-09-16", "2026-03-10", "", "2026-03-25", "2026-06-16", 0, 0},
		{"no 催告 yet", "2025-09-16", "", "", "", "2026-06-16", 0, 0},
		{"no service", "", "2025-10-09", "", "", "", 0, 0},
		// Lawsuit to Sat 14 Mar 2026, moved to Mon 16 Mar.
		{"a lawsuit period ending on a weekend", "2025-09-14", "2025-10-09", "", "2026-03-17", "2026-06-16", 0, 0},
		// 31 August + 6 months: 28 February 2026 (Sat) → Mon 2 March; + 3 months: 2 June.
		{"month end", "2025-08-31", "2025-10-09", "", "2026-03-03", "2026-06-02", 0, 0},
		// The remedy periods run from service whatever the deferral (the
		// party knew of the decision then): deferred to Wed 31 Dec 2025, the
		// windows still close Mon 16 Mar 2026.
		{"a deferral inside the remedy periods", "2025-09-16", "2026-01-05", "2025-12-31", "2026-03-17", "2026-06-16", 0, 0},
		// Deferred past them, to Thu 30 Apr 2026: the three months run from
		// its end (APL art. 72 ¶2), to Thu 30 Jul 2026; the 催告 of Mon 4
		// May plus 10 working days is Mon 18 May.
		{"a deferral past the remedy periods", "2025-09-16", "2026-05-04", "2026-04-30", "2026-05-19", "2026-07-30", 0, 0},
		{"a deferral before service is ignored", "2025-09-16", "2025-10-09", "2025-09-01", "2026-03-17", "2026-06-16", 0, 0},
		// Configured: lawsuit 3 months (to 16 Dec); 催告 Wed 3 Dec + 15 working days = 24 Dec.
		{"configured periods", "2025-09-16", "2025-12-03", "", "2025-12-25", "2026-03-16", 3, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			if tt.litigationMonths > 0 {
				s.LitigationMonths = tt.litigationMonths
			}
			if tt.demandWD > 0 {
				s.DemandWorkingDays = tt.demandWD
			}
			e, l := EnforcementWindow(s, cal, date(t, tt.served), date(t, tt.demand), date(t, tt.deferred))
			if ymd(e) != tt.earliest || ymd(l) != tt.latest {
				t.Errorf("window = %s..%s, want %s..%s", ymd(e), ymd(l), tt.earliest, tt.latest)
			}
		})
	}
}

func TestEnforcementDeadline(t *testing.T) {
	cal := nationalDay2025()
	base := Dates{DecidedOn: date(t, "2025-09-15"), DecisionServedOn: date(t, "2025-09-16"), DemandServedOn: date(t, "2025-10-09")}
	tests := []struct {
		name    string
		d       func(Dates) Dates
		present bool
		status  Status
		note    string
	}{
		{"before the earliest day", func(d Dates) Dates { d.Today = date(t, "2025-11-01"); return d }, true, Running,
			"催告送达满10个工作日且复议、诉讼期限届满后方可申请（最早2026-03-17）"},
		{"inside the window", func(d Dates) Dates { d.Today = date(t, "2026-04-01"); return d }, true, Running, ""},
		{"due soon", func(d Dates) Dates { d.Today = date(t, "2026-06-10"); return d }, true, DueSoon, ""},
		{"overdue", func(d Dates) Dates { d.Today = date(t, "2026-06-17"); return d }, true, Overdue, ""},
		{"applied in the window", func(d Dates) Dates {
			d.Today, d.EnforcementAppliedOn = date(t, "2026-06-17"), date(t, "2026-04-01")
			return d
		}, true, Met, ""},
		{"applied too early", func(d Dates) Dates {
			d.Today, d.EnforcementAppliedOn = date(t, "2025-11-02"), date(t, "2025-11-01")
			return d
		}, true, Met, "催告送达满10个工作日且复议、诉讼期限届满后方可申请（最早2026-03-17）"},
		{"applied late", func(d Dates) Dates {
			d.Today, d.EnforcementAppliedOn = date(t, "2026-07-01"), date(t, "2026-06-17")
			return d
		}, true, Missed, ""},
		{"paid: nothing to enforce", func(d Dates) Dates {
			d.Today, d.PaidInFull = date(t, "2025-11-01"), true
			return d
		}, false, "", ""},
		{"no 催告: no clock", func(d Dates) Dates {
			d.Today, d.DemandServedOn = date(t, "2025-11-01"), time.Time{}
			return d
		}, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := Compute(DefaultSettings(), cal, tt.d(base))
			if !tt.present {
				if has(ds, KeyEnforcement) {
					t.Errorf("unexpected enforcement deadline")
				}
				return
			}
			got := find(t, ds, KeyEnforcement)
			if ymd(got.Due) != "2026-06-16" || got.Status != tt.status || got.Note != tt.note {
				t.Errorf("enforcement = %s %s %q, want 2026-06-16 %s %q", ymd(got.Due), got.Status, got.Note, tt.status, tt.note)
			}
			if got.Label != "申请法院强制执行" || got.Basis != "行政强制法第五十三条、第五十四条" {
				t.Errorf("label %q basis %q", got.Label, got.Basis)
			}
		})
	}
	// The note names the configured number of working days.
	s := DefaultSettings()
	s.DemandWorkingDays = 12
	d := base
	d.Today = date(t, "2025-11-01")
	if n := find(t, Compute(s, cal, d), KeyEnforcement).Note; !strings.HasPrefix(n, "催告送达满12个工作日") {
		t.Errorf("note %q should name 12 working days", n)
	}
}

func TestPaymentDeferred(t *testing.T) {
	d := Dates{Today: date(t, "2025-10-10"), DecidedOn: date(t, "2025-09-15"), DecisionServedOn: date(t, "2025-09-16"),
		PaymentDueOverride: date(t, "2025-12-31")}
	got := find(t, Compute(DefaultSettings(), nationalDay2025(), d), KeyPayment)
	if ymd(got.Due) != "2025-12-31" || got.Status != Running || !strings.Contains(got.Basis, "第六十六条") {
		t.Errorf("payment = %s %s %q, want 2025-12-31 running, basis art. 66", ymd(got.Due), got.Status, got.Basis)
	}
	d.Today = date(t, "2026-01-01")
	if got := find(t, Compute(DefaultSettings(), nationalDay2025(), d), KeyPayment); got.Status != Overdue {
		t.Errorf("after the deferral: %s, want overdue", got.Status)
	}
}

func TestSurcharges(t *testing.T) {
	const yuan = 100
	due := "2025-09-16"
	type pay struct {
		yuan int64
		on   string
	}
	tests := []struct {
		name   string
		fine   int64 // yuan
		pays   []pay
		paused [][2]string
		want   []int64 // fen
	}{
		// S4: 1 yuan 34 days late carries the capped 1000 yuan; the rest nothing.
		{"S4: total never above the fine", 1000, []pay{{1, "2025-10-20"}, {999, "2025-11-20"}}, nil, []int64{1000 * yuan, 0}},
		{"S4: on the amount still owed", 1000, []pay{{900, "2025-09-16"}, {100, "2025-09-25"}}, nil, []int64{0, 27 * yuan}},
		// S4: 60 days late, 50 of them under reconsideration: 10 days, 300 yuan.
		{"S4: not during a reconsideration", 1000, []pay{{1000, "2025-11-15"}}, [][2]string{{"2025-09-20", "2025-11-09"}}, []int64{300 * yuan}},
		{"remedy still pending: 17-19 September count", 1000, []pay{{1000, "2025-11-15"}}, [][2]string{{"2025-09-20", ""}}, []int64{90 * yuan}},
		{"remedy before the due date does not count", 1000, []pay{{1000, "2025-09-26"}}, [][2]string{{"2025-09-01", "2025-09-10"}}, []int64{300 * yuan}},
		// 1000 owed for 10 days, then 500 for 10 more: 300 + 150.
		{"each day once, on what is owed", 1000, []pay{{500, "2025-09-26"}, {500, "2025-10-06"}}, nil, []int64{300 * yuan, 150 * yuan}},
		{"given out of date order", 1000, []pay{{500, "2025-10-06"}, {500, "2025-09-26"}}, nil, []int64{150 * yuan, 300 * yuan}},
		{"early part-payment lowers the base", 1000, []pay{{600, "2025-09-01"}, {400, "2025-09-26"}}, nil, []int64{0, 120 * yuan}},
		{"overpaid: nothing more", 1000, []pay{{1200, "2025-09-26"}, {10, "2025-10-26"}}, nil, []int64{300 * yuan, 0}},
		{"capped across payments", 1000, []pay{{100, "2025-10-16"}, {900, "2025-10-26"}}, nil, []int64{900 * yuan, 100 * yuan}},
		{"on time", 1000, []pay{{1000, "2025-09-16"}}, nil, []int64{0}},
		{"no payments", 1000, nil, nil, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps []PaymentIn
			for _, p := range tt.pays {
				ps = append(ps, PaymentIn{AmountFen: p.yuan * yuan, On: date(t, p.on)})
			}
			var paused []Suspension
			for _, x := range tt.paused {
				paused = append(paused, Suspension{From: date(t, x[0]), Resumed: date(t, x[1])})
			}
			got := Surcharges(tt.fine*yuan, date(t, due), ps, paused)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Surcharges = %v, want %v", got, tt.want)
			}
			var total int64
			for _, s := range got {
				total += s
			}
			if total > tt.fine*yuan {
				t.Errorf("total %d above the fine", total)
			}
		})
	}
	// Rounded down to the fen: 3 % of 3.33 yuan is 9.99 fen.
	if got := Surcharges(333, date(t, due), []PaymentIn{{333, date(t, "2025-09-17")}}, nil); got[0] != 9 {
		t.Errorf("rounding: %d, want 9", got[0])
	}
}

func TestSurchargeOwed(t *testing.T) {
	const yuan = 100
	due := date(t, "2025-09-16")
	tests := []struct {
		name   string
		pays   []PaymentIn
		paused []Suspension
		today  string
		want   int64
	}{
		{"on the remainder since the due date", []PaymentIn{{90000, due}}, nil, "2025-09-26", 30 * yuan},
		{"nothing paid, 10 days", nil, nil, "2025-09-26", 300 * yuan},
		{"nothing paid, long ago: the fine", nil, nil, "2026-09-26", 1000 * yuan},
		{"not yet due", nil, nil, "2025-09-16", 0},
		// 500 paid 20 days late carries 600; then 500 owed: 20 more days 300.
		{"since the last payment", []PaymentIn{{50000, date(t, "2025-10-06")}}, nil, "2025-10-26", 300 * yuan},
		{"the recorded surcharge counts toward the cap", []PaymentIn{{50000, date(t, "2025-10-06")}}, nil, "2025-11-06", 400 * yuan},
		{"S4: cap reached by the first payment", []PaymentIn{{1 * yuan, date(t, "2025-10-20")}}, nil, "2025-11-01", 0},
		{"remedy pending: 17-19 September count", nil, []Suspension{{From: date(t, "2025-09-20")}}, "2025-11-01", 90 * yuan},
		{"paid in full", []PaymentIn{{100000, date(t, "2025-09-20")}}, nil, "2025-11-01", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SurchargeOwed(1000*yuan, due, tt.pays, tt.paused, date(t, tt.today)); got != tt.want {
				t.Errorf("SurchargeOwed = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestAllClocksInOrder(t *testing.T) {
	d := Dates{
		Today:                date(t, "2025-04-01"),
		ActOn:                date(t, "2025-02-01"),
		DiscoveredOn:         date(t, "2025-02-20"),
		FiledOn:              date(t, "2025-03-01"),
		PreservedOn:          date(t, "2025-03-02"),
		SeizedOn:             date(t, "2025-03-02"),
		EmergencySeizedOn:    date(t, "2025-03-02"),
		TransferProposedOn:   date(t, "2025-03-05"),
		ReviewSubmittedOn:    date(t, "2025-03-10"),
		NoticeServedOn:       date(t, "2025-03-17"),
		DecidedOn:            date(t, "2025-03-25"),
		DecisionServedOn:     date(t, "2025-03-26"),
		CashCollectedOn:      date(t, "2025-03-26"),
		DemandServedOn:       date(t, "2025-03-31"),
		EnforcementAppliedOn: time.Time{},
	}
	var keys []string
	ds := Compute(Settings{}, Calendar{}, d) // zero settings: every period falls back to its default
	for _, x := range ds {
		keys = append(keys, x.Key)
		if x.Label == "" || x.Basis == "" || x.Due.IsZero() {
			t.Errorf("%s: label %q basis %q due %s", x.Key, x.Label, x.Basis, ymd(x.Due))
		}
	}
	want := []string{KeyLimitation, KeyFiling, KeyPreservation, KeySeizure, KeyEmergency, KeyTransfer, KeyReview, KeyStatement,
		KeyHearingRequest, KeyDecision, KeyService, KeyPayment, KeyHandIn, KeyEnforcement}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	if got := ymd(find(t, ds, KeyFiling).Due); got != "2025-03-13" { // 15 working days from Thu 20 Feb
		t.Errorf("filing due %s with zero settings", got)
	}
}

// The party's remedy periods close on the later of the reconsideration and
// lawsuit periods, each moved off a rest day; 强制拆除 (AEL art. 44) and the
// court application wait for the day after.
func TestRemedyWindowsClose(t *testing.T) {
	cal := nationalDay2025()
	for _, tt := range []struct{ name, served, closes string }{
		{"lawsuit period decides", "2025-09-16", "2026-03-16"},
		{"ends on a Sunday, moved to Monday", "2025-09-01", "2026-03-02"},
		{"not served", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ymd(RemedyWindowsClose(DefaultSettings(), cal, date(t, tt.served))); got != tt.closes {
				t.Errorf("closes %s, want %s", got, tt.closes)
			}
		})
	}
	s := DefaultSettings()
	s.LitigationMonths = 1 // reconsideration (60 days) then ends later: Sat 15 Nov → Mon 17 Nov
	if got := ymd(RemedyWindowsClose(s, cal, date(t, "2025-09-16"))); got != "2025-11-17" {
		t.Errorf("closes %s, want 2025-11-17", got)
	}
}

// AEL art. 19: a seizure on the spot in an emergency is reported to the
// head, and approval obtained, within 24 hours: by the day after.
func TestEmergencySeizureReport(t *testing.T) {
	for _, tt := range []struct {
		name, today, reported string
		want                  Status
		note                  string
	}{
		{"same day, not yet reported", "2025-09-01", "", Running, ""},
		{"two days on, not reported", "2025-09-03", "", Overdue, "紧急情况当场查封扣押，应在24小时内向负责人报告并补办批准手续（行政强制法第十九条）"},
		{"reported the next day", "2025-09-05", "2025-09-02", Met, ""},
		{"reported late", "2025-09-05", "2025-09-03", Missed, "逾期报告（应在24小时内报告）"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := Dates{Today: date(t, tt.today), FiledOn: date(t, "2025-09-01"), EmergencySeizedOn: date(t, "2025-09-01")}
			if tt.reported != "" {
				d.EmergencyReportedOn = date(t, tt.reported)
			}
			dl := find(t, Compute(Settings{}, Calendar{}, d), KeyEmergency)
			if ymd(dl.Due) != "2025-09-02" || dl.Status != tt.want || dl.Note != tt.note {
				t.Errorf("due %s status %s note %q, want 2025-09-02 %s %q", ymd(dl.Due), dl.Status, dl.Note, tt.want, tt.note)
			}
		})
	}
}
