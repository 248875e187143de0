package cases

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/authority"
	"zhifa/internal/deadline"
	"zhifa/internal/refcache"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

const caseColumns = `c.id, c.town_id, t.name AS town_name, c.procedure, c.state, c.state_entered_on, c.item_id, i.name AS item_name,
	i.kind AS item_kind, d.name AS domain,
	c.number, c.source, c.party_kind, c.party_name, c.party_id_number, c.party_phone, c.party_address, c.party_legal_rep,
	c.place_village, c.place_address, c.act_on, c.discovered_on, c.serious_harm, c.continuing_act, c.filed_on,
	c.filing_requested_on, c.filing_approved_by, c.facts, c.version, c.created_at,
	c.suspended_since, c.extensions,
	c.proposed_penalties, c.proposal_tier, c.proposal_reasoning, c.mitigation_ground, c.proposed_on, c.proposal_no_penalty,
	c.review_submitted_on, c.reviewed_by, c.reviewed_on, c.review_opinion, c.reviewed_penalties, c.review_count,
	c.notice_served_on, c.notice_fine_fen, c.notice_text, c.notice_penalties, c.notice_count, c.renotice_heavier,
	c.hearing_right, c.statement_waived, c.hearing_waived, c.hearing_requested_on, c.hearing_notice_served_on, c.hearing_on,
	c.hearing_place, c.hearing_chair, coalesce(hc.display_name, '') AS hearing_chair_name, c.hearing_public,
	c.hearing_private_reason, c.hearing_outcome, c.hearing_attendance, c.hearing_transcript, c.hearing_transcript_evidence,
	c.hearing_held_on, c.hearing_agents, c.chair_recusal_requested_on, c.chair_recusal_reason, c.chair_recusal_decided_on,
	c.chair_recusal_granted, c.chair_recusal_note, c.recused_chairs,
	coalesce((SELECT cr.display_name FROM users cr WHERE cr.id = c.chair_recusal_chair), '') AS chair_recusal_chair_name,
	c.discussion_on, c.discussion_participants, c.discussion_conclusion, c.discussion_members,
	c.decided_on, c.decided_by, c.penalties, c.decision_basis, c.fine_fen, c.has_order, c.spot_told, c.spot_statement,
	c.refused_to_sign, c.order_done_on, c.enforcement_applied_on, c.enforcement_court, c.demand_served_on,
	c.decision_served_on, c.service_method, c.service_proof, c.payment_due_override, c.deferral_note, c.instalments, c.closed_on,
	c.outcome_reason, c.no_penalty_kind, c.education, c.transfer_body, c.transfer_proposed_on, c.transfer_receipt_on, c.transfer_receipt,
	c.enforcement_ruling_on, c.enforcement_granted, c.enforcement_ruling,
	c.demolition_announced_on, c.demolition_deadline, c.demolition_notice, c.demolished_on, c.demolition_record,
	coalesce((SELECT di.code || ' ' || di.name FROM catalogue_items di WHERE di.id = c.demolition_item_id), '') AS demolition_item`

const caseFrom = ` FROM cases c JOIN towns t ON t.id = c.town_id JOIN catalogue_items i ON i.id = c.item_id JOIN domains d ON d.id = i.domain_id
	LEFT JOIN users hc ON hc.id = c.hearing_chair`

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
		r, cal, err := s.cachedRules(ctx, tx, c.ItemID)
		if err != nil {
			return err
		}
		today := s.Clock.Today()
		c.Deadlines = deadline.Compute(r.Deadline(), cal, c.dates(today))
		c.PaymentDueOn = c.paymentDue(r, cal)
		if !c.PaymentDueOn.IsZero() && c.FineFen > c.PaidFen {
			c.SurchargeDue = deadline.SurchargeOwedSchedule(c.FineFen, c.schedule(r, cal), c.paymentsIn(), c.remedyPauses(), today)
		}
		c.Choices, err = s.choices(ctx, tx, c, zhifa.ActorFrom(ctx), today, r, cal)
		return err
	})
	if err != nil {
		return nil, zhifa.Annotate(err, fmt.Sprintf("get case %d", id))
	}
	return c, nil
}

