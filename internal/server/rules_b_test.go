package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// Tests of the money, execution, preservation, transfer, 不予处罚 and
// summary-procedure rules of issue 7, over HTTP with the people who take
// each step.

// crew are the demo accounts of 毛坝镇 who act on a case.
type crew struct{ officer, leader, reviewer, head *client }

func (a *app) crew(t *testing.T) crew {
	return crew{a.loginAs(t, "maoba-officer1"), a.loginAs(t, "maoba-leader"), a.loginAs(t, "maoba-reviewer"), a.loginAs(t, "maoba-head")}
}

// reviewedCase takes a new general-procedure case with a proposed fine (yuan)
// through investigation and a passed review, to 告知.
func (a *app) reviewedCase(t *testing.T, p crew, fine string) string {
	t.Helper()
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, fine)
	reviewed(t, p.officer, p.reviewer, path)
	return path
}

// executingCase takes a new case with a fine (yuan) to 执行: the notice
// served and the statement waived in writing (the fines used here carry no
// hearing right), decided by the head and served, all on the clock's today.
func (a *app) executingCase(t *testing.T, p crew, fine string) string {
	t.Helper()
	path := a.reviewedCase(t, p, fine)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款" + fine + "元。"}})
	mustAct(t, p.officer, path, "waive_statement", nil)
	mustAct(t, p.head, path, "decide", with(url.Values{"amount": {fine}}, confirmed))
	a.serveDecision(t, p.officer, path, nil)
	mustAct(t, p.officer, path, "execute", nil)
	return path
}

// pageSays fails unless the page, as the user reads it, says each of wants.
func pageSays(t *testing.T, res response, wants ...string) {
	t.Helper()
	page := text(res.body)
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page does not say %q; page text: %.1500s", w, page)
		}
	}
}

// pageSaysNot fails if the page, as the user reads it, says any of unwanted.
func pageSaysNot(t *testing.T, res response, unwanted ...string) {
	t.Helper()
	page := text(res.body)
	for _, w := range unwanted {
		if strings.Contains(page, w) {
			t.Errorf("page says %q but must not", w)
		}
	}
}

// gotoDay moves the clock to a day (2006-01-02), mid-morning.
func (a *app) gotoDay(t *testing.T, day string) {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, a.clock.Now().Location())
	if err != nil {
		t.Fatal(err)
	}
	a.clock.Set(d.Add(10 * time.Hour))
}

// paymentRow is one row of case_payments.
type paymentRow struct {
	id, amountFen, surchargeFen int64
}

// casePayments reads the case's payment rows in the order entered.
func (a *app) casePayments(t *testing.T, path string) []paymentRow {
	t.Helper()
	var out []paymentRow
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT id, amount_fen, surcharge_fen FROM case_payments WHERE case_id = $1 ORDER BY id`, caseID(t, path))
		var p paymentRow
		_, err := pgx.ForEachRow(rows, []any{&p.id, &p.amountFen, &p.surchargeFen}, func() error { out = append(out, p); return nil })
		return err
	})
	return out
}

// rowIDs are the ids of the case's rows in a table with case_id, oldest first.
func (a *app) rowIDs(t *testing.T, table, path string) []string {
	t.Helper()
	var out []string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT id FROM `+pgx.Identifier{table}.Sanitize()+` WHERE case_id = $1 ORDER BY id`, caseID(t, path))
		var id int64
		_, err := pgx.ForEachRow(rows, []any{&id}, func() error { out = append(out, itoa(id)); return nil })
		return err
	})
	return out
}

