package cases

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

const caseColumns = `c.id, c.town_id, t.name AS town_name, c.procedure, c.state, c.item_id, i.name AS item_name, d.name AS domain,
	c.number, c.source, c.party_kind, c.party_name, c.party_id_number, c.party_phone, c.party_address, c.party_legal_rep,
	c.place_village, c.place_address, c.act_on, c.discovered_on, c.filed_on, c.facts, c.version, c.created_at,
	c.suspended_since, c.extensions, c.review_submitted_on, c.reviewed_by, c.reviewed_on, c.review_opinion,
	c.notice_served_on, c.notice_fine_fen, c.notice_text, c.hearing_right, c.statement_waived, c.new_notice_served,
	c.hearing_requested_on, c.hearing_held_on, c.decided_on, c.penalties, c.decision_basis, c.fine_fen, c.has_order, c.order_done_on,
	c.enforcement_applied_on, c.decision_served_on, c.service_method, c.closed_on, c.outcome_reason, c.transfer_body`

const caseFrom = ` FROM cases c JOIN towns t ON t.id = c.town_id JOIN catalogue_items i ON i.id = c.item_id JOIN domains d ON d.id = i.domain_id`

var errNotFound = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该案件。")

// Get loads a case with everything its page shows, including the
// transitions open to the actor; a case of another town is not found.
func (s *Service) Get(ctx context.Context, id int64) (*Case, error) {
	var c *Case
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = loadCase(ctx, tx, id, false)
		if err != nil {
			return err
		}
		r, cal, err := loadRules(ctx, tx, c.ItemID)
		if err != nil {
			return err
		}
		today := s.Clock.Today()
		c.Deadlines = deadline.Compute(r.Deadline(), cal, c.dates(today))
		c.Choices, err = s.choices(ctx, tx, c, zhifa.ActorFrom(ctx), today, r, cal)
		return err
	})
	if err != nil {
		return nil, zhifa.Annotate(err, fmt.Sprintf("get case %d", id))
	}
	return c, nil
}