// loadCase reads a case and its related rows in one round trip (a batch),
// locking the case row when forUpdate (every action on a case).
func loadCase(ctx context.Context, tx pgx.Tx, id int64, forUpdate bool) (*Case, error) {
	lock := ""
	if forUpdate {
		lock = " FOR UPDATE OF c"
	}
	c := &Case{}
	b := &pgx.Batch{}
	b.Queue(`SELECT `+caseColumns+caseFrom+` WHERE c.id = $1`+lock, id).Query(func(rows pgx.Rows) error {
		row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Case])
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotFound
		}
		*c = row
		return err
	})
	collect(b, &c.Officers, "officers", `SELECT o.user_id, u.display_name, o.lead, coalesce(ce.number, '') AS cert_number, o.recused_on
		FROM case_officers o JOIN users u ON u.id = o.user_id LEFT JOIN certificates ce ON ce.user_id = o.user_id
		WHERE o.case_id = $1 ORDER BY o.lead DESC, u.id`, id)
	collect(b, &c.Events, "events", `SELECT id, at, on_date, actor_name, action, from_state, to_state, summary, reason,
			data->'changes' AS changes
		FROM case_events WHERE case_id = $1 ORDER BY id`, id)
	collect(b, &c.Statements, "statements", `SELECT id, received_on, content, recheck, rechecked_on FROM case_statements WHERE case_id = $1 ORDER BY id`, id)
	collect(b, &c.Payments, "payments", `SELECT p.id, p.amount_fen, p.surcharge_fen, p.paid_on, p.receipt_no, p.kind, p.reverses, p.reason, p.handed_in_on,
			p.onspot_ground, p.onspot_reason, EXISTS (SELECT FROM case_payments r WHERE r.reverses = p.id) AS reversed
		FROM case_payments p WHERE p.case_id = $1 ORDER BY p.id`, id)
	collect(b, &c.Suspensions, "suspensions", `SELECT id, started_on, reason, resumed_on FROM case_suspensions WHERE case_id = $1 ORDER BY id`, id)
	collect(b, &c.Evidence, "evidence", `SELECT e.id, e.kind, e.title, e.filename, e.content_type, e.size_bytes, e.sha256,
			u.display_name AS collected_by, e.collected_on, e.uploaded_at, e.superseded_at, e.superseded_reason,
			e.taken_at, e.gps_lat::float8 AS gps_lat, e.gps_lon::float8 AS gps_lon, e.gps_alt::float8 AS gps_alt
		FROM evidence e JOIN users u ON u.id = e.collected_by WHERE e.case_id = $1 ORDER BY e.id`, id)
	collect(b, &c.Remedies, "remedies", `SELECT id, kind, filed_on, outcome, decided_on, note FROM case_remedies WHERE case_id = $1 ORDER BY id`, id)
	collect(b, &c.Reviews, "reviews", `SELECT id, reviewer_name, qualification, reviewed_on, outcome, checklist, opinion, penalties
		FROM case_reviews WHERE case_id = $1 ORDER BY id`, id)
	collect(b, &c.Notices, "notices", `SELECT id, served_on, penalties, hearing_right, text, at FROM case_notices WHERE case_id = $1 ORDER BY id`, id)
	collect(b, &c.Recusals, "recusals", `SELECT r.id, r.officer_id, u.display_name AS officer_name, r.requested_on, r.requested_by, r.reason,
			r.decided_on, r.granted, r.decision_note, coalesce(rp.display_name, '') AS replacement_name
		FROM case_recusals r JOIN users u ON u.id = r.officer_id LEFT JOIN users rp ON rp.id = r.replacement_id
		WHERE r.case_id = $1 ORDER BY r.id`, id)
	collect(b, &c.Preservations, "preservations", `SELECT p.id, p.kind, p.started_on, p.inventory, coalesce(u.display_name, '') AS approver, p.extended, p.ended_on, p.disposal,
			p.emergency, p.reported_on, p.approved_on,
			coalesce((SELECT i.code || ' ' || i.name FROM catalogue_items i WHERE i.id = p.item_id), '') AS item,
			p.quantity, p.kept_at, p.party_notified, p.party_present, p.witness, p.party_told, p.party_statement,
			coalesce((SELECT e.title FROM evidence e WHERE e.id = p.record_evidence_id), '') AS scene_record
		FROM case_preservations p LEFT JOIN users u ON u.id = p.approved_by WHERE p.case_id = $1 ORDER BY p.id`, id)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	c.normalizeDates()
	for i := range c.Reviews {
		c.Reviews[i].ReviewedOn = localDate(c.Reviews[i].ReviewedOn)
	}
	for i := range c.Notices {
		c.Notices[i].ServedOn = localDate(c.Notices[i].ServedOn)
	}
	for i := range c.Recusals {
		c.Recusals[i].RequestedOn = localDate(c.Recusals[i].RequestedOn)
		c.Recusals[i].DecidedOn = localDatePtr(c.Recusals[i].DecidedOn)
	}
	for i := range c.Preservations {
		c.Preservations[i].StartedOn = localDate(c.Preservations[i].StartedOn)
		c.Preservations[i].EndedOn = localDatePtr(c.Preservations[i].EndedOn)
		c.Preservations[i].ReportedOn = localDatePtr(c.Preservations[i].ReportedOn)
		c.Preservations[i].ApprovedOn = localDatePtr(c.Preservations[i].ApprovedOn)
	}
	for i := range c.Officers {
		c.Officers[i].RecusedOn = localDatePtr(c.Officers[i].RecusedOn)
	}
	for i := range c.Events {
		c.Events[i].OnDate = localDatePtr(c.Events[i].OnDate)
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
		c.Payments[i].HandedInOn = localDatePtr(c.Payments[i].HandedInOn)
		c.PaidFen += c.Payments[i].AmountFen
	}
	for _, p := range c.Payments {
		if !p.Reversed {
			c.SurchargeFen += p.SurchargeFen
		}
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
	c.ActOn, c.DiscoveredOn, c.StateEnteredOn = localDate(c.ActOn), localDate(c.DiscoveredOn), localDate(c.StateEnteredOn)
	for _, p := range []**time.Time{&c.FiledOn, &c.FilingAsked, &c.SuspendedSince, &c.ProposedOn, &c.ReviewSubmittedOn, &c.ReviewedOn,
		&c.NoticeServedOn, &c.HearingRequested, &c.HearingNoticeOn, &c.HearingOn, &c.HearingHeld, &c.ChairRecusalOn, &c.ChairRecusalDecided, &c.DiscussionOn, &c.DecidedOn,
		&c.OrderDoneOn, &c.EnforcementOn, &c.DemandServedOn, &c.DecisionServedOn, &c.DueOverride, &c.ClosedOn, &c.TransferAsked, &c.TransferReceipt, &c.RulingOn,
		&c.DemolitionAnnouncedOn, &c.DemolitionDeadline, &c.DemolishedOn} {
		*p = localDatePtr(*p)
	}
}

