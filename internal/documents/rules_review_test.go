package documents

import (
	"strings"
	"testing"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// The when, defaults and prepare rules of the review, notice and hearing
// documents, on cases built by hand.

func rvDay(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, zhifa.Local) }

func rvFine(yuan int64) []cases.Penalty {
	return []cases.Penalty{{Kind: workflow.KindFine, AmountFen: yuan * 100}}
}

// rvCase is a filed general-procedure case of 刘某 in state, with the
// proposal recorded (a fine of 2000 yuan).
func rvCase(state workflow.State) *cases.Case {
	no := "紫毛坝综执立〔2025〕3号"
	filed, proposed := rvDay(8, 26), rvDay(8, 29)
	return &cases.Case{ID: 7, State: state, Procedure: workflow.General, Number: &no, FiledOn: &filed,
		PartyKind: "person", PartyName: "刘某", TownName: "毛坝镇", ItemName: "对森林防火期内擅自野外用火的行政处罚",
		Facts: "经查，当事人于2025年8月20日在林地边野外用火。", ProposedOn: &proposed, ProposedPenalties: rvFine(2000),
		ProposalTier: "一般", ProposalReasoning: "未引发火情，按裁量基准一般阶次。",
		Officers: []cases.Officer{{UserID: 1, DisplayName: "王某", Lead: true, CertNumber: "61001"}, {UserID: 2, DisplayName: "李某", CertNumber: "61002"}}}
}

// rvReviewed is rvCase after the review passed on 1 September: waiting
// for the notice.
func rvReviewed() *cases.Case {
	c := rvCase(workflow.Notice)
	by, on, sub := int64(9), rvDay(9, 1), rvDay(8, 30)
	c.ReviewedBy, c.ReviewedOn, c.ReviewSubmittedOn, c.ReviewedPenalties = &by, &on, &sub, c.ProposedPenalties
	c.Reviews = []cases.Review{{ID: 1, ReviewerName: "赵某", Qualification: "A20231234", ReviewedOn: on, Outcome: "passed",
		Checklist: []cases.CheckPoint{{Point: "主体", OK: true}}, Opinion: "同意。", Penalties: c.ProposedPenalties}}
	return c
}

func rvWhen(k doctype.Kind, c *cases.Case) string { return rulesOf(k).when(c) }

func wantWhy(t *testing.T, what, got, want string) {
	t.Helper()
	if want == "" && got != "" {
		t.Errorf("%s: refused (%s), want allowed", what, got)
	}
	if want != "" && !strings.Contains(got, want) {
		t.Errorf("%s: why = %q, want it to say %q", what, got, want)
	}
}

func TestNoticeWhen(t *testing.T) {
	summary := rvReviewed()
	summary.Procedure = workflow.Summary
	lead := rvReviewed()
	lead.Number = nil
	unreviewed := rvCase(workflow.Review)
	noPenalty := rvReviewed()
	noPenalty.ProposalNoPenalty = true
	served := rvReviewed()
	on := rvDay(9, 2)
	served.NoticeServedOn, served.NoticePenalties = &on, served.ReviewedPenalties
	heavier := rvReviewed()
	heavier.NoticeServedOn, heavier.NoticePenalties = &on, rvFine(1000)
	deciding := rvReviewed()
	deciding.State = workflow.Deciding
	empty := rvReviewed()
	empty.ReviewedPenalties = nil
	for _, tc := range []struct {
		name string
		c    *cases.Case
		want string
	}{
		{"reviewed, waiting for the notice", rvReviewed(), ""},
		{"a heavier proposal reviewed again", heavier, ""},
		{"before filing", lead, "案件尚未立案"},
		{"summary procedure", summary, "简易程序案件当场告知"},
		{"before the review", unreviewed, "法制审核尚未通过，不能制作行政处罚事先告知书"},
		{"no penalty proposed", noPenalty, "拟不予行政处罚的案件不制作"},
		{"already served, not heavier", served, "事先告知书已于2025年9月2日送达"},
		{"nothing left to notify", deciding, "“待决定”阶段"},
		{"no reviewed penalty", empty, "没有拟处罚内容"},
	} {
		wantWhy(t, tc.name, rvWhen(doctype.Notice, tc.c), tc.want)
	}
}

