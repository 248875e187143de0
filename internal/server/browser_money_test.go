package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Browser tests of the forms of deciding on the spot, of the money and of
// execution: each filled and submitted through the case page in headless
// Chromium by the person whose step it is. The case is brought to the state
// a form needs over HTTP; the clock (shared with the browser's server) is
// moved as the steps' dates require.

// pageHas fails unless the case page shown says each of wants.
func (b *browser) pageHas(wants ...string) {
	b.t.Helper()
	page := strings.Join(strings.Fields(b.text("main")), " ")
	for _, w := range wants {
		if !strings.Contains(page, w) {
			b.t.Errorf("the page %s does not say %q; it says: %.1500s", b.path(), w, page)
		}
	}
}

// actNoted is act on a page that shows a standing note styled as an error
// (a closed case with the fine unpaid says so at its top): the step is done
// when the page says so and its form shows no error.
func (b *browser) actNoted(action string, pairs ...string) string {
	b.t.Helper()
	form := actionForm(action)
	b.fill(form, pairs...)
	path := b.path()
	if st := b.submit(form); st != http.StatusOK {
		b.t.Fatalf("%s as %s: status %d: %s", action, b.who, st, b.texts(".form-error, p.error"))
	}
	if got := b.path(); got != strings.TrimSuffix(path, "/act") {
		b.t.Fatalf("%s: landed on %s, want the case page %s: %s", action, got, path, b.texts(".form-error, p.error"))
	}
	flash := b.flash()
	if errs := b.texts(form + " .form-error, " + form + " p.error"); flash == "" || errs != "" {
		b.t.Fatalf("%s as %s: no message that it was done (flash %q); errors: %q", action, b.who, flash, errs)
	}
	return flash
}

// TestBrowserMoneySummaryAndCash: an officer decides on the spot in the
// summary procedure (told and heard on the spot, ticked), takes cash on the
// spot beyond the 100-yuan cap on the ground of art. 69 explained in its
// box, hands it in, and the team leader reverses a wrongly entered payment
// with the reason in its box. Refusals come back next to their form with
// the entries kept.
func TestBrowserMoneySummaryAndCash(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	p := a.crew(t)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	path := fileCase(t, p.officer, form)

	b.login("maoba-officer1")
	b.open(path)
	b.wantState("已立案")
	// Deciding on the spot without having told and heard the party there.
	b.refused("decide", []string{"已当场告知"}, "amount", "200", "confirm", "1")
	b.act("decide", "amount", "200", "spot_told", "1", "spot_statement", "当事人表示认错，无异议。", "confirm", "1")
	b.pageHas("罚款200元", "当场交付")
	b.act("execute")
	b.wantState("执行")

	// Cash beyond the cap without a ground: refused, the entries kept;
	// with the ground of art. 69 and its explanation, taken.
	b.refused("add_payment", []string{"当场收缴罚款不得超过100元（行政处罚法第六十八条，本案罚款200元）"},
		"payment_kind", "on_spot", "amount", "150", "receipt_no", "SXCZ-0101")
	b.act("add_payment", "payment_kind", "on_spot", "onspot_ground", "remote",
		"onspot_reason", "当事人居住在高山村组，距最近银行网点40公里且无网络，当事人书面提出当场缴纳",
		"amount", "150", "receipt_no", "SXCZ-0101", "date", "2025-09-01")
	b.pageHas("当场收缴 150元，票据号 SXCZ-0101", "边远、水上、交通不便地区", "当场收缴罚款上缴 2025-09-03")

	// Handed in to the bank the next day; a date before the cash was taken
	// is refused.
	a.gotoDay(t, "2025-09-02")
	b.open(path)
	cash := a.casePayments(t, path)[0]
	b.refused("hand_in", []string{"不得倒签"}, "payment_id", itoa(cash.id), "date", "2025-08-31")
	b.act("hand_in", "payment_id", itoa(cash.id), "date", "2025-09-02")
	b.pageHas("2025-09-02 交至银行")

	// A bank payment entered under the wrong receipt: the team leader
	// reverses it, the reason in its box.
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"50"}, "receipt_no": {"SX2025-99"}})
	wrong := a.casePayments(t, path)[1]
	b.login("maoba-leader")
	b.open(path)
	b.refused("reverse_payment", []string{"请填写冲正的理由"}, "payment_id", itoa(wrong.id))
	b.act("reverse_payment", "payment_id", itoa(wrong.id), "reason", "该票据属于另一案件，误登记")
	b.pageHas("冲正 50元（票据号 SX2025-99）：该票据属于另一案件，误登记", "已缴 150元 ／ 应缴 200元")
}

