package publication

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/zhifa"
)

// The public pages' reads. They run with no tenancy settings at all, like
// the published item lists, and read only public_decisions (everyone may
// read it; its text is NULL once withdrawn) and the county's sums
// (public_year_figures): never a case, never the town's own record.

// Public is a published decision as the public pages show it.
type Public struct {
	ID          int64      `db:"id"`
	TownID      int64      `db:"town_id"`
	TownCode    string     `db:"town_code"`
	TownName    string     `db:"town_name"`
	DocNumber   string     `db:"doc_number"`
	Party       string     `db:"party"`
	Item        string     `db:"item"`
	Penalty     string     `db:"penalty"`
	Authority   string     `db:"authority"`
	DecidedOn   time.Time  `db:"decided_on"`
	PublishedOn time.Time  `db:"published_on"`
	Body        *string    `db:"body"` // nil once withdrawn
	WithdrawnOn *time.Time `db:"withdrawn_on"`
}

// Lines are the text's paragraphs (none once withdrawn).
func (p *Public) Lines() []string {
	if p.Body == nil {
		return nil
	}
	return strings.Split(*p.Body, "\n")
}

// PageSize is the number of decisions on a page of a list.
const PageSize = 20

// MaxWords bounds the words of a search.
const MaxWords = 5

// MaxPage bounds the page asked for (the offset stays small and valid).
const MaxPage = 10000

// Query is a public list's request.
type Query struct {
	TownID int64  // 0 = every town
	Q      string // words, each of which must appear
	Page   int    // from 1
}

// Words are the search words, at most MaxWords of at most 50 characters.
func (q Query) Words() []string {
	var out []string
	for _, w := range strings.Fields(q.Q) {
		if utf8.RuneCountInString(w) > 50 {
			w = string([]rune(w)[:50])
		}
		if len(out) < MaxWords {
			out = append(out, w)
		}
	}
	return out
}

const publicColumns = `p.id, p.town_id, t.code AS town_code, t.name AS town_name, p.doc_number, p.party, p.item, p.penalty,
	p.authority, p.decided_on, p.published_on, p.body, p.withdrawn_on`

// likeEscape escapes a word for LIKE.
var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// List is one page of the standing published decisions, newest first, and
// how many match in all. Withdrawn decisions are not listed.
func (s *Service) List(ctx context.Context, q Query) ([]Public, int, error) {
	q.Page = min(max(q.Page, 1), MaxPage)
	where := []string{"p.withdrawn_on IS NULL"}
	var args []any
	if q.TownID != 0 {
		args = append(args, q.TownID)
		where = append(where, fmt.Sprintf("p.town_id = $%d", len(args)))
	}
	for _, w := range q.Words() {
		args = append(args, "%"+likeEscape.Replace(w)+"%")
		where = append(where, fmt.Sprintf(`(p.doc_number || ' ' || p.party || ' ' || p.item || ' ' || p.penalty || ' ' || p.authority
			|| ' ' || coalesce(p.body, '')) ILIKE $%d`, len(args)))
	}
	cond := strings.Join(where, " AND ")
	var out []Public
	total := 0
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM public_decisions p WHERE `+cond, args...).Scan(&total); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT `+publicColumns+` FROM public_decisions p JOIN towns t ON t.id = p.town_id
			WHERE `+cond+fmt.Sprintf(` ORDER BY p.published_on DESC, p.id DESC LIMIT %d OFFSET %d`, PageSize, (q.Page-1)*PageSize), args...)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Public])
		return err
	})
	if err != nil {
		return nil, 0, zhifa.Annotate(err, "list published decisions")
	}
	for i := range out {
		localDates(&out[i])
	}
	return out, total, nil
}

// Get is one published decision (withdrawn or not); an unknown id is not
// found.
func (s *Service) Get(ctx context.Context, id int64) (*Public, error) {
	var p Public
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+publicColumns+` FROM public_decisions p JOIN towns t ON t.id = p.town_id WHERE p.id = $1`, id)
		var err error
		p, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Public])
		if errors.Is(err, pgx.ErrNoRows) {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该公示的行政处罚决定。")
		}
		return err
	})
	if err != nil {
		return nil, zhifa.Annotate(err, fmt.Sprintf("published decision %d", id))
	}
	localDates(&p)
	return &p, nil
}

func localDates(p *Public) {
	p.DecidedOn, p.PublishedOn = deadline.Day(p.DecidedOn), deadline.Day(p.PublishedOn)
	if p.WithdrawnOn != nil {
		d := deadline.Day(*p.WithdrawnOn)
		p.WithdrawnOn = &d
	}
}

// Headline is the county's figures of a year for the public home page.
type Headline struct {
	Year      int
	Filed     int64 // cases filed (立案)
	Closed    int64 // cases closed (结案)
	FineFen   int64 // fines decided
	Published int64 // decisions published and standing
}

// Headlines reads the year's figures: the cases' from the county's
// summary table (summed, not counted from the cases), the publications'
// from the public rows.
func (s *Service) Headlines(ctx context.Context, year int) (*Headline, error) {
	h := &Headline{Year: year}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT filed, closed, fine_fen FROM public_year_figures($1)`, year).
			Scan(&h.Filed, &h.Closed, &h.FineFen); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM public_decisions WHERE withdrawn_on IS NULL
			AND published_on >= make_date($1, 1, 1) AND published_on < make_date($1 + 1, 1, 1)`, year).Scan(&h.Published)
	})
	return h, zhifa.Annotate(err, "headline figures")
}

// Counts are the standing published decisions per town.
func (s *Service) Counts(ctx context.Context) (map[int64]int, error) {
	out := map[int64]int{}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT town_id, count(*) FROM public_decisions WHERE withdrawn_on IS NULL GROUP BY town_id`)
		var town int64
		var n int
		_, err := pgx.ForEachRow(rows, []any{&town, &n}, func() error { out[town] = n; return nil })
		return err
	})
	return out, zhifa.Annotate(err, "published decisions per town")
}
