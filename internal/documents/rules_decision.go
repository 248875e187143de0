package documents

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
)

// Rules of the documents of the decision, service, execution and closing
// stages: when each can be made (in the words shown to the officer) and
// what its boxes say by default, taken from the case.

func init() {
	register(doctype.Decision, rule{when: decisionWhen, defaults: decisionDefaults})
	register(doctype.NoPenaltyDecision, rule{when: noPenaltyWhen, defaults: func(d *Doc) map[string]string {
		return map[string]string{"facts": d.Case.Facts}
	}})
	register(doctype.SpotDecision, rule{when: spotWhen})
	register(doctype.EServiceConsent, rule{when: consentWhen, defaults: consentDefaults})
	register(doctype.DeferralApproval, rule{when: deferralApprovalWhen, defaults: deferralDefaults})
	register(doctype.DeferralDecision, rule{when: deferralDecisionWhen})
	register(doctype.Demand, rule{when: demandWhen})
	register(doctype.EnforcementRequest, rule{when: enforcementWhen, defaults: enforcementDefaults})
	register(doctype.ClosingApproval, rule{when: closingWhen, defaults: closingDefaults})
	register(doctype.MajorFiling, rule{when: majorWhen, defaults: majorDefaults})
}

// decidedStates are the states of a general-procedure case after the
// penalty decision.
var decidedStates = []workflow.State{workflow.Decided, workflow.Served, workflow.Executing, workflow.Closed, workflow.Archived}

// penaltyDecided says why a general-procedure penalty decision is not on
// record ("" when it is): the 决定书 writes down what the head decided, so
// the decision is recorded first (APL art. 57).
func penaltyDecided(c *cases.Case, title string) string {
	if why := filed(c); why != "" {
		return why
	}
	switch {
	case c.Procedure == workflow.Summary:
		return "简易程序案件当场作出处罚决定，请制作《当场行政处罚决定书》。"
	case c.State == workflow.NoPenalty:
		return "本案已决定不予行政处罚，请制作《不予行政处罚决定书》。"
	case c.DecidedOn == nil:
		return "负责人尚未作出处罚决定：请先在案件页面“作出处罚决定”，再制作《" + title + "》。"
	case !slices.Contains(decidedStates, c.State):
		return fmt.Sprintf("案件当前状态为“%s”，不能制作《%s》。", c.State.Label(), title)
	}
	return ""
}

func decisionWhen(c *cases.Case) string { return penaltyDecided(c, "行政处罚决定书") }

func decisionDefaults(d *Doc) map[string]string {
	c := d.Case
	return map[string]string{
		"facts":     c.Facts,
		"evidence":  evidenceList(c),
		"statement": statementOutcome(c),
		"reasons":   decisionReasons(c),
	}
}

// evidenceList names the evidence in force, numbered on one line so the
// decision stays on one page.
func evidenceList(c *cases.Case) string {
	var parts []string
	for _, e := range c.Evidence {
		if e.SupersededAt != nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d.%s（%s）", len(parts)+1, e.Title, cases.Label(cases.EvidenceKinds, e.Kind)))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "；") + "。"
}

// sentence ends s with a full stop, once.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	s = strings.TrimRight(s, "。；;，,. ")
	return s + "。"
}

