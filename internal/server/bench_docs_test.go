package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"zhifa/internal/seed"
	"zhifa/web"
)

// report adds the median and 95th percentile of durations to b.
func report(b *testing.B, durations []time.Duration) {
	slices.Sort(durations)
	p := func(q float64) float64 {
		return float64(durations[int(q*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
}

// BenchmarkIssueDocument issues 询问笔录 (a kind a case holds many of)
// over HTTP: draft built from the case, rendered, numbered, frozen and
// hashed in one transaction.
func BenchmarkIssueDocument(b *testing.B) {
	a := newApp(b)
	officer := a.loginAs(b, "maoba-officer1")
	path := "/cases/" + itoa(a.townCases("maoba")[0])
	fields := url.Values{"start": {"2025年4月2日9时"}, "end": {"2025年4月2日9时40分"}, "place": {"毛坝镇综合执法队"},
		"person": {"刘某，男，干沙村村民"}, "questioners": {"吴玉兰、徐小龙"}, "qa": {"问：你是否在自家房屋外野外用火？\n答：是。"}}
	var durations []time.Duration
	for b.Loop() {
		start := time.Now()
		res := issue(officer, path, "inquiry", fields)
		durations = append(durations, time.Since(start))
		if res.status != http.StatusSeeOther {
			b.Fatalf("issue: %d: %.300s", res.status, text(res.body))
		}
	}
	report(b, durations)
}

// BenchmarkDossierPDF downloads the demo case 刘某's dossier (16 pages) as
// the county reviewer, with the browser already running: two Chromium
// prints and the page-number pass between them.
func BenchmarkDossierPDF(b *testing.B) {
	a := newApp(b)
	need(b, "chromium", "chromium")
	if _, err := seed.DemoDocuments(context.Background(), a.db.DB, web.RenderDocument); err != nil {
		b.Fatal(err)
	}
	county := a.loginAs(b, "county-reviewer")
	path := "/cases/" + itoa(a.townCases("maoba")[0]) + "/dossier.pdf"
	if res := county.get(path); res.status != http.StatusOK {
		b.Fatalf("dossier: %d", res.status)
	}
	var durations []time.Duration
	for b.Loop() {
		start := time.Now()
		res := county.get(path)
		durations = append(durations, time.Since(start))
		if res.status != http.StatusOK {
			b.Fatalf("dossier: %d", res.status)
		}
	}
	report(b, durations)
}
