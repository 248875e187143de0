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
// deadline at ZHIFA_BENCH_CASES cases (one million by default): after the
// decision period changed (the deadline of nearly every open case moves and
// is written), then after a holiday is entered (a few move), and the
// latency of a town leader's /cases page while each runs against the same
// page idle just before (make bench).
func BenchmarkRefreshAllDue(b *testing.B) {
	a := newApp(b)
	n := benchCases()
	loadCases(b, a, n)
	leader := a.login("maoba-leader")
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	settings := &procedure.Service{DB: a.db.DB}
	owner := a.owner()

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
	idle := func() []time.Duration {
		stop := make(chan struct{})
		time.AfterFunc(3*time.Second, func() { close(stop) })
		return pages(b, stop)
	}

	// refresh times RefreshAllDue after change(i), the i-th round's change,
	// with /cases requested all along; then vacuums the rows it rewrote (as
	// autovacuum will), untimed.
	refresh := func(b *testing.B, change func(i int) error) {
		before := idle()
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
			if _, err := owner.Exec(context.Background(), "VACUUM (ANALYZE) cases"); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(took.Seconds(), "refresh-s")
		b.ReportMetric(float64(done.Cases), "cases")
		b.ReportMetric(float64(done.Changed), "written")
		b.ReportMetric(q(before, 0.5), "idle-p50-ms")
		b.ReportMetric(q(before, 0.99), "idle-p99-ms")
		b.ReportMetric(q(during, 0.5), "during-p50-ms")
		b.ReportMetric(q(during, 0.99), "during-p99-ms")
		b.Logf("%d cases: %d open cases recomputed, %d written, in %s; /cases (maoba-leader) during it p50 %.1f ms, p99 %.1f ms (%d requests); idle before it p50 %.1f ms, p99 %.1f ms (%d requests)",
			n, done.Cases, done.Changed, took.Round(time.Millisecond), q(during, 0.5), q(during, 0.99), len(during),
			q(before, 0.5), q(before, 0.99), len(before))
	}
	b.Run("decision-days", func(b *testing.B) {
		refresh(b, func(i int) error { return settings.SetDefault(ctx, "decision_days", strconv.Itoa(60+30*(i%2))) })
	})
	b.Run("holiday", func(b *testing.B) {
		refresh(b, func(i int) error {
			if i%2 == 0 {
				return settings.AddHoliday(ctx, "2025-10-15", "holiday", "测试假日")
			}
			return settings.RemoveHoliday(ctx, "2025-10-15")
		})
	})
}
