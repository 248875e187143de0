package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/filestore"
	"zhifa/internal/localpg"
	"zhifa/internal/seed"
	"zhifa/internal/server"
	"zhifa/internal/testdb"
)

// faultCluster is a PostgreSQL of this test's own (the shared test cluster
// serves every other test of the package and must not be stopped), migrated
// and seeded, with an app on it.
type faultCluster struct {
	*localpg.Cluster
	app   *app
	files *filestore.Dir
}

func newFaultCluster(t *testing.T) *faultCluster {
	t.Helper()
	ctx := context.Background()
	base := os.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		base = "/dev/shm"
	}
	dir, err := os.MkdirTemp(base, "zhifa-fault-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil { // the postgres user reaches it when run as root
		t.Fatal(err)
	}
	c, err := localpg.Start(ctx, localpg.Options{DataDir: filepath.Join(dir, "data"), Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c.Running() {
			_ = c.Stop()
		}
	})
	if err := c.EnsureDatabase(ctx, "zhifa"); err != nil {
		t.Fatal(err)
	}
	if err := database.MigrateUp(ctx, c.URL(localpg.OwnerRole, "zhifa")); err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(ctx, c.URL(localpg.AppRole, "zhifa"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Run(ctx, db, account.NewHasher(account.CheapParams), testdb.Password, testdb.Today); err != nil {
		t.Fatal(err)
	}
	files, err := filestore.NewDir(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	clock := testdb.NewClock()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(db, account.New(db, account.NewHasher(account.CheapParams), clock.Now), clock.Now, log,
		server.Config{SessionIdle: 30 * time.Minute, SessionLifetime: 12 * time.Hour, Files: files})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(db.Close)
	t.Cleanup(srv.Wait)
	t.Cleanup(ts.Close)
	return &faultCluster{Cluster: c, files: files,
		app: &app{t: t, db: &testdb.DB{DB: db, Name: "zhifa"}, clock: clock, srv: srv, ts: ts}}
}

// restart starts the server again on the same folder and port, so the
// app's pool reconnects to the same URL.
func (f *faultCluster) restart(t *testing.T) {
	t.Helper()
	c, err := localpg.Start(context.Background(), localpg.Options{DataDir: f.DataDir, Port: f.Port, Fast: true})
	if err != nil {
		t.Fatalf("restart postgres: %v", err)
	}
	f.Cluster = c
}

// owner is a connection as the schema owner, past row-level security.
func (f *faultCluster) owner(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), f.URL(localpg.OwnerRole, "zhifa"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// PostgreSQL stopped (pg_ctl stop -m fast) and started again, twice, while
// team leaders file cases in parallel: every filing is one transaction, so
// afterwards each case is there whole (number, handlers, the timeline of
// registering and filing) or not at all, every filing the app confirmed is
// there, the numbers of the year run 1..n without a gap, and the app works
// again without a restart of its own.
func TestFaultPostgresRestartDuringFilings(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL of its own")
	}
	f := newFaultCluster(t)
	a := f.app
	ctx := context.Background()
	base := a.caseForm("maoba-officer1", "maoba-officer3")
	var before int64
	if err := f.owner(t).QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM cases`).Scan(&before); err != nil {
		t.Fatal(err)
	}

	const workers = 8
	var (
		stop      atomic.Bool
		seq       atomic.Int64
		mu        sync.Mutex
		confirmed = map[string]bool{} // case paths the app answered with
		failed    atomic.Int64
		wg        sync.WaitGroup
	)
	clients := make([]*client, workers)
	for i := range clients {
		clients[i] = a.login("maoba-leader")
	}
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				form := cloneValues(base)
				form.Set("party_id_number", idNumber("19800101", fmt.Sprintf("%03d", seq.Add(1))))
				form.Set("csrf_token", c.csrf)
				req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/cases/new", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res, err := c.send(req)
				if err == nil && res.status == http.StatusSeeOther && caseIDRE.MatchString(res.location) {
					mu.Lock()
					confirmed[res.location] = true
					mu.Unlock()
					continue
				}
				failed.Add(1)
				time.Sleep(20 * time.Millisecond) // the database is down: try again shortly
			}
		}()
	}
	for range 2 {
		time.Sleep(400 * time.Millisecond)
		if err := f.Stop(); err != nil {
			t.Fatalf("stop postgres: %v", err)
		}
		time.Sleep(300 * time.Millisecond)
		f.restart(t)
	}
	time.Sleep(600 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	t.Logf("%d filings confirmed, %d refused or failed while the database was down", len(confirmed), failed.Load())
	if failed.Load() == 0 {
		t.Error("no filing failed: the database was never down while filing (the test proves nothing)")
	}
	if len(confirmed) == 0 {
		t.Fatal("no filing succeeded")
	}

	// The app works again on its own: one more filing is confirmed.
	leader := a.login("maoba-leader")
	form := cloneValues(base)
	form.Set("party_id_number", idNumber("19800101", fmt.Sprintf("%03d", seq.Add(1))))
	path := fileCase(t, leader, form)
	confirmed[path] = true

	owner := f.owner(t)
	type row struct {
		ID       int64
		Number   *string
		Seq      *int32
		Officers int
		Register int
		File     int
	}
	rows, _ := owner.Query(ctx, `SELECT c.id, c.number, c.seq,
			(SELECT count(*)::int FROM case_officers o WHERE o.case_id = c.id),
			(SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.action = 'register'),
			(SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.action = 'file')
		FROM cases c WHERE c.id > $1 ORDER BY c.id`, before)
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		t.Fatal(err)
	}
	present := map[string]bool{}
	for _, r := range got {
		present[fmt.Sprintf("/cases/%d", r.ID)] = true
		if r.Number == nil || r.Seq == nil || r.Officers != 2 || r.Register != 1 || r.File != 1 {
			t.Errorf("half a case %d: number %v, %d handlers, %d register and %d file entries", r.ID, r.Number, r.Officers, r.Register, r.File)
		}
	}
	for p := range confirmed {
		if !present[p] {
			t.Errorf("the app confirmed %s but it is not in the database", p)
		}
	}
	// Numbers of each town and year: 1..n, and the counter at n.
	type numbering struct {
		Town, Year, N, Min, Max, Last int
	}
	rows, _ = owner.Query(ctx, `SELECT c.town_id::int, c.year, count(*)::int, min(c.seq), max(c.seq), k.last
		FROM cases c JOIN case_counters k ON k.town_id = c.town_id AND k.year = c.year
		WHERE c.seq IS NOT NULL GROUP BY c.town_id, c.year, k.last`)
	nums, err := pgx.CollectRows(rows, pgx.RowToStructByPos[numbering])
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nums {
		if n.Min != 1 || n.Max != n.N || n.Last != n.N {
			t.Errorf("town %d year %d: %d numbers from %d to %d, counter at %d: not gap-free", n.Town, n.Year, n.N, n.Min, n.Max, n.Last)
		}
	}
}

// failingReader yields n bytes, then fails: an upload cut off midway (the
// browser closed, the connection dropped) as the server sees it.
type failingReader struct {
	r io.Reader
	n int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection dropped")
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

// An evidence upload cut off halfway leaves no evidence row, no file under
// a final name and no temporary file; the same upload sent whole then
// stores exactly one file, named by its hash.
func TestFaultUploadCutOffMidway(t *testing.T) {
	files, err := filestore.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := files.Root
	a := newApp(t, func(c *server.Config) { c.Files = files })
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	officer := a.login("maoba-officer1")
	rowsBefore := a.evidenceCount(path)

	data := append(append([]byte(nil), jpegBytes...), bytes.Repeat([]byte{0x42}, 10<<20)...) // ~10 MB, sniffed as a photo
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("csrf_token", officer.csrf)
	for k, v := range map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"} {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "scene.jpg")
	_, _ = fw.Write(data)
	_ = w.Close()
	whole := body.Bytes()

	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+path+"/evidence", &failingReader{r: bytes.NewReader(whole), n: len(whole) / 2})
	req.ContentLength = int64(len(whole)) // the server expects it all
	req.Header.Set("Content-Type", w.FormDataContentType())
	if res, err := officer.send(req); err == nil && res.status < 400 {
		t.Fatalf("a cut-off upload was answered %d", res.status)
	}
	// The handler finishes with the broken body on its own time.
	deadline := time.Now().Add(10 * time.Second)
	for {
		stored, tmp := storeFiles(t, root)
		if len(stored) == 0 && len(tmp) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a cut-off upload the store holds %v and temporary files %v", stored, tmp)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := a.evidenceCount(path); n != rowsBefore {
		t.Errorf("evidence rows %d after a cut-off upload, want %d", n, rowsBefore)
	}

	req, _ = http.NewRequest(http.MethodPost, a.ts.URL+path+"/evidence", bytes.NewReader(whole))
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := officer.send(req)
	if err != nil || res.status != http.StatusSeeOther {
		t.Fatalf("the whole upload: %v %d %.300s", err, res.status, text(res.body))
	}
	if n := a.evidenceCount(path); n != rowsBefore+1 {
		t.Errorf("evidence rows %d after the whole upload, want %d", n, rowsBefore+1)
	}
	stored, tmp := storeFiles(t, root)
	if len(stored) != 1 || len(tmp) != 0 {
		t.Errorf("store holds %v, temporary %v; want one file", stored, tmp)
	}
}

// storeFiles lists the store's files under final names and its temporary
// files.
func storeFiles(t *testing.T, root string) (stored, tmp []string) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
			tmp = append(tmp, rel)
		} else {
			stored = append(stored, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return stored, tmp
}
