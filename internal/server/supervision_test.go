package server_test

import (
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

// appointForm is a good appointment form for username in town.
func appointForm(username, name, town string) url.Values {
	return url.Values{"display_name": {name}, "town": {town}, "affiliation": {"村民代表"}, "phone": {"13900001111"},
		"term_from": {"2025-06-01"}, "term_until": {"2027-05-31"}, "username": {username}, "password": {testdb.Password}}
}

// TestSupervisorAppointedAndLogsIn: the county administrator appoints a
// supervisor through the form (a bad term is refused at its box, the
// entries kept); the supervisor logs in and sees their town and term,
// their menu and nothing of the staff's.
func TestSupervisorAppointedAndLogsIn(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	wantStatus(t, admin.get("/supervision/supervisors/new"), http.StatusOK)
	form := appointForm("chengguan-supervisor", "钱某某", "chengguan")
	form.Set("term_until", "2025-01-01")
	res := admin.post("/supervision/supervisors/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "任期截止日期不能早于起始日期。", `value="钱某某"`, `value="chengguan-supervisor"`)
	form.Set("term_until", "2027-05-31")
	res = admin.post("/supervision/supervisors/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	res = admin.get(res.location)
	mustContain(t, res, "已聘任执法监督员 钱某某，登录名 chengguan-supervisor。", "城关镇", "2025-06-01 至 2027-05-31（在任）")
	mustContain(t, admin.get("/supervision/supervisors"), "钱某某", "何德明", "村民代表")
	// Only the county administrator appoints.
	for _, who := range []string{"county-reviewer", "chengguan-leader", "maoba-supervisor"} {
		res := a.login(who).post("/supervision/supervisors/new", appointForm("x-supervisor", "某某", "chengguan"))
		wantStatus(t, res, http.StatusForbidden)
	}

	sup := a.login("chengguan-supervisor")
	res = sup.get("/")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "城关镇执法监督员 钱某某", "聘任期：2025-06-01 至 2027-05-31（在任）", `href="/supervision/decisions"`,
		`href="/stats"`, `href="/supervision/opinions/new"`, "执法监督员")
	mustNotContain(t, res, `href="/cases"`, `href="/officers"`, `href="/training"`, `href="/authority"`)
	res = sup.get("/supervision/decisions")
	if res.status != http.StatusSeeOther || res.location != "/public/towns/chengguan/decisions" {
		t.Errorf("the decisions link: %d to %q", res.status, res.location)
	}
	// Their own password, under their scope (RLS: their own row).
	res = sup.post("/account/password", url.Values{"current": {testdb.Password}, "new": {"another-long-password"}, "confirm": {"another-long-password"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, sup.get("/"), "密码已修改。")

	// /admin/users neither makes a supervisor nor turns one into staff.
	res = admin.post("/admin/users/new", url.Values{"username": {"sneaky-supervisor"}, "display_name": {"某人"},
		"role": {"supervisor"}, "town": {"maoba"}, "password": {"a-long-password"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "执法监督员请在“执法监督员”页面聘任")
	id := itoa(a.user("chengguan-supervisor").ID)
	res = admin.post("/admin/users/"+id, url.Values{"display_name": {"钱某某"}, "role": {"officer"}, "town": {"chengguan"}, "active": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "执法监督员账号不能改为其他角色。")
	res = admin.post("/admin/users/"+id, url.Values{"display_name": {"钱某某"}, "role": {"supervisor"}, "town": {"maoba"}, "active": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "执法监督员的所属镇随聘任确定")
	res = admin.post("/admin/users/"+itoa(a.user("maoba-officer1").ID), url.Values{"display_name": {"某人"}, "role": {"supervisor"}, "town": {"maoba"}, "active": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	// The name and the phone are changed there.
	res = admin.post("/admin/users/"+id, url.Values{"display_name": {"钱某"}, "role": {"supervisor"}, "town": {"chengguan"}, "active": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
}

// supervisorPages are the only pages of the app a supervisor opens.
var supervisorPages = map[string]bool{"/": true, "/account/password": true, "/supervision": true,
	"/supervision/opinions/new": true, "/stats": true}

// TestSupervisorReachesNoCasePage: over HTTP every staff page, every case
// and what hangs from it is refused (403) to a supervisor, before any case
// is loaded; in the database a transaction under the supervisor's settings
// reads no row of any case table, nor users but their own, only their
// town's summary figures.
func TestSupervisorReachesNoCasePage(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	maoba := a.townID("maoba")
	ids := a.townCases("maoba")
	var caseID, evidenceID, docID int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT (SELECT min(case_id) FROM evidence WHERE town_id = $1), (SELECT min(id) FROM evidence WHERE town_id = $1),
			coalesce((SELECT min(id) FROM documents WHERE town_id = $1), 1)`, maoba).Scan(&caseID, &evidenceID, &docID)
	})
	c := itoa(caseID)
	sup := a.login("maoba-supervisor")
	paths := []string{"/cases", "/cases?q=" + url.QueryEscape("某"), "/cases.xlsx", "/cases/new", "/cases/" + itoa(ids[0]), "/cases/" + c,
		"/cases/" + c + "/dossier", "/cases/" + c + "/dossier.pdf", "/cases/" + c + "/evidence/" + itoa(evidenceID),
		"/cases/" + c + "/documents", "/cases/" + c + "/documents/" + itoa(docID), "/cases/" + c + "/documents/new/inquiry",
		"/officers", "/officers/" + itoa(a.user("maoba-officer1").ID), "/officers/" + itoa(a.user("maoba-officer1").ID) + "/certificate",
		"/training", "/training/summary", "/authority", "/authority/towns/maoba/items", "/settings", "/settings/holidays",
		"/review", "/filings", "/corrections", "/evaluations", "/audit", "/towns", "/admin/users",
		"/supervision/supervisors", "/supervision/supervisors/new"}
	for _, p := range paths {
		res := sup.get(p)
		if res.status != http.StatusForbidden {
			t.Errorf("supervisor GET %s: status %d, want 403", p, res.status)
		} else if !strings.Contains(res.body, "无权") {
			t.Errorf("supervisor GET %s: the refusal does not say why", p)
		}
	}
	for _, p := range []string{"/cases/" + c + "/act", "/cases/new", "/cases/" + c + "/evidence", "/training/new"} {
		if res := sup.post(p, url.Values{"action": {"investigate"}, "version": {"1"}}); res.status != http.StatusForbidden {
			t.Errorf("supervisor POST %s: status %d, want 403", p, res.status)
		}
	}
	// Nothing was read: no access-log row names the supervisor.
	var logged int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM access_log WHERE user_id = $1`, a.user("maoba-supervisor").ID).Scan(&logged)
	})
	if logged != 0 {
		t.Errorf("%d case reads logged for the supervisor", logged)
	}
	for p := range supervisorPages {
		if p == "/stats" {
			continue // the statistics have their own test (TestSupervisorSeesTownStats)
		}
		wantStatus(t, sup.get(p), http.StatusOK)
	}

	// In the database: the supervisor's settings, as the app sets them.
	s := database.Settings{Scope: zhifa.ScopeSupervisor, TownID: maoba, UserID: a.user("maoba-supervisor").ID}
	count := func(sql string) int {
		t.Helper()
		var n int
		a.mustTx(s, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) })
		return n
	}
	var tables []string
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r' AND has_table_privilege(c.oid, 'SELECT') -- else unreadable anyway
			  AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'town_id' AND NOT a.attisdropped)
			ORDER BY 1`)
		var err error
		tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	// What the supervisor's pages read: their appointment, their opinions
	// and the answers, the town's summary figures.
	// And what everyone reads, logged in or not: the published item lists
	// and the villages (public reference data), and their own user row
	// (checked below).
	readable := map[string]bool{"supervisors": true, "supervision_opinions": true, "supervision_responses": true,
		"case_stats": true, "case_due_counts": true, "case_remedy_stats": true, "case_stats_months": true, "public_decisions": true,
		"list_versions": true, "list_version_items": true, "villages": true, "users": true}
	for _, table := range tables {
		if readable[table] {
			continue
		}
		if n := count(`SELECT count(*) FROM ` + table); n != 0 {
			t.Errorf("the supervisor's transaction reads %d rows of %s", n, table)
		}
	}
	for _, table := range []string{"cases", "evidence", "evidence_files", "case_events", "case_payments", "case_officers"} {
		var all int
		a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE town_id = $1`, maoba).Scan(&all)
		})
		if all == 0 {
			t.Errorf("%s: 毛坝镇 has no rows (the test proves nothing)", table)
		}
	}
	if n := count(`SELECT count(*) FROM users`); n != 1 {
		t.Errorf("the supervisor reads %d users, want their own", n)
	}
	if n := count(`SELECT count(*) FROM case_stats`); n == 0 {
		t.Error("the supervisor reads none of the town's summary figures")
	}
	if n := count(`SELECT count(*) FROM case_stats WHERE town_id <> ` + itoa(maoba)); n != 0 {
		t.Errorf("the supervisor reads %d summary rows of other towns", n)
	}
	// Nor writes: a case, its timeline.
	const rlsViolation = "new row violates row-level security policy for table "
	err := a.inTx(s, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, summary) VALUES ($1, $2, now(), $3, '某人', 'x', '伪造')`,
			caseID, maoba, s.UserID)
		return err
	})
	wantPgError(t, "the supervisor writing a timeline entry", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"case_events"`)
	err = a.inTx(s, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE cases SET facts = '篡改' WHERE town_id = $1`, maoba)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("the supervisor changed %d cases", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// caseNumber is a filed case's number of town, read by the county.
func (a *app) caseNumber(t *testing.T, town string) string {
	t.Helper()
	var n string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), `SELECT min(c.number) FROM cases c JOIN towns t ON t.id = c.town_id WHERE t.code = $1`, town).Scan(&n)
	})
	return n
}

// menuCount is the count shown beside the menu entry href ("" for none).
func menuCount(res response, href string) string {
	m := regexp.MustCompile(`(?s)<a href="` + regexp.QuoteMeta(href) + `"[^>]*>(.*?)</a>`).FindStringSubmatch(res.body)
	if m == nil {
		return "no entry"
	}
	c := regexp.MustCompile(`class="nav-count"[^>]*>([^<]*)<`).FindStringSubmatch(m[1])
	if c == nil {
		return ""
	}
	return c[1]
}

var opinionPathRE = regexp.MustCompile(`^/supervision/opinions/(\d+)$`)

// fileOpinion files an opinion as the supervisor c and returns its path.
func fileOpinion(t *testing.T, c *client, subject, ref, text string) string {
	t.Helper()
	res := c.post("/supervision/opinions/new", url.Values{"subject": {subject}, "case_ref": {ref}, "text": {text}})
	wantStatus(t, res, http.StatusSeeOther)
	if !opinionPathRE.MatchString(res.location) {
		t.Fatalf("opinion filed: redirected to %q", res.location)
	}
	return res.location
}

// TestSupervisionOpinion: a supervisor's opinions on a case (by its
// number) and on the town's work reach the town's 队长 and 镇负责人 and the
// county, with the due date 15 working days on; not another town's leader
// nor the town's officers; the leader's answer is recorded with who and
// when, shown to the supervisor, and cannot be given twice.
func TestSupervisionOpinion(t *testing.T) {
	a := newApp(t)
	sup := a.login("maoba-supervisor")
	number := a.caseNumber(t, "maoba")

	res := sup.post("/supervision/opinions/new", url.Values{"subject": {"case"}, "case_ref": {a.caseNumber(t, "chengguan")}, "text": {"罚款过重"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "本镇没有该案号或文号的案件", "罚款过重")
	res = sup.post("/supervision/opinions/new", url.Values{"subject": {"case"}, "text": {"罚款过重"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请填写案号或处罚决定书文号。")

	onCase := fileOpinion(t, sup, "case", number, "当事人反映执法人员未出示执法证件，请核查。")
	onWork := fileOpinion(t, sup, "work", "", "建议在集镇赶集日增加普法宣传。")
	res = sup.get(onCase)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "监督意见已提交，已送毛坝镇和县司法局。", number, "2025-09-22", "待答复", "尚未答复")
	mustNotContain(t, res, `id="opinion-case"`, `/cases/`, `id="opinion-response"`)
	res = sup.get("/supervision")
	mustContain(t, res, "我提出的监督意见", number, "执法工作")

	// 毛坝镇's leader and head and the county get them, counted in the menu.
	leader := a.login("maoba-leader")
	res = leader.get("/supervision")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "何德明", number)
	if got := menuCount(res, "/supervision"); got != "2" {
		t.Errorf("the menu counts %q opinions waiting, want 2", got)
	}
	res = leader.get(onCase)
	mustContain(t, res, `id="opinion-case"`, `id="opinion-response"`, "当事人反映执法人员未出示执法证件")
	for _, who := range []string{"maoba-head", "county-reviewer", "county-admin"} {
		c := a.login(who)
		mustContain(t, c.get("/supervision"), number)
		wantStatus(t, c.get(onWork), http.StatusOK)
	}
	// Not another town's leader, not the town's officers or reviewer.
	other := a.login("chengguan-leader")
	mustNotContain(t, other.get("/supervision"), number, "何德明")
	wantStatus(t, other.get(onCase), http.StatusNotFound)
	wantStatus(t, other.post(onCase+"/response", url.Values{"text": {"越权答复"}}), http.StatusNotFound)
	for _, who := range []string{"maoba-officer1", "maoba-reviewer"} {
		c := a.login(who)
		res := c.get("/supervision")
		wantStatus(t, res, http.StatusForbidden)
		mustContain(t, res, "您的角色无权查看监督意见")
		wantStatus(t, c.get(onCase), http.StatusForbidden)
	}
	// A supervisor answers nothing.
	res = sup.post(onCase+"/response", url.Values{"text": {"自己答复"}})
	wantStatus(t, res, http.StatusForbidden)

	// The answer: empty is refused at its box, then recorded.
	res = leader.post(onCase+"/response", url.Values{"text": {"  "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请填写答复内容。")
	a.clock.Advance(3 * 24 * time.Hour)
	res = leader.post(onCase+"/response", url.Values{"text": {"经核查，执法人员已出示执法证件，询问笔录有当事人签字确认。"}})
	wantStatus(t, res, http.StatusSeeOther)
	leaderName := a.user("maoba-leader").DisplayName
	res = sup.get(onCase)
	mustContain(t, res, leaderName+"（队长）", "2025-09-04答复", "询问笔录有当事人签字确认", "已答复")
	res = a.login("county-admin").post(onCase+"/response", url.Values{"text": {"再答复"}})
	wantStatus(t, res, http.StatusConflict)
	mustContain(t, res, "该监督意见已由"+leaderName+"于2025年9月4日答复，不能再次答复。")
	// The county answers the other; the menu count is down to none.
	res = a.login("county-reviewer").post(onWork+"/response", url.Values{"text": {"已转毛坝镇办理。"}})
	wantStatus(t, res, http.StatusSeeOther)
	if got := menuCount(leader.get("/supervision"), "/supervision"); got != "" {
		t.Errorf("the menu counts %q opinions waiting, want none", got)
	}
	mustContain(t, sup.get(onWork), "（县司法局审核人员）", "已转毛坝镇办理。")

	// Past its date an opinion waits as overdue.
	late := fileOpinion(t, sup, "work", "", "第三条意见")
	a.clock.Advance(40 * 24 * time.Hour)
	mustContain(t, leader.get("/supervision?status=overdue"), "逾期未答复")
	mustContain(t, leader.get(late), "逾期未答复")

	// In the database the answers and the opinions are frozen.
	_, err := a.owner().Exec(t.Context(), `UPDATE supervision_responses SET text = '改写'`)
	wantPgError(t, "changing an answer", err, pgerrcode.InsufficientPrivilege, "append-only")
}

// TestSupervisionTablesArePrivate: in the database, a town reads its own
// opinions only, a supervisor their own; no one files an opinion in
// another's name or town, nor answers for another town.
func TestSupervisionTablesArePrivate(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	sup := a.login("maoba-supervisor")
	fileOpinion(t, sup, "work", "", "意见一")
	maoba, chengguan := a.townID("maoba"), a.townID("chengguan")
	supID := a.user("maoba-supervisor").ID
	count := func(s database.Settings, sql string) int {
		t.Helper()
		var n int
		a.mustTx(s, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) })
		return n
	}
	own := database.Settings{Scope: zhifa.ScopeTown, TownID: maoba}
	other := database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan}
	supS := database.Settings{Scope: zhifa.ScopeSupervisor, TownID: maoba, UserID: supID}
	for _, tc := range []struct {
		name string
		s    database.Settings
		want int
	}{{"毛坝镇", own, 1}, {"城关镇", other, 0}, {"the county", database.Settings{Scope: zhifa.ScopeCountyRead}, 1},
		{"the supervisor", supS, 1}, {"another supervisor", database.Settings{Scope: zhifa.ScopeSupervisor, TownID: maoba, UserID: supID + 1000}, 0},
		{"no scope", database.Settings{}, 0}} {
		if n := count(tc.s, `SELECT count(*) FROM supervision_opinions`); n != tc.want {
			t.Errorf("%s reads %d opinions, want %d", tc.name, n, tc.want)
		}
	}
	if n := count(other, `SELECT count(*) FROM supervisors`); n != 0 {
		t.Errorf("城关镇 reads %d of 毛坝镇's supervisors", n)
	}
	const rlsViolation = "new row violates row-level security policy for table "
	insert := `INSERT INTO supervision_opinions (town_id, supervisor_id, supervisor_name, subject, text, filed_on, due_on)
		VALUES ($1, $2, '某人', 'work', '伪造', '2025-09-01', '2025-09-22')`
	for _, tc := range []struct {
		name       string
		s          database.Settings
		town, user int64
	}{{"a town filing an opinion", own, maoba, supID}, {"a supervisor filing for another town", supS, chengguan, supID},
		{"a supervisor filing in another's name", supS, maoba, a.user("maoba-leader").ID}} {
		err := a.inTx(tc.s, func(tx pgx.Tx) error { _, err := tx.Exec(ctx, insert, tc.town, tc.user); return err })
		wantPgError(t, tc.name, err, pgerrcode.InsufficientPrivilege, rlsViolation+`"supervision_opinions"`)
	}
	err := a.inTx(database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan, UserID: a.user("chengguan-leader").ID}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO supervision_responses (opinion_id, town_id, responder_id, responder_name, responder_role, text, responded_on)
			SELECT id, town_id, $1, '某人', 'leader', '越权', '2025-09-02' FROM supervision_opinions`, a.user("chengguan-leader").ID)
		return err
	})
	if err != nil {
		t.Errorf("城关镇 answering an opinion it cannot read: %v (want nothing inserted)", err)
	}
	err = a.inTx(database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan, UserID: a.user("chengguan-leader").ID}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO supervision_responses (opinion_id, town_id, responder_id, responder_name, responder_role, text, responded_on)
			VALUES ((SELECT min(id) FROM supervision_opinions), $1, $2, '某人', 'leader', '越权', '2025-09-02')`, maoba, a.user("chengguan-leader").ID)
		return err
	})
	wantPgError(t, "城关镇 answering for 毛坝镇", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"supervision_responses"`)
	if n := count(database.Settings{Scope: zhifa.ScopeCountyRead}, `SELECT count(*) FROM supervision_responses`); n != 0 {
		t.Errorf("%d answers written across towns", n)
	}
}

