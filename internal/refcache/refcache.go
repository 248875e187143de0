// Package refcache keeps reference data that changes rarely and is read on
// most pages (towns, domains, a town's list in force, officers, procedure
// settings, holidays, villages) in memory, and drops it when it changes.
//
// Every change to a reference table notifies the PostgreSQL channel
// zhifa_ref with the kind of data it touches (migration 0028); each app
// instance runs one listener (Listen) on its own connection and drops that
// kind on a notification, so several instances over one database stay
// right. While the listener is not listening (starting, connection lost)
// the cache is bypassed, and everything is dropped when it listens again,
// so a notification missed meanwhile never leaves stale data behind. An
// instance also drops a kind itself right after its own write (Drop), so
// its next request sees the change before the notification arrives.
//
// A notification reaches the other instances a moment after the commit. So
// that a request started after a change never reads the cache from before
// it, each request also reads the kinds' version numbers at its start, with
// its session (ref_versions, migration 0038, bumped in the changing
// transaction): Observe drops a kind whose version moved at once, and a
// request older than what the instance has seen keeps nothing it loads.
//
// The cache holds only the current day's entries: a new day drops them all.
package refcache

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/zhifa"
)

// Channel is the PostgreSQL channel the reference tables' triggers notify.
const Channel = "zhifa_ref"

// ApplicationName names the listener's connection in pg_stat_activity.
const ApplicationName = "zhifa refcache"

// Kind is one kind of reference data: the payload of a notification.
type Kind string

// The kinds; migration 0028 says which tables feed each.
const (
	Towns    Kind = "towns"    // towns
	Domains  Kind = "domains"  // domains
	Lists    Kind = "lists"    // list_versions, list_version_items
	Officers Kind = "officers" // users, certificates, towns
	Settings Kind = "settings" // procedure_settings, catalogue_items (an item's domain)
	Holidays Kind = "holidays" // holidays
	Villages Kind = "villages" // villages
)

// Stats counts the cache's answers since it was made.
type Stats struct {
	Hits     int64 // served from memory
	Misses   int64 // read from the database while listening
	Bypassed int64 // read from the database while not listening
	Drops    int64 // kinds dropped (by notification or locally), and full drops
}

// Cache is one app instance's reference data. The zero value is not
// usable; a nil *Cache caches nothing (every Get loads).
type Cache struct {
	clock zhifa.Clock
	// Channel is the channel Listen listens on: the triggers' own
	// (Channel) unless a test makes an instance that hears nothing.
	Channel string

	mu      sync.Mutex
	live    bool   // the listener is listening
	epoch   uint64 // bumped when everything is dropped
	gens    map[Kind]uint64
	day     string // the day the entries are of
	entries map[Kind]map[string]any
	known   Versions // the newest versions requests have read

	hits, misses, bypassed, drops atomic.Int64
}

// New returns a cache that is bypassed until Listen is listening.
func New(clock zhifa.Clock) *Cache {
	return &Cache{clock: clock, Channel: Channel, gens: map[Kind]uint64{}, entries: map[Kind]map[string]any{}, known: Versions{}}
}

// stamp identifies the state a load started from: a value loaded is stored
// only if nothing of its kind was dropped meanwhile.
type stamp struct{ epoch, gen uint64 }

// Versions are the kinds' version numbers (ref_versions), as a request
// read them at its start.
type Versions map[Kind]int64

type observedKey struct{}

// Observe takes the versions a request read at its start (nil: none were
// read): every kind whose version moved since the last request's is
// dropped now, and the returned context carries them for Get.
func (c *Cache) Observe(ctx context.Context, v Versions) context.Context {
	if c == nil || v == nil {
		return ctx
	}
	c.mu.Lock()
	for k, n := range v {
		if n > c.known[k] {
			c.known[k] = n
			c.gens[k]++
			delete(c.entries, k)
			c.drops.Add(1)
		}
	}
	c.mu.Unlock()
	return context.WithValue(ctx, observedKey{}, v)
}

