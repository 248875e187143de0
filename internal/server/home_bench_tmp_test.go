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
	town := townID(a, "maoba")
	for _, r := range []struct{ role, user string }{{"officer", "maoba-officer1"}, {"leader", "maoba-leader"}, {"head", "maoba-head"}, {"county_reviewer", "county-reviewer"}} {
		sqlb, _ := os.ReadFile("/tmp/todo_sql_" + r.role + ".sql")
		u := a.user(r.user)
		sql := strings.NewReplacer("@me", itoa(u.ID), "@town", itoa(town), "@today", "'2025-09-01'").Replace(string(sqlb))
		s := database.Settings{Scope: zhifa.ScopeTown, TownID: town, UserID: u.ID}
		if r.role == "county_reviewer" {
			s = database.Settings{Scope: zhifa.ScopeCountyRead, UserID: u.ID}
		}
		for i := 0; i < 2; i++ {
			var lines []string
			err := a.inTx(s, func(tx pgx.Tx) error {
				rows, _ := tx.Query(context.Background(), "EXPLAIN (ANALYZE, BUFFERS) "+sql)
				var err error
				lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			if i == 1 {
				b.Logf("=== %s\n%s", r.role, strings.Join(lines, "\n"))
			}
		}
	}
}
