package cases

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/correction"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// RemedyKinds name reconsideration (复议) and litigation (诉讼).
var RemedyKinds = map[string]string{"reconsideration": "行政复议", "litigation": "行政诉讼"}

// RemedyOutcomes name their outcomes; "corrected" counts against the team
// (复议纠错 / 诉讼败诉).
var RemedyOutcomes = map[string]string{"pending": "审理中", "upheld": "维持（胜诉）", "corrected": "纠错（撤销、变更或败诉）", "withdrawn": "撤回"}

// Grounds of an on-the-spot collection besides a fine within the cap
// (APL art. 68(1), the ground ""): a summary decision's fine that would be
// hard to collect afterwards (68(2)), and a remote, water-borne or
// ill-served area where the party asks, paying at the bank being hard (69).
const (
	OnSpotHardToCollect = "hard_to_collect"
	OnSpotRemote        = "remote"
)

// OnSpotGrounds label the grounds, for the payment form.
var OnSpotGrounds = []Option{
	{"", "罚款在当场收缴限额以内（行政处罚法第六十八条第一项）"},
	{OnSpotHardToCollect, "不当场收缴事后难以执行（行政处罚法第六十八条第二项，仅限简易程序）"},
	{OnSpotRemote, "边远、水上、交通不便地区，当事人提出到银行缴纳确有困难（行政处罚法第六十九条）"},
}

// OnSpotGroundLabel is the short name of a ground.
func OnSpotGroundLabel(g string) string {
	switch g {
	case OnSpotHardToCollect:
		return "不当场收缴事后难以执行（行政处罚法第六十八条第二项）"
	case OnSpotRemote:
		return "边远、水上、交通不便地区，当事人提出到银行缴纳确有困难（行政处罚法第六十九条）"
	}
	return "罚款在当场收缴限额以内（行政处罚法第六十八条第一项）"
}

