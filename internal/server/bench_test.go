package server_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// benchPage measures one page through the real router, session store and
// database, reporting the median and 95th percentile besides ns/op.
func benchPage(b *testing.B, username, path string) {
	a := newApp(b)
	c := a.login(username)
	if path == "/officers/{self}" {
		path = "/officers/" + itoa(a.user(username).ID)
	}
	if res := c.get(path); res.status != http.StatusOK {
		b.Fatalf("GET %s: %d", path, res.status)
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		res := c.get(path)
		durations = append(durations, time.Since(start))
		if res.status != http.StatusOK {
			b.Fatalf("GET %s: %d", path, res.status)
		}
	}
	b.StopTimer()
	slices.Sort(durations)
	p := func(q float64) float64 {
		return float64(durations[int(q*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
}

func BenchmarkOfficersPageCounty(b *testing.B) { benchPage(b, "county-reviewer", "/officers") }
func BenchmarkOfficersPageTown(b *testing.B)   { benchPage(b, "maoba-leader", "/officers") }
func BenchmarkHomeCountyAdmin(b *testing.B)    { benchPage(b, "county-admin", "/") }
func BenchmarkOfficerProfile(b *testing.B)     { benchPage(b, "maoba-officer1", "/officers/{self}") }

// The county's supervision pages (issue 9).
func BenchmarkReviewQueueCounty(b *testing.B) { benchPage(b, "county-reviewer", "/review") }
func BenchmarkFilingsCounty(b *testing.B)     { benchPage(b, "county-reviewer", "/filings") }
func BenchmarkCorrectionsCounty(b *testing.B) { benchPage(b, "county-reviewer", "/corrections") }
func BenchmarkEvaluationsCounty(b *testing.B) { benchPage(b, "county-reviewer", "/evaluations") }
