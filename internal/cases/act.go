package cases

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/authority"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// ActionInput is what an action form on the case page sends.
type ActionInput struct {
	Version       int    // the version the user saw: a later change is a conflict
	Action        string // a workflow action or a step (see Steps)
	Confirm       bool   // the user confirmed an irreversible step
	Reason        string
	ReceivingBody string
	Date          string // the day something happened (service, payment...); default today
	Method        string // service method
	Text          string // opinion, statement, facts summary, remedy note
	AmountYuan    string // fine in a proposal or decision, or a payment
	ReceiptNo     string
	Warning       bool
	OrderMeasure  string // 责令改正: what to do
	OrderDue      string
	Confiscation  string
	Suspension    string // 暂扣许可证件、责令停产停业…: what
	Revocation    string // 吊销许可证件: which licence
	Other         string
	HeavyPenalty  bool // the notice includes confiscation of a large amount etc. (hearing right)
	StatementID   int64
	RemedyKind    string
	RemedyID      int64
	Outcome       string // remedy outcome: upheld, corrected, withdrawn; hearing outcome: held, absent, left
	PartyWaives   bool
	// Proposal (拟处罚).
	Tier, Reasoning, Mitigation string
	NoPenalty                   bool
	// Review checklist: point → "ok" | "fail", and notes.
	Checklist     map[string]string
	ChecklistNote map[string]string
	// No penalty.
	NoPenaltyKind, Education string
	// Summary decision on the spot.
	SpotTold      bool
	SpotStatement string
	RefusedToSign bool
	// Service.
	ServiceProof string
	// Hearing.
	HearingOn, HearingPlace string
	HearingChair            int64
	HearingPrivate          bool
	PrivateReason           string
	Attendance, Transcript  string
	ScanEvidenceID          int64
	// Collective discussion.
	Participants, Conclusion string
	// Recusal, handlers.
	OfficerID, ReplacementID, RecusalID int64
	RequestedBy                         string
	Granted                             string // "yes" | "no"
	// Preservation and seizure.
	Kind, Inventory, Disposal string
	PreservationID            int64
	// Money.
	PaymentKind string
	PaymentID   int64
	NewDue      string
	Instalments string // an instalment plan, one "date amount" a line
	Court       string
	// Corrections of the party and the place (update_party).
	PartyName, PartyIDNumber, PartyPhone, PartyAddress, PartyLegalRep, PlaceVillage, PlaceAddress string
	SeriousHarm, ContinuingAct                                                                    bool

	// The 行政强制 item, a demolition 公告's deadline, the ground of cash
	// collected on the spot, the on-the-spot record of a seizure or a
	// sample (step_coercion.go).
	CoercionInput
	// Who sat in the collective discussion, the hearing's agents
	// (step_notice.go).
	NoticeInput
	// The 送达回证 of the document a serve step serves (step_service.go).
	ServiceInput
}

// act is one user action in progress: everything its small functions read.
type act struct {
	ctx   context.Context
	tx    pgx.Tx
	s     *Service
	a     *zhifa.Actor
	c     *Case
	in    ActionInput
	today time.Time
	r     Rules
	cal   deadline.Calendar
	env   env
	// changes are a correction's old and new values, kept in its timeline
	// entry (see stepEvent).
	changes []Change
}

func (x *act) exec(q string, args ...any) error {
	_, err := x.tx.Exec(x.ctx, q, args...)
	return err
}

// event appends to the timeline; on is the declared date, if any.
func (x *act) event(action, from, to, summary, reason string, on time.Time) error {
	return addEvent(x.ctx, x.tx, x.a, x.c.ID, x.c.TownID, x.s.Clock(), action, from, to, summary, reason, on)
}

// declared reads a date the user declares for a step: not before floor (the
// day the step first became possible: the case reached the state, the
// notice was served...), and not after today. Blank means today.
func (x *act) declared(field, raw, what string, floor time.Time, floorWhat string) (time.Time, error) {
	day := x.today
	if strings.TrimSpace(raw) != "" {
		d, ok := parseDate(raw)
		if !ok {
			return day, zhifa.FieldErrors{field: what + "格式应为 2025-03-24。"}
		}
		day = d
	}
	if day.After(x.today) {
		return day, zhifa.FieldErrors{field: what + "不能晚于今天。"}
	}
	if !floor.IsZero() && day.Before(floor) {
		return day, zhifa.FieldErrors{field: fmt.Sprintf("%s不能早于%s（%s），不得倒签。", what, floor.Format("2006年1月2日"), floorWhat)}
	}
	return day, nil
}

