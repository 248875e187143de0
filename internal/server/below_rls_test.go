package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/database"
	"zhifa/internal/seed"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// freshCaseOf makes an empty case of the town (no child rows), written as
// the owner, so a copied child row can name it without meeting a unique
// key (one major filing per case, one draft per kind...) first.
func (a *app) freshCaseOf(code string) int64 {
	a.t.Helper()
	var id int64
	if err := a.owner().QueryRow(context.Background(), `INSERT INTO cases (town_id, procedure, state, item_id, source,
			party_kind, party_name, act_on, discovered_on, created_by, state_entered_on)
		SELECT c.town_id, c.procedure, 'lead', c.item_id, c.source, c.party_kind, '空白案件', c.act_on, c.discovered_on, c.created_by,
			c.discovered_on
		FROM cases c JOIN towns t ON t.id = c.town_id WHERE t.code = $1 ORDER BY c.id LIMIT 1
		RETURNING id`, code).Scan(&id); err != nil {
		a.t.Fatalf("fresh case of %s: %v", code, err)
	}
	return id
}

func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// A town's row can never name another town's case: under the app role,
// 城关镇 writing a timeline entry, a document or an evidence row on
// 毛坝镇's case under its own town_id passes its own tenancy policy (the
// row is 城关镇's) and is refused by the composite foreign key
// (case_id, town_id) → cases (id, town_id): 23503.
func TestChildRowsCannotNameAnotherTownsCase(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	chengguan := a.townID("chengguan")
	maobaCase := a.aCaseOf("maoba")
	cg := a.user("chengguan-officer1")
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan, UserID: cg.ID}

	inserts := map[string]struct {
		sql  string
		args []any
	}{
		"case_events": {`INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, summary)
			VALUES ($1, $2, now(), $3, '伪造', 'note', '伪造的记录')`, []any{maobaCase, chengguan, cg.ID}},
		"documents": {`INSERT INTO documents (case_id, town_id, kind, title, issued_on, issued_by, issued_by_name, html, data, sha256)
			VALUES ($1, $2, 'inquiry_record', '询问笔录', '2025-09-01', $3, '伪造', '<p>x</p>', '{}', repeat('a', 64))`,
			[]any{maobaCase, chengguan, cg.ID}},
		"evidence": {`INSERT INTO evidence (case_id, town_id, kind, title, filename, content_type, size_bytes, sha256,
				collected_by, collected_on, uploaded_by)
			VALUES ($1, $2, 'scene_record', '伪造的证据', 'x.jpg', 'image/jpeg', 1, repeat('b', 64), $3, '2025-09-01', $3)`,
			[]any{maobaCase, chengguan, cg.ID}},
	}
	for _, table := range []string{"case_events", "documents", "evidence"} {
		t.Run(table, func(t *testing.T) {
			in := inserts[table]
			err := a.inTx(town, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, in.sql, in.args...)
				return err
			})
			wantPgError(t, table, err, "23503", table+"_case_town_fkey")
			// The same row on 城关镇's own case is accepted: the refusal is
			// the foreign key's, not a broken statement.
			own := a.aCaseOf("chengguan")
			args := append([]any{own}, in.args[1:]...)
			if err := a.inTx(town, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, in.sql, args...)
				return err
			}); err != nil {
				t.Errorf("%s on the town's own case: %v", table, err)
			}
		})
	}
}

