package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/seed"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// The filing review of major penalty decisions (重大行政处罚决定备案审查,
// issue 9): a decision that meets the county's thresholds for its domain
// obliges the town to file it within the period; the county reviews it and
// a 责令纠正 opens a correction task that the town answers and the county
// closes or sends back.

// domainID is the id of the domain named name.
func (a *app) domainID(name string) int64 {
	a.t.Helper()
	var id int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM domains WHERE name = $1`, name).Scan(&id)
	})
	return id
}

// filingOf is the id of the case's filing obligation (0 for none).
func (a *app) filingOf(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce((SELECT id FROM major_filings WHERE case_id = $1), 0)`,
			caseID(t, path)).Scan(&id)
	})
	return id
}

// correctionOf is the correction task the filing's review opened (0 for none).
func (a *app) correctionOf(t *testing.T, filingID int64) int64 {
	t.Helper()
	var id int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce(correction_id, 0) FROM major_filings WHERE id = $1`, filingID).Scan(&id)
	})
	return id
}

// forestryThresholds has the county administrator give 林业 its own
// thresholds from day: a fine on a person of person yuan or more is major.
func (a *app) forestryThresholds(t *testing.T, admin *client, day, person string) {
	t.Helper()
	res := admin.post("/settings/major", url.Values{"domain": {itoa(a.domainID("林业"))}, "effective_on": {day},
		"person_yuan": {person}, "org_yuan": {"20000"}, "confiscation_yuan": {"50000"}, "revocation": {"1"}, "closure": {"1"},
		"note": {"林业领域罚款数额普遍较小，单独设定"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("saving the 林业 thresholds: status %d: %.900s", res.status, text(res.body))
	}
}

// TestMajorFilingLoop: a fine above the domain's threshold obliges the town
// to file within 15 working days (one below does not); the filing is
// refused until the 备案表 and the decision are issued; only the county's
// reviewers review; 责令纠正 opens a task; the town answers, the county
// sends it back, the town answers again and the county closes it.
func TestMajorFilingLoop(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	admin := a.login("county-admin")
	county := a.login("county-reviewer")
	a.forestryThresholds(t, admin, "2025-09-01", "2000")

	small := a.decidedCase(t, p, "1000")
	if id := a.filingOf(t, small); id != 0 {
		t.Fatalf("a fine of 1000 yuan (below 2000) made filing %d", id)
	}
	pageSaysNot(t, p.officer.get(small), "本案决定属于重大行政处罚")

	big := a.decidedCase(t, p, "2500")
	id := a.filingOf(t, big)
	if id == 0 {
		t.Fatal("a fine of 2500 yuan (林业 threshold 2000) made no filing obligation")
	}
	fpath := "/filings/" + itoa(id)
	// 15 working days after Monday 2025-09-01.
	pageSays(t, p.officer.get(big), "重大行政处罚决定备案", "对个人罚款2500元，达到2000元以上的标准",
		"应于 2025-09-22 前报县司法局备案审查", "待报送", "剩余21天")
	pageSays(t, p.officer.get(big), "属于重大行政处罚（对个人罚款2500元")
	list := p.leader.get("/filings")
	pageSays(t, list, "待报送", "2025-09-22 剩余21天")
	mustContain(t, list, `href="`+fpath+`"`)

	// Filing waits for both documents, and names what is missing.
	res := p.leader.post(fpath+"/file", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "《重大行政处罚决定备案表》和《行政处罚决定书》尚未签发")
	a.issueDoc(t, p.officer, big, "decision", nil)
	res = p.leader.post(fpath+"/file", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "《重大行政处罚决定备案表》尚未签发：请先在案件的“文书”中制作并签发，再报送备案。")
	pageSaysNot(t, res, "《行政处罚决定书》尚未签发")
	a.issueDoc(t, p.officer, big, "major_filing", nil)
	// The county cannot review what is not filed.
	res = county.post(fpath+"/review", url.Values{"findings": {"审查意见"}, "conclusion": {"filed"}})
	wantStatus(t, res, http.StatusConflict)
	pageSays(t, res, "毛坝镇尚未报送备案，报送后才能审查。")
	wantStatus(t, p.leader.post(fpath+"/file", nil), http.StatusSeeOther)
	page := p.leader.get(fpath)
	pageSays(t, page, "已报送待审查", "已于2025-09-01按期报送", "紫毛坝综执罚备〔2025〕", "紫毛坝综执罚〔2025〕")
	res = p.leader.post(fpath+"/file", nil)
	wantStatus(t, res, http.StatusConflict)
	pageSays(t, res, "该决定已于2025年9月1日报送备案，不能重复报送。")

	// Only the county's reviewers review.
	for _, c := range []*client{p.leader, p.head, p.reviewer, admin} {
		res = c.post(fpath+"/review", url.Values{"findings": {"同意"}, "conclusion": {"filed"}})
		wantStatus(t, res, http.StatusForbidden)
		pageSays(t, res, "重大行政处罚决定的备案审查由县司法局审核人员进行。")
	}
	pageSaysNot(t, p.leader.get(fpath), "提交审查结论")

	// The county's queue: filterable by town.
	pageSays(t, county.get("/filings?town=maoba&status=submitted"), "毛坝镇", "已报送待审查")
	mustContain(t, county.get("/filings?town=maoba"), `href="`+fpath+`"`)
	mustNotContain(t, county.get("/filings?town=chengguan"), `href="`+fpath+`"`)

	// A review needs findings and, for a correction, its due date.
	res = county.post(fpath+"/review", url.Values{"conclusion": {"correct"}, "correction_due": {"2025-08-01"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "请填写审查意见。", "整改期限应晚于今天。")
	res = county.post(fpath+"/review", url.Values{"panel": {"县司法局、县人民检察院、法律顾问"},
		"findings": {"裁量理由不充分，处罚明显不当，责令重新作出决定。"}, "conclusion": {"correct"}, "correction_due": {"2025-09-16"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = county.get(fpath)
	pageSays(t, page, "责令纠正", "县司法局、县人民检察院、法律顾问", "裁量理由不充分", "待整改", "整改期限 2025-09-16")
	res = county.post(fpath+"/review", url.Values{"findings": {"再审"}, "conclusion": {"filed"}})
	wantStatus(t, res, http.StatusConflict)
	pageSays(t, res, "该备案已于2025年9月1日审查，结论为“责令纠正”，不能重复审查。")

	// The task is the town's to answer.
	task := a.correctionOf(t, id)
	if task == 0 {
		t.Fatal("责令纠正 opened no correction task")
	}
	tpath := "/corrections/" + itoa(task)
	pageSays(t, p.leader.get("/corrections"), "备案审查责令纠正：", "备案审查", "2025-09-16", "待整改")
	page = p.leader.get(tpath)
	pageSays(t, page, "裁量理由不充分", "报送整改情况")
	pageSaysNot(t, page, "审核整改情况")
	res = county.post(tpath+"/answer", url.Values{"answer_kind": {"new_decision"}, "text": {"县里替镇里答"}})
	wantStatus(t, res, http.StatusForbidden)
	pageSays(t, res, "整改情况由被要求整改的镇报送。")
	res = p.leader.post(tpath+"/answer", url.Values{"text": {"已重新作出决定。"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "请选择整改方式。")
	wantStatus(t, p.leader.post(tpath+"/answer", url.Values{"answer_kind": {"new_decision"},
		"text": {"撤销原决定，重新作出罚款1500元的决定。"}}), http.StatusSeeOther)
	pageSays(t, p.leader.get(tpath), "已报整改情况，待审核", "报送整改情况（重新作出决定）", "重新作出罚款1500元的决定")

	// The county sends it back; the town answers again; the county closes it.
	res = p.leader.post(tpath+"/close", url.Values{"text": {"自己销号"}})
	wantStatus(t, res, http.StatusForbidden)
	pageSays(t, res, "整改情况由县司法局审核人员审核。")
	wantStatus(t, county.post(tpath+"/return", url.Values{"text": {"未附重新作出的决定书，请补充。"}}), http.StatusSeeOther)
	pageSays(t, p.leader.get(tpath), "待整改", "退回重新整改", "未附重新作出的决定书")
	wantStatus(t, p.leader.post(tpath+"/answer", url.Values{"answer_kind": {"new_decision"},
		"text": {"已补充重新作出的决定书（紫毛坝综执罚〔2025〕9号）。"}}), http.StatusSeeOther)
	wantStatus(t, county.post(tpath+"/close", url.Values{"text": {"整改到位，予以销号。"}}), http.StatusSeeOther)
	page = county.get(tpath)
	pageSays(t, page, "已销号", "审核通过，销号", "整改到位，予以销号。")
	pageSays(t, county.get(fpath), "已销号")
}

// TestMajorFilingOverdue: a decision not filed within the period shows as
// overdue to the town and to the county, on the lists, the filing's page
// and the case; filed late, it is marked so.
func TestMajorFilingOverdue(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	county := a.login("county-reviewer")
	a.forestryThresholds(t, a.login("county-admin"), "2025-09-01", "2000")
	path := a.decidedCase(t, p, "3000")
	fpath := "/filings/" + itoa(a.filingOf(t, path))

	a.gotoDay(t, "2025-09-22") // the last day
	pageSays(t, p.leader.get("/filings"), "今日到期")
	pageSaysNot(t, p.leader.get("/filings"), "逾期未报送")

	a.gotoDay(t, "2025-09-24")
	for _, c := range []*client{p.leader, county} {
		list := c.get("/filings?status=overdue")
		pageSays(t, list, "逾期未报送", "2025-09-22 已逾期2天")
		mustContain(t, list, `href="`+fpath+`"`)
		pageSays(t, c.get(fpath), "逾期未报送", "已逾期2天")
	}
	pageSays(t, p.officer.get(path), "逾期未报送")
	mustNotContain(t, county.get("/filings?status=filed"), `href="`+fpath+`"`)

	a.issueDoc(t, p.officer, path, "decision", nil)
	a.issueDoc(t, p.officer, path, "major_filing", nil)
	wantStatus(t, p.leader.post(fpath+"/file", nil), http.StatusSeeOther)
	pageSays(t, county.get(fpath), "逾期报送", "2025-09-22（逾期2天，于2025-09-24报送）")
	mustContain(t, county.get("/filings?status=overdue"), `href="`+fpath+`"`)
}

// TestMajorFilingTenancy: a town sees only its own filings and tasks (404
// for another town's, nothing of them in its lists), in the database as
// over HTTP; the town cannot write the review and the county cannot rewrite
// the filing.
func TestMajorFilingTenancy(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	county := a.login("county-reviewer")
	a.forestryThresholds(t, a.login("county-admin"), "2025-09-01", "2000")
	path := a.decidedCase(t, p, "2500")
	id := a.filingOf(t, path)
	fpath := "/filings/" + itoa(id)
	a.issueDoc(t, p.officer, path, "decision", nil)
	a.issueDoc(t, p.officer, path, "major_filing", nil)
	wantStatus(t, p.leader.post(fpath+"/file", nil), http.StatusSeeOther)
	wantStatus(t, county.post(fpath+"/review", url.Values{"findings": {"处罚明显不当。"}, "conclusion": {"revoke"},
		"correction_due": {"2025-09-30"}}), http.StatusSeeOther)
	task := a.correctionOf(t, id)
	tpath := "/corrections/" + itoa(task)
	pageSays(t, county.get(fpath), "撤销建议")

	other := a.login("chengguan-leader")
	for _, path := range []string{fpath, tpath} {
		res := other.get(path)
		wantStatus(t, res, http.StatusNotFound)
	}
	res := other.post(fpath+"/file", nil)
	wantStatus(t, res, http.StatusNotFound)
	pageSays(t, res, "没有找到该重大行政处罚备案。")
	res = other.post(tpath+"/answer", url.Values{"answer_kind": {"explanation"}, "text": {"越权答复"}})
	wantStatus(t, res, http.StatusNotFound)
	pageSays(t, res, "没有找到该整改任务。")
	mustNotContain(t, other.get("/filings"), `href="`+fpath+`"`)
	mustNotContain(t, other.get("/corrections"), `href="`+tpath+`"`)
	mustContain(t, p.leader.get("/corrections"), `href="`+tpath+`"`)
	// A town's filter cannot widen it.
	mustNotContain(t, other.get("/filings?town=maoba"), `href="`+fpath+`"`)

	ctx := context.Background()
	chengguan := database.Settings{Scope: zhifa.ScopeTown, TownID: a.townID("chengguan")}
	maoba := database.Settings{Scope: zhifa.ScopeTown, TownID: a.townID("maoba")}
	var n int
	a.mustTx(chengguan, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM major_filings WHERE town_id <> $1`, a.townID("chengguan")).Scan(&n)
	})
	if n != 0 {
		t.Errorf("chengguan sees %d filings of other towns", n)
	}
	a.mustTx(chengguan, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE major_filings SET filed_by_name = '篡改' WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("chengguan changed maoba's filing")
		}
		return err
	})
	// The town writes no review, the county rewrites no filing, nobody
	// moves the deadline.
	for _, w := range []struct {
		name string
		s    database.Settings
		sql  string
	}{
		{"the town changing the conclusion", maoba, `UPDATE major_filings SET conclusion = 'filed', correction_id = NULL WHERE id = $1`},
		{"the county changing the filing date", database.Settings{Scope: zhifa.ScopeCountyRead}, `UPDATE major_filings SET filed_on = filed_on + 1 WHERE id = $1`},
		{"the town moving the deadline", maoba, `UPDATE major_filings SET due_on = due_on + 30 WHERE id = $1`},
		{"the administrator changing the review", database.Settings{Scope: zhifa.ScopeCountyAdmin}, `UPDATE major_filings SET findings = 'x' WHERE id = $1`},
	} {
		err := a.inTx(w.s, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, w.sql, id)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), pgerrcode.InsufficientPrivilege) {
			t.Errorf("%s: %v, want insufficient_privilege", w.name, err)
		}
	}
}

