package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"
)

// The documents of the filing and investigation stages, issued over HTTP
// from cases walked to the state each needs: the issued page shows the
// title, the 文号 of an external document, the party and the officer's
// words; a document the case's state does not allow is refused with the
// reason.

// issuedSays issues kind for the case at path and checks that the issued
// document's page says each of wants; it returns the document's path.
func (a *app) issuedSays(t *testing.T, c *client, path, kind string, fields url.Values, wants ...string) string {
	t.Helper()
	docPath := a.issueDoc(t, c, path, kind, fields)
	page := c.get(docPath)
	wantStatus(t, page, http.StatusOK)
	pageSays(t, page, wants...)
	return docPath
}

// formSays checks that the draft form of kind offers each of wants: the
// defaults the kind derives from the case.
func formSays(t *testing.T, c *client, path, kind string, wants ...string) {
	t.Helper()
	form := c.get(path + "/documents/new/" + kind)
	wantStatus(t, form, http.StatusOK)
	pageSays(t, form, wants...)
}

// issueRefused posts kind with op=issue and checks it is refused (422) with
// each of wants.
func issueRefused(t *testing.T, c *client, path, kind string, fields url.Values, wants ...string) {
	t.Helper()
	res := issue(c, path, kind, fields)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("issuing %s: status %d, want 422: %.600s", kind, res.status, text(res.body))
	}
	pageSays(t, res, wants...)
}

func TestFilingStageDocuments(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)

	// A lead: registered, its filing asked.
	res := p.officer.post("/cases/new", a.caseForm("maoba-officer1", "maoba-officer3"))
	if res.status != http.StatusSeeOther || !caseIDRE.MatchString(res.location) {
		t.Fatalf("registering a lead: status %d: %.600s", res.status, text(res.body))
	}
	lead := res.location
	formSays(t, p.officer, lead, "source_register", "2025年8月25日，经日常巡查发现：刘某于2025年8月20日在干沙村刘某住宅外涉嫌", "建议立案调查。")
	a.issuedSays(t, p.officer, lead, "source_register",
		url.Values{"summary": {"巡查发现干沙村有人焚烧垃圾（登记摘要）"}, "informant": {"张某 13900000000"}},
		"案件来源登记表", "案号：（待立案）", "刘某", "巡查发现干沙村有人焚烧垃圾（登记摘要）", "张某 13900000000", "负责人意见")
	issueRefused(t, p.officer, lead, "revoke_approval", nil,
		"只有已立案、调查取证中或已撤销立案的案件才能制作撤销立案审批表（本案当前为“待立案”）。")
	issueRefused(t, p.officer, lead, "transfer_letter", nil, "本案尚未提出移送意见，不能制作案件移送函；请先在案件页提出移送意见。")
	// The approval is printed for the leader while the lead waits.
	formSays(t, p.officer, lead, "filing_approval", "当事人在住宅外焚烧垃圾，火势蔓延至林地。", "第三十六条规定的期限内", "建议立案调查。")
	a.issuedSays(t, p.officer, lead, "filing_approval", url.Values{"reason": {"当事人焚烧垃圾引发林地火情（立案理由）"}, "team_opinion": {"同意立案调查（承办机构）"}},
		"立案审批表", "案由 刘某", "当事人焚烧垃圾引发林地火情（立案理由）", "同意立案调查（承办机构）", "负责人审批意见",
		"《中华人民共和国行政处罚法》第五十四条")

	// Filed, a refusal of filing is no longer the form: revocation is.
	mustAct(t, p.leader, lead, "file", confirmed)
	issueRefused(t, p.officer, lead, "no_filing_approval", nil,
		"本案当前为“已立案”，只有待立案或已决定不予立案的案件才能制作不予立案审批表。已立案的案件需终止调查的，请制作《撤销立案审批表》。")
	formSays(t, p.officer, lead, "revoke_approval", "建议撤销立案。")
	a.issuedSays(t, p.officer, lead, "revoke_approval", url.Values{"reason": {"经核查，火源系雷击所致（撤销理由）"}},
		"撤销立案审批表", "刘某", "立案日期 2025年9月1日", "经核查，火源系雷击所致（撤销理由）")

	// A refused lead: its refusal is the form's default reason.
	refusedLead := p.officer.post("/cases/new", a.caseForm("maoba-officer1", "maoba-officer3")).location
	mustAct(t, p.leader, refusedLead, "refuse_filing", url.Values{"reason": {"不属于本镇执法事项清单范围"}})
	formSays(t, p.officer, refusedLead, "no_filing_approval", "不属于本镇执法事项清单范围", "建议不予立案。")
	a.issuedSays(t, p.officer, refusedLead, "no_filing_approval", url.Values{"reason": {"不属于本镇执法事项清单范围（不予立案理由）"}},
		"不予立案审批表", "刘某", "不属于本镇执法事项清单范围（不予立案理由）")
	issueRefused(t, p.officer, refusedLead, "filing_approval", nil, "本案已决定不予立案，不能制作立案审批表；请制作《不予立案审批表》。")
	if draft := p.officer.get(refusedLead + "/documents/new/no_filing_approval/preview"); draft.status != http.StatusOK {
		t.Errorf("preview of a refusal: status %d", draft.status)
	} else {
		pageSays(t, draft, "不属于本镇执法事项清单范围") // the outcome is the default reason
	}

	// Transfers: once proposed, the letters go to the receiving body.
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	mustAct(t, p.officer, path, "propose_transfer", url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"火灾过火面积较大，涉嫌失火罪"}})
	a.issuedSays(t, p.officer, path, "transfer_letter", url.Values{"materials": {"1. 现场检查笔录（移送材料）"}, "contact": {"王某 0915-1234567"}},
		"案件移送函", "紫毛坝综执移〔2025〕1号", "紫阳县公安局：", "刘某", "1. 现场检查笔录（移送材料）", "王某 0915-1234567",
		"《中华人民共和国行政处罚法》第二十二条", "回 执")
	formSays(t, p.officer, path, "crime_transfer", "涉嫌构成犯罪，依法需要追究刑事责任", "1. 涉嫌犯罪案件情况的调查报告")
	a.issuedSays(t, p.officer, path, "crime_transfer", url.Values{"reason": {"过火林地面积约5亩（涉嫌犯罪事实）"}},
		"涉嫌犯罪案件移送书", "紫毛坝综执刑移〔2025〕1号", "紫阳县公安局：", "刘某", "过火林地面积约5亩（涉嫌犯罪事实）",
		"《行政执法机关移送涉嫌犯罪案件的规定》第三条", "回 执")
}

