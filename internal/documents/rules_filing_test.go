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

// The when and defaults rules of the filing and investigation documents,
// on cases built by hand.

func testDay(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, zhifa.Local) }

// testCase is a filed case of 刘某 under investigation.
func testCase(state workflow.State) *cases.Case {
	no := "紫毛坝综执立〔2025〕1号"
	filed := testDay(9, 1)
	return &cases.Case{ID: 1, State: state, Number: &no, FiledOn: &filed, Source: "patrol",
		PartyKind: "person", PartyName: "刘某", PartyIDNumber: "610924197001011234", PartyAddress: "毛坝镇干沙村三组",
		PlaceVillage: "干沙村", PlaceAddress: "刘某住宅外", ActOn: testDay(8, 20), DiscoveredOn: testDay(8, 25),
		ItemName: "在林区野外用火", Facts: "当事人在住宅外焚烧垃圾，火势蔓延至林地。",
		Officers: []cases.Officer{{UserID: 1, DisplayName: "王某", Lead: true, CertNumber: "61001"}, {UserID: 2, DisplayName: "李某", CertNumber: "61002"}}}
}

// testLead is the same case before filing.
func testLead() *cases.Case {
	c := testCase(workflow.Lead)
	c.Number, c.FiledOn = nil, nil
	return c
}

func testDoc(k doctype.Kind, c *cases.Case) *Doc {
	return &Doc{Kind: k, Meta: doctype.Of(k), Case: c, S: DefaultSettings(), Issuer: "紫阳县毛坝镇人民政府",
		Team: "毛坝镇综合行政执法队", CaseNumber: c.NumberOrLead(), Fields: map[string]string{}}
}

// wantWhen checks the rule of k on c: allowed when want is "", else
// refused with a message containing want.
func wantWhen(t *testing.T, k doctype.Kind, c *cases.Case, want string) {
	t.Helper()
	got := Why(testDoc(k, c))
	switch {
	case want == "" && got != "":
		t.Errorf("%s on %s: refused %q, want allowed", k, c.State, got)
	case want != "" && !strings.Contains(got, want):
		t.Errorf("%s on %s: %q, want a refusal saying %q", k, c.State, got, want)
	}
}

func defaultsOf(k doctype.Kind, c *cases.Case) map[string]string {
	d := testDoc(k, c)
	return rulesOf(k).defaults(d)
}

func TestEveryFilingKindHasARule(t *testing.T) {
	for _, k := range []doctype.Kind{doctype.SourceRegister, doctype.FilingApproval, doctype.NoFilingApproval, doctype.RevokeApproval,
		doctype.TransferLetter, doctype.CrimeTransfer, doctype.Inquiry, doctype.Inspection, doctype.CorrectionOrder,
		doctype.PreserveApproval, doctype.PreserveNotice, doctype.PreserveDecision, doctype.SeizeDecision, doctype.ReleaseDecision,
		doctype.SuspendDecision, doctype.ResumeDecision, doctype.EvidenceNote} {
		if _, ok := rules[k]; !ok {
			t.Errorf("%s has no rule", k)
		}
		// Every default names a field of the kind: a typo would be lost.
		if r := rules[k]; r.defaults != nil {
			for name := range r.defaults(testDoc(k, testCase(workflow.Investigating))) {
				if doctype.Of(k).Field(name) == nil {
					t.Errorf("%s: default of unknown field %q", k, name)
				}
			}
		}
	}
}

