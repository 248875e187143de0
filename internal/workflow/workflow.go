// Package workflow is the case state machine of an administrative penalty
// case under the PRC Administrative Penalty Law (APL, 行政处罚法, 2021).
//
// Every transition lives in ONE table, Transitions, read by the HTTP handlers
// (to show buttons and to refuse a request) and by the tests. The package is
// pure: the storage layer gathers what the rules need into Facts, and Check
// decides. No I/O, no clock: dates arrive already reduced to booleans.
package workflow

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhifa/internal/zhifa"
)

// State is where a case stands.
type State string

const (
	Lead          State = "lead"          // 待立案 (lead registered)
	Filed         State = "filed"         // 已立案
	Investigating State = "investigating" // 调查取证
	Review        State = "review"        // 法制审核
	Notice        State = "notice"        // 告知 (notice of intended penalty; statement and defence)
	Hearing       State = "hearing"       // 听证
	Deciding      State = "deciding"      // 待决定 (reviewed; nothing left to notify)
	Discussion    State = "discussion"    // 集体讨论
	Decided       State = "decided"       // 决定
	Served        State = "served"        // 送达
	Executing     State = "executing"     // 执行
	Closed        State = "closed"        // 结案
	Archived      State = "archived"      // 归档
	NotFiled      State = "not_filed"     // 不予立案
	NoPenalty     State = "no_penalty"    // 不予处罚
	Revoked       State = "revoked"       // 撤销立案
	Transferred   State = "transferred"   // 移送
)

// States lists every state in display order.
var States = []State{
	Lead, Filed, Investigating, Review, Notice, Hearing, Deciding, Discussion, Decided,
	Served, Executing, Closed, Archived, NotFiled, NoPenalty, Revoked, Transferred,
}

var stateLabels = map[State]string{
	Lead:          "待立案",
	Filed:         "已立案",
	Investigating: "调查取证",
	Review:        "法制审核",
	Notice:        "告知",
	Hearing:       "听证",
	Deciding:      "待决定",
	Discussion:    "集体讨论",
	Decided:       "决定",
	Served:        "送达",
	Executing:     "执行",
	Closed:        "结案",
	Archived:      "归档",
	NotFiled:      "不予立案",
	NoPenalty:     "不予处罚",
	Revoked:       "撤销立案",
	Transferred:   "移送",
}

// Label is the state's Chinese name; an unknown state shows as its code.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s State) Valid() bool { _, ok := stateLabels[s]; return ok }

// Terminal reports whether the case has ended: closed (only archiving is
// left), archived, not filed, no penalty, revoked or transferred.
func (s State) Terminal() bool {
	switch s {
	case Closed, Archived, NotFiled, NoPenalty, Revoked, Transferred:
		return true
	}
	return false
}

// Open reports whether the case is still being handled.
func (s State) Open() bool { return !s.Terminal() }

// Procedure is the penalty procedure a case follows.
type Procedure string

const (
	General Procedure = "general" // 一般程序
	Summary Procedure = "summary" // 简易程序 (APL arts. 51-52)
)

// Procedures lists every procedure in display order.
var Procedures = []Procedure{General, Summary}

// Label is the procedure's Chinese name.
func (p Procedure) Label() string {
	switch p {
	case General:
		return "一般程序"
	case Summary:
		return "简易程序"
	}
	return string(p)
}

// Valid reports whether p is a known procedure.
func (p Procedure) Valid() bool { return p == General || p == Summary }

// Action is what a user asks to do to a case.
type Action string

const (
	ActFile           Action = "file"            // lead → filed (立案, approved by the team leader)
	ActRefuseFiling   Action = "refuse_filing"   // lead → not_filed (不予立案), reason required
	ActInvestigate    Action = "investigate"     // filed → investigating
	ActSubmitReview   Action = "submit_review"   // investigating → review (调查终结, 提交法制审核)
	ActResubmit       Action = "resubmit_review" // notice|hearing|deciding|discussion → review (重新提交法制审核)
	ActPassReview     Action = "pass_review"     // review → notice (a notice is due) or deciding (法制审核通过)
	ActReturnReview   Action = "return_review"   // review → investigating (退回补充调查), reason required
	ActFailReview     Action = "fail_review"     // review → investigating (审核不通过), reason required
	ActRequestHearing Action = "request_hearing" // notice → hearing (当事人申请听证)
	ActToDiscussion   Action = "to_discussion"   // notice|hearing|deciding → discussion (集体讨论)
	ActDecide         Action = "decide"          // general: notice|hearing|deciding|discussion → decided; summary: filed → served (handed over on the spot)
	ActNoPenalty      Action = "no_penalty"      // notice|hearing|deciding|discussion → no_penalty, reason required
	ActRevoke         Action = "revoke"          // filed|investigating → revoked (撤销立案), reason required
	ActTransfer       Action = "transfer"        // any state before the decision → transferred (移送), reason required
	ActServe          Action = "serve"           // decided → served (送达)
	ActExecute        Action = "execute"         // served → executing (进入执行)
	ActClose          Action = "close"           // executing → closed (结案)
	ActArchive        Action = "archive"         // closed → archived (归档)
)

