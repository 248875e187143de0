// Package audit keeps the access log: who read which case page, document,
// evidence file or dossier, and when (migrations/0023). Every case holds
// citizens' personal data; the county reads the log, the towns do not, and
// nobody changes or deletes it.
package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// What is the kind of thing read.
type What string

const (
	Case       What = "case"        // the case page (and any other page of the case)
	Document   What = "document"    // a document, its print view or receipt, the document list or a draft's preview
	Evidence   What = "evidence"    // an evidence file
	Dossier    What = "dossier"     // the dossier (案卷) page
	DossierPDF What = "dossier_pdf" // the dossier printed to PDF
)

// Whats lists the kinds in display order.
var Whats = []What{Case, Document, Evidence, Dossier, DossierPDF}

// Label is the kind's Chinese name.
func (w What) Label() string {
	switch w {
	case Case:
		return "案件页面"
	case Document:
		return "文书"
	case Evidence:
		return "证据文件"
	case Dossier:
		return "案卷"
	case DossierPDF:
		return "案卷PDF"
	}
	return string(w)
}

// Read is one successful read to record.
type Read struct {
	TownID   int64 // the case's town
	CaseID   int64
	What     What
	ObjectID int64 // the document or evidence row; 0 if none
	Path     string
	Remote   string
	Status   int // 200 or 206
}

// Service records and lists reads.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
}

// Column limits (migrations/0023): a longer path or address is cut.
const (
	maxPath   = 2000
	maxRemote = 100
)

// Record writes the acting user's read. The database refuses a read of a
// case the actor cannot read, or under another town than the case's.
func (s *Service) Record(ctx context.Context, r Read) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil || a.UserID == 0 {
		return zhifa.Errorf(zhifa.EUNAUTHORIZED, "请先登录。")
	}
	var object *int64
	if r.ObjectID != 0 {
		object = &r.ObjectID
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO access_log (at, user_id, username, user_name, role, town_id, case_id, what, object_id, path, remote, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			s.Clock(), a.UserID, a.Username, a.DisplayName, string(a.Role), r.TownID, r.CaseID, string(r.What), object,
			cut(r.Path, maxPath), cut(r.Remote, maxRemote), r.Status)
		return err
	})
	if err != nil {
		return fmt.Errorf("access log of case %d: %w", r.CaseID, err)
	}
	return nil
}

// cut shortens s to at most n bytes, on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) { // only the cut character can be broken
		s = s[:len(s)-1]
	}
	return s
}

// Entry is one read as the county sees it.
type Entry struct {
	ID         int64      `db:"id"`
	At         time.Time  `db:"at"`
	UserID     int64      `db:"user_id"`
	Username   string     `db:"username"`
	UserName   string     `db:"user_name"`
	Role       zhifa.Role `db:"role"`
	TownID     int64      `db:"town_id"`
	TownName   string     `db:"town_name"`
	CaseID     int64      `db:"case_id"`
	CaseNumber *string    `db:"case_number"`
	What       What       `db:"what"`
	ObjectID   *int64     `db:"object_id"`
	Path       string     `db:"path"`
	Remote     string     `db:"remote"`
	Status     int        `db:"status"`
}

// CaseLabel is the case number, or 待立案 for a lead.
func (e *Entry) CaseLabel() string {
	if e.CaseNumber == nil {
		return "（待立案）"
	}
	return *e.CaseNumber
}

// Filter narrows the log.
type Filter struct {
	TownID   int64     // 0 = every town
	Case     string    // a case number (or its end, "〔2025〕3号"), or a case id
	User     string    // a login name or a display name
	What     What      // "" = every kind
	From, To time.Time // local dates, inclusive; zero = open
	Before   int64     // keyset paging: entries with a smaller id
	Limit    int
}

// Page is one page of the log, newest first.
type Page struct {
	Rows       []Entry
	NextBefore int64 // 0 when this is the last page
}

// DefaultLimit is the page size.
const DefaultLimit = 50

// List returns a page of the log, newest first (county roles only: the
// database shows a town nothing).
func (s *Service) List(ctx context.Context, f Filter) (*Page, error) {
	a := zhifa.ActorFrom(ctx)
	if a == nil || !a.Role.IsCounty() {
		return nil, zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级用户可以查看访问记录。")
	}
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.TownID != 0 {
		where = append(where, "l.town_id = "+arg(f.TownID))
	}
	if q := strings.TrimSpace(f.Case); q != "" {
		if id, err := strconv.ParseInt(q, 10, 64); err == nil {
			where = append(where, "l.case_id = "+arg(id))
		} else {
			where = append(where, "(c.number = "+arg(q)+" OR c.number LIKE '%' || "+arg(likeEscape(q))+")")
		}
	}
	if u := strings.TrimSpace(f.User); u != "" {
		where = append(where, "(l.username = "+arg(strings.ToLower(u))+" OR l.user_name = "+arg(u)+")")
	}
	if f.What != "" {
		where = append(where, "l.what = "+arg(string(f.What)))
	}
	if !f.From.IsZero() {
		where = append(where, "l.at >= "+arg(dayStart(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "l.at < "+arg(dayStart(f.To).AddDate(0, 0, 1)))
	}
	if f.Before > 0 {
		where = append(where, "l.id < "+arg(f.Before))
	}
	sql := `SELECT l.id, l.at, l.user_id, l.username, l.user_name, l.role, l.town_id, t.name AS town_name, l.case_id,
			c.number AS case_number, l.what, l.object_id, l.path, l.remote, l.status
		FROM access_log l JOIN towns t ON t.id = l.town_id JOIN cases c ON c.id = l.case_id`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY l.id DESC LIMIT " + arg(f.Limit+1)
	p := &Page{}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		p.Rows, err = pgx.CollectRows(rows, pgx.RowToStructByName[Entry])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	if len(p.Rows) > f.Limit {
		p.Rows = p.Rows[:f.Limit]
		p.NextBefore = p.Rows[len(p.Rows)-1].ID
	}
	return p, nil
}

// dayStart is midnight of t's day in China Standard Time.
func dayStart(t time.Time) time.Time {
	y, m, d := t.In(zhifa.Local).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, zhifa.Local)
}

// likeEscape quotes LIKE's wildcards (the default escape is a backslash).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
