package server_test

// Rules of the Administrative Penalty Law (APL) that no step of a case may
// break, each shown over HTTP with the real handlers and database: dates,
// the penalty against the notice and the legal range, the legal review, the
// hearing, who may act, the limitation and the decision period.

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
)

var twoHandlers = []string{"maoba-officer1", "maoba-officer3"}

// entry is the timeline entry containing what, failing the test if none.
func entry(t *testing.T, page response, what string) string {
	t.Helper()
	for _, e := range timeline(t, page) {
		if strings.Contains(e, what) {
			return e
		}
	}
	t.Fatalf("no timeline entry %q in %q", what, timeline(t, page))
	return ""
}

// APL arts. 44-45: a notice is not dated before the review that allowed it,
// a statement not before the notice; a date declared for another day than
// the day of entry shows both.
func TestDatesCannotBeBackdated(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...)) // filed 2025-09-01
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "3000")
	a.clock.Set(day(time.September, 3))
	reviewed(t, p.officer, p.reviewer, path) // passed 2025-09-03

	notice := func(date string) url.Values { return url.Values{"text": {"拟处罚款3000元。"}, "date": {date}} }
	a.issueDoc(t, p.officer, path, "notice", nil)
	refused(t, p.officer, path, "serve_notice", notice("2025-08-29"), http.StatusUnprocessableEntity,
		"送达日期不能早于2025年9月3日（法制审核通过之日），不得倒签。")
	refused(t, p.officer, path, "serve_notice", notice("2025-09-02"), http.StatusUnprocessableEntity,
		"送达日期不能早于2025年9月3日（法制审核通过之日），不得倒签。")
	refused(t, p.officer, path, "serve_notice", notice("2025-09-04"), http.StatusUnprocessableEntity, "送达日期不能晚于今天。")
	mustAct(t, p.officer, path, "serve_notice", notice("2025-09-03"))
	if e := entry(t, p.officer.get(path), "送达行政处罚事先告知书"); strings.Contains(e, "记载日期") {
		t.Errorf("a notice served on the day of entry shows a declared date: %q", e)
	}

	a.clock.Set(day(time.September, 5))
	statement := func(date string) url.Values {
		return url.Values{"text": {"当事人称系初次违法。"}, "date": {date}}
	}
	refused(t, p.officer, path, "add_statement", statement("2025-09-02"), http.StatusUnprocessableEntity,
		"收到日期不能早于2025年9月3日（告知书送达之日），不得倒签。")
	mustAct(t, p.officer, path, "add_statement", statement("2025-09-04")) // received yesterday, recorded today
	if e := entry(t, p.officer.get(path), "记录当事人陈述、申辩"); !strings.Contains(e, "（记载日期 2025-09-04，录入于 2025-09-05 09:00）") {
		t.Errorf("the statement's entry does not show both dates: %q", e)
	}
	// Its recheck is not dated before it was received. (The recheck form
	// has no date field to show the message at, so only the refusal and
	// the unchanged case are asserted.)
	refused(t, p.officer, path, "recheck_statement", url.Values{"statement_id": {a.latestID(path, "case_statements")},
		"text": {"不予采纳。"}, "date": {"2025-09-03"}}, http.StatusUnprocessableEntity, "填写的内容有误")
	if n := a.eventCount(path, "复核陈述、申辩：不予采纳。"); n != 0 {
		t.Errorf("a recheck dated before the statement was recorded")
	}
}