// Actions lists every action in procedure order.
var Actions = []Action{
	ActFile, ActRefuseFiling, ActInvestigate, ActSubmitReview, ActResubmit, ActPassReview,
	ActReturnReview, ActFailReview, ActRequestHearing, ActToDiscussion, ActDecide, ActNoPenalty,
	ActRevoke, ActTransfer, ActServe, ActExecute, ActClose, ActArchive,
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool {
	for _, x := range Actions {
		if x == a {
			return true
		}
	}
	return false
}

// Label is the action's Chinese button text, from the table.
func (a Action) Label() string {
	for i := range Transitions {
		if Transitions[i].Action == a {
			return Transitions[i].Label
		}
	}
	return string(a)
}

// Statutory summary-procedure caps (APL art. 51), used when the settings did
// not fill Facts.SummaryCapFen. Another law may set other amounts, which is
// why the cap itself comes from settings.
const (
	SummaryCapPersonFen int64 = 20000  // 200 yuan for a citizen
	SummaryCapOrgFen    int64 = 300000 // 3000 yuan for a legal person or other organisation
)

// Kinds of penalty (APL art. 9) as the rules compare them. An order to
// correct (责令改正, art. 28) is not a penalty and is never compared.
const (
	KindWarning      = "warning"      // 警告、通报批评
	KindFine         = "fine"         // 罚款
	KindConfiscation = "confiscation" // 没收违法所得、没收非法财物
	KindSuspension   = "suspension"   // 暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业
	KindRevocation   = "revocation"   // 吊销许可证件
	KindOther        = "other"        // 其他
	KindOrder        = "order"        // 责令改正 (not a penalty)
)

// Sanction is one penalty of a proposal, a notice or a decision, as the rules
// compare them.
type Sanction struct {
	Kind      string
	AmountFen int64 // for fines
}

var kindLabels = map[string]string{KindWarning: "警告", KindFine: "罚款", KindConfiscation: "没收",
	KindSuspension: "暂扣许可证件、责令停产停业等", KindRevocation: "吊销许可证件", KindOther: "其他处罚", KindOrder: "责令改正"}

// KindLabel is a penalty kind's Chinese name.
func KindLabel(k string) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return k
}

// Heavier lists, kind by kind, what in the decision is heavier than the
// notice (APL art. 45 ¶2): a kind of penalty not notified, or a larger fine.
func Heavier(decision, notice []Sanction) []string {
	var out []string
	fine := func(ss []Sanction) int64 {
		var n int64
		for _, s := range ss {
			if s.Kind == KindFine {
				n += s.AmountFen
			}
		}
		return n
	}
	seen := map[string]bool{}
	for _, d := range decision {
		if d.Kind == KindOrder || seen[d.Kind] {
			continue
		}
		seen[d.Kind] = true
		if !slices.ContainsFunc(notice, func(n Sanction) bool { return n.Kind == d.Kind }) {
			out = append(out, "“"+KindLabel(d.Kind)+"”未经事先告知")
			continue
		}
		if d.Kind == KindFine {
			if df, nf := fine(decision), fine(notice); df > nf {
				out = append(out, fmt.Sprintf("罚款%s高于事先告知的%s", Yuan(df), Yuan(nf)))
			}
		}
	}
	return out
}

// Facts is everything the rules read about a case and the attempt; the
// storage layer fills it. Dates are reduced to booleans by the caller, which
// owns the clock and the calendar.
type Facts struct {
	Procedure Procedure
	State     State
	Today     time.Time

	ActorID        int64
	ActorRole      zhifa.Role
	ActorIsHandler bool // the actor is one of the case's (non-recused) handlers
	ActorCertValid bool // the actor's enforcement certificate is valid today

	Handlers          []int64 // handling officers (承办人员) user ids, recused ones excluded
	LeadHandler       bool    // a 主办 is chosen among them
	ValidCertHandlers int     // how many of them hold a certificate valid on the filing date (or today)
	// ValidCertHandlersToday is how many of them (active users) hold a
	// certificate valid today: every handlers-only row needs two (APL art. 42).
	ValidCertHandlersToday int
	ItemInForce            bool // the item is on the town's list in force on the filing date
	ItemIsPenalty          bool // the item is of kind 行政处罚
	WithinLimitation       bool // discovered within the limitation period (APL art. 36)
	LimitationYears        int  // the period that applies, for the message
	Suspended              bool // 中止 in effect: no transition but resuming is allowed while suspended

	EvidenceCount int
	FactsSummary  string // the investigation findings; must be non-empty to submit for review

	// The proposed penalty (拟处罚), recorded before the review.
	ProposalRecorded   bool
	ProposalNoPenalty  bool   // the proposal is not to penalise
	ReviewedNoPenalty  bool   // the passed review approved a proposal not to penalise
	ProposalOutOfRange string // "" or why the proposed fine is outside the item's range
	Mitigation         bool   // an APL art. 32 ground is recorded

	// The review being recorded (for pass/fail/return).
	ChecklistDone     bool // every point of the review checklist is answered
	Opinion           string
	ReviewerQualified bool // the reviewer's 法律职业资格 number is on record

	ReviewPassed         bool // the latest review passed and covers the current proposal
	ReviewerID           int64
	ReviewedAfterHearing bool // a review passed after the hearing was held
	NoticeNeeded         bool // the reviewed proposal has not been notified (no notice, or it is heavier)

	NoticeServed          bool
	StatementPeriodOver   bool // the statement period after the notice has elapsed
	StatementWaived       bool // the party waived statement and defence in writing
	HearingRight          bool // the notified penalty qualifies for a hearing
	HearingWaived         bool // the party expressly waived the hearing in writing
	HearingWindowOpen     bool // still within the hearing-request period of the notice
	HearingRequestInTime  bool // the request being recorded is dated inside that period
	HearingRequestDays    int  // the configured period, for messages
	HearingRequested      bool
	HearingConcluded      bool // held, or withdrawn by absence or leaving
	HearingHeld           bool // held (not withdrawn): the decision needs a new review
	UnrecheckedStatements int  // statements/defences not yet rechecked (复核)
	Notified              []Sanction

	DiscussionRequired []string // why collective discussion is required (nil: it is not)
	DiscussionRecorded bool     // participants, date and conclusion are on record

	DecisionOverdue bool // past the decision date (art. 60), counting suspensions and approved extensions
	DecisionDays    int  // the configured period, for messages

	// The decision being made (for ActDecide):
	Decision           []Sanction
	DecisionOutOfRange string // "" or why the decided fine is outside the item's range
	PartyIsOrg         bool   // the party is a legal person or other organisation
	PartyIdentified    bool   // the party's ID number (or credit code) is on record
	PartyMinor         bool   // the party was 14 to under 18 on the day of the act (APL art. 30)
	SummaryCapFen      int64  // for summary: the cap for this party, from settings (0: the statutory cap)
	SpotTold           bool   // summary: the party was told the facts, reasons, basis and rights on the spot

	NoPenaltyKind string // for ActNoPenalty
	Education     string // the education given (APL art. 33 ¶3)
	// ItemFirstOffenceList: the item is on the 首违不罚清单 of the list in
	// force on the filing date (APL art. 33 ¶1).
	ItemFirstOffenceList bool
	// PriorPenalty names an earlier case in which the town penalised the
	// party under the same item ("" none): then the act is no 初次违法.
	PriorPenalty string

	TransferProposed bool // the handlers proposed the transfer, starting the head's clock

	// Execution (for ActClose):
	FineFen            int64 // decided fine
	PaidFen            int64 // paid so far (fine part, reversals netted)
	CashNotHandedIn    int   // on-the-spot cash payments not yet handed in to the bank
	HasOrder           bool  // the decision orders a correction
	OrderDone          bool
	EnforcementApplied bool // applied to the court for enforcement (申请法院强制执行)

	DecisionServed bool
	ServiceProof   bool // 送达回证 or the signed consent for electronic service is on record

	Reason        string // the reason the user gave
	ReceivingBody string // for ActTransfer: the county department or police receiving the case
}

