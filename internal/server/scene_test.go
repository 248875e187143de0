package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/doctype"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

// The records made at the scene on a phone (scene.go): a 现场检查（勘验）笔录
// and a 询问笔录 typed in steps, each step saved on the server as the case's
// draft before the next is shown, then issued through the ordinary draft
// page.

// draftOf is the case's saved draft of kind as stored (nil when none).
func (a *app) draftOf(t *testing.T, casePath, kind string) map[string]string {
	t.Helper()
	var raw []byte
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		err := tx.QueryRow(context.Background(), `SELECT fields FROM document_drafts WHERE case_id = $1 AND kind = $2`,
			caseID(t, casePath), kind).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	if raw == nil {
		return nil
	}
	var f map[string]string
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// wantDraft fails unless the stored draft holds each field's value.
func (a *app) wantDraft(t *testing.T, casePath, kind string, want map[string]string) {
	t.Helper()
	got := a.draftOf(t, casePath, kind)
	if got == nil {
		t.Fatalf("no draft of %s saved", kind)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("draft %s field %s = %q, want %q", kind, k, got[k], v)
		}
	}
}

// sceneGo posts a step and wants it saved: a redirect to want.
func sceneGo(t *testing.T, c *client, path string, form url.Values, want string) {
	t.Helper()
	res := c.post(path, form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d, want 303: %.900s", path, res.status, text(res.body))
	}
	if res.location != want {
		t.Fatalf("POST %s: went to %s, want %s", path, res.location, want)
	}
}

// sceneRefused posts a step and wants it shown again (422) with the
// message and the entries kept.
func sceneRefused(t *testing.T, c *client, path string, form url.Values, msg string, kept ...string) {
	t.Helper()
	res := c.post(path, form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, msg)
	mustContain(t, res, kept...)
}

// issueDraft issues the draft as the full draft page's form sends it.
func (a *app) issueDraft(t *testing.T, c *client, casePath, kind string) string {
	t.Helper()
	form := url.Values{"op": {"issue"}}
	for k, v := range a.draftOf(t, casePath, kind) {
		form.Set(k, v)
	}
	res := c.post(casePath+"/documents/new/"+kind, form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("issuing the %s draft: status %d: %.900s", kind, res.status, text(res.body))
	}
	return res.location
}

