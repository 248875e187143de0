package backup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The password leaves the URL for PGPASSWORD, so no other user of the
// machine reads it from pg_dump's command line.
func TestSplitPassword(t *testing.T) {
	for _, tc := range []struct{ in, url, env string }{
		{"postgres://owner:s3cret@db:5432/zhifa?sslmode=require", "postgres://owner@db:5432/zhifa?sslmode=require", "PGPASSWORD=s3cret"},
		{"postgresql://owner@db/zhifa?password=s3cret&sslmode=disable", "postgresql://owner@db/zhifa?sslmode=disable", "PGPASSWORD=s3cret"},
		{"postgres://zhifa_owner@127.0.0.1:5433/zhifa?sslmode=disable", "postgres://zhifa_owner@127.0.0.1:5433/zhifa?sslmode=disable", ""},
	} {
		u, env, err := splitPassword(tc.in)
		if err != nil || u != tc.url || strings.Join(env, " ") != tc.env {
			t.Errorf("splitPassword(%q) = %q, %q, %v; want %q, %q", tc.in, u, env, err, tc.url, tc.env)
		}
		if strings.Contains(u, "s3cret") {
			t.Errorf("the password stayed in %q", u)
		}
	}
	if _, _, err := splitPassword("host=db user=owner"); err == nil {
		t.Error("a key=value connection string was accepted")
	}
}

// A manifest names only the dump and evidence files under files/: a
// manifest pointing elsewhere (../, another name) is refused before
// anything is read or written.
func TestManifestIsChecked(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), "has no manifest.json: not a backup, or an unfinished one") {
		t.Fatalf("a folder without a manifest: %v", err)
	}
	sha := strings.Repeat("ab", 32)
	for _, tc := range []struct{ manifest, msg string }{
		{`{"format": 2, "dump": {"path": "db.dump"}}`, "backup format 2 is not known"},
		{`{"format": 1, "dump": {"path": "../db.dump"}}`, "names no database dump"},
		{`{"format": 1, "dump": {"path": "db.dump"}, "files": [{"path": "../../etc/passwd", "sha256": "` + sha + `"}]}`, "not an evidence file"},
		{`{"format": 1, "dump": {"path": "db.dump"}, "files": [{"path": "files/ab/ab/x", "sha256": "x"}]}`, "not an evidence file"},
	} {
		if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(tc.manifest), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.manifest, err, tc.msg)
		}
	}
}

// A backup goes to a new folder; an existing one with anything in it is
// refused.
func TestBackupFolderMustBeEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := emptyDir(filepath.Join(dir, "new")); err != nil {
		t.Fatal(err)
	}
	if err := emptyDir(filepath.Join(dir, "new")); err != nil {
		t.Fatalf("an empty folder: %v", err)
	}
	if err := emptyDir(dir); err == nil || !strings.Contains(err.Error(), "is not empty: write each backup to a new folder") {
		t.Fatalf("a folder with something in it: %v", err)
	}
}