// dates are what the deadline rules read.
func (c *Case) dates(today time.Time) deadline.Dates {
	d := deadline.Dates{
		Today: today, ActOn: c.ActOn, DiscoveredOn: c.DiscoveredOn, SeriousHarm: c.SeriousHarm,
		FiledOn: dateOrZero(c.FiledOn), ReviewSubmittedOn: dateOrZero(c.ReviewSubmittedOn),
		NoticeServedOn: dateOrZero(c.NoticeServedOn), DecidedOn: dateOrZero(c.DecidedOn),
		DecisionServedOn: dateOrZero(c.DecisionServedOn), PaidInFull: c.FineFen > 0 && c.PaidFen >= c.FineFen,
		Closed: c.State.Terminal(), ExtensionsApproved: c.Extensions,
		NoHearingRight: !c.HearingRight, NoPayment: c.DecidedOn != nil && c.FineFen == 0,
		StatementWaived: c.StatementWaived, HearingWaived: c.HearingWaived, HearingRequested: c.HearingRequested != nil,
		PaymentDueOverride: c.dueOverride(), PlanEnd: dateOrZero(c.DueOverride), DemandServedOn: dateOrZero(c.DemandServedOn),
		EnforcementAppliedOn: dateOrZero(c.EnforcementOn), TransferProposedOn: dateOrZero(c.TransferAsked),
	}
	if c.State == workflow.Transferred {
		d.TransferDecidedOn = dateOrZero(c.ClosedOn)
	}
	if d.PaidInFull && len(c.Payments) > 0 {
		d.PaidOn = c.Payments[len(c.Payments)-1].PaidOn
	}
	for _, s := range c.Suspensions {
		d.Suspensions = append(d.Suspensions, deadline.Suspension{From: s.StartedOn, Resumed: dateOrZero(s.ResumedOn)})
	}
	for _, p := range c.Preservations {
		switch p.Kind {
		case PreservationRegister:
			d.PreservedOn, d.PreservationDecidedOn = p.StartedOn, dateOrZero(p.EndedOn)
		case PreservationSeize:
			d.SeizedOn, d.SeizureEndedOn, d.SeizureExtended = p.StartedOn, dateOrZero(p.EndedOn), p.Extended
		}
	}
	// The report clock of an emergency seizure (AEL art. 19) follows the
	// earliest one not yet reported; once all are, the latest, so a late
	// report still shows as late.
	for _, p := range c.Preservations {
		if !p.Emergency {
			continue
		}
		pending := !d.EmergencySeizedOn.IsZero() && d.EmergencyReportedOn.IsZero()
		switch {
		case p.ReportedOn == nil && (!pending || p.StartedOn.Before(d.EmergencySeizedOn)):
			d.EmergencySeizedOn, d.EmergencyReportedOn = p.StartedOn, time.Time{}
		case p.ReportedOn != nil && !pending:
			d.EmergencySeizedOn, d.EmergencyReportedOn = p.StartedOn, *p.ReportedOn
		}
	}
	// The hand-in clock follows the earliest cash not yet handed in (the
	// most urgent); once all is handed in, the latest hand-in, so a late
	// one still shows as late.
	for _, p := range c.Payments {
		if p.Kind != PaymentOnSpot || p.AmountFen <= 0 || p.Reversed {
			continue
		}
		pending := !d.CashCollectedOn.IsZero() && d.CashHandedInOn.IsZero()
		switch {
		case p.HandedInOn == nil && (!pending || p.PaidOn.Before(d.CashCollectedOn)):
			d.CashCollectedOn, d.CashHandedInOn = p.PaidOn, time.Time{}
		case p.HandedInOn != nil && !pending:
			d.CashCollectedOn, d.CashHandedInOn = p.PaidOn, *p.HandedInOn
		}
	}
	return d
}

