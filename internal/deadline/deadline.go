package deadline

import (
	"fmt"
	"sort"
	"time"
)

// Settings are the periods; practice values are settings stored in the
// database by the caller. A period that is zero or negative falls back to its
// default (a zero-day period is never meant).
type Settings struct {
	DecisionDays         int // 90 calendar days from filing (art. 60), the end moved off a rest day
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
	LimitationYears        int // 2 years from the act to its discovery (art. 36)
	LimitationYearsSerious int // 5 years where life, health or financial safety was harmed (art. 36)
	DueSoonDays            int // 7: a deadline within this many days is "due soon"

	FilingWorkingDays         int // 15 working days from discovery to filing (practice, e.g. 市场监管 rules)
	HearingNoticeWorkingDays  int // 7: the hearing notice is served at least 7 working days before the hearing (arts. 64, 85)
	PreservationWorkingDays   int // 7 working days to decide on evidence kept by 先行登记保存 (arts. 56, 85)
	SeizureDays               int // 30 calendar days of 查封、扣押, once extensible by as many (AEL art. 25)
	TransferDecideWorkingDays int // 3 working days for the head to decide a criminal transfer (移送涉嫌犯罪案件的规定 art. 5)
	HandInWorkingDays         int // 2 working days to hand in cash collected on the spot (arts. 71, 85)
	DemandWorkingDays         int // 10 working days after the 催告 is served before applying to the court (AEL arts. 54, 69)
	ReconsiderationDays       int // 60 calendar days to apply for reconsideration after service (行政复议法 art. 20)
	LitigationMonths          int // 6 months to sue after service (行政诉讼法 art. 46)
	EnforcementApplyMonths    int // 3 months after the remedy periods end to apply to the court (AEL art. 53)
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

		FilingWorkingDays:         15,
		HearingNoticeWorkingDays:  7,
		PreservationWorkingDays:   7,
		SeizureDays:               30,
		TransferDecideWorkingDays: 3,
		HandInWorkingDays:         2,
		DemandWorkingDays:         10,
		ReconsiderationDays:       60,
		LitigationMonths:          6,
		EnforcementApplyMonths:    3,
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
	fill(&s.FilingWorkingDays, def.FilingWorkingDays)
	fill(&s.HearingNoticeWorkingDays, def.HearingNoticeWorkingDays)
	fill(&s.PreservationWorkingDays, def.PreservationWorkingDays)
	fill(&s.SeizureDays, def.SeizureDays)
	fill(&s.TransferDecideWorkingDays, def.TransferDecideWorkingDays)
	fill(&s.HandInWorkingDays, def.HandInWorkingDays)
	fill(&s.DemandWorkingDays, def.DemandWorkingDays)
	fill(&s.ReconsiderationDays, def.ReconsiderationDays)
	fill(&s.LitigationMonths, def.LitigationMonths)
	fill(&s.EnforcementApplyMonths, def.EnforcementApplyMonths)
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
	Today time.Time
	// ActOn is when the act happened or, for a continuing act, when it
	// ended (art. 36 ¶2): the limitation runs from it.
	ActOn time.Time
	// DiscoveredOn is when the act was discovered: the limitation runs to
	// it, and the filing clock from it.
	DiscoveredOn       time.Time
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
	// The party waived statement and defence, or the hearing, in writing; or
	// asked for the hearing: those periods stop running.
	StatementWaived, HearingWaived, HearingRequested bool
	// PlanEnd is the last date of an approved deferral or instalment plan:
	// the court application waits for it (APL art. 72 ¶2).
	PlanEnd   time.Time
	NoPayment bool // the decision imposes nothing to pay: no payment period

	// PaymentDueOverride is an approved deferral (暂缓缴纳) or the last
	// instalment's date (分期缴纳, art. 66 ¶2): the payment is due then, and
	// the court-enforcement windows run from it (art. 72 ¶2).
	PaymentDueOverride time.Time

	PreservedOn           time.Time // 先行登记保存 of evidence (art. 56)
	PreservationDecidedOn time.Time // the decision on the preserved evidence
	SeizedOn              time.Time // 查封、扣押 (AEL art. 25)
	SeizureExtended       bool      // the seizure was extended once, with approval
	SeizureEndedOn        time.Time // the seizure was lifted, or the goods dealt with
	// EmergencySeizedOn is a seizure carried out on the spot in an
	// emergency before approval (AEL art. 19); EmergencyReportedOn, the day
	// the head was told and approved it or had it released.
	EmergencySeizedOn    time.Time
	EmergencyReportedOn  time.Time
	TransferProposedOn   time.Time // a transfer to the judicial organs was proposed to the head
	TransferDecidedOn    time.Time // the head decided on it
	CashCollectedOn      time.Time // a fine collected in cash on the spot (arts. 68-70)
	CashHandedInOn       time.Time // ... handed in
	DemandServedOn       time.Time // the 催告书 was served (AEL art. 54)
	EnforcementAppliedOn time.Time // the application to the people's court (AEL art. 53)
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
	Key      string    // one of the Key constants
	Label    string    // in Chinese: 追责时效, 立案, 法制审核, 陈述申辩期, ...
	Due      time.Time // the last day
	Status   Status
	DaysLeft int    // Due - Today in days (negative when overdue)
	Basis    string // e.g. "行政处罚法第六十条"; practice settings say "（实务设定，可在程序设置中调整）"
	Note     string // a warning for the officer, if any
}

