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
	Lead, Filed, Investigating, Review, Notice, Hearing, Discussion, Decided,
	Served, Executing, Closed, Archived, NotFiled, NoPenalty, Revoked, Transferred,
}

var stateLabels = map[State]string{
	Lead:          "待立案",
	Filed:         "已立案",
	Investigating: "调查取证",
	Review:        "法制审核",
	Notice:        "告知",
	Hearing:       "听证",
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
	ActFile           Action = "file"            // lead → filed (立案)
	ActRefuseFiling   Action = "refuse_filing"   // lead → not_filed (不予立案), reason required
	ActInvestigate    Action = "investigate"     // filed → investigating
	ActSubmitReview   Action = "submit_review"   // investigating → review (调查终结, 提交法制审核)
	ActPassReview     Action = "pass_review"     // review → notice (法制审核通过)
	ActReturnReview   Action = "return_review"   // review → investigating (退回补充调查), reason required
	ActRequestHearing Action = "request_hearing" // notice → hearing (当事人申请听证)
	ActToDiscussion   Action = "to_discussion"   // notice|hearing → discussion (集体讨论)
	ActDecide         Action = "decide"          // general: notice|hearing|discussion → decided; summary: filed → decided
	ActNoPenalty      Action = "no_penalty"      // investigating|review|notice|hearing|discussion → no_penalty, reason required
	ActRevoke         Action = "revoke"          // filed|investigating → revoked (撤销立案), reason required
	ActTransfer       Action = "transfer"        // lead|filed|investigating → transferred (移送), receiving body required
	ActServe          Action = "serve"           // decided → served (送达)
	ActExecute        Action = "execute"         // served → executing (进入执行)
	ActClose          Action = "close"           // executing → closed (结案)
	ActArchive        Action = "archive"         // closed → archived (归档)
)

