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

// navRoles are the users whose menu counts BenchmarkNavCounts measures: one
// of each role with queues. In the bulk load maoba-officer1 handles every
// case of its town (tens of thousands open), officer2 none.
var navRoles = []string{"maoba-officer1", "maoba-officer2", "maoba-leader", "maoba-head", "maoba-reviewer", "county-reviewer"}

// BenchmarkNavCounts measures the menu counts every page runs, at scale
// (ZHIFA_BENCH_CASES, default 1,000,000): the statement's execution time by
// EXPLAIN ANALYZE (median of 9, ms) and NavCounts' whole call (p50, p95).
// ZHIFA_BENCH_PLANS=1 logs each plan.
func BenchmarkNavCounts(b *testing.B) {
	a := newApp(b)
	loadCases(b, a, benchCases())
	ctx := context.Background()
	today := a.clock.Now()
	for _, username := range navRoles {
		actor, err := a.srv.Accounts.ActorByID(ctx, a.user(username).ID)
		if err != nil {
			b.Fatal(err)
		}
		actx := zhifa.WithActor(ctx, actor)
		b.Run(username, func(b *testing.B) {
			sql, args := cases.NavCountsSQL(actor, today)
			var execs []float64
			for range 9 {
				err := a.inTx(database.SettingsFor(actx), func(tx pgx.Tx) error {
					var raw []byte
					if err := tx.QueryRow(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) `+sql, args).Scan(&raw); err != nil {
						return err
					}
					var out []struct {
						Execution float64 `json:"Execution Time"`
						Planning  float64 `json:"Planning Time"`
					}
					if err := json.Unmarshal(raw, &out); err != nil {
						return err
					}
					execs = append(execs, out[0].Execution)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			if os.Getenv("ZHIFA_BENCH_PLANS") != "" {
				var lines []string
				_ = a.inTx(database.SettingsFor(actx), func(tx pgx.Tx) error {
					rows, _ := tx.Query(ctx, `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) `+sql, args)
					lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
					return err
				})
				b.Logf("%s:\n%s", username, strings.Join(lines, "\n"))
			}
			slices.Sort(execs)
			durations := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				if _, err := a.srv.Cases.NavCounts(actx); err != nil {
					b.Fatal(err)
				}
				durations = append(durations, time.Since(start))
			}
			slices.Sort(durations)
			q := func(f float64) float64 {
				return float64(durations[int(f*float64(len(durations)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(execs[len(execs)/2], "exec-ms")
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.95), "p95-ms")
		})
	}
}