// 缴纳罚款 (APL arts. 67-72): to the bank with its receipt, or cash on the
// spot up to the set cap with a financial receipt; never more than owed; the
// surcharge is on what is still owed, capped in total at the fine, not
// counted while a remedy is pending.
func stepAddPayment(x *act) (string, time.Time, error) {
	c := x.c
	fen, ok := ParseYuan(x.in.AmountYuan)
	fe := zhifa.FieldErrors{}
	fe.Check(ok && fen > 0, "amount", "缴款金额应为大于0的数字，单位元。")
	receipt := strings.TrimSpace(x.in.ReceiptNo)
	kind := x.in.PaymentKind
	if kind == "" {
		kind = PaymentBank
	}
	fe.Check(kind == PaymentBank || kind == PaymentOnSpot, "payment_kind", "请选择缴款方式。")
	ground, onSpotReason := x.in.OnSpotGround, strings.TrimSpace(x.in.OnSpotReason)
	if kind != PaymentOnSpot {
		ground, onSpotReason = "", ""
	}
	if kind == PaymentBank {
		fe.Check(receipt != "", "receipt_no", "请填写银行缴款票据号（罚缴分离：罚款缴入指定银行）。")
	} else {
		fe.Check(receipt != "", "receipt_no", "请填写当场出具的省级财政部门统一制发的罚款收据编号（行政处罚法第七十条）。")
		switch ground {
		case "":
			// Art. 68(1): fines of up to the cap may be collected on the
			// spot; the cap applies to the fine, so a larger one is not
			// taken in parts. Art. 68 is about decisions made on the spot.
			if c.Procedure != workflow.Summary {
				fe["onspot_ground"] = "当场收缴罚款（行政处罚法第六十八条）仅适用于依简易程序当场作出的处罚决定；一般程序案件只有在边远、水上、交通不便地区经当事人提出的，才可当场收缴（第六十九条），请选择该情形。"
			} else if limit := x.r.Get("onspot_cap_fen", 10000); ok && (fen > limit || c.FineFen > limit) {
				fe["amount"] = fmt.Sprintf("当场收缴罚款不得超过%s（行政处罚法第六十八条，本案罚款%s），请告知当事人到指定银行缴纳。", Yuan(limit), Yuan(c.FineFen))
			}
		case OnSpotHardToCollect:
			// Art. 68(2): only for a decision made on the spot (art. 51).
			if c.Procedure != workflow.Summary {
				fe["onspot_ground"] = "“不当场收缴事后难以执行”仅适用于依简易程序当场作出的处罚决定（行政处罚法第六十八条）。"
			}
			fe.Check(onSpotReason != "", "onspot_reason", "请写明不当场收缴事后难以执行的具体情况（行政处罚法第六十八条第二项）。")
		case OnSpotRemote:
			fe.Check(onSpotReason != "", "onspot_reason", "请写明边远、水上或交通不便地区的情况，以及当事人提出到指定银行或通过电子支付系统缴纳确有困难（行政处罚法第六十九条）。")
		default:
			fe["onspot_ground"] = "请选择当场收缴的法定情形。"
		}
	}
	if ok && fen > c.FineFen-c.PaidFen {
		fe["amount"] = fmt.Sprintf("缴款%s超过尚欠罚款%s，不能多收。", Yuan(fen), Yuan(c.FineFen-c.PaidFen))
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	floor := later(c.DecisionServedOn, c.DecidedOn)
	if kind == PaymentOnSpot {
		floor = dateOrZero(c.DecidedOn)
	}
	day, err := x.declared("date", x.in.Date, "缴款日期", floor, "决定书送达之日")
	if err != nil {
		return "", none, err
	}
	var surcharge int64
	if sched := c.schedule(x.r, x.cal); len(sched) > 0 {
		pays := append(c.paymentsIn(), deadline.PaymentIn{AmountFen: fen, On: day})
		slices.SortStableFunc(pays, func(a, b deadline.PaymentIn) int { return a.On.Compare(b.On) })
		all := deadline.SurchargesSchedule(c.FineFen, sched, pays, c.remedyPauses())
		var total, recorded int64
		for _, s := range all {
			total += s
		}
		// What the payments still standing carry: a reversed payment's
		// surcharge was never owed, as the payment never happened.
		for _, p := range c.Payments {
			if p.AmountFen > 0 && !p.Reversed {
				recorded += p.SurchargeFen
			}
		}
		// What this payment adds, so the recorded total follows the rule.
		surcharge = max(total-recorded, 0)
	}
	summary := "登记缴纳罚款" + Yuan(fen) + "，票据号" + receipt
	if kind == PaymentOnSpot {
		summary = "当场收缴罚款" + Yuan(fen) + "，收据号" + receipt
		if ground != "" {
			summary += "（" + OnSpotGroundLabel(ground) + "：" + onSpotReason + "）"
		}
	}
	if surcharge > 0 {
		summary += "，加处罚款" + Yuan(surcharge)
	}
	return summary, day, x.exec(`INSERT INTO case_payments (case_id, town_id, amount_fen, surcharge_fen, paid_on, receipt_no, recorded_by, kind,
			onspot_ground, onspot_reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, c.TownID, fen, surcharge, day.Format(time.DateOnly), receipt, x.a.UserID, kind,
		ground, onSpotReason)
}

// A wrong payment entry is reversed by a negative entry, never edited away.
func stepReversePayment(x *act) (string, time.Time, error) {
	i := slices.IndexFunc(x.c.Payments, func(p Payment) bool { return p.ID == x.in.PaymentID && p.AmountFen > 0 && !p.Reversed })
	if i < 0 {
		return "", none, zhifa.FieldErrors{"payment_id": "请选择要冲正的缴款记录。"}
	}
	if strings.TrimSpace(x.in.Reason) == "" {
		return "", none, zhifa.FieldErrors{"reason": "请填写冲正的理由。"}
	}
	p := x.c.Payments[i]
	return fmt.Sprintf("冲正%s的缴款记录%s（票据号%s）", p.PaidOn.Format("2006-01-02"), Yuan(p.AmountFen), p.ReceiptNo), none,
		x.exec(`INSERT INTO case_payments (case_id, town_id, amount_fen, surcharge_fen, paid_on, receipt_no, recorded_by, kind, reverses, reason)
			VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9)`, x.c.ID, x.c.TownID, -p.AmountFen, x.today.Format(time.DateOnly),
			p.ReceiptNo, x.a.UserID, p.Kind, p.ID, strings.TrimSpace(x.in.Reason))
}

// Cash collected on the spot reaches the bank within the set working days (APL art. 71).
func stepHandIn(x *act) (string, time.Time, error) {
	i := slices.IndexFunc(x.c.Payments, func(p Payment) bool {
		return p.ID == x.in.PaymentID && p.Kind == PaymentOnSpot && p.AmountFen > 0 && !p.Reversed && p.HandedInOn == nil
	})
	if i < 0 {
		return "", none, zhifa.FieldErrors{"payment_id": "请选择尚未交至银行的当场收缴款。"}
	}
	p := x.c.Payments[i]
	day, err := x.declared("date", x.in.Date, "交款日期", p.PaidOn, "当场收缴之日")
	if err != nil {
		return "", none, err
	}
	n := int(x.r.Get("hand_in_working_days", 2))
	summary := "当场收缴的罚款" + Yuan(p.AmountFen) + "已交至指定银行"
	if last := x.cal.AddWorkdays(p.PaidOn, n); day.After(last) {
		summary += fmt.Sprintf("（逾期：应在%d个工作日内即%s前交纳）", n, last.Format("2006年1月2日"))
	}
	return summary, day, x.exec(`UPDATE case_payments SET handed_in_on = $2 WHERE id = $1`, p.ID, day.Format(time.DateOnly))
}

// 延期、分期缴纳 (APL art. 66 ¶2): on the party's written request, approved
// by the head; the payment and surcharge run from the new date.
func stepDeferPayment(x *act) (string, time.Time, error) {
	c := x.c
	fe := zhifa.FieldErrors{}
	asked, err := x.declared("date", x.in.Date, "当事人申请日期", dateOrZero(c.DecisionServedOn), "决定书送达之日")
	if fe2, ok := err.(zhifa.FieldErrors); ok {
		fe = fe2
	}
	due := c.paymentDue(x.r, x.cal)
	note := strings.TrimSpace(x.in.Text)
	fe.Check(note != "", "text", "请填写当事人申请的理由和批准的意见。")
	plan, planErr := parseInstalments(x.in.Instalments, c.FineFen-max(c.PaidFen, 0), due)
	var newDue time.Time
	switch {
	case planErr != "":
		fe["instalments"] = planErr
	case len(plan) > 0:
		newDue, _ = parseDate(plan[len(plan)-1].DueOn)
	default:
		var ok bool
		if newDue, ok = parseDate(x.in.NewDue); !ok || !newDue.After(due) {
			fe["new_due"] = fmt.Sprintf("请填写延期后的缴纳期限（须晚于现在的期限%s），或填写分期方案。", due.Format("2006年1月2日"))
		}
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	if plan == nil {
		plan = []Instalment{}
	}
	summary := "批准延期缴纳罚款至" + newDue.Format("2006年1月2日") + "：" + note
	if len(plan) > 0 {
		var parts []string
		for _, in := range plan {
			parts = append(parts, in.DueOn+"前"+Yuan(in.AmountFen))
		}
		summary = fmt.Sprintf("批准分%d期缴纳罚款（%s）：%s", len(plan), strings.Join(parts, "，"), note)
	}
	return summary, asked, x.exec(`UPDATE cases SET payment_due_override = $2, deferral_note = $3, instalments = $4 WHERE id = $1`,
		c.ID, newDue.Format(time.DateOnly), note, plan)
}

// parseInstalments reads an instalment plan typed one part a line, "日期 金额"
// (2025-10-31 1000): dates later than the current due date and increasing,
// amounts in yuan adding up to what is still owed. Blank means no plan.
func parseInstalments(text string, owedFen int64, due time.Time) ([]Instalment, string) {
	var out []Instalment
	var sum int64
	prev := due
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(strings.NewReplacer("，", " ", ",", " ", "元", "").Replace(line))
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Sprintf("第%d行应为“日期 金额”，如：2025-10-31 1000。", i+1)
		}
		d, ok := parseDate(f[0])
		if !ok || !d.After(prev) {
			return nil, fmt.Sprintf("第%d行的日期应晚于%s，且各期依次递后。", i+1, prev.Format("2006年1月2日"))
		}
		fen, ok := ParseYuan(f[1])
		if !ok || fen <= 0 {
			return nil, fmt.Sprintf("第%d行的金额应为大于0的数字（元）。", i+1)
		}
		out = append(out, Instalment{DueOn: d.Format(time.DateOnly), AmountFen: fen})
		sum += fen
		prev = d
	}
	if len(out) == 1 {
		return nil, "分期至少为两期；只延后一个期限的，请填写“批准的缴纳期限”。"
	}
	if len(out) > 0 && sum != owedFen {
		return nil, fmt.Sprintf("各期金额合计%s，应等于尚欠罚款%s。", Yuan(sum), Yuan(owedFen))
	}
	return out, ""
}

func stepOrderDone(x *act) (string, time.Time, error) {
	day, err := x.declared("date", x.in.Date, "履行日期", later(x.c.DecisionServedOn, x.c.DecidedOn), "决定书送达之日")
	if err != nil {
		return "", none, err
	}
	return "确认责令改正事项已履行", day, x.exec(`UPDATE cases SET order_done_on = $2 WHERE id = $1`, x.c.ID, day.Format(time.DateOnly))
}

// 催告 (AEL art. 35): served in writing once the period to pay or comply has passed.
func stepServeDemand(x *act) (string, time.Time, error) {
	c := x.c
	floor := c.paymentDue(x.r, x.cal)
	if c.FineFen <= c.PaidFen && c.HasOrder {
		if d, ok := c.orderDue(); ok {
			floor = d
		}
	}
	day, err := x.declared("date", x.in.Date, "催告书送达日期", floor.AddDate(0, 0, 1), "履行期限届满的次日")
	if err != nil {
		return "", none, err
	}
	// Served directly, or as the 民事诉讼法 provides when the party refuses
	// or cannot be reached (AEL art. 38): the form says which.
	method := directUnlessSaid(x.in.Method)
	served, err := x.serve(doctype.Demand, day, method)
	if err != nil {
		return "", none, err
	}
	return "送达履行催告书" + servedText(served, method), day, x.exec(`UPDATE cases SET demand_served_on = $2 WHERE id = $1`, c.ID, day.Format(time.DateOnly))
}

// orderDue is the deadline of the order to correct, if any.
func (c *Case) orderDue() (time.Time, bool) {
	for _, p := range c.Penalties {
		if p.Kind == workflow.KindOrder {
			if d, ok := parseDate(p.DueOn); ok {
				return d, true
			}
		}
	}
	return time.Time{}, false
}

// 申请法院强制执行 (AEL arts. 53-55): signed by the head, no earlier than the
// set working days after the 催告 was served and after the reconsideration
// and lawsuit periods, and within three months after them.
func stepApplyEnforcement(x *act) (string, time.Time, error) {
	c := x.c
	court := strings.TrimSpace(x.in.Court)
	if court == "" {
		return "", none, zhifa.FieldErrors{"court": "请填写受理申请的人民法院（如：紫阳县人民法院）。"}
	}
	day, err := x.declared("date", x.in.Date, "申请日期", dateOrZero(c.DemandServedOn), "催告书送达之日")
	if err != nil {
		return "", none, err
	}
	if msg := c.unheardAfterDemand(); msg != "" {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "%s", msg)
	}
	earliest, latest := deadline.EnforcementWindow(x.r.Deadline(), x.cal, dateOrZero(c.DecisionServedOn), dateOrZero(c.DemandServedOn), dateOrZero(c.DueOverride))
	if earliest.IsZero() || day.Before(earliest) {
		return "", none, zhifa.FieldErrors{"date": fmt.Sprintf("申请法院强制执行须在催告书送达满%d个工作日、且复议和诉讼期限届满之后，最早%s（行政强制法第五十三条、第五十四条）。",
			x.r.Deadline().DemandWorkingDays, earliest.Format("2006年1月2日"))}
	}
	if day.After(latest) {
		return "", none, zhifa.FieldErrors{"date": fmt.Sprintf("申请期限已于%s届满（复议、诉讼期限届满之日起三个月内，行政强制法第五十三条）。", latest.Format("2006年1月2日"))}
	}
	return "向" + court + "申请强制执行", day, x.exec(`UPDATE cases SET enforcement_applied_on = $2, enforcement_court = $3 WHERE id = $1`,
		c.ID, day.Format(time.DateOnly), court)
}

func stepAddRemedy(x *act) (string, time.Time, error) {
	kind := RemedyKinds[x.in.RemedyKind]
	if kind == "" {
		return "", none, zhifa.FieldErrors{"remedy_kind": "请选择行政复议或行政诉讼。"}
	}
	day, err := x.declared("date", x.in.Date, "提起日期", later(x.c.DecidedOn, x.c.DecisionServedOn), "决定书送达之日")
	if err != nil {
		return "", none, err
	}
	return "登记" + kind, day, x.exec(`INSERT INTO case_remedies (case_id, town_id, kind, filed_on, note) VALUES ($1, $2, $3, $4, $5)`,
		x.c.ID, x.c.TownID, x.in.RemedyKind, day.Format(time.DateOnly), strings.TrimSpace(x.in.Text))
}

func stepRemedyOutcome(x *act) (string, time.Time, error) {
	label, ok := RemedyOutcomes[x.in.Outcome]
	if !ok || x.in.Outcome == "pending" {
		return "", none, zhifa.FieldErrors{"outcome": "请选择复议或诉讼的结果。"}
	}
	i := slices.IndexFunc(x.c.Remedies, func(r Remedy) bool { return r.ID == x.in.RemedyID && r.Outcome == "pending" })
	if i < 0 {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "没有找到尚无结果的复议或诉讼。")
	}
	day, err := x.declared("date", x.in.Date, "结果日期", x.c.Remedies[i].FiledOn, "提起之日")
	if err != nil {
		return "", none, err
	}
	var kind, note string
	err = x.tx.QueryRow(x.ctx, `UPDATE case_remedies SET outcome = $3, decided_on = $4, note = CASE WHEN $5 = '' THEN note ELSE $5 END
		WHERE id = $2 AND case_id = $1 AND outcome = 'pending' RETURNING kind, note`, x.c.ID, x.in.RemedyID, x.in.Outcome,
		day.Format(time.DateOnly), strings.TrimSpace(x.in.Text)).Scan(&kind, &note)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "没有找到尚无结果的复议或诉讼。")
	}
	if err == nil && x.in.Outcome == "corrected" {
		err = x.openRemedyCorrection(kind, note)
	}
	return RemedyKinds[kind] + "结果：" + label, day, err
}

// openRemedyCorrection opens the correction task that a corrected
// reconsideration or a lost lawsuit calls for (三级纠错), in the step's
// transaction. The record opens it, not the officer: no opener is named.
func (x *act) openRemedyCorrection(kind, note string) error {
	title := "复议纠错："
	if kind == "litigation" {
		title = "诉讼败诉："
	}
	title += x.c.NumberOrLead() + "（" + x.c.PartyName + "）"
	if utf8.RuneCountInString(title) > 200 {
		title = string([]rune(title)[:200])
	}
	if strings.TrimSpace(note) == "" {
		note = RemedyKinds[kind] + "结果为纠错（撤销、变更或败诉），请整改并报送整改情况。"
	}
	_, err := correction.Open(x.ctx, x.tx, nil, correction.New{TownID: x.c.TownID, CaseID: x.c.ID, Source: correction.SourceRemedy,
		SourceID: x.in.RemedyID, Title: title, Detail: note, DueOn: x.today.AddDate(0, 0, RemedyCorrectionDays)})
	return err
}

// RemedyCorrectionDays is the town's time to report what it did after a
// corrected reconsideration or a lost lawsuit (as for an evaluation's
// findings).
const RemedyCorrectionDays = 30

// unheardAfterDemand says what is missing when the party's statement after
// the 催告 has not been rechecked: the party may state and defend itself
// after a 催告, and the agency hears and rechecks it first (AEL art. 36).
func (c *Case) unheardAfterDemand() string {
	for _, st := range c.Statements {
		if st.RecheckedOn == nil && c.DemandServedOn != nil && !st.ReceivedOn.Before(*c.DemandServedOn) {
			return "当事人收到催告书后提出的陈述、申辩尚未复核，须先听取并复核（行政强制法第三十六条）。"
		}
	}
	return ""
}

// 法院裁定 on the application (AEL arts. 57-58): granted or not, and when.
func stepEnforcementRuling(x *act) (string, time.Time, error) {
	text := strings.TrimSpace(x.in.Text)
	fe := zhifa.FieldErrors{}
	fe.Check(x.in.Granted == "yes" || x.in.Granted == "no", "granted", "请选择法院是否裁定准予执行。")
	fe.Check(text != "", "text", "请填写裁定书文号和主要内容（不准予执行的写明理由）。")
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day, err := x.declared("date", x.in.Date, "裁定日期", dateOrZero(x.c.EnforcementOn), "申请强制执行之日")
	if err != nil {
		return "", none, err
	}
	granted := x.in.Granted == "yes"
	summary := x.c.EnforcementCourt + "裁定准予执行：" + text
	if !granted {
		summary = x.c.EnforcementCourt + "裁定不准予执行：" + text
	}
	return summary, day, x.exec(`UPDATE cases SET enforcement_ruling_on = $2, enforcement_granted = $3, enforcement_ruling = $4 WHERE id = $1`,
		x.c.ID, day.Format(time.DateOnly), granted, text)
}