// Actions lists every action in procedure order.
var Actions = []Action{
	ActFile, ActRefuseFiling, ActInvestigate, ActSubmitReview, ActPassReview,
	ActReturnReview, ActRequestHearing, ActToDiscussion, ActDecide, ActNoPenalty,
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

// Facts is everything the rules read about a case and the attempt; the
// storage layer fills it. Dates are local calendar dates (time.Time at midnight).
type Facts struct {
	Procedure Procedure
	State     State
	Today     time.Time // not read by the current rules; date checks arrive as booleans

	ActorID   int64
	ActorRole zhifa.Role

	Handlers          []int64 // handling officers (承办人员) user ids
	ValidCertHandlers int     // how many of them hold a certificate valid on the filing date
	ItemInForce       bool    // the item is on the town's list in force on the filing date
	Suspended         bool    // 中止 in effect: no transition but resuming is allowed while suspended

	EvidenceCount int
	FactsSummary  string // the investigation findings; must be non-empty to submit for review

	ReviewPassed bool
	ReviewerID   int64 // who passed the legal review

	NoticeServed          bool
	StatementPeriodOver   bool // the statement period after the notice has elapsed
	StatementWaived       bool // the party waived statement/defence (and hearing) in writing
	HearingRight          bool // the notified penalty qualifies for a hearing
	HearingWindowOpen     bool // still within 5 days of the notice being served
	HearingRequested      bool
	HearingHeld           bool
	UnrecheckedStatements int   // statements/defences not yet rechecked (复核)
	NotifiedFineFen       int64 // fine in the notice of intended penalty
	NewNoticeServed       bool  // a new notice was served for a heavier penalty

	DecisionOverdue bool // past the 90-day decision date (art. 60), counting suspensions and approved extensions

	// The decision being made (for ActDecide):
	DecisionFineFen int64
	DecisionWarning bool  // includes a warning
	DecisionOther   bool  // includes a penalty other than a warning or a fine (confiscation etc.)
	PartyIsOrg      bool  // the party is a legal person or other organisation
	SummaryCapFen   int64 // for summary: the cap for this party, from settings (0: the statutory cap)

	// Execution (for ActClose):
	FineFen            int64 // decided fine
	PaidFen            int64 // paid so far (fine part)
	HasOrder           bool  // the decision orders a correction
	OrderDone          bool
	EnforcementApplied bool // applied to the court for enforcement (申请法院强制执行)

	DecisionServed bool

	Reason        string // the reason the user gave
	ReceivingBody string // for ActTransfer: the county department or police receiving the case
}

// Transition is one row of the table: an action, the states it leaves from,
// the state it leads to, who may take it, under which procedures, and what
// must hold first.
type Transition struct {
	Action     Action
	Label      string // Chinese button text, e.g. "立案"
	From       []State
	To         State
	Roles      []zhifa.Role
	Procedures []Procedure // which procedures it applies to
	// checks return "" when satisfied or a Chinese sentence saying what is missing
	checks []func(*Facts) string
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
	reviewers = []zhifa.Role{zhifa.RoleTownReviewer, zhifa.RoleCountyReviewer}
	both      = []Procedure{General, Summary}
	general   = []Procedure{General}
	summary   = []Procedure{Summary}
)

type check = func(*Facts) string

// Transitions is THE table. For each (procedure, state, action) at most one
// row applies; the test TestTableUnambiguous guards that.
var Transitions = []Transition{
	{Action: ActFile, Label: "立案", From: []State{Lead}, To: Filed, Roles: field, Procedures: both,
		checks: []check{needTwoHandlers, needTwoCertificates, needItemInForce}},
	{Action: ActRefuseFiling, Label: "不予立案", From: []State{Lead}, To: NotFiled, Roles: leader, Procedures: general,
		checks: []check{needReason("不予立案")}},
	{Action: ActInvestigate, Label: "开始调查", From: []State{Filed}, To: Investigating, Roles: field, Procedures: general},
	{Action: ActSubmitReview, Label: "调查终结，提交法制审核", From: []State{Investigating}, To: Review, Roles: field, Procedures: general,
		checks: []check{needEvidence, needFactsSummary}},
	{Action: ActPassReview, Label: "法制审核通过", From: []State{Review}, To: Notice, Roles: reviewers, Procedures: general,
		checks: []check{reviewerNotHandler}},
	{Action: ActReturnReview, Label: "退回补充调查", From: []State{Review}, To: Investigating, Roles: reviewers, Procedures: general,
		checks: []check{reviewerNotHandler, needReason("退回补充调查")}},
	{Action: ActRequestHearing, Label: "登记听证申请", From: []State{Notice}, To: Hearing, Roles: field, Procedures: general,
		checks: []check{needHearingRight, needNoticeServed, needHearingWindow}},
	{Action: ActToDiscussion, Label: "提交集体讨论", From: []State{Notice, Hearing}, To: Discussion, Roles: leader, Procedures: general},
	{Action: ActDecide, Label: "作出处罚决定", From: []State{Notice, Hearing, Discussion}, To: Decided, Roles: leader, Procedures: general,
		checks: []check{
			needReviewPassed, needNoticeServed, needStatementPeriod, needHearingWindowClosed,
			needHearingHeld, needRechecked, needSomePenalty, needFineNotNegative,
			needNotHeavierThanNotified, needNotOverdue,
		}},
	// Summary procedure: the officers decide on the spot (APL art. 52), so
	// officers may record the decision, unlike the general procedure.
	{Action: ActDecide, Label: "作出处罚决定", From: []State{Filed}, To: Decided, Roles: field, Procedures: summary,
		checks: []check{summaryOnlyWarningOrFine, summaryNeedPenalty, needFineNotNegative, summaryWithinCap}},
	{Action: ActNoPenalty, Label: "不予处罚", From: []State{Investigating, Review, Notice, Hearing, Discussion}, To: NoPenalty, Roles: leader, Procedures: general,
		checks: []check{needReason("不予处罚")}},
	{Action: ActRevoke, Label: "撤销立案", From: []State{Filed, Investigating}, To: Revoked, Roles: leader, Procedures: both,
		checks: []check{needReason("撤销立案")}},
	{Action: ActTransfer, Label: "移送", From: []State{Lead, Filed, Investigating}, To: Transferred, Roles: leader, Procedures: both,
		checks: []check{needReceivingBody}},
	{Action: ActServe, Label: "送达", From: []State{Decided}, To: Served, Roles: field, Procedures: both},
	{Action: ActExecute, Label: "进入执行", From: []State{Served}, To: Executing, Roles: field, Procedures: both,
		checks: []check{needDecisionServed}},
	{Action: ActClose, Label: "结案", From: []State{Executing}, To: Closed, Roles: field, Procedures: both,
		checks: []check{needFinePaid, needOrderDone}},
	{Action: ActArchive, Label: "归档", From: []State{Closed}, To: Archived, Roles: leader, Procedures: both},
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

// APL arts. 42, 55: the officers hold valid enforcement certificates.
func needTwoCertificates(f *Facts) string {
	if f.ValidCertHandlers < 2 {
		return fmt.Sprintf("须至少两名持有效执法证的执法人员（立案之日执法证有效的承办人员仅%d名）", max(f.ValidCertHandlers, 0))
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

// APL art. 47: every step is recorded; ending a case or sending it back
// states why (不予立案/撤销立案审批表, 不予处罚决定, 审核意见).
func needReason(what string) check {
	return func(f *Facts) string {
		if strings.TrimSpace(f.Reason) == "" {
			return "请填写" + what + "的理由"
		}
		return ""
	}
}

// Transfer regulation art. 5, APL art. 27: name who receives the case.
func needReceivingBody(f *Facts) string {
	if strings.TrimSpace(f.ReceivingBody) == "" {
		return "请填写接收移送的县级主管部门或公安机关"
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

// APL art. 58 (review separate from investigation): the reviewer did not handle the case.
func reviewerNotHandler(f *Facts) string {
	if f.ActorID != 0 && containsID(f.Handlers, f.ActorID) {
		return "法制审核人员不得为本案承办人员"
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

// APL arts. 44, 62: the notice of intended penalty is served first.
func needNoticeServed(f *Facts) string {
	if !f.NoticeServed {
		return "尚未送达行政处罚事先告知书"
	}
	return ""
}

// APL art. 64(1): the hearing is requested within 5 days of the notice.
func needHearingWindow(f *Facts) string {
	if !f.HearingWindowOpen {
		return "已超过告知书送达后5日的听证申请期限"
	}
	return ""
}

// APL art. 58: legal review passed, by someone who did not handle the case.
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

// APL arts. 44-45: the party had the statement period, or waived it in writing.
func needStatementPeriod(f *Facts) string {
	if !f.StatementPeriodOver && !f.StatementWaived {
		return "陈述申辩期限尚未届满，且当事人未书面放弃陈述申辩"
	}
	return ""
}

// APL art. 64(1): deciding inside the 5-day request window would cut off the
// hearing right, unless the party waived it in writing (the waiver form
// covers statement, defence and hearing).
func needHearingWindowClosed(f *Facts) string {
	if f.HearingRight && f.HearingWindowOpen && !f.HearingRequested && !f.StatementWaived {
		return "听证申请期限（告知书送达后5日）尚未届满"
	}
	return ""
}

// APL arts. 63-65: a requested hearing is held before the decision.
func needHearingHeld(f *Facts) string {
	if f.HearingRequested && !f.HearingHeld {
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
	if !f.DecisionWarning && f.DecisionFineFen <= 0 && !f.DecisionOther {
		return "处罚决定须至少包含一种处罚；不予处罚的请使用“不予处罚”"
	}
	return ""
}

// Input sanity (no article): a fine is never negative.
func needFineNotNegative(f *Facts) string {
	if f.DecisionFineFen < 0 {
		return "罚款金额不能为负数"
	}
	return ""
}

// APL art. 45: no heavier penalty than notified (and none because of a
// defence); a heavier one needs a new notice.
func needNotHeavierThanNotified(f *Facts) string {
	if f.DecisionFineFen > f.NotifiedFineFen && !f.NewNoticeServed {
		return fmt.Sprintf("决定罚款%s高于事先告知的%s，不得作出比告知更重的处罚，须重新告知",
			Yuan(f.DecisionFineFen), Yuan(f.NotifiedFineFen))
	}
	return ""
}

// APL art. 60: decision within 90 days of filing (suspensions and approved
// extensions are counted by the caller).
func needNotOverdue(f *Facts) string {
	if f.DecisionOverdue {
		return "已超过立案之日起90日的决定期限，且未经批准延期"
	}
	return ""
}

// APL art. 51: summary procedure only for a warning or a fine.
func summaryOnlyWarningOrFine(f *Facts) string {
	if f.DecisionOther {
		return "简易程序只能给予警告或罚款，其他处罚须适用一般程序"
	}
	return ""
}

// APL art. 51: a summary decision is a warning, a fine, or both.
func summaryNeedPenalty(f *Facts) string {
	if !f.DecisionWarning && f.DecisionFineFen <= 0 {
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
	if c := SummaryCap(f); f.DecisionFineFen > c {
		party := "公民"
		if f.PartyIsOrg {
			party = "法人或其他组织"
		}
		return fmt.Sprintf("简易程序对%s的罚款不得超过%s（本次拟罚款%s），请适用一般程序",
			party, Yuan(c), Yuan(f.DecisionFineFen))
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
