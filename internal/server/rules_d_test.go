package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
)

// Tests of administrative coercion in a case (行政强制法第十七条、第四十四条)
// and of the grounds of on-the-spot collection (行政处罚法第六十八条、第六十九条),
// over HTTP with the people who take each step.

// coercionItem is a 行政强制 item on 毛坝镇's list in force on day whose
// name contains one of the words, and its code.
func (a *app) coercionItem(t *testing.T, day string, words ...string) (id int64, code string) {
	t.Helper()
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT i.id, i.code FROM catalogue_items i
			JOIN list_version_items li ON li.item_id = i.id
				AND li.version_id = list_version_on((SELECT id FROM towns WHERE code = 'maoba'), $1)
			WHERE i.kind = '行政强制' AND i.name ~ $2 ORDER BY li.position LIMIT 1`, day, strings.Join(words, "|")).Scan(&id, &code)
	})
	return id, code
}

// notListedCoercionItem is a 行政强制 item of the catalogue that is not on
// 毛坝镇's list in force on day.
func (a *app) notListedCoercionItem(t *testing.T, day string) (id int64, code string) {
	t.Helper()
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id, code FROM catalogue_items i WHERE kind = '行政强制' AND name ~ '拆除|查封|扣押'
			AND NOT authority_item_in_force((SELECT id FROM towns WHERE code = 'maoba'), i.id, $1) ORDER BY code LIMIT 1`, day).Scan(&id, &code)
	})
	return id, code
}

// demolitionOrdered takes a new case to 执行 with a decision of a 1000-yuan
// fine and an order to demolish by Monday 15 September 2025, served on
// Monday 1 September; the fine is paid at once.
func (a *app) demolitionOrdered(t *testing.T, p crew) string {
	t.Helper()
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	res := p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"经查，当事人在林地内违法搭建彩钢棚一处并在棚外用火。"}})
	penalties := url.Values{"amount": {"1000"}, "order_measure": {"限期拆除在林地内违法搭建的彩钢棚"}, "order_due": {"2025-09-15"}}
	mustAct(t, p.officer, path, "propose", with(penalties, url.Values{"tier": {"一般"}, "reasoning": {"违法情节一般，按裁量基准一般阶次。"}}))
	reviewed(t, p.officer, p.reviewer, path)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款1000元，责令限期拆除彩钢棚。"}})
	mustAct(t, p.officer, path, "waive_statement", nil)
	mustAct(t, p.head, path, "decide", with(penalties, confirmed))
	a.serveDecision(t, p.officer, path, nil)
	mustAct(t, p.officer, path, "execute", nil)
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-30"}})
	return path
}

