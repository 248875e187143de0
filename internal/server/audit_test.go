package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

// logRow is an access_log entry as the tests read it (as the owner).
type logRow struct {
	What     string
	ObjectID *int64
	Username string
	UserName string
	Role     string
	TownID   int64
	CaseID   int64
	Path     string
	Remote   string
	Status   int
	At       time.Time
}

// accessLog is every entry of username, oldest first.
func (a *app) accessLog(t *testing.T, username string) []logRow {
	t.Helper()
	rows, err := a.owner().Query(context.Background(), `SELECT what, object_id, username, user_name, role, town_id, case_id,
		path, remote, status, at FROM access_log WHERE username = $1 ORDER BY id`, username)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[logRow])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ranged GETs path with a Range header.
func (c *client) ranged(path, rng string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.ts.URL+path, nil)
	req.Header.Set("Range", rng)
	return c.do(req)
}

// A town officer's reads of the case page, a document (and its print
// view), an evidence file (whole, then in ranges as a video plays) and the
// dossier are each in the log: who (login, name, role), when (the clock),
// what, from where, under the case's town. Refusals are not reads.
func TestAccessLogRecordsWhoReadWhat(t *testing.T) {
	a := newApp(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer := a.login("maoba-officer1")
	wantStatus(t, officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"},
		"scene.jpg", jpegBytes), http.StatusSeeOther)
	evidence := a.latestID(path, "evidence")
	doc := a.issueDoc(t, officer, path, "filing_approval", nil)
	docID := doc[strings.LastIndex(doc, "/")+1:]

	reader := a.login("maoba-officer2")
	a.clock.Set(day(9, 2))
	wantStatus(t, reader.get(path), http.StatusOK)
	wantStatus(t, reader.get(doc), http.StatusOK)
	wantStatus(t, reader.get(doc+"/print"), http.StatusOK)
	wantStatus(t, reader.get(path+"/evidence/"+evidence), http.StatusOK)
	wantStatus(t, reader.ranged(path+"/evidence/"+evidence+"?inline=1", "bytes=0-99"), http.StatusPartialContent)
	wantStatus(t, reader.ranged(path+"/evidence/"+evidence+"?inline=1", "bytes=100-199"), http.StatusPartialContent) // the same read going on
	wantStatus(t, reader.get(path+"/dossier"), http.StatusOK)
	wantStatus(t, reader.get(path+"/evidence/999999"), http.StatusNotFound)  // no such file: nothing read
	wantStatus(t, reader.get(path+"/documents/999999"), http.StatusNotFound) // nor here

	got := a.accessLog(t, "maoba-officer2")
	type want struct{ what, object, path string }
	wants := []want{
		{"case", "", path},
		{"document", docID, doc},
		{"document", docID, doc + "/print"},
		{"evidence", evidence, path + "/evidence/" + evidence},
		{"evidence", evidence, path + "/evidence/" + evidence + "?inline=1"},
		{"dossier", "", path + "/dossier"},
	}
	if len(got) != len(wants) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(wants), got)
	}
	reader2 := a.user("maoba-officer2")
	for i, w := range wants {
		g := got[i]
		object := ""
		if g.ObjectID != nil {
			object = itoa(*g.ObjectID)
		}
		if g.What != w.what || object != w.object || g.Path != w.path {
			t.Errorf("entry %d: %s #%s %s, want %s #%s %s", i, g.What, object, g.Path, w.what, w.object, w.path)
		}
		if g.Username != "maoba-officer2" || g.UserName != reader2.DisplayName || g.Role != "officer" ||
			g.TownID != a.townID("maoba") || g.CaseID != caseID(t, path) || g.Remote != "127.0.0.1" || !g.At.Equal(day(9, 2)) {
			t.Errorf("entry %d: %+v", i, g)
		}
	}
	if got[4].Status != http.StatusPartialContent || got[3].Status != http.StatusOK {
		t.Errorf("statuses %d, %d", got[3].Status, got[4].Status)
	}
}

// aCaseOf is the id of one of the town's demo cases.
func (a *app) aCaseOf(code string) int64 {
	a.t.Helper()
	var id int64
	if err := a.owner().QueryRow(context.Background(), `SELECT c.id FROM cases c JOIN towns t ON t.id = c.town_id
		WHERE t.code = $1 ORDER BY c.id LIMIT 1`, code).Scan(&id); err != nil {
		a.t.Fatal(err)
	}
	return id
}

