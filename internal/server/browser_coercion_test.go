package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser tests of the coercive measures on the case page (先行登记保存,
// 查封扣押 with the AEL art. 18 record, its extension and disposal, 抽样取证,
// the emergency seizure and its approval afterwards, 移送 and its receipt),
// and of the county administrator's forms (the item's penalties and 首违不罚,
// the towns' villages, a reviewer's qualification number, a procedure
// setting below the statutory floor). The case states are set up over HTTP;
// each form is filled and submitted in Chromium.

// bcUpload uploads a photo as evidence of the kind through the case page's
// evidence form and returns the new evidence id.
func (b *browser) bcUpload(path, kind, title, collectedBy, photo string) string {
	b.t.Helper()
	ev := `form.evidence-form`
	b.fill(ev, "kind", kind, "title", title, "collected_on", b.a.clock.Now().Format(time.DateOnly),
		"collected_by", collectedBy, "file", photo)
	if st := b.submit(ev); st != http.StatusOK || b.flash() != "证据已上传。" {
		b.t.Fatalf("upload %s: status %d, flash %q, errors %q", title, st, b.flash(), b.texts(".form-error, p.error"))
	}
	return b.a.latestID(path, "evidence")
}

// bcSaved submits a form of a page other than the case page and wants it
// done: the page answering carries the message flash.
func (b *browser) bcSaved(form, flash string, pairs ...string) {
	b.t.Helper()
	b.fill(form, pairs...)
	if st := b.submit(form); st != http.StatusOK {
		b.t.Fatalf("%s: status %d: %s", form, st, b.texts(".form-error, p.error"))
	}
	if got := b.flash(); got != flash {
		b.t.Fatalf("%s: flash %q, want %q; errors %q", form, got, flash, b.texts(".form-error, p.error"))
	}
}

// bcRefused submits a form of a page other than the case page and wants it
// refused (422) with each message in wants shown in the form or at the top
// of the page, and the entries typed still in their boxes.
func (b *browser) bcRefused(form string, wants []string, pairs ...string) {
	b.t.Helper()
	b.fill(form, pairs...)
	if st := b.submit(form); st != http.StatusUnprocessableEntity {
		b.t.Fatalf("%s: status %d, want 422 (refused); flash %q", form, st, b.flash())
	}
	errs := b.texts(form+" .error, "+form+" .form-error") + " | " + b.texts("main .form-error")
	for _, w := range wants {
		if !strings.Contains(errs, w) {
			b.t.Errorf("%s refused: the page does not say %q; it says %q", form, w, errs)
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		sel, kind := b.control(form, pairs[i])
		if !b.holds(sel, kind, pairs[i+1]) {
			b.t.Errorf("%s refused: %s lost the entry %q; it shows %q", form, sel, pairs[i+1], b.eval(`document.querySelector(`+js(sel)+`).value`))
		}
	}
}

// bcPage is the text of the page's main part, table cells joined by a
// space as they read.
func (b *browser) bcPage() string {
	b.t.Helper()
	return strings.ReplaceAll(b.text("main"), "\t", " ")
}

// executor ticks the officer in the seizure form's 实施人员.
func (a *app) executor(username string) string {
	return `[name="executor"][value="` + itoa(a.user(username).ID) + `"]`
}

// TestBrowserCoercionPreserveAndSeize: the officer uploads the signed
// 现场笔录 and records a sample; the head orders 先行登记保存 and a 查封扣押
// with every AEL art. 18 entry (refused with one executor, the entries
// kept) and extends the seizure; the officer disposes of both.
func TestBrowserCoercionPreserveAndSeize(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	seizeID, _ := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	b := newBrowser(t, a)
	photo := smallJPEG(t, t.TempDir())

	b.login("maoba-officer1")
	b.open(path)
	record := b.bcUpload(path, "scene_record", "查封现场笔录（签名）", itoa(a.user("maoba-officer1").ID), photo)
	b.refused("record_sampling", []string{"请填写抽样数量。"}, "inventory", "焚烧残留物", "kept_at", "镇综合执法队物证室")
	b.act("record_sampling", "inventory", "焚烧残留物", "quantity", "2袋，每袋约500克", "kept_at", "镇综合执法队物证室",
		"party_present", "absent", "witness", "村委会主任张某", "date", "2025-09-01")
	if got := b.bcPage(); !strings.Contains(got, "数量 2袋，每袋约500克，存放于 镇综合执法队物证室；当事人未到场，见证人 村委会主任张某") {
		t.Errorf("the page does not show the sample: %.1500s", got)
	}

	b.login("maoba-head")
	b.open(path)
	b.refused("preserve", []string{"请填写物品清单"}, "kind", "preserve")
	b.act("preserve", "kind", "preserve", "inventory", "打火机1个、未燃尽的垃圾袋2个，存放于镇综合执法队物证室", "date", "2025-09-01")
	preserved := a.latestID(path, "case_preservations")

	seize := []string{"kind", "seize", "coercion_item_id", itoa(seizeID), "inventory", "三轮车1辆（陕G·12345），存放于镇政府院内",
		"party_notified", "1", "party_present", "present", "party_told", "1", "party_statement", "当事人称三轮车系借用",
		"record_evidence_id", record, a.executor("maoba-officer1"), "1"}
	b.refused("preserve", []string{"查封扣押须由两名以上本案承办的执法人员实施，请勾选实际实施的人员（行政强制法第十八条第二项）。"}, seize...)
	b.act("preserve", append(seize, a.executor("maoba-officer3"), "1")...)
	seized := a.latestID(path, "case_preservations")
	page := b.bcPage()
	for _, want := range []string{"先行登记保存处理决定 2025-09-10", "查封扣押期限 2025-10-01",
		"现场（行政强制法第十八条）：已通知当事人到场；当事人到场，已当场告知理由、依据和救济途径；陈述申辩：当事人称三轮车系借用；现场笔录：查封现场笔录（签名）"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q: %.2000s", want, page)
		}
	}

	a.gotoDay(t, "2025-09-25")
	b.open(path)
	b.refused("extend_seizure", []string{"请填写延长的理由（情况复杂）。"}, "preservation_id", seized)
	b.act("extend_seizure", "preservation_id", seized, "reason", "需委托鉴定车辆权属，情况复杂")
	if got := b.bcPage(); !strings.Contains(got, "查封扣押期限 2025-10-31") {
		t.Errorf("the extended seizure does not show its new end: %.1500s", got)
	}

	b.login("maoba-officer1")
	b.open(path)
	b.refused("end_preservation", []string{"处理日期不能早于2025年9月1日", "不得倒签"},
		"preservation_id", preserved, "disposal", "解除先行登记保存，退还当事人", "date", "2025-08-31")
	b.act("end_preservation", "preservation_id", preserved, "disposal", "解除先行登记保存，退还当事人", "date", "2025-09-05")
	b.act("end_preservation", "preservation_id", seized, "disposal", "解除查封，退还三轮车")
	page = b.bcPage()
	for _, want := range []string{"；2025-09-05 处理：解除先行登记保存，退还当事人", "；2025-09-25 处理：解除查封，退还三轮车"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q: %.2000s", want, page)
		}
	}
	if b.eval(`document.querySelector('form[data-action="end_preservation"]') ? "yes" : ""`) != "" {
		t.Error("the page still offers end_preservation with nothing left to dispose of")
	}
}

