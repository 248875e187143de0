package cases

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Queue is one to-do list of a role's home page (待办).
type Queue string

// The queues, declared once. Each one's cases are chosen by plain SQL on
// the case row and its stored next deadline (see queueDefs), scoped to the
// actor's town; row-level security does the rest.
const (
	// 我的案件: the open cases the actor handles, next deadline first.
	QueueMyCases Queue = "my_cases"
	// 待提交立案的线索: leads the actor handles whose filing is not yet asked for.
	QueueLeads Queue = "leads"
	// 待完成的笔录和文书: document drafts the actor saved and has not issued.
	QueueDrafts Queue = "drafts"
	// 待批准立案: general-procedure leads whose filing the handlers asked for.
	QueueFilingApproval Queue = "filing_approval"
	// 待准备决定: reviewed cases the team leader must bring to collective
	// discussion (APL art. 57 ¶2), or whose discussion is to be recorded.
	QueuePrepareDecision Queue = "prepare_decision"
	// 需延长办案期限: the handling deadline (APL art. 60) ends within 7 days.
	QueueExtend Queue = "extend"
	// 已逾期案件: the next deadline has passed.
	QueueOverdue Queue = "overdue"
	// 待作出决定: reviewed cases ready for the head's decision.
	QueueDecide Queue = "decide"
	// 待审批事项: what the handlers or the party asked of the head and the
	// head has not decided (transfer, recusals, an emergency seizure).
	QueueApprovals Queue = "approvals"
	// 待法制审核: cases submitted for legal review, oldest first.
	QueueReview Queue = "review"
)

var queueLabels = map[Queue][2]string{
	QueueMyCases:         {"我的案件", "暂无正在办理的案件。"},
	QueueLeads:           {"待提交立案的线索", "暂无待提交立案的线索。"},
	QueueDrafts:          {"待完成的笔录和文书", "暂无未完成的笔录和文书。"},
	QueueFilingApproval:  {"待批准立案", "暂无待批准立案的案件。"},
	QueuePrepareDecision: {"待准备决定", "暂无需要提交或记录集体讨论的案件。"},
	QueueExtend:          {"需延长办案期限", "暂无7日内届满的办案期限。"},
	QueueOverdue:         {"已逾期案件", "暂无逾期案件。"},
	QueueDecide:          {"待作出决定", "暂无待作出决定的案件。"},
	QueueApprovals:       {"待审批事项", "暂无待审批事项。"},
	QueueReview:          {"待法制审核", "暂无待法制审核的案件。"},
}

// Label is the queue's Chinese title.
func (q Queue) Label() string { return queueLabels[q][0] }

// Empty is what the page says when the queue is empty.
func (q Queue) Empty() string { return queueLabels[q][1] }

// RoleQueues are each role's queues, in the order its home page shows
// them. A team leader also handles cases, so gets the officer's queues
// after its own. County administrators have none (the towns' table).
var RoleQueues = map[zhifa.Role][]Queue{
	zhifa.RoleOfficer:        {QueueMyCases, QueueLeads, QueueDrafts},
	zhifa.RoleLeader:         {QueueFilingApproval, QueuePrepareDecision, QueueExtend, QueueOverdue, QueueMyCases, QueueLeads, QueueDrafts},
	zhifa.RoleHead:           {QueueDecide, QueueApprovals},
	zhifa.RoleTownReviewer:   {QueueReview},
	zhifa.RoleCountyReviewer: {QueueReview},
}

// TodoLimit is how many rows of a queue the home page lists.
const TodoLimit = 20

// UrgentDays: a case of 我的案件 whose next deadline is at most this many
// days away (or passed) counts in the menu; so does 需延长办案期限.
const UrgentDays = 7

// TodoRow is one case (or one draft of a case's document) in a queue.
type TodoRow struct {
	Queue      Queue              `db:"-"`
	CaseID     int64              `db:"id"`
	Number     *string            `db:"number"`
	Procedure  workflow.Procedure `db:"procedure"`
	State      workflow.State     `db:"state"`
	PartyName  string             `db:"party_name"`
	ItemName   string             `db:"item_name"`
	NextDueOn  *time.Time         `db:"next_due_on"`
	NextDueKey string             `db:"next_due_key"`
	Suspended  bool               `db:"suspended"`
	// Action is what to do next, in words (批准立案, 作出处罚决定...).
	Action string `db:"action"`
	// Since is the day the row started to wait (the request, the review,
	// the state entered, the draft saved; for 需延长办案期限 and 已逾期案件
	// the deadline itself).
	Since     *time.Time `db:"since"`
	DraftKind string     `db:"draft_kind"` // QueueDrafts: the document's kind
}

