package web

import (
	"strings"
	"time"

	"github.com/a-h/templ"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/workflow"
)

// The layouts of the decision, service, execution and closing stages.
var _ = func() bool {
	for k, f := range map[doctype.Kind]func(*documents.Doc) templ.Component{
		doctype.Decision:           DocDecision,
		doctype.NoPenaltyDecision:  DocNoPenaltyDecision,
		doctype.SpotDecision:       DocSpotDecision,
		doctype.ServiceReceipt:     DocServiceReceipt,
		doctype.EServiceConsent:    DocEServiceConsent,
		doctype.DeferralApproval:   DocDeferralApproval,
		doctype.DeferralDecision:   DocDeferralDecision,
		doctype.Demand:             DocDemand,
		doctype.EnforcementRequest: DocEnforcementRequest,
		doctype.ClosingApproval:    DocClosingApproval,
		doctype.MajorFiling:        DocMajorFiling,
	} {
		registerDoc(k, f)
	}
	return true
}()

// APL is the Administrative Penalty Law as a document cites it.
const decAPL = "《中华人民共和国行政处罚法》"

// decYou addresses the party: 你, or 你单位 for an organisation.
func decYou(d *documents.Doc) string {
	if d.Case.PartyKind == "org" {
		return "你单位"
	}
	return "你"
}

// decAct is the act of the case as 案由 reads it: the item's name without
// 对……的行政处罚 (森林防火期内未经批准擅自在森林防火区内野外用火).
func decAct(d *documents.Doc) string {
	s := strings.TrimSpace(d.Case.ItemName)
	s = strings.TrimPrefix(s, "对")
	for _, suffix := range []string{"的行政处罚", "行为的处罚", "的处罚"} {
		s = strings.TrimSuffix(s, suffix)
	}
	return s
}

// decBasis is the citation of the penalty's legal basis frozen at the
// decision (the item's, on the filing date): the provisions, without the
// quoted text after the colon.
func decBasis(d *documents.Doc) string {
	b := strings.TrimSpace(d.Case.DecisionBasis)
	if i := strings.IndexAny(b, "：:"); i > 0 {
		b = b[:i]
	}
	return strings.TrimRight(b, "。；; ")
}

// decPenalty is one penalty in the words of a decision, a fine with its
// amount in 大写.
func decPenalty(p cases.Penalty) string {
	switch p.Kind {
	case workflow.KindFine:
		return "罚款" + documents.Yuan(p.AmountFen)
	case workflow.KindWarning:
		return "警告"
	}
	return documents.Penalties([]cases.Penalty{p})
}

