package publication

import (
	"testing"
	"time"

	"zhifa/internal/deadline"
	"zhifa/internal/procedure"
	"zhifa/internal/zhifa"
)

func date(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, zhifa.Local)
	if err != nil {
		panic(err)
	}
	return t
}

// calendar2025 is the State Council's calendar the county seeds.
func calendar2025() deadline.Calendar {
	cal := deadline.Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	for _, h := range procedure.Sample {
		if h.Kind == "holiday" {
			cal.Holidays[h.Day] = true
		} else {
			cal.Workdays[h.Day] = true
		}
	}
	return cal
}

// The period to publish is counted in working days from the decision,
// holidays and adjusted working days (调休) respected.
func TestPublicationDeadline(t *testing.T) {
	cal := calendar2025()
	for _, tt := range []struct {
		name           string
		decided, today string
		period         int
		cal            deadline.Calendar
		due            string
		status         deadline.Status
		left           int
	}{
		{"an ordinary week", "2025-09-01", "2025-09-01", 7, cal, "2025-09-10", deadline.Running, 9},
		{"over the National Day holidays, 28 September and 11 October worked", "2025-09-26", "2025-09-26", 7, cal, "2025-10-13", deadline.Running, 17},
		{"the same without the holiday calendar", "2025-09-26", "2025-09-26", 7, deadline.Calendar{}, "2025-10-07", deadline.Running, 11},
		{"over the Spring Festival 2026", "2026-02-12", "2026-02-12", 7, cal, "2026-02-28", deadline.Running, 16},
		{"the setting at 10", "2025-09-26", "2025-10-14", 10, cal, "2025-10-16", deadline.DueSoon, 2},
		{"the last day", "2025-09-01", "2025-09-10", 7, cal, "2025-09-10", deadline.DueSoon, 0},
		{"a day late", "2025-09-01", "2025-09-11", 7, cal, "2025-09-10", deadline.Overdue, -1},
		{"no setting: the default 7", "2025-09-01", "2025-09-01", 0, cal, "2025-09-10", deadline.Running, 9},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := Compute(Facts{Today: date(tt.today), Applies: true, DecidedOn: date(tt.decided), Period: tt.period, Calendar: tt.cal,
				Document: &Decision{ID: 1, IssuedOn: date(tt.decided)}})
			if got := st.DueOn.Format(time.DateOnly); got != tt.due {
				t.Errorf("due %s, want %s", got, tt.due)
			}
			if st.Due != tt.status || st.DaysLeft != tt.left {
				t.Errorf("status %s with %d days left, want %s with %d", st.Due, st.DaysLeft, tt.status, tt.left)
			}
			if !st.ToPublish() {
				t.Error("not waiting to be published")
			}
		})
	}
}

// A publication stands until the decision is changed; then it is to be
// withdrawn within three working days of the change. A decision changed
// before it was published is not published; a minor's never is.
func TestWithdrawalAndExceptions(t *testing.T) {
	cal := calendar2025()
	doc := &Decision{ID: 7, IssuedOn: date("2025-09-01")}
	docID := int64(7)
	published := Record{ID: 3, Kind: KindPublished, DocumentID: &docID, OnDate: date("2025-09-03")}
	base := Facts{Today: date("2025-09-30"), Applies: true, DecidedOn: date("2025-09-01"), Period: 7, Calendar: cal, Document: doc}

	f := base
	f.Records = []Record{published}
	f.Corrections = []Correction{{On: date("2025-09-26"), What: "行政复议纠错"}}
	st := Compute(f)
	if !st.Published() || !st.ToWithdraw() || st.Due != deadline.Met {
		t.Fatalf("published %v, to withdraw %v, due %s", st.Published(), st.ToWithdraw(), st.Due)
	}
	// 26 September (Friday) + 3 working days: 28 September (Sunday, worked), 29, 30.
	if got := st.WithdrawDueOn.Format(time.DateOnly); got != "2025-09-30" || st.WithdrawDue != deadline.DueSoon {
		t.Errorf("withdraw by %s (%s), want 2025-09-30, due soon", got, st.WithdrawDue)
	}
	f.Today = date("2025-10-09")
	if st := Compute(f); st.WithdrawDue != deadline.Overdue || !st.Overdue() {
		t.Errorf("after the holidays: %s, want overdue", st.WithdrawDue)
	}

	// Published late: the record says so.
	f = base
	late := published
	late.OnDate = date("2025-09-12")
	f.Records = []Record{late}
	if st := Compute(f); st.Due != deadline.Missed || st.ToWithdraw() {
		t.Errorf("published after the due day: %s", st.Due)
	}

	// Withdrawn: nothing stands; a change since means nothing is due.
	f = base
	w := published
	day := date("2025-09-29")
	w.WithdrawnOn = &day
	f.Records = []Record{w}
	f.Corrections = []Correction{{On: date("2025-09-26"), What: "行政复议纠错"}}
	st = Compute(f)
	if st.Standing != nil || len(st.Withdrawn) != 1 || st.ToPublish() || st.NotDue == "" {
		t.Errorf("withdrawn after a change: standing %v, withdrawn %d, to publish %v, not due %q", st.Standing, len(st.Withdrawn), st.ToPublish(), st.NotDue)
	}
	// Withdrawn for another reason (a text to correct): due again.
	f.Corrections = nil
	if st := Compute(f); !st.ToPublish() || st.Due != deadline.Overdue {
		t.Errorf("withdrawn without a change: to publish %v, %s", st.ToPublish(), st.Due)
	}
	// A change before a new decision document does not count against it.
	f = base
	f.Corrections = []Correction{{On: date("2025-08-30"), What: "撤销原决定"}}
	if st := Compute(f); !st.ToPublish() {
		t.Errorf("a change before the document: %q", st.NotDue)
	}

	f = base
	f.Minor = true
	if st := Compute(f); st.ToPublish() || st.NotDue == "" {
		t.Error("a minor's decision is due for publication")
	}
	f = base
	f.Records = []Record{{ID: 4, Kind: KindExempt, Ground: GroundNoImpact, Reason: "情节轻微", OnDate: date("2025-09-02")}}
	if st := Compute(f); !st.Exempt() || st.ToPublish() || st.CanPublish {
		t.Error("exempt, yet due")
	}
	if st := Compute(Facts{Applies: false, NotApplies: "简易程序"}); st.ToPublish() || st.NotApplies != "简易程序" {
		t.Error("a summary decision is due")
	}
}
