package cases

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// ListFilter narrows the case list.
type ListFilter struct {
	State     string
	ItemID    int64
	Domain    string
	OfficerID int64
	From, To  time.Time // filing (or, for leads, discovery) date range
	Due       string    // "overdue" or "soon"
	Q         string    // number, party or place
	Sort      Sort      // the order; "" is SortDue with a Due filter, else SortFiled
	After     *Cursor   // keyset paging: the rows after this one in the order
	Limit     int
	TownID    int64 // county: one town (0 = every town)
	Count     bool  // also count every matching case (Page.Totals)
}

// The page size of the list, by default and at most.
const (
	pageSize    = 50
	maxPageSize = 200
)

// ExportLimit caps how many cases one download of the list holds.
const ExportLimit = 50000

var (
	fullNumberRE = regexp.MustCompile(`^紫.+综执立〔\d{4}〕\d+号$`)
	partNumberRE = regexp.MustCompile(`^(?:〔(\d{4})〕(\d{1,9})号?|(\d{1,9})号)$`)
)

// SearchLimit is how many matches of a party or place search the totals
// count: beyond it they say so (Totals.SearchCapped) rather than read every
// match, which for a common word costs a read of every case. The list
// itself pages through every match.
const SearchLimit = 200

// Sort is an order of the case list. The names are the query string's.
type Sort string

const (
	SortFiled Sort = "filed" // newest first (by id: the order of registration)
	SortDue   Sort = "due"   // the nearest next deadline first; cases without one last
)

// Sorts are the orders the list offers, in the order shown.
var Sorts = []Sort{SortFiled, SortDue}

// Label is the order's Chinese name.
func (s Sort) Label() string {
	switch s {
	case SortFiled:
		return "立案日期（新→旧）"
	case SortDue:
		return "下一期限（近→远）"
	}
	return string(s)
}

// ParseSort reads a sort name; ok is false for an unknown one.
func ParseSort(v string) (s Sort, ok bool) {
	for _, x := range Sorts {
		if string(x) == v {
			return x, true
		}
	}
	return "", false
}

// sortOf is the order f asks for.
func (f *ListFilter) sortOf() Sort {
	switch {
	case f.Sort != "":
		return f.Sort
	case f.Due != "":
		return SortDue // a due list is read by urgency
	}
	return SortFiled
}

// Cursor is the last row of a page, where the next one starts: its id and,
// in the deadline order, its next deadline (nil for the rows without one).
type Cursor struct {
	ID  int64
	Due *time.Time
}

// Row is one case in a list.
type Row struct {
	ID         int64              `db:"id"`
	Number     *string            `db:"number"`
	Procedure  workflow.Procedure `db:"procedure"`
	State      workflow.State     `db:"state"`
	PartyName  string             `db:"party_name"`
	PartyPhone string             `db:"party_phone"`
	Place      string             `db:"place"`
	ItemName   string             `db:"item_name"`
	TownName   string             `db:"town_name"`
	FiledOn    *time.Time         `db:"filed_on"`
	Discovered time.Time          `db:"discovered_on"`
	NextDueOn  *time.Time         `db:"next_due_on"`
	NextDueKey string             `db:"next_due_key"`
	Lead       string             `db:"lead_officer"`
	Suspended  bool               `db:"suspended"`
}

// NumberOrLead is the case number or 待立案.
func (r *Row) NumberOrLead() string {
	if r.Number == nil {
		return "（待立案）"
	}
	return *r.Number
}

// Page is one page of a list.
type Page struct {
	Rows   []Row
	Next   *Cursor // where the next page starts; nil on the last page
	Totals *Totals // every matching case, when the filter asked (Count)
}

// Totals counts every case matching a filter, not only one page's.
type Totals struct {
	All     int
	Overdue int // next deadline passed
	DueSoon int // next deadline within 7 days (not passed)
	// SearchCapped: the party or place search matched more than
	// SearchLimit cases; All is SearchLimit+1 and Overdue and DueSoon count
	// only those, so they are not shown. The rows are not cut.
	SearchCapped bool
}