// later returns the latest of the dates, ignoring nil ones.
func later(ts ...*time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t != nil && t.After(out) {
			out = *t
		}
	}
	return out
}

// Act takes an action on a case in one transaction: a workflow transition
// or a recording step. It returns a message for the user.
func (s *Service) Act(ctx context.Context, id int64, in ActionInput) (string, error) {
	a := zhifa.ActorFrom(ctx)
	today := s.Clock.Today()
	var msg string
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, err := loadCase(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if in.Version != c.Version {
			return conflict(c, in.Version)
		}
		r, cal, err := loadRules(ctx, tx, c.ItemID)
		if err != nil {
			return err
		}
		e, err := loadEnv(ctx, tx, c, a, today)
		if err != nil {
			return err
		}
		x := &act{ctx: ctx, tx: tx, s: s, a: a, c: c, in: in, today: today, r: r, cal: cal, env: e}
		if st := FindStep(in.Action); st != nil {
			if err := stepAllowed(st, c, a, e); err != nil {
				return err
			}
			msg, err = x.step(st)
		} else {
			msg, err = x.transition(workflow.Action(in.Action))
		}
		if err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, `UPDATE cases SET version = version + 1, updated_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		return RefreshDue(ctx, tx, id, today)
	})
	return msg, zhifa.Annotate(err, fmt.Sprintf("case %d: %s", id, in.Action))
}

// conflict tells the user what changed since they opened the page.
func conflict(c *Case, seen int) error {
	var changes []string
	for _, e := range c.Events {
		changes = append(changes, fmt.Sprintf("%s %s：%s", e.At.In(zhifa.Local).Format("01-02 15:04"), e.ActorName, e.Summary))
	}
	n := c.Version - seen
	if n > len(changes) || n <= 0 {
		n = min(len(changes), 3)
	}
	return zhifa.Errorf(zhifa.ECONFLICT, "您打开页面后，该案件已被他人修改，您的操作没有保存。最近的变动：%s。请查看最新情况后重新操作。",
		strings.Join(changes[len(changes)-n:], "；"))
}

// loadEnv reads what the rules need beyond the case row.
func loadEnv(ctx context.Context, tx pgx.Tx, c *Case, a *zhifa.Actor, today time.Time) (env, error) {
	var e env
	day := today
	if c.FiledOn != nil {
		day = *c.FiledOn
	}
	// One round trip for all of it (the item's own penalties aside, read
	// after it when the list carried none).
	b := &pgx.Batch{}
	// The certified handlers on the filing date ($2) and today ($3).
	b.Queue(`SELECT (`+sqlValidCerts+`), (`+strings.ReplaceAll(sqlValidCerts, "$2", "$3")+`)`,
		c.ID, day.Format(time.DateOnly), today.Format(time.DateOnly)).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&e.validCerts, &e.validCertsToday); err != nil {
			return fmt.Errorf("certified handlers: %w", err)
		}
		return nil
	})
	authority.QueueInForce(b, c.TownID, c.ItemID, day, &e.itemInForce)
	// The legal range is the one the list carried on the filing date.
	penalties := authority.QueueListedPenalties(b, c.TownID, c.ItemID, day)
	if a != nil && a.Role.HoldsCertificate() {
		b.Queue(`SELECT EXISTS (SELECT FROM certificates WHERE user_id = $1 AND valid_from <= $2 AND valid_until >= $2)`,
			a.UserID, today.Format(time.DateOnly)).QueryRow(func(row pgx.Row) error {
			if err := row.Scan(&e.actorCertValid); err != nil {
				return fmt.Errorf("actor certificate: %w", err)
			}
			return nil
		})
	}
	if a != nil && (a.Role == zhifa.RoleTownReviewer || a.Role == zhifa.RoleCountyReviewer) {
		b.Queue(`SELECT legal_qualification_no FROM users WHERE id = $1`, a.UserID).QueryRow(func(row pgx.Row) error {
			var q string
			if err := row.Scan(&q); err != nil {
				return fmt.Errorf("reviewer qualification: %w", err)
			}
			e.reviewerQualified = strings.TrimSpace(q) != ""
			return nil
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return e, err
	}
	var err error
	e.penalties, err = penalties(ctx, tx)
	return e, err
}

// sqlValidCerts counts the certificates valid on day $2 of the case's ($1)
// active handlers who have not recused themselves.
const sqlValidCerts = `SELECT count(*) FROM case_officers o JOIN users u ON u.id = o.user_id AND u.active
		JOIN certificates ce ON ce.user_id = o.user_id AND ce.valid_from <= $2 AND ce.valid_until >= $2
		WHERE o.case_id = $1 AND o.recused_on IS NULL`

// transitionFunc fills what the attempt adds to the facts (prepare) and
// writes the transition's own columns (apply).
type transitionFunc struct {
	prepare func(x *act, f *workflow.Facts) error
	apply   func(x *act, f *workflow.Facts) (set string, args []any, summary string, on time.Time, err error)
}

var transitions = map[workflow.Action]transitionFunc{
	workflow.ActFile:           {apply: applyFile},
	workflow.ActRefuseFiling:   {apply: applyOutcome},
	workflow.ActRevoke:         {apply: applyOutcome},
	workflow.ActInvestigate:    {},
	workflow.ActSubmitReview:   {apply: applySubmitReview},
	workflow.ActResubmit:       {apply: applySubmitReview},
	workflow.ActPassReview:     {prepare: prepareReview, apply: applyReview("passed")},
	workflow.ActReturnReview:   {prepare: prepareReview, apply: applyReview("returned")},
	workflow.ActFailReview:     {prepare: prepareReview, apply: applyReview("failed")},
	workflow.ActRequestHearing: {prepare: prepareHearingRequest, apply: applyHearingRequest},
	workflow.ActToDiscussion:   {},
	workflow.ActDecide:         {prepare: prepareDecide, apply: applyDecide},
	workflow.ActNoPenalty:      {prepare: prepareNoPenalty, apply: applyNoPenalty},
	workflow.ActTransfer:       {apply: applyTransfer},
	workflow.ActServe:          {prepare: prepareServe, apply: applyServe},
	workflow.ActExecute:        {},
	workflow.ActClose:          {apply: applyClose},
	workflow.ActArchive:        {},
}

func (x *act) transition(action workflow.Action) (string, error) {
	tf, ok := transitions[action]
	if !ok {
		return "", zhifa.Errorf(zhifa.EINVALID, "未知的操作（%s）。", action)
	}
	f := x.c.facts(x.a, x.today, x.r, x.cal, x.env)
	f.Reason, f.ReceivingBody = strings.TrimSpace(x.in.Reason), strings.TrimSpace(x.in.ReceivingBody)
	if tf.prepare != nil {
		if err := tf.prepare(x, f); err != nil {
			return "", err
		}
	}
	t, err := workflow.Check(f, action)
	if err != nil {
		return "", err
	}
	if t.Confirm && !x.in.Confirm {
		return "", zhifa.FieldErrors{"confirm": "“" + t.Label + "”不可撤回，请勾选确认后再提交。"}
	}
	set, args, summary, on := "", []any(nil), t.Label, time.Time{}
	if tf.apply != nil {
		var s string
		if set, args, s, on, err = tf.apply(x, f); err != nil {
			return "", err
		}
		if s != "" {
			summary = s
		}
	}
	q := "state = $1, state_entered_on = $2"
	if set != "" {
		q += ", " + set
	}
	args = append([]any{string(t.To), x.today.Format(time.DateOnly)}, args...)
	if _, err := x.tx.Exec(x.ctx, `UPDATE cases SET `+q+` WHERE id = $`+strconv.Itoa(len(args)+1), append(args, x.c.ID)...); err != nil {
		return "", notInForce(err)
	}
	if err := x.event(string(action), string(x.c.State), string(t.To), summary, f.Reason, on); err != nil {
		return "", err
	}
	return "已" + t.Label + "，案件进入“" + t.To.Label() + "”。", nil
}

// 立案: number the case (a general case on the leader's approval).
func applyFile(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	number, err := numberCase(x.ctx, x.tx, x.c.TownID, x.today)
	if err != nil {
		return "", nil, "", time.Time{}, err
	}
	summary := "立案，案号" + number.text
	if x.c.Procedure == workflow.General {
		summary = "批准立案，案号" + number.text
	}
	return `year = $3, seq = $4, number = $5, filed_on = $2, filing_approved_by = $6`,
		[]any{x.today.Year(), number.seq, number.text, x.a.UserID}, summary, time.Time{}, nil
}

// 不予立案 / 撤销立案: the reason is the outcome.
func applyOutcome(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	return `outcome_reason = $3, closed_on = $2`, []any{f.Reason}, "", time.Time{}, nil
}

// 提交法制审核: the proposal goes to the reviewer; a resubmission clears the
// earlier pass so the decision waits for the new one.
func applySubmitReview(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	return `review_submitted_on = $2, reviewed_by = NULL, reviewed_on = NULL`, nil,
		"提交法制审核，拟处罚：" + x.c.proposalText(), time.Time{}, nil
}

func (c *Case) proposalText() string {
	if c.ProposalNoPenalty {
		return "不予处罚"
	}
	return DescribePenalties(c.ProposedPenalties)
}

// prepareReview reads the checklist and the opinion.
func prepareReview(x *act, f *workflow.Facts) error {
	f.ChecklistDone = true
	for _, p := range ReviewPoints {
		if v := x.in.Checklist[p.Value]; v != "ok" && v != "fail" {
			f.ChecklistDone = false
		}
	}
	f.Opinion = strings.TrimSpace(x.in.Text)
	if f.Opinion == "" {
		f.Opinion = f.Reason
	}
	f.ReviewerQualified = x.env.reviewerQualified
	if workflow.Action(x.in.Action) == workflow.ActPassReview && f.ChecklistDone {
		var failed []string
		for _, p := range ReviewPoints {
			if x.in.Checklist[p.Value] == "fail" {
				failed = append(failed, p.Label)
			}
		}
		if len(failed) > 0 {
			return zhifa.FieldErrors{"checklist": "审核要点“" + strings.Join(failed, "、") + "”不符合，不能审核通过；请退回补充调查或审核不通过。"}
		}
	}
	return nil
}

func applyReview(outcome string) func(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	return func(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
		var list []CheckPoint
		for _, p := range ReviewPoints {
			list = append(list, CheckPoint{Point: p.Label, OK: x.in.Checklist[p.Value] == "ok", Note: strings.TrimSpace(x.in.ChecklistNote[p.Value])})
		}
		var qual string
		if err := x.tx.QueryRow(x.ctx, `SELECT legal_qualification_no FROM users WHERE id = $1`, x.a.UserID).Scan(&qual); err != nil {
			return "", nil, "", time.Time{}, err
		}
		err := x.exec(`INSERT INTO case_reviews (case_id, town_id, reviewer_id, reviewer_name, qualification, reviewed_on, outcome,
			checklist, opinion, penalties) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			x.c.ID, x.c.TownID, x.a.UserID, x.a.DisplayName, qual, x.today.Format(time.DateOnly), outcome, list, f.Opinion,
			x.c.ProposedPenalties)
		if err != nil {
			return "", nil, "", time.Time{}, err
		}
		summary := "法制审核" + ReviewOutcomes[outcome] + "。审核意见：" + f.Opinion
		if outcome == "passed" {
			return `reviewed_by = $3, reviewed_on = $2, review_opinion = $4, reviewed_penalties = proposed_penalties,
				review_count = review_count + 1`, []any{x.a.UserID, f.Opinion}, summary, time.Time{}, nil
		}
		return `review_submitted_on = NULL, review_opinion = $3, review_count = review_count + 1`, []any{f.Opinion}, summary, time.Time{}, nil
	}
}

