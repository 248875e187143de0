package workflow

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"zhifa/internal/zhifa"
)

var (
	officer  = zhifa.RoleOfficer
	lead     = zhifa.RoleLeader
	townRev  = zhifa.RoleTownReviewer
	countyRv = zhifa.RoleCountyReviewer
	admin    = zhifa.RoleCountyAdmin
	headRole = zhifa.RoleHead
)

// full returns Facts under which every precondition of every transition of
// the general procedure holds, so only procedure, state and role decide.
// The actor (100) is a handler with a valid certificate as far as the
// storage layer says (ActorIsHandler), and is not in Handlers so that the
// reviewer-is-not-a-handler rule holds too.
func full() Facts {
	return Facts{
		Procedure: General,
		Today:     time.Date(2025, 9, 1, 0, 0, 0, 0, zhifa.Local),

		ActorID:        100,
		ActorIsHandler: true,
		ActorCertValid: true,

		Handlers:          []int64{1, 2},
		LeadHandler:       true,
		ValidCertHandlers: 2,
		ItemInForce:       true,

		ValidCertHandlersToday: 2,

		ItemIsPenalty:    true,
		WithinLimitation: true,
		LimitationYears:  2,

		EvidenceCount: 3,
		FactsSummary:  "当事人于2025年8月1日在镇区主街违规占道经营",

		ProposalRecorded: true,

		ChecklistDone:     true,
		Opinion:           "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当",
		ReviewerQualified: true,

		ReviewPassed:         true,
		ReviewedNoPenalty:    true,
		PartyIdentified:      true,
		ReviewerID:           50,
		ReviewedAfterHearing: true,
		NoticeNeeded:         true,

		NoticeServed:         true,
		StatementPeriodOver:  true,
		HearingRight:         true,
		HearingRequestInTime: true,
		HearingRequestDays:   5,
		HearingRequested:     true,
		HearingConcluded:     true,
		HearingHeld:          true,
		Notified:             []Sanction{{Kind: KindFine, AmountFen: 300000}, {Kind: KindWarning}},

		DiscussionRequired: []string{"拟对公民处以较大数额罚款"},
		DiscussionRecorded: true,

		DecisionDays: 90,

		Decision: []Sanction{{Kind: KindFine, AmountFen: 300000}, {Kind: KindWarning}},
		SpotTold: true,

		NoPenaltyKind:        NoPenaltyMinor,
		Education:            "已对当事人进行批评教育并责令立即改正",
		ItemFirstOffenceList: true,

		TransferProposed: true,

		FineFen:   300000,
		PaidFen:   300000,
		HasOrder:  true,
		OrderDone: true,

		DecisionServed: true,
		ServiceProof:   true,

		Reason:        "经核查，情况属实",
		ReceivingBody: "紫阳县自然资源局",
	}
}

// summaryFull is full() for a summary case: a 50-yuan fine and a warning
// on a citizen, paid, never notified.
func summaryFull() Facts {
	f := full()
	f.Procedure = Summary
	f.Decision = []Sanction{{Kind: KindFine, AmountFen: 5000}, {Kind: KindWarning}}
	f.Notified = nil
	f.FineFen, f.PaidFen = 5000, 5000
	return f
}

func base(p Procedure) Facts {
	if p == Summary {
		return summaryFull()
	}
	return full()
}

// expectation is written out independently of Transitions, on purpose.
type expectation struct {
	from     []State
	to       State // pass_review: when a notice is due
	toNoNote State // pass_review: when nothing is left to notify ("" = to)
	roles    []zhifa.Role
	handlers bool   // an officer or leader must be a handler with a valid certificate
	reason   string // the reason box ("" none)
	confirm  bool
}

var (
	fieldRoles    = []zhifa.Role{officer, lead}
	leaderOnly    = []zhifa.Role{lead}
	headOnly      = []zhifa.Role{headRole}
	reviewerRoles = []zhifa.Role{townRev, countyRv}
	beforeDecided = []State{Lead, Filed, Investigating, Review, Notice, Hearing, Deciding, Discussion}
	afterReview   = []State{Notice, Hearing, Deciding, Discussion}
)

var wantGeneral = map[Action]expectation{
	ActFile:           {from: []State{Lead}, to: Filed, roles: leaderOnly, confirm: true},
	ActRefuseFiling:   {from: []State{Lead}, to: NotFiled, roles: leaderOnly, reason: "不予立案的理由"},
	ActInvestigate:    {from: []State{Filed}, to: Investigating, roles: fieldRoles, handlers: true},
	ActSubmitReview:   {from: []State{Investigating}, to: Review, roles: fieldRoles, handlers: true},
	ActResubmit:       {from: afterReview, to: Review, roles: fieldRoles, handlers: true, reason: "重新审核的原因（如听证后、拟加重处罚）"},
	ActPassReview:     {from: []State{Review}, to: Notice, toNoNote: Deciding, roles: reviewerRoles},
	ActReturnReview:   {from: []State{Review}, to: Investigating, roles: reviewerRoles, reason: "退回补充调查的理由"},
	ActFailReview:     {from: []State{Review}, to: Investigating, roles: reviewerRoles, reason: "审核不通过的理由"},
	ActRequestHearing: {from: []State{Notice, Deciding, Discussion}, to: Hearing, roles: fieldRoles, handlers: true},
	ActToDiscussion:   {from: []State{Notice, Hearing, Deciding}, to: Discussion, roles: leaderOnly},
	ActDecide:         {from: afterReview, to: Decided, roles: headOnly, confirm: true},
	ActNoPenalty:      {from: afterReview, to: NoPenalty, roles: headOnly, reason: "不予处罚的理由"},
	ActRevoke:         {from: []State{Filed, Investigating}, to: Revoked, roles: leaderOnly, reason: "撤销立案的理由"},
	ActTransfer:       {from: beforeDecided, to: Transferred, roles: headOnly, reason: "移送的理由"},
	ActServe:          {from: []State{Decided}, to: Served, roles: fieldRoles, handlers: true},
	ActExecute:        {from: []State{Served}, to: Executing, roles: fieldRoles, handlers: true},
	ActClose:          {from: []State{Executing}, to: Closed, roles: fieldRoles, handlers: true, confirm: true},
	ActArchive:        {from: []State{Closed}, to: Archived, roles: leaderOnly, confirm: true},
}

// Summary cases: officers file and decide on the spot (APL art. 52), then
// serve, execute, close; the leader revokes and archives, the head transfers.
// Nothing else applies.
var wantSummary = map[Action]expectation{
	ActFile:     {from: []State{Lead}, to: Filed, roles: fieldRoles, handlers: true, confirm: true},
	ActDecide:   {from: []State{Filed}, to: Served, roles: fieldRoles, handlers: true, confirm: true},
	ActRevoke:   {from: []State{Filed, Investigating}, to: Revoked, roles: leaderOnly, reason: "撤销立案的理由"},
	ActTransfer: {from: beforeDecided, to: Transferred, roles: headOnly, reason: "移送的理由"},
	ActServe:    {from: []State{Decided}, to: Served, roles: fieldRoles, handlers: true},
	ActExecute:  {from: []State{Served}, to: Executing, roles: fieldRoles, handlers: true},
	ActClose:    {from: []State{Executing}, to: Closed, roles: fieldRoles, handlers: true, confirm: true},
	ActArchive:  {from: []State{Closed}, to: Archived, roles: leaderOnly, confirm: true},
}

func roleNames(rs []zhifa.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Label()
	}
	return strings.Join(names, "或")
}

