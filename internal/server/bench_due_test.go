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
// latency of a town leader's pages while each runs against the same pages
// idle just before (make bench): /cases, and the list by next deadline,
// which reads the case_due rows the refresh writes. The load average is
// logged: on a busy machine the figures mean little.
func BenchmarkRefreshAllDue(b *testing.B) {
	a := newApp(b)
	n := benchCases()
	loadCases(b, a, n)
	leader := a.login("maoba-leader")
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	settings := &procedure.Service{DB: a.db.DB}
	owner := a.owner()

	// pages GETs /cases and /cases?sort=due in turn, one at a time, until
	// stop is closed and returns the latencies of each.
	paths := []string{"/cases", "/cases?sort=due"}
	pages := func(b *testing.B, stop <-chan struct{}) [2][]time.Duration {
		var out [2][]time.Duration
		for i := 0; ; i++ {
			select {
			case <-stop:
				return out
			default:
			}
			path := paths[i%2]
			req, _ := http.NewRequest(http.MethodGet, a.ts.URL+path, nil)
			start := time.Now()
			res, err := leader.send(req)
			if err != nil || res.status != http.StatusOK {
				b.Errorf("GET %s: %v %d", path, err, res.status)
				return out
			}
			out[i%2] = append(out[i%2], time.Since(start))
		}
	}
	q := func(ds []time.Duration, f float64) float64 {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return float64(ds[int(f*float64(len(ds)-1))].Microseconds()) / 1000
	}
	idle := func() [2][]time.Duration {
		stop := make(chan struct{})
		time.AfterFunc(3*time.Second, func() { close(stop) })
		return pages(b, stop)
	}

	// refresh times RefreshAllDue after change(i), the i-th round's change,
	// with the pages requested all along; then vacuums the rows it rewrote
	// (as autovacuum will), untimed.
	refresh := func(b *testing.B, change func(i int) error) {
		load := loadAverage()
		before := idle()
		var during [2][]time.Duration
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
			got := make(chan [2][]time.Duration)
			go func() { got <- pages(b, stop) }()
			start := time.Now()
			var err error
			done, err = a.srv.Cases.RefreshAllDue(ctx)
			took = time.Since(start)
			close(stop)
			g := <-got
			during[0], during[1] = append(during[0], g[0]...), append(during[1], g[1]...)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if _, err := owner.Exec(context.Background(), "VACUUM (ANALYZE) case_due"); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(took.Seconds(), "refresh-s")
		b.ReportMetric(float64(done.Cases), "cases")
		b.ReportMetric(float64(done.Changed), "written")
		b.ReportMetric(q(before[0], 0.5), "idle-p50-ms")
		b.ReportMetric(q(before[0], 0.99), "idle-p99-ms")
		b.ReportMetric(q(during[0], 0.5), "during-p50-ms")
		b.ReportMetric(q(during[0], 0.99), "during-p99-ms")
		b.ReportMetric(q(during[1], 0.99), "due-during-p99-ms")
		b.Logf("%d cases: %d open cases recomputed, %d written, in %s (load average before %s, after %s)",
			n, done.Cases, done.Changed, took.Round(time.Millisecond), load, loadAverage())
		for i, path := range paths {
			b.Logf("  %s (maoba-leader) during it p50 %.1f ms, p99 %.1f ms (%d requests); idle before it p50 %.1f ms, p99 %.1f ms (%d requests)",
				path, q(during[i], 0.5), q(during[i], 0.99), len(during[i]), q(before[i], 0.5), q(before[i], 0.99), len(before[i]))
		}
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