// 登记听证申请: dated the day the party asked, inside the window (APL art. 64).
func prepareHearingRequest(x *act, f *workflow.Facts) error {
	day, err := x.declared("date", x.in.Date, "当事人提出听证申请的日期", dateOrZero(x.c.NoticeServedOn), "告知书送达之日")
	if err != nil {
		return err
	}
	if x.c.NoticeServedOn != nil {
		s := x.r.Deadline()
		last := x.cal.AddWorkdays(*x.c.NoticeServedOn, s.HearingRequestDays)
		f.HearingRequestInTime = !day.After(last)
	}
	return nil
}

func applyHearingRequest(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	day, _ := x.declared("date", x.in.Date, "", time.Time{}, "")
	return `hearing_requested_on = $3`, []any{day.Format(time.DateOnly)}, "当事人申请听证（" + day.Format("2006年1月2日") + "提出）", day, nil
}

// 作出处罚决定: the decision's content is compared with the notice and the range.
func prepareDecide(x *act, f *workflow.Facts) error {
	ps, err := x.in.penalties(x.today)
	if err != nil {
		return err
	}
	if msg := x.env.penalties.CheckKinds(KindsOf(ps)); msg != "" {
		return zhifa.FieldErrors{"amount": msg}
	}
	f.Decision = Sanctions(ps)
	f.DecisionOutOfRange = x.env.penalties.CheckFine(f.PartyIsOrg, FineOf(ps))
	f.DiscussionRequired = x.c.discussionReasons(x.r, ps)
	if x.c.Procedure == workflow.Summary {
		// On the spot a mitigation ground is recorded only for a minor (APL art. 30).
		f.SpotTold = x.in.SpotTold
		f.Mitigation = f.PartyMinor && strings.TrimSpace(x.in.Mitigation) != ""
	}
	return nil
}

