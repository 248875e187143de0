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
	allRoles = []zhifa.Role{officer, lead, townRev, countyRv, admin}
)

// full returns Facts under which every precondition of every general
// transition holds; only role, state and procedure then decide.
func full() Facts {
	return Facts{
		Procedure: General,
		Today:     time.Date(2025, 9, 1, 0, 0, 0, 0, zhifa.Local),
		ActorID:   100,

		Handlers:          []int64{1, 2},
		ValidCertHandlers: 2,
		ItemInForce:       true,

		EvidenceCount: 3,
		FactsSummary:  "当事人于2025年8月1日在镇区主街违规占道经营",

		ReviewPassed: true,
		ReviewerID:   50,

		NoticeServed:        true,
		StatementPeriodOver: true,
		HearingRight:        true,
		HearingWindowOpen:   true,
		HearingRequested:    true,
		HearingHeld:         true,
		NotifiedFineFen:     300000,

		DecisionFineFen: 300000,
		DecisionWarning: true,
		SummaryCapFen:   20000,

		FineFen:   300000,
		PaidFen:   300000,
		HasOrder:  true,
		OrderDone: true,

		DecisionServed: true,
		Reason:         "经核查，违法事实不成立",
		ReceivingBody:  "紫阳县自然资源局",
	}
}

// expectation is written out independently of the table on purpose.
type expectation struct {
	from  []State
	to    State
	roles []zhifa.Role
}

var (
	fieldRoles    = []zhifa.Role{officer, lead}
	leaderOnly    = []zhifa.Role{lead}
	reviewerRoles = []zhifa.Role{townRev, countyRv}
)

var wantGeneral = map[Action]expectation{
	ActFile:           {[]State{Lead}, Filed, fieldRoles},
	ActRefuseFiling:   {[]State{Lead}, NotFiled, leaderOnly},
	ActInvestigate:    {[]State{Filed}, Investigating, fieldRoles},
	ActSubmitReview:   {[]State{Investigating}, Review, fieldRoles},
	ActPassReview:     {[]State{Review}, Notice, reviewerRoles},
	ActReturnReview:   {[]State{Review}, Investigating, reviewerRoles},
	ActRequestHearing: {[]State{Notice}, Hearing, fieldRoles},
	ActToDiscussion:   {[]State{Notice, Hearing}, Discussion, leaderOnly},
	ActDecide:         {[]State{Notice, Hearing, Discussion}, Decided, leaderOnly},
	ActNoPenalty:      {[]State{Investigating, Review, Notice, Hearing, Discussion}, NoPenalty, leaderOnly},
	ActRevoke:         {[]State{Filed, Investigating}, Revoked, leaderOnly},
	ActTransfer:       {[]State{Lead, Filed, Investigating}, Transferred, leaderOnly},
	ActServe:          {[]State{Decided}, Served, fieldRoles},
	ActExecute:        {[]State{Served}, Executing, fieldRoles},
	ActClose:          {[]State{Executing}, Closed, fieldRoles},
	ActArchive:        {[]State{Closed}, Archived, leaderOnly},
}

// Summary cases: file, decide on the spot, serve, execute, close, archive;
// transfer and revoke remain possible. Nothing else applies.
var wantSummary = map[Action]expectation{
	ActFile:     {[]State{Lead}, Filed, fieldRoles},
	ActDecide:   {[]State{Filed}, Decided, fieldRoles}, // APL art. 52: officers decide on the spot
	ActRevoke:   {[]State{Filed, Investigating}, Revoked, leaderOnly},
	ActTransfer: {[]State{Lead, Filed, Investigating}, Transferred, leaderOnly},
	ActServe:    {[]State{Decided}, Served, fieldRoles},
	ActExecute:  {[]State{Served}, Executing, fieldRoles},
	ActClose:    {[]State{Executing}, Closed, fieldRoles},
	ActArchive:  {[]State{Closed}, Archived, leaderOnly},
}

func summaryFull() Facts {
	f := full()
	f.Procedure = Summary
	f.DecisionFineFen = 5000
	f.FineFen = 5000
	f.PaidFen = 5000
	return f
}

