package server_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Tests of the on-the-spot records of sampling and seizure (APL art. 56;
// AEL art. 18), of collective discussion by the agency's heads (APL art. 57
// ¶2), and of the party's agents and request to recuse the hearing chair
// (APL art. 64(4), (5)).

// discussion is a record_discussion form with the town's head and team
// leader ticked and a deputy without an account named.
func (a *app) discussion(conclusion string) url.Values {
	return url.Values{"discussion_user": {itoa(a.user("maoba-head").ID), itoa(a.user("maoba-leader").ID)}, "participants": {"分管副镇长王某"}, "conclusion": {conclusion}}
}

// seizureOnSpot uploads a signed 现场笔录 as evidence of the case at path
// and returns the AEL art. 18 fields of a seizure with the party present.
func (a *app) seizureOnSpot(t *testing.T, officer *client, path string) url.Values {
	t.Helper()
	wantStatus(t, officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "查封现场笔录（签名）", "collected_on": "2025-09-01"},
		"record.jpg", jpegBytes), http.StatusSeeOther)
	return url.Values{"party_notified": {"1"}, "party_present": {"present"}, "party_told": {"1"},
		"party_statement": {"当事人称三轮车系借用"}, "record_evidence_id": {a.latestID(path, "evidence")},
		"executor": {itoa(a.user("maoba-officer1").ID), itoa(a.user("maoba-officer3").ID)}}
}

// APL art. 56: a sample is recorded by the handlers, without approval and
// without a clock: what, how many, where kept, the party present or not;
// dated not before the filing.
func TestSamplingIsRecorded(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	sample := url.Values{"inventory": {"焚烧残留物"}, "quantity": {"2袋，每袋约500克"}, "kept_at": {"镇综合执法队物证室"}, "party_present": {"absent"},
		"witness": {"村委会主任张某"}}

	refused(t, p.head, path, "record_sampling", sample, http.StatusForbidden)
	refused(t, p.officer, path, "record_sampling", url.Values{"inventory": {"焚烧残留物"}}, http.StatusUnprocessableEntity,
		"请填写抽样数量。", "请填写样品的存放地点。", "请选择抽样时当事人是否到场。")
	refused(t, p.officer, path, "record_sampling", with(sample, url.Values{"date": {"2025-08-31"}}), http.StatusUnprocessableEntity,
		"抽样日期不能早于2025年9月1日（立案之日），不得倒签。")
	mustAct(t, p.officer, path, "record_sampling", sample)

	page := p.officer.get(path)
	pageSays(t, page, "抽样取证（2025-09-01，", "记录）：焚烧残留物，数量 2袋，每袋约500克，存放于 镇综合执法队物证室；当事人未到场，见证人 村委会主任张某",
		"已记录：抽样取证：焚烧残留物，数量2袋，每袋约500克，存放于镇综合执法队物证室；当事人未到场，见证人村委会主任张某。")
	// No clock and nothing to dispose of: a sample is neither preserved nor seized.
	pageSaysNot(t, page, "先行登记保存处理决定", "查封扣押期限")
	mustNotContain(t, page, `data-action="end_preservation"`)
}