// NumberOrLead is the case number or 待立案.
func (r *TodoRow) NumberOrLead() string {
	if r.Number == nil {
		return "（待立案）"
	}
	return *r.Number
}

// Href is where the row leads: the draft for a draft, else the case.
func (r *TodoRow) Href() string {
	p := "/cases/" + strconv.FormatInt(r.CaseID, 10)
	if r.DraftKind != "" {
		return p + "/documents/new/" + r.DraftKind
	}
	return p
}

// DueStatus classifies the row's next deadline today (as Row.DueStatus).
func (r *TodoRow) DueStatus(today time.Time) deadline.Status {
	row := Row{NextDueOn: r.NextDueOn, Suspended: r.Suspended}
	return row.DueStatus(today)
}

// dueLabels name the deadlines stored as next_due_key.
var dueLabels = map[string]string{
	deadline.KeyLimitation: "追责时效", deadline.KeyFiling: "立案", deadline.KeyPreservation: "先行登记保存处理决定",
	deadline.KeySeizure: "查封扣押期限", deadline.KeyEmergency: "报告负责人并补办批准", deadline.KeyTransfer: "移送审批",
	deadline.KeyReview: "法制审核", deadline.KeyStatement: "陈述申辩期", deadline.KeyHearingRequest: "听证申请期",
	deadline.KeyDecision: "办案期限", deadline.KeyService: "送达决定书", deadline.KeyPayment: "缴纳罚款",
	deadline.KeyHandIn: "当场收缴罚款上缴", deadline.KeyEnforcement: "申请法院强制执行",
}

// DueLabel names the row's next deadline ("" when it has none).
func (r *TodoRow) DueLabel() string {
	if r.NextDueOn == nil {
		return ""
	}
	if l, ok := dueLabels[r.NextDueKey]; ok {
		return l
	}
	return "下一期限"
}

// Waited says how long the row has waited, or for the deadline queues how
// far the deadline is.
func (r *TodoRow) Waited(today time.Time) string {
	if r.Since == nil {
		return ""
	}
	days := int(math.Round(deadline.Day(today).Sub(deadline.Day(*r.Since)).Hours() / 24))
	switch r.Queue {
	case QueueExtend:
		if days >= 0 {
			return "今日届满"
		}
		return strconv.Itoa(-days) + "天后届满"
	case QueueOverdue:
		return "已逾期" + strconv.Itoa(days) + "天"
	case QueueDrafts:
		if days <= 0 {
			return "今日保存"
		}
		return strconv.Itoa(days) + "天前保存"
	case QueueMyCases, QueueLeads:
		return "本环节第" + strconv.Itoa(max(days, 0)+1) + "天"
	}
	if days <= 0 {
		return "今日提交"
	}
	return "已等待" + strconv.Itoa(days) + "天"
}

// TodoQueue is one queue of the actor's home page.
type TodoQueue struct {
	Queue Queue
	Rows  []TodoRow // the first TodoLimit
	Total int       // how many rows the queue holds
	// Counted is what the queue adds to the menu's count: every row, but
	// for 我的案件 only the cases due within UrgentDays or overdue.
	Counted int
}

// More is how many rows the page does not list.
func (q *TodoQueue) More() int { return q.Total - len(q.Rows) }

// Todo is the actor's to-do: its role's queues in order.
type Todo struct {
	Queues []TodoQueue
	// Review is the review queue (reviewers), oldest submission first,
	// with its clock; QueueReview's count is its length.
	Review []QueueRow
}

// Total is what the menu shows beside 首页.
func (t *Todo) Total() int {
	n := 0
	for _, q := range t.Queues {
		n += q.Counted
	}
	return n
}

// queueDef is how one queue's cases are chosen. The SQL reads the case as
// c and the named arguments @me (the actor's user id), @today and @town.
type queueDef struct {
	from   string // "" for cases c alone
	town   string // the town column of from
	where  string
	action string // what to do next, in words
	since  string // the day the row waits from
	order  string
	kind   string // QueueDrafts: the draft's kind
	// counted chooses the rows that count in the menu ("" = every row).
	counted string
}

// sqlStates is "c.state IN (...)" for states (constant identifiers).
func sqlStates(states []workflow.State) string {
	q := make([]string, len(states))
	for i, s := range states {
		q[i] = "'" + string(s) + "'"
	}
	return "c.state IN (" + strings.Join(q, ", ") + ")"
}

// stepStates is where the step may be taken, as SQL.
func stepStates(name StepName) string { return sqlStates(FindStep(string(name)).States) }

