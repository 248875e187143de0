package server_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhifa/internal/stats"
)

// The statistics page (/stats, issue 13): its numbers against a known data
// set and against direct counts over the cases, its XLSX against the page,
// the year before, and whose figures each role reads.

var (
	statsTableRE = regexp.MustCompile(`(?s)<table class="data stats" data-table="([a-z]+)">(.*?)</table>`)
	statsRowRE   = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	statsCellRE  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
)

// statsTables are the page's tables by id: the header row first, then
// each row (the total last), each cell's text.
func statsTables(t testing.TB, body string) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, m := range statsTableRE.FindAllStringSubmatch(body, -1) {
		var rows [][]string
		for _, r := range statsRowRE.FindAllStringSubmatch(m[2], -1) {
			var cells []string
			for _, c := range statsCellRE.FindAllStringSubmatch(r[1], -1) {
				cells = append(cells, html.UnescapeString(strings.TrimSpace(tagRE.ReplaceAllString(c[1], ""))))
			}
			rows = append(rows, cells)
		}
		out[m[1]] = rows
	}
	if len(out) == 0 {
		t.Fatalf("no statistics tables on the page: %.600s", text(body))
	}
	return out
}

// statsCell is the cell of a table in the row labelled row, under the
// column headed col.
func statsCell(t testing.TB, tables map[string][][]string, table, row, col string) string {
	t.Helper()
	rows := tables[table]
	if len(rows) == 0 {
		t.Fatalf("no table %s", table)
	}
	c := -1
	for i, h := range rows[0] {
		if h == col {
			c = i
		}
	}
	for _, r := range rows[1:] {
		if len(r) > c && c >= 0 && r[0] == row {
			return r[c]
		}
	}
	t.Fatalf("table %s has no cell %q × %q: %v", table, row, col, rows)
	return ""
}

// statsWant fails unless each row × column of the table shows its text.
func statsWant(t *testing.T, tables map[string][][]string, table string, wants map[[2]string]string) {
	t.Helper()
	for k, want := range wants {
		if got := statsCell(t, tables, table, k[0], k[1]); got != want {
			t.Errorf("%s: %s × %s shows %q, want %q", table, k[0], k[1], got, want)
		}
	}
}

