package documents

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// The documents from the end of the investigation to the hearing: the
// investigation report, the approval and legal-review forms, the
// collective discussion, the notice of intended penalty (事先告知) and the
// statements, rechecks and hearing that follow it. All belong to the
// general procedure: on the spot (APL art. 52) the party is told and heard
// orally and none of them is made.

func init() {
	register(doctype.InvestigationReport, rule{when: whenProposed("调查终结报告"), defaults: reportDefaults})
	register(doctype.HandlingApproval, rule{when: whenProposed("案件处理审批表"), defaults: approvalDefaults})
	register(doctype.ReviewOpinion, rule{when: whenReviewed})
	register(doctype.DiscussionRecord, rule{when: whenDiscussed, defaults: discussionDefaults})
	register(doctype.Notice, rule{when: whenNotice, defaults: noticeDefaults, prepare: prepareNotice})
	register(doctype.StatementRecord, rule{when: whenStatement, defaults: statementDefaults})
	register(doctype.RecheckOpinion, rule{when: whenRechecked})
	register(doctype.HearingRightNotice, rule{when: whenHearingRight, prepare: func(d *Doc) { d.Hearing = true }})
	register(doctype.HearingNotice, rule{when: whenHearingSet})
	register(doctype.HearingRecord, rule{when: whenHearingSet, defaults: hearingRecordDefaults})
	register(doctype.HearingReport, rule{when: whenHearingEnded})
}

// rvGeneral is the common condition of these documents: a filed case under
// the general procedure.
func rvGeneral(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.Procedure == workflow.Summary {
		return "简易程序案件当场告知、当场听取陈述申辩，不制作该文书（行政处罚法第五十二条）。"
	}
	return ""
}

// whenProposed: the investigation report and the approval form set out the
// handlers' proposal, so it must be on record.
func whenProposed(title string) func(c *cases.Case) string {
	return func(c *cases.Case) string {
		if why := rvGeneral(c); why != "" {
			return why
		}
		if c.ProposedOn == nil {
			return "请先在案件页面“填写拟处罚意见”（调查终结后提出处理建议），再制作" + title + "。"
		}
		return ""
	}
}

func whenReviewed(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	if len(c.Reviews) == 0 {
		return "法制审核尚未完成，不能制作法制审核意见书：审核人员在案件页面作出审核结论后，意见书据此生成（行政处罚法第五十八条）。"
	}
	return ""
}

func whenDiscussed(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	if c.DiscussionOn == nil {
		return "集体讨论尚未记录，不能制作集体讨论笔录：请执法队长先在案件页面“记录集体讨论”（时间、参加人员和结论）。"
	}
	return ""
}

// whenNotice: the notice tells the party of the penalty the legal review
// passed (APL arts. 44, 58), while the case waits for it: the same
// condition as the step that serves it.
func whenNotice(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	if c.ProposalNoPenalty {
		return "拟不予行政处罚的案件不制作行政处罚事先告知书。"
	}
	if c.ReviewedBy == nil {
		return "法制审核尚未通过，不能制作行政处罚事先告知书：告知的是经法制审核通过的拟处罚内容（行政处罚法第四十四条、第五十八条）。"
	}
	if c.State != workflow.Notice || !c.NoticeDue() {
		if c.NoticeServedOn != nil {
			return "事先告知书已于" + DateCN(*c.NoticeServedOn) + "送达，拟处罚内容没有加重，无需重新告知；拟加重处罚的，须重新提交法制审核后再行告知（行政处罚法第四十五条）。"
		}
		return "案件当前处于“" + c.State.Label() + "”阶段，不需要制作行政处罚事先告知书。"
	}
	if len(c.ReviewedPenalties) == 0 {
		return "法制审核通过的意见中没有拟处罚内容，不能制作行政处罚事先告知书。"
	}
	return ""
}

// prepareNotice: the variant with the hearing right is chosen by the same
// rule as the step that serves the notice records it (APL art. 63).
func prepareNotice(d *Doc) { d.Hearing = d.Case.NoticeHearing(d.Rules, d.F("heavy") == "1") }

// whenStatement: the party states and defends once told (APL art. 45), and
// again after a 催告 (AEL art. 36).
func whenStatement(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	if c.NoticeServedOn == nil && c.DemandServedOn == nil {
		return "行政处罚事先告知书送达后，当事人才进行陈述、申辩；请先送达事先告知书。"
	}
	return ""
}

