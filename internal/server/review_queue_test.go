package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

var queueRowRE = regexp.MustCompile(`(?s)<tr[^>]*data-case="(\d+)"[^>]*>(.*?)</tr>`)

// queueRow is one row of the 待审核 list as the reviewer reads it.
type queueRow struct {
	id      string
	overdue bool
	text    string
}

// queueRows are the rows of /review, in the page's order.
func queueRows(t *testing.T, res response) []queueRow {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	var out []queueRow
	for _, m := range queueRowRE.FindAllStringSubmatch(res.body, -1) {
		open := m[0][:strings.Index(m[0], ">")]
		out = append(out, queueRow{id: m[1], overdue: strings.Contains(open, `class="overdue"`), text: text(m[2])})
	}
	return out
}

func queueIDs(rows []queueRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.id
	}
	return out
}

func findQueueRow(t *testing.T, rows []queueRow, id string) queueRow {
	t.Helper()
	for _, r := range rows {
		if r.id == id {
			return r
		}
	}
	t.Fatalf("case %s is not in the queue %v", id, queueIDs(rows))
	return queueRow{}
}

// submittedCase files, investigates and submits a case for legal review
// on the clock's today; it returns the case's id.
func (a *app) submittedCase(t *testing.T, p crew) string {
	t.Helper()
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "1000")
	mustAct(t, p.officer, path, "submit_review", nil)
	return itoa(caseID(t, path))
}

