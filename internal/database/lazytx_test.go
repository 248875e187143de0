package database_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/database"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

// A request transaction is begun by its first statement: every way a
// service reads (Query, QueryRow, Exec, a batch) carries the tenancy
// settings, shares one transaction with the rest of the request, reports
// its own errors, and gives the connection back at the end.
func TestRequestTxBegunByFirstStatement(t *testing.T) {
	db := testdb.New(t)
	county := database.Settings{Scope: zhifa.ScopeCountyRead}
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: 1}
	ctx := context.Background()

	xid := func(tx pgx.Tx) (id int64) {
		t.Helper()
		if err := tx.QueryRow(ctx, `SELECT txid_current()`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	towns := func(tx pgx.Tx) (n int) {
		t.Helper()
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM towns t WHERE t.id = ANY (app_read_towns())`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Each first statement: the settings apply to it, and what follows is
	// in the same transaction.
	firsts := map[string]func(tx pgx.Tx) (int, error){
		"Query": func(tx pgx.Tx) (int, error) {
			rows, _ := tx.Query(ctx, `SELECT id FROM towns t WHERE t.id = ANY (app_read_towns())`)
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			return len(ids), err
		},
		"QueryRow": func(tx pgx.Tx) (n int, err error) {
			return n, tx.QueryRow(ctx, `SELECT count(*) FROM towns t WHERE t.id = ANY (app_read_towns())`).Scan(&n)
		},
		"Exec": func(tx pgx.Tx) (int, error) {
			tag, err := tx.Exec(ctx, `SELECT FROM towns t WHERE t.id = ANY (app_read_towns())`)
			return int(tag.RowsAffected()), err
		},
		"SendBatch": func(tx pgx.Tx) (n int, err error) {
			b := &pgx.Batch{}
			b.Queue(`SELECT count(*) FROM towns t WHERE t.id = ANY (app_read_towns())`).QueryRow(func(r pgx.Row) error { return r.Scan(&n) })
			return n, tx.SendBatch(ctx, b).Close()
		},
	}
	for name, first := range firsts {
		for _, c := range []struct {
			s    database.Settings
			want int
		}{{county, 17}, {town, 1}} {
			rctx := db.WithRequestTx(ctx)
			var xids [2]int64
			err := db.TxWith(rctx, c.s, func(tx pgx.Tx) error {
				n, err := first(tx)
				if err != nil {
					return err
				}
				if n != c.want {
					t.Errorf("%s as the first statement (%s): %d towns, want %d", name, c.s.Scope, n, c.want)
				}
				xids[0] = xid(tx)
				return nil
			})
			if err != nil {
				t.Fatalf("%s as the first statement: %v", name, err)
			}
			if err := db.TxWith(rctx, c.s, func(tx pgx.Tx) error {
				xids[1] = xid(tx)
				if n := towns(tx); n != c.want {
					t.Errorf("after %s (%s): %d towns, want %d", name, c.s.Scope, n, c.want)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if xids[0] != xids[1] {
				t.Errorf("after %s: two transactions (%d, %d) in one request", name, xids[0], xids[1])
			}
			if err := database.EndRequestTx(rctx); err != nil {
				t.Fatalf("end after %s: %v", name, err)
			}
		}
	}

	// A first statement that fails reports its own error, and ends the
	// sharing: the next call has a transaction of its own, which works.
	rctx := db.WithRequestTx(ctx)
	err := db.TxWith(rctx, county, func(tx pgx.Tx) error {
		var n int
		return tx.QueryRow(ctx, `SELECT count(*) FROM no_such_table`).Scan(&n)
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42P01" {
		t.Fatalf("a failing first statement: %v, want undefined_table", err)
	}
	if err := db.TxWith(rctx, county, func(tx pgx.Tx) error {
		if n := towns(tx); n != 17 {
			t.Errorf("after a failed statement: %d towns, want 17", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := database.EndRequestTx(rctx); err != nil {
		t.Fatal(err)
	}

	// No rows is pgx's own ErrNoRows.
	rctx = db.WithRequestTx(ctx)
	err = db.TxWith(rctx, county, func(tx pgx.Tx) error {
		var id int64
		return tx.QueryRow(ctx, `SELECT id FROM towns WHERE id = -1`).Scan(&id)
	})
	if !errors.Is(err, pgx.ErrNoRows) {
		t.Errorf("no rows: %v, want pgx.ErrNoRows", err)
	}
	_ = database.EndRequestTx(rctx)

	// A request that reads nothing holds no connection, and ends cleanly.
	rctx = db.WithRequestTx(ctx)
	if err := db.TxWith(rctx, county, func(pgx.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := database.EndRequestTx(rctx); err != nil {
		t.Fatal(err)
	}

	// Every connection is back in the pool, outside any transaction.
	if st := db.Pool.Stat(); st.AcquiredConns() != 0 {
		t.Errorf("%d connections still held after the requests ended", st.AcquiredConns())
	}
}