// TestBrowserMoneyExecution: the head extends the decision period, approves
// an instalment plan typed line by line, announces a demolition and carries
// it out, and applies to the court; the officer serves the 催告, records and
// rechecks the party's statement after it, records a lawsuit and its
// outcome, and the court's ruling. Refusals come back next to their form
// with the entries kept.
func TestBrowserMoneyExecution(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	p := a.crew(t)
	deferred := a.executingCase(t, p, "1000") // served Mon 2025-09-01, due 09-16
	enforced := a.executingCase(t, p, "1000")
	demolished := a.demolitionOrdered(t, p) // order to demolish by 09-15
	pending := a.reviewedCase(t, p, "1000")
	a.serveNotice(t, p.officer, pending, url.Values{"text": {"拟处罚款1000元。"}})
	mustAct(t, p.officer, pending, "waive_statement", nil)

	// 2025-09-01: the head extends the decision period, with the reason.
	b.login("maoba-head")
	b.open(pending)
	b.refused("extend", []string{"请填写延长办案期限的理由"})
	b.act("extend", "reason", "案情复杂，需补充鉴定。")
	b.pageHas("批准延长办案期限30日（第1次）", "案情复杂，需补充鉴定。")

	// 2025-09-10: an instalment plan that does not add up is refused with
	// the plan kept; the right one is approved.
	a.gotoDay(t, "2025-09-10")
	b.open(deferred)
	b.refused("defer_payment", []string{"各期金额合计900元，应等于尚欠罚款1000元"},
		"date", "2025-09-09", "instalments", "2025-10-31 400\n2025-11-30 500", "text", "当事人经济困难，申请分两期缴纳")
	b.act("defer_payment", "date", "2025-09-09", "instalments", "2025-10-31 500\n2025-11-30 500", "text", "当事人经济困难，申请分两期缴纳")
	b.pageHas("第1期 2025-10-31 前 500元", "第2期 2025-11-30 前 500元", "缴纳期限 2025-10-31")

	// 2025-09-16: the 公告 gives the party at least ten days.
	a.gotoDay(t, "2025-09-16")
	b.open(demolished)
	notice := "限当事人于2025年9月30日前自行拆除林地内违法搭建的彩钢棚，逾期不拆除的，依法强制拆除。"
	b.refused("announce_demolition", []string{"公告须给当事人自行拆除的合理期限：自公告之日起不少于10日，即不早于2025年9月26日"},
		"text", notice, "date", "2025-09-16", "demolition_deadline", "2025-09-20")
	b.act("announce_demolition", "demolition_deadline", "2025-09-30")
	b.pageHas("拆除公告 2025-09-16 公告，限期 2025-09-30 前自行拆除")

	// 2025-09-17: the officer serves the issued 催告 (the party refusing to
	// sign, a village cadre witnessing); the party states and defends; the
	// officer rechecks it.
	a.gotoDay(t, "2025-09-17")
	demand := a.issueDoc(t, p.officer, enforced, "demand", nil)
	b.login("maoba-officer1")
	b.open(enforced)
	b.refused("serve_demand", []string{"催告书送达日期不能早于2025年9月17日（履行期限届满的次日）"}, "date", "2025-09-16")
	b.refused("serve_demand", []string{"拒绝签收（留置送达）须注明见证人"}, "date", "2025-09-17", "method", "留置送达", "refused", "1")
	b.act("serve_demand", "date", "2025-09-17", "method", "留置送达", "refused", "1", "witness", "村委会主任陈某")
	if got := a.servicesOf(t, demand); len(got) != 1 || !got[0].refused || got[0].witness != "村委会主任陈某" || got[0].method != "留置送达" {
		t.Errorf("the 催告's 送达回证: %+v, want one left with the party, witnessed by 陈某", got)
	}
	b.pageHas("催告 2025-09-17 送达履行催告书")
	b.refused("add_statement", []string{"收到日期不能早于2025年9月17日（催告书送达之日）"},
		"text", "当事人称经济困难，请求暂缓执行。", "date", "2025-09-16")
	b.act("add_statement", "date", "2025-09-17")
	statement := a.latestID(enforced, "case_statements")
	b.act("recheck_statement", "statement_id", statement, "text", "理由不成立，不予采纳。", "date", "2025-09-17")
	b.pageHas("理由不成立，不予采纳。")

	// 2025-10-09: after its 催告 the party of the demolition sues.
	a.gotoDay(t, "2025-10-09")
	a.serveDemand(t, p.officer, demolished, nil)
	b.open(demolished)
	b.act("add_remedy", "remedy_kind", "litigation", "date", "2025-10-09", "text", "当事人向紫阳县人民法院起诉")
	b.pageHas("当事人向紫阳县人民法院起诉")

	// 2026-03-05: the court upholds the decision; the head demolishes under
	// the town's 行政强制 item, chosen in the form.
	a.gotoDay(t, "2026-03-05")
	b.open(demolished)
	b.act("remedy_outcome", "remedy_id", a.latestID(demolished, "case_remedies"), "outcome", "upheld", "date", "2026-03-05",
		"text", "紫阳县人民法院判决驳回当事人的诉讼请求。")
	demolishID, _ := a.coercionItem(t, "2025-09-01", "强制拆除")
	record := "组织拆除彩钢棚一处，当事人到场，村干部见证，拆除材料清点后交当事人。"
	b.login("maoba-head")
	b.open(demolished)
	b.refused("force_demolition", []string{"强制拆除须有本镇执法事项清单中的行政强制事项"}, "text", record, "date", "2026-03-05")
	b.act("force_demolition", "coercion_item_id", itoa(demolishID))
	b.pageHas("强制拆除 2026-03-05 强制拆除（ZY-CX-004", "组织拆除彩钢棚一处")

	// 2026-03-10: the head applies to the court, not before the remedy
	// windows closed.
	a.gotoDay(t, "2026-03-10")
	b.open(enforced)
	b.refused("apply_enforcement", []string{"最早2026年3月3日"}, "court", "紫阳县人民法院", "date", "2026-03-02")
	b.act("apply_enforcement", "date", "2026-03-10")
	b.pageHas("强制执行 2026-03-10 向 紫阳县人民法院 申请", "待法院裁定")
	mustAct(t, p.officer, enforced, "close", confirmed)

	// 2026-03-20: the officer records the court's ruling.
	a.gotoDay(t, "2026-03-20")
	b.login("maoba-officer1")
	b.open(enforced)
	ruling := "（2026）陕0924行审12号：准予强制执行。"
	b.refused("enforcement_ruling", []string{"裁定日期不能早于2026年3月10日（申请强制执行之日）"},
		"granted", "yes", "text", ruling, "date", "2026-03-09")
	b.pageHas("罚款未缴清：已缴 0元，应缴 1000元。") // the closed case's standing note
	b.actNoted("enforcement_ruling", "date", "2026-03-20")
	b.pageHas("法院裁定 准予执行 ：（2026）陕0924行审12号", "罚款未缴清")
	if page := b.text("main"); strings.Contains(page, "待法院裁定") {
		t.Error("the ruled case still says it waits for the court's ruling")
	}
	if st := b.state(); st != "结案" {
		t.Errorf("state %q, want 结案", st)
	}
}
