package procedure

import "testing"

// TestStatutoryBounds: the law's periods are floors for the party's rights
// and ceilings for the agency's duties, and a refusal names the bound and
// the article.
func TestStatutoryBounds(t *testing.T) {
	tests := []struct {
		key, unit, typed string
		want             int64
		msg              string
	}{
		// The party's rights: floors.
		{"hearing_request_days", "工作日", "4", 0, "听证申请期不得少于法定的5个工作日（行政处罚法第六十四条）。"},
		{"hearing_request_days", "工作日", "1", 0, "听证申请期不得少于法定的5个工作日（行政处罚法第六十四条）。"},
		{"hearing_request_days", "工作日", "5", 5, ""},
		{"hearing_request_days", "工作日", "10", 10, ""}, // more than the law gives is allowed
		{"payment_days", "日", "14", 0, "缴纳罚款期限不得少于法定的15日（行政处罚法第六十七条）。"},
		{"payment_days", "日", "5", 0, "缴纳罚款期限不得少于法定的15日（行政处罚法第六十七条）。"},
		{"payment_days", "日", "15", 15, ""},
		{"statement_working_days", "工作日", "2", 0, "陈述申辩期不得少于3个工作日（行政处罚法第四十四条、第四十五条；实务最低标准）。"},
		{"statement_working_days", "工作日", "3", 3, ""},
		{"hearing_notice_working_days", "工作日", "6", 0, "听证通知期不得少于法定的7个工作日（行政处罚法第六十四条）。"},
		{"demand_working_days", "工作日", "9", 0, "催告后申请强制执行的等待期不得少于法定的10个工作日（行政强制法第五十四条）。"},
		{"reconsideration_days", "日", "59", 0, "申请行政复议期限不得少于法定的60日（行政复议法第二十条）。"},
		{"reconsideration_days", "日", "90", 90, ""},
		{"litigation_months", "月", "5", 0, "提起行政诉讼期限不得少于法定的6个月（行政诉讼法第四十六条）。"},
		// The agency's duties: ceilings.
		{"service_days", "工作日", "8", 0, "决定书送达期限不得超过法定的7个工作日（行政处罚法第六十一条）。"},
		{"service_days", "工作日", "30", 0, "决定书送达期限不得超过法定的7个工作日（行政处罚法第六十一条）。"},
		{"service_days", "工作日", "5", 5, ""},
		{"decision_days", "日", "91", 0, "作出处罚决定期限不得超过法定的90日（行政处罚法第六十条）。"},
		{"decision_days", "日", "60", 60, ""},
		{"extension_days", "日", "31", 0, "每次延长的期限不得超过30日（经负责人批准延长三十日，部门规章的通行规定）。"},
		{"preservation_working_days", "工作日", "8", 0, "先行登记保存处理期限不得超过法定的7个工作日（行政处罚法第五十六条）。"},
		{"seizure_days", "日", "31", 0, "查封扣押期限不得超过法定的30日（行政强制法第二十五条）。"},
		{"transfer_decide_working_days", "工作日", "4", 0, "移送涉嫌犯罪案件审批期限不得超过法定的3个工作日（行政执法机关移送涉嫌犯罪案件的规定第五条）。"},
		{"hand_in_working_days", "工作日", "3", 0, "当场收缴罚款上缴期限不得超过法定的2个工作日（行政处罚法第七十一条）。"},
		{"enforcement_apply_months", "月", "4", 0, "申请法院强制执行期限不得超过法定的3个月（行政强制法第五十三条）。"},
		{"onspot_cap_fen", "分", "100.01", 0, "当场收缴罚款限额不得超过法定的100元（行政处罚法第六十八条）。"},
		{"onspot_cap_fen", "分", "100", 10000, ""},
		{"summary_person_cap_fen", "分", "500", 0, "简易程序对个人罚款上限不得超过法定的200元（行政处罚法第五十一条）。"},
		{"summary_org_cap_fen", "分", "3000.01", 0, "简易程序对单位罚款上限不得超过法定的3000元（行政处罚法第五十一条）。"},
		{"summary_org_cap_fen", "分", "3000", 300000, ""},
		// Fixed by art. 36.
		{"limitation_years", "年", "1", 0, "追责时效为法定的2年，不能修改（行政处罚法第三十六条）。"},
		{"limitation_years", "年", "3", 0, "追责时效为法定的2年，不能修改（行政处罚法第三十六条）。"},
		{"limitation_years", "年", "2", 2, ""},
		{"limitation_years", "年", "99999999999999999999", 0, "追责时效为法定的2年，不能修改（行政处罚法第三十六条）。"},
		{"limitation_years_serious", "年", "2", 0, "涉及生命健康安全、金融安全且有危害后果的追责时效为法定的5年，不能修改（行政处罚法第三十六条）。"},
		{"limitation_years_serious", "年", "5", 5, ""},
		// The other side of a legal bound, and practice values: a sensible range.
		{"decision_days", "日", "0", 0, "应为1至90之间的整数（单位：日）。"},
		{"hearing_request_days", "工作日", "31", 0, "应为5至30之间的整数（单位：工作日）。"},
		{"filing_working_days", "工作日", "31", 0, "应为1至30之间的整数（单位：工作日）。"},
		{"filing_working_days", "工作日", "15", 15, ""},
		{"max_extensions", "次", "0", 0, ""},
		{"max_extensions", "次", "11", 0, "应为0至10之间的整数（单位：次）。"},
		{"discussion_person_fen", "分", "50000", 5000000, ""},
		{"onspot_cap_fen", "分", "0", 0, "金额应在0.01元至100元之间。"},
	}
	for _, tt := range tests {
		v, msg := ParseValue(tt.key, tt.unit, tt.typed)
		if v != tt.want || msg != tt.msg {
			t.Errorf("ParseValue(%s, %q) = %d %q, want %d %q", tt.key, tt.typed, v, msg, tt.want, tt.msg)
		}
	}
}

func TestDisplayUnits(t *testing.T) {
	for _, tt := range []struct {
		unit string
		v    int64
		want string
	}{
		{"工作日", 5, "5个工作日"}, {"月", 6, "6个月"}, {"日", 60, "60日"}, {"年", 5, "5年"}, {"次", 1, "1次"}, {"分", 10000, "100元"},
	} {
		s := Setting{Unit: tt.unit, Value: tt.v}
		if got := s.Display(); got != tt.want {
			t.Errorf("Display(%d %s) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}
