// Package backup writes a consistent copy of the system — the database and
// the evidence files — to one folder, and brings such a copy back into an
// empty system (`zhifa backup DIR`, `zhifa restore DIR`).
//
// Consistency: one repeatable-read transaction exports its snapshot; pg_dump
// dumps exactly that snapshot (--snapshot), and the list of evidence files to
// copy is read in the same transaction. Files are written to the store before
// their rows, so every file a row of the snapshot names is already in the
// store; uploads that finish meanwhile are in neither the dump nor the copy.
//
// The folder holds db.dump (pg_dump custom format), files/ab/cd/<sha256>
// and manifest.json, written last, with the size and SHA-256 of every other
// file: a folder without a manifest is an unfinished backup.
package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/filestore"
	"zhifa/internal/localpg"
)

// ManifestName is the manifest's file name in a backup folder.
const ManifestName = "manifest.json"

const dumpName = "db.dump"

// AppRole is the role the schema grants to; it must exist where a backup is
// restored (the migrations create it, localpg creates it as a login role).
const AppRole = "zhifa_app"

// Manifest describes a backup.
type Manifest struct {
	Format        int       `json:"format"` // 1
	Created       time.Time `json:"created"`
	Database      string    `json:"database"`
	ServerVersion string    `json:"server_version"`
	SchemaVersion int64     `json:"schema_version"` // the last migration applied
	Dump          Entry     `json:"dump"`
	Files         []Entry   `json:"files"` // the evidence files the dump's rows name
}

// Entry is one file of a backup, by its path in the folder.
type Entry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Options say where the system is.
type Options struct {
	// DatabaseURL is the schema owner's connection (ZHIFA_MIGRATE_URL). It
	// must bypass row-level security (BYPASSRLS), or it would see, and copy,
	// no town's rows.
	DatabaseURL string
	Files       *filestore.Dir
	// BinDir holds pg_dump and pg_restore, of the server's major version or
	// newer; "" finds them as the local cluster does (ZHIFA_PG_BIN, PATH,
	// /usr/lib/postgresql/*/bin).
	BinDir string
	Log    func(format string, args ...any) // progress; nil = quiet
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		o.Log(format, args...)
	}
}