// 强制拆除 (行政强制法第四十四条): only after a 公告 with a deadline for the
// party to demolish, after that deadline, after the written 催告, after the
// periods to apply for reconsideration or sue, with no remedy pending, and
// under a 行政强制 item of the town's list; it carries out the order, and
// the case closes.
func TestForcedDemolitionAfterNoticeAndRemedyWindows(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.demolitionOrdered(t, p)
	demolishID, demolishCode := a.coercionItem(t, "2025-09-01", "强制拆除")
	if demolishCode != "ZY-CX-004" {
		t.Fatalf("demolition item %s, want ZY-CX-004", demolishCode)
	}
	record := url.Values{"text": {"组织拆除彩钢棚一处，当事人到场，村干部见证，拆除材料清点后交当事人。"}}
	force := func(item int64) url.Values {
		return with(record, url.Values{"coercion_item_id": {itoa(item)}})
	}

	// No 公告 yet: the forced demolition is neither offered nor taken.
	page := p.head.get(path)
	mustNotContain(t, page, `data-action="force_demolition"`)
	mustContain(t, page, `data-action="announce_demolition"`)
	refused(t, p.head, path, "force_demolition", force(demolishID), http.StatusConflict,
		"尚未公告限期当事人自行拆除，不得强制拆除：须先由行政机关予以公告，限期当事人自行拆除（行政强制法第四十四条）。")

	// The 公告 comes after the decision's own deadline, by the head, and
	// gives the party at least ten days.
	notice := url.Values{"text": {"限当事人于2025年9月30日前自行拆除林地内违法搭建的彩钢棚，逾期不拆除的，依法强制拆除。"}, "demolition_deadline": {"2025-09-30"}}
	refused(t, p.officer, path, "announce_demolition", notice, http.StatusForbidden)
	refused(t, p.head, path, "announce_demolition", notice, http.StatusUnprocessableEntity,
		"公告日期不能早于2025年9月16日（决定限期拆除的期限届满的次日），不得倒签。")
	a.gotoDay(t, "2025-09-16")
	refused(t, p.head, path, "announce_demolition", with(url.Values{"text": notice["text"], "demolition_deadline": {"2025-09-20"}}),
		http.StatusUnprocessableEntity, "公告须给当事人自行拆除的合理期限：自公告之日起不少于10日，即不早于2025年9月26日（行政强制法第四十四条）。")
	mustAct(t, p.head, path, "announce_demolition", notice)
	pageSays(t, p.officer.get(path), "拆除公告 2025-09-16 公告，限期 2025-09-30 前自行拆除", "公告限期当事人于2025年9月30日前自行拆除")
	refused(t, p.head, path, "announce_demolition", notice, http.StatusConflict, "已于2025年9月16日公告限期当事人自行拆除。")

	// Before the 公告's deadline has passed.
	a.gotoDay(t, "2025-09-30")
	refused(t, p.head, path, "force_demolition", force(demolishID), http.StatusUnprocessableEntity,
		"公告限期当事人于2025年9月30日前自行拆除，期限届满后方可强制拆除，最早2025年10月1日（行政强制法第四十四条）。")

	// Without the written 催告 (AEL art. 35).
	a.gotoDay(t, "2025-10-09")
	refused(t, p.head, path, "force_demolition", force(demolishID), http.StatusUnprocessableEntity,
		"强制拆除前须书面催告当事人履行义务（行政强制法第三十五条）：请先送达履行催告书。")
	a.serveDemand(t, p.officer, path, nil)

	// Inside the remedy windows: served Mon 2025-09-01, the lawsuit period
	// ends Sun 2026-03-01, moved to Mon 03-02.
	refused(t, p.head, path, "force_demolition", force(demolishID), http.StatusUnprocessableEntity,
		"当事人申请行政复议或者提起行政诉讼的法定期限于2026年3月2日届满，期满后方可强制拆除，最早2026年3月3日（行政强制法第四十四条）。")

	// The party sued; while the lawsuit is pending, no demolition.
	mustAct(t, p.officer, path, "add_remedy", url.Values{"remedy_kind": {"litigation"}, "text": {"当事人向紫阳县人民法院起诉"}})
	a.gotoDay(t, "2026-03-05")
	refused(t, p.head, path, "force_demolition", force(demolishID), http.StatusUnprocessableEntity,
		"当事人已于2025年10月9日提起行政诉讼，尚未审结，不得强制拆除（行政强制法第四十四条）。")
	mustAct(t, p.officer, path, "remedy_outcome", url.Values{"remedy_id": {a.latestID(path, "case_remedies")}, "outcome": {"upheld"}})

	// The item: chosen, on the town's list that day, 行政强制, and one of
	// demolition.
	refused(t, p.head, path, "force_demolition", record, http.StatusUnprocessableEntity,
		"强制拆除须有本镇执法事项清单中的行政强制事项（行政强制法第四十四条），清单之外无执法。")
	outside, outsideCode := a.notListedCoercionItem(t, "2026-03-05")
	if outside == 0 {
		t.Fatal("no 行政强制 item outside 毛坝镇's list")
	}
	refused(t, p.head, path, "force_demolition", force(outside), http.StatusUnprocessableEntity,
		"清单之外无执法。所选事项"+outsideCode+"不在本镇2026年3月5日施行的执法事项清单中。")
	refused(t, p.head, path, "force_demolition", force(a.itemID("ZY-LY-001")), http.StatusUnprocessableEntity,
		"清单之外无执法。所选事项ZY-LY-001是行政处罚事项，不是行政强制事项。")
	// ZY-ZR-008 (查封、扣押 of mining tools) is on the list but is no demolition.
	refused(t, p.head, path, "force_demolition", force(a.itemID("ZY-ZR-008")), http.StatusUnprocessableEntity,
		"所选事项ZY-ZR-008不含拆除措施。")
	refused(t, p.officer, path, "force_demolition", force(demolishID), http.StatusForbidden)

	// The head's form lists the town's 行政强制 items.
	mustContain(t, p.head.get(path), `data-action="force_demolition"`, "ZY-CX-004 对拒不停止建设或者逾期不拆除的违法建设查封施工现场、强制拆除")
	// Not on a statutory holiday (AEL art. 43).
	holiday := force(demolishID)
	holiday.Set("date", "2026-02-17")
	refused(t, p.head, path, "force_demolition", holiday, http.StatusUnprocessableEntity,
		"2026年2月17日是法定节假日，不得实施行政强制执行（行政强制法第四十三条）。")
	mustAct(t, p.head, path, "force_demolition", force(demolishID))
	page = p.officer.get(path)
	pageSays(t, page, "强制拆除 2026-03-05 强制拆除（ZY-CX-004 对拒不停止建设或者逾期不拆除的违法建设查封施工现场、强制拆除）：组织拆除彩钢棚一处",
		"强制拆除（执法事项：ZY-CX-004")
	mustNotContain(t, page, `data-action="order_done"`)
	refused(t, p.head, path, "force_demolition", force(demolishID), http.StatusConflict, "已于2026年3月5日强制拆除。")

	// The order is carried out: the case closes.
	mustAct(t, p.officer, path, "close", confirmed)
	pageSays(t, p.officer.get(path), "结案")
}