// remedyPauses are the spans a reconsideration or lawsuit was pending: no
// surcharge runs then (APL art. 73 ¶3).
func (c *Case) remedyPauses() []deadline.Suspension {
	var out []deadline.Suspension
	for _, r := range c.Remedies {
		out = append(out, deadline.Suspension{From: r.FiledOn, Resumed: dateOrZero(r.DecidedOn)})
	}
	return out
}

// paymentsIn are the payments as the surcharge rule reads them: reversals
// netted out, in date order.
func (c *Case) paymentsIn() []deadline.PaymentIn {
	var out []deadline.PaymentIn
	for _, p := range c.Payments {
		if p.AmountFen > 0 && !p.Reversed {
			out = append(out, deadline.PaymentIn{AmountFen: p.AmountFen, On: p.PaidOn})
		}
	}
	slices.SortStableFunc(out, func(a, b deadline.PaymentIn) int { return a.On.Compare(b.On) })
	return out
}

// schedule is when the fine falls due: whole, 15 days after service (APL
// art. 67); whole on an approved later date (暂缓); or in approved parts
// (分期, art. 66), what is not in the plan staying due on the first date.
func (c *Case) schedule(r Rules, cal deadline.Calendar) []deadline.Instalment {
	var first time.Time
	if c.DecisionServedOn != nil {
		first = cal.EndOfPeriod(*c.DecisionServedOn, r.Deadline().PaymentDays)
	}
	if len(c.Instalments) == 0 {
		if c.DueOverride != nil {
			first = *c.DueOverride
		}
		if first.IsZero() {
			return nil
		}
		return []deadline.Instalment{{Due: first, AmountFen: c.FineFen}}
	}
	var out []deadline.Instalment
	rest := c.FineFen
	for _, in := range c.Instalments {
		rest -= in.AmountFen
	}
	if rest > 0 && !first.IsZero() {
		out = append(out, deadline.Instalment{Due: first, AmountFen: rest})
	}
	for _, in := range c.Instalments {
		if d, ok := parseDate(in.DueOn); ok {
			out = append(out, deadline.Instalment{Due: d, AmountFen: in.AmountFen})
		}
	}
	return out
}