// TestGrid covers every (procedure, state, action, role) with all
// preconditions satisfied: allowed with the right destination, reason box
// and confirmation; EFORBIDDEN (right state, wrong role); or ECONFLICT
// (wrong state, or the action does not exist under the procedure). For an
// allowed cell it also checks that the handler rule applies exactly where
// expected and that an empty reason is refused exactly where a box exists.
func TestGrid(t *testing.T) {
	if len(Actions) != 18 || len(States) != 17 {
		t.Fatalf("expected 18 actions and 17 states, got %d and %d", len(Actions), len(States))
	}
	for _, pc := range []struct {
		p    Procedure
		want map[Action]expectation
	}{{General, wantGeneral}, {Summary, wantSummary}} {
		for _, s := range States {
			for _, a := range Actions {
				noticeVariants := []bool{true}
				if a == ActPassReview {
					noticeVariants = []bool{true, false}
				}
				for _, r := range zhifa.Roles { // includes the head (TestHeadDecides)
					for _, nn := range noticeVariants {
						name := fmt.Sprintf("%s/%s/%s/%s", pc.p, s, a, r)
						if a == ActPassReview {
							name += fmt.Sprintf("/notice_needed=%v", nn)
						}
						t.Run(name, func(t *testing.T) {
							f := base(pc.p)
							f.State, f.ActorRole, f.NoticeNeeded = s, r, nn
							tr, err := Check(&f, a)
							w, inProc := pc.want[a]
							switch {
							case !inProc:
								assertCode(t, err, zhifa.ECONFLICT)
								mustContain(t, err, "不能“", "该操作不适用于"+pc.p.Label())
							case !slices.Contains(w.from, s):
								assertCode(t, err, zhifa.ECONFLICT)
								mustContain(t, err, "案件当前状态为“"+s.Label()+"”")
								for _, fs := range w.from {
									mustContain(t, err, "“"+fs.Label()+"”")
								}
							case !slices.Contains(w.roles, r):
								assertCode(t, err, zhifa.EFORBIDDEN)
								mustContain(t, err, "您的角色（"+r.Label()+"）不能", "该操作仅限"+roleNames(w.roles))
							default:
								if err != nil {
									t.Fatalf("refused: %s", zhifa.ErrorMessage(err))
								}
								to := w.to
								if !nn && w.toNoNote != "" {
									to = w.toNoNote
								}
								if tr.Action != a || tr.To != to {
									t.Errorf("got %s → %s, want %s → %s", tr.Action, tr.To, a, to)
								}
								if tr.Reason != w.reason {
									t.Errorf("reason box %q, want %q", tr.Reason, w.reason)
								}
								if tr.Confirm != w.confirm {
									t.Errorf("confirm = %v, want %v", tr.Confirm, w.confirm)
								}
								checkHandlerRule(t, f, a, w.handlers)
								checkReasonBox(t, f, a, w.reason)
							}
							if err != nil && tr != nil {
								t.Errorf("transition returned with an error")
							}
							// Find agrees with Check on the state/procedure dimension.
							if got := Find(pc.p, s, a) != nil; got != (inProc && slices.Contains(w.from, s)) {
								t.Errorf("Find = %v", got)
							}
						})
					}
				}
			}
		}
	}
}

// checkHandlerRule: on a handlers-only row, a non-handler and a handler with
// an expired certificate are refused; elsewhere neither matters.
func checkHandlerRule(t *testing.T, f Facts, a Action, handlers bool) {
	t.Helper()
	notHandler := f
	notHandler.ActorIsHandler, notHandler.ActorCertValid = false, false
	expired := f
	expired.ActorCertValid = false
	for _, c := range []struct {
		f    Facts
		want string
	}{
		{notHandler, "不能“" + Find(f.Procedure, f.State, a).Label + "”：只有本案的承办人员可以进行此操作。"},
		{expired, "不能“" + Find(f.Procedure, f.State, a).Label + "”：您的执法证今日不在有效期内，不能从事执法活动（行政处罚法第四十二条）。"},
	} {
		_, err := Check(&c.f, a)
		if !handlers {
			if err != nil {
				t.Errorf("not a handlers-only row, yet refused: %s", zhifa.ErrorMessage(err))
			}
			continue
		}
		assertCode(t, err, zhifa.EINVALID)
		if msg := zhifa.ErrorMessage(err); msg != c.want {
			t.Errorf("message %q, want %q", msg, c.want)
		}
	}
}

// checkReasonBox: an empty (blank) reason is refused exactly where the row
// has a reason box.
func checkReasonBox(t *testing.T, f Facts, a Action, reason string) {
	t.Helper()
	f.Reason = " \t"
	_, err := Check(&f, a)
	if reason == "" {
		if err != nil {
			t.Errorf("no reason box, yet refused without a reason: %s", zhifa.ErrorMessage(err))
		}
		return
	}
	assertCode(t, err, zhifa.EINVALID)
	mustContain(t, err, "：请填写"+reason+"。")
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("allowed, want %s", code)
	}
	if got := zhifa.ErrorCode(err); got != code {
		t.Fatalf("code = %s, want %s (%s)", got, code, zhifa.ErrorMessage(err))
	}
}

func mustContain(t *testing.T, err error, want ...string) {
	t.Helper()
	msg := zhifa.ErrorMessage(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q lacks %q", msg, w)
		}
	}
}

// TestTableUnambiguous: at most one row per (procedure, state, action), and
// every row is well formed.
func TestTableUnambiguous(t *testing.T) {
	seen := map[string]bool{}
	for _, tr := range Transitions {
		if tr.Label == "" || !tr.To.Valid() || len(tr.From) == 0 || len(tr.Roles) == 0 || len(tr.Procedures) == 0 || !tr.Action.Valid() {
			t.Errorf("malformed row %+v", tr)
		}
		for _, p := range tr.Procedures {
			if !p.Valid() {
				t.Errorf("%s: unknown procedure %q", tr.Action, p)
			}
			for _, s := range tr.From {
				if !s.Valid() {
					t.Errorf("%s: unknown from-state %q", tr.Action, s)
				}
				if s.Terminal() && s != Closed {
					t.Errorf("%s leaves terminal state %s", tr.Action, s)
				}
				k := fmt.Sprint(p, "/", s, "/", tr.Action)
				if seen[k] {
					t.Errorf("two rows for %s", k)
				}
				seen[k] = true
			}
		}
	}
	// Every action has a row, and every open state but Lead is reachable.
	for _, a := range Actions {
		if !slices.ContainsFunc(Transitions, func(tr Transition) bool { return tr.Action == a }) {
			t.Errorf("action %s has no row", a)
		}
	}
	for _, s := range States {
		if s == Lead {
			continue
		}
		reach := slices.ContainsFunc(Transitions, func(tr Transition) bool {
			return tr.To == s || tr.Dest(&Facts{NoticeNeeded: true}) == s || tr.Dest(&Facts{}) == s
		})
		if !reach {
			t.Errorf("state %s is never reached", s)
		}
	}
}

// TestSummaryNeverReviewed: summary cases never reach review, notice,
// hearing, deciding or discussion.
func TestSummaryNeverReviewed(t *testing.T) {
	for _, tr := range Transitions {
		if !tr.AppliesTo(Summary) {
			continue
		}
		for _, s := range []State{Review, Notice, Hearing, Deciding, Discussion, Investigating} {
			if tr.To == s {
				t.Errorf("summary transition %s leads to %s", tr.Action, s)
			}
		}
	}
}

// spot is where a precondition is tried: a procedure, state, role, action.
type spot struct {
	p Procedure
	s State
	r zhifa.Role
	a Action
}

func (s spot) String() string { return fmt.Sprintf("%s/%s/%s/%s", s.p, s.s, s.r, s.a) }

