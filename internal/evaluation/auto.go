package evaluation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/authority"
	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Results of an item.
const (
	ResultPass = "pass"
	ResultFail = "fail"
	ResultNA   = "na" // not applicable to the case (no seizure, no hearing...)
)

// ResultLabel is a result as the sheet shows it.
func ResultLabel(r string) string {
	switch r {
	case ResultPass:
		return "符合"
	case ResultFail:
		return "不符合"
	case ResultNA:
		return "不涉及"
	}
	return "未评"
}

// Check is what the case record decides about one item: the result, the
// evidence for it (dates, names, numbers) and, for a scored item, the
// deduction it calls for.
type Check struct {
	Result    string
	Evidence  string
	Deduction float64
}

// Record is what the automatic checks read: the case as its page shows it,
// its domain's settings and the calendar, the certificates of its handlers,
// whether its item was on the town's list, its issued documents and their
// service.
type Record struct {
	Case     *cases.Case
	Rules    cases.Rules
	Cal      deadline.Calendar
	Today    time.Time
	InForce  []dated // the item on the town's list on the filing and decision dates
	Handlers []handler
	Docs     []issued
	Approver string // who approved the filing
}

type dated struct {
	label string
	day   time.Time
	ok    bool
}

type handler struct {
	name, cert  string
	lead        bool
	recused     bool
	from, until *time.Time
}

type issued struct {
	id         int64
	kind       doctype.Kind
	title      string
	number     string
	issuedOn   time.Time
	superseded bool
	consent    string // a 送达地址确认书's answer
	services   []served
}

type served struct {
	method string
	on     time.Time
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zhifa.Local)
}

func dayPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := day(*t)
	return &d
}

// D formats a date of the evidence.
func D(t time.Time) string { return t.Format(time.DateOnly) }

