package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// actorCtx is a context acting as username, for calling services directly.
func (a *app) actorCtx(t testing.TB, username string) context.Context {
	t.Helper()
	actor, err := a.srv.Accounts.ActorByID(context.Background(), a.user(username).ID)
	if err != nil {
		t.Fatal(err)
	}
	return zhifa.WithActor(context.Background(), actor)
}

// statsClean fails unless the summary equals its recount from the cases.
func (a *app) statsClean(t *testing.T) {
	t.Helper()
	diffs, err := a.srv.Cases.CheckStats(a.actorCtx(t, "county-reviewer"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("case_stats differs from the cases: %s", d)
	}
}

var (
	statsSept  = time.Date(2025, 9, 1, 0, 0, 0, 0, zhifa.Local)
	statsOct   = time.Date(2025, 10, 1, 0, 0, 0, 0, zhifa.Local)
	statsNov   = time.Date(2025, 11, 1, 0, 0, 0, 0, zhifa.Local)
	statsEnd   = time.Date(2100, 1, 1, 0, 0, 0, 0, zhifa.Local)
	statsTotal = cases.StatsQuery{To: statsEnd, By: []cases.StatsDim{cases.ByTown}}
)

// townStats is one town's line of the summary for the months [from, to),
// as the county reads it.
func (a *app) townStats(t *testing.T, code string, from, to time.Time) cases.StatsLine {
	t.Helper()
	lines, err := a.srv.Cases.Stats(a.actorCtx(t, "county-reviewer"),
		cases.StatsQuery{From: from, To: to, TownID: a.townID(code), By: []cases.StatsDim{cases.ByTown}})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 {
		t.Fatalf("%s's stats: %d lines", code, len(lines))
	}
	return lines[0]
}

// directStats counts a town's numbers of one month straight from the cases,
// the payments and the reviews, as the schema owner: what the summary
// must say.
func (a *app) directStats(t *testing.T, code string, month time.Time) cases.StatsCounts {
	t.Helper()
	var c cases.StatsCounts
	err := a.owner().QueryRow(context.Background(), `
		WITH k AS (SELECT id FROM towns WHERE code = $1), m AS (SELECT $2::date AS d)
		SELECT
		  (SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM k) AND date_trunc('month', filed_on) = (SELECT d FROM m)),
		  (SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM k) AND date_trunc('month', decided_on) = (SELECT d FROM m)),
		  (SELECT coalesce(sum(fine_fen), 0) FROM cases WHERE town_id = (SELECT id FROM k) AND date_trunc('month', decided_on) = (SELECT d FROM m)),
		  (SELECT coalesce(sum(p.amount_fen), 0) FROM case_payments p JOIN cases c ON c.id = p.case_id
		    WHERE c.town_id = (SELECT id FROM k) AND date_trunc('month', c.decided_on) = (SELECT d FROM m)),
		  (SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM k) AND filed_on IS NOT NULL AND date_trunc('month', closed_on) = (SELECT d FROM m)),
		  (SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM k) AND state IN ('closed', 'archived') AND date_trunc('month', closed_on) = (SELECT d FROM m)),
		  (SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM k) AND state = 'transferred' AND date_trunc('month', closed_on) = (SELECT d FROM m)),
		  (SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM k) AND state = 'revoked' AND date_trunc('month', closed_on) = (SELECT d FROM m)),
		  (SELECT count(*) FROM cases WHERE town_id = (SELECT id FROM k) AND state = 'not_filed' AND date_trunc('month', closed_on) = (SELECT d FROM m)),
		  (SELECT coalesce(sum(amount_fen), 0) FROM case_payments WHERE town_id = (SELECT id FROM k) AND date_trunc('month', paid_on) = (SELECT d FROM m)),
		  (SELECT coalesce(sum(surcharge_fen), 0) FROM case_payments WHERE town_id = (SELECT id FROM k) AND date_trunc('month', paid_on) = (SELECT d FROM m)),
		  (SELECT count(*) FROM case_reviews WHERE town_id = (SELECT id FROM k) AND date_trunc('month', reviewed_on) = (SELECT d FROM m))`,
		code, month.Format(time.DateOnly)).Scan(&c.Filed, &c.Decided, &c.FineFen, &c.PaidFen, &c.Ended, &c.Closed, &c.Transferred,
		&c.Revoked, &c.NotFiled, &c.CollectedFen, &c.SurchargeFen, &c.Reviews)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sameAsDirect fails unless the summary's month of a town says what the
// cases say.
func (a *app) sameAsDirect(t *testing.T, code string, month time.Time) {
	t.Helper()
	got := a.townStats(t, code, month, month.AddDate(0, 1, 0)).StatsCounts
	want := a.directStats(t, code, month)
	// Only what directStats counts.
	got = cases.StatsCounts{Filed: got.Filed, Decided: got.Decided, FineFen: got.FineFen, PaidFen: got.PaidFen, Ended: got.Ended,
		Closed: got.Closed, Transferred: got.Transferred, Revoked: got.Revoked, NotFiled: got.NotFiled,
		CollectedFen: got.CollectedFen, SurchargeFen: got.SurchargeFen, Reviews: got.Reviews}
	if got != want {
		t.Errorf("%s %s: the summary says %+v, the cases %+v", code, month.Format("2006-01"), got, want)
	}
}

// TestStatsFollowTheCases: after filings, decisions (one reviewed by the
// county), payments and a reversal, a transfer, a lead not filed, a
// revoked filing and closings across two months, all through the real
// handlers, the summary equals a direct count over the cases, month by
// month, and its recount (CheckStats) finds no difference.
func TestStatsFollowTheCases(t *testing.T) {
	a := newApp(t)
	a.statsClean(t) // the demo data, counted by the seed's own actions
	p := a.crew(t)
	county := a.login("county-reviewer")
	before := a.townStats(t, "maoba", statsSept, statsOct)
	total := a.townStats(t, "maoba", time.Time{}, statsEnd)

	// A general case reviewed by the county, fined 1000 yuan: 600 paid, a
	// wrong 100 reversed, the rest paid in October (late: a surcharge),
	// closed in October.
	fined := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, fined, "investigate", nil)
	investigated(t, p.officer, fined, "1000")
	reviewed(t, p.officer, county, fined)
	a.serveNotice(t, p.officer, fined, url.Values{"text": {"拟处罚款1000元。"}})
	mustAct(t, p.officer, fined, "waive_statement", nil)
	mustAct(t, p.head, fined, "decide", with(url.Values{"amount": {"1000"}}, confirmed))
	a.serveDecision(t, p.officer, fined, nil)
	mustAct(t, p.officer, fined, "execute", nil)
	mustAct(t, p.officer, fined, "add_payment", url.Values{"amount": {"600"}, "receipt_no": {"TJ2025-1"}})
	mustAct(t, p.officer, fined, "add_payment", url.Values{"amount": {"100"}, "receipt_no": {"TJ2025-2"}})
	wrong := a.casePayments(t, fined)[1]
	mustAct(t, p.leader, fined, "reverse_payment", url.Values{"payment_id": {itoa(wrong.id)}, "reason": {"该票据属于另一案件，误登记"}})

	// On the spot (summary procedure): 200 yuan and a warning, paid, closed.
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	spot := fileCase(t, p.officer, form)
	mustAct(t, p.officer, spot, "decide", with(url.Values{"spot_told": {"1"}, "amount": {"200"}, "warning": {"1"}}, confirmed))
	mustAct(t, p.officer, spot, "execute", nil)
	mustAct(t, p.officer, spot, "add_payment", url.Values{"amount": {"200"}, "receipt_no": {"TJ2025-3"}})
	mustAct(t, p.officer, spot, "close", confirmed)

	// Transferred to the police; a lead not filed; a filing revoked.
	moved := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, moved, "investigate", nil)
	mustAct(t, p.officer, moved, "propose_transfer", url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"涉嫌失火罪"}})
	mustAct(t, p.head, moved, "transfer", url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"涉嫌失火罪，依法移送公安机关。"}})
	form = a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("lead_only", "1")
	lead := fileCase(t, p.officer, form)
	mustAct(t, p.officer, lead, "request_filing", nil)
	mustAct(t, p.leader, lead, "refuse_filing", url.Values{"reason": {"经初查，举报的违法事实不存在。"}})
	revoked := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.leader, revoked, "revoke", url.Values{"reason": {"案件登记有误"}})
	a.statsClean(t)

	a.gotoDay(t, "2025-10-03")
	mustAct(t, p.officer, fined, "add_payment", url.Values{"amount": {"400"}, "receipt_no": {"TJ2025-4"}})
	mustAct(t, p.officer, fined, "close", confirmed)

	a.statsClean(t)
	for _, m := range []time.Time{statsSept, statsOct} {
		a.sameAsDirect(t, "maoba", m)
	}
	// What the actions added, in words.
	sept, oct := a.townStats(t, "maoba", statsSept, statsOct), a.townStats(t, "maoba", statsOct, statsNov)
	if got := sept.Filed - before.Filed; got != 4 {
		t.Errorf("filed in September: %d more, want 4 (the fined, the spot, the transferred, the revoked)", got)
	}
	if got := sept.Decided - before.Decided; got != 2 {
		t.Errorf("decided in September: %d more, want 2", got)
	}
	if got := sept.FineFen - before.FineFen; got != 120000 {
		t.Errorf("fines decided in September: %d fen more, want 120000", got)
	}
	if got := sept.CollectedFen - before.CollectedFen; got != 80000 {
		t.Errorf("collected in September: %d fen more, want 80000 (600 + 100 - 100 + 200 yuan)", got)
	}
	if got := sept.PaidFen - before.PaidFen; got != 120000 {
		t.Errorf("paid on September's fines: %d fen more, want 120000 (all of them, October's payment included)", got)
	}
	if sept.OutstandingFen() != before.OutstandingFen() {
		t.Errorf("outstanding on September's fines: %d fen, before %d: the new fines are paid", sept.OutstandingFen(), before.OutstandingFen())
	}
	if sept.Transferred-before.Transferred != 1 || sept.Revoked-before.Revoked != 1 || sept.NotFiled-before.NotFiled != 1 {
		t.Errorf("September's transferred, revoked, not filed: %d, %d, %d more, want 1 each",
			sept.Transferred-before.Transferred, sept.Revoked-before.Revoked, sept.NotFiled-before.NotFiled)
	}
	if got := sept.Reviews - before.Reviews; got != 1 {
		t.Errorf("reviews in September: %d more, want the county's 1", got)
	}
	if oct.CollectedFen != 40000 || oct.SurchargeFen == 0 || oct.Closed != 1 || oct.Ended != 1 || oct.HandlingDaysMax < 30 {
		t.Errorf("October: %+v, want 400 yuan collected with a surcharge, 1 case closed after 30 days or more", oct.StatsCounts)
	}
	if got := a.townStats(t, "maoba", time.Time{}, statsEnd); got.Registered-total.Registered != 5 || got.Pending-total.Pending != 0 {
		t.Errorf("all time: %d registered, %d pending more, want 5 and 0", got.Registered-total.Registered, got.Pending-total.Pending)
	}

	// By month: each month's pending cases carry over from the month before.
	months, err := a.srv.Cases.Stats(a.actorCtx(t, "maoba-leader"), cases.StatsQuery{From: statsSept, To: statsNov, By: []cases.StatsDim{cases.ByMonth}})
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 2 || !months[0].Month.Equal(statsSept) || !months[1].Month.Equal(statsOct) ||
		months[1].Pending != months[0].Pending+months[1].Filed-months[1].Ended || months[1].CollectedFen != oct.CollectedFen {
		t.Errorf("毛坝镇 by month: %+v", months)
	}

	// The rebuild recounts the same numbers.
	before = a.townStats(t, "maoba", statsSept, statsOct)
	if _, err := a.owner().Exec(context.Background(), `SELECT case_stats_rebuild()`); err != nil {
		t.Fatal(err)
	}
	if after := a.townStats(t, "maoba", statsSept, statsOct); after != before {
		t.Errorf("rebuilt: %+v, kept by the triggers: %+v", after, before)
	}
	a.statsClean(t)
}