// statementOutcome is what the party said after the notice and whether it
// was adopted (APL art. 45): the hearing, each statement with its recheck,
// or that the party said nothing or waived in writing.
func statementOutcome(c *cases.Case) string {
	var parts []string
	switch c.HearingOutcome {
	case cases.HearingHeld:
		held := ""
		if c.HearingHeld != nil {
			held = "于" + DateCN(*c.HearingHeld)
		}
		parts = append(parts, "应当事人申请，本机关"+held+"依法举行听证，听取了当事人的陈述、申辩和质证意见。")
	case cases.HearingAbsent, cases.HearingLeft:
		parts = append(parts, "当事人申请听证后"+strings.TrimPrefix(cases.Label(cases.HearingOutcomes, c.HearingOutcome), "当事人")+"。")
	}
	for _, s := range c.Statements {
		if c.DecidedOn != nil && s.ReceivedOn.After(*c.DecidedOn) {
			continue // after the decision (a 催告): not part of it
		}
		p := "当事人于" + DateCN(s.ReceivedOn) + "提出陈述、申辩：" + sentence(s.Content)
		if r := strings.TrimSpace(s.Recheck); r != "" {
			p += "经复核，" + sentence(r)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		p := "当事人在法定期限内未提出陈述、申辩"
		if c.StatementWaived {
			p = "当事人书面表示放弃陈述、申辩的权利"
		}
		if c.HearingRight {
			switch {
			case c.HearingWaived:
				p += "，并书面明确放弃听证"
			case c.HearingRequested == nil:
				p += "，未要求听证"
			}
		}
		parts = append(parts, p+"。")
	}
	return strings.Join(parts, "\n")
}

// decisionReasons are the discretion reasons of the proposal.
func decisionReasons(c *cases.Case) string {
	out := sentence(c.ProposalReasoning)
	if m := strings.TrimSpace(c.MitigationGround); m != "" {
		out += "当事人具有从轻、减轻处罚情节：" + sentence(m)
	}
	return out
}

func noPenaltyWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.State != workflow.NoPenalty {
		return fmt.Sprintf("本案未决定不予行政处罚（当前状态：%s）：《不予行政处罚决定书》在负责人决定“不予处罚”后制作。", c.State.Label())
	}
	return ""
}

func spotWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.Procedure != workflow.Summary {
		return "《当场行政处罚决定书》只用于简易程序；一般程序案件请制作《行政处罚决定书》。"
	}
	if c.DecidedOn == nil {
		return "尚未作出当场处罚决定：请先在案件页面“作出当场处罚决定”（行政处罚法第五十一条、第五十二条）。"
	}
	return ""
}

func consentWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.State.Terminal() {
		return fmt.Sprintf("案件已办结（%s），不再需要确认送达地址。", c.State.Label())
	}
	return ""
}

func consentDefaults(d *Doc) map[string]string {
	out := map[string]string{"address": d.Case.PartyAddress}
	if p := strings.TrimSpace(d.Case.PartyPhone); p != "" {
		out["channel"] = "手机号码" + p + "（短信）"
	}
	return out
}

// deferred says whether the head approved a deferral or instalments.
func deferred(c *cases.Case) bool { return c.DueOverride != nil || len(c.Instalments) > 0 }

func deferralApprovalWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.FineFen <= 0 {
		return "本案没有罚款，不需要延期（分期）缴纳。"
	}
	if deferred(c) {
		return ""
	}
	if c.State != workflow.Served && c.State != workflow.Executing {
		return fmt.Sprintf("延期（分期）缴纳罚款在处罚决定书送达后、执行期间申请和审批（当前状态：%s）。", c.State.Label())
	}
	if c.PaidFen >= c.FineFen {
		return "罚款已缴清，不需要延期（分期）缴纳。"
	}
	return ""
}

// deferralPlan describes the approved deferral or instalments: 延期至2025年10月31日,
// 分2期缴纳（2025年10月31日前500元，2025年11月30日前500元）.
func deferralPlan(c *cases.Case) string {
	if len(c.Instalments) > 0 {
		var parts []string
		for _, in := range c.Instalments {
			parts = append(parts, dateText(in.DueOn)+"前缴纳"+Yuan(in.AmountFen))
		}
		return fmt.Sprintf("分%d期缴纳（%s）", len(c.Instalments), strings.Join(parts, "，"))
	}
	if c.DueOverride != nil {
		return "延期至" + DateCN(*c.DueOverride) + "缴纳"
	}
	return ""
}

// dateText writes a YYYY-MM-DD date as 2025年9月1日 (as typed if it is not one).
func dateText(s string) string {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return DateCN(t)
}

func deferralDefaults(d *Doc) map[string]string {
	c := d.Case
	plan := deferralPlan(c)
	if plan == "" {
		plan = "延期（分期）缴纳罚款"
	}
	return map[string]string{
		"reason":       c.DeferralNote,
		"team_opinion": "经审查，当事人确有经济困难，符合《中华人民共和国行政处罚法》第六十六条第二款的规定，建议准予" + plan + "。",
	}
}

func deferralDecisionWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.FineFen <= 0 {
		return "本案没有罚款，不需要延期（分期）缴纳。"
	}
	if !deferred(c) {
		return "负责人尚未批准延期（分期）缴纳罚款：请先报批《延期（分期）缴纳罚款审批表》，并在案件页面“批准延期或分期缴纳罚款”登记批准的期限，再制作决定书。"
	}
	return ""
}

// outstandingDuties lists what the decision still requires of the party.
func outstandingDuties(c *cases.Case) []string {
	var out []string
	if c.FineFen > c.PaidFen {
		out = append(out, "罚款尚欠"+Yuan(c.FineFen-max(c.PaidFen, 0)))
	}
	if c.HasOrder && c.OrderDoneOn == nil {
		out = append(out, "责令改正事项尚未履行")
	}
	return out
}

// deadlineOf finds a computed deadline of the case.
func deadlineOf(c *cases.Case, key string) *deadline.Deadline {
	for i := range c.Deadlines {
		if c.Deadlines[i].Key == key {
			return &c.Deadlines[i]
		}
	}
	return nil
}

func demandWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.State != workflow.Executing {
		return fmt.Sprintf("履行催告书在案件进入执行阶段后制作（当前状态：%s）。", c.State.Label())
	}
	if len(outstandingDuties(c)) == 0 {
		return "当事人已履行处罚决定，不需要催告。"
	}
	// AEL art. 35: a 催告 follows the party's failure to perform in time.
	if c.FineFen > c.PaidFen {
		if dl := deadlineOf(c, deadline.KeyPayment); dl != nil && dl.DaysLeft >= 0 {
			return "缴纳罚款的期限（" + DateCN(dl.Due) + "）尚未届满：当事人逾期不履行的，方可催告（行政强制法第三十五条）。"
		}
	}
	return ""
}

// statementsAfterDemand are the party's statements after the 催告 (AEL art. 36).
func statementsAfterDemand(c *cases.Case) []cases.Statement {
	var out []cases.Statement
	if c.DemandServedOn == nil {
		return nil
	}
	for _, s := range c.Statements {
		if !s.ReceivedOn.Before(*c.DemandServedOn) {
			out = append(out, s)
		}
	}
	return out
}

func enforcementWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.DemandServedOn == nil {
		return "尚未送达履行催告书：申请人民法院强制执行前，须书面催告当事人履行义务（行政强制法第三十五条、第五十四条）。"
	}
	if c.EnforcementOn != nil {
		return "" // applied: the application is made out for the file
	}
	if c.State != workflow.Executing {
		return fmt.Sprintf("案件当前状态为“%s”，不能申请人民法院强制执行。", c.State.Label())
	}
	if len(outstandingDuties(c)) == 0 {
		return "当事人已履行处罚决定，不需要申请人民法院强制执行。"
	}
	for _, s := range statementsAfterDemand(c) {
		if s.RecheckedOn == nil {
			return "当事人收到催告书后提出的陈述、申辩尚未复核，须先听取并复核（行政强制法第三十六条）。"
		}
	}
	// The deadline carries a note while the window has not opened: ten
	// working days after the 催告, and the remedy periods over.
	if dl := deadlineOf(c, deadline.KeyEnforcement); dl != nil && dl.Note != "" {
		return "尚不能申请人民法院强制执行：" + dl.Note + "（行政强制法第五十三条、第五十四条）。"
	}
	return ""
}

func enforcementDefaults(d *Doc) map[string]string {
	c := d.Case
	if c.DemandServedOn == nil {
		return nil
	}
	days := 10
	if d.Rules != nil {
		days = d.Rules.Deadline().DemandWorkingDays
	}
	p := fmt.Sprintf("本机关于%s向被申请人送达履行催告书，催告其在%d个工作日内履行义务。", DateCN(*c.DemandServedOn), days)
	heard := statementsAfterDemand(c)
	for _, s := range heard {
		p += "被申请人于" + DateCN(s.ReceivedOn) + "提出陈述、申辩：" + sentence(s.Content)
		if r := strings.TrimSpace(s.Recheck); r != "" {
			p += "经复核，" + sentence(r)
		}
	}
	if len(heard) == 0 {
		p += "被申请人收到催告书后未提出陈述、申辩，"
	} else {
		p += "被申请人"
	}
	p += "催告期满后仍未履行，且无正当理由。"
	return map[string]string{"statement": p}
}