// A decision without an order to demolish has no 公告 and no forced
// demolition.
func TestNoDemolitionWithoutAnOrderToDemolish(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000")
	mustNotContain(t, p.head.get(path), `data-action="announce_demolition"`)
	refused(t, p.head, path, "announce_demolition", url.Values{"text": {"公告"}, "demolition_deadline": {"2025-09-30"}}, http.StatusConflict,
		"处罚决定没有责令限期拆除的内容，不适用强制拆除（行政强制法第四十四条）。")
}

// 查封扣押 is a 行政强制措施: only under a 行政强制 item of the town's list
// in force (行政强制法第十七条); 先行登记保存 needs none.
func TestSeizureNeedsACoercionItemOnTheList(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	seizeID, seizeCode := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	if seizeID == 0 {
		t.Fatal("no 查封扣押 item on 毛坝镇's list")
	}
	inventory := url.Values{"kind": {"seize"}, "inventory": {"三轮车1辆（陕G·12345），存放于镇政府院内"}}

	refused(t, p.head, path, "preserve", inventory, http.StatusUnprocessableEntity,
		"查封扣押须有本镇执法事项清单中的行政强制事项（行政强制法第十七条），清单之外无执法")
	refused(t, p.head, path, "preserve", with(inventory, url.Values{"coercion_item_id": {itoa(a.itemID("ZY-LY-001"))}}), http.StatusUnprocessableEntity,
		"所选事项ZY-LY-001是行政处罚事项，不是行政强制事项。")
	outside, outsideCode := a.notListedCoercionItem(t, "2025-09-01")
	refused(t, p.head, path, "preserve", with(inventory, url.Values{"coercion_item_id": {itoa(outside)}}), http.StatusUnprocessableEntity,
		"所选事项"+outsideCode+"不在本镇2025年9月1日施行的执法事项清单中。")

	// The head's form offers the town's 行政强制 items.
	mustContain(t, p.head.get(path), `name="coercion_item_id"`, ">"+seizeCode+" ")
	mustAct(t, p.head, path, "preserve", with(inventory, url.Values{"coercion_item_id": {itoa(seizeID)}}, a.seizureOnSpot(t, p.officer, path)))
	page := p.officer.get(path)
	pageSays(t, page, "查封扣押事项 2025-09-01 "+seizeCode, "批准查封扣押（执法事项："+seizeCode, "查封扣押期限 2025-10-01")

	// 先行登记保存 is not a coercive measure of the list: no item.
	mustAct(t, p.head, path, "preserve", url.Values{"kind": {"preserve"}, "inventory": {"打火机1个，存放于镇综合执法队物证室"}})
}

