package server_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// navUsers are the users whose menu counts benchSummary measures: one of
// each role with queues. In the bulk load maoba-officer1 handles every case
// of its town (tens of thousands open), officer2 none.
var navUsers = []string{"maoba-officer1", "maoba-officer2", "maoba-leader", "maoba-head", "maoba-reviewer", "county-reviewer"}

// benchSummary measures, on BenchmarkCasesAtScale's load (-bench
// 'CasesAtScale/summary' runs it alone after the load):
//   - nav/<user>: the menu counts every page runs: the statement's planning
//     and execution by EXPLAIN ANALYZE (medians of 9, plan-ms and exec-ms)
//     and NavCounts' whole call (p50, p95: its transaction, and planning
//     unless the connection's prepared statement has a generic plan).
//     ZHIFA_BENCH_PLANS=1 logs each plan;
//   - stats/<query>: reading the summary (case_stats) as the county's
//     dashboard of issue 13 would;
//   - trigger/<change>: what keeping the summary costs a change of a case
//     or a payment (with the triggers, then without, as the schema owner).
func benchSummary(b *testing.B, a *app) {
	ctx := context.Background()
	today := a.clock.Now()
	for _, username := range navUsers {
		actx := a.actorCtx(b, username)
		b.Run("nav/"+username, func(b *testing.B) {
			sql, args := cases.NavCountsSQL(zhifa.ActorFrom(actx), today)
			var plans, execs []float64
			for range 9 {
				err := a.inTx(database.SettingsFor(actx), func(tx pgx.Tx) error {
					var raw []byte
					if err := tx.QueryRow(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) `+sql, args).Scan(&raw); err != nil {
						return err
					}
					var out []struct {
						Planning  float64 `json:"Planning Time"`
						Execution float64 `json:"Execution Time"`
					}
					if err := json.Unmarshal(raw, &out); err != nil {
						return err
					}
					plans, execs = append(plans, out[0].Planning), append(execs, out[0].Execution)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			if os.Getenv("ZHIFA_BENCH_PLANS") != "" {
				_ = a.inTx(database.SettingsFor(actx), func(tx pgx.Tx) error {
					rows, _ := tx.Query(ctx, `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) `+sql, args)
					lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
					b.Logf("%s:\n%s", username, strings.Join(lines, "\n"))
					return err
				})
			}
			slices.Sort(plans)
			slices.Sort(execs)
			timed(b, func() {
				if _, err := a.srv.Cases.NavCounts(actx); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(plans[len(plans)/2], "plan-ms")
			b.ReportMetric(execs[len(execs)/2], "exec-ms")
		})
	}

	county := a.actorCtx(b, "county-reviewer")
	maoba := a.actorCtx(b, "maoba-leader")
	year := time.Date(2024, 1, 1, 0, 0, 0, 0, zhifa.Local)
	queries := []struct {
		name string
		ctx  context.Context
		q    cases.StatsQuery
	}{
		{"county-by-town-year", county, cases.StatsQuery{From: year, To: year.AddDate(1, 0, 0), By: []cases.StatsDim{cases.ByTown}}},
		{"county-by-town-month", county, cases.StatsQuery{From: year, To: year.AddDate(2, 0, 0), By: []cases.StatsDim{cases.ByTown, cases.ByMonth}}},
		{"county-by-domain-month", county, cases.StatsQuery{From: year, To: year.AddDate(2, 0, 0), By: []cases.StatsDim{cases.ByDomain, cases.ByMonth}}},
		{"town-by-item", maoba, cases.StatsQuery{From: year, To: year.AddDate(1, 0, 0), By: []cases.StatsDim{cases.ByItem}}},
	}
	for _, q := range queries {
		b.Run("stats/"+q.name, func(b *testing.B) {
			timed(b, func() {
				if _, err := a.srv.Cases.Stats(q.ctx, q.q); err != nil {
					b.Fatal(err)
				}
			})
		})
	}

	// A case closed (its events move rows of case_stats) and a payment
	// recorded, each in a transaction rolled back, on the cases of the load.
	owner := a.owner()
	var caseID int64
	if err := owner.QueryRow(ctx, `SELECT id FROM cases WHERE state = 'executing' ORDER BY id LIMIT 1`).Scan(&caseID); err != nil {
		b.Fatal(err)
	}
	changes := []struct{ name, trigger, table, sql string }{
		{"close-case", "cases_stats_update", "cases",
			`UPDATE cases SET state = 'closed', closed_on = filed_on + 60, decided_on = filed_on + 30, fine_fen = 20000 WHERE id = $1`},
		{"payment", "case_payments_stats", "case_payments",
			`INSERT INTO case_payments (case_id, town_id, amount_fen, paid_on, receipt_no, recorded_by)
			 SELECT id, town_id, 10000, filed_on + 40, 'BENCH-1', created_by FROM cases WHERE id = $1`},
	}
	for _, c := range changes {
		for _, on := range []bool{true, false} {
			name := "trigger/" + c.name + "-with"
			if !on {
				name = "trigger/" + c.name + "-without"
			}
			b.Run(name, func(b *testing.B) {
				if !on {
					if _, err := owner.Exec(ctx, `ALTER TABLE `+c.table+` DISABLE TRIGGER `+c.trigger); err != nil {
						b.Fatal(err)
					}
					defer func() {
						if _, err := owner.Exec(ctx, `ALTER TABLE `+c.table+` ENABLE TRIGGER `+c.trigger); err != nil {
							b.Fatal(err)
						}
					}()
				}
				timed(b, func() {
					tx, err := owner.Begin(ctx)
					if err != nil {
						b.Fatal(err)
					}
					defer func() { _ = tx.Rollback(ctx) }()
					if _, err := tx.Exec(ctx, c.sql, caseID); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// timed runs fn b.N times and reports its median and 95th percentile.
func timed(b *testing.B, fn func()) {
	durations := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		fn()
		durations = append(durations, time.Since(start))
	}
	slices.Sort(durations)
	q := func(f float64) float64 {
		return float64(durations[int(f*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
}
