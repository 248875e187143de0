package filestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPutOpenHas(t *testing.T) {
	ctx := context.Background()
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("执法记录仪视频的前几个字节")
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])

	sha, size, err := d.Put(ctx, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if sha != want || size != int64(len(data)) {
		t.Fatalf("Put = %s, %d; want %s, %d", sha, size, want, len(data))
	}
	if _, err := os.Stat(filepath.Join(d.Root, want[:2], want[2:4], want)); err != nil {
		t.Fatalf("file not at <root>/ab/cd/<sha>: %v", err)
	}
	if ok, err := d.Has(ctx, sha); !ok || err != nil {
		t.Fatalf("Has = %v, %v", ok, err)
	}
	f, n, err := d.Open(ctx, sha)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if n != int64(len(data)) || !bytes.Equal(got, data) {
		t.Fatalf("Open gave %d bytes %q", n, got)
	}

	// The same bytes again: stored once.
	if sha2, _, err := d.Put(ctx, bytes.NewReader(data)); err != nil || sha2 != sha {
		t.Fatalf("second Put = %s, %v", sha2, err)
	}
	var all []string
	if err := d.Walk(func(s string) error { all = append(all, s); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0] != sha {
		t.Fatalf("Walk = %v", all)
	}

	// Absent and malformed names.
	zero := hex.EncodeToString(make([]byte, 32))
	if ok, _ := d.Has(ctx, zero); ok {
		t.Fatal("Has reports a file never stored")
	}
	for _, bad := range []string{zero, "../../etc/passwd", "", sha[:63] + "G"} {
		if _, _, err := d.Open(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Open(%q) = %v, want ErrNotFound", bad, err)
		}
	}
}

// A reader that fails half-way leaves nothing behind, and its error comes
// back unchanged (the caller tells a size limit from a dropped upload).
func TestPutFailureLeavesNothing(t *testing.T) {
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("client went away")
	r := io.MultiReader(bytes.NewReader(make([]byte, 100<<10)), failing{boom})
	if _, _, err := d.Put(context.Background(), r); !errors.Is(err, boom) {
		t.Fatalf("Put = %v, want %v", err, boom)
	}
	entries, _ := os.ReadDir(filepath.Join(d.Root, "tmp"))
	if len(entries) != 0 {
		t.Fatalf("%d temporary files left", len(entries))
	}
	n := 0
	_ = d.Walk(func(string) error { n++; return nil })
	if n != 0 {
		t.Fatalf("%d files stored from a failed Put", n)
	}
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

// Sweep removes what a killed process left half-written, and only that.
func TestSweepRemovesStaleTemporaries(t *testing.T) {
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(d.Root, "tmp", "put-1")
	fresh := filepath.Join(d.Root, "tmp", "put-2")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	_ = os.Chtimes(stale, old, old)
	sha, _, _ := d.Put(context.Background(), bytes.NewReader([]byte("kept")))
	if n, err := d.Sweep(time.Hour); n != 1 || err != nil {
		t.Fatalf("Sweep = %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatal("the stale temporary file is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("a file being written was removed")
	}
	if ok, _ := d.Has(context.Background(), sha); !ok {
		t.Fatal("a stored file was removed")
	}
}

// PutExpecting stores the expected bytes and nothing else.
func TestPutExpecting(t *testing.T) {
	ctx := context.Background()
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("备份中的证据文件")
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	if _, err := d.PutExpecting(ctx, bytes.NewReader(append([]byte("x"), data...)), want); !errors.Is(err, ErrMismatch) {
		t.Fatalf("damaged bytes: %v, want ErrMismatch", err)
	}
	n := 0
	_ = d.Walk(func(string) error { n++; return nil })
	entries, _ := os.ReadDir(filepath.Join(d.Root, "tmp"))
	if n != 0 || len(entries) != 0 {
		t.Fatalf("damaged bytes left %d files and %d temporary files", n, len(entries))
	}
	if size, err := d.PutExpecting(ctx, bytes.NewReader(data), want); err != nil || size != int64(len(data)) {
		t.Fatalf("PutExpecting = %d, %v", size, err)
	}
	if ok, _ := d.Has(ctx, want); !ok {
		t.Fatal("the expected bytes were not stored")
	}
}
