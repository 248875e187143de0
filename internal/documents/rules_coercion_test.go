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

// The when and defaults rules of the coercion documents and of the other
// steps the workflow added, on cases built by hand.

var coKinds = []doctype.Kind{doctype.DemolitionNotice, doctype.ExecutionDecision, doctype.SeizureExtension,
	doctype.SamplingRecord, doctype.RecusalDecision, doctype.ExtensionApproval}

// coDemolitionCase is decCase executing, its decision ordering the party
// to demolish by 15 September, served on 8 September.
func coDemolitionCase() *cases.Case {
	c := decCase(workflow.Executing)
	c.HasOrder = true
	c.Penalties = append(c.Penalties, cases.Penalty{Kind: workflow.KindOrder, Measure: "限期拆除在林地内违法搭建的彩钢棚。", DueOn: "2025-09-15"})
	c.DecisionServedOn = decPtr(decDay(9, 8))
	return c
}

// coAt is an event recorded at noon on day.
func coAt(id int64, action, reason string, day time.Time) cases.Event {
	return cases.Event{ID: id, At: day.Add(12 * time.Hour), ActorName: "张镇长", Action: action, Reason: reason}
}

func TestEveryCoercionKindHasARule(t *testing.T) {
	full := coDemolitionCase()
	full.DemolitionAnnouncedOn, full.DemolitionDeadline, full.DemolishedOn = decPtr(decDay(9, 16)), decPtr(decDay(9, 30)), decPtr(decDay(10, 9))
	full.Extensions = 1
	full.Events = []cases.Event{coAt(1, "extend", "案情复杂", decDay(9, 2)), coAt(2, "extend_seizure", "需鉴定", decDay(9, 3))}
	for _, k := range coKinds {
		m := doctype.Of(k)
		if m == nil {
			t.Fatalf("%s is not a kind", k)
		}
		if _, ok := rules[k]; !ok {
			t.Errorf("%s has no rule", k)
		}
		if r := rules[k]; r.defaults != nil {
			for name := range r.defaults(testDoc(k, full)) {
				if m.Field(name) == nil {
					t.Errorf("%s: default of unknown field %q", k, name)
				}
			}
		}
	}
	// External ones are numbered under their own code.
	for k, code := range map[doctype.Kind]string{doctype.DemolitionNotice: "拆告", doctype.ExecutionDecision: "强执", doctype.SeizureExtension: "延封扣"} {
		if m := doctype.Of(k); !m.External || m.Code != code || m.Stage == 0 {
			t.Errorf("%s: external %v, code %q", k, m.External, m.Code)
		}
	}
	for _, k := range []doctype.Kind{doctype.SamplingRecord, doctype.RecusalDecision, doctype.ExtensionApproval} {
		if m := doctype.Of(k); m.External || !m.Many || m.Stage != doctype.StageInvestigation {
			t.Errorf("%s: want an internal form of the investigation, one per step", k)
		}
	}
}

func TestDemolitionWhen(t *testing.T) {
	lead := decCase(workflow.Lead)
	lead.Number = nil
	decWant(t, "notice of a lead", decWhen(doctype.DemolitionNotice, lead), "尚未立案")
	noOrder := decCase(workflow.Executing)
	decWant(t, "notice without an order to demolish", decWhen(doctype.DemolitionNotice, noOrder),
		"处罚决定没有责令限期拆除的内容，不适用强制拆除（行政强制法第四十四条），不能制作《强制拆除公告》。")
	decWant(t, "execution without an order to demolish", decWhen(doctype.ExecutionDecision, noOrder), "不能制作《行政强制执行决定书》")

	c := coDemolitionCase()
	decWant(t, "notice before the 公告", decWhen(doctype.DemolitionNotice, c), "尚未公告限期当事人自行拆除：请负责人先在案件页面“公告限期当事人自行拆除”")
	decWant(t, "execution before the 公告", decWhen(doctype.ExecutionDecision, c), "尚未公告限期当事人自行拆除：强制拆除须先公告")

	c.DemolitionAnnouncedOn, c.DemolitionDeadline = decPtr(decDay(9, 16)), decPtr(decDay(9, 30))
	decWant(t, "notice", decWhen(doctype.DemolitionNotice, c), "")
	decWant(t, "execution before the approval", decWhen(doctype.ExecutionDecision, c), "负责人尚未批准强制拆除")

	c.DemolishedOn, c.OrderDoneOn = decPtr(decDay(10, 9)), decPtr(decDay(10, 9))
	c.State = workflow.Closed
	decWant(t, "notice of a closed case", decWhen(doctype.DemolitionNotice, c), "")
	decWant(t, "execution", decWhen(doctype.ExecutionDecision, c), "")
}

