package cases

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// The statistics page's reads (issue 13): a period's numbers beside the
// same months of the year before, by town, domain, item, source and
// procedure, from the summary tables alone (case_stats of migration 0027,
// case_stats_months and case_remedy_stats of 0033, case_due_counts of
// 0030), so that they cost about the same at a million cases as at a
// hundred.

// PeriodQuery chooses the period of PeriodStats: whole months, From's
// month to the one before To's, and the town (0: every town the actor
// reads; a town's user reads its own whatever it asks).
type PeriodQuery struct {
	From, To time.Time
	TownID   int64
}

// yearBefore is q's period a year earlier.
func (q PeriodQuery) yearBefore() (from, to time.Time) {
	return q.From.AddDate(-1, 0, 0), q.To.AddDate(-1, 0, 0)
}

// PeriodGroup is one group of PeriodStats: the total (By ""), or one town,
// domain, item, source or procedure.
type PeriodGroup struct {
	By        StatsDim
	TownID    int64
	DomainID  int64
	ItemID    int64
	Source    string
	Procedure string
	Name      string // the town's, domain's or item's name
	// Now are the period's numbers, Before those of the same months a year
	// earlier.
	Now, Before StatsCounts
	// Pending and PendingBefore are the cases filed and not ended at the
	// end of each.
	Pending, PendingBefore int
}

// RemedyCounts are the reconsiderations or the lawsuits of a period: filed
// in it, and decided in it with each outcome.
type RemedyCounts struct {
	Filed     int `db:"filed"`
	Decided   int `db:"decided"`
	Upheld    int `db:"upheld"`
	Corrected int `db:"corrected"` // 复议纠错 or 诉讼败诉
	Withdrawn int `db:"withdrawn"`
}

// RemedyGroup is one town's reconsiderations or lawsuits (Kind, one of
// RemedyKinds) in the period and a year earlier, and those pending at the
// end of the period.
type RemedyGroup struct {
	TownID      int64
	Kind        string
	Now, Before RemedyCounts
	Pending     int
}

// MonthLine is one month of PeriodStats: the numbers the month's chart and
// table show, and the cases pending at its end.
type MonthLine struct {
	Month        time.Time
	Registered   int
	Filed        int
	Decided      int
	Closed       int
	Ended        int
	FineFen      int64
	CollectedFen int64
	Pending      int
}

// PeriodStats are the numbers of a period beside those of the same months
// a year earlier.
type PeriodStats struct {
	// Groups are the total first, then each town, domain, item, source and
	// procedure with numbers (towns and domains in their order, items by
	// code, sources and procedures as Sources and workflow.Procedures list
	// them).
	Groups []PeriodGroup
	// Months are every month from a year before the period's first to its
	// last.
	Months []MonthLine
}

// statsSumsOf sums each measure of the rows s (the longest handling time is
// a maximum).
func statsSumsOf() string {
	var cols []string
	for _, m := range statsMeasures {
		agg := "sum"
		if m == "handling_days_max" {
			agg = "max"
		}
		cols = append(cols, fmt.Sprintf("coalesce(%s(s.%s), 0)", agg, m))
	}
	return strings.Join(cols, ", ")
}

