package server_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhifa/internal/procedure"
	"zhifa/internal/zhifa"
)

// BenchmarkRefreshAllDue times the recomputation of every open case's next
// deadline after the decision period changed, at ZHIFA_BENCH_CASES cases
// (one million by default), and the latency of a town leader's /cases page
// while it runs against the same page idle (make bench).
func BenchmarkRefreshAllDue(b *testing.B) {
	a := newApp(b)
	n := benchCases()
	loadCases(b, a, n)
	leader := a.login("maoba-leader")
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	settings := &procedure.Service{DB: a.db.DB}

	// pages GETs /cases until stop is closed and returns the latencies.
	pages := func(stop <-chan struct{}) []time.Duration {
		var out []time.Duration
		for {
			select {
			case <-stop:
				return out
			default:
			}
			start := time.Now()
			res, err := leader.send(mustRequest(b, a, "/cases"))
			if err != nil || res.status != http.StatusOK {
				b.Errorf("GET /cases during the refresh: %v %d", err, res.status)
				return out
			}
			out = append(out, time.Since(start))
		}
	}
	idleStop := make(chan struct{})
	time.AfterFunc(3*time.Second, func() { close(idleStop) })
	idle := pages(idleStop)

	var during []time.Duration
	var took time.Duration
	var refreshed int
	days := 60
	for b.Loop() {
		// Each round changes the decision period, so the deadline of every
		// filed open case moves and is written.
		b.StopTimer()
		if err := settings.SetDefault(ctx, "decision_days", strconv.Itoa(days)); err != nil {
			b.Fatal(err)
		}
		days = 150 - days
		b.StartTimer()
		stop := make(chan struct{})
		got := make(chan []time.Duration)
		go func() { got <- pages(stop) }()
		start := time.Now()
		var err error
		refreshed, err = a.srv.Cases.RefreshAllDue(ctx)
		took = time.Since(start)
		close(stop)
		during = append(during, <-got...)
		if err != nil {
			b.Fatal(err)
		}
	}
	q := func(ds []time.Duration, f float64) float64 {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return float64(ds[int(f*float64(len(ds)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(took.Seconds(), "refresh-s")
	b.ReportMetric(float64(refreshed), "cases")
	b.ReportMetric(q(idle, 0.5), "idle-p50-ms")
	b.ReportMetric(q(idle, 0.99), "idle-p99-ms")
	b.ReportMetric(q(during, 0.5), "during-p50-ms")
	b.ReportMetric(q(during, 0.99), "during-p99-ms")
	b.Logf("%d cases: refreshed %d open cases in %s; /cases (maoba-leader) idle p50 %.1f ms p99 %.1f ms (%d requests), during the refresh p50 %.1f ms p99 %.1f ms (%d requests)",
		n, refreshed, took.Round(time.Millisecond), q(idle, 0.5), q(idle, 0.99), len(idle), q(during, 0.5), q(during, 0.99), len(during))
}

func mustRequest(b *testing.B, a *app, path string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, a.ts.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	return req
}
