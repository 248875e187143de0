package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
)

var caseNumberRE = regexp.MustCompile(`紫[^〔\s<>]*综执立〔\d{4}〕\d+号`)

// idNumber is a valid 18-digit ID number (GB 11643 check digit) of a person
// of 紫阳县 born on birth (YYYYMMDD), with the 3-digit sequence seq.
func idNumber(birth, seq string) string {
	id := "610924" + birth + seq
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(id[i]-'0') * w
	}
	return id + string("10X98765432"[sum%11])
}

// idNumberBorn is an ID number of a person born on birth.
func idNumberBorn(birth string) string { return idNumber(birth, "123") }

// APL art. 29: one act, one fine. A second case on the same party, item and
// act date is refused while the first stands, and allowed once it is revoked.
func TestNoSecondCaseOnTheSameAct(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	leader := a.login("maoba-leader")
	form := a.caseForm(twoHandlers...)
	const rule = "同一个违法行为不得给予两次以上罚款的行政处罚（行政处罚法第二十九条）"

	first := fileCase(t, officer, form) // a lead waiting for approval
	res := officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "该当事人的同一违法行为（同一事项、同一发生日期）已有案件（待立案）："+rule)

	mustAct(t, leader, first, "file", confirmed)
	number := caseNumberRE.FindString(officer.get(first).body)
	if number == "" {
		t.Fatalf("no case number on %s", first)
	}
	res = leader.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "已有案件"+number+"："+rule)

	// Without an ID number the same name is the same party.
	noID := cloneValues(form)
	noID.Set("party_id_number", "")
	res = officer.post("/cases/new", noID)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "已有案件"+number+"："+rule)

	// Another day is another act; another ID number another party.
	other := cloneValues(form)
	other.Set("act_on", "2025-08-21")
	fileCase(t, officer, other)
	other = cloneValues(form)
	other.Set("party_id_number", idNumberBorn("19800101"))
	fileCase(t, officer, other)

	// Once the first filing is revoked, the act may be filed again.
	mustAct(t, leader, first, "revoke", url.Values{"reason": {"案件登记有误"}})
	fileCase(t, officer, form)
}

// APL art. 30: no penalty under 14 (by the ID number's birth date on the
// day of the act); from 14 to under 18 the penalty is mitigated.
func TestMinors(t *testing.T) {
	a := newApp(t)
	p := a.people(t)

	child := a.caseForm(twoHandlers...)
	child.Set("party_id_number", idNumberBorn("20120501")) // 13 on 20 August 2025
	res := p.officer.post("/cases/new", child)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "当事人违法时不满十四周岁，不予行政处罚，责令监护人加以管教（行政处罚法第三十条）")

	// 16 on the day of the act.
	form := a.caseForm(twoHandlers...)
	form.Set("party_id_number", idNumberBorn("20090315"))
	path := a.filedCase(t, form)
	mustContain(t, p.officer.get(path), "未成年人（违法时16周岁）")
	mustAct(t, p.officer, path, "investigate", nil)
	res = p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"经查，当事人于2025年8月20日在住宅外焚烧垃圾。"}})
	const rule = "当事人违法时已满十四周岁不满十八周岁，应当从轻或者减轻处罚（行政处罚法第三十条），请填写从轻、减轻情节"
	proposal := url.Values{"amount": {"200"}, "tier": {"较轻"}, "reasoning": {"违法情节较轻。"}}
	refused(t, p.officer, path, "propose", proposal, http.StatusUnprocessableEntity, rule)
	mustAct(t, p.officer, path, "propose", with(proposal, url.Values{"mitigation": {"当事人违法时未满十八周岁（行政处罚法第三十条）"}}))
	mustAct(t, p.officer, path, "submit_review", nil)

	// A party found to be a minor after the proposal: the proposal must be
	// mitigated before it goes to review.
	adult := a.caseForm(twoHandlers...)
	adult.Set("act_on", "2025-08-22")
	path = a.filedCase(t, adult)
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "200")
	mustAct(t, p.officer, path, "update_party", url.Values{"party_name": {"刘某"}, "party_id_number": {idNumberBorn("20090315")},
		"party_phone": {"13800001234"}, "party_address": {"毛坝镇干沙村三组"}, "place_village": {"干沙村"}, "place_address": {"刘某住宅外"}})
	refused(t, p.officer, path, "submit_review", nil, http.StatusUnprocessableEntity, "不能“调查终结，提交法制审核”："+rule+"。")
	// Nor can the party be corrected to a child.
	refused(t, p.officer, path, "update_party", url.Values{"party_name": {"刘某"}, "party_id_number": {idNumberBorn("20120501")},
		"party_phone": {"13800001234"}, "party_address": {"毛坝镇干沙村三组"}, "place_village": {"干沙村"}, "place_address": {"刘某住宅外"}},
		http.StatusUnprocessableEntity, "当事人违法时不满十四周岁")
}

