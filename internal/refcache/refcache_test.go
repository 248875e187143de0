package refcache

import (
	"context"
	"errors"
	"testing"
	"time"

	"zhifa/internal/zhifa"
)

func fixedClock(t *time.Time) zhifa.Clock { return func() time.Time { return *t } }

func count(c *Cache, kind Kind, key string, n *int) int {
	v, _ := Get(context.Background(), c, kind, key, func() (int, error) { *n++; return *n, nil })
	return v
}

func TestBypassedUntilListening(t *testing.T) {
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, zhifa.Local)
	c := New(fixedClock(&now))
	n := 0
	count(c, Towns, "", &n)
	count(c, Towns, "", &n)
	if n != 2 || c.Stats().Bypassed != 2 {
		t.Fatalf("not listening: loads %d, stats %+v; want every read to load", n, c.Stats())
	}
	c.setLive(true)
	count(c, Towns, "", &n)
	if v := count(c, Towns, "", &n); v != 3 || n != 3 {
		t.Fatalf("listening: got %d after %d loads, want the cached 3", v, n)
	}
	// The connection is lost: nothing cached is served, and what was
	// cached is gone when it listens again.
	c.setLive(false)
	if v := count(c, Towns, "", &n); v != 4 {
		t.Fatalf("connection lost: got %d, want a fresh load", v)
	}
	c.setLive(true)
	if v := count(c, Towns, "", &n); v != 5 {
		t.Fatalf("listening again: got %d, want a fresh load", v)
	}
}

func TestDropKindAndKeys(t *testing.T) {
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, zhifa.Local)
	c := New(fixedClock(&now))
	c.setLive(true)
	n := 0
	a1, b1, d1 := count(c, Officers, "town/1", &n), count(c, Officers, "town/2", &n), count(c, Domains, "", &n)
	if a1 == b1 {
		t.Fatal("two keys share a value")
	}
	c.Drop(Officers)
	if count(c, Officers, "town/1", &n) == a1 || count(c, Officers, "town/2", &n) == b1 {
		t.Fatal("dropped kind still served")
	}
	if count(c, Domains, "", &n) != d1 {
		t.Fatal("another kind was dropped")
	}
	c.notified("no-such-kind") // unknown: everything goes
	if count(c, Domains, "", &n) == d1 {
		t.Fatal("an unknown notification did not drop everything")
	}
}

// A read that began before a change must not store its result after the
// change dropped the kind.
func TestReadAcrossADropIsNotStored(t *testing.T) {
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, zhifa.Local)
	c := New(fixedClock(&now))
	c.setLive(true)
	v, _ := Get(context.Background(), c, Holidays, "", func() (string, error) {
		c.Drop(Holidays) // the change commits while the old value is read
		return "old", nil
	})
	if v != "old" {
		t.Fatalf("the reader gets what it read, got %q", v)
	}
	if v, _ := Get(context.Background(), c, Holidays, "", func() (string, error) { return "new", nil }); v != "new" {
		t.Fatalf("stale value stored across a drop: got %q", v)
	}
	// The same across a lost connection.
	Get(context.Background(), c, Lists, "1", func() (string, error) { c.setLive(false); c.setLive(true); return "old", nil })
	if v, _ := Get(context.Background(), c, Lists, "1", func() (string, error) { return "new", nil }); v != "new" {
		t.Fatalf("stale value stored across a reconnection: got %q", v)
	}
}

func TestErrorsAreNotCached(t *testing.T) {
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, zhifa.Local)
	c := New(fixedClock(&now))
	c.setLive(true)
	boom := errors.New("boom")
	if _, err := Get(context.Background(), c, Towns, "", func() (int, error) { return 0, boom }); err != boom {
		t.Fatalf("err = %v", err)
	}
	if v, err := Get(context.Background(), c, Towns, "", func() (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Fatalf("after an error: %d, %v", v, err)
	}
}

func TestNewDayDropsEverything(t *testing.T) {
	now := time.Date(2025, 9, 1, 23, 59, 0, 0, zhifa.Local)
	c := New(fixedClock(&now))
	c.setLive(true)
	n := 0
	first := count(c, Lists, "1", &n)
	if count(c, Lists, "1", &n) != first {
		t.Fatal("not cached")
	}
	now = now.Add(2 * time.Minute)
	if count(c, Lists, "1", &n) == first {
		t.Fatal("yesterday's entry served today")
	}
}

func TestNilCacheLoads(t *testing.T) {
	var c *Cache
	n := 0
	count(c, Towns, "", &n)
	count(c, Towns, "", &n)
	c.Drop(Towns)
	if n != 2 || c.Live() {
		t.Fatalf("nil cache: %d loads", n)
	}
}

// A request's versions drop what moved before it reads, and a request older
// than the newest versions seen keeps nothing it loads (its snapshot may
// miss the change), though a current one does.
func TestObservedVersions(t *testing.T) {
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, zhifa.Local)
	c := New(fixedClock(&now))
	c.setLive(true)
	get := func(ctx context.Context, v string) string {
		got, _ := Get(ctx, c, Holidays, "", func() (string, error) { return v, nil })
		return got
	}
	at := func(n int64) context.Context {
		return c.Observe(context.Background(), Versions{Holidays: n, Towns: 0})
	}
	if got := get(at(0), "v0"); got != "v0" {
		t.Fatalf("first read: %q", got)
	}
	if got := get(at(0), "reloaded"); got != "v0" {
		t.Fatalf("unchanged version: %q, want the cached v0", got)
	}
	current := at(1) // a change: dropped before this request reads
	if got := get(current, "v1"); got != "v1" {
		t.Fatalf("after the version moved: %q, want a fresh v1", got)
	}
	// A request that read version 1 before one read version 2: it loads
	// (what it sees), but keeps nothing.
	older := at(1)
	newer := at(2)
	if got := get(older, "stale"); got != "stale" {
		t.Fatalf("older request: %q, want its own read", got)
	}
	if got := get(newer, "v2"); got != "v2" {
		t.Fatalf("newer request after an older one loaded: %q, want v2 (the stale value was not kept)", got)
	}
	if got := get(at(2), "again"); got != "v2" {
		t.Fatalf("current request: %q, want the cached v2", got)
	}
}
