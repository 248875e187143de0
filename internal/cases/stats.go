package cases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/zhifa"
)

// The summary data (table case_stats, migration 0027): each town's numbers
// per month, item, source and procedure, kept current by triggers in the
// transaction of each change to a case, a payment or a legal review. A case
// counts in the month of each of its events (registered, filed, decided,
// ended, hearing held), a payment and a review in their own month. Reading
// it costs a few thousand small rows at a million cases; CheckStats
// recomputes it from the cases.

// StatsCounts are the summed numbers of some rows of case_stats.
type StatsCounts struct {
	Registered int `db:"registered"` // leads registered, filed or not
	NotFiled   int `db:"not_filed"`  // leads ended without filing (不予立案)
	Filed      int `db:"filed"`      // cases filed (立案)
	Extended   int `db:"extended"`   // of the cases filed, those whose handling period was extended
	Decided    int `db:"decided"`    // decisions: penalties and 不予处罚
	NoPenalty  int `db:"no_penalty"` // of the decisions, 不予处罚
	// FineFen are the fines decided; PaidFen what has been paid on them so
	// far (net of reversals), whenever it was paid.
	FineFen int64 `db:"fine_fen"`
	PaidFen int64 `db:"paid_fen"`
	// Ended are the filed cases that ended (closed, no penalty, revoked,
	// transferred); Closed those closed (结案).
	Ended       int `db:"ended"`
	Closed      int `db:"closed"`
	Transferred int `db:"transferred"` // cases or leads transferred (移送)
	Revoked     int `db:"revoked"`     // filings revoked (撤销立案)
	// HandlingDays is the sum, over the ended cases, of the days from
	// filing to the end; HandlingDaysMax the longest.
	HandlingDays    int64 `db:"handling_days"`
	HandlingDaysMax int   `db:"handling_days_max"`
	Hearings        int   `db:"hearings"`         // hearings held
	Reviews         int   `db:"reviews"`          // legal reviews recorded
	ReviewsReturned int   `db:"reviews_returned"` // of which returned for further investigation
	ReviewsFailed   int   `db:"reviews_failed"`   // of which not passed
	// CollectedFen are the fines paid in the period (a reversal counts in
	// its own month); SurchargeFen the late-payment surcharges paid.
	CollectedFen int64 `db:"collected_fen"`
	SurchargeFen int64 `db:"surcharge_fen"`
}

// OutstandingFen is what is still owed on the fines decided.
func (c *StatsCounts) OutstandingFen() int64 { return c.FineFen - c.PaidFen }

// AverageHandlingDays is the mean of the ended cases' handling days (0
// when none ended).
func (c *StatsCounts) AverageHandlingDays() float64 {
	if c.Ended == 0 {
		return 0
	}
	return float64(c.HandlingDays) / float64(c.Ended)
}

// StatsDim is a dimension the numbers can be grouped by.
type StatsDim string

// The dimensions, declared once.
const (
	ByTown      StatsDim = "town"
	ByDomain    StatsDim = "domain"
	ByItem      StatsDim = "item"
	BySource    StatsDim = "source"
	ByProcedure StatsDim = "procedure"
	ByMonth     StatsDim = "month"
)

// statsDims are the SQL of each dimension over case_stats s joined to
// catalogue_items i, and the column StatsLine scans it into.
var statsDims = map[StatsDim][2]string{
	ByTown:      {"s.town_id", "town_id"},
	ByDomain:    {"i.domain_id", "domain_id"},
	ByItem:      {"s.item_id", "item_id"},
	BySource:    {"s.source", "source"},
	ByProcedure: {"s.procedure", "procedure"},
	ByMonth:     {"s.month", "month"},
}

// StatsQuery chooses the rows and the grouping of Stats.
type StatsQuery struct {
	// From and To are the period, by month: the months from From's to the
	// one before To's (To's month excluded). A zero From is the beginning.
	From, To time.Time
	// TownID limits the numbers to one town (0: every town the actor reads;
	// a town's user reads its own whatever it asks).
	TownID int64
	By     []StatsDim
}