// AEL art. 18: a seizure on the spot: the party notified to be present,
// told the reasons, basis and remedies, heard; when absent, a witness; the
// 现场笔录 kept as evidence.
func TestSeizureOnTheSpot(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	seizeID, _ := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	seize := url.Values{"kind": {"seize"}, "inventory": {"三轮车1辆（陕G·12345），存放于镇政府院内"}, "coercion_item_id": {itoa(seizeID)}}

	refused(t, p.head, path, "preserve", seize, http.StatusUnprocessableEntity,
		"实施查封扣押须通知当事人到场（行政强制法第十八条第四项）。",
		"请选择当事人是否到场（行政强制法第十八条）。",
		"请先将签名的现场笔录上传为证据（证据类型：现场笔录），再在此选择（行政强制法第十八条第七项、第八项）。")
	refused(t, p.head, path, "preserve", with(seize, url.Values{"party_notified": {"1"}, "party_present": {"present"}}), http.StatusUnprocessableEntity,
		"须当场告知当事人采取查封扣押的理由、依据以及当事人依法享有的权利、救济途径（行政强制法第十八条第五项）。",
		"请填写听取的当事人陈述和申辩；当事人未陈述申辩的，写明“未陈述申辩”（行政强制法第十八条第六项）。")
	refused(t, p.head, path, "preserve", with(seize, url.Values{"party_notified": {"1"}, "party_present": {"absent"}}), http.StatusUnprocessableEntity,
		"当事人不到场的，须邀请见证人到场，由见证人和行政执法人员在现场笔录上签名或者盖章：请填写见证人（行政强制法第十八条第九项）。")
	// Evidence of another kind is no 现场笔录.
	wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "documentary", "title": "询问笔录", "collected_on": "2025-09-01"},
		"ask.jpg", jpegBytes), http.StatusSeeOther)
	refused(t, p.head, path, "preserve", with(seize, url.Values{"party_notified": {"1"}, "party_present": {"absent"}, "witness": {"村民李某"},
		"record_evidence_id": {a.latestID(path, "evidence")}}), http.StatusUnprocessableEntity, "请先将签名的现场笔录上传为证据（证据类型：现场笔录）")

	// The head's form offers only the 现场笔录.
	spot := a.seizureOnSpot(t, p.officer, path)
	page := p.head.get(path)
	mustContain(t, page, `name="record_evidence_id"`, ">查封现场笔录（签名）（record.jpg）<")
	mustNotContain(t, page, ">询问笔录（ask.jpg）<")
	// Carried out by two officers of the case, not one (AEL art. 18(2)).
	one := with(seize, spot)
	one["executor"] = one["executor"][:1]
	refused(t, p.head, path, "preserve", one, http.StatusUnprocessableEntity,
		"查封扣押须由两名以上本案承办的执法人员实施，请勾选实际实施的人员（行政强制法第十八条第二项）。")
	mustAct(t, p.head, path, "preserve", with(seize, spot))
	pageSays(t, p.officer.get(path),
		"现场（行政强制法第十八条）：已通知当事人到场；当事人到场，已当场告知理由、依据和救济途径；陈述申辩：当事人称三轮车系借用；现场笔录：查封现场笔录（签名）",
		"；当事人到场，已当场告知理由、依据和救济途径，听取陈述申辩：当事人称三轮车系借用；已制作现场笔录")

	// The party absent: a witness signs instead.
	absent := with(seize, url.Values{"party_notified": {"1"}, "party_present": {"absent"}, "witness": {"村民李某"}, "record_evidence_id": spot["record_evidence_id"],
		"executor": spot["executor"]})
	absent.Set("inventory", "铁皮棚1个")
	mustAct(t, p.head, path, "preserve", absent)
	pageSays(t, p.officer.get(path), "已通知当事人到场；当事人未到场，见证人 村民李某；现场笔录：查封现场笔录（签名）",
		"当事人经通知未到场，见证人村民李某到场；已制作现场笔录")
}

