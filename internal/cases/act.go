package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/authority"
	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// ActionInput is what an action form on the case page sends.
type ActionInput struct {
	Version       int    // the version the user saw: a later change is a conflict
	Action        string // a workflow action or a step (see Steps)
	Reason        string
	ReceivingBody string
	Date          string // the day something happened (service, payment...); default today
	Method        string // service method
	Text          string // opinion, statement, facts summary, remedy note
	AmountYuan    string // fine in a notice or decision, or a payment
	ReceiptNo     string
	Warning       bool
	OrderMeasure  string // 责令改正: what to do
	OrderDue      string
	Confiscation  string
	HeavyPenalty  bool // the notice includes confiscation of a large amount, licence revocation or closure (hearing right)
	StatementID   int64
	RemedyKind    string
	RemedyID      int64
	Outcome       string // upheld, corrected, withdrawn
	PartyWaives   bool
	// Corrections of the party and the place (update_party).
	PartyName, PartyIDNumber, PartyPhone, PartyAddress, PartyLegalRep, PlaceVillage, PlaceAddress string
}

// Step is an action on a case that records something without changing its
// state (serving a notice, a payment...).
type Step struct {
	Name   string
	Label  string
	States []workflow.State
	Roles  []zhifa.Role
}

var preDecision = []workflow.State{workflow.Filed, workflow.Investigating, workflow.Review, workflow.Notice, workflow.Hearing, workflow.Discussion}
var field = []zhifa.Role{zhifa.RoleOfficer, zhifa.RoleLeader}
var leaderOnly = []zhifa.Role{zhifa.RoleLeader}

// Steps lists the recording actions, where and by whom they may be taken.
var Steps = []Step{
	{"update_facts", "保存调查情况", []workflow.State{workflow.Lead, workflow.Filed, workflow.Investigating}, field},
	// Before the notice is served the party's details can be corrected;
	// after it, documents carry them and a correction is a new notice.
	{"update_party", "更正当事人和地点", []workflow.State{workflow.Lead, workflow.Filed, workflow.Investigating}, field},
	{"serve_notice", "送达事先告知书", []workflow.State{workflow.Notice}, field},
	{"waive_statement", "当事人放弃陈述申辩", []workflow.State{workflow.Notice}, field},
	{"add_statement", "记录陈述申辩", []workflow.State{workflow.Notice, workflow.Hearing, workflow.Discussion}, field},
	{"recheck_statement", "复核陈述申辩", []workflow.State{workflow.Notice, workflow.Hearing, workflow.Discussion}, field},
	{"hold_hearing", "记录听证举行", []workflow.State{workflow.Hearing}, field},
	{"suspend", "中止案件", preDecision, leaderOnly},
	{"resume", "恢复案件", preDecision, leaderOnly},
	{"extend", "批准延长办案期限", preDecision, leaderOnly},
	{"add_payment", "登记罚款缴纳", []workflow.State{workflow.Served, workflow.Executing}, field},
	{"order_done", "确认责令改正已履行", []workflow.State{workflow.Served, workflow.Executing}, field},
	{"apply_enforcement", "申请法院强制执行", []workflow.State{workflow.Executing}, leaderOnly},
	{"add_remedy", "登记复议或诉讼", []workflow.State{workflow.Decided, workflow.Served, workflow.Executing, workflow.Closed, workflow.Archived}, field},
	{"remedy_outcome", "登记复议或诉讼结果", []workflow.State{workflow.Decided, workflow.Served, workflow.Executing, workflow.Closed, workflow.Archived}, field},
}

// FindStep returns the step called name, or nil.
func FindStep(name string) *Step {
	for i := range Steps {
		if Steps[i].Name == name {
			return &Steps[i]
		}
	}
	return nil
}