// The county reads the log, newest first, filtered by town, user, case,
// kind and dates, a page at a time; a town user is refused the page.
func TestAuditPageForTheCounty(t *testing.T) {
	a := newApp(t)
	maoba, chengguan := itoa(a.aCaseOf("maoba")), itoa(a.aCaseOf("chengguan"))
	m := a.login("maoba-officer2")
	c := a.login("chengguan-officer1")
	wantStatus(t, m.get("/cases/"+maoba), http.StatusOK)
	wantStatus(t, m.get("/cases/"+maoba+"/dossier"), http.StatusOK)
	wantStatus(t, c.get("/cases/"+chengguan), http.StatusOK)
	wantStatus(t, m.get("/cases/"+chengguan), http.StatusNotFound) // another town's case: refused, and not a read

	for _, who := range []string{"county-reviewer", "county-admin"} {
		county := a.login(who)
		res := county.get("/audit")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "访问记录", "maoba-officer2", "chengguan-officer1", `href="/cases/`+maoba+`"`, "案卷", "127.0.0.1", "2025-09-01")
	}
	county := a.login("county-reviewer")
	res := county.get("/audit?town=maoba")
	mustContain(t, res, "maoba-officer2", "毛坝镇")
	mustNotContain(t, res, "chengguan-officer1")
	res = county.get("/audit?town=chengguan")
	mustContain(t, res, "chengguan-officer1")
	mustNotContain(t, res, "maoba-officer2")
	res = county.get("/audit?user=chengguan-officer1")
	mustContain(t, res, "chengguan-officer1")
	mustNotContain(t, res, "maoba-officer2")
	res = county.get("/audit?case=" + maoba + "&what=dossier")
	mustContain(t, res, "maoba-officer2", "/cases/"+maoba+"/dossier")
	mustNotContain(t, res, "chengguan-officer1", "<small class=\"muted\">/cases/"+maoba+"</small>")
	mustContain(t, county.get("/audit?from=2025-09-01&to=2025-09-01"), "maoba-officer2")
	mustContain(t, county.get("/audit?from=2025-09-02"), "没有符合条件的访问记录。")
	wantStatus(t, county.get("/audit?town=nowhere"), http.StatusNotFound)

	// The county's own reads are logged too.
	wantStatus(t, county.get("/cases/"+maoba), http.StatusOK)
	mustContain(t, county.get("/audit?user=county-reviewer"), "县司法局审核人员")

	// Pages of 50, newest first, keeping the filter.
	for range 52 {
		wantStatus(t, c.get("/cases/"+chengguan), http.StatusOK)
	}
	first := county.get("/audit?town=chengguan")
	if n := strings.Count(first.body, "<small class=\"muted\">chengguan-officer1</small>"); n != 50 {
		t.Fatalf("first page: %d entries, want 50", n)
	}
	next := regexpFind(t, first.body, `href="(/audit\?[^"]+)">下一页（更早）`)
	next = strings.ReplaceAll(next, "&amp;", "&")
	if !strings.Contains(next, "town=chengguan") {
		t.Fatalf("the next page drops the filter: %s", next)
	}
	second := county.get(next)
	if n := strings.Count(second.body, "<small class=\"muted\">chengguan-officer1</small>"); n != 3 {
		t.Fatalf("second page: %d entries, want 3", n)
	}
	mustNotContain(t, second, "下一页")

	// A town user, whatever its role, is refused.
	for _, who := range []string{"maoba-officer1", "maoba-leader", "maoba-reviewer", "maoba-head"} {
		res := a.login(who).get("/audit")
		wantStatus(t, res, http.StatusForbidden)
		mustContain(t, res, "您的角色无权访问此页面。")
	}
}

func regexpFind(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s", re)
	}
	return m[1]
}