// DecisionFineFen is the total fine of the decision being made.
func (f *Facts) DecisionFineFen() int64 {
	var n int64
	for _, s := range f.Decision {
		if s.Kind == KindFine {
			n += s.AmountFen
		}
	}
	return n
}

func (f *Facts) decides(kind string) bool {
	return slices.ContainsFunc(f.Decision, func(s Sanction) bool { return s.Kind == kind })
}

// Transition is one row of the table: an action, the states it leads from,
// the state it leads to, who may take it, under which procedures, and what
// must hold first.
type Transition struct {
	Action     Action
	Label      string // Chinese button text, e.g. "立案"
	From       []State
	To         State
	Roles      []zhifa.Role
	Procedures []Procedure // which procedures it applies to
	// Handlers: an officer or leader taking it must be one of the case's
	// handlers with a certificate valid today (APL arts. 42, 55).
	Handlers bool
	// Reason names the reason box the form must show ("" for none).
	Reason string
	// Confirm marks an irreversible step: the form asks for confirmation.
	Confirm bool
	// Next, when set, chooses the destination from the facts (To is then
	// the usual one, for documentation).
	Next func(*Facts) State
	// checks return "" when satisfied or a Chinese sentence saying what is missing
	checks []func(*Facts) string
}

// Dest is where the transition leads for these facts.
func (t *Transition) Dest(f *Facts) State {
	if t.Next != nil {
		return t.Next(f)
	}
	return t.To
}

// FromState reports whether the transition leaves from s.
func (t *Transition) FromState(s State) bool { return containsState(t.From, s) }

