package cases

import (
	"slices"
	"time"

	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Step is an action on a case that records something without changing its
// state (serving a notice, a payment...).
type Step struct {
	Name   StepName
	Label  string
	States []workflow.State
	Roles  []zhifa.Role
	// Handlers: an officer or leader must handle the case, with a valid
	// certificate today (APL arts. 42, 55).
	Handlers bool
	// Reason names the reason box the form shows ("" for none).
	Reason string
	do     func(x *act) (summary string, on time.Time, err error)
}

var (
	investigation = []workflow.State{workflow.Filed, workflow.Investigating}
	preDecision   = []workflow.State{workflow.Filed, workflow.Investigating, workflow.Review, workflow.Notice, workflow.Hearing,
		workflow.Deciding, workflow.Discussion}
	// handlerStates are those in which the handlers still act, so the
	// team leader can add one (a lead too: its filing needs two).
	handlerStates = []workflow.State{workflow.Lead, workflow.Filed, workflow.Investigating, workflow.Review, workflow.Notice,
		workflow.Hearing, workflow.Deciding, workflow.Discussion, workflow.Decided, workflow.Served, workflow.Executing}
	afterServe = []workflow.State{workflow.Served, workflow.Executing}
	// statementStates: the party states and defends after the notice, and
	// again after a 催告.
	statementStates = []workflow.State{workflow.Notice, workflow.Hearing, workflow.Deciding, workflow.Discussion, workflow.Executing}
	afterDecide     = []workflow.State{workflow.Decided, workflow.Served, workflow.Executing, workflow.Closed, workflow.Archived}
	field           = []zhifa.Role{zhifa.RoleOfficer, zhifa.RoleLeader}
	leaderOnly      = []zhifa.Role{zhifa.RoleLeader}
	headOnly        = []zhifa.Role{zhifa.RoleHead}
)

// Steps lists the recording actions, where and by whom they may be taken.
// Each one's work is a small function in the step_*.go files.
var Steps []Step

func init() {
	Steps = []Step{
		{StepUpdateFacts, "保存调查情况", []workflow.State{workflow.Lead, workflow.Filed, workflow.Investigating}, field, true, "", stepUpdateFacts},
		// Before the notice is served the party's details can be corrected;
		// after it, documents carry them and a correction is a new notice.
		{StepUpdateParty, "更正当事人和地点", []workflow.State{workflow.Lead, workflow.Filed, workflow.Investigating}, field, true, "", stepUpdateParty},
		{StepRequestFiling, "提交立案审批", []workflow.State{workflow.Lead}, field, true, "", stepRequestFiling},
		{StepPropose, "填写拟处罚意见", []workflow.State{workflow.Investigating, workflow.Notice, workflow.Hearing, workflow.Deciding, workflow.Discussion}, field, true, "", stepPropose},
		{StepServeNotice, "送达事先告知书", []workflow.State{workflow.Notice}, field, true, "", stepServeNotice},
		{StepWaiveStatement, "当事人书面放弃陈述申辩", []workflow.State{workflow.Notice}, field, true, "", stepWaiveStatement},
		{StepWaiveHearing, "当事人书面明确放弃听证", []workflow.State{workflow.Notice}, field, true, "", stepWaiveHearing},
		// Also after a 催告 (AEL art. 36).
		{StepAddStatement, "记录陈述申辩", statementStates, field, true, "", stepAddStatement},
		{StepRecheckStatement, "复核陈述申辩", statementStates, field, true, "", stepRecheck},
		{StepServeHearingNotice, "送达听证通知书", []workflow.State{workflow.Hearing}, field, true, "", stepHearingNotice},
		{StepHoldHearing, "记录听证", []workflow.State{workflow.Hearing}, field, true, "", stepHoldHearing},
		// The party may ask that the hearing chair step aside (APL art. 64(4)).
		{StepRequestChairRecusal, "登记听证主持人回避申请", []workflow.State{workflow.Hearing}, field, true, "申请主持人回避的理由", stepRequestChairRecusal},
		{StepDecideChairRecusal, "决定听证主持人是否回避", []workflow.State{workflow.Hearing}, headOnly, false, "", stepDecideChairRecusal},
		{StepRecordDiscussion, "记录集体讨论", []workflow.State{workflow.Discussion}, leaderOnly, false, "", stepDiscussion},
		{StepRequestRecusal, "登记回避申请", preDecision, field, false, "回避的理由", stepRequestRecusal},
		{StepDecideRecusal, "作出回避决定", preDecision, headOnly, false, "", stepDecideRecusal},
		{StepAddHandler, "增加承办人员", handlerStates, leaderOnly, false, "增加承办人员的理由", stepAddHandler},
		{StepPreserve, "批准先行登记保存或查封扣押", investigation, headOnly, false, "", stepPreserve},
		// In an emergency the handlers seize on the spot and the head
		// approves afterwards, or has it released (AEL art. 19).
		{StepEmergencySeize, "紧急情况当场查封扣押（事后补办批准）", investigation, field, true, "情况紧急的理由", stepEmergencySeize},
		{StepApproveEmergency, "补办查封扣押批准手续", preDecision, headOnly, false, "", stepApproveEmergency},
		// Sampling needs no approval (APL art. 56).
		{StepRecordSampling, "记录抽样取证", investigation, field, true, "", stepRecordSampling},
		{StepExtendSeizure, "批准延长查封扣押期限", preDecision, headOnly, false, "延长的理由", stepExtendSeizure},
		{StepEndPreservation, "作出保存物品处理决定或解除", preDecision, field, true, "", stepEndPreservation},
		{StepProposeTransfer, "提出移送意见", []workflow.State{workflow.Lead, workflow.Filed, workflow.Investigating, workflow.Review,
			workflow.Notice, workflow.Hearing, workflow.Deciding, workflow.Discussion}, field, true, "移送的理由", stepProposeTransfer},
		{StepTransferReceipt, "登记移送回执", []workflow.State{workflow.Transferred}, field, false, "", stepTransferReceipt},
		{StepSuspend, "中止案件", preDecision, leaderOnly, false, "中止的原因", stepSuspend},
		{StepResume, "恢复案件", preDecision, leaderOnly, false, "", stepResume},
		{StepExtend, "批准延长办案期限", preDecision, headOnly, false, "延长办案期限的理由", stepExtend},
		{StepAddPayment, "登记罚款缴纳", afterServe, field, true, "", stepAddPayment},
		{StepReversePayment, "冲正错误的缴款记录", afterServe, leaderOnly, false, "冲正的理由", stepReversePayment},
		{StepHandIn, "登记当场收缴罚款交至银行", afterServe, field, true, "", stepHandIn},
		{StepDeferPayment, "批准延期或分期缴纳罚款", afterServe, headOnly, false, "", stepDeferPayment},
		{StepOrderDone, "确认责令改正已履行", afterServe, field, true, "", stepOrderDone},
		{StepServeDemand, "送达履行催告书", []workflow.State{workflow.Executing}, field, true, "", stepServeDemand},
		{StepApplyEnforcement, "申请法院强制执行", []workflow.State{workflow.Executing}, headOnly, false, "", stepApplyEnforcement},
		// The court's ruling comes after the application, often after closing.
		{StepEnforcementRuling, "登记法院裁定", []workflow.State{workflow.Executing, workflow.Closed, workflow.Archived}, field, false, "", stepEnforcementRuling},
		{StepAnnounceDemolition, "公告限期当事人自行拆除", []workflow.State{workflow.Executing}, headOnly, false, "", stepAnnounceDemolition},
		{StepForceDemolition, "批准强制拆除", []workflow.State{workflow.Executing}, headOnly, false, "", stepForceDemolition},
		{StepAddRemedy, "登记复议或诉讼", afterDecide, field, false, "", stepAddRemedy},
		{StepRemedyOutcome, "登记复议或诉讼结果", afterDecide, field, false, "", stepRemedyOutcome},
	}
}

// FindStep returns the step called name, or nil.
func FindStep(name string) *Step {
	for i := range Steps {
		if string(Steps[i].Name) == name {
			return &Steps[i]
		}
	}
	return nil
}

// StepAllowed reports whether the actor may take step st on c now: the
// state and role fit, the actor handles the case where the step needs it,
// and there is something for the step to act on.
func StepAllowed(st *Step, c *Case, a *zhifa.Actor) bool {
	if !slices.Contains(st.States, c.State) || !slices.Contains(st.Roles, a.Role) {
		return false
	}
	if st.Handlers && !c.Handles(a.UserID) {
		return false
	}
	if c.SuspendedSince != nil {
		return st.Name == StepResume
	}
	return st.applies(c)
}

// applies says whether the case has something for the step to act on.
func (st *Step) applies(c *Case) bool {
	switch st.Name {
	case StepAddStatement:
		return c.State != workflow.Executing || c.DemandServedOn != nil
	case StepResume:
		return c.SuspendedSince != nil
	case StepServeNotice:
		return c.ReviewedBy != nil && (c.NoticeServedOn == nil || len(workflow.Heavier(Sanctions(c.ReviewedPenalties), Sanctions(c.NoticePenalties))) > 0)
	case StepWaiveStatement:
		return c.NoticeServedOn != nil && !c.StatementWaived
	case StepWaiveHearing:
		return c.NoticeServedOn != nil && c.HearingRight && !c.HearingWaived && c.HearingRequested == nil
	case StepRecheckStatement:
		return slices.ContainsFunc(c.Statements, func(s Statement) bool { return s.RecheckedOn == nil })
	case StepServeHearingNotice:
		return c.HearingOutcome == ""
	case StepHoldHearing:
		return c.HearingNoticeOn != nil && c.HearingOutcome == "" && !c.ChairRecusalPending()
	case StepRequestChairRecusal:
		return c.HearingNoticeOn != nil && c.HearingChair != nil && c.HearingOutcome == "" && !c.ChairRecusalPending()
	case StepDecideChairRecusal:
		return c.ChairRecusalPending()
	case StepRecordDiscussion:
		return c.DiscussionOn == nil
	case StepDecideRecusal:
		return slices.ContainsFunc(c.Recusals, func(r Recusal) bool { return r.DecidedOn == nil })
	case StepExtendSeizure:
		return slices.ContainsFunc(c.Preservations, func(p Preservation) bool { return p.Kind == PreservationSeize && !p.Extended && p.EndedOn == nil })
	case StepEndPreservation:
		return slices.ContainsFunc(c.Preservations, func(p Preservation) bool { return p.EndedOn == nil })
	case StepApproveEmergency:
		return slices.ContainsFunc(c.Preservations, Preservation.Unreported)
	case StepTransferReceipt:
		return c.TransferReceipt == nil
	case StepProposeTransfer:
		return c.TransferAsked == nil
	case StepAddPayment:
		return c.FineFen > c.PaidFen
	case StepReversePayment:
		return slices.ContainsFunc(c.Payments, func(p Payment) bool { return p.AmountFen > 0 && !p.Reversed })
	case StepHandIn:
		return slices.ContainsFunc(c.Payments, func(p Payment) bool {
			return p.Kind == PaymentOnSpot && p.AmountFen > 0 && !p.Reversed && p.HandedInOn == nil
		})
	case StepDeferPayment:
		return c.FineFen > c.PaidFen && c.DecisionServedOn != nil
	case StepOrderDone:
		return c.HasOrder && c.OrderDoneOn == nil
	case StepServeDemand:
		return c.DemandServedOn == nil && c.outstanding()
	case StepEnforcementRuling:
		return c.EnforcementOn != nil && c.RulingOn == nil
	case StepApplyEnforcement:
		return c.EnforcementOn == nil && c.DemandServedOn != nil && c.outstanding()
	case StepRemedyOutcome:
		return slices.ContainsFunc(c.Remedies, func(r Remedy) bool { return r.Outcome == "pending" })
	case StepAnnounceDemolition:
		return c.demolitionOrdered() && c.OrderDoneOn == nil && c.DemolitionAnnouncedOn == nil
	case StepForceDemolition:
		return c.demolitionOrdered() && c.OrderDoneOn == nil && c.DemolitionAnnouncedOn != nil && c.DemolishedOn == nil
	}
	return true
}

// outstanding says whether the decision is not yet carried out: the fine
// is not paid in full, or an order to correct is not done.
func (c *Case) outstanding() bool {
	return c.FineFen > c.PaidFen || c.HasOrder && c.OrderDoneOn == nil
}

// stepAllowed is StepAllowed with the reason for a refusal, and the
// certificate of the acting officer checked on the day.
func stepAllowed(st *Step, c *Case, a *zhifa.Actor, e env) error {
	if c.SuspendedSince != nil && st.Name != StepResume {
		return zhifa.Errorf(zhifa.ECONFLICT, "案件已中止，请先恢复。")
	}
	if !slices.Contains(st.States, c.State) {
		return zhifa.Errorf(zhifa.ECONFLICT, "案件当前状态为“%s”，不能进行“%s”。", c.State.Label(), st.Label)
	}
	if !slices.Contains(st.Roles, a.Role) {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "您的角色（%s）不能进行“%s”。", a.Role.Label(), st.Label)
	}
	if st.Handlers && a.Role.HoldsCertificate() {
		if !c.Handles(a.UserID) {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "只有本案的承办人员可以进行“%s”。", st.Label)
		}
		if !e.actorCertValid {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "您的执法证今日不在有效期内，不能从事执法活动（行政处罚法第四十二条）。")
		}
		if e.validCertsToday < 2 {
			return zhifa.Errorf(zhifa.EINVALID, "%s。", workflow.TwoCertifiedToday)
		}
	}
	if !st.applies(c) {
		if why := st.whyNot(c); why != "" {
			return zhifa.Errorf(zhifa.ECONFLICT, "%s", why)
		}
		return zhifa.Errorf(zhifa.ECONFLICT, "当前没有可以“%s”的事项。", st.Label)
	}
	return nil
}