// TestSupervisorTermExpired: outside the term the login is refused with
// the reason, and a session still open is refused every page; the county
// administrator's renewal (its form) lets the supervisor in again.
func TestSupervisorTermExpired(t *testing.T) {
	a := newApp(t)
	sup := a.login("maoba-supervisor")
	a.clock.Set(time.Date(2027, 1, 2, 9, 0, 0, 0, zhifa.Local)) // the demo term ends 2026-12-31
	res := sup.get("/")
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "您的执法监督员任期已于2026年12月31日届满，账号不能再登录。")
	wantStatus(t, sup.get("/supervision"), http.StatusForbidden)
	res = a.client().post("/login", url.Values{"username": {"maoba-supervisor"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusUnauthorized)
	mustContain(t, res, "您的执法监督员任期已于2026年12月31日届满，账号不能再登录。如已续聘，请联系县司法局更新任期。", `value="maoba-supervisor"`)

	admin := a.login("county-admin")
	path := "/supervision/supervisors/" + itoa(a.user("maoba-supervisor").ID)
	mustContain(t, admin.get(path), "任期已届满")
	res = admin.post(path, url.Values{"affiliation": {"县人大代表"}, "term_from": {"2027-01-01"}, "term_until": {"2028-12-31"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, admin.get(path), "任期已保存。", "2027-01-01 至 2028-12-31（在任）")
	wantStatus(t, a.login("maoba-supervisor").get("/"), http.StatusOK)
	// A term not yet begun is refused too.
	res = admin.post(path, url.Values{"term_from": {"2027-03-01"}, "term_until": {"2028-12-31"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = a.client().post("/login", url.Values{"username": {"maoba-supervisor"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusUnauthorized)
	mustContain(t, res, "您的执法监督员任期自2027年3月1日开始，届时方可登录。")
}

// TestSupervisorSeesTownStats: the supervisor's /stats is their town's
// figures (the summary rows, which their scope reads), not the county's.
func TestSupervisorSeesTownStats(t *testing.T) {
	a := newApp(t)
	a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3")) // the town has a filing this year
	res := a.login("maoba-supervisor").get("/stats")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "毛坝镇")
	mustNotContain(t, res, "城关镇", `href="/cases`)
	// The supervisor's figures are the town's (the summary rows their
	// scope reads), not zeros: every table but the officers' certificates,
	// which a supervisor may not read, equals the town leader's.
	leader := a.login("maoba-leader").get("/stats")
	wantStatus(t, leader, http.StatusOK)
	got, want := statsTables(t, res.body), statsTables(t, leader.body)
	if statsCell(t, want, "overview", "立案（件）", "本期") == "0" {
		t.Fatalf("the town's page shows no filing: %v", want["overview"])
	}
	for id, rows := range want {
		if id == "certificates" {
			continue
		}
		if !reflect.DeepEqual(got[id], rows) {
			t.Errorf("table %s: supervisor sees %v, the town leader %v", id, got[id], rows)
		}
	}
}
