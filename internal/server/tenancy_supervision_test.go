package server_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// TestEveryTownTableIsPrivate: every table with a town_id column (the
// town-owned rows, whatever migration added them) has row-level security
// enabled and forced, and policies; so a new table cannot join the schema
// readable across towns by mistake.
func TestEveryTownTableIsPrivate(t *testing.T) {
	a := newApp(t)
	type table struct {
		Name            string
		Enabled, Forced bool
		Policies        int
	}
	var tables []table
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(t.Context(), `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
				(SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname)::int
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r'
			  AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'town_id' AND NOT a.attisdropped)
			ORDER BY c.relname`)
		var err error
		tables, err = pgx.CollectRows(rows, pgx.RowToStructByPos[table])
		return err
	})
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
		if !tb.Enabled || !tb.Forced || tb.Policies == 0 {
			t.Errorf("%s: row-level security enabled=%v forced=%v, %d policies", tb.Name, tb.Enabled, tb.Forced, tb.Policies)
		}
	}
	// The supervision tables of issue 9 are among them.
	for _, want := range []string{"cases", "corrections", "correction_events"} {
		if !slices.Contains(names, want) {
			t.Errorf("no town-owned table %s among %v", want, names)
		}
	}
	t.Logf("town-owned tables: %v", names)
}