// StepAllowed reports whether the actor may take step st on c now: the
// state and role fit, and there is something for the step to act on.
func StepAllowed(st *Step, c *Case, a *zhifa.Actor) bool {
	if !slices.Contains(st.States, c.State) || !slices.Contains(st.Roles, a.Role) {
		return false
	}
	if c.SuspendedSince != nil {
		return st.Name == "resume"
	}
	switch st.Name {
	case "resume":
		return false
	case "waive_statement":
		return c.NoticeServedOn != nil && !c.StatementWaived
	case "recheck_statement":
		return slices.ContainsFunc(c.Statements, func(s Statement) bool { return s.RecheckedOn == nil })
	case "add_payment":
		return c.FineFen > c.PaidFen
	case "order_done":
		return c.HasOrder && c.OrderDoneOn == nil
	case "apply_enforcement":
		return c.EnforcementOn == nil
	case "remedy_outcome":
		return slices.ContainsFunc(c.Remedies, func(r Remedy) bool { return r.Outcome == "pending" })
	}
	return true
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
		if st := FindStep(in.Action); st != nil {
			if !StepAllowed(st, c, a) {
				if c.SuspendedSince != nil && st.Name != "resume" {
					return zhifa.Errorf(zhifa.ECONFLICT, "案件已中止，请先恢复。")
				}
				return zhifa.Errorf(zhifa.EFORBIDDEN, "当前（%s）不能进行“%s”，或您的角色无权进行此操作。", c.State.Label(), st.Label)
			}
			msg, err = s.step(ctx, tx, a, c, st, in, today, r, cal)
		} else {
			msg, err = s.transition(ctx, tx, a, c, workflow.Action(in.Action), in, today, r, cal)
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

func (s *Service) transition(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, c *Case, act workflow.Action, in ActionInput,
	today time.Time, r Rules, cal deadline.Calendar) (string, error) {
	f, err := s.factsFor(ctx, tx, c, a, today, r, cal)
	if err != nil {
		return "", err
	}
	f.Reason, f.ReceivingBody = strings.TrimSpace(in.Reason), strings.TrimSpace(in.ReceivingBody)
	var penalties []Penalty
	if act == workflow.ActDecide {
		penalties, err = in.penalties()
		if err != nil {
			return "", err
		}
		for _, p := range penalties {
			switch p.Kind {
			case "warning":
				f.DecisionWarning = true
			case "fine":
				f.DecisionFineFen += p.AmountFen
			case "order":
			default:
				f.DecisionOther = true
			}
		}
	}
	t, err := workflow.Check(f, act)
	if err != nil {
		return "", err
	}
	date := today.Format(time.DateOnly)
	var q string
	var args []any
	switch act {
	case workflow.ActFile:
		return "已立案。", fileCase(ctx, tx, a, c.ID, c.TownID, today, s.Clock())
	case workflow.ActSubmitReview:
		q, args = `review_submitted_on = $2`, []any{date}
	case workflow.ActPassReview:
		q, args = `reviewed_by = $2, reviewed_on = $3, review_opinion = $4`, []any{a.UserID, date, strings.TrimSpace(in.Text)}
	case workflow.ActReturnReview:
		q, args = `review_submitted_on = NULL, review_opinion = $2`, []any{f.Reason}
	case workflow.ActRequestHearing:
		q, args = `hearing_requested_on = $2`, []any{date}
	case workflow.ActDecide:
		b, _ := json.Marshal(penalties)
		hasOrder := slices.ContainsFunc(penalties, func(p Penalty) bool { return p.Kind == "order" })
		// The legal basis is the item's, as listed on the filing date.
		q, args = `decided_on = $2, decided_by = $3, penalties = $4, fine_fen = $5, has_order = $6,
			decision_basis = coalesce((SELECT li.penalty_basis FROM list_version_items li
				WHERE li.version_id = list_version_on(cases.town_id, cases.filed_on) AND li.item_id = cases.item_id), '')`,
			[]any{date, a.UserID, b, f.DecisionFineFen, hasOrder}
		if c.Procedure == workflow.Summary {
			// 当场处罚: handed over at once.
			q += `, decision_served_on = $2, service_method = '当场交付'`
		}
	case workflow.ActServe:
		served, ok := parseDate(in.Date)
		if !ok || served.After(today) || (c.DecidedOn != nil && served.Before(*c.DecidedOn)) {
			return "", zhifa.FieldErrors{"date": "请填写送达日期：不早于决定日期，不晚于今天。"}
		}
		if strings.TrimSpace(in.Method) == "" {
			return "", zhifa.FieldErrors{"method": "请选择送达方式。"}
		}
		q, args = `decision_served_on = $2, service_method = $3`, []any{served.Format(time.DateOnly), strings.TrimSpace(in.Method)}
	case workflow.ActClose:
		q, args = `closed_on = $2`, []any{date}
	case workflow.ActRefuseFiling, workflow.ActNoPenalty, workflow.ActRevoke:
		q, args = `outcome_reason = $2, closed_on = $3`, []any{f.Reason, date}
	case workflow.ActTransfer:
		q, args = `transfer_body = $2, outcome_reason = $3, closed_on = $4`, []any{f.ReceivingBody, f.Reason, date}
	}
	set := "state = $1"
	if q != "" {
		// renumber the placeholders after $1 (the state)
		set += ", " + q
	}
	_, err = tx.Exec(ctx, `UPDATE cases SET `+set+` WHERE id = $`+strconv.Itoa(len(args)+2), append(append([]any{string(t.To)}, args...), c.ID)...)
	if err != nil {
		return "", err
	}
	summary := t.Label
	if act == workflow.ActDecide {
		summary += "：" + DescribePenalties(penalties)
	}
	if f.ReceivingBody != "" {
		summary += "，移送" + f.ReceivingBody
	}
	if err := addEvent(ctx, tx, a, c.ID, c.TownID, s.Clock(), string(act), string(c.State), string(t.To), summary, f.Reason); err != nil {
		return "", err
	}
	return "已" + t.Label + "，案件进入“" + t.To.Label() + "”。", nil
}

// factsFor gathers what the workflow reads: the case's own facts, plus the
// certificates of its officers and its item's list on the filing date (or
// today, for a lead about to be filed).
func (s *Service) factsFor(ctx context.Context, tx pgx.Tx, c *Case, a *zhifa.Actor, today time.Time, r Rules, cal deadline.Calendar) (*workflow.Facts, error) {
	day := today
	if c.FiledOn != nil {
		day = *c.FiledOn
	}
	valid, err := countValidCerts(ctx, tx, c, day)
	if err != nil {
		return nil, err
	}
	inForce, err := authority.InForce(ctx, tx, c.TownID, c.ItemID, day)
	if err != nil {
		return nil, err
	}
	return c.facts(a, today, r, cal, inForce, valid), nil
}

func countValidCerts(ctx context.Context, tx pgx.Tx, c *Case, day time.Time) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM case_officers o JOIN users u ON u.id = o.user_id AND u.active
		JOIN certificates ce ON ce.user_id = o.user_id AND ce.valid_from <= $2 AND ce.valid_until >= $2
		WHERE o.case_id = $1`, c.ID, day.Format(time.DateOnly)).Scan(&n)
	return n, err
}

// ParseYuan reads an amount typed in yuan as fen.
func ParseYuan(s string) (int64, bool) { return zhifa.ParseYuan(s) }

// penalties reads the decision form.
func (in *ActionInput) penalties() ([]Penalty, error) {
	fe := zhifa.FieldErrors{}
	var out []Penalty
	if in.Warning {
		out = append(out, Penalty{Kind: "warning"})
	}
	if strings.TrimSpace(in.AmountYuan) != "" {
		fen, ok := ParseYuan(in.AmountYuan)
		fe.Check(ok && fen > 0, "amount", "罚款金额应为大于0的数字，单位元，最多两位小数。")
		if ok && fen > 0 {
			out = append(out, Penalty{Kind: "fine", AmountFen: fen})
		}
	}
	if c := strings.TrimSpace(in.Confiscation); c != "" {
		out = append(out, Penalty{Kind: "confiscation", Note: c})
	}
	if m := strings.TrimSpace(in.OrderMeasure); m != "" {
		due, ok := parseDate(in.OrderDue)
		fe.Check(ok, "order_due", "请填写责令改正的期限（格式：2025-05-31）。")
		out = append(out, Penalty{Kind: "order", Measure: m, DueOn: due.Format(time.DateOnly)})
	}
	fe.Check(len(out) > 0, "amount", "请至少填写一项处罚内容（警告、罚款、没收或责令改正）。")
	return out, fe.Err()
}

// DescribePenalties writes a decision's penalties in one line.
func DescribePenalties(ps []Penalty) string {
	var parts []string
	for _, p := range ps {
		switch p.Kind {
		case "warning":
			parts = append(parts, "警告")
		case "fine":
			parts = append(parts, "罚款"+Yuan(p.AmountFen))
		case "confiscation":
			parts = append(parts, "没收："+p.Note)
		case "order":
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
	f, err := s.factsFor(ctx, tx, c, a, today, r, cal)
	if err != nil {
		return nil, err
	}
	// The decision's content is typed in its form: assume one within the
	// notice so the page shows only the other preconditions.
	f.DecisionWarning, f.DecisionFineFen = true, 0
	var out []Choice
	for _, t := range workflow.Transitions {
		if t.FromState(c.State) && t.AppliesTo(c.Procedure) && t.Allows(a.Role) {
			out = append(out, Choice{Transition: t, Missing: t.Missing(f)})
		}
	}
	return out, nil
}
