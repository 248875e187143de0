package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/server"
	"zhifa/internal/zhifa"
)

// countingTracer counts the transactions begun and the statements run on
// a pool.
type countingTracer struct{ begins, statements, roundTrips atomic.Int64 }

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.roundTrips.Add(1)
	c.statement(d.SQL)
	return ctx
}

func (c *countingTracer) statement(sql string) {
	c.statements.Add(1)
	if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(sql)), "BEGIN") {
		c.begins.Add(1)
	}
}

func (c *countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// A batch's statements count one by one: the BEGIN of a request
// transaction goes with its first statements (Batch.BeginTx).
func (c *countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.roundTrips.Add(1)
	return ctx
}

func (c *countingTracer) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.statement(d.SQL)
}

func (c *countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// tracedInstance is a second app on a's database whose pool counts its
// transactions.
func tracedInstance(t *testing.T, a *app) (*app, *countingTracer) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(a.db.AppURL())
	if err != nil {
		t.Fatal(err)
	}
	tr := &countingTracer{}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	db := &database.DB{Pool: pool}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(db, account.New(db, account.NewHasher(account.CheapParams), a.clock.Now), a.clock.Now, log,
		server.Config{SessionIdle: 30 * time.Minute, SessionLifetime: 12 * time.Hour})
	t.Cleanup(srv.Wait)
	t.Cleanup(srv.ListenForChanges()) // reference data from memory, as in production
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	b := &app{t: t, db: a.db, clock: a.clock, srv: srv, ts: ts}
	listening(t, b)
	return b, tr
}

// A page's reads share one transaction: the case list and a case page each
// begin one, however many services they call. And the list costs three
// round trips to the database: the session with its user; BEGIN with the
// list, its totals and the menu's counts; COMMIT. The other pages cost at
// most what they cost today.
func TestPageReadsShareOneTransaction(t *testing.T) {
	a := newApp(t)
	b, tr := tracedInstance(t, a)
	leader := b.login("maoba-leader")
	var id int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeTown, TownID: townID(a, "maoba")}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM cases WHERE number IS NOT NULL ORDER BY id LIMIT 1`).Scan(&id)
	})
	// The round trips each page may cost (the case page: the session, its
	// loader with the rules' environment and the menu, the documents, the
	// publication, the access log, COMMIT and one more for the filing).
	mostTrips := map[string]int64{"/cases": 3, "/cases/" + strconv.FormatInt(id, 10): 8, "/": 3, "/officers": 3}
	for _, path := range []string{"/cases", "/cases/" + strconv.FormatInt(id, 10), "/", "/officers"} {
		leader.get(path) // warm: the first view of a page may do more (its access log)
		leader.get(path)
		leader.get(path)
		before, stmts, trips := tr.begins.Load(), tr.statements.Load(), tr.roundTrips.Load()
		res := leader.get(path)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.status)
		}
		if got := tr.begins.Load() - before; got != 1 {
			t.Errorf("GET %s began %d transactions, want 1 (statements: %d)", path, got, tr.statements.Load()-stmts)
		}
		if got, most := tr.roundTrips.Load()-trips, mostTrips[path]; got > most {
			t.Errorf("GET %s took %d round trips to the database, want at most %d", path, got, most)
		}
	}
}

// A case page's read is in the access log once the page has been sent: the
// request transaction is committed before the response starts.
func TestCaseReadLoggedBeforePageSent(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	var id int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeTown, TownID: townID(a, "maoba")}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM cases WHERE number IS NOT NULL ORDER BY id LIMIT 1`).Scan(&id)
	})
	count := func() (n int) {
		a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM access_log WHERE case_id = $1`, id).Scan(&n)
		})
		return n
	}
	before := count()
	if res := officer.get("/cases/" + strconv.FormatInt(id, 10)); res.status != http.StatusOK {
		t.Fatalf("case page: %d", res.status)
	}
	if got := count(); got != before+1 {
		t.Fatalf("access log rows for the case: %d after the page, want %d", got, before+1)
	}
}

// Viewing pages does not write the session again and again: the stored
// expiry moves only when the session changes or the idle warning's
// 继续工作 asks (keepalive).
func TestPageViewsDoNotRewriteTheSession(t *testing.T) {
	a := newApp(t)
	c := a.login("maoba-officer1")
	token := c.sessionCookie()
	if token == "" {
		t.Fatal("no session cookie after login")
	}
	expiry := func() (e time.Time) {
		a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT expiry FROM sessions WHERE token = $1`, token).Scan(&e)
		})
		return e
	}
	c.get("/") // the first page after login may add the form token to the session
	first := expiry()
	time.Sleep(20 * time.Millisecond)
	for _, p := range []string{"/", "/cases", "/officers"} {
		if res := c.get(p); res.status != http.StatusOK {
			t.Fatalf("GET %s: %d", p, res.status)
		}
	}
	if got := expiry(); !got.Equal(first) {
		t.Errorf("the session was written by page views: expiry %v, then %v", first, got)
	}
	if res := c.get("/session/keepalive"); res.status != http.StatusNoContent {
		t.Fatalf("keepalive: %d", res.status)
	}
	if got := expiry(); !got.After(first) {
		t.Errorf("keepalive did not renew the session: expiry %v, then %v", first, got)
	}
	// Still logged in after all that.
	if res := c.get("/cases"); res.status != http.StatusOK || !strings.Contains(res.body, "案件") {
		t.Fatalf("after keepalive: %d", res.status)
	}
}

// A session stored before the compact session codec (in gob) is still
// read: nobody is logged out by the upgrade, and the next change of the
// session stores it in the new format.
func TestGobSessionStillLoggedIn(t *testing.T) {
	a := newApp(t)
	c := a.login("maoba-officer1")
	token := c.sessionCookie()
	old, err := scs.GobCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{"user_id": a.user("maoba-officer1").ID})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if tag, err := a.owner().Exec(ctx, `UPDATE sessions SET data = $2 WHERE token = $1`, token, old); err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("store the gob session: %v %v", tag, err)
	}
	res := c.get("/cases")
	if res.status != http.StatusOK || !strings.Contains(res.body, a.user("maoba-officer1").DisplayName) {
		t.Fatalf("with a gob session: %d, logged in as maoba-officer1: %v", res.status, strings.Contains(res.body, a.user("maoba-officer1").DisplayName))
	}
	var data []byte
	if err := a.owner().QueryRow(ctx, `SELECT data FROM sessions WHERE token = $1`, token).Scan(&data); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(data, old) || len(data) == 0 || data[0] != 0xfa {
		t.Errorf("the session the page gave a form token is stored as %x, want the compact format", data)
	}
}
