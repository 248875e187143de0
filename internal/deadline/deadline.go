package deadline

import (
	"sort"
	"time"
)

// Settings are the periods; practice values are settings stored in the
// database by the caller. A period that is zero or negative falls back to its
// default (a zero-day period is never meant).
type Settings struct {
	DecisionDays         int // 90 calendar days from filing (art. 60)
	ExtensionDays        int // 30 (practice) — the length of one approved extension
	StatementWorkingDays int // 3 working days after notice (practice, 3-5)
	// HearingRequestDays is the 5 days after notice to request a hearing
	// (art. 64). Art. 85 makes the law's "五日" working days, so it is counted
	// in working days.
	HearingRequestDays int
	// ServiceDays is the 7 days after the decision to serve it when the party
	// was absent (art. 61); "七日" is working days by art. 85.
	ServiceDays            int
	PaymentDays            int // 15 calendar days after service (art. 67), moved off a rest day
	ReviewWorkingDays      int // 5 working days for the legal review (practice)
	LimitationYears        int // 2 years from the act (art. 36)
	LimitationYearsSerious int // 5 years where life, health or financial safety was harmed (art. 36)
	DueSoonDays            int // 7: a deadline within this many days is "due soon"
}

// DefaultSettings returns the statutory periods and common practice values.
func DefaultSettings() Settings {
	return Settings{
		DecisionDays:           90,
		ExtensionDays:          30,
		StatementWorkingDays:   3,
		HearingRequestDays:     5,
		ServiceDays:            7,
		PaymentDays:            15,
		ReviewWorkingDays:      5,
		LimitationYears:        2,
		LimitationYearsSerious: 5,
		DueSoonDays:            7,
	}
}

// withDefaults replaces non-positive periods by their defaults; DueSoonDays may
// be 0 (only today is due soon) but not negative.
func (s Settings) withDefaults() Settings {
	def := DefaultSettings()
	fill := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	fill(&s.DecisionDays, def.DecisionDays)
	fill(&s.ExtensionDays, def.ExtensionDays)
	fill(&s.StatementWorkingDays, def.StatementWorkingDays)
	fill(&s.HearingRequestDays, def.HearingRequestDays)
	fill(&s.ServiceDays, def.ServiceDays)
	fill(&s.PaymentDays, def.PaymentDays)
	fill(&s.ReviewWorkingDays, def.ReviewWorkingDays)
	fill(&s.LimitationYears, def.LimitationYears)
	fill(&s.LimitationYearsSerious, def.LimitationYearsSerious)
	if s.DueSoonDays < 0 {
		s.DueSoonDays = 0
	}
	return s
}

// Suspension is a 中止: from From (inclusive) to Resumed (exclusive); Resumed
// zero while still suspended.
type Suspension struct{ From, Resumed time.Time }

// span is a run of suspended days [from, to).
type span struct{ from, to time.Time }

// spans returns the suspended days up to and including until, merged so that
// overlapping suspensions count once, in date order.
func spans(s []Suspension, until time.Time) []span {
	if until.IsZero() {
		return nil
	}
	end := addDays(Day(until), 1)
	var out []span
	for _, x := range s {
		from, to := Day(x.From), Day(x.Resumed)
		if from.IsZero() {
			continue
		}
		if to.IsZero() || to.After(end) {
			to = end
		}
		if !to.After(from) {
			continue
		}
		out = append(out, span{from, to})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].from.Before(out[j].from) })
	merged := out[:0]
	for _, x := range out {
		if n := len(merged); n > 0 && !x.from.After(merged[n-1].to) {
			if x.to.After(merged[n-1].to) {
				merged[n-1].to = x.to
			}
			continue
		}
		merged = append(merged, x)
	}
	return merged
}

// PausedDays counts the calendar days the case was suspended up to and
// including `until` (a suspension still running counts up to until).
// Overlapping suspensions count each day once.
func PausedDays(s []Suspension, until time.Time) int {
	n := 0
	for _, x := range spans(s, until) {
		n += daysBetween(x.from, x.to)
	}
	return n
}

// Dates are the facts of a case that drive its clocks. Zero means "not yet".
type Dates struct {
	Today              time.Time
	ActOn              time.Time // when the act happened (or ended, if continuing)
	FiledOn            time.Time // zero for a lead
	ReviewSubmittedOn  time.Time // zero if not yet
	NoticeServedOn     time.Time // zero if not yet
	DecidedOn          time.Time
	DecisionServedOn   time.Time
	PaidInFull         bool
	PaidOn             time.Time // optional: when paid in full, to tell Met from Missed
	Closed             bool      // the case is over: no deadline is overdue any more
	Suspensions        []Suspension
	ExtensionsApproved int // how many extensions of ExtensionDays were approved

	SeriousHarm    bool // the act harmed life, health or financial safety: 5-year limitation
	NoHearingRight bool // the notice carried no hearing right: no hearing_request period
	NoPayment      bool // the decision imposes nothing to pay: no payment period
}

// Status is where a deadline stands today.
type Status string