func applyDecide(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	ps, _ := x.in.penalties(x.today)
	hasOrder := slices.ContainsFunc(ps, func(p Penalty) bool { return p.Kind == workflow.KindOrder })
	// The legal basis is the item's, as listed on the filing date.
	set := `decided_on = $2, decided_by = $3, penalties = $4, fine_fen = $5, has_order = $6,
		decision_basis = coalesce((SELECT li.penalty_basis FROM list_version_items li
			WHERE li.version_id = list_version_on(cases.town_id, cases.filed_on) AND li.item_id = cases.item_id), '')`
	args := []any{x.a.UserID, ps, FineOf(ps), hasOrder}
	if x.c.Procedure == workflow.Summary {
		// 当场处罚: told and heard on the spot, handed over at once (APL art. 52).
		set += `, decision_served_on = $2, service_method = '当场交付', service_proof = $7, spot_told = true, spot_statement = $8, refused_to_sign = $9,
			mitigation_ground = CASE WHEN $10 = '' THEN mitigation_ground ELSE $10 END`
		proof := "当事人签收"
		if x.in.RefusedToSign {
			proof = "当事人拒绝签收，执法人员在决定书上注明"
		}
		args = append(args, proof, strings.TrimSpace(x.in.SpotStatement), x.in.RefusedToSign, strings.TrimSpace(x.in.Mitigation))
	}
	summary := "作出处罚决定：" + DescribePenalties(ps)
	if x.c.Procedure == workflow.General {
		note, err := obligeFiling(x, ps)
		if err != nil {
			return "", nil, "", time.Time{}, err
		}
		summary += note
	}
	return set, args, summary, time.Time{}, nil
}

