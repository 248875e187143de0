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
	"zhifa/internal/zhifa"
)

var roleUsers = map[string]string{
	"officer":         "chengguan-officer1",
	"leader":          "chengguan-leader",
	"head":            "chengguan-head",
	"town_reviewer":   "chengguan-reviewer",
	"county_reviewer": "county-reviewer",
	"county_admin":    "county-admin",
	"supervisor":      "maoba-supervisor", // issue 13: reaches / and its own pages only
}

// TestRoleAccess checks every page for every role: what each may open and
// what it is refused.
func TestRoleAccess(t *testing.T) {
	a := newApp(t)
	own := itoa(a.user("chengguan-officer2").ID)
	ownCase := itoa(a.townCases("chengguan")[0])
	const ok, forbidden = http.StatusOK, http.StatusForbidden
	cases := []struct {
		path string
		want map[string]int // by role; missing = 200
	}{
		{"/", nil},
		{"/officers", nil},
		{"/officers/" + own, nil},
		{"/officers/" + own + "/certificate", map[string]int{"officer": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
		{"/account/password", nil},
		{"/towns", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden}},
		{"/admin/users", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
		{"/admin/users/new", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
		{"/admin/users/" + own, map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
		{"/cases", nil},
		{"/cases?due=soon", nil},
		{"/cases/new", map[string]int{"head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden, "county_admin": forbidden}},
		{"/cases/" + ownCase, nil},
		{"/authority/towns/chengguan/items", nil},
		{"/authority/catalogue", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden}},
		{"/authority/drafts", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden}},
		{"/authority/catalogue/new", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
		{"/authority/domains", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
		{"/settings", nil},
		{"/settings/holidays", nil},
		// Issue 13: training and the supervisors.
		{"/training", nil},
		{"/training/new", map[string]int{"officer": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
		{"/training/officers", nil},
		{"/training/summary", nil},
		{"/supervision", map[string]int{"officer": forbidden, "town_reviewer": forbidden, "supervisor": ok}},
		{"/supervision/opinions/new", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden,
			"county_reviewer": forbidden, "county_admin": forbidden, "supervisor": ok}},
		{"/supervision/supervisors", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden}},
		{"/supervision/supervisors/new", map[string]int{"officer": forbidden, "leader": forbidden, "head": forbidden, "town_reviewer": forbidden, "county_reviewer": forbidden}},
	}
	// A 执法监督员 opens their own pages and nothing else of the app.
	for i, tc := range cases {
		if tc.want == nil {
			cases[i].want = map[string]int{}
		}
		if _, set := cases[i].want["supervisor"]; !set && tc.path != "/" && tc.path != "/account/password" {
			cases[i].want["supervisor"] = forbidden
		}
	}
	anon := a.client()
	for _, tc := range cases {
		res := anon.get(tc.path)
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
			t.Errorf("anonymous GET %s: status %d to %q, want a redirect to /login", tc.path, res.status, res.location)
		}
	}
	for role, username := range roleUsers {
		c := a.login(username)
		for _, tc := range cases {
			want := ok
			if w, found := tc.want[role]; found {
				want = w
			}
			res := c.get(tc.path)
			if res.status != want {
				t.Errorf("%s GET %s: status %d, want %d", role, tc.path, res.status, want)
			}
			if want == forbidden && !strings.Contains(res.body, "无权") {
				t.Errorf("%s GET %s: refusal does not say why in Chinese", role, tc.path)
			}
		}
		// Menus show only what the role may open.
		home := c.get("/")
		if has := strings.Contains(home.body, `href="/admin/users"`); has != (role == "county_admin") {
			t.Errorf("%s: user-management link shown = %v", role, has)
		}
		if has := strings.Contains(home.body, `href="/towns"`); has != (role == "county_reviewer" || role == "county_admin") {
			t.Errorf("%s: towns link shown = %v", role, has)
		}
	}

	// Refused POSTs write nothing.
	before := len(a.allUsers())
	for _, role := range []string{"officer", "leader", "head", "town_reviewer", "county_reviewer", "supervisor"} {
		c := a.login(roleUsers[role])
		res := c.post("/admin/users/new", url.Values{"username": {"sneaky-" + role}, "display_name": {"某人"},
			"role": {"county_admin"}, "password": {"a-long-password"}})
		wantStatus(t, res, http.StatusForbidden)
		res = c.post("/officers/"+own+"/certificate", url.Values{"number": {"X-0001"}, "issuer": {"某机关"},
			"valid_from": {"2025-01-01"}, "valid_until": {"2030-01-01"}})
		if role == "leader" {
			wantStatus(t, res, http.StatusSeeOther) // the town's own leader may
		} else {
			wantStatus(t, res, http.StatusForbidden)
		}
	}
	if after := len(a.allUsers()); after != before {
		t.Fatalf("refused requests created users: %d → %d", before, after)
	}
}

// TestTenancyMatrix: for every town A, its leader and an officer get 404 for
// every town-B officer page and certificate form, 403 for B's admin pages,
// and see no town-B row in any list, whatever filter they send. Issue 13:
// every town has a training session with its officers' attendance, a
// 执法监督员 and an opinion; A's leader and officer open none of B's
// sessions and opinions, and A's supervisor no case page at all and no
// opinion of B.
func TestTenancyMatrix(t *testing.T) {
	a := newApp(t)
	fx := tenancyFixtures(t, a)
	users := a.allUsers()
	byTown := map[string][]userRow{}
	var towns []string
	for _, u := range users {
		if u.TownCode == "" {
			continue
		}
		if _, seen := byTown[u.TownCode]; !seen {
			towns = append(towns, u.TownCode)
		}
		byTown[u.TownCode] = append(byTown[u.TownCode], u)
	}
	if len(towns) != 17 {
		t.Fatalf("%d towns with users, want 17", len(towns))
	}
	t.Run("towns", func(t *testing.T) {
		for _, townA := range towns {
			t.Run(townA, func(t *testing.T) {
				t.Parallel()
				tenancyFromTown(t, a, townA, towns, byTown, fx)
			})
		}
	})
	t.Run("supervisors", func(t *testing.T) {
		for _, townA := range towns {
			t.Run(townA, func(t *testing.T) {
				t.Parallel()
				supervisorTenancy(t, a, townA, towns, fx)
			})
		}
	})
	// No attempt wrote a certificate.
	var hacked int
	err := a.inTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), `SELECT count(*) FROM certificates WHERE number LIKE 'HACK-%'`).Scan(&hacked)
	})
	if err != nil || hacked != 0 {
		t.Fatalf("cross-town certificate writes: %d (err %v)", hacked, err)
	}
	// County roles see every town.
	c := a.login("county-reviewer")
	list := c.get("/officers")
	for _, u := range users {
		if (u.Role == "officer" || u.Role == "leader") && !strings.Contains(list.body, u.DisplayName) {
			t.Errorf("county reviewer does not see %s", u.Username)
		}
	}
}

// TestRowLevelSecurity proves isolation inside PostgreSQL: queries under the
// app role that "forget" their town filter still see only the town's rows.
func TestRowLevelSecurity(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	var chengguan, maoba int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT (SELECT id FROM towns WHERE code = 'chengguan'), (SELECT id FROM towns WHERE code = 'maoba')`).Scan(&chengguan, &maoba)
	})
	maobaOfficer := a.user("maoba-officer1")

	// The app role can neither bypass RLS nor own the tables.
	err := a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		var super, bypass bool
		var owned int
		if err := tx.QueryRow(ctx, `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&super, &bypass); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`).Scan(&owned); err != nil {
			return err
		}
		if super || bypass || owned != 0 {
			t.Errorf("app role: superuser=%v bypassrls=%v owns %d tables", super, bypass, owned)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	count := func(s database.Settings, sql string) int {
		t.Helper()
		var n int
		if err := a.inTx(s, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) }); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan}
	if n := count(database.Settings{}, `SELECT count(*) FROM users`); n != 0 {
		t.Errorf("with no tenancy set, %d users visible, want 0", n)
	}
	if n := count(database.Settings{}, `SELECT count(*) FROM certificates`); n != 0 {
		t.Errorf("with no tenancy set, %d certificates visible, want 0", n)
	}
	if n := count(town, `SELECT count(*) FROM users`); n != 6 {
		t.Errorf("chengguan sees %d users, want its 6", n)
	}
	if n := count(town, `SELECT count(*) FROM users WHERE town_id <> `+itoa(chengguan)+` OR town_id IS NULL`); n != 0 {
		t.Errorf("chengguan sees %d users of other towns or the county", n)
	}
	if n := count(town, `SELECT count(*) FROM certificates WHERE town_id <> `+itoa(chengguan)); n != 0 {
		t.Errorf("chengguan sees %d certificates of other towns", n)
	}
	if n := count(database.Settings{Scope: zhifa.ScopeCountyRead}, `SELECT count(*) FROM users`); n != len(a.allUsers()) {
		t.Errorf("county scope sees %d users, want all", n)
	}

	// Writes across towns fail or touch nothing.
	err = a.inTx(town, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET display_name = '篡改' WHERE town_id = $1`, maoba)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("town update of another town's users: %v rows", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const rlsViolation = "new row violates row-level security policy for table "
	writes := []struct {
		name string
		s    database.Settings
		sql  string
		args []any
		code string // the refusal: SQLSTATE and message
		msg  string
	}{
		// The holder is not visible to the town, so the trigger that
		// checks the holder's town refuses before the policy does.
		{"certificate for another town", town, `INSERT INTO certificates (user_id, town_id, number, issuer, valid_from, valid_until) VALUES ($1, $2, 'RLS-1', '某机关', '2025-01-01', '2030-01-01')`, []any{maobaOfficer.ID, maoba},
			pgerrcode.CheckViolation, "certificate town does not match its holder"},
		{"certificate in own town for another town's officer", town, `INSERT INTO certificates (user_id, town_id, number, issuer, valid_from, valid_until) VALUES ($1, $2, 'RLS-2', '某机关', '2025-01-01', '2030-01-01')`, []any{maobaOfficer.ID, chengguan},
			pgerrcode.CheckViolation, "certificate town does not match its holder"},
		{"a town creating a user", town, `INSERT INTO users (username, display_name, role, town_id, password_hash) VALUES ('rls-user', '某人', 'officer', $1, 'x')`, []any{chengguan},
			pgerrcode.InsufficientPrivilege, rlsViolation + `"users"`},
		{"moving oneself to another town", database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan, UserID: a.user("chengguan-officer1").ID}, `UPDATE users SET town_id = $1 WHERE id = $2`, []any{maoba, a.user("chengguan-officer1").ID},
			pgerrcode.InsufficientPrivilege, rlsViolation + `"users"`},
		{"county reviewer creating a user", database.Settings{Scope: zhifa.ScopeCountyRead}, `INSERT INTO users (username, display_name, role, town_id, password_hash) VALUES ('rls-user2', '某人', 'officer', $1, 'x')`, []any{chengguan},
			pgerrcode.InsufficientPrivilege, rlsViolation + `"users"`},
	}
	for _, w := range writes {
		err := a.inTx(w.s, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, w.sql, w.args...)
			return err
		})
		wantPgError(t, w.name, err, w.code, w.msg)
	}
	for _, table := range []string{"cases", "case_officers", "case_events", "evidence", "case_counters",
		"corrections", "correction_events", "major_filings", "eval_dossiers", "eval_scores"} { // issue 9: see tenancy_supervision_test.go
		if n := count(town, `SELECT count(*) FROM `+table+` WHERE town_id <> `+itoa(chengguan)); n != 0 {
			t.Errorf("chengguan sees %d rows of other towns in %s", n, table)
		}
		if n := count(database.Settings{}, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("with no tenancy set, %d rows of %s visible", n, table)
		}
	}
	if n := count(town, `SELECT count(*) FROM cases`); n == 0 {
		t.Error("chengguan sees none of its own cases")
	}
	// Another town's cases are invisible to an update: nothing changes.
	err = a.inTx(town, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE cases SET facts = '篡改' WHERE town_id = $1`, maoba)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("chengguan updated %d cases of maoba", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A timeline entry in the town's own case is written; one for another
	// town is refused by the policy.
	err = a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, summary)
			SELECT id, town_id, now(), created_by, '某人', 'x', '伪造' FROM cases LIMIT 1`)
		if err != nil {
			t.Errorf("chengguan cannot write its own timeline: %v", err)
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, summary) VALUES (1, $1, now(), 1, '某人', 'x', '伪造')`, maoba)
		return err
	})
	wantPgError(t, "chengguan writing a timeline entry for maoba", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"case_events"`)

	// The settings are per transaction: a pooled connection forgets them.
	if n := count(database.Settings{}, `SELECT count(*) FROM users`); n != 0 {
		t.Errorf("settings leaked to the next transaction: %d users visible", n)
	}
}

