package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Browser tests of the hearing, discussion, review-failure, 不予处罚,
// recusal and handler forms of the case page. The case is brought to the
// step over HTTP; each form under test is then filled and submitted in
// Chromium, refused once with the entries kept, and taken.

// bhSays fails unless the case page shown says each of wants.
func (b *browser) bhSays(wants ...string) {
	b.t.Helper()
	page := b.text("main")
	for _, w := range wants {
		if !strings.Contains(page, w) {
			b.t.Errorf("the page %s does not say %q; it says: %.2000s", b.path(), w, page)
		}
	}
}

// TestBrowserHearing: the party asks for a hearing; the officer serves the
// hearing notice (in private, with the reason); the party asks that the
// chair step aside and the head grants it; the notice is served again with
// another chair; the hearing is held with agents and the signed transcript;
// the case is reviewed again, sent to collective discussion and discussed.
func TestBrowserHearing(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := p.noticed(t, a, a.itemForm("ZY-HJ-001", twoHandlers...), "10000") // 2025-09-01: hearing right
	leader, other, head := a.user("maoba-leader"), a.user("maoba-officer2"), a.user("maoba-head")
	b := newBrowser(t, a)

	b.login("maoba-officer1")
	b.open(path)
	b.refused("request_hearing", []string{"当事人提出听证申请的日期不能早于2025年9月1日", "不得倒签"}, "date", "2025-08-29")
	b.act("request_hearing", "date", "2025-09-01")
	b.wantState("听证")

	notice := []string{"date", "2025-09-01", "hearing_on", "2025-09-09", "hearing_place", "毛坝镇政府会议室", "hearing_chair", itoa(leader.ID)}
	b.refused("serve_hearing_notice", []string{"听证日期须在听证通知书送达7个工作日之后（最早2025年9月10日）"}, notice...)
	b.refused("serve_hearing_notice", []string{"不公开举行听证的，请写明理由"}, "hearing_on", "2025-09-10", "hearing_private", "1")
	b.act("serve_hearing_notice", "hearing_on", "2025-09-10", "private_reason", "涉及当事人个人隐私")
	b.bhSays("送达听证通知书：2025年9月10日在毛坝镇政府会议室举行听证，主持人" + leader.DisplayName + "，不公开举行（涉及当事人个人隐私）")

	// The party asks that the chair step aside; the head grants it.
	a.clock.Set(day(time.September, 3))
	b.open(path)
	b.refused("request_chair_recusal", []string{"请填写当事人申请主持人回避的理由"}, "date", "2025-09-02")
	b.act("request_chair_recusal", "reason", "主持人系当事人亲属")
	b.bhSays("当事人于 2025-09-02 申请听证主持人 " + leader.DisplayName + " 回避，理由：主持人系当事人亲属")

	b.login("maoba-head")
	b.open(path)
	b.refused("decide_chair_recusal", []string{"请选择是否准予主持人回避。"}, "text", "经查属实", "date", "2025-09-03")
	b.act("decide_chair_recusal", "granted", "yes")
	b.bhSays("2025-09-03 决定回避，须另行指定主持人：经查属实")

	// A new notice with another chair; the recused one is not offered.
	b.login("maoba-officer1")
	a.clock.Set(day(time.September, 5))
	b.open(path)
	if got := b.eval(`Array.from(document.querySelectorAll('form[data-action="serve_hearing_notice"] [name="hearing_chair"] option')).map(o => o.value).join(",")`); strings.Contains(","+got+",", ","+itoa(leader.ID)+",") {
		t.Errorf("the recused chair is still offered: %s", got)
	}
	b.act("serve_hearing_notice", "date", "2025-09-05", "hearing_on", "2025-09-16", "hearing_place", "毛坝镇政府会议室", "hearing_chair", itoa(other.ID))

	// The hearing is held: agents, transcript and its signed scan.
	a.clock.Set(day(time.September, 16))
	wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "documentary", "title": "听证笔录（签字）", "collected_on": "2025-09-16"},
		"transcript.jpg", jpegBytes), http.StatusSeeOther)
	scan := a.latestID(path, "evidence")
	b.open(path)
	held := []string{"date", "2025-09-16", "outcome", "held", "attendance", "当事人刘某及其代理人、调查人员、主持人、记录员",
		"transcript", "当事人对事实无异议，请求从轻。", "scan_evidence_id", scan}
	b.refused("hold_hearing", []string{"委托代理人不得超过2人"}, append(held, "agents", "律师赵某\n律师钱某\n刘某之子")...)
	b.act("hold_hearing", "agents", "律师赵某\n刘某之子")
	b.bhSays("听证已举行；出席：当事人刘某及其代理人、调查人员、主持人、记录员", "委托代理人：律师赵某、刘某之子")

	// Reviewed again after the hearing.
	b.refused("resubmit_review", []string{"请填写重新审核的原因"})
	b.act("resubmit_review", "reason", "听证后根据听证笔录重新审核")
	b.wantState("法制审核")
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"听证笔录未提出新的事实，维持原意见。"}}))

	// The team leader sends it to collective discussion and records it.
	b.login("maoba-leader")
	b.open(path)
	b.wantState("待决定")
	b.act("to_discussion")
	b.wantState("集体讨论")
	headBox := `[name="discussion_user"][value="` + itoa(head.ID) + `"]`
	leaderBox := `[name="discussion_user"][value="` + itoa(leader.ID) + `"]`
	b.refused("record_discussion", []string{"集体讨论须由行政机关负责人参加（行政处罚法第五十七条第二款）"},
		leaderBox, "1", "participants", "分管副镇长王某", "conclusion", "维持罚款10000元", "date", "2025-09-16")
	b.act("record_discussion", headBox, "1")
	b.bhSays("维持罚款10000元（参加：镇负责人" + head.DisplayName + "、队长" + leader.DisplayName + "、分管副镇长王某）")
	// Discussed after the hearing, the case can be decided.
	mustAct(t, p.head, path, "decide", decision("10000"))
}