// The log is append-only: the app role can neither update nor delete an
// entry (not granted: 42501), the owner neither (a trigger), nor truncate
// it. A town reads none of it, and writes only its own reads of its own
// cases.
func TestAccessLogIsAppendOnly(t *testing.T) {
	a := newApp(t)
	maoba := a.aCaseOf("maoba")
	wantStatus(t, a.login("maoba-officer1").get("/cases/"+itoa(maoba)), http.StatusOK)
	ctx := context.Background()
	admin := database.Settings{Scope: zhifa.ScopeCountyAdmin, UserID: a.user("county-admin").ID}
	err := a.inTx(admin, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE access_log SET path = '/'`)
		return err
	})
	wantPgError(t, "app role update", err, "42501", "permission denied for table access_log")
	err = a.inTx(admin, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM access_log`)
		return err
	})
	wantPgError(t, "app role delete", err, "42501", "permission denied for table access_log")
	err = a.inTx(admin, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `TRUNCATE access_log`)
		return err
	})
	wantPgError(t, "app role truncate", err, "42501", "permission denied for table access_log")

	owner := a.owner()
	_, err = owner.Exec(ctx, `UPDATE access_log SET path = '/'`)
	wantPgError(t, "owner update", err, "42501", "access_log is append-only")
	_, err = owner.Exec(ctx, `DELETE FROM access_log`)
	wantPgError(t, "owner delete", err, "42501", "access_log is append-only")
	_, err = owner.Exec(ctx, `TRUNCATE access_log`)
	wantPgError(t, "owner truncate", err, "42501", "cannot be truncated")

	officer := a.user("maoba-officer1")
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: a.townID("maoba"), UserID: officer.ID}
	var n int
	a.mustTx(town, func(tx pgx.Tx) error { return tx.QueryRow(ctx, `SELECT count(*) FROM access_log`).Scan(&n) })
	if n != 0 {
		t.Errorf("a town reads %d entries of the log", n)
	}
	a.mustTx(admin, func(tx pgx.Tx) error { return tx.QueryRow(ctx, `SELECT count(*) FROM access_log`).Scan(&n) })
	if n != 1 {
		t.Errorf("the county reads %d entries, want 1", n)
	}
	insert := `INSERT INTO access_log (at, user_id, username, user_name, role, town_id, case_id, what, path, remote, status)
		VALUES (now(), $1, 'x', 'x', 'officer', $2, $3, 'case', '/', '', 200)`
	for _, tc := range []struct {
		what         string
		user, townID int64
		caseID       int64
	}{
		{"another user's read", a.user("maoba-officer2").ID, a.townID("maoba"), maoba},
		{"another town's case", officer.ID, a.townID("chengguan"), a.aCaseOf("chengguan")},
		{"its case under another town", officer.ID, a.townID("chengguan"), maoba},
	} {
		err := a.inTx(town, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, insert, tc.user, tc.townID, tc.caseID)
			return err
		})
		wantPgError(t, tc.what, err, "42501", "row-level security")
	}
}

// The read is logged before any of it is sent: if the log cannot be
// written, the page or file is withheld (503) and nothing of it goes out.
func TestUnloggedReadsAreWithheld(t *testing.T) {
	a := newApp(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer := a.login("maoba-officer1")
	wantStatus(t, officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"},
		"scene.jpg", jpegBytes), http.StatusSeeOther)
	evidence := a.latestID(path, "evidence")
	ctx := context.Background()
	if _, err := a.owner().Exec(ctx, `REVOKE INSERT ON access_log FROM zhifa_app`); err != nil {
		t.Fatal(err)
	}
	res := officer.get(path)
	wantStatus(t, res, http.StatusServiceUnavailable)
	mustContain(t, res, "访问记录暂时无法写入")
	mustNotContain(t, res, "刘某")
	res = officer.get(path + "/evidence/" + evidence)
	wantStatus(t, res, http.StatusServiceUnavailable)
	mustContain(t, res, "访问记录暂时无法写入")
	if strings.Contains(res.body, string(jpegBytes[:11])) || res.header.Get("Content-Disposition") != "" {
		t.Fatal("the file went out without its log entry")
	}
	if _, err := a.owner().Exec(ctx, `GRANT INSERT ON access_log TO zhifa_app`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, officer.get(path), http.StatusOK)
}

// A password change ends every other session of the user, at once, while
// the one that made the change stays in; a session row written back by a
// request that was in flight stays dead. Logging out forgets the session.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	a := newApp(t)
	changer := a.login("maoba-officer1")
	other := a.login("maoba-officer1")
	bystander := a.login("maoba-officer2")
	ctx := context.Background()
	owner := a.owner()
	// What a late request of the other client would write back.
	var data []byte
	var expiry time.Time
	if err := owner.QueryRow(ctx, `SELECT data, expiry FROM sessions WHERE token = $1`, other.sessionCookie()).Scan(&data, &expiry); err != nil {
		t.Fatal(err)
	}
	res := changer.post("/account/password", url.Values{"current": {testdb.Password}, "new": {"a-new-password-1"}, "confirm": {"a-new-password-1"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, changer.get("/"), "密码已修改")
	wantStatus(t, changer.get("/officers"), http.StatusOK)

	res = other.get("/officers")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
		t.Fatalf("the other session: status %d to %q", res.status, res.location)
	}
	wantStatus(t, bystander.get("/officers"), http.StatusOK) // another user is untouched

	// Its session row comes back (a request that was in flight saves it):
	// still not accepted.
	old := other.sessionCookie()
	if _, err := owner.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3) ON CONFLICT (token) DO UPDATE SET data = $2`,
		old, data, expiry); err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(a.ts.URL)
	other.http.Jar.SetCookies(base, []*http.Cookie{{Name: "zhifa_session", Value: old, Path: "/"}})
	res = other.get("/officers")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
		t.Fatalf("a written-back session: status %d to %q", res.status, res.location)
	}
	var n int
	if err := owner.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE token = $1`, old).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the written-back session row is still there (%d, %v)", n, err)
	}

	// One session of the user is left, and logging out forgets it.
	u := a.user("maoba-officer1").ID
	if err := owner.QueryRow(ctx, `SELECT count(*) FROM user_sessions WHERE user_id = $1`, u).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d sessions listed for the user, want 1 (%v)", n, err)
	}
	wantStatus(t, changer.post("/logout", nil), http.StatusSeeOther)
	if err := owner.QueryRow(ctx, `SELECT count(*) FROM user_sessions WHERE user_id = $1`, u).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d sessions listed after logout (%v)", n, err)
	}
}

