package server_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/procedure"
	"zhifa/internal/zhifa"
)

// BenchmarkRefreshAllDue times the recomputation of every open case's next
// deadline at ZHIFA_BENCH_CASES cases (one million by default), after a
// holiday is entered (few deadlines move) and after the decision period
// changed (the deadline of every case being investigated moves and is
// written), and the latency of a town leader's /cases page while it runs
// against the same page idle (make bench).
func BenchmarkRefreshAllDue(b *testing.B) {
	a := newApp(b)
	n := benchCases()
	loadCases(b, a, n)
	leader := a.login("maoba-leader")
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	settings := &procedure.Service{DB: a.db.DB}
	owner := a.owner()
	// vacuum clears the rows a refresh rewrote, as autovacuum will, so that
	// each round starts from a table in order.
	vacuum := func() {
		if _, err := owner.Exec(context.Background(), "VACUUM (ANALYZE) cases"); err != nil {
			b.Fatal(err)
		}
	}

	// pages GETs /cases until stop is closed and returns the latencies.
	pages := func(b *testing.B, stop <-chan struct{}) []time.Duration {
		var out []time.Duration
		for {
			select {
			case <-stop:
				return out
			default:
			}
			req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/cases", nil)
			start := time.Now()
			res, err := leader.send(req)
			if err != nil || res.status != http.StatusOK {
				b.Errorf("GET /cases: %v %d", err, res.status)
				return out
			}
			out = append(out, time.Since(start))
		}
	}
	q := func(ds []time.Duration, f float64) float64 {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return float64(ds[int(f*float64(len(ds)-1))].Microseconds()) / 1000
	}
	idlePages := func(what string) []time.Duration {
		stop := make(chan struct{})
		time.AfterFunc(3*time.Second, func() { close(stop) })
		ds := pages(b, stop)
		b.Logf("/cases (maoba-leader) idle %s: p50 %.1f ms, p99 %.1f ms (%d requests)", what, q(ds, 0.5), q(ds, 0.99), len(ds))
		return ds
	}
	idlePages("as loaded")
	start := time.Now()
	done, err := a.srv.Cases.RefreshAllDue(ctx) // the loaded deadlines made right first
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first refresh: %d open cases recomputed, %d written, in %s", done.Cases, done.Changed, time.Since(start).Round(time.Millisecond))
	idlePages("after it, not vacuumed")
	vacuum()
	idle := idlePages("after VACUUM")

	// refresh times RefreshAllDue after change(i), the i-th round's change.
	refresh := func(b *testing.B, change func(i int) error) {
		var during []time.Duration
		var took time.Duration
		var done cases.DueRefresh
		i := 0
		for b.Loop() {
			b.StopTimer()
			if err := change(i); err != nil {
				b.Fatal(err)
			}
			i++
			b.StartTimer()
			stop := make(chan struct{})
			got := make(chan []time.Duration)
			go func() { got <- pages(b, stop) }()
			start := time.Now()
			var err error
			done, err = a.srv.Cases.RefreshAllDue(ctx)
			took = time.Since(start)
			close(stop)
			during = append(during, <-got...)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			vacuum()
			b.StartTimer()
		}
		b.ReportMetric(took.Seconds(), "refresh-s")
		b.ReportMetric(float64(done.Cases), "cases")
		b.ReportMetric(float64(done.Changed), "written")
		b.ReportMetric(q(idle, 0.5), "idle-p50-ms")
		b.ReportMetric(q(idle, 0.99), "idle-p99-ms")
		b.ReportMetric(q(during, 0.5), "during-p50-ms")
		b.ReportMetric(q(during, 0.99), "during-p99-ms")
		b.Logf("%d cases: %d open cases recomputed, %d written, in %s; /cases (maoba-leader) during it p50 %.1f ms, p99 %.1f ms (%d requests), idle p50 %.1f ms, p99 %.1f ms",
			n, done.Cases, done.Changed, took.Round(time.Millisecond), q(during, 0.5), q(during, 0.99), len(during), q(idle, 0.5), q(idle, 0.99))
	}
	b.Run("holiday", func(b *testing.B) {
		refresh(b, func(i int) error {
			if i%2 == 0 {
				return settings.AddHoliday(ctx, "2025-10-15", "holiday", "测试假日")
			}
			return settings.RemoveHoliday(ctx, "2025-10-15")
		})
	})
	b.Run("decision-days", func(b *testing.B) {
		refresh(b, func(i int) error { return settings.SetDefault(ctx, "decision_days", strconv.Itoa(60+30*(i%2))) })
	})
}
