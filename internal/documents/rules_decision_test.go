package documents

import (
	"strings"
	"testing"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// The when and defaults rules of the decision, service, execution and
// closing documents, on cases built by hand.

func decDay(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, zhifa.Local) }

func decPtr(t time.Time) *time.Time { return &t }

// decCase is a general-procedure case of 刘某 decided on 5 September with a
// fine of 1000 yuan, in state.
func decCase(state workflow.State) *cases.Case {
	no := "紫毛坝综执立〔2025〕3号"
	return &cases.Case{ID: 7, State: state, Procedure: workflow.General, Number: &no, FiledOn: decPtr(decDay(8, 26)),
		PartyKind: "person", PartyName: "刘某", ItemName: "对森林防火期内未经批准擅自在森林防火区内野外用火的行政处罚",
		Facts: "经查，当事人于2025年8月20日在林地边野外用火。", ProposalReasoning: "未引发火情，按裁量基准一般阶次",
		NoticeServedOn: decPtr(decDay(9, 1)), DecidedOn: decPtr(decDay(9, 5)),
		Penalties: []cases.Penalty{{Kind: workflow.KindFine, AmountFen: 100000}}, FineFen: 100000,
		DecisionBasis: "《森林防火条例》第五十条：……"}
}

func decWhen(k doctype.Kind, c *cases.Case) string { return rulesOf(k).when(c) }

func decWant(t *testing.T, what, got, want string) {
	t.Helper()
	if want == "" && got != "" {
		t.Errorf("%s: refused (%s), want allowed", what, got)
	}
	if want != "" && !strings.Contains(got, want) {
		t.Errorf("%s: why = %q, want it to say %q", what, got, want)
	}
}

func TestDecisionWhen(t *testing.T) {
	lead := decCase(workflow.Lead)
	lead.Number = nil
	undecided := decCase(workflow.Deciding)
	undecided.DecidedOn = nil
	summary := decCase(workflow.Served)
	summary.Procedure = workflow.Summary
	noPenalty := decCase(workflow.NoPenalty)
	noPenalty.DecidedOn = nil
	for _, tc := range []struct {
		name string
		c    *cases.Case
		want string
	}{
		{"lead", lead, "尚未立案"},
		{"not yet decided", undecided, "负责人尚未作出处罚决定：请先在案件页面“作出处罚决定”，再制作《行政处罚决定书》。"},
		{"summary", summary, "请制作《当场行政处罚决定书》"},
		{"no penalty", noPenalty, "请制作《不予行政处罚决定书》"},
		{"decided", decCase(workflow.Decided), ""},
		{"served", decCase(workflow.Served), ""},
		{"executing", decCase(workflow.Executing), ""},
	} {
		decWant(t, "decision "+tc.name, decWhen(doctype.Decision, tc.c), tc.want)
		tc.c.MajorReason = "对个人罚款5000元以上"
		decWant(t, "major filing "+tc.name, decWhen(doctype.MajorFiling, tc.c),
			strings.ReplaceAll(strings.ReplaceAll(tc.want, "《行政处罚决定书》", "《重大行政处罚决定备案表》"), "请制作《当场行政处罚决定书》", "不属于重大行政处罚"))
	}
}

// A decision below the county's thresholds has no filing and so no 备案表.
func TestMajorFilingOnlyForMajorDecisions(t *testing.T) {
	decWant(t, "a decision not major", decWhen(doctype.MajorFiling, decCase(workflow.Decided)), "本案处罚决定未达到重大行政处罚标准")
}

func TestNoPenaltyAndSpotWhen(t *testing.T) {
	decWant(t, "no penalty in deciding", decWhen(doctype.NoPenaltyDecision, decCase(workflow.Deciding)),
		"本案未决定不予行政处罚（当前状态：待决定）")
	decWant(t, "no penalty", decWhen(doctype.NoPenaltyDecision, decCase(workflow.NoPenalty)), "")

	decWant(t, "spot of a general case", decWhen(doctype.SpotDecision, decCase(workflow.Decided)), "只用于简易程序")
	spot := decCase(workflow.Filed)
	spot.Procedure, spot.DecidedOn = workflow.Summary, nil
	decWant(t, "spot undecided", decWhen(doctype.SpotDecision, spot), "尚未作出当场处罚决定")
	spot.DecidedOn, spot.State = decPtr(decDay(9, 1)), workflow.Served
	decWant(t, "spot decided", decWhen(doctype.SpotDecision, spot), "")
}