// APL art. 45: the decision is compared with the latest notice, kind by
// kind; a heavier penalty needs a new proposal, a new review and a new
// notice with its own statement and hearing window, and then collective
// discussion.
func TestHeavierPenaltyNeedsANewNotice(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	// ZY-HJ-001: a person is fined 10,000 to 100,000 yuan.
	path := p.noticed(t, a, a.itemForm("ZY-HJ-001", twoHandlers...), "10000")
	mustAct(t, p.officer, path, "waive_statement", nil)
	mustAct(t, p.officer, path, "waive_hearing", nil)

	// The handlers propose more after the notice; it needs a new review.
	mustAct(t, p.officer, path, "propose", url.Values{"amount": {"15000"}, "tier": {"较重"}, "reasoning": {"查明违法面积扩大，按较重阶次。"}})
	refused(t, p.officer, path, "resubmit_review", nil, http.StatusUnprocessableEntity, "请填写重新审核的原因")
	mustAct(t, p.officer, path, "resubmit_review", url.Values{"reason": {"拟加重处罚"}})
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"同意加重，须重新告知。"}}))
	page := p.officer.get(path)
	mustContain(t, page, "告知", `value="serve_notice"`)
	refused(t, p.head, path, "decide", decision("15000"), http.StatusUnprocessableEntity, "罚款15000元高于事先告知的10000元")

	// The new notice opens a new statement and hearing window: the
	// earlier waivers do not carry over.
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款15000元。"}})
	mustContain(t, p.officer.get(path), "重新送达行政处罚事先告知书（拟加重处罚），拟处罚：罚款15000元")
	refused(t, p.head, path, "decide", decision("15000"), http.StatusUnprocessableEntity,
		"陈述申辩期限尚未届满，且当事人未书面放弃陈述申辩", "听证申请期限（告知书送达后5个工作日）尚未届满，且当事人未书面明确放弃听证")
	mustAct(t, p.officer, path, "waive_statement", nil)
	mustAct(t, p.officer, path, "waive_hearing", nil)

	// Nothing heavier than the latest notice.
	refused(t, p.head, path, "decide", decision("50000"), http.StatusUnprocessableEntity, "罚款50000元高于事先告知的15000元")
	// The heavier re-notice takes collective discussion.
	refused(t, p.head, path, "decide", decision("15000"), http.StatusUnprocessableEntity, "本案须经集体讨论决定（重新告知加重处罚）")
	mustAct(t, p.leader, path, "to_discussion", nil)
	mustAct(t, p.leader, path, "record_discussion", a.discussion("同意罚款15000元"))
	mustAct(t, p.head, path, "decide", decision("15000"))
	mustContain(t, p.officer.get(path), "作出处罚决定：罚款15000元")
}

// APL arts. 5, 32: a fine below the item's legal range needs a mitigation
// ground, which then needs collective discussion.
func TestFineBelowTheRangeNeedsMitigation(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.itemForm("ZY-HJ-001", twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "10000")
	proposal := url.Values{"amount": {"1000"}, "tier": {"减轻"}, "reasoning": {"当事人主动消除危害后果。"}}
	refused(t, p.officer, path, "propose", proposal, http.StatusUnprocessableEntity,
		"罚款1000元低于该事项法定幅度（10000元至100000元），无法定减轻情节的不得低于下限（行政处罚法第三十二条）")
	mustAct(t, p.officer, path, "propose", with(proposal, url.Values{"mitigation": {"主动消除或者减轻违法行为危害后果（行政处罚法第三十二条第一项）"}}))
	reviewed(t, p.officer, p.reviewer, path)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟减轻处罚，罚款1000元。"}})
	mustAct(t, p.officer, path, "waive_statement", nil) // 1000 yuan: no hearing right

	refused(t, p.head, path, "decide", decision("1000"), http.StatusUnprocessableEntity, "本案须经集体讨论决定（拟从轻或减轻处罚）")
	// Nor does the team leader decide: the town's head does.
	refused(t, p.leader, path, "decide", decision("1000"), http.StatusForbidden, "镇负责人")
	mustAct(t, p.leader, path, "to_discussion", nil)
	mustAct(t, p.leader, path, "record_discussion", a.discussion("同意减轻处罚，罚款1000元"))
	mustAct(t, p.head, path, "decide", decision("1000"))
}