// TestBrowserCoercionEmergency: the officer seizes on the spot in an
// emergency (refused without the reason, the entries kept) and the head
// approves it afterwards.
func TestBrowserCoercionEmergency(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, p.officer, path, "investigate", nil)
	seizeID, _ := a.coercionItem(t, "2025-09-01", "查封", "扣押")
	spot := a.seizureOnSpot(t, p.officer, path)
	b := newBrowser(t, a)

	b.login("maoba-officer1")
	b.open(path)
	seize := []string{"coercion_item_id", itoa(seizeID), "inventory", "三轮车1辆（陕G·12345），存放于镇政府院内",
		"party_notified", "1", "party_present", "absent", "witness", "村民李某", "record_evidence_id", spot.Get("record_evidence_id"),
		a.executor("maoba-officer1"), "1", a.executor("maoba-officer3"), "1"}
	b.refused("emergency_seize", []string{"请填写情况紧急、需要当场实施查封扣押的理由（行政强制法第十九条）。"}, seize...)
	b.act("emergency_seize", append(seize, "reason", "当事人正在转移涉案三轮车")...)
	if got := b.bcPage(); !strings.Contains(got, "紧急情况当场实施，待负责人补办批准") {
		t.Errorf("the page does not show the seizure awaiting approval: %.1500s", got)
	}
	first := a.latestID(path, "case_preservations")

	a.clock.Set(day(time.September, 2))
	b.login("maoba-head")
	b.open(path)
	b.refused("approve_emergency", []string{"请选择补办批准或者立即解除。"}, "preservation_id", first, "text", "同意")
	b.act("approve_emergency", "preservation_id", first, "outcome", "approve", "text", "同意")
	head := a.user("maoba-head").DisplayName
	page := b.bcPage()
	for _, want := range []string{"查封扣押（2025-09-01，紧急情况当场实施，" + head + " 补办批准（2025-09-02））",
		"补办批准2025年9月1日紧急情况当场实施的查封扣押（三轮车1辆（陕G·12345），存放于镇政府院内）：同意"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q: %.2000s", want, page)
		}
	}
	if strings.Contains(page, "待负责人补办批准") {
		t.Error("the approved seizure still awaits approval")
	}
}