// dueOverride is the payment date an approval set: the deferred date, or
// the next instalment not yet covered; zero while the statutory date holds.
func (c *Case) dueOverride() time.Time {
	if len(c.Instalments) == 0 {
		return dateOrZero(c.DueOverride)
	}
	cum := c.FineFen
	for _, in := range c.Instalments {
		cum -= in.AmountFen
	}
	if c.PaidFen < cum {
		return time.Time{} // the part outside the plan is still due on the statutory date
	}
	var due time.Time
	for _, in := range c.Instalments {
		due, _ = parseDate(in.DueOn)
		if cum += in.AmountFen; cum > c.PaidFen {
			break
		}
	}
	return due
}

// paymentDue is the next day something must be paid by: the date of the
// first part not yet covered by the payments (the last one once all are).
func (c *Case) paymentDue(r Rules, cal deadline.Calendar) time.Time {
	var due time.Time
	var cum int64
	for _, in := range c.schedule(r, cal) {
		due = in.Due
		cum += in.AmountFen
		if cum > c.PaidFen {
			return due
		}
	}
	return due
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
	set(&s.LimitationYearsSerious, "limitation_years_serious")
	set(&s.DueSoonDays, "due_soon_days")
	set(&s.FilingWorkingDays, "filing_working_days")
	set(&s.PreservationWorkingDays, "preservation_working_days")
	set(&s.SeizureDays, "seizure_days")
	set(&s.TransferDecideWorkingDays, "transfer_decide_working_days")
	set(&s.HandInWorkingDays, "hand_in_working_days")
	set(&s.DemandWorkingDays, "demand_working_days")
	set(&s.ReconsiderationDays, "reconsideration_days")
	set(&s.LitigationMonths, "litigation_months")
	set(&s.EnforcementApplyMonths, "enforcement_apply_months")
	return s
}

// Get is a setting, or def when it is not set.
func (r Rules) Get(key string, def int64) int64 {
	if v, ok := r[key]; ok {
		return v
	}
	return def
}

// loadRules reads the settings for the item's domain (a domain row
// overrides the county default) and the holiday calendar.
func loadRules(ctx context.Context, tx pgx.Tx, itemID int64) (Rules, deadline.Calendar, error) {
	r, err := loadSettings(ctx, tx, itemID)
	if err != nil {
		return nil, deadline.Calendar{}, err
	}
	cal, err := loadCalendar(ctx, tx)
	return r, cal, err
}

