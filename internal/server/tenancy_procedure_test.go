package server_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// TestProcedureTablesAreTownPrivate extends the tenancy boundary to the
// tables issue 7 added (reviews, notices, recusals, preservations): the
// database shows a town only its own rows and refuses writes for another
// town, and a town's users cannot act on another town's case over HTTP.
func TestProcedureTablesAreTownPrivate(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	var chengguan, maoba int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT (SELECT id FROM towns WHERE code = 'chengguan'), (SELECT id FROM towns WHERE code = 'maoba')`).Scan(&chengguan, &maoba)
	})

	// A case of 毛坝镇 with a recusal and a preservation, made through the app.
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer := a.login("maoba-officer1")
	head := a.login("maoba-head")
	mustAct(t, officer, path, "request_recusal", url.Values{"officer_id": {itoa(a.user("maoba-officer3").ID)},
		"requested_by": {"当事人"}, "reason": {"当事人称该执法人员系其近亲属。"}})
	mustAct(t, head, path, "preserve", url.Values{"kind": {"preserve"}, "inventory": {"燃烧残留物一袋"}})

	count := func(s database.Settings, sql string) int {
		t.Helper()
		var n int
		a.mustTx(s, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) })
		return n
	}
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan}
	own := database.Settings{Scope: zhifa.ScopeTown, TownID: maoba}
	for _, table := range []string{"case_reviews", "case_notices", "case_recusals", "case_preservations"} {
		if n := count(own, `SELECT count(*) FROM `+table); n == 0 {
			t.Errorf("%s: 毛坝镇 sees none of its own rows (the test proves nothing)", table)
		}
		if n := count(town, `SELECT count(*) FROM `+table+` WHERE town_id <> `+itoa(chengguan)); n != 0 {
			t.Errorf("chengguan sees %d rows of other towns in %s", n, table)
		}
		if n := count(database.Settings{}, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("with no tenancy set, %d rows of %s visible", n, table)
		}
	}

	// Writing a row for another town is refused by the policy itself.
	id := caseID(t, path)
	err := a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO case_preservations (case_id, town_id, kind, started_on, inventory, approved_by)
			VALUES ($1, $2, 'seize', '2025-09-01', '伪造', $3)`, id, maoba, a.user("chengguan-head").ID)
		return err
	})
	wantPgError(t, "chengguan inserting a seizure for maoba", err, "42501", "row-level security")
	err = a.inTx(town, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE case_recusals SET granted = true WHERE town_id = $1`, maoba)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("chengguan decided %d recusals of maoba", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Reviews and notices are append-only: the trigger refuses even the owner.
	_, err = a.owner().Exec(ctx, `UPDATE case_notices SET text = '篡改' WHERE case_id = (SELECT min(case_id) FROM case_notices)`)
	wantPgError(t, "owner editing a served notice", err, "42501", "append-only")
	_, err = a.owner().Exec(ctx, `DELETE FROM case_reviews WHERE id = (SELECT min(id) FROM case_reviews)`)
	wantPgError(t, "owner deleting a review", err, "42501", "append-only")

	// Over HTTP, 城关镇's head and officer cannot act on 毛坝镇's case.
	for _, who := range []string{"chengguan-head", "chengguan-officer1", "chengguan-leader"} {
		c := a.login(who)
		if res := c.get(path); res.status != http.StatusNotFound {
			t.Errorf("%s GET %s: status %d, want 404", who, path, res.status)
		}
		res := c.post(path+"/act", url.Values{"action": {"preserve"}, "version": {"1"}, "kind": {"seize"}, "inventory": {"伪造"}})
		if res.status != http.StatusNotFound {
			t.Errorf("%s POST preserve on %s: status %d, want 404", who, path, res.status)
		}
	}
	if n := count(own, `SELECT count(*) FROM case_preservations WHERE inventory = '伪造'`); n != 0 {
		t.Errorf("%d forged preservations stored", n)
	}
}

// TestVillagesAreCountyData: every scope reads the villages; only the county
// administrator's scope changes them, and the database itself refuses a
// town that tries.
func TestVillagesAreCountyData(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	var maoba int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM towns WHERE code = 'maoba'`).Scan(&maoba)
	})
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: maoba}
	var n int
	a.mustTx(town, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM villages WHERE town_id = $1`, maoba).Scan(&n)
	})
	if n == 0 {
		t.Fatal("毛坝镇 reads none of its villages")
	}
	err := a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO villages (town_id, name, position) VALUES ($1, '伪造村', 99)`, maoba)
		return err
	})
	wantPgError(t, "a town adding a village", err, "42501", "row-level security")
	err = a.inTx(town, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM villages WHERE town_id = $1`, maoba)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("a town deleted %d villages", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = a.inTx(database.Settings{Scope: zhifa.ScopeCountyAdmin}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO villages (town_id, name, position) VALUES ($1, '新设村', 99)`, maoba)
		return err
	})
	if err != nil {
		t.Fatalf("county administrator adding a village: %v", err)
	}
}