// APL art. 57 ¶2: the collective discussion is the agency's heads': the
// town's head must be among those who sat.
func TestDiscussionNeedsTheTownHead(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := p.noticed(t, a, a.itemForm("ZY-HJ-001", twoHandlers...), "60000")
	mustAct(t, p.officer, path, "waive_statement", nil)
	mustAct(t, p.officer, path, "waive_hearing", nil)
	mustAct(t, p.leader, path, "to_discussion", nil)

	head, leader := a.user("maoba-head"), a.user("maoba-leader")
	page := p.leader.get(path)
	mustContain(t, page, `name="discussion_user" value="`+itoa(head.ID)+`"`, `name="discussion_user" value="`+itoa(leader.ID)+`"`)
	pageSays(t, page, "镇负责人"+head.DisplayName, "队长"+leader.DisplayName)

	refused(t, p.leader, path, "record_discussion", url.Values{"participants": {"镇长、分管副镇长、执法队长"}, "conclusion": {"同意罚款60000元"}},
		http.StatusUnprocessableEntity, "集体讨论须由行政机关负责人参加（行政处罚法第五十七条第二款）")
	refused(t, p.leader, path, "record_discussion", url.Values{"discussion_user": {itoa(leader.ID)}, "conclusion": {"同意罚款60000元"}},
		http.StatusUnprocessableEntity, "集体讨论须由行政机关负责人参加（行政处罚法第五十七条第二款）")
	// An officer is no head, nor a head of another town.
	refused(t, p.leader, path, "record_discussion", url.Values{"discussion_user": {itoa(head.ID), itoa(a.user("maoba-officer2").ID)},
		"conclusion": {"同意罚款60000元"}}, http.StatusUnprocessableEntity, "参加人员须为本镇在职的镇负责人或执法队长。")
	refused(t, p.leader, path, "record_discussion", url.Values{"discussion_user": {itoa(a.user("chengguan-head").ID)},
		"conclusion": {"同意罚款60000元"}}, http.StatusUnprocessableEntity, "参加人员须为本镇在职的镇负责人或执法队长。")

	// Collective: the head and one more are not enough.
	refused(t, p.leader, path, "record_discussion", url.Values{"discussion_user": {itoa(head.ID)}, "participants": {"分管副镇长王某"},
		"conclusion": {"同意罚款60000元"}}, http.StatusUnprocessableEntity, "集体讨论须由镇负责人和其他负责人、执法队长等三人以上共同参加")
	mustAct(t, p.leader, path, "record_discussion", a.discussion("同意罚款60000元"))
	pageSays(t, p.head.get(path), "集体讨论（2025-09-01）： 同意罚款60000元（参加：镇负责人"+head.DisplayName+"、队长"+leader.DisplayName+"、分管副镇长王某）")
	mustAct(t, p.head, path, "decide", decision("60000"))
}