// Cash on the spot beyond the 100-yuan cap: only on the grounds of art.
// 68(2) (a summary decision hard to collect afterwards) or art. 69 (a
// remote area, at the party's request), each explained; the hand-in clock
// follows the earliest cash not yet handed in.
func TestCashOnTheSpotBeyondTheCap(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	res := p.officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	path := res.location
	mustAct(t, p.officer, path, "decide", with(confirmed, url.Values{"amount": {"200"}, "spot_told": {"1"}}))
	mustAct(t, p.officer, path, "execute", nil)

	cash := url.Values{"payment_kind": {"on_spot"}, "amount": {"150"}, "receipt_no": {"SXCZ-0101"}}
	// Without a ground: the cap of art. 68(1), as before.
	refused(t, p.officer, path, "add_payment", cash, http.StatusUnprocessableEntity,
		"当场收缴罚款不得超过100元（行政处罚法第六十八条，本案罚款200元）")
	// Art. 69 without the explanation.
	refused(t, p.officer, path, "add_payment", with(cash, url.Values{"onspot_ground": {"remote"}}), http.StatusUnprocessableEntity,
		"请写明边远、水上或交通不便地区的情况，以及当事人提出到指定银行或通过电子支付系统缴纳确有困难（行政处罚法第六十九条）。")
	refused(t, p.officer, path, "add_payment", with(cash, url.Values{"onspot_ground": {"abroad"}, "onspot_reason": {"外出"}}), http.StatusUnprocessableEntity,
		"请选择当场收缴的法定情形。")
	remote := url.Values{"onspot_ground": {"remote"}, "onspot_reason": {"当事人居住在高山村组，距最近银行网点40公里且无网络，当事人书面提出当场缴纳"}}
	mustAct(t, p.officer, path, "add_payment", with(cash, remote))
	page := p.officer.get(path)
	pageSays(t, page, "当场收缴 150元，票据号 SXCZ-0101",
		"当场收缴情形 2025-09-01 150元：边远、水上、交通不便地区，当事人提出到银行缴纳确有困难（行政处罚法第六十九条）；当事人居住在高山村组",
		"当场收缴罚款上缴 2025-09-03")

	// Art. 68(2), explained, for the rest, two days later; that cash is
	// handed in the same day, the first is not: the clock follows the
	// first, due Wednesday 09-03 and overdue on Thursday.
	a.gotoDay(t, "2025-09-03")
	mustAct(t, p.officer, path, "add_payment", url.Values{"payment_kind": {"on_spot"}, "amount": {"50"}, "receipt_no": {"SXCZ-0102"},
		"onspot_ground": {"hard_to_collect"}, "onspot_reason": {"当事人系外省流动商贩，当日离境"}})
	pays := a.casePayments(t, path)
	mustAct(t, p.officer, path, "hand_in", url.Values{"payment_id": {itoa(pays[1].id)}})
	a.gotoDay(t, "2025-09-04")
	page = p.officer.get(path)
	pageSays(t, page, "当场收缴罚款上缴 2025-09-03 已逾期 逾期1天", "不当场收缴事后难以执行（行政处罚法第六十八条第二项）；当事人系外省流动商贩")
	refused(t, p.officer, path, "close", confirmed, http.StatusUnprocessableEntity, "尚有1笔当场收缴的罚款未交至指定银行")
	mustAct(t, p.officer, path, "hand_in", url.Values{"payment_id": {itoa(pays[0].id)}})
	mustAct(t, p.officer, path, "close", confirmed)
}

// Art. 68(2) is for decisions made on the spot (art. 51) only.
func TestHardToCollectOnlyForSummaryDecisions(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000")
	refused(t, p.officer, path, "add_payment", url.Values{"payment_kind": {"on_spot"}, "amount": {"1000"}, "receipt_no": {"SXCZ-0201"},
		"onspot_ground": {"hard_to_collect"}, "onspot_reason": {"当事人即将离开本地"}}, http.StatusUnprocessableEntity,
		"“不当场收缴事后难以执行”仅适用于依简易程序当场作出的处罚决定（行政处罚法第六十八条）。")
}