// cachedRules is loadRules through the reference cache, for the case page:
// settings and holidays are public, so the item is the whole key. The
// actions read them in their own transaction (loadRules), as they write.
// The rules and the calendar are shared: they are only read.
func (s *Service) cachedRules(ctx context.Context, tx pgx.Tx, itemID int64) (Rules, deadline.Calendar, error) {
	if s.Ref == nil {
		return loadRules(ctx, tx, itemID)
	}
	r, err := refcache.Get(ctx, s.Ref, refcache.Settings, strconv.FormatInt(itemID, 10), func() (Rules, error) {
		return loadSettings(ctx, tx, itemID)
	})
	if err != nil {
		return nil, deadline.Calendar{}, err
	}
	cal, err := refcache.Get(ctx, s.Ref, refcache.Holidays, "", func() (deadline.Calendar, error) { return loadCalendar(ctx, tx) })
	return r, cal, err
}

func loadSettings(ctx context.Context, tx pgx.Tx, itemID int64) (Rules, error) {
	r := Rules{}
	rows, _ := tx.Query(ctx, `SELECT DISTINCT ON (key) key, value FROM procedure_settings
		WHERE domain_id IS NULL OR domain_id = (SELECT domain_id FROM catalogue_items WHERE id = $1)
		ORDER BY key, domain_id NULLS LAST`, itemID)
	var k string
	var v int64
	if _, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error { r[k] = v; return nil }); err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	return r, nil
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

// env is what the rules read beyond the case row: the item's legal range,
// the certificates and the reviewer's qualification.
type env struct {
	itemInForce       bool
	validCerts        int
	validCertsToday   int // non-recused active handlers with a certificate valid today
	actorCertValid    bool
	reviewerQualified bool
	penalties         authority.Penalties
}

