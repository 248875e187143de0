// Package database opens the PostgreSQL pool, runs migrations and gives every
// other package transactions that carry the acting user's tenancy settings,
// which the row-level security policies in migrations/ read.
package database

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"zhifa/internal/zhifa"
)

// DB is the application's connection pool.
type DB struct {
	Pool *pgxpool.Pool
}

// Open connects to url and checks the connection.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// A GET holds one connection while its handler runs (its request
		// transaction): more than pgxpool's default of four, so that
		// requests do not queue for a connection while the CPUs are free.
		cfg.MaxConns = int32(max(10, 4*runtime.GOMAXPROCS(0)))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return &DB{Pool: pool}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

// Settings are the per-transaction values the RLS policies read.
type Settings struct {
	Scope  zhifa.Scope
	TownID int64
	UserID int64
	Login  string // username under authentication
}

// SettingsFor derives the settings from the actor in ctx (none when anonymous).
func SettingsFor(ctx context.Context) Settings {
	a := zhifa.ActorFrom(ctx)
	if a == nil {
		return Settings{}
	}
	return Settings{Scope: a.Scope(), TownID: a.TownID, UserID: a.UserID}
}

// Tx runs fn in one transaction scoped to the actor in ctx, committing if fn
// returns nil. One user action is one call, so nothing is written half-way.
func (db *DB) Tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return db.TxWith(ctx, SettingsFor(ctx), fn)
}

// TxWith is Tx with explicit settings (login, before there is an actor).
// fn may run more than once (see the deadlock below): it must set, not
// accumulate, anything outside it that it fills (a count, a slice).
// The database's refusals of bad input come back as the user's messages
// (see translate). In a request with a request transaction (see
// WithRequestTx) a call with the same settings runs in it.
func (db *DB) TxWith(ctx context.Context, s Settings, fn func(pgx.Tx) error) error {
	if rt, _ := ctx.Value(requestTxKey{}).(*requestTx); rt != nil && rt.db == db {
		if ok, err := rt.shared(ctx, s, fn); ok {
			return translate(err)
		}
	}
	q, err := beginQuery(s)
	if err != nil {
		return err
	}
	// Two actions of one town can deadlock on the summary rows their
	// triggers update (case_stats, case_due_counts); PostgreSQL aborts one,
	// which is tried again, whole, as the user would.
	for attempt := 1; ; attempt++ {
		err = pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{BeginQuery: q}, fn)
		var pgErr *pgconn.PgError
		if attempt < maxDeadlockAttempts && errors.As(err, &pgErr) && pgErr.Code == pgerrcode.DeadlockDetected {
			continue
		}
		return translate(err)
	}
}

// maxDeadlockAttempts is how often a transaction aborted by a deadlock is run.
const maxDeadlockAttempts = 3

// Apply sets the tenancy settings for the rest of transaction tx only
// (set_config's third argument), so pooled connections never leak them.
func Apply(ctx context.Context, tx pgx.Tx, s Settings) error {
	if _, err := tx.Exec(ctx, applySQL, applyArgs(s)...); err != nil {
		return fmt.Errorf("apply tenancy settings: %w", err)
	}
	return nil
}

// applySQL sets the tenancy settings of the transaction from applyArgs.
const applySQL = `SELECT set_config('app.scope', $1, true), set_config('app.town_id', $2, true),
	set_config('app.user_id', $3, true), set_config('app.login', $4, true)`

func applyArgs(s Settings) []any {
	return []any{string(s.Scope), idString(s.TownID), idString(s.UserID), s.Login}
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
