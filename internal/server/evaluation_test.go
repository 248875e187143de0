package server_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"zhifa/internal/database"
	"zhifa/internal/evaluation"
	"zhifa/internal/seed"
	"zhifa/internal/zhifa"
)

// Dossier evaluation (案卷评查, issue 9): a round drawn reproducibly from its
// seed, the automatic checks of a clean case and of one with defects, the
// reviewer's confirmation, overrides and manual deductions, a veto item,
// the findings sent to the town, the report, tenancy and recusal.

// evClosedCase takes a new 毛坝镇 case with a 1000-yuan fine to 归档: the
// decision served the same day, or late on lateDay; when unrechecked, the
// fine is left unpaid past its date, the 催告 served on 2025-10-09 and the
// party's statement then never rechecked. The clock is left on the day it
// was closed.
func (a *app) evClosedCase(t *testing.T, p crew, lateDay string, unrechecked bool) string {
	t.Helper()
	path := a.decidedCase(t, p, "1000")
	if lateDay != "" {
		a.gotoDay(t, lateDay)
	}
	a.serveDecision(t, p.officer, path, nil)
	mustAct(t, p.officer, path, "execute", nil)
	if unrechecked {
		a.gotoDay(t, "2025-10-09")
		a.serveDemand(t, p.officer, path, nil)
		mustAct(t, p.officer, path, "add_statement", url.Values{"text": {"当事人称经济困难，请求减免罚款。"}})
	}
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-" + itoa(caseID(t, path))}})
	mustAct(t, p.officer, path, "close", confirmed)
	mustAct(t, p.leader, path, "archive", confirmed)
	return path
}

// evCaseNumber is the case's number.
func (a *app) evCaseNumber(t *testing.T, path string) string {
	t.Helper()
	var n string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT number FROM cases WHERE id = $1`, caseID(t, path)).Scan(&n)
	})
	return n
}

var evRoundRE = regexp.MustCompile(`^/evaluations/(\d+)$`)

// evOpen opens a round as c and returns its path.
func evOpen(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	res := c.post("/evaluations/new", form)
	if res.status != http.StatusSeeOther || !evRoundRE.MatchString(res.location) {
		t.Fatalf("open round: status %d to %q: %.900s", res.status, res.location, text(res.body))
	}
	return res.location
}

var evDossierRE = regexp.MustCompile(`data-case="(\d+)" data-dossier="(\d+)"`)

// evSample is the round page's dossiers: case id → dossier path, and the
// case ids in the page's order.
func evSample(t *testing.T, c *client, round string) (map[string]string, []string) {
	t.Helper()
	page := c.get(round)
	wantStatus(t, page, http.StatusOK)
	out := map[string]string{}
	var order []string
	for _, m := range evDossierRE.FindAllStringSubmatch(page.body, -1) {
		out[m[1]] = round + "/dossiers/" + m[2]
		order = append(order, m[1])
	}
	return out, order
}

// evItem is the text of the sheet's row of item code on a dossier page.
func evItem(t *testing.T, page response, code string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-item="` + code + `"[^>]*>(.*?)</tr>`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no row %s on the page: %.600s", code, text(page.body))
	}
	return text(m[1])
}

// evAuto is the automatic result cell of item code.
func evAuto(t *testing.T, page response, code string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-item="` + code + `"[^>]*>.*?<td class="auto">(.*?)</td>`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no automatic result for %s", code)
	}
	return text(m[1])
}

var (
	evInputRE  = regexp.MustCompile(`<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"`)
	evSelectRE = regexp.MustCompile(`(?s)<select[^>]*?name="([^"]+)"[^>]*>(.*?)</select>`)
	evChosenRE = regexp.MustCompile(`<option value="([^"]*)" selected`)
)

