package cases

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/database"
	"zhifa/internal/deadline"
)

// dueBatchSize is how many cases one batch of a due refresh reads,
// computes and writes: enough to amortise the round trips and the summary
// triggers' work per statement (a third faster than 2,000 at a million
// cases), few enough that an action on one of them waits a fraction of a
// second at most for the row locks of the batch's write.
const dueBatchSize = 5000

// dueJoin joins a case c to its stored next deadline cd (migration 0032),
// for the lists and the queues. Saying the town on both sides lets a
// town's condition on c.town_id reach cd's (town_id, next_due_on, ...)
// indexes too.
const dueJoin = `case_due cd ON cd.case_id = c.id AND cd.town_id = c.town_id`

// dueBatchSQL reads, in one statement, what deadline.Compute needs of the
// next batch of open cases in id order after $1 (at most $2 of them): the
// case columns Case.dates reads, its stored deadline and that row's
// version (case_due; d.case_id > $1 repeats c.id > $1 so that both sides
// of the join start there), the domain of its item (for its settings), and
// its payments, suspensions and preservations as JSON arrays in id order,
// read by id range for the whole batch. %s is an extra condition on c (the
// domain of a per-domain change). A column Case.dates comes to read must be
// added here too (TestRefreshAllDueMatchesRefreshDue).
const dueBatchSQL = `WITH b AS MATERIALIZED (
	SELECT c.id, c.item_id, c.state, c.act_on, c.discovered_on, c.serious_harm, c.filed_on, c.review_submitted_on,
		c.notice_served_on, c.decided_on, c.decision_served_on, c.fine_fen, c.extensions, c.hearing_right,
		c.statement_waived, c.hearing_waived, c.hearing_requested_on, c.payment_due_override,
		nullif(c.instalments, '[]') AS instalments, c.demand_served_on, c.enforcement_applied_on,
		c.transfer_proposed_on, c.closed_on, c.suspended_since, d.next_due_on, d.next_due_key, d.version
	FROM cases c JOIN case_due d ON d.case_id = c.id
	WHERE c.id > $1 AND d.case_id > $1 AND c.state NOT IN ('closed', 'archived', 'not_filed', 'no_penalty', 'revoked', 'transferred')%s
	ORDER BY c.id LIMIT $2),
pay AS (
	SELECT p.case_id, json_agg(json_build_object('amount_fen', p.amount_fen, 'paid_on', p.paid_on, 'kind', p.kind,
		'handed_in_on', p.handed_in_on, 'reversed', EXISTS (SELECT FROM case_payments r WHERE r.reverses = p.id))
		ORDER BY p.id) AS rows
	FROM case_payments p
	WHERE p.case_id BETWEEN (SELECT min(id) FROM b) AND (SELECT max(id) FROM b) GROUP BY p.case_id),
sus AS (
	SELECT s.case_id, json_agg(json_build_object('started_on', s.started_on, 'resumed_on', s.resumed_on) ORDER BY s.id) AS rows
	FROM case_suspensions s
	WHERE s.case_id BETWEEN (SELECT min(id) FROM b) AND (SELECT max(id) FROM b) GROUP BY s.case_id),
pre AS (
	SELECT p.case_id, json_agg(json_build_object('kind', p.kind, 'started_on', p.started_on, 'ended_on', p.ended_on,
		'extended', p.extended, 'emergency', p.emergency, 'reported_on', p.reported_on) ORDER BY p.id) AS rows
	FROM case_preservations p
	WHERE p.case_id BETWEEN (SELECT min(id) FROM b) AND (SELECT max(id) FROM b) GROUP BY p.case_id)
SELECT b.id, i.domain_id, b.state, b.act_on, b.discovered_on, b.serious_harm, b.filed_on, b.review_submitted_on,
	b.notice_served_on, b.decided_on, b.decision_served_on, b.fine_fen, b.extensions, b.hearing_right,
	b.statement_waived, b.hearing_waived, b.hearing_requested_on, b.payment_due_override, b.instalments,
	b.demand_served_on, b.enforcement_applied_on, b.transfer_proposed_on, b.closed_on, b.suspended_since,
	b.next_due_on, b.next_due_key, b.version, pay.rows, sus.rows, pre.rows
FROM b JOIN catalogue_items i ON i.id = b.item_id
LEFT JOIN pay ON pay.case_id = b.id LEFT JOIN sus ON sus.case_id = b.id LEFT JOIN pre ON pre.case_id = b.id
ORDER BY b.id`