func TestSceneInspectionStepByStep(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	path := a.investigatingCase(t)
	steps := path + "/documents/new/inspection/steps"

	// The entries: on the case page and the case's documents page.
	for _, page := range []string{path, path + "/documents"} {
		res := officer.get(page)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `href="`+steps+`"`, "现场检查笔录（分步填写）", "询问笔录（分步填写）")
	}

	// Starting saves the draft at once: the case's place, the start now.
	start := officer.get(steps)
	wantStatus(t, start, http.StatusOK)
	mustContain(t, start, "开始填写", "检查情况", "核对")
	if a.draftOf(t, path, "inspection") != nil {
		t.Fatal("a draft before starting")
	}
	sceneGo(t, officer, steps, nil, steps+"/1")
	a.wantDraft(t, path, "inspection", map[string]string{"start": "2025年9月1日9时00分", "end": "", "place": "干沙村刘某住宅外",
		"present": "当事人刘某在场"})
	// Starting again (a second tap) keeps the draft.
	sceneGo(t, officer, steps, nil, steps+"/1")

	// ① 时间.
	res := officer.get(steps + "/1")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "第1步，共5步", "已保存 ", `type="datetime-local"`, `value="2025-09-01T09:00"`)
	sceneRefused(t, officer, steps+"/1", url.Values{"start": {"2025-09-01T09:30"}, "end": {"2025-09-01T09:10"}},
		"结束时间不能早于开始时间（2025年9月1日9时30分）。", `value="2025-09-01T09:30"`, `value="2025-09-01T09:10"`)
	sceneRefused(t, officer, steps+"/1", url.Values{"start": {""}}, "请填写开始时间。")
	// Neither a day to come nor a day before the case was discovered.
	sceneRefused(t, officer, steps+"/1", url.Values{"start": {"2025-09-02T09:00"}}, "笔录时间不能晚于今天。")
	sceneRefused(t, officer, steps+"/1", url.Values{"start": {"2019-01-05T09:00"}}, "笔录时间不能早于发现案件线索的日期（")
	a.wantDraft(t, path, "inspection", map[string]string{"start": "2025年9月1日9时00分"}) // refused: nothing saved
	sceneGo(t, officer, steps+"/1", url.Values{"start": {"2025-09-01T09:30"}, "end": {""}, "op": {"next"}}, steps+"/2")
	a.wantDraft(t, path, "inspection", map[string]string{"start": "2025年9月1日9时30分", "end": ""})

	// ② 地点: prefilled from the case.
	res = officer.get(steps + "/2")
	mustContain(t, res, "第2步，共5步", `value="干沙村刘某住宅外"`, "“时间”已保存。")
	sceneRefused(t, officer, steps+"/2", url.Values{"place": {"  "}}, "请填写地点。")
	a.wantDraft(t, path, "inspection", map[string]string{"start": "2025年9月1日9时30分", "place": "干沙村刘某住宅外"})
	sceneGo(t, officer, steps+"/2", url.Values{"place": {"干沙村三组林地边"}}, steps+"/3")
	a.wantDraft(t, path, "inspection", map[string]string{"place": "干沙村三组林地边"})

	// ③ 在场人员: the officers with their certificate numbers.
	res = officer.get(steps + "/3")
	mustContain(t, res, "第3步，共5步", "执法证号", a.user("maoba-officer1").DisplayName, a.user("maoba-officer3").DisplayName,
		`value="当事人刘某在场"`)
	sceneRefused(t, officer, steps+"/3", url.Values{"present": {""}}, "请写明当事人或见证人是否在场")
	sceneGo(t, officer, steps+"/3", url.Values{"present": {"当事人刘某在场，见证人王某（村委会主任）在场"}}, steps+"/4")
	a.wantDraft(t, path, "inspection", map[string]string{"present": "当事人刘某在场，见证人王某（村委会主任）在场"})

	// ④ 检查情况: saved as it grows, then on.
	res = officer.get(steps + "/4")
	mustContain(t, res, "第4步，共5步", "所见物品", "测量的数据", "拍摄的照片")
	first := "现场过火面积约200平方米。"
	sceneGo(t, officer, steps+"/4", url.Values{"record": {first}, "op": {"stay"}}, steps+"/4")
	a.wantDraft(t, path, "inspection", map[string]string{"record": first})
	record := first + "\n地面有焚烧残留物，拍摄照片6张。"
	sceneGo(t, officer, steps+"/4", url.Values{"record": {strings.ReplaceAll(record, "\n", "\r\n")}, "op": {"next"}}, steps+"/5")
	a.wantDraft(t, path, "inspection", map[string]string{"record": record})

	// ⑤ 核对: everything top to bottom, the end time still missing.
	res = officer.get(steps + "/5")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "第5步，共5步", "2025年9月1日9时30分", "干沙村三组林地边", "见证人王某（村委会主任）在场",
		"地面有焚烧残留物，拍摄照片6张。", "签发前还需填写：", "结束时间（第1步）", `href="`+steps+`/1?back=review"`,
		"保存草稿", `href="`+path+`/documents/new/inspection"`, "去签发")
	// From the review, step ① offers the end as now and goes back there.
	a.clock.Set(testdb.Today.Add(10*time.Hour + 15*time.Minute))
	res = officer.get(steps + "/1?back=review")
	mustContain(t, res, `value="2025-09-01T10:15"`, `name="back" value="review"`, "保存并回到核对", "结束时间记为现在并保存")
	// 结束时间记为现在: the end is the clock's time, whatever the box says.
	sceneGo(t, officer, steps+"/1", url.Values{"start": {"2025-09-01T09:30"}, "end": {""}, "back": {"review"}, "op": {"end_now"}}, steps+"/5")
	a.wantDraft(t, path, "inspection", map[string]string{"start": "2025年9月1日9时30分", "end": "2025年9月1日10时15分",
		"place": "干沙村三组林地边", "record": record})
	mustNotContain(t, officer.get(steps+"/5"), "签发前还需填写")
	sceneGo(t, officer, steps+"/5", url.Values{"op": {"save"}}, path+"#documents")
	mustContain(t, officer.get(path), "草稿（未签发）")

	// 去签发: the ordinary draft page shows the words and issues them.
	form := officer.get(path + "/documents/new/inspection")
	mustContain(t, form, "干沙村三组林地边", "地面有焚烧残留物，拍摄照片6张。", "2025年9月1日10时15分")
	doc := a.issueDraft(t, officer, path, "inspection")
	html, _, _ := a.storedDocument(t, doc)
	for _, want := range []string{"检查（勘验）时间：2025年9月1日9时30分 至 2025年9月1日10时15分", "检查（勘验）地点：干沙村三组林地边",
		"在场情况：当事人刘某在场，见证人王某（村委会主任）在场", "现场过火面积约200平方米。", "地面有焚烧残留物，拍摄照片6张。"} {
		if !strings.Contains(text(html), want) {
			t.Errorf("issued record lacks %q: %.600s", want, text(html))
		}
	}
	// Issued: the draft is gone, the next record starts afresh.
	if a.draftOf(t, path, "inspection") != nil {
		t.Error("the draft is still there after issuing")
	}
	res = officer.get(steps + "/3")
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != steps {
		t.Errorf("a step without a draft goes to %s, want the start page", res.location)
	}
	res = officer.post(steps+"/3", url.Values{"present": {"当事人在场"}})
	wantStatus(t, res, http.StatusConflict)
	mustContain(t, res, "这份笔录的草稿已不存在（可能已被签发），本步填写的内容没有保存。")
	if a.draftOf(t, path, "inspection") != nil {
		t.Error("a step posted after issuing made a draft again")
	}
	mustContain(t, officer.get(steps), "开始填写")
}

