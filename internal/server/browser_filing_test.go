package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMajorFiling: the filing review's forms filled in Chromium as
// each person would: the county administrator's thresholds form, the
// town's filing form, the county reviewer's review form, the town's answer
// to the correction task, the county's return and its closing (销号).
func TestBrowserMajorFiling(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	p := a.crew(t)

	b.login("county-admin")
	b.open("/settings/major")
	form := `form.thresholds-form`
	b.fill(form, "domain", itoa(a.domainID("林业")), "effective_on", "2025-09-01", "person_yuan", "2000", "org_yuan", "20000",
		"confiscation_yuan", "50000", "revocation", "1", "closure", "1", "note", "林业领域单独设定")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("saving the thresholds: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "已保存重大行政处罚标准") {
		t.Fatalf("flash after saving the thresholds: %q (errors %q)", f, b.texts(".form-error, p.error"))
	}
	if got := b.texts("table.thresholds-current td"); !strings.Contains(got, "林业") || !strings.Contains(got, "对个人罚款2000元以上") {
		t.Errorf("the thresholds in force: %q", got)
	}

	path := a.decidedCase(t, p, "2500")
	id := a.filingOf(t, path)
	if id == 0 {
		t.Fatal("no filing obligation")
	}
	fpath := "/filings/" + itoa(id)
	a.issueDoc(t, p.officer, path, "decision", nil)
	a.issueDoc(t, p.officer, path, "major_filing", nil)

	b.login("maoba-leader")
	b.open("/filings")
	if got := b.texts("table.filings tr[data-filing]"); !strings.Contains(got, "待报送") || !strings.Contains(got, "剩余21天") {
		t.Errorf("the town's list: %q", got)
	}
	b.open(fpath)
	if st := b.submit(`form.filing-file`); st != http.StatusOK {
		t.Fatalf("filing: status %d", st)
	}
	if f := b.flash(); f != "已报送县司法局备案审查。" {
		t.Fatalf("flash after filing: %q (%s)", f, b.texts(".form-error"))
	}

	b.login("county-reviewer")
	b.open("/filings")
	b.fill(`form.town-filter`, "town", "maoba")
	if st := b.submit(`form.town-filter`); st != http.StatusOK {
		t.Fatalf("town filter: status %d", st)
	}
	if got := b.texts("table.filings tr[data-filing]"); !strings.Contains(got, "已报送待审查") {
		t.Errorf("the county's queue for 毛坝镇: %q", got)
	}
	b.open(fpath)
	form = `form.filing-review`
	b.fill(form, "panel", "县司法局、县人民法院、县人民检察院", "findings", "裁量理由不充分，处罚明显不当。", "conclusion", "correct",
		"correction_due", "2025-09-16")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("review: status %d", st)
	}
	if f := b.flash(); f != "审查结论：责令纠正。已向毛坝镇下达整改任务。" {
		t.Fatalf("flash after the review: %q (%s)", f, b.texts(".form-error, p.error"))
	}
	task := a.correctionOf(t, id)
	tpath := "/corrections/" + itoa(task)

	answer := func(text string) {
		t.Helper()
		b.login("maoba-leader")
		b.open(tpath)
		form := `form.correction-answer`
		b.fill(form, "answer_kind", "new_decision", "text", text)
		if st := b.submit(form); st != http.StatusOK {
			t.Fatalf("answer: status %d", st)
		}
		if f := b.flash(); f != "已报送整改情况，等待县司法局审核。" {
			t.Fatalf("flash after the answer: %q (%s)", f, b.texts(".form-error, p.error"))
		}
	}
	answer("撤销原决定，重新作出罚款1500元的决定。")

	// The county sends it back with the second button of its form.
	b.login("county-reviewer")
	b.open(tpath)
	form = `form.correction-close`
	b.fill(form, "text", "未附重新作出的决定书。")
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(form+` button.correction-return`)))
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("return: %v, %v", err, res)
	}
	if f := b.flash(); f != "已退回，毛坝镇需重新整改。" {
		t.Fatalf("flash after the return: %q", f)
	}

	answer("已补充重新作出的决定书。")
	b.login("county-reviewer")
	b.open(tpath)
	b.fill(form, "text", "整改到位，予以销号。")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("close: status %d", st)
	}
	if f := b.flash(); f != "已销号。" {
		t.Fatalf("flash after closing: %q (%s)", f, b.texts(".form-error, p.error"))
	}
	if got := b.texts("#events li"); !strings.Contains(got, "退回重新整改") || !strings.Contains(got, "审核通过，销号") {
		t.Errorf("the task's steps: %q", got)
	}
}