// Allows reports whether role r may take the transition.
func (t *Transition) Allows(r zhifa.Role) bool {
	for _, x := range t.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// AppliesTo reports whether the transition exists under procedure p.
func (t *Transition) AppliesTo(p Procedure) bool {
	for _, x := range t.Procedures {
		if x == p {
			return true
		}
	}
	return false
}

// Missing runs the preconditions and returns every unmet one, in order.
// It does not look at role, state, procedure or suspension: see Check.
func (t *Transition) Missing(f *Facts) []string {
	var out []string
	if t.Handlers && f.ActorRole.HoldsCertificate() {
		if !f.ActorIsHandler {
			out = append(out, "只有本案的承办人员可以进行此操作")
		} else if !f.ActorCertValid {
			out = append(out, "您的执法证今日不在有效期内，不能从事执法活动（行政处罚法第四十二条）")
		}
		// The filing counts the certificates itself, on the filing date
		// (today), in needTwoCertificates.
		if t.Action != ActFile && f.ValidCertHandlersToday < 2 {
			out = append(out, TwoCertifiedToday)
		}
	}
	if t.Reason != "" && strings.TrimSpace(f.Reason) == "" {
		out = append(out, "请填写"+t.Reason)
	}
	for _, c := range t.checks {
		if m := c(f); m != "" {
			out = append(out, m)
		}
	}
	return out
}

var (
	field     = []zhifa.Role{zhifa.RoleOfficer, zhifa.RoleLeader}
	leader    = []zhifa.Role{zhifa.RoleLeader}
	head      = []zhifa.Role{zhifa.RoleHead}
	reviewers = []zhifa.Role{zhifa.RoleTownReviewer, zhifa.RoleCountyReviewer}
	both      = []Procedure{General, Summary}
	general   = []Procedure{General}
	summary   = []Procedure{Summary}
	// preDecision are the states from which a case can still be transferred.
	preDecision = []State{Lead, Filed, Investigating, Review, Notice, Hearing, Deciding, Discussion}
)

type check = func(*Facts) string

// Transitions is THE table. For each (procedure, state, action) at most one
// row applies; the test TestTableUnambiguous guards that.
var Transitions = []Transition{
	// 立案审批: the team leader approves the filing (APL art. 54); on the spot
	// (summary procedure) the officers file themselves.
	{Action: ActFile, Label: "批准立案", From: []State{Lead}, To: Filed, Roles: leader, Procedures: general, Confirm: true,
		checks: []check{needTwoHandlers, needLeadHandler, needTwoCertificates, needItemInForce, needPenaltyItem, needWithinLimitation}},
	{Action: ActFile, Label: "立案", From: []State{Lead}, To: Filed, Roles: field, Procedures: summary, Handlers: true, Confirm: true,
		checks: []check{needTwoHandlers, needLeadHandler, needTwoCertificates, needItemInForce, needPenaltyItem, needWithinLimitation}},
	{Action: ActRefuseFiling, Label: "不予立案", From: []State{Lead}, To: NotFiled, Roles: leader, Procedures: general,
		Reason: "不予立案的理由"},
	{Action: ActInvestigate, Label: "开始调查", From: []State{Filed}, To: Investigating, Roles: field, Procedures: general, Handlers: true},
	{Action: ActSubmitReview, Label: "调查终结，提交法制审核", From: []State{Investigating}, To: Review, Roles: field, Procedures: general, Handlers: true,
		checks: []check{needEvidence, needFactsSummary, needPartyIdentified, needProposal, needProposalInRange, needMinorMitigation}},
	{Action: ActResubmit, Label: "重新提交法制审核", From: []State{Notice, Hearing, Deciding, Discussion}, To: Review, Roles: field, Procedures: general, Handlers: true,
		Reason: "重新审核的原因（如听证后、拟加重处罚）",
		checks: []check{needHearingConcludedIfRequested, needProposal, needProposalInRange, needMinorMitigation}},
	{Action: ActPassReview, Label: "法制审核通过", From: []State{Review}, To: Notice, Roles: reviewers, Procedures: general,
		Next:   func(f *Facts) State { return map[bool]State{true: Notice, false: Deciding}[f.NoticeNeeded] },
		checks: []check{reviewerNotHandler, needQualified, needChecklist, needOpinion}},
	{Action: ActReturnReview, Label: "退回补充调查", From: []State{Review}, To: Investigating, Roles: reviewers, Procedures: general,
		Reason: "退回补充调查的理由", checks: []check{reviewerNotHandler, needQualified, needChecklist}},
	{Action: ActFailReview, Label: "审核不通过", From: []State{Review}, To: Investigating, Roles: reviewers, Procedures: general,
		Reason: "审核不通过的理由", checks: []check{reviewerNotHandler, needQualified, needChecklist}},
	{Action: ActRequestHearing, Label: "登记听证申请", From: []State{Notice, Deciding, Discussion}, To: Hearing, Roles: field, Procedures: general, Handlers: true,
		checks: []check{needHearingRight, needNoticeServed, needNotHearingWaived, needHearingRequestInTime}},
	{Action: ActToDiscussion, Label: "提交集体讨论", From: []State{Notice, Hearing, Deciding}, To: Discussion, Roles: leader, Procedures: general,
		checks: []check{needReviewPassed, needHearingConcludedIfRequested}},
	{Action: ActDecide, Label: "作出处罚决定", From: []State{Notice, Hearing, Deciding, Discussion}, To: Decided, Roles: head, Procedures: general, Confirm: true,
		checks: []check{
			needReviewPassed, needReviewAfterHearing, needNoticeServed, needStatementPeriod, needHearingWindowClosed,
			needHearingConcludedIfRequested, needRechecked, needSomePenalty, needFineNotNegative,
			needNotHeavierThanNotified, needDecisionInRange, needMinorMitigationDecision, needDiscussion, needNotOverdue,
		}},
	// Summary procedure: the officers decide on the spot (APL art. 52), so
	// officers may record the decision, unlike the general procedure.
	// It is handed over at once (当场交付), so the case is served.
	{Action: ActDecide, Label: "作出当场处罚决定", From: []State{Filed}, To: Served, Roles: field, Procedures: summary, Handlers: true, Confirm: true,
		checks: []check{needSpotTold, summaryOnlyWarningOrFine, summaryNeedPenalty, needFineNotNegative, summaryWithinCap, needDecisionInRange, needMinorMitigationDecision}},
	{Action: ActNoPenalty, Label: "不予处罚", From: []State{Notice, Hearing, Deciding, Discussion}, To: NoPenalty, Roles: head, Procedures: general,
		Reason: "不予处罚的理由", checks: []check{needReviewPassed, needReviewedNoPenalty, needReviewAfterHearing, needHearingConcludedIfRequested, needNoPenaltyKind, needFirstOffenceListed, needFirstOffence, needEducation, needNotOverdue}},
	{Action: ActRevoke, Label: "撤销立案", From: []State{Filed, Investigating}, To: Revoked, Roles: leader, Procedures: both,
		Reason: "撤销立案的理由"},
	{Action: ActTransfer, Label: "决定移送", From: preDecision, To: Transferred, Roles: head, Procedures: both,
		Reason: "移送的理由", checks: []check{needTransferProposed, needReceivingBody}},
	{Action: ActServe, Label: "送达处罚决定书", From: []State{Decided}, To: Served, Roles: field, Procedures: both, Handlers: true,
		checks: []check{needServiceProof}},
	{Action: ActExecute, Label: "进入执行", From: []State{Served}, To: Executing, Roles: field, Procedures: both, Handlers: true,
		checks: []check{needDecisionServed}},
	{Action: ActClose, Label: "结案", From: []State{Executing}, To: Closed, Roles: field, Procedures: both, Handlers: true, Confirm: true,
		checks: []check{needFinePaid, needOrderDone, needCashHandedIn}},
	{Action: ActArchive, Label: "归档", From: []State{Closed}, To: Archived, Roles: leader, Procedures: both, Confirm: true},
}

// Find returns the transition for an action valid from state s under
// procedure p, or nil. The result is a copy; the table is not modified.
func Find(p Procedure, s State, a Action) *Transition {
	for i := range Transitions {
		t := &Transitions[i]
		if t.Action == a && t.AppliesTo(p) && t.FromState(s) {
			c := *t
			return &c
		}
	}
	return nil
}

// Check reports whether the actor in f may take action a now. It returns the
// transition, or an error: zhifa.EFORBIDDEN (role not allowed),
// zhifa.ECONFLICT (wrong state or procedure, or the case is suspended), or
// zhifa.EINVALID listing every unmet precondition in one message.
//
// The state is checked before the role because the row (and so the roles
// allowed) depends on the procedure and state.
func Check(f *Facts, a Action) (*Transition, error) {
	if f == nil {
		return nil, errors.New("workflow: Check called with nil facts")
	}
	if !a.Valid() {
		return nil, zhifa.Errorf(zhifa.EINVALID, "未知的操作（%s）", a)
	}
	if !f.Procedure.Valid() {
		return nil, zhifa.Errorf(zhifa.EINVALID, "案件的程序类型（%s）无效", f.Procedure)
	}
	t := Find(f.Procedure, f.State, a)
	if t == nil {
		return nil, wrongState(f, a)
	}
	if !t.Allows(f.ActorRole) {
		return nil, zhifa.Errorf(zhifa.EFORBIDDEN, "您的角色（%s）不能“%s”：该操作仅限%s",
			roleLabel(f.ActorRole), t.Label, roleList(t.Roles))
	}
	if f.Suspended {
		return nil, zhifa.Errorf(zhifa.ECONFLICT, "案件已中止，请先恢复")
	}
	if missing := t.Missing(f); len(missing) > 0 {
		return nil, zhifa.Errorf(zhifa.EINVALID, "不能“%s”：%s。", t.Label, strings.Join(missing, "；"))
	}
	t.To = t.Dest(f) // t is a copy
	return t, nil
}

// Available lists the transitions the actor may take now (all checks pass),
// in table order, for the case page.
func Available(f *Facts) []Transition {
	var out []Transition
	for _, a := range Actions {
		if t, err := Check(f, a); err == nil {
			out = append(out, *t)
		}
	}
	return out
}

// wrongState explains why no row fits: the action does not exist under the
// case's procedure, or it needs another state.
func wrongState(f *Facts, a Action) error {
	var from []State
	label := a.Label()
	for i := range Transitions {
		t := &Transitions[i]
		if t.Action != a || !t.AppliesTo(f.Procedure) {
			continue
		}
		label = t.Label
		for _, s := range t.From {
			if !containsState(from, s) {
				from = append(from, s)
			}
		}
	}
	if len(from) == 0 {
		return zhifa.Errorf(zhifa.ECONFLICT, "%s案件不能“%s”：该操作不适用于%s",
			f.Procedure.Label(), label, f.Procedure.Label())
	}
	names := make([]string, len(from))
	for i, s := range from {
		names[i] = "“" + s.Label() + "”"
	}
	return zhifa.Errorf(zhifa.ECONFLICT, "案件当前状态为“%s”，不能“%s”：该操作仅适用于处于%s状态的案件",
		f.State.Label(), label, strings.Join(names, "、"))
}

func roleLabel(r zhifa.Role) string {
	if r == "" {
		return "未指定"
	}
	return r.Label()
}

func roleList(rs []zhifa.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Label()
	}
	return strings.Join(names, "或")
}