// The statements of PeriodStats, sent in one batch. The totals, the towns
// and the months read case_stats_months (a row per town and month); the
// domains, items, sources and procedures read case_stats, summing only
// the few numbers their tables show, once per item, source and procedure
// (not per town): at a million cases case_stats holds some ten thousand
// rows for two years, and each sum of each row costs.
var (
	// Each town's numbers for the period ('n') and the year before ('b'),
	// which overlap when the period is longer than a year.
	periodTownsSQL = `SELECT s.town_id, s.b, ` + statsSumsOf() + `
		FROM (SELECT 'n' AS b, x.* FROM case_stats_months x WHERE x.month >= @from AND x.month < @to AND (@town::bigint = 0 OR x.town_id = @town)
		      UNION ALL
		      SELECT 'b', x.* FROM case_stats_months x WHERE x.month >= @bfrom AND x.month < @bto AND (@town::bigint = 0 OR x.town_id = @town)) s
		GROUP BY 1, 2`
	// Each town's cases pending (filed less ended) at the end of the
	// period, of the year before, and before the first month of the year
	// before (where the months' running count starts).
	periodTownsPendingSQL = `SELECT s.town_id, sum(s.filed - s.ended)::int,
			coalesce(sum(s.filed - s.ended) FILTER (WHERE s.month < @bto), 0)::int,
			coalesce(sum(s.filed - s.ended) FILTER (WHERE s.month < @bfrom), 0)::int
		FROM case_stats_months s WHERE s.month < @to AND (@town::bigint = 0 OR s.town_id = @town)
		GROUP BY 1`
	periodMonthsSQL = `SELECT s.month, sum(s.registered)::int, sum(s.filed)::int, sum(s.decided)::int, sum(s.closed)::int,
			sum(s.ended)::int, sum(s.fine_fen)::bigint, sum(s.collected_fen)::bigint
		FROM case_stats_months s
		WHERE s.month >= @bfrom AND s.month < @to AND (@town::bigint = 0 OR s.town_id = @town)
		GROUP BY 1 ORDER BY 1`
	// Per item, source and procedure: what the tables of the domains,
	// items, sources and procedures show.
	periodDimsSQL = `SELECT s.item_id, s.source, s.procedure,
			coalesce(sum(s.filed) FILTER (WHERE s.month >= @from), 0)::int,
			coalesce(sum(s.decided) FILTER (WHERE s.month >= @from), 0)::int,
			coalesce(sum(s.closed) FILTER (WHERE s.month >= @from), 0)::int,
			coalesce(sum(s.fine_fen) FILTER (WHERE s.month >= @from), 0)::bigint,
			coalesce(sum(s.paid_fen) FILTER (WHERE s.month >= @from), 0)::bigint,
			coalesce(sum(s.filed) FILTER (WHERE s.month >= @bfrom AND s.month < @bto), 0)::int,
			sum(s.filed - s.ended)::int
		FROM case_stats s WHERE s.month < @to AND (@town::bigint = 0 OR s.town_id = @town)
		GROUP BY 1, 2, 3`
	// The names and orders of the towns, domains and items (and each
	// item's domain).
	periodNamesSQL = `SELECT 't', id, name, '', position, 0::bigint FROM towns
		UNION ALL SELECT 'd', id, name, '', position, 0 FROM domains
		UNION ALL SELECT 'i', id, name, code, 0, domain_id FROM catalogue_items`
)

// groupKey identifies a group of PeriodStats.
type groupKey struct {
	by    StatsDim
	id    int64
	value string
}

