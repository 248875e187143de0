// Package officer owns officers' enforcement certificates (执法证) and the
// lists that flag certificates expired or about to expire.
package officer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/database"
	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

// ExpiryWarning is how far ahead an expiring certificate is flagged.
const ExpiryWarning = 30 * 24 * time.Hour

// CertStatus classifies a certificate on a given day.
type CertStatus string

const (
	CertMissing  CertStatus = "missing"
	CertValid    CertStatus = "valid"
	CertExpiring CertStatus = "expiring" // valid, but ends within 30 days
	CertExpired  CertStatus = "expired"
	CertNotYet   CertStatus = "not_yet" // valid_from is in the future
)

// Label is the status in Chinese.
func (s CertStatus) Label() string {
	switch s {
	case CertMissing:
		return "未登记执法证"
	case CertValid:
		return "有效"
	case CertExpiring:
		return "即将到期"
	case CertExpired:
		return "已过期"
	case CertNotYet:
		return "尚未生效"
	}
	return string(s)
}

// Certificate is an enforcement certificate.
type Certificate struct {
	Number     string
	Issuer     string
	ValidFrom  time.Time
	ValidUntil time.Time
}

// StatusOn classifies c on day (a local date); a nil certificate is missing.
func (c *Certificate) StatusOn(day time.Time) CertStatus {
	switch {
	case c == nil:
		return CertMissing
	case day.Before(c.ValidFrom):
		return CertNotYet
	case day.After(c.ValidUntil):
		return CertExpired
	case c.ValidUntil.Sub(day) <= ExpiryWarning:
		return CertExpiring
	}
	return CertValid
}

// ValidOn reports whether c allows enforcement on day.
func (c *Certificate) ValidOn(day time.Time) bool {
	s := c.StatusOn(day)
	return s == CertValid || s == CertExpiring
}

// Officer is a field officer (队员 or 队长) with their certificate.
type Officer struct {
	UserID      int64
	Username    string
	DisplayName string
	Phone       string
	Role        zhifa.Role
	Active      bool
	TownID      int64
	TownCode    string
	TownName    string
	Certificate *Certificate
	Status      CertStatus // on the day the list was read
	DaysLeft    int        // until expiry; negative when expired
}

// Service reads and edits officers' certificates.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
	Ref   *refcache.Cache // the officer list; nil caches nothing
}

// Filter narrows the officer list.
type Filter struct {
	TownCode string
	Status   CertStatus // "" = all
}

// officerQuery tests the town itself: a town also reads the users who
// handled its cases before moving away (users_read, migration 0040), and they
// are no longer its officers.
const officerQuery = `SELECT u.id, u.username, u.display_name, u.phone, u.role, u.active, t.id, t.code, t.name,
	c.number, c.issuer, c.valid_from, c.valid_until
	FROM users u JOIN towns t ON t.id = u.town_id
	LEFT JOIN certificates c ON c.user_id = u.id
	WHERE u.role IN ('officer', 'leader')
	  AND u.town_id = ANY (app_read_towns())`

func scanOfficer(row pgx.Row, today time.Time) (Officer, error) {
	var o Officer
	var number, issuer *string
	var from, until *time.Time
	err := row.Scan(&o.UserID, &o.Username, &o.DisplayName, &o.Phone, &o.Role, &o.Active, &o.TownID, &o.TownCode, &o.TownName,
		&number, &issuer, &from, &until)
	if err != nil {
		return o, err
	}
	if number != nil {
		o.Certificate = &Certificate{Number: *number, Issuer: *issuer, ValidFrom: localDate(*from), ValidUntil: localDate(*until)}
		o.DaysLeft = int(o.Certificate.ValidUntil.Sub(today).Hours() / 24)
	}
	o.Status = o.Certificate.StatusOn(today)
	return o, nil
}

// localDate re-reads a DATE (decoded as UTC midnight) as a CST date.
func localDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zhifa.Local)
}