func containsState(ss []State, s State) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// distinctHandlers counts the distinct, non-zero handler ids.
func distinctHandlers(ids []int64) int {
	seen := map[int64]bool{}
	for _, id := range ids {
		if id != 0 {
			seen[id] = true
		}
	}
	return len(seen)
}

// Yuan formats an amount in fen as yuan: "3000元", "12.50元", "-0.05元".
func Yuan(fen int64) string { return zhifa.Yuan(fen) }

// ---- preconditions; each returns "" when met ----

// APL art. 42: 执法人员不得少于两人.
func needTwoHandlers(f *Facts) string {
	if n := distinctHandlers(f.Handlers); n < 2 {
		return fmt.Sprintf("执法人员不得少于两人（目前仅指定%d名承办人员）", n)
	}
	return ""
}

// One handler leads the case (主办) and answers for it.
func needLeadHandler(f *Facts) string {
	if !f.LeadHandler {
		return "请指定一名主办人员"
	}
	return ""
}

// APL arts. 42, 55: the officers hold valid enforcement certificates.
func needTwoCertificates(f *Facts) string {
	if f.ValidCertHandlers < 2 {
		return fmt.Sprintf("须至少两名持有效执法证的执法人员（执法证有效的承办人员仅%d名）", max(f.ValidCertHandlers, 0))
	}
	return ""
}

// TwoCertifiedToday is the refusal of a handlers-only action or step when
// fewer than two of the case's handlers hold a certificate valid today
// (APL art. 42): the team leader adds a certified handler (add_handler).
const TwoCertifiedToday = "承办人员中今日持有效执法证的不足两名，请由队长增加承办人员（行政处罚法第四十二条）"