func TestFilingRules(t *testing.T) {
	lead := testLead()
	refused := testLead()
	refused.State = workflow.NotFiled
	refused.OutcomeReason = "不属于本镇执法事项清单范围"
	transferredLead := testLead()
	transferredLead.State = workflow.Transferred
	filed := testCase(workflow.Filed)
	investigating := testCase(workflow.Investigating)
	revoked := testCase(workflow.Revoked)
	revoked.OutcomeReason = "违法事实不能成立"
	review := testCase(workflow.Review)

	// The register is made of any case.
	for _, c := range []*cases.Case{lead, refused, filed, review} {
		wantWhen(t, doctype.SourceRegister, c, "")
	}

	wantWhen(t, doctype.FilingApproval, lead, "")
	wantWhen(t, doctype.FilingApproval, filed, "")
	wantWhen(t, doctype.FilingApproval, refused, "本案已决定不予立案，不能制作立案审批表；请制作《不予立案审批表》。")
	wantWhen(t, doctype.FilingApproval, transferredLead, "本案未经立案已移送，不能制作立案审批表。")

	wantWhen(t, doctype.NoFilingApproval, lead, "")
	wantWhen(t, doctype.NoFilingApproval, refused, "")
	wantWhen(t, doctype.NoFilingApproval, filed, "本案当前为“已立案”，只有待立案或已决定不予立案的案件才能制作不予立案审批表。已立案的案件需终止调查的，请制作《撤销立案审批表》。")

	for _, c := range []*cases.Case{filed, investigating, revoked} {
		wantWhen(t, doctype.RevokeApproval, c, "")
	}
	wantWhen(t, doctype.RevokeApproval, lead, "只有已立案、调查取证中或已撤销立案的案件才能制作撤销立案审批表（本案当前为“待立案”）。")
	wantWhen(t, doctype.RevokeApproval, review, "（本案当前为“法制审核”）")

	wantWhen(t, doctype.TransferLetter, investigating, "本案尚未提出移送意见，不能制作案件移送函；请先在案件页提出移送意见。")
	wantWhen(t, doctype.CrimeTransfer, investigating, "本案尚未提出移送意见，不能制作涉嫌犯罪案件移送书")
	proposed := testCase(workflow.Review)
	asked := testDay(9, 3)
	proposed.TransferAsked, proposed.TransferBody = &asked, "紫阳县公安局"
	wantWhen(t, doctype.TransferLetter, proposed, "")
	wantWhen(t, doctype.CrimeTransfer, proposed, "")
	wantWhen(t, doctype.TransferLetter, transferredLead, "")

	// Defaults.
	f := defaultsOf(doctype.FilingApproval, lead)
	if !strings.HasPrefix(f["reason"], lead.Facts) || !strings.Contains(f["reason"], "“在林区野外用火”") || f["team_opinion"] != "建议立案调查。" {
		t.Errorf("filing defaults %q", f)
	}
	if f := defaultsOf(doctype.NoFilingApproval, refused); f["reason"] != "不属于本镇执法事项清单范围" || f["team_opinion"] != "建议不予立案。" {
		t.Errorf("no-filing defaults %q", f)
	}
	if f := defaultsOf(doctype.NoFilingApproval, lead); f["reason"] != "" {
		t.Errorf("a lead's refusal reason is the officer's: %q", f["reason"])
	}
	if f := defaultsOf(doctype.RevokeApproval, revoked); f["reason"] != "违法事实不能成立" || f["team_opinion"] != "建议撤销立案。" {
		t.Errorf("revoke defaults %q", f)
	}
	s := defaultsOf(doctype.SourceRegister, lead)
	if want := "2025年8月25日，经日常巡查发现：刘某于2025年8月20日在干沙村刘某住宅外涉嫌在林区野外用火。\n" + lead.Facts; s["summary"] != want {
		t.Errorf("summary %q, want %q", s["summary"], want)
	}
	if s["handler_opinion"] != "建议立案调查。" {
		t.Errorf("register opinion %q", s["handler_opinion"])
	}
	if s := defaultsOf(doctype.SourceRegister, refused); s["handler_opinion"] != "建议不予立案。" {
		t.Errorf("register opinion of a refused lead %q", s["handler_opinion"])
	}

	proposed.Evidence = []cases.Evidence{{Title: "现场照片", Kind: "scene_record"},
		{Title: "旧照片", Kind: "scene_record", SupersededAt: &asked}, {Title: "询问笔录", Kind: "party_statement"}}
	tl := defaultsOf(doctype.TransferLetter, proposed)
	if tl["materials"] != "1. 案件来源登记表\n2. 现场照片（现场笔录）\n3. 询问笔录（当事人陈述）" || tl["contact"] != "王某" {
		t.Errorf("transfer letter defaults %q", tl)
	}
	ct := defaultsOf(doctype.CrimeTransfer, proposed)
	if !strings.Contains(ct["reason"], "涉嫌构成犯罪") || !strings.HasPrefix(ct["materials"], "1. 涉嫌犯罪案件情况的调查报告\n") {
		t.Errorf("crime transfer defaults %q", ct)
	}
}

