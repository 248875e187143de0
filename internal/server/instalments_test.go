package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestInstalmentsRunTheirOwnDates: the head approves paying a 1000-yuan
// fine in two parts (APL art. 66 ¶2); each part is late only from its own
// date, the page shows the plan and the next date, and a plan that does not
// add up is refused with the sums.
func TestInstalmentsRunTheirOwnDates(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000")
	a.gotoDay(t, "2025-09-10")
	bad := url.Values{"date": {"2025-09-09"}, "instalments": {"2025-10-31 400\n2025-11-30 500"}, "text": {"当事人经济困难，申请分两期缴纳"}}
	refused(t, p.head, path, "defer_payment", bad, http.StatusUnprocessableEntity, "各期金额合计900元，应等于尚欠罚款1000元")
	refused(t, p.head, path, "defer_payment", url.Values{"date": {"2025-09-09"}, "instalments": {"2025-11-30 500\n2025-10-31 500"}, "text": {"分期"}},
		http.StatusUnprocessableEntity, "第2行的日期应晚于2025年11月30日")
	// The entries are kept on the refused form.
	res := act(t, p.head, path, "defer_payment", bad)
	mustContain(t, res, "2025-10-31 400")
	plan := url.Values{"date": {"2025-09-09"}, "instalments": {"2025-10-31 500\n2025-11-30 500"}, "text": {"当事人经济困难，申请分两期缴纳"}}
	mustAct(t, p.head, path, "defer_payment", plan)
	page := p.officer.get(path)
	pageSays(t, page, "第1期 2025-10-31 前 500元", "第2期 2025-11-30 前 500元", "缴纳期限 2025-10-31")

	// The first part paid on time moves the next date to the second part.
	a.gotoDay(t, "2025-10-31")
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"500"}, "receipt_no": {"SX2025-21"}})
	pageSays(t, p.officer.get(path), "缴纳期限 2025-11-30")
	// Ten days after the second date: 3 % a day of the 500 yuan overdue.
	a.gotoDay(t, "2025-12-10")
	pageSays(t, p.officer.get(path), "截至今日应加处罚款 150元")
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"500"}, "receipt_no": {"SX2025-22"}})
	pageSays(t, p.officer.get(path), "加处罚款 150元", "已缴 1000元 ／ 应缴 1000元")
}

// TestCashOnTheSpotOnlyForSpotDecisions: art. 68 lets officers take cash
// only for decisions made on the spot; a general-procedure fine is paid at
// the bank unless the party, in a remote area, asks (art. 69).
func TestCashOnTheSpotOnlyForSpotDecisions(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "200")
	cash := url.Values{"payment_kind": {"on_spot"}, "amount": {"100"}, "receipt_no": {"SXCZ-0301"}}
	refused(t, p.officer, path, "add_payment", cash, http.StatusUnprocessableEntity,
		"当场收缴罚款（行政处罚法第六十八条）仅适用于依简易程序当场作出的处罚决定")
	mustAct(t, p.officer, path, "add_payment", with(cash, url.Values{"onspot_ground": {"remote"},
		"onspot_reason": {"当事人居住在高山村组，距最近银行网点40公里，书面提出当场缴纳"}}))
	pageSays(t, p.officer.get(path), "当场收缴 100元，票据号 SXCZ-0301")
}
