package server_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The publication forms in real Chromium: the officer adds a name to the
// rule, sees the preview change, publishes it; after a reconsideration
// corrects the decision, withdraws it with a reason. The public pages are
// photographed (test-artifacts/public-decisions.png, public-home.png,
// public-decision.png, and the officer's publication-preview.png), fit a
// phone's width, and one decision prints on A4 (public-decision.pdf).
func TestBrowserPublication(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	// Two decisions published over HTTP, so the county's page has rows.
	a.publish(t, p.officer, a.pubCase(t, p, pubParty("528"), "1000"), "张秀英")
	a.publish(t, p.officer, a.pubCase(t, p, url.Values{"party_kind": {"org"}, "party_name": {"紫阳县毛坝镇兴旺农家乐有限公司"},
		"party_id_number": {"91610924MA70ABCD1X"}, "party_legal_rep": {"司马相如"}, "party_phone": {"0915-5212345"},
		"party_address": {"毛坝镇干沙村三组18号"}}, "20000"), "张秀英、欧阳娜娜")
	path := a.pubCase(t, p, pubParty("539"), "1500")

	b := newBrowser(t, a)
	b.login("maoba-officer1")
	b.open(path + "/publication")
	b.screenshot("publication-preview")
	if got := b.text("#publication-preview .pub-doc"); !strings.Contains(got, "邻居张秀英协助扑灭") || strings.Contains(got, "欧阳娜娜") {
		t.Fatalf("the first preview: %q", got)
	}
	// A name no rule can know, added by the officer.
	preview := `form[data-form="preview"]`
	b.fill(preview, "extra_names", "张秀英")
	if st := b.submit(preview); st != http.StatusOK {
		t.Fatalf("preview: status %d", st)
	}
	if got := b.text("#publication-preview .pub-doc"); !strings.Contains(got, "邻居张某协助扑灭") {
		t.Fatalf("the preview with the name added: %q", got)
	}
	if st := b.submit(`form[data-form="publish"]`); st != http.StatusOK {
		t.Fatalf("publish: status %d: %s", st, b.texts(".form-error"))
	}
	if f := b.flash(); !strings.Contains(f, "已公示") {
		t.Fatalf("after publishing: flash %q, errors %q", f, b.texts(".form-error"))
	}
	published := b.eval(`document.querySelector('#publication-status a[href^="/public/decisions/"]').getAttribute("href")`)

	// The public pages, photographed: the county's list, one town's, the home page.
	b.desktop()
	b.open("/public/decisions")
	if got := b.text(".gov-count"); !strings.Contains(got, "公示决定共 3 件") {
		t.Fatalf("the county's page: %q", got)
	}
	b.screenshot("public-decisions")
	b.open("/public")
	if got := b.text("#figures"); !strings.Contains(got, "公示处罚决定（件）") {
		t.Fatalf("the home page's figures: %q", got)
	}
	b.screenshot("public-home")
	b.phone(phoneWidth)
	for _, pth := range []string{"/public", "/public/decisions", "/public/towns/maoba/decisions", published} {
		b.open(pth)
		if wide := b.tooWide(phoneWidth); wide != "" {
			t.Errorf("%s on a phone: %s", pth, wide)
		}
	}
	b.desktop()
	// One decision printed on A4: the text, without the menus.
	b.open(published)
	b.screenshot("public-decision")
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	pdfPath := filepath.Join(artifactDir(t), "public-decision.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	printed, err := exec.Command(need(t, "pdftotext", "poppler-utils"), "-enc", "UTF-8", pdfPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	flat := strings.Join(strings.Fields(string(printed)), "")
	for _, want := range []string{"行政处罚决定书", "紫毛坝综执罚〔2025〕3号", "当事人：欧阳某", "邻居张某协助扑灭", "公示日期：2025年9月1日"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the printed decision lacks %q", want)
		}
	}
	for _, unwanted := range []string{"工作人员登录", "欧阳娜娜"} {
		if strings.Contains(flat, unwanted) {
			t.Errorf("the printed decision shows %q", unwanted)
		}
	}
	// The search form, as a visitor uses it.
	b.open("/public/towns/maoba/decisions")
	search := `form.gov-search`
	b.fill(search, "q", "兴旺农家乐")
	if st := b.submit(search); st != http.StatusOK {
		t.Fatalf("search: status %d", st)
	}
	if got := b.text(".gov-count"); !strings.Contains(got, "公示决定共 1 件") {
		t.Errorf("searching 兴旺农家乐: %q", got)
	}

	// A reconsideration changes the decision: withdraw it.
	a.clock.Set(day(time.September, 3))
	mustAct(t, p.officer, path, "add_remedy", url.Values{"remedy_kind": {"reconsideration"}, "text": {"当事人申请行政复议"}})
	mustAct(t, p.officer, path, "remedy_outcome", url.Values{"remedy_id": {a.latestID(path, "case_remedies")}, "outcome": {"corrected"},
		"text": {"复议机关变更罚款金额"}})
	b.open(path)
	if got := b.text("#publication"); !strings.Contains(got, "应于 2025-09-08 前撤回公示") {
		t.Fatalf("the case page's publication section: %q", got)
	}
	b.open(path + "/publication")
	withdraw := `form[data-form="withdraw"]`
	b.fill(withdraw, "withdraw_reason", "")
	if st := b.submit(withdraw); st != http.StatusUnprocessableEntity {
		t.Fatalf("withdrawing without a reason: status %d", st)
	}
	if got := b.texts(withdraw + " .error"); !strings.Contains(got, "请填写撤回公示的理由。") {
		t.Errorf("the refusal next to the form: %q", got)
	}
	b.fill(withdraw, "withdraw_reason", "复议机关变更罚款金额，依法撤回公示。")
	if st := b.submit(withdraw); st != http.StatusOK {
		t.Fatalf("withdraw: status %d", st)
	}
	if f := b.flash(); !strings.Contains(f, "已撤回公示") {
		t.Fatalf("after withdrawing: flash %q", f)
	}
	b.open(published)
	if got := b.text("main"); !strings.Contains(got, "撤回公示，不再公开其内容") || strings.Contains(got, "焚烧垃圾") {
		t.Errorf("the withdrawn decision's page: %q", got)
	}
}