// closingMissing says what keeps an executing case from closing (the same
// checks as the 结案 step).
func closingMissing(c *cases.Case) []string {
	var out []string
	if c.FineFen > 0 && c.PaidFen < c.FineFen && c.EnforcementOn == nil {
		out = append(out, fmt.Sprintf("罚款尚未缴清（已缴%s，应缴%s），且未申请法院强制执行",
			cases.Yuan(max(c.PaidFen, 0)), cases.Yuan(c.FineFen)))
	}
	if c.HasOrder && c.OrderDoneOn == nil && c.EnforcementOn == nil {
		out = append(out, "责令改正事项尚未履行完毕，且未申请法院强制执行")
	}
	n := 0
	for _, p := range c.Payments {
		if p.Kind == cases.PaymentOnSpot && p.AmountFen > 0 && !p.Reversed && p.HandedInOn == nil {
			n++
		}
	}
	if n > 0 {
		out = append(out, fmt.Sprintf("尚有%d笔当场收缴的罚款未交至指定银行", n))
	}
	return out
}

func closingWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	switch c.State {
	case workflow.Closed, workflow.Archived, workflow.NoPenalty, workflow.Transferred, workflow.Revoked:
		return ""
	case workflow.Executing:
		if m := closingMissing(c); len(m) > 0 {
			return "尚不能结案：" + strings.Join(m, "；") + "。"
		}
		return ""
	}
	return fmt.Sprintf("案件尚未办结（当前状态：%s）：结案审批表在处罚决定执行完毕或案件终结后制作。", c.State.Label())
}

// paymentLines are the payments as the 结案审批表 lists them, each with its
// receipt; wrong entries and their reversals are left out.
func paymentLines(c *cases.Case) []string {
	var out []string
	for _, p := range c.Payments {
		if p.Reversed || p.Reverses != nil || p.AmountFen <= 0 {
			continue
		}
		l := DateCN(p.PaidOn) + "缴纳罚款" + cases.Yuan(p.AmountFen)
		if p.SurchargeFen > 0 {
			l += "、加处罚款" + cases.Yuan(p.SurchargeFen)
		}
		if p.Kind == cases.PaymentOnSpot {
			l += "（当场收缴"
			if p.HandedInOn != nil {
				l += "，" + DateCN(*p.HandedInOn) + "交至银行"
			}
			l += "）"
		}
		if p.ReceiptNo != "" {
			l += "，票据号" + p.ReceiptNo
		}
		out = append(out, l)
	}
	return out
}

// closingSummary tells how the case ended, from the record.
func closingSummary(c *cases.Case) string {
	var out []string
	switch c.State {
	case workflow.NoPenalty:
		out = append(out, "本案决定不予行政处罚（"+workflow.NoPenaltyKindLabel(c.NoPenaltyKind)+"）："+sentence(c.OutcomeReason))
		if e := strings.TrimSpace(c.Education); e != "" {
			out = append(out, "已对当事人进行教育："+sentence(e))
		}
		return strings.Join(out, "\n")
	case workflow.Transferred:
		return "本案已移送" + c.TransferBody + "：" + sentence(c.OutcomeReason)
	case workflow.Revoked:
		return "本案已撤销立案：" + sentence(c.OutcomeReason)
	}
	if c.DecidedOn != nil {
		l := DateCN(*c.DecidedOn) + "作出处罚决定：" + Penalties(c.Penalties)
		if c.DecisionServedOn != nil {
			l += "；" + DateCN(*c.DecisionServedOn) + c.ServiceMethod
		}
		out = append(out, sentence(l))
	}
	if ps := paymentLines(c); len(ps) > 0 {
		out = append(out, "缴纳情况："+strings.Join(ps, "；")+"。")
	}
	if c.FineFen > 0 {
		if c.PaidFen >= c.FineFen {
			out = append(out, "罚款"+cases.Yuan(c.FineFen)+"已全部缴清。")
		} else {
			out = append(out, fmt.Sprintf("罚款未缴清：已缴%s，应缴%s。", cases.Yuan(max(c.PaidFen, 0)), cases.Yuan(c.FineFen)))
		}
	}
	if c.HasOrder {
		if c.OrderDoneOn != nil {
			out = append(out, "责令改正事项已于"+DateCN(*c.OrderDoneOn)+"履行完毕。")
		} else {
			out = append(out, "责令改正事项未履行。")
		}
	}
	if c.DemandServedOn != nil {
		out = append(out, DateCN(*c.DemandServedOn)+"送达履行催告书。")
	}
	if c.EnforcementOn != nil {
		l := DateCN(*c.EnforcementOn) + "向" + c.EnforcementCourt + "申请强制执行"
		if c.RulingOn != nil && c.RulingGranted != nil {
			l += "；" + DateCN(*c.RulingOn) + map[bool]string{true: "法院裁定准予执行", false: "法院裁定不准予执行"}[*c.RulingGranted]
			if r := strings.TrimSpace(c.Ruling); r != "" {
				l += "（" + r + "）"
			}
		}
		out = append(out, sentence(l))
	}
	for _, r := range c.Remedies {
		l := "当事人于" + DateCN(r.FiledOn) + "提起" + cases.RemedyKinds[r.Kind] + "，结果：" + cases.RemedyOutcomes[r.Outcome]
		out = append(out, sentence(l))
	}
	return strings.Join(out, "\n")
}

