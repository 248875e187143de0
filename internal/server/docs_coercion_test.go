package server_test

import (
	"context"
	"net/url"
	"path"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// The documents of the steps the workflow added, issued over HTTP from
// cases walked to each step: the demolition 公告 and the 行政强制执行决定书
// of a forced demolition, the notice of an extended seizure, the record of
// a sample, the recusal decision and the approval of a longer period to
// decide; each refused, with its reason, before its step is recorded.

// coNumbered wants the issued document at docPath numbered want.
func (a *app) coNumbered(t *testing.T, docPath, want string) {
	t.Helper()
	if got := a.docNumber(t, docPath); got != want {
		t.Errorf("numbered %q, want %q", got, want)
	}
}

// coDecisionNumber is the 文号 of the 行政处罚决定书 issued for the case at
// casePath.
func (a *app) coDecisionNumber(t *testing.T, casePath string) string {
	t.Helper()
	var n string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT number FROM documents WHERE case_id = $1 AND kind = 'decision' ORDER BY id DESC LIMIT 1`,
			path.Base(casePath)).Scan(&n)
	})
	return n
}

// 强制拆除 (AEL arts. 37, 44): the 公告 once the head announced it, the
// decision to enforce once the head approved the demolition.
func TestDemolitionDocuments(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)

	// A decision without an order to demolish has neither.
	plain := a.executingCase(t, p, "1000")
	issueRefused(t, p.officer, plain, "demolition_notice", nil,
		"处罚决定没有责令限期拆除的内容，不适用强制拆除（行政强制法第四十四条），不能制作《强制拆除公告》。")
	issueRefused(t, p.officer, plain, "execution_decision", nil, "不能制作《行政强制执行决定书》。")

	path := a.demolitionOrdered(t, p)
	issueRefused(t, p.officer, path, "demolition_notice", nil,
		"尚未公告限期当事人自行拆除：请负责人先在案件页面“公告限期当事人自行拆除”登记公告日期和期限，再制作《强制拆除公告》（行政强制法第四十四条）。")
	issueRefused(t, p.officer, path, "execution_decision", nil, "尚未公告限期当事人自行拆除：强制拆除须先公告，限期当事人自行拆除（行政强制法第四十四条）。")

	a.gotoDay(t, "2025-09-16")
	mustAct(t, p.head, path, "announce_demolition", url.Values{
		"text":                {"限当事人于2025年9月30日前自行拆除林地内违法搭建的彩钢棚，逾期不拆除的，依法强制拆除。"},
		"demolition_deadline": {"2025-09-30"}})
	decision := a.coDecisionNumber(t, path)
	doc := a.issuedSays(t, p.officer, path, "demolition_notice", nil,
		"强制拆除公告", "紫毛坝综执拆告〔2025〕1号",
		"本机关在办理刘某森林防火期内未经批准擅自在森林防火区内野外用火案中，于2025年9月1日作出"+decision+"《行政处罚决定书》，责令当事人刘某于2025年9月15日前拆除在林地内违法搭建的彩钢棚。该决定书已于2025年9月1日送达当事人。当事人在规定期限内未自行拆除。",
		"限当事人于2025年9月30日前自行拆除林地内违法搭建的彩钢棚，逾期不拆除的，依法强制拆除。",
		"依据《中华人民共和国行政强制法》第四十四条的规定，现予公告：限当事人刘某于2025年9月30日前自行拆除在林地内违法搭建的彩钢棚。",
		"公告期限：自2025年9月16日起至2025年9月30日止。", "特此公告。", "紫阳县毛坝镇人民政府", "2025年9月16日")
	a.coNumbered(t, doc, "紫毛坝综执拆告〔2025〕1号")
	issueRefused(t, p.officer, path, "execution_decision", nil,
		"负责人尚未批准强制拆除：公告期限届满、催告后仍不履行的，请负责人先在案件页面“批准强制拆除”，再制作《行政强制执行决定书》（行政强制法第三十七条、第四十四条）。")

	// After the 公告's deadline, the 催告 and the remedy windows (served
	// Mon 2025-09-01: the lawsuit period ends Mon 2026-03-02).
	a.gotoDay(t, "2025-10-09")
	a.serveDemand(t, p.officer, path, nil)
	a.gotoDay(t, "2026-03-05")
	item, _ := a.coercionItem(t, "2026-03-05", "强制拆除")
	mustAct(t, p.head, path, "force_demolition", url.Values{"coercion_item_id": {itoa(item)},
		"text": {"组织拆除彩钢棚一处，当事人到场，村干部见证，拆除材料清点后交当事人。"}})

	formSays(t, p.officer, path, "execution_decision", "本机关于2025年10月9日向当事人送达履行催告书。")
	doc, page := a.decIssue(t, p.officer, path, "execution_decision", nil)
	a.coNumbered(t, doc, "紫毛坝综执强执〔2026〕1号")
	pageSays(t, page, "行政强制执行决定书", "紫毛坝综执强执〔2026〕1号", "当事人：刘某，女，1970年1月1日出生", "住址：毛坝镇干沙村三组",
		"强制执行的理由和依据： 本机关于2025年9月1日作出"+decision+"《行政处罚决定书》，责令当事人于2025年9月15日前限期拆除在林地内违法搭建的彩钢棚。",
		"本机关于2025年9月16日予以公告，限当事人于2025年9月30日前自行拆除。",
		"当事人在法定期限内未申请行政复议，也未提起行政诉讼，经催告仍不履行，且无正当理由。",
		"依据《中华人民共和国行政强制法》第三十七条、第四十四条和本镇行政执法事项清单所列行政强制事项（ZY-CX-004 ",
		"强制执行的方式和时间： 强制拆除：由本机关组织执法人员于2026年3月5日对在林地内违法搭建的彩钢棚实施强制拆除。",
		"可以在收到本决定书之日起60日内向紫阳县人民政府申请行政复议，或者在6个月内依法向紫阳县人民法院提起行政诉讼。", "2026年3月5日")
	// One of each per case.
	issueRefused(t, p.officer, path, "execution_decision", url.Values{"reason": {"再次"}, "manner": {"再次"}}, "已签发")
}

// AEL art. 25: the seizure's period extended by the head, told to the
// party in writing with the reason.
func TestSeizureExtensionNotice(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	issueRefused(t, p.officer, path, "seizure_extension", nil, "本案没有查封扣押记录，不能制作延长查封扣押期限通知书。")
	item, _ := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	mustAct(t, p.head, path, "preserve", with(url.Values{"kind": {"seize"}, "inventory": {"三轮车1辆（陕G·12345），存放于镇政府院内"},
		"coercion_item_id": {itoa(item)}}, a.seizureOnSpot(t, p.officer, path)))
	issueRefused(t, p.officer, path, "seizure_extension", nil,
		"查封扣押期限未经负责人批准延长：请负责人先在案件页面“批准延长查封扣押期限”，再制作延长查封扣押期限通知书（行政强制法第二十五条）。")
	mustAct(t, p.head, path, "extend_seizure", url.Values{"preservation_id": {a.latestID(path, "case_preservations")}, "reason": {"需委托鉴定车辆权属，情况复杂"}})

	formSays(t, p.officer, path, "seizure_extension", "需委托鉴定车辆权属，情况复杂")
	doc, page := a.decIssue(t, p.officer, path, "seizure_extension", nil)
	a.coNumbered(t, doc, "紫毛坝综执延封扣〔2025〕1号")
	pageSays(t, page, "延长查封扣押期限通知书", "紫毛坝综执延封扣〔2025〕1号", "刘某：",
		"本机关于2025年9月1日对你的下列场所、设施或者财物予以查封（扣押），期限为30日，至2025年10月1日止：", "三轮车1辆（陕G·12345），存放于镇政府院内",
		"延长的理由： 需委托鉴定车辆权属，情况复杂",
		"经本机关负责人于2025年9月1日批准，依据《中华人民共和国行政强制法》第二十五条的规定，本机关决定将上述查封（扣押）的期限延长30日，至2025年10月31日止。",
		"可以在收到本通知书之日起60日内向紫阳县人民政府申请行政复议", "紫阳县毛坝镇人民政府")
}

// APL art. 56: the record of a sample, signed on the spot.
func TestSamplingRecordDocument(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	issueRefused(t, p.officer, path, "sampling_record", nil,
		"本案没有抽样取证记录，不能制作《抽样取证记录（凭证）》；请先在案件页面“记录抽样取证”（行政处罚法第五十六条）。")
	mustAct(t, p.officer, path, "record_sampling", url.Values{"inventory": {"焚烧残留物"}, "quantity": {"2袋，每袋约500克"},
		"kept_at": {"镇综合执法队物证室"}, "party_present": {"absent"}, "witness": {"村委会主任张某"}})

	formSays(t, p.officer, path, "sampling_record", "干沙村刘某住宅外", "当场封存")
	doc, page := a.decIssue(t, p.officer, path, "sampling_record", nil)
	a.coNumbered(t, doc, "")
	pageSays(t, page, "抽样取证记录（凭证）", "抽样日期：2025年9月1日", "抽样地点：干沙村刘某住宅外", "当事人：刘某",
		"在场情况：当事人未到场，见证人村委会主任张某到场", "依据《中华人民共和国行政处罚法》第五十六条的规定",
		"焚烧残留物", "2袋，每袋约500克", "镇综合执法队物证室", "当事人（见证人）签名（捺印）")
}

// APL art. 43: the head's decision on a request for recusal.
func TestRecusalDecisionDocument(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	issueRefused(t, p.officer, path, "recusal_decision", nil, "本案没有回避申请，不能制作回避决定书。")
	o3, leader := a.user("maoba-officer3"), a.user("maoba-leader")
	mustAct(t, p.officer, path, "request_recusal", url.Values{"officer_id": {itoa(o3.ID)}, "requested_by": {"当事人"}, "reason": {"系当事人近亲属"}})
	issueRefused(t, p.officer, path, "recusal_decision", nil,
		"回避申请尚未决定：请负责人先在案件页面“作出回避决定”，再制作回避决定书（行政处罚法第四十三条）。")
	mustAct(t, p.head, path, "decide_recusal", url.Values{"recusal_id": {a.latestID(path, "case_recusals")}, "granted": {"yes"},
		"replacement_id": {itoa(leader.ID)}, "text": {"申请理由成立，准予回避"}})

	doc, page := a.decIssue(t, p.officer, path, "recusal_decision", nil)
	a.coNumbered(t, doc, "")
	pageSays(t, page, "回避决定书", "申请人 当事人刘某", "申请日期 2025年9月1日", "申请回避的人员 "+o3.DisplayName,
		"申请回避的理由 系当事人近亲属", "决定 准予回避", "决定理由 申请理由成立，准予回避", "更换的承办人员 "+leader.DisplayName,
		"《中华人民共和国行政处罚法》第四十三条", "当事人 刘某（610924197001011234）", "决定"+o3.DisplayName+"回避，由"+leader.DisplayName+"承办本案。申请理由成立，准予回避。")
}

// APL art. 60: the approval of a longer period to decide, with the new
// last day.
func TestExtensionApprovalDocument(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	issueRefused(t, p.officer, path, "extension_approval", nil,
		"负责人尚未批准延长办案期限：请负责人先在案件页面“批准延长办案期限”，再制作延长办案期限审批表（行政处罚法第六十条）。")
	mustAct(t, p.head, path, "extend", url.Values{"reason": {"案情复杂，需补充鉴定。"}})

	formSays(t, p.officer, path, "extension_approval", "案情复杂，需补充鉴定。", "同意延长办案期限30日。")
	doc, page := a.decIssue(t, p.officer, path, "extension_approval", nil)
	a.coNumbered(t, doc, "")
	// Filed 2025-09-01: 90 days and 30 more end on Tuesday 2025-12-30.
	pageSays(t, page, "延长办案期限审批表", "立案日期 2025年9月1日", "延长办案期限的理由 案情复杂，需补充鉴定。",
		"延长期限 30日（本案第1次延长）", "延长后作出决定的期限 2025年12月30日", "负责人批准", "于2025年9月1日批准",
		"承办机构意见", "建议延长办案期限30日。", "同意延长办案期限30日。")
}