var (
	gFileL      = spot{General, Lead, lead, ActFile}
	sFileO      = spot{Summary, Lead, officer, ActFile}
	gRefuse     = spot{General, Lead, lead, ActRefuseFiling}
	gInvest     = spot{General, Filed, officer, ActInvestigate}
	gSubmit     = spot{General, Investigating, officer, ActSubmitReview}
	gResubmitH  = spot{General, Hearing, lead, ActResubmit}
	gResubmitN  = spot{General, Notice, officer, ActResubmit}
	gPass       = spot{General, Review, townRev, ActPassReview}
	gReturn     = spot{General, Review, countyRv, ActReturnReview}
	gFail       = spot{General, Review, townRev, ActFailReview}
	gRequest    = spot{General, Notice, officer, ActRequestHearing}
	gDiscussN   = spot{General, Notice, lead, ActToDiscussion}
	gDiscussD   = spot{General, Deciding, lead, ActToDiscussion}
	gDecideN    = spot{General, Notice, headRole, ActDecide}
	gDecideH    = spot{General, Hearing, headRole, ActDecide}
	gDecideD    = spot{General, Deciding, headRole, ActDecide}
	gDecideDisc = spot{General, Discussion, headRole, ActDecide}
	sDecide     = spot{Summary, Filed, officer, ActDecide}
	gNoPenH     = spot{General, Hearing, headRole, ActNoPenalty}
	gNoPenD     = spot{General, Deciding, headRole, ActNoPenalty}
	gRevoke     = spot{General, Investigating, lead, ActRevoke}
	sRevoke     = spot{Summary, Filed, lead, ActRevoke}
	gTransferR  = spot{General, Review, headRole, ActTransfer}
	sTransfer   = spot{Summary, Filed, headRole, ActTransfer}
	gServe      = spot{General, Decided, officer, ActServe}
	sServe      = spot{Summary, Decided, officer, ActServe}
	gExecute    = spot{General, Served, officer, ActExecute}
	sExecute    = spot{Summary, Served, officer, ActExecute}
	gCloseO     = spot{General, Executing, officer, ActClose}
	sCloseL     = spot{Summary, Executing, lead, ActClose}
)

