package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/procedure"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// dueOf is a case's stored next deadline and its state.
type dueOf struct {
	due   string // YYYY-MM-DD, "" for none
	key   string
	state workflow.State
}

// dueSnapshot reads every case's stored next deadline.
func dueSnapshot(t *testing.T, ctx context.Context, tx pgx.Tx) map[int64]dueOf {
	t.Helper()
	rows, _ := tx.Query(ctx, `SELECT c.id, coalesce(d.next_due_on::text, ''), d.next_due_key, c.state
		FROM cases c JOIN case_due d ON d.case_id = c.id`)
	out := map[int64]dueOf{}
	var id int64
	var d dueOf
	if _, err := pgx.ForEachRow(rows, []any{&id, &d.due, &d.key, &d.state}, func() error { out[id] = d; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

var errRollback = errors.New("rollback")

// wantDue computes, in a transaction rolled back, what RefreshDue stores
// for every open case for which pick is true (the others keep their row).
func wantDue(t *testing.T, a *app, pick func(tx pgx.Tx, id int64) bool) map[int64]dueOf {
	t.Helper()
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	var want map[int64]dueOf
	err := a.inTx(database.SettingsFor(ctx), func(tx pgx.Tx) error {
		for id, d := range dueSnapshot(t, ctx, tx) {
			if d.state.Terminal() || !pick(tx, id) {
				continue
			}
			if err := cases.RefreshDue(ctx, tx, id, a.clock.Now()); err != nil {
				return err
			}
		}
		want = dueSnapshot(t, ctx, tx)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	return want
}

// staleDue overwrites the stored deadline of a part of the cases (every
// case when all), so the refresh has something to put right.
func staleDue(t *testing.T, a *app, all bool) {
	t.Helper()
	where := "case_id % 3 = 0"
	if all {
		where = "true"
	}
	if _, err := a.owner().Exec(context.Background(),
		`UPDATE case_due SET next_due_on = date '2000-01-01', next_due_key = 'stale' WHERE `+where); err != nil {
		t.Fatal(err)
	}
}

func compareDue(t *testing.T, a *app, want map[int64]dueOf) {
	t.Helper()
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	var got map[int64]dueOf
	a.mustTx(database.SettingsFor(ctx), func(tx pgx.Tx) error { got = dueSnapshot(t, ctx, tx); return nil })
	if len(got) != len(want) {
		t.Fatalf("%d cases, want %d", len(got), len(want))
	}
	bad := 0
	for id, w := range want {
		if g := got[id]; g != w {
			if bad++; bad <= 10 {
				t.Errorf("case %d (%s): batch refresh stored %q %q, RefreshDue %q %q", id, w.state, g.due, g.key, w.due, w.key)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d cases differ", bad, len(want))
	}
}

// loadVariedCases adds n cases in every state with varied dates, periods,
// payments (bank, cash handed in or not, reversed), suspensions and
// preservations (registered, seized, extended, emergency, sampled), across
// the towns and the catalogue's domains, as the schema owner.
func loadVariedCases(t *testing.T, a *app, n int) {
	t.Helper()
	_, err := a.owner().Exec(context.Background(), fmt.Sprintf(`
SET app.scope = 'county_admin';
ALTER TABLE cases DISABLE TRIGGER USER;
ALTER TABLE case_preservations DISABLE TRIGGER USER;
WITH k AS (SELECT (SELECT array_agg(id ORDER BY id) FROM catalogue_items) AS items,
                  (SELECT array_agg(id ORDER BY id) FROM towns) AS towns,
                  (SELECT min(id) FROM users) AS creator),
g AS (SELECT g, date '2025-09-01' - (g * 7 %% 220) AS filed,
             (ARRAY['lead','filed','investigating','review','notice','hearing','deciding','discussion','decided','served',
                    'executing','closed','archived','not_filed','no_penalty','revoked','transferred'])[1 + g %% 17] AS state
      FROM generate_series(0, %d - 1) g)
INSERT INTO cases (town_id, procedure, state, item_id, year, seq, number, source, party_kind, party_name, act_on, discovered_on,
                   filed_on, created_by, state_entered_on, serious_harm, extensions, review_submitted_on, notice_served_on,
                   hearing_right, statement_waived, hearing_waived, hearing_requested_on, decided_on, decision_served_on, fine_fen,
                   payment_due_override, instalments, demand_served_on, enforcement_applied_on, transfer_proposed_on, suspended_since)
SELECT k.towns[1 + g %% array_length(k.towns, 1)], 'general', state, k.items[1 + (g * 13) %% array_length(k.items, 1)],
       2030, g + 1, CASE WHEN state <> 'lead' THEN 'V' || g END, 'patrol', 'person', '变化' || g,
       filed - (g %% 11) - (g %% 400), filed - (g %% 11),
       CASE WHEN state <> 'lead' THEN filed END, k.creator, filed, g %% 5 = 0, g %% 4 / 3 + g %% 9 / 8,
       CASE WHEN g %% 3 > 0 THEN filed + 20 + g %% 9 END,
       CASE WHEN g %% 4 > 0 THEN filed + 30 + g %% 13 END,
       g %% 2 = 0, g %% 7 = 0, g %% 11 = 0, CASE WHEN g %% 6 = 1 THEN filed + 33 END,
       CASE WHEN g %% 5 > 1 THEN filed + 45 + g %% 17 END,
       CASE WHEN g %% 5 > 2 THEN filed + 50 + g %% 19 END,
       CASE WHEN g %% 5 > 1 THEN (g %% 4) * 50000 ELSE 0 END,
       CASE WHEN g %% 23 = 0 THEN filed + 120 END,
       CASE WHEN g %% 19 = 0 THEN jsonb_build_array(jsonb_build_object('due_on', (filed + 80)::text, 'amount_fen', 20000),
                                                   jsonb_build_object('due_on', (filed + 110)::text, 'amount_fen', 30000))
            ELSE '[]' END,
       CASE WHEN g %% 13 = 0 THEN filed + 90 END,
       CASE WHEN g %% 29 = 0 THEN filed + 130 END,
       CASE WHEN g %% 31 = 0 THEN filed + 10 END,
       CASE WHEN g %% 37 = 0 THEN filed + 40 END
FROM g, k;
ALTER TABLE cases ENABLE TRIGGER USER;
INSERT INTO case_due (case_id, town_id) SELECT id, town_id FROM cases WHERE year = 2030; -- as the trigger would

INSERT INTO case_payments (case_id, town_id, amount_fen, paid_on, receipt_no, recorded_by, kind, handed_in_on)
SELECT c.id, c.town_id, CASE WHEN c.seq %% 3 = 0 THEN c.fine_fen ELSE c.fine_fen / 2 END, c.decision_served_on + c.seq %% 20,
       'R' || c.seq, c.created_by, CASE WHEN c.seq %% 4 = 1 THEN 'on_spot' ELSE 'bank' END,
       CASE WHEN c.seq %% 8 = 1 THEN c.decision_served_on + 1 + c.seq %% 5 END
FROM cases c WHERE c.year = 2030 AND c.fine_fen > 0 AND c.decision_served_on IS NOT NULL AND c.seq %% 2 = 0;
INSERT INTO case_payments (case_id, town_id, amount_fen, paid_on, receipt_no, recorded_by, kind)
SELECT c.id, c.town_id, c.fine_fen - c.fine_fen / 2, c.decision_served_on + 25, 'S' || c.seq, c.created_by, 'on_spot'
FROM cases c WHERE c.year = 2030 AND c.fine_fen > 0 AND c.decision_served_on IS NOT NULL AND c.seq %% 6 = 2;
INSERT INTO case_payments (case_id, town_id, amount_fen, paid_on, receipt_no, recorded_by, kind, reverses, reason)
SELECT p.case_id, p.town_id, -p.amount_fen, p.paid_on + 2, 'X' || p.id, p.recorded_by, p.kind, p.id, '录错'
FROM case_payments p JOIN cases c ON c.id = p.case_id WHERE c.year = 2030 AND p.id %% 5 = 0;

INSERT INTO case_suspensions (case_id, town_id, started_on, reason, resumed_on)
SELECT c.id, c.town_id, c.filed_on + 5 + c.seq %% 7, '中止', CASE WHEN c.seq %% 3 > 0 THEN c.filed_on + 25 + c.seq %% 11 END
FROM cases c WHERE c.year = 2030 AND c.filed_on IS NOT NULL AND c.seq %% 4 = 3;
INSERT INTO case_suspensions (case_id, town_id, started_on, reason, resumed_on)
SELECT c.id, c.town_id, c.filed_on + 15, '再次中止', c.filed_on + 40
FROM cases c WHERE c.year = 2030 AND c.filed_on IS NOT NULL AND c.seq %% 8 = 7;

INSERT INTO case_preservations (case_id, town_id, kind, started_on, inventory, approved_by, extended, ended_on, emergency, reported_on,
                                approved_on, quantity, kept_at, party_present)
SELECT c.id, c.town_id, kind, c.filed_on + c.seq %% 9, '清单',
       CASE WHEN NOT emergency OR c.seq %% 2 = 0 THEN c.created_by END, kind = 'seize' AND c.seq %% 3 = 0,
       CASE WHEN kind = 'sample' THEN c.filed_on + c.seq %% 9 WHEN c.seq %% 4 = 0 THEN c.filed_on + 20 END,
       emergency, CASE WHEN emergency AND c.seq %% 2 = 0 THEN c.filed_on + c.seq %% 9 + c.seq %% 3 END,
       CASE WHEN emergency AND c.seq %% 2 = 0 THEN c.filed_on + c.seq %% 9 + c.seq %% 3 END,
       CASE WHEN kind = 'sample' THEN '1件' ELSE '' END, CASE WHEN kind = 'sample' THEN '队部' ELSE '' END,
       CASE WHEN kind = 'sample' THEN true END
FROM cases c, LATERAL (SELECT (ARRAY['preserve','seize','sample','seize'])[1 + c.seq %% 4] AS kind) k,
     LATERAL (SELECT k.kind = 'seize' AND c.seq %% 8 = 3 AS emergency) e
WHERE c.year = 2030 AND c.filed_on IS NOT NULL AND c.seq %% 3 = 1;
INSERT INTO case_preservations (case_id, town_id, kind, started_on, inventory, emergency)
SELECT c.id, c.town_id, 'seize', c.filed_on + 2, '清单', true
FROM cases c WHERE c.year = 2030 AND c.filed_on IS NOT NULL AND c.seq %% 12 = 4;
ALTER TABLE case_preservations ENABLE TRIGGER USER;
`, n))
	if err != nil {
		t.Fatalf("load varied cases: %v", err)
	}
}

// TestRefreshAllDueMatchesRefreshDue: the batch refresh stores, for the
// demo cases and for varied ones under per-domain settings and a changed
// calendar, exactly what RefreshDue stores case by case; a per-domain
// refresh touches that domain's cases alone; refreshes asked for at once
// all finish with the same result.
func TestRefreshAllDueMatchesRefreshDue(t *testing.T) {
	a := newApp(t)
	a.srv.Cases.DueBatch = 97 // many batches, through the whole pipeline
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	all := func(pgx.Tx, int64) bool { return true }

	// The demo data as seeded.
	staleDue(t, a, false)
	want := wantDue(t, a, all)
	if done, err := a.srv.Cases.RefreshAllDue(ctx); err != nil || done.Cases == 0 || done.Changed == 0 {
		t.Fatalf("RefreshAllDue: %+v, %v", done, err)
	}
	compareDue(t, a, want)

	// Varied cases, a domain's own periods, a changed default and calendar.
	loadVariedCases(t, a, 1200)
	var domain int64
	a.mustTx(database.SettingsFor(ctx), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT i.domain_id FROM cases c JOIN catalogue_items i ON i.id = c.item_id
			WHERE c.year = 2030 GROUP BY i.domain_id ORDER BY count(*) DESC LIMIT 1`).Scan(&domain)
	})
	p := &procedure.Service{DB: a.db.DB}
	for _, err := range []error{
		p.SetForDomain(ctx, "decision_days", domain, "60"),
		p.SetForDomain(ctx, "statement_working_days", domain, "5"),
		p.SetDefault(ctx, "payment_days", "20"),
		p.AddHoliday(ctx, "2025-09-10", "holiday", "测试假日"),
		p.AddHoliday(ctx, "2025-09-13", "workday", "测试调休"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	staleDue(t, a, false)
	want = wantDue(t, a, all)
	keys := map[string]bool{}
	for _, w := range want {
		keys[w.key] = true
	}
	if len(keys) < 8 {
		t.Errorf("only %d kinds of next deadline among the cases: the set is not varied enough", len(keys))
	}
	if _, err := a.srv.Cases.RefreshAllDue(ctx); err != nil {
		t.Fatal(err)
	}
	compareDue(t, a, want)

	// A change of one domain's setting: that domain's cases only.
	if err := p.SetForDomain(ctx, "decision_days", domain, "45"); err != nil {
		t.Fatal(err)
	}
	staleDue(t, a, true)
	want = wantDue(t, a, func(tx pgx.Tx, id int64) bool {
		var d int64
		if err := tx.QueryRow(ctx, `SELECT i.domain_id FROM cases c JOIN catalogue_items i ON i.id = c.item_id WHERE c.id = $1`, id).Scan(&d); err != nil {
			t.Fatal(err)
		}
		return d == domain
	})
	if _, err := a.srv.Cases.RefreshDomainDue(ctx, domain); err != nil {
		t.Fatal(err)
	}
	compareDue(t, a, want)

	// Several at once (a holiday entered after another): all return done.
	if err := p.SetDefault(ctx, "decision_days", "80"); err != nil {
		t.Fatal(err)
	}
	staleDue(t, a, false)
	want = wantDue(t, a, all)
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				_, err = a.srv.Cases.RefreshAllDue(ctx)
			} else {
				_, err = a.srv.Cases.RefreshDomainDue(ctx, domain)
			}
			errs <- err
		}()
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	compareDue(t, a, want)

	// A refresh whose caller has given up stops with the caller's error.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.srv.Cases.RefreshAllDue(gone); !errors.Is(err, context.Canceled) {
		t.Errorf("RefreshAllDue after its context ended: %v, want context.Canceled", err)
	}
}

// TestAffectsDue: a period the deadlines read calls for a refresh, a fine
// cap does not.
func TestAffectsDue(t *testing.T) {
	for key, want := range map[string]bool{"decision_days": true, "due_soon_days": true, "statement_working_days": true,
		"onspot_cap_fen": false, "evidence_max_bytes": false, "max_extensions": false, "nonsense": false} {
		if got := cases.AffectsDue(key); got != want {
			t.Errorf("AffectsDue(%q) = %v, want %v", key, got, want)
		}
	}
}

// TestDomainSettingMovesItsDomainsDueDates: a domain's own decision period
// moves the due dates of its cases in the list, and back when removed.
func TestDomainSettingMovesItsDomainsDueDates(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	number := regexp.MustCompile(`<h1 data-version="\d+">([^<]+)</h1>`).FindStringSubmatch(officer.get(path).body)[1]
	var domain int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT domain_id FROM catalogue_items WHERE id = $1`, a.itemID("ZY-LY-001")).Scan(&domain)
	})
	admin := a.login("county-admin")
	list := "/cases?q=" + url.QueryEscape(number)
	mustContain(t, officer.get(list), "2025-12-01")
	wantStatus(t, admin.post("/settings/domain", url.Values{"domain": {itoa(domain)}, "key": {"decision_days"}, "value": {"60"}}), http.StatusSeeOther)
	a.srv.Wait()
	mustContain(t, officer.get(list), "2025-10-31")
	wantStatus(t, admin.post("/settings/domain/remove", url.Values{"domain": {itoa(domain)}, "key": {"decision_days"}}), http.StatusSeeOther)
	a.srv.Wait()
	mustContain(t, officer.get(list), "2025-12-01")
}