// TestStatsUnderConcurrentChanges: two towns' officers file, decide, take
// payments and close at once, two of them in each town on the summary's
// same rows; the summary still equals its recount, and each town's
// numbers moved by its own cases only.
func TestStatsUnderConcurrentChanges(t *testing.T) {
	a := newApp(t)
	const perOfficer = 3
	towns := map[string]string{"maoba": "干沙村", "chengguan": "城关社区"}
	before := map[string]cases.StatsLine{}
	for code := range towns {
		before[code] = a.townStats(t, code, statsSept, statsOct)
	}
	t.Run("towns", func(t *testing.T) {
		for code, village := range towns {
			for _, officer := range []string{"officer1", "officer3"} {
				t.Run(code+"-"+officer, func(t *testing.T) {
					t.Parallel()
					c := a.loginAs(t, code+"-"+officer)
					for range perOfficer {
						form := a.caseForm(code+"-officer1", code+"-officer3")
						form.Set("procedure", "summary")
						form.Set("place_village", village)
						form.Set("party_address", village)
						path := fileCase(t, c, form)
						mustAct(t, c, path, "decide", with(url.Values{"spot_told": {"1"}, "amount": {"200"}}, confirmed))
						mustAct(t, c, path, "execute", nil)
						mustAct(t, c, path, "add_payment", url.Values{"amount": {"200"}, "receipt_no": {"BF-" + path[len("/cases/"):]}})
						mustAct(t, c, path, "close", confirmed)
					}
				})
			}
		}
	})
	a.statsClean(t)
	for code := range towns {
		a.sameAsDirect(t, code, statsSept)
		got := a.townStats(t, code, statsSept, statsOct)
		if n := got.Closed - before[code].Closed; n != 2*perOfficer {
			t.Errorf("%s closed %d more cases, want %d", code, n, 2*perOfficer)
		}
		if fen := got.CollectedFen - before[code].CollectedFen; fen != 2*perOfficer*20000 {
			t.Errorf("%s collected %d fen more, want %d", code, fen, 2*perOfficer*20000)
		}
	}
}