// Deactivating a user ends all of its sessions (their rows are deleted),
// as does the administrator setting its password; the administrator stays
// in.
func TestDeactivationEndsTheUsersSessions(t *testing.T) {
	a := newApp(t)
	u := a.user("gaotan-officer2")
	one, two := a.login("gaotan-officer2"), a.login("gaotan-officer2")
	admin := a.login("county-admin")
	tokens := []string{one.sessionCookie(), two.sessionCookie()}
	res := admin.post("/admin/users/"+itoa(u.ID), url.Values{"display_name": {u.DisplayName}, "role": {"officer"}, "town": {"gaotan"}}) // active unchecked
	wantStatus(t, res, http.StatusSeeOther)
	var n int
	if err := a.owner().QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token = ANY ($1)`, tokens).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d of the user's sessions left (%v)", n, err)
	}
	for _, c := range []*client{one, two} {
		res := c.get("/officers")
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
			t.Fatalf("a deactivated user's session: status %d to %q", res.status, res.location)
		}
	}
	wantStatus(t, admin.get("/admin/users"), http.StatusOK)

	// A password set by the administrator ends the sessions too.
	v := a.user("gaotan-officer3")
	three := a.login("gaotan-officer3")
	res = admin.post("/admin/users/"+itoa(v.ID), url.Values{"display_name": {v.DisplayName}, "role": {"officer"}, "town": {"gaotan"},
		"active": {"1"}, "password": {"a-new-password-1"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = three.get("/officers")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
		t.Fatalf("after a password reset: status %d to %q", res.status, res.location)
	}
	wantStatus(t, admin.get("/admin/users"), http.StatusOK)
}

// Corrections of the facts and of the party keep the old values in the
// record: the timeline entry holds them (case_events.data, never changed)
// and the case page shows 原：… → 新：….
func TestCorrectionsKeepTheOldValues(t *testing.T) {
	a := newApp(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer := a.login("maoba-officer1")
	mustAct(t, officer, path, "update_facts", url.Values{"text": {"经查，当事人于2025年8月20日在住宅外焚烧垃圾，过火面积约半亩。"}})
	mustAct(t, officer, path, "update_party", url.Values{"party_name": {"刘某某"}, "party_id_number": {"610924197001011234"},
		"party_phone": {"13900005678"}, "party_address": {"毛坝镇干沙村四组"}, "place_village": {"干沙村"}, "place_address": {"刘某住宅外"},
		"serious_harm": {"1"}})
	page := officer.get(path)
	mustContain(t, page,
		"调查情况：原：当事人在住宅外焚烧垃圾，火势蔓延至林地。 → 新：经查，当事人于2025年8月20日在住宅外焚烧垃圾，过火面积约半亩。",
		"当事人：原：刘某 → 新：刘某某",
		"联系电话：原：13800001234 → 新：13900005678",
		"住址：原：毛坝镇干沙村三组 → 新：毛坝镇干沙村四组",
		"危害后果（五年追责时效）：原：否 → 新：是")
	mustNotContain(t, page, "证件号码：原：") // unchanged values are not listed

	// The record itself, as stored.
	var changes string
	if err := a.owner().QueryRow(context.Background(), `SELECT data->'changes' #>> '{}' FROM case_events
		WHERE case_id = $1 AND action = 'update_party'`, caseID(t, path)).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"field": "住址"`, `"old": "毛坝镇干沙村三组"`, `"new": "毛坝镇干沙村四组"`} {
		if !strings.Contains(changes, w) {
			t.Errorf("stored changes %s lack %s", changes, w)
		}
	}
	// A second correction of the facts keeps the first correction's text as
	// its old value: nothing is lost.
	mustAct(t, officer, path, "update_facts", url.Values{"text": {"第三稿。"}})
	mustContain(t, officer.get(path), "调查情况：原：经查，当事人于2025年8月20日在住宅外焚烧垃圾，过火面积约半亩。 → 新：第三稿。")
}