// 不予处罚: the kind, the reason and the education given (APL art. 33).
func prepareNoPenalty(x *act, f *workflow.Facts) error {
	f.NoPenaltyKind, f.Education = x.in.NoPenaltyKind, strings.TrimSpace(x.in.Education)
	if f.NoPenaltyKind == workflow.NoPenaltyFirstOffence {
		prior, err := priorPenalty(x.ctx, x.tx, x.c)
		if err != nil {
			return err
		}
		f.PriorPenalty = prior
	}
	return nil
}

// priorPenalty is the number of an earlier case in which the town penalised
// the same party under the same item, or "": asked only when a 初次违法 is
// claimed (APL art. 33 ¶1).
func priorPenalty(ctx context.Context, tx pgx.Tx, c *Case) (string, error) {
	var number string
	err := tx.QueryRow(ctx, `SELECT coalesce((SELECT number FROM cases
		WHERE town_id = $1 AND item_id = $2 AND id <> $3 AND decided_on IS NOT NULL
			AND state IN ('decided', 'served', 'executing', 'closed', 'archived')
			AND ($4 <> '' AND party_id_number = $4 OR ($4 = '' OR party_id_number = '') AND party_name = $5)
		ORDER BY decided_on LIMIT 1), '')`, c.TownID, c.ItemID, c.ID, c.PartyIDNumber, c.PartyName).Scan(&number)
	if err != nil {
		return "", fmt.Errorf("prior penalty: %w", err)
	}
	return number, nil
}

