// Package filestore keeps evidence files by content: a file is named by the
// SHA-256 of its bytes, so the same bytes are stored once, a name can never
// point at other bytes, and a file written whose database row then failed is
// harmless (nothing refers to it; a later sweep may remove it).
//
// The cases code sees only the Store interface; Dir keeps files on a local
// disk. An S3-compatible object store can implement Store later.
package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotFound is returned by Open for a hash the store does not hold.
var ErrNotFound = errors.New("filestore: no such file")

// Store keeps files by the SHA-256 of their contents.
type Store interface {
	// Put stores everything r yields and returns its hash (lower-case hex)
	// and size. The file is complete and durable when Put returns; if r
	// fails, nothing is stored under any name and r's error is returned.
	Put(ctx context.Context, r io.Reader) (sha string, size int64, err error)
	// Open opens the file with hash sha for reading (ErrNotFound if absent).
	Open(ctx context.Context, sha string) (io.ReadSeekCloser, int64, error)
	// Has reports whether the store holds the file with hash sha.
	Has(ctx context.Context, sha string) (bool, error)
}

// ValidHash reports whether s is a SHA-256 in lower-case hex: only such a
// name is ever turned into a path.
func ValidHash(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Dir is a Store in a local folder: <root>/ab/cd/<sha256>, with files being
// written in <root>/tmp (the same file system, so the final rename is atomic).
type Dir struct {
	Root string
}

// NewDir returns the store in root, creating the folder if it is missing.
func NewDir(root string) (*Dir, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	return &Dir{Root: abs}, nil
}

// Path is where the file with hash sha lives (it may not exist).
func (d *Dir) Path(sha string) string {
	return filepath.Join(d.Root, sha[0:2], sha[2:4], sha)
}

// Put writes r to a temporary file while hashing it, syncs it, and renames
// it into place. Bytes already stored are kept as they are.
func (d *Dir) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	return d.put(ctx, r, "")
}

// ErrMismatch is returned by PutExpecting for bytes that are not the ones
// expected.
var ErrMismatch = errors.New("filestore: the bytes do not have the expected SHA-256")

// PutExpecting is Put for bytes whose hash is known beforehand (a restore):
// bytes with another hash are not stored at all.
func (d *Dir) PutExpecting(ctx context.Context, r io.Reader, sha string) (int64, error) {
	if !ValidHash(sha) {
		return 0, ErrMismatch
	}
	_, size, err := d.put(ctx, r, sha)
	return size, err
}

func (d *Dir) put(ctx context.Context, r io.Reader, want string) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.Root, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("filestore: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err != nil {
		return "", 0, err // the reader's error (a limit, a dropped upload) as it is
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, fmt.Errorf("filestore: sync: %w", err)
	}
	if err := tmp.Chmod(0o440); err != nil { // stored files never change
		return "", 0, fmt.Errorf("filestore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("filestore: %w", err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if want != "" && sha != want {
		return "", 0, fmt.Errorf("%w: got %s, want %s", ErrMismatch, sha, want)
	}
	final := d.Path(sha)
	if st, err := os.Stat(final); err == nil && st.Size() == size {
		os.Remove(tmp.Name()) // the same bytes are already here
		done = true
		return sha, size, nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", 0, fmt.Errorf("filestore: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, fmt.Errorf("filestore: %w", err)
	}
	done = true
	// The rename is durable only once the folders holding it are synced.
	for _, p := range []string{dir, filepath.Dir(dir), d.Root} {
		if err := syncDir(p); err != nil {
			return "", 0, err
		}
	}
	return sha, size, nil
}

// Open opens the file with hash sha.
func (d *Dir) Open(_ context.Context, sha string) (io.ReadSeekCloser, int64, error) {
	if !ValidHash(sha) {
		return nil, 0, ErrNotFound
	}
	f, err := os.Open(d.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, ErrNotFound
	} else if err != nil {
		return nil, 0, fmt.Errorf("filestore: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("filestore: %w", err)
	}
	return f, st.Size(), nil
}

// Has reports whether the file with hash sha is stored.
func (d *Dir) Has(_ context.Context, sha string) (bool, error) {
	if !ValidHash(sha) {
		return false, nil
	}
	_, err := os.Stat(d.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Walk calls fn with the hash of every stored file (not those being
// written), in no particular order.
func (d *Dir) Walk(fn func(sha string) error) error {
	return filepath.WalkDir(d.Root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p == filepath.Join(d.Root, "tmp") {
				return filepath.SkipDir
			}
			return nil
		}
		name := e.Name()
		if ValidHash(name) && strings.HasSuffix(filepath.Dir(p), filepath.Join(name[0:2], name[2:4])) {
			return fn(name)
		}
		return nil
	})
}

// Sweep removes temporary files not written to for olderThan: what a
// killed process left half-written. It returns how many it removed.
func (d *Dir) Sweep(olderThan time.Duration) (int, error) {
	dir := filepath.Join(d.Root, "tmp")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("filestore: %w", err)
	}
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < olderThan {
			continue // gone meanwhile, or still being written
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err == nil {
			n++
		}
	}
	return n, nil
}

func syncDir(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("filestore: sync %s: %w", p, err)
	}
	return nil
}

// ctxReader stops a long copy when its context ends (a client gone away).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