// MinorMitigation is the refusal of a proposal or decision that penalises a
// party aged 14 to under 18 at the time of the act without a mitigation
// ground (APL art. 30).
const MinorMitigation = "当事人违法时已满十四周岁不满十八周岁，应当从轻或者减轻处罚（行政处罚法第三十条），请填写从轻、减轻情节"

// APL art. 30: a minor's proposed penalty is mitigated (a proposal not to
// penalise needs no ground).
func needMinorMitigation(f *Facts) string {
	if f.PartyMinor && !f.Mitigation && !f.ProposalNoPenalty {
		return MinorMitigation
	}
	return ""
}

// APL art. 30: a minor's penalty is mitigated.
func needMinorMitigationDecision(f *Facts) string {
	if f.PartyMinor && !f.Mitigation {
		return MinorMitigation
	}
	return ""
}

// APL art. 24 and the county's list per town: a town acts only under an item
// of its own list in force; otherwise the case is transferred.
func needItemInForce(f *Facts) string {
	if !f.ItemInForce {
		return "该事项不在本镇立案之日有效的赋权事项清单内（清单之外无执法），应移送县级主管部门"
	}
	return ""
}

// APL arts. 2, 9: a penalty case is opened under an item of kind 行政处罚,
// not under an inspection or a coercive measure.
func needPenaltyItem(f *Facts) string {
	if !f.ItemIsPenalty {
		return "该事项不属于行政处罚类事项，不能作为行政处罚案件立案"
	}
	return ""
}

// APL art. 36: no penalty once the act went undiscovered for the period.
func needWithinLimitation(f *Facts) string {
	if !f.WithinLimitation {
		return fmt.Sprintf("违法行为在%d年内未被发现，不再给予行政处罚（行政处罚法第三十六条）", f.LimitationYears)
	}
	return ""
}

// Transfer regulation art. 5, APL art. 27: name who receives the case.
func needReceivingBody(f *Facts) string {
	if strings.TrimSpace(f.ReceivingBody) == "" {
		return "请填写接收移送的县级主管部门或公安机关"
	}
	return ""
}

// Transfer regulation art. 5: the handlers propose, the head decides.
func needTransferProposed(f *Facts) string {
	if !f.TransferProposed {
		return "承办人员尚未提出移送意见"
	}
	return ""
}

// APL arts. 40, 46, 54: no penalty without evidence.
func needEvidence(f *Facts) string {
	if f.EvidenceCount < 1 {
		return "尚未登记任何证据，违法事实不清、证据不足的不得给予行政处罚"
	}
	return ""
}

// APL arts. 40, 54: the investigation report states the facts found.
func needFactsSummary(f *Facts) string {
	if strings.TrimSpace(f.FactsSummary) == "" {
		return "请填写调查终结报告中查明的违法事实"
	}
	return ""
}

// APL arts. 30, 59: the decision names who the party is, and a person's
// age decides how a minor is treated: the ID is on record before review.
func needPartyIdentified(f *Facts) string {
	if !f.PartyIdentified {
		return "请先在“更正当事人和地点”中登记当事人的身份证号码：处罚决定须载明当事人身份（行政处罚法第五十九条），并据以确认其年龄（第三十条）"
	}
	return ""
}

// APL art. 58: the reviewer reviews a proposal (拟处罚 or 拟不予处罚).
func needProposal(f *Facts) string {
	if !f.ProposalRecorded {
		return "请先填写拟处罚意见（处罚种类、幅度、裁量理由）"
	}
	return ""
}

// APL arts. 5, 32: a proposal outside the legal range needs a mitigation ground.
func needProposalInRange(f *Facts) string {
	if f.ProposalOutOfRange != "" && !f.Mitigation {
		return "拟处罚：" + f.ProposalOutOfRange
	}
	return ""
}

// APL art. 58 (review separate from investigation): the reviewer did not handle the case.
func reviewerNotHandler(f *Facts) string {
	if f.ActorID != 0 && containsID(f.Handlers, f.ActorID) {
		return "法制审核人员不得为本案承办人员"
	}
	return ""
}

// APL art. 58 ¶2: first-time reviewers hold the legal professional qualification.
func needQualified(f *Facts) string {
	if !f.ReviewerQualified {
		return "您的法律职业资格证书编号尚未登记，请联系县级管理员"
	}
	return ""
}

// The review checks each point: 主体, 管辖, 事实, 证据, 定性, 依据, 程序, 裁量.
func needChecklist(f *Facts) string {
	if !f.ChecklistDone {
		return "请逐项填写审核要点（主体、管辖、事实、证据、定性、依据、程序、裁量）"
	}
	return ""
}

// The review states its opinion (法制审核意见书).
func needOpinion(f *Facts) string {
	if strings.TrimSpace(f.Opinion) == "" {
		return "请填写审核意见"
	}
	return ""
}

// APL art. 63: the notified penalty carries a hearing right.
func needHearingRight(f *Facts) string {
	if !f.HearingRight {
		return "拟作出的处罚不属于可以申请听证的范围"
	}
	return ""
}

// The party may give up the hearing only expressly; once given up it is gone.
func needNotHearingWaived(f *Facts) string {
	if f.HearingWaived {
		return "当事人已书面明确放弃听证"
	}
	return ""
}

// APL arts. 44, 62: the notice of intended penalty is served first.
func needNoticeServed(f *Facts) string {
	if !f.NoticeServed {
		return "尚未送达行政处罚事先告知书"
	}
	return ""
}

