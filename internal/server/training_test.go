package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

var trainingPathRE = regexp.MustCompile(`^/training/(\d+)`)

// newTraining records a session through the form as c and returns its id.
func newTraining(t *testing.T, c *client, organiser, heldOn, topic, hours string) int64 {
	t.Helper()
	res := c.post("/training/new", url.Values{"organiser": {organiser}, "held_on": {heldOn}, "topic": {topic},
		"hours": {hours}, "trainer": {"县司法局 王某"}})
	wantStatus(t, res, http.StatusSeeOther)
	m := trainingPathRE.FindStringSubmatch(res.location)
	if m == nil {
		t.Fatalf("new session: redirected to %q", res.location)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// attend ticks the users as the session's attendance, as c.
func attend(c *client, session int64, users ...userRow) response {
	form := url.Values{"posted": {"1"}}
	for _, u := range users {
		form.Add("officer", itoa(u.ID))
	}
	return c.post("/training/"+itoa(session)+"/attendance", form)
}

// hoursRow is the text of userID's row on the hours table of year.
func hoursRow(t *testing.T, c *client, year string, userID int64) string {
	t.Helper()
	res := c.get("/training/officers?year=" + year)
	wantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`(?s)<tr data-user="` + itoa(userID) + `">(.*?)</tr>`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no row of user %d on the hours table", userID)
	}
	return text(m[1])
}

// TestTrainingRecords: a town's 队长 records a session and its attendance;
// each officer's hours per year add up (the demo's county and town sessions
// and the new one), the certificate form shows them, and the county
// summary counts the attendances (人次) per town and in all.
func TestTrainingRecords(t *testing.T) {
	a := newApp(t)
	leader := a.login("maoba-leader")
	o1, o2, o3 := a.user("maoba-officer1"), a.user("maoba-officer2"), a.user("maoba-officer3")

	// Refused input comes back with the entries kept, nothing written.
	res := leader.post("/training/new", url.Values{"organiser": {"maoba"}, "held_on": {"2025-09-02"}, "topic": {"文书培训"},
		"hours": {"三"}, "trainer": {"王某"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "培训日期不能晚于今天", "学时应为数字", `value="文书培训"`, `value="三"`)

	id := newTraining(t, leader, "maoba", "2025-08-20", "生态环境执法实务", "3.5")
	res = leader.get("/training/" + itoa(id))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "生态环境执法实务", "毛坝镇", "3.5", "尚未登记参训人员", `id="attendance-form"`)
	res = attend(leader, id, o1, o2)
	wantStatus(t, res, http.StatusSeeOther)
	res = leader.get("/training/" + itoa(id))
	mustContain(t, res, "参训人员（2 人）", o1.DisplayName, o2.DisplayName, "参训人员已保存（新增2人，取消0人）。")
	// Unticking removes, ticking adds.
	wantStatus(t, attend(leader, id, o1, o3), http.StatusSeeOther)
	mustContain(t, leader.get("/training/"+itoa(id)), "新增1人，取消1人")

	// The hours per year: the demo's county session (6) and 毛坝镇's (3),
	// plus 3.5 for those who attended the new one.
	if got := hoursRow(t, leader, "2025", o1.ID); !strings.Contains(got, "3 12.5") {
		t.Errorf("officer1's 2025 row %q, want 3 sessions, 12.5 hours", got)
	}
	if got := hoursRow(t, leader, "2025", o2.ID); !strings.Contains(got, "2 9 差51学时") {
		t.Errorf("officer2's 2025 row %q, want 2 sessions, 9 hours, 51 short", got)
	}
	if got := hoursRow(t, leader, "2024", o1.ID); !strings.Contains(got, "0 0") {
		t.Errorf("officer1's 2024 row %q, want nothing", got)
	}
	// The certificate form (a renewal) and the officer's page show them.
	res = leader.get("/officers/" + itoa(o1.ID) + "/certificate")
	wantStatus(t, res, http.StatusOK)
	if m := regexp.MustCompile(`(?s)<tr data-year="2025">(.*?)</tr>`).FindStringSubmatch(res.body); m == nil || !strings.Contains(text(m[1]), "2025年 3 12.5 差47.5学时") {
		t.Errorf("certificate form's training row: %q", m)
	}
	mustContain(t, res, "培训学时", "年度要求（60学时）")
	mustContain(t, a.login("county-admin").get("/officers/"+itoa(o1.ID)), `id="training-hours"`, "12.5")
	mustContain(t, leader.get("/training/officers/"+itoa(o1.ID)), "生态环境执法实务", "执法文书制作与案卷归档", "《行政处罚法》及行政处罚裁量基准专题培训")

	// The county summary: 人次 per town and in all, as the rows say.
	var all, maoba int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), `SELECT count(*), count(*) FILTER (WHERE town_id = $1) FROM training_attendance`, a.townID("maoba")).Scan(&all, &maoba)
	})
	if maoba != 4+4+2 {
		t.Errorf("毛坝镇 has %d attendances, want 10 (4 at the county's, 4 at its own, 2 at the new)", maoba)
	}
	admin := a.login("county-admin")
	res = admin.get("/training/summary?year=2025")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "参训 <strong>"+strconv.Itoa(all)+"</strong> 人次")
	row := regexp.MustCompile(`(?s)<tr data-town="` + itoa(a.townID("maoba")) + `">(.*?)</tr>`).FindStringSubmatch(res.body)
	if row == nil || !strings.HasPrefix(text(row[1]), "毛坝镇 2 10 43 4 4 0") {
		t.Errorf("毛坝镇's summary row %q, want 2 sessions, 10 attendances, 43 hours, 4 trained of 4", row)
	}
	// A town reads its own row only.
	res = leader.get("/training/summary?year=2025")
	mustContain(t, res, "毛坝镇", "参训 <strong>10</strong> 人次")
	mustNotContain(t, res, "城关镇")
}