// List returns a page of the actor's cases (RLS keeps a town to its own)
// in the filter's order, with keyset paging so a deep page costs what the
// first does.
func (s *Service) List(ctx context.Context, f ListFilter) (*Page, error) {
	switch {
	case f.Limit <= 0:
		f.Limit = pageSize
	case f.Limit > maxPageSize:
		f.Limit = maxPageSize
	}
	return s.list(ctx, f)
}

// Export returns every case matching the filter in its order, from its
// cursor on, up to ExportLimit: Next is set when there were more.
func (s *Service) Export(ctx context.Context, f ListFilter) (*Page, error) {
	f.Limit = ExportLimit
	return s.list(ctx, f)
}

// listArgs numbers a query's arguments.
type listArgs []any

func (a *listArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// where is the filter as SQL conditions on cases c, items i, domains d,
// with their arguments added to args (the cursor aside).
func (f *ListFilter) where(ctx context.Context, today time.Time, args *listArgs) []string {
	arg := args.add
	var where []string
	// The database keeps a town to its own rows; saying so here too lets
	// the planner use the (town_id, ...) indexes directly.
	if a := zhifa.ActorFrom(ctx); a != nil && !a.Role.IsCounty() {
		where = append(where, "c.town_id = "+arg(a.TownID))
	} else if f.TownID != 0 {
		where = append(where, "c.town_id = "+arg(f.TownID))
	}
	if f.State != "" {
		where = append(where, "c.state = "+arg(f.State))
	}
	if f.ItemID != 0 {
		where = append(where, "c.item_id = "+arg(f.ItemID))
	}
	if f.Domain != "" {
		where = append(where, "d.name = "+arg(f.Domain))
	}
	if f.OfficerID != 0 {
		where = append(where, "EXISTS (SELECT FROM case_officers o WHERE o.case_id = c.id AND o.user_id = "+arg(f.OfficerID)+")")
	}
	if !f.From.IsZero() {
		where = append(where, "coalesce(c.filed_on, c.discovered_on) >= "+arg(f.From.Format(time.DateOnly)))
	}
	if !f.To.IsZero() {
		where = append(where, "coalesce(c.filed_on, c.discovered_on) <= "+arg(f.To.Format(time.DateOnly)))
	}
	switch f.Due {
	case "overdue":
		where = append(where, "cd.next_due_on < "+arg(today.Format(time.DateOnly)))
	case "soon":
		where = append(where, "cd.next_due_on <= "+arg(today.AddDate(0, 0, 7).Format(time.DateOnly)))
	}
	if q := f.search(); q != "" {
		// A case number, whole or from its year on, is found by equality on
		// indexed columns (which row-level security lets the planner use);
		// anything else is the party or the place, found by search_case_ids
		// and its indexes (migrations 0026, 0031), which returns only cases
		// the actor may read.
		if exact, year, seq, ok := numberQuery(q); ok && exact != "" {
			where = append(where, "c.number = "+arg(exact))
		} else if ok {
			where = append(where, "c.seq = "+arg(seq))
			if year != 0 {
				where = append(where, "c.year = "+arg(year))
			}
		} else {
			where = append(where, "c.id = ANY ((SELECT search_case_ids("+f.searchArgs(ctx, q, arg)+"))::bigint[])")
		}
	}
	return where
}

// searchArgs are the arguments of search_case_ids (see migration 0031) for
// the text search q: the town (NULL for every town the actor reads), the
// cursor, how many and whether the newest. The function reads a page of a
// common word from the newest cases on and a rare one from its index,
// choosing by what it finds among the newest; it runs once, as a subquery.
//   - The search alone in the filed order: the page itself, the newest
//     f.Limit+1 matches below the cursor (the list's keyset).
//   - With other conditions or in the deadline order: every match, which
//     they then narrow and order.
//
// The totals of the search alone come from search_case_totals instead
// (totalsQuery), which, in the same transaction, goes on from where the
// page's search got to; a first page says how many they count, so that
// its search can take the way that serves both.
func (f *ListFilter) searchArgs(ctx context.Context, q string, arg func(any) string) string {
	town, before, rows := f.searchScope(ctx)
	var count any
	if rows != nil && before == nil && f.Count {
		count = SearchLimit + 1
	}
	return arg(q) + ", " + arg(town) + "::bigint, " + arg(before) + "::bigint, " + arg(rows) + "::int, " + arg(rows != nil) +
		", " + arg(count) + "::int"
}

// searchScope is the town of a text search (nil: every town the actor
// reads) and, for a page of the search alone in the filed order, its
// cursor (nil for the first page) and its rows (nil: every match).
func (f *ListFilter) searchScope(ctx context.Context) (town, before, rows any) {
	if a := zhifa.ActorFrom(ctx); (a == nil || a.Role.IsCounty()) && f.TownID != 0 {
		town = f.TownID
	}
	if f.searchAlone() && f.sortOf() == SortFiled {
		rows = f.Limit + 1
		if f.After != nil {
			before = f.After.ID
		}
	}
	return town, before, rows
}

// searchAlone says the text search is the only condition besides the town.
func (f *ListFilter) searchAlone() bool {
	return f.State == "" && f.ItemID == 0 && f.Domain == "" && f.OfficerID == 0 && f.From.IsZero() && f.To.IsZero() && f.Due == ""
}

// search is the search, if any: a case number or a text search.
func (f *ListFilter) search() string { return strings.TrimSpace(f.Q) }

// textSearch is the search when it goes through search_case_ids, "" for
// none or a case number.
func (f *ListFilter) textSearch() string {
	q := f.search()
	if _, _, _, ok := numberQuery(q); ok {
		return ""
	}
	return q
}

const listColumns = `SELECT c.id, c.number, c.procedure, c.state, c.party_name, c.party_phone,
			trim(c.place_village || ' ' || c.place_address) AS place, i.name AS item_name, t.name AS town_name, c.filed_on, c.discovered_on,
			cd.next_due_on, cd.next_due_key, c.suspended_since IS NOT NULL AS suspended,
			coalesce((SELECT u.display_name FROM case_officers o JOIN users u ON u.id = o.user_id
			          WHERE o.case_id = c.id ORDER BY o.lead DESC, o.user_id LIMIT 1), '') AS lead_officer
		FROM cases c JOIN ` + dueJoin + ` JOIN towns t ON t.id = c.town_id JOIN catalogue_items i ON i.id = c.item_id JOIN domains d ON d.id = i.domain_id`

// Query is one SQL statement with its arguments.
type Query struct {
	SQL  string
	Args []any
}

// ListStatements returns the statements the list runs for f, in the
// actor's transaction: the page's rows (f.Limit+1 of them, a default page
// when f.Limit is 0) and, when f.Count, the totals (else a zero Query).
// The benchmark's floor runs the very same ones.
func (s *Service) ListStatements(ctx context.Context, f ListFilter) (list, count Query) {
	if f.Limit <= 0 {
		f.Limit = pageSize
	}
	today := s.Clock.Today()
	order := f.sortOf()
	var args listArgs
	where := f.where(ctx, today, &args)
	if c := f.After; c != nil {
		switch {
		case order == SortFiled:
			where = append(where, "c.id < "+args.add(c.ID))
		case c.Due != nil:
			// Within the cursor's day the larger ids, then later days, then
			// the cases without a deadline.
			where = append(where, "((cd.next_due_on, cd.case_id) > ("+args.add(c.Due.Format(time.DateOnly))+"::date, "+
				args.add(c.ID)+") OR cd.next_due_on IS NULL)")
		default:
			where = append(where, "cd.next_due_on IS NULL AND cd.case_id > "+args.add(c.ID))
		}
	}
	sql := listColumns
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	if order == SortDue {
		sql += " ORDER BY cd.next_due_on ASC NULLS LAST, cd.case_id"
	} else {
		sql += " ORDER BY c.id DESC"
	}
	sql += " LIMIT " + args.add(f.Limit+1)
	list = Query{SQL: sql, Args: args}
	if f.Count {
		count = f.totalsQuery(ctx, today)
	}
	return list, count
}

// list reads up to f.Limit rows from f.After on, and the totals if asked,
// in one transaction.
func (s *Service) list(ctx context.Context, f ListFilter) (*Page, error) {
	order := f.sortOf()
	stmt, count := s.ListStatements(ctx, f)
	var rows []Row
	var totals *Totals
	// The page and its totals go in one round trip (a batch).
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		generic := f.fixedPlan()
		if generic {
			b.Queue(genericPlanSQL)
		}
		b.Queue(stmt.SQL, stmt.Args...).Query(func(r pgx.Rows) error {
			var err error
			rows, err = pgx.CollectRows(r, pgx.RowToStructByName[Row])
			return err
		})
		if generic {
			b.Queue(resetPlanSQL)
		}
		if f.Count {
			b.Queue(count.SQL, count.Args...).QueryRow(func(row pgx.Row) error {
				var t Totals
				if err := row.Scan(&t.All, &t.Overdue, &t.DueSoon, &t.SearchCapped); err != nil {
					return fmt.Errorf("count cases: %w", err)
				}
				totals = &t
				return nil
			})
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	p := &Page{Rows: rows, Totals: totals}
	if len(rows) > f.Limit {
		p.Rows = rows[:f.Limit]
		last := p.Rows[len(p.Rows)-1]
		p.Next = &Cursor{ID: last.ID}
		if order == SortDue {
			p.Next.Due = localDatePtr(last.NextDueOn)
		}
	}
	for i := range p.Rows {
		p.Rows[i].FiledOn = localDatePtr(p.Rows[i].FiledOn)
		p.Rows[i].NextDueOn = localDatePtr(p.Rows[i].NextDueOn)
	}
	return p, nil
}

// genericPlanSQL asks PostgreSQL for a statement's generic plan (made once
// per connection) for the rest of the transaction, resetPlanSQL for the
// configured choice again. Queued around one statement in the same batch:
// no round trip of their own.
const (
	genericPlanSQL = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`
	resetPlanSQL   = `RESET plan_cache_mode`
)

// fixedPlan says the page's statement has one right plan whatever its
// values: the town's cases (or every town's) newest first, alone or with a
// text search (whose matches come from search_case_ids) or a number. The
// list as it opens is the most read page, and PostgreSQL planned it afresh
// each time (1.2 ms at a million cases, more than running it), as its
// estimate for a town in general is not that of this town. With a filter
// such as a state or an item the plan does depend on the values.
func (f *ListFilter) fixedPlan() bool {
	return f.searchAlone() && f.sortOf() == SortFiled
}

// totalsQuery counts every case matching f (whatever its page), by the
// state of its next deadline as DueStatus gives it, in one statement: all,
// overdue, due soon, and whether the search was capped (Totals' order).
func (f *ListFilter) totalsQuery(ctx context.Context, today time.Time) Query {
	var args listArgs
	if q := f.textSearch(); q != "" && f.searchAlone() {
		// A party or place search alone counts at most SearchLimit+1
		// matches, in search_case_totals (see migration 0031).
		town, _, _ := f.searchScope(ctx)
		sql := "SELECT matched, overdue, due_soon, matched > " + args.add(SearchLimit) + " FROM search_case_totals(" +
			args.add(q) + ", " + args.add(town) + "::bigint, " + args.add(SearchLimit+1) + ", " +
			args.add(today.Format(time.DateOnly)) + "::date, " + args.add(today.AddDate(0, 0, 7).Format(time.DateOnly)) + "::date)"
		return Query{SQL: sql, Args: args}
	}
	if f.townOrDueOnly() {
		// The list as it opens (no filter but the town), or its overdue or
		// due-soon cases alone: the counts per town and deadline kept by
		// the triggers of migration 0030, not a count of every case.
		t0 := args.add(today.Format(time.DateOnly))
		t7 := args.add(today.AddDate(0, 0, 7).Format(time.DateOnly))
		sql := `SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE due_on < ` + t0 + `::date), 0),
			coalesce(sum(n) FILTER (WHERE due_on >= ` + t0 + `::date AND due_on <= ` + t7 + `::date), 0), false
			FROM case_due_counts`
		var conds []string
		if a := zhifa.ActorFrom(ctx); a != nil && !a.Role.IsCounty() {
			conds = append(conds, "town_id = "+args.add(a.TownID))
		} else if f.TownID != 0 {
			conds = append(conds, "town_id = "+args.add(f.TownID))
		}
		switch f.Due { // as where's due filter ('infinity' is no deadline)
		case "overdue":
			conds = append(conds, "due_on < "+t0+"::date")
		case "soon":
			conds = append(conds, "due_on <= "+t7+"::date")
		}
		if len(conds) > 0 {
			sql += " WHERE " + strings.Join(conds, " AND ")
		}
		return Query{SQL: sql, Args: args}
	}
	where := f.where(ctx, today, &args)
	t0 := args.add(today.Format(time.DateOnly))
	t7 := args.add(today.AddDate(0, 0, 7).Format(time.DateOnly))
	sql := `SELECT count(*), count(*) FILTER (WHERE cd.next_due_on < ` + t0 + `::date),
		count(*) FILTER (WHERE cd.next_due_on >= ` + t0 + `::date AND cd.next_due_on <= ` + t7 + `::date), false
		FROM cases c JOIN ` + dueJoin
	if f.Domain != "" {
		sql += " JOIN catalogue_items i ON i.id = c.item_id JOIN domains d ON d.id = i.domain_id"
	}
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	return Query{SQL: sql, Args: args}
}

// townOrDueOnly reports whether f filters by nothing but the town and the
// due filter (the cursor aside, which the totals ignore).
func (f *ListFilter) townOrDueOnly() bool {
	return f.State == "" && f.ItemID == 0 && f.Domain == "" && f.OfficerID == 0 && f.From.IsZero() && f.To.IsZero() &&
		f.search() == ""
}

// numberQuery reads a search for a case number: the whole number
// (紫毛坝综执立〔2025〕12号, exact), or its end, "〔2025〕12号" (or without
// 号) or "12号" (year 0 when not given). ok is false for any other search:
// a text search looks at the party and the place, not the number.
func numberQuery(q string) (exact string, year, seq int, ok bool) {
	if fullNumberRE.MatchString(q) {
		return q, 0, 0, true
	}
	m := partNumberRE.FindStringSubmatch(q)
	if m == nil {
		return "", 0, 0, false
	}
	seq, _ = strconv.Atoi(m[2] + m[3]) // one of them, at most 9 digits: no overflow
	if m[1] != "" {
		year, _ = strconv.Atoi(m[1])
	}
	return "", year, seq, true
}

// DueStatus classifies a row's next deadline today.
func (r *Row) DueStatus(today time.Time) deadline.Status {
	switch {
	case r.Suspended:
		return deadline.Paused
	case r.NextDueOn == nil:
		return ""
	case r.NextDueOn.Before(today):
		return deadline.Overdue
	case !r.NextDueOn.After(today.AddDate(0, 0, 7)):
		return deadline.DueSoon
	}
	return deadline.Running
}

// RemedyStats counts reconsiderations and lawsuits by outcome across what
// the actor may read, for the county's "零复议纠错、零诉讼败诉".
type RemedyStats struct {
	Reconsiderations, ReconsiderationsCorrected int
	Lawsuits, LawsuitsLost                      int
}

// Remedies returns the counts.
func (s *Service) Remedies(ctx context.Context) (RemedyStats, error) {
	var st RemedyStats
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE kind = 'reconsideration'),
			count(*) FILTER (WHERE kind = 'reconsideration' AND outcome = 'corrected'),
			count(*) FILTER (WHERE kind = 'litigation'),
			count(*) FILTER (WHERE kind = 'litigation' AND outcome = 'corrected')
			FROM case_remedies`).Scan(&st.Reconsiderations, &st.ReconsiderationsCorrected, &st.Lawsuits, &st.LawsuitsLost)
	})
	if err != nil {
		return st, fmt.Errorf("remedy stats: %w", err)
	}
	return st, nil
}