// StatsLine is one group of Stats: the values of the dimensions grouped by
// (zero for the others), the period's numbers and the cases pending.
type StatsLine struct {
	TownID    int64     `db:"town_id"`
	DomainID  int64     `db:"domain_id"`
	ItemID    int64     `db:"item_id"`
	Source    string    `db:"source"`
	Procedure string    `db:"procedure"`
	Month     time.Time `db:"month"`
	StatsCounts
	// Pending are the cases filed and not ended at the end of the period
	// (of the line's month when grouped by month).
	Pending int `db:"pending"`
}

// statsSums sums each measure of case_stats s over the rows where cond holds.
func statsSums(cond string) string {
	var b strings.Builder
	for i, m := range statsMeasures {
		if i > 0 {
			b.WriteString(", ")
		}
		agg := "sum"
		if m == "handling_days_max" {
			agg = "max"
		}
		fmt.Fprintf(&b, "coalesce(%s(s.%s) FILTER (WHERE %s), 0) AS %[2]s", agg, m, cond)
	}
	return b.String()
}

// statsMeasures are case_stats' numbers, in the table's order.
var statsMeasures = []string{"registered", "not_filed", "filed", "extended", "decided", "no_penalty", "fine_fen", "paid_fen",
	"ended", "closed", "transferred", "revoked", "handling_days", "handling_days_max", "hearings", "reviews",
	"reviews_returned", "reviews_failed", "collected_fen", "surcharge_fen"}

// Stats reads the summary for q's period, grouped by q.By, in the order of
// the dimensions. It reads case_stats only (and the items, for domains).
func (s *Service) Stats(ctx context.Context, q StatsQuery) ([]StatsLine, error) {
	if q.To.IsZero() {
		return nil, zhifa.Errorf(zhifa.EINVALID, "请选择统计期间。")
	}
	from := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	if !q.From.IsZero() {
		from = q.From
	}
	var keys, cols []string
	byMonth := false
	for _, d := range q.By {
		dim, ok := statsDims[d]
		if !ok {
			return nil, fmt.Errorf("stats: unknown dimension %q", d)
		}
		if d == ByMonth {
			byMonth = true
			continue
		}
		keys = append(keys, dim[0])
		cols = append(cols, dim[0]+" AS "+dim[1])
	}
	args := pgx.NamedArgs{"from": monthOf(from), "to": monthOf(q.To), "town": q.TownID}
	where := `s.month < @to::date AND (@town::bigint = 0 OR s.town_id = @town)`
	var sql string
	if byMonth {
		// Each month's numbers, and its pending cases: everything filed
		// less everything ended up to the month's end, per group.
		partition := ""
		if len(keys) > 0 {
			partition = "PARTITION BY " + strings.Join(keys, ", ")
		}
		sql = `SELECT * FROM (
			SELECT ` + strings.Join(append(cols, "s.month AS month", statsSums("true")), ", ") + `,
				(sum(sum(s.filed - s.ended)) OVER (` + partition + ` ORDER BY s.month))::int AS pending
			FROM case_stats s JOIN catalogue_items i ON i.id = s.item_id
			WHERE ` + where + `
			GROUP BY ` + strings.Join(append(keys, "s.month"), ", ") + `) m
			WHERE m.month >= @from::date ORDER BY ` + strings.Join(append(dimCols(q.By, ByMonth), "month"), ", ")
	} else {
		group := ""
		if len(keys) > 0 {
			group = " GROUP BY " + strings.Join(keys, ", ") + " ORDER BY " + strings.Join(keys, ", ")
		}
		sql = `SELECT ` + strings.Join(append(cols, statsSums("s.month >= @from::date"), `sum(s.filed - s.ended)::int AS pending`), ", ") + `
			FROM case_stats s JOIN catalogue_items i ON i.id = s.item_id
			WHERE ` + where + group
	}
	var out []StatsLine
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, sql, args)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByNameLax[StatsLine])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	for i := range out {
		if !out[i].Month.IsZero() {
			out[i].Month = localDate(out[i].Month)
		}
	}
	return out, nil
}

// dimCols are the result columns of by, but skip.
func dimCols(by []StatsDim, skip StatsDim) []string {
	var out []string
	for _, d := range by {
		if d != skip {
			out = append(out, statsDims[d][1])
		}
	}
	return out
}