// knownStats loads a small data set of 2022 and 2023, as the schema owner
// (the triggers keep the summary as they would for the app): in 毛坝镇
//   - A: registered and filed in January 2023, reviewed (returned) in
//     February, decided on 10 February with a fine of 1000元, 600元 paid in
//     March; a reconsideration filed in March, corrected in April;
//   - B: filed 1 February, decided 20 February, 200元 paid that day, closed
//     25 February (24 days); a lawsuit filed in March, pending;
//   - C: filed 1 March, transferred 10 March (9 days);
//   - D: filed March 2022, closed April 2022 (the year before);
//
// and in 城关镇 E: filed May 2023, extended, a hearing held in May, being
// investigated.
func (a *app) knownStats(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	owner := a.owner()
	maoba, chengguan := a.townID("maoba"), a.townID("chengguan")
	item := a.itemID("ZY-LY-001")
	ins := func(town int64, seq int, state, created, filed, decided, closed, heard string, fine int64, extensions int) int64 {
		t.Helper()
		null := func(s string) any {
			if s == "" {
				return nil
			}
			return s
		}
		year := 2023
		if strings.HasPrefix(filed, "2022") {
			year = 2022
		}
		var id int64
		err := owner.QueryRow(ctx, `INSERT INTO cases (town_id, procedure, state, item_id, year, seq, number, source, party_kind, party_name,
				act_on, discovered_on, filed_on, created_by, created_at, decided_on, fine_fen, closed_on, hearing_held_on, extensions,
				state_entered_on)
			SELECT $1, 'general', $2, $3, $4::int, $5::int, '紫' || t.short_name || '综执立〔' || $4::int || '〕' || $5::int || '号', 'complaint',
				'person', '统计某' || $5::int, $6::date - 2, $6::date - 1, $7::date, u.id, ($6::text || ' 10:00+08')::timestamptz, $8::date,
				$9, $10::date, $11::date, $12, $6::date
			FROM towns t, users u WHERE t.id = $1 AND u.username = t.code || '-officer1'
			RETURNING id`, town, state, item, year, seq, created, null(filed), null(decided), fine, null(closed), null(heard), extensions).Scan(&id)
		if err != nil {
			t.Fatalf("known case %d: %v", seq, err)
		}
		return id
	}
	// The towns' lists in force begin in 2024: the data set is older.
	if _, err := owner.Exec(ctx, `ALTER TABLE cases DISABLE TRIGGER cases_item_in_force`); err != nil {
		t.Fatal(err)
	}
	caseA := ins(maoba, 9001, "executing", "2023-01-05", "2023-01-06", "2023-02-10", "", "", 100000, 0)
	caseB := ins(maoba, 9002, "closed", "2023-02-01", "2023-02-01", "2023-02-20", "2023-02-25", "", 20000, 0)
	ins(maoba, 9003, "transferred", "2023-03-01", "2023-03-01", "", "2023-03-10", "", 0, 0)
	ins(maoba, 9004, "closed", "2022-03-01", "2022-03-01", "", "2022-04-01", "", 0, 0)
	ins(chengguan, 9005, "investigating", "2023-05-01", "2023-05-01", "", "", "2023-05-20", 0, 1)
	if _, err := owner.Exec(ctx, `ALTER TABLE cases ENABLE TRIGGER cases_item_in_force`); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO case_payments (case_id, town_id, amount_fen, paid_on, receipt_no, recorded_by)
		 SELECT id, town_id, 60000, '2023-03-01', 'TJ-KNOWN-1', created_by FROM cases WHERE id = $1`,
		`INSERT INTO case_reviews (case_id, town_id, reviewer_id, reviewer_name, reviewed_on, outcome, opinion)
		 SELECT id, town_id, created_by, '审核员', '2023-02-01', 'returned', '事实不清，退回补充调查。' FROM cases WHERE id = $1`,
		`INSERT INTO case_remedies (case_id, town_id, kind, filed_on, outcome, decided_on)
		 SELECT id, town_id, 'reconsideration', '2023-03-05', 'pending', NULL FROM cases WHERE id = $1`,
		`UPDATE case_remedies SET outcome = 'corrected', decided_on = '2023-04-01' WHERE case_id = $1`,
	} {
		if _, err := owner.Exec(ctx, sql, caseA); err != nil {
			t.Fatal(err)
		}
	}
	for _, sql := range []string{
		`INSERT INTO case_payments (case_id, town_id, amount_fen, paid_on, receipt_no, recorded_by)
		 SELECT id, town_id, 20000, '2023-02-20', 'TJ-KNOWN-2', created_by FROM cases WHERE id = $1`,
		`INSERT INTO case_remedies (case_id, town_id, kind, filed_on) SELECT id, town_id, 'litigation', '2023-03-01' FROM cases WHERE id = $1`,
	} {
		if _, err := owner.Exec(ctx, sql, caseB); err != nil {
			t.Fatal(err)
		}
	}
	a.statsClean(t)
}

// TestStatsPageShowsKnownData: for the first half of 2023 the county's page
// and 毛坝镇's show the known data set's numbers, beside the first half of
// 2022, and the months and the towns add up.
func TestStatsPageShowsKnownData(t *testing.T) {
	a := newApp(t)
	a.knownStats(t)
	county := a.login("county-reviewer")
	res := county.get("/stats?from=2023-01&to=2023-06")
	wantStatus(t, res, http.StatusOK)
	pageSays(t, res, "紫阳县行政执法统计", "统计期间： 2023年1月至6月", "上年同期 2022年1月至6月",
		"本期行政复议：提起 1 件，纠错 1 件；行政诉讼：提起 1 件，败诉 0 件。")
	mustNotContain(t, res, "零复议纠错、零诉讼败诉")
	tables := statsTables(t, res.body)
	statsWant(t, tables, "overview", map[[2]string]string{
		{"登记案源（件）", "本期"}:        "4",
		{"立案（件）", "本期"}:          "4",
		{"立案（件）", "上年同期"}:        "1",
		{"立案（件）", "增减"}:          "+3",
		{"立案（件）", "增减率"}:         "+300.0%",
		{"作出决定（件）", "本期"}:        "2",
		{"办结（件）", "本期"}:          "2",
		{"其中：结案（件）", "本期"}:       "1",
		{"其中：结案（件）", "上年同期"}:     "1",
		{"其中：移送（件）", "本期"}:       "1",
		{"期末在办（件）", "本期"}:        "2",
		{"期末在办（件）", "上年同期"}:      "0",
		{"延长办案期限（件）", "本期"}:      "1",
		{"平均办案天数（天）", "本期"}:      "16.5",
		{"最长办案天数（天）", "本期"}:      "24",
		{"最长办案天数（天）", "上年同期"}:    "31",
		{"举行听证（次）", "本期"}:        "1",
		{"法制审核（次）", "本期"}:        "1",
		{"其中：退回补充调查（次）", "本期"}:   "1",
		{"罚款决定金额（元）", "本期"}:      "1,200.00",
		{"罚款决定金额（元）", "增减率"}:     "—",
		{"其中：已缴纳（元）", "本期"}:      "800.00",
		{"其中：未缴纳（元）", "本期"}:      "400.00",
		{"实收罚款（元）", "本期"}:        "800.00",
		{"行政复议（件）", "本期"}:        "1",
		{"复议纠错（件）", "本期"}:        "1",
		{"行政诉讼（件）", "本期"}:        "1",
		{"诉讼败诉（件）", "本期"}:        "0",
		{"其中：不予处罚（件）", "上年同期"}:   "0",
		{"其中：撤销立案（件）", "本期"}:     "0",
		{"不予立案（件）", "本期"}:        "0",
		{"其中：审核不通过（次）", "本期"}:    "0",
		{"加处罚款（元）", "本期"}:        "0.00",
		{"复议纠错（件）", "上年同期"}:      "0",
		{"平均办案天数（天）", "上年同期"}:    "31.0",
		{"办结（件）", "增减率"}:         "+100.0%",
		{"其中：已缴纳（元）", "上年同期"}:    "0.00",
		{"作出决定（件）", "上年同期"}:      "0",
		{"举行听证（次）", "上年同期"}:      "0",
		{"其中：移送（件）", "上年同期"}:     "0",
		{"延长办案期限（件）", "上年同期"}:    "0",
		{"其中：退回补充调查（次）", "上年同期"}: "0",
	})
	statsWant(t, tables, "towns", map[[2]string]string{
		{"毛坝镇", "立案"}: "3", {"毛坝镇", "上年同期立案"}: "1", {"毛坝镇", "增减率"}: "+200.0%", {"毛坝镇", "结案"}: "1",
		{"毛坝镇", "期末在办"}: "1", {"毛坝镇", "罚款决定（元）"}: "1,200.00", {"毛坝镇", "未缴纳（元）"}: "400.00",
		{"毛坝镇", "平均办案天数"}: "16.5", {"毛坝镇", "审核退回"}: "1",
		{"城关镇", "立案"}: "1", {"城关镇", "上年同期立案"}: "0", {"城关镇", "增减率"}: "—", {"城关镇", "延长期限"}: "1",
		{"城关镇", "听证"}: "1", {"城关镇", "期末在办"}: "1",
		{"双安镇", "立案"}: "0",
		{"合计", "立案"}:  "4", {"合计", "期末在办"}: "2",
	})
	statsWant(t, tables, "months", map[[2]string]string{
		{"2023年1月", "立案"}: "1", {"2023年2月", "立案"}: "1", {"2023年2月", "作出决定"}: "2", {"2023年2月", "结案"}: "1",
		{"2023年2月", "罚款决定（元）"}: "1,200.00", {"2023年2月", "实收罚款（元）"}: "200.00", {"2023年3月", "实收罚款（元）"}: "600.00",
		{"2023年3月", "上年同月立案"}: "1", {"2023年3月", "月末在办"}: "1", {"2023年5月", "月末在办"}: "2",
		{"合计", "立案"}: "4", {"合计", "上年同月立案"}: "1", {"合计", "月末在办"}: "2",
	})
	statsWant(t, tables, "remedies", map[[2]string]string{
		{"毛坝镇", "复议提起"}: "1", {"毛坝镇", "复议纠错"}: "1", {"毛坝镇", "复议审理中"}: "0",
		{"毛坝镇", "诉讼提起"}: "1", {"毛坝镇", "诉讼审理中"}: "1", {"合计", "诉讼败诉"}: "0",
	})
	statsWant(t, tables, "sources", map[[2]string]string{{"投诉举报", "立案"}: "4", {"投诉举报", "上年同期立案"}: "1"})
	statsWant(t, tables, "procedures", map[[2]string]string{{"一般程序", "作出决定"}: "2", {"合计", "已缴纳（元）"}: "800.00"})
	if n := len(tables["towns"]); n != 1+17+1 {
		t.Errorf("the county's towns table has %d rows, want the header, 17 towns and the total", n)
	}

	// A month: April 2023 alone, the reconsideration's correction in it.
	april := statsTables(t, county.get("/stats?from=2023-04&to=2023-04").body)
	statsWant(t, april, "overview", map[[2]string]string{{"立案（件）", "本期"}: "0", {"期末在办（件）", "本期"}: "1", {"复议纠错（件）", "本期"}: "1"})
	statsWant(t, april, "remedies", map[[2]string]string{{"毛坝镇", "复议提起"}: "0", {"毛坝镇", "复议纠错"}: "1"})

	// The year before is the same months: the first half of 2024 compared
	// with the first half of 2023.
	next := statsTables(t, county.get("/stats?from=2024-01&to=2024-06&town=maoba").body)
	statsWant(t, next, "overview", map[[2]string]string{{"立案（件）", "上年同期"}: "3", {"期末在办（件）", "上年同期"}: "1",
		{"罚款决定金额（元）", "上年同期"}: "1,200.00", {"实收罚款（元）", "上年同期"}: "800.00", {"行政复议（件）", "上年同期"}: "1"})
	statsWant(t, next, "months", map[[2]string]string{{"2024年2月", "上年同月立案"}: "1", {"2024年3月", "上年同月立案"}: "1"})

	// 毛坝镇's leader reads 毛坝镇's alone.
	own := statsTables(t, a.login("maoba-leader").get("/stats?from=2023-01&to=2023-06").body)
	statsWant(t, own, "overview", map[[2]string]string{{"立案（件）", "本期"}: "3", {"期末在办（件）", "本期"}: "1", {"延长办案期限（件）", "本期"}: "0"})
	if rows := own["towns"]; len(rows) != 2 || rows[1][0] != "毛坝镇" {
		t.Errorf("毛坝镇's towns table: %v", rows)
	}
}

// TestStatsXLSXEqualsThePage: every table of the page is a sheet of the
// download, with the same numbers in the same places.
func TestStatsXLSXEqualsThePage(t *testing.T) {
	a := newApp(t)
	a.knownStats(t)
	for _, who := range []string{"county-reviewer", "maoba-head"} {
		c := a.login(who)
		for _, q := range []string{"?from=2023-01&to=2023-06", "", "?from=2024-07&to=2025-08"} {
			page := c.get("/stats" + q)
			wantStatus(t, page, http.StatusOK)
			tables := statsTables(t, page.body)
			res := c.get("/stats.xlsx" + q)
			wantStatus(t, res, http.StatusOK)
			if ct := res.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
				t.Errorf("content type %q", ct)
			}
			if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''") {
				t.Errorf("content disposition %q", cd)
			}
			f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)), excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			titles := regexp.MustCompile(`<section class="card stats-table" id="([a-z]+)"><h2>([^<]+)</h2>`).FindAllStringSubmatch(page.body, -1)
			if sheets := f.GetSheetList(); len(sheets) != len(titles) || len(titles) != len(tables) {
				t.Fatalf("%s%s: sheets %v, tables on the page %d", who, q, sheets, len(tables))
			}
			for _, ti := range titles {
				id, title := ti[1], html.UnescapeString(ti[2])
				rows, err := f.GetRows(title, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatalf("sheet %s: %v", title, err)
				}
				want := tables[id]
				got := rows[stats.XLSXHeadRows:]
				if len(got) < len(want) {
					t.Fatalf("sheet %s has %d rows, the page's table %d", title, len(got), len(want))
				}
				for i, prow := range want {
					for j, pcell := range prow {
						x := ""
						if j < len(got[i]) {
							x = got[i][j]
						}
						if !sameStatsCell(pcell, x, i == 0 || j == 0) {
							t.Errorf("%s%s: %s row %d col %d: the page shows %q, the XLSX holds %q", who, q, title, i, j, pcell, x)
						}
					}
				}
			}
		}
	}
}

// sameStatsCell compares a page's cell with the XLSX's raw value: a label
// as text, a number (with its grouping, sign and percent) as a number, and
// "—" as an empty cell.
func sameStatsCell(page, xlsx string, label bool) bool {
	if label {
		return page == xlsx
	}
	if page == stats.NoValue {
		return xlsx == ""
	}
	s := strings.NewReplacer(",", "", "+", "").Replace(page)
	scale := 1.0
	if strings.HasSuffix(s, "%") {
		s, scale = strings.TrimSuffix(s, "%"), 100
	}
	p, err1 := strconv.ParseFloat(s, 64)
	x, err2 := strconv.ParseFloat(xlsx, 64)
	return err1 == nil && err2 == nil && math.Abs(p-x*scale) < 1e-6
}

// TestStatsTownScope: a town's users read their own town's figures, on
// the page and in the XLSX, whatever town the query names; the county
// chooses any town; an unknown town or a bad month shows the form again
// with its message, the entries kept.
func TestStatsTownScope(t *testing.T) {
	a := newApp(t)
	a.knownStats(t)
	leader := a.login("chengguan-leader")
	for _, q := range []string{"?from=2023-01&to=2023-06", "?from=2023-01&to=2023-06&town=maoba"} {
		res := leader.get("/stats" + q)
		wantStatus(t, res, http.StatusOK)
		pageSays(t, res, "城关镇行政执法统计")
		tables := statsTables(t, res.body)
		statsWant(t, tables, "overview", map[[2]string]string{{"立案（件）", "本期"}: "1", {"罚款决定金额（元）", "本期"}: "0.00",
			{"行政复议（件）", "本期"}: "0"})
		if rows := tables["towns"]; len(rows) != 2 || rows[1][0] != "城关镇" {
			t.Errorf("城关镇's leader reads the towns %v", rows)
		}
		for _, other := range []string{"毛坝镇", "1,200.00", `name="town"`} {
			if strings.Contains(res.body, other) {
				t.Errorf("城关镇's page (%s) shows %q", q, other)
			}
		}
		x := leader.get("/stats.xlsx" + q)
		wantStatus(t, x, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			for _, r := range rows {
				if strings.Contains(strings.Join(r, "|"), "毛坝镇") {
					t.Errorf("城关镇's XLSX sheet %s names 毛坝镇: %v", sheet, r)
				}
			}
		}
	}
	// The county chooses a town.
	county := a.login("county-admin")
	res := county.get("/stats?from=2023-01&to=2023-06&town=chengguan")
	wantStatus(t, res, http.StatusOK)
	pageSays(t, res, "城关镇行政执法统计")
	statsWant(t, statsTables(t, res.body), "overview", map[[2]string]string{{"立案（件）", "本期"}: "1"})
	mustContain(t, res, `<option value="chengguan" selected>城关镇</option>`)

	// Bad input: the form again, 422, the entries kept, no figures.
	for _, c := range []struct {
		q, field, msg string
	}{
		{"?from=2023-13&to=2023-06", "from", "起始月份请按“年-月”填写，如 2025-09。"},
		{"?from=2023-06&to=2023-01", "to", "截止月份不能早于起始月份。"},
		{"?from=2023-01&to=2023-06&town=atlantis", "town", "请选择本县的镇，或选“全县”。"},
	} {
		res := county.get("/stats" + c.q)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `<p class="error" id="stats-`+c.field+`-error">`+html.EscapeString(c.msg)+`</p>`)
		mustNotContain(t, res, `data-table="overview"`)
		v, _ := url.ParseQuery(strings.TrimPrefix(c.q, "?"))
		if c.field != "town" {
			mustContain(t, res, `value="`+v.Get(c.field)+`"`)
		}
		wantStatus(t, county.get("/stats.xlsx"+c.q), http.StatusUnprocessableEntity)
	}
}

// directPeriod counts, straight from the cases, payments, reviews and
// remedies (as the owner), what the page's overview shows for a period of
// one town or the county (code ""): the figures the summary must give.
func (a *app) directPeriod(t *testing.T, code string, from, to time.Time) map[string]int64 {
	t.Helper()
	town := int64(0)
	if code != "" {
		town = a.townID(code)
	}
	out := map[string]int64{}
	sqls := map[string]string{
		"registered":  `SELECT count(*) FROM cases c WHERE (created_at AT TIME ZONE 'Asia/Shanghai')::date >= $2 AND (created_at AT TIME ZONE 'Asia/Shanghai')::date < $3 AND ($1 = 0 OR town_id = $1)`,
		"filed":       `SELECT count(*) FROM cases WHERE filed_on >= $2 AND filed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"decided":     `SELECT count(*) FROM cases WHERE decided_on >= $2 AND decided_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"closed":      `SELECT count(*) FROM cases WHERE state IN ('closed', 'archived') AND closed_on >= $2 AND closed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"ended":       `SELECT count(*) FROM cases WHERE filed_on IS NOT NULL AND closed_on >= $2 AND closed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"transferred": `SELECT count(*) FROM cases WHERE state = 'transferred' AND closed_on >= $2 AND closed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"revoked":     `SELECT count(*) FROM cases WHERE state = 'revoked' AND closed_on >= $2 AND closed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"not_filed":   `SELECT count(*) FROM cases WHERE state = 'not_filed' AND closed_on >= $2 AND closed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"pending":     `SELECT count(*) FROM cases WHERE $2::date IS NOT NULL AND filed_on < $3 AND (closed_on IS NULL OR closed_on >= $3) AND ($1 = 0 OR town_id = $1)`,
		"fine":        `SELECT coalesce(sum(fine_fen), 0) FROM cases WHERE decided_on >= $2 AND decided_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"paid": `SELECT coalesce(sum(p.amount_fen), 0) FROM case_payments p JOIN cases c ON c.id = p.case_id
			WHERE c.decided_on >= $2 AND c.decided_on < $3 AND ($1 = 0 OR c.town_id = $1)`,
		"collected":   `SELECT coalesce(sum(amount_fen), 0) FROM case_payments WHERE paid_on >= $2 AND paid_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"reviews":     `SELECT count(*) FROM case_reviews WHERE reviewed_on >= $2 AND reviewed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"returned":    `SELECT count(*) FROM case_reviews WHERE outcome = 'returned' AND reviewed_on >= $2 AND reviewed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"hearings":    `SELECT count(*) FROM cases WHERE hearing_held_on >= $2 AND hearing_held_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"recon":       `SELECT count(*) FROM case_remedies WHERE kind = 'reconsideration' AND filed_on >= $2 AND filed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"recon_fixed": `SELECT count(*) FROM case_remedies WHERE kind = 'reconsideration' AND outcome = 'corrected' AND decided_on >= $2 AND decided_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"suits":       `SELECT count(*) FROM case_remedies WHERE kind = 'litigation' AND filed_on >= $2 AND filed_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"suits_lost":  `SELECT count(*) FROM case_remedies WHERE kind = 'litigation' AND outcome = 'corrected' AND decided_on >= $2 AND decided_on < $3 AND ($1 = 0 OR town_id = $1)`,
		"max_days":    `SELECT coalesce(max(closed_on - filed_on), 0) FROM cases WHERE filed_on IS NOT NULL AND closed_on >= $2 AND closed_on < $3 AND ($1 = 0 OR town_id = $1)`,
	}
	owner := a.owner()
	for k, sql := range sqls {
		var n int64
		if err := owner.QueryRow(context.Background(), sql, town, from.Format(time.DateOnly), to.Format(time.DateOnly)).Scan(&n); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = n
	}
	return out
}