// LoadRecord reads case caseID for the checks, in the caller's transaction.
func LoadRecord(ctx context.Context, tx pgx.Tx, caseID int64, today time.Time) (*Record, error) {
	c, r, err := cases.Load(ctx, tx, caseID, today, false)
	if err != nil {
		return nil, err
	}
	rec := &Record{Case: c, Rules: r, Today: today, Cal: deadline.Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}}
	rows, _ := tx.Query(ctx, `SELECT day, kind FROM holidays`)
	var hd time.Time
	var kind string
	if _, err := pgx.ForEachRow(rows, []any{&hd, &kind}, func() error {
		if kind == "holiday" {
			rec.Cal.Holidays[hd.Format(time.DateOnly)] = true
		} else {
			rec.Cal.Workdays[hd.Format(time.DateOnly)] = true
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	for _, d := range []struct {
		label string
		on    *time.Time
	}{{"立案日", c.FiledOn}, {"决定日", c.DecidedOn}} {
		if d.on == nil {
			continue
		}
		ok, err := authority.InForce(ctx, tx, c.TownID, c.ItemID, *d.on)
		if err != nil {
			return nil, err
		}
		rec.InForce = append(rec.InForce, dated{d.label, *d.on, ok})
	}
	rows, _ = tx.Query(ctx, `SELECT u.display_name, o.lead, o.recused_on IS NOT NULL, coalesce(ce.number, ''), ce.valid_from, ce.valid_until
		FROM case_officers o JOIN users u ON u.id = o.user_id LEFT JOIN certificates ce ON ce.user_id = o.user_id
		WHERE o.case_id = $1 ORDER BY o.lead DESC, u.id`, caseID)
	var h handler
	if _, err := pgx.ForEachRow(rows, []any{&h.name, &h.lead, &h.recused, &h.cert, &h.from, &h.until}, func() error {
		h.from, h.until = dayPtr(h.from), dayPtr(h.until)
		rec.Handlers = append(rec.Handlers, h)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("handlers of case %d: %w", caseID, err)
	}
	if c.FilingApprover != nil {
		if err := tx.QueryRow(ctx, `SELECT display_name FROM users WHERE id = $1`, *c.FilingApprover).Scan(&rec.Approver); err != nil {
			return nil, fmt.Errorf("filing approver: %w", err)
		}
	}
	rows, _ = tx.Query(ctx, `SELECT d.id, d.kind, d.title, coalesce(d.number, ''), d.issued_on,
			EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id), coalesce(d.data->'Fields'->>'consent', '')
		FROM documents d WHERE d.case_id = $1 ORDER BY d.id`, caseID)
	var doc issued
	if _, err := pgx.ForEachRow(rows, []any{&doc.id, &doc.kind, &doc.title, &doc.number, &doc.issuedOn, &doc.superseded, &doc.consent}, func() error {
		doc.issuedOn = day(doc.issuedOn)
		rec.Docs = append(rec.Docs, doc)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("documents of case %d: %w", caseID, err)
	}
	rows, _ = tx.Query(ctx, `SELECT document_id, method, served_on FROM document_services WHERE case_id = $1 ORDER BY id`, caseID)
	var docID int64
	var s served
	if _, err := pgx.ForEachRow(rows, []any{&docID, &s.method, &s.on}, func() error {
		s.on = day(s.on)
		for i := range rec.Docs {
			if rec.Docs[i].id == docID {
				rec.Docs[i].services = append(rec.Docs[i].services, s)
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("services of case %d: %w", caseID, err)
	}
	return rec, nil
}

// finding is a check's answer before the sheet's points apply: how many
// defects it found (each deducts the item's step), or the whole item.
type finding struct {
	result   string
	evidence string
	defects  int
	all      bool
}

func pass(format string, args ...any) finding {
	return finding{result: ResultPass, evidence: fmt.Sprintf(format, args...)}
}

func na(format string, args ...any) finding {
	return finding{result: ResultNA, evidence: fmt.Sprintf(format, args...)}
}

// failed is a finding with the defects found (at least one).
func failed(defects []string, rest ...string) finding {
	return finding{result: ResultFail, defects: max(1, len(defects)), evidence: strings.Join(append(defects, rest...), "；")}
}

// checkers are the items the record decides, by code. Items of a sheet
// version without a checker are scored by hand.
var checkers = map[string]func(*Record) finding{
	"V01": checkV01, "V02": checkV02, "V03": checkV03, "V08": checkV08, "V09": checkV09, "V10": checkV10, "V11": checkV11,
	"F01": checkF01, "F03": checkF03, "F04": checkF04, "F05": checkF05, "F06": checkF06, "F07": checkF07, "F08": checkF08,
	"C01": checkC01, "C02": checkC02, "C07": checkC07, "C08": checkC08, "C12": checkC12, "C13": checkC13, "C14": checkC14,
	"C16": checkC16, "C18": checkC18, "C19": checkC19, "C20": checkC20, "C23": checkC23,
}

// Checkable reports whether the record decides the item with code.
func Checkable(code string) bool { _, ok := checkers[code]; return ok }

// Auto runs every check the sheet has a checker for. A scored item's
// deduction is its step per defect, floored at the item's points.
func Auto(rec *Record, sheet *Sheet) map[string]Check {
	out := map[string]Check{}
	for _, it := range sheet.Items {
		fn, ok := checkers[it.Code]
		if !ok {
			continue
		}
		f := fn(rec)
		c := Check{Result: f.result, Evidence: f.evidence}
		if it.Tier != TierVeto && f.result == ResultFail {
			step := it.Step
			if step <= 0 {
				step = it.Points
			}
			c.Deduction = min(it.Points, Round1(step*float64(f.defects)))
			if f.all {
				c.Deduction = it.Points
			}
		}
		out[it.Code] = c
	}
	return out
}

func (r *Record) deadline(key string) *deadline.Deadline {
	for i := range r.Case.Deadlines {
		if r.Case.Deadlines[i].Key == key {
			return &r.Case.Deadlines[i]
		}
	}
	return nil
}

// active are the documents in force: issued and not replaced.
func (r *Record) active() []issued {
	var out []issued
	for _, d := range r.Docs {
		if !d.superseded {
			out = append(out, d)
		}
	}
	return out
}

func (r *Record) latest(k doctype.Kind) *issued {
	for i := len(r.Docs) - 1; i >= 0; i-- {
		if r.Docs[i].kind == k && !r.Docs[i].superseded {
			return &r.Docs[i]
		}
	}
	return nil
}

func docName(d *issued) string {
	if d.number != "" {
		return "《" + d.title + "》" + d.number
	}
	return "《" + d.title + "》"
}

// V01: the item on the town's list in force when the case was filed and
// decided (清单之外无执法).
func checkV01(r *Record) finding {
	c := r.Case
	if len(r.InForce) == 0 {
		return failed([]string{"案件未立案，无法核对执法事项"})
	}
	var parts, bad []string
	for _, d := range r.InForce {
		if d.ok {
			parts = append(parts, d.label+D(d.day)+"在清单内")
		} else {
			bad = append(bad, d.label+D(d.day)+"不在"+c.TownName+"权责清单内")
		}
	}
	what := fmt.Sprintf("执法事项“%s”（%s）", c.ItemName, c.Domain)
	if len(bad) > 0 {
		return failed(bad, what)
	}
	return pass("%s：%s", what, strings.Join(parts, "，"))
}

// actDays are the days the handlers acted on: filing and decision.
func (r *Record) actDays() []time.Time {
	var out []time.Time
	for _, p := range []*time.Time{r.Case.FiledOn, r.Case.DecidedOn} {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// V02: every handler holds a certificate valid on the days of the acts.
func checkV02(r *Record) finding {
	var ok, bad []string
	for _, h := range r.Handlers {
		if h.recused {
			continue
		}
		if h.cert == "" || h.from == nil || h.until == nil {
			bad = append(bad, h.name+"无行政执法证件")
			continue
		}
		valid := true
		for _, d := range r.actDays() {
			if d.Before(*h.from) || d.After(*h.until) {
				bad = append(bad, fmt.Sprintf("%s的执法证%s有效期%s至%s，%s时无效", h.name, h.cert, D(*h.from), D(*h.until), D(d)))
				valid = false
				break
			}
		}
		if valid {
			ok = append(ok, fmt.Sprintf("%s（执法证%s，有效期至%s）", h.name, h.cert, D(*h.until)))
		}
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	if len(ok) == 0 {
		return failed([]string{"案件无承办人员"})
	}
	return pass("承办人员：%s", strings.Join(ok, "、"))
}

// V03: at least two certified handlers.
func checkV03(r *Record) finding {
	var names []string
	for _, h := range r.Handlers {
		if !h.recused && h.cert != "" {
			n := h.name
			if h.lead {
				n += "（主办）"
			}
			names = append(names, n)
		}
	}
	if len(names) < 2 {
		return failed([]string{fmt.Sprintf("持证承办人员仅%d人", len(names))}, "承办人员："+strings.Join(names, "、"))
	}
	return pass("持证承办人员%d人：%s", len(names), strings.Join(names, "、"))
}

// V08: within the limitation (APL art. 36).
func checkV08(r *Record) finding {
	c := r.Case
	s := r.Rules.Deadline()
	years := s.LimitationYears
	if c.SeriousHarm {
		years = s.LimitationYearsSerious
	}
	act := "违法行为发生于"
	if c.ContinuingAct {
		act = "连续或继续的违法行为终了于"
	}
	ev := fmt.Sprintf("%s%s，发现于%s，追责时效%d年", act, D(c.ActOn), D(c.DiscoveredOn), years)
	if !deadline.WithinLimitation(c.ActOn, c.DiscoveredOn, years) {
		return failed([]string{"发现时已超过追责时效"}, ev)
	}
	return pass("%s", ev)
}

// V09: the notice of intended penalty served before the decision, and the
// statement period over or waived when deciding (APL arts. 44, 45, 62).
func checkV09(r *Record) finding {
	c := r.Case
	if c.Procedure == workflow.Summary {
		if c.SpotTold {
			return pass("简易程序：当场告知拟处罚的事实、理由、依据及陈述申辩权利")
		}
		return failed([]string{"简易程序未记录当场告知当事人拟处罚的事实、理由、依据及权利"})
	}
	if c.DecidedOn == nil {
		return na("案件未作出处罚决定")
	}
	if c.NoticeServedOn == nil {
		return failed([]string{"未送达行政处罚事先告知书即作出处罚决定（" + D(*c.DecidedOn) + "）"})
	}
	if c.NoticeServedOn.After(*c.DecidedOn) {
		return failed([]string{fmt.Sprintf("事先告知书%s送达，晚于处罚决定%s", D(*c.NoticeServedOn), D(*c.DecidedOn))})
	}
	ev := "事先告知书于" + D(*c.NoticeServedOn) + "送达"
	switch st := r.deadline(deadline.KeyStatement); {
	case c.StatementWaived:
		ev += "，当事人书面放弃陈述、申辩"
	case st != nil && c.DecidedOn.Before(st.Due):
		return failed([]string{fmt.Sprintf("陈述申辩期至%s届满，处罚决定于%s作出，且无当事人放弃陈述申辩的记录", D(st.Due), D(*c.DecidedOn))}, ev)
	case st != nil:
		ev += "，陈述申辩期至" + D(st.Due) + "届满"
	}
	n := 0
	for _, st := range c.Statements {
		if !st.ReceivedOn.After(*c.DecidedOn) {
			n++ // those after the decision (a 催告's) are C12's
		}
	}
	if n > 0 {
		ev += fmt.Sprintf("，记录陈述申辩%d次", n)
	}
	return pass("%s；处罚决定于%s作出", ev, D(*c.DecidedOn))
}

// hearingDue says whether the decided penalty reaches the hearing
// threshold of the domain (APL art. 63), and why.
func (r *Record) hearingDue() (bool, string) {
	c := r.Case
	key, who := "hearing_person_fen", "个人"
	if c.PartyKind == "org" {
		key, who = "hearing_org_fen", "单位"
	}
	threshold := r.Rules.Get(key, 0)
	fine := c.FineFen
	if fine == 0 {
		fine = cases.FineOf(c.NoticePenalties)
	}
	for _, p := range c.Penalties {
		if p.Kind == workflow.KindRevocation || p.Kind == workflow.KindSuspension {
			return true, "处罚含吊销许可证件或责令停产停业"
		}
	}
	if threshold > 0 && fine >= threshold {
		return true, fmt.Sprintf("罚款%s达到听证标准（%s%s）", zhifa.Yuan(fine), who, zhifa.Yuan(threshold))
	}
	if threshold > 0 {
		return false, fmt.Sprintf("罚款%s未达到听证标准（%s%s）", zhifa.Yuan(fine), who, zhifa.Yuan(threshold))
	}
	return false, "处罚不属于听证范围"
}

// V10: the hearing right told where due, the hearing held when asked
// (APL arts. 63, 64).
func checkV10(r *Record) finding {
	c := r.Case
	if c.Procedure == workflow.Summary {
		return na("简易程序不适用听证")
	}
	due, why := r.hearingDue()
	if due && !c.HearingRight && !c.HearingWaived {
		return failed([]string{why + "，事先告知书未告知听证权利"})
	}
	if c.HearingRequested != nil {
		switch c.HearingOutcome {
		case "":
			return failed([]string{"当事人于" + D(*c.HearingRequested) + "申请听证，未举行听证即作出处罚决定"})
		case cases.HearingHeld:
			held := ""
			if c.HearingHeld != nil {
				held = "于" + D(*c.HearingHeld)
			}
			return pass("当事人于%s申请听证，%s举行听证", D(*c.HearingRequested), held)
		default:
			return pass("当事人于%s申请听证，%s", D(*c.HearingRequested), cases.Label(cases.HearingOutcomes, c.HearingOutcome))
		}
	}
	// A written waiver of the hearing shows the right was told.
	if c.HearingRight || c.HearingWaived {
		ev := why + "；事先告知书告知了听证权利，当事人未申请听证"
		if c.HearingWaived {
			ev = why + "；已告知听证权利，当事人书面放弃听证"
		}
		return pass("%s", ev)
	}
	return pass("%s，无需告知听证权利", why)
}

// V11: a passed legal review before the decision, by a reviewer who did
// not handle the case (APL art. 58).
func checkV11(r *Record) finding {
	c := r.Case
	if c.Procedure == workflow.Summary {
		return na("简易程序不适用法制审核")
	}
	if c.DecidedOn == nil {
		return na("案件未作出处罚决定")
	}
	var last *cases.Review
	for i := range c.Reviews {
		rv := &c.Reviews[i]
		if rv.Outcome == "passed" && !rv.ReviewedOn.After(*c.DecidedOn) {
			last = rv
		}
	}
	if last == nil {
		return failed([]string{"处罚决定（" + D(*c.DecidedOn) + "）前无通过的法制审核"})
	}
	if c.ReviewedBy != nil && slices.ContainsFunc(c.Officers, func(o cases.Officer) bool { return o.UserID == *c.ReviewedBy }) {
		return failed([]string{"法制审核人员" + last.ReviewerName + "是本案承办人员"})
	}
	q := ""
	if last.Qualification != "" {
		q = "（法律职业资格证书" + last.Qualification + "）"
	}
	return pass("法制审核人员%s%s于%s审核通过；处罚决定于%s作出", last.ReviewerName, q, D(last.ReviewedOn), D(*c.DecidedOn))
}

func (r *Record) noDocs() finding {
	return failed([]string{"系统中无签发的文书（纸质文书须人工核对）"})
}

// F01: the documents are the county's templates when the system made them.
func checkF01(r *Record) finding {
	n := len(r.active())
	if n == 0 {
		return r.noDocs()
	}
	return pass("本案%d份文书均由系统按县统一格式生成", n)
}

// F03: one case, one file: the system binds the dossier by case number.
func checkF03(r *Record) finding {
	return pass("系统按案号%s一案一卷组卷：文书%d份，证据%d份", r.Case.NumberOrLead(), len(r.active()), len(r.Case.Evidence))
}

// F04: the cover is generated from the record.
func checkF04(r *Record) finding {
	c := r.Case
	if c.Number == nil || strings.TrimSpace(c.PartyName) == "" {
		return failed([]string{"案号或当事人缺失，封面无法填写完整"})
	}
	return pass("封面由系统生成：案号%s，当事人%s，案由“%s”", *c.Number, c.PartyName, c.ItemName)
}

// F05: the 卷内目录 is generated in procedure order.
func checkF05(r *Record) finding {
	n := len(r.active())
	if n == 0 {
		return r.noDocs()
	}
	return pass("卷内目录由系统按程序顺序生成（文书%d份、证据%d份）", n, len(r.Case.Evidence))
}

// F06: the steps in order: filing, review, notice, decision, service, closing.
func checkF06(r *Record) finding {
	c := r.Case
	type step struct {
		label string
		on    *time.Time
	}
	steps := []step{{"立案", c.FiledOn}, {"法制审核", c.ReviewedOn}, {"告知", c.NoticeServedOn}, {"决定", c.DecidedOn},
		{"送达", c.DecisionServedOn}, {"结案", c.ClosedOn}}
	var parts, bad []string
	var prev *step
	for i := range steps {
		s := &steps[i]
		if s.on == nil {
			continue
		}
		parts = append(parts, s.label+D(*s.on))
		if prev != nil && s.on.Before(*prev.on) {
			bad = append(bad, fmt.Sprintf("%s（%s）早于%s（%s）", s.label, D(*s.on), prev.label, D(*prev.on)))
		}
		prev = s
	}
	if len(bad) > 0 {
		return failed(bad[:1], strings.Join(parts, " → "))
	}
	return pass("%s", strings.Join(parts, " → "))
}

// F07: pages numbered by the printer, cover, contents and 备考表 not.
func checkF07(r *Record) finding {
	if len(r.active()) == 0 {
		return r.noDocs()
	}
	return pass("页码由系统打印案卷时逐页编排，封面、卷内目录、备考表不编页码")
}

// F08: a 备考表 (generated) and the file archived after closing.
func checkF08(r *Record) finding {
	c := r.Case
	if c.ClosedOn == nil {
		return na("案件未结案")
	}
	for _, e := range c.Events {
		if e.ToState == string(workflow.Archived) {
			on := day(e.At.In(zhifa.Local))
			if e.OnDate != nil {
				on = *e.OnDate
			}
			return pass("备考表由系统生成；%s结案，%s归档", D(*c.ClosedOn), D(on))
		}
	}
	return failed([]string{D(*c.ClosedOn) + "结案后尚未归档"})
}

// C01: the filing approved (先立后查).
func checkC01(r *Record) finding {
	c := r.Case
	if c.FiledOn == nil {
		return failed([]string{"案件未立案"})
	}
	if c.Procedure == workflow.Summary {
		return pass("简易程序当场立案（%s）", D(*c.FiledOn))
	}
	if c.FilingApprover == nil {
		return failed([]string{"立案未经批准"})
	}
	var early []string
	for _, d := range r.active() {
		if d.kind == doctype.Inquiry && d.issuedOn.Before(*c.FiledOn) {
			early = append(early, docName(&d)+"制作于"+D(d.issuedOn)+"，早于立案")
		}
	}
	if len(early) > 0 {
		return failed(early, "先查后立")
	}
	return pass("%s于%s批准立案", r.Approver, D(*c.FiledOn))
}

// C02: filed within the setting after discovery.
func checkC02(r *Record) finding {
	c := r.Case
	dl := r.deadline(deadline.KeyFiling)
	if c.FiledOn == nil || dl == nil {
		return failed([]string{"案件未立案"})
	}
	ev := fmt.Sprintf("发现%s，立案%s，应于%s前立案（%d个工作日）", D(c.DiscoveredOn), D(*c.FiledOn), D(dl.Due), r.Rules.Deadline().FilingWorkingDays)
	if dl.Status == deadline.Missed {
		return failed([]string{"立案迟延"}, ev)
	}
	return pass("%s", ev)
}

// C07: 先行登记保存 approved and decided within 7 working days.
func checkC07(r *Record) finding {
	var bad, ok []string
	for _, p := range r.Case.Preservations {
		if p.Kind != cases.PreservationRegister {
			continue
		}
		if p.Approver == "" {
			bad = append(bad, D(p.StartedOn)+"先行登记保存未经负责人批准")
		}
		due := r.Cal.AddWorkdays(p.StartedOn, r.Rules.Deadline().PreservationWorkingDays)
		switch {
		case p.EndedOn == nil:
			bad = append(bad, D(p.StartedOn)+"先行登记保存后未作出处理决定")
		case p.EndedOn.After(due):
			bad = append(bad, fmt.Sprintf("%s先行登记保存，%s作出处理决定，超过%s的期限", D(p.StartedOn), D(*p.EndedOn), D(due)))
		default:
			ok = append(ok, fmt.Sprintf("%s先行登记保存（%s批准），%s作出处理决定", D(p.StartedOn), p.Approver, D(*p.EndedOn)))
		}
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	if len(ok) == 0 {
		return na("本案未先行登记保存证据")
	}
	return pass("%s", strings.Join(ok, "；"))
}

// C08: seizures within 30 (+30) days and lifted on time (AEL art. 25).
func checkC08(r *Record) finding {
	var bad, ok []string
	n := r.Rules.Deadline().SeizureDays
	for _, p := range r.Case.Preservations {
		if p.Kind != cases.PreservationSeize {
			continue
		}
		days := n
		if p.Extended {
			days += n
		}
		due := p.StartedOn.AddDate(0, 0, days)
		switch {
		case p.EndedOn == nil:
			bad = append(bad, D(p.StartedOn)+"查封扣押后未解除或处理")
		case p.EndedOn.After(due):
			bad = append(bad, fmt.Sprintf("%s查封扣押，%s解除，超过%d日期限", D(p.StartedOn), D(*p.EndedOn), days))
		default:
			ok = append(ok, fmt.Sprintf("%s查封扣押，%s解除或处理", D(p.StartedOn), D(*p.EndedOn)))
		}
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	if len(ok) == 0 {
		return na("本案未查封扣押")
	}
	return pass("%s", strings.Join(ok, "；"))
}

// C12: every statement rechecked in writing; the penalty not raised above
// what was notified (APL art. 45).
func checkC12(r *Record) finding {
	c := r.Case
	var bad []string
	for _, s := range c.Statements {
		if s.RecheckedOn == nil {
			bad = append(bad, D(s.ReceivedOn)+"收到的陈述申辩未经复核")
		}
	}
	if c.DecidedOn != nil {
		if h := workflow.Heavier(cases.Sanctions(c.Penalties), cases.Sanctions(c.NoticePenalties)); len(h) > 0 {
			bad = append(bad, "处罚决定重于事先告知的处罚："+strings.Join(h, "、"))
		}
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	switch {
	case len(c.Statements) > 0:
		return pass("陈述申辩%d次，均已书面复核；处罚未重于告知", len(c.Statements))
	case c.StatementWaived:
		return pass("当事人书面放弃陈述、申辩；处罚未重于告知")
	}
	return pass("当事人未提出陈述申辩；处罚未重于告知")
}

// C13: a hearing held lawfully (APL arts. 64, 65).
func checkC13(r *Record) finding {
	c := r.Case
	if c.HearingOutcome != cases.HearingHeld {
		return na("本案未举行听证")
	}
	var bad []string
	if c.HearingNoticeOn == nil || c.HearingOn == nil ||
		!deadline.HearingDateOK(r.Cal, *c.HearingNoticeOn, *c.HearingOn, r.Rules.Deadline().HearingNoticeWorkingDays) {
		bad = append(bad, "听证通知书未在听证7个工作日前送达")
	}
	if c.HearingChair != nil && slices.ContainsFunc(c.Officers, func(o cases.Officer) bool { return o.UserID == *c.HearingChair }) {
		bad = append(bad, "听证主持人"+c.HearingChairName+"是本案调查人员")
	}
	if strings.TrimSpace(c.HearingTranscript) == "" && c.HearingScan == nil {
		bad = append(bad, "无听证笔录")
	}
	if c.HearingHeld != nil && c.DecidedOn != nil && c.DecidedOn.Before(*c.HearingHeld) {
		bad = append(bad, "处罚决定早于听证")
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	return pass("听证通知%s送达，%s举行听证，主持人%s，有听证笔录", D(*c.HearingNoticeOn), D(*c.HearingOn), c.HearingChairName)
}

// C14: collective discussion recorded before deciding where required (APL
// art. 57 ¶2, with the domain's thresholds).
func checkC14(r *Record) finding {
	c := r.Case
	if c.DecidedOn == nil || c.Procedure == workflow.Summary {
		return na("不涉及集体讨论")
	}
	var why []string
	key := "discussion_person_fen"
	if c.PartyKind == "org" {
		key = "discussion_org_fen"
	}
	if t := r.Rules.Get(key, 0); t > 0 && c.FineFen >= t {
		why = append(why, "罚款达到"+zhifa.Yuan(t)+"的集体讨论标准")
	}
	if slices.ContainsFunc(c.Penalties, func(p cases.Penalty) bool {
		return p.Kind == workflow.KindRevocation || p.Kind == workflow.KindSuspension
	}) {
		why = append(why, "吊销许可证件或责令停产停业")
	}
	if c.MitigationGround != "" {
		why = append(why, "从轻或减轻处罚")
	}
	if c.HearingOutcome == cases.HearingHeld {
		why = append(why, "经过听证")
	}
	if len(why) == 0 {
		return na("不属于须集体讨论的情形")
	}
	if c.DiscussionOn == nil || c.DiscussionOn.After(*c.DecidedOn) {
		return failed([]string{strings.Join(why, "、") + "，决定前未经集体讨论"})
	}
	return pass("%s；%s集体讨论，%s作出决定", strings.Join(why, "、"), D(*c.DiscussionOn), D(*c.DecidedOn))
}

// C16: decided within 90 days of filing, extensions counted (APL art. 60).
func checkC16(r *Record) finding {
	c := r.Case
	dl := r.deadline(deadline.KeyDecision)
	if c.DecidedOn == nil || dl == nil {
		return na("案件未作出处罚决定")
	}
	ev := fmt.Sprintf("立案%s，决定%s，期限至%s", D(*c.FiledOn), D(*c.DecidedOn), D(dl.Due))
	if c.Extensions > 0 {
		ev += fmt.Sprintf("（经批准延长%d次）", c.Extensions)
	}
	if dl.Status == deadline.Missed {
		f := failed([]string{"超过办案期限作出决定"}, ev)
		f.all = true
		return f
	}
	return pass("%s", ev)
}

// C18: the decision served within 7 working days, its receipt complete,
// e-service only with consent (APL arts. 61, 85).
func checkC18(r *Record) finding {
	c := r.Case
	if c.DecidedOn == nil {
		return na("案件未作出处罚决定")
	}
	if c.Procedure == workflow.Summary {
		return pass("当场处罚决定书当场交付当事人（%s）", D(*c.DecidedOn))
	}
	if c.DecisionServedOn == nil {
		f := failed([]string{"处罚决定书未送达"})
		f.all = true
		return f
	}
	dl := r.deadline(deadline.KeyService)
	ev := fmt.Sprintf("决定%s，%s送达", D(*c.DecidedOn), D(*c.DecisionServedOn))
	if c.ServiceMethod != "" {
		ev += "（" + c.ServiceMethod + "）"
	}
	if dl != nil {
		ev += "，期限至" + D(dl.Due)
		if dl.Status == deadline.Missed {
			f := failed([]string{fmt.Sprintf("超过%d个工作日送达", r.Rules.Deadline().ServiceDays)}, ev)
			f.all = true
			return f
		}
	}
	var bad []string
	if strings.TrimSpace(c.ServiceProof) == "" {
		bad = append(bad, "无送达回证等送达凭证")
	}
	electronic := strings.Contains(c.ServiceMethod, "电子")
	if d := r.latest(doctype.Decision); d != nil {
		for _, s := range d.services {
			electronic = electronic || s.method == doctype.ServeElectronic
		}
	}
	if electronic && !slices.ContainsFunc(r.active(), func(d issued) bool { return d.kind == doctype.EServiceConsent && d.consent == "同意" }) {
		bad = append(bad, "电子送达无当事人同意的送达地址确认书")
	}
	if len(bad) > 0 {
		return failed(bad, ev)
	}
	return pass("%s；送达凭证：%s", ev, c.ServiceProof)
}

// unserved are external documents whose addressee is not the party (the
// court, another body, the public) or whose service no record proves.
var notServedToParty = map[doctype.Kind]bool{
	doctype.TransferLetter: true, doctype.CrimeTransfer: true, doctype.EnforcementRequest: true,
	doctype.DemolitionNotice: true, doctype.MajorFiling: true,
}

// C19: every document served to the party has its proof of service.
func checkC19(r *Record) finding {
	c := r.Case
	var bad, ok []string
	for _, d := range r.active() {
		m := doctype.Of(d.kind)
		if m == nil || !m.External || notServedToParty[d.kind] {
			continue
		}
		if len(d.services) == 0 {
			bad = append(bad, docName(&d)+"无送达凭证")
		} else {
			ok = append(ok, docName(&d)+D(d.services[0].on)+d.services[0].method)
		}
	}
	// What the record says was served must be an issued document.
	if c.Procedure == workflow.General {
		if c.NoticeServedOn != nil && r.latest(doctype.Notice) == nil {
			bad = append(bad, "记录"+D(*c.NoticeServedOn)+"送达事先告知书，系统中无签发的告知书及送达回证")
		}
		if c.DecisionServedOn != nil && r.latest(doctype.Decision) == nil {
			bad = append(bad, "记录"+D(*c.DecisionServedOn)+"送达处罚决定书，系统中无签发的决定书及送达回证")
		}
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	if len(ok) == 0 {
		return na("无须送达的文书")
	}
	return pass("%s", strings.Join(ok, "；"))
}

// C20: the fine paid to the bank (罚缴分离); cash on the spot only within
// the law and handed in within 2 working days (APL arts. 67-71).
func checkC20(r *Record) finding {
	c := r.Case
	if c.FineFen == 0 {
		return na("未处罚款")
	}
	var bad, ok []string
	for _, p := range c.Payments {
		if p.AmountFen <= 0 || p.Reversed {
			continue
		}
		if strings.TrimSpace(p.ReceiptNo) == "" {
			bad = append(bad, D(p.PaidOn)+"缴款无票据号")
		}
		if p.Kind == cases.PaymentOnSpot {
			if p.OnSpotGround == "" && p.AmountFen > 10000 {
				bad = append(bad, fmt.Sprintf("%s当场收缴%s，超过100元且无法定情形", D(p.PaidOn), zhifa.Yuan(p.AmountFen)))
			}
			due := r.Cal.AddWorkdays(p.PaidOn, r.Rules.Deadline().HandInWorkingDays)
			if p.HandedInOn == nil || p.HandedInOn.After(due) {
				bad = append(bad, D(p.PaidOn)+"当场收缴的罚款未在2个工作日内缴入银行")
			}
			ok = append(ok, fmt.Sprintf("%s当场收缴%s（票据%s）", D(p.PaidOn), zhifa.Yuan(p.AmountFen), p.ReceiptNo))
			continue
		}
		ok = append(ok, fmt.Sprintf("%s缴入银行%s（票据%s）", D(p.PaidOn), zhifa.Yuan(p.AmountFen), p.ReceiptNo))
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	if len(ok) == 0 {
		return na("无缴款记录")
	}
	return pass("%s", strings.Join(ok, "；"))
}

// C23: closed once executed; an order to correct followed up (APL art. 28).
func checkC23(r *Record) finding {
	c := r.Case
	if c.ClosedOn == nil {
		return na("案件未结案")
	}
	var bad []string
	if c.FineFen > 0 && c.PaidFen < c.FineFen && c.EnforcementOn == nil {
		bad = append(bad, fmt.Sprintf("罚款未缴清（已缴%s，应缴%s）即结案", zhifa.Yuan(c.PaidFen), zhifa.Yuan(c.FineFen)))
	}
	if c.HasOrder && c.OrderDoneOn == nil {
		bad = append(bad, "责令改正无复查记录")
	}
	if len(bad) > 0 {
		return failed(bad)
	}
	ev := D(*c.ClosedOn) + "结案"
	if c.FineFen > 0 {
		ev += "，罚款" + zhifa.Yuan(c.FineFen) + "已缴清"
	}
	if c.HasOrder {
		ev += "，责令改正于" + D(*c.OrderDoneOn) + "复查完成"
	}
	return pass("%s", ev)
}