// queuedIn are the ids of the cases awaiting review in a town, read
// through the county's scope, oldest submission first.
func (a *app) queuedIn(t *testing.T, code string) []string {
	t.Helper()
	var out []string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT c.id FROM cases c JOIN towns t ON t.id = c.town_id
			WHERE t.code = $1 AND c.state = 'review' ORDER BY c.review_submitted_on, c.id`, code)
		var id int64
		_, err := pgx.ForEachRow(rows, []any{&id}, func() error { out = append(out, itoa(id)); return nil })
		return err
	})
	return out
}

// The 待审核 list: oldest submission first, the working days left on the
// five-working-day review period, an overdue case marked; the home page
// counts it.
func TestReviewQueueOrderAndDaysLeft(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	first := a.submittedCase(t, p) // Monday 1 September: due Monday 8 September
	a.gotoDay(t, "2025-09-03")
	second := a.submittedCase(t, p)   // Wednesday 3 September: due Wednesday 10 September
	demo := a.queuedIn(t, "maoba")[0] // the demo case, submitted in August

	rows := queueRows(t, p.reviewer.get("/review"))
	if got, want := queueIDs(rows), []string{demo, first, second}; !slices.Equal(got, want) {
		t.Fatalf("queue order %v, want %v (oldest submission first)", got, want)
	}
	if r := findQueueRow(t, rows, first); r.overdue || !strings.Contains(r.text, "2025-09-01") ||
		!strings.Contains(r.text, "2025-09-08") || !strings.Contains(r.text, "剩余3个工作日") || !strings.Contains(r.text, "刘某") {
		t.Errorf("first case on 3 September: %+v", r)
	}
	if r := findQueueRow(t, rows, second); !strings.Contains(r.text, "剩余5个工作日") || !strings.Contains(r.text, "2025-09-10") {
		t.Errorf("second case on 3 September: %+v", r)
	}
	handlers := a.user("maoba-officer1").DisplayName + "、" + a.user("maoba-officer3").DisplayName
	if r := findQueueRow(t, rows, first); !strings.Contains(r.text, handlers) {
		t.Errorf("the handlers %q, lead first, are not on the row: %+v", handlers, r)
	}

	a.gotoDay(t, "2025-09-09")
	res := p.reviewer.get("/review")
	rows = queueRows(t, res)
	if r := findQueueRow(t, rows, first); !r.overdue || !strings.Contains(r.text, "已逾期") || !strings.Contains(r.text, "逾期1个工作日") {
		t.Errorf("first case on 9 September is not marked overdue by one working day: %+v", r)
	}
	if r := findQueueRow(t, rows, second); r.overdue || !strings.Contains(r.text, "剩余1个工作日") {
		t.Errorf("second case on 9 September: %+v", r)
	}
	if r := findQueueRow(t, rows, demo); !r.overdue {
		t.Errorf("the demo case submitted in August is not overdue: %+v", r)
	}
	pageSays(t, res, "待法制审核3件，其中超过审核期限2件")
	pageSays(t, p.reviewer.get("/"), "待法制审核 3 件", "已逾期 2 件")

	// Once passed, a case leaves the queue.
	mustAct(t, p.reviewer, "/cases/"+second, "pass_review", with(checklist(), url.Values{"text": {"同意。"}}))
	if got := queueIDs(queueRows(t, p.reviewer.get("/review"))); slices.Contains(got, second) {
		t.Errorf("a passed case is still in the queue: %v", got)
	}
}

// A town reviewer reads its own town's queue only, whatever town it asks
// for; the county reads every town's and filters by town; the queue is
// the reviewers'.
func TestReviewQueueTenancyAndTownFilter(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	mine := a.submittedCase(t, p)
	maoba, chengguan := a.queuedIn(t, "maoba"), a.queuedIn(t, "chengguan")
	if len(chengguan) == 0 || !slices.Contains(maoba, mine) {
		t.Fatalf("fixtures: maoba %v, chengguan %v", maoba, chengguan)
	}

	for _, path := range []string{"/review", "/review?town=chengguan"} {
		if got := queueIDs(queueRows(t, p.reviewer.get(path))); !slices.Equal(got, maoba) {
			t.Errorf("maoba-reviewer GET %s: %v, want only maoba's %v", path, got, maoba)
		}
	}
	res := p.reviewer.get("/review")
	mustNotContain(t, res, `class="filters town-filter`)
	mustContain(t, res, `href="/review"`)

	county := a.login("county-reviewer")
	all := queueIDs(queueRows(t, county.get("/review")))
	if len(all) < 17 || !slices.Contains(all, mine) || !slices.Contains(all, chengguan[0]) {
		t.Errorf("the county's queue %v lacks some town's cases", all)
	}
	res = county.get("/review?town=chengguan")
	if got := queueIDs(queueRows(t, res)); !slices.Equal(got, chengguan) {
		t.Errorf("county ?town=chengguan: %v, want %v", got, chengguan)
	}
	mustContain(t, res, `<form method="get" class="filters town-filter no-print">`, `<option value="chengguan" selected>城关镇</option>`)
	pageSays(t, res, "城关镇")
	if got := queueIDs(queueRows(t, county.get("/review?town=maoba"))); !slices.Equal(got, maoba) {
		t.Errorf("county ?town=maoba: %v, want %v", got, maoba)
	}
	res = county.get("/review?town=nowhere")
	wantStatus(t, res, http.StatusNotFound)
	pageSays(t, res, "没有找到该镇。")

	officer := p.officer.get("/review")
	wantStatus(t, officer, http.StatusForbidden)
	pageSays(t, officer, "您的角色无权访问此页面。")
	mustNotContain(t, p.officer.get("/"), `href="/review"`)
	wantStatus(t, a.login("county-admin").get("/review"), http.StatusForbidden)
}

var caseLinkRE = regexp.MustCompile(`<a href="/cases/(\d+)">`)

// caseLinks are the ids of the cases a list links to.
func caseLinks(res response) []string {
	var out []string
	for _, m := range caseLinkRE.FindAllStringSubmatch(res.body, -1) {
		out = append(out, m[1])
	}
	return out
}