// TestSupervisionTablesAreTownPrivate extends the tenancy matrix to the
// tables of county supervision (issue 9): with one row of each for 毛坝镇,
// 毛坝镇 reads it, 城关镇 and a transaction with no tenancy read nothing of
// it, the county reads it, and 城关镇 can neither write one for 毛坝镇 nor
// change 毛坝镇's.
func TestSupervisionTablesAreTownPrivate(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	maoba, chengguan := a.townID("maoba"), a.townID("chengguan")
	caseIDs := a.townCases("maoba")
	owner := a.owner()
	// Fixtures written as the owner, past the policies: the point is what
	// each scope then reads.
	var taskID int64
	if err := owner.QueryRow(ctx, `INSERT INTO corrections (town_id, case_id, source, source_id, title, detail, due_on)
		VALUES ($1, $2, 'remedy', 1, '复议纠错：测试', '测试', '2025-10-01') RETURNING id`, maoba, caseIDs[0]).Scan(&taskID); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO correction_events (correction_id, town_id, kind, answer_kind, text, on_date, actor_id, actor_name)
		VALUES ($1, $2, 'answer', 'explanation', '已整改', '2025-09-02', $3, '某人')`, taskID, maoba, a.user("maoba-leader").ID); err != nil {
		t.Fatal(err)
	}
	// A major decision's filing (0018) and a finished evaluation of a
	// dossier with one score (0019), and a dossier still being scored,
	// which even its town does not read yet.
	var filingCase int64
	if err := owner.QueryRow(ctx, `SELECT min(id) FROM cases WHERE town_id = $1 AND id NOT IN (SELECT case_id FROM major_filings)`, maoba).Scan(&filingCase); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO major_filings (case_id, town_id, threshold_id, decided_on, due_on, reason)
		VALUES ($1, $2, (SELECT min(id) FROM major_thresholds), '2025-09-01', '2025-09-22', '罚款达到重大标准')`, filingCase, maoba); err != nil {
		t.Fatal(err)
	}
	var roundID, dossierID int64
	if err := owner.QueryRow(ctx, `INSERT INTO eval_rounds (name, period_from, period_to, towns, per_town, reviewers, seed, sheet_id, opened_on, created_by)
		VALUES ('测试评查', '2025-01-01', '2025-06-30', ARRAY[$1::bigint], 1, ARRAY[$2::bigint], 7, (SELECT min(id) FROM eval_sheets), '2025-09-01', $2)
		RETURNING id`, maoba, a.user("county-reviewer").ID).Scan(&roundID); err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(ctx, `INSERT INTO eval_dossiers (round_id, case_id, town_id, position, status, points, total, grade, scored_on)
		VALUES ($1, $2, $3, 1, 'done', 90, 90, '优秀', '2025-09-01') RETURNING id`, roundID, caseIDs[0], maoba).Scan(&dossierID); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO eval_scores (dossier_id, town_id, code, result) VALUES ($1, $2, 'V01', 'pass')`, dossierID, maoba); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO eval_dossiers (round_id, case_id, town_id, position) VALUES ($1, $2, $3, 2)`, roundID, caseIDs[1], maoba); err != nil {
		t.Fatal(err)
	}
	tables := []string{"corrections", "correction_events", "major_filings", "eval_dossiers", "eval_scores"}

	count := func(s database.Settings, sql string) int {
		t.Helper()
		var n int
		a.mustTx(s, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql).Scan(&n) })
		return n
	}
	own := database.Settings{Scope: zhifa.ScopeTown, TownID: maoba}
	other := database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan}
	county := database.Settings{Scope: zhifa.ScopeCountyRead}
	for _, table := range tables {
		mine := `SELECT count(*) FROM ` + table + ` WHERE town_id = ` + itoa(maoba)
		if n := count(own, mine); n == 0 {
			t.Errorf("%s: 毛坝镇 reads none of its own rows (the test proves nothing)", table)
		}
		if n := count(county, mine); n == 0 {
			t.Errorf("%s: the county reads none of 毛坝镇's rows", table)
		}
		if n := count(other, `SELECT count(*) FROM `+table+` WHERE town_id <> `+itoa(chengguan)); n != 0 {
			t.Errorf("%s: 城关镇 reads %d rows of other towns", table, n)
		}
		if n := count(database.Settings{}, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("%s: with no tenancy set, %d rows visible", table, n)
		}
		// An update of another town's rows touches nothing.
		col := map[string]string{"corrections": "title = '篡改'", "major_filings": "panel = '篡改'",
			"eval_dossiers": "grade = '篡改'", "eval_scores": "reason = '篡改'"}[table]
		if col == "" {
			continue // correction_events: frozen, no update grant at all
		}
		err := a.inTx(other, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `UPDATE `+table+` SET `+col+` WHERE town_id = $1`, maoba)
			if err == nil && tag.RowsAffected() != 0 {
				t.Errorf("%s: 城关镇 changed %d rows of 毛坝镇", table, tag.RowsAffected())
			}
			return err
		})
		if err != nil {
			t.Errorf("%s: update across towns: %v", table, err)
		}
	}

	// A dossier still being scored is the county's alone.
	if n := count(own, `SELECT count(*) FROM eval_dossiers WHERE status <> 'done'`); n != 0 {
		t.Errorf("毛坝镇 reads %d of its dossiers still being scored", n)
	}
	if n := count(county, `SELECT count(*) FROM eval_dossiers WHERE status <> 'done' AND town_id = `+itoa(maoba)); n != 1 {
		t.Errorf("the county reads %d dossiers being scored, want 1", n)
	}
	// A round shows to a town through its own finished dossiers only.
	if n := count(own, `SELECT count(*) FROM eval_rounds WHERE id = `+itoa(roundID)); n != 1 {
		t.Errorf("毛坝镇 does not read the round of its finished dossier")
	}
	if n := count(other, `SELECT count(*) FROM eval_rounds WHERE id = `+itoa(roundID)); n != 0 {
		t.Errorf("城关镇 reads a round it has no dossier in")
	}

	// Writing a row for another town is refused by the policy itself.
	const rlsViolation = "new row violates row-level security policy for table "
	err := a.inTx(other, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO corrections (town_id, case_id, source, source_id, title, due_on)
			VALUES ($1, $2, 'remedy', 2, '伪造', '2025-10-01')`, maoba, caseIDs[0])
		return err
	})
	wantPgError(t, "城关镇 opening a task for 毛坝镇", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"corrections"`)
	err = a.inTx(other, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO correction_events (correction_id, town_id, kind, answer_kind, text, on_date, actor_id, actor_name)
			VALUES ($1, $2, 'answer', 'explanation', '伪造', '2025-09-02', $3, '某人')`, taskID, maoba, a.user("chengguan-leader").ID)
		return err
	})
	wantPgError(t, "城关镇 answering 毛坝镇's task", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"correction_events"`)
	// A town closes nothing, even its own: closing is the county's.
	err = a.inTx(own, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO correction_events (correction_id, town_id, kind, text, on_date, actor_id, actor_name)
			VALUES ($1, $2, 'close', '自行销号', '2025-09-02', $3, '某人')`, taskID, maoba, a.user("maoba-leader").ID)
		return err
	})
	wantPgError(t, "毛坝镇 closing its own task", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"correction_events"`)
	err = a.inTx(other, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO major_filings (case_id, town_id, threshold_id, decided_on, due_on, reason)
			VALUES ($1, $2, (SELECT min(id) FROM major_thresholds), '2025-09-01', '2025-09-22', '伪造')`, caseIDs[2], maoba)
		return err
	})
	wantPgError(t, "城关镇 writing 毛坝镇's filing obligation", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"major_filings"`)
	err = a.inTx(own, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO eval_dossiers (round_id, case_id, town_id, position) VALUES ($1, $2, $3, 3)`, roundID, caseIDs[2], maoba)
		return err
	})
	wantPgError(t, "毛坝镇 adding a dossier to an evaluation", err, pgerrcode.InsufficientPrivilege, rlsViolation+`"eval_dossiers"`)
}