// Get returns the value of kind under key, calling load on a miss. key must
// hold everything the value depends on beyond its kind (a town, a day, the
// actor's tenancy scope when the rows are limited by row-level security).
// The value is shared: callers must not modify it (copy slices first).
// A request whose versions (Observe, in ctx) are older than the newest the
// cache has seen may read what changed since only partly: what it loads is
// not kept.
func Get[T any](ctx context.Context, c *Cache, kind Kind, key string, load func() (T, error)) (T, error) {
	if c == nil {
		return load()
	}
	c.mu.Lock()
	c.rollDay()
	if !c.live {
		c.mu.Unlock()
		c.bypassed.Add(1)
		return load()
	}
	if v, ok := c.entries[kind][key]; ok {
		c.mu.Unlock()
		c.hits.Add(1)
		return v.(T), nil
	}
	// The stamp is taken before the read: a read that started before a
	// change must not store what it read after the change dropped the kind.
	st := stamp{c.epoch, c.gens[kind]}
	c.mu.Unlock()
	c.misses.Add(1)
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	behind := false
	if obs, ok := ctx.Value(observedKey{}).(Versions); ok {
		behind = obs[kind] < c.known[kind]
	}
	if c.live && !behind && st == (stamp{c.epoch, c.gens[kind]}) {
		m := c.entries[kind]
		if m == nil {
			m = map[string]any{}
			c.entries[kind] = m
		}
		m[key] = v
	}
	c.mu.Unlock()
	return v, nil
}

// rollDay drops everything when the day changed: entries hold one day's
// data (the list in force, certificate statuses). Called with mu held.
func (c *Cache) rollDay() {
	if c.clock == nil {
		return
	}
	if today := c.clock.Today().Format(time.DateOnly); today != c.day {
		c.day = today
		c.dropAll()
	}
}

// Drop forgets the kinds, as a notification does; a service calls it after
// its own write commits.
func (c *Cache) Drop(kinds ...Kind) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range kinds {
		c.gens[k]++
		delete(c.entries, k)
		c.drops.Add(1)
	}
}

// dropAll forgets everything. Called with mu held.
func (c *Cache) dropAll() {
	c.epoch++
	clear(c.entries)
	c.drops.Add(1)
}

// setLive records whether the listener is listening, dropping everything
// either way: what was cached before a connection was lost may have missed
// a notification.
func (c *Cache) setLive(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = live
	c.dropAll()
}

// Live reports whether the listener is listening (the cache is in use).
func (c *Cache) Live() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// Stats returns the counts so far.
func (c *Cache) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bypassed: c.bypassed.Load(), Drops: c.drops.Load()}
}

// Heartbeat is how often an idle listener checks its connection: a broken
// one that no read reports (a silent network failure) is found within it.
const Heartbeat = 5 * time.Second

// retryAfter is the longest wait between attempts to reconnect.
const retryAfter = 5 * time.Second

// Listen listens on Channel over its own connection (made from cfg) until
// ctx ends, reconnecting when the connection is lost. The cache is in use
// only while it listens.
func (c *Cache) Listen(ctx context.Context, cfg *pgx.ConnConfig, log *slog.Logger) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := c.listenOnce(ctx, cfg, log)
		if ctx.Err() != nil {
			return
		}
		log.Warn("reference cache: not listening, pages read the database", "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, retryAfter)
	}
}

// listenOnce connects, listens and drops what it is told until the
// connection fails or ctx ends. The cache is live only in between.
func (c *Cache) listenOnce(ctx context.Context, cfg *pgx.ConnConfig, log *slog.Logger) error {
	cfg = cfg.Copy()
	cfg.RuntimeParams["application_name"] = ApplicationName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{c.Channel}.Sanitize()); err != nil {
		return err
	}
	// Listening from here on: whatever changed before is dropped now.
	c.setLive(true)
	defer c.setLive(false)
	log.Debug("reference cache: listening", "channel", c.Channel)
	for {
		wctx, cancel := context.WithTimeout(ctx, Heartbeat)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			c.notified(Kind(n.Payload))
			continue
		case ctx.Err() != nil:
			return ctx.Err()
		case !pgconn.Timeout(err):
			return err
		}
		// Idle for a heartbeat: check that the connection still works.
		pctx, cancel := context.WithTimeout(ctx, Heartbeat)
		err = conn.Ping(pctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return errors.Join(errors.New("heartbeat failed"), err)
		}
	}
}

// notified drops the kind a notification names; an unknown one drops
// everything.
func (c *Cache) notified(k Kind) {
	switch k {
	case Towns, Domains, Lists, Officers, Settings, Holidays, Villages:
		c.Drop(k)
	default:
		c.mu.Lock()
		c.dropAll()
		c.mu.Unlock()
	}
}