// TestTrainingRefusals: a 队长 records neither another town's session nor
// the county's, nor another town's officers at their own; other roles
// record nothing; each refusal says why and writes nothing.
func TestTrainingRefusals(t *testing.T) {
	a := newApp(t)
	leader := a.login("maoba-leader")
	sessions := func() int {
		var n int
		a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
			return tx.QueryRow(t.Context(), `SELECT count(*) FROM training_sessions`).Scan(&n)
		})
		return n
	}
	before := sessions()
	form := url.Values{"held_on": {"2025-08-20"}, "topic": {"越权培训"}, "hours": {"2"}, "trainer": {"王某"}}
	form.Set("organiser", "chengguan")
	res := leader.post("/training/new", form)
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "队长只能登记本镇组织的培训，其他镇的培训由该镇队长登记。")
	form.Set("organiser", "county")
	res = leader.post("/training/new", form)
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "县级组织的培训由县级管理员登记，队长只能登记本镇组织的培训。")
	form.Set("organiser", "maoba")
	res = a.login("county-admin").post("/training/new", form)
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "县级管理员登记县级组织的培训，镇组织的培训由该镇队长登记。")
	for _, who := range []string{"maoba-officer1", "maoba-head", "maoba-reviewer", "county-reviewer"} {
		c := a.login(who)
		res := c.post("/training/new", form)
		wantStatus(t, res, http.StatusForbidden)
		mustContain(t, res, "您的角色无权登记培训")
		wantStatus(t, c.get("/training/new"), http.StatusForbidden)
		wantStatus(t, c.get("/training"), http.StatusOK) // they read them
	}
	if n := sessions(); n != before {
		t.Fatalf("refused forms recorded %d sessions", n-before)
	}

	// 城关镇's own session is not 毛坝镇's to see or fill in.
	other := newTraining(t, a.login("chengguan-leader"), "chengguan", "2025-08-21", "城关镇内部培训", "2")
	wantStatus(t, leader.get("/training/"+itoa(other)), http.StatusNotFound)
	wantStatus(t, attend(leader, other, a.user("maoba-officer1")), http.StatusNotFound)
	mustNotContain(t, leader.get("/training?year=2025"), "城关镇内部培训")
	// The county's session: its attendance is the county administrator's.
	var county int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), `SELECT min(id) FROM training_sessions WHERE town_id IS NULL`).Scan(&county)
	})
	res = attend(leader, county, a.user("maoba-officer1"))
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "县级组织的培训由县级管理员登记参训人员。")
	// Another town's officer at 毛坝镇's own session.
	own := newTraining(t, leader, "maoba", "2025-08-22", "毛坝镇培训", "2")
	res = attend(leader, own, a.user("maoba-officer1"), a.user("chengguan-officer1"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "只能登记本镇在职执法人员参加本镇组织的培训。")
	if !strings.Contains(res.body, `value="`+itoa(a.user("maoba-officer1").ID)+`" checked`) {
		t.Error("the refused attendance form lost the tick on officer1")
	}
	mustContain(t, leader.get("/training/"+itoa(own)), "尚未登记参训人员")
}