func TestExecutionDecisionDefaults(t *testing.T) {
	c := coDemolitionCase()
	c.DemolitionAnnouncedOn, c.DemolitionDeadline, c.DemolishedOn = decPtr(decDay(9, 16)), decPtr(decDay(9, 30)), decPtr(decDay(10, 9))
	c.DemandServedOn = decPtr(decDay(10, 1))
	c.DemolitionItem = "ZY-CX-004 对拒不停止建设或者逾期不拆除的违法建设查封施工现场、强制拆除"
	d := testDoc(doctype.ExecutionDecision, c)
	d.Decision = &Ref{Title: "行政处罚决定书", Number: "紫毛坝综执罚〔2025〕4号"}
	f := rulesOf(doctype.ExecutionDecision).defaults(d)
	for _, want := range []string{
		"本机关于2025年9月5日作出紫毛坝综执罚〔2025〕4号《行政处罚决定书》，责令当事人于2025年9月15日前限期拆除在林地内违法搭建的彩钢棚。",
		"该决定书已于2025年9月8日送达当事人。", "本机关于2025年9月16日予以公告，限当事人于2025年9月30日前自行拆除。",
		"本机关于2025年10月1日向当事人送达履行催告书。", "当事人在法定期限内未申请行政复议，也未提起行政诉讼，经催告仍不履行",
		"依据《中华人民共和国行政强制法》第三十七条、第四十四条和本镇行政执法事项清单所列行政强制事项（ZY-CX-004 ",
	} {
		if !strings.Contains(f["reason"], want) {
			t.Errorf("reason %q\nwant it to say %q", f["reason"], want)
		}
	}
	if want := "强制拆除：由本机关组织执法人员于2025年10月9日对在林地内违法搭建的彩钢棚实施强制拆除。"; !strings.HasPrefix(f["manner"], want) {
		t.Errorf("manner %q, want %q", f["manner"], want)
	}

	// A lawsuit the court decided is told instead.
	c.Remedies = []cases.Remedy{{Kind: "litigation", FiledOn: decDay(10, 9), Outcome: "upheld"}}
	if f := rulesOf(doctype.ExecutionDecision).defaults(testDoc(doctype.ExecutionDecision, c)); !strings.Contains(f["reason"], "当事人于2025年10月9日提起行政诉讼，结果：") ||
		!strings.Contains(f["reason"], "《行政处罚决定书》") {
		t.Errorf("reason with a lawsuit %q", f["reason"])
	}
}

func TestSeizureExtensionRules(t *testing.T) {
	c := testCase(workflow.Investigating)
	wantWhen(t, doctype.SeizureExtension, c, "本案没有查封扣押记录，不能制作延长查封扣押期限通知书。")
	c.Preservations = []cases.Preservation{{ID: 3, Kind: cases.PreservationSeize, StartedOn: testDay(9, 1), Inventory: "三轮车1辆"},
		{ID: 4, Kind: cases.PreservationRegister, StartedOn: testDay(9, 2), Extended: true}}
	wantWhen(t, doctype.SeizureExtension, c, "查封扣押期限未经负责人批准延长：请负责人先在案件页面“批准延长查封扣押期限”")
	c.Preservations[0].Extended = true
	c.Events = []cases.Event{coAt(8, "extend_seizure", "需委托鉴定车辆权属，情况复杂", testDay(9, 20)), coAt(9, "extend", "另一理由", testDay(9, 21))}
	wantWhen(t, doctype.SeizureExtension, c, "")

	d := testDoc(doctype.SeizureExtension, c)
	if f := rulesOf(doctype.SeizureExtension).defaults(d); f["reason"] != "需委托鉴定车辆权属，情况复杂" {
		t.Errorf("reason %q", f["reason"])
	}
	p := ExtendedSeizure(c)
	if p == nil || p.ID != 3 {
		t.Fatalf("extended seizure %+v", p)
	}
	if n, end := d.SeizureExtension(p); n != 30 || !end.Equal(testDay(10, 31)) {
		t.Errorf("extension %d days to %s, want 30 to 2025-10-31", n, end)
	}
	if got := SeizureExtendedOn(c); !got.Equal(testDay(9, 20)) {
		t.Errorf("approved on %s, want 2025-09-20", got)
	}
	// The county's period: the extension is as long as the seizure.
	d.Rules = cases.Rules{"seizure_days": 20}
	if n, end := d.SeizureExtension(p); n != 20 || !end.Equal(testDay(10, 11)) {
		t.Errorf("extension %d days to %s, want 20 to 2025-10-11", n, end)
	}
}