// monthOf is the first day of t's month, as a date.
func monthOf(t time.Time) string {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// StatsDiff is one number of case_stats that differs from the cases.
type StatsDiff struct {
	TownID    int64     `db:"town_id"`
	Month     time.Time `db:"month"`
	ItemID    int64     `db:"item_id"`
	Source    string    `db:"source"`
	Procedure string    `db:"procedure"`
	Measure   string    `db:"measure"`
	Stored    int64     `db:"stored"`
	Computed  int64     `db:"computed"`
}

func (d StatsDiff) String() string {
	return fmt.Sprintf("town %d %s item %d %s/%s: %s stored %d, computed from the cases %d",
		d.TownID, d.Month.Format("2006-01"), d.ItemID, d.Source, d.Procedure, d.Measure, d.Stored, d.Computed)
}

// CheckStats recomputes the summary from the cases the actor may read
// (case_stats_computed, migration 0027; case_remedy_stats_computed and
// case_stats_months_computed, 0033) and returns every number that differs
// from case_stats, case_remedy_stats or case_stats_months: none when the
// triggers kept them right. It reads
// every case: a check, not a page.
func (s *Service) CheckStats(ctx context.Context) ([]StatsDiff, error) {
	var out []StatsDiff
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT town_id, month, item_id, source, procedure, m.measure,
				coalesce((to_jsonb(s) ->> m.measure)::bigint, 0) AS stored, coalesce((to_jsonb(c) ->> m.measure)::bigint, 0) AS computed
			FROM case_stats s FULL JOIN case_stats_computed() c USING (town_id, month, item_id, source, procedure)
			CROSS JOIN LATERAL unnest($1::text[]) m(measure)
			WHERE coalesce((to_jsonb(s) ->> m.measure)::bigint, 0) <> coalesce((to_jsonb(c) ->> m.measure)::bigint, 0)
			ORDER BY 1, 2, 3, 4, 5, 6`, statsMeasures)
		var err error
		if out, err = pgx.CollectRows(rows, pgx.RowToStructByName[StatsDiff]); err != nil {
			return err
		}
		// The reconsiderations and lawsuits (case_remedy_stats, migration
		// 0033), measure "<kind>.<number>", item 0.
		rows, _ = tx.Query(ctx, `SELECT town_id, month, 0::bigint AS item_id, '' AS source, '' AS procedure,
				kind || '.' || m.measure AS measure,
				coalesce((to_jsonb(s) ->> m.measure)::bigint, 0) AS stored, coalesce((to_jsonb(c) ->> m.measure)::bigint, 0) AS computed
			FROM case_remedy_stats s FULL JOIN case_remedy_stats_computed() c USING (town_id, month, kind)
			CROSS JOIN LATERAL unnest('{filed,decided,upheld,corrected,withdrawn}'::text[]) m(measure)
			WHERE coalesce((to_jsonb(s) ->> m.measure)::bigint, 0) <> coalesce((to_jsonb(c) ->> m.measure)::bigint, 0)
			ORDER BY 1, 2, 6`)
		remedies, err := pgx.CollectRows(rows, pgx.RowToStructByName[StatsDiff])
		if err != nil {
			return err
		}
		out = append(out, remedies...)
		// The numbers per town and month (case_stats_months, 0033),
		// measure "months.<number>".
		rows, _ = tx.Query(ctx, `SELECT town_id, month, 0::bigint AS item_id, '' AS source, '' AS procedure,
				'months.' || m.measure AS measure,
				coalesce((to_jsonb(s) ->> m.measure)::bigint, 0) AS stored, coalesce((to_jsonb(c) ->> m.measure)::bigint, 0) AS computed
			FROM case_stats_months s FULL JOIN case_stats_months_computed() c USING (town_id, month)
			CROSS JOIN LATERAL unnest($1::text[]) m(measure)
			WHERE coalesce((to_jsonb(s) ->> m.measure)::bigint, 0) <> coalesce((to_jsonb(c) ->> m.measure)::bigint, 0)
			ORDER BY 1, 2, 6`, statsMeasures)
		months, err := pgx.CollectRows(rows, pgx.RowToStructByName[StatsDiff])
		out = append(out, months...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("check stats: %w", err)
	}
	for i := range out {
		out[i].Month = localDate(out[i].Month)
	}
	return out, nil
}
