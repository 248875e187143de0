package server_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"zhifa/internal/testdb"
)

// listCase is a case put in by seedList, as the list should show it.
type listCase struct {
	ID     int64
	Number string
	Party  string
	Phone  string
	Place  string
	Due    *time.Time // next deadline
	State  string
}

// seedList puts n cases in the town as the schema owner (triggers off: the
// rows are valid by construction), party names prefix1…prefixN, numbered
// 紫…综执立〔year〕1号…, with next deadlines by i mod 5: none, 3 days
// overdue, in 2 days (twice: ties), in 30 days; states alternating between
// 调查取证 and 法制审核; the town's officer1 leading each.
func seedList(t *testing.T, a *app, code, prefix string, year, n int) []listCase {
	t.Helper()
	ctx := context.Background()
	conn := a.owner()
	if _, err := conn.Exec(ctx, `ALTER TABLE cases DISABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	_, err := conn.Exec(ctx, `
WITH tw AS (SELECT id, short_name, (SELECT id FROM users WHERE username = $1::text || '-officer1') AS o1 FROM towns WHERE code = $1::text),
     items AS (SELECT array_agg(item_id ORDER BY position) AS ids FROM list_version_items, tw
               WHERE version_id = list_version_on(tw.id, $5::date))
INSERT INTO cases (town_id, procedure, state, item_id, year, seq, number, source, party_kind, party_name, party_phone,
                   place_village, place_address, act_on, discovered_on, filed_on, facts, created_by, state_entered_on)
SELECT tw.id, 'general', CASE WHEN g % 2 = 0 THEN 'investigating' ELSE 'review' END,
       items.ids[1 + g % 3], $4::int, g, '紫' || tw.short_name || '综执立〔' || $4::int || '〕' || g || '号', 'patrol', 'person',
       $2::text || g, '1390000' || lpad(g::text, 4, '0'), '干沙村', '第' || g || '组',
       $5::date - 40, $5::date - 30, $5::date - 30 + g % 20, '示例案情', tw.o1, $5::date - 30
FROM generate_series(1, $3::int) g, tw, items`, code, prefix, n, year, testdb.Today.Format(time.DateOnly))
	if err != nil {
		t.Fatalf("seed %d cases in %s: %v", n, code, err)
	}
	// Their next deadlines (the trigger that makes the case_due rows was off).
	_, err = conn.Exec(ctx, `INSERT INTO case_due (case_id, town_id, next_due_on, next_due_key)
SELECT c.id, c.town_id,
       CASE c.seq % 5 WHEN 0 THEN NULL WHEN 1 THEN $3::date - 3 WHEN 2 THEN $3::date + 2 WHEN 3 THEN $3::date + 30 ELSE $3::date + 2 END,
       CASE WHEN c.seq % 5 = 0 THEN '' ELSE 'decision' END
FROM cases c JOIN towns t ON t.id = c.town_id WHERE t.code = $1 AND c.year = $2`, code, year, testdb.Today.Format(time.DateOnly))
	if err != nil {
		t.Fatalf("seed the deadlines of %d cases in %s: %v", n, code, err)
	}
	if _, err := conn.Exec(ctx, `ALTER TABLE cases ENABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	// The summaries' and the search text's triggers were off with the
	// others: recount and rewrite them.
	if _, err := conn.Exec(ctx, `SELECT case_stats_rebuild(), case_due_counts_rebuild(), case_search_rebuild()`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO case_officers (case_id, town_id, user_id, lead)
		SELECT c.id, c.town_id, u.id, true FROM cases c JOIN towns t ON t.id = c.town_id JOIN users u ON u.username = t.code || '-officer1'
		WHERE t.code = $1 AND c.year = $2`, code, year); err != nil {
		t.Fatalf("seed officers: %v", err)
	}
	rows, err := conn.Query(ctx, `SELECT c.id, c.number, c.party_name, c.party_phone, c.place_village || ' ' || c.place_address, d.next_due_on, c.state
		FROM cases c JOIN towns t ON t.id = c.town_id JOIN case_due d ON d.case_id = c.id WHERE t.code = $1 AND c.year = $2 ORDER BY c.seq`, code, year)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []listCase
	for rows.Next() {
		var c listCase
		if err := rows.Scan(&c.ID, &c.Number, &c.Party, &c.Phone, &c.Place, &c.Due, &c.State); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

var (
	nextRE   = regexp.MustCompile(`<a href="([^"]+)" rel="next">下一页</a>`)
	exportRE = regexp.MustCompile(`<a href="(/cases\.xlsx\?[^"]+)"`)
	totalRE  = regexp.MustCompile(`共 (\d+) 件`)
)