// decPenalties are the penalties of the decision (an order to correct is
// not a penalty, APL art. 28, and is written apart), numbered when several.
func decPenalties(ps []cases.Penalty) string {
	var parts []string
	for _, p := range ps {
		if p.Kind != workflow.KindOrder {
			parts = append(parts, decPenalty(p))
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	nums := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九"}
	for i := range parts {
		if i < len(nums) {
			parts[i] = nums[i] + "、" + parts[i]
		}
	}
	return strings.Join(parts, "；")
}

// decOrders are the orders to correct of the decision: 责令你于2025年9月15日前补种树木60棵.
func decOrders(d *documents.Doc) []string {
	var out []string
	for _, p := range d.Case.Penalties {
		if p.Kind != workflow.KindOrder {
			continue
		}
		s := "责令" + decYou(d)
		if due, err := time.Parse(time.DateOnly, p.DueOn); err == nil {
			s += "于" + d.Date(due) + "前"
		}
		out = append(out, s+strings.TrimRight(p.Measure, "。")+"。")
	}
	return out
}

// decDecisionRef names the decision in force: 紫毛坝综执罚〔2025〕1号《行政处罚决定书》.
func decDecisionRef(d *documents.Doc) string {
	if d.Decision == nil {
		if d.Case.Procedure == workflow.Summary {
			return "《当场行政处罚决定书》"
		}
		return "《行政处罚决定书》"
	}
	return d.Decision.Number + "《" + d.Decision.Title + "》"
}

// decIntro opens a decision: the case, when it was filed, the facts found.
func decIntro(d *documents.Doc) string {
	s := decYou(d) + decAct(d) + "一案，本机关于" + d.DatePtr(d.Case.FiledOn) + "立案调查，现已调查终结。"
	facts := firstLine(d.F("facts"))
	if !strings.HasPrefix(facts, "经查") {
		s += "经查明："
	}
	return s + facts
}

// decNoticeSentence tells of the notice and the rights it gave (APL art. 44).
func decNoticeSentence(d *documents.Doc) string {
	c := d.Case
	if c.NoticeServedOn == nil {
		return ""
	}
	rights := "陈述、申辩"
	if c.HearingRight {
		rights += "和要求听证"
	}
	return "本机关于" + d.DatePtr(c.NoticeServedOn) + "向" + decYou(d) + "送达《行政处罚事先告知书》，告知拟作出行政处罚的内容及事实、理由、依据和" +
		decYou(d) + "依法享有的" + rights + "的权利。"
}

// decDecideSentence is the discretion reasons, the basis and the penalties.
func decDecideSentence(d *documents.Doc) string {
	s := "本机关认为，" + strings.TrimSpace(firstLine(d.F("reasons")))
	return s
}

// decDecides is the operative sentence: basis, then the penalties.
func decDecides(d *documents.Doc) string {
	s := ""
	if d.Case.DiscussionOn != nil {
		s = "经本机关负责人集体讨论，"
	}
	if b := decBasis(d); b != "" {
		s += "依据" + b + "的规定，"
	}
	return s + "本机关决定对" + decYou(d) + "作出如下行政处罚：" + decPenalties(d.Case.Penalties) + "。"
}

// decRemedyNoSuspend is the remedy clause without the phrase on execution
// during an appeal, for a decision that imposes nothing.
func decRemedyNoSuspend(d *documents.Doc) string {
	return strings.TrimSpace(strings.TrimSuffix(d.Remedy(), d.S.NoSuspendPhrase))
}

// decNoPenaltyGround is the ground of a 不予行政处罚 and its provision.
func decNoPenaltyGround(d *documents.Doc) string {
	you := decYou(d)
	switch d.Case.NoPenaltyKind {
	case workflow.NoPenaltyNotEstablished:
		return "本案违法事实不能成立。依据" + decAPL + "第五十七条第一款第三项的规定，本机关决定对" + you + "不予行政处罚。"
	case workflow.NoPenaltyMinor:
		return you + "的违法行为轻微并及时改正，没有造成危害后果。依据" + decAPL + "第三十三条第一款的规定，本机关决定对" + you + "不予行政处罚。"
	case workflow.NoPenaltyFirstOffence:
		return you + "系初次违法且危害后果轻微并及时改正。依据" + decAPL + "第三十三条第一款的规定，本机关决定对" + you + "不予行政处罚。"
	case workflow.NoPenaltyNoFault:
		return you + "有证据足以证明没有主观过错。依据" + decAPL + "第三十三条第二款的规定，本机关决定对" + you + "不予行政处罚。"
	}
	return "本机关决定对" + you + "不予行政处罚。"
}

// decSpotPayment is the payment clause of an on-the-spot decision, where
// APL art. 68 lets the officers collect small fines themselves.
func decSpotPayment(d *documents.Doc) string {
	return strings.Replace(d.Payment(), "执法人员不得自行收缴罚款", "除依法当场收缴的罚款外，执法人员不得自行收缴罚款", 1)
}

// decRespondent is the party block of the court application: 被申请人.
func decRespondent(d *documents.Doc) []string {
	lines := d.PartyLines()
	if len(lines) > 0 {
		lines[0] = strings.Replace(lines[0], "当事人", "被申请人", 1)
	}
	return lines
}

// decCourt is the court asked to enforce.
func decCourt(d *documents.Doc) string {
	if c := strings.TrimSpace(d.Case.EnforcementCourt); c != "" {
		return c
	}
	return d.S.Court
}

// decOwedFen is the fine still owed.
func decOwedFen(d *documents.Doc) int64 { return max(d.Case.FineFen-max(d.Case.PaidFen, 0), 0) }

// decOrderUndone says whether an order to correct is still not carried out.
func decOrderUndone(d *documents.Doc) bool { return d.Case.HasOrder && d.Case.OrderDoneOn == nil }

// decOrderMeasures are the orders to correct, as what to do.
func decOrderMeasures(d *documents.Doc) string {
	var out []string
	for _, p := range d.Case.Penalties {
		if p.Kind == workflow.KindOrder {
			out = append(out, strings.TrimRight(p.Measure, "。"))
		}
	}
	return strings.Join(out, "；")
}

// decDemandDays is the period a 催告 gives (AEL art. 54: ten days, working
// days by art. 69).
func decDemandDays(d *documents.Doc) string {
	return itoa(int64(d.Rules.Deadline().DemandWorkingDays))
}

// decEnforcementItems is what the court is asked to enforce.
func decEnforcementItems(d *documents.Doc) string {
	var out []string
	if owed := decOwedFen(d); owed > 0 {
		out = append(out, "罚款"+documents.Yuan(owed))
		if d.Case.SurchargeDue > 0 {
			out = append(out, "加处罚款"+documents.Yuan(d.Case.SurchargeDue)+"（计至本申请书作出之日）")
		}
	}
	if decOrderUndone(d) {
		out = append(out, "责令改正事项："+decOrderMeasures(d))
	}
	return strings.Join(out, "；")
}

// decRemedyHistory tells whether the party appealed.
func decRemedyHistory(d *documents.Doc) string {
	if len(d.Case.Remedies) == 0 {
		return "被申请人在法定期限内未申请行政复议，也未提起行政诉讼，又不履行行政处罚决定。"
	}
	var parts []string
	for _, r := range d.Case.Remedies {
		parts = append(parts, "被申请人于"+d.Date(r.FiledOn)+"提起"+cases.RemedyKinds[r.Kind]+"，结果："+cases.RemedyOutcomes[r.Outcome])
	}
	return strings.Join(parts, "；") + "。被申请人至今未履行行政处罚决定。"
}

// decPlan is the approved deferral or instalments, one line each.
func decPlan(d *documents.Doc) []string {
	c := d.Case
	if len(c.Instalments) > 0 {
		out := []string{"准予" + decYou(d) + "分" + itoa(int64(len(c.Instalments))) + "期缴纳罚款："}
		for i, in := range c.Instalments {
			due := in.DueOn
			if t, err := time.Parse(time.DateOnly, in.DueOn); err == nil {
				due = d.Date(t)
			}
			out = append(out, "第"+itoa(int64(i+1))+"期："+due+"前缴纳"+documents.Yuan(in.AmountFen)+"；")
		}
		last := out[len(out)-1]
		out[len(out)-1] = strings.TrimSuffix(last, "；") + "。"
		return out
	}
	if c.DueOverride != nil {
		return []string{"准予" + decYou(d) + "延期至" + d.DatePtr(c.DueOverride) + "前缴纳罚款" + documents.Yuan(decOwedFen(d)) + "。"}
	}
	return nil
}

// decPlanText is the plan on one line (for a form's cell).
func decPlanText(d *documents.Doc) string { return strings.Join(decPlan(d), "") }

// decPartyShort is the party's name and ID number on one line.
func decPartyShort(d *documents.Doc) string {
	s := d.Case.PartyName
	if d.Case.PartyIDNumber != "" {
		s += "（" + d.Case.PartyIDNumber + "）"
	}
	return s
}

// decDecisionLine is the decision as a form's cell shows it.
func decDecisionLine(d *documents.Doc) string {
	c := d.Case
	if c.DecidedOn == nil {
		return ""
	}
	return decDecisionRef(d) + "，" + d.DatePtr(c.DecidedOn) + "作出：" + decPenalties(c.Penalties)
}

// decReview is the legal review passed before the decision.
func decReview(d *documents.Doc) string {
	for i := len(d.Case.Reviews) - 1; i >= 0; i-- {
		if r := d.Case.Reviews[i]; r.Outcome == "passed" {
			return d.Date(r.ReviewedOn) + "经" + r.ReviewerName + "审核通过：" + r.Opinion
		}
	}
	return "无"
}

// decDiscussion is the collective discussion, if any.
func decDiscussion(d *documents.Doc) string {
	c := d.Case
	if c.DiscussionOn == nil {
		return "无"
	}
	return d.DatePtr(c.DiscussionOn) + "集体讨论（" + c.DiscussionParticipants + "）：" + c.DiscussionConclusion
}

// decHearing is the hearing, if any.
func decHearing(d *documents.Doc) string {
	c := d.Case
	switch {
	case c.HearingOutcome != "":
		s := cases.Label(cases.HearingOutcomes, c.HearingOutcome)
		if c.HearingHeld != nil {
			s = d.DatePtr(c.HearingHeld) + s
		}
		return s
	case c.HearingRight && c.HearingWaived:
		return "当事人书面放弃听证"
	case c.HearingRight:
		return "当事人未要求听证"
	}
	return "不适用"
}

// decServiceMethods is the tick list of methods on a blank receipt.
func decServiceMethods() string {
	var b strings.Builder
	for i, m := range doctype.ServiceMethods {
		if i > 0 {
			b.WriteString("　")
		}
		b.WriteString("□" + m)
	}
	return b.String()
}

// decConsent ticks 同意 or 不同意 as the party chose.
func decConsent(v string) string {
	yes, no := "□", "□"
	switch strings.TrimSpace(v) {
	case "同意":
		yes = "☑"
	case "不同意":
		no = "☑"
	}
	return yes + "同意　" + no + "不同意"
}

// decReceiptAddress is where the document was served.
func decReceiptAddress(d *documents.Doc) string {
	if d.Service != nil && strings.TrimSpace(d.Service.Address) != "" {
		return d.Service.Address
	}
	return d.Case.PartyAddress
}

// decServedOn is the date of the service, or blanks to fill by hand.
func decServedOn(d *documents.Doc) string {
	if d.Service == nil {
		return "　　　　年　　月　　日　　时　　分"
	}
	return d.Date(d.Service.ServedOn)
}

// decServesTitle is the document served: 《行政处罚决定书》.
func decServesTitle(d *documents.Doc) string {
	if d.Serves == nil {
		return ""
	}
	return "《" + d.Serves.Title + "》"
}

// decServesNumber is its 文号.
func decServesNumber(d *documents.Doc) string {
	if d.Serves == nil {
		return ""
	}
	return d.Serves.Number
}

// decSpotHeard is what the party said on the spot (APL art. 52).
func decSpotHeard(d *documents.Doc) string {
	if s := strings.TrimSpace(d.Case.SpotStatement); s != "" {
		return decYou(d) + "陈述、申辩：" + strings.TrimRight(s, "。") + "。"
	}
	return decYou(d) + "未提出陈述、申辩。"
}

// decWrap puts s in brackets, or nothing when it is blank.
func decWrap(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return "（" + strings.TrimRight(s, "。") + "）"
}

// decOwedLine is the fine a 催告 demands: what is owed, and of what, once
// part is paid.
func decOwedLine(d *documents.Doc, owed int64) string {
	if d.Case.PaidFen > 0 {
		return "一、缴纳尚欠的罚款" + documents.Yuan(owed) + "（罚款" + cases.Yuan(d.Case.FineFen) + "，已缴纳" + cases.Yuan(d.Case.PaidFen) + "）；"
	}
	return "一、缴纳罚款" + documents.Yuan(owed) + "；"
}

// decOrderDutyLine is the order to correct among the duties a 催告 lists,
// numbered after the fine and the surcharge when they are owed too.
func decOrderDutyLine(d *documents.Doc) string {
	n := "一、"
	if decOwedFen(d) > 0 {
		n = "三、"
	}
	return n + "履行责令改正事项：" + decOrderMeasures(d) + "。"
}

// decSurchargeLine is the surcharge a 催告 demands, with its standard (AEL
// art. 45 wants the standard told).
func decSurchargeLine(d *documents.Doc) string {
	end := "。"
	if decOrderUndone(d) {
		end = "；"
	}
	return "二、缴纳加处罚款：截至本催告书作出之日为" + documents.Yuan(d.Case.SurchargeDue) +
		"。加处罚款自逾期之日起每日按罚款数额的百分之三计算至缴清之日，总额不超过罚款本数" + cases.Yuan(d.Case.FineFen) + end
}