func closingDefaults(d *Doc) map[string]string {
	c := d.Case
	opinion := "案件已办理终结，建议结案。"
	if c.State == workflow.Executing || c.State == workflow.Closed || c.State == workflow.Archived {
		opinion = "处罚决定已执行完毕（或已依法申请人民法院强制执行），符合结案条件，建议结案。"
	}
	return map[string]string{"summary": closingSummary(c), "team_opinion": opinion}
}

func majorWhen(c *cases.Case) string {
	if c.Number != nil && c.Procedure == workflow.Summary {
		return "简易程序当场作出的处罚决定不属于重大行政处罚，不需要备案。"
	}
	if why := penaltyDecided(c, "重大行政处罚决定备案表"); why != "" {
		return why
	}
	if c.MajorReason == "" {
		return "本案处罚决定未达到重大行政处罚标准（见“重大处罚备案标准”），不需要向县司法局备案。"
	}
	return ""
}

// majorReasons are why the decision counts as major: the grounds that
// required collective discussion (APL art. 57 ¶2) and a hearing.
func majorReasons(d *Doc) string {
	c := d.Case
	var out []string
	threshold := d.Rules.Get("discussion_person_fen", 0)
	if c.PartyKind == "org" {
		threshold = d.Rules.Get("discussion_org_fen", 0)
	}
	if threshold > 0 && c.FineFen >= threshold {
		out = append(out, "罚款"+cases.Yuan(c.FineFen)+"，达到较大数额罚款（"+cases.Yuan(threshold)+"）标准")
	}
	if slices.ContainsFunc(c.Penalties, func(p cases.Penalty) bool {
		return p.Kind == workflow.KindRevocation || p.Kind == workflow.KindSuspension
	}) {
		out = append(out, "吊销许可证件或者责令停产停业")
	}
	if c.HearingOutcome == cases.HearingHeld {
		out = append(out, "经过听证程序")
	}
	if c.DiscussionOn != nil {
		out = append(out, "经本机关负责人集体讨论决定（"+DateCN(*c.DiscussionOn)+"）")
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "；") + "。"
}

func majorDefaults(d *Doc) map[string]string {
	if r := d.Case.MajorReason; r != "" {
		return map[string]string{"reason": r}
	}
	return map[string]string{"reason": majorReasons(d)}
}

// decisionInForce is the case's latest issued decision not replaced, or nil.
func decisionInForce(ctx context.Context, tx pgx.Tx, caseID int64) (*Ref, error) {
	var ref Ref
	var number *string
	err := tx.QueryRow(ctx, `SELECT d.id, d.title, d.number FROM documents d
		WHERE d.case_id = $1 AND d.kind = ANY($2) AND NOT EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id)
		ORDER BY d.id DESC LIMIT 1`, caseID,
		[]string{string(doctype.Decision), string(doctype.SpotDecision), string(doctype.NoPenaltyDecision)}).Scan(&ref.ID, &ref.Title, &number)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("decision in force: %w", err)
	}
	if number != nil {
		ref.Number = *number
	}
	return &ref, nil
}