// statsOverviewRows are the overview's rows the direct counts check.
var statsOverviewRows = map[string]string{
	"registered": "登记案源（件）", "filed": "立案（件）", "decided": "作出决定（件）", "closed": "其中：结案（件）", "ended": "办结（件）",
	"transferred": "其中：移送（件）", "revoked": "其中：撤销立案（件）", "not_filed": "不予立案（件）", "pending": "期末在办（件）",
	"fine": "罚款决定金额（元）", "paid": "其中：已缴纳（元）", "collected": "实收罚款（元）", "reviews": "法制审核（次）",
	"returned": "其中：退回补充调查（次）", "hearings": "举行听证（次）", "recon": "行政复议（件）", "recon_fixed": "复议纠错（件）",
	"suits": "行政诉讼（件）", "suits_lost": "诉讼败诉（件）", "max_days": "最长办案天数（天）",
}

// pageEqualsDirect fails unless the page's overview for the period says
// what the direct counts say, for the county and for 毛坝镇 and 城关镇.
func (a *app) pageEqualsDirect(t *testing.T, from, to string) {
	t.Helper()
	p, fe := stats.ParsePeriod(from, to, a.clock.Now())
	if len(fe) > 0 {
		t.Fatal(fe)
	}
	county := a.login("county-reviewer")
	for _, code := range []string{"", "maoba", "chengguan"} {
		res := county.get("/stats?from=" + from + "&to=" + to + "&town=" + code)
		wantStatus(t, res, http.StatusOK)
		tables := statsTables(t, res.body)
		for _, when := range []struct {
			col      string
			from, to time.Time
		}{{"本期", p.From, p.To}, {"上年同期", p.YearBefore().From, p.YearBefore().To}} {
			direct := a.directPeriod(t, code, when.from, when.to)
			for k, row := range statsOverviewRows {
				want := strconv.FormatInt(direct[k], 10)
				switch k {
				case "fine", "paid", "collected":
					want = fmt.Sprintf("%.2f", float64(direct[k])/100)
				}
				got := strings.ReplaceAll(statsCell(t, tables, "overview", row, when.col), ",", "")
				if got != want {
					t.Errorf("town %q %s–%s %s: %s shows %s, the cases say %s", code, from, to, when.col, row, got, want)
				}
			}
		}
	}
}