// TestBrowserCoercionTransfer: the handlers propose the transfer, the head
// decides it, and the officer records the receiving body's receipt (refused
// when dated before the transfer, the entries kept).
func TestBrowserCoercionTransfer(t *testing.T) {
	a := newApp(t)
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	b := newBrowser(t, a)

	b.login("maoba-officer1")
	b.open(path)
	b.refused("propose_transfer", []string{"请填写移送的理由。"}, "receiving_body", "紫阳县公安局")
	b.act("propose_transfer", "receiving_body", "紫阳县公安局", "reason", "涉嫌失火罪，过火面积较大")

	a.gotoDay(t, "2025-09-02")
	b.login("maoba-head")
	b.open(path)
	b.act("transfer", "receiving_body", "紫阳县公安局", "reason", "涉嫌失火罪，过火面积较大")
	b.wantState("移送")

	a.gotoDay(t, "2025-09-05")
	b.login("maoba-officer1")
	b.open(path)
	if got := b.bcPage(); !strings.Contains(got, "待接收单位回执") {
		t.Errorf("the transferred case does not say the receipt is awaited: %.1500s", got)
	}
	receipt := "紫阳县公安局已受理并立案侦查（紫公立字〔2025〕88号）"
	b.refused("transfer_receipt", []string{"回执日期不能早于2025年9月2日（决定移送之日）"}, "text", receipt, "date", "2025-09-01")
	b.act("transfer_receipt", "text", receipt, "date", "2025-09-05")
	page := b.bcPage()
	if !strings.Contains(page, "2025-09-05 回执："+receipt) || strings.Contains(page, "待接收单位回执") {
		t.Errorf("the page does not show the receipt: %.2000s", page)
	}
}

// TestBrowserAdminForms: the county administrator edits an item's fines
// and puts it on the 首违不罚清单, adds and removes a village, sets a
// reviewer's qualification number and is refused a hearing request period
// below the law, each refusal shown with the entries kept.
func TestBrowserAdminForms(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	b.login("county-admin")

	// The item's penalties and the 首违不罚 box.
	id := a.itemID("ZY-SR-006")
	name := a.itemName(id)
	edit := "/authority/catalogue/" + itoa(id)
	item := `form[action="` + edit + `"]`
	b.open(edit)
	b.bcRefused(item, []string{"罚款下限", "高于上限", "请更正。"},
		"fine_min_person", "5000", "fine_max_person", "1000", "first_offence_list", "1")
	b.bcSaved(item, "已保存事项“"+name+"”。", "fine_min_person", "50", "fine_max_person", "500", "first_offence_list", "1")
	if got := b.eval(`(() => { for (const tr of document.querySelectorAll("table.data tr")) if (tr.innerText.includes(` + js(name) +
		`)) return tr.querySelector(".badge.first-offence") ? "yes" : "no"; return "none"; })()`); got != "yes" {
		t.Errorf("the catalogue does not mark %s 首违不罚: %s", name, got)
	}
	b.open(edit)
	for key, want := range map[string]string{"fine_min_person": "50", "fine_max_person": "500"} {
		if got := b.eval(`document.querySelector('` + item + ` [name="` + key + `"]').value`); got != want {
			t.Errorf("the saved item shows %s = %q, want %q", key, got, want)
		}
	}
	if ok, _ := chromedp.Run(b.ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS(item+` [name="first_offence_list"]`), "checked")); !ok {
		t.Error("the saved item is not ticked 首违不罚")
	}

	// The villages: a duplicate refused, one added, one removed.
	b.open("/authority/villages?town=maoba")
	add := `form[action="/authority/villages"][method="post"]`
	b.bcRefused(add, []string{"本镇已有该村（社区）。"}, "name", "干沙村")
	b.bcSaved(add, "已为毛坝镇添加“石板沟村”。", "name", "石板沟村")
	if got := b.text("main table.data"); !strings.Contains(got, "石板沟村") {
		t.Errorf("the villages do not list 石板沟村: %s", got)
	}
	remove := `form[action="/authority/villages/remove"]:has(input[name="name"][value="柳树村"])`
	if st := b.submit(remove); st != http.StatusOK || b.flash() != "已从毛坝镇删除“柳树村”。" {
		t.Fatalf("remove 柳树村: status %d, flash %q", st, b.flash())
	}
	if got := b.text("main table.data"); strings.Contains(got, "柳树村") {
		t.Errorf("柳树村 is still listed: %s", got)
	}

	// The reviewer's qualification number.
	rev := a.user("maoba-reviewer")
	userPath := "/admin/users/" + itoa(rev.ID)
	user := `form[action="` + userPath + `"]`
	b.open(userPath)
	b.bcRefused(user, []string{"法律职业资格证书编号应为1至40位数字或字母。"}, "legal_qualification_no", "A2015-1234/56", "phone", "0915-4399999")
	b.bcSaved(user, "已保存用户 maoba-reviewer。", "legal_qualification_no", "B20201234567890")
	if got := b.text("main table.data"); !strings.Contains(got, "B20201234567890") {
		t.Errorf("the users list does not show the new number: %.1500s", got)
	}

	// A hearing request period below the law is refused with the article.
	b.open("/settings")
	setting := `#setting-hearing_request_days form`
	b.bcRefused(setting, []string{"听证申请期不得少于法定的5个工作日（行政处罚法第六十四条）。"}, "value", "3")
	b.bcSaved(setting, "已保存全县默认值。", "value", "7")
	if got := b.text(`#setting-hearing_request_days`); !strings.Contains(got, "7个工作日") {
		t.Errorf("the setting shows %q, want 7个工作日", got)
	}
}