// loadCase reads a case and its related rows, locking the case row when
// forUpdate (every action on a case).
func loadCase(ctx context.Context, tx pgx.Tx, id int64, forUpdate bool) (*Case, error) {
	lock := ""
	if forUpdate {
		lock = " FOR UPDATE OF c"
	}
	rows, _ := tx.Query(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = $1`+lock, id)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Case])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	} else if err != nil {
		return nil, err
	}
	c.normalizeDates()
	rows, _ = tx.Query(ctx, `SELECT o.user_id, u.display_name, o.lead, coalesce(ce.number, '') AS cert_number
		FROM case_officers o JOIN users u ON u.id = o.user_id LEFT JOIN certificates ce ON ce.user_id = o.user_id
		WHERE o.case_id = $1 ORDER BY o.lead DESC, u.id`, id)
	if c.Officers, err = pgx.CollectRows(rows, pgx.RowToStructByName[Officer]); err != nil {
		return nil, fmt.Errorf("officers: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT id, at, actor_name, action, from_state, to_state, summary, reason
		FROM case_events WHERE case_id = $1 ORDER BY id`, id)
	if c.Events, err = pgx.CollectRows(rows, pgx.RowToStructByName[Event]); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT id, received_on, content, recheck, rechecked_on FROM case_statements WHERE case_id = $1 ORDER BY id`, id)
	if c.Statements, err = pgx.CollectRows(rows, pgx.RowToStructByName[Statement]); err != nil {
		return nil, fmt.Errorf("statements: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT id, amount_fen, surcharge_fen, paid_on, receipt_no FROM case_payments WHERE case_id = $1 ORDER BY id`, id)
	if c.Payments, err = pgx.CollectRows(rows, pgx.RowToStructByName[Payment]); err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT id, started_on, reason, resumed_on FROM case_suspensions WHERE case_id = $1 ORDER BY id`, id)
	if c.Suspensions, err = pgx.CollectRows(rows, pgx.RowToStructByName[Suspension]); err != nil {
		return nil, fmt.Errorf("suspensions: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT e.id, e.kind, e.title, e.filename, e.content_type, e.size_bytes, e.sha256,
			u.display_name AS collected_by, e.collected_on, e.uploaded_at, e.superseded_at, e.superseded_reason
		FROM evidence e JOIN users u ON u.id = e.collected_by WHERE e.case_id = $1 ORDER BY e.id`, id)
	if c.Evidence, err = pgx.CollectRows(rows, pgx.RowToStructByName[Evidence]); err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT id, kind, filed_on, outcome, decided_on, note FROM case_remedies WHERE case_id = $1 ORDER BY id`, id)
	if c.Remedies, err = pgx.CollectRows(rows, pgx.RowToStructByName[Remedy]); err != nil {
		return nil, fmt.Errorf("remedies: %w", err)
	}
	for i := range c.Remedies {
		c.Remedies[i].FiledOn = localDate(c.Remedies[i].FiledOn)
		c.Remedies[i].DecidedOn = localDatePtr(c.Remedies[i].DecidedOn)
	}
	for i := range c.Statements {
		c.Statements[i].ReceivedOn = localDate(c.Statements[i].ReceivedOn)
		c.Statements[i].RecheckedOn = localDatePtr(c.Statements[i].RecheckedOn)
	}
	for i := range c.Payments {
		c.Payments[i].PaidOn = localDate(c.Payments[i].PaidOn)
		c.PaidFen += c.Payments[i].AmountFen
	}
	for i := range c.Suspensions {
		c.Suspensions[i].StartedOn = localDate(c.Suspensions[i].StartedOn)
		c.Suspensions[i].ResumedOn = localDatePtr(c.Suspensions[i].ResumedOn)
	}
	for i := range c.Evidence {
		c.Evidence[i].CollectedOn = localDate(c.Evidence[i].CollectedOn)
	}
	return c, nil
}

func (c *Case) normalizeDates() {
	c.ActOn, c.DiscoveredOn = localDate(c.ActOn), localDate(c.DiscoveredOn)
	for _, p := range []**time.Time{&c.FiledOn, &c.SuspendedSince, &c.ReviewSubmittedOn, &c.ReviewedOn, &c.NoticeServedOn,
		&c.HearingRequested, &c.HearingHeld, &c.DecidedOn, &c.OrderDoneOn, &c.EnforcementOn, &c.DecisionServedOn, &c.ClosedOn} {
		*p = localDatePtr(*p)
	}
}

// dates are what the deadline rules read.
func (c *Case) dates(today time.Time) deadline.Dates {
	d := deadline.Dates{
		Today: today, ActOn: c.ActOn, FiledOn: dateOrZero(c.FiledOn), ReviewSubmittedOn: dateOrZero(c.ReviewSubmittedOn),
		NoticeServedOn: dateOrZero(c.NoticeServedOn), DecidedOn: dateOrZero(c.DecidedOn),
		DecisionServedOn: dateOrZero(c.DecisionServedOn), PaidInFull: c.FineFen > 0 && c.PaidFen >= c.FineFen,
		Closed: c.State.Terminal(), ExtensionsApproved: c.Extensions,
		NoHearingRight: !c.HearingRight, NoPayment: c.DecidedOn != nil && c.FineFen == 0,
	}
	if d.PaidInFull && len(c.Payments) > 0 {
		d.PaidOn = c.Payments[len(c.Payments)-1].PaidOn
	}
	for _, s := range c.Suspensions {
		d.Suspensions = append(d.Suspensions, deadline.Suspension{From: s.StartedOn, Resumed: dateOrZero(s.ResumedOn)})
	}
	return d
}

// Rules are the procedure settings that apply to a case's domain, and the
// holiday calendar.
type Rules map[string]int64

// Deadline converts the settings for the deadline package.
func (r Rules) Deadline() deadline.Settings {
	s := deadline.DefaultSettings()
	set := func(dst *int, key string) {
		if v, ok := r[key]; ok {
			*dst = int(v)
		}
	}
	set(&s.DecisionDays, "decision_days")
	set(&s.ExtensionDays, "extension_days")
	set(&s.StatementWorkingDays, "statement_working_days")
	set(&s.HearingRequestDays, "hearing_request_days")
	set(&s.ServiceDays, "service_days")
	set(&s.PaymentDays, "payment_days")
	set(&s.ReviewWorkingDays, "review_working_days")
	set(&s.LimitationYears, "limitation_years")
	set(&s.DueSoonDays, "due_soon_days")
	return s
}

// loadRules reads the settings for the item's domain (a domain row
// overrides the county default) and the holiday calendar.
func loadRules(ctx context.Context, tx pgx.Tx, itemID int64) (Rules, deadline.Calendar, error) {
	r := Rules{}
	rows, _ := tx.Query(ctx, `SELECT DISTINCT ON (key) key, value FROM procedure_settings
		WHERE domain_id IS NULL OR domain_id = (SELECT domain_id FROM catalogue_items WHERE id = $1)
		ORDER BY key, domain_id NULLS LAST`, itemID)
	var k string
	var v int64
	if _, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error { r[k] = v; return nil }); err != nil {
		return nil, deadline.Calendar{}, fmt.Errorf("settings: %w", err)
	}
	cal, err := loadCalendar(ctx, tx)
	return r, cal, err
}

func loadCalendar(ctx context.Context, tx pgx.Tx) (deadline.Calendar, error) {
	cal := deadline.Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	rows, _ := tx.Query(ctx, `SELECT day, kind FROM holidays`)
	var day time.Time
	var kind string
	_, err := pgx.ForEachRow(rows, []any{&day, &kind}, func() error {
		if kind == "holiday" {
			cal.Holidays[day.Format(time.DateOnly)] = true
		} else {
			cal.Workdays[day.Format(time.DateOnly)] = true
		}
		return nil
	})
	if err != nil {
		return cal, fmt.Errorf("holidays: %w", err)
	}
	return cal, nil
}

// facts builds what the workflow rules read for the actor now.
func (c *Case) facts(a *zhifa.Actor, today time.Time, r Rules, cal deadline.Calendar, itemInForce bool, validCerts int) *workflow.Facts {
	f := &workflow.Facts{
		Procedure: c.Procedure, State: c.State, Today: today, ActorID: a.UserID, ActorRole: a.Role,
		ValidCertHandlers: validCerts, ItemInForce: itemInForce, Suspended: c.SuspendedSince != nil,
		EvidenceCount: c.activeEvidence(), FactsSummary: c.Facts,
		ReviewPassed: c.ReviewedBy != nil && c.ReviewedOn != nil, NoticeServed: c.NoticeServedOn != nil,
		StatementWaived: c.StatementWaived, HearingRight: c.HearingRight, HearingRequested: c.HearingRequested != nil,
		HearingHeld: c.HearingHeld != nil, NotifiedFineFen: c.NoticeFineFen, NewNoticeServed: c.NewNoticeServed,
		PartyIsOrg: c.PartyKind == "org", FineFen: c.FineFen, PaidFen: c.PaidFen, HasOrder: c.HasOrder,
		OrderDone: c.OrderDoneOn != nil, EnforcementApplied: c.EnforcementOn != nil, DecisionServed: c.DecisionServedOn != nil,
	}
	for _, o := range c.Officers {
		f.Handlers = append(f.Handlers, o.UserID)
	}
	if c.ReviewedBy != nil {
		f.ReviewerID = *c.ReviewedBy
	}
	f.SummaryCapFen = r["summary_person_cap_fen"]
	if f.PartyIsOrg {
		f.SummaryCapFen = r["summary_org_cap_fen"]
	}
	for _, st := range c.Statements {
		if st.RecheckedOn == nil {
			f.UnrecheckedStatements++
		}
	}
	ds := deadline.Compute(r.Deadline(), cal, c.dates(today))
	for _, d := range ds {
		switch d.Key {
		case "decision":
			f.DecisionOverdue = d.Status == deadline.Overdue
		case "statement":
			f.StatementPeriodOver = today.After(d.Due)
		case "hearing_request":
			f.HearingWindowOpen = !today.After(d.Due)
		}
	}
	return f
}

func (c *Case) activeEvidence() int {
	n := 0
	for _, e := range c.Evidence {
		if e.SupersededAt == nil {
			n++
		}
	}
	return n
}