// TestStatsEqualDirectCounts: after filings, reviews, decisions, payments
// and a reversal, a transfer, a revoked filing, a lead not filed, closings
// and a reconsideration corrected and a lawsuit upheld, all through the
// real handlers, the page's figures equal direct counts over the cases for
// this year, the last two months and the year before, and the summary
// equals its recount.
func TestStatsEqualDirectCounts(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	county := a.login("county-reviewer")
	fined := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, fined, "investigate", nil)
	investigated(t, p.officer, fined, "1000")
	reviewed(t, p.officer, county, fined)
	a.serveNotice(t, p.officer, fined, url.Values{"text": {"拟处罚款1000元。"}})
	mustAct(t, p.officer, fined, "waive_statement", nil)
	mustAct(t, p.head, fined, "decide", with(url.Values{"amount": {"1000"}}, confirmed))
	a.serveDecision(t, p.officer, fined, nil)
	mustAct(t, p.officer, fined, "execute", nil)
	mustAct(t, p.officer, fined, "add_payment", url.Values{"amount": {"700"}, "receipt_no": {"TJ-DIRECT-1"}})
	wrong := a.casePayments(t, fined)[0]
	mustAct(t, p.leader, fined, "reverse_payment", url.Values{"payment_id": {itoa(wrong.id)}, "reason": {"金额登记错误"}})
	mustAct(t, p.officer, fined, "add_payment", url.Values{"amount": {"600"}, "receipt_no": {"TJ-DIRECT-2"}})
	moved := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, moved, "investigate", nil)
	mustAct(t, p.officer, moved, "propose_transfer", url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"涉嫌失火罪"}})
	mustAct(t, p.head, moved, "transfer", url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"涉嫌失火罪，依法移送公安机关。"}})
	revoked := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.leader, revoked, "revoke", url.Values{"reason": {"案件登记有误"}})
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("lead_only", "1")
	lead := fileCase(t, p.officer, form)
	mustAct(t, p.officer, lead, "request_filing", nil)
	mustAct(t, p.leader, lead, "refuse_filing", url.Values{"reason": {"经初查，举报的违法事实不存在。"}})

	a.gotoDay(t, "2025-09-15")
	spots := []string{}
	for range 2 {
		form := a.caseForm("maoba-officer1", "maoba-officer3")
		form.Set("procedure", "summary")
		spot := fileCase(t, p.officer, form)
		mustAct(t, p.officer, spot, "decide", with(url.Values{"spot_told": {"1"}, "amount": {"200"}}, confirmed))
		spots = append(spots, spot)
	}
	mustAct(t, p.officer, spots[0], "add_remedy", url.Values{"remedy_kind": {"reconsideration"}, "text": {"当事人申请行政复议"}})
	rid := remedyIDRE.FindStringSubmatch(p.officer.get(spots[0]).body)
	mustAct(t, p.officer, spots[0], "remedy_outcome", url.Values{"remedy_id": {rid[1]}, "outcome": {"corrected"}, "text": {"复议机关变更为警告"}})
	mustAct(t, p.officer, spots[1], "add_remedy", url.Values{"remedy_kind": {"litigation"}, "text": {"当事人起诉"}})
	rid = remedyIDRE.FindStringSubmatch(p.officer.get(spots[1]).body)
	mustAct(t, p.officer, spots[1], "remedy_outcome", url.Values{"remedy_id": {rid[1]}, "outcome": {"upheld"}, "text": {"判决驳回诉讼请求"}})
	mustAct(t, p.officer, spots[1], "execute", nil)
	mustAct(t, p.officer, spots[1], "add_payment", url.Values{"amount": {"200"}, "receipt_no": {"TJ-DIRECT-3"}})
	mustAct(t, p.officer, spots[1], "close", confirmed)
	a.gotoDay(t, "2025-10-03")
	mustAct(t, p.officer, fined, "add_payment", url.Values{"amount": {"400"}, "receipt_no": {"TJ-DIRECT-4"}})
	mustAct(t, p.officer, fined, "close", confirmed)

	a.statsClean(t)
	a.pageEqualsDirect(t, "2025-01", "2025-10")
	a.pageEqualsDirect(t, "2025-09", "2025-09")
	a.pageEqualsDirect(t, "2025-10", "2025-10")
	a.pageEqualsDirect(t, "2024-07", "2025-10")
	res := county.get("/stats?from=2025-09&to=2025-09&town=maoba")
	pageSays(t, res, "本期行政复议：提起 1 件，纠错 1 件；行政诉讼：提起 1 件，败诉 0 件。")
}