// The notice's variant follows the rule the workflow records when it is
// served (APL art. 63): the domain's threshold for this kind of party, or
// a revocation or suspension.
func TestNoticeHearingVariant(t *testing.T) {
	rules := cases.Rules{"hearing_person_fen": 500000, "hearing_org_fen": 10000000}
	org := func(c *cases.Case) *cases.Case { c.PartyKind = "org"; return c }
	with := func(ps []cases.Penalty) *cases.Case { c := rvReviewed(); c.ReviewedPenalties = ps; return c }
	for _, tc := range []struct {
		name  string
		c     *cases.Case
		rules cases.Rules
		want  bool
	}{
		{"person, 3000 yuan", with(rvFine(3000)), rules, false},
		{"person, 5000 yuan: at the threshold", with(rvFine(5000)), rules, true},
		{"person, 20000 yuan", with(rvFine(20000)), rules, true},
		{"organisation, 20000 yuan", org(with(rvFine(20000))), rules, false},
		{"organisation, 100000 yuan", org(with(rvFine(100000))), rules, true},
		{"warning and revocation", with([]cases.Penalty{{Kind: workflow.KindWarning}, {Kind: workflow.KindRevocation, Note: "吊销许可证"}}), rules, true},
		{"suspension", with([]cases.Penalty{{Kind: workflow.KindSuspension, Note: "责令停产停业一个月"}}), rules, true},
		{"no threshold set", with(rvFine(20000)), cases.Rules{}, false},
	} {
		d := &Doc{Kind: doctype.Notice, Meta: doctype.Of(doctype.Notice), Case: tc.c, Rules: tc.rules, Fields: map[string]string{}}
		rulesOf(doctype.Notice).prepare(d)
		if d.Hearing != tc.want {
			t.Errorf("%s: Hearing = %v, want %v", tc.name, d.Hearing, tc.want)
		}
		if got := tc.c.NoticeHearing(tc.rules, false); got != tc.want {
			t.Errorf("%s: NoticeHearing = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !with(rvFine(3000)).NoticeHearing(rules, true) {
		t.Error("a penalty the handlers flag as heavy carries the hearing right")
	}
}

func TestNoticePeriodsFromTheSettings(t *testing.T) {
	d := &Doc{Case: rvReviewed(), Rules: cases.Rules{"statement_working_days": 5, "hearing_request_days": 7}}
	if d.StatementDays() != 5 || d.HearingDays() != 7 {
		t.Errorf("periods = %d, %d; want 5, 7", d.StatementDays(), d.HearingDays())
	}
	d.Rules = nil
	if d.StatementDays() != 3 || d.HearingDays() != 5 {
		t.Errorf("default periods = %d, %d; want 3, 5", d.StatementDays(), d.HearingDays())
	}
}

func TestReviewStageWhen(t *testing.T) {
	investigating := rvCase(workflow.Investigating)
	unproposed := rvCase(workflow.Investigating)
	unproposed.ProposedOn = nil
	discussed := rvReviewed()
	discussed.State = workflow.Discussion
	dOn := rvDay(9, 10)
	discussed.DiscussionOn = &dOn
	summary := rvCase(workflow.Investigating)
	summary.Procedure = workflow.Summary
	for _, tc := range []struct {
		name string
		kind doctype.Kind
		c    *cases.Case
		want string
	}{
		{"report after the proposal", doctype.InvestigationReport, investigating, ""},
		{"report before the proposal", doctype.InvestigationReport, unproposed, "请先在案件页面“填写拟处罚意见”"},
		{"report, summary procedure", doctype.InvestigationReport, summary, "简易程序"},
		{"approval after the proposal", doctype.HandlingApproval, investigating, ""},
		{"approval before the proposal", doctype.HandlingApproval, unproposed, "再制作案件处理审批表"},
		{"review opinion before any review", doctype.ReviewOpinion, investigating, "法制审核尚未完成"},
		{"review opinion after the review", doctype.ReviewOpinion, rvReviewed(), ""},
		{"discussion not recorded", doctype.DiscussionRecord, rvReviewed(), "集体讨论尚未记录"},
		{"discussion recorded", doctype.DiscussionRecord, discussed, ""},
	} {
		wantWhy(t, tc.name, rvWhen(tc.kind, tc.c), tc.want)
	}
}

func TestStatementAndHearingWhen(t *testing.T) {
	noticed := rvReviewed()
	on := rvDay(9, 2)
	noticed.NoticeServedOn, noticed.NoticePenalties = &on, noticed.ReviewedPenalties
	withRight := rvReviewed()
	withRight.NoticeServedOn, withRight.NoticePenalties, withRight.HearingRight = &on, withRight.ReviewedPenalties, true
	requested := *withRight
	requested.State = workflow.Hearing
	req := rvDay(9, 4)
	requested.HearingRequested = &req
	set := requested
	hOn, chair := rvDay(9, 20), int64(12)
	set.HearingOn, set.HearingChair, set.HearingChairName, set.HearingPlace = &hOn, &chair, "钱某", "毛坝镇人民政府会议室"
	held := set
	held.HearingOutcome = cases.HearingHeld
	rechecked := *noticed
	rOn := rvDay(9, 5)
	rechecked.Statements = []cases.Statement{{ID: 1, ReceivedOn: rvDay(9, 3), Content: "我是初犯。", Recheck: "不予采纳。", RecheckedOn: &rOn}}
	pending := *noticed
	pending.Statements = []cases.Statement{{ID: 1, ReceivedOn: rvDay(9, 3), Content: "我是初犯。"}}
	for _, tc := range []struct {
		name string
		kind doctype.Kind
		c    *cases.Case
		want string
	}{
		{"statement before the notice", doctype.StatementRecord, rvReviewed(), "请先送达事先告知书"},
		{"statement after the notice", doctype.StatementRecord, noticed, ""},
		{"recheck with none rechecked", doctype.RecheckOpinion, &pending, "尚无已复核的陈述、申辩"},
		{"recheck done", doctype.RecheckOpinion, &rechecked, ""},
		{"hearing right before the notice", doctype.HearingRightNotice, rvReviewed(), "请先送达行政处罚事先告知书"},
		{"hearing right not given", doctype.HearingRightNotice, noticed, "不属于应当告知听证权利的情形"},
		{"hearing right given", doctype.HearingRightNotice, withRight, ""},
		{"hearing right, already requested", doctype.HearingRightNotice, &requested, "请制作听证通知书"},
		{"hearing notice without a request", doctype.HearingNotice, withRight, "当事人尚未申请听证"},
		{"hearing notice before the date is set", doctype.HearingNotice, &requested, "确定举行听证的日期、地点和主持人"},
		{"hearing notice", doctype.HearingNotice, &set, ""},
		{"hearing record", doctype.HearingRecord, &set, ""},
		{"hearing report before the hearing", doctype.HearingReport, &set, "听证尚未结束"},
		{"hearing report", doctype.HearingReport, &held, ""},
	} {
		wantWhy(t, tc.name, rvWhen(tc.kind, tc.c), tc.want)
	}
}

func TestReportDefaultsFromTheCase(t *testing.T) {
	c := rvReviewed()
	c.MitigationGround = "主动消除违法行为危害后果"
	gone := time.Now()
	c.Evidence = []cases.Evidence{
		{ID: 1, Kind: "scene_record", Title: "现场照片", CollectedOn: rvDay(8, 25), CollectedBy: "王某"},
		{ID: 2, Kind: "documentary", Title: "被替换的照片", CollectedOn: rvDay(8, 25), CollectedBy: "王某", SupersededAt: &gone},
		{ID: 3, Kind: "party_statement", Title: "询问笔录", CollectedOn: rvDay(8, 27), CollectedBy: "李某"},
	}
	on := rvDay(8, 27)
	c.Events = []cases.Event{
		{At: rvDay(8, 25).Add(9 * time.Hour), Action: "create", Summary: "登记案件线索"},
		{At: rvDay(8, 26).Add(9 * time.Hour), Action: "file", Summary: "立案。"},
		{At: rvDay(8, 29).Add(9 * time.Hour), OnDate: &on, Action: "update_facts", Summary: "询问当事人"},
		{At: rvDay(8, 30).Add(9 * time.Hour), Action: "submit_review", Summary: "提交法制审核"},
		{At: rvDay(9, 1).Add(9 * time.Hour), Action: "pass_review", Summary: "法制审核通过"},
	}
	d := &Doc{Kind: doctype.InvestigationReport, Case: c}
	f := rulesOf(doctype.InvestigationReport).defaults(d)
	wantIn := func(field string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(f[field], w) {
				t.Errorf("%s = %q, want it to say %q", field, f[field], w)
			}
		}
	}
	wantIn("course", "2025年8月25日，登记案件线索。", "2025年8月26日，立案。\n", "2025年8月27日，询问当事人。")
	if strings.Contains(f["course"], "法制审核") {
		t.Errorf("course runs past the submission for review: %q", f["course"])
	}
	wantIn("facts", c.Facts)
	wantIn("evidence", "1. 现场照片（现场笔录，2025年8月25日王某收集）", "2. 询问笔录（当事人陈述")
	if strings.Contains(f["evidence"], "被替换") {
		t.Errorf("evidence lists a superseded piece: %q", f["evidence"])
	}
	wantIn("discretion", "适用裁量阶次：一般。", "未引发火情", "从轻、减轻的法定情节：主动消除违法行为危害后果")
	wantIn("proposal", "建议对当事人罚款2000元。")

	n := rulesOf(doctype.Notice).defaults(&Doc{Kind: doctype.Notice, Case: c})
	if n["facts"] != c.Facts || !strings.Contains(n["evidence"], "现场照片") ||
		!strings.Contains(n["reasons"], "“对森林防火期内擅自野外用火的行政处罚”") || !strings.Contains(n["reasons"], "未引发火情") {
		t.Errorf("notice defaults = %q", n)
	}
	a := rulesOf(doctype.HandlingApproval).defaults(&Doc{Case: c})
	if !strings.Contains(a["team_opinion"], "拟对当事人罚款2000元") {
		t.Errorf("approval defaults = %q", a)
	}
}

func TestDiscussionAndHearingDefaults(t *testing.T) {
	c := rvReviewed()
	c.DiscussionParticipants = "镇负责人孙某、执法队长周某、分管副镇长吴某，纪检委员郑某"
	if got := DiscussionParticipants(c); strings.Join(got, "|") != "镇负责人孙某|执法队长周某|分管副镇长吴某|纪检委员郑某" {
		t.Errorf("participants = %q", got)
	}
	v := rulesOf(doctype.DiscussionRecord).defaults(&Doc{Case: c})
	if v["views"] != "镇负责人孙某：\n执法队长周某：\n分管副镇长吴某：\n纪检委员郑某：" {
		t.Errorf("views = %q", v["views"])
	}
	c.Statements = []cases.Statement{{Content: "第一次陈述"}, {Content: "第二次陈述"}}
	s := rulesOf(doctype.StatementRecord).defaults(&Doc{Case: c, Team: "毛坝镇综合行政执法队"})
	if s["content"] != "第二次陈述" || s["place"] != "毛坝镇综合行政执法队办公室" {
		t.Errorf("statement defaults = %q", s)
	}
	c.HearingTranscript = "调查人员陈述事实；当事人申辩。"
	if h := rulesOf(doctype.HearingRecord).defaults(&Doc{Case: c}); h["record"] != c.HearingTranscript {
		t.Errorf("hearing record defaults = %q", h)
	}
	d := &Doc{Kind: doctype.HearingRightNotice, Case: c}
	rulesOf(doctype.HearingRightNotice).prepare(d)
	if !d.Hearing {
		t.Error("a 听证告知书 tells of the hearing right")
	}
}

// The review opinion gives the day of submission even when a return
// cleared it: from the timeline, the last submission before the review.
func TestReviewSubmitted(t *testing.T) {
	c := rvReviewed()
	rv := LatestReview(c)
	if got := ReviewSubmitted(c, rv); got == nil || !got.Equal(rvDay(8, 30)) {
		t.Errorf("submitted = %v, want 2025-08-30", got)
	}
	c.ReviewSubmittedOn = nil
	on := rvDay(8, 28)
	c.Events = []cases.Event{
		{At: rvDay(8, 27).Add(9 * time.Hour), Action: "submit_review"},
		{At: rvDay(8, 28).Add(20 * time.Hour), OnDate: &on, Action: "resubmit_review"},
		{At: rvDay(9, 3).Add(9 * time.Hour), Action: "submit_review"}, // after the review
	}
	if got := ReviewSubmitted(c, rv); got == nil || !got.Equal(on) {
		t.Errorf("submitted = %v, want 2025-08-28", got)
	}
	// Submitted in the morning of the day the review passed.
	c.Events = append(c.Events, cases.Event{At: rvDay(9, 1).Add(8 * time.Hour), Action: "resubmit_review"})
	if got := ReviewSubmitted(c, rv); got == nil || !got.Equal(rvDay(9, 1)) {
		t.Errorf("submitted = %v, want 2025-09-01", got)
	}
	if ReviewOutcome(rv) != "通过" {
		t.Errorf("outcome = %q", ReviewOutcome(rv))
	}
	if PartyYou(c) != "你" {
		t.Error("a person is addressed as 你")
	}
	c.PartyKind = "org"
	if PartyYou(c) != "你单位" {
		t.Error("an organisation is addressed as 你单位")
	}
}