// townFixtures are each town's training session and opinion (by code),
// and its supervisor's username.
type townFixtures struct {
	session, opinion map[string]int64
	supervisor       map[string]string
}

// tenancyFixtures gives every town a training session attended by its
// officers, a 执法监督员 (毛坝镇's is the demo's) and an opinion of theirs,
// written as the owner.
func tenancyFixtures(t *testing.T, a *app) *townFixtures {
	t.Helper()
	ctx := t.Context()
	owner := a.owner()
	for _, sql := range []string{
		`INSERT INTO users (username, display_name, role, town_id, password_hash)
			SELECT t.code || '-sup', t.short_name || '监督员某', 'supervisor', t.id, (SELECT password_hash FROM users WHERE username = 'maoba-supervisor')
			FROM towns t WHERE t.code <> 'maoba'`,
		`INSERT INTO supervisors (user_id, town_id, term_from, term_until, appointed_by)
			SELECT u.id, u.town_id, '2025-01-01', '2026-12-31', (SELECT id FROM users WHERE username = 'county-admin')
			FROM users u WHERE u.role = 'supervisor' AND NOT EXISTS (SELECT FROM supervisors s WHERE s.user_id = u.id)`,
		`INSERT INTO supervision_opinions (town_id, supervisor_id, supervisor_name, subject, text, filed_on, due_on)
			SELECT town_id, id, display_name, 'work', '矩阵意见' || id, '2025-09-01', '2025-09-22' FROM users WHERE role = 'supervisor'`,
		`INSERT INTO training_sessions (town_id, held_on, topic, hours, trainer, created_by)
			SELECT t.id, '2025-08-01', '矩阵培训' || t.code, 2, '某人', (SELECT id FROM users WHERE username = t.code || '-leader') FROM towns t`,
		`INSERT INTO training_attendance (session_id, user_id, town_id, recorded_by)
			SELECT s.id, u.id, u.town_id, s.created_by FROM training_sessions s
			JOIN users u ON u.town_id = s.town_id AND u.role IN ('officer', 'leader') WHERE s.topic LIKE '矩阵培训%'`,
	} {
		if _, err := owner.Exec(ctx, sql); err != nil {
			t.Fatalf("tenancy fixtures: %v", err)
		}
	}
	fx := &townFixtures{session: map[string]int64{}, opinion: map[string]int64{}, supervisor: map[string]string{}}
	rows, err := owner.Query(ctx, `SELECT t.code, (SELECT id FROM training_sessions s WHERE s.town_id = t.id AND s.topic LIKE '矩阵培训%'),
			o.id, u.username
		FROM towns t JOIN supervision_opinions o ON o.town_id = t.id JOIN users u ON u.id = o.supervisor_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code, username string
		var session, opinion int64
		if err := rows.Scan(&code, &session, &opinion, &username); err != nil {
			t.Fatal(err)
		}
		fx.session[code], fx.opinion[code], fx.supervisor[code] = session, opinion, username
	}
	if rows.Err() != nil || len(fx.opinion) != 17 {
		t.Fatalf("tenancy fixtures: %d towns (%v)", len(fx.opinion), rows.Err())
	}
	return fx
}

// supervisorTenancy: town A's supervisor opens their own pages, sees their
// own opinion, and gets 403 for every case page (of A or of any B) and
// every training page, 404 for B's opinion.
func supervisorTenancy(t *testing.T, a *app, townA string, towns []string, fx *townFixtures) {
	c := a.loginAs(t, fx.supervisor[townA])
	own := "/supervision/opinions/" + itoa(fx.opinion[townA])
	wantStatus(t, c.get("/"), http.StatusOK)
	mustContain(t, c.get("/supervision"), `href="`+own+`"`)
	wantStatus(t, c.get(own), http.StatusOK)
	for _, townB := range towns {
		if res := c.get("/cases/" + itoa(a.townCases(townB)[0])); res.status != http.StatusForbidden {
			t.Errorf("%s's supervisor GET a case of %s: status %d, want 403", townA, townB, res.status)
		}
		if res := c.get("/training/" + itoa(fx.session[townB])); res.status != http.StatusForbidden {
			t.Errorf("%s's supervisor GET the session of %s: status %d, want 403", townA, townB, res.status)
		}
		if townB == townA {
			continue
		}
		if res := c.get("/supervision/opinions/" + itoa(fx.opinion[townB])); res.status != http.StatusNotFound {
			t.Errorf("%s's supervisor GET the opinion of %s: status %d, want 404", townA, townB, res.status)
		}
	}
}

func tenancyFromTown(t *testing.T, a *app, townA string, towns []string, byTown map[string][]userRow, fx *townFixtures) {
	shorts := map[string]string{}
	for _, town := range towns {
		shorts[town] = a.townShort(town)
	}
	for _, who := range []string{"-leader", "-officer1"} {
		c := a.loginAs(t, townA+who)
		lists := []response{c.get("/"), c.get("/officers"), c.get("/officers?status=expired"), c.get("/officers?status=valid"),
			c.get("/cases"), c.get("/cases?due=soon"), c.get("/cases?q=" + url.QueryEscape("某")),
			c.get("/training?year=2025"), c.get("/training/officers?year=2025"), c.get("/training/summary?year=2025"),
			c.get("/training/" + itoa(fx.session[townA])), c.get("/supervision")}
		for _, townB := range towns {
			if townB == townA {
				continue
			}
			lists = append(lists, c.get("/officers?town="+townB))
			for _, u := range byTown[townB] {
				id := itoa(u.ID)
				if res := c.get("/officers/" + id); res.status != http.StatusNotFound {
					t.Errorf("%s%s GET /officers/%s (%s): status %d, want 404", townA, who, id, u.Username, res.status)
				}
				if res := c.get("/officers/" + id + "/certificate"); res.status != http.StatusNotFound {
					t.Errorf("%s%s GET certificate of %s: status %d, want 404", townA, who, u.Username, res.status)
				}
				if res := c.get("/admin/users/" + id); res.status != http.StatusForbidden {
					t.Errorf("%s%s GET /admin/users/%s: status %d, want 403", townA, who, id, res.status)
				}
			}
			for _, id := range a.townCases(townB)[:3] {
				p := "/cases/" + itoa(id)
				if res := c.get(p); res.status != http.StatusNotFound {
					t.Errorf("%s%s GET %s of %s: status %d, want 404", townA, who, p, townB, res.status)
				}
				if res := c.post(p+"/act", url.Values{"action": {"investigate"}, "version": {"1"}}); res.status != http.StatusNotFound {
					t.Errorf("%s%s POST %s/act of %s: status %d, want 404", townA, who, p, townB, res.status)
				}
			}
			// Issue 13: B's training session and B's supervision opinion.
			session := "/training/" + itoa(fx.session[townB])
			if res := c.get(session); res.status != http.StatusNotFound {
				t.Errorf("%s%s GET %s of %s: status %d, want 404", townA, who, session, townB, res.status)
			}
			if res := c.post(session+"/attendance", url.Values{"officer": {itoa(byTown[townA][0].ID)}}); res.status != http.StatusNotFound {
				t.Errorf("%s%s POST attendance of %s: status %d, want 404", townA, who, townB, res.status)
			}
			opinion := "/supervision/opinions/" + itoa(fx.opinion[townB])
			wantOpinion := http.StatusNotFound // the leader reads opinions, not B's
			if who == "-officer1" {
				wantOpinion = http.StatusForbidden // an officer reads none
			}
			if res := c.get(opinion); res.status != wantOpinion {
				t.Errorf("%s%s GET %s of %s: status %d, want %d", townA, who, opinion, townB, res.status, wantOpinion)
			}
			if res := c.post(opinion+"/response", url.Values{"text": {"越权答复"}}); res.status != wantOpinion {
				t.Errorf("%s%s POST an answer to %s of %s: status %d, want %d", townA, who, opinion, townB, res.status, wantOpinion)
			}
			victim := itoa(byTown[townB][0].ID)
			res := c.post("/officers/"+victim+"/certificate", url.Values{"number": {"HACK-" + townA}, "issuer": {"某机关"},
				"valid_from": {"2025-01-01"}, "valid_until": {"2030-01-01"}})
			if res.status != http.StatusNotFound {
				t.Errorf("%s%s POST certificate of %s: status %d, want 404", townA, who, townB, res.status)
			}
		}
		for _, res := range lists {
			for _, townB := range towns {
				if townB == townA {
					continue
				}
				if prefix := "紫" + shorts[townB] + "综执立"; strings.Contains(res.body, prefix) {
					t.Errorf("%s%s sees a case of %s (%s) in a list", townA, who, townB, prefix)
				}
				for _, u := range byTown[townB] {
					if strings.Contains(res.body, u.DisplayName) {
						t.Errorf("%s%s sees %s of %s in a list", townA, who, u.DisplayName, townB)
					}
				}
			}
		}
		// The own town's officers are all there.
		list := c.get("/officers")
		for _, u := range byTown[townA] {
			if zhifa.Role(u.Role).HoldsCertificate() && !strings.Contains(list.body, u.DisplayName) {
				t.Errorf("%s%s does not see own officer %s", townA, who, u.DisplayName)
			}
		}
	}
}

// townCases returns the ids of a town's cases, read in the county's scope.
func (a *app) townCases(code string) []int64 {
	a.t.Helper()
	var ids []int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT c.id FROM cases c JOIN towns t ON t.id = c.town_id WHERE t.code = $1 ORDER BY c.id`, code)
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	return ids
}

func (a *app) townShort(code string) string {
	a.t.Helper()
	var s string
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT short_name FROM towns WHERE code = $1`, code).Scan(&s)
	})
	return s
}