// TestPreconditions flips one fact of full() per case and expects the one
// precondition's sentence, alone (no "；"), at every spot listed. Cases
// with want == "" expect the flip to be allowed.
func TestPreconditions(t *testing.T) {
	cases := []struct {
		name string
		at   []spot
		edit func(*Facts)
		want string // the whole sentence; "" allowed
	}{
		// The actor (Transition.Handlers).
		{"actor not a handler", []spot{sFileO, gInvest, gSubmit, gResubmitN, gRequest, sDecide, gServe, gExecute, gCloseO},
			func(f *Facts) { f.ActorIsHandler = false },
			"只有本案的承办人员可以进行此操作"},
		{"actor's certificate expired", []spot{sFileO, gInvest, gSubmit, gResubmitH, gRequest, sDecide, sServe, sExecute, sCloseL},
			func(f *Facts) { f.ActorCertValid = false },
			"您的执法证今日不在有效期内，不能从事执法活动（行政处罚法第四十二条）"},
		{"a co-handler's certificate lapsed since the filing", []spot{gInvest, gSubmit, gResubmitN, gRequest, sDecide, gServe, gExecute, gCloseO, sCloseL},
			func(f *Facts) { f.ValidCertHandlersToday = 1 }, TwoCertifiedToday},
		{"the filing counts certificates on its own date", []spot{gFileL, sFileO}, func(f *Facts) { f.ValidCertHandlersToday = 0 }, ""},
		{"rows not for handlers ignore the handlers' certificates", []spot{gRefuse, gPass, gDiscussN, gDecideD, gNoPenD, gRevoke, gTransferR},
			func(f *Facts) { f.ValidCertHandlersToday = 0 }, ""},
		{"the leader approving a filing need not be a handler", []spot{gFileL, gRefuse, gRevoke, gDiscussN},
			func(f *Facts) { f.ActorIsHandler, f.ActorCertValid = false, false }, ""},
		{"reviewers and the head hold no certificate", []spot{gPass, gReturn, gDecideN, gNoPenH, gTransferR},
			func(f *Facts) { f.ActorIsHandler, f.ActorCertValid = false, false }, ""},

		// Reason boxes.
		{"refuse filing without reason", []spot{gRefuse}, func(f *Facts) { f.Reason = "" }, "请填写不予立案的理由"},
		{"resubmit without reason", []spot{gResubmitN}, func(f *Facts) { f.Reason = "" }, "请填写重新审核的原因（如听证后、拟加重处罚）"},
		{"return without reason", []spot{gReturn}, func(f *Facts) { f.Reason = "  " }, "请填写退回补充调查的理由"},
		{"fail without reason", []spot{gFail}, func(f *Facts) { f.Reason = "" }, "请填写审核不通过的理由"},
		{"no penalty without reason", []spot{gNoPenD}, func(f *Facts) { f.Reason = "" }, "请填写不予处罚的理由"},
		{"revoke without reason", []spot{gRevoke, sRevoke}, func(f *Facts) { f.Reason = "" }, "请填写撤销立案的理由"},
		{"transfer without reason", []spot{gTransferR, sTransfer}, func(f *Facts) { f.Reason = "" }, "请填写移送的理由"},

		// Filing.
		{"one handler", []spot{gFileL, sFileO}, func(f *Facts) { f.Handlers = []int64{1} },
			"执法人员不得少于两人（目前仅指定1名承办人员）"},
		{"same handler twice counts once", []spot{gFileL}, func(f *Facts) { f.Handlers = []int64{1, 1, 0} },
			"执法人员不得少于两人（目前仅指定1名承办人员）"},
		{"no lead handler", []spot{gFileL, sFileO}, func(f *Facts) { f.LeadHandler = false }, "请指定一名主办人员"},
		{"one valid certificate", []spot{gFileL, sFileO}, func(f *Facts) { f.ValidCertHandlers = 1 },
			"须至少两名持有效执法证的执法人员（执法证有效的承办人员仅1名）"},
		{"item not in force", []spot{gFileL, sFileO}, func(f *Facts) { f.ItemInForce = false },
			"该事项不在本镇立案之日有效的赋权事项清单内（清单之外无执法），应移送县级主管部门"},
		{"item not a penalty item", []spot{gFileL, sFileO}, func(f *Facts) { f.ItemIsPenalty = false },
			"该事项不属于行政处罚类事项，不能作为行政处罚案件立案"},
		{"limitation (5 years)", []spot{gFileL, sFileO}, func(f *Facts) { f.WithinLimitation = false; f.LimitationYears = 5 },
			"违法行为在5年内未被发现，不再给予行政处罚（行政处罚法第三十六条）"},
		{"limitation (2 years)", []spot{gFileL}, func(f *Facts) { f.WithinLimitation = false },
			"违法行为在2年内未被发现，不再给予行政处罚（行政处罚法第三十六条）"},

		// Transfer.
		{"transfer without receiver", []spot{gTransferR, sTransfer}, func(f *Facts) { f.ReceivingBody = " " },
			"请填写接收移送的县级主管部门或公安机关"},
		{"transfer not proposed", []spot{gTransferR, sTransfer, {General, Lead, headRole, ActTransfer}},
			func(f *Facts) { f.TransferProposed = false }, "承办人员尚未提出移送意见"},

		// Submitting for review.
		{"no evidence", []spot{gSubmit}, func(f *Facts) { f.EvidenceCount = 0 },
			"尚未登记任何证据，违法事实不清、证据不足的不得给予行政处罚"},
		{"no findings", []spot{gSubmit}, func(f *Facts) { f.FactsSummary = "\n" }, "请填写调查终结报告中查明的违法事实"},
		{"no proposal", []spot{gSubmit, gResubmitH}, func(f *Facts) { f.ProposalRecorded = false },
			"请先填写拟处罚意见（处罚种类、幅度、裁量理由）"},
		{"proposal out of range", []spot{gSubmit, gResubmitN}, func(f *Facts) { f.ProposalOutOfRange = "罚款1000元低于法定幅度的下限10000元" },
			"拟处罚：罚款1000元低于法定幅度的下限10000元"},
		{"proposal out of range with mitigation", []spot{gSubmit, gResubmitN},
			func(f *Facts) {
				f.ProposalOutOfRange = "罚款1000元低于法定幅度的下限10000元"
				f.Mitigation = true
			}, ""},
		{"minor's proposal without mitigation", []spot{gSubmit, gResubmitN, gResubmitH}, func(f *Facts) { f.PartyMinor = true },
			MinorMitigation},
		{"minor's proposal with mitigation", []spot{gSubmit, gResubmitN}, func(f *Facts) { f.PartyMinor, f.Mitigation = true, true }, ""},
		{"party not identified", []spot{gSubmit}, func(f *Facts) { f.PartyIdentified = false },
			"请先在“更正当事人和地点”中登记当事人的身份证号码：处罚决定须载明当事人身份（行政处罚法第五十九条），并据以确认其年龄（第三十条）"},
		{"minor not to be penalised needs no mitigation", []spot{gSubmit}, func(f *Facts) { f.PartyMinor, f.ProposalNoPenalty = true, true }, ""},
		{"resubmit before the requested hearing", []spot{gResubmitH}, func(f *Facts) { f.HearingConcluded = false },
			"当事人已申请听证，尚未举行听证"},

		// The review.
		{"reviewer who handled the case", []spot{gPass, gReturn, gFail}, func(f *Facts) { f.ActorID = 2 },
			"法制审核人员不得为本案承办人员"},
		{"reviewer without qualification", []spot{gPass, gReturn, gFail}, func(f *Facts) { f.ReviewerQualified = false },
			"您的法律职业资格证书编号尚未登记，请联系县级管理员"},
		{"checklist not done", []spot{gPass, gReturn, gFail}, func(f *Facts) { f.ChecklistDone = false },
			"请逐项填写审核要点（主体、管辖、事实、证据、定性、依据、程序、裁量）"},
		{"pass without opinion", []spot{gPass}, func(f *Facts) { f.Opinion = " " }, "请填写审核意见"},
		{"return and fail need no opinion text (the reason is it)", []spot{gReturn, gFail}, func(f *Facts) { f.Opinion = "" }, ""},

		// The hearing request.
		{"no hearing right", []spot{gRequest}, func(f *Facts) { f.HearingRight = false }, "拟作出的处罚不属于可以申请听证的范围"},
		{"request before the notice", []spot{gRequest}, func(f *Facts) { f.NoticeServed = false }, "尚未送达行政处罚事先告知书"},
		{"hearing waived", []spot{gRequest}, func(f *Facts) { f.HearingWaived = true }, "当事人已书面明确放弃听证"},
		{"request out of time", []spot{gRequest}, func(f *Facts) { f.HearingRequestInTime = false },
			"听证申请须在告知书送达后5个工作日内提出（行政处罚法第六十四条），请填写当事人提出申请的日期"},
		{"request dated in time though the window closed since", []spot{gRequest},
			func(f *Facts) { f.HearingWindowOpen = false; f.HearingRequestInTime = true }, ""},

		// The review before the head decides.
		{"not reviewed", []spot{gDiscussN, gDiscussD, gDecideN, gDecideH, gDecideD, gDecideDisc, gNoPenH, gNoPenD},
			func(f *Facts) { f.ReviewPassed = false }, "尚未通过法制审核，不得作出决定"},
		{"no reviewer recorded", []spot{gDiscussD, gDecideD, gNoPenD}, func(f *Facts) { f.ReviewerID = 0 }, "未记录法制审核人员"},
		{"reviewed by a handler", []spot{gDiscussN, gDecideDisc, gNoPenH}, func(f *Facts) { f.ReviewerID = 1 },
			"法制审核人员不得为本案承办人员，请重新审核"},
		{"not reviewed after the hearing", []spot{gDecideH, gDecideD}, func(f *Facts) { f.ReviewedAfterHearing = false },
			"听证后须根据听证笔录重新进行法制审核"},
		{"no re-review when the hearing was withdrawn", []spot{gDecideH},
			func(f *Facts) { f.ReviewedAfterHearing = false; f.HearingHeld = false }, ""},

		// Notice, statement, hearing before the decision.
		{"decision without notice", []spot{gDecideN, gDecideD, gDecideDisc}, func(f *Facts) { f.NoticeServed = false },
			"尚未送达行政处罚事先告知书"},
		{"inside the statement period", []spot{gDecideN, gDecideDisc}, func(f *Facts) { f.StatementPeriodOver = false },
			"陈述申辩期限尚未届满，且当事人未书面放弃陈述申辩"},
		{"statement waived in writing", []spot{gDecideN},
			func(f *Facts) { f.StatementPeriodOver = false; f.StatementWaived = true }, ""},
		{"inside the hearing window", []spot{gDecideN, gDecideD},
			func(f *Facts) {
				f.HearingWindowOpen = true
				f.HearingRequested, f.HearingConcluded, f.HearingHeld = false, false, false
			},
			"听证申请期限（告知书送达后5个工作日）尚未届满，且当事人未书面明确放弃听证"},
		{"inside the hearing window, no hearing right", []spot{gDecideN},
			func(f *Facts) {
				f.HearingWindowOpen, f.HearingRight = true, false
				f.HearingRequested, f.HearingConcluded, f.HearingHeld = false, false, false
			}, ""},
		{"hearing requested but not held", []spot{gDiscussN, gDecideH, gNoPenH}, func(f *Facts) { f.HearingConcluded = false },
			"当事人已申请听证，尚未举行听证"},
		{"statements not rechecked", []spot{gDecideH, gDecideD}, func(f *Facts) { f.UnrecheckedStatements = 2 },
			"尚有2条陈述申辩未复核，陈述申辩须复核"},

		// The decision itself.
		{"decision without a penalty", []spot{gDecideD}, func(f *Facts) { f.Decision = []Sanction{{Kind: KindOrder}} },
			"处罚决定须至少包含一种处罚；不予处罚的请使用“不予处罚”"},
		{"decision empty", []spot{gDecideDisc}, func(f *Facts) { f.Decision = nil },
			"处罚决定须至少包含一种处罚；不予处罚的请使用“不予处罚”"},
		{"negative fine", []spot{gDecideD}, func(f *Facts) { f.Decision = []Sanction{{Kind: KindWarning}, {Kind: KindFine, AmountFen: -100}} },
			"罚款金额不能为负数"},
		{"heavier fine than notified", []spot{gDecideH, gDecideD},
			func(f *Facts) {
				f.Notified = []Sanction{{Kind: KindFine, AmountFen: 150000}}
				f.Decision = []Sanction{{Kind: KindFine, AmountFen: 5000000}}
			},
			"罚款50000元高于事先告知的1500元：不得作出比事先告知更重的处罚，须重新提交法制审核并重新告知（行政处罚法第四十五条）"},
		{"decision out of range", []spot{gDecideD, sDecide}, func(f *Facts) { f.DecisionOutOfRange = "罚款低于法定幅度的下限" },
			"罚款低于法定幅度的下限"},
		{"decision out of range with mitigation", []spot{gDecideD, sDecide},
			func(f *Facts) { f.DecisionOutOfRange = "罚款低于法定幅度的下限"; f.Mitigation = true }, ""},
		{"minor's decision without mitigation", []spot{gDecideN, gDecideDisc}, func(f *Facts) { f.PartyMinor = true }, MinorMitigation},
		{"minor's decision on the spot without mitigation", []spot{sDecide}, func(f *Facts) { f.PartyMinor = true }, MinorMitigation},
		{"minor's decision with mitigation", []spot{gDecideD}, func(f *Facts) { f.PartyMinor, f.Mitigation = true, true }, ""},
		{"collective discussion required", []spot{gDecideN, gDecideD},
			func(f *Facts) {
				f.DiscussionRecorded = false
				f.DiscussionRequired = []string{"情节复杂", "拟对公民处以较大数额罚款"}
			},
			"本案须经集体讨论决定（情节复杂、拟对公民处以较大数额罚款），尚未记录集体讨论"},
		{"collective discussion not required", []spot{gDecideD},
			func(f *Facts) { f.DiscussionRecorded = false; f.DiscussionRequired = nil }, ""},
		{"past 90 days", []spot{gDecideDisc, gNoPenD}, func(f *Facts) { f.DecisionOverdue = true },
			"已超过立案之日起90日的决定期限，且未经批准延期"},
		{"past 60 days", []spot{gDecideD, gNoPenH}, func(f *Facts) { f.DecisionOverdue = true; f.DecisionDays = 60 },
			"已超过立案之日起60日的决定期限，且未经批准延期"},

		// No penalty.
		{"no penalty without kind", []spot{gNoPenH, gNoPenD}, func(f *Facts) { f.NoPenaltyKind = "" }, "请选择不予处罚的类型"},
		{"no penalty on a reviewed penalty proposal", []spot{gNoPenD}, func(f *Facts) { f.ReviewedNoPenalty = false },
			"法制审核通过的是拟处罚意见；决定不予处罚的，须将拟处罚意见改为不予处罚并重新提交法制审核（行政处罚法第五十八条）"},
		{"no penalty with unknown kind", []spot{gNoPenD}, func(f *Facts) { f.NoPenaltyKind = "lenient" }, "请选择不予处罚的类型"},
		{"no penalty without education", []spot{gNoPenH, gNoPenD}, func(f *Facts) { f.Education = " " },
			"请记录对当事人进行的教育（行政处罚法第三十三条第三款）"},
		{"first offence after an earlier penalty", []spot{gNoPenD}, func(f *Facts) {
			f.NoPenaltyKind = NoPenaltyFirstOffence
			f.PriorPenalty = "紫毛坝综执罚〔2025〕1号"
		}, "当事人此前已因同一事项被处罚（紫毛坝综执罚〔2025〕1号），不属于初次违法，不能以“初次违法”不予处罚（行政处罚法第三十三条第一款）"},
		{"first offence without education", []spot{gNoPenD}, func(f *Facts) { f.NoPenaltyKind = NoPenaltyFirstOffence; f.Education = "" },
			"请记录对当事人进行的教育（行政处罚法第三十三条第三款）"},
		{"first offence on an item not on the 首违不罚清单", []spot{gNoPenH, gNoPenD},
			func(f *Facts) { f.NoPenaltyKind = NoPenaltyFirstOffence; f.ItemFirstOffenceList = false },
			"该事项未列入首违不罚清单，不能以“初次违法”不予处罚（行政处罚法第三十三条第一款）"},
		{"a minor offence needs no 首违不罚清单", []spot{gNoPenD},
			func(f *Facts) { f.NoPenaltyKind = NoPenaltyMinor; f.ItemFirstOffenceList = false }, ""},
		{"facts not established need no education", []spot{gNoPenD},
			func(f *Facts) { f.NoPenaltyKind = NoPenaltyNotEstablished; f.Education = "" }, ""},

		// Summary decision.
		{"summary: not told on the spot", []spot{sDecide}, func(f *Facts) { f.SpotTold = false },
			"请确认已当场告知当事人违法事实、处罚理由和依据，并听取其陈述申辩（行政处罚法第四十四条、第五十二条）"},
		{"summary: confiscation", []spot{sDecide},
			func(f *Facts) { f.Decision = append(f.Decision, Sanction{Kind: KindConfiscation}) },
			"简易程序只能给予警告或罚款，其他处罚须适用一般程序"},
		{"summary: nothing", []spot{sDecide}, func(f *Facts) { f.Decision = nil }, "简易程序决定须包含警告或罚款"},
		{"summary: above the cap", []spot{sDecide}, func(f *Facts) { f.Decision = []Sanction{{Kind: KindFine, AmountFen: 20001}} },
			"简易程序对公民的罚款不得超过200元（本次拟罚款200.01元），请适用一般程序"},
		{"summary: no review, notice or discussion needed", []spot{sDecide},
			func(f *Facts) {
				f.ReviewPassed, f.NoticeServed, f.StatementPeriodOver, f.DiscussionRecorded = false, false, false, false
				f.DecisionOverdue = true
			}, ""},

		// Service, execution, closing.
		{"serve without proof", []spot{gServe, sServe}, func(f *Facts) { f.ServiceProof = false },
			"请填写送达凭证（送达回证签收情况或电子送达确认书）"},
		{"execute before service", []spot{gExecute, sExecute}, func(f *Facts) { f.DecisionServed = false },
			"处罚决定书尚未送达（无送达回证），不能进入执行"},
		{"fine unpaid", []spot{gCloseO, sCloseL}, func(f *Facts) { f.FineFen, f.PaidFen = 300000, 1250 },
			"罚款尚未缴清（已缴12.50元，应缴3000元），且未申请法院强制执行"},
		{"order not done", []spot{gCloseO, sCloseL}, func(f *Facts) { f.OrderDone = false },
			"责令改正事项尚未履行完毕，且未申请法院强制执行"},
		{"cash not handed in", []spot{gCloseO, sCloseL}, func(f *Facts) { f.CashNotHandedIn = 2 },
			"尚有2笔当场收缴的罚款未交至指定银行"},
		{"applied to court", []spot{gCloseO},
			func(f *Facts) { f.PaidFen, f.OrderDone, f.EnforcementApplied = 0, false, true }, ""},
		{"no fine and no order", []spot{gCloseO},
			func(f *Facts) { f.FineFen, f.PaidFen, f.HasOrder, f.OrderDone = 0, 0, false, false }, ""},
		{"cash not handed in, even after applying to court", []spot{gCloseO},
			func(f *Facts) { f.CashNotHandedIn = 1; f.EnforcementApplied = true }, "尚有1笔当场收缴的罚款未交至指定银行"},
	}
	for _, c := range cases {
		for _, at := range c.at {
			t.Run(c.name+"/"+at.String(), func(t *testing.T) {
				f := base(at.p)
				f.State, f.ActorRole = at.s, at.r
				if _, err := Check(&f, at.a); err != nil {
					t.Fatalf("full facts refused: %s", zhifa.ErrorMessage(err))
				}
				c.edit(&f)
				tr, err := Check(&f, at.a)
				if c.want == "" {
					if err != nil {
						t.Fatalf("refused: %s", zhifa.ErrorMessage(err))
					}
					if tr.Action != at.a {
						t.Fatalf("got %s", tr.Action)
					}
					return
				}
				assertCode(t, err, zhifa.EINVALID)
				want := "不能“" + Find(at.p, at.s, at.a).Label + "”：" + c.want + "。"
				if msg := zhifa.ErrorMessage(err); msg != want {
					t.Errorf("message\n %q\nwant\n %q", msg, want)
				}
			})
		}
	}
}