// walk reads every page of the list from path on, following 下一页, and
// returns the case ids in the order shown, the total each page states, and
// the query strings of the next-page links.
func walk(t *testing.T, c *client, path string) (ids []int64, total int, nexts []url.Values) {
	t.Helper()
	for pages := 0; path != ""; pages++ {
		if pages > 50 {
			t.Fatalf("more than 50 pages from %s", path)
		}
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		m := totalRE.FindStringSubmatch(text(res.body))
		if m == nil {
			t.Fatalf("%s states no total: %.300s", path, text(res.body))
		}
		n, _ := strconv.Atoi(m[1])
		if pages > 0 && n != total {
			t.Errorf("%s states 共 %d 件, the first page %d", path, n, total)
		}
		total = n
		for _, s := range caseLinks(res) {
			id, _ := strconv.ParseInt(s, 10, 64)
			ids = append(ids, id)
		}
		path = ""
		if m := nextRE.FindStringSubmatch(res.body); m != nil {
			path = html.UnescapeString(m[1])
			u, _ := url.Parse(path)
			nexts = append(nexts, u.Query())
		}
	}
	return ids, total, nexts
}

// byDue is the order of 下一期限（近→远）: the nearest deadline first, the
// cases without one last, ties by id.
func byDue(cs []listCase) []int64 {
	cs = slices.Clone(cs)
	slices.SortFunc(cs, func(a, b listCase) int {
		switch {
		case a.Due == nil && b.Due == nil:
		case a.Due == nil:
			return 1
		case b.Due == nil:
			return -1
		case !a.Due.Equal(*b.Due):
			return a.Due.Compare(*b.Due)
		}
		return int(a.ID - b.ID)
	})
	return ids(cs)
}

