package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestSettingsStatutoryBounds: the county administrator cannot set a period
// below the party's statutory right or above the agency's statutory duty,
// neither as the county default nor for a domain; the refusal names the
// bound and the article, and the stored value stays.
func TestSettingsStatutoryBounds(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")

	// The new settings are listed with their units, and the short periods
	// are in working days (行政处罚法第八十五条).
	res := admin.get("/settings")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "立案期限（发现之日起）", "15个工作日", "听证通知期（听证举行前至少）", "7个工作日",
		"查封扣押期限（可经批准延长一次）", "30日", "提起行政诉讼期限（决定送达后）", "6个月", "当场收缴罚款限额", "100元",
		"集体讨论标准：对个人罚款达到", "50000元", "集体讨论标准：对单位罚款达到", "200000元",
		"追责时效（涉及生命健康安全、金融安全且有危害后果）", "5年", "负责人可批准延长办案期限的次数", "1次",
		"行政处罚法第六十四条、第八十五条", "行政处罚法第六十一条、第八十五条")

	refused := []struct {
		key, value, msg string
	}{
		{"hearing_request_days", "1", "听证申请期不得少于法定的5个工作日（行政处罚法第六十四条）。"},
		{"payment_days", "5", "缴纳罚款期限不得少于法定的15日（行政处罚法第六十七条）。"},
		{"statement_working_days", "2", "陈述申辩期不得少于3个工作日（行政处罚法第四十四条、第四十五条；实务最低标准）。"},
		{"hearing_notice_working_days", "3", "听证通知期不得少于法定的7个工作日（行政处罚法第六十四条）。"},
		{"demand_working_days", "5", "催告后申请强制执行的等待期不得少于法定的10个工作日（行政强制法第五十四条）。"},
		{"reconsideration_days", "30", "申请行政复议期限不得少于法定的60日（行政复议法第二十条）。"},
		{"litigation_months", "3", "提起行政诉讼期限不得少于法定的6个月（行政诉讼法第四十六条）。"},
		{"service_days", "30", "决定书送达期限不得超过法定的7个工作日（行政处罚法第六十一条）。"},
		{"decision_days", "120", "作出处罚决定期限不得超过法定的90日（行政处罚法第六十条）。"},
		{"extension_days", "60", "每次延长的期限不得超过30日（经负责人批准延长三十日，部门规章的通行规定）。"},
		{"preservation_working_days", "10", "先行登记保存处理期限不得超过法定的7个工作日（行政处罚法第五十六条）。"},
		{"seizure_days", "60", "查封扣押期限不得超过法定的30日（行政强制法第二十五条）。"},
		{"transfer_decide_working_days", "5", "移送涉嫌犯罪案件审批期限不得超过法定的3个工作日（行政执法机关移送涉嫌犯罪案件的规定第五条）。"},
		{"hand_in_working_days", "3", "当场收缴罚款上缴期限不得超过法定的2个工作日（行政处罚法第七十一条）。"},
		{"enforcement_apply_months", "6", "申请法院强制执行期限不得超过法定的3个月（行政强制法第五十三条）。"},
		{"onspot_cap_fen", "200", "当场收缴罚款限额不得超过法定的100元（行政处罚法第六十八条）。"},
		{"summary_person_cap_fen", "500", "简易程序对个人罚款上限不得超过法定的200元（行政处罚法第五十一条）。"},
		{"limitation_years", "1", "追责时效为法定的2年，不能修改（行政处罚法第三十六条）。"},
		{"limitation_years_serious", "3", "涉及生命健康安全、金融安全且有危害后果的追责时效为法定的5年，不能修改（行政处罚法第三十六条）。"},
	}
	for _, tc := range refused {
		before, ok := settingValue(t, a, tc.key, 0)
		if !ok {
			t.Errorf("%s: no county default", tc.key)
			continue
		}
		res := admin.post("/settings", url.Values{"key": {tc.key}, "value": {tc.value}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s = %s: status %d, want 422", tc.key, tc.value, res.status)
			continue
		}
		mustContain(t, res, tc.msg, "填写的内容有误")
		if after, _ := settingValue(t, a, tc.key, 0); after != before {
			t.Errorf("%s = %s changed the value from %d to %d", tc.key, tc.value, before, after)
		}
	}

	// A domain cannot go below the law either.
	nat := domainID(t, a, "自然资源")
	res = admin.post("/settings/domain", url.Values{"domain": {itoa(nat)}, "key": {"hearing_request_days"}, "value": {"2"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "听证申请期不得少于法定的5个工作日（行政处罚法第六十四条）。", `value="2"`)
	if _, ok := settingValue(t, a, "hearing_request_days", nat); ok {
		t.Error("a domain override below the law was stored")
	}

	// Within the law: more time for the party, less for the agency.
	for key, v := range map[string]int64{"hearing_request_days": 10, "payment_days": 30, "service_days": 5, "decision_days": 60,
		"reconsideration_days": 90, "filing_working_days": 10, "max_extensions": 2} {
		res := admin.post("/settings", url.Values{"key": {key}, "value": {itoa(v)}})
		wantStatus(t, res, http.StatusSeeOther)
		if got, _ := settingValue(t, a, key, 0); got != v {
			t.Errorf("%s = %d, want %d", key, got, v)
		}
	}
	res = admin.post("/settings/domain", url.Values{"domain": {itoa(nat)}, "key": {"onspot_cap_fen"}, "value": {"50"}})
	wantStatus(t, res, http.StatusSeeOther)
	if got, _ := settingValue(t, a, "onspot_cap_fen", nat); got != 5000 {
		t.Errorf("onspot_cap_fen for the domain = %d, want 5000", got)
	}
	mustContain(t, admin.get("/settings"), "10个工作日", "30日", "5个工作日", "60日", "90日", "2次", "50元")
}