// TestStatementWaiverKeepsHearingWindow: waiving statement and defence does
// not waive the hearing (APL art. 64); an express hearing waiver does.
func TestStatementWaiverKeepsHearingWindow(t *testing.T) {
	f := full()
	f.State, f.ActorRole = Notice, headRole
	f.StatementPeriodOver, f.StatementWaived = false, true
	f.HearingWaived, f.HearingWindowOpen = false, true
	f.HearingRequested, f.HearingConcluded, f.HearingHeld = false, false, false
	_, err := Check(&f, ActDecide)
	assertCode(t, err, zhifa.EINVALID)
	mustContain(t, err, "听证申请期限（告知书送达后5个工作日）尚未届满，且当事人未书面明确放弃听证")
	if strings.Contains(zhifa.ErrorMessage(err), "陈述申辩期限") {
		t.Errorf("the statement waiver was not honoured: %s", zhifa.ErrorMessage(err))
	}

	f.HearingWaived = true
	if tr, err := Check(&f, ActDecide); err != nil || tr.To != Decided {
		t.Fatalf("hearing waived in writing, yet: %v %s", tr, zhifa.ErrorMessage(err))
	}

	// The hearing waiver alone does not waive the statement period.
	f.StatementWaived = false
	_, err = Check(&f, ActDecide)
	assertCode(t, err, zhifa.EINVALID)
	mustContain(t, err, "陈述申辩期限尚未届满")
	if strings.Contains(zhifa.ErrorMessage(err), "听证申请期限") {
		t.Errorf("hearing waiver ignored: %s", zhifa.ErrorMessage(err))
	}
}