// APL art. 64(1): the party asks within the period (working days, art. 85),
// dated the day the party made the request.
func needHearingRequestInTime(f *Facts) string {
	if !f.HearingRequestInTime {
		return fmt.Sprintf("听证申请须在告知书送达后%d个工作日内提出（行政处罚法第六十四条），请填写当事人提出申请的日期", f.HearingRequestDays)
	}
	return ""
}

// APL art. 58: legal review passed, by someone who did not handle the case,
// on the proposal now before the head.
func needReviewPassed(f *Facts) string {
	switch {
	case !f.ReviewPassed:
		return "尚未通过法制审核，不得作出决定"
	case f.ReviewerID == 0:
		return "未记录法制审核人员"
	case containsID(f.Handlers, f.ReviewerID):
		return "法制审核人员不得为本案承办人员，请重新审核"
	}
	return ""
}

// APL arts. 58(2), 65: a heard case is reviewed again, on the transcript.
func needReviewAfterHearing(f *Facts) string {
	if f.HearingHeld && !f.ReviewedAfterHearing {
		return "听证后须根据听证笔录重新进行法制审核"
	}
	return ""
}

// APL arts. 44-45: the party had the statement period, or waived it in writing.
func needStatementPeriod(f *Facts) string {
	if !f.StatementPeriodOver && !f.StatementWaived {
		return "陈述申辩期限尚未届满，且当事人未书面放弃陈述申辩"
	}
	return ""
}

// APL art. 64(1): deciding inside the request period would cut off the
// hearing right, unless the party expressly waived the hearing (a waiver of
// statement does not waive the hearing).
func needHearingWindowClosed(f *Facts) string {
	if f.HearingRight && f.HearingWindowOpen && !f.HearingRequested && !f.HearingWaived {
		return fmt.Sprintf("听证申请期限（告知书送达后%d个工作日）尚未届满，且当事人未书面明确放弃听证", f.HearingRequestDays)
	}
	return ""
}

// APL arts. 63-65: a requested hearing is held (or withdrawn) first.
func needHearingConcludedIfRequested(f *Facts) string {
	if f.HearingRequested && !f.HearingConcluded {
		return "当事人已申请听证，尚未举行听证"
	}
	return ""
}

// APL art. 45: every statement and defence is rechecked (复核).
func needRechecked(f *Facts) string {
	if f.UnrecheckedStatements > 0 {
		return fmt.Sprintf("尚有%d条陈述申辩未复核，陈述申辩须复核", f.UnrecheckedStatements)
	}
	return ""
}

// APL arts. 9, 59: a penalty decision imposes some penalty; otherwise it is 不予处罚.
func needSomePenalty(f *Facts) string {
	if !slices.ContainsFunc(f.Decision, func(s Sanction) bool { return s.Kind != KindOrder && (s.Kind != KindFine || s.AmountFen > 0) }) {
		return "处罚决定须至少包含一种处罚；不予处罚的请使用“不予处罚”"
	}
	return ""
}

// Input sanity (no article): a fine is never negative.
func needFineNotNegative(f *Facts) string {
	if f.DecisionFineFen() < 0 {
		return "罚款金额不能为负数"
	}
	return ""
}

// APL art. 45: no heavier penalty than the latest notice, kind by kind; a
// heavier one needs a new proposal, review and notice.
func needNotHeavierThanNotified(f *Facts) string {
	if h := Heavier(f.Decision, f.Notified); len(h) > 0 {
		return strings.Join(h, "，") + "：不得作出比事先告知更重的处罚，须重新提交法制审核并重新告知（行政处罚法第四十五条）"
	}
	return ""
}

// APL arts. 5, 32, 76: the fine stays inside the item's legal range unless a
// mitigation ground is recorded.
func needDecisionInRange(f *Facts) string {
	if f.DecisionOutOfRange != "" && !f.Mitigation {
		return f.DecisionOutOfRange
	}
	return ""
}

// APL art. 57 ¶2: collective discussion where the settings require it.
func needDiscussion(f *Facts) string {
	if len(f.DiscussionRequired) > 0 && !f.DiscussionRecorded {
		return "本案须经集体讨论决定（" + strings.Join(f.DiscussionRequired, "、") + "），尚未记录集体讨论"
	}
	return ""
}

// APL art. 60: decision within the period from filing (suspensions and
// approved extensions are counted by the caller).
func needNotOverdue(f *Facts) string {
	if f.DecisionOverdue {
		return fmt.Sprintf("已超过立案之日起%d日的决定期限，且未经批准延期", f.DecisionDays)
	}
	return ""
}

// APL art. 58: the review approved not penalising, not a penalty.
func needReviewedNoPenalty(f *Facts) string {
	if f.ReviewPassed && !f.ReviewedNoPenalty {
		return "法制审核通过的是拟处罚意见；决定不予处罚的，须将拟处罚意见改为不予处罚并重新提交法制审核（行政处罚法第五十八条）"
	}
	return ""
}

// APL arts. 33, 57: which kind of 不予处罚.
func needNoPenaltyKind(f *Facts) string {
	if NoPenaltyKindLabel(f.NoPenaltyKind) == "" {
		return "请选择不予处罚的类型"
	}
	return ""
}

// APL art. 33 ¶1: a first offence goes unpunished only for the items on
// the 首违不罚清单.
func needFirstOffence(f *Facts) string {
	if f.NoPenaltyKind == NoPenaltyFirstOffence && f.PriorPenalty != "" {
		return "当事人此前已因同一事项被处罚（" + f.PriorPenalty + "），不属于初次违法，不能以“初次违法”不予处罚（行政处罚法第三十三条第一款）"
	}
	return ""
}