// TestMajorFilingReviewerRecusal: a county reviewer who did the case's legal
// review may not review its filing.
func TestMajorFilingReviewerRecusal(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	county := a.login("county-reviewer")
	a.forestryThresholds(t, a.login("county-admin"), "2025-09-01", "2000")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "2500")
	reviewed(t, p.officer, county, path)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款2500元。"}})
	mustAct(t, p.officer, path, "waive_statement", nil)
	mustAct(t, p.head, path, "decide", decision("2500"))
	fpath := "/filings/" + itoa(a.filingOf(t, path))
	a.issueDoc(t, p.officer, path, "decision", nil)
	a.issueDoc(t, p.officer, path, "major_filing", nil)
	wantStatus(t, p.leader.post(fpath+"/file", nil), http.StatusSeeOther)
	res := county.post(fpath+"/review", url.Values{"findings": {"同意备案。"}, "conclusion": {"filed"}})
	wantStatus(t, res, http.StatusForbidden)
	pageSays(t, res, "您曾担任本案的法制审核人员，应当回避，不能审查本案的备案。")
}

// TestMajorThresholdVersions: the thresholds are versions by effective
// date, saved only by the county administrator and never in the past; a
// decision is judged by the version in force on its day, and a domain can
// return to the county default.
func TestMajorThresholdVersions(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	admin := a.login("county-admin")
	page := p.officer.get("/settings/major")
	pageSays(t, page, "县级默认", "对个人罚款5000元以上", "对单位罚款50000元以上", "吊销许可证件", "城乡建设", "对个人罚款20000元以上",
		"15个工作日")
	pageSaysNot(t, page, "新增版本")
	for _, c := range []*client{p.leader, a.login("county-reviewer")} {
		res := c.post("/settings/major", url.Values{"effective_on": {"2025-09-10"}, "person_yuan": {"1"}})
		wantStatus(t, res, http.StatusForbidden)
	}
	forestry := itoa(a.domainID("林业"))
	res := admin.post("/settings/major", url.Values{"domain": {forestry}, "effective_on": {"2025-08-31"}, "person_yuan": {"2000"},
		"org_yuan": {"0"}, "confiscation_yuan": {"abc"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "生效日期不能早于今天：已作出的决定按当时施行的标准认定。", "请填写对单位罚款的标准（元），大于0，最多两位小数。",
		"请填写没收违法所得、非法财物价值的标准（元），大于0，最多两位小数。")
	a.forestryThresholds(t, admin, "2025-09-10", "2000")
	res = admin.post("/settings/major", url.Values{"domain": {forestry}, "effective_on": {"2025-09-10"}, "person_yuan": {"1000"},
		"org_yuan": {"10000"}, "confiscation_yuan": {"10000"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "该范围在这一天已有一个版本生效，版本保存后不能修改，请另选生效日期。")
	wantStatus(t, admin.post("/settings/major", url.Values{"domain": {forestry}, "effective_on": {"2025-09-15"},
		"uses_default": {"1"}}), http.StatusSeeOther)
	pageSays(t, admin.get("/settings/major"), "2025-09-10", "对个人罚款2000元以上", "执行县级默认标准")

	before := a.decidedCase(t, p, "2500") // 09-01: the county default (5000) applies
	if a.filingOf(t, before) != 0 {
		t.Error("a decision before the 林业 version took effect was judged by it")
	}
	a.gotoDay(t, "2025-09-10")
	pageSays(t, p.officer.get("/settings/major"), "林业", "对个人罚款2000元以上")
	during := a.decidedCase(t, p, "2500")
	if a.filingOf(t, during) == 0 {
		t.Error("a decision under the 林业 version (2000) made no filing")
	}
	// Saved earlier versions keep judging their own days.
	a.gotoDay(t, "2025-09-15")
	after := a.decidedCase(t, p, "2500")
	if a.filingOf(t, after) != 0 {
		t.Error("林业 returned to the county default, yet a 2500 yuan fine was judged major")
	}
	if a.filingOf(t, during) == 0 {
		t.Error("the earlier obligation is gone")
	}
}

// TestDemoFilings: the demo's filing review (Ziyang's pilot: seven major
// decisions reviewed, one corrected) is whole: every filing with its
// documents, the corrected one's task answered and closed, one waiting for
// the county, one within its period and one overdue; a second run adds
// nothing.
func TestDemoFilings(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	n, err := seed.DemoFilings(ctx, a.db.DB, web.RenderDocument, day(12, 1))
	if err != nil || n != 10 {
		t.Fatalf("demo filings: %d, %v; want 10", n, err)
	}
	if n, err := seed.DemoFilings(ctx, a.db.DB, web.RenderDocument, day(12, 1)); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v; want nothing", n, err)
	}
	a.gotoDay(t, "2025-12-01")
	county := a.login("county-reviewer")
	body := county.get("/filings").body
	list := text(body[strings.Index(body, "<tbody>"):])
	for label, want := range map[string]int{"予以备案": 6, "责令纠正": 1, "已报送待审查": 1, "待报送": 2, "逾期未报送": 1} {
		if got := strings.Count(list, label); got != want {
			t.Errorf("the county's list shows %q %d times, want %d", label, got, want)
		}
	}
	pageSays(t, county.get("/corrections"), "备案审查责令纠正：紫毛坝综执立〔2025〕", "已销号")
	maoba := a.login("maoba-leader")
	list = text(maoba.get("/filings").body)
	if !strings.Contains(list, "黄某") || strings.Contains(list, "罗某") {
		t.Errorf("毛坝镇's list: %.600s", list)
	}
	var filed, docs int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT FROM documents d WHERE d.id = f.filing_doc_id)
			AND EXISTS (SELECT FROM documents d WHERE d.id = f.decision_doc_id)) FROM major_filings f WHERE f.filed_on IS NOT NULL`).Scan(&filed, &docs)
	})
	if filed != 8 || docs != 8 {
		t.Errorf("%d filed, %d with both documents; want 8", filed, docs)
	}
}