// TestHeavier compares kind by kind (APL art. 45 ¶2).
func TestHeavier(t *testing.T) {
	fine := func(fen int64) Sanction { return Sanction{Kind: KindFine, AmountFen: fen} }
	warning := Sanction{Kind: KindWarning}
	confiscation := Sanction{Kind: KindConfiscation}
	order := Sanction{Kind: KindOrder}
	suspension := Sanction{Kind: KindSuspension}
	cases := []struct {
		name             string
		decision, notice []Sanction
		want             []string
	}{
		{"much heavier fine", []Sanction{fine(5000000)}, []Sanction{fine(150000)}, []string{"罚款50000元高于事先告知的1500元"}},
		{"one fen heavier", []Sanction{fine(150001)}, []Sanction{fine(150000)}, []string{"罚款1500.01元高于事先告知的1500元"}},
		{"confiscation added", []Sanction{fine(150000), confiscation}, []Sanction{fine(150000)}, []string{"“没收”未经事先告知"}},
		{"equal", []Sanction{fine(150000)}, []Sanction{fine(150000)}, nil},
		{"equal, several kinds", []Sanction{warning, fine(150000), confiscation}, []Sanction{confiscation, fine(150000), warning}, nil},
		{"lighter", []Sanction{fine(100000)}, []Sanction{fine(150000)}, nil},
		{"a notified kind dropped", []Sanction{fine(150000)}, []Sanction{fine(150000), warning}, nil},
		{"order added", []Sanction{fine(150000), order}, []Sanction{fine(150000)}, nil},
		{"order dropped", []Sanction{fine(150000)}, []Sanction{fine(150000), order}, nil},
		{"only an order decided", []Sanction{order}, nil, nil},
		{"warning added to a fine", []Sanction{fine(150000), warning}, []Sanction{fine(150000)}, []string{"“警告”未经事先告知"}},
		{"fine added to a warning", []Sanction{warning, fine(10000)}, []Sanction{warning}, []string{"“罚款”未经事先告知"}},
		{"nothing notified", []Sanction{suspension}, nil, []string{"“暂扣许可证件、责令停产停业等”未经事先告知"}},
		{"fines summed, reported once", []Sanction{fine(100000), fine(100000)}, []Sanction{fine(150000)}, []string{"罚款2000元高于事先告知的1500元"}},
		{"notified fines summed", []Sanction{fine(200000)}, []Sanction{fine(100000), fine(100000)}, nil},
		{"kind repeated, reported once", []Sanction{confiscation, confiscation}, []Sanction{fine(1)}, []string{"“没收”未经事先告知"}},
		{"several at once, in decision order", []Sanction{warning, fine(200000), confiscation}, []Sanction{fine(150000)},
			[]string{"“警告”未经事先告知", "罚款2000元高于事先告知的1500元", "“没收”未经事先告知"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Heavier(c.decision, c.notice); !slices.Equal(got, c.want) {
				t.Errorf("Heavier = %q, want %q", got, c.want)
			}
			// And through Check, for the head deciding.
			f := full()
			f.State, f.ActorRole = Deciding, headRole
			f.Decision, f.Notified = c.decision, c.notice
			if !slices.ContainsFunc(c.decision, func(s Sanction) bool { return s.Kind != KindOrder }) {
				return // needSomePenalty refuses regardless
			}
			_, err := Check(&f, ActDecide)
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %s", zhifa.ErrorMessage(err))
				}
				return
			}
			assertCode(t, err, zhifa.EINVALID)
			mustContain(t, err, strings.Join(c.want, "，")+"：不得作出比事先告知更重的处罚")
		})
	}
}

// TestMissingAllAtOnce: every unmet precondition, in order, in one message
// joined by "；".
func TestMissingAllAtOnce(t *testing.T) {
	cases := []struct {
		name string
		at   spot
		edit func(*Facts)
		want string
	}{
		{"filing", gFileL, func(f *Facts) {
			f.Handlers, f.LeadHandler, f.ValidCertHandlers = nil, false, 0
			f.ItemInForce, f.ItemIsPenalty, f.WithinLimitation, f.LimitationYears = false, false, false, 5
		}, "不能“批准立案”：执法人员不得少于两人（目前仅指定0名承办人员）；请指定一名主办人员；" +
			"须至少两名持有效执法证的执法人员（执法证有效的承办人员仅0名）；" +
			"该事项不在本镇立案之日有效的赋权事项清单内（清单之外无执法），应移送县级主管部门；" +
			"该事项不属于行政处罚类事项，不能作为行政处罚案件立案；" +
			"违法行为在5年内未被发现，不再给予行政处罚（行政处罚法第三十六条）。"},
		{"actor, reason and checks", gResubmitH, func(f *Facts) {
			f.ActorIsHandler, f.Reason, f.HearingConcluded, f.ProposalRecorded = false, "", false, false
		}, "不能“重新提交法制审核”：只有本案的承办人员可以进行此操作；请填写重新审核的原因（如听证后、拟加重处罚）；" +
			"当事人已申请听证，尚未举行听证；请先填写拟处罚意见（处罚种类、幅度、裁量理由）。"},
		{"decision", gDecideDisc, func(f *Facts) {
			f.ReviewPassed, f.NoticeServed, f.UnrecheckedStatements, f.DecisionOverdue = false, false, 3, true
			f.DiscussionRecorded = false
		}, "不能“作出处罚决定”：尚未通过法制审核，不得作出决定；尚未送达行政处罚事先告知书；" +
			"尚有3条陈述申辩未复核，陈述申辩须复核；本案须经集体讨论决定（拟对公民处以较大数额罚款），尚未记录集体讨论；" +
			"已超过立案之日起90日的决定期限，且未经批准延期。"},
		{"close", gCloseO, func(f *Facts) { f.PaidFen, f.OrderDone, f.CashNotHandedIn, f.ActorCertValid = 0, false, 1, false },
			"不能“结案”：您的执法证今日不在有效期内，不能从事执法活动（行政处罚法第四十二条）；" +
				"罚款尚未缴清（已缴0元，应缴3000元），且未申请法院强制执行；责令改正事项尚未履行完毕，且未申请法院强制执行；" +
				"尚有1笔当场收缴的罚款未交至指定银行。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base(c.at.p)
			f.State, f.ActorRole = c.at.s, c.at.r
			c.edit(&f)
			_, err := Check(&f, c.at.a)
			assertCode(t, err, zhifa.EINVALID)
			if msg := zhifa.ErrorMessage(err); msg != c.want {
				t.Errorf("message\n %q\nwant\n %q", msg, c.want)
			}
			tr := Find(c.at.p, c.at.s, c.at.a)
			if got, want := len(tr.Missing(&f)), strings.Count(c.want, "；")+1; got != want {
				t.Errorf("Missing lists %d, want %d", got, want)
			}
		})
	}
}