// APL art. 33 ¶1 with the published list: 首违不罚 only for listed items.
func needFirstOffenceListed(f *Facts) string {
	if f.NoPenaltyKind == NoPenaltyFirstOffence && !f.ItemFirstOffenceList {
		return NotOnFirstOffenceList
	}
	return ""
}

// NotOnFirstOffenceList refuses 首违不罚 for an item not on the list.
const NotOnFirstOffenceList = "该事项未列入首违不罚清单，不能以“初次违法”不予处罚（行政处罚法第三十三条第一款）"

// APL art. 33 ¶3: a party not penalised is educated.
func needEducation(f *Facts) string {
	if f.NoPenaltyKind != NoPenaltyNotEstablished && strings.TrimSpace(f.Education) == "" {
		return "请记录对当事人进行的教育（行政处罚法第三十三条第三款）"
	}
	return ""
}

// APL arts. 44, 52: even on the spot the party is told and heard.
func needSpotTold(f *Facts) string {
	if !f.SpotTold {
		return "请确认已当场告知当事人违法事实、处罚理由和依据，并听取其陈述申辩（行政处罚法第四十四条、第五十二条）"
	}
	return ""
}

// APL art. 51: summary procedure only for a warning or a fine.
func summaryOnlyWarningOrFine(f *Facts) string {
	if slices.ContainsFunc(f.Decision, func(s Sanction) bool {
		return s.Kind != KindWarning && s.Kind != KindFine && s.Kind != KindOrder
	}) {
		return "简易程序只能给予警告或罚款，其他处罚须适用一般程序"
	}
	return ""
}

// APL art. 51: a summary decision is a warning, a fine, or both.
func summaryNeedPenalty(f *Facts) string {
	if !f.decides(KindWarning) && f.DecisionFineFen() <= 0 {
		return "简易程序决定须包含警告或罚款"
	}
	return ""
}

// SummaryCap is the summary-procedure fine cap for the party in f: the
// configured one, or the statutory one (APL art. 51) when none is set.
func SummaryCap(f *Facts) int64 {
	if f.SummaryCapFen > 0 {
		return f.SummaryCapFen
	}
	if f.PartyIsOrg {
		return SummaryCapOrgFen
	}
	return SummaryCapPersonFen
}

// APL art. 51: fine ≤ 200 yuan (citizen) / 3000 yuan (organisation).
func summaryWithinCap(f *Facts) string {
	if c := SummaryCap(f); f.DecisionFineFen() > c {
		party := "公民"
		if f.PartyIsOrg {
			party = "法人或其他组织"
		}
		return fmt.Sprintf("简易程序对%s的罚款不得超过%s（本次拟罚款%s），请适用一般程序",
			party, Yuan(c), Yuan(f.DecisionFineFen()))
	}
	return ""
}

// APL art. 61: service is proved (送达回证, or consent to electronic service).
func needServiceProof(f *Facts) string {
	if !f.ServiceProof {
		return "请填写送达凭证（送达回证签收情况或电子送达确认书）"
	}
	return ""
}

// APL art. 61: execution starts once the decision is served.
func needDecisionServed(f *Facts) string {
	if !f.DecisionServed {
		return "处罚决定书尚未送达（无送达回证），不能进入执行"
	}
	return ""
}

// APL arts. 67, 72; AEL arts. 53-54: the fine is paid, or the court was asked to enforce.
func needFinePaid(f *Facts) string {
	if f.FineFen > 0 && f.PaidFen < f.FineFen && !f.EnforcementApplied {
		return fmt.Sprintf("罚款尚未缴清（已缴%s，应缴%s），且未申请法院强制执行",
			Yuan(max(f.PaidFen, 0)), Yuan(f.FineFen))
	}
	return ""
}

// APL art. 28: the order to correct is carried out, or the court was asked to enforce.
func needOrderDone(f *Facts) string {
	if f.HasOrder && !f.OrderDone && !f.EnforcementApplied {
		return "责令改正事项尚未履行完毕，且未申请法院强制执行"
	}
	return ""
}

// APL art. 71: cash collected on the spot reaches the bank.
func needCashHandedIn(f *Facts) string {
	if f.CashNotHandedIn > 0 {
		return fmt.Sprintf("尚有%d笔当场收缴的罚款未交至指定银行", f.CashNotHandedIn)
	}
	return ""
}

// Kinds of 不予处罚 (APL arts. 33, 57 ¶1(2)(3)).
const (
	NoPenaltyNotEstablished = "not_established" // 违法事实不能成立
	NoPenaltyMinor          = "minor"           // 违法行为轻微并及时改正，没有造成危害后果
	NoPenaltyFirstOffence   = "first_offence"   // 初次违法且危害后果轻微并及时改正（首违不罚）
	NoPenaltyNoFault        = "no_fault"        // 当事人有证据足以证明没有主观过错
)

// NoPenaltyKinds lists them in display order with their labels.
var NoPenaltyKinds = []struct{ Value, Label string }{
	{NoPenaltyNotEstablished, "违法事实不能成立（行政处罚法第五十七条）"},
	{NoPenaltyMinor, "违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）"},
	{NoPenaltyFirstOffence, "初次违法且危害后果轻微并及时改正（首违不罚，第三十三条第一款）"},
	{NoPenaltyNoFault, "有证据足以证明没有主观过错（第三十三条第二款）"},
}

// NoPenaltyKindLabel names a kind of 不予处罚; "" when unknown.
func NoPenaltyKindLabel(k string) string {
	for _, x := range NoPenaltyKinds {
		if x.Value == k {
			return x.Label
		}
	}
	return ""
}
