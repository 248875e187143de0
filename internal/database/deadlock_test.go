package database_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

// Two actions that deadlock (as two writers of one town's summary rows
// can): PostgreSQL aborts one, and Tx runs it again, whole, so both succeed
// and what the retried one returns is counted once.
func TestTxRunsAgainAfterDeadlock(t *testing.T) {
	db := testdb.New(t)
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	var runs atomic.Int32
	var holding sync.WaitGroup // both hold their first lock (first runs only)
	holding.Add(2)
	action := func(first, second int64, got *[]int64) error {
		var once bool
		return db.Tx(ctx, func(tx pgx.Tx) error {
			runs.Add(1)
			*got = (*got)[:0] // made afresh on each run, as Tx asks
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(9001, $1::int)`, first); err != nil {
				return err
			}
			*got = append(*got, first)
			if !once {
				once = true
				holding.Done()
				holding.Wait()
			}
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(9001, $1::int)`, second); err != nil {
				return err
			}
			*got = append(*got, second)
			return nil
		})
	}
	var a, b []int64
	var errA, errB error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); errA = action(1, 2, &a) }()
	go func() { defer wg.Done(); errB = action(2, 1, &b) }()
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("after a deadlock: %v, %v; want both actions done", errA, errB)
	}
	if n := runs.Load(); n != 3 {
		t.Errorf("the two actions ran %d times, want 3 (one run again after the deadlock)", n)
	}
	if len(a) != 2 || len(b) != 2 {
		t.Errorf("results %v and %v, want two locks each, counted once", a, b)
	}
}