// evForm reads the page's inputs and selects back as a browser submits
// them (the first option of a select with none selected; checkboxes as
// their value, so only forms without unticked boxes are read with it).
func evForm(body string) url.Values {
	v := url.Values{}
	for _, m := range evInputRE.FindAllStringSubmatch(body, -1) {
		if m[1] != "csrf_token" && !strings.Contains(m[0], `type="checkbox"`) {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	for _, m := range evSelectRE.FindAllStringSubmatch(body, -1) {
		if c := evChosenRE.FindStringSubmatch(m[2]); c != nil {
			v.Set(m[1], c[1])
		} else if c := regexp.MustCompile(`<option value="([^"]*)"`).FindStringSubmatch(m[2]); c != nil {
			v.Set(m[1], c[1])
		}
	}
	return v
}

// evScores are the scoring form's values as the page fills them, with
// changes.
func evScores(t *testing.T, page response, changes url.Values) url.Values {
	t.Helper()
	v := evForm(page.body)
	if len(v) < 40 {
		t.Fatalf("the scoring form has %d fields: %.600s", len(v), text(page.body))
	}
	for k, vs := range changes {
		v[k] = vs
	}
	return v
}

func TestEvaluationRoundEndToEnd(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	county := a.login("county-reviewer")

	// 2025-09-01: a clean case; a case whose decision is served late (the
	// 15th: 7 working days after the 1st end on the 10th) and whose
	// party's statement after the 催告 is never rechecked.
	clean := a.evClosedCase(t, p, "", false)
	defective := a.evClosedCase(t, p, "2025-09-15", true)
	// A case whose legal review the county reviewer did himself.
	a.gotoDay(t, "2025-10-10")
	reviewedByCounty := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, reviewedByCounty, "investigate", nil)
	investigated(t, p.officer, reviewedByCounty, "1000")
	mustAct(t, p.officer, reviewedByCounty, "submit_review", nil)
	mustAct(t, county, reviewedByCounty, "pass_review", with(checklist(), url.Values{"text": {"事实清楚，证据确凿，程序合法。"}}))
	a.serveNotice(t, p.officer, reviewedByCounty, url.Values{"text": {"拟处罚款1000元。"}})
	mustAct(t, p.officer, reviewedByCounty, "waive_statement", nil)
	mustAct(t, p.head, reviewedByCounty, "decide", decision("1000"))
	a.serveDecision(t, p.officer, reviewedByCounty, nil)
	mustAct(t, p.officer, reviewedByCounty, "execute", nil)
	mustAct(t, p.officer, reviewedByCounty, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-X1"}})
	mustAct(t, p.officer, reviewedByCounty, "close", confirmed)

	maoba, chengguan := itoa(a.townID("maoba")), itoa(a.townID("chengguan"))
	me := itoa(a.user("county-reviewer").ID)
	draw := func(seed string) url.Values {
		return url.Values{"name": {"2025年第三季度案卷评查"}, "period_from": {"2025-01-01"}, "period_to": {"2025-10-10"},
			"towns": {maoba, chengguan}, "per_town": {"2"}, "seed": {seed}, "reviewers": {me}}
	}

	// Only county reviewers open rounds.
	wantStatus(t, p.leader.post("/evaluations/new", draw("4242")), http.StatusForbidden)

	t.Run("the sample is reproducible from its seed", func(t *testing.T) {
		first := evOpen(t, county, draw("4242"))
		page := county.get(first)
		pageSays(t, page, "随机种子 4242", "每镇随机抽取 2 份")
		_, got := evSample(t, county, first)
		// 毛坝镇 has five closed general cases in the period (two of the
		// demo data, three above), 城关镇 one: two and one drawn.
		if len(got) != 3 {
			t.Fatalf("drew %d dossiers from two towns, want 2 + 1: %v", len(got), got)
		}
		again := evOpen(t, county, draw("4242"))
		if _, same := evSample(t, county, again); !slices.Equal(same, got) {
			t.Errorf("the same seed drew %v, first %v", same, got)
		}
		other := evOpen(t, county, draw("777"))
		pageSays(t, county.get(other), "随机种子 777")
		// Every case drawn is a closed general-procedure case of the town.
		a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
			var bad int
			err := tx.QueryRow(context.Background(), `SELECT count(*) FROM eval_dossiers d JOIN cases c ON c.id = d.case_id
				WHERE c.procedure <> 'general' OR c.state NOT IN ('closed', 'archived') OR c.town_id <> d.town_id
				   OR c.closed_on NOT BETWEEN '2025-01-01' AND '2025-10-10'`).Scan(&bad)
			if bad != 0 {
				t.Errorf("%d drawn dossiers are not closed general cases of the period", bad)
			}
			return err
		})
		// The seed defaults to a random one shown on the form.
		form := county.get("/evaluations/new")
		if m := regexp.MustCompile(`name="seed" type="number" value="(\d+)"`).FindStringSubmatch(form.body); m == nil {
			t.Errorf("the form proposes no seed")
		}
	})

	round := evOpen(t, county, url.Values{"name": {"2025年毛坝镇专项评查"}, "period_from": {"2025-01-01"}, "period_to": {"2025-10-10"},
		"reviewers": {me}, "seed": {"1"}, "cases": {a.evCaseNumber(t, clean) + "\n" + a.evCaseNumber(t, defective)}})
	pageSays(t, county.get(round), "指定案卷")
	sample, _ := evSample(t, county, round)
	cleanDossier, defDossier := sample[itoa(caseID(t, clean))], sample[itoa(caseID(t, defective))]
	if cleanDossier == "" || defDossier == "" {
		t.Fatalf("the hand-picked round holds %v", sample)
	}

	t.Run("automatic items of a clean case", func(t *testing.T) {
		page := county.get(cleanDossier)
		wantStatus(t, page, http.StatusOK)
		for _, code := range []string{"V01", "V02", "V03", "V08", "V09", "V10", "V11", "F01", "F03", "F04", "F05", "F06", "F07", "F08",
			"C01", "C02", "C12", "C16", "C18", "C19", "C20", "C23"} {
			if got := evAuto(t, page, code); !strings.HasPrefix(got, "符合") {
				t.Errorf("%s on the clean case: %q, want 符合", code, got)
			}
		}
		for _, code := range []string{"C07", "C08", "C13"} {
			if got := evAuto(t, page, code); !strings.HasPrefix(got, "不涉及") {
				t.Errorf("%s on the clean case: %q, want 不涉及", code, got)
			}
		}
		for code, want := range map[string]string{
			"V09": "事先告知书于2025-09-01送达，当事人书面放弃陈述、申辩；处罚决定于2025-09-01作出",
			"V11": "审核通过；处罚决定于2025-09-01作出",
			"C18": "决定2025-09-01，2025-09-01送达（直接送达），期限至2025-09-10",
			"C02": "发现2025-08-25，立案2025-09-01",
			"V02": "执法证",
			"C20": "缴入银行1000元",
			"C05": "人工评查",
		} {
			if got := evAuto(t, page, code); !strings.Contains(got, want) {
				t.Errorf("%s: %q, want it to say %q", code, got, want)
			}
		}
	})

	t.Run("automatic items of a case with defects", func(t *testing.T) {
		page := county.get(defDossier)
		if got := evAuto(t, page, "C18"); !strings.HasPrefix(got, "不符合，扣4分") || !strings.Contains(got, "超过7个工作日送达") ||
			!strings.Contains(got, "决定2025-09-01，2025-09-15送达") {
			t.Errorf("C18 of a decision served on the 15th: %q", got)
		}
		if got := evAuto(t, page, "C12"); !strings.HasPrefix(got, "不符合，扣2分") || !strings.Contains(got, "2025-10-09收到的陈述申辩未经复核") {
			t.Errorf("C12 of a statement never rechecked: %q", got)
		}
		if got := evAuto(t, page, "V09"); !strings.HasPrefix(got, "符合") {
			t.Errorf("V09: %q", got)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		page := county.get(defDossier)
		refusedWith := func(changes url.Values, want string) {
			t.Helper()
			res := county.post(defDossier, evScores(t, page, changes))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			pageSays(t, res, want)
		}
		refusedWith(url.Values{"d_C12": {"0"}}, "C12：改变系统检查结果须写明理由。")
		refusedWith(url.Values{"d_C05": {"2"}}, "C05：扣分须写明理由。")
		refusedWith(url.Values{"d_C05": {"9"}, "why_C05": {"笔录多处未签名"}}, "C05：扣分不能超过本项分值8分（扣完为止）。")
		refusedWith(url.Values{"v_V05": {"fail"}}, "V05：认定否决项不符合须写明理由。")
		refusedWith(url.Values{"v_V09": {"fail"}}, "V09：改变系统检查结果须写明理由。")
		// A town's people do not score.
		wantStatus(t, p.leader.post(defDossier, evScores(t, page, nil)), http.StatusForbidden)
	})

	t.Run("scoring: confirm, override, manual deduction, veto", func(t *testing.T) {
		// The clean case: the record's results confirmed, one manual
		// deduction; saved first, then finished.
		page := county.get(cleanDossier)
		res := county.post(cleanDossier, evScores(t, page, url.Values{"d_C05": {"1"}, "why_C05": {"询问笔录未注明询问起止时间"}}))
		wantStatus(t, res, http.StatusSeeOther)
		saved := county.get(cleanDossier)
		pageSays(t, saved, "已保存评分。", "评查中")
		if got := evScores(t, saved, nil); got.Get("d_C05") != "1" || got.Get("why_C05") != "询问笔录未注明询问起止时间" {
			t.Errorf("the saved form shows C05 %q %q", got.Get("d_C05"), got.Get("why_C05"))
		}
		res = county.post(cleanDossier, evScores(t, saved, url.Values{"finish": {"1"}}))
		wantStatus(t, res, http.StatusSeeOther)
		page = county.get(cleanDossier)
		pageSays(t, page, "已完成评查", "得分 99分， 优秀 ，2025-10-10 评定")
		if got := evItem(t, page, "C05"); !strings.Contains(got, "扣1分") || !strings.Contains(got, "询问笔录未注明询问起止时间") {
			t.Errorf("C05 as finished: %q", got)
		}
		// Finished is final.
		res = county.post(cleanDossier, evScores(t, saved, nil))
		wantStatus(t, res, http.StatusConflict)
		pageSays(t, res, "该案卷已完成评查，评分不能再修改。")

		// The defective case: C12 overridden with a reason (the recheck
		// is on paper), the late service confirmed, C05 deducted, and a
		// veto item failed: 不合格 whatever the points.
		page = county.get(defDossier)
		res = county.post(defDossier, evScores(t, page, url.Values{"d_C12": {"1"}, "why_C12": {"复核意见附纸质卷，但未载明复核日期"},
			"d_C05": {"1"}, "why_C05": {"现场笔录无当事人签名"}, "v_V05": {"fail"}, "why_V05": {"违法行为定性不准确：应为失火而非野外用火"},
			"finish": {"1"}}))
		wantStatus(t, res, http.StatusSeeOther)
		page = county.get(defDossier)
		pageSays(t, page, "得分 0分， 不合格 （否决项不符合，按不合格计；扣分后卷面 94 分")
		if got := evItem(t, page, "C12"); !strings.Contains(got, "扣1分") || !strings.Contains(got, "改变了系统检查结果") {
			t.Errorf("C12 as finished: %q", got)
		}
	})

	t.Run("findings become correction tasks for the town", func(t *testing.T) {
		var titles []string
		a.mustTx(database.Settings{Scope: zhifa.ScopeTown, TownID: a.townID("maoba")}, func(tx pgx.Tx) error {
			rows, _ := tx.Query(context.Background(), `SELECT title || ' / ' || due_on::text FROM corrections WHERE source = 'evaluation' ORDER BY id`)
			var err error
			titles, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		joined := strings.Join(titles, "\n")
		for _, want := range []string{"C05 询问笔录", "C18 决定书宣告后", "C12 陈述、申辩", "V05 违法事实清楚", "2025-11-09"} {
			if !strings.Contains(joined, want) {
				t.Errorf("the town's tasks do not include %q:\n%s", want, joined)
			}
		}
		if len(titles) != 5 {
			t.Errorf("%d tasks, want 5 (1 for the clean case, 4 for the other): %v", len(titles), titles)
		}
		pageSays(t, county.get(defDossier), "整改任务", "待整改")
	})

	t.Run("the report", func(t *testing.T) {
		wantStatus(t, county.post(round+"/close", nil), http.StatusSeeOther)
		pageSays(t, county.get(round), "已结束")
		rep := county.get(round + "/report")
		wantStatus(t, rep, http.StatusOK)
		row := regexp.MustCompile(`(?s)<tr class="group" data-town="全县">(.*?)</tr>`).FindStringSubmatch(rep.body)
		if row == nil {
			t.Fatalf("no county row: %.900s", text(rep.body))
		}
		// 2 dossiers, both done, average (99 + 0) / 2, 1 veto, 优秀 1, 良好 0, 合格 0, 不合格 1; C05 twice.
		if got := text(row[1]); got != "全县 2 2 49.5 1 1 0 0 1 C05（2）、 C12（1）、 C18（1）" {
			t.Errorf("county row: %q", got)
		}
		first := regexp.MustCompile(`(?s)<table class="data" id="deductions">.*?<tr data-item="([A-Z0-9]+)">`).FindStringSubmatch(rep.body)
		if first == nil || first[1] != "C05" {
			t.Errorf("the most frequent deduction: %v, want C05", first)
		}
		pageSays(t, rep, "毛坝镇 2 2 49.5", "打印请使用浏览器的打印功能（A4）")
		x := county.get(round + "/report.xlsx")
		wantStatus(t, x, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatalf("report.xlsx: %v", err)
		}
		defer f.Close()
		rows, _ := f.GetRows("汇总")
		if len(rows) < 4 || strings.Join(rows[2][:9], " ") != "全县 2 2 49.5 1 1 0 0 1" {
			t.Errorf("XLSX summary: %v", rows)
		}
		ded, _ := f.GetRows("扣分项")
		if len(ded) < 2 || ded[1][0] != "C05" || ded[1][3] != "2" {
			t.Errorf("XLSX deductions: %v", ded)
		}
		// A town has no report.
		wantStatus(t, p.leader.get(round+"/report"), http.StatusForbidden)
	})

	t.Run("tenancy", func(t *testing.T) {
		mine := p.leader.get(defDossier)
		wantStatus(t, mine, http.StatusOK)
		pageSays(t, mine, "得分 0分， 不合格", "违法行为定性不准确")
		pageSaysNot(t, mine, "保存评分")
		other := a.login("chengguan-leader")
		res := other.get(defDossier)
		wantStatus(t, res, http.StatusNotFound)
		pageSays(t, res, "没有找到该评查案卷。")
		wantStatus(t, other.get(round), http.StatusNotFound)
		pageSaysNot(t, other.get("/evaluations"), "2025年毛坝镇专项评查")
		pageSays(t, p.leader.get("/evaluations"), "2025年毛坝镇专项评查")
		// An unfinished dossier of the town's own is not shown to it yet.
		unfinished, _ := evSample(t, county, evOpen(t, county, url.Values{"name": {"未完成的评查"}, "period_from": {"2025-01-01"},
			"period_to": {"2025-10-10"}, "reviewers": {me}, "seed": {"1"}, "cases": {a.evCaseNumber(t, clean)}}))
		wantStatus(t, p.leader.get(unfinished[itoa(caseID(t, clean))]), http.StatusNotFound)
	})

	t.Run("a reviewer who took part in the case is refused", func(t *testing.T) {
		r := evOpen(t, county, url.Values{"name": {"回避测试"}, "period_from": {"2025-01-01"}, "period_to": {"2025-10-10"},
			"reviewers": {me}, "seed": {"1"}, "cases": {a.evCaseNumber(t, reviewedByCounty)}})
		sample, _ := evSample(t, county, r)
		d := sample[itoa(caseID(t, reviewedByCounty))]
		pageSays(t, county.get(r), "（无可回避的评查人员）")
		page := county.get(d)
		wantStatus(t, page, http.StatusOK)
		const msg = "您参与过该案件的办理（法制审核），应当回避，不能评查该案卷。"
		pageSays(t, page, msg)
		pageSaysNot(t, page, "保存评分")
		res := county.post(d, url.Values{"d_C05": {"0"}})
		wantStatus(t, res, http.StatusForbidden)
		pageSays(t, res, msg)
	})
}

func TestEvaluationSheetVersions(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	page := admin.get("/settings/evaluation-sheet")
	wantStatus(t, page, http.StatusOK)
	pageSays(t, page, "现行版本：2025-01-01 起施行", "优秀 ≥ 90")
	form := evForm(page.body)
	// C05 becomes 7 points and a new item C27 of 1 point keeps 100.
	row := func(code string) string {
		for k, v := range form {
			if strings.HasPrefix(k, "code_") && v[0] == code {
				return strings.TrimPrefix(k, "code_")
			}
		}
		t.Fatalf("no row for %s", code)
		return ""
	}
	c05 := row("C05")
	form.Set("points_"+c05, "7")
	n := form.Get("rows")
	last := itoa(evInt(t, n) - 1)
	form.Set("effective_on", "2025-08-01")
	res := admin.post("/settings/evaluation-sheet", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "生效日期不能早于今天")
	form.Set("effective_on", "2025-09-02")
	res = admin.post("/settings/evaluation-sheet", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "形式和内容评查项的分值合计须为100分（现为99分）。")
	form.Set("code_"+last, "C27")
	form.Set("tier_"+last, "content")
	form.Set("text_"+last, "行政执法公示信息与案卷一致")
	form.Set("points_"+last, "1")
	form.Set("step_"+last, "1")
	form.Set("note", "笔录项调为7分，增加公示一致性")
	res = admin.post("/settings/evaluation-sheet", form)
	wantStatus(t, res, http.StatusSeeOther)
	// The reviewers read it; the version applies from its date.
	county := a.login("county-reviewer")
	pageSays(t, county.get("/settings/evaluation-sheet"), "2025-09-02", "笔录项调为7分", "48 项", "47 项")
	a.gotoDay(t, "2025-09-02")
	page = county.get("/settings/evaluation-sheet")
	pageSays(t, page, "现行版本：2025-09-02 起施行", "行政执法公示信息与案卷一致")
	// Only the administrator edits it.
	wantStatus(t, county.post("/settings/evaluation-sheet", form), http.StatusForbidden)
	wantStatus(t, a.login("maoba-leader").get("/settings/evaluation-sheet"), http.StatusForbidden)
}

func evInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDefaultSheetInDatabase: the migration's first version of the sheet is
// evaluation.DefaultItems and DefaultGrades.
func TestDefaultSheetInDatabase(t *testing.T) {
	a := newApp(t)
	var items []evaluation.Item
	var grades []evaluation.Grade
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT items, grades FROM eval_sheets WHERE effective_on = '2025-01-01'`).Scan(&items, &grades)
	})
	if !reflect.DeepEqual(items, evaluation.DefaultItems) || !reflect.DeepEqual(grades, evaluation.DefaultGrades) {
		t.Errorf("the migration's sheet differs from evaluation.DefaultItems/DefaultGrades:\n%v\n%v", items, grades)
	}
}

// TestDemoEvaluationRound: the demo's finished round of last year, scored
// with findings, with its correction tasks, readable by the county and by
// each town for its own dossiers.
func TestDemoEvaluationRound(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, zhifa.Local)
	ok, err := seed.DemoEvaluations(ctx, a.db.DB, today)
	if err != nil || !ok {
		t.Fatalf("demo evaluations: %v %v", ok, err)
	}
	if again, err := seed.DemoEvaluations(ctx, a.db.DB, today); err != nil || again {
		t.Fatalf("loaded twice: %v %v", again, err)
	}
	county := a.login("county-reviewer")
	list := county.get("/evaluations")
	pageSays(t, list, "2025年度案卷评查", "已结束")
	m := regexp.MustCompile(`href="(/evaluations/\d+)">2025年度案卷评查`).FindStringSubmatch(list.body)
	if m == nil {
		t.Fatal("no link to the round")
	}
	round := m[1]
	page := county.get(round)
	pageSays(t, page, "随机种子 20260112", "城关镇", "汉王镇", "向阳镇", "毛坝镇")
	mustNotContain(t, page, "待评查", "评查中")
	rep := county.get(round + "/report")
	wantStatus(t, rep, http.StatusOK)
	// Two dossiers a town, all finished; 汉王镇's 褚某 was noticed and
	// decided before its review passed: V11, 不合格.
	pageSays(t, rep, "全县 8 8", "汉王镇 2 2", "褚某", "V11（否决）")
	hw := a.login("hanwang-leader")
	own := hw.get(round)
	wantStatus(t, own, http.StatusOK)
	pageSays(t, own, "褚某", "不合格")
	pageSaysNot(t, own, "钱某", "卫某")
	// 城关镇's tasks were answered and closed; the others wait.
	var open, closed int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'closed')
			FROM corrections WHERE source = 'evaluation'`).Scan(&open, &closed)
	})
	if open == 0 || closed == 0 {
		t.Errorf("evaluation tasks: %d open, %d closed; want some of each", open, closed)
	}
}
