package account

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/alexedwards/argon2id"
)

// Hasher hashes passwords with argon2id. Each hash takes tens of MiB, so the
// number running at once is capped to keep a burst of logins from exhausting
// memory.
type Hasher struct {
	Params *argon2id.Params
	sem    chan struct{}

	dummyOnce sync.Once
	dummyHash string

	checks atomic.Int64
}

// Checks is how many passwords this hasher has checked against a hash: what
// the login throttle bounds (a test reads it; it could feed a metric).
func (h *Hasher) Checks() int64 { return h.checks.Load() }

// dummy is a hash with the same cost as real ones, for unknown usernames.
func (h *Hasher) dummy() string {
	h.dummyOnce.Do(func() {
		h.dummyHash, _ = argon2id.CreateHash("zhifa-no-such-user", h.Params)
	})
	return h.dummyHash
}

// NewHasher returns a hasher with params (nil = argon2id's defaults).
func NewHasher(params *argon2id.Params) *Hasher {
	if params == nil {
		params = argon2id.DefaultParams
	}
	return &Hasher{Params: params, sem: make(chan struct{}, max(2, runtime.NumCPU()))}
}

// CheapParams are for tests and demo seeding in tests only: fast, insecure.
var CheapParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Hash returns the encoded argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-h.sem }()
	hash, err := argon2id.CreateHash(password, h.Params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// Check reports whether password matches the encoded hash. The parameters
// come from the hash itself.
func (h *Hasher) Check(ctx context.Context, password, hash string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-h.sem }()
	h.checks.Add(1)
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return false, fmt.Errorf("check password: %w", err)
	}
	return ok, nil
}