// APL art. 42: two handlers with certificates valid on the day, all through
// the case. When a co-handler's certificate lapses the handlers stop until
// the team leader adds a certified officer.
func TestCertificateLapsingMidCase(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	o3 := a.user("maoba-officer3")
	if _, err := a.owner().Exec(context.Background(), `UPDATE certificates SET valid_until = '2025-09-10' WHERE user_id = $1`, o3.ID); err != nil {
		t.Fatal(err)
	}
	a.clock.Set(day(time.September, 15))
	const rule = "承办人员中今日持有效执法证的不足两名，请由队长增加承办人员（行政处罚法第四十二条）"
	refused(t, p.officer, path, "investigate", nil, http.StatusUnprocessableEntity, "不能“开始调查”："+rule+"。")
	mustContain(t, p.officer.get(path), rule) // the page says why
	refused(t, p.officer, path, "update_facts", url.Values{"text": {"补充调查情况。"}}, http.StatusUnprocessableEntity, rule+"。")

	add := func(user, reason string) url.Values {
		return url.Values{"officer_id": {itoa(a.user(user).ID)}, "reason": {reason}}
	}
	const why = "原承办人员执法证已过期"
	refused(t, p.officer, path, "add_handler", add("maoba-leader", why), http.StatusForbidden, "您的角色（执法队员）不能进行“增加承办人员”")
	refused(t, p.leader, path, "add_handler", add("maoba-officer2", why), http.StatusUnprocessableEntity,
		"增加的承办人员须为本镇在职且执法证今日有效的执法队员或队长（行政处罚法第四十二条）")
	refused(t, p.leader, path, "add_handler", add("maoba-officer1", why), http.StatusUnprocessableEntity, "该人员已是本案承办人员")
	refused(t, p.leader, path, "add_handler", add("maoba-leader", ""), http.StatusUnprocessableEntity, "请填写增加承办人员的理由")
	mustAct(t, p.leader, path, "add_handler", add("maoba-leader", why))
	mustContain(t, p.officer.get(path), "增加"+a.user("maoba-leader").DisplayName+"为承办人员", why)
	mustAct(t, p.officer, path, "investigate", nil)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"补充调查情况。"}})
	// The lapsed handler still takes no step.
	refused(t, p.officer3, path, "update_facts", url.Values{"text": {"补充调查情况。"}}, http.StatusForbidden, "您的执法证今日不在有效期内")
}

// APL arts. 43, 64(4): the head decides a recusal; a recused former handler
// investigated the case and cannot chair its hearing.
func TestRecusedHandlerCannotChairTheHearing(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	var domain int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT domain_id FROM catalogue_items WHERE code = 'ZY-LY-001'`).Scan(&domain)
	})
	wantStatus(t, admin.post("/settings/domain", url.Values{"domain": {itoa(domain)}, "key": {"hearing_person_fen"}, "value": {"2000"}}), http.StatusSeeOther)

	p := a.people(t)
	path := p.noticed(t, a, a.caseForm(twoHandlers...), "3000")
	o3, leader := a.user("maoba-officer3"), a.user("maoba-leader")
	mustAct(t, p.officer, path, "request_recusal", url.Values{"officer_id": {itoa(o3.ID)}, "requested_by": {"执法人员本人"}, "reason": {"与当事人有利害关系"}})
	decide := url.Values{"recusal_id": {a.latestID(path, "case_recusals")}, "granted": {"yes"}, "replacement_id": {itoa(leader.ID)}, "text": {"准予回避"}}
	refused(t, p.leader, path, "decide_recusal", decide, http.StatusForbidden, "您的角色（队长）不能进行“作出回避决定”")
	mustAct(t, p.head, path, "decide_recusal", decide)

	mustAct(t, p.officer, path, "waive_statement", nil)
	a.clock.Advance(2 * 24 * time.Hour)
	mustAct(t, p.officer, path, "request_hearing", nil)
	hearing := url.Values{"hearing_on": {"2025-09-19"}, "hearing_place": {"毛坝镇政府会议室"}, "hearing_chair": {itoa(o3.ID)}}
	refused(t, p.officer, path, "serve_hearing_notice", hearing, http.StatusUnprocessableEntity,
		"请选择听证主持人：须为本案调查人员以外的人员（行政处罚法第六十四条）。")
	hearing.Set("hearing_chair", itoa(a.user("maoba-officer2").ID))
	mustAct(t, p.officer, path, "serve_hearing_notice", hearing)
}