func (o *Options) tool(name string) (string, error) {
	dir := o.BinDir
	if dir == "" {
		var err error
		if dir, err = localpg.FindBinDir(); err != nil {
			return "", err
		}
	}
	if p := filepath.Join(dir, name); isFile(p) {
		return p, nil
	}
	// pg_ctl on PATH may be a link into the server's own bin folder.
	if real, err := filepath.EvalSymlinks(filepath.Join(dir, "pg_ctl")); err == nil {
		if p := filepath.Join(filepath.Dir(real), name); isFile(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found (looked in %s and PATH): install the PostgreSQL client tools of the server's version, or set ZHIFA_PG_BIN", name, dir)
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Backup writes a backup of the system to dir, which must be missing or
// empty.
func Backup(ctx context.Context, dir string, o Options) (*Manifest, error) {
	if err := emptyDir(dir); err != nil {
		return nil, err
	}
	pgDump, err := o.tool("pg_dump")
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("backup: connect: %w", err)
	}
	defer conn.Close(context.Background())
	if err := canSeeEveryRow(ctx, conn); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	m := &Manifest{Format: 1, Created: time.Now().UTC(), Files: []Entry{}}
	// The snapshot lives as long as this transaction: pg_dump runs inside it.
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer tx.Rollback(context.Background())
	var snapshot string
	if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot(), current_database(), current_setting('server_version')`).
		Scan(&snapshot, &m.Database, &m.ServerVersion); err != nil {
		return nil, fmt.Errorf("backup: export snapshot: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT version FROM schema_migrations`).Scan(&m.SchemaVersion); err != nil {
		return nil, fmt.Errorf("backup: schema version: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT sha256 FROM evidence WHERE stored ORDER BY sha256`)
	if err != nil {
		return nil, fmt.Errorf("backup: evidence files: %w", err)
	}
	hashes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("backup: evidence files: %w", err)
	}

	o.logf("dumping database %s (schema version %d)", m.Database, m.SchemaVersion)
	dumpURL, env, err := splitPassword(o.DatabaseURL)
	if err != nil {
		return nil, err
	}
	// Sessions are not records: a restored system starts with everyone
	// logged out, and the backup carries no live login tokens.
	if err := run(ctx, env, pgDump, "--format=custom", "--snapshot="+snapshot, "--exclude-table-data=sessions",
		"--no-password", "--file="+filepath.Join(dir, dumpName), "--dbname="+dumpURL); err != nil {
		return nil, err
	}
	// Personal data of every town: readable by the backup's owner only.
	if err := os.Chmod(filepath.Join(dir, dumpName), 0o640); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if m.Dump, err = entryOf(dir, dumpName); err != nil {
		return nil, err
	}

	o.logf("copying %d evidence files", len(hashes))
	for _, sha := range hashes {
		e, err := copyFile(ctx, o.Files, sha, dir)
		if err != nil {
			return nil, err
		}
		m.Files = append(m.Files, e)
	}
	if err := tx.Rollback(ctx); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	o.logf("backup complete: %s", dir)
	return m, nil
}

// canSeeEveryRow refuses a role that row-level security would limit.
func canSeeEveryRow(ctx context.Context, conn *pgx.Conn) error {
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return errors.New("the database role must bypass row-level security (BYPASSRLS) to copy every town's rows: use the schema owner's connection (ZHIFA_MIGRATE_URL)")
	}
	return nil
}

// copyFile copies a stored file into the backup, checking its hash on the way.
func copyFile(ctx context.Context, store *filestore.Dir, sha, dir string) (Entry, error) {
	if store == nil {
		return Entry{}, errors.New("backup: no file store")
	}
	src, _, err := store.Open(ctx, sha)
	if errors.Is(err, filestore.ErrNotFound) {
		return Entry{}, fmt.Errorf("backup: evidence file %s is named by the database but missing from the file store %s", sha, store.Root)
	} else if err != nil {
		return Entry{}, err
	}
	defer src.Close()
	rel := filePath(sha)
	size, got, err := writeFile(filepath.Join(dir, rel), src)
	if err != nil {
		return Entry{}, fmt.Errorf("backup: %w", err)
	}
	if got != sha {
		return Entry{}, fmt.Errorf("backup: the stored file %s is damaged (its bytes hash to %s)", sha, got)
	}
	return Entry{Path: rel, Size: size, SHA256: sha}, nil
}

// filePath is where a backup keeps the file with hash sha (slash-separated,
// as the manifest records it).
func filePath(sha string) string { return "files/" + sha[0:2] + "/" + sha[2:4] + "/" + sha }

// writeFile writes r to path (synced) and returns its size and hash.
func writeFile(path string, r io.Reader) (int64, string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return 0, "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// entryOf hashes the file rel of dir.
func entryOf(dir, rel string) (Entry, error) {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return Entry{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Entry{}, fmt.Errorf("backup: %s: %w", rel, err)
	}
	return Entry{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeManifest(dir string, m *Manifest) error {
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, ManifestName+".tmp")
	if _, _, err := writeFile(tmp, bytes.NewReader(append(b, '\n'))); err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, ManifestName)); err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ReadManifest reads a backup's manifest.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("restore: %s has no %s: not a backup, or an unfinished one", dir, ManifestName)
	} else if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("restore: %s: %w", ManifestName, err)
	}
	if m.Format != 1 {
		return nil, fmt.Errorf("restore: backup format %d is not known to this version", m.Format)
	}
	if m.Dump.Path != dumpName {
		return nil, fmt.Errorf("restore: the manifest names no database dump")
	}
	for _, e := range m.Files {
		if !filestore.ValidHash(e.SHA256) || e.Path != filePath(e.SHA256) {
			return nil, fmt.Errorf("restore: the manifest lists a file that is not an evidence file: %q", e.Path)
		}
	}
	return &m, nil
}