func whenRechecked(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	if !slices.ContainsFunc(c.Statements, func(s cases.Statement) bool { return s.RecheckedOn != nil }) {
		return "尚无已复核的陈述、申辩：请先在案件页面“复核陈述申辩”，逐项写明是否采纳及理由（行政处罚法第四十五条）。"
	}
	return ""
}

// whenHearingRight: a separate 听证告知书 restates the hearing right of a
// notice that carries it, while the party may still ask for a hearing.
func whenHearingRight(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	switch {
	case c.NoticeServedOn == nil:
		return "请先送达行政处罚事先告知书：听证申请期自告知之日起计算。"
	case !c.HearingRight:
		return "事先告知的拟处罚不属于应当告知听证权利的情形（行政处罚法第六十三条），不制作听证告知书。"
	case c.HearingRequested != nil:
		return "当事人已申请听证，请制作听证通知书。"
	case c.HearingWaived:
		return "当事人已书面明确放弃听证，不制作听证告知书。"
	case c.State != workflow.Notice:
		return "案件当前处于“" + c.State.Label() + "”阶段，不制作听证告知书。"
	}
	return ""
}

// whenHearingSet: the hearing notice and the record print the time,
// place and chair the step of serving the hearing notice recorded.
func whenHearingSet(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	if c.HearingRequested == nil {
		return "当事人尚未申请听证。"
	}
	if c.HearingOn == nil || c.HearingChair == nil {
		return "请先在案件页面“送达听证通知书”中确定举行听证的日期、地点和主持人（行政处罚法第六十四条）。"
	}
	return ""
}

func whenHearingEnded(c *cases.Case) string {
	if why := rvGeneral(c); why != "" {
		return why
	}
	if c.HearingOutcome == "" {
		return "听证尚未结束，不能制作听证报告：请先在案件页面“记录听证”。"
	}
	return ""
}

// PartyYou is how a notice addresses the party: 你, or 你单位.
func PartyYou(c *cases.Case) string {
	if c.PartyKind == "org" {
		return "你单位"
	}
	return "你"
}

// EventDay is the day an event happened: the declared date, or the day it
// was recorded.
func EventDay(e cases.Event) time.Time {
	if e.OnDate != nil {
		return *e.OnDate
	}
	at := e.At.In(zhifa.Local)
	return time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, zhifa.Local)
}

// rvTimeline is the course of the investigation as the timeline recorded it,
// a dated line per step, up to the submission for review.
func rvTimeline(c *cases.Case) string {
	var b strings.Builder
	for _, e := range c.Events {
		if e.Action == string(workflow.ActSubmitReview) || e.Action == string(workflow.ActResubmit) {
			break
		}
		if strings.TrimSpace(e.Summary) == "" {
			continue
		}
		fmt.Fprintf(&b, "%s，%s。\n", DateCN(EventDay(e)), strings.TrimRight(e.Summary, "。"))
	}
	return strings.TrimSpace(b.String())
}

// rvEvidence lists the evidence in force, numbered, with kind and date.
func rvEvidence(c *cases.Case) string {
	var b strings.Builder
	n := 0
	for _, e := range c.Evidence {
		if e.SupersededAt != nil {
			continue
		}
		n++
		fmt.Fprintf(&b, "%d. %s（%s，%s%s收集）\n", n, e.Title, cases.Label(cases.EvidenceKinds, e.Kind), DateCN(e.CollectedOn), e.CollectedBy)
	}
	return strings.TrimSpace(b.String())
}

// DiscretionText is the discretion the handlers reasoned.
func DiscretionText(c *cases.Case) string {
	var parts []string
	if c.ProposalTier != "" {
		parts = append(parts, "适用裁量阶次："+c.ProposalTier+"。")
	}
	if c.ProposalReasoning != "" {
		parts = append(parts, c.ProposalReasoning)
	}
	if c.MitigationGround != "" {
		parts = append(parts, "从轻、减轻的法定情节："+c.MitigationGround)
	}
	if len(parts) == 0 {
		return "无从重、从轻、减轻情节。"
	}
	return strings.Join(parts, "\n")
}

// ProposalText is the handlers' proposal in words.
func ProposalText(c *cases.Case) string {
	if c.ProposalNoPenalty {
		return "不予行政处罚"
	}
	return cases.DescribePenalties(c.ProposedPenalties)
}