// The tenancy matrix below the policies: every table that carries both
// case_id and town_id has the composite foreign key, and a row copied from
// a real one but naming 毛坝镇's case under 城关镇 is refused, both under
// the app role as 城关镇 (by the policy or the key) and as the schema owner,
// who bypasses row-level security (by the key alone).
func TestCrossTownChildRowsRefusedForEveryTable(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	owner := a.owner()
	chengguan := a.townID("chengguan")
	target := a.freshCaseOf("maoba")
	// The demo documents, major filings and evaluation (what `make run`
	// adds) give most tables a row to copy.
	if _, err := seed.DemoDocuments(ctx, a.db.DB, web.RenderDocument); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.DemoFilings(ctx, a.db.DB, web.RenderDocument, testdb.Today); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.DemoEvaluations(ctx, a.db.DB, testdb.Today); err != nil {
		t.Fatal(err)
	}

	var tables []string
	rows, _ := owner.Query(ctx, `SELECT c.table_name FROM information_schema.columns c
		JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
		WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE' AND c.column_name = 'case_id' AND c.table_name <> 'cases'
		  AND EXISTS (SELECT FROM information_schema.columns c2 WHERE c2.table_schema = 'public'
		              AND c2.table_name = c.table_name AND c2.column_name = 'town_id')
		ORDER BY 1`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"case_events", "case_officers", "case_payments", "evidence", "documents", "document_services",
		"case_reviews", "case_notices", "corrections", "major_filings", "eval_dossiers"} {
		if !slices.Contains(tables, want) {
			t.Errorf("%s is not among the tables with case_id and town_id: %v", want, tables)
		}
	}

	for _, table := range tables {
		t.Run(table, func(t *testing.T) {
			var cols []string
			if err := owner.QueryRow(ctx, `SELECT array_agg(a.attname::text ORDER BY a.attnum)
				FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
				WHERE k.conrelid = $1::regclass AND k.contype = 'f' AND k.confrelid = 'cases'::regclass
				  AND k.conname = $2`, table, table+"_case_town_fkey").Scan(&cols); err != nil || len(cols) != 2 {
				t.Fatalf("no foreign key %s_case_town_fkey (case_id, town_id) → cases: %v %v", table, cols, err)
			}

			// A real row of the table from a town other than the two, as
			// the template, with the case and town replaced.
			var row []byte
			err := owner.QueryRow(ctx, `SELECT to_jsonb(r) FROM `+pgx.Identifier{table}.Sanitize()+` r
				WHERE r.case_id IS NOT NULL ORDER BY (r.town_id = $1) LIMIT 1`, chengguan).Scan(&row)
			if errors.Is(err, pgx.ErrNoRows) {
				t.Skipf("no %s row in the demo data to copy (the key is checked above)", table)
			}
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(row, &m); err != nil {
				t.Fatal(err)
			}
			m["case_id"], m["town_id"] = target, chengguan
			// Columns that are unique on their own would be refused first.
			for _, k := range []string{"number", "seq", "supersedes"} {
				if _, ok := m[k]; ok {
					m[k] = nil
				}
			}
			if _, ok := m["key"]; ok {
				m["key"] = "crosstown-key-0000000001"
			}
			var generated []string
			rows, _ := owner.Query(ctx, `SELECT column_name::text FROM information_schema.columns
				WHERE table_schema = 'public' AND table_name = $1 AND (is_identity = 'YES' OR is_generated <> 'NEVER')`, table)
			if generated, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
				t.Fatal(err)
			}
			var names []string
			for k := range m {
				if !slices.Contains(generated, k) {
					names = append(names, pgx.Identifier{k}.Sanitize())
				}
			}
			slices.Sort(names)
			list := strings.Join(names, ", ")
			data, _ := json.Marshal(m)
			insert := fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM jsonb_populate_record(NULL::%[1]s, $1)`,
				pgx.Identifier{table}.Sanitize(), list, list)

			// Under the app role as 城关镇: refused, whether by the policy,
			// the missing grant, or the key.
			err = a.inTx(database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan, UserID: a.user("chengguan-officer1").ID},
				func(tx pgx.Tx) error { _, err := tx.Exec(ctx, insert, data); return err })
			// A table keyed by the case alone refuses a second row of the
			// target by its primary key first (the owner's check below
			// shows the foreign key refuses it too).
			var onePerCase bool
			if err := owner.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_constraint k
				WHERE k.conrelid = $1::regclass AND k.contype = 'p'
				  AND k.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'case_id')])`,
				table).Scan(&onePerCase); err != nil {
				t.Fatal(err)
			}
			if c := pgCode(err); c != "23503" && c != "42501" && !(onePerCase && c == "23505") {
				t.Errorf("app role as 城关镇: want 23503 or 42501, got %v", err)
			}
			// As the owner, past every policy: the key alone refuses it.
			tx, err := owner.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			// A table of one row per case (case_search, case_due) already
			// holds the target's: that row goes first (rolled back), so
			// that the key, not the primary key, is what is tested.
			if _, err := tx.Exec(ctx, `DELETE FROM `+pgx.Identifier{table}.Sanitize()+` WHERE case_id = $1`, target); err != nil {
				t.Fatal(err)
			}
			_, err = tx.Exec(ctx, insert, data)
			wantPgError(t, "owner", err, "23503", table+"_case_town_fkey")
		})
	}
}