// PeriodStats reads q's period and the same months a year earlier from the
// summary (case_stats_months and case_stats), in one round trip. The
// groups of domains, items, sources and procedures count only what their
// tables show: Now's Filed, Decided, Closed, FineFen and PaidFen, Before's
// Filed, and Pending.
func (s *Service) PeriodStats(ctx context.Context, q PeriodQuery) (*PeriodStats, error) {
	bfrom, bto := q.yearBefore()
	args := pgx.NamedArgs{"from": monthOf(q.From), "to": monthOf(q.To), "bfrom": monthOf(bfrom), "bto": monthOf(bto), "town": q.TownID}
	groups := map[groupKey]*PeriodGroup{}
	group := func(k groupKey) *PeriodGroup {
		g := groups[k]
		if g == nil {
			g = &PeriodGroup{By: k.by}
			switch k.by {
			case ByTown:
				g.TownID = k.id
			case ByDomain:
				g.DomainID = k.id
			case ByItem:
				g.ItemID = k.id
			case BySource:
				g.Source = k.value
			case ByProcedure:
				g.Procedure = k.value
			}
			groups[k] = g
		}
		return g
	}
	total := group(groupKey{}) // even of nothing
	out := &PeriodStats{}
	var pendingStart int
	type name struct {
		name, code string
		pos        int
		domain     int64
	}
	names := map[string]map[int64]name{"t": {}, "d": {}, "i": {}}
	type dimRow struct {
		item              int64
		source, procedure string
		filed, decided    int
		closed            int
		fine, paid        int64
		filedBefore       int
		pending           int
	}
	var dims []dimRow
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, sql := range []string{periodTownsSQL, periodTownsPendingSQL, periodMonthsSQL, periodDimsSQL} {
			b.Queue(sql, args)
		}
		b.Queue(periodNamesSQL)
		br := tx.SendBatch(ctx, b)
		defer br.Close()
		var town int64
		var bucket string
		var c StatsCounts
		rows, _ := br.Query()
		_, err := pgx.ForEachRow(rows, append([]any{&town, &bucket}, c.measurePtrs()...), func() error {
			for _, g := range []*PeriodGroup{total, group(groupKey{ByTown, town, ""})} {
				if bucket == "n" {
					g.Now.add(&c)
				} else {
					g.Before.add(&c)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		var pending, pendingBefore, pendingEarlier int
		rows, _ = br.Query()
		_, err = pgx.ForEachRow(rows, []any{&town, &pending, &pendingBefore, &pendingEarlier}, func() error {
			for _, g := range []*PeriodGroup{total, group(groupKey{ByTown, town, ""})} {
				g.Pending += pending
				g.PendingBefore += pendingBefore
			}
			pendingStart += pendingEarlier
			return nil
		})
		if err != nil {
			return err
		}
		var m MonthLine
		rows, _ = br.Query()
		_, err = pgx.ForEachRow(rows, []any{&m.Month, &m.Registered, &m.Filed, &m.Decided, &m.Closed, &m.Ended, &m.FineFen, &m.CollectedFen}, func() error {
			out.Months = append(out.Months, m)
			return nil
		})
		if err != nil {
			return err
		}
		var d dimRow
		rows, _ = br.Query()
		_, err = pgx.ForEachRow(rows, []any{&d.item, &d.source, &d.procedure, &d.filed, &d.decided, &d.closed, &d.fine, &d.paid,
			&d.filedBefore, &d.pending}, func() error {
			dims = append(dims, d)
			return nil
		})
		if err != nil {
			return err
		}
		var kind string
		var id int64
		var n name
		rows, _ = br.Query()
		_, err = pgx.ForEachRow(rows, []any{&kind, &id, &n.name, &n.code, &n.pos, &n.domain}, func() error {
			names[kind][id] = n
			return nil
		})
		if err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("period stats: %w", err)
	}
	out.Months = fillMonths(out.Months, bfrom, q.To, pendingStart)
	for _, d := range dims {
		domain := names["i"][d.item].domain
		for _, k := range []groupKey{{ByDomain, domain, ""}, {ByItem, d.item, ""}, {BySource, 0, d.source}, {ByProcedure, 0, d.procedure}} {
			g := group(k)
			g.Now.Filed += d.filed
			g.Now.Decided += d.decided
			g.Now.Closed += d.closed
			g.Now.FineFen += d.fine
			g.Now.PaidFen += d.paid
			g.Before.Filed += d.filedBefore
			g.Pending += d.pending
			if k.by == ByItem {
				g.DomainID = domain
			}
		}
	}
	for _, g := range groups {
		switch g.By {
		case ByTown:
			g.Name = names["t"][g.TownID].name
		case ByDomain:
			g.Name = names["d"][g.DomainID].name
		case ByItem:
			g.Name = names["i"][g.ItemID].name
		}
		out.Groups = append(out.Groups, *g)
	}
	dimOrder := map[StatsDim]int{"": 0, ByTown: 1, ByDomain: 2, ByItem: 3, BySource: 4, ByProcedure: 5}
	rank := func(g *PeriodGroup) (int, string) {
		switch g.By {
		case ByTown:
			return names["t"][g.TownID].pos, ""
		case ByDomain:
			return names["d"][g.DomainID].pos, g.Name
		case ByItem:
			return 0, names["i"][g.ItemID].code
		case BySource:
			return slices.IndexFunc(Sources, func(o Option) bool { return o.Value == g.Source }), g.Source
		case ByProcedure:
			return slices.Index(workflow.Procedures, workflow.Procedure(g.Procedure)), g.Procedure
		}
		return 0, ""
	}
	slices.SortFunc(out.Groups, func(a, b PeriodGroup) int {
		if c := cmp.Compare(dimOrder[a.By], dimOrder[b.By]); c != 0 {
			return c
		}
		ra, sa := rank(&a)
		rb, sb := rank(&b)
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(sa, sb), cmp.Compare(a.TownID+a.DomainID+a.ItemID, b.TownID+b.DomainID+b.ItemID))
	})
	return out, nil
}

// add adds o's numbers to c (the longest handling time is the longer).
func (c *StatsCounts) add(o *StatsCounts) {
	c.Registered += o.Registered
	c.NotFiled += o.NotFiled
	c.Filed += o.Filed
	c.Extended += o.Extended
	c.Decided += o.Decided
	c.NoPenalty += o.NoPenalty
	c.FineFen += o.FineFen
	c.PaidFen += o.PaidFen
	c.Ended += o.Ended
	c.Closed += o.Closed
	c.Transferred += o.Transferred
	c.Revoked += o.Revoked
	c.HandlingDays += o.HandlingDays
	c.HandlingDaysMax = max(c.HandlingDaysMax, o.HandlingDaysMax)
	c.Hearings += o.Hearings
	c.Reviews += o.Reviews
	c.ReviewsReturned += o.ReviewsReturned
	c.ReviewsFailed += o.ReviewsFailed
	c.CollectedFen += o.CollectedFen
	c.SurchargeFen += o.SurchargeFen
}

// fillMonths gives every month of [from, to) a line, those without rows
// zero, with the cases pending at each month's end counted on from start.
func fillMonths(rows []MonthLine, from, to time.Time, start int) []MonthLine {
	var out []MonthLine
	i := 0
	pending := start
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, zhifa.Local); m.Before(to); m = m.AddDate(0, 1, 0) {
		line := MonthLine{Month: m}
		if i < len(rows) && rows[i].Month.Year() == m.Year() && rows[i].Month.Month() == m.Month() {
			line = rows[i]
			line.Month = m
			i++
		}
		pending += line.Filed - line.Ended
		line.Pending = pending
		out = append(out, line)
	}
	return out
}

// measurePtrs are pointers to c's numbers in the order of statsMeasures.
func (c *StatsCounts) measurePtrs() []any {
	return []any{&c.Registered, &c.NotFiled, &c.Filed, &c.Extended, &c.Decided, &c.NoPenalty, &c.FineFen, &c.PaidFen,
		&c.Ended, &c.Closed, &c.Transferred, &c.Revoked, &c.HandlingDays, &c.HandlingDaysMax, &c.Hearings, &c.Reviews,
		&c.ReviewsReturned, &c.ReviewsFailed, &c.CollectedFen, &c.SurchargeFen}
}

// PeriodRemedies reads, per town and kind, the reconsiderations and
// lawsuits of q's period and of the same months a year earlier, and those
// pending at the end of the period (case_remedy_stats). Towns with none
// are absent.
func (s *Service) PeriodRemedies(ctx context.Context, q PeriodQuery) ([]RemedyGroup, error) {
	bfrom, bto := q.yearBefore()
	args := pgx.NamedArgs{"from": monthOf(q.From), "to": monthOf(q.To), "bfrom": monthOf(bfrom), "bto": monthOf(bto), "town": q.TownID}
	var cols []string
	for _, p := range []struct{ cond string }{{"r.month >= @from"}, {"r.month >= @bfrom AND r.month < @bto"}} {
		for _, m := range []string{"filed", "decided", "upheld", "corrected", "withdrawn"} {
			cols = append(cols, fmt.Sprintf("coalesce(sum(r.%s) FILTER (WHERE %s), 0)", m, p.cond))
		}
	}
	var out []RemedyGroup
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT r.town_id, r.kind, `+strings.Join(cols, ", ")+`, sum(r.filed - r.decided)
			FROM case_remedy_stats r
			WHERE r.month < @to AND (@town::bigint = 0 OR r.town_id = @town)
			GROUP BY 1, 2 ORDER BY 1, 2`, args)
		var g RemedyGroup
		n, b := &g.Now, &g.Before
		_, err := pgx.ForEachRow(rows, []any{&g.TownID, &g.Kind, &n.Filed, &n.Decided, &n.Upheld, &n.Corrected, &n.Withdrawn,
			&b.Filed, &b.Decided, &b.Upheld, &b.Corrected, &b.Withdrawn, &g.Pending}, func() error {
			out = append(out, g)
			return nil
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("period remedies: %w", err)
	}
	return out, nil
}

// OverdueByTown counts, per town the actor reads (or townID alone), the
// cases whose next deadline was before today, as the case list's 已逾期
// counts them: from the counts per town and deadline (case_due_counts),
// not from the cases. The statistics read it here only.
func (s *Service) OverdueByTown(ctx context.Context, townID int64) (map[int64]int, error) {
	out := map[int64]int{}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT town_id, sum(n)::int FROM case_due_counts
			WHERE due_on < $1::date AND ($2::bigint = 0 OR town_id = $2) GROUP BY town_id HAVING sum(n) <> 0`,
			s.Clock.Today().Format(time.DateOnly), townID)
		var town int64
		var n int
		_, err := pgx.ForEachRow(rows, []any{&town, &n}, func() error { out[town] = n; return nil })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("overdue by town: %w", err)
	}
	return out, nil
}