// transitionStates is where the action leads from, as SQL.
func transitionStates(a workflow.Action) string {
	var from []workflow.State
	for _, t := range workflow.Transitions {
		if t.Action == a {
			for _, s := range t.From {
				if !slices.Contains(from, s) {
					from = append(from, s)
				}
			}
		}
	}
	return sqlStates(from)
}

// openStates are the states of a case still being handled.
func openStates() string {
	var open []workflow.State
	for _, s := range workflow.States {
		if s.Open() {
			open = append(open, s)
		}
	}
	return sqlStates(open)
}

// The SQL the definitions share.
const (
	// The actor handles the case and was not recused.
	sqlMine = `EXISTS (SELECT FROM case_officers o WHERE o.town_id = c.town_id AND o.user_id = @me AND o.case_id = c.id AND o.recused_on IS NULL)`
	// The latest legal review passed (a new proposal clears it), after the
	// hearing when one was held (APL art. 58, art. 65).
	sqlReviewPassed = `c.reviewed_by IS NOT NULL AND c.reviewed_on IS NOT NULL AND (c.hearing_held_on IS NULL OR c.reviewed_on >= c.hearing_held_on)`
	// Collective discussion is required (APL art. 57 ¶2), as
	// Case.discussionReasons says: the reviewed fine reaches the domain's
	// threshold for the party's kind, a licence is to be revoked or
	// business suspended, a mitigation ground, a heavier renotice, or a
	// hearing held.
	sqlDiscussionRequired = `(c.mitigation_ground <> '' OR c.renotice_heavier OR c.hearing_outcome = 'held'
		OR EXISTS (SELECT FROM jsonb_array_elements(c.reviewed_penalties) p WHERE p->>'kind' IN ('revocation', 'suspension'))
		OR coalesce((SELECT sum((p->>'amount_fen')::bigint) FROM jsonb_array_elements(c.reviewed_penalties) p WHERE p->>'kind' = 'fine')
		   >= (SELECT nullif(s.value, 0) FROM procedure_settings s
		       WHERE s.key = CASE c.party_kind WHEN 'org' THEN 'discussion_org_fen' ELSE 'discussion_person_fen' END
		         AND (s.domain_id IS NULL OR s.domain_id = (SELECT ci.domain_id FROM catalogue_items ci WHERE ci.id = c.item_id))
		       ORDER BY s.domain_id NULLS LAST LIMIT 1), false))`
	// The next deadline has passed. The party's own periods (statement,
	// hearing request) end by themselves: once past they are no delay.
	// Only an open case that is not suspended has a stored deadline
	// (nextDue), so this reads case_due alone: case_due_town_idx, which
	// holds the key too.
	sqlOverdue = `cd.next_due_on < @today::date AND cd.next_due_key NOT IN ('statement', 'hearing_request')`
	// The case's stored next deadline, as a subquery: a count of the
	// actor's cases by it keeps the plan of their own conditions (from
	// case_officers, each case then looked up), where a join with case_due
	// made PostgreSQL read every one of a busy officer's cases first.
	sqlDueOn = `(SELECT x.next_due_on FROM case_due x WHERE x.case_id = c.id AND x.town_id = c.town_id)`
	// The handlers' next step, by state.
	sqlNextStep = `CASE
		WHEN c.suspended_since IS NOT NULL THEN '案件已中止，待恢复'
		WHEN c.state = 'lead' AND c.procedure = 'summary' THEN '当场立案'
		WHEN c.state = 'lead' AND c.filing_requested_on IS NULL THEN '提交立案审批'
		WHEN c.state = 'lead' THEN '等待队长批准立案'
		WHEN c.state = 'filed' AND c.procedure = 'summary' THEN '作出当场处罚决定'
		WHEN c.state = 'filed' THEN '开始调查'
		WHEN c.state = 'investigating' THEN '调查取证，填写拟处罚意见后提交法制审核'
		WHEN c.state = 'review' THEN '等待法制审核'
		WHEN c.state = 'notice' AND c.notice_served_on IS NULL THEN '送达行政处罚事先告知书'
		WHEN c.state = 'notice' THEN '听取陈述申辩，等待负责人决定'
		WHEN c.state = 'hearing' AND c.hearing_notice_served_on IS NULL THEN '送达听证通知书'
		WHEN c.state = 'hearing' AND c.hearing_outcome = '' THEN '举行听证'
		WHEN c.state = 'hearing' AND c.hearing_outcome = 'held' THEN '听证后重新提交法制审核'
		WHEN c.state IN ('hearing', 'deciding') THEN '等待负责人作出决定'
		WHEN c.state = 'discussion' THEN '等待集体讨论'
		WHEN c.state = 'decided' THEN '送达行政处罚决定书'
		WHEN c.state = 'served' THEN '进入执行'
		WHEN c.state = 'executing' THEN '督促履行，履行完毕后结案'
		ELSE '' END`
)