const (
	Running Status = "running"
	DueSoon Status = "due_soon"
	Overdue Status = "overdue"
	Paused  Status = "paused" // the case is suspended: the clock does not run
	Met     Status = "met"    // the step was done in time or the case moved past it
	Missed  Status = "missed" // the step was done, but late
)

// Label is the status as shown to users.
func (s Status) Label() string {
	switch s {
	case Running:
		return "进行中"
	case DueSoon:
		return "即将到期"
	case Overdue:
		return "已逾期"
	case Paused:
		return "已暂停"
	case Met:
		return "已完成"
	case Missed:
		return "逾期完成"
	}
	return string(s)
}

// rank orders statuses by urgency for Worst.
func (s Status) rank() int {
	switch s {
	case Overdue:
		return 6
	case DueSoon:
		return 5
	case Running:
		return 4
	case Paused:
		return 3
	case Missed:
		return 2
	case Met:
		return 1
	}
	return 0
}

// Deadline is one running (or finished) period of a case.
type Deadline struct {
	Key      string    // "limitation", "review", "statement", "hearing_request", "decision", "service", "payment"
	Label    string    // 追责时效, 法制审核, 陈述申辩期, 听证申请期, 作出处罚决定, 送达决定书, 缴纳罚款
	Due      time.Time // the last day
	Status   Status
	DaysLeft int    // Due - Today in days (negative when overdue)
	Basis    string // e.g. "行政处罚法第六十条"; practice settings say "（实务设定，可在程序设置中调整）"
	Note     string // a warning for the officer, if any
}

// Keys of the deadlines, in the order Compute returns them.
const (
	KeyLimitation     = "limitation"
	KeyReview         = "review"
	KeyStatement      = "statement"
	KeyHearingRequest = "hearing_request"
	KeyDecision       = "decision"
	KeyService        = "service"
	KeyPayment        = "payment"
)

const practice = "（实务设定，可在程序设置中调整）"

// engine holds one computation.
type engine struct {
	s     Settings
	cal   Calendar
	d     Dates
	today time.Time
	susp  []span // suspended days up to and including today
}

// suspended reports whether the case was suspended on day.
func (e *engine) suspended(day time.Time) bool {
	for _, x := range e.susp {
		if !day.Before(x.from) && day.Before(x.to) {
			return true
		}
	}
	return false
}

// count returns the last day of a period of n days (working days if working)
// starting after start, skipping the days the case was suspended: a clock
// moves by the suspended days that fall while it is running. A suspension
// that begins after the period already ran out does not revive it.
func (e *engine) count(start time.Time, n int, working bool) time.Time {
	d := start
	for n > 0 {
		d = addDays(d, 1)
		if e.suspended(d) || (working && !e.cal.IsWorkday(d)) {
			continue
		}
		n--
	}
	return d
}

// open fills the status of a deadline whose step is not done yet.
func (e *engine) open(dl *Deadline) {
	switch {
	case e.d.Closed:
		dl.Status = Met
	case e.suspended(e.today) && !dl.Due.Before(e.today):
		dl.Status = Paused
	case dl.DaysLeft < 0:
		dl.Status = Overdue
	case dl.DaysLeft <= e.s.DueSoonDays:
		dl.Status = DueSoon
	default:
		dl.Status = Running
	}
}

// done fills the status of a deadline whose step was done on the given day.
func done(dl *Deadline, on time.Time) {
	if !on.IsZero() && on.After(dl.Due) {
		dl.Status = Missed
	} else {
		dl.Status = Met
	}
}

func (e *engine) newDeadline(key, label string, due time.Time, basis string) Deadline {
	return Deadline{Key: key, Label: label, Due: due, DaysLeft: daysBetween(e.today, due), Basis: basis}
}