// The county's case list filters by town; a town user's ?town= changes
// nothing.
func TestCountyCaseListFiltersByTown(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	mine := a.submittedCase(t, p)
	county := a.login("county-reviewer")

	res := county.get("/cases?town=maoba")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `<option value="maoba" selected>毛坝镇</option>`)
	maoba := caseLinks(res)
	if !slices.Contains(maoba, mine) {
		t.Errorf("?town=maoba lacks the new case %s: %v", mine, maoba)
	}
	mustNotContain(t, res, "<td>城关镇</td>")
	mustContain(t, res, "<td>毛坝镇</td>")
	res = county.get("/cases?town=chengguan&state=review")
	chengguan := caseLinks(res)
	if got, want := chengguan, a.queuedIn(t, "chengguan"); !slices.Equal(got, want) {
		t.Errorf("?town=chengguan&state=review: %v, want %v", got, want)
	}
	mustContain(t, res, `<option value="review" selected>`)
	all := caseLinks(county.get("/cases?state=review"))
	if len(all) < 17 || !slices.Contains(all, mine) || !slices.Contains(all, chengguan[0]) {
		t.Errorf("the county's unfiltered list %v lacks some town's case", all)
	}
	wantStatus(t, county.get("/cases?town=nowhere"), http.StatusNotFound)

	// A town officer's list is its town's, whatever it asks.
	own := caseLinks(p.officer.get("/cases"))
	if got := caseLinks(p.officer.get("/cases?town=chengguan")); !slices.Equal(got, own) || slices.Contains(got, chengguan[0]) {
		t.Errorf("maoba-officer1 ?town=chengguan: %v, want its own %v", got, own)
	}
	mustNotContain(t, p.officer.get("/cases"), `<select name="town">`)
}

// correctionRow is a correction task as the county reads it.
type correctionRow struct {
	ID                                      int64
	TownCode, Source, Title, Detail, Status string
	SourceID, CaseID                        int64
	DueOn                                   time.Time
	OpenedBy                                *int64
}