// The county reviewer's scope reaches every town's case to record a
// review, and nothing else: a party's name or the facts are refused, and
// so is moving a case anywhere but out of 法制审核. (Reviews themselves are
// covered by the review tests, which run as the county reviewer too.)
func TestCountyReviewerWritesOnlyTheReview(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	id := a.aCaseOf("maoba")
	county := database.Settings{Scope: zhifa.ScopeCountyRead, UserID: a.user("county-reviewer").ID}
	for _, sql := range []string{
		`UPDATE cases SET party_name = 'x' WHERE id = $1`,
		`UPDATE cases SET facts = 'x', version = version + 1 WHERE id = $1`,
		`UPDATE cases SET fine_fen = 1 WHERE id = $1`,
	} {
		err := a.inTx(county, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, sql, id)
			if err == nil && tag.RowsAffected() == 0 {
				return errors.New("no row reached (the test proves nothing)")
			}
			return err
		})
		wantPgError(t, sql, err, "42501", "only what a legality review records")
	}
	err := a.inTx(county, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE cases SET state = 'closed' WHERE id = $1`, a.freshCaseOf("maoba"))
		if err == nil && tag.RowsAffected() == 0 {
			return errors.New("no row reached")
		}
		return err
	})
	wantPgError(t, "state", err, "42501", "only out of legality review")
	// The bookkeeping every action writes is allowed.
	if err := a.inTx(county, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE cases SET version = version + 1, updated_at = now() WHERE id = $1`, id)
		return err
	}); err != nil {
		t.Errorf("version bump as the county reviewer: %v", err)
	}
	// The town itself still edits its case.
	if err := a.inTx(database.Settings{Scope: zhifa.ScopeTown, TownID: a.townID("maoba")}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE cases SET facts = facts || '。' WHERE id = $1`, id)
		return err
	}); err != nil {
		t.Errorf("town edit: %v", err)
	}
}

// An officer moved to another town (the county administrator edits the
// account) stays on the cases of the town they worked for: 毛坝镇's case
// page still names them as handler and as collector of their evidence, the
// case still counts their valid certificate, so submit_review goes through;
// but 毛坝镇 no longer lists them among its officers or picks them for a
// new case.
func TestMovedOfficerStaysOnTheOldTownsCases(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	officer3 := a.login("maoba-officer3")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, officer, path, "investigate", nil)
	investigated(t, officer, path, "1000")

	moved := a.user("maoba-officer1")
	admin := a.login("county-admin")
	res := admin.post("/admin/users/"+itoa(moved.ID), url.Values{"display_name": {moved.DisplayName}, "role": {"officer"},
		"town": {"chengguan"}, "active": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	if u := a.user("maoba-officer1"); u.TownCode != "chengguan" {
		t.Fatalf("not moved: %+v", u)
	}

	page := officer3.get(path)
	wantStatus(t, page, http.StatusOK)
	if n := strings.Count(page.body, moved.DisplayName); n < 2 {
		t.Errorf("毛坝镇's case names the moved officer %d times, want them as handler and evidence collector: %.1500s", n, text(page.body))
	}
	mustAct(t, officer3, path, "submit_review", nil)
	mustContain(t, officer3.get(path), "法制审核")

	// The town's own lists no longer hold them.
	mustNotContain(t, a.login("maoba-leader").get("/officers"), moved.DisplayName)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	res = a.login("maoba-leader").post("/cases/new", form)
	if res.status == http.StatusSeeOther {
		t.Errorf("毛坝镇 filed a case handled by an officer of 城关镇: %s", res.location)
	}
	// 城关镇 sees its new officer but not 毛坝镇's case.
	mustContain(t, a.login("chengguan-leader").get("/officers"), moved.DisplayName)
	wantStatus(t, a.login("chengguan-officer1").get(path), http.StatusNotFound)
}
