package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/filestore"
	"zhifa/internal/server"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// app is one test's running system: its own database, the real router, a
// real HTTP server on loopback.
type app struct {
	t     testing.TB
	db    *testdb.DB
	clock *testdb.Clock
	srv   *server.Server
	ts    *httptest.Server
}

func newApp(t testing.TB, opts ...func(*server.Config)) *app {
	t.Helper()
	db := testdb.New(t)
	clock := testdb.NewClock()
	cfg := server.Config{SessionIdle: 30 * time.Minute, SessionLifetime: 12 * time.Hour}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.Files == nil { // each test's evidence files in its own folder
		files, err := filestore.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		cfg.Files = files
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	accounts := account.New(db.DB, account.NewHasher(account.CheapParams), clock.Now)
	srv := server.New(db.DB, accounts, clock.Now, log, cfg)
	t.Cleanup(srv.Wait) // runs before the database is dropped
	t.Cleanup(srv.ListenForChanges())
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &app{t: t, db: db, clock: clock, srv: srv, ts: ts}
}

// client is one browser: a cookie jar and the last CSRF token it saw.
type client struct {
	t    testing.TB
	app  *app
	http *http.Client
	csrf string
}

type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, app: a, http: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // tests assert on the redirect itself
		},
	}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.send(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return res
}

// send is do without the test: safe to call from another goroutine.
func (c *client) send(req *http.Request) (response, error) {
	res, err := c.http.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	body := string(b)
	if m := csrfRE.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return response{status: res.StatusCode, body: body, location: res.Header.Get("Location"), header: res.Header}, nil
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.ts.URL+path, nil)
	return c.do(req)
}

// post submits a form with the session's CSRF token, fetching a page first
// if the client has none yet (as a browser would have the form).
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if c.csrf == "" {
		c.get("/login")
	}
	form = cloneValues(form)
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", c.csrf)
	}
	return c.postRaw(path, form, nil)
}

func (c *client) postRaw(path string, form url.Values, header http.Header) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return c.do(req)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// login returns a client logged in as username with the demo password.
func (a *app) login(username string) *client { return a.loginAs(a.t, username) }

// loginAs is login for a subtest t (failures are reported on t).
func (a *app) loginAs(t testing.TB, username string) *client {
	t.Helper()
	c := a.client()
	c.t = t
	res := c.post("/login", url.Values{"username": {username}, "password": {testdb.Password}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d, body: %s", username, res.status, text(res.body))
	}
	c.get(res.location) // as the browser follows the redirect; picks up the new CSRF token
	return c
}

func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.app.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "zhifa_session" {
			return ck.Value
		}
	}
	return ""
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// text is the page as a user reads it: tags stripped, spaces collapsed.
func text(html string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(html, " ")), " ")
}

func mustContain(t testing.TB, res response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.body, w) {
			t.Errorf("page does not contain %q; page text: %.800s", w, text(res.body))
		}
	}
}

func mustNotContain(t testing.TB, res response, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(res.body, w) {
			t.Errorf("page contains %q but must not", w)
		}
	}
}

func wantStatus(t testing.TB, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status %d, want %d; page: %.600s", res.status, want, text(res.body))
	}
}

// userRow is a user as the county sees it, for building test matrices.
type userRow struct {
	ID          int64
	Username    string
	DisplayName string
	Role        string
	TownCode    string
}

// allUsers reads every account through the county administrator's scope.
func (a *app) allUsers() []userRow {
	a.t.Helper()
	var out []userRow
	ctx := zhifa.WithActor(context.Background(), zhifa.System)
	err := a.db.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT u.id, u.username, u.display_name, u.role, coalesce(t.code, '')
			FROM users u LEFT JOIN towns t ON t.id = u.town_id ORDER BY u.id`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[userRow])
		return err
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return out
}

func (a *app) user(username string) userRow {
	a.t.Helper()
	for _, u := range a.allUsers() {
		if u.Username == username {
			return u
		}
	}
	a.t.Fatalf("no user %s", username)
	return userRow{}
}

// inTx runs fn under explicit tenancy settings, as the app role.
func (a *app) inTx(s database.Settings, fn func(tx pgx.Tx) error) error {
	return a.db.TxWith(context.Background(), s, fn)
}

// mustTx is inTx for reading test fixtures: an error fails the test.
func (a *app) mustTx(s database.Settings, fn func(tx pgx.Tx) error) {
	a.t.Helper()
	if err := a.inTx(s, fn); err != nil {
		a.t.Fatalf("test query: %v", err)
	}
}

// owner connects to the test's database as the schema owner (who bypasses
// row-level security and holds every grant), so a statement reaches the
// table's triggers; closed when the test ends.
func (a *app) owner() *pgx.Conn {
	a.t.Helper()
	conn, err := pgx.Connect(context.Background(), a.db.OwnerURL())
	if err != nil {
		a.t.Fatalf("connect as owner: %v", err)
	}
	a.t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// wantPgError fails unless err is the PostgreSQL error with the SQLSTATE
// code whose message contains msg: the specific refusal, not any error.
func wantPgError(t testing.TB, what string, err error, code, msg string) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		t.Errorf("%s: want PostgreSQL error %s %q, got %v", what, code, msg, err)
		return
	}
	if pgErr.Code != code || !strings.Contains(pgErr.Message, msg) {
		t.Errorf("%s: got error %s %q, want %s %q", what, pgErr.Code, pgErr.Message, code, msg)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
