package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/workflow"
)

// The layouts of the review, notice and hearing stage (doc_review.templ).
var (
	_ = registerDoc(doctype.InvestigationReport, func(d *documents.Doc) templ.Component { return DocInvestigationReport(d) })
	_ = registerDoc(doctype.HandlingApproval, func(d *documents.Doc) templ.Component { return DocHandlingApproval(d) })
	_ = registerDoc(doctype.ReviewOpinion, func(d *documents.Doc) templ.Component { return DocReviewOpinion(d) })
	_ = registerDoc(doctype.DiscussionRecord, func(d *documents.Doc) templ.Component { return DocDiscussionRecord(d) })
	_ = registerDoc(doctype.Notice, func(d *documents.Doc) templ.Component { return DocNotice(d) })
	_ = registerDoc(doctype.StatementRecord, func(d *documents.Doc) templ.Component { return DocStatementRecord(d) })
	_ = registerDoc(doctype.RecheckOpinion, func(d *documents.Doc) templ.Component { return DocRecheckOpinion(d) })
	_ = registerDoc(doctype.HearingRightNotice, func(d *documents.Doc) templ.Component { return DocHearingRightNotice(d) })
	_ = registerDoc(doctype.HearingNotice, func(d *documents.Doc) templ.Component { return DocHearingNotice(d) })
	_ = registerDoc(doctype.HearingRecord, func(d *documents.Doc) templ.Component { return DocHearingRecord(d) })
	_ = registerDoc(doctype.HearingReport, func(d *documents.Doc) templ.Component { return DocHearingReport(d) })
)

// rvParty is the party block as one cell of a form, a line each.
func rvParty(d *documents.Doc) string { return strings.Join(d.PartyLines(), "\n") }

// rvOfficers are the handlers with their certificate numbers.
func rvOfficers(d *documents.Doc) string { return strings.Join(d.Officers(), "、") }

// rvNumerals number the items of a list: （一）（二）…
var rvNumerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func rvItem(i int) string {
	if i < len(rvNumerals) {
		return "（" + rvNumerals[i] + "）"
	}
	return "（" + strconv.Itoa(i+1) + "）"
}

// rvPenaltyLines write each penalty as a notice states it: fines in
// figures and in 大写, an order to correct with its due date.
func rvPenaltyLines(ps []cases.Penalty) []string {
	var out []string
	for i, p := range ps {
		var s string
		switch p.Kind {
		case workflow.KindWarning:
			s = "警告"
		case workflow.KindFine:
			s = "罚款" + documents.Yuan(p.AmountFen)
		case workflow.KindConfiscation:
			s = "没收" + strings.TrimPrefix(p.Note, "没收")
		case workflow.KindSuspension, workflow.KindRevocation:
			s = p.Note
			if s == "" {
				s = workflow.KindLabel(p.Kind)
			}
		case workflow.KindOrder:
			s = "责令改正：" + p.Measure
			if due, err := time.Parse(time.DateOnly, p.DueOn); err == nil {
				s += "，于" + documents.DateCN(due) + "前改正完毕"
			}
		default:
			s = p.Note
		}
		sep := "；"
		if i == len(ps)-1 {
			sep = "。"
		}
		out = append(out, rvItem(i)+s+sep)
	}
	return out
}

// rvPublic says whether the hearing is public and, if not, why.
func rvPublic(c *cases.Case) string {
	if c.HearingPublic {
		return "公开举行"
	}
	return "不公开举行（" + c.HearingPrivate + "）"
}

// rvReviewBox is the legal reviewer's box of the approval form: the
// opinion of the passed review, if there is one.
func rvReviewBox(d *documents.Doc) string {
	rv := documents.LatestReview(d.Case)
	if rv == nil {
		return ""
	}
	return documents.ReviewOutcome(rv) + "。" + rv.Opinion + "\n（审核人员：" + rv.ReviewerName + "，" + d.Date(rv.ReviewedOn) + "）"
}

// rvCheck is one point's finding.
func rvCheck(p cases.CheckPoint) string {
	s := "不符合"
	if p.OK {
		s = "符合"
	}
	if p.Note != "" {
		s += "。" + p.Note
	}
	return s
}

// rvReviewer is the reviewer and his qualification.
func rvReviewer(rv *cases.Review) string {
	s := rv.ReviewerName
	if rv.Qualification != "" {
		s += "（法律职业资格证书编号：" + rv.Qualification + "）"
	}
	return s
}

// rvReportLines are the handlers' report to the discussion: the facts, the
// proposal and the discretion.
func rvReportLines(d *documents.Doc) string {
	c := d.Case
	s := c.Facts + "\n拟处罚意见：" + documents.ProposalText(c) + "。"
	if c.ProposalReasoning != "" {
		s += "\n裁量理由：" + c.ProposalReasoning
	}
	return s
}

// rvChair is who chairs the collective discussion: the first participant,
// a head of the town (the form lists them first).
func rvChair(d *documents.Doc) string {
	if ps := documents.DiscussionParticipants(d.Case); len(ps) > 0 {
		return ps[0]
	}
	return ""
}

