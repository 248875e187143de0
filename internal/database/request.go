package database

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
)

// A request transaction lets every read of one page share one transaction:
// the pages call several services (the case, its items in force, the
// officers, the menu's counts…), and one transaction each cost a BEGIN, a
// set_config and a COMMIT around every query. With a request transaction a
// page costs its queries plus one round trip, the COMMIT at the end: BEGIN
// and the tenancy settings go with the first statement (lazyTx).
//
// It is opened lazily by the first Tx call of the request, with that call's
// settings, and ended by End (the server ends it before the response is
// written, so a request never holds a connection while a slow client reads).
// After End, or when a call has other settings, or once a call failed in
// it (it is then rolled back, as that call's own transaction would be), Tx
// falls back to a transaction of its own, exactly as before.
// Row-level security reads the same settings either way.
type requestTx struct {
	db       *DB
	mu       sync.Mutex
	tx       pgx.Tx
	settings Settings
	ended    bool // End was called, or the transaction failed: no more sharing
}

type requestTxKey struct{}

// WithRequestTx returns a context in which this pool's Tx calls share one
// transaction, and End to finish it (commit). Call End exactly once when the
// request's reads are done; calling it again does nothing.
func (db *DB) WithRequestTx(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestTxKey{}, &requestTx{db: db})
}

// EndRequestTx commits ctx's request transaction, if one was opened, and
// makes every later Tx call of the request use its own transaction.
func EndRequestTx(ctx context.Context) error {
	rt, _ := ctx.Value(requestTxKey{}).(*requestTx)
	if rt == nil {
		return nil
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.ended = true
	if rt.tx == nil {
		return nil
	}
	tx := rt.tx
	rt.tx = nil
	// The request's context may be cancelled (the client left): the commit
	// still runs, so the connection goes back to the pool clean.
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("commit the request transaction: %w", err)
	}
	return nil
}

// Ahead asks that the reads queue adds to a batch go with the request
// transaction's first round trip, after the statements of the call that
// begins it, rather than in a round trip of their own later (the menu's
// counts every page shows). Their callbacks run as that batch is read, and
// an error of theirs is that call's. It reports false when ctx has no
// request transaction that can take them (none, begun already, or with
// other settings): the caller then reads when it needs to, as usual, as it
// must too if the transaction is never begun.
func Ahead(ctx context.Context, s Settings, queue func(b *pgx.Batch)) bool {
	rt, _ := ctx.Value(requestTxKey{}).(*requestTx)
	if rt == nil {
		return false
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.ended || rt.tx != nil && rt.settings != s {
		return false
	}
	if rt.tx == nil {
		rt.tx, rt.settings = &lazyTx{pool: rt.db.Pool, settings: s}, s
	}
	l, ok := rt.tx.(*lazyTx)
	if !ok || l.tx != nil {
		return false
	}
	l.ahead = append(l.ahead, queue)
	return true
}

// AbortRequestTx rolls ctx's request transaction back, if one was opened
// (a handler panicked), and makes every later Tx call of the request use
// its own transaction.
func AbortRequestTx(ctx context.Context) {
	rt, _ := ctx.Value(requestTxKey{}).(*requestTx)
	if rt == nil {
		return
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.ended = true
	if rt.tx != nil {
		_ = rt.tx.Rollback(context.WithoutCancel(ctx))
		rt.tx = nil
	}
}

// shared runs fn in the request transaction if ctx has one that can take a
// call with settings s. ok is false when the caller must use a transaction
// of its own.
func (rt *requestTx) shared(ctx context.Context, s Settings, fn func(pgx.Tx) error) (ok bool, err error) {
	rt.mu.Lock()
	switch {
	case rt.ended:
		rt.mu.Unlock()
		return false, nil
	case rt.tx == nil:
		// Begun by its first statement, in that statement's round trip.
		rt.tx, rt.settings = &lazyTx{pool: rt.db.Pool, settings: s}, s
	case rt.settings != s:
		rt.mu.Unlock()
		return false, nil
	}
	tx := rt.tx
	// Unlocked while fn runs: a service may call another inside fn (same
	// goroutine), which then shares the transaction too.
	rt.mu.Unlock()
	err = fn(tx)
	if err != nil {
		// fn failed: as in a transaction of its own, nothing it did is
		// kept (and after a failed statement the transaction is aborted
		// anyway). The rest of the request goes on in transactions of
		// its own.
		rt.mu.Lock()
		if rt.tx == tx {
			rt.tx, rt.ended = nil, true
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
		rt.mu.Unlock()
	}
	return true, err
}

// beginQuery is BEGIN followed by Apply's set_config calls with the values
// as literals. The ids are numbers and the scope one of four words; the
// login is quoted (standard_conforming_strings is on in every supported
// PostgreSQL, so doubling the quotes is the whole of it).
func beginQuery(s Settings) (string, error) {
	if strings.ContainsRune(s.Login, 0) {
		return "", errors.New("begin: a NUL byte in the login")
	}
	return "BEGIN; SELECT set_config('app.scope', " + literal(string(s.Scope)) + ", true), " +
		"set_config('app.town_id', " + literal(idString(s.TownID)) + ", true), " +
		"set_config('app.user_id', " + literal(idString(s.UserID)) + ", true), " +
		"set_config('app.login', " + literal(s.Login) + ", true)", nil
}

func literal(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// ReadRow reads one row with settings s in a single round trip and no
// transaction of its own: the settings and the query go as one batch,
// which PostgreSQL runs as one implicit transaction, so the settings apply
// to the query and end with it. For the one read a request makes before it
// knows its actor (the session's user).
func (db *DB) ReadRow(ctx context.Context, s Settings, sql string, args []any, dest ...any) error {
	b := &pgx.Batch{}
	b.Queue(applySQL, applyArgs(s)...)
	b.Queue(sql, args...)
	br := db.Pool.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		return fmt.Errorf("apply tenancy settings: %w", err)
	}
	if err := br.QueryRow().Scan(dest...); err != nil {
		_ = br.Close()
		return err
	}
	return br.Close()
}
