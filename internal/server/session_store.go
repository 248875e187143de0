package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"zhifa/internal/account"
	"zhifa/internal/refcache"
)

// quietStore is the session store: pgxstore's table, read with its expiry,
// so that a request that changed nothing in the session writes nothing.
// With an idle timeout scs commits the session on every request only to
// push its expiry on; here the expiry is pushed at most once per touch,
// which shortens the idle timeout by at most that much.
type quietStore struct {
	*pgxstore.PostgresStore
	pool  *pgxpool.Pool
	touch time.Duration
}

// sessionTouch is how stale a session's stored expiry may get before a
// request with no change writes it again: a minute, or a tenth of a short
// idle timeout.
func sessionTouch(idle time.Duration) time.Duration {
	return min(time.Minute, idle/10)
}

// sessionSeen is what the request's Find read: the session's data and its
// stored expiry, for the Commit at the end of the same request (sessionCodec
// encodes the same values as the same bytes).
type sessionSeen struct {
	token  string
	data   []byte
	expiry time.Time
	user   account.SessionUser // the session's user, read with it (loadActor)
	refs   refcache.Versions   // the reference data's versions, read with it (loadActor)
}

func (seen *sessionSeen) expiryOrZero() time.Time {
	if seen == nil {
		return time.Time{}
	}
	return seen.expiry
}

// same reports whether b is the data the request read.
func (seen *sessionSeen) same(token string, b []byte) bool {
	return seen != nil && seen.token == token && seen.data != nil && bytes.Equal(seen.data, b)
}

type sessionSeenKey struct{}

// seenSessions gives each request a place for what its session Find read.
// It runs before scs's LoadAndSave.
func seenSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionSeenKey{}, &sessionSeen{})))
	})
}

// FindCtx reads a live session and remembers its data and expiry, the user
// it belongs to and the reference data's versions, for loadActor (one
// round trip for all).
func (q *quietStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	var expiry time.Time
	var u account.SessionUser
	var kinds []string
	var versions []int64
	err := q.pool.QueryRow(ctx, `SELECT data, expiry, user_id, username, display_name, role, town_id, town_name, active,
			ref_kinds, ref_versions
		FROM session_actor($1)`, token).
		Scan(&b, &expiry, &u.UserID, &u.Username, &u.DisplayName, &u.Role, &u.TownID, &u.TownName, &u.Active, &kinds, &versions)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	if seen, _ := ctx.Value(sessionSeenKey{}).(*sessionSeen); seen != nil {
		*seen = sessionSeen{token: token, data: b, expiry: expiry, user: u, refs: refcache.Versions{}}
		for i, k := range kinds {
			if i < len(versions) {
				seen.refs[refcache.Kind(k)] = versions[i]
			}
		}
	}
	return b, true, nil
}

// CommitCtx writes the session unless this request read the very same data
// and its stored expiry is less than a touch older than the new one.
func (q *quietStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if seen, _ := ctx.Value(sessionSeenKey{}).(*sessionSeen); expiry.Sub(seen.expiryOrZero()) < q.touch && seen.same(token, b) {
		return nil
	}
	_, err := q.pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`, token, b, expiry)
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// DeleteCtx ends a session.
func (q *quietStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := q.pool.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}