// TestConflicts: wrong state, wrong procedure, suspension.
func TestConflicts(t *testing.T) {
	cases := []struct {
		name string
		at   spot
		edit func(*Facts)
		want string
	}{
		{"decision before review", spot{General, Review, headRole, ActDecide}, nil,
			"案件当前状态为“法制审核”，不能“作出处罚决定”：该操作仅适用于处于“告知”、“听证”、“待决定”、“集体讨论”状态的案件"},
		{"closed case cannot be filed", spot{General, Closed, lead, ActFile}, nil,
			"案件当前状态为“结案”，不能“批准立案”：该操作仅适用于处于“待立案”状态的案件"},
		{"summary decision only when filed", spot{Summary, Lead, officer, ActDecide}, nil,
			"案件当前状态为“待立案”，不能“作出当场处罚决定”：该操作仅适用于处于“已立案”状态的案件"},
		{"no review under the summary procedure", spot{Summary, Review, townRev, ActPassReview}, nil,
			"简易程序案件不能“法制审核通过”：该操作不适用于简易程序"},
		{"suspended", gSubmit, func(f *Facts) { f.Suspended = true }, "案件已中止，请先恢复"},
		{"suspended, leader revoking", gRevoke, func(f *Facts) { f.Suspended = true }, "案件已中止，请先恢复"},
		{"suspended, head transferring", gTransferR, func(f *Facts) { f.Suspended = true }, "案件已中止，请先恢复"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base(c.at.p)
			f.State, f.ActorRole = c.at.s, c.at.r
			if c.edit != nil {
				c.edit(&f)
			}
			_, err := Check(&f, c.at.a)
			assertCode(t, err, zhifa.ECONFLICT)
			if msg := zhifa.ErrorMessage(err); msg != c.want {
				t.Errorf("message\n %q\nwant\n %q", msg, c.want)
			}
		})
	}
	// A wrong role on a suspended case is forbidden, not a conflict.
	f := full()
	f.State, f.ActorRole, f.Suspended = Investigating, townRev, true
	_, err := Check(&f, ActSubmitReview)
	assertCode(t, err, zhifa.EFORBIDDEN)
}

// TestHeadDecides: the general-procedure decision is the head's (APL art.
// 57), named in Chinese in the refusal.
func TestHeadDecides(t *testing.T) {
	f := full()
	f.State, f.ActorRole = Discussion, lead
	_, err := Check(&f, ActDecide)
	assertCode(t, err, zhifa.EFORBIDDEN)
	mustContain(t, err, "您的角色（队长）不能“作出处罚决定”：该操作仅限镇负责人")
	if headRole.Label() != "镇负责人" || !headRole.Valid() || !slices.Contains(zhifa.Roles, headRole) {
		t.Errorf("zhifa.RoleHead: label %q, valid %v, listed %v", headRole.Label(), headRole.Valid(), slices.Contains(zhifa.Roles, headRole))
	}
}

// TestSummaryDecide: the summary-procedure limits (APL art. 51).
func TestSummaryDecide(t *testing.T) {
	fine := func(fen int64) Sanction { return Sanction{Kind: KindFine, AmountFen: fen} }
	cases := []struct {
		name string
		edit func(*Facts)
		want string // "" allowed
	}{
		{"warning only", func(f *Facts) { f.Decision = []Sanction{{Kind: KindWarning}} }, ""},
		{"person at the cap", func(f *Facts) { f.Decision = []Sanction{fine(20000)} }, ""},
		{"person above the cap", func(f *Facts) { f.Decision = []Sanction{fine(20001)} },
			"简易程序对公民的罚款不得超过200元（本次拟罚款200.01元），请适用一般程序"},
		{"person, two fines summed above the cap", func(f *Facts) { f.Decision = []Sanction{fine(10000), fine(10001)} },
			"简易程序对公民的罚款不得超过200元（本次拟罚款200.01元），请适用一般程序"},
		{"organisation at the cap", func(f *Facts) { f.PartyIsOrg = true; f.Decision = []Sanction{fine(300000)} }, ""},
		{"organisation above the cap", func(f *Facts) { f.PartyIsOrg = true; f.Decision = []Sanction{fine(300001)} },
			"简易程序对法人或其他组织的罚款不得超过3000元（本次拟罚款3000.01元），请适用一般程序"},
		{"settings cap below the statute", func(f *Facts) { f.SummaryCapFen = 10000; f.Decision = []Sanction{fine(10001)} },
			"简易程序对公民的罚款不得超过100元（本次拟罚款100.01元），请适用一般程序"},
		{"settings cap honoured", func(f *Facts) { f.SummaryCapFen = 10000; f.Decision = []Sanction{fine(10000)} }, ""},
		{"confiscation", func(f *Facts) { f.Decision = []Sanction{fine(5000), {Kind: KindConfiscation}} },
			"简易程序只能给予警告或罚款，其他处罚须适用一般程序"},
		{"revocation", func(f *Facts) { f.Decision = []Sanction{{Kind: KindWarning}, {Kind: KindRevocation}} },
			"简易程序只能给予警告或罚款，其他处罚须适用一般程序"},
		{"fine with an order", func(f *Facts) { f.Decision = []Sanction{fine(5000), {Kind: KindOrder}} }, ""},
		{"order only", func(f *Facts) { f.Decision = []Sanction{{Kind: KindOrder}} }, "简易程序决定须包含警告或罚款"},
		{"zero fine", func(f *Facts) { f.Decision = []Sanction{fine(0)} }, "简易程序决定须包含警告或罚款"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := summaryFull()
			f.State, f.ActorRole = Filed, officer
			c.edit(&f)
			tr, err := Check(&f, ActDecide)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %s", zhifa.ErrorMessage(err))
				}
				if tr.To != Served { // handed over on the spot
					t.Fatalf("to = %s", tr.To)
				}
				return
			}
			assertCode(t, err, zhifa.EINVALID)
			if msg, want := zhifa.ErrorMessage(err), "不能“作出当场处罚决定”："+c.want+"。"; msg != want {
				t.Errorf("message\n %q\nwant\n %q", msg, want)
			}
		})
	}
	if got := SummaryCap(&Facts{}); got != 20000 {
		t.Errorf("SummaryCap person = %d", got)
	}
	if got := SummaryCap(&Facts{PartyIsOrg: true}); got != 300000 {
		t.Errorf("SummaryCap org = %d", got)
	}
	if got := SummaryCap(&Facts{PartyIsOrg: true, SummaryCapFen: 100000}); got != 100000 {
		t.Errorf("SummaryCap settings = %d", got)
	}
}

func actionsOf(ts []Transition) []Action {
	var out []Action
	for _, t := range ts {
		out = append(out, t.Action)
	}
	return out
}

