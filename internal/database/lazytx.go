package database

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// lazyTx is a request transaction that is begun by its first statement, in
// the same round trip: BEGIN, the tenancy settings and that statement (or
// batch) go as one pgx batch (Batch.BeginTx). A page's reads then cost
// their own round trips and the COMMIT, and nothing for the BEGIN.
//
// Reads asked for ahead (Ahead) go after that first statement, in the same
// batch. Until its first statement it holds no connection. Everything after goes
// to the transaction the batch began, a *pgxpool.Tx, whose Commit or
// Rollback returns the connection to the pool.
type lazyTx struct {
	pool     *pgxpool.Pool
	settings Settings
	tx       pgx.Tx             // nil until begun
	ahead    []func(*pgx.Batch) // reads to go with the first round trip (Ahead)
}

var _ pgx.Tx = (*lazyTx)(nil)

// errNotBegun: a method that needs the connection itself before any
// statement has run (none of the app's code calls one).
var errNotBegun = errors.New("request transaction: not begun")

// sendBegun begins the transaction with b's statements after BEGIN and the
// settings, and returns b's results alone.
func (l *lazyTx) sendBegun(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	nb := &pgx.Batch{}
	nb.BeginTx(pgx.TxOptions{})
	nb.Queue(applySQL, applyArgs(l.settings)...)
	nb.QueuedQueries = append(nb.QueuedQueries, b.QueuedQueries...)
	for _, queue := range l.ahead {
		queue(nb)
	}
	l.ahead = nil
	br := l.pool.SendBatch(ctx, nb)
	l.tx = br.Tx()
	return &skipResults{BatchResults: br, skip: 2}
}

// begin begins the transaction on its own (for the methods that cannot go
// in a batch).
func (l *lazyTx) begin(ctx context.Context) error {
	if l.tx != nil {
		return nil
	}
	return l.sendBegun(ctx, &pgx.Batch{}).Close()
}

func (l *lazyTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if l.tx != nil {
		return l.tx.SendBatch(ctx, b)
	}
	return l.sendBegun(ctx, b)
}

func (l *lazyTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if l.tx != nil {
		return l.tx.Query(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := l.sendBegun(ctx, b)
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		if rows == nil { // BEGIN or the settings failed
			rows = errRows{err}
		}
		return rows, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (l *lazyTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if l.tx != nil {
		return l.tx.QueryRow(ctx, sql, args...)
	}
	rows, err := l.Query(ctx, sql, args...)
	return &batchRow{rows: rows, err: err}
}

func (l *lazyTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if l.tx != nil {
		return l.tx.Exec(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := l.sendBegun(ctx, b)
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (l *lazyTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if err := l.begin(ctx); err != nil {
		return 0, err
	}
	return l.tx.CopyFrom(ctx, table, columns, src)
}

func (l *lazyTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := l.begin(ctx); err != nil {
		return nil, err
	}
	return l.tx.Begin(ctx)
}

func (l *lazyTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := l.begin(ctx); err != nil {
		return nil, err
	}
	return l.tx.Prepare(ctx, name, sql)
}

// Commit commits, if anything was begun.
func (l *lazyTx) Commit(ctx context.Context) error {
	if l.tx == nil {
		return nil
	}
	return l.tx.Commit(ctx)
}

// Rollback rolls back, if anything was begun.
func (l *lazyTx) Rollback(ctx context.Context) error {
	if l.tx == nil {
		return nil
	}
	return l.tx.Rollback(ctx)
}

// LargeObjects and Conn need the connection: only once begun.
func (l *lazyTx) LargeObjects() pgx.LargeObjects {
	if l.tx == nil {
		panic(errNotBegun)
	}
	return l.tx.LargeObjects()
}

func (l *lazyTx) Conn() *pgx.Conn {
	if l.tx == nil {
		return nil
	}
	return l.tx.Conn()
}

// skipResults are a batch's results without its first skip (BEGIN and the
// settings), which are read, and their errors reported, before the first
// result the caller asks for. Close reads them with the rest.
type skipResults struct {
	pgx.BatchResults
	skip int
}

func (s *skipResults) skipped() error {
	for ; s.skip > 0; s.skip-- {
		if _, err := s.BatchResults.Exec(); err != nil {
			s.skip = 0
			return err
		}
	}
	return nil
}

func (s *skipResults) Exec() (pgconn.CommandTag, error) {
	if err := s.skipped(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return s.BatchResults.Exec()
}

func (s *skipResults) Query() (pgx.Rows, error) {
	if err := s.skipped(); err != nil {
		return nil, err
	}
	return s.BatchResults.Query()
}

func (s *skipResults) QueryRow() pgx.Row {
	if err := s.skipped(); err != nil {
		return &batchRow{err: err}
	}
	return s.BatchResults.QueryRow()
}

// batchRows are the rows of a query sent as a batch: the batch is closed
// with them (when they are closed or read to the end), so the connection is
// free for the next statement.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
	err    error // the batch's Close
}

func (r *batchRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *batchRows) Close() {
	r.Rows.Close()
	if !r.closed {
		r.closed = true
		r.err = r.br.Close()
	}
}

func (r *batchRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// batchRow is QueryRow over batchRows, as pgx's own row is over its rows.
type batchRow struct {
	rows pgx.Rows
	err  error
}

func (r *batchRow) Scan(dest ...any) error {
	if r.err != nil {
		if r.rows != nil {
			r.rows.Close()
		}
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// errRows are the rows of a query that was never run: callers may read
// them as pgx's own, which report the error from Err.
type errRows struct{ err error }

func (r errRows) Close()                                       {}
func (r errRows) Err() error                                   { return r.err }
func (r errRows) CommandTag() pgconn.CommandTag                { return pgconn.CommandTag{} }
func (r errRows) FieldDescriptions() []pgconn.FieldDescription { return nil }
func (r errRows) Next() bool                                   { return false }
func (r errRows) Scan(...any) error                            { return r.err }
func (r errRows) Values() ([]any, error)                       { return nil, r.err }
func (r errRows) RawValues() [][]byte                          { return nil }
func (r errRows) Conn() *pgx.Conn                              { return nil }
func (r errRows) TypeMap() *pgtype.Map                         { return nil }
