package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowserEvaluation: the county reviewer opens a round through its
// form (a period ending before it starts is refused at the box), scores a
// dossier in Chromium (the record's results confirmed, one overridden with
// a reason, a manual deduction refused without its reason, then given it)
// and finishes it; the county administrator changes the score sheet
// through its editor.
func TestBrowserEvaluation(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	p := a.crew(t)
	path := a.evClosedCase(t, p, "", false)
	number := a.evCaseNumber(t, path)

	b.login("county-reviewer")
	b.open("/evaluations")
	b.open("/evaluations/new")
	form := `#new-round`
	if seed := b.eval(`document.querySelector('#new-round [name="seed"]').value`); seed == "" {
		t.Error("the form proposes no random seed")
	}
	b.fill(form, "name", "2025年第三季度案卷评查", "period_from", "2025-09-01", "period_to", "2025-08-01",
		"seed", "20250901", "cases", number)
	if st := b.submit(form); st != http.StatusUnprocessableEntity {
		t.Fatalf("a period ending before it starts: status %d", st)
	}
	if errs := b.texts(form + " p.error"); !strings.Contains(errs, "截止日期不能早于起始日期。") {
		t.Errorf("the refusal is not at the box: %q", errs)
	}
	if !b.holds(form+` [name="cases"]`, "textarea/textarea", number) {
		t.Error("the refused form lost the case number typed")
	}
	b.fill(form, "period_to", "2025-09-01")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("open the round: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); f != "已开启评查并抽取案卷。" {
		t.Fatalf("flash %q", f)
	}
	if got := b.text("#dossiers tbody"); !strings.Contains(got, number) || !strings.Contains(got, "待评查") {
		t.Fatalf("the round's dossiers: %q", got)
	}
	b.open(b.eval(`document.querySelector('#dossiers tbody a[href*="/dossiers/"]').getAttribute("href")`))

	score := `#score-form`
	if got := b.text(`tr[data-item="C18"] td.auto`); !strings.HasPrefix(got, "符合") {
		t.Errorf("C18 of a decision served the day it was made: %q", got)
	}
	// F01 overridden with its reason; C05 deducted by hand, first without.
	b.fill(score, "d_F01", "1", "why_F01", "听证告知栏目未按规定格式填写", "d_C05", "2")
	if st := b.submit(score); st != http.StatusUnprocessableEntity {
		t.Fatalf("a deduction without a reason: status %d", st)
	}
	if errs := b.texts(score + " p.error"); !strings.Contains(errs, "C05：扣分须写明理由。") {
		t.Errorf("the refusal is not at the item: %q", errs)
	}
	if !b.holds(score+` [name="why_F01"]`, "input/text", "听证告知栏目未按规定格式填写") {
		t.Error("the refused form lost the reason typed")
	}
	b.fill(score, "why_C05", "询问笔录无被询问人逐页签名", "finish", "1")
	if st := b.submit(score); st != http.StatusOK {
		t.Fatalf("finish: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "已完成评查") {
		t.Errorf("flash %q", f)
	}
	if got := b.text("#score"); !strings.Contains(got, "97分") || !strings.Contains(got, "优秀") {
		t.Errorf("score %q, want 97 优秀", got)
	}
	if got := b.text(`tr[data-item="F01"]`); !strings.Contains(got, "扣1分") || !strings.Contains(got, "改变了系统检查结果") {
		t.Errorf("F01 as finished: %q", got)
	}
	if got := b.text("#findings"); !strings.Contains(got, "F01") || !strings.Contains(got, "C05") {
		t.Errorf("correction tasks: %q", got)
	}

	// The administrator's editor: C05 down to 7 points, a new item of 1.
	b.login("county-admin")
	b.open("/settings/evaluation-sheet")
	sheet := `#sheet-form`
	row := b.eval(`(() => { for (const e of document.querySelectorAll('#sheet-form [name^="code_"]')) if (e.value === "C05") return e.name.slice(5); return ""; })()`)
	last := b.eval(`String(Number(document.querySelector('#sheet-form [name="rows"]').value) - 1)`)
	if row == "" {
		t.Fatal("the editor has no row for C05")
	}
	b.fill(sheet, "effective_on", "2025-09-02", "note", "笔录项调为7分，增加公示一致性", "points_"+row, "7",
		"code_"+last, "C27", "text_"+last, "行政执法公示信息与案卷一致", "points_"+last, "1", "step_"+last, "1")
	if st := b.submit(sheet); st != http.StatusOK {
		t.Fatalf("save the sheet: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "已保存评查标准，自 2025-09-02 起") {
		t.Errorf("flash %q", f)
	}
	if got := b.text("#sheet-versions"); !strings.Contains(got, "笔录项调为7分") || !strings.Contains(got, "48 项") {
		t.Errorf("versions: %q", got)
	}
}