func ids(cs []listCase) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// The list states the total of its whole filter, not of the page, with the
// overdue and soon-due among them; both orders page through every case
// once, in order.
func TestCaseListTotalsAndOrders(t *testing.T) {
	a := newApp(t)
	seeded := seedList(t, a, "maoba", "列表甲", 2019, 123)
	officer := a.login("maoba-officer1")
	q := "q=" + url.QueryEscape("列表甲")

	res := officer.get("/cases?" + q)
	wantStatus(t, res, http.StatusOK)
	// 123 cases: i mod 5 = 1 overdue (25), 2 and 4 within 7 days (49).
	if got := text(res.body); !strings.Contains(got, "共 123 件 （其中已逾期 25 件，7日内到期 49 件）") {
		t.Errorf("the totals line: %.400s", got)
	}

	// 立案日期（新→旧）, the default: newest first, 50 to a page.
	got, total, nexts := walk(t, officer, "/cases?"+q)
	want := ids(seeded)
	slices.Reverse(want)
	if total != 123 || !slices.Equal(got, want) {
		t.Errorf("newest first: total %d, %d rows; want 123 in id order descending\ngot  %v\nwant %v", total, len(got), got, want)
	}
	if len(nexts) != 2 || nexts[0].Get("before") == "" || nexts[0].Get("sort") != "filed" || nexts[0].Get("q") != "列表甲" {
		t.Errorf("the next-page links: %v", nexts)
	}

	// 下一期限（近→远）: pages break inside a run of equal deadlines and at
	// the cases without one; no case is shown twice or skipped.
	got, total, nexts = walk(t, officer, "/cases?sort=due&"+q)
	if want := byDue(seeded); total != 123 || !slices.Equal(got, want) {
		t.Errorf("by deadline: total %d, %d rows\ngot  %v\nwant %v", total, len(got), got, want)
	}
	// 99 with a deadline, 24 without: the first page ends on a deadline,
	// the second among the cases without one.
	if len(nexts) != 2 || nexts[0].Get("after") == "" || nexts[0].Get("after_due") != "2025-09-03" ||
		nexts[1].Get("after") == "" || nexts[1].Has("after_due") {
		t.Errorf("the deadline order's next-page links: %v", nexts)
	}
	// With another filter too.
	got, total, _ = walk(t, officer, "/cases?sort=due&state=review&"+q)
	var want2 []listCase
	for _, c := range seeded {
		if c.State == "review" {
			want2 = append(want2, c)
		}
	}
	if want := byDue(want2); total != len(want2) || !slices.Equal(got, want) {
		t.Errorf("by deadline, 法制审核: total %d, %d rows, want %d", total, len(got), len(want2))
	}

	// Without a search: the town's whole list (the demo cases too) pages
	// through as many cases as its total says, and it is what the
	// database holds.
	var inTown int
	if err := a.owner().QueryRow(context.Background(),
		`SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM towns WHERE code = 'maoba') AND state = 'investigating'`).Scan(&inTown); err != nil {
		t.Fatal(err)
	}
	for _, order := range []string{"filed", "due"} {
		got, total, _ = walk(t, officer, "/cases?state=investigating&sort="+order)
		if total != inTown || len(got) != inTown || len(slices.Compact(slices.Sorted(slices.Values(got)))) != inTown {
			t.Errorf("sort=%s, 调查取证: total %d, %d rows (distinct %d), want %d", order, total, len(got),
				len(slices.Compact(slices.Sorted(slices.Values(got)))), inTown)
		}
	}

	// A due filter without an order reads by urgency (the home page's 查看全部).
	got, _, _ = walk(t, officer, "/cases?due=overdue&"+q)
	var overdue []listCase
	for _, c := range seeded {
		if c.Due != nil && c.Due.Before(testdb.Today) {
			overdue = append(overdue, c)
		}
	}
	if want := byDue(overdue); !slices.Equal(got, want) {
		t.Errorf("?due=overdue: %v, want %v", got, want)
	}
}