func TestSceneInquiryStepByStep(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	path := a.investigatingCase(t)
	steps := path + "/documents/new/inquiry/steps"
	sceneGo(t, officer, steps, nil, steps+"/1")
	mustContain(t, officer.get(steps+"/1"), "第1步，共6步")
	sceneGo(t, officer, steps+"/1", url.Values{"start": {"2025-09-01T14:00"}, "end": {"2025-09-01T14:40"}}, steps+"/2")
	sceneGo(t, officer, steps+"/2", url.Values{"place": {"毛坝镇综合行政执法队询问室"}}, steps+"/3")
	a.wantDraft(t, path, "inquiry", map[string]string{"start": "2025年9月1日14时00分", "end": "2025年9月1日14时40分", "place": "毛坝镇综合行政执法队询问室"})

	// ③ 被询问人: the party's block in separate boxes.
	res := officer.get(steps + "/3")
	mustContain(t, res, "第3步，共6步", `name="p_name" type="text" value="刘某"`, `value="610924197001011234"`, `value="毛坝镇干沙村三组"`,
		`value="13800001234"`, `name="p_relation" type="text" value="当事人"`, `type="tel"`, `inputmode="tel"`)
	witness := url.Values{"p_name": {"王某"}, "p_sex": {"男"}, "p_id": {"61092419800505123"}, "p_address": {"毛坝镇干沙村一组"},
		"p_phone": {"139-1234-5678"}, "p_relation": {"证人"}, "p_other": {"干沙村村委会主任"}}
	sceneRefused(t, officer, steps+"/3", witness, "居民身份证号码应为18位", `value="61092419800505123"`, `value="毛坝镇干沙村一组"`, "干沙村村委会主任")
	witness.Set("p_id", "610924198005051234")
	witness.Set("p_phone", "电话")
	sceneRefused(t, officer, steps+"/3", witness, "联系电话只能填写数字")
	witness.Set("p_phone", "13912345678")
	before := a.draftOf(t, path, "inquiry")
	if !strings.Contains(before["person"], "刘某") {
		t.Fatalf("the refused steps changed the person: %q", before["person"])
	}
	sceneGo(t, officer, steps+"/3", witness, steps+"/4")
	a.wantDraft(t, path, "inquiry", map[string]string{"person": "王某，男，1980年5月5日出生\n身份证件号码：610924198005051234\n住址：毛坝镇干沙村一组\n" +
		"联系电话：13912345678\n干沙村村委会主任\n与本案关系：证人", "place": "毛坝镇综合行政执法队询问室"})
	// Read back into the boxes as saved.
	mustContain(t, officer.get(steps+"/3"), `value="王某"`, `value="男" checked`, `value="证人"`, "干沙村村委会主任")

	// ④ 询问人、记录人: prefilled with the handlers and their certificates.
	res = officer.get(steps + "/4")
	mustContain(t, res, "第4步，共6步", "执法证号")
	questioners := a.draftOf(t, path, "inquiry")["questioners"]
	if !strings.Contains(questioners, a.user("maoba-officer1").DisplayName) {
		t.Fatalf("questioners not prefilled: %q", questioners)
	}
	sceneGo(t, officer, steps+"/4", url.Values{"questioners": {questioners + "（询问、记录）"}}, steps+"/5")

	// ⑤ 问答: one question and its answer at a time.
	res = officer.get(steps + "/5")
	mustContain(t, res, "第5步，共6步", "已记录3问", "你有权申请执法人员回避", `name="lines" value="6"`, "保存并继续下一问", "修改全部问答")
	q1 := url.Values{"q": {"请讲一下事情经过。"}, "a": {"我在屋外烧垃圾，\r\n风大把火吹到林子里了。"}, "lines": {"6"}, "op": {"next"}}
	sceneGo(t, officer, steps+"/5", q1, steps+"/5#q")
	// The same post sent again (its answer lost on the way): not added twice.
	sceneGo(t, officer, steps+"/5", q1, steps+"/5#q")
	sceneRefused(t, officer, steps+"/5", url.Values{"q": {"烧了多长时间？"}, "a": {""}, "lines": {"8"}, "op": {"next"}},
		"请填写被询问人的回答", "烧了多长时间？")
	sceneGo(t, officer, steps+"/5", url.Values{"q": {"问：烧了多长时间？"}, "a": {"大概半个小时。"}, "lines": {"8"}, "op": {"done"}}, steps+"/6")
	qa := a.draftOf(t, path, "inquiry")["qa"]
	lines := strings.Split(qa, "\n")
	wantTail := []string{"问：请讲一下事情经过。", "答：我在屋外烧垃圾，风大把火吹到林子里了。", "问：烧了多长时间？", "答：大概半个小时。"}
	if len(lines) != 10 || strings.Join(lines[6:], "\n") != strings.Join(wantTail, "\n") {
		t.Fatalf("qa saved:\n%s\nwant the 6 opening lines and:\n%s", qa, strings.Join(wantTail, "\n"))
	}
	mustContain(t, officer.get(steps+"/5"), "已记录5问", `name="lines" value="10"`, "大概半个小时。")
	// Nothing typed, 问答结束: on to the review, nothing saved.
	sceneGo(t, officer, steps+"/5", url.Values{"q": {""}, "a": {""}, "lines": {"10"}, "op": {"done"}}, steps+"/6")

	// The whole text, to correct: each line a 问 or an 答.
	all := officer.get(steps + "/5/all")
	wantStatus(t, all, http.StatusOK)
	mustContain(t, all, "答：大概半个小时。", "保存全部问答")
	sceneRefused(t, officer, steps+"/5/all", url.Values{"qa": {qa + "\n补充：没有了"}}, "第11行“补充：没有了”没有以“问：”或“答：”开头", "补充：没有了")
	fixed := strings.Replace(qa, "大概半个小时。", "大概半个小时，后来自己扑灭了一部分。", 1)
	sceneGo(t, officer, steps+"/5/all", url.Values{"qa": {fixed}}, steps+"/5")
	a.wantDraft(t, path, "inquiry", map[string]string{"qa": fixed})

	// ⑥ 核对, then issued through the draft page: the Q&A in order.
	res = officer.get(steps + "/6")
	mustContain(t, res, "第6步，共6步", "王某，男，1980年5月5日出生", "与本案关系：证人", "请讲一下事情经过。", "后来自己扑灭了一部分。")
	mustNotContain(t, res, "签发前还需填写")
	doc := a.issueDraft(t, officer, path, "inquiry")
	html, _, _ := a.storedDocument(t, doc)
	body := text(html)
	last := -1
	for _, want := range []string{"询问时间：2025年9月1日14时00分 至 2025年9月1日14时40分", "询问地点：毛坝镇综合行政执法队询问室",
		"被询问人：王某，男，1980年5月5日出生", "问：我们是", "答：看清楚了。", "问：请讲一下事情经过。", "答：我在屋外烧垃圾，风大把火吹到林子里了。",
		"问：烧了多长时间？", "答：大概半个小时，后来自己扑灭了一部分。", "以上笔录我看过"} {
		i := strings.Index(body, want)
		if i < 0 {
			t.Errorf("issued inquiry lacks %q: %.900s", want, body)
			continue
		}
		if i < last {
			t.Errorf("issued inquiry: %q out of order", want)
		}
		last = i
	}
}