func rvAgents(c *cases.Case) string {
	if c.HearingAgents == "" {
		return "无"
	}
	return c.HearingAgents
}

// rvRechecked are the statements rechecked, in the order received.
func rvRechecked(c *cases.Case) []cases.Statement {
	var out []cases.Statement
	for _, s := range c.Statements {
		if s.RecheckedOn != nil {
			out = append(out, s)
		}
	}
	return out
}

const apl = "《中华人民共和国行政处罚法》"

// rvNoticeOpening opens the notice (APL art. 44).
func rvNoticeOpening(d *documents.Doc) string {
	you := documents.PartyYou(d.Case)
	return you + "涉嫌违法一案（案号：" + d.CaseNumber + "），本机关已于" + d.DatePtr(d.Case.FiledOn) + "立案调查，现已调查终结。根据" + apl +
		"第四十四条的规定，现将本机关拟作出行政处罚的内容及事实、理由、依据告知如下："
}

// rvNoticeIntent introduces the intended penalties.
func rvNoticeIntent(d *documents.Doc) string {
	return "本机关拟对" + documents.PartyYou(d.Case) + "作出如下行政处罚："
}

// rvStatementRight is the right to state and defend (APL art. 45).
func rvStatementRight(d *documents.Doc) string {
	you := documents.PartyYou(d.Case)
	return "根据" + apl + "第四十五条的规定，" + you + "有权进行陈述和申辩。" + you + "可以自收到本告知书之日起" +
		strconv.Itoa(d.StatementDays()) + "个工作日内向本机关提出陈述、申辩，可以书面提出，也可以口头提出（口头提出的，由执法人员制作笔录）。" +
		"本机关将充分听取" + you + "的意见，对" + you + "提出的事实、理由和证据进行复核；事实、理由或者证据成立的，本机关将予以采纳，不因" +
		you + "陈述、申辩而给予更重的处罚。"
}

// rvHearingRight is the right to a hearing (APL arts. 63, 64).
func rvHearingRight(d *documents.Doc) string {
	you := documents.PartyYou(d.Case)
	return "根据" + apl + "第六十三条、第六十四条的规定，" + you + "有权要求举行听证。要求听证的，应当自收到本告知书之日起" +
		strconv.Itoa(d.HearingDays()) + "个工作日内向本机关提出；本机关将在举行听证的七日前通知" + you +
		"听证的时间、地点。当事人不承担组织听证的费用。"
}

// rvHearingRightAgain restates the hearing right of a served notice, with
// the last day the case's deadlines count.
func rvHearingRightAgain(d *documents.Doc) string {
	c := d.Case
	you := documents.PartyYou(c)
	s := "根据" + apl + "第六十三条、第六十四条的规定，" + you + "有权要求举行听证。要求听证的，应当自收到行政处罚事先告知书之日起" +
		strconv.Itoa(d.HearingDays()) + "个工作日内"
	if due := documents.HearingDue(c); !due.IsZero() {
		s += "（即" + d.Date(due) + "前）"
	}
	return s + "向本机关提出；本机关将在举行听证的七日前通知" + you + "听证的时间、地点。当事人不承担组织听证的费用。"
}

// rvHearingNoticeOpening opens the hearing notice (APL art. 64(2)).
func rvHearingNoticeOpening(d *documents.Doc) string {
	c := d.Case
	you := documents.PartyYou(c)
	return you + "于" + d.DatePtr(c.HearingRequested) + "就本机关拟作出的行政处罚提出的听证申请（案号：" + d.CaseNumber + "）收悉。根据" + apl +
		"第六十四条的规定，本机关决定于" + d.DatePtr(c.HearingOn) + "在" + c.HearingPlace + "举行听证。现将有关事项通知如下："
}

// rvHearingNoticeItems are the hearing notice's items (APL art. 64(3)-(6), art. 63 ¶2).
func rvHearingNoticeItems(d *documents.Doc) []string {
	c := d.Case
	you := documents.PartyYou(c)
	staff := "听证主持人：" + c.HearingChairName
	if o := strings.TrimSpace(d.F("officers")); o != "" {
		staff += "；听证员、记录员：" + o
	}
	public := "本次听证公开举行。"
	if !c.HearingPublic {
		public = "本次听证因" + strings.TrimSuffix(c.HearingPrivate, "。") + "，依法不公开举行。"
	}
	items := []string{
		staff + "。",
		public,
		you + "认为听证主持人、听证员、记录员与本案有直接利害关系的，有权申请回避；申请回避的，请在听证举行前向本机关提出并说明理由。",
		you + "可以亲自参加听证，也可以委托一至二人代理。委托代理人参加听证的，应当在听证举行前向本机关提交授权委托书，载明委托事项和权限。",
		"请携带身份证明和有关证据材料按时参加听证；需要证人出席作证的，请事先告知本机关。",
		you + "及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关将终止听证。",
		"当事人不承担组织听证的费用。",
	}
	for i := range items {
		items[i] = rvNumerals[i] + "、" + items[i]
	}
	return items
}