// decisionStates are where the head decides (ActDecide, general procedure).
var decisionStates = []workflow.State{workflow.Notice, workflow.Hearing, workflow.Deciding, workflow.Discussion}

// The queues' conditions on the case row alone, each word for word the
// predicate of a partial index of migration 0027 (the deadline queues read
// case_due_town_idx of 0032), so that a count reads
// only the few entries of its index whatever the number of cases (the
// planner matches a partial index by its predicate's expressions; test
// TestNavCountsUsePartialIndexes checks it does).
var (
	// A general case in a decision state, not suspended, reviewed (or in
	// collective discussion): cases_decision_phase_idx.
	sqlDecisionPhase = sqlStates(decisionStates) + ` AND c.suspended_since IS NULL AND c.procedure = 'general'
		AND (c.state = 'discussion' OR c.reviewed_by IS NOT NULL)`
	// The handlers asked the head to transfer the case, or the party asked
	// that the hearing chair step aside, undecided: cases_approval_asked_idx.
	sqlApprovalAsked = transitionStates(workflow.ActTransfer) + ` AND (c.transfer_proposed_on IS NOT NULL
		OR c.chair_recusal_requested_on IS NOT NULL AND c.chair_recusal_decided_on IS NULL)`
	// Submitted for legal review: cases_review_queue_idx.
	sqlReviewQueue = `c.state = 'review' AND c.review_submitted_on IS NOT NULL`
)

