package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// errBadCredentials never says which of the two was wrong.
var errBadCredentials = zhifa.Errorf(zhifa.EUNAUTHORIZED, "登录名或密码不正确。")

type credentials struct {
	ID           int64
	PasswordHash string
	Active       bool
}

// Authenticate checks username and password from address and returns the
// actor. Repeated failures per account or per address are throttled, and the
// throttle is checked before the password so it cannot be guessed through.
//
// Every attempt is counted as a failure before its password is checked, in
// the same transaction as the throttle check (see admit), so parallel
// requests can never get more passwords checked than the limit allows; a
// successful login then clears the account's count.
func (s *Service) Authenticate(ctx context.Context, username, password, address string) (*zhifa.Actor, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || password == "" {
		return nil, errBadCredentials
	}
	cred, err := s.admit(ctx, username, address)
	if err != nil {
		return nil, err
	}
	if cred.ID == 0 {
		// Check a dummy hash anyway so response time does not reveal
		// whether the account exists.
		cred.PasswordHash = s.Hasher.dummy()
	}
	ok, err := s.Hasher.Check(ctx, password, cred.PasswordHash)
	if err != nil && cred.ID != 0 {
		return nil, err
	}
	if !ok || cred.ID == 0 || !cred.Active {
		// admit has already counted this attempt as a failure.
		if ok && cred.ID != 0 && !cred.Active {
			return nil, zhifa.Errorf(zhifa.EUNAUTHORIZED, "该账号已停用，请联系县级管理员。")
		}
		return nil, errBadCredentials
	}
	if err := s.clearFailures(ctx, username); err != nil {
		return nil, err
	}
	a, err := s.ActorByID(ctx, cred.ID)
	if err != nil {
		return nil, err
	}
	if s.LoginCheck != nil {
		if err := s.LoginCheck(ctx, a); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Advisory lock classes (the first key of pg_advisory_xact_lock(int, int))
// that serialise the throttle check of one account and of one address.
const (
	lockLoginAccount = 7301
	lockLoginAddress = 7302
)

// admit checks the throttle for username and address, counts the attempt as
// a failure and loads the credentials, all in one transaction that holds an
// advisory lock on the account and one on the address. The next attempt at
// either waits for this one to commit and then sees its row, so whatever
// the concurrency at most the limit of attempts get past the check. The
// locks are released at commit, before the (slow) password check, and are
// always taken account first, so two attempts never deadlock.
func (s *Service) admit(ctx context.Context, username, address string) (credentials, error) {
	var cred credentials
	var throttled error
	now := s.Clock()
	err := s.DB.TxWith(ctx, database.Settings{Login: username}, func(tx pgx.Tx) error {
		// Separate statements: in READ COMMITTED each statement takes a new
		// snapshot, so the count below sees what the previous holder wrote.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockLoginAccount, username); err != nil {
			return fmt.Errorf("lock account: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockLoginAddress, address); err != nil {
			return fmt.Errorf("lock address: %w", err)
		}
		since := now.Add(-s.Throttle.Window)
		var perAccount, perAddress int
		err := tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM login_failures WHERE username = $1 AND occurred_at > $3),
			(SELECT count(*) FROM login_failures WHERE address = $2 AND occurred_at > $3)`,
			username, address, since).Scan(&perAccount, &perAddress)
		if err != nil {
			return fmt.Errorf("check login throttle: %w", err)
		}
		minutes := int(s.Throttle.Window.Minutes())
		if perAccount >= s.Throttle.PerAccount {
			throttled = zhifa.Errorf(zhifa.ETHROTTLED, "该账号登录失败次数过多，已暂时锁定，请%d分钟后再试。", minutes)
			return nil
		}
		if perAddress >= s.Throttle.PerAddress {
			throttled = zhifa.Errorf(zhifa.ETHROTTLED, "本机登录失败次数过多，请%d分钟后再试。", minutes)
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO login_failures (username, address, occurred_at) VALUES ($1, $2, $3)`,
			username, address, now); err != nil {
			return fmt.Errorf("record login attempt: %w", err)
		}
		// Keep the table small: rows older than a day no longer matter.
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE occurred_at < $1`, now.Add(-24*time.Hour)); err != nil {
			return fmt.Errorf("prune login failures: %w", err)
		}
		err = tx.QueryRow(ctx, `SELECT id, password_hash, active FROM users WHERE username = $1`, username).
			Scan(&cred.ID, &cred.PasswordHash, &cred.Active)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // cred.ID stays 0: an unknown account
		} else if err != nil {
			return fmt.Errorf("load credentials: %w", err)
		}
		return nil
	})
	if err != nil {
		return credentials{}, err
	}
	if throttled != nil {
		return credentials{}, throttled
	}
	return cred, nil
}

func (s *Service) clearFailures(ctx context.Context, username string) error {
	err := s.DB.TxWith(ctx, database.Settings{}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = $1`, username)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

// ActorByID loads an active user as the actor for a session. The RLS policy
// lets a transaction read the row of its own app.user_id.
func (s *Service) ActorByID(ctx context.Context, id int64) (*zhifa.Actor, error) {
	a := &zhifa.Actor{UserID: id}
	var townID *int64
	var townName *string
	var active bool
	err := s.DB.TxWith(ctx, database.Settings{UserID: id}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT u.username, u.display_name, u.role, u.town_id, t.name, u.active
			FROM users u LEFT JOIN towns t ON t.id = u.town_id WHERE u.id = $1`, id).
			Scan(&a.Username, &a.DisplayName, &a.Role, &townID, &townName, &active)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, zhifa.Errorf(zhifa.EUNAUTHORIZED, "账号不存在，请重新登录。")
	} else if err != nil {
		return nil, fmt.Errorf("load actor %d: %w", id, err)
	}
	if !active {
		return nil, zhifa.Errorf(zhifa.EUNAUTHORIZED, "该账号已停用，请联系县级管理员。")
	}
	if townID != nil {
		a.TownID, a.TownName = *townID, *townName
	}
	return a, nil
}

// ChangePassword changes the acting user's own password after checking the
// current one, and ends every other session of the user: keep is the token
// of the session that makes the change, which stays logged in.
func (s *Service) ChangePassword(ctx context.Context, keep, current, next, confirm string) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil {
		return zhifa.Errorf(zhifa.EUNAUTHORIZED, "请先登录。")
	}
	fe := zhifa.FieldErrors{}
	fe.Check(current != "", "current", "请填写当前密码。")
	if msg := passwordProblem(next, a.Username); msg != "" {
		fe.Add("new", msg)
	}
	fe.Check(next == confirm, "confirm", "两次输入的新密码不一致。")
	fe.Check(current == "" || next != current, "new", "新密码不能与当前密码相同。")
	if err := fe.Err(); err != nil {
		return err
	}
	newHash, err := s.Hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var hash string
		if err := tx.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1 FOR UPDATE`, a.UserID).Scan(&hash); err != nil {
			return fmt.Errorf("load own password: %w", err)
		}
		ok, err := s.Hasher.Check(ctx, current, hash)
		if err != nil {
			return err
		}
		if !ok {
			return zhifa.FieldErrors{"current": "当前密码不正确。"}
		}
		_, err = tx.Exec(ctx, `UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`, a.UserID, newHash)
		if err != nil {
			return fmt.Errorf("update own password: %w", err)
		}
		return endSessions(ctx, tx, a.UserID, keep)
	})
}
