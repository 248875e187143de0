package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhifa/internal/testdb"
)

// Browser tests drive the real pages in headless Chromium as a person does:
// log in through the login form, type into the case page's forms, tick
// their boxes and click their buttons. HTTP tests that post forms directly
// cannot notice a form that lacks a box the server requires; these can.

// browser is one Chromium tab on a test's app.
type browser struct {
	t   *testing.T
	a   *app
	ctx context.Context
	who string // the username logged in, "" for none
	n   int    // cases filed, for distinct ID numbers
}

// newBrowser starts headless Chromium for the test; it skips the test when
// Chromium is not installed (outside CI).
func newBrowser(t *testing.T, a *app) *browser {
	t.Helper()
	chromium := need(t, "chromium", "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, a: a, ctx: ctx}
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// eval runs a JavaScript expression in the page and returns its string value.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("in the page: %v\n%s", err, expr)
	}
	return v
}

// text is the visible text of the first element matching sel ("" if none).
func (b *browser) text(sel string) string {
	b.t.Helper()
	return b.eval(`(() => { const e = document.querySelector(` + js(sel) + `); return e ? e.innerText.trim() : ""; })()`)
}

// texts is the visible text of every element matching sel, joined by " | ".
func (b *browser) texts(sel string) string {
	b.t.Helper()
	return b.eval(`Array.from(document.querySelectorAll(` + js(sel) + `)).map(e => e.innerText.trim()).join(" | ")`)
}

// path is the path of the page shown.
func (b *browser) path() string {
	b.t.Helper()
	return b.eval(`location.pathname`)
}

// open goes to path and wants it shown (200).
func (b *browser) open(path string) {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.a.ts.URL+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if res.Status != http.StatusOK {
		b.t.Fatalf("open %s: status %d: %.500s", path, res.Status, b.text("main"))
	}
	b.labelsFindTheirBoxes()
}

// labelsFindTheirBoxes fails when two elements of the page share an id, or
// a label points at nothing or at a box of another form: a click on the
// label, or a screen reader, would then go to the wrong box.
func (b *browser) labelsFindTheirBoxes() {
	b.t.Helper()
	bad := b.eval(`(() => {
		const out = [], seen = {};
		for (const e of document.querySelectorAll("[id]")) {
			if (seen[e.id]) out.push("id " + e.id + " twice"); seen[e.id] = true;
		}
		for (const l of document.querySelectorAll("label[for]")) {
			const c = document.getElementById(l.htmlFor);
			if (!c) out.push("label " + l.htmlFor + " points at nothing");
			else if (l.closest("form") !== c.closest("form")) out.push("label " + l.htmlFor + " points into another form");
		}
		return out.join("; ");
	})()`)
	if bad != "" {
		b.t.Errorf("page %s: %s", b.path(), bad)
	}
}

// control finds the control key (a field name, or an attribute selector
// such as `[name="officer"][value="3"]`) in the form and says what it is
// ("select/select-one", "input/checkbox"...). A form or control that is not
// on the page, hidden or disabled fails the test: a person could not fill it.
func (b *browser) control(form, key string) (sel, kind string) {
	b.t.Helper()
	sel = form + ` [name="` + key + `"]`
	if strings.HasPrefix(key, "[") {
		sel = form + " " + key
	}
	kind = b.eval(`(() => {
		if (!document.querySelector(` + js(form) + `)) return "no form";
		if (` + js(key) + ` === "") return "form";
		const e = document.querySelector(` + js(sel) + `);
		if (!e) return "no field";
		if (e.disabled || e.readOnly) return "disabled";
		if (e.type !== "hidden" && (!e.getClientRects().length || getComputedStyle(e).visibility === "hidden")) return "hidden";
		return e.tagName.toLowerCase() + "/" + (e.type || "");
	})()`)
	switch kind {
	case "no form":
		shown := ""
		if action, ok := strings.CutPrefix(form, `form[data-action="`); ok {
			shown = b.text(`[data-action="` + strings.TrimSuffix(action, `"]`) + `"]`)
		}
		b.t.Fatalf("%s is not on the page %s (logged in as %s; state %q; flash %q)\nshown instead: %q\nforms offered: %s",
			form, b.path(), b.who, b.state(), b.flash(), shown, b.texts("#actions form.action-form > h3"))
	case "no field", "hidden", "disabled":
		b.t.Fatalf("the form %s has no usable %q (%s): a person cannot give the value; form text: %s", form, key, kind, b.text(form))
	}
	return sel, kind
}