// queueDefs are the definitions of the case queues (QueueReview is
// ReviewQueue's). Built once, after Steps.
var queueDefs = sync.OnceValue(func() map[Queue]queueDef {
	open := openStates()
	notSuspended := `c.suspended_since IS NULL`
	return map[Queue]queueDef{
		QueueMyCases: {where: sqlMine + ` AND ` + open, action: sqlNextStep, since: `c.state_entered_on`,
			order:   `cd.next_due_on NULLS LAST, c.id`,
			counted: fmt.Sprintf(sqlDueOn+` <= @today::date + %d`, UrgentDays)},
		QueueLeads: {where: sqlMine + ` AND c.state = 'lead' AND c.filing_requested_on IS NULL`,
			action: `CASE c.procedure WHEN 'summary' THEN '当场立案' ELSE '提交立案审批' END`, since: `c.state_entered_on`,
			order: `cd.next_due_on NULLS LAST, c.id`},
		QueueDrafts: {from: `document_drafts d JOIN cases c ON c.id = d.case_id`, town: `d.town_id`, where: `d.updated_by = @me`,
			action: `''`, since: `(d.updated_at AT TIME ZONE 'Asia/Shanghai')::date`, order: `d.updated_at, c.id`, kind: `d.kind`},
		// The team leader approves the filing (APL art. 54).
		QueueFilingApproval: {where: `c.state = 'lead' AND c.procedure = 'general' AND c.filing_requested_on IS NOT NULL AND ` + notSuspended,
			action: `'批准立案'`, since: `c.filing_requested_on`, order: `c.filing_requested_on, c.id`},
		// What the leader must do before the head can decide: when
		// collective discussion is required, put the reviewed case to it
		// (to_discussion: once the requested hearing is over; in 告知 once
		// the notice is served), and record the discussion held.
		QueuePrepareDecision: {where: sqlDecisionPhase + ` AND (
				c.state = 'discussion' AND c.discussion_on IS NULL
				OR ` + transitionStates(workflow.ActToDiscussion) + ` AND ` + sqlReviewPassed + ` AND ` + sqlDiscussionRequired + `
				   AND (c.hearing_requested_on IS NULL OR c.hearing_outcome <> '')
				   AND (c.state <> 'notice' OR c.notice_served_on IS NOT NULL))`,
			action: `CASE c.state WHEN 'discussion' THEN '记录集体讨论' ELSE '提交集体讨论' END`,
			since:  `CASE c.state WHEN 'discussion' THEN c.state_entered_on ELSE c.reviewed_on END`, order: `since, c.id`},
		// The handling deadline (APL art. 60) is the case's next one and
		// ends within the week: the head may still extend it (step
		// extend), which it cannot once it has passed.
		// case_due_town_idx: the week's deadlines, their key in the index.
		QueueExtend: {where: notSuspended + ` AND ` + stepStates(StepExtend) + fmt.Sprintf(` AND cd.next_due_key = 'decision'
				AND cd.next_due_on BETWEEN @today::date AND @today::date + %d`, UrgentDays),
			action: `CASE WHEN c.extensions = 0 THEN '报请负责人批准延长办案期限' ELSE '已延期' || c.extensions || '次，再次延期须经集体讨论' END`,
			since:  `cd.next_due_on`, order: `cd.next_due_on, c.id`},
		QueueOverdue: {where: sqlOverdue, action: `''`, since: `cd.next_due_on`, order: `cd.next_due_on, c.id`},
		// Reviewed cases whose decision ActDecide's checks may allow now:
		// 待决定; 集体讨论 once recorded; 告知 once the notice is served and
		// the party's periods are over (the stored next deadline is no
		// longer one of them, or has passed); 听证 the party withdrew from.
		// A case that must go to collective discussion first is the
		// leader's (QueuePrepareDecision).
		QueueDecide: {where: sqlDecisionPhase + ` AND ` + sqlReviewPassed + ` AND (
				c.state = 'discussion' AND c.discussion_on IS NOT NULL
				OR NOT ` + sqlDiscussionRequired + ` AND (
					c.state = 'deciding'
					OR c.state = 'notice' AND c.notice_served_on IS NOT NULL
					   AND NOT (cd.next_due_key IN ('statement', 'hearing_request') AND cd.next_due_on >= @today::date)
					OR c.state = 'hearing' AND c.hearing_outcome IN ('absent', 'left')))`,
			action: `CASE WHEN c.proposal_no_penalty THEN '作出不予处罚决定' ELSE '作出处罚决定' END`,
			since:  `CASE c.state WHEN 'discussion' THEN c.discussion_on ELSE c.state_entered_on END`, order: `since, c.id`},
		// Requested of the head and not decided: the handlers' transfer
		// proposal, a recusal request, the party's request that the hearing
		// chair step aside, an emergency seizure to approve afterwards.
		// The cases are first found from the requests pending (c.id IN:
		// partial indexes of the requests alone), not by reading every
		// open case of the town.
		QueueApprovals: {where: transitionStates(workflow.ActTransfer) + ` AND ` + notSuspended + ` AND c.id IN (
				SELECT x.id FROM cases x WHERE ` + strings.ReplaceAll(sqlApprovalAsked, "c.", "x.") + `
				UNION ALL SELECT r.case_id FROM case_recusals r WHERE r.decided_on IS NULL
				UNION ALL SELECT p.case_id FROM case_preservations p WHERE p.emergency AND p.reported_on IS NULL) AND (
				` + transitionStates(workflow.ActTransfer) + ` AND c.transfer_proposed_on IS NOT NULL
				OR ` + stepStates(StepDecideRecusal) + ` AND c.id IN (SELECT r.case_id FROM case_recusals r WHERE r.decided_on IS NULL)
				OR ` + stepStates(StepDecideChairRecusal) + ` AND c.chair_recusal_requested_on IS NOT NULL AND c.chair_recusal_decided_on IS NULL
				OR ` + stepStates(StepApproveEmergency) + ` AND c.id IN (SELECT p.case_id FROM case_preservations p WHERE p.emergency AND p.reported_on IS NULL))`,
			action: `CASE
				WHEN EXISTS (SELECT FROM case_preservations p WHERE p.case_id = c.id AND p.emergency AND p.reported_on IS NULL) THEN '补办查封扣押批准手续'
				WHEN c.chair_recusal_requested_on IS NOT NULL AND c.chair_recusal_decided_on IS NULL THEN '决定听证主持人是否回避'
				WHEN EXISTS (SELECT FROM case_recusals r WHERE r.case_id = c.id AND r.decided_on IS NULL) THEN '作出回避决定'
				ELSE '决定是否移送' END`,
			since: `least((SELECT min(p.started_on) FROM case_preservations p WHERE p.case_id = c.id AND p.emergency AND p.reported_on IS NULL),
				CASE WHEN c.chair_recusal_decided_on IS NULL THEN c.chair_recusal_requested_on END,
				(SELECT min(r.requested_on) FROM case_recusals r WHERE r.case_id = c.id AND r.decided_on IS NULL),
				c.transfer_proposed_on)`,
			order: `since, c.id`},
		QueueReview: {where: sqlReviewQueue},
	}
})

var caseRef = regexp.MustCompile(`\bc\.`)

