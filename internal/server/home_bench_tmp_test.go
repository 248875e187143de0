package server_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

func BenchmarkTmpExplain(b *testing.B) {
	a := newApp(b)
	loadCases(b, a, benchCases())
	u := a.user("county-reviewer")
	s := database.Settings{Scope: zhifa.ScopeCountyRead, UserID: u.ID}
	open := `c.state IN ('lead', 'filed', 'investigating', 'review', 'notice', 'hearing', 'deciding', 'discussion', 'decided', 'served', 'executing')`
	overdue := open + ` AND c.next_due_on < '2025-09-01'::date AND c.next_due_key NOT IN ('statement', 'hearing_request')`
	review := `c.state = 'review' AND c.review_submitted_on IS NOT NULL`
	for name, sql := range map[string]string{
		"A-plain": `SELECT count(*) FROM cases c WHERE ` + review,
		"A-array": `SELECT count(*) FROM cases c WHERE c.town_id = ANY (ARRAY(SELECT t.id FROM towns t)) AND ` + review,
		"B-group": `SELECT c.town_id, count(*) FILTER (WHERE ` + overdue + `), count(*) FILTER (WHERE ` + review + `) FROM cases c WHERE (` + overdue + `) OR (` + review + `) GROUP BY c.town_id`,
		"B-lateral": `SELECT t.code, o.n, r.n FROM towns t, LATERAL (SELECT count(*) AS n FROM cases c WHERE c.town_id = t.id AND ` + overdue + `) o, LATERAL (SELECT count(*) AS n FROM cases c WHERE c.town_id = t.id AND ` + review + `) r`,
	} {
		for i := 0; i < 2; i++ {
			var lines []string
			err := a.inTx(s, func(tx pgx.Tx) error {
				rows, _ := tx.Query(context.Background(), "EXPLAIN (ANALYZE) "+sql)
				var err error
				lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			if i == 1 {
				f, _ := os.OpenFile("/tmp/explain_out.txt", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
				f.WriteString("=== " + name + "\n" + strings.Join(lines, "\n") + "\n")
				f.Close()
			}
		}
	}
}