// Every link of the list keeps its filter; what makes no sense is left out
// with a word, never an error page.
func TestCaseListFilterInLinks(t *testing.T) {
	a := newApp(t)
	seedList(t, a, "maoba", "列表乙", 2019, 80)
	officer := a.login("maoba-officer1")
	lead := a.user("maoba-officer1")
	filter := url.Values{"q": {"列表乙"}, "state": {"investigating"}, "from": {"2025-07-01"}, "to": {"2025-09-01"},
		"officer": {itoa(lead.ID)}, "due": {"soon"}}
	res := officer.get("/cases?" + filter.Encode() + "&sort=filed")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "筛选条件（6项）", `<option value="investigating" selected>`, `value="2025-07-01"`, `value="列表乙"`,
		`<input type="hidden" name="sort" value="filed">`)
	links := map[string]url.Values{}
	for _, m := range regexp.MustCompile(`href="(/cases(?:\.xlsx)?\?[^"]+)"`).FindAllStringSubmatch(res.body, -1) {
		u, _ := url.Parse(html.UnescapeString(m[1]))
		key := u.Path + " " + u.Query().Get("sort")
		if u.Query().Get("before") != "" {
			key += " next"
		}
		links[key] = u.Query()
	}
	for key, q := range links {
		for k := range filter {
			if q.Get(k) != filter.Get(k) {
				t.Errorf("the link %s has %s=%q, want %q", key, k, q.Get(k), filter.Get(k))
			}
		}
	}
	for _, key := range []string{"/cases due", "/cases.xlsx filed"} {
		if _, ok := links[key]; !ok {
			t.Errorf("no link %s among %v", key, links)
		}
	}
	// 20 of 40 under investigation, of which i mod 5 in {1, 2, 4}: 24 due soon or overdue.
	if m := totalRE.FindStringSubmatch(text(res.body)); m == nil || m[1] != "24" {
		t.Errorf("total %v, want 24", m)
	}

	// 50 to a page: the next-page link keeps the filter too.
	_, total, nexts := walk(t, officer, "/cases?q="+url.QueryEscape("列表乙")+"&state=review")
	if total != 40 || len(nexts) != 0 {
		t.Errorf("法制审核: total %d, next links %v", total, nexts)
	}
	_, total, nexts = walk(t, officer, "/cases?q="+url.QueryEscape("列表乙")+"&sort=due")
	if total != 80 || len(nexts) != 1 || nexts[0].Get("q") != "列表乙" || nexts[0].Get("sort") != "due" {
		t.Errorf("all 80 by deadline: total %d, next links %v", total, nexts)
	}

	// Nonsense is left out and said so, with the rest of the filter kept.
	res = officer.get("/cases?q=" + url.QueryEscape("列表乙") + "&from=2025-13-45&to=yesterday&sort=oldest&state=nope&due=later" +
		"&item=x&officer=-3&domain=" + url.QueryEscape("不存在") + "&before=abc")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "起始日期格式不对（应为 年-月-日，如 2026-01-31），已忽略。", "截止日期格式不对", "没有这种排序方式，已按默认顺序排列。",
		"没有这种案件状态，已忽略状态条件。", "没有这种期限条件，已忽略期限条件。", "事项条件无效，已忽略。", "承办人条件无效，已忽略。",
		"没有这个执法领域，已忽略领域条件。", "翻页参数无效，已显示第一页。", "筛选条件（1项）")
	if m := totalRE.FindStringSubmatch(text(res.body)); m == nil || m[1] != "80" {
		t.Errorf("with the nonsense left out, total %v, want 80", m)
	}
	m := exportRE.FindStringSubmatch(res.body)
	if m == nil || html.UnescapeString(m[1]) != "/cases.xlsx?q="+url.QueryEscape("列表乙")+"&sort=filed" {
		t.Errorf("the export link keeps only the valid filter: %v", m)
	}
	for _, path := range []string{"/cases?sort=due&after=abc", "/cases?sort=due&after=5&after_due=2025-02-30", "/cases.xlsx?from=x&sort=y"} {
		wantStatus(t, officer.get(path), http.StatusOK)
	}
}