// TestBrowserHearingPartyRecusalAndHandlers: the officer corrects the party
// and the place (the village chosen from the town's list); an officer's
// recusal is asked for and the head grants it, naming the replacement; the
// team leader adds a handler.
func TestBrowserHearingPartyRecusalAndHandlers(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	o2, o3, leader := a.user("maoba-officer2"), a.user("maoba-officer3"), a.user("maoba-leader")
	b := newBrowser(t, a)

	b.login("maoba-officer1")
	b.open(path)
	id := b.eval(`document.querySelector('form[data-action="update_party"] [name="party_id_number"]').value`)
	b.refused("update_party", []string{"身份证号码应为18位"},
		"party_id_number", "12345", "party_phone", "13900005678", "place_village", "东风村", "place_address", "东风村二组河堤")
	b.act("update_party", "party_id_number", id)
	b.bhSays("13900005678", "东风村", "东风村二组河堤")

	b.refused("request_recusal", []string{"请填写回避的理由"},
		"officer_id", itoa(o3.ID), "requested_by", "当事人", "date", "2025-09-01")
	b.act("request_recusal", "reason", "系当事人近亲属")
	b.bhSays("当事人申请" + o3.DisplayName + "回避")

	b.login("maoba-head")
	b.open(path)
	b.refused("decide_recusal", []string{"请填写回避决定的理由"}, "granted", "yes", "replacement_id", itoa(leader.ID))
	b.act("decide_recusal", "text", "申请理由成立，准予回避")
	b.bhSays("决定" + o3.DisplayName + "回避，由" + leader.DisplayName + "承办：申请理由成立，准予回避")

	// officer2's certificate is renewed: the team leader adds officer2.
	if _, err := a.owner().Exec(context.Background(), `UPDATE certificates SET valid_until = '2027-12-31' WHERE user_id = $1`, o2.ID); err != nil {
		t.Fatal(err)
	}
	b.login("maoba-leader")
	b.open(path)
	b.refused("add_handler", []string{"请填写增加承办人员的理由"}, "officer_id", itoa(o2.ID))
	b.act("add_handler", "reason", "案情复杂，增加承办人员")
	b.bhSays("增加"+o2.DisplayName+"为承办人员", "案情复杂，增加承办人员")
}

// TestBrowserHearingReviewFailsAndNoPenalty: the reviewer fails a proposal
// with the checklist and the reason; proposed anew not to penalise and
// reviewed, the head records 不予处罚 with its kind, the education given
// and the reason.
func TestBrowserHearingReviewFailsAndNoPenalty(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "1000")
	mustAct(t, p.officer, path, "submit_review", nil)
	b := newBrowser(t, a)

	b.login("maoba-reviewer")
	b.open(path)
	review := append(checks("characterisation"), "note_characterisation", "当事人系初次且已扑灭，不宜处罚", "text", "定性不当，拟处罚不适当。")
	b.refused("fail_review", []string{"请填写审核不通过的理由"}, review...)
	b.act("fail_review", "reason", "违法行为轻微并及时改正，应不予处罚。")
	b.wantState("调查取证")
	b.bhSays("审核不通过", "违法行为轻微并及时改正，应不予处罚。")

	mustAct(t, p.officer, path, "propose", url.Values{"no_penalty": {"1"}, "amount": {""}, "reasoning": {"违法行为轻微并及时改正，没有造成危害后果。"}})
	reviewed(t, p.officer, p.reviewer, path)

	b.login("maoba-head")
	b.open(path)
	b.wantState("待决定")
	b.refused("no_penalty", []string{"请记录对当事人进行的教育"}, "no_penalty_kind", "minor", "reason", "违法行为轻微并及时改正，没有造成危害后果")
	b.act("no_penalty", "education", "当场宣讲森林防火条例，当事人签署承诺书")
	b.wantState("不予处罚")
	b.bhSays("当场宣讲森林防火条例，当事人签署承诺书", "违法行为轻微并及时改正，没有造成危害后果")
}