// List returns the officers the actor may see: a town's own, or every
// town's for county roles. Expired and expiring certificates sort first.
//
// The whole list (no town code) is cached under what row-level security
// lets the actor read, the tenancy scope and town (the query keeps only
// users of the towns the scope reads, and a certificate is always of its
// holder's town), and the day its statuses are of.
func (s *Service) List(ctx context.Context, f Filter) ([]Officer, error) {
	today := s.Clock.Today()
	load := func() ([]Officer, error) {
		var out []Officer
		err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, officerQuery+` AND ($1 = '' OR t.code = $1)
				ORDER BY t.position, c.valid_until NULLS FIRST, u.username`, f.TownCode)
			if err != nil {
				return err
			}
			out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Officer, error) { return scanOfficer(row, today) })
			return err
		})
		return out, err
	}
	var out []Officer
	var err error
	if st := database.SettingsFor(ctx); f.TownCode == "" && st.Scope != zhifa.ScopeNone {
		key := fmt.Sprintf("%s/%d/%s", st.Scope, st.TownID, today.Format(time.DateOnly))
		out, err = refcache.Get(ctx, s.Ref, refcache.Officers, key, load)
		out = slices.Clone(out) // the filter below works in place
	} else {
		out, err = load()
	}
	if err != nil {
		return nil, fmt.Errorf("list officers: %w", err)
	}
	if f.Status != "" {
		kept := out[:0]
		for _, o := range out {
			if o.Status == f.Status {
				kept = append(kept, o)
			}
		}
		out = kept
	}
	return out, nil
}

// Get returns one officer, or ENOTFOUND outside the actor's town.
func (s *Service) Get(ctx context.Context, userID int64) (*Officer, error) {
	today := s.Clock.Today()
	var o Officer
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		o, err = scanOfficer(tx.QueryRow(ctx, officerQuery+` AND u.id = $1`, userID), today)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该执法人员。")
	} else if err != nil {
		return nil, fmt.Errorf("get officer %d: %w", userID, err)
	}
	return &o, nil
}

// CertificateInput is the certificate form.
type CertificateInput struct {
	Number     string
	Issuer     string
	ValidFrom  string // YYYY-MM-DD
	ValidUntil string
}

// Validate parses the dates and checks the fields.
func (in *CertificateInput) Validate() (*Certificate, error) {
	in.Number = strings.TrimSpace(in.Number)
	in.Issuer = strings.TrimSpace(in.Issuer)
	fe := zhifa.FieldErrors{}
	fe.Check(in.Number != "", "number", "请填写执法证号。")
	fe.Check(in.Number == "" || utf8.RuneCountInString(in.Number) >= 4 && utf8.RuneCountInString(in.Number) <= 40, "number", "执法证号应为4至40个字符。")
	fe.Check(in.Issuer != "", "issuer", "请填写发证机关。")
	fe.Check(in.Issuer == "" || utf8.RuneCountInString(in.Issuer) >= 2 && utf8.RuneCountInString(in.Issuer) <= 60, "issuer", "发证机关应为2至60个字。")
	from, errFrom := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.ValidFrom), zhifa.Local)
	until, errUntil := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.ValidUntil), zhifa.Local)
	fe.Check(errFrom == nil, "valid_from", "请填写有效期起始日期（格式：2025-01-31）。")
	fe.Check(errUntil == nil, "valid_until", "请填写有效期截止日期（格式：2027-01-31）。")
	if errFrom == nil && errUntil == nil {
		fe.Check(!until.Before(from), "valid_until", "截止日期不能早于起始日期。")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return &Certificate{Number: in.Number, Issuer: in.Issuer, ValidFrom: from, ValidUntil: until}, nil
}

// CanEdit reports whether the actor may edit certificates of townID: the
// county administrator anywhere, a team leader in their own town.
func CanEdit(a *zhifa.Actor, townID int64) bool {
	if a == nil {
		return false
	}
	return a.Role == zhifa.RoleCountyAdmin || (a.Role == zhifa.RoleLeader && a.TownID == townID)
}

// SaveCertificate records or replaces the officer's certificate.
func (s *Service) SaveCertificate(ctx context.Context, userID int64, in CertificateInput) error {
	cert, err := in.Validate()
	if err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		o, err := scanOfficer(tx.QueryRow(ctx, officerQuery+` AND u.id = $1`, userID), s.Clock.Today())
		if errors.Is(err, pgx.ErrNoRows) {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该执法人员。")
		} else if err != nil {
			return err
		}
		if !CanEdit(zhifa.ActorFrom(ctx), o.TownID) {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员或本镇队长可以登记执法证。")
		}
		_, err = tx.Exec(ctx, `INSERT INTO certificates (user_id, town_id, number, issuer, valid_from, valid_until)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (user_id) DO UPDATE SET number = EXCLUDED.number, issuer = EXCLUDED.issuer,
				valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until, updated_at = now()`,
			userID, o.TownID, cert.Number, cert.Issuer, cert.ValidFrom.Format(time.DateOnly), cert.ValidUntil.Format(time.DateOnly))
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return zhifa.FieldErrors{"number": "该执法证号已登记在其他人员名下。"}
		}
		return err
	})
	s.Ref.Drop(refcache.Officers) // this instance's next page sees it at once
	return zhifa.Annotate(err, fmt.Sprintf("save certificate of %d", userID))
}
