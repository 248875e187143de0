package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// QueueRow is one case awaiting legal review (待审核), with its review clock.
type QueueRow struct {
	ID          int64     `db:"id"`
	TownID      int64     `db:"town_id"`
	TownName    string    `db:"town_name"`
	TownCode    string    `db:"town_code"`
	Number      *string   `db:"number"`
	PartyName   string    `db:"party_name"`
	ItemName    string    `db:"item_name"`
	Handlers    string    `db:"handlers"` // the handlers not recused, the lead first
	SubmittedOn time.Time `db:"review_submitted_on"`

	DomainID       int64        `db:"domain_id"`
	NoticeServedOn *time.Time   `db:"notice_served_on"`
	DecidedOn      *time.Time   `db:"decided_on"`
	SuspendedFrom  []time.Time  `db:"suspended_from"`
	ResumedOn      []*time.Time `db:"resumed_on"`

	// Review is the review clock as the case page shows it.
	Review deadline.Deadline `db:"-"`
	// WorkdaysLeft counts the working days after today up to the due date
	// (0: due today); when overdue, minus the working days since.
	WorkdaysLeft int `db:"-"`
}

// NumberOrLead is the case number (a case under review always has one).
func (r *QueueRow) NumberOrLead() string {
	if r.Number == nil {
		return "（待立案）"
	}
	return *r.Number
}

// Overdue reports whether the review period has run out.
func (r *QueueRow) Overdue() bool { return r.Review.Status == deadline.Overdue }

// ReviewQueue lists the cases awaiting legal review that the actor may read
// (RLS keeps a town to its own), oldest submission first; townID narrows
// the county's list to one town (0 = every town). The review clock of each
// is computed as on the case page: the domain's settings, the holiday
// calendar and the case's suspensions.
func (s *Service) ReviewQueue(ctx context.Context, townID int64) ([]QueueRow, error) {
	if a := zhifa.ActorFrom(ctx); a != nil && !a.Role.IsCounty() {
		// The database keeps a town to its own rows anyway; saying so lets
		// the planner use cases_town_state_idx.
		townID = a.TownID
	}
	today := s.Clock.Today()
	var out []QueueRow
	settings := map[int64]Rules{}
	var cal deadline.Calendar
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT c.id, c.town_id, t.name AS town_name, t.code AS town_code, c.number, c.party_name,
				i.name AS item_name, i.domain_id, c.review_submitted_on, c.notice_served_on, c.decided_on,
				coalesce((SELECT string_agg(u.display_name, '、' ORDER BY o.lead DESC, o.user_id)
				          FROM case_officers o JOIN users u ON u.id = o.user_id
				          WHERE o.case_id = c.id AND o.recused_on IS NULL), '') AS handlers,
				coalesce((SELECT array_agg(p.started_on ORDER BY p.id) FROM case_suspensions p WHERE p.case_id = c.id), '{}') AS suspended_from,
				coalesce((SELECT array_agg(p.resumed_on ORDER BY p.id) FROM case_suspensions p WHERE p.case_id = c.id), '{}') AS resumed_on
			FROM cases c JOIN towns t ON t.id = c.town_id JOIN catalogue_items i ON i.id = c.item_id
			WHERE c.state = $1 AND c.review_submitted_on IS NOT NULL AND ($2 = 0 OR c.town_id = $2)
			ORDER BY c.review_submitted_on, c.id`, string(workflow.Review), townID)
		var err error
		if out, err = pgx.CollectRows(rows, pgx.RowToStructByName[QueueRow]); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		// The settings of every domain at once: a domain's row overrides
		// the county-wide one (as loadRules does for one item).
		rows, _ = tx.Query(ctx, `SELECT coalesce(domain_id, 0), key, value FROM procedure_settings ORDER BY domain_id NULLS FIRST`)
		var dom, v int64
		var k string
		global := Rules{}
		byDomain := map[int64]Rules{}
		if _, err := pgx.ForEachRow(rows, []any{&dom, &k, &v}, func() error {
			if dom == 0 {
				global[k] = v
			} else {
				if byDomain[dom] == nil {
					byDomain[dom] = Rules{}
				}
				byDomain[dom][k] = v
			}
			return nil
		}); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		for _, r := range out {
			if _, ok := settings[r.DomainID]; ok {
				continue
			}
			rs := Rules{}
			for k, v := range global {
				rs[k] = v
			}
			for k, v := range byDomain[r.DomainID] {
				rs[k] = v
			}
			settings[r.DomainID] = rs
		}
		cal, err = loadCalendar(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	for i := range out {
		r := &out[i]
		r.SubmittedOn = localDate(r.SubmittedOn)
		d := deadline.Dates{Today: today, ReviewSubmittedOn: r.SubmittedOn,
			NoticeServedOn: dateOrZero(r.NoticeServedOn), DecidedOn: dateOrZero(r.DecidedOn)}
		for j, from := range r.SuspendedFrom {
			var resumed time.Time
			if j < len(r.ResumedOn) {
				resumed = dateOrZero(r.ResumedOn[j])
			}
			d.Suspensions = append(d.Suspensions, deadline.Suspension{From: localDate(from), Resumed: resumed})
		}
		for _, dl := range deadline.Compute(settings[r.DomainID].Deadline(), cal, d) {
			if dl.Key == deadline.KeyReview {
				r.Review = dl
			}
		}
		if r.Review.Key != "" {
			r.WorkdaysLeft = workdaysBetween(cal, today, r.Review.Due)
		}
	}
	return out, nil
}

// workdaysBetween counts the working days after from up to and including
// to; negative (the working days after to up to from) when to is earlier.
func workdaysBetween(cal deadline.Calendar, from, to time.Time) int {
	from, to = deadline.Day(from), deadline.Day(to)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if cal.IsWorkday(d) {
			n++
		}
	}
	return sign * n
}
