package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// benchCases is how many cases the case benchmarks load (ZHIFA_BENCH_CASES
// overrides the default of one million).
func benchCases() int {
	if n, err := strconv.Atoi(os.Getenv("ZHIFA_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// loadCases bulk-loads n cases across the 17 towns, with two officers each,
// as the schema owner (triggers off: the rows are made valid by
// construction, and this is a load, not a test of the rules).
func loadCases(b *testing.B, a *app, n int) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, a.db.OwnerURL())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	start := time.Now()
	_, err = conn.Exec(ctx, fmt.Sprintf(`
SET app.scope = 'county_admin';
ALTER TABLE cases DISABLE TRIGGER USER;
WITH items AS (SELECT array_agg(item_id ORDER BY position) AS ids FROM list_version_items
               WHERE version_id = list_version_on(1, '2025-09-01')),
     officers AS (SELECT t.id AS town_id, t.short_name,
                         (SELECT id FROM users WHERE username = t.code || '-officer1') AS o1
                  FROM towns t)
INSERT INTO cases (town_id, procedure, state, item_id, year, seq, number, source, party_kind, party_name, party_phone,
                   place_village, place_address, act_on, discovered_on, filed_on, facts, created_by, state_entered_on)
SELECT o.town_id, 'general',
       (ARRAY['filed','investigating','review','notice','decided','served','executing','closed','archived','investigating'])[1 + g %% 10],
       items.ids[1 + (g / 17) %% array_length(items.ids, 1)],
       2024, g / 17 + 1, '紫' || o.short_name || '综执立〔2024〕' || (g / 17 + 1) || '号',
       'patrol', 'person',
       (ARRAY['张','王','李','赵','刘','陈','杨','黄','周','吴'])[1 + g %% 10] || '某' || (g %% 997),
       '138' || lpad((g %% 100000000)::text, 8, '0'),
       (ARRAY['干沙村','东风村','新华村','红星村','双河村','青山村'])[1 + g %% 6], '第' || (g %% 50) || '组',
       date '2024-01-01' + (g %% 600), date '2024-01-02' + (g %% 600), date '2024-01-03' + (g %% 600),
       '示例案情', o.o1, date '2024-01-03' + (g %% 600)
FROM generate_series(0, %d - 1) g, items, officers o
WHERE o.town_id = 1 + g %% 17;
ALTER TABLE cases ENABLE TRIGGER USER;
-- The decision's due date of those under investigation, review or notice
-- (made here: the trigger that makes the case_due rows was off).
ALTER TABLE case_due DISABLE TRIGGER USER;
INSERT INTO case_due (case_id, town_id, next_due_on, next_due_key)
SELECT id, town_id, CASE WHEN state IN ('investigating', 'review', 'notice') THEN filed_on + 90 END,
       CASE WHEN state IN ('investigating', 'review', 'notice') THEN 'decision' ELSE '' END
FROM cases WHERE year = 2024 ORDER BY id;
ALTER TABLE case_due ENABLE TRIGGER USER;
INSERT INTO case_officers (case_id, town_id, user_id, lead)
SELECT c.id, c.town_id, u.id, u.username LIKE '%%-officer1'
FROM cases c JOIN towns t ON t.id = c.town_id
JOIN users u ON u.username IN (t.code || '-officer1', t.code || '-officer3')
WHERE c.year = 2024;
`, n))
	if err != nil {
		b.Fatalf("load %d cases: %v", n, err)
	}
	// The summaries' triggers were off with the others: recount them.
	for _, rebuild := range []string{"case_stats_rebuild", "case_due_counts_rebuild", "case_search_rebuild"} {
		if _, err := conn.Exec(ctx, "SELECT "+rebuild+"()"); err != nil {
			b.Fatalf("%s: %v", rebuild, err)
		}
	}
	// Vacuum now, so autovacuum does not compete with the measurements.
	for _, table := range []string{"cases", "case_officers", "case_due", "case_stats", "case_due_counts", "case_search"} {
		if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) "+table); err != nil {
			b.Fatalf("vacuum %s: %v", table, err)
		}
	}
	vacuumVisible(b, conn, "case_search")
	b.Logf("loaded %d cases in %s", n, time.Since(start).Round(time.Second))
}

// BenchmarkCasesAtScale loads a million cases across the 17 towns once, then
// measures on them (make bench):
//   - floor: zhifa's list, case page and searches against a bare handler
//     running the same list statements, at 1 and 8 concurrent clients, as
//     one printed table with the ratios and the goals (bench_floor_test.go);
//   - start: the start of `zhifa serve` to ready, and its idle memory;
//   - the other sub-benchmarks: one page each, one client, with the median
//     and the 95th percentile.
//
// floor and start each take longer than make bench's -benchtime, so b.Loop
// runs them once; -bench 'CasesAtScale/floor' runs the table alone (after
// the load).
func BenchmarkCasesAtScale(b *testing.B) {
	a := newApp(b)
	n := benchCases()
	loadCases(b, a, n)
	leader := a.login("maoba-leader")
	county := a.login("county-reviewer")
	var someCase int64
	_ = a.inTx(database.Settings{Scope: zhifa.ScopeTown, TownID: townID(a, "maoba")}, func(tx pgx.Tx) error {
		// 5,000 deep, or halfway down a smaller load
		return tx.QueryRow(context.Background(), `SELECT id FROM cases WHERE year = 2024 ORDER BY id DESC OFFSET $1 LIMIT 1`,
			min(5000, n/17/2)).Scan(&someCase)
	})
	b.Run("floor", func(b *testing.B) {
		for b.Loop() {
			floorTable(b, a, someCase)
		}
	})
	b.Run("start", func(b *testing.B) {
		for b.Loop() {
			startAndMemory(b, a, someCase)
		}
	})
	// The menu's counts, the summary's reads and its triggers' cost
	// (bench_summary_test.go).
	b.Run("summary", func(b *testing.B) { benchSummary(b, a) })
	b.Run("stats", func(b *testing.B) { benchStats(b, a) }) // the statistics page (bench_stats_test.go)
	pages := []struct {
		name string
		c    *client
		path string
	}{
		{"town-list", leader, "/cases"},
		{"town-list-page-2", leader, "/cases?before=" + strconv.FormatInt(someCase, 10)},
		{"town-filter-state-domain", leader, "/cases?state=investigating&domain=" + url.QueryEscape("林业")},
		{"town-search-party", leader, "/cases?q=" + url.QueryEscape("刘某42")},
		{"town-search-number", leader, "/cases?q=" + url.QueryEscape("〔2024〕1234号")},
		{"town-overdue", leader, "/cases?due=overdue"},
		{"case-page", leader, "/cases/" + strconv.FormatInt(someCase, 10)},
		{"county-list", county, "/cases"},
		{"county-search", county, "/cases?q=" + url.QueryEscape("王某17")},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			if res := p.c.get(p.path); res.status != http.StatusOK {
				b.Fatalf("GET %s: %d", p.path, res.status)
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
		})
	}
}
