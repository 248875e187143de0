package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// AEL art. 19: in an emergency the handlers seize on the spot before
// approval, report to the head within 24 hours and have the approval
// regularised; the head who finds the seizure should not have been taken
// has it released at once.
func TestEmergencySeizureApprovedAfterwards(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	seizeID, _ := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	spot := a.seizureOnSpot(t, p.officer, path)
	urgent := url.Values{"reason": {"当事人正在转移涉案三轮车"}}
	seize := with(url.Values{"inventory": {"三轮车1辆（陕G·12345），存放于镇政府院内"}, "coercion_item_id": {itoa(seizeID)}}, spot)

	// The form is the handlers': the head approves beforehand instead.
	mustContain(t, p.officer.get(path), `data-action="emergency_seize"`)
	refused(t, p.head, path, "emergency_seize", with(seize, urgent), http.StatusForbidden)
	refused(t, p.officer, path, "emergency_seize", seize, http.StatusUnprocessableEntity,
		"请填写情况紧急、需要当场实施查封扣押的理由（行政强制法第十九条）。")
	one := with(seize, urgent)
	one["executor"] = one["executor"][:1]
	refused(t, p.officer, path, "emergency_seize", one, http.StatusUnprocessableEntity,
		"查封扣押须由两名以上本案承办的执法人员实施，请勾选实际实施的人员（行政强制法第十八条第二项）。")
	noItem := with(seize, urgent)
	noItem.Del("coercion_item_id")
	refused(t, p.officer, path, "emergency_seize", noItem, http.StatusUnprocessableEntity,
		"查封扣押须有本镇执法事项清单中的行政强制事项（行政强制法第十七条），清单之外无执法。")
	// Nothing awaits the head's approval yet.
	refused(t, p.head, path, "approve_emergency", url.Values{"outcome": {"approve"}}, http.StatusConflict, "当前没有可以“补办查封扣押批准手续”的事项。")

	mustAct(t, p.officer, path, "emergency_seize", with(seize, urgent))
	page := p.head.get(path)
	pageSays(t, page, "查封扣押（2025-09-01，紧急情况当场实施，待负责人补办批准）：三轮车1辆（陕G·12345），存放于镇政府院内",
		"报告负责人并补办批准", "行政强制法第十九条", "查封扣押期限",
		"；须在24小时内报告负责人并补办批准手续", "当事人正在转移涉案三轮车")
	mustContain(t, page, `data-action="approve_emergency"`)
	first := a.latestID(path, "case_preservations")

	refused(t, p.officer, path, "approve_emergency", url.Values{"preservation_id": {first}, "outcome": {"approve"}}, http.StatusForbidden)
	refused(t, p.head, path, "approve_emergency", url.Values{"preservation_id": {first}}, http.StatusUnprocessableEntity, "请选择补办批准或者立即解除。")
	a.clock.Set(day(time.September, 2))
	mustAct(t, p.head, path, "approve_emergency", url.Values{"preservation_id": {first}, "outcome": {"approve"}, "text": {"同意"}})
	page = p.officer.get(path)
	head := a.user("maoba-head").DisplayName
	pageSays(t, page, "查封扣押（2025-09-01，紧急情况当场实施，"+head+" 补办批准（2025-09-02））",
		"补办批准2025年9月1日紧急情况当场实施的查封扣押（三轮车1辆（陕G·12345），存放于镇政府院内）：同意")
	pageSaysNot(t, page, "待负责人补办批准", "逾期报告")
	refused(t, p.head, path, "approve_emergency", url.Values{"preservation_id": {first}, "outcome": {"approve"}}, http.StatusConflict,
		"当前没有可以“补办查封扣押批准手续”的事项。")

	// A second one, reported two days on: the head has it released, late.
	shed := with(seize, urgent)
	shed.Set("inventory", "铁皮棚1个")
	mustAct(t, p.officer, path, "emergency_seize", shed)
	second := a.latestID(path, "case_preservations")
	a.clock.Set(day(time.September, 4))
	page = p.head.get(path)
	pageSays(t, page, "紧急情况当场实施，待负责人补办批准", "已逾期")
	refused(t, p.head, path, "approve_emergency", url.Values{"preservation_id": {second}, "outcome": {"release"}}, http.StatusUnprocessableEntity,
		"请填写不应当采取查封扣押的理由。")
	mustAct(t, p.head, path, "approve_emergency", url.Values{"preservation_id": {second}, "outcome": {"release"}, "text": {"物品权属清楚，无转移可能"}})
	page = p.officer.get(path)
	pageSays(t, page, "（2025-09-02，紧急情况当场实施，负责人认为不应当采取，已解除；逾期报告（应在24小时内报告））",
		"2025-09-04 处理：负责人认为不应当采取，立即解除：物品权属清楚，无转移可能")
	e := entry(t, page, "立即解除：物品权属清楚")
	if !strings.Contains(e, "逾期报告（应在24小时内报告）") {
		t.Errorf("the timeline does not flag the late report: %s", e)
	}
	if e := entry(t, page, "补办批准2025年9月1日"); strings.Contains(e, "逾期报告") {
		t.Errorf("a timely approval flagged late: %s", e)
	}
	pageSays(t, page, "逾期完成")
}