// dueDomainSQL narrows a batch to the cases of one domain ($3).
const dueDomainSQL = ` AND c.item_id IN (SELECT id FROM catalogue_items WHERE domain_id = $3)`

// dueUpdateSQL writes a batch's new deadlines into case_due, skipping a
// case an action stored afresh since the batch read it (RefreshDue moved
// its version in the action's transaction) and one already right. Only the
// narrow case_due row is written: the case row and its many indexes are
// left alone (migration 0032).
const dueUpdateSQL = `UPDATE case_due d SET next_due_on = v.due::date, next_due_key = v.key
	FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) v(id, due, key, version)
	WHERE d.case_id = v.id AND d.version = v.version
	  AND (d.next_due_on, d.next_due_key) IS DISTINCT FROM (v.due::date, v.key)`

// The related rows of a batch, as dueBatchSQL aggregates them (dates as
// YYYY-MM-DD).
type (
	duePayment struct {
		AmountFen  int64   `json:"amount_fen"`
		PaidOn     string  `json:"paid_on"`
		Kind       string  `json:"kind"`
		HandedInOn *string `json:"handed_in_on"`
		Reversed   bool    `json:"reversed"`
	}
	dueSuspension struct {
		StartedOn string  `json:"started_on"`
		ResumedOn *string `json:"resumed_on"`
	}
	duePreservation struct {
		Kind       string  `json:"kind"`
		StartedOn  string  `json:"started_on"`
		EndedOn    *string `json:"ended_on"`
		Extended   bool    `json:"extended"`
		Emergency  bool    `json:"emergency"`
		ReportedOn *string `json:"reported_on"`
	}
)

// dueRules are the settings of every domain and the holiday calendar, read
// once for a whole refresh.
type dueRules struct {
	defaults Rules
	domains  map[int64]Rules // a domain's own rows only
	settings map[int64]deadline.Settings
	cal      deadline.Calendar
}

