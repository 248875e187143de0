package server_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// benchStats measures the statistics page (/stats, issue 13) on
// BenchmarkCasesAtScale's load (-bench 'CasesAtScale/stats' runs it alone
// after the load): whole GET requests, p50 and p95, for the county
// reviewer (every town) and 毛坝镇's leader, this year against the last
// (the default) and over two years (the period and the year before
// overlap, so the summary is read twice); and the XLSX. Goal: under 50 ms
// at a million cases.
func benchStats(b *testing.B, a *app) {
	county, leader := a.login("county-reviewer"), a.login("maoba-leader")
	pages := []struct {
		name string
		c    *client
		path string
	}{
		{"county", county, "/stats"},
		{"county-two-years", county, "/stats?from=2024-01&to=2025-12"},
		{"county-one-town", county, "/stats?town=maoba"},
		{"town-leader", leader, "/stats"},
		{"county-xlsx", county, "/stats.xlsx"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			if res := p.c.get(p.path); res.status != http.StatusOK {
				b.Fatalf("GET %s: %d: %.300s", p.path, res.status, text(res.body))
			}
			durations := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				res := p.c.get(p.path)
				durations = append(durations, time.Since(start))
				if res.status != http.StatusOK {
					b.Fatalf("GET %s: %d", p.path, res.status)
				}
			}
			slices.Sort(durations)
			q := func(f float64) float64 {
				return float64(durations[int(f*float64(len(durations)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.95), "p95-ms")
			if q(0.95) >= 50 {
				b.Logf("GET %s: p95 %.1f ms, over the 50 ms goal", p.path, q(0.95))
			}
		})
	}
}