// Two late part-payments of a 1000-yuan fine record surcharges of at most
// 1000 yuan in total (APL art. 72 ¶1); the page tells what is owed today.
func TestSurchargeNeverExceedsTheFine(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000") // served Mon 09-01: pay by Tue 09-16
	pageSays(t, p.officer.get(path), "缴纳期限 2025-09-16", "每日按罚款数额的百分之三加处罚款")

	// Ten days late: 3 % a day of 1000 yuan.
	a.gotoDay(t, "2025-09-26")
	pageSays(t, p.officer.get(path), "截至今日应加处罚款 300元")
	// Long after: the surcharge stops at the fine.
	a.gotoDay(t, "2025-12-15")
	pageSays(t, p.officer.get(path), "截至今日应加处罚款 1000元")

	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1"}, "receipt_no": {"SX2025-1"}})
	page := p.officer.get(path)
	pageSays(t, page, "缴纳 1元，票据号 SX2025-1 ，加处罚款 1000元", "已缴 1元 ／ 应缴 1000元")
	pageSaysNot(t, page, "截至今日应加处罚款") // nothing more can accrue
	a.clock.Advance(10 * 24 * time.Hour)
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"999"}, "receipt_no": {"SX2025-2"}})
	page = p.officer.get(path)
	pageSays(t, page, "已缴 1000元 ／ 应缴 1000元")
	pageSaysNot(t, page, "截至今日应加处罚款")

	pays := a.casePayments(t, path)
	var total int64
	for _, pm := range pays {
		total += pm.surchargeFen
	}
	if len(pays) != 2 || total != 100000 || pays[1].surchargeFen != 0 {
		t.Errorf("payments %+v: surcharges total %d fen, want 1000 yuan all on the first", pays, total)
	}
	mustAct(t, p.officer, path, "close", confirmed)
}

// A pending reconsideration pauses the surcharge (APL art. 73 ¶3).
func TestSurchargePausedWhileReconsiderationPending(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000") // due Tue 09-16
	a.gotoDay(t, "2025-09-12")
	mustAct(t, p.officer, path, "add_remedy", url.Values{"remedy_kind": {"reconsideration"}, "date": {"2025-09-10"}, "text": {"当事人向县政府申请复议"}})

	a.gotoDay(t, "2025-10-20")
	page := p.officer.get(path)
	pageSaysNot(t, page, "截至今日应加处罚款")
	pageSays(t, page, "行政复议", "审理中")

	mustAct(t, p.officer, path, "remedy_outcome", url.Values{"remedy_id": {a.rowIDs(t, "case_remedies", path)[0]}, "outcome": {"upheld"}})
	// Counted again from the day the reconsideration ended: 10-20 to 10-25
	// is 6 days, 3 % a day of 1000 yuan.
	a.gotoDay(t, "2025-10-25")
	pageSays(t, p.officer.get(path), "截至今日应加处罚款 180元")
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-3"}})
	pageSays(t, p.officer.get(path), "缴纳 1000元，票据号 SX2025-3 ，加处罚款 180元")
	if pays := a.casePayments(t, path); len(pays) != 1 || pays[0].surchargeFen != 18000 {
		t.Errorf("payments %+v, want one with a 180-yuan surcharge", pays)
	}
}