func applyNoPenalty(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	return `outcome_reason = $3, no_penalty_kind = $4, education = $5, closed_on = $2, decided_on = $2, decided_by = $6`,
		[]any{f.Reason, f.NoPenaltyKind, f.Education, x.a.UserID},
		"决定不予行政处罚：" + workflow.NoPenaltyKindLabel(f.NoPenaltyKind), time.Time{}, nil
}

// 决定移送: the head decides; the case is sent at once.
func applyTransfer(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	return `transfer_body = $3, outcome_reason = $4, closed_on = $2, transfer_decided_by = $5`,
		[]any{f.ReceivingBody, f.Reason, x.a.UserID}, "决定移送" + f.ReceivingBody + "，移送材料当日送出", time.Time{}, nil
}

// 送达: dated between the decision and today, with proof (APL art. 61).
func prepareServe(x *act, f *workflow.Facts) error {
	f.ServiceProof = strings.TrimSpace(x.in.ServiceProof) != ""
	if !slices.Contains(ServiceMethods, strings.TrimSpace(x.in.Method)) {
		return zhifa.FieldErrors{"method": "请选择送达方式。"}
	}
	_, err := x.declared("date", x.in.Date, "送达日期", dateOrZero(x.c.DecidedOn), "作出决定之日")
	return err
}

// ServiceMethods are the ways of serving a decision (APL art. 61).
var ServiceMethods = doctype.ServiceMethods

func applyServe(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	day, _ := x.declared("date", x.in.Date, "", time.Time{}, "")
	method := strings.TrimSpace(x.in.Method)
	served := day
	if method == "公告送达" {
		// Public notice counts as served 30 days after it is published (APL art. 61, 民事诉讼法).
		served = day.AddDate(0, 0, 30)
	}
	// What is served is the issued 决定书: its 送达回证 hangs off it.
	doc, err := x.serve(doctype.Decision, day, method)
	if err != nil {
		return "", nil, "", time.Time{}, err
	}
	return `decision_served_on = $3, service_method = $4, service_proof = $5`,
		[]any{served.Format(time.DateOnly), method, strings.TrimSpace(x.in.ServiceProof)},
		"送达处罚决定书" + servedText(doc, method), day, nil
}

// 结案: the closing date.
func applyClose(x *act, f *workflow.Facts) (string, []any, string, time.Time, error) {
	summary := "结案"
	if x.c.FineFen > x.c.PaidFen {
		summary = fmt.Sprintf("结案（罚款未缴清：已缴%s，应缴%s，已申请法院强制执行）", Yuan(max(x.c.PaidFen, 0)), Yuan(x.c.FineFen))
	}
	return `closed_on = $2`, nil, summary, time.Time{}, nil
}

// ParseYuan reads an amount typed in yuan as fen.
func ParseYuan(s string) (int64, bool) { return zhifa.ParseYuan(s) }