func TestSceneIsForTheCaseHandlers(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	path := a.investigatingCase(t)
	steps := path + "/documents/new/inspection/steps"
	sceneGo(t, officer, steps, nil, steps+"/1")
	saved := a.draftOf(t, path, "inspection")

	// Another town: the case does not exist for them.
	other := a.loginAs(t, "chengguan-officer1")
	for _, p := range []string{steps, steps + "/1", steps + "/5", path + "/documents/new/inquiry/steps/5/all"} {
		res := other.get(p)
		wantStatus(t, res, http.StatusNotFound)
		mustContain(t, res, "没有找到该案件")
	}
	res := other.post(steps+"/2", url.Values{"place": {"别处"}})
	wantStatus(t, res, http.StatusNotFound)
	res = other.post(steps, nil)
	wantStatus(t, res, http.StatusNotFound)

	// The town's officer who does not handle the case, the head, the
	// county: refused, the draft unchanged.
	for user, msg := range map[string]string{
		"maoba-officer2":  "只有本案的承办人员可以进行“分步填写现场检查（勘验）笔录”。",
		"maoba-head":      "只有本案的承办人员可以进行“分步填写现场检查（勘验）笔录”。",
		"county-reviewer": "文书由镇人民政府制作和签发，县级用户只能查阅。",
	} {
		c := a.loginAs(t, user)
		res := c.get(steps + "/1")
		wantStatus(t, res, http.StatusForbidden)
		mustContain(t, res, msg)
		res = c.post(steps+"/2", url.Values{"place": {"别处"}})
		wantStatus(t, res, http.StatusForbidden)
		mustContain(t, res, msg)
	}
	// Nor are they offered it on the case page.
	mustNotContain(t, a.loginAs(t, "maoba-officer2").get(path), "分步填写")
	if got := a.draftOf(t, path, "inspection"); got["place"] != saved["place"] {
		t.Errorf("a refused step saved the place %q", got["place"])
	}

	// Only the two records, only their steps.
	res = officer.get(path + "/documents/new/decision/steps")
	wantStatus(t, res, http.StatusNotFound)
	mustContain(t, res, "没有这种分步填写的笔录。")
	wantStatus(t, officer.get(steps+"/6"), http.StatusNotFound)
	wantStatus(t, officer.get(steps+"/0"), http.StatusNotFound)
	wantStatus(t, officer.get(steps+"/4/all"), http.StatusNotFound) // the whole-Q&A page is the inquiry's

	// A lead not yet filed: an inspection may be recorded (it often finds
	// the violation), an inquiry not yet.
	lead := fileCase(t, officer, a.caseForm(twoHandlers...))
	page := officer.get(lead)
	mustContain(t, page, "现场检查笔录（分步填写）")
	mustNotContain(t, page, "询问笔录（分步填写）")
	res = officer.post(lead+"/documents/new/inquiry/steps", nil)
	wantStatus(t, res, http.StatusConflict)
	mustContain(t, res, "案件尚未立案，不能制作该文书。")
	if a.draftOf(t, lead, string(doctype.Inquiry)) != nil {
		t.Error("a refused start saved a draft")
	}
	sceneGo(t, officer, lead+"/documents/new/inspection/steps", nil, lead+"/documents/new/inspection/steps/1")
}