// Overpayment is refused; a wrong entry is reversed by a negative entry,
// and the payment row itself can never be edited.
func TestWrongPaymentIsReversedNotEdited(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000")
	refused(t, p.officer, path, "add_payment", url.Values{"amount": {"1200"}, "receipt_no": {"SX2025-7"}},
		http.StatusUnprocessableEntity, "缴款1200元超过尚欠罚款1000元")
	// Paid ten days late (due 09-16): 300 yuan surcharge.
	a.gotoDay(t, "2025-09-26")
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-8"}})
	pageSays(t, p.officer.get(path), "已缴 1000元 ／ 应缴 1000元", "缴纳 1000元，票据号 SX2025-8 ，加处罚款 300元")
	paid := a.casePayments(t, path)[0]

	// The schema owner cannot edit the amount away: the trigger refuses.
	_, err := a.owner().Exec(context.Background(), `UPDATE case_payments SET amount_fen = 100 WHERE id = $1`, paid.id)
	wantPgError(t, "editing a payment", err, "42501", "a payment can only be marked handed in, once")

	// Only the team leader reverses, with a reason.
	refused(t, p.officer, path, "reverse_payment", url.Values{"payment_id": {itoa(paid.id)}, "reason": {"票据号登记错误"}}, http.StatusForbidden)
	refused(t, p.leader, path, "reverse_payment", url.Values{"payment_id": {itoa(paid.id)}}, http.StatusUnprocessableEntity, "请填写冲正的理由")
	mustAct(t, p.leader, path, "reverse_payment", url.Values{"payment_id": {itoa(paid.id)}, "reason": {"该票据属于另一案件，误登记"}})
	page := p.officer.get(path)
	pageSays(t, page, "冲正 1000元（票据号 SX2025-8）：该票据属于另一案件，误登记", "已冲正", "已缴 0元 ／ 应缴 1000元",
		"冲正2025-09-26的缴款记录1000元", "截至今日应加处罚款 300元")
	pays := a.casePayments(t, path)
	if len(pays) != 2 || pays[0] != paid || pays[1].amountFen != -100000 {
		t.Errorf("payments after reversal %+v, want the original unchanged and a -1000-yuan entry", pays)
	}
	// Once reversed it is not reversed again; the amount is owed again.
	refused(t, p.leader, path, "reverse_payment", url.Values{"payment_id": {itoa(paid.id)}, "reason": {"再次冲正"}}, http.StatusConflict, "当前没有可以")
	refused(t, p.officer, path, "close", confirmed, http.StatusUnprocessableEntity, "罚款尚未缴清")
	// The true payment two days later carries the whole surcharge of its
	// twelve days late: the reversed payment's surcharge was never owed.
	a.gotoDay(t, "2025-09-28")
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-9"}})
	pageSays(t, p.officer.get(path), "缴纳 1000元，票据号 SX2025-9 ，加处罚款 360元")
	mustAct(t, p.officer, path, "close", confirmed)
}

// 简易程序 (APL arts. 51-52): filed at once by the officers, decided on the
// spot only when the party was told and heard there, handed over at once.
// Cash on the spot (art. 68) up to 100 yuan with a receipt, handed in to
// the bank within 2 working days (art. 71); the case closes only then.
func TestSummaryProcedureAndCashOnTheSpot(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	res := p.officer.post("/cases/new", form)
	if res.status != http.StatusSeeOther || !caseIDRE.MatchString(res.location) {
		t.Fatalf("filing: status %d to %q: %.600s", res.status, res.location, text(res.body))
	}
	path := res.location
	pageSays(t, p.officer.get(path), "已立案", "简易程序", "立案日期 2025-09-01")

	fine := url.Values{"amount": {"200"}, "warning": {"1"}}
	refused(t, p.officer, path, "decide", with(fine, confirmed), http.StatusUnprocessableEntity, "已当场告知")
	mustAct(t, p.officer, path, "decide", with(fine, confirmed, url.Values{"spot_told": {"1"}, "spot_statement": {"当事人表示认错，无异议。"}}))
	page := p.officer.get(path)
	pageSays(t, page, "警告；罚款200元", "送达 2025-09-01 当场交付；当事人签收")
	// Handed over on the spot: served at once, no 送达 step left to take.
	if strings.Contains(page.body, `data-action="serve"`) {
		t.Error("a summary decision handed over on the spot still offers 送达")
	}
	mustAct(t, p.officer, path, "execute", nil)

	// The 100-yuan cap is on the fine (art. 68(1)): a 200-yuan fine is not
	// collected on the spot, not even in parts.
	refused(t, p.officer, path, "add_payment", url.Values{"payment_kind": {"on_spot"}, "amount": {"100"}, "receipt_no": {"SXCZ-0001"}},
		http.StatusUnprocessableEntity, "当场收缴罚款不得超过100元（行政处罚法第六十八条，本案罚款200元）")
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"200"}, "receipt_no": {"SX2025-10"}})
	mustAct(t, p.officer, path, "close", confirmed)

	// A 100-yuan fine (ZY-SR-006, up to 200 yuan) may be collected on the spot.
	form = a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	form.Set("item", itoa(a.itemID("ZY-SR-006")))
	res = p.officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	path = res.location
	mustAct(t, p.officer, path, "decide", with(confirmed, url.Values{"amount": {"100"}, "spot_told": {"1"}}))
	mustAct(t, p.officer, path, "execute", nil)
	refused(t, p.officer, path, "add_payment", url.Values{"payment_kind": {"on_spot"}, "amount": {"60"}},
		http.StatusUnprocessableEntity, "罚款收据编号")
	mustAct(t, p.officer, path, "add_payment", url.Values{"payment_kind": {"on_spot"}, "amount": {"60"}, "receipt_no": {"SXCZ-0002"}})
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"40"}, "receipt_no": {"SX2025-11"}})
	page = p.officer.get(path)
	pageSays(t, page, "当场收缴 60元，票据号 SXCZ-0002", "已缴 100元 ／ 应缴 100元", "当场收缴罚款上缴 2025-09-03")
	refused(t, p.officer, path, "close", confirmed, http.StatusUnprocessableEntity, "尚有1笔当场收缴的罚款未交至指定银行")

	// Handed in on Friday: two working days after Monday was Wednesday.
	a.gotoDay(t, "2025-09-05")
	mustAct(t, p.officer, path, "hand_in", url.Values{"payment_id": {itoa(a.casePayments(t, path)[0].id)}})
	page = p.officer.get(path)
	pageSays(t, page, "2025-09-05 交至银行", "当场收缴的罚款60元已交至指定银行（逾期：应在2个工作日内即2025年9月3日前交纳）")
	mustAct(t, p.officer, path, "close", confirmed)
	pageSays(t, p.officer.get(path), "结案")
}