func TestInvestigationStageDocuments(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	issueRefused(t, p.officer, path, "evidence_note", nil, "本案没有照片或视听资料证据，不能制作证据说明；请先上传照片、录音或录像。")
	mustAct(t, p.officer, path, "investigate", nil)

	// Records.
	formSays(t, p.officer, path, "inquiry", "当事人：刘某", "与本案关系：当事人", "问：我们是", "你有权申请执法人员回避")
	a.issuedSays(t, p.officer, path, "inquiry", url.Values{"start": {"2025年9月1日9时30分"}, "end": {"2025年9月1日10时15分"},
		"person": {"刘某，男，住毛坝镇干沙村三组（被询问人）"},
		"qa":     {"问：请讲一下事情经过。\n答：我在屋外烧垃圾，风大把火吹到林子里了。"}},
		"询问笔录", "2025年9月1日9时30分", "2025年9月1日10时15分", "被询问人：刘某，男，住毛坝镇干沙村三组（被询问人）", "答：我在屋外烧垃圾，风大把火吹到林子里了。",
		"以上笔录我看过，与我说的相符", "被询问人签名（捺印）", "第五十五条")
	formSays(t, p.officer, path, "inspection", "干沙村刘某住宅外", "当事人刘某在场", "出示执法证件")
	a.issuedSays(t, p.officer, path, "inspection", url.Values{"start": {"2025年8月25日14时"}, "end": {"2025年8月25日15时"},
		"place": {"干沙村三组林地边"}, "record": {"现场过火面积约200平方米，地面有焚烧残留物。"}},
		"现场检查（勘验）笔录", "检查（勘验）地点：干沙村三组林地边", "当事人：刘某", "现场过火面积约200平方米，地面有焚烧残留物。", "以上笔录我看过，与现场检查情况相符")
	a.issuedSays(t, p.officer, path, "correction_order", url.Values{"measure": {"立即清理火灾现场，补植树木60棵。"}, "due": {"2025年9月30日前"}},
		"责令（限期）改正通知书", "紫毛坝综执责改〔2025〕1号", "刘某：", "立即清理火灾现场，补植树木60棵。", "改正期限：2025年9月30日前。",
		"《中华人民共和国行政处罚法》第二十八条第一款", "紫阳县人民政府申请行政复议")

	// 先行登记保存: the approval, then the notice with its 清单 once the head
	// approved it, and its disposal.
	a.issuedSays(t, p.officer, path, "preserve_approval", url.Values{"reason": {"打火机可能被丢弃（保存理由）"}},
		"先行登记保存证据审批表", "打火机可能被丢弃（保存理由）", "第五十六条")
	issueRefused(t, p.officer, path, "preserve_notice", nil, "本案没有先行登记保存记录，不能制作先行登记保存证据通知书")
	mustAct(t, p.head, path, "preserve", url.Values{"kind": {"preserve"}, "inventory": {"打火机1个、未燃尽的垃圾袋2个，存放于镇综合执法队物证室"}})
	a.issuedSays(t, p.officer, path, "preserve_notice", nil,
		"先行登记保存证据通知书", "紫毛坝综执登保〔2025〕1号", "刘某：", "先行登记保存证据清单", "打火机1个、未燃尽的垃圾袋2个，存放于镇综合执法队物证室",
		"自2025年9月1日起")
	issueRefused(t, p.officer, path, "preserve_decision", nil, "先行登记保存的处理决定尚未记录")
	preserved := a.rowIDs(t, "case_preservations", path)[0]
	mustAct(t, p.officer, path, "end_preservation", url.Values{"preservation_id": {preserved}, "disposal": {"解除先行登记保存，退还当事人"}})
	a.issuedSays(t, p.officer, path, "preserve_decision", nil,
		"先行登记保存证据处理决定书", "紫毛坝综执登保处〔2025〕1号", "刘某：", "解除先行登记保存，退还当事人", "申请行政复议")

	// 查封扣押: the decision with its period and 清单, then the release.
	issueRefused(t, p.officer, path, "seize_decision", nil, "本案没有查封扣押记录，不能制作查封扣押决定书")
	seizeItem, seizeCode := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	mustAct(t, p.head, path, "preserve", with(url.Values{"kind": {"seize"}, "inventory": {"三轮车1辆（陕G·12345），存放于镇政府院内"},
		"coercion_item_id": {itoa(seizeItem)}}, a.seizureOnSpot(t, p.officer, path)))
	formSays(t, p.officer, path, "seize_decision", "《中华人民共和国行政强制法》第九条、第二十二条、第二十四条", "行政强制事项："+seizeCode)
	a.issuedSays(t, p.officer, path, "seize_decision", url.Values{"reason": {"三轮车系运送可燃物的工具（查封理由）"}},
		"查封扣押决定书", "紫毛坝综执封扣〔2025〕1号", "刘某", "三轮车系运送可燃物的工具（查封理由）", "三轮车1辆（陕G·12345）",
		"查封、扣押的期限为30日，自2025年9月1日起至2025年10月1日止", "查封扣押清单", "一式二份", "申请行政复议")
	issueRefused(t, p.officer, path, "release_decision", nil, "查封扣押尚未解除：请先在案件页记录解除查封扣押。")
	seized := a.rowIDs(t, "case_preservations", path)[1]
	mustAct(t, p.officer, path, "end_preservation", url.Values{"preservation_id": {seized}, "disposal": {"解除查封，退还三轮车"}})
	formSays(t, p.officer, path, "release_decision", "解除查封，退还三轮车")
	a.issuedSays(t, p.officer, path, "release_decision", url.Values{"reason": {"车辆与违法行为无关（解除理由）"}},
		"解除查封扣押决定书", "紫毛坝综执解封扣〔2025〕1号", "刘某：", "车辆与违法行为无关（解除理由）", "三轮车1辆（陕G·12345）", "《中华人民共和国行政强制法》第二十八条")

	// The evidence note lists the photo with its hash.
	photo := p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "火灾现场照片", "collected_on": "2025-08-25"}, "fire.jpg", jpegBytes)
	wantStatus(t, photo, http.StatusSeeOther)
	sum := sha256.Sum256(jpegBytes)
	a.issuedSays(t, p.officer, path, "evidence_note", url.Values{"shows": {"照片反映过火林地的范围（证明内容）"}},
		"证据说明", "火灾现场照片", "fire.jpg", hex.EncodeToString(sum[:]), "2025年8月25日", "照片反映过火林地的范围（证明内容）")

	// Suspension and resumption.
	issueRefused(t, p.officer, path, "suspend_decision", nil, "本案没有中止记录，不能制作中止调查决定书")
	mustAct(t, p.leader, path, "suspend", url.Values{"reason": {"等待林木损失鉴定意见"}})
	a.issuedSays(t, p.officer, path, "suspend_decision", nil,
		"中止调查决定书", "紫毛坝综执中止〔2025〕1号", "刘某：", "因等待林木损失鉴定意见", "决定自2025年9月1日起中止调查")
	issueRefused(t, p.officer, path, "resume_decision", nil, "本案仍在中止中：请先在案件页恢复案件，再制作恢复调查决定书。")
	a.gotoDay(t, "2025-09-11")
	mustAct(t, p.leader, path, "resume", nil)
	a.issuedSays(t, p.officer, path, "resume_decision", nil,
		"恢复调查决定书", "紫毛坝综执恢复〔2025〕1号", "刘某：", "决定自2025年9月11日起恢复调查", "中止调查共10日")

	// Sent for review, the case takes no more preservation.
	issueRefused(t, p.officer, a.reviewedCase(t, p, "1000"), "preserve_approval", nil, "先行登记保存只能在立案后、调查取证阶段申请")
}