// TestCountyTrainingAcrossTowns: the county administrator's session is
// attended by officers of several towns; each town reads only its own
// officers' attendance of it.
func TestCountyTrainingAcrossTowns(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	id := newTraining(t, admin, "county", "2025-08-25", "全县执法证年审培训", "8")
	m1, c1 := a.user("maoba-officer1"), a.user("chengguan-officer1")
	wantStatus(t, attend(admin, id, m1, c1), http.StatusSeeOther)
	mustContain(t, admin.get("/training/"+itoa(id)), "参训人员（2 人）", m1.DisplayName, c1.DisplayName)
	res := a.login("maoba-leader").get("/training/" + itoa(id))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "全县执法证年审培训", "参训人员（1 人）", m1.DisplayName, "这里只列出本镇的参训人员")
	mustNotContain(t, res, c1.DisplayName, `id="attendance-form"`)
	res = a.login("chengguan-leader").get("/training/" + itoa(id))
	mustContain(t, res, "参训人员（1 人）", c1.DisplayName)
	mustNotContain(t, res, m1.DisplayName)
}

// TestTrainingTablesAreTownPrivate: in the database, a town reads only its
// officers' attendance and its own and the county's sessions; it writes
// no attendance of the county's sessions nor of another town; a
// supervisor's scope and no scope read nothing.
func TestTrainingTablesAreTownPrivate(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	maoba, chengguan := a.townID("maoba"), a.townID("chengguan")
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: maoba}
	count := func(s database.Settings, sql string) int {
		t.Helper()
		var n int
		a.mustTx(s, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) })
		return n
	}
	if n := count(town, `SELECT count(*) FROM training_attendance`); n != 8 {
		t.Errorf("毛坝镇 reads %d attendances, want its 8", n)
	}
	if n := count(town, `SELECT count(*) FROM training_attendance WHERE town_id <> `+itoa(maoba)); n != 0 {
		t.Errorf("毛坝镇 reads %d attendances of other towns", n)
	}
	if n := count(database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan}, `SELECT count(*) FROM training_sessions WHERE town_id IS NOT NULL`); n != 0 {
		t.Errorf("城关镇 reads %d sessions of other towns", n)
	}
	sup := database.Settings{Scope: zhifa.ScopeSupervisor, TownID: maoba, UserID: a.user("maoba-supervisor").ID}
	for _, s := range []database.Settings{{}, sup} {
		for _, table := range []string{"training_sessions", "training_attendance"} {
			if n := count(s, `SELECT count(*) FROM `+table); n != 0 {
				t.Errorf("scope %q reads %d rows of %s", s.Scope, n, table)
			}
		}
	}
	const rlsViolation = "new row violates row-level security policy for table "
	officer := a.user("maoba-officer3")
	err := a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO training_attendance (session_id, user_id, town_id, recorded_by)
			SELECT min(id), $1, $2, $1 FROM training_sessions WHERE town_id IS NULL`, officer.ID, maoba)
		return err
	})
	wantPgError(t, "毛坝镇 ticking its officer at the county's session", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"training_attendance"`)
	err = a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO training_sessions (town_id, held_on, topic, hours, trainer, created_by) VALUES ($1, '2025-08-01', '伪造', 1, '某人', $2)`,
			chengguan, officer.ID)
		return err
	})
	wantPgError(t, "毛坝镇 recording 城关镇's session", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"training_sessions"`)
	// The county administrator cannot put a 毛坝镇 officer at 城关镇's session.
	err = a.inTx(database.Settings{Scope: zhifa.ScopeCountyAdmin}, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO training_sessions (town_id, held_on, topic, hours, trainer, created_by) VALUES ($1, '2025-08-01', '城关', 1, '某人', $2) RETURNING id`,
			chengguan, officer.ID).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO training_attendance (session_id, user_id, town_id, recorded_by) VALUES ($1, $2, $3, $2)`, id, officer.ID, maoba)
		return err
	})
	wantPgError(t, "a 毛坝镇 officer at 城关镇's session", err, pgerrcode.CheckViolation, "a town's session is attended by its own officers")
	// A session is a record: even the owner cannot change it.
	_, err = a.owner().Exec(ctx, `UPDATE training_sessions SET hours = 80`)
	wantPgError(t, "changing a session", err, pgerrcode.InsufficientPrivilege, "append-only")
}