// 延期缴纳 (APL art. 66 ¶2): approved by the head on the party's request;
// the due date and the surcharge start move.
func TestDeferralMovesThePaymentDate(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000")
	a.gotoDay(t, "2025-09-10")
	deferral := url.Values{"date": {"2025-09-09"}, "new_due": {"2025-10-31"}, "text": {"当事人经济困难，书面申请延期至10月31日缴纳"}}
	refused(t, p.officer, path, "defer_payment", deferral, http.StatusForbidden)
	refused(t, p.head, path, "defer_payment", url.Values{"date": {"2025-09-09"}, "new_due": {"2025-09-15"}, "text": {"延期"}},
		http.StatusUnprocessableEntity, "须晚于现在的期限2025年9月16日")
	mustAct(t, p.head, path, "defer_payment", deferral)
	page := p.officer.get(path)
	pageSays(t, page, "缴纳期限 2025-10-31", "经批准延期或分期：当事人经济困难", "经批准暂缓或者分期缴纳")
	pageSaysNot(t, page, "缴纳期限 2025-09-16")

	// Past the old date nothing accrues; three days past the new one, 3 %
	// a day of 1000 yuan.
	a.gotoDay(t, "2025-10-20")
	pageSaysNot(t, p.officer.get(path), "截至今日应加处罚款")
	// The 催告 comes only after the new date has passed: made and served
	// the day after it.
	a.gotoDay(t, "2025-11-01")
	a.issueDoc(t, p.officer, path, "demand", nil)
	refused(t, p.officer, path, "serve_demand", url.Values{"date": {"2025-10-31"}}, http.StatusUnprocessableEntity, "不能早于2025年11月1日")
	mustAct(t, p.officer, path, "serve_demand", url.Values{"date": {"2025-11-01"}})
	a.gotoDay(t, "2025-11-03")
	pageSays(t, p.officer.get(path), "截至今日应加处罚款 90元")
	// The deferral does not move the party's remedy periods, which ran from
	// service (lawsuit to Mon 2026-03-02), nor the court deadline three
	// months after them.
	pageSays(t, p.officer.get(path), "申请法院强制执行 2026-06-02", "最早2026-03-03")

	// Paid after the 催告 (with 3 days' surcharge): nothing is left for a
	// court to enforce.
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-11"}})
	pageSays(t, p.officer.get(path), "加处罚款 90元")
	a.gotoDay(t, "2026-03-10")
	refused(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}}, http.StatusConflict, "罚款已缴清", "无需申请法院强制执行")
	mustAct(t, p.officer, path, "close", confirmed)
}