// TestStatsAreTownPrivate: a town reads only its own summary rows, the
// county every town's; nobody writes them but the triggers.
func TestStatsAreTownPrivate(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	maoba, chengguan := a.townID("maoba"), a.townID("chengguan")
	all, err := a.srv.Cases.Stats(a.actorCtx(t, "county-reviewer"), statsTotal)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 17 {
		t.Errorf("the county reads %d towns' numbers, want 17", len(all))
	}
	own, err := a.srv.Cases.Stats(a.actorCtx(t, "maoba-leader"), statsTotal)
	if err != nil {
		t.Fatal(err)
	}
	if len(own) != 1 || own[0].TownID != maoba || own[0].Filed == 0 {
		t.Errorf("毛坝镇's leader reads %+v, want 毛坝镇's line alone", own)
	}
	// Asking for another town gives nothing.
	q := statsTotal
	q.TownID = chengguan
	if other, err := a.srv.Cases.Stats(a.actorCtx(t, "maoba-head"), q); err != nil || len(other) != 0 {
		t.Errorf("毛坝镇 asking for 城关镇's numbers reads %+v (%v), want none", other, err)
	}
	var others, none int
	a.mustTx(database.Settings{Scope: zhifa.ScopeTown, TownID: maoba}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE town_id <> $1) FROM case_stats`, maoba).Scan(&others)
	})
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM case_stats`).Scan(&none)
	})
	if others != 0 || none != 0 {
		t.Errorf("毛坝镇 reads %d rows of other towns, no tenancy reads %d rows: want none", others, none)
	}
	// The app role may not write the numbers, not even its own town's.
	err = a.inTx(database.Settings{Scope: zhifa.ScopeTown, TownID: maoba}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE case_stats SET filed = filed + 1 WHERE town_id = $1`, maoba)
		return err
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("the app role updating case_stats: %v, want permission denied", err)
	}
	// CheckStats as a town recounts its own town only.
	diffs, err := a.srv.Cases.CheckStats(a.actorCtx(t, "maoba-leader"))
	if err != nil || len(diffs) != 0 {
		t.Errorf("毛坝镇's check: %v %v", diffs, err)
	}
}

// TestNavCountsUsePartialIndexes: each role's menu counts read the partial
// indexes of migration 0027 (whose predicates must stay the queues'
// conditions word for word), and a queue longer than cases.NavCap shows as
// "99+" in the menu while the home page counts it exactly.
func TestNavCountsUsePartialIndexes(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	wants := map[string][]string{
		"maoba-leader":    {"cases_decision_phase_idx", "case_due_town_idx"},
		"maoba-head":      {"cases_decision_phase_idx", "cases_approval_asked_idx"},
		"maoba-reviewer":  {"cases_review_queue_idx"},
		"county-reviewer": {"cases_review_queue_idx"},
	}
	if _, err := a.owner().Exec(ctx, `ANALYZE cases, case_due, case_recusals, case_preservations`); err != nil {
		t.Fatal(err)
	}
	for username, indexes := range wants {
		actx := a.actorCtx(t, username)
		sql, args := cases.NavCountsSQL(zhifa.ActorFrom(actx), a.clock.Now())
		var plan []string
		a.mustTx(database.SettingsFor(actx), func(tx pgx.Tx) error {
			// The demo data is small enough to read whole, or through any
			// index: the planner must still find the partial ones the
			// cheapest of the plain index scans.
			if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`); err != nil {
				return err
			}
			rows, _ := tx.Query(ctx, `EXPLAIN (COSTS OFF) `+sql, args)
			var err error
			plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		text := strings.Join(plan, "\n")
		for _, idx := range indexes {
			if !strings.Contains(text, idx) {
				t.Errorf("%s's menu counts do not read %s:\n%s", username, idx, text)
			}
		}
	}

	// 120 overdue cases in 毛坝镇, loaded as the owner.
	maoba := a.townID("maoba")
	if _, err := a.owner().Exec(ctx, `
		INSERT INTO cases (town_id, procedure, state, item_id, source, party_kind, party_name, act_on, discovered_on, created_by,
		                   state_entered_on)
		SELECT $1, 'general', 'lead', $2, 'patrol', 'person', '逾期某' || g, '2025-06-01', '2025-06-02', $3, '2025-06-02'
		FROM generate_series(1, 120) g`, maoba, a.itemID("ZY-LY-001"), a.user("maoba-officer1").ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.owner().Exec(ctx, `UPDATE case_due d SET next_due_on = '2025-08-01', next_due_key = 'filing'
		FROM cases c WHERE c.id = d.case_id AND c.party_name LIKE '逾期某%'`); err != nil {
		t.Fatal(err)
	}
	home := a.login("maoba-leader").get("/")
	mustContain(t, home, `<span class="nav-count" aria-label="待办 99 项以上">99+</span>`)
	if n, _ := homeQueue(t, home, cases.QueueOverdue); n < 120 {
		t.Errorf("the home page counts %d overdue cases, want at least 120", n)
	}
	wantStatus(t, home, http.StatusOK)

	// Once the badge is full the other queues are not counted at all: the
	// overdue queue (read from case_due alone) comes first, and the scans
	// of the leader's other queues never run.
	actx := a.actorCtx(t, "maoba-leader")
	sql, args := cases.NavCountsSQL(zhifa.ActorFrom(actx), a.clock.Now())
	var plan []string
	a.mustTx(database.SettingsFor(actx), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+sql, args)
		var err error
		plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	scans := 0
	for _, line := range plan {
		if strings.Contains(line, "cases_decision_phase_idx") {
			scans++
			if !strings.Contains(line, "never executed") {
				t.Errorf("with the badge full, the leader's menu still counted the decision phase:\n%s", strings.Join(plan, "\n"))
			}
		}
	}
	if scans == 0 {
		t.Errorf("no scan of cases_decision_phase_idx in the leader's menu counts:\n%s", strings.Join(plan, "\n"))
	}
}
