package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// press clicks the submit button of form whose value is op (the draft form
// has three: save, preview, issue) and returns the status of the answer.
func (b *browser) press(form, op string) int64 {
	b.t.Helper()
	button := form + ` button[type="submit"][value="` + op + `"]`
	if b.eval(`document.querySelector(`+js(button)+`) ? "yes" : ""`) == "" {
		b.t.Fatalf("%s has no button %q", form, op)
	}
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		b.t.Fatalf("click %s: %v", button, err)
	}
	b.labelsFindTheirBoxes()
	return res.Status
}

// TestBrowserDocumentDraftIssueServe: an officer makes a 责令（限期）改正通知书
// in Chromium from the case page: a required box left empty is refused at
// the box with the words typed kept; the draft is saved and previewed;
// issued, it is numbered; its service is recorded on its page (a 留置送达
// without a witness is refused first). The county administrator changes the
// document wording through its form.
func TestBrowserDocumentDraftIssueServe(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	path := a.investigatingCase(t)

	b.login("maoba-officer1")
	b.open(path)
	link := b.eval(`(document.querySelector('a[data-make="correction_order"]') || {}).getAttribute ? document.querySelector('a[data-make="correction_order"]').getAttribute("href") : ""`)
	if link != path+"/documents/new/correction_order" {
		t.Fatalf("the case page offers no 责令改正通知书 to make (link %q)", link)
	}
	b.open(link)
	form := `form.document-form`
	b.fill(form, "measure", "立即停止野外用火，补植树木60棵。")
	if st := b.press(form, "issue"); st != http.StatusUnprocessableEntity {
		t.Fatalf("issuing without the due date: status %d", st)
	}
	if errs := b.texts(form + " p.error"); !strings.Contains(errs, "签发前请填写“改正期限”") {
		t.Errorf("the refusal is not at the box: %q", errs)
	}
	if !b.holds(form+` [name="measure"]`, "textarea/textarea", "立即停止野外用火，补植树木60棵。") {
		t.Error("the refused form lost the measure typed")
	}
	b.fill(form, "due", "2025年9月30日前")
	if st := b.press(form, "preview"); st != http.StatusOK {
		t.Fatalf("preview: status %d", st)
	}
	if got := b.path(); got != link+"/preview" {
		t.Fatalf("preview landed on %s", got)
	}
	if sheet := b.text(".doc-sheet.doc-draft"); !strings.Contains(sheet, "补植树木60棵") || !strings.Contains(sheet, "2025年9月30日前") {
		t.Errorf("the preview does not show the draft: %q", sheet)
	}
	b.open(path)
	if row := b.text(`#documents tr.draft[data-kind="correction_order"]`); !strings.Contains(row, "草稿（未签发）") {
		t.Errorf("the case page does not list the draft: %q", row)
	}
	b.open(link)
	if !b.holds(form+` [name="due"]`, "input/text", "2025年9月30日前") {
		t.Error("the saved draft is not in the form again")
	}
	if st := b.press(form, "issue"); st != http.StatusOK {
		t.Fatalf("issue: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "已签发《责令（限期）改正通知书》紫毛坝综执责改〔2025〕1号") {
		t.Errorf("flash after issuing: %q", f)
	}
	docPath := b.path()

	service := `form.service-form`
	b.fill(service, "method", "留置送达", "recipient", "刘某")
	if st := b.submit(service); st != http.StatusUnprocessableEntity {
		t.Fatalf("留置送达 without a witness: status %d", st)
	}
	if errs := b.texts(service + " p.error"); !strings.Contains(errs, "拒绝签收（留置送达）须注明见证人") {
		t.Errorf("the refusal is not at the witness box: %q", errs)
	}
	b.fill(service, "witness", "干沙村村委会主任 张某", "servers", "执法队员甲、执法队员乙")
	if st := b.submit(service); st != http.StatusOK {
		t.Fatalf("serve: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "已记录送达") {
		t.Errorf("flash after serving: %q", f)
	}
	if got := b.text(".doc-status"); !strings.HasPrefix(got, "已送达") {
		t.Errorf("status after service %q", got)
	}
	if rows := b.texts("table.services td"); !strings.Contains(rows, "留置送达") || !strings.Contains(rows, "张某") {
		t.Errorf("service record shown: %q", rows)
	}
	b.open(docPath + "/receipt")
	if r := b.text(".doc-sheet"); !strings.Contains(r, "送达回证") || !strings.Contains(r, "紫毛坝综执责改〔2025〕1号") {
		t.Errorf("the receipt does not name the document served: %.400s", r)
	}

	// The case page lists it, served; a wrong notice is replaced, not
	// edited: the replacement names the one it replaces, both are kept.
	b.open(path)
	if row := b.text(`#documents tr[data-kind="correction_order"]`); !strings.Contains(row, "紫毛坝综执责改〔2025〕1号") || !strings.Contains(row, "已送达") {
		t.Errorf("the case page's documents: %q", row)
	}
	b.open(docPath)
	replace := b.eval(`document.querySelector('a[href*="supersedes="]').getAttribute("href")`)
	b.open(replace)
	b.fill(form, "due", "2025年10月15日前")
	if st := b.press(form, "issue"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a replacement without its reason: status %d", st)
	}
	if errs := b.texts(form + " p.error"); !strings.Contains(errs, "请说明替代原文书的原因") {
		t.Errorf("the refusal is not at the reason box: %q", errs)
	}
	b.fill(form, "reason", "改正期限有误")
	if st := b.press(form, "issue"); st != http.StatusOK {
		t.Fatalf("issue the replacement: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if sheet := b.text(".doc-sheet"); !strings.Contains(sheet, "本文书替代紫毛坝综执责改〔2025〕1号") || !strings.Contains(sheet, "2025年10月15日前") {
		t.Errorf("the replacement: %.400s", sheet)
	}
	b.open(docPath)
	if got := b.text(".doc-status"); got != "已被替代" {
		t.Errorf("the replaced notice's status %q", got)
	}

	b.login("county-admin")
	b.open("/settings/documents")
	settings := `form.doc-settings`
	b.fill(settings, "effective_on", "2025-08-01", "bank", "紫阳县农商银行毛坝支行")
	if st := b.submit(settings); st != http.StatusUnprocessableEntity {
		t.Fatalf("a past version: status %d", st)
	}
	if errs := b.texts(settings + " p.error"); !strings.Contains(errs, "生效日期不能早于今天") {
		t.Errorf("refusal of a past version: %q", errs)
	}
	b.fill(settings, "effective_on", "2025-09-02", "note", "更换代收银行")
	if st := b.submit(settings); st != http.StatusOK {
		t.Fatalf("save settings: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "自 2025-09-02 起签发的文书使用新设置") {
		t.Errorf("flash after saving settings: %q", f)
	}
	if v := b.texts("table.versions td"); !strings.Contains(v, "更换代收银行") {
		t.Errorf("versions: %q", v)
	}
}
