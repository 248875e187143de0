package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestStatementAfterDemandIsHeardBeforeEnforcement: after a 催告 the party
// may state and defend; the court application waits until it is rechecked
// (AEL art. 36).
func TestStatementAfterDemandIsHeardBeforeEnforcement(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000")
	a.gotoDay(t, "2025-09-17")
	// No statement step in execution before a 催告.
	mustNotContain(t, p.officer.get(path), `data-action="add_statement"`)
	a.serveDemand(t, p.officer, path, nil)
	refused(t, p.officer, path, "add_statement", url.Values{"text": {"当事人称已筹款"}, "date": {"2025-09-16"}},
		http.StatusUnprocessableEntity, "收到日期不能早于2025年9月17日（催告书送达之日）")
	mustAct(t, p.officer, path, "add_statement", url.Values{"text": {"当事人称经济困难，请求暂缓执行。"}})
	mustContain(t, p.officer.get(path), "记录当事人收到催告书后的陈述、申辩")
	a.gotoDay(t, "2026-03-10")
	refused(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}}, http.StatusUnprocessableEntity,
		"当事人收到催告书后提出的陈述、申辩尚未复核，须先听取并复核（行政强制法第三十六条）")
	sid := regexp.MustCompile(`name="statement_id"><option value="(\d+)"`).FindStringSubmatch(p.officer.get(path).body)
	if sid == nil {
		t.Fatal("no statement to recheck on the page")
	}
	mustAct(t, p.officer, path, "recheck_statement", url.Values{"statement_id": {sid[1]}, "text": {"理由不成立，不予采纳。"}})
	mustAct(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}})
	mustContain(t, p.officer.get(path), "待法院裁定")
	// The case may close on the application; the court's ruling comes later
	// and is recorded on the closed case (AEL arts. 57-58).
	mustAct(t, p.officer, path, "close", confirmed)
	a.gotoDay(t, "2026-03-20")
	ruling := url.Values{"granted": {"yes"}, "text": {"（2026）陕0924行审12号：准予强制执行。"}}
	refused(t, p.officer, path, "enforcement_ruling", with(ruling, url.Values{"date": {"2026-03-09"}}),
		http.StatusUnprocessableEntity, "裁定日期不能早于2026年3月10日（申请强制执行之日）")
	mustAct(t, p.officer, path, "enforcement_ruling", ruling)
	page := p.officer.get(path)
	mustContain(t, page, "法院裁定 准予执行 ：（2026）陕0924行审12号", "罚款未缴清")
	mustNotContain(t, page, "待法院裁定")
}

// TestNoPenaltyNeedsAReviewOfNotPenalising: a review that passed a penalty
// does not cover a decision not to penalise; the proposal is changed and
// reviewed again (APL art. 58).
func TestNoPenaltyNeedsAReviewOfNotPenalising(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.reviewedCase(t, p, "500") // passed: a 500-yuan fine, now in 告知
	noPenalty := url.Values{"no_penalty_kind": {"not_established"}, "reason": {"当事人提供证据证明火源系他人引起，违法事实不能成立。"}}
	refused(t, p.head, path, "no_penalty", noPenalty, http.StatusUnprocessableEntity,
		"法制审核通过的是拟处罚意见；决定不予处罚的，须将拟处罚意见改为不予处罚并重新提交法制审核")
	mustAct(t, p.officer, path, "propose", url.Values{"no_penalty": {"1"}, "reasoning": {"违法事实不能成立。"}})
	mustAct(t, p.officer, path, "resubmit_review", url.Values{"reason": {"拟改为不予处罚"}})
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"违法事实不能成立，同意不予处罚。"}}))
	mustAct(t, p.head, path, "no_penalty", noPenalty)
	mustContain(t, p.officer.get(path), "不予处罚", "违法事实不能成立（行政处罚法第五十七条）")
}

// TestTransferReceiptIsRecorded: after the head decides a transfer, the
// town records the receiving body's answer, dated no earlier than the
// transfer; until then the page says it is awaited.
func TestTransferReceiptIsRecorded(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	body := url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"涉嫌失火罪，过火面积较大"}}
	mustAct(t, p.officer, path, "propose_transfer", body)
	a.gotoDay(t, "2025-09-02")
	mustAct(t, p.head, path, "transfer", body)
	mustContain(t, p.officer.get(path), "移送至", "紫阳县公安局", "待接收单位回执")
	a.gotoDay(t, "2025-09-05")
	refused(t, p.officer, path, "transfer_receipt", url.Values{"text": {"已受理"}, "date": {"2025-09-01"}},
		http.StatusUnprocessableEntity, "回执日期不能早于2025年9月2日（决定移送之日）")
	mustAct(t, p.officer, path, "transfer_receipt", url.Values{"text": {"紫阳县公安局已受理并立案侦查（紫公立字〔2025〕88号）"}})
	page := p.officer.get(path)
	mustContain(t, page, "2025-09-05 回执：紫阳县公安局已受理并立案侦查")
	mustNotContain(t, page, "待接收单位回执", `data-action="transfer_receipt"`)
}