func loadDueRules(ctx context.Context, tx pgx.Tx) (*dueRules, error) {
	r := &dueRules{defaults: Rules{}, domains: map[int64]Rules{}, settings: map[int64]deadline.Settings{}}
	rows, _ := tx.Query(ctx, `SELECT domain_id, key, value FROM procedure_settings`)
	var domain *int64
	var k string
	var v int64
	_, err := pgx.ForEachRow(rows, []any{&domain, &k, &v}, func() error {
		if domain == nil {
			r.defaults[k] = v
			return nil
		}
		if r.domains[*domain] == nil {
			r.domains[*domain] = Rules{}
		}
		r.domains[*domain][k] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	r.cal, err = loadCalendar(ctx, tx)
	return r, err
}

// of is the deadline settings of a domain: its own rows over the county's
// defaults, as loadRules reads them for one case.
func (r *dueRules) of(domain int64) deadline.Settings {
	if s, ok := r.settings[domain]; ok {
		return s
	}
	merged := Rules{}
	for k, v := range r.defaults {
		merged[k] = v
	}
	for k, v := range r.domains[domain] {
		merged[k] = v
	}
	s := merged.Deadline()
	r.settings[domain] = s
	return s
}

// nextDue is the case's most urgent running deadline (due "" when none
// runs), as RefreshDue stores it.
func nextDue(c *Case, s deadline.Settings, cal deadline.Calendar, today time.Time) (due, key string) {
	if c.SuspendedSince != nil || c.State.Terminal() {
		return "", ""
	}
	var first time.Time
	found := false
	for _, d := range deadline.Compute(s, cal, c.dates(today)) {
		if d.Status != deadline.Running && d.Status != deadline.DueSoon && d.Status != deadline.Overdue {
			continue
		}
		if day := deadline.Day(d.Due); !found || day.Before(first) {
			first, key, found = day, d.Key, true
		}
	}
	if !found {
		return "", ""
	}
	return first.Format(time.DateOnly), key
}

// RefreshDue stores the case's most urgent running deadline for the lists
// (case_due), in the caller's transaction: every action and filing calls
// it. It always writes, moving the row's version, so that a batch refresh
// that read the case before never overwrites what the action stored.
func RefreshDue(ctx context.Context, tx pgx.Tx, id int64, today time.Time) error {
	c, err := loadCase(ctx, tx, id, false)
	if err != nil {
		return err
	}
	r, cal, err := loadRules(ctx, tx, c.ItemID)
	if err != nil {
		return err
	}
	var due *string // NULL when no deadline runs
	day, key := nextDue(c, r.Deadline(), cal, today)
	if day != "" {
		due = &day
	}
	tag, err := tx.Exec(ctx, `UPDATE case_due SET next_due_on = $2, next_due_key = $3, version = version + 1 WHERE case_id = $1`,
		id, due, key)
	if err == nil && tag.RowsAffected() != 1 {
		// The row is made with the case (trigger cases_due_insert).
		err = fmt.Errorf("case %d has no case_due row", id)
	}
	return err
}

// DueRefresh is what a due refresh did.
type DueRefresh struct {
	Cases   int // open cases recomputed
	Changed int // of which the stored deadline moved, and was written
}

// RefreshAllDue recomputes the stored next deadline of every open case the
// actor may read, after the procedure settings or the holiday calendar
// changed, so the due lists follow. See refreshDue.
func (s *Service) RefreshAllDue(ctx context.Context) (DueRefresh, error) {
	return dueQueueOf(s.DB).run(ctx, 0, s.refreshDue)
}

// RefreshDomainDue is RefreshAllDue for the cases of one domain, after a
// setting of that domain alone changed.
func (s *Service) RefreshDomainDue(ctx context.Context, domainID int64) (DueRefresh, error) {
	return dueQueueOf(s.DB).run(ctx, domainID, s.refreshDue)
}

// AffectsDue says whether the setting key is one of the periods the
// deadlines read, so that changing it calls for a refresh (a fine cap does
// not). Asked of Rules.Deadline itself, it cannot fall out of step with it.
func AffectsDue(key string) bool {
	def := Rules{}.Deadline()
	return Rules{key: 1}.Deadline() != def || Rules{key: 2}.Deadline() != def
}

// refreshDue is a bounded batch job: the rules are read once, then each
// batch of dueBatchSize open cases (by id) is read in one statement,
// computed here, and the cases whose deadline moved are written in one
// statement. Each of the two is one round trip with the tenancy settings
// and no transaction of its own (see trip): the write checks each row's
// version against the one read, so nothing needs holding between them,
// pages never wait on the job and a case's action waits at most for one
// batch's write. The three steps overlap as a pipeline (a batch is
// computed while the database reads the next or writes the one before),
// but the job runs one statement at a time: at most one CPU of the
// database's and one of Go's. domainID 0 is every domain.
func (s *Service) refreshDue(ctx context.Context, domainID int64) (DueRefresh, error) {
	var done DueRefresh
	today := s.Clock.Today()
	var rules *dueRules
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		rules, err = loadDueRules(ctx, tx)
		return err
	})
	if err != nil {
		return done, fmt.Errorf("refresh due dates: %w", err)
	}
	size := dueBatchSize
	if s.DueBatch > 0 {
		size = s.DueBatch
	}
	query, args := fmt.Sprintf(dueBatchSQL, ""), []any{int64(0), size}
	if domainID != 0 {
		query, args = fmt.Sprintf(dueBatchSQL, dueDomainSQL), append(args, domainID)
	}
	settings := database.SettingsFor(ctx)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var db sync.Mutex // the job's statements, one at a time
	free := make(chan *dueBatch, 3)
	for range cap(free) {
		free <- &dueBatch{}
	}
	read, computed := make(chan *dueBatch), make(chan *dueBatch)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // reads batch after batch, until one comes back empty
		defer wg.Done()
		defer close(read)
		for {
			var b *dueBatch
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			b.reset()
			db.Lock()
			_, err := trip(ctx, s.DB, settings, query, args, b.load)
			db.Unlock()
			if err != nil {
				cancel(fmt.Errorf("refresh due dates after case %d: %w", args[0], err))
				return
			}
			if len(b.rows) == 0 {
				return
			}
			args[0] = b.last
			select {
			case read <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { // computes each batch read
		defer wg.Done()
		defer close(computed)
		for b := range read {
			b.compute(rules, today)
			select {
			case computed <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	for b := range computed { // and writes it
		db.Lock()
		n, err := writeDue(ctx, s.DB, settings, b)
		db.Unlock()
		if err != nil {
			cancel(fmt.Errorf("refresh due dates from case %d: %w", b.rows[0].c.ID, err))
			break
		}
		done.Changed += n
		done.Cases += len(b.rows)
		free <- b
	}
	// The first failure, or the caller's cancellation; nil when every batch
	// was written. Then the others stop, if they have not.
	err = context.Cause(ctx)
	cancel(nil)
	wg.Wait()
	return done, err
}

// writeDue writes the deadlines of batch b that moved and says how many
// rows it changed.
func writeDue(ctx context.Context, db *database.DB, s database.Settings, b *dueBatch) (int, error) {
	if len(b.ids) == 0 {
		return 0, nil
	}
	for attempt := 1; ; attempt++ {
		tag, err := trip(ctx, db, s, dueUpdateSQL, []any{b.ids, b.dues, b.keys, b.versions}, nil)
		// Two writers of the same summary rows (case_due_counts) may
		// deadlock; PostgreSQL aborts one, whose write is tried again.
		if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == pgerrcode.DeadlockDetected && attempt < 3 {
			continue
		}
		return int(tag.RowsAffected()), err
	}
}

// trip runs one statement with the tenancy settings s in a single round
// trip and no transaction of its own: the settings and the statement go as
// one batch, which PostgreSQL runs as one implicit transaction, so the
// settings apply to it and end with it (as database.ReadRow does). read
// reads its rows; nil executes it.
func trip(ctx context.Context, db *database.DB, s database.Settings, sql string, args []any, read func(pgx.Rows) error) (pgconn.CommandTag, error) {
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('app.scope', $1, true), set_config('app.town_id', $2, true),
		set_config('app.user_id', $3, true), set_config('app.login', $4, true)`,
		string(s.Scope), id(s.TownID), id(s.UserID), s.Login)
	var tag pgconn.CommandTag
	if q := b.Queue(sql, args...); read != nil {
		q.Query(read)
	} else {
		q.Exec(func(t pgconn.CommandTag) error { tag = t; return nil })
	}
	return tag, db.Pool.SendBatch(ctx, b).Close()
}

// dueBatch is one batch of a refresh: the cases read, the last id, and
// the new deadlines of those whose deadline moved.
type dueBatch struct {
	rows     []dueRow
	last     int64
	ids      []int64
	dues     []*string // nil: no deadline runs
	keys     []string
	versions []int32
}

func (b *dueBatch) reset() {
	b.rows, b.ids, b.dues, b.keys, b.versions = b.rows[:0], b.ids[:0], b.dues[:0], b.keys[:0], b.versions[:0]
}

// dueRow is one case of a batch as read: what its deadlines depend on, its
// domain, and its stored deadline with that row's version.
type dueRow struct {
	c       Case
	domain  int64
	was     *time.Time
	wasKey  string
	version int32
}

// load reads the rows of a batch.
func (b *dueBatch) load(rows pgx.Rows) error {
	for rows.Next() {
		b.rows = append(b.rows, dueRow{})
		r := &b.rows[len(b.rows)-1]
		c := &r.c
		var pays []duePayment
		var suss []dueSuspension
		var pres []duePreservation
		err := rows.Scan(&c.ID, &r.domain, &c.State, &c.ActOn, &c.DiscoveredOn, &c.SeriousHarm, &c.FiledOn, &c.ReviewSubmittedOn,
			&c.NoticeServedOn, &c.DecidedOn, &c.DecisionServedOn, &c.FineFen, &c.Extensions, &c.HearingRight,
			&c.StatementWaived, &c.HearingWaived, &c.HearingRequested, &c.DueOverride, &c.Instalments,
			&c.DemandServedOn, &c.EnforcementOn, &c.TransferAsked, &c.ClosedOn, &c.SuspendedSince,
			&r.was, &r.wasKey, &r.version, &pays, &suss, &pres)
		if err != nil {
			return err
		}
		c.normalizeDates()
		for _, p := range pays {
			c.Payments = append(c.Payments, Payment{AmountFen: p.AmountFen, PaidOn: dueDate(p.PaidOn), Kind: p.Kind,
				HandedInOn: dueDatePtr(p.HandedInOn), Reversed: p.Reversed})
			c.PaidFen += p.AmountFen
		}
		for _, x := range suss {
			c.Suspensions = append(c.Suspensions, Suspension{StartedOn: dueDate(x.StartedOn), ResumedOn: dueDatePtr(x.ResumedOn)})
		}
		for _, p := range pres {
			c.Preservations = append(c.Preservations, Preservation{Kind: p.Kind, StartedOn: dueDate(p.StartedOn),
				EndedOn: dueDatePtr(p.EndedOn), Extended: p.Extended, Emergency: p.Emergency, ReportedOn: dueDatePtr(p.ReportedOn)})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n := len(b.rows); n > 0 {
		b.last = b.rows[n-1].c.ID
	}
	return nil
}

// compute computes the deadline of each case read and keeps those that
// moved.
func (b *dueBatch) compute(rules *dueRules, today time.Time) {
	for i := range b.rows {
		r := &b.rows[i]
		due, key := nextDue(&r.c, rules.of(r.domain), rules.cal, today)
		was := ""
		if r.was != nil {
			was = r.was.Format(time.DateOnly)
		}
		if due == was && key == r.wasKey {
			continue // unchanged: not written
		}
		b.ids, b.keys, b.versions = append(b.ids, r.c.ID), append(b.keys, key), append(b.versions, r.version)
		if due == "" {
			b.dues = append(b.dues, nil)
		} else {
			b.dues = append(b.dues, &due)
		}
	}
}

// dueDate reads a date of dueBatchSQL's JSON as loadCase reads a column.
func dueDate(s string) time.Time {
	d, _ := parseDate(s)
	return d
}

func dueDatePtr(s *string) *time.Time {
	if s == nil {
		return nil
	}
	d := dueDate(*s)
	return &d
}

// dueQueue runs one refresh at a time per database, so that a refresh
// reading older rules never overwrites a newer one; the changes made while
// a refresh runs share the one queued after it (ten holidays entered in a
// row cost two refreshes, not ten at once on the same CPUs).
type dueQueue struct {
	running sync.Mutex // held by the refresh under way
	mu      sync.Mutex
	next    *dueRun // the refresh queued behind it, read rules not yet
}

// dueRun is a queued refresh: its domain (0 once two differ) and result.
type dueRun struct {
	domain int64
	done   chan struct{}
	result DueRefresh
	err    error
}

var dueQueues sync.Map // *database.DB → *dueQueue

func dueQueueOf(db *database.DB) *dueQueue {
	q, _ := dueQueues.LoadOrStore(db, &dueQueue{})
	return q.(*dueQueue)
}

// run runs refresh for domain after the refresh under way, or joins the
// one already queued, which reads the rules after this call's change was
// committed; it returns when that refresh is done.
func (q *dueQueue) run(ctx context.Context, domain int64, refresh func(context.Context, int64) (DueRefresh, error)) (DueRefresh, error) {
	q.mu.Lock()
	if r := q.next; r != nil {
		if r.domain != domain {
			r.domain = 0
		}
		q.mu.Unlock()
		select {
		case <-r.done:
			return r.result, r.err
		case <-ctx.Done():
			return DueRefresh{}, ctx.Err()
		}
	}
	r := &dueRun{domain: domain, done: make(chan struct{})}
	q.next = r
	q.mu.Unlock()

	q.running.Lock()
	defer q.running.Unlock()
	q.mu.Lock()
	q.next = nil // from here on a change queues another refresh
	domain = r.domain
	q.mu.Unlock()
	r.result, r.err = refresh(ctx, domain)
	close(r.done)
	return r.result, r.err
}