// APL arts. 2, 9: a penalty case is filed only under an item of kind
// 行政处罚, not under an inspection or a coercive measure.
func TestPenaltyCasesOnlyUnderPenaltyItems(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	for _, kind := range []string{"行政检查", "行政强制"} {
		var item int64
		a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT i.id FROM list_version_items v JOIN catalogue_items i ON i.id = v.item_id
				WHERE v.version_id = list_version_on((SELECT id FROM towns WHERE code = 'maoba'), '2025-09-01') AND i.kind = $1
				ORDER BY v.position LIMIT 1`, kind).Scan(&item)
		})
		form := a.caseForm(twoHandlers...)
		form.Set("item", itoa(item))
		before := len(a.caseIDs())
		res := officer.post("/cases/new", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "该事项属于"+kind+"，不是行政处罚事项，不能作为行政处罚案件登记。")
		if n := len(a.caseIDs()); n != before {
			t.Errorf("a refused filing under a %s item wrote a case", kind)
		}
	}
}

// APL art. 58: the reviewer answers every point and gives an opinion; a
// point that fails cannot pass; returning or failing needs a reason and
// sends the case back; the reviewer holds the legal qualification.
func TestLegalReview(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "1000")
	mustAct(t, p.officer, path, "submit_review", nil)

	opinion := url.Values{"text": {"证据不足以证明火势蔓延的范围。"}}
	refused(t, p.reviewer, path, "pass_review", opinion, http.StatusUnprocessableEntity, "请逐项填写审核要点（主体、管辖、事实、证据、定性、依据、程序、裁量）")
	refused(t, p.reviewer, path, "pass_review", checklist(), http.StatusUnprocessableEntity, "请填写审核意见")
	refused(t, p.reviewer, path, "pass_review", with(checklist("evidence", "discretion"), opinion), http.StatusUnprocessableEntity,
		"审核要点“证据、裁量”不符合，不能审核通过；请退回补充调查或审核不通过。")

	// Returned for more investigation, with the reason.
	refused(t, p.reviewer, path, "return_review", with(checklist("evidence"), opinion), http.StatusUnprocessableEntity, "请填写退回补充调查的理由")
	mustAct(t, p.reviewer, path, "return_review", with(checklist("evidence"), opinion, url.Values{"reason": {"请补充林地损失的勘验笔录"}}))
	page := p.officer.get(path)
	mustContain(t, page, "调查取证", "法制审核退回补充调查。审核意见：证据不足以证明火势蔓延的范围。", "请补充林地损失的勘验笔录")

	// Failed, with the reason: back to investigation too.
	mustAct(t, p.officer, path, "submit_review", nil)
	refused(t, p.reviewer, path, "fail_review", with(checklist("characterisation"), opinion), http.StatusUnprocessableEntity, "请填写审核不通过的理由")
	mustAct(t, p.reviewer, path, "fail_review", with(checklist("characterisation"), opinion, url.Values{"reason": {"定性错误"}}))
	mustContain(t, p.officer.get(path), "调查取证", "法制审核不通过", "定性错误")

	// A reviewer whose qualification number is not on record may not review.
	mustAct(t, p.officer, path, "submit_review", nil)
	admin := a.login("county-admin")
	rev := a.user("maoba-reviewer")
	wantStatus(t, admin.post("/admin/users/"+itoa(rev.ID), url.Values{"display_name": {rev.DisplayName}, "role": {"town_reviewer"},
		"town": {"maoba"}, "active": {"1"}, "legal_qualification_no": {""}}), http.StatusSeeOther)
	refused(t, p.reviewer, path, "pass_review", with(checklist(), opinion), http.StatusUnprocessableEntity, "您的法律职业资格证书编号尚未登记")
	mustAct(t, a.login("county-reviewer"), path, "pass_review", with(checklist(), url.Values{"text": {"经县司法局审核，同意。"}}))
}

// APL arts. 33, 57, 58: 不予处罚 too is reviewed first; it is neither
// offered nor allowed before the review has passed.
func TestNoPenaltyNeedsAPassedReview(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	// 首违不罚 needs an item on the 首违不罚清单: 焚烧垃圾 (ZY-HJ-003) is.
	path := a.filedCase(t, a.itemForm("ZY-HJ-003", twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"},
		"scene.jpg", jpegBytes), http.StatusSeeOther)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"当事人初次违法，火情当即扑灭，未造成损失。"}})
	mustAct(t, p.officer, path, "propose", url.Values{"no_penalty": {"1"}, "reasoning": {"初次违法且危害后果轻微并及时改正。"}})
	noPenalty := url.Values{"reason": {"首违不罚"}, "no_penalty_kind": {"first_offence"}, "education": {"当场宣讲森林防火法规，当事人签字确认。"}}

	mustNotContain(t, p.head.get(path), `value="no_penalty"`)
	refused(t, p.head, path, "no_penalty", noPenalty, http.StatusConflict, "案件当前状态为“调查取证”，不能“不予处罚”")
	mustAct(t, p.officer, path, "submit_review", nil)
	refused(t, p.head, path, "no_penalty", noPenalty, http.StatusConflict, "案件当前状态为“法制审核”，不能“不予处罚”")
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"符合首违不罚情形，同意不予处罚。"}}))

	page := p.head.get(path)
	mustContain(t, page, "待决定", `value="no_penalty"`)
	refused(t, p.head, path, "no_penalty", url.Values{"reason": {"首违不罚"}, "no_penalty_kind": {"first_offence"}}, http.StatusUnprocessableEntity,
		"请记录对当事人进行的教育（行政处罚法第三十三条第三款）")
	mustAct(t, p.head, path, "no_penalty", noPenalty)
	mustContain(t, p.officer.get(path), "不予处罚", "决定不予行政处罚：初次违法且危害后果轻微并及时改正")
}

// APL art. 64(1): the request is dated the day the party made it, which
// must fall within the configured working days of the notice, whenever it
// is keyed in.
func TestHearingRequestDatedByTheParty(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := p.noticed(t, a, a.itemForm("ZY-HJ-001", twoHandlers...), "10000") // Monday 2025-09-01: hearing right
	a.clock.Set(day(time.September, 9))                                       // the 6th working day after the notice
	// The window has closed, but a request made inside it can still be
	// recorded from the page.
	mustContain(t, p.officer.get(path), `value="request_hearing"`, "当事人提出听证申请的日期")
	request := func(date string) url.Values { return url.Values{"date": {date}} }
	refused(t, p.officer, path, "request_hearing", request("2025-09-09"), http.StatusUnprocessableEntity,
		"听证申请须在告知书送达后5个工作日内提出（行政处罚法第六十四条）")
	refused(t, p.officer, path, "request_hearing", request("2025-08-29"), http.StatusUnprocessableEntity,
		"当事人提出听证申请的日期不能早于2025年9月1日（告知书送达之日），不得倒签。")
	mustAct(t, p.officer, path, "request_hearing", request("2025-09-05")) // the 4th working day
	page := p.officer.get(path)
	mustContain(t, page, "听证")
	if e := entry(t, page, "当事人申请听证"); !strings.Contains(e, "当事人申请听证（2025年9月5日提出）") ||
		!strings.Contains(e, "（记载日期 2025-09-05，录入于 2025-09-09 09:00）") {
		t.Errorf("the request's entry: %q", e)
	}
}

// APL arts. 64-65: the hearing notice at least 7 working days ahead, a chair
// who did not investigate, held on or after the notified day, the signed
// transcript kept; a hearing held needs a new review and collective
// discussion before the decision.
func TestHearingHeld(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := p.noticed(t, a, a.itemForm("ZY-HJ-001", twoHandlers...), "10000")
	// No hearing before the party asks for one.
	refused(t, p.officer, path, "hold_hearing", url.Values{"outcome": {"held"}, "attendance": {"当事人"}}, http.StatusConflict,
		"案件当前状态为“告知”，不能进行“记录听证”")
	mustAct(t, p.officer, path, "request_hearing", nil)
	refused(t, p.officer, path, "hold_hearing", url.Values{"outcome": {"held"}, "attendance": {"当事人"}}, http.StatusConflict,
		"当前没有可以“记录听证”的事项")

	chair := itoa(a.user("maoba-leader").ID)
	hearing := func(on, chair string) url.Values {
		return url.Values{"hearing_on": {on}, "hearing_place": {"毛坝镇政府会议室"}, "hearing_chair": {chair}}
	}
	refused(t, p.officer, path, "serve_hearing_notice", hearing("2025-09-09", chair), http.StatusUnprocessableEntity,
		"听证日期须在听证通知书送达7个工作日之后（最早2025年9月10日）")
	refused(t, p.officer, path, "serve_hearing_notice", hearing("2025-09-10", itoa(a.user("maoba-officer3").ID)), http.StatusUnprocessableEntity,
		"请选择听证主持人：须为本案调查人员以外的人员")
	refused(t, p.officer, path, "serve_hearing_notice", with(hearing("2025-09-10", chair), url.Values{"hearing_private": {"1"}}),
		http.StatusUnprocessableEntity, "不公开举行听证的，请写明理由")
	mustAct(t, p.officer, path, "serve_hearing_notice", hearing("2025-09-10", chair))
	mustContain(t, p.officer.get(path), "送达听证通知书：2025年9月10日在毛坝镇政府会议室举行听证，主持人"+a.user("maoba-leader").DisplayName+"，公开举行")

	held := url.Values{"outcome": {"held"}, "attendance": {"当事人刘某、调查人员、主持人、记录员"}, "transcript": {"当事人对事实无异议，请求从轻。"}}
	a.clock.Set(day(time.September, 5))
	refused(t, p.officer, path, "hold_hearing", held, http.StatusUnprocessableEntity,
		"听证日期不能早于2025年9月10日（听证通知书确定的听证日期），不得倒签。")
	a.clock.Set(day(time.September, 10))
	refused(t, p.officer, path, "hold_hearing", held, http.StatusUnprocessableEntity, "请先将当事人签字的听证笔录扫描件上传为证据")
	wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "documentary", "title": "听证笔录（签字）", "collected_on": "2025-09-10"},
		"transcript.jpg", jpegBytes), http.StatusSeeOther)
	mustAct(t, p.officer, path, "hold_hearing", with(held, url.Values{"scan_evidence_id": {a.latestID(path, "evidence")}}))

	// The decision follows the transcript: reviewed again, then discussed.
	refused(t, p.head, path, "decide", decision("10000"), http.StatusUnprocessableEntity, "听证后须根据听证笔录重新进行法制审核")
	mustAct(t, p.officer, path, "resubmit_review", url.Values{"reason": {"听证后根据听证笔录重新审核"}})
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"听证笔录未提出新的事实，维持原意见。"}}))
	mustContain(t, p.head.get(path), "待决定")
	refused(t, p.head, path, "decide", decision("10000"), http.StatusUnprocessableEntity, "本案须经集体讨论决定（经过听证）")
	mustAct(t, p.leader, path, "to_discussion", nil)
	mustAct(t, p.leader, path, "record_discussion", a.discussion("维持罚款10000元"))
	mustAct(t, p.head, path, "decide", decision("10000"))
}

// APL art. 64: a written waiver of statement and defence does not give up
// the hearing; only an express waiver of the hearing does.
func TestStatementWaiverDoesNotWaiveTheHearing(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := p.noticed(t, a, a.itemForm("ZY-HJ-001", twoHandlers...), "10000")
	mustAct(t, p.officer, path, "waive_statement", nil)
	refused(t, p.head, path, "decide", decision("10000"), http.StatusUnprocessableEntity,
		"听证申请期限（告知书送达后5个工作日）尚未届满，且当事人未书面明确放弃听证")
	mustAct(t, p.officer, path, "waive_hearing", nil)
	mustContain(t, p.officer.get(path), "当事人书面放弃陈述、申辩", "当事人书面明确放弃听证")
	refused(t, p.officer, path, "request_hearing", nil, http.StatusUnprocessableEntity, "当事人已书面明确放弃听证")
	mustAct(t, p.head, path, "decide", decision("10000"))
}

// APL arts. 42, 55: only the case's handlers take its investigation steps,
// each with a certificate valid on the day.
func TestOnlyHandlersWithValidCertificatesAct(t *testing.T) {
	a := newApp(t)
	// Filed on 1 August, while maoba-officer2's certificate (lapsed on 11
	// August in the demo data) was still valid.
	a.clock.Set(day(time.August, 1))
	form := a.caseForm("maoba-officer1", "maoba-officer2")
	form.Set("act_on", "2025-07-20")
	form.Set("discovered_on", "2025-07-25")
	lapsing := a.filedCase(t, form)
	a.clock.Set(day(time.September, 1))
	officer := a.login("maoba-officer1")
	officer2 := a.login("maoba-officer2")
	facts := url.Values{"text": {"补充调查情况。"}}
	refused(t, officer2, lapsing, "update_facts", facts, http.StatusForbidden, "您的执法证今日不在有效期内，不能从事执法活动（行政处罚法第四十二条）")
	refused(t, officer2, lapsing, "investigate", nil, http.StatusUnprocessableEntity, "您的执法证今日不在有效期内")
	// Nor can maoba-officer1 carry on alone until a certified handler is added.
	refused(t, officer, lapsing, "investigate", nil, http.StatusUnprocessableEntity, "承办人员中今日持有效执法证的不足两名，请由队长增加承办人员")
	mustAct(t, a.login("maoba-leader"), lapsing, "add_handler", url.Values{"officer_id": {itoa(a.user("maoba-officer3").ID)}, "reason": {"原承办人员执法证已过期"}})
	mustAct(t, officer, lapsing, "investigate", nil)
	mustAct(t, officer, lapsing, "update_facts", facts)

	// maoba-officer2 does not handle this case.
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	refused(t, officer2, path, "investigate", nil, http.StatusUnprocessableEntity, "只有本案的承办人员可以进行此操作")
	mustAct(t, officer, path, "investigate", nil)
	refused(t, officer2, path, "update_facts", facts, http.StatusForbidden, "只有本案的承办人员可以进行“保存调查情况”")
	refused(t, officer2, path, "propose", url.Values{"amount": {"1000"}, "tier": {"一般"}, "reasoning": {"一般"}}, http.StatusForbidden,
		"只有本案的承办人员可以进行“填写拟处罚意见”")
}

// Extensions of the decision period: by the head, each with a reason, no
// more than the setting allows (one) unless collectively discussed.
func TestExtensionsAreLimited(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := p.noticed(t, a, a.caseForm(twoHandlers...), "1000")
	reason := url.Values{"reason": {"案情复杂，需补充鉴定。"}}
	refused(t, p.head, path, "extend", nil, http.StatusUnprocessableEntity, "请填写延长办案期限的理由")
	mustAct(t, p.head, path, "extend", reason)
	refused(t, p.head, path, "extend", reason, http.StatusUnprocessableEntity, "已延期1次，达到设定的1次上限；再次延期须经集体讨论决定。")
	mustAct(t, p.leader, path, "to_discussion", nil)
	mustAct(t, p.leader, path, "record_discussion", a.discussion("同意再次延长办案期限"))
	mustAct(t, p.head, path, "extend", reason)
	mustContain(t, p.officer.get(path), "批准延长办案期限30日（第2次）")
}

// APL art. 36: 2 years from the act to its discovery, or 5 when life,
// health or financial safety was harmed; the filing date does not count.
func TestLimitation(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	form := a.caseForm(twoHandlers...)
	form.Set("act_on", "2022-06-01")
	form.Set("discovered_on", "2025-08-25")
	res := officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "违法行为在2年内未被发现的，不再给予行政处罚（行政处罚法第三十六条）；涉及公民生命健康安全、金融安全且有危害后果的为五年，请勾选。")
	form.Set("serious_harm", "1")
	path := a.filedCase(t, form)
	mustContain(t, officer.get(path), "已立案")
	form.Set("act_on", "2020-06-01")
	res = officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "违法行为在5年内未被发现的，不再给予行政处罚（行政处罚法第三十六条）。")

	// Discovered within 2 years of the act, filed after them: lawful.
	form = a.caseForm(twoHandlers...)
	form.Set("act_on", "2023-08-28")
	form.Set("discovered_on", "2025-08-25")
	path = a.filedCase(t, form)
	page := officer.get(path)
	mustContain(t, page, "已立案", "追责时效")
	mustNotContain(t, page, "不得给予行政处罚", "已超过追责时效")
}

// APL arts. 60, 85: day 90 falls on Sunday 30 November 2025; the period
// ends on Monday 1 December.
func TestDecisionPeriodEndingOnSundayRunsToMonday(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	var paths []string
	for range 2 {
		path := p.noticed(t, a, a.caseForm(twoHandlers...), "1000") // filed Monday 2025-09-01
		mustAct(t, p.officer, path, "waive_statement", nil)
		paths = append(paths, path)
	}
	a.clock.Set(day(time.December, 1))
	page := p.officer.get(paths[1])
	mustContain(t, page, "2025-12-01")
	mustNotContain(t, page, "已逾期")
	mustAct(t, p.head, paths[0], "decide", decision("1000"))
	a.clock.Set(day(time.December, 2))
	refused(t, p.head, paths[1], "decide", decision("1000"), http.StatusUnprocessableEntity, "已超过立案之日起90日的决定期限")
}

// GB 11643: the last character of an ID number is a check digit.
func TestIDNumberCheckDigit(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	form := a.caseForm(twoHandlers...)
	form.Set("party_id_number", "610924197001011235")
	res := officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "身份证号码校验位不正确，请核对（GB 11643）。", `value="610924197001011235"`)

	path := a.filedCase(t, a.caseForm(twoHandlers...))
	fix := url.Values{"party_name": {"刘某"}, "party_id_number": {"61092419700101123x"}, "party_phone": {"13800001234"},
		"party_address": {"毛坝镇干沙村三组"}, "place_village": {"干沙村"}, "place_address": {"刘某住宅外"}}
	refused(t, officer, path, "update_party", fix, http.StatusUnprocessableEntity, "身份证号码校验位不正确")
}

// APL art. 43: a recusal is asked for, the head (行政机关负责人, art. 43 ¶3)
// decides it and replaces the officer, who then takes no further step.
func TestRecusal(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	o3, leader := a.user("maoba-officer3"), a.user("maoba-leader")
	mustAct(t, p.officer, path, "request_recusal", url.Values{"officer_id": {itoa(o3.ID)}, "requested_by": {"当事人"}, "reason": {"系当事人近亲属"}})
	id := a.latestID(path, "case_recusals")
	refused(t, p.officer, path, "decide_recusal", url.Values{"recusal_id": {id}, "granted": {"yes"}, "replacement_id": {itoa(leader.ID)}, "text": {"准予"}},
		http.StatusForbidden, "您的角色（执法队员）不能进行“作出回避决定”")
	refused(t, p.leader, path, "decide_recusal", url.Values{"recusal_id": {id}, "granted": {"yes"}, "replacement_id": {itoa(leader.ID)}, "text": {"准予"}},
		http.StatusForbidden, "您的角色（队长）不能进行“作出回避决定”")
	// The replacement must hold a valid certificate: maoba-officer2's lapsed.
	refused(t, p.head, path, "decide_recusal", url.Values{"recusal_id": {id}, "granted": {"yes"}, "replacement_id": {itoa(a.user("maoba-officer2").ID)},
		"text": {"准予"}}, http.StatusUnprocessableEntity, "替换的执法人员须为本镇在职且执法证有效的执法队员或队长")
	mustAct(t, p.head, path, "decide_recusal", url.Values{"recusal_id": {id}, "granted": {"yes"}, "replacement_id": {itoa(leader.ID)},
		"text": {"申请理由成立，准予回避"}})
	mustContain(t, p.officer.get(path), "当事人申请"+o3.DisplayName+"回避", "决定"+o3.DisplayName+"回避，由"+leader.DisplayName+"承办：申请理由成立，准予回避")

	facts := url.Values{"text": {"补充调查情况。"}}
	refused(t, p.officer3, path, "update_facts", facts, http.StatusForbidden, "只有本案的承办人员可以进行“保存调查情况”")
	mustAct(t, p.leader, path, "update_facts", facts)
}