// 强制执行 (AEL arts. 35, 53-54): a 催告 after the payment date, then the
// head's court application no earlier than 10 working days after it and
// after the remedy windows; the case closes then, and still says the fine
// is unpaid.
func TestCourtEnforcementAfterDemandAndRemedyWindows(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000") // served Mon 2025-09-01, due 09-16
	late := a.executingCase(t, p, "1000") // its 催告 comes after the remedy windows

	// On the day of service: no 催告 yet, so no application is offered and
	// none is taken; nor can the case close with the fine unpaid.
	page := p.head.get(path)
	mustNotContain(t, page, `data-action="apply_enforcement"`, `value="apply_enforcement"`)
	pageSaysNot(t, page, "申请法院强制执行")
	refused(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}}, http.StatusConflict, "尚未送达履行催告书")
	refused(t, p.officer, path, "close", confirmed, http.StatusUnprocessableEntity, "罚款尚未缴清（已缴0元，应缴1000元），且未申请法院强制执行")

	// The 催告 only once the period to pay is over.
	a.gotoDay(t, "2025-09-16")
	refused(t, p.officer, path, "serve_demand", nil, http.StatusUnprocessableEntity, "催告书送达日期不能早于2025年9月17日（履行期限届满的次日）")
	a.gotoDay(t, "2025-09-17")
	a.serveDemand(t, p.officer, path, nil)
	// The application deadline shows: the lawsuit window (6 months, to Mon
	// 2026-03-02 as 03-01 is a Sunday) and 3 months after it.
	page = p.officer.get(path)
	pageSays(t, page, "催告 2025-09-17 送达履行催告书", "申请法院强制执行 2026-06-02", "最早2026-03-03")

	// Ten working days after the 催告 (National Day counted out), but
	// inside the remedy windows: refused with the first day allowed.
	a.gotoDay(t, "2025-10-15")
	refused(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}}, http.StatusUnprocessableEntity,
		"最早2026年3月3日")
	refused(t, p.officer, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}}, http.StatusForbidden)

	// Another case's 催告 is served after the windows closed.
	a.gotoDay(t, "2026-03-05")
	a.serveDemand(t, p.officer, late, nil)

	a.gotoDay(t, "2026-03-10")
	refused(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}, "date": {"2026-03-02"}},
		http.StatusUnprocessableEntity, "最早2026年3月3日")
	mustAct(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}})
	pageSays(t, p.officer.get(path), "强制执行 2026-03-10 向 紫阳县人民法院 申请")
	mustAct(t, p.officer, path, "close", confirmed)
	page = p.officer.get(path)
	pageSays(t, page, "结案", "罚款未缴清：已缴 0元，应缴 1000元。", "已于 2026-03-10 向 紫阳县人民法院 申请强制执行。")

	// There the application waits ten working days after the 催告.
	a.gotoDay(t, "2026-03-19")
	refused(t, p.head, late, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}}, http.StatusUnprocessableEntity,
		"须在催告书送达满10个工作日", "最早2026年3月20日")
	a.gotoDay(t, "2026-03-20")
	mustAct(t, p.head, late, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}})
}