// readExport downloads path and returns its sheet's rows.
func readExport(t *testing.T, c *client, path string) [][]string {
	t.Helper()
	res := c.get(path)
	wantStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatalf("%s is no XLSX: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows("案件列表")
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(rows) < 4 {
		t.Fatalf("%s: %d rows", path, len(rows))
	}
	return rows
}

// The download holds every case of the filter (not one page), in the
// list's order, with what the list shows; a town's holds only its own.
func TestCaseListExport(t *testing.T) {
	a := newApp(t)
	seeded := seedList(t, a, "maoba", "导出甲", 2019, 70)
	other := seedList(t, a, "chengguan", "导出甲", 2019, 5)
	officer := a.login("maoba-officer1")
	lead := a.user("maoba-officer1").DisplayName
	q := "q=" + url.QueryEscape("导出甲") + "&sort=due"

	res := officer.get("/cases.xlsx?" + q)
	wantStatus(t, res, http.StatusOK)
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("案件列表-2025-09-01.xlsx")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows := readExport(t, officer, "/cases.xlsx?"+q)
	if rows[0][0] != "毛坝镇案件列表" || rows[1][0] != "筛选条件：搜索：导出甲；排序：下一期限（近→远）" ||
		!strings.HasPrefix(rows[2][0], "导出日期：2025-09-01　共 70 件") {
		t.Errorf("the title rows: %q", rows[:3])
	}
	header := []string{"案号", "当事人", "联系电话", "事项", "地点", "状态", "程序", "承办人", "立案日期", "下一期限", "期限状态"}
	if !slices.Equal(rows[3], header) {
		t.Errorf("header %q", rows[3])
	}
	byID := map[int64]listCase{}
	for _, c := range seeded {
		byID[c.ID] = c
	}
	order := byDue(seeded)
	if len(rows)-4 != len(order) {
		t.Fatalf("%d cases in the download, want %d", len(rows)-4, len(order))
	}
	for i, id := range order {
		c, row := byID[id], rows[4+i]
		if row[0] != c.Number || row[1] != c.Party || row[2] != c.Phone[:3]+"****"+c.Phone[7:] || row[4] != c.Place ||
			row[5] != map[string]string{"review": "法制审核", "investigating": "调查取证"}[c.State] || row[7] != lead {
			t.Errorf("row %d: %q, want case %s of %s", i, row, c.Number, c.Party)
		}
		if strings.Contains(strings.Join(row, "|"), c.Phone) {
			t.Errorf("row %d shows the whole phone: %q", i, row)
		}
	}
	// One row against the page: the same cells as the list shows.
	page := officer.get("/cases?" + q)
	first := rows[4]
	for _, cell := range []string{first[0], first[1], first[2], first[3], first[4], first[5], first[7], first[8], first[9], first[10]} {
		if !strings.Contains(text(page.body), cell) {
			t.Errorf("the page lacks the download's cell %q", cell)
		}
	}
	if first[6] != "一般程序" || first[10] != "已逾期" || first[9] != "2025-08-29" {
		t.Errorf("the first row by deadline: %q", first)
	}
	// The filter narrows the download as the page: 法制审核 only.
	rows = readExport(t, officer, "/cases.xlsx?state=review&"+q)
	if len(rows)-4 != 35 || !strings.Contains(rows[1][0], "状态：法制审核") {
		t.Errorf("法制审核: %d rows, filter %q", len(rows)-4, rows[1][0])
	}
	for _, row := range rows[4:] {
		if row[5] != "法制审核" {
			t.Errorf("a case not under review: %q", row)
		}
	}

	// Tenancy: the town's download never holds another town's case.
	for _, row := range readExport(t, officer, "/cases.xlsx?"+q)[4:] {
		for _, c := range other {
			if row[0] == c.Number {
				t.Errorf("maoba's download holds chengguan's %s", c.Number)
			}
		}
	}
	// Not even asked for by ?town=.
	if n := len(readExport(t, officer, "/cases.xlsx?town=chengguan&"+q)) - 4; n != 70 {
		t.Errorf("maoba-officer1 ?town=chengguan: %d rows, want its own 70", n)
	}

	// The county: every town, with a town column, or one town by its filter.
	county := a.login("county-reviewer")
	rows = readExport(t, county, "/cases.xlsx?"+q)
	if rows[0][0] != "各镇案件列表" || rows[3][0] != "镇" || len(rows)-4 != 75 {
		t.Errorf("the county's download: %q, %d rows", rows[:4], len(rows)-4)
	}
	rows = readExport(t, county, "/cases.xlsx?town=chengguan&"+q)
	if len(rows)-4 != 5 || !strings.Contains(rows[1][0], "镇：城关镇") {
		t.Errorf("the county's download for 城关镇: %d rows, filter %q", len(rows)-4, rows[1][0])
	}
	for _, row := range rows[4:] {
		if row[0] != "城关镇" {
			t.Errorf("城关镇's download holds %q", row)
		}
	}
	wantStatus(t, county.get("/cases.xlsx?town=nowhere"), http.StatusNotFound)
	// Anonymous: to the login, as every page.
	wantStatus(t, a.client().get("/cases.xlsx"), http.StatusSeeOther)
}

// Through the real browser: the filter form and the order links make the
// URL, the total follows; on a phone the list is cards without sideways
// scrolling and the case number is a thumb-sized link.
func TestBrowserCaseListFilters(t *testing.T) {
	a := newApp(t)
	seedList(t, a, "maoba", "浏览甲", 2019, 64)
	b := newBrowser(t, a)
	b.login("maoba-officer1")
	b.open("/cases")
	const form = `form.filters[action="/cases"]`
	b.fill(form, "q", "浏览甲", "state", "review")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("filter: status %d", st)
	}
	if q := b.eval(`location.search`); !strings.Contains(q, "state=review") || !strings.Contains(q, "q="+url.QueryEscape("浏览甲")) {
		t.Errorf("the filter went to %s", q)
	}
	if got := b.text("#case-total"); !strings.HasPrefix(got, "共 32 件") {
		t.Errorf("the total %q, want 共 32 件", got)
	}
	if got := b.text("details.case-filters > summary"); got != "筛选条件（2项）" {
		t.Errorf("the filter's summary %q", got)
	}
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(`a[data-sort="due"]`))); err != nil {
		t.Fatalf("click the deadline order: %v", err)
	}
	if q := b.eval(`location.search`); !strings.Contains(q, "sort=due") || !strings.Contains(q, "state=review") {
		t.Errorf("the order link went to %s", q)
	}
	if got := b.text("#case-total"); !strings.HasPrefix(got, "共 32 件") {
		t.Errorf("the total after ordering %q", got)
	}
	if got := b.text(".case-sort strong"); got != "下一期限（近→远）" {
		t.Errorf("the order shown %q", got)
	}
	// The form keeps the order: filtering again stays by deadline.
	b.fill(form, "state", "")
	b.submit(form)
	if q := b.eval(`location.search`); !strings.Contains(q, "sort=due") || strings.Contains(q, "state=review") {
		t.Errorf("the filter form with the order went to %s", q)
	}
	if got := b.text("#case-total"); !strings.HasPrefix(got, "共 64 件") {
		t.Errorf("the total %q, want 共 64 件", got)
	}
	first := b.text("table.case-list tbody tr:first-child td.case-due")
	if !strings.Contains(first, "已逾期") {
		t.Errorf("by deadline the first case is not overdue: %q", first)
	}
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(`a[rel="next"]`))); err != nil {
		t.Fatalf("click 下一页: %v", err)
	}
	if q := b.eval(`location.search`); !strings.Contains(q, "after=") || !strings.Contains(q, "sort=due") || !strings.Contains(q, "q=") {
		t.Errorf("下一页 went to %s", q)
	}
	if n := b.eval(`String(document.querySelectorAll("table.case-list tbody tr").length)`); n != "14" {
		t.Errorf("the second page has %s cases, want 14", n)
	}

	// On a phone: folded filters, cards, no sideways scrolling, 44 px targets.
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	b.open("/cases?sort=due&q=" + url.QueryEscape("浏览甲"))
	got := b.eval(`(() => {
		const out = [];
		if (document.documentElement.scrollWidth > window.innerWidth) out.push("page " + document.documentElement.scrollWidth + " wide");
		if (document.querySelector("details.case-filters").open) out.push("filters open");
		const row = document.querySelector("table.case-list tbody tr");
		if (getComputedStyle(row).display !== "flex") out.push("row not a card: " + getComputedStyle(row).display);
		const a = row.querySelector("td.case-no a").getBoundingClientRect();
		if (a.height < 44) out.push("number link " + a.height + " px high");
		if (row.getBoundingClientRect().right > window.innerWidth) out.push("card wider than the screen");
		if (!getComputedStyle(row.querySelector("td.case-party"), "::before").content.includes("当事人")) out.push("no label");
		const next = document.querySelector('a[rel="next"]').getBoundingClientRect();
		if (next.height < 44) out.push("下一页 " + next.height + " px high");
		return out.join("; ");
	})()`)
	if got != "" {
		t.Errorf("the list on a phone: %s", got)
	}
	// The filters unfold with a tap, their controls a thumb's size.
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`details.case-filters > summary`))); err != nil {
		t.Fatalf("unfold the filters: %v", err)
	}
	got = b.eval(`(() => {
		const out = [];
		for (const e of document.querySelectorAll("form.filters select, form.filters input:not([type=hidden]), form.filters button")) {
			const r = e.getBoundingClientRect();
			if (r.height < 44) out.push((e.name || e.innerText) + " " + r.height + " px high");
			if (r.right > window.innerWidth) out.push((e.name || e.innerText) + " beyond the screen");
		}
		return out.join("; ");
	})()`)
	if got != "" {
		t.Errorf("the filter form on a phone: %s", got)
	}
}