// ItemViolation names the item of the town's list the act falls under.
func ItemViolation(c *cases.Case) string {
	s := "当事人的上述行为属于本机关行政执法事项“" + c.ItemName + "”所规定的违法行为"
	if b := strings.TrimSpace(c.ViolationBasis); b != "" {
		s += "，违反了" + strings.TrimSuffix(b, "。")
	}
	s += "。"
	if b := strings.TrimSpace(c.PenaltyBasis); b != "" {
		s += "依据" + strings.TrimSuffix(b, "。") + "的规定，拟予以处罚。"
	}
	return s
}

func reportDefaults(d *Doc) map[string]string {
	c := d.Case
	proposal := "建议对当事人" + ProposalText(c) + "。"
	if c.ProposalNoPenalty {
		proposal = "建议对当事人不予行政处罚。"
	}
	return map[string]string{
		"course":     rvTimeline(c),
		"facts":      c.Facts,
		"evidence":   rvEvidence(c),
		"discretion": DiscretionText(c),
		"proposal":   proposal,
	}
}

func approvalDefaults(d *Doc) map[string]string {
	return map[string]string{"team_opinion": "同意承办人员的处理意见，拟对当事人" + ProposalText(d.Case) + "，报请审批。"}
}

// DiscussionParticipants splits the discussion's participants, one per name.
func DiscussionParticipants(c *cases.Case) []string {
	var out []string
	for _, p := range strings.FieldsFunc(c.DiscussionParticipants, func(r rune) bool { return strings.ContainsRune("\n\r、，,；;", r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// discussionDefaults open a paragraph for each participant to say his view.
func discussionDefaults(d *Doc) map[string]string {
	var b strings.Builder
	for _, p := range DiscussionParticipants(d.Case) {
		b.WriteString(p + "：\n")
	}
	return map[string]string{"views": strings.TrimSpace(b.String())}
}

func noticeDefaults(d *Doc) map[string]string {
	c := d.Case
	reasons := ItemViolation(c)
	if r := DiscretionText(c); r != "" {
		reasons += "\n" + r
	}
	return map[string]string{"facts": c.Facts, "evidence": rvEvidence(c), "reasons": reasons}
}

// statementDefaults: the latest statement on record, for the officer to
// set out as questions and answers.
func statementDefaults(d *Doc) map[string]string {
	out := map[string]string{"place": d.Team + "办公室"}
	if n := len(d.Case.Statements); n > 0 {
		out["content"] = d.Case.Statements[n-1].Content
	}
	return out
}

func hearingRecordDefaults(d *Doc) map[string]string {
	out := map[string]string{}
	if d.Case.HearingTranscript != "" {
		out["record"] = d.Case.HearingTranscript
	}
	return out
}

// LatestReview is the case's latest legal review (nil when none).
func LatestReview(c *cases.Case) *cases.Review {
	if len(c.Reviews) == 0 {
		return nil
	}
	return &c.Reviews[len(c.Reviews)-1]
}

// ReviewSubmitted is the day the proposal was submitted for the review rv:
// the submission standing, or the last one on the timeline before it (a
// review that returned the case cleared the standing one).
func ReviewSubmitted(c *cases.Case, rv *cases.Review) *time.Time {
	if c.ReviewSubmittedOn != nil && !c.ReviewSubmittedOn.After(rv.ReviewedOn) {
		return c.ReviewSubmittedOn
	}
	var out *time.Time
	for _, e := range c.Events {
		if e.Action != string(workflow.ActSubmitReview) && e.Action != string(workflow.ActResubmit) {
			continue
		}
		if day := EventDay(e); !day.After(rv.ReviewedOn) {
			out = &day
		}
	}
	return out
}

// ReviewOutcome labels a review's outcome.
func ReviewOutcome(rv *cases.Review) string {
	if l, ok := cases.ReviewOutcomes[rv.Outcome]; ok {
		return l
	}
	return rv.Outcome
}

// StatementDays and HearingDays are the periods a notice gives, from the
// procedure settings of the case's domain.
func (d *Doc) StatementDays() int { return d.Rules.Deadline().StatementWorkingDays }

// HearingDays is the period to ask for a hearing.
func (d *Doc) HearingDays() int { return d.Rules.Deadline().HearingRequestDays }

// HearingDue is the last day to ask for a hearing, as the case's deadlines
// count it from the notice (zero when unknown).
func HearingDue(c *cases.Case) time.Time {
	for _, dl := range c.Deadlines {
		if dl.Key == deadline.KeyHearingRequest {
			return dl.Due
		}
	}
	return time.Time{}
}

// HearingOutcome labels the hearing's outcome.
func HearingOutcome(c *cases.Case) string {
	return cases.Label(cases.HearingOutcomes, c.HearingOutcome)
}