// 先行登记保存 (APL art. 56) and 查封扣押 (AEL art. 25): approved by the
// head, with their clocks on the page; a seizure is extended once only;
// the disposal is recorded.
func TestEvidencePreservationAndSeizure(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)

	keep := url.Values{"kind": {"preserve"}, "inventory": {"打火机1个、未燃尽的垃圾袋2个，存放于镇综合执法队物证室"}}
	refused(t, p.officer, path, "preserve", keep, http.StatusForbidden)
	refused(t, p.leader, path, "preserve", keep, http.StatusForbidden)
	refused(t, p.head, path, "preserve", url.Values{"kind": {"preserve"}}, http.StatusUnprocessableEntity, "请填写物品清单")
	mustAct(t, p.head, path, "preserve", keep)
	seizeItem, _ := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	mustAct(t, p.head, path, "preserve", with(url.Values{"kind": {"seize"}, "inventory": {"三轮车1辆（陕G·12345），存放于镇政府院内"},
		"coercion_item_id": {itoa(seizeItem)}}, a.seizureOnSpot(t, p.officer, path)))
	page := p.officer.get(path)
	// Seven working days from Monday 09-01: Wednesday 09-10. Thirty days: 10-01.
	pageSays(t, page, "先行登记保存（2025-09-01，孙某某（分管副镇长） 批准）：打火机1个",
		"先行登记保存处理决定 2025-09-10", "查封扣押期限 2025-10-01")

	ids := a.rowIDs(t, "case_preservations", path)
	if len(ids) != 2 {
		t.Fatalf("preservations %v, want two", ids)
	}
	preserved, seize := ids[0], ids[1]
	extend := url.Values{"preservation_id": {seize}, "reason": {"需委托鉴定车辆权属，情况复杂"}}
	refused(t, p.officer, path, "extend_seizure", extend, http.StatusForbidden)
	a.gotoDay(t, "2025-09-25")
	mustAct(t, p.head, path, "extend_seizure", extend)
	page = p.officer.get(path)
	pageSays(t, page, "查封扣押期限 2025-10-31", "经批准延长", "；已延长")
	refused(t, p.head, path, "extend_seizure", extend, http.StatusConflict, "查封扣押期限已延长过一次，不能再延长")

	mustAct(t, p.officer, path, "end_preservation", url.Values{"preservation_id": {preserved}, "disposal": {"解除先行登记保存，退还当事人"}, "date": {"2025-09-05"}})
	mustAct(t, p.officer, path, "end_preservation", url.Values{"preservation_id": {seize}, "disposal": {"解除查封，退还三轮车"}})
	page = p.officer.get(path)
	pageSays(t, page, "；2025-09-05 处理：解除先行登记保存，退还当事人", "；2025-09-25 处理：解除查封，退还三轮车",
		"先行登记保存处理决定：解除先行登记保存，退还当事人")
	refused(t, p.officer, path, "end_preservation", url.Values{"preservation_id": {seize}, "disposal": {"再次处理"}}, http.StatusConflict, "当前没有可以")
}