// Verify checks every file of the backup in dir against its manifest: it
// is there, of its size, with its hash.
func Verify(dir string) (*Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	for _, want := range append([]Entry{m.Dump}, m.Files...) {
		if err := checkEntry(dir, want); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func checkEntry(dir string, want Entry) error {
	got, err := entryOf(dir, want.Path)
	if err != nil {
		return fmt.Errorf("restore: %s is missing from the backup: %w", want.Path, err)
	}
	if got.Size != want.Size || got.SHA256 != want.SHA256 {
		return fmt.Errorf("restore: %s is damaged: %d bytes with SHA-256 %s, the manifest says %d bytes with %s",
			want.Path, got.Size, got.SHA256, want.Size, want.SHA256)
	}
	return nil
}

// ErrNotEmpty is returned by Restore when the target already holds a system.
var ErrNotEmpty = errors.New("restore: the target database is not empty")

// Restore brings the backup in dir into an empty system: a database with no
// tables, whose roles exist (the owner running the restore, and zhifa_app),
// and a file store (files already there are kept: they are named by their
// bytes). It checks the whole backup against its manifest first and writes
// the evidence files before the database, so that every row restored names
// a file that is in place; the database is restored in one transaction.
func Restore(ctx context.Context, dir string, o Options) (*Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	// Every file is there with its size; the dump is whole. The evidence
	// files are hashed as they are copied into the store, below.
	if err := checkEntry(dir, m.Dump); err != nil {
		return nil, err
	}
	for _, e := range m.Files {
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(e.Path)))
		if err != nil || st.Size() != e.Size {
			return nil, fmt.Errorf("restore: %s is missing from the backup or of the wrong size", e.Path)
		}
	}
	pgRestore, err := o.tool("pg_restore")
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("restore: connect: %w", err)
	}
	defer conn.Close(context.Background())
	var db string
	var tables []string
	if err := conn.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		  AND n.nspname NOT LIKE 'pg\_%' ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	if tables, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, err
	}
	if len(tables) > 0 {
		return nil, fmt.Errorf("%w: database %q already has %d tables (%s…). A backup is restored only into an empty database, never over data: create a new database owned by the schema owner and point ZHIFA_MIGRATE_URL and DATABASE_URL at it",
			ErrNotEmpty, db, len(tables), tables[0])
	}
	if err := canSeeEveryRow(ctx, conn); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	var hasApp bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)`, AppRole).Scan(&hasApp); err != nil {
		return nil, err
	}
	if !hasApp {
		return nil, fmt.Errorf("restore: the role %s does not exist in this cluster: create it first (CREATE ROLE %s NOLOGIN, or a login role for the app that is a member of it)", AppRole, AppRole)
	}
	conn.Close(ctx)

	if o.Files == nil {
		return nil, errors.New("restore: no file store")
	}
	o.logf("restoring %d evidence files into %s", len(m.Files), o.Files.Root)
	for _, e := range m.Files {
		if err := restoreFile(ctx, o.Files, dir, e); err != nil {
			return nil, err
		}
	}
	o.logf("restoring database %q (schema version %d) from %s", db, m.SchemaVersion, m.Created.Format(time.RFC3339))
	restoreURL, env, err := splitPassword(o.DatabaseURL)
	if err != nil {
		return nil, err
	}
	// --no-owner: the objects belong to the role restoring them (the schema
	// owner here, whatever its name was there); grants to zhifa_app stay.
	if err := run(ctx, env, pgRestore, "--no-owner", "--single-transaction", "--exit-on-error", "--no-password",
		"--dbname="+restoreURL, filepath.Join(dir, dumpName)); err != nil {
		return nil, err
	}
	o.logf("restore complete")
	return m, nil
}

func restoreFile(ctx context.Context, store *filestore.Dir, dir string, e Entry) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(e.Path)))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	// Damaged bytes are not stored at all, and the database is not restored.
	size, err := store.PutExpecting(ctx, f, e.SHA256)
	if errors.Is(err, filestore.ErrMismatch) || err == nil && size != e.Size {
		return fmt.Errorf("restore: %s is damaged: its bytes are not those the manifest names (%d bytes with SHA-256 %s)",
			e.Path, e.Size, e.SHA256)
	} else if err != nil {
		return fmt.Errorf("restore: %s: %w", e.Path, err)
	}
	return nil
}

// emptyDir makes dir, or accepts it if it exists and is empty.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o750)
	case err != nil:
		return fmt.Errorf("backup: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("backup: %s is not empty: write each backup to a new folder", dir)
	}
	return nil
}

// splitPassword takes the password out of a connection URL, to hand it to
// pg_dump in PGPASSWORD rather than on its command line (which other users
// of the machine can read).
func splitPassword(raw string) (string, []string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, errors.New("the database connection must be a postgres:// URL")
	}
	var env []string
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if pw := q.Get("password"); pw != "" {
		env = append(env, "PGPASSWORD="+pw)
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String(), env, nil
}

func run(ctx context.Context, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", filepath.Base(name), err, strings.TrimSpace(out.String()))
	}
	return nil
}