// TestMinorOnTheSpotAndCorrectedParty: a 16-year-old fined on the spot gets
// a recorded mitigation ground (APL art. 30); and a party corrected into one
// another case already covers for the same act is refused (APL art. 29).
func TestMinorOnTheSpotAndCorrectedParty(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	form.Set("party_id_number", idNumberBorn("20090315"))
	res := p.officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	spot := with(confirmed, url.Values{"amount": {"200"}, "spot_told": {"1"}})
	refused(t, p.officer, res.location, "decide", spot, http.StatusUnprocessableEntity, "已满十四周岁不满十八周岁，应当从轻或者减轻处罚")
	mustAct(t, p.officer, res.location, "decide", with(spot, url.Values{"mitigation": {"当事人违法时16周岁，依法从轻处罚"}}))

	// Two general cases on the same act date and item, different parties;
	// correcting the second into the first's party is refused.
	first := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	other := a.caseForm("maoba-officer1", "maoba-officer3")
	other.Set("party_name", "王某")
	other.Set("party_id_number", "")
	second := a.filedCase(t, other)
	page := p.officer.get(first)
	idRE := regexp.MustCompile(`身份证号码 (\d{17}[\dX])`)
	m := idRE.FindStringSubmatch(text(page.body))
	if m == nil {
		t.Fatalf("no ID number on %s", first)
	}
	fix := url.Values{"party_name": {"刘某"}, "party_id_number": {m[1]}, "party_address": {"毛坝镇干沙村三组"}, "place_village": {"干沙村"}}
	refused(t, p.officer, second, "update_party", fix, http.StatusUnprocessableEntity,
		"该当事人的同一违法行为（同一事项、同一发生日期）已有案件", "同一个违法行为不得给予两次以上罚款的行政处罚（行政处罚法第二十九条）")
}

// TestCorrectedPlaceStaysInTheTown: correcting the place of the act offers
// the town's villages and refuses one of another town (APL art. 22).
func TestCorrectedPlaceStaysInTheTown(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	page := p.officer.get(path)
	mustContain(t, page, `<option value="青山村"`)
	fix := url.Values{"party_name": {"刘某"}, "party_id_number": {"610924197001011234"}, "party_address": {"毛坝镇干沙村三组"},
		"place_village": {"城关社区"}, "place_address": {"刘某住宅外"}}
	refused(t, p.officer, path, "update_party", fix, http.StatusUnprocessableEntity, "发生地须为本镇辖区内的村（社区）")
	fix.Set("place_village", "青山村")
	mustAct(t, p.officer, path, "update_party", fix)
	mustContain(t, p.officer.get(path), "青山村 刘某住宅外")
}

// TestPreserveOnlyPreservesOrSeizes: the head's approval is for 先行登记保存
// or 查封扣押; a sample is recorded by the handlers, not through it.
func TestPreserveOnlyPreservesOrSeizes(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	refused(t, p.head, path, "preserve", url.Values{"kind": {"sample"}, "inventory": {"土样一份"}},
		http.StatusUnprocessableEntity, "请选择先行登记保存或查封扣押。")
}

// TestFirstOffenceOnlyTheFirstTime: a party the town already penalised
// under the same item is not "初次违法" (APL art. 33 ¶1), whatever the list.
func TestFirstOffenceOnlyTheFirstTime(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	const id = "610924197001011234"
	// Fined on the spot last month for 占道摆摊 (ZY-SR-001, on the 首违不罚清单).
	before := a.itemForm("ZY-SR-001", "maoba-officer1", "maoba-officer3")
	before.Set("procedure", "summary")
	before.Set("party_id_number", id)
	res := p.officer.post("/cases/new", before)
	wantStatus(t, res, http.StatusSeeOther)
	mustAct(t, p.officer, res.location, "decide", with(confirmed, url.Values{"amount": {"50"}, "spot_told": {"1"}}))
	number := regexp.MustCompile(`紫毛坝综执立〔2025〕\d+号`).FindString(p.officer.get(res.location).body)

	again := a.itemForm("ZY-SR-001", "maoba-officer1", "maoba-officer3")
	again.Set("party_id_number", id)
	again.Set("act_on", "2025-08-22")
	path := a.filedCase(t, again)
	mustAct(t, p.officer, path, "investigate", nil)
	wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"},
		"scene.jpg", jpegBytes), http.StatusSeeOther)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"当事人再次占道摆摊，当场改正。"}})
	mustAct(t, p.officer, path, "propose", url.Values{"no_penalty": {"1"}, "reasoning": {"危害后果轻微并及时改正。"}})
	mustAct(t, p.officer, path, "submit_review", nil)
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"同意不予处罚。"}}))
	first := url.Values{"no_penalty_kind": {"first_offence"}, "reason": {"初次违法"}, "education": {"当场宣讲"}}
	refused(t, p.head, path, "no_penalty", first, http.StatusUnprocessableEntity,
		"当事人此前已因同一事项被处罚（"+number+"），不属于初次违法")
}

// TestPartyIdentifiedBeforeReview: a lead may be registered before the
// party's ID is known, but the proposal goes to review only once it is on
// record (the decision names the party; the age decides art. 30).
func TestPartyIdentifiedBeforeReview(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("party_id_number", "")
	path := a.filedCase(t, form)
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "500")
	refused(t, p.officer, path, "submit_review", nil, http.StatusUnprocessableEntity,
		"请先在“更正当事人和地点”中登记当事人的身份证号码")
	mustAct(t, p.officer, path, "update_party", url.Values{"party_name": {"刘某"}, "party_id_number": {idNumberBorn("19700101")},
		"party_address": {"毛坝镇干沙村三组"}, "place_village": {"干沙村"}, "place_address": {"刘某住宅外"}})
	mustAct(t, p.officer, path, "submit_review", nil)
}

// TestActionTextIsBounded: no box of an action form takes more than 4000
// characters; the refusal sits at the box and the entries are kept.
func TestActionTextIsBounded(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	long := strings.Repeat("长", 4001)
	res := act(t, p.officer, path, "update_facts", url.Values{"text": {long}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "内容过长：每项不超过4000字。")
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {strings.Repeat("实", 4000)}})
}

// TestFilingFormIsBounded: the filing form refuses an address longer than a
// line, at its box, the entries kept.
func TestFilingFormIsBounded(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("party_address", strings.Repeat("址", 201))
	res := officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "住址不超过200字。", "刘某")
}