// fill gives the form's controls their values, as a person would: typing
// into text boxes, choosing in lists, ticking boxes ("1" ticks, "" clears),
// choosing files. pairs are key, value, key, value...
func (b *browser) fill(form string, pairs ...string) {
	b.t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		key, value := pairs[i], pairs[i+1]
		sel, kind := b.control(form, key)
		q := chromedp.CSS(sel)
		var err error
		switch kind {
		case "input/checkbox", "input/radio":
			checked, _ := chromedp.Run(b.ctx, chromedp.JavascriptAttribute[bool](q, "checked"))
			if checked != (value != "") {
				err = chromedp.Do(b.ctx, chromedp.Click(q))
			}
		case "input/file":
			err = chromedp.Do(b.ctx, chromedp.SetUploadFiles(q, []string{value}))
		case "select/select-one":
			if b.eval(`Array.from(document.querySelector(`+js(sel)+`).options).some(o => o.value === `+js(value)+`) ? "yes" : ""`) == "" {
				b.t.Fatalf("%s offers no choice %q; it offers: %s", sel, value,
					b.eval(`Array.from(document.querySelector(`+js(sel)+`).options).map(o => o.value + "=" + o.text).join(", ")`))
			}
			b.setValue(sel, value)
		case "input/date": // typing a date depends on the browser's locale
			b.setValue(sel, value)
		default: // text boxes: emptied, then typed key by key
			b.setValue(sel, "")
			err = chromedp.Do(b.ctx, chromedp.SendKeys(q, value))
		}
		if err != nil {
			b.t.Fatalf("fill %s with %q: %v", sel, value, err)
		}
		if kind != "input/file" && !b.holds(sel, kind, value) {
			b.t.Fatalf("%s does not hold %q after filling it: %q", sel, value, b.eval(`document.querySelector(`+js(sel)+`).value`))
		}
	}
}

// setValue sets the control's value as a choice in the page does.
func (b *browser) setValue(sel, value string) {
	b.t.Helper()
	b.eval(`(() => { const e = document.querySelector(` + js(sel) + `); e.value = ` + js(value) + `;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return ""; })()`)
}

// holds reports whether the control shows value.
func (b *browser) holds(sel, kind, value string) bool {
	b.t.Helper()
	if kind == "input/checkbox" || kind == "input/radio" {
		checked, err := chromedp.Run(b.ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS(sel), "checked"))
		return err == nil && checked == (value != "")
	}
	return b.eval(`document.querySelector(`+js(sel)+`).value`) == value
}

// submit clicks the form's submit button and waits for the page that
// answers; it returns the status of that page (after redirects).
func (b *browser) submit(form string) int64 {
	b.t.Helper()
	b.control(form, "") // the form is there
	button := form + ` button[type="submit"]`
	if b.eval(`document.querySelector(`+js(button)+`) ? "yes" : ""`) == "" {
		b.t.Fatalf("%s has no submit button", form)
	}
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		b.t.Fatalf("click %s: %v", button, err)
	}
	b.labelsFindTheirBoxes()
	return res.Status
}

func actionForm(action string) string { return `form[data-action="` + action + `"]` }

func (b *browser) flash() string { return b.text("main > p.flash") }

// state is the case page's state badge.
func (b *browser) state() string { return b.text("main > h1 + p > span.badge") }