// whyNot says, for the steps whose refusal is a rule of law, why there is
// nothing for the step to act on ("" for the plain message).
func (st *Step) whyNot(c *Case) string {
	switch st.Name {
	case StepApplyEnforcement:
		if c.EnforcementOn != nil {
			return "已于" + c.EnforcementOn.Format("2006年1月2日") + "申请法院强制执行。"
		}
		if !c.outstanding() {
			return "罚款已缴清，责令改正事项（如有）已履行，无需申请法院强制执行。"
		}
		return "尚未送达履行催告书，不能申请法院强制执行：须先书面催告当事人履行（行政强制法第三十五条、第五十四条）。"
	case StepExtendSeizure:
		if slices.ContainsFunc(c.Preservations, func(p Preservation) bool { return p.Kind == PreservationSeize && p.Extended && p.EndedOn == nil }) {
			return "查封扣押期限已延长过一次，不能再延长（行政强制法第二十五条）。"
		}
	case StepAnnounceDemolition, StepForceDemolition:
		switch {
		case !c.demolitionOrdered():
			return "处罚决定没有责令限期拆除的内容，不适用强制拆除（行政强制法第四十四条）。"
		case c.DemolishedOn != nil:
			return "已于" + c.DemolishedOn.Format("2006年1月2日") + "强制拆除。"
		case c.OrderDoneOn != nil:
			return "责令限期拆除的决定已履行，无需强制拆除。"
		case st.Name == StepAnnounceDemolition:
			return "已于" + c.DemolitionAnnouncedOn.Format("2006年1月2日") + "公告限期当事人自行拆除。"
		}
		return "尚未公告限期当事人自行拆除，不得强制拆除：须先由行政机关予以公告，限期当事人自行拆除（行政强制法第四十四条）。"
	case StepHoldHearing:
		if c.ChairRecusalPending() {
			return "当事人已申请听证主持人回避，须待负责人作出回避决定后再举行听证（行政处罚法第六十四条第四项）。"
		}
	case StepProposeTransfer:
		if c.TransferAsked != nil {
			return "已于" + c.TransferAsked.Format("2006年1月2日") + "提出移送意见，待负责人决定。"
		}
	}
	return ""
}

// step records something on a case without changing its state.
func (x *act) step(st *Step) (string, error) {
	summary, on, err := st.do(x)
	if err != nil {
		return "", err
	}
	reason := ""
	if st.Reason != "" {
		reason = x.in.Reason
	}
	if err := x.stepEvent(string(st.Name), summary, reason, on); err != nil {
		return "", err
	}
	return "已记录：" + summary + "。", nil
}