// Compute returns the deadlines that apply to a case now, in procedure order:
// limitation, review, statement, hearing_request, decision, service, payment.
// A deadline appears once its clock has started (the triggering date is set).
//
// Every clock from filing on skips the days the case was suspended while it
// ran, so it moves by the overlap; while the case is suspended a clock still
// running shows Paused. Working-day periods skip suspended days as well as
// rest days. The limitation period is not affected (it stops at filing).
// A closed case has nothing overdue: a step not done is Met (moved past).
func Compute(s Settings, cal Calendar, d Dates) []Deadline {
	s = s.withDefaults()
	today := Day(d.Today)
	e := &engine{s: s, cal: cal, d: d, today: today, susp: spans(d.Suspensions, today)}
	var out []Deadline

	filed := Day(d.FiledOn)
	submitted := Day(d.ReviewSubmittedOn)
	noticed := Day(d.NoticeServedOn)
	decided := Day(d.DecidedOn)
	served := Day(d.DecisionServedOn)

	// 追责时效: from the act, stopped by filing (art. 36).
	if act := Day(d.ActOn); !act.IsZero() {
		years := s.LimitationYears
		if d.SeriousHarm {
			years = s.LimitationYearsSerious
		}
		dl := e.newDeadline(KeyLimitation, "追责时效", addYears(act, years), "行政处罚法第三十六条")
		switch {
		case !filed.IsZero():
			done(&dl, filed)
			if dl.Status == Missed {
				dl.Note = "立案时已超过追责时效，不得给予行政处罚"
			}
		case d.Closed:
			dl.Status = Met
		case dl.DaysLeft < 0:
			dl.Status = Overdue
			dl.Note = "已超过追责时效，不得给予行政处罚"
		case dl.DaysLeft <= s.DueSoonDays:
			dl.Status = DueSoon
			dl.Note = "追责时效即将届满，须及时立案"
		default:
			dl.Status = Running
		}
		out = append(out, dl)
	}

	// 法制审核: working days from submission; done once the notice is served or
	// the decision made (whichever comes first after submission).
	if !submitted.IsZero() {
		dl := e.newDeadline(KeyReview, "法制审核", e.count(submitted, s.ReviewWorkingDays, true),
			"行政处罚法第五十八条；审核期限"+practice)
		if (!noticed.IsZero() && !noticed.Before(submitted)) || (!decided.IsZero() && !decided.Before(submitted)) {
			dl.Status = Met
		} else {
			e.open(&dl)
		}
		out = append(out, dl)
	}

	// 陈述申辩期 and 听证申请期: the party's periods after the notice. They end
	// by themselves (Met once past) and the decision should wait for them.
	if !noticed.IsZero() {
		party := func(dl Deadline, early string) Deadline {
			switch {
			case !decided.IsZero():
				dl.Status = Met
				if decided.Before(dl.Due) && !d.Closed {
					dl.Note = early
				}
			case dl.DaysLeft < 0:
				dl.Status = Met
			default:
				e.open(&dl)
			}
			return dl
		}
		out = append(out, party(
			e.newDeadline(KeyStatement, "陈述申辩期", e.count(noticed, s.StatementWorkingDays, true),
				"行政处罚法第四十四条、第四十五条；期限"+practice),
			"决定在陈述申辩期届满前作出，须有当事人明确放弃陈述申辩的记录"))
		if !d.NoHearingRight {
			out = append(out, party(
				e.newDeadline(KeyHearingRequest, "听证申请期", e.count(noticed, s.HearingRequestDays, true),
					"行政处罚法第六十四条、第八十五条"),
				"决定在听证申请期届满前作出，须有当事人明确放弃听证的记录"))
		}
	}

	// 作出处罚决定: 90 days from filing plus approved extensions (art. 60).
	if !filed.IsZero() {
		n := s.DecisionDays
		basis := "行政处罚法第六十条"
		if d.ExtensionsApproved > 0 {
			n += d.ExtensionsApproved * s.ExtensionDays
			basis += "；经批准延长" + practice
		}
		dl := e.newDeadline(KeyDecision, "作出处罚决定", e.count(filed, n, false), basis)
		if !decided.IsZero() {
			done(&dl, decided)
		} else {
			e.open(&dl)
		}
		out = append(out, dl)
	}

	// 送达决定书: working days after the decision (arts. 61, 85).
	if !decided.IsZero() {
		dl := e.newDeadline(KeyService, "送达决定书", e.count(decided, s.ServiceDays, true),
			"行政处罚法第六十一条、第八十五条")
		if !served.IsZero() {
			done(&dl, served)
		} else {
			e.open(&dl)
		}
		out = append(out, dl)
	}

	// 缴纳罚款: calendar days after service, moved off a rest day (art. 67).
	if !served.IsZero() && !d.NoPayment {
		due := cal.rollToWorkday(e.count(served, s.PaymentDays, false))
		dl := e.newDeadline(KeyPayment, "缴纳罚款", due, "行政处罚法第六十七条")
		if d.PaidInFull {
			done(&dl, Day(d.PaidOn))
		} else {
			e.open(&dl)
			if dl.Status == Overdue {
				dl.Note = "逾期未缴纳，每日按罚款数额的百分之三加处罚款（行政处罚法第七十二条），可催告后申请法院强制执行"
			}
		}
		out = append(out, dl)
	}
	return out
}

// Worst returns the most urgent status among deadlines (Overdue > DueSoon >
// Running > Paused > Missed > Met), for lists; "" for none.
func Worst(ds []Deadline) Status {
	var w Status
	for _, dl := range ds {
		if dl.Status.rank() > w.rank() {
			w = dl.Status
		}
	}
	return w
}

// Surcharge is the late-payment surcharge of APL art. 72: 3% of the fine per
// day past the payment due date, capped at the fine. Money is in fen; the
// result is rounded down (in the party's favour). paidOn is the payment date,
// or today while unpaid.
func Surcharge(fineFen int64, due, paidOn time.Time) int64 {
	if fineFen <= 0 || due.IsZero() || paidOn.IsZero() {
		return 0
	}
	days := int64(daysBetween(due, paidOn))
	if days <= 0 {
		return 0
	}
	if days > 34 { // 34 × 3% > 100%: capped anyway; keeps the product small
		days = 34
	}
	return min(fineFen*3*days/100, fineFen)
}