// APL art. 64(4), (5): the party may ask that the chair step aside; the
// head decides; granted, the hearing is notified again with another chair.
// At the hearing, one or two agents at most.
func TestHearingChairRecusalAndAgents(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := p.noticed(t, a, a.itemForm("ZY-HJ-001", twoHandlers...), "10000")
	mustAct(t, p.officer, path, "request_hearing", nil)
	leader, other := a.user("maoba-leader"), a.user("maoba-officer2")
	notice := func(chair int64) url.Values {
		return url.Values{"hearing_on": {"2025-09-10"}, "hearing_place": {"毛坝镇政府会议室"}, "hearing_chair": {itoa(chair)}}
	}
	// No request before there is a chair.
	refused(t, p.officer, path, "request_chair_recusal", url.Values{"reason": {"主持人系当事人亲属"}}, http.StatusConflict,
		"当前没有可以“登记听证主持人回避申请”的事项")
	mustAct(t, p.officer, path, "serve_hearing_notice", notice(leader.ID))
	mustContain(t, p.officer.get(path), `<option value="`+itoa(leader.ID)+`">`)

	a.clock.Set(day(time.September, 3))
	refused(t, p.officer, path, "request_chair_recusal", nil, http.StatusUnprocessableEntity, "请填写当事人申请主持人回避的理由")
	refused(t, p.officer, path, "request_chair_recusal", url.Values{"reason": {"主持人系当事人亲属"}, "date": {"2025-08-31"}},
		http.StatusUnprocessableEntity, "申请日期不能早于2025年9月1日（听证通知书送达之日），不得倒签。")
	refused(t, p.head, path, "request_chair_recusal", url.Values{"reason": {"主持人系当事人亲属"}}, http.StatusForbidden)
	mustAct(t, p.officer, path, "request_chair_recusal", url.Values{"reason": {"主持人系当事人亲属"}, "date": {"2025-09-02"}})
	pageSays(t, p.officer.get(path), "当事人于 2025-09-02 申请听证主持人 "+leader.DisplayName+" 回避，理由：主持人系当事人亲属 ； 待负责人决定")

	// No hearing while the request waits.
	a.clock.Set(day(time.September, 10))
	refused(t, p.officer, path, "hold_hearing", url.Values{"outcome": {"absent"}, "attendance": {"调查人员"}}, http.StatusConflict,
		"当事人已申请听证主持人回避，须待负责人作出回避决定后再举行听证（行政处罚法第六十四条第四项）。")
	refused(t, p.leader, path, "decide_chair_recusal", url.Values{"granted": {"yes"}, "text": {"经查属实"}}, http.StatusForbidden)
	refused(t, p.head, path, "decide_chair_recusal", url.Values{"text": {"经查属实"}}, http.StatusUnprocessableEntity, "请选择是否准予主持人回避。")
	refused(t, p.head, path, "decide_chair_recusal", url.Values{"granted": {"yes"}, "text": {"经查属实"}, "date": {"2025-09-01"}},
		http.StatusUnprocessableEntity, "决定日期不能早于2025年9月2日（当事人申请回避之日），不得倒签。")
	mustAct(t, p.head, path, "decide_chair_recusal", url.Values{"granted": {"yes"}, "text": {"经查属实"}, "date": {"2025-09-04"}})
	page := p.officer.get(path)
	pageSays(t, page, "；2025-09-04 决定回避，须另行指定主持人：经查属实")
	// The notice is gone: no hearing until a new one names another chair.
	refused(t, p.officer, path, "hold_hearing", url.Values{"outcome": {"absent"}, "attendance": {"调查人员"}}, http.StatusConflict,
		"当前没有可以“记录听证”的事项")
	mustContain(t, page, `data-action="serve_hearing_notice"`)
	// The recused chair is no longer offered.
	mustNotContain(t, page, `<option value="`+itoa(leader.ID)+`">`)
	a.clock.Set(day(time.September, 5))
	renotice := notice(leader.ID)
	renotice.Set("hearing_on", "2025-09-16")
	refused(t, p.officer, path, "serve_hearing_notice", renotice, http.StatusUnprocessableEntity,
		"该人员已因当事人申请回避，不得再主持本案听证（行政处罚法第六十四条第四项）。")
	renotice.Set("hearing_chair", itoa(other.ID))
	mustAct(t, p.officer, path, "serve_hearing_notice", renotice)

	// A second request, refused: recorded with the reason; the hearing goes on.
	mustAct(t, p.officer, path, "request_chair_recusal", url.Values{"reason": {"主持人与当事人同村"}})
	mustAct(t, p.head, path, "decide_chair_recusal", url.Values{"granted": {"no"}, "text": {"同村不构成直接利害关系，不予回避"}})
	pageSays(t, p.officer.get(path), "申请听证主持人 "+other.DisplayName+" 回避，理由：主持人与当事人同村 ；2025-09-05 决定不予回避：同村不构成直接利害关系")

	a.clock.Set(day(time.September, 16))
	wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "documentary", "title": "听证笔录（签字）", "collected_on": "2025-09-16"},
		"transcript.jpg", jpegBytes), http.StatusSeeOther)
	held := url.Values{"outcome": {"held"}, "attendance": {"当事人刘某及其代理人、调查人员、主持人、记录员"}, "transcript": {"当事人对事实无异议。"},
		"scan_evidence_id": {a.latestID(path, "evidence")}}
	refused(t, p.officer, path, "hold_hearing", with(held, url.Values{"agents": {"律师赵某\n律师钱某、刘某之子"}}), http.StatusUnprocessableEntity,
		"当事人可以亲自参加听证，也可以委托一至二人代理，委托代理人不得超过2人（行政处罚法第六十四条第五项）。")
	mustAct(t, p.officer, path, "hold_hearing", with(held, url.Values{"agents": {"律师赵某\n刘某之子"}}))
	pageSays(t, p.officer.get(path), "2025-09-16：听证已举行；出席：当事人刘某及其代理人、调查人员、主持人、记录员 ；委托代理人：律师赵某、刘某之子",
		"已记录：听证已举行；出席：当事人刘某及其代理人、调查人员、主持人、记录员；委托代理人：律师赵某、刘某之子")
}
