package account

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// Login sessions live in the scs sessions table as opaque blobs keyed by
// their token. user_sessions (migrations/0023) says whose each session is,
// by the SHA-256 of its token, so that a password change or a deactivation
// can end the user's other sessions; and a session is only accepted while it
// is listed for its user (SessionActor), so a session row written back by a
// request that was in flight when the sessions were ended stays dead.
//
// The sessions table is keyed by the tokens as they are (scs's
// HashTokenInStore is off); turning that on would need the same hashing in
// endSessions.

// tokenHash is what user_sessions keeps of a token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// StartSession records that token is a session of userID, at login.
// Rows of the user's sessions that have since expired or ended are dropped;
// a row less than a minute old is kept even without its session, which a
// concurrent login of the same user has not yet saved.
func (s *Service) StartSession(ctx context.Context, userID int64, token string) error {
	err := s.DB.TxWith(ctx, database.Settings{UserID: userID}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM user_sessions u WHERE u.user_id = $1 AND u.created_at < now() - interval '1 minute'
			AND NOT EXISTS (SELECT FROM sessions s WHERE sha256(convert_to(s.token, 'UTF8')) = u.token_hash)`, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO user_sessions (token_hash, user_id) VALUES ($1, $2)`, tokenHash(token), userID)
		return err
	})
	if err != nil {
		return fmt.Errorf("record session of user %d: %w", userID, err)
	}
	return nil
}

// RenewSession moves the acting user's session from token old to token
// next (scs renews the token after a privilege change).
func (s *Service) RenewSession(ctx context.Context, old, next string) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil {
		return zhifa.Errorf(zhifa.EUNAUTHORIZED, "请先登录。")
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE user_sessions SET token_hash = $3 WHERE token_hash = $1 AND user_id = $2`,
			tokenHash(old), a.UserID, tokenHash(next))
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO user_sessions (token_hash, user_id) VALUES ($1, $2)`, tokenHash(next), a.UserID)
		return err
	})
	if err != nil {
		return fmt.Errorf("renew session of user %d: %w", a.UserID, err)
	}
	return nil
}

// EndSession forgets the acting user's session token (logout).
func (s *Service) EndSession(ctx context.Context, token string) error {
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM user_sessions WHERE token_hash = $1`, tokenHash(token))
		return err
	})
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// endSessions deletes every session of userID but the one with token keep
// ("" = all of them), in the caller's transaction: the password change or
// deactivation and the end of the sessions commit together. The sessions
// table is keyed by the token itself, so its rows are found by hashing
// each (only here: a password change or a deactivation).
func endSessions(ctx context.Context, tx pgx.Tx, userID int64, keep string) error {
	var keepHash []byte
	if keep != "" {
		keepHash = tokenHash(keep)
	}
	_, err := tx.Exec(ctx, `WITH gone AS (
			DELETE FROM user_sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2 RETURNING token_hash)
		DELETE FROM sessions WHERE sha256(convert_to(token, 'UTF8')) IN (SELECT token_hash FROM gone)`, userID, keepHash)
	if err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}

// SessionUser is the user session_actor (migration 0038) reads with a
// session, in the session's own round trip: the user its token is listed
// for in user_sessions, all NULL when it is listed for none (or the
// database does not let the function read past row-level security).
type SessionUser struct {
	UserID      *int64
	Username    *string
	DisplayName *string
	Role        *zhifa.Role
	TownID      *int64
	TownName    *string
	Active      *bool
}

// Actor is the actor of session user u for a session whose data names user
// id. ok is false when u is not id listed for the session: SessionActor
// then reads the user and says why it is refused.
func (u *SessionUser) Actor(id int64) (a *zhifa.Actor, ok bool, err error) {
	if u == nil || u.UserID == nil || *u.UserID != id || u.Username == nil || u.DisplayName == nil || u.Role == nil || u.Active == nil {
		return nil, false, nil
	}
	if !*u.Active {
		return nil, true, zhifa.Errorf(zhifa.EUNAUTHORIZED, "该账号已停用，请联系县级管理员。")
	}
	a = &zhifa.Actor{UserID: id, Username: *u.Username, DisplayName: *u.DisplayName, Role: *u.Role}
	if u.TownID != nil && u.TownName != nil {
		a.TownID, a.TownName = *u.TownID, *u.TownName
	}
	return a, true, nil
}

// SessionActor is ActorByID for the session with token, in one query: the
// session must still be one of the user's (listed in user_sessions), else
// EUNAUTHORIZED, as for a deactivated or missing user.
func (s *Service) SessionActor(ctx context.Context, id int64, token string) (*zhifa.Actor, error) {
	u := SessionUser{UserID: &id}
	var listed bool
	// One round trip: this runs on every request, before its transaction.
	err := s.DB.ReadRow(ctx, database.Settings{UserID: id}, `SELECT u.username, u.display_name, u.role, u.town_id, t.name, u.active,
			EXISTS (SELECT FROM user_sessions s WHERE s.token_hash = $2 AND s.user_id = u.id)
		FROM users u LEFT JOIN towns t ON t.id = u.town_id WHERE u.id = $1`, []any{id, tokenHash(token)},
		&u.Username, &u.DisplayName, &u.Role, &u.TownID, &u.TownName, &u.Active, &listed)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, zhifa.Errorf(zhifa.EUNAUTHORIZED, "账号不存在，请重新登录。")
	case err != nil:
		return nil, fmt.Errorf("load actor %d: %w", id, err)
	}
	a, _, err := u.Actor(id) // refuses a deactivated user
	if err == nil && !listed {
		return nil, zhifa.Errorf(zhifa.EUNAUTHORIZED, "登录已失效，请重新登录。")
	}
	return a, err
}