// penalties reads a proposal or decision form.
func (in *ActionInput) penalties(today time.Time) ([]Penalty, error) {
	fe := zhifa.FieldErrors{}
	var out []Penalty
	if in.Warning {
		out = append(out, Penalty{Kind: workflow.KindWarning})
	}
	if strings.TrimSpace(in.AmountYuan) != "" {
		fen, ok := ParseYuan(in.AmountYuan)
		fe.Check(ok && fen > 0, "amount", "罚款金额应为大于0的数字，单位元，最多两位小数。")
		if ok && fen > 0 {
			out = append(out, Penalty{Kind: workflow.KindFine, AmountFen: fen})
		}
	}
	for _, k := range []struct{ kind, v string }{{workflow.KindConfiscation, in.Confiscation},
		{workflow.KindSuspension, in.Suspension}, {workflow.KindRevocation, in.Revocation}, {workflow.KindOther, in.Other}} {
		if v := strings.TrimSpace(k.v); v != "" {
			out = append(out, Penalty{Kind: k.kind, Note: v})
		}
	}
	if m := strings.TrimSpace(in.OrderMeasure); m != "" {
		due, ok := parseDate(in.OrderDue)
		fe.Check(ok && !due.Before(today), "order_due", "请填写责令改正的期限（格式：2025-05-31，不早于今天）。")
		out = append(out, Penalty{Kind: workflow.KindOrder, Measure: m, DueOn: due.Format(time.DateOnly)})
	}
	fe.Check(len(out) > 0, "amount", "请至少填写一项处罚内容（警告、罚款、没收、责令改正等）。")
	return out, fe.Err()
}

// KindsOf lists the kinds of penalty in ps other than fines and orders to
// correct, for the check against the item's legal basis.
func KindsOf(ps []Penalty) []string {
	var out []string
	for _, p := range ps {
		if p.Kind != workflow.KindFine && p.Kind != workflow.KindOrder {
			out = append(out, p.Kind)
		}
	}
	return out
}

// DescribePenalties writes penalties in one line.
func DescribePenalties(ps []Penalty) string {
	var parts []string
	for _, p := range ps {
		switch p.Kind {
		case workflow.KindWarning:
			parts = append(parts, "警告")
		case workflow.KindFine:
			parts = append(parts, "罚款"+Yuan(p.AmountFen))
		case workflow.KindConfiscation:
			parts = append(parts, "没收："+p.Note)
		case workflow.KindSuspension:
			parts = append(parts, "暂扣或停产停业："+p.Note)
		case workflow.KindRevocation:
			parts = append(parts, "吊销："+p.Note)
		case workflow.KindOrder:
			parts = append(parts, "责令改正："+p.Measure+"（"+p.DueOn+"前）")
		default:
			parts = append(parts, p.Note)
		}
	}
	return strings.Join(parts, "；")
}

// Choice is a transition the actor could take from the case's state, with
// what is still missing before it is allowed.
type Choice struct {
	workflow.Transition
	Missing []string
}

// choices lists the transitions open to the actor in the case's state and
// procedure, each with its unmet preconditions, for the case page.
func (s *Service) choices(ctx context.Context, tx pgx.Tx, c *Case, a *zhifa.Actor, today time.Time, r Rules, cal deadline.Calendar) ([]Choice, error) {
	if a == nil || c.SuspendedSince != nil || c.State.Terminal() && c.State != workflow.Closed {
		return nil, nil
	}
	e, err := loadEnv(ctx, tx, c, a, today)
	if err != nil {
		return nil, err
	}
	org := c.PartyKind == "org"
	c.ItemRange = e.penalties.Describe(&org)
	f := c.facts(a, today, r, cal, e)
	// What the form itself supplies (the decision's content, the checklist,
	// the dates, the reason) is assumed given, so the page lists only the
	// other preconditions; the server checks them all on submit.
	f.Decision = Sanctions(c.ReviewedPenalties)
	if c.Procedure == workflow.Summary || len(f.Decision) == 0 {
		f.Decision = []workflow.Sanction{{Kind: workflow.KindWarning}}
	}
	f.DecisionOutOfRange = ""
	// The hearing request carries the day the party made it, which may lie
	// inside the window even when it is keyed in after the window closed.
	f.ChecklistDone, f.Opinion, f.SpotTold, f.HearingRequestInTime, f.ServiceProof = true, "-", true, true, true
	f.Reason, f.ReceivingBody, f.NoPenaltyKind, f.Education = "-", "-", workflow.NoPenaltyNotEstablished, "-"
	var out []Choice
	for _, t := range workflow.Transitions {
		if t.FromState(c.State) && t.AppliesTo(c.Procedure) && t.Allows(a.Role) {
			out = append(out, Choice{Transition: t, Missing: t.Missing(f)})
		}
	}
	return out, nil
}