// facts builds what the workflow rules read for the actor now.
func (c *Case) facts(a *zhifa.Actor, today time.Time, r Rules, cal deadline.Calendar, e env) *workflow.Facts {
	ds := r.Deadline()
	years := ds.LimitationYears
	if c.SeriousHarm {
		years = ds.LimitationYearsSerious
	}
	f := &workflow.Facts{
		Procedure: c.Procedure, State: c.State, Today: today, ActorID: a.UserID, ActorRole: a.Role,
		ActorIsHandler: c.Handles(a.UserID), ActorCertValid: e.actorCertValid,
		ValidCertHandlers: e.validCerts, ValidCertHandlersToday: e.validCertsToday, ItemInForce: e.itemInForce, ItemIsPenalty: c.ItemKind == authority.KindPenalty,
		WithinLimitation: deadline.WithinLimitation(c.ActOn, c.DiscoveredOn, years), LimitationYears: years,
		Suspended: c.SuspendedSince != nil, EvidenceCount: c.activeEvidence(), FactsSummary: c.Facts,
		ProposalRecorded: c.ProposedOn != nil, ProposalNoPenalty: c.ProposalNoPenalty, Mitigation: c.MitigationGround != "",
		// A changed proposal clears the review, so a standing pass reviewed this one.
		ReviewedNoPenalty: c.ProposalNoPenalty,
		ReviewerQualified: e.reviewerQualified,
		ReviewPassed:      c.ReviewedBy != nil && c.ReviewedOn != nil, NoticeServed: c.NoticeServedOn != nil,
		StatementWaived: c.StatementWaived, HearingRight: c.HearingRight, HearingWaived: c.HearingWaived,
		HearingRequestDays: ds.HearingRequestDays, HearingRequested: c.HearingRequested != nil,
		HearingConcluded: c.HearingOutcome != "", HearingHeld: c.HearingOutcome == HearingHeld,
		Notified: Sanctions(c.NoticePenalties), DiscussionRecorded: c.DiscussionOn != nil, DecisionDays: ds.DecisionDays,
		PartyIsOrg: c.PartyKind == "org", SpotTold: c.SpotTold, TransferProposed: c.TransferAsked != nil,
		FineFen: c.FineFen, PaidFen: c.PaidFen, HasOrder: c.HasOrder, OrderDone: c.OrderDoneOn != nil,
		EnforcementApplied: c.EnforcementOn != nil, DecisionServed: c.DecisionServedOn != nil,
		ServiceProof: c.ServiceProof != "", ItemFirstOffenceList: e.penalties.FirstOffenceList,
		PartyIdentified: strings.TrimSpace(c.PartyIDNumber) != "",
	}
	for _, o := range c.ActiveOfficers() {
		f.Handlers = append(f.Handlers, o.UserID)
		f.LeadHandler = f.LeadHandler || o.Lead
	}
	if age, minor := c.MinorAge(); minor && age >= 14 {
		f.PartyMinor = true
	}
	if c.ReviewedBy != nil {
		f.ReviewerID = *c.ReviewedBy
	}
	if c.HearingHeld != nil && c.ReviewedOn != nil && !c.ReviewedOn.Before(*c.HearingHeld) {
		f.ReviewedAfterHearing = true
	}
	if !c.ProposalNoPenalty {
		f.ProposalOutOfRange = e.penalties.CheckFine(f.PartyIsOrg, FineOf(c.ProposedPenalties))
		f.NoticeNeeded = c.NoticeServedOn == nil || len(workflow.Heavier(Sanctions(c.ProposedPenalties), f.Notified)) > 0
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
	for _, p := range c.Payments {
		if p.Kind == PaymentOnSpot && p.AmountFen > 0 && !p.Reversed && p.HandedInOn == nil {
			f.CashNotHandedIn++
		}
	}
	for _, d := range deadline.Compute(ds, cal, c.dates(today)) {
		switch d.Key {
		case deadline.KeyDecision:
			f.DecisionOverdue = d.Status == deadline.Overdue
		case deadline.KeyStatement:
			f.StatementPeriodOver = today.After(d.Due)
		case deadline.KeyHearingRequest:
			f.HearingWindowOpen = !today.After(d.Due)
		}
	}
	f.DiscussionRequired = c.discussionReasons(r, c.ReviewedPenalties)
	return f
}

// HearingHeld is the outcome of a hearing that took place; "absent" and
// "left" withdraw the request (APL art. 64(8)).
const (
	HearingHeld   = "held"
	HearingAbsent = "absent"
	HearingLeft   = "left"
)

// HearingOutcomes label them.
var HearingOutcomes = []Option{{HearingHeld, "听证已举行"}, {HearingAbsent, "当事人无正当理由拒不出席（视为放弃听证）"},
	{HearingLeft, "当事人未经许可中途退出（视为放弃听证）"}}

// Payment kinds: to the bank (罚缴分离), or cash on the spot (APL art. 68).
const (
	PaymentBank   = "bank"
	PaymentOnSpot = "on_spot"
)

// discussionReasons says why collective discussion is required for these
// penalties (APL art. 57 ¶2, with the per-domain settings).
func (c *Case) discussionReasons(r Rules, ps []Penalty) []string {
	var out []string
	threshold := r.Get("discussion_person_fen", 0)
	if c.PartyKind == "org" {
		threshold = r.Get("discussion_org_fen", 0)
	}
	if fine := FineOf(ps); threshold > 0 && fine >= threshold {
		out = append(out, "罚款达到"+Yuan(threshold)+"的集体讨论标准")
	}
	if slices.ContainsFunc(ps, func(p Penalty) bool {
		return p.Kind == workflow.KindRevocation || p.Kind == workflow.KindSuspension
	}) {
		out = append(out, "拟吊销许可证件或责令停产停业")
	}
	if c.MitigationGround != "" {
		out = append(out, "拟从轻或减轻处罚")
	}
	if c.RenoticeHeavier {
		out = append(out, "重新告知加重处罚")
	}
	if c.HearingOutcome == HearingHeld {
		out = append(out, "经过听证")
	}
	return out
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

// collect queues a query whose rows fill *dst when the batch is sent.
func collect[T any](b *pgx.Batch, dst *[]T, what, sql string, args ...any) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		var err error
		if *dst, err = pgx.CollectRows(rows, pgx.RowToStructByName[T]); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	})
}