// The decision's boxes come from the case: the facts, the evidence in
// force, what the party said (or did not) and the discretion reasons.
func TestDecisionDefaults(t *testing.T) {
	c := decCase(workflow.Decided)
	c.Evidence = []cases.Evidence{{Kind: "scene_record", Title: "现场照片"}, {Kind: "documentary", Title: "旧照片", SupersededAt: decPtr(decDay(9, 1))},
		{Kind: "party_statement", Title: "询问笔录"}}
	c.MitigationGround = "主动消除违法行为危害后果"
	f := decisionDefaults(&Doc{Case: c})
	for name, want := range map[string]string{
		"facts":     "经查，当事人于2025年8月20日在林地边野外用火。",
		"evidence":  "1.现场照片（现场笔录）；2.询问笔录（当事人陈述）。",
		"statement": "当事人在法定期限内未提出陈述、申辩。",
		"reasons":   "未引发火情，按裁量基准一般阶次。当事人具有从轻、减轻处罚情节：主动消除违法行为危害后果。",
	} {
		if f[name] != want {
			t.Errorf("%s = %q, want %q", name, f[name], want)
		}
	}

	c.StatementWaived, c.HearingRight, c.HearingWaived = true, true, true
	if got, want := statementOutcome(c), "当事人书面表示放弃陈述、申辩的权利，并书面明确放弃听证。"; got != want {
		t.Errorf("waived: %q, want %q", got, want)
	}
	c.StatementWaived, c.HearingWaived = false, false
	if got, want := statementOutcome(c), "当事人在法定期限内未提出陈述、申辩，未要求听证。"; got != want {
		t.Errorf("silent: %q, want %q", got, want)
	}

	// A statement and its recheck; a hearing held. A statement after the
	// decision (after a 催告) is not the decision's.
	c.Statements = []cases.Statement{
		{ReceivedOn: decDay(9, 2), Content: "我不知道是防火期。", Recheck: "理由不成立，不予采纳", RecheckedOn: decPtr(decDay(9, 3))},
		{ReceivedOn: decDay(9, 20), Content: "无力缴纳"},
	}
	c.HearingOutcome, c.HearingHeld = cases.HearingHeld, decPtr(decDay(9, 4))
	got := statementOutcome(c)
	for _, want := range []string{"本机关于2025年9月4日依法举行听证", "当事人于2025年9月2日提出陈述、申辩：我不知道是防火期。经复核，理由不成立，不予采纳。"} {
		if !strings.Contains(got, want) {
			t.Errorf("statement %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "无力缴纳") {
		t.Errorf("statement %q carries what was said after the decision", got)
	}
	c.HearingOutcome, c.Statements = cases.HearingAbsent, nil
	if got := statementOutcome(c); !strings.Contains(got, "当事人申请听证后无正当理由拒不出席（视为放弃听证）。") {
		t.Errorf("absent: %q", got)
	}
}

func TestDeferralWhen(t *testing.T) {
	executing := decCase(workflow.Executing)
	decWant(t, "approval while executing", decWhen(doctype.DeferralApproval, executing), "")
	decWant(t, "approval while served", decWhen(doctype.DeferralApproval, decCase(workflow.Served)), "")
	decWant(t, "approval before service", decWhen(doctype.DeferralApproval, decCase(workflow.Decided)),
		"延期（分期）缴纳罚款在处罚决定书送达后、执行期间申请和审批（当前状态：决定）。")
	warning := decCase(workflow.Executing)
	warning.FineFen, warning.Penalties = 0, []cases.Penalty{{Kind: workflow.KindWarning}}
	decWant(t, "approval without a fine", decWhen(doctype.DeferralApproval, warning), "本案没有罚款，不需要延期（分期）缴纳。")
	paid := decCase(workflow.Executing)
	paid.PaidFen = paid.FineFen
	decWant(t, "approval once paid", decWhen(doctype.DeferralApproval, paid), "罚款已缴清")

	decWant(t, "decision before approval", decWhen(doctype.DeferralDecision, executing), "负责人尚未批准延期（分期）缴纳罚款")
	deferred := decCase(workflow.Executing)
	deferred.DueOverride, deferred.DeferralNote = decPtr(decDay(10, 31)), "当事人经济困难"
	decWant(t, "decision after approval", decWhen(doctype.DeferralDecision, deferred), "")
	decWant(t, "approval form after approval", decWhen(doctype.DeferralApproval, deferred), "")
	f := deferralDefaults(&Doc{Case: deferred})
	if f["reason"] != "当事人经济困难" || !strings.Contains(f["team_opinion"], "建议准予延期至2025年10月31日缴纳。") {
		t.Errorf("deferral defaults %q", f)
	}
	deferred.Instalments = []cases.Instalment{{DueOn: "2025-10-31", AmountFen: 50000}, {DueOn: "2025-11-30", AmountFen: 50000}}
	if got, want := deferralPlan(deferred), "分2期缴纳（2025年10月31日前缴纳500元（大写：伍佰元整），2025年11月30日前缴纳500元（大写：伍佰元整））"; got != want {
		t.Errorf("plan %q, want %q", got, want)
	}
}

// The 催告 comes in execution, once the period to pay is over (AEL art. 35).
func TestDemandWhen(t *testing.T) {
	c := decCase(workflow.Served)
	decWant(t, "served", decWhen(doctype.Demand, c), "履行催告书在案件进入执行阶段后制作（当前状态：送达）。")
	c.State = workflow.Executing
	c.Deadlines = []deadline.Deadline{{Key: deadline.KeyPayment, Due: decDay(9, 16), DaysLeft: 3}}
	decWant(t, "before the due date", decWhen(doctype.Demand, c), "缴纳罚款的期限（2025年9月16日）尚未届满")
	c.Deadlines[0].DaysLeft = 0
	decWant(t, "on the due date", decWhen(doctype.Demand, c), "尚未届满")
	c.Deadlines[0].DaysLeft = -1
	decWant(t, "overdue", decWhen(doctype.Demand, c), "")
	c.PaidFen = c.FineFen
	decWant(t, "paid", decWhen(doctype.Demand, c), "当事人已履行处罚决定，不需要催告。")
	c.HasOrder = true
	decWant(t, "order not done", decWhen(doctype.Demand, c), "")
}

// The court application follows a 催告 served, its statements heard, and
// the window of AEL arts. 53–54.
func TestEnforcementRequestWhen(t *testing.T) {
	c := decCase(workflow.Executing)
	decWant(t, "no demand", decWhen(doctype.EnforcementRequest, c), "尚未送达履行催告书")
	c.DemandServedOn = decPtr(decDay(9, 17))
	c.Deadlines = []deadline.Deadline{{Key: deadline.KeyEnforcement, Note: "催告送达满10个工作日且复议、诉讼期限届满后方可申请（最早2026-03-03）"}}
	decWant(t, "too early", decWhen(doctype.EnforcementRequest, c), "尚不能申请人民法院强制执行：催告送达满10个工作日且复议、诉讼期限届满后方可申请（最早2026-03-03）")
	c.Deadlines[0].Note = ""
	c.Statements = []cases.Statement{{ReceivedOn: decDay(9, 18), Content: "无力缴纳"}}
	decWant(t, "statement unheard", decWhen(doctype.EnforcementRequest, c), "行政强制法第三十六条")
	c.Statements[0].RecheckedOn, c.Statements[0].Recheck = decPtr(decDay(9, 19)), "不属于法定免除情形"
	decWant(t, "ready", decWhen(doctype.EnforcementRequest, c), "")
	f := enforcementDefaults(&Doc{Case: c})
	for _, want := range []string{"本机关于2025年9月17日向被申请人送达履行催告书，催告其在10个工作日内履行义务。",
		"被申请人于2025年9月18日提出陈述、申辩：无力缴纳。经复核，不属于法定免除情形。", "催告期满后仍未履行"} {
		if !strings.Contains(f["statement"], want) {
			t.Errorf("statement %q lacks %q", f["statement"], want)
		}
	}
	c.PaidFen = c.FineFen
	decWant(t, "paid", decWhen(doctype.EnforcementRequest, c), "不需要申请人民法院强制执行")
	c.EnforcementOn, c.State = decPtr(decDay(3, 10)), workflow.Closed
	decWant(t, "applied, closed", decWhen(doctype.EnforcementRequest, c), "")
}

// The 结案审批表 once the case can close, or has ended otherwise.
func TestClosingApproval(t *testing.T) {
	c := decCase(workflow.Executing)
	decWant(t, "unpaid", decWhen(doctype.ClosingApproval, c), "尚不能结案：罚款尚未缴清（已缴0元，应缴1000元），且未申请法院强制执行。")
	decWant(t, "decided", decWhen(doctype.ClosingApproval, decCase(workflow.Decided)), "案件尚未办结（当前状态：决定）")
	c.Payments = []cases.Payment{
		{AmountFen: 60000, PaidOn: decDay(9, 10), ReceiptNo: "SX-1", Kind: cases.PaymentBank, Reversed: true},
		{AmountFen: -60000, PaidOn: decDay(9, 11), Kind: cases.PaymentBank, Reverses: new(int64)},
		{AmountFen: 100000, SurchargeFen: 3000, PaidOn: decDay(9, 18), ReceiptNo: "SX-2", Kind: cases.PaymentBank},
	}
	c.PaidFen, c.DecisionServedOn, c.ServiceMethod = 100000, decPtr(decDay(9, 1)), "直接送达"
	decWant(t, "paid", decWhen(doctype.ClosingApproval, c), "")
	f := closingDefaults(&Doc{Case: c})
	for _, want := range []string{"2025年9月5日作出处罚决定：罚款1000元；2025年9月1日直接送达。",
		"缴纳情况：2025年9月18日缴纳罚款1000元、加处罚款30元，票据号SX-2。", "罚款1000元已全部缴清。"} {
		if !strings.Contains(f["summary"], want) {
			t.Errorf("summary %q lacks %q", f["summary"], want)
		}
	}
	if strings.Contains(f["summary"], "SX-1") {
		t.Errorf("summary %q lists a reversed payment", f["summary"])
	}
	c.Payments = append(c.Payments, cases.Payment{AmountFen: 5000, PaidOn: decDay(9, 18), Kind: cases.PaymentOnSpot})
	decWant(t, "cash not handed in", decWhen(doctype.ClosingApproval, c), "尚有1笔当场收缴的罚款未交至指定银行")

	np := decCase(workflow.NoPenalty)
	np.DecidedOn, np.NoPenaltyKind, np.OutcomeReason, np.Education = nil, workflow.NoPenaltyFirstOffence, "首次违法，已及时改正", "宣讲森林防火条例"
	decWant(t, "no penalty", decWhen(doctype.ClosingApproval, np), "")
	if s := closingDefaults(&Doc{Case: np})["summary"]; !strings.Contains(s, "首违不罚") || !strings.Contains(s, "已对当事人进行教育：宣讲森林防火条例。") {
		t.Errorf("no-penalty summary %q", s)
	}
}

// The 备案表 names why the decision is major.
func TestMajorReasons(t *testing.T) {
	c := decCase(workflow.Decided)
	c.FineFen, c.Penalties = 500000, []cases.Penalty{{Kind: workflow.KindFine, AmountFen: 500000}}
	c.DiscussionOn, c.HearingOutcome = decPtr(decDay(9, 4)), cases.HearingHeld
	got := majorDefaults(&Doc{Case: c, Rules: cases.Rules{"discussion_person_fen": 300000}})["reason"]
	for _, want := range []string{"罚款5000元，达到较大数额罚款（3000元）标准", "经过听证程序", "经本机关负责人集体讨论决定（2025年9月4日）"} {
		if !strings.Contains(got, want) {
			t.Errorf("reason %q lacks %q", got, want)
		}
	}
	if got := majorDefaults(&Doc{Case: decCase(workflow.Decided)})["reason"]; got != "" {
		t.Errorf("an ordinary decision is given a major reason %q", got)
	}
}

func TestConsentWhen(t *testing.T) {
	decWant(t, "open", decWhen(doctype.EServiceConsent, decCase(workflow.Decided)), "")
	decWant(t, "closed", decWhen(doctype.EServiceConsent, decCase(workflow.Closed)), "案件已办结（结案），不再需要确认送达地址。")
	c := decCase(workflow.Decided)
	c.PartyAddress, c.PartyPhone = "毛坝镇干沙村三组", "13800001234"
	f := consentDefaults(&Doc{Case: c})
	if f["address"] != "毛坝镇干沙村三组" || f["channel"] != "手机号码13800001234（短信）" || f["consent"] != "" {
		t.Errorf("consent defaults %q: the party chooses consent itself", f)
	}
}
