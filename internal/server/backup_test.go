package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/backup"
	"zhifa/internal/database"
	"zhifa/internal/filestore"
	"zhifa/internal/localpg"
	"zhifa/internal/server"
)

// A seeded system with cases and evidence in the file store is backed up,
// and restored into a new PostgreSQL cluster and an empty file store: every
// table has the same rows (count and md5 of the rows in primary-key order),
// every file the same hash, and the restored system serves the evidence.
// A damaged backup and a non-empty target are refused, changing nothing.
func TestBackupAndRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := newApp(t)
	officer := a.login("maoba-officer1")
	haoping := a.login("haoping-leader")
	// Evidence in two towns, one file twice (stored once), one superseded.
	one := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(one)
	video := newVideo(3<<20, 7)
	res := streamUpload(t, officer, one+"/evidence", "执法记录仪.mp4", video, false,
		"kind", "audiovisual", "title", "执法记录仪视频", "collected_on", "2025-08-25")
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, officer.upload(one+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes), http.StatusSeeOther)
	photoID, _, _, _ := a.evidenceRow(one)
	wantStatus(t, officer.post(one+"/evidence/"+itoa(photoID)+"/supersede", url.Values{"reason": {"重拍"}}), http.StatusSeeOther)
	var other int64
	if err := a.owner().QueryRow(ctx, `SELECT c.id FROM cases c JOIN towns t ON t.id = c.town_id WHERE t.code = 'haoping'
		AND c.state NOT IN ('closed', 'archived', 'not_filed', 'no_penalty', 'revoked', 'transferred') ORDER BY c.id LIMIT 1`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	two := "/cases/" + itoa(other)
	haoping.get(two)
	wantStatus(t, haoping.upload(two+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-26"}, "same.jpg", jpegBytes), http.StatusSeeOther)
	a.srv.Wait()

	// The backup.
	store := a.srv.Cases.Files.(*filestore.Dir)
	dir := filepath.Join(t.TempDir(), "backup-2025-09-01")
	m, err := backup.Backup(ctx, dir, backup.Options{DatabaseURL: a.db.OwnerURL(), Files: store})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 2 || m.SchemaVersion < 21 {
		t.Fatalf("manifest: %d files (want 2: the video and the photo, stored once), schema %d", len(m.Files), m.SchemaVersion)
	}
	if _, err := backup.Verify(dir); err != nil {
		t.Fatalf("a fresh backup does not verify: %v", err)
	}
	// A backup is written to a new folder only.
	if _, err := backup.Backup(ctx, dir, backup.Options{DatabaseURL: a.db.OwnerURL(), Files: store}); err == nil ||
		!strings.Contains(err.Error(), "is not empty: write each backup to a new folder") {
		t.Fatalf("a backup over another: %v", err)
	}

	// A new cluster, with an empty database and an empty file store.
	cluster := newCluster(t)
	if err := cluster.EnsureDatabase(ctx, "zhifa"); err != nil {
		t.Fatal(err)
	}
	target := cluster.URL(localpg.OwnerRole, "zhifa")
	files, err := filestore.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}

	// A damaged backup is refused before anything is restored.
	damaged := filepath.Join(t.TempDir(), "damaged")
	copyTree(t, dir, damaged)
	victim := filepath.Join(damaged, filepath.FromSlash(m.Files[0].Path))
	b, _ := os.ReadFile(victim)
	b[len(b)/2] ^= 1
	_ = os.Chmod(victim, 0o640)
	if err := os.WriteFile(victim, b, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Verify(damaged); err == nil || !strings.Contains(err.Error(), m.Files[0].Path+" is damaged") {
		t.Fatalf("verify of a damaged backup: %v", err)
	}
	_, err = backup.Restore(ctx, damaged, backup.Options{DatabaseURL: target, Files: files})
	if err == nil || !strings.Contains(err.Error(), m.Files[0].Path+" is damaged") {
		t.Fatalf("restore of a damaged backup: %v", err)
	}
	if n := tableCount(t, target); n != 0 {
		t.Fatalf("a refused restore created %d tables", n)
	}
	if err := files.Walk(func(sha string) error { return fmt.Errorf("a refused restore stored %s", sha) }); err != nil {
		t.Fatal(err)
	}

	// The restore.
	if _, err := backup.Restore(ctx, dir, backup.Options{DatabaseURL: target, Files: files}); err != nil {
		t.Fatal(err)
	}

	// Every table, row for row. Sessions are not backed up (logins are not
	// records, and a backup should carry no live login tokens).
	src, dst := tableDigests(t, a.db.OwnerURL()), tableDigests(t, target)
	if len(src) < 30 {
		t.Fatalf("only %d tables found", len(src))
	}
	for name, want := range src {
		got, ok := dst[name]
		switch {
		case !ok:
			t.Errorf("table %s is missing after the restore", name)
		case name == "sessions":
			if got.rows != 0 || want.rows == 0 {
				t.Errorf("sessions: %d rows backed up from %d", got.rows, want.rows)
			}
		case got != want:
			t.Errorf("table %s: %d rows (md5 %s) after the restore, %d rows (md5 %s) before", name, got.rows, got.md5, want.rows, want.md5)
		}
	}
	for name := range dst {
		if _, ok := src[name]; !ok {
			t.Errorf("table %s appeared in the restore", name)
		}
	}
	t.Logf("%d tables compared; %d evidence rows, %d cases", len(src), src["evidence"].rows, src["cases"].rows)

	// Every file, by its hash: those the rows name, and nothing else.
	var restored []string
	err = files.Walk(func(sha string) error {
		f, _, err := files.Open(ctx, sha)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != sha {
			return fmt.Errorf("restored file %s hashes to %s", sha, got)
		}
		restored = append(restored, sha)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(restored)
	if want := storedHashes(t, a.db.OwnerURL()); !slices.Equal(restored, want) {
		t.Fatalf("restored files %v, the rows name %v", restored, want)
	}
	if !slices.Contains(restored, video.hash()) {
		t.Fatal("the video is not among the restored files")
	}

	// The restored system runs: its officer downloads the video by its hash.
	db, err := database.Open(ctx, cluster.URL(localpg.AppRole, "zhifa"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	srv := server.New(db, account.New(db, account.NewHasher(account.CheapParams), a.clock.Now), a.clock.Now,
		slog.New(slog.NewTextHandler(io.Discard, nil)), server.Config{SessionIdle: time.Hour, SessionLifetime: time.Hour, Files: files})
	t.Cleanup(srv.Wait)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	b2 := &app{t: t, srv: srv, ts: ts}
	again := b2.login("maoba-officer1")
	videoID := evidenceID(t, target, video.hash())
	dl := again.get(one + "/evidence/" + itoa(videoID))
	if sum := sha256.Sum256([]byte(dl.body)); dl.status != http.StatusOK || hex.EncodeToString(sum[:]) != video.hash() {
		t.Fatalf("download from the restored system: status %d", dl.status)
	}
	mustContain(t, again.get(one), "执法记录仪视频", "已替换：重拍")

	// A restore over a system that has data is refused, and says why.
	_, err = backup.Restore(ctx, dir, backup.Options{DatabaseURL: target, Files: files})
	if !errors.Is(err, backup.ErrNotEmpty) || !strings.Contains(err.Error(), `database "zhifa" already has`) ||
		!strings.Contains(err.Error(), "A backup is restored only into an empty database, never over data") {
		t.Fatalf("restore over data: %v", err)
	}
}

// newCluster starts a throwaway PostgreSQL cluster of its own.
func newCluster(t *testing.T) *localpg.Cluster {
	t.Helper()
	base := os.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		base = "/dev/shm"
	}
	dir, err := os.MkdirTemp(base, "zhifa-restore-")
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(dir, 0o755) // the postgres user must reach it when the tests run as root
	t.Cleanup(func() { os.RemoveAll(dir) })
	cluster, err := localpg.Start(context.Background(), localpg.Options{DataDir: filepath.Join(dir, "data"), Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cluster.Stop(); err != nil {
			t.Logf("stop the restore cluster: %v", err)
		}
	})
	return cluster
}

type digest struct {
	rows int64
	md5  string
}

// tableDigests is, for every table of the app's schema, its row count and
// the md5 of its rows in primary-key order (as the schema owner, who sees
// every town's rows).
func tableDigests(t *testing.T, url string) map[string]digest {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SET TimeZone = 'UTC'; SET extra_float_digits = 3`); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, `
		SELECT c.relname,
		       coalesce((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY array_position(i.indkey::int[], a.attnum::int))
		                 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
		                 WHERE i.indrelid = c.oid AND i.indisprimary), '')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	type table struct{ name, key string }
	tables, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (table, error) {
		var tb table
		return tb, r.Scan(&tb.name, &tb.key)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]digest{}
	for _, tb := range tables {
		order := tb.key
		if order == "" {
			order = "t::text" // no primary key: the rows' text is the order
		}
		var d digest
		q := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(t::text, E'\n' ORDER BY %s)), '') FROM public.%s t`,
			order, pgx.Identifier{tb.name}.Sanitize())
		if err := conn.QueryRow(ctx, q).Scan(&d.rows, &d.md5); err != nil {
			t.Fatalf("%s: %v", tb.name, err)
		}
		out[tb.name] = d
	}
	return out
}

func tableCount(t *testing.T, url string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// storedHashes are the files the evidence rows name in the store.
func storedHashes(t *testing.T, url string) []string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), `SELECT DISTINCT sha256 FROM evidence WHERE stored ORDER BY 1`)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func evidenceID(t *testing.T, url, sha string) int64 {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var id int64
	if err := conn.QueryRow(context.Background(), `SELECT id FROM evidence WHERE sha256 = $1 ORDER BY id LIMIT 1`, sha).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// copyTree copies the backup folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o750)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o640)
	})
	if err != nil {
		t.Fatal(err)
	}
}