// tables is what q's SQL reads, and its town column: the rows show the case
// (c) and its stored deadline (cd); a count reads the case, case_due, or
// both, as its conditions do, so that it can be served by an index of
// either table alone.
func (d queueDef) tables(rows bool) (from, town string) {
	cond := d.where + " " + d.counted
	usesDue, usesCase := strings.Contains(cond, "cd."), caseRef.MatchString(cond)
	from, town = `cases c`, `c.town_id`
	switch {
	case d.from != "":
		from, town = d.from, d.town
	case !rows && usesDue && !usesCase:
		return `case_due cd`, `cd.town_id`
	}
	if rows || usesDue {
		from += ` JOIN ` + dueJoin
	}
	return from, town
}

// todoArgs are the named arguments of the definitions.
func todoArgs(a *zhifa.Actor, today time.Time) pgx.NamedArgs {
	return pgx.NamedArgs{"me": a.UserID, "today": today.Format(time.DateOnly), "town": a.TownID}
}

// countSQL counts each of qs (its total, then what it adds to the menu)
// in one statement: one single-row subquery per queue, each free to use
// its own index. A town's are scoped to it; the county's are left to
// row-level security, whose town_id = ANY (...) serves the (town_id, ...)
// indexes as well (and keeps the plan cheap enough to need no JIT).
func countSQL(a *zhifa.Actor, qs []Queue) string {
	defs := queueDefs()
	var cols, parts []string
	for i, q := range qs {
		d := defs[q]
		from, town := d.tables(false)
		counted := `count(*)`
		if d.counted != "" {
			counted = `count(*) FILTER (WHERE ` + d.counted + `)`
		}
		where := d.where
		if !a.Role.IsCounty() {
			where = town + ` = @town AND ` + where
		}
		parts = append(parts, fmt.Sprintf(`(SELECT count(*) AS n, %s AS k FROM %s WHERE %s) q%d`, counted, from, where, i))
		cols = append(cols, fmt.Sprintf(`q%d.n, q%[1]d.k`, i))
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + strings.Join(parts, ", ")
}

// rowsSQL lists the first TodoLimit rows of q (not QueueReview).
func rowsSQL(q Queue) string {
	d := queueDefs()[q]
	from, town := d.tables(true)
	kind := `''`
	if d.kind != "" {
		kind = d.kind
	}
	return `SELECT c.id, c.number, c.procedure, c.state, c.party_name, i.name AS item_name, cd.next_due_on, cd.next_due_key,
			c.suspended_since IS NOT NULL AS suspended, (` + d.action + `) AS action, (` + d.since + `)::date AS since, ` + kind + ` AS draft_kind
		FROM ` + from + ` JOIN catalogue_items i ON i.id = c.item_id
		WHERE ` + town + ` = @town AND ` + d.where + `
		ORDER BY ` + d.order + ` LIMIT ` + strconv.Itoa(TodoLimit)
}

// Todo returns the actor's queues: each role's, with the rows each holds
// (the first TodoLimit) and its counts, in one transaction.
func (s *Service) Todo(ctx context.Context) (*Todo, error) {
	a := zhifa.ActorFrom(ctx)
	t := &Todo{}
	if a == nil {
		return t, nil
	}
	qs := RoleQueues[a.Role]
	if len(qs) == 0 {
		return t, nil
	}
	today := s.Clock.Today()
	args := todoArgs(a, today)
	t.Queues = make([]TodoQueue, len(qs))
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		counts := make([]int, 2*len(qs))
		dst := make([]any, len(counts))
		for i := range counts {
			dst[i] = &counts[i]
		}
		b.Queue(countSQL(a, qs), args).QueryRow(func(row pgx.Row) error { return row.Scan(dst...) })
		for i, q := range qs {
			t.Queues[i] = TodoQueue{Queue: q}
			if q == QueueReview {
				continue
			}
			tq := &t.Queues[i]
			b.Queue(rowsSQL(q), args).Query(func(rows pgx.Rows) error {
				var err error
				tq.Rows, err = pgx.CollectRows(rows, pgx.RowToStructByName[TodoRow])
				return err
			})
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		for i := range t.Queues {
			q := &t.Queues[i]
			q.Total, q.Counted = counts[2*i], counts[2*i+1]
			for j := range q.Rows {
				r := &q.Rows[j]
				r.Queue = q.Queue
				r.NextDueOn, r.Since = localDatePtr(r.NextDueOn), localDatePtr(r.Since)
				if r.DraftKind != "" {
					r.Action = "完成并出具" + draftTitle(r.DraftKind)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("to-do: %w", err)
	}
	if slices.Contains(qs, QueueReview) {
		// The review queue with its clock, as on /review; its length is
		// the queue's count, so the two never disagree.
		if t.Review, err = s.ReviewQueue(ctx, 0); err != nil {
			return nil, err
		}
		for i := range t.Queues {
			if t.Queues[i].Queue == QueueReview {
				t.Queues[i].Total, t.Queues[i].Counted = len(t.Review), len(t.Review)
			}
		}
	}
	for i := range t.Queues {
		if q := &t.Queues[i]; q.Queue == QueueOverdue {
			for j := range q.Rows {
				r := &q.Rows[j]
				r.Action = r.DueLabel() + "已于" + r.NextDueOn.Format("2006年1月2日") + "届满"
			}
		}
	}
	return t, nil
}

// draftTitle is a draft's document title in 《》.
func draftTitle(kind string) string {
	if m := doctype.Of(doctype.Kind(kind)); m != nil {
		return "《" + m.Title + "》"
	}
	return "文书"
}

// NavCounts are the to-do counts the menu shows.
type NavCounts struct {
	Home   int   // the actor's to-do: what the home page's queues count
	Review int   // awaiting legal review (reviewers)
	Extra  []int // the extra counts NavCounts was given, in their order
}

// NavCap bounds the menu's counts: each queue is counted up to NavCap+1
// rows, and the menu shows a count above NavCap as "NavCap+". So the menu
// every page shows costs the same at any number of cases, even for a queue
// of thousands (the home page counts them exactly).
const NavCap = 99

// NavCounts counts the actor's to-do in one statement, for the menu of
// every page: each queue's rows that count in the menu, up to NavCap+1.
func (s *Service) NavCounts(ctx context.Context, extra ...string) (NavCounts, error) {
	n := NavCounts{Extra: make([]int, len(extra))}
	if a := zhifa.ActorFrom(ctx); (a == nil || len(RoleQueues[a.Role]) == 0) && len(extra) == 0 {
		return n, nil
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		s.QueueNavCounts(ctx, b, &n, nil, extra...)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return n, fmt.Errorf("menu counts: %w", err)
	}
	return n, nil
}

// QueueNavCounts queues NavCounts's statements on b, which fill n as b is
// read, and then call done (if not nil); it reports false when there is
// nothing to count. The extra counts are other packages' statements that
// return one count each (n.Extra, in their order).
//
// The statement runs on every page. Its generic plan is as fast as a custom
// one, but PostgreSQL's estimate for "my cases" (an average officer's
// share) makes it plan afresh each time, which costs more than the counting
// (about 2.5 ms for a leader at a million cases): the generic plan is asked
// for, for this statement only, in the same round trip.
func (s *Service) QueueNavCounts(ctx context.Context, b *pgx.Batch, n *NavCounts, done func(), extra ...string) bool {
	a := zhifa.ActorFrom(ctx)
	sql, args := NavCountsSQL(a, s.Clock.Today())
	n.Extra = make([]int, len(extra))
	if sql == "" && len(extra) == 0 {
		return false
	}
	last := len(extra) - 1 // the statement after which n is complete (-1: the queues')
	if sql != "" {
		qs := RoleQueues[a.Role]
		counts := make([]int, len(qs))
		dst := make([]any, len(counts))
		for i := range counts {
			dst[i] = &counts[i]
		}
		b.Queue(genericPlanSQL)
		b.Queue(sql, args).QueryRow(func(row pgx.Row) error {
			if err := row.Scan(dst...); err != nil {
				return err
			}
			n.Home, n.Review = 0, 0
			for i, q := range qs {
				n.Home += counts[i]
				if q == QueueReview {
					n.Review = counts[i]
				}
			}
			if last < 0 && done != nil {
				done()
			}
			return nil
		})
		b.Queue(resetPlanSQL) // the configured value again, for the rest of the transaction
	}
	for i, q := range extra {
		b.Queue(q).QueryRow(func(row pgx.Row) error {
			if err := row.Scan(&n.Extra[i]); err != nil {
				return err
			}
			if i == last && done != nil {
				done()
			}
			return nil
		})
	}
	return true
}

// NavCountsSQL is the statement NavCounts runs for a and its arguments on
// today ("" when a has no queues): one capped count per queue, of the rows
// the queue adds to the menu (its counted rows), one column per queue in
// RoleQueues' order. A town's are scoped to it; the county's are left to
// row-level security.
//
// The menu shows one badge for all of a's queues, "NavCap+" once they add
// up to more: a queue is counted only while the queues counted before it
// add up to at most NavCap (its column is 0 otherwise). PostgreSQL runs a
// scalar sub-select only when an expression needs its value, so a CASE
// over the running total skips the rest; a busy town's badge is full after
// the cheapest queues, those read from case_due alone, which come first
// (after 待审核, whose own badge needs its count).
func NavCountsSQL(a *zhifa.Actor, today time.Time) (string, pgx.NamedArgs) {
	if a == nil || len(RoleQueues[a.Role]) == 0 {
		return "", nil
	}
	return navCountsSQL()[a.Role], todoArgs(a, today)
}

// navCountsSQL is NavCountsSQL's statement for each role with queues,
// written once: it depends on the role alone.
var navCountsSQL = sync.OnceValue(func() map[zhifa.Role]string {
	m := make(map[zhifa.Role]string, len(RoleQueues))
	for role, qs := range RoleQueues {
		m[role] = roleNavCountsSQL(role, qs)
	}
	return m
})

func roleNavCountsSQL(role zhifa.Role, qs []Queue) string {
	defs := queueDefs()
	// The queues' indexes in the order they are counted: 待审核 first, as
	// it has a badge of its own (so it is always counted), then those read
	// from case_due alone, then the rest.
	rank := func(q Queue) int {
		if q == QueueReview {
			return 0
		}
		if from, _ := defs[q].tables(false); from == `case_due cd` {
			return 1
		}
		return 2
	}
	order := make([]int, len(qs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return rank(qs[x]) - rank(qs[y]) })
	var from []string
	var total string // the running total of the queues counted so far
	for k, i := range order {
		d := defs[qs[i]]
		tables, town := d.tables(false)
		where := d.where
		if d.counted != "" {
			where += ` AND ` + d.counted
		}
		if !role.IsCounty() {
			where = town + ` = @town AND ` + where
		}
		count := fmt.Sprintf(`(SELECT count(*) FROM (SELECT FROM %s WHERE %s LIMIT %d) q)`, tables, where, NavCap+1)
		if k == 0 {
			from = append(from, fmt.Sprintf(`(SELECT %s AS n OFFSET 0) q%d`, count, i))
			total = fmt.Sprintf(`q%d.n`, i)
			continue
		}
		// OFFSET 0 keeps each sub-select in its own scan, run once (not
		// copied into every later running total).
		from = append(from, fmt.Sprintf(`LATERAL (SELECT CASE WHEN %s > %d THEN 0 ELSE %s END AS n OFFSET 0) q%d`, total, NavCap, count, i))
		total += fmt.Sprintf(` + q%d.n`, i)
	}
	cols := make([]string, len(qs))
	for i := range qs {
		cols[i] = fmt.Sprintf(`q%d.n`, i)
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + strings.Join(from, ` CROSS JOIN `)
}

// TownTodo is one town on the county's home page: its overdue cases and
// the cases awaiting legal review.
type TownTodo struct {
	Code    string `db:"code"`
	Name    string `db:"name"`
	Overdue int    `db:"overdue"`
	Reviews int    `db:"reviews"`
}

// Pending reports whether the town has anything overdue or awaiting review.
func (t *TownTodo) Pending() bool { return t.Overdue > 0 || t.Reviews > 0 }

// TownsTodo counts, for each town the actor may read, its overdue cases
// (as QueueOverdue) and its cases awaiting review (as QueueReview): the
// towns with something pending first, most overdue first.
func (s *Service) TownsTodo(ctx context.Context) ([]TownTodo, error) {
	overdue, review := queueDefs()[QueueOverdue].where, queueDefs()[QueueReview].where
	var out []TownTodo
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		// A scan of each of two indexes (case_due_town_idx, the partial
		// cases_review_queue_idx), grouped by town; every town listed.
		rows, _ := tx.Query(ctx, `SELECT t.code, t.name, coalesce(o.n, 0) AS overdue, coalesce(r.n, 0) AS reviews
			FROM towns t
			LEFT JOIN (SELECT cd.town_id, count(*) AS n FROM case_due cd WHERE `+overdue+` GROUP BY cd.town_id) o ON o.town_id = t.id
			LEFT JOIN (SELECT c.town_id, count(*) AS n FROM cases c WHERE `+review+` GROUP BY c.town_id) r ON r.town_id = t.id
			ORDER BY coalesce(o.n, 0) + coalesce(r.n, 0) > 0 DESC, 3 DESC, 4 DESC, t.id`,
			pgx.NamedArgs{"today": s.Clock.Today().Format(time.DateOnly)})
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[TownTodo])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("towns' to-do: %w", err)
	}
	return out, nil
}