// act takes an action on the case page shown, through its form, and wants
// it done: the page comes back with the step's message and no error.
func (b *browser) act(action string, pairs ...string) string {
	b.t.Helper()
	form := actionForm(action)
	b.fill(form, pairs...)
	path := b.path()
	if st := b.submit(form); st != http.StatusOK {
		b.t.Fatalf("%s as %s: status %d: %s %s", action, b.who, st, b.texts(".form-error"), b.texts("p.error"))
	}
	if got := b.path(); got != strings.TrimSuffix(path, "/act") {
		b.t.Fatalf("%s: landed on %s, want the case page %s", action, got, path)
	}
	flash := b.flash()
	if flash == "" || b.texts(".form-error, p.error") != "" {
		b.t.Fatalf("%s as %s: no message that it was done; errors: %q", action, b.who, b.texts(".form-error, p.error"))
	}
	return flash
}

// wantState fails unless the case page's badge is label.
func (b *browser) wantState(label string) {
	b.t.Helper()
	if got := b.state(); got != label {
		b.t.Fatalf("state %q, want %q (flash %q)", got, label, b.flash())
	}
}

// refused submits the action's form and wants it refused on the same page:
// each message in wants next to (inside) that form, and the entries typed
// still in their boxes.
func (b *browser) refused(action string, wants []string, pairs ...string) {
	b.t.Helper()
	form := actionForm(action)
	b.fill(form, pairs...)
	path := b.path()
	if st := b.submit(form); st != http.StatusUnprocessableEntity {
		b.t.Fatalf("%s as %s: status %d, want %d (refused); flash %q", action, b.who, st, http.StatusUnprocessableEntity, b.flash())
	}
	// The refusal is the answer to the POST: the case page at /cases/{id}/act.
	if got := b.path(); got != path && got != strings.TrimSuffix(path, "/act")+"/act" {
		b.t.Fatalf("%s refused: landed on %s, want the case page %s", action, got, path)
	}
	errs := b.texts(form + " .form-error, " + form + " p.error")
	for _, w := range wants {
		if !strings.Contains(errs, w) {
			b.t.Errorf("%s refused: the form does not say %q next to it; it says %q (page top: %q)", action, w, errs, b.texts("main > .form-error"))
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		sel, kind := b.control(form, pairs[i])
		if kind != "input/file" && !b.holds(sel, kind, pairs[i+1]) {
			b.t.Errorf("%s refused: %s lost the entry %q; it shows %q", action, sel, pairs[i+1], b.eval(`document.querySelector(`+js(sel)+`).value`))
		}
	}
}

// login logs out whoever is logged in and logs in as username through the
// login form.
func (b *browser) login(username string) {
	b.t.Helper()
	if b.who != "" {
		if st := b.submit(`form[action="/logout"]`); st != http.StatusOK {
			b.t.Fatalf("log out %s: status %d", b.who, st)
		}
		b.who = ""
	}
	b.open("/login")
	b.fill(`form[action="/login"]`, "username", username, "password", testdb.Password)
	if st := b.submit(`form[action="/login"]`); st != http.StatusOK {
		b.t.Fatalf("log in %s: status %d: %s", username, st, b.texts(".form-error, p.error"))
	}
	name := b.a.user(username).DisplayName
	if who := b.text("header .who"); !strings.Contains(who, name) {
		b.t.Fatalf("logged in as %s, the header shows %q, want %q", username, who, name)
	}
	b.who = username
}

// fileCase registers a case through the filing form (the logged-in officer
// and the other handlers ticked, lead the 主办) and returns its path.
// An officer's filing waits for the team leader: fileLead wants that.
func (b *browser) fileCase(party, facts string, handlers []string, lead string) string {
	b.t.Helper()
	a := b.a
	b.open("/cases/new")
	form := `form[action="/cases/new"]`
	pairs := []string{"procedure", "general", "item", itoa(a.itemID("ZY-HJ-001")), "source", "patrol", "party_kind", "person",
		"party_name", party, "party_id_number", b.nextID(), "party_phone", "13800001234",
		"party_address", "毛坝镇干沙村三组", "place_village", "干沙村", "place_address", party + "住宅东侧河道",
		"act_on", "2025-08-20", "discovered_on", "2025-08-25", "facts", facts}
	for _, h := range handlers {
		pairs = append(pairs, `[name="officer"][value="`+itoa(a.user(h).ID)+`"]`, "1")
	}
	pairs = append(pairs, "lead", itoa(a.user(lead).ID))
	b.fill(form, pairs...)
	if st := b.submit(form); st != http.StatusOK {
		b.t.Fatalf("filing %s: status %d: %s %s", party, st, b.texts(".form-error"), b.texts("p.error"))
	}
	path := b.path()
	if !caseIDRE.MatchString(path) {
		b.t.Fatalf("filing %s: landed on %s: %s", party, path, b.texts(".form-error, p.error"))
	}
	return path
}

// fileLead is fileCase by an officer: a lead waiting for the leader's approval.
func (b *browser) fileLead(party, facts string, handlers []string, lead string) string {
	b.t.Helper()
	path := b.fileCase(party, facts, handlers, lead)
	if f := b.flash(); f != "案源已登记，已提交队长立案审批。" {
		b.t.Fatalf("filing %s: flash %q", party, f)
	}
	b.wantState("待立案")
	return path
}

// smallJPEG writes a real 32×24 JPEG photo into dir.
func smallJPEG(t *testing.T, dir string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := range 32 {
		for y := range 24 {
			img.Set(x, y, color.RGBA{uint8(x * 8), uint8(y * 10), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "现场照片.jpg")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// checks answers the review checklist in the form: every point 符合 but
// the points in fail.
func checks(fail ...string) []string {
	var out []string
	for _, p := range []string{"subject", "jurisdiction", "facts", "evidence", "characterisation", "basis", "procedure", "discretion"} {
		v := "ok"
		for _, f := range fail {
			if f == p {
				v = "fail"
			}
		}
		out = append(out, "check_"+p, v)
	}
	return out
}

// TestBrowserGeneralProcedure walks a general-procedure case from the lead
// to the archive through the case page's real forms in Chromium, each step
// taken by the person whose step it is, and takes every kind of step that
// needs a reason (returning for supplementary investigation, refusing to
// file, revoking, proposing and deciding a transfer, suspending) through
// its reason box. Refusals come back next to their form with the entries kept.
func TestBrowserGeneralProcedure(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	photo := smallJPEG(t, t.TempDir())
	officer1, officer3 := a.user("maoba-officer1"), a.user("maoba-officer3")
	today := a.clock.Now().Format(time.DateOnly)

	// The officer registers five leads; the main one with officer3 as 主办.
	b.login("maoba-officer1")
	casePath := b.fileLead("张某", "当事人在河道管理范围内倾倒建筑垃圾约20立方米。", []string{"maoba-officer3"}, "maoba-officer3")
	if who := b.text("main .case-grid"); !strings.Contains(who, officer3.DisplayName+" （主办）") && !strings.Contains(who, officer3.DisplayName+"（主办）") {
		t.Errorf("the page does not show %s as 主办: %q", officer3.DisplayName, who)
	}
	refuse := b.fileLead("李某", "群众举报李某倾倒垃圾，经初查无法确认。", []string{"maoba-officer3"}, "maoba-officer1")
	revoke := b.fileLead("王某", "当事人在河道内堆放砂石。", []string{"maoba-officer3"}, "maoba-officer1")
	transfer := b.fileLead("赵某", "当事人向河道排放疑似危险废物。", []string{"maoba-officer3"}, "maoba-officer1")
	suspend := b.fileLead("钱某", "当事人在河道内设置阻水障碍物。", []string{"maoba-officer3"}, "maoba-officer1")

	// The team leader approves the filing, ticking the confirmation; refuses
	// one lead and revokes another, each with its reason; suspends a fifth.
	b.login("maoba-leader")
	b.open(casePath)
	b.refused("file", []string{"请勾选确认"})
	b.act("file", "confirm", "1")
	b.wantState("已立案")
	number := b.text("main > h1")
	if !strings.Contains(number, "紫毛坝综执立〔2025〕") {
		t.Errorf("the filed case is titled %q, want its case number", number)
	}

	b.open(refuse)
	b.refused("refuse_filing", []string{"请填写不予立案的理由"})
	b.act("refuse_filing", "reason", "经初查，举报的违法事实不存在。")
	b.wantState("不予立案")

	b.open(revoke)
	b.act("file", "confirm", "1")
	b.act("revoke", "reason", "立案后查明当事人已于立案前自行清除砂石且系初次，依法不予立案，撤销。")
	b.wantState("撤销立案")

	b.open(transfer)
	b.act("file", "confirm", "1")

	b.open(suspend)
	b.act("file", "confirm", "1")
	b.refused("suspend", []string{"请填写中止的原因"}, "date", today)
	b.act("suspend", "reason", "等待河道管理部门的阻水影响评估意见。", "date", today)
	if got := b.texts("main > h1 + p > span.badge"); !strings.Contains(got, "自 "+today+" 起中止") {
		t.Errorf("the suspended case does not say so: %q", got)
	}

	// The officer investigates: evidence through the upload form, the facts,
	// the proposal, and submits for review. On the fourth case the officer
	// proposes the transfer, with the receiving body and the reason.
	b.login("maoba-officer1")
	b.open(casePath)
	b.act("investigate")
	b.wantState("调查取证")
	ev := `form.evidence-form`
	b.fill(ev, "kind", "scene_record", "title", "现场照片（倾倒点）", "collected_on", "2025-08-25",
		"collected_by", itoa(officer1.ID), "file", photo)
	if st := b.submit(ev); st != http.StatusOK || b.flash() != "证据已上传。" {
		t.Fatalf("upload: status %d, flash %q, errors %q", st, b.flash(), b.texts(".form-error, p.error"))
	}
	if got := b.texts("main table.data"); !strings.Contains(got, "现场照片.jpg") {
		t.Errorf("the evidence list does not show the photo: %q", got)
	}
	b.act("update_facts", "text", "经查，当事人于2025年8月20日在干沙村河道管理范围内倾倒建筑垃圾约20立方米。")
	b.act("propose", "amount", "20000", "order_measure", "清除倾倒的建筑垃圾", "order_due", "2025-10-31",
		"tier", "一般", "reasoning", "倾倒量较大，未造成严重后果，按裁量基准一般阶次。")
	b.act("submit_review")
	b.wantState("法制审核")

	b.open(transfer)
	b.act("investigate")
	b.refused("propose_transfer", []string{"请填写移送的理由"}, "receiving_body", "紫阳县公安局")
	b.act("propose_transfer", "receiving_body", "紫阳县公安局", "reason", "涉嫌非法排放危险废物，可能构成污染环境罪。")

	// The reviewer answers the checklist and returns the case for
	// supplementary investigation, with the reason.
	b.login("maoba-reviewer")
	b.open(casePath)
	b.refused("return_review", []string{"请填写退回补充调查的理由"}, append(checks("evidence"), "note_evidence", "缺少倾倒量的测量记录")...)
	b.act("return_review", append(checks("evidence"), "note_evidence", "缺少倾倒量的测量记录",
		"text", "证据不足以证明倾倒量。", "reason", "请补充现场勘验笔录及倾倒量测量记录。")...)
	b.wantState("调查取证")

	// The officer supplements the evidence and submits again.
	b.login("maoba-officer1")
	b.open(casePath)
	b.fill(ev, "kind", "inspection_record", "title", "现场勘验笔录（测量倾倒量）", "collected_on", today,
		"collected_by", itoa(officer3.ID), "file", photo)
	if st := b.submit(ev); st != http.StatusOK || b.flash() != "证据已上传。" {
		t.Fatalf("second upload: status %d, flash %q, errors %q", st, b.flash(), b.texts(".form-error, p.error"))
	}
	b.act("submit_review")
	b.wantState("法制审核")

	// The reviewer passes it on resubmission.
	b.login("maoba-reviewer")
	b.open(casePath)
	b.act("pass_review", append(checks(), "text", "事实清楚，证据确凿，定性准确，适用依据正确，程序合法，裁量适当。")...)
	b.wantState("告知")

	// The officer serves the notice. Dated before the review passed, it is
	// refused next to the form with the text kept; corrected, it is served.
	// The party waives statement and hearing in writing. (What is served is
	// the issued 告知书, made in “文书” first.)
	officer := a.login("maoba-officer1")
	a.issueDoc(t, officer, casePath, "notice", nil)
	b.login("maoba-officer1")
	b.open(casePath)
	if got := b.text(`form[data-action="serve_notice"] .serve-target`); !strings.Contains(got, "将送达：《行政处罚事先告知书》") {
		t.Errorf("the notice form does not name the notice it serves: %q", got)
	}
	notice := "你于2025年8月20日在干沙村河道倾倒建筑垃圾，拟处罚款20000元，责令清除。"
	b.refused("serve_notice", []string{"送达日期不能早于2025年9月1日", "不得倒签"}, "text", notice, "date", "2025-08-31")
	b.act("serve_notice", "date", today)
	if got := b.text("#notice"); !strings.Contains(got, notice) || !strings.Contains(got, "已告知听证权利") {
		t.Errorf("the served notice is not shown with its text and the hearing right: %q", got)
	}
	b.act("waive_statement")
	b.act("waive_hearing")

	// The head decides, ticking the confirmation; and decides the transfer
	// with its reason.
	b.login("maoba-head")
	b.open(casePath)
	b.refused("decide", []string{"请勾选确认"})
	b.act("decide", "confirm", "1")
	b.wantState("决定")
	b.open(transfer)
	// The head decides on the body the handlers proposed: it is filled in.
	if got := b.eval(`document.querySelector('form[data-action="transfer"] [name="receiving_body"]').value`); got != "紫阳县公安局" {
		t.Errorf("the transfer form shows the receiving body %q, want the proposed 紫阳县公安局", got)
	}
	b.refused("transfer", []string{"请填写移送的理由"}, "receiving_body", "紫阳县公安局")
	b.act("transfer", "reason", "涉嫌犯罪，依法移送公安机关。")
	b.wantState("移送")

	// The officer serves the issued decision to the party's wife, who signs
	// for him, executes it, records the payment and the order done, and
	// closes the case.
	b.login("maoba-officer1")
	b.open(casePath)
	if got := b.text(`form[data-action="serve"] .serve-target`); !strings.Contains(got, "尚未签发") {
		t.Errorf("the serve form does not warn that the decision is not issued: %q", got)
	}
	decisionDoc := a.issueDoc(t, officer, casePath, "decision", nil)
	b.open(casePath)
	if got := b.eval(`document.querySelector('form[data-action="serve"] [name="recipient"]').value`); got != "张某" {
		t.Errorf("the recipient is %q, want the party 张某 by default", got)
	}
	b.act("serve", "date", today, "method", "直接送达", "recipient", "李某", "relation", "妻子", "servers", officer1.DisplayName,
		"service_proof", "送达回证由当事人之妻李某代为签收")
	if got := a.servicesOf(t, decisionDoc); len(got) != 1 || got[0].recipient != "李某" || got[0].relation != "妻子" || got[0].method != "直接送达" {
		t.Errorf("the decision's 送达回证: %+v, want one signed by 李某 (妻子), served directly", got)
	}
	b.wantState("送达")
	b.act("execute")
	b.wantState("执行")
	b.act("add_payment", "payment_kind", "bank", "amount", "20000", "receipt_no", "SX2025-000777", "date", today)
	b.act("order_done", "date", today)
	b.act("close", "confirm", "1")
	b.wantState("结案")

	// The team leader archives it.
	b.login("maoba-leader")
	b.open(casePath)
	b.act("archive", "confirm", "1")
	b.wantState("归档")

	page := b.text("main")
	for _, want := range []string{number, "罚款20000元", "清除倾倒的建筑垃圾", "缴纳 20000元，票据号 SX2025-000777", "送达回证由当事人之妻李某代为签收",
		"退回补充调查", "请补充现场勘验笔录及倾倒量测量记录。", "当事人书面放弃陈述申辩。", "当事人书面明确放弃听证。"} {
		if !strings.Contains(page, want) {
			t.Errorf("the archived case page lacks %q", want)
		}
	}
	// Once archived only a later 复议 or 诉讼 can still be recorded.
	if got := b.eval(`Array.from(document.querySelectorAll("#actions .action-form")).map(f => f.dataset.action).join(",")`); got != "add_remedy" {
		t.Errorf("the archived case offers the actions %q, want only add_remedy", got)
	}
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(artifactDir(t), "browser-case-archived.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the archived case: %s", out)

	// The other cases show their outcome and the reason given in the box.
	for _, c := range []struct{ path, state, reason string }{
		{refuse, "不予立案", "经初查，举报的违法事实不存在。"},
		{revoke, "撤销立案", "立案后查明当事人已于立案前自行清除砂石且系初次，依法不予立案，撤销。"},
		{transfer, "移送", "涉嫌犯罪，依法移送公安机关。"},
		{suspend, "已立案", "等待河道管理部门的阻水影响评估意见。"},
	} {
		b.open(c.path)
		b.wantState(c.state)
		if got := b.text("main"); !strings.Contains(got, c.reason) {
			t.Errorf("%s (%s) does not show its reason %q", c.path, c.state, c.reason)
		}
	}
	// Suspended, the case offers the team leader nothing but resuming it.
	if got := b.eval(`Array.from(document.querySelectorAll("#actions .action-form")).map(f => f.dataset.action).join(",")`); got != "resume" {
		t.Errorf("the suspended case offers %q, want only resume", got)
	}
}

// TestBrowserSuspendAndResume: the team leader suspends a case and resumes
// it through the case page's forms.
func TestBrowserSuspendAndResume(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	b.login("maoba-leader")
	path := b.fileCase("孙某", "当事人在河道内设置阻水障碍物。", []string{"maoba-officer1"}, "maoba-officer1")
	if f := b.flash(); f != "案件已立案。" {
		t.Fatalf("the leader's own filing: flash %q, want it filed at once", f)
	}
	b.wantState("已立案")
	b.act("suspend", "reason", "等待河道管理部门的阻水影响评估意见。")
	if got := b.texts("#actions .action-form > h3"); got != "恢复案件" {
		t.Errorf("the suspended case offers %q, want only 恢复案件", got)
	}
	a.clock.Advance(10 * 24 * time.Hour)
	b.open(path)
	b.act("resume")
	if got := b.text("ol.timeline"); !strings.Contains(got, "恢复案件（中止10日）") {
		t.Errorf("the timeline does not record the resumption: %q", got)
	}
	if got := b.texts("main > h1 + p > span.badge"); strings.Contains(got, "中止") {
		t.Errorf("the resumed case still says it is suspended: %q", got)
	}
	b.act("update_facts", "text", "恢复后继续调查：评估意见认定障碍物阻水。")
}

// nextID is a valid ID number not used before in the test: each party is
// another person.
func (b *browser) nextID() string {
	b.n++
	return idNumber("19800101", strconv.Itoa(100+b.n))
}