// corrections reads the tasks visible under the settings.
func (a *app) corrections(t *testing.T, s database.Settings) []correctionRow {
	t.Helper()
	var out []correctionRow
	a.mustTx(s, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT c.id, t.code, c.source, c.title, c.detail, c.status, c.source_id, c.case_id, c.due_on, c.opened_by
			FROM corrections c JOIN towns t ON t.id = c.town_id ORDER BY c.id`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[correctionRow])
		return err
	})
	return out
}

var remedyIDRE = regexp.MustCompile(`name="remedy_id"><option value="(\d+)"`)

// A reconsideration that corrects the decision and a lost lawsuit each open
// a correction task for the town, read by the town and the county, and are
// counted per town and county-wide; an upheld decision opens nothing.
func TestCorrectedRemedyOpensCorrectionTask(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	summary := func() string {
		form := a.caseForm("maoba-officer1", "maoba-officer3")
		form.Set("procedure", "summary")
		path := fileCase(t, officer, form)
		mustAct(t, officer, path, "decide", url.Values{"amount": {"200"}, "spot_told": {"1"}, "confirm": {"1"}})
		return path
	}
	remedy := func(path, kind, outcome, note string) string {
		t.Helper()
		mustAct(t, officer, path, "add_remedy", url.Values{"remedy_kind": {kind}, "text": {"当事人提起" + kind}})
		m := remedyIDRE.FindStringSubmatch(officer.get(path).body)
		if m == nil {
			t.Fatalf("no pending remedy on %s", path)
		}
		mustAct(t, officer, path, "remedy_outcome", url.Values{"remedy_id": {m[1]}, "outcome": {outcome}, "text": {note}})
		return m[1]
	}
	upheld := summary()
	remedy(upheld, "reconsideration", "upheld", "复议机关维持原决定")
	county := database.Settings{Scope: zhifa.ScopeCountyRead}
	if got := a.corrections(t, county); len(got) != 0 {
		t.Fatalf("an upheld decision opened tasks: %+v", got)
	}

	corrected := summary()
	rid := remedy(corrected, "reconsideration", "corrected", "复议机关认为罚款明显不当，变更为警告")
	lost := summary()
	lid := remedy(lost, "litigation", "corrected", "紫阳县人民法院判决撤销处罚决定")
	number := func(path string) string {
		m := regexp.MustCompile(`紫\p{Han}+综执立〔2025〕\d+号`).FindString(officer.get(path).body)
		if m == "" {
			t.Fatalf("no case number on %s", path)
		}
		return m
	}
	got := a.corrections(t, county)
	if len(got) != 2 {
		t.Fatalf("tasks %+v, want two", got)
	}
	due := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	want := []correctionRow{
		{0, "maoba", "remedy", "复议纠错：" + number(corrected) + "（刘某）", "复议机关认为罚款明显不当，变更为警告", "open", mustInt(t, rid), caseID(t, corrected), due, nil},
		{0, "maoba", "remedy", "诉讼败诉：" + number(lost) + "（刘某）", "紫阳县人民法院判决撤销处罚决定", "open", mustInt(t, lid), caseID(t, lost), due, nil},
	}
	for i := range want {
		g := got[i]
		g.DueOn = time.Date(g.DueOn.Year(), g.DueOn.Month(), g.DueOn.Day(), 0, 0, 0, 0, time.UTC)
		if g.TownCode != want[i].TownCode || g.Source != want[i].Source || g.Title != want[i].Title || g.Detail != want[i].Detail ||
			g.Status != want[i].Status || g.SourceID != want[i].SourceID || g.CaseID != want[i].CaseID || !g.DueOn.Equal(due) || g.OpenedBy != nil {
			t.Errorf("task %d: got %+v, want %+v", i, g, want[i])
		}
	}
	maobaID, chengguanID := a.townID("maoba"), a.townID("chengguan")
	if n := len(a.corrections(t, database.Settings{Scope: zhifa.ScopeTown, TownID: maobaID})); n != 2 {
		t.Errorf("maoba reads %d of its tasks, want 2", n)
	}
	if n := len(a.corrections(t, database.Settings{Scope: zhifa.ScopeTown, TownID: chengguanID})); n != 0 {
		t.Errorf("chengguan reads %d of maoba's tasks", n)
	}

	// Over HTTP: the town's and the county's task lists show them; another
	// town finds neither.
	for _, g := range got {
		task := "/corrections/" + itoa(g.ID)
		pageSays(t, officer.get("/corrections"), g.Title)
		pageSays(t, a.login("county-reviewer").get("/corrections?town=maoba"), g.Title)
		pageSays(t, officer.get(task), g.Title, g.Detail)
		res := a.login("chengguan-leader").get(task)
		wantStatus(t, res, http.StatusNotFound)
		pageSays(t, res, "没有找到该整改任务。")
		pageSaysNot(t, a.login("chengguan-leader").get("/corrections"), g.Title)
		pageSaysNot(t, a.login("county-reviewer").get("/corrections?town=chengguan"), g.Title)
	}

	// The counts: county-wide on the county's home page, per town on /towns.
	reviewer := a.login("county-reviewer")
	home := reviewer.get("/")
	pageSays(t, home, "行政复议 2 件，其中纠错 1 件", "行政诉讼 1 件，其中败诉 1 件")
	pageSaysNot(t, home, "零复议纠错")
	towns := reviewer.get("/towns")
	wantStatus(t, towns, http.StatusOK)
	row := regexp.MustCompile(`(?s)<tr>\s*<td class="num">\d+</td>\s*<td>毛坝镇</td>(.*?)</tr>`).FindStringSubmatch(towns.body)
	if row == nil {
		t.Fatalf("no 毛坝镇 row on /towns: %.800s", text(towns.body))
	}
	if got := text(row[1]); !strings.Contains(got, "2（纠错 1 ）") || !strings.Contains(got, "1（败诉 1 ）") {
		t.Errorf("毛坝镇 on /towns: %q", got)
	}
	pageSays(t, towns, "全县合计 2（纠错 1 ） 1（败诉 1 ）")
	row = regexp.MustCompile(`(?s)<tr>\s*<td class="num">\d+</td>\s*<td>城关镇</td>(.*?)</tr>`).FindStringSubmatch(towns.body)
	if row == nil || !strings.Contains(text(row[1]), "0（纠错 0 ） 0（败诉 0 ）") {
		t.Errorf("城关镇 on /towns: %v", row)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