func TestSamplingRules(t *testing.T) {
	c := testCase(workflow.Investigating)
	c.Preservations = []cases.Preservation{{ID: 1, Kind: cases.PreservationSeize, StartedOn: testDay(9, 1)}}
	wantWhen(t, doctype.SamplingRecord, c, "本案没有抽样取证记录，不能制作《抽样取证记录（凭证）》；请先在案件页面“记录抽样取证”（行政处罚法第五十六条）。")
	absent := false
	c.Preservations = append(c.Preservations,
		cases.Preservation{ID: 2, Kind: cases.PreservationSample, StartedOn: testDay(9, 2), Inventory: "焚烧残留物", Quantity: "2袋", KeptAt: "物证室", PartyPresent: &absent},
		cases.Preservation{ID: 5, Kind: cases.PreservationSample, StartedOn: testDay(9, 3), Inventory: "土壤", Quantity: "1袋", KeptAt: "物证室"})
	wantWhen(t, doctype.SamplingRecord, c, "")
	if p := LatestSample(c); p == nil || p.Inventory != "土壤" {
		t.Errorf("latest sample %+v", p)
	}
	if f := defaultsOf(doctype.SamplingRecord, c); f["place"] != "干沙村刘某住宅外" || !strings.Contains(f["method"], "当场封存") {
		t.Errorf("sampling defaults %q", f)
	}
}

func TestRecusalRules(t *testing.T) {
	lead := testLead()
	wantWhen(t, doctype.RecusalDecision, lead, "尚未立案")
	c := testCase(workflow.Investigating)
	wantWhen(t, doctype.RecusalDecision, c, "本案没有回避申请，不能制作回避决定书。")
	c.Recusals = []cases.Recusal{{ID: 1, OfficerName: "李某", RequestedOn: testDay(9, 2), RequestedBy: "当事人", Reason: "系当事人近亲属"}}
	wantWhen(t, doctype.RecusalDecision, c, "回避申请尚未决定：请负责人先在案件页面“作出回避决定”，再制作回避决定书（行政处罚法第四十三条）。")
	yes, no := true, false
	c.Recusals[0].DecidedOn, c.Recusals[0].Granted, c.Recusals[0].Replacement = decPtr(testDay(9, 3)), &yes, "赵某"
	c.Recusals = append(c.Recusals, cases.Recusal{ID: 2, OfficerName: "王某", RequestedOn: testDay(9, 4), RequestedBy: "当事人", Reason: "曾处理过当事人"})
	// A decided one is written down while another waits.
	wantWhen(t, doctype.RecusalDecision, c, "")
	if r := DecidedRecusal(c); r == nil || r.ID != 1 {
		t.Errorf("decided recusal %+v, want the first", r)
	}
	c.Recusals[1].DecidedOn, c.Recusals[1].Granted = decPtr(testDay(9, 5)), &no
	if r := DecidedRecusal(c); r == nil || r.ID != 2 {
		t.Errorf("decided recusal %+v, want the latest", r)
	}
}

func TestExtensionRules(t *testing.T) {
	wantWhen(t, doctype.ExtensionApproval, testLead(), "尚未立案")
	c := testCase(workflow.Investigating)
	wantWhen(t, doctype.ExtensionApproval, c, "负责人尚未批准延长办案期限：请负责人先在案件页面“批准延长办案期限”，再制作延长办案期限审批表（行政处罚法第六十条）。")
	c.Extensions = 1
	c.Events = []cases.Event{coAt(1, "extend", "案情复杂，需补充鉴定。", testDay(11, 20)), coAt(2, "extend_seizure", "需鉴定", testDay(11, 21))}
	c.Deadlines = []deadline.Deadline{{Key: deadline.KeyDecision, Due: testDay(12, 30)}}
	wantWhen(t, doctype.ExtensionApproval, c, "")
	f := defaultsOf(doctype.ExtensionApproval, c)
	if f["reason"] != "案情复杂，需补充鉴定。" || f["team_opinion"] != "本案情况复杂，不能在规定期限内作出处理决定，建议延长办案期限30日。" ||
		f["head_opinion"] != "同意延长办案期限30日。" {
		t.Errorf("extension defaults %q", f)
	}
	if got := DecisionDue(c); !got.Equal(testDay(12, 30)) {
		t.Errorf("decision due %s", got)
	}
	if e := ExtensionEvent(c); e == nil || !EventDay(*e).Equal(time.Date(2025, 11, 20, 0, 0, 0, 0, zhifa.Local)) {
		t.Errorf("extension event %+v", e)
	}
}