// TestGrid covers every (state, action, role) under both procedures with all
// preconditions satisfied: allowed, EFORBIDDEN (right state, wrong role) or
// ECONFLICT (wrong state or not in this procedure).
func TestGrid(t *testing.T) {
	for _, pc := range []struct {
		p    Procedure
		base func() Facts
		want map[Action]expectation
	}{{General, full, wantGeneral}, {Summary, summaryFull, wantSummary}} {
		if len(Actions) != 16 || len(States) != 16 {
			t.Fatalf("expected 16 actions and 16 states, got %d and %d", len(Actions), len(States))
		}
		for _, s := range States {
			for _, a := range Actions {
				for _, r := range allRoles {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", pc.p, s, a, r), func(t *testing.T) {
						f := pc.base()
						f.State, f.ActorRole = s, r
						tr, err := Check(&f, a)
						w, ok := pc.want[a]
						switch {
						case !ok || !slices.Contains(w.from, s):
							assertCode(t, err, zhifa.ECONFLICT)
							if tr != nil {
								t.Errorf("transition returned with an error")
							}
						case !slices.Contains(w.roles, r):
							assertCode(t, err, zhifa.EFORBIDDEN)
							if msg := zhifa.ErrorMessage(err); !strings.Contains(msg, "您的角色（"+r.Label()+"）不能") {
								t.Errorf("forbidden message = %q", msg)
							}
						default:
							if err != nil {
								t.Fatalf("refused: %v (%s)", err, zhifa.ErrorMessage(err))
							}
							if tr.Action != a || tr.To != w.to {
								t.Errorf("got %s → %s, want %s → %s", tr.Action, tr.To, a, w.to)
							}
						}
						// Find agrees with Check on the state/procedure dimension.
						if got := Find(pc.p, s, a) != nil; got != (ok && slices.Contains(w.from, s)) {
							t.Errorf("Find = %v", got)
						}
					})
				}
			}
		}
	}
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

// TestTableUnambiguous: at most one row per (procedure, state, action), and
// every row is well formed.
func TestTableUnambiguous(t *testing.T) {
	seen := map[string]bool{}
	for _, tr := range Transitions {
		if tr.Label == "" || !tr.To.Valid() || len(tr.From) == 0 || len(tr.Roles) == 0 || len(tr.Procedures) == 0 || !tr.Action.Valid() {
			t.Errorf("malformed row %+v", tr)
		}
		for _, p := range tr.Procedures {
			for _, s := range tr.From {
				if !s.Valid() {
					t.Errorf("%s: unknown from-state %q", tr.Action, s)
				}
				if s.Terminal() && s != Closed {
					t.Errorf("%s leaves terminal state %s", tr.Action, s)
				}
				k := fmt.Sprint(p, s, tr.Action)
				if seen[k] {
					t.Errorf("two rows for %s", k)
				}
				seen[k] = true
			}
		}
	}
}

// TestSummaryNeverReviewed: summary cases never reach review or notice.
func TestSummaryNeverReviewed(t *testing.T) {
	for _, tr := range Transitions {
		if tr.AppliesTo(Summary) && (tr.To == Review || tr.To == Notice || tr.To == Hearing || tr.To == Discussion) {
			t.Errorf("summary transition %s leads to %s", tr.Action, tr.To)
		}
	}
}

