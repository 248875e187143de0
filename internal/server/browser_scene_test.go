package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// clickTo clicks the link sel as a person does and wants the page it opens.
func (b *browser) clickTo(sel string) {
	b.t.Helper()
	if b.eval(`document.querySelector(`+js(sel)+`) ? "yes" : ""`) == "" {
		b.t.Fatalf("no %s on %s", sel, b.path())
	}
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	if res.Status != http.StatusOK {
		b.t.Fatalf("click %s: status %d: %s", sel, res.Status, b.text("main"))
	}
}

// sceneNext submits the step's form with its first button and wants the
// step saved: the next page, with the message and no error.
func (b *browser) sceneNext(form, wantPath, wantFlash string) {
	b.t.Helper()
	if st := b.submit(form); st != http.StatusOK {
		b.t.Fatalf("%s: status %d: %s %s", form, st, b.texts(".form-error"), b.texts("p.error"))
	}
	if got := b.path(); got != wantPath {
		b.t.Fatalf("%s: landed on %s, want %s; errors: %s", form, got, wantPath, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); f != wantFlash {
		b.t.Errorf("%s: flash %q, want %q", form, f, wantFlash)
	}
	if s := b.text(".scene-saved"); wantPath != "" && !strings.HasPrefix(s, "已保存 ") && !strings.HasPrefix(s, "本案有") {
		b.t.Errorf("%s: the step says %q, want 已保存 HH:MM", wantPath, s)
	}
}

// TestBrowserSceneInspectionOnPhone: an officer at the scene fills the
// 现场检查（勘验）笔录 on a phone-sized screen through every step with the
// real forms, goes elsewhere, and finds it all saved on coming back.
func TestBrowserSceneInspectionOnPhone(t *testing.T) {
	a := newApp(t)
	path := a.investigatingCase(t)
	steps := path + "/documents/new/inspection/steps"
	b := newBrowser(t, a)
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	b.login("maoba-officer1")
	b.open(path)
	b.clickTo(`a[data-scene="inspection"]`)
	if b.path() != steps {
		t.Fatalf("the entry opened %s", b.path())
	}
	b.sceneNext("form.scene-begin", steps+"/1", "草稿已创建。每填完一步都会保存到服务器。")
	if got := b.text(".scene-progress-text"); got != "第1步，共5步：时间" {
		t.Errorf("progress %q", got)
	}

	// ① The start is now (the clock's 9:00); the officer corrects it.
	time := `form.scene-form[data-step="time"]`
	sel, _ := b.control(time, "start")
	if v := b.eval(`document.querySelector(` + js(sel) + `).value`); v != "2025-09-01T09:00" {
		t.Errorf("start offered as %q, want now", v)
	}
	b.setValue(sel, "2025-09-01T09:30")
	endSel, _ := b.control(time, "end")
	b.setValue(endSel, "2025-09-01T10:20")
	b.sceneNext(time, steps+"/2", "“时间”已保存。")

	// ② 地点, ③ 在场人员, typed as on a phone.
	place := `form.scene-form[data-step="place"]`
	if v := b.eval(`document.querySelector('` + place + ` [name="place"]').value`); v != "干沙村刘某住宅外" {
		t.Errorf("place prefilled %q, want the case's place", v)
	}
	b.fill(place, "place", "干沙村三组林地边")
	b.sceneNext(place, steps+"/3", "“地点”已保存。")
	if got := b.text(".scene-officers"); !strings.Contains(got, "执法证号") {
		t.Errorf("the officers present are not listed with their certificates: %q", got)
	}
	present := `form.scene-form[data-step="present"]`
	b.fill(present, "present", "当事人刘某在场")
	b.sceneNext(present, steps+"/4", "“在场人员”已保存。")

	// ④ 检查情况: typed, the page reloaded before saving (the phone kept
	// it), then saved.
	rec := `form.scene-form[data-step="record"]`
	record := "现场过火面积约200平方米，地面有焚烧残留物，拍摄照片6张。"
	b.fill(rec, "record", record)
	b.open(steps + "/4")
	if got := b.eval(`document.querySelector('` + rec + ` [name="record"]').value`); got != record {
		t.Errorf("after a reload the box holds %q, want what was typed", got)
	}
	if got := b.text(".scene-kept"); !strings.Contains(got, "已恢复") {
		t.Errorf("no note that the typing was restored: %q", got)
	}
	// A phone's page: one column that fits, boxes and buttons big enough
	// for a thumb.
	if w := b.eval(`String(document.documentElement.scrollWidth)`); w != "390" {
		t.Errorf("the step is %spx wide on a 390px screen", w)
	}
	if small := b.eval(`Array.from(document.querySelectorAll(".scene-form textarea, .scene-form input:not([type=hidden]), .scene-actions button, .scene-progress a"))
		.filter(e => e.getBoundingClientRect().height < 44).map(e => e.name || e.textContent).join(", ")`); small != "" {
		t.Errorf("controls under 44px high: %s", small)
	}
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(artifactDir(t), "phone-scene-step.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of a step on a phone: %s", out)
	b.sceneNext(rec, steps+"/5", "“检查情况”已保存。")

	// ⑤ 核对: the whole record.
	review := b.text(".scene-review")
	for _, want := range []string{"2025年9月1日9时30分", "2025年9月1日10时20分", "干沙村三组林地边", "当事人刘某在场", record} {
		if !strings.Contains(review, want) {
			t.Errorf("the review lacks %q: %s", want, review)
		}
	}
	if b.text(".scene-missing") != "" {
		t.Errorf("the review says something is missing: %s", b.text(".scene-missing"))
	}

	// Elsewhere, then back: everything is there, on the case, in the
	// draft page and in the steps; the phone kept nothing stale.
	b.open("/cases")
	b.open(path)
	if got := b.text(`#documents tr.draft[data-kind="inspection"]`); !strings.Contains(got, "草稿（未签发）") {
		t.Errorf("the case page does not list the draft: %q", got)
	}
	b.open(path + "/documents/new/inspection")
	form := `form.document-form[data-kind="inspection"]`
	for name, want := range map[string]string{"start": "2025年9月1日9时30分", "end": "2025年9月1日10时20分", "place": "干沙村三组林地边",
		"present": "当事人刘某在场", "record": record} {
		sel, kind := b.control(form, name)
		if !b.holds(sel, kind, want) {
			t.Errorf("the draft page's %s holds %q, want %q", name, b.eval(`document.querySelector(`+js(sel)+`).value`), want)
		}
	}
	b.open(steps + "/4")
	if got := b.eval(`document.querySelector('` + rec + ` [name="record"]').value`); got != record {
		t.Errorf("step 4 shows %q, want the saved record", got)
	}
	if got := b.text(".scene-kept"); got != "" {
		t.Errorf("a saved step says it restored unsaved typing: %q", got)
	}
	b.clickTo(`.scene-progress a[href$="/steps/5"]`)
	if review := b.text(".scene-review"); !strings.Contains(review, record) || !strings.Contains(review, "干沙村三组林地边") {
		t.Errorf("coming back, the review lacks the record: %s", review)
	}
	b.clickTo(`.scene-finish a.button.primary`)
	if b.path() != path+"/documents/new/inspection" {
		t.Errorf("去签发 opened %s, want the draft page", b.path())
	}
}