// TestStatsUnderConcurrentRemedies: officers of two towns record
// reconsiderations and lawsuits and their outcomes, payments and closings
// on their cases at once, several on the same rows of the summary; the
// summary still equals its recount, and the page the direct counts.
func TestStatsUnderConcurrentRemedies(t *testing.T) {
	a := newApp(t)
	towns := map[string]string{"maoba": "干沙村", "chengguan": "城关社区"}
	const perOfficer = 3
	paths := map[string][]string{}
	for code, village := range towns {
		c := a.login(code + "-officer1")
		for range 2 * perOfficer {
			form := a.caseForm(code+"-officer1", code+"-officer3")
			form.Set("procedure", "summary")
			form.Set("place_village", village)
			form.Set("party_address", village)
			path := fileCase(t, c, form)
			mustAct(t, c, path, "decide", with(url.Values{"spot_told": {"1"}, "amount": {"200"}}, confirmed))
			paths[code] = append(paths[code], path)
		}
	}
	t.Run("towns", func(t *testing.T) {
		for code := range towns {
			for i, officer := range []string{"officer1", "officer3"} {
				t.Run(code+"-"+officer, func(t *testing.T) {
					t.Parallel()
					c := a.loginAs(t, code+"-"+officer)
					for j, path := range paths[code][i*perOfficer : (i+1)*perOfficer] {
						kind, outcome := "reconsideration", "corrected"
						if j%2 == 1 {
							kind, outcome = "litigation", "upheld"
						}
						mustAct(t, c, path, "add_remedy", url.Values{"remedy_kind": {kind}, "text": {"当事人提起"}})
						m := remedyIDRE.FindStringSubmatch(c.get(path).body)
						if m == nil {
							t.Fatalf("%s: no pending remedy", path)
						}
						mustAct(t, c, path, "remedy_outcome", url.Values{"remedy_id": {m[1]}, "outcome": {outcome}, "text": {"结果"}})
						mustAct(t, c, path, "execute", nil)
						mustAct(t, c, path, "add_payment", url.Values{"amount": {"200"}, "receipt_no": {"CR-" + path[len("/cases/"):]}})
						mustAct(t, c, path, "close", confirmed)
					}
				})
			}
		}
	})
	a.statsClean(t)
	a.pageEqualsDirect(t, "2025-09", "2025-09")
	diffs, err := a.srv.Cases.CheckStats(a.actorCtx(t, "county-admin"))
	if err != nil || len(diffs) != 0 {
		t.Errorf("check: %v %v", diffs, err)
	}
}