// TestPreconditions: each refusal names what is missing, in Chinese.
func TestPreconditions(t *testing.T) {
	cases := []struct {
		name   string
		state  State
		role   zhifa.Role
		action Action
		edit   func(*Facts)
		code   string
		want   []string // every phrase must appear
	}{
		{"one officer only", Lead, officer, ActFile,
			func(f *Facts) { f.Handlers = []int64{1}; f.ValidCertHandlers = 1 },
			zhifa.EINVALID, []string{"执法人员不得少于两人", "须至少两名持有效执法证的执法人员"}},
		{"same officer twice counts once", Lead, officer, ActFile,
			func(f *Facts) { f.Handlers = []int64{1, 1} },
			zhifa.EINVALID, []string{"执法人员不得少于两人"}},
		{"expired certificate", Lead, officer, ActFile,
			func(f *Facts) { f.ValidCertHandlers = 1 },
			zhifa.EINVALID, []string{"须至少两名持有效执法证的执法人员", "仅1名"}},
		{"item not in force", Lead, lead, ActFile,
			func(f *Facts) { f.ItemInForce = false },
			zhifa.EINVALID, []string{"清单之外无执法"}},
		{"every filing defect at once", Lead, lead, ActFile,
			func(f *Facts) { f.Handlers = nil; f.ValidCertHandlers = 0; f.ItemInForce = false },
			zhifa.EINVALID, []string{"执法人员不得少于两人", "；须至少两名持有效执法证", "；该事项不在本镇", "清单之外无执法"}},
		{"refuse filing without reason", Lead, lead, ActRefuseFiling,
			func(f *Facts) { f.Reason = "  " },
			zhifa.EINVALID, []string{"请填写不予立案的理由"}},
		{"submit review without evidence or findings", Investigating, officer, ActSubmitReview,
			func(f *Facts) { f.EvidenceCount = 0; f.FactsSummary = "" },
			zhifa.EINVALID, []string{"尚未登记任何证据", "调查终结报告"}},
		{"reviewer who handled the case", Review, townRev, ActPassReview,
			func(f *Facts) { f.ActorID = 2 },
			zhifa.EINVALID, []string{"法制审核人员不得为本案承办人员"}},
		{"return review without reason", Review, countyRv, ActReturnReview,
			func(f *Facts) { f.Reason = "" },
			zhifa.EINVALID, []string{"请填写退回补充调查的理由"}},
		{"hearing request out of time", Notice, officer, ActRequestHearing,
			func(f *Facts) { f.HearingWindowOpen = false },
			zhifa.EINVALID, []string{"5日"}},
		{"hearing request without right or notice", Notice, officer, ActRequestHearing,
			func(f *Facts) { f.HearingRight = false; f.NoticeServed = false },
			zhifa.EINVALID, []string{"不属于可以申请听证的范围", "尚未送达行政处罚事先告知书"}},
		{"decision before review (state)", Review, lead, ActDecide, nil,
			zhifa.ECONFLICT, []string{"当前状态为“法制审核”", "“告知”、“听证”、“集体讨论”"}},
		{"decision before review (facts)", Notice, lead, ActDecide,
			func(f *Facts) { f.ReviewPassed = false },
			zhifa.EINVALID, []string{"尚未通过法制审核"}},
		{"decision reviewed by a handler", Discussion, lead, ActDecide,
			func(f *Facts) { f.ReviewerID = 1 },
			zhifa.EINVALID, []string{"法制审核人员不得为本案承办人员"}},
		{"decision without notice", Discussion, lead, ActDecide,
			func(f *Facts) { f.NoticeServed = false },
			zhifa.EINVALID, []string{"尚未送达行政处罚事先告知书"}},
		{"decision inside statement period", Notice, lead, ActDecide,
			func(f *Facts) { f.StatementPeriodOver = false },
			zhifa.EINVALID, []string{"陈述申辩期限尚未届满"}},
		{"statement waived in writing", Notice, lead, ActDecide,
			func(f *Facts) {
				f.StatementPeriodOver = false
				f.StatementWaived = true
				f.HearingRequested, f.HearingHeld = false, false
			},
			"", nil},
		{"decision inside hearing window", Notice, lead, ActDecide,
			func(f *Facts) { f.HearingRequested, f.HearingHeld = false, false },
			zhifa.EINVALID, []string{"听证申请期限"}},
		{"hearing requested but not held", Notice, lead, ActDecide,
			func(f *Facts) { f.HearingHeld = false },
			zhifa.EINVALID, []string{"当事人已申请听证，尚未举行听证"}},
		{"statements not rechecked", Hearing, lead, ActDecide,
			func(f *Facts) { f.UnrecheckedStatements = 2 },
			zhifa.EINVALID, []string{"尚有2条陈述申辩未复核", "陈述申辩须复核"}},
		{"heavier fine than notified", Hearing, lead, ActDecide,
			func(f *Facts) { f.DecisionFineFen = 500000 },
			zhifa.EINVALID, []string{"决定罚款5000元高于事先告知的3000元", "须重新告知"}},
		{"heavier fine after a new notice", Hearing, lead, ActDecide,
			func(f *Facts) { f.DecisionFineFen = 500000; f.NewNoticeServed = true },
			"", nil},
		{"decision without any penalty", Hearing, lead, ActDecide,
			func(f *Facts) { f.DecisionFineFen = 0; f.DecisionWarning = false },
			zhifa.EINVALID, []string{"不予处罚"}},
		{"decision past 90 days", Discussion, lead, ActDecide,
			func(f *Facts) { f.DecisionOverdue = true },
			zhifa.EINVALID, []string{"已超过立案之日起90日的决定期限，且未经批准延期"}},
		{"officer may not decide (general)", Discussion, officer, ActDecide, nil,
			zhifa.EFORBIDDEN, []string{"您的角色（执法队员）不能", "仅限队长"}},
		{"no penalty without reason", Review, lead, ActNoPenalty,
			func(f *Facts) { f.Reason = "" },
			zhifa.EINVALID, []string{"请填写不予处罚的理由"}},
		{"revoke without reason", Investigating, lead, ActRevoke,
			func(f *Facts) { f.Reason = "" },
			zhifa.EINVALID, []string{"请填写撤销立案的理由"}},
		{"transfer without receiver", Lead, lead, ActTransfer,
			func(f *Facts) { f.ReceivingBody = "" },
			zhifa.EINVALID, []string{"接收移送"}},
		{"execute before service", Served, officer, ActExecute,
			func(f *Facts) { f.DecisionServed = false },
			zhifa.EINVALID, []string{"尚未送达"}},
		{"close with fine unpaid", Executing, officer, ActClose,
			func(f *Facts) { f.PaidFen = 1250 },
			zhifa.EINVALID, []string{"罚款尚未缴清（已缴12.50元，应缴3000元）"}},
		{"close with order not done", Executing, officer, ActClose,
			func(f *Facts) { f.OrderDone = false },
			zhifa.EINVALID, []string{"责令改正事项尚未履行完毕"}},
		{"close with both missing", Executing, lead, ActClose,
			func(f *Facts) { f.PaidFen = 0; f.OrderDone = false },
			zhifa.EINVALID, []string{"罚款尚未缴清（已缴0元，应缴3000元）", "；责令改正事项尚未履行完毕"}},
		{"close after applying to court", Executing, officer, ActClose,
			func(f *Facts) { f.PaidFen = 0; f.OrderDone = false; f.EnforcementApplied = true },
			"", nil},
		{"close with no fine and no order", Executing, officer, ActClose,
			func(f *Facts) { f.FineFen, f.PaidFen, f.HasOrder, f.OrderDone = 0, 0, false, false },
			"", nil},
		{"suspended case", Investigating, officer, ActSubmitReview,
			func(f *Facts) { f.Suspended = true },
			zhifa.ECONFLICT, []string{"案件已中止，请先恢复"}},
		{"suspended case, leader revoking", Filed, lead, ActRevoke,
			func(f *Facts) { f.Suspended = true },
			zhifa.ECONFLICT, []string{"案件已中止，请先恢复"}},
		{"closed case cannot be filed", Closed, lead, ActFile, nil,
			zhifa.ECONFLICT, []string{"当前状态为“结案”", "“待立案”"}},
		{"unknown action", Lead, lead, Action("delete"), nil,
			zhifa.EINVALID, []string{"未知的操作"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := full()
			f.State, f.ActorRole = c.state, c.role
			if c.edit != nil {
				c.edit(&f)
			}
			_, err := Check(&f, c.action)
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %s", zhifa.ErrorMessage(err))
				}
				return
			}
			assertCode(t, err, c.code)
			msg := zhifa.ErrorMessage(err)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

// TestSummaryDecide: the summary-procedure limits (APL art. 51).
func TestSummaryDecide(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Facts)
		want []string // nil: allowed
	}{
		{"warning only", func(f *Facts) { f.DecisionFineFen = 0 }, nil},
		{"fine at the cap", func(f *Facts) { f.DecisionFineFen = 20000; f.DecisionWarning = false }, nil},
		{"fine above the cap", func(f *Facts) { f.DecisionFineFen = 20001 },
			[]string{"简易程序", "不得超过200元", "200.01元"}},
		{"organisation, settings cap", func(f *Facts) { f.PartyIsOrg = true; f.SummaryCapFen = 300000; f.DecisionFineFen = 350000 },
			[]string{"简易程序对法人或其他组织的罚款不得超过3000元"}},
		{"organisation, statutory cap when unset", func(f *Facts) { f.PartyIsOrg = true; f.SummaryCapFen = 0; f.DecisionFineFen = 300000 }, nil},
		{"person, statutory cap when unset", func(f *Facts) { f.SummaryCapFen = 0; f.DecisionFineFen = 30000 },
			[]string{"不得超过200元"}},
		{"confiscation", func(f *Facts) { f.DecisionOther = true }, []string{"简易程序只能给予警告或罚款"}},
		{"nothing", func(f *Facts) { f.DecisionFineFen = 0; f.DecisionWarning = false }, []string{"须包含警告或罚款"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := summaryFull()
			f.State, f.ActorRole = Filed, officer
			c.edit(&f)
			tr, err := Check(&f, ActDecide)
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %s", zhifa.ErrorMessage(err))
				}
				if tr.To != Decided {
					t.Fatalf("to = %s", tr.To)
				}
				return
			}
			assertCode(t, err, zhifa.EINVALID)
			for _, w := range c.want {
				if msg := zhifa.ErrorMessage(err); !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}

	// Review actions do not apply to summary cases at all.
	f := summaryFull()
	f.State, f.ActorRole = Review, townRev
	_, err := Check(&f, ActPassReview)
	assertCode(t, err, zhifa.ECONFLICT)
	if msg := zhifa.ErrorMessage(err); !strings.Contains(msg, "不适用于简易程序") {
		t.Errorf("message %q", msg)
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
		{"lead, leader", General, Lead, lead, nil, []Action{ActFile, ActRefuseFiling, ActTransfer}},
		{"lead, officer", General, Lead, officer, nil, []Action{ActFile}},
		{"lead, officer, one handler", General, Lead, officer, func(f *Facts) { f.Handlers = []int64{1} }, nil},
		{"review, town reviewer", General, Review, townRev, nil, []Action{ActPassReview, ActReturnReview}},
		{"review, leader", General, Review, lead, nil, []Action{ActNoPenalty}},
		{"notice, leader", General, Notice, lead, nil, []Action{ActRequestHearing, ActToDiscussion, ActDecide, ActNoPenalty}},
		{"notice, leader, hearing pending", General, Notice, lead, func(f *Facts) { f.HearingHeld = false }, []Action{ActRequestHearing, ActToDiscussion, ActNoPenalty}},
		{"executing, officer, unpaid", General, Executing, officer, func(f *Facts) { f.PaidFen = 0 }, nil},
		{"closed, leader", General, Closed, lead, nil, []Action{ActArchive}},
		{"archived, leader", General, Archived, lead, nil, nil},
		{"suspended", General, Investigating, lead, func(f *Facts) { f.Suspended = true }, nil},
		{"county admin", General, Lead, admin, nil, nil},
		{"summary filed, officer", Summary, Filed, officer, nil, []Action{ActDecide}},
		{"summary filed, leader", Summary, Filed, lead, nil, []Action{ActDecide, ActRevoke, ActTransfer}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := full()
			if c.p == Summary {
				f = summaryFull()
			}
			f.State, f.ActorRole = c.s, c.r
			if c.edit != nil {
				c.edit(&f)
			}
			if got := actionsOf(Available(&f)); !slices.Equal(got, c.want) {
				t.Errorf("Available = %v, want %v", got, c.want)
			}
		})
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
		if a.Label() == string(a) {
			t.Errorf("action %s has no label", a)
		}
	}
	if General.Label() != "一般程序" || Summary.Label() != "简易程序" {
		t.Errorf("procedure labels")
	}
}

func TestNilAndBadInput(t *testing.T) {
	if _, err := Check(nil, ActFile); zhifa.ErrorCode(err) != zhifa.EINTERNAL {
		t.Errorf("nil facts: %v", err)
	}
	f := full()
	f.State, f.ActorRole, f.Procedure = Lead, lead, "express"
	if _, err := Check(&f, ActFile); zhifa.ErrorCode(err) != zhifa.EINVALID {
		t.Errorf("bad procedure: %v", err)
	}
	f.Procedure, f.ActorRole = General, ""
	_, err := Check(&f, ActFile)
	assertCode(t, err, zhifa.EFORBIDDEN)
	if !strings.Contains(zhifa.ErrorMessage(err), "未指定") {
		t.Errorf("empty role message %q", zhifa.ErrorMessage(err))
	}
}

// TestFindReturnsCopy: callers cannot edit the table through Find or Check.
func TestFindReturnsCopy(t *testing.T) {
	tr := Find(General, Lead, ActFile)
	tr.To = Archived
	if Find(General, Lead, ActFile).To != Filed {
		t.Fatal("Find exposed the table")
	}
}