// 移送 (APL art. 27; 移送涉嫌犯罪案件的规定): the handlers propose, the head
// decides with the receiving body and the reason; not without a proposal,
// and not by the team leader.
func TestTransferNeedsTheHandlersProposal(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	transfer := url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"火灾过火面积较大，涉嫌失火罪"}}

	// Proposed while the review is under way.
	inReview := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, inReview, "investigate", nil)
	investigated(t, p.officer, inReview, "3000")
	mustAct(t, p.officer, inReview, "submit_review", nil)
	pageSays(t, p.officer.get(inReview), "法制审核")
	refused(t, p.head, inReview, "transfer", transfer, http.StatusUnprocessableEntity, "尚未提出移送意见")
	refused(t, p.officer, inReview, "propose_transfer", url.Values{"receiving_body": {"紫阳县公安局"}}, http.StatusUnprocessableEntity, "请填写移送的理由")
	mustAct(t, p.officer, inReview, "propose_transfer", transfer)
	refused(t, p.officer, inReview, "propose_transfer", transfer, http.StatusConflict, "已于2025年9月1日提出移送意见")
	pageSays(t, p.officer.get(inReview), "移送涉嫌犯罪案件审批 2025-09-04")
	refused(t, p.leader, inReview, "transfer", transfer, http.StatusForbidden)
	refused(t, p.head, inReview, "transfer", url.Values{"reason": {"涉嫌失火罪"}}, http.StatusUnprocessableEntity, "接收")
	mustAct(t, p.head, inReview, "transfer", transfer)
	page := p.officer.get(inReview)
	pageSays(t, page, "（法制审核 → 移送）", "移送至 紫阳县公安局 （2025-09-01 提出移送意见）", "火灾过火面积较大，涉嫌失火罪", "决定移送紫阳县公安局")

	// Proposed after the notice.
	noticed := a.reviewedCase(t, p, "3000")
	a.serveNotice(t, p.officer, noticed, url.Values{"text": {"拟处罚款3000元。"}})
	refused(t, p.head, noticed, "transfer", transfer, http.StatusUnprocessableEntity, "尚未提出移送意见")
	mustAct(t, p.officer, noticed, "propose_transfer", url.Values{"receiving_body": {"紫阳县林业局"}, "reason": {"属县林业局管辖"}})
	mustAct(t, p.head, noticed, "transfer", url.Values{"receiving_body": {"紫阳县林业局"}, "reason": {"属县林业局管辖"}})
	pageSays(t, p.officer.get(noticed), "（告知 → 移送）", "移送至 紫阳县林业局")
}

// 不予处罚 (APL arts. 33, 57): after a reviewed proposal not to penalise,
// the head records the kind; 首违不罚 and the other art. 33 kinds need the
// education given, 违法事实不成立 does not.
func TestNoPenaltyKindsAndEducation(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	proposeNone := func(path string) {
		t.Helper()
		mustAct(t, p.officer, path, "investigate", nil)
		res := p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
		wantStatus(t, res, http.StatusSeeOther)
		mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"经查，当事人系初次违法，已自行扑灭火源，未造成损失。"}})
		mustAct(t, p.officer, path, "propose", url.Values{"no_penalty": {"1"}, "reasoning": {"初次违法且危害后果轻微并及时改正。"}})
		reviewed(t, p.officer, p.reviewer, path)
	}

	// 首违不罚 needs an item on the 首违不罚清单: 焚烧垃圾 (ZY-HJ-003) is.
	first := a.filedCase(t, a.itemForm("ZY-HJ-003", "maoba-officer1", "maoba-officer3"))
	proposeNone(first)
	pageSays(t, p.officer.get(first), "拟不予处罚。", "待决定")
	kind := url.Values{"no_penalty_kind": {"first_offence"}, "reason": {"首次违法，危害后果轻微并已及时改正"}}
	refused(t, p.officer, first, "no_penalty", kind, http.StatusForbidden)
	refused(t, p.head, first, "no_penalty", kind, http.StatusUnprocessableEntity, "请记录对当事人进行的教育")
	mustAct(t, p.head, first, "no_penalty", with(kind, url.Values{"education": {"当场宣讲森林防火条例，当事人签署承诺书"}}))
	page := p.officer.get(first)
	pageSays(t, page, "不予处罚 初次违法且危害后果轻微并及时改正（首违不罚，第三十三条第一款）",
		"教育情况 当场宣讲森林防火条例，当事人签署承诺书", "首次违法，危害后果轻微并已及时改正")

	none := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	proposeNone(none)
	mustAct(t, p.head, none, "no_penalty", url.Values{"no_penalty_kind": {"not_established"}, "reason": {"现场照片不能证明系当事人用火"}})
	page = p.officer.get(none)
	pageSays(t, page, "不予处罚 违法事实不能成立（行政处罚法第五十七条）", "现场照片不能证明系当事人用火")
	pageSaysNot(t, page, "教育情况")
}