func TestInvestigationRules(t *testing.T) {
	lead := testLead()
	refused := testLead()
	refused.State = workflow.NotFiled
	c := testCase(workflow.Investigating)

	// Records: an inquiry once filed; an inspection also of a lead.
	wantWhen(t, doctype.Inquiry, c, "")
	wantWhen(t, doctype.Inquiry, lead, "案件尚未立案，不能制作该文书。")
	wantWhen(t, doctype.Inspection, lead, "")
	wantWhen(t, doctype.Inspection, c, "")
	wantWhen(t, doctype.Inspection, refused, "本案未经立案已不予立案，不能再制作现场检查（勘验）笔录。")

	wantWhen(t, doctype.CorrectionOrder, c, "")
	wantWhen(t, doctype.CorrectionOrder, lead, "案件尚未立案")
	wantWhen(t, doctype.CorrectionOrder, testCase(workflow.Revoked), "本案已撤销立案，不能再责令改正。")

	// Preservation: asked while investigating; the notice and decision
	// need the recorded preservation, the decision its disposal.
	wantWhen(t, doctype.PreserveApproval, c, "")
	wantWhen(t, doctype.PreserveApproval, testCase(workflow.Review), "先行登记保存只能在立案后、调查取证阶段申请（本案当前为“法制审核”）。")
	wantWhen(t, doctype.PreserveNotice, c, "本案没有先行登记保存记录，不能制作先行登记保存证据通知书")
	wantWhen(t, doctype.PreserveDecision, c, "本案没有先行登记保存记录")
	wantWhen(t, doctype.SeizeDecision, c, "本案没有查封扣押记录，不能制作查封扣押决定书")
	wantWhen(t, doctype.ReleaseDecision, c, "本案没有查封扣押记录")
	c.Preservations = []cases.Preservation{
		{ID: 1, Kind: cases.PreservationRegister, StartedOn: testDay(9, 1), Inventory: "打火机1个"},
		{ID: 2, Kind: cases.PreservationSeize, StartedOn: testDay(9, 2), Inventory: "三轮车1辆", Item: "ZY-QZ-001 查封扣押"},
	}
	wantWhen(t, doctype.PreserveNotice, c, "")
	wantWhen(t, doctype.PreserveDecision, c, "先行登记保存的处理决定尚未记录")
	wantWhen(t, doctype.SeizeDecision, c, "")
	wantWhen(t, doctype.ReleaseDecision, c, "查封扣押尚未解除：请先在案件页记录解除查封扣押。")
	review := testCase(workflow.Review)
	review.Preservations = c.Preservations
	wantWhen(t, doctype.PreserveApproval, review, "") // kept with the preservation it approved

	if f := defaultsOf(doctype.PreserveApproval, c); !strings.HasSuffix(f["reason"], "\n打火机1个") || !strings.Contains(f["reason"], "第五十六条") {
		t.Errorf("preserve approval defaults %q", f)
	}
	if f := defaultsOf(doctype.SeizeDecision, c); !strings.Contains(f["basis"], "ZY-QZ-001 查封扣押") || !strings.Contains(f["basis"], "《中华人民共和国行政强制法》") {
		t.Errorf("seize defaults %q", f)
	}
	ended := testDay(9, 5)
	c.Preservations[0].EndedOn, c.Preservations[0].Disposal = &ended, "解除先行登记保存，退还当事人"
	c.Preservations[1].EndedOn, c.Preservations[1].Disposal = &ended, "解除查封，退还三轮车"
	// A later seizure still in force: the release reads the one that ended.
	c.Preservations = append(c.Preservations, cases.Preservation{ID: 3, Kind: cases.PreservationSeize, StartedOn: testDay(9, 6), Inventory: "铁锹1把"})
	wantWhen(t, doctype.PreserveDecision, c, "")
	wantWhen(t, doctype.ReleaseDecision, c, "")
	if p := LatestPreservation(c, cases.PreservationSeize, false); p.ID != 3 {
		t.Errorf("latest seizure %d, want 3", p.ID)
	}
	if f := defaultsOf(doctype.ReleaseDecision, c); f["reason"] != "解除查封，退还三轮车" {
		t.Errorf("release defaults %q", f)
	}
	d := testDoc(doctype.SeizeDecision, c)
	if n, end := d.SeizurePeriod(&c.Preservations[1]); n != 30 || !end.Equal(testDay(10, 2)) {
		t.Errorf("seizure period %d days to %s", n, end)
	}

	// Suspension and resumption.
	wantWhen(t, doctype.SuspendDecision, c, "本案没有中止记录，不能制作中止调查决定书")
	wantWhen(t, doctype.ResumeDecision, c, "本案没有中止记录，不能制作恢复调查决定书。")
	c.Suspensions = []cases.Suspension{{ID: 1, StartedOn: testDay(9, 3), Reason: "等待林木损失鉴定意见"}}
	wantWhen(t, doctype.SuspendDecision, c, "")
	wantWhen(t, doctype.ResumeDecision, c, "本案仍在中止中：请先在案件页恢复案件，再制作恢复调查决定书。")
	resumed := testDay(9, 13)
	c.Suspensions[0].ResumedOn = &resumed
	wantWhen(t, doctype.ResumeDecision, c, "")

	// The evidence note needs a photo or a recording in force.
	c.Evidence = []cases.Evidence{{Title: "询问笔录扫描件", Kind: "party_statement", ContentType: "application/pdf"},
		{Title: "旧照片", Kind: "scene_record", ContentType: "image/jpeg", SupersededAt: &ended}}
	wantWhen(t, doctype.EvidenceNote, c, "本案没有照片或视听资料证据，不能制作证据说明；请先上传照片、录音或录像。")
	c.Evidence = append(c.Evidence, cases.Evidence{Title: "执法记录仪视频", Kind: "audiovisual", ContentType: "application/octet-stream"},
		cases.Evidence{Title: "现场照片", Kind: "scene_record", ContentType: "image/jpeg"})
	wantWhen(t, doctype.EvidenceNote, c, "")
	if m := MediaEvidence(c); len(m) != 2 || m[0].Title != "执法记录仪视频" || m[1].Title != "现场照片" {
		t.Errorf("media evidence %v", m)
	}
	wantWhen(t, doctype.EvidenceNote, lead, "案件尚未立案")

	// The inquiry opens by showing the certificates and telling the rights.
	q := defaultsOf(doctype.Inquiry, c)
	if q["questioners"] != "王某（执法证号：61001）、李某（执法证号：61002）" || q["place"] != "毛坝镇综合行政执法队办公室" ||
		!strings.HasPrefix(q["person"], "当事人：刘某，男，1970年1月1日出生\n") || !strings.HasSuffix(q["person"], "与本案关系：当事人") {
		t.Errorf("inquiry defaults %q", q)
	}
	for _, l := range Paragraphs(q["qa"]) {
		if !strings.HasPrefix(l, "问：") && !strings.HasPrefix(l, "答：") {
			t.Errorf("qa line %q starts with neither 问： nor 答：", l)
		}
	}
	if !strings.Contains(q["qa"], "回避") || !strings.Contains(q["qa"], "如实回答") {
		t.Errorf("the rights are not told: %q", q["qa"])
	}
	if f := defaultsOf(doctype.Inspection, c); f["place"] != "干沙村刘某住宅外" || f["present"] != "当事人刘某在场" {
		t.Errorf("inspection defaults %q", f)
	}

	// The correction order takes the measure of the latest order.
	if f := defaultsOf(doctype.CorrectionOrder, c); f["measure"] != "立即停止违法行为。" || f["due"] != "" {
		t.Errorf("correction defaults without an order %q", f)
	}
	c.ProposedPenalties = []cases.Penalty{{Kind: workflow.KindFine, AmountFen: 100000}, {Kind: workflow.KindOrder, Measure: "补植树木60棵", DueOn: "2025-10-15"}}
	if f := defaultsOf(doctype.CorrectionOrder, c); f["measure"] != "补植树木60棵" || f["due"] != "2025年10月15日前" {
		t.Errorf("correction defaults %q", f)
	}
}