func TestAvailable(t *testing.T) {
	cases := []struct {
		name string
		p    Procedure
		s    State
		r    zhifa.Role
		edit func(*Facts)
		want []Action
	}{
		{"lead, leader", General, Lead, lead, nil, []Action{ActFile, ActRefuseFiling}},
		{"lead, officer", General, Lead, officer, nil, nil},
		{"lead, head", General, Lead, headRole, nil, []Action{ActTransfer}},
		{"lead, head, transfer not proposed", General, Lead, headRole, func(f *Facts) { f.TransferProposed = false }, nil},
		{"lead, leader, one handler", General, Lead, lead, func(f *Facts) { f.Handlers = []int64{1} }, []Action{ActRefuseFiling}},
		{"investigating, officer", General, Investigating, officer, nil, []Action{ActSubmitReview}},
		{"investigating, officer not a handler", General, Investigating, officer, func(f *Facts) { f.ActorIsHandler = false }, nil},
		{"investigating, leader", General, Investigating, lead, nil, []Action{ActSubmitReview, ActRevoke}},
		{"review, town reviewer", General, Review, townRev, nil, []Action{ActPassReview, ActReturnReview, ActFailReview}},
		{"review, head", General, Review, headRole, nil, []Action{ActTransfer}},
		{"notice, officer", General, Notice, officer, nil, []Action{ActResubmit, ActRequestHearing}},
		{"notice, leader", General, Notice, lead, nil, []Action{ActResubmit, ActRequestHearing, ActToDiscussion}},
		{"notice, head", General, Notice, headRole, nil, []Action{ActDecide, ActNoPenalty, ActTransfer}},
		{"hearing, head, hearing pending", General, Hearing, headRole, func(f *Facts) { f.HearingConcluded = false }, []Action{ActTransfer}},
		{"deciding, head", General, Deciding, headRole, nil, []Action{ActDecide, ActNoPenalty, ActTransfer}},
		{"executing, officer, unpaid", General, Executing, officer, func(f *Facts) { f.PaidFen = 0 }, nil},
		{"closed, leader", General, Closed, lead, nil, []Action{ActArchive}},
		{"archived, leader", General, Archived, lead, nil, nil},
		{"suspended", General, Investigating, lead, func(f *Facts) { f.Suspended = true }, nil},
		{"county admin", General, Lead, admin, nil, nil},
		{"summary lead, officer", Summary, Lead, officer, nil, []Action{ActFile}},
		{"summary filed, officer", Summary, Filed, officer, nil, []Action{ActDecide}},
		{"summary filed, leader", Summary, Filed, lead, nil, []Action{ActDecide, ActRevoke}},
		{"summary filed, head", Summary, Filed, headRole, nil, []Action{ActTransfer}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base(c.p)
			f.State, f.ActorRole = c.s, c.r
			if c.edit != nil {
				c.edit(&f)
			}
			if got := actionsOf(Available(&f)); !slices.Equal(got, c.want) {
				t.Errorf("Available = %v, want %v", got, c.want)
			}
		})
	}
	// Available carries the chosen destination of pass_review.
	f := full()
	f.State, f.ActorRole, f.NoticeNeeded = Review, countyRv, false
	av := Available(&f)
	if len(av) == 0 || av[0].Action != ActPassReview || av[0].To != Deciding {
		t.Errorf("Available = %+v", actionsOf(av))
	}
}

func TestYuan(t *testing.T) {
	for fen, want := range map[int64]string{
		0: "0元", 5: "0.05元", 1250: "12.50元", 300000: "3000元", 20001: "200.01元", -1250: "-12.50元",
		-9223372036854775808: "-92233720368547758.08元",
	} {
		if got := Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %q, want %q", fen, got, want)
		}
	}
}

func TestLabels(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range States {
		if !s.Valid() || s.Label() == string(s) || seen[s.Label()] {
			t.Errorf("state %s label %q", s, s.Label())
		}
		seen[s.Label()] = true
		if s.Open() == s.Terminal() {
			t.Errorf("%s open and terminal", s)
		}
	}
	if Deciding.Label() != "待决定" || State("nope").Label() != "nope" || State("nope").Valid() {
		t.Errorf("state labels")
	}
	var terminal []State
	for _, s := range States {
		if s.Terminal() {
			terminal = append(terminal, s)
		}
	}
	if want := []State{Closed, Archived, NotFiled, NoPenalty, Revoked, Transferred}; !slices.Equal(terminal, want) {
		t.Errorf("terminal = %v", terminal)
	}
	for _, a := range Actions {
		if !a.Valid() || a.Label() == string(a) {
			t.Errorf("action %s has no label", a)
		}
	}
	if Action("delete").Valid() || Action("delete").Label() != "delete" {
		t.Errorf("unknown action")
	}
	for a, want := range map[Action]string{ActResubmit: "重新提交法制审核", ActFailReview: "审核不通过", ActTransfer: "决定移送", ActPassReview: "法制审核通过"} {
		if a.Label() != want {
			t.Errorf("%s label %q, want %q", a, a.Label(), want)
		}
	}
	if General.Label() != "一般程序" || Summary.Label() != "简易程序" || Procedure("x").Valid() || Procedure("x").Label() != "x" {
		t.Errorf("procedure labels")
	}
	for k, want := range map[string]string{KindFine: "罚款", KindWarning: "警告", KindConfiscation: "没收", KindOrder: "责令改正", "x": "x"} {
		if KindLabel(k) != want {
			t.Errorf("KindLabel(%s) = %q", k, KindLabel(k))
		}
	}
	for _, k := range NoPenaltyKinds {
		if NoPenaltyKindLabel(k.Value) == "" || NoPenaltyKindLabel(k.Value) != k.Label {
			t.Errorf("no-penalty kind %s", k.Value)
		}
	}
	if len(NoPenaltyKinds) != 4 || NoPenaltyKindLabel("") != "" || NoPenaltyKindLabel("x") != "" {
		t.Errorf("no-penalty kinds")
	}
}

func TestNilAndBadInput(t *testing.T) {
	if _, err := Check(nil, ActFile); err == nil || zhifa.ErrorCode(err) != zhifa.EINTERNAL {
		t.Errorf("nil facts: %v", err)
	}
	f := full()
	f.State, f.ActorRole, f.Procedure = Lead, lead, "express"
	_, err := Check(&f, ActFile)
	assertCode(t, err, zhifa.EINVALID)
	mustContain(t, err, "案件的程序类型（express）无效")

	f.Procedure = General
	_, err = Check(&f, Action("delete"))
	assertCode(t, err, zhifa.EINVALID)
	mustContain(t, err, "未知的操作（delete）")

	f.ActorRole = ""
	_, err = Check(&f, ActFile)
	assertCode(t, err, zhifa.EFORBIDDEN)
	mustContain(t, err, "您的角色（未指定）不能“批准立案”")
}

// TestFindReturnsCopy: callers cannot edit the table through Find or Check.
func TestFindReturnsCopy(t *testing.T) {
	tr := Find(General, Lead, ActFile)
	tr.To = Archived
	if Find(General, Lead, ActFile).To != Filed {
		t.Fatal("Find exposed the table")
	}
	f := full()
	f.State, f.ActorRole, f.NoticeNeeded = Review, townRev, false
	got, err := Check(&f, ActPassReview)
	if err != nil || got.To != Deciding {
		t.Fatalf("Check = %v, %v", got, err)
	}
	if Find(General, Review, ActPassReview).To != Notice {
		t.Fatal("Check wrote the chosen destination into the table")
	}
	if Find(General, Review, ActFile) != nil || Find(Summary, Review, ActPassReview) != nil {
		t.Fatal("Find returned a row that does not apply")
	}
}