// Keys of the deadlines, in the order Compute returns them.
const (
	KeyLimitation     = "limitation"       // 追责时效
	KeyFiling         = "filing"           // 立案
	KeyPreservation   = "preservation"     // 先行登记保存处理决定
	KeySeizure        = "seizure"          // 查封扣押期限
	KeyEmergency      = "emergency_report" // 紧急查封扣押：报告负责人并补办批准
	KeyTransfer       = "transfer"         // 移送涉嫌犯罪案件审批
	KeyReview         = "review"           // 法制审核
	KeyStatement      = "statement"        // 陈述申辩期
	KeyHearingRequest = "hearing_request"  // 听证申请期
	KeyDecision       = "decision"         // 作出处罚决定
	KeyService        = "service"          // 送达决定书
	KeyPayment        = "payment"          // 缴纳罚款
	KeyHandIn         = "hand_in"          // 当场收缴罚款上缴
	KeyEnforcement    = "enforcement"      // 申请法院强制执行
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

// open fills the status of a deadline whose step is not done yet, on a
// clock that the case's suspension stops.
func (e *engine) open(dl *Deadline) {
	if !e.d.Closed && e.suspended(e.today) && !dl.Due.Before(e.today) {
		dl.Status = Paused
		return
	}
	e.openFixed(dl)
}

// openFixed fills the status of a deadline whose step is not done yet, on a
// clock that runs on whatever happens to the case (a period of another law,
// or one that protects the party's goods or money).
func (e *engine) openFixed(dl *Deadline) {
	switch {
	case e.d.Closed:
		dl.Status = Met
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

// WithinLimitation reports whether an act (or the end of a continuing act)
// was discovered within the limitation period of art. 36: years years from
// the act, the last day included (29 February ends on 28 February).
func WithinLimitation(act, discovered time.Time, years int) bool {
	return !Day(discovered).After(addYears(Day(act), years))
}

// HearingDateOK reports whether a hearing on hearingOn leaves the party the
// notice of art. 64(2): the hearing notice served on noticeServed at least
// minWorkdays working days before the hearing (art. 85). The hearing may be
// held on the minWorkdays-th working day after service or later: a notice
// served on Monday 1 September 2025 allows a hearing from Wednesday 10
// September (7 working days: 2, 3, 4, 5, 8, 9, 10).
func HearingDateOK(cal Calendar, noticeServed, hearingOn time.Time, minWorkdays int) bool {
	if noticeServed.IsZero() || hearingOn.IsZero() {
		return false
	}
	return !Day(hearingOn).Before(cal.AddWorkdays(noticeServed, minWorkdays))
}

// EnforcementWindow returns when the agency may apply to the people's court
// for enforcement of an unpaid decision (AEL arts. 53, 54): earliest is the
// first day an application is allowed, latest the last day it may be made.
//
//   - The party's remedy periods run from the service of the decision
//     (decisionServed), when the party learnt of it (行政复议法 art. 20,
//     行政诉讼法 art. 46): reconsideration ReconsiderationDays days, lawsuit
//     LitigationMonths months. Each ends on its last day, moved to the next
//     working day when that is a rest day (the party keeps the whole
//     period). They close when the later of the two ends. A deferral does
//     not move them.
//   - The 催告 must have been served (demandServed) and DemandWorkingDays
//     working days have passed (AEL arts. 54, 69).
//   - earliest is the day after the latest of the 10th working day after
//     the 催告, the close of the remedy periods and the end of an approved
//     deferral or the last instalment (deferredUntil); zero while no 催告
//     was served (no application is possible yet).
//   - latest is EnforcementApplyMonths months after the close of the remedy
//     periods (AEL art. 53) or, when an approved deferral or the last
//     instalment ends later, after that end (APL art. 72 ¶2), moved off a
//     rest day.
//
// With a zero decisionServed both are zero.
func EnforcementWindow(s Settings, cal Calendar, decisionServed, demandServed, deferredUntil time.Time) (earliest, latest time.Time) {
	s = s.withDefaults()
	closes := RemedyWindowsClose(s, cal, decisionServed)
	if closes.IsZero() {
		return time.Time{}, time.Time{}
	}
	if du := Day(deferredUntil); du.After(closes) {
		closes = du
	}
	latest = cal.rollToWorkday(addMonths(closes, s.EnforcementApplyMonths))
	if demandServed.IsZero() {
		return time.Time{}, latest
	}
	last := cal.AddWorkdays(demandServed, s.DemandWorkingDays)
	if closes.After(last) {
		last = closes
	}
	return addDays(last, 1), latest
}

// RemedyWindowsClose is the last day of the party's remedy periods against
// a decision served on decisionServed: reconsideration ReconsiderationDays
// days (行政复议法 art. 20) and lawsuit LitigationMonths months (行政诉讼法
// art. 46), each moved to the next working day when it ends on a rest day,
// whichever ends later. The agency's own enforcement (AEL art. 44: 强制拆除)
// and the court application (AEL art. 53) wait for the day after it. Zero
// when the decision was not served.
func RemedyWindowsClose(s Settings, cal Calendar, decisionServed time.Time) time.Time {
	s = s.withDefaults()
	from := Day(decisionServed)
	if from.IsZero() {
		return time.Time{}
	}
	closes := cal.rollToWorkday(addDays(from, s.ReconsiderationDays))
	if lit := cal.rollToWorkday(addMonths(from, s.LitigationMonths)); lit.After(closes) {
		closes = lit
	}
	return closes
}

// Compute returns the deadlines that apply to a case now, in procedure order:
// limitation, filing, preservation, seizure, emergency_report, transfer, review, statement,
// hearing_request, decision, service, payment, hand_in, enforcement.
// A deadline appears once its clock has started (the triggering date is set).
//
// Every clock of the penalty procedure from filing on (review, statement,
// hearing request, decision, service, payment) skips the days the case was
// suspended while it ran, so it moves by the overlap; while the case is
// suspended such a clock still running shows Paused. Working-day periods skip
// suspended days as well as rest days. The clocks that protect the party's
// goods or money, or run under other laws (preservation, seizure, emergency report, transfer,
// hand-in, court enforcement), and the limitation and filing clocks, which
// end before or at filing, are not moved by a suspension.
// A closed case has nothing overdue: a step not done is Met (moved past).
func Compute(s Settings, cal Calendar, d Dates) []Deadline {
	s = s.withDefaults()
	today := Day(d.Today)
	e := &engine{s: s, cal: cal, d: d, today: today, susp: spans(d.Suspensions, today)}
	var out []Deadline

	discovered := Day(d.DiscoveredOn)
	filed := Day(d.FiledOn)
	submitted := Day(d.ReviewSubmittedOn)
	noticed := Day(d.NoticeServedOn)
	decided := Day(d.DecidedOn)
	served := Day(d.DecisionServedOn)

	// 追责时效: from the act (or the end of a continuing act) to its
	// discovery (art. 36). Without a discovery date the filing stands in.
	if act := Day(d.ActOn); !act.IsZero() {
		years := s.LimitationYears
		if d.SeriousHarm {
			years = s.LimitationYearsSerious
		}
		dl := e.newDeadline(KeyLimitation, "追责时效", addYears(act, years), "行政处罚法第三十六条")
		switch {
		case !discovered.IsZero():
			done(&dl, discovered)
			if dl.Status == Missed {
				dl.Note = fmt.Sprintf("发现时已超过追责时效（%d年），不得给予行政处罚", years)
			}
		case !filed.IsZero():
			done(&dl, filed)
			if dl.Status == Missed {
				dl.Note = fmt.Sprintf("立案时已超过追责时效（%d年）；请核对发现日期，发现时已超过的，不得给予行政处罚", years)
			}
		case d.Closed:
			dl.Status = Met
		case dl.DaysLeft < 0:
			dl.Status = Overdue
			dl.Note = fmt.Sprintf("已超过追责时效（%d年），不得给予行政处罚", years)
		case dl.DaysLeft <= s.DueSoonDays:
			dl.Status = DueSoon
			dl.Note = "追责时效即将届满，须及时立案"
		default:
			dl.Status = Running
		}
		out = append(out, dl)
	}

	// 立案: working days from discovery to filing (practice).
	if !discovered.IsZero() {
		dl := e.newDeadline(KeyFiling, "立案", cal.AddWorkdays(discovered, s.FilingWorkingDays),
			fmt.Sprintf("行政处罚法第五十四条；发现之日起%d个工作日内立案%s", s.FilingWorkingDays, practice))
		if !filed.IsZero() {
			done(&dl, filed)
			if dl.Status == Missed {
				dl.Note = "立案迟延"
			}
		} else {
			e.openFixed(&dl)
		}
		out = append(out, dl)
	}

	// 先行登记保存: a decision on the evidence within 7 working days (arts. 56, 85).
	if p := Day(d.PreservedOn); !p.IsZero() {
		dl := e.newDeadline(KeyPreservation, "先行登记保存处理决定", cal.AddWorkdays(p, s.PreservationWorkingDays),
			"行政处罚法第五十六条、第八十五条")
		if !d.PreservationDecidedOn.IsZero() {
			done(&dl, Day(d.PreservationDecidedOn))
		} else {
			e.openFixed(&dl)
			if dl.Status == Overdue {
				dl.Note = fmt.Sprintf("登记保存后%d个工作日内未作出处理决定，应当解除先行登记保存", s.PreservationWorkingDays)
			}
		}
		out = append(out, dl)
	}

	// 查封、扣押: 30 days, once extended by 30 with approval (AEL art. 25).
	if p := Day(d.SeizedOn); !p.IsZero() {
		n, basis := s.SeizureDays, "行政强制法第二十五条"
		if d.SeizureExtended {
			n += s.SeizureDays
			basis += "；经批准延长"
		}
		dl := e.newDeadline(KeySeizure, "查封扣押期限", addDays(p, n), basis)
		if !d.SeizureEndedOn.IsZero() {
			done(&dl, Day(d.SeizureEndedOn))
		} else {
			e.openFixed(&dl)
			if dl.Status == Overdue {
				dl.Note = "查封、扣押期限已届满，应当及时解除（行政强制法第二十八条）"
			}
		}
		out = append(out, dl)
	}

	// 紧急情况当场查封扣押: reported to the head, and approval obtained,
	// within 24 hours: by the day after (AEL art. 19).
	if p := Day(d.EmergencySeizedOn); !p.IsZero() {
		dl := e.newDeadline(KeyEmergency, "报告负责人并补办批准", addDays(p, 1), "行政强制法第十九条")
		if !d.EmergencyReportedOn.IsZero() {
			done(&dl, Day(d.EmergencyReportedOn))
			if dl.Status == Missed {
				dl.Note = "逾期报告（应在24小时内报告）"
			}
		} else {
			e.openFixed(&dl)
			if dl.Status == Overdue {
				dl.Note = "紧急情况当场查封扣押，应在24小时内向负责人报告并补办批准手续（行政强制法第十九条）"
			}
		}
		out = append(out, dl)
	}

	// 移送涉嫌犯罪案件: the head decides within 3 (working) days.
	if p := Day(d.TransferProposedOn); !p.IsZero() {
		dl := e.newDeadline(KeyTransfer, "移送涉嫌犯罪案件审批", cal.AddWorkdays(p, s.TransferDecideWorkingDays),
			"行政执法机关移送涉嫌犯罪案件的规定第五条")
		if !d.TransferDecidedOn.IsZero() {
			done(&dl, Day(d.TransferDecidedOn))
		} else {
			e.openFixed(&dl)
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
		// ended says why a period stopped before its end ("" while it runs).
		party := func(dl Deadline, early string, ended string) Deadline {
			switch {
			case ended != "":
				dl.Status = Met
				dl.Note = ended
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
			"决定在陈述申辩期届满前作出，须有当事人明确放弃陈述申辩的记录", map[bool]string{true: "当事人已书面放弃"}[d.StatementWaived]))
		if !d.NoHearingRight {
			out = append(out, party(
				e.newDeadline(KeyHearingRequest, "听证申请期", e.count(noticed, s.HearingRequestDays, true),
					"行政处罚法第六十四条、第八十五条"),
				"决定在听证申请期届满前作出，须有当事人明确放弃听证的记录", hearingEnded(d)))
		}
	}

	// 作出处罚决定: 90 days from filing plus approved extensions (art. 60);
	// a last day that is a rest day moves to the next working day.
	if !filed.IsZero() {
		n := s.DecisionDays
		basis := "行政处罚法第六十条"
		if d.ExtensionsApproved > 0 {
			n += d.ExtensionsApproved * s.ExtensionDays
			basis += "；经批准延长" + practice
		}
		dl := e.newDeadline(KeyDecision, "作出处罚决定", cal.rollToWorkday(e.count(filed, n, false)), basis)
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

	// 缴纳罚款: calendar days after service, moved off a rest day (art. 67),
	// or the approved deferral (art. 66 ¶2).
	if !served.IsZero() && !d.NoPayment {
		due := cal.rollToWorkday(e.count(served, s.PaymentDays, false))
		basis := "行政处罚法第六十七条"
		if o := Day(d.PaymentDueOverride); !o.IsZero() {
			due, basis = o, "行政处罚法第六十六条；经批准暂缓或者分期缴纳"
		}
		dl := e.newDeadline(KeyPayment, "缴纳罚款", due, basis)
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

	// 当场收缴罚款: handed in within 2 (working) days (arts. 71, 85).
	if c := Day(d.CashCollectedOn); !c.IsZero() {
		dl := e.newDeadline(KeyHandIn, "当场收缴罚款上缴", cal.AddWorkdays(c, s.HandInWorkingDays),
			"行政处罚法第七十一条、第八十五条")
		if !d.CashHandedInOn.IsZero() {
			done(&dl, Day(d.CashHandedInOn))
		} else {
			e.openFixed(&dl)
		}
		out = append(out, dl)
	}

	// 申请法院强制执行: after the 催告 and the remedy periods, within 3 months
	// (AEL arts. 53, 54). Shown while the fine is unpaid, or once applied.
	applied := Day(d.EnforcementAppliedOn)
	if dm := Day(d.DemandServedOn); !dm.IsZero() && !served.IsZero() && !d.NoPayment && (!d.PaidInFull || !applied.IsZero()) {
		planEnd := d.PlanEnd
		if planEnd.IsZero() {
			planEnd = d.PaymentDueOverride
		}
		earliest, latest := EnforcementWindow(s, cal, served, dm, planEnd)
		dl := e.newDeadline(KeyEnforcement, "申请法院强制执行", latest, "行政强制法第五十三条、第五十四条")
		early := fmt.Sprintf("催告送达满%d个工作日且复议、诉讼期限届满后方可申请（最早%s）",
			s.DemandWorkingDays, earliest.Format(dateLayout))
		if !applied.IsZero() {
			done(&dl, applied)
			if applied.Before(earliest) {
				dl.Note = early
			}
		} else {
			e.openFixed(&dl)
			if today.Before(earliest) && !d.Closed {
				dl.Note = early
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

// hearingEnded says why the hearing-request period stopped early.
func hearingEnded(d Dates) string {
	switch {
	case d.HearingRequested:
		return "当事人已申请听证"
	case d.HearingWaived:
		return "当事人已书面放弃"
	}
	return ""
}
