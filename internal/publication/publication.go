// Package publication publishes penalty decisions (行政处罚决定公示, APL
// art. 48): which decisions are due, by when (a setting in working days),
// the redacted text the officer previews and publishes (redact.go), the
// decision not to publish with its ground, the withdrawal of a decision
// changed or revoked on reconsideration, in court or by the town itself
// (within three working days), and the public pages' reads (public.go).
//
// Which decisions: every general-procedure decision that imposes a
// penalty is due for publication within the period after it is made,
// unless the 队长 or the 镇负责人 records a ground not to publish it (no
// social impact, APL art. 48; a state secret or a third party's rights,
// 政府信息公开条例 arts. 14–15; another law). Summary-procedure decisions
// (a warning or a small fine handed over on the spot) and 不予处罚 are not
// published; nor is a decision on a party who was a minor at the time of
// the act (未成年人保护法 art. 103), nor one already changed or revoked.
package publication

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/deadline"
	"zhifa/internal/refcache"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// SettingWorkingDays is the procedure setting (procedure_settings, kept by
// the county administrator at /settings) of the period to publish a
// decision, in working days from the day it was made.
const SettingWorkingDays = "publication_working_days"

// DefaultWorkingDays is the setting's default (practice: 7 working days).
const DefaultWorkingDays = 7

// WithdrawWorkingDays is the period to withdraw a publication after the
// decision was changed or revoked: APL art. 48 ¶2 says 三日, working days by
// art. 85. The law fixes it, so it is no setting.
const WithdrawWorkingDays = 3

// DueSoonDays: a period with this many calendar days or fewer left is due
// soon.
const DueSoonDays = 2

// Kind is what a record says: published, or not to be.
type Kind string

const (
	KindPublished Kind = "published" // 已公示
	KindExempt    Kind = "exempt"    // 不予公开
)

// Ground is why a decision is not published.
type Ground string

const (
	GroundNoImpact    Ground = "no_impact"    // 不具有一定社会影响 (APL art. 48 ¶1)
	GroundStateSecret Ground = "state_secret" // 国家秘密、公共安全 (政府信息公开条例第十四条)
	GroundThirdParty  Ground = "third_party"  // 商业秘密、个人隐私 (第十五条)
	GroundOtherLaw    Ground = "other_law"    // 法律、行政法规规定的其他情形
)

// GroundOption is a ground with its label.
type GroundOption struct {
	Ground Ground
	Label  string
}

// Grounds label the grounds, in the form's order.
var Grounds = []GroundOption{
	{GroundNoImpact, "不具有一定社会影响（行政处罚法第四十八条第一款）"},
	{GroundStateSecret, "涉及国家秘密，或公开后可能危及国家安全、公共安全、经济安全、社会稳定（政府信息公开条例第十四条）"},
	{GroundThirdParty, "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害（政府信息公开条例第十五条）"},
	{GroundOtherLaw, "法律、行政法规规定不予公开的其他情形"},
}

// Label names the ground.
func (g Ground) Label() string {
	for _, x := range Grounds {
		if x.Ground == g {
			return x.Label
		}
	}
	return string(g)
}

// Record is a row of publications: a publication (standing or withdrawn)
// or a decision not to publish.
type Record struct {
	ID              int64      `db:"id"`
	Kind            Kind       `db:"kind"`
	DocumentID      *int64     `db:"document_id"`
	DecidedOn       time.Time  `db:"decided_on"`
	DueOn           time.Time  `db:"due_on"`
	OnDate          time.Time  `db:"on_date"`
	ActorName       string     `db:"actor_name"`
	Ground          Ground     `db:"ground"`
	Reason          string     `db:"reason"`
	Body            *string    `db:"body"`
	ExtraNames      string     `db:"extra_names"`
	WithdrawnOn     *time.Time `db:"withdrawn_on"`
	WithdrawnByName string     `db:"withdrawn_by_name"`
	WithdrawReason  string     `db:"withdraw_reason"`
}

// Decision is the issued 行政处罚决定书 a publication is made from: the
// latest of the case, not replaced.
type Decision struct {
	ID       int64     `db:"id"`
	Number   string    `db:"number"`
	IssuedOn time.Time `db:"issued_on"`
	HTML     string    `db:"html"`
}

// Correction is what changed or revoked the decision: a reconsideration
// or lawsuit that corrected it, or the town's own answer to a correction
// task (撤销原决定, 重新作出决定).
type Correction struct {
	On   time.Time `db:"on_date"`
	What string    `db:"what"`
}

// Facts are what the rule reads; Compute is pure.
type Facts struct {
	Today       time.Time
	Applies     bool   // a general-procedure decision imposing a penalty
	NotApplies  string // why not, when it does not
	Minor       bool   // the party was under 18 at the time of the act
	DecidedOn   time.Time
	Period      int // working days (the setting)
	Calendar    deadline.Calendar
	Document    *Decision
	Records     []Record
	Corrections []Correction
}

// Status is a case's publication as its pages show it.
type Status struct {
	Applies    bool
	NotApplies string // why the case has nothing to publish
	// NotDue says why an applicable decision is not to be published ("" when it is).
	NotDue    string
	DecidedOn time.Time
	Period    int
	DueOn     time.Time       // the last day to publish
	Due       deadline.Status // publishing: running, due_soon, overdue, met, missed
	DaysLeft  int
	Document  *Decision
	Standing  *Record  // the publication or the decision not to publish, nil when none
	Withdrawn []Record // publications withdrawn, oldest first
	// Correction is the change that calls for the standing publication's
	// withdrawal, with its period.
	Correction    *Correction
	WithdrawDueOn time.Time
	WithdrawDue   deadline.Status
	WithdrawLeft  int
	// What the actor may do (set by the service).
	CanPublish, CanExempt, CanWithdraw bool
}

// Published reports whether the decision stands published.
func (st *Status) Published() bool { return st.Standing != nil && st.Standing.Kind == KindPublished }

// Exempt reports whether it was decided not to publish it.
func (st *Status) Exempt() bool { return st.Standing != nil && st.Standing.Kind == KindExempt }

// ToPublish reports whether the decision waits to be published.
func (st *Status) ToPublish() bool { return st.Applies && st.NotDue == "" && st.Standing == nil }

// ToWithdraw reports whether the standing publication must be withdrawn.
func (st *Status) ToWithdraw() bool { return st.Published() && st.Correction != nil }

// Overdue reports whether a publication or a withdrawal is late today.
func (st *Status) Overdue() bool {
	return (st.ToPublish() && st.Due == deadline.Overdue) || (st.ToWithdraw() && st.WithdrawDue == deadline.Overdue)
}

// Compute applies the rule to the facts.
func Compute(f Facts) *Status {
	st := &Status{Applies: f.Applies, NotApplies: f.NotApplies, DecidedOn: f.DecidedOn, Period: f.Period, Document: f.Document}
	if !f.Applies {
		return st
	}
	if st.Period <= 0 {
		st.Period = DefaultWorkingDays
	}
	st.DueOn = f.Calendar.AddWorkdays(f.DecidedOn, st.Period)
	for i := range f.Records {
		r := f.Records[i]
		if r.WithdrawnOn != nil {
			st.Withdrawn = append(st.Withdrawn, r)
		} else {
			st.Standing = &r
		}
	}
	// A change counts against the decision document it came after (a
	// decision made anew is a new document), or before any is issued
	// against the decision itself.
	since := f.DecidedOn
	if f.Document != nil {
		since = f.Document.IssuedOn
	}
	for i := range f.Corrections {
		if c := f.Corrections[i]; !c.On.Before(since) {
			st.Correction = &c
			break
		}
	}
	switch {
	case f.Minor:
		st.NotDue = "当事人违法时未满十八周岁，其姓名、住所等可能识别其身份的信息依法不得披露（未成年人保护法第一百零三条），本决定不予公示。"
	case st.Correction != nil && !st.Published():
		st.NotDue = fmt.Sprintf("本决定已于%s被变更或撤销（%s），不再公示。", st.Correction.On.Format("2006年1月2日"), st.Correction.What)
	}
	switch {
	case st.Standing != nil:
		st.Due = deadline.Met
		if st.Standing.OnDate.After(st.DueOn) {
			st.Due = deadline.Missed
		}
	case st.NotDue == "":
		st.Due, st.DaysLeft = clock(f.Today, st.DueOn)
	}
	if st.ToWithdraw() {
		st.WithdrawDueOn = f.Calendar.AddWorkdays(st.Correction.On, WithdrawWorkingDays)
		st.WithdrawDue, st.WithdrawLeft = clock(f.Today, st.WithdrawDueOn)
	}
	return st
}

// clock is where a period ending on due stands today.
func clock(today, due time.Time) (deadline.Status, int) {
	left := int(deadline.Day(due).Sub(deadline.Day(today)).Hours() / 24)
	switch {
	case left < 0:
		return deadline.Overdue, left
	case left <= DueSoonDays:
		return deadline.DueSoon, left
	}
	return deadline.Running, left
}

// Service reads and writes the publications.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
	Ref   *refcache.Cache // the holiday calendar; nil reads it each time
}

// decidedStates are the states of a case whose penalty decision stands.
var decidedStates = []workflow.State{workflow.Decided, workflow.Served, workflow.Executing, workflow.Closed, workflow.Archived}

// applies says whether the case has a decision the rule publishes, and
// why not.
func applies(c *cases.Case) (bool, string) {
	switch {
	case c.DecidedOn == nil || !slices.Contains(decidedStates, c.State):
		return false, "本案尚未作出行政处罚决定。"
	case c.Procedure != workflow.General:
		return false, "简易程序当场作出的处罚决定不在公示范围内。"
	}
	return true, ""
}

// ForCase is the case's publication status, for the actor in ctx.
func (s *Service) ForCase(ctx context.Context, c *cases.Case) (*Status, error) {
	var st *Status
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		st, err = s.status(ctx, tx, c)
		return err
	})
	if err != nil {
		return nil, zhifa.Annotate(err, fmt.Sprintf("publication of case %d", c.ID))
	}
	return st, nil
}

// status reads the facts in tx and computes.
func (s *Service) status(ctx context.Context, tx pgx.Tx, c *cases.Case) (*Status, error) {
	f := Facts{Today: s.Clock.Today()}
	f.Applies, f.NotApplies = applies(c)
	if !f.Applies {
		return Compute(f), nil
	}
	f.DecidedOn = *c.DecidedOn
	_, f.Minor = c.MinorAge()
	f.Period = DefaultWorkingDays
	b := &pgx.Batch{}
	b.Queue(`SELECT coalesce((SELECT value FROM procedure_settings WHERE key = $1
			AND (domain_id IS NULL OR domain_id = (SELECT domain_id FROM catalogue_items WHERE id = $2))
			ORDER BY domain_id NULLS LAST LIMIT 1), $3)::int`, SettingWorkingDays, c.ItemID, DefaultWorkingDays).
		QueryRow(func(row pgx.Row) error { return row.Scan(&f.Period) })
	b.Queue(`SELECT d.id, coalesce(d.number, '') AS number, d.issued_on, d.html FROM documents d
			WHERE d.case_id = $1 AND d.kind = 'decision' AND NOT EXISTS (SELECT FROM documents n WHERE n.supersedes = d.id)
			ORDER BY d.id DESC LIMIT 1`, c.ID).Query(func(rows pgx.Rows) error {
		d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Decision])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		f.Document = d
		return err
	})
	b.Queue(`SELECT id, kind, document_id, decided_on, due_on, on_date, actor_name, ground, reason, body, extra_names,
			withdrawn_on, withdrawn_by_name, withdraw_reason
			FROM publications WHERE case_id = $1 ORDER BY id`, c.ID).Query(func(rows pgx.Rows) error {
		var err error
		f.Records, err = pgx.CollectRows(rows, pgx.RowToStructByName[Record])
		return err
	})
	b.Queue(`SELECT decided_on AS on_date, CASE kind WHEN 'litigation' THEN '行政诉讼败诉' ELSE '行政复议纠错' END AS what
			FROM case_remedies WHERE case_id = $1 AND outcome = 'corrected' AND decided_on IS NOT NULL
			UNION ALL
			SELECT e.on_date, CASE e.answer_kind WHEN 'withdrawal' THEN '撤销原决定' ELSE '重新作出决定' END
			FROM correction_events e JOIN corrections k ON k.id = e.correction_id
			WHERE k.case_id = $1 AND e.kind = 'answer' AND e.answer_kind IN ('withdrawal', 'new_decision')
			ORDER BY 1`, c.ID).Query(func(rows pgx.Rows) error {
		var err error
		f.Corrections, err = pgx.CollectRows(rows, pgx.RowToStructByName[Correction])
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	cal, err := refcache.Get(ctx, s.Ref, refcache.Holidays, "", func() (deadline.Calendar, error) { return loadCalendar(ctx, tx) })
	if err != nil {
		return nil, err
	}
	f.Calendar = cal
	normalise(&f)
	st := Compute(f)
	a := zhifa.ActorFrom(ctx)
	st.CanPublish = st.ToPublish() && st.Document != nil && mayPublish(a, c)
	st.CanExempt = st.ToPublish() && mayExempt(a, c)
	st.CanWithdraw = st.Published() && mayPublish(a, c)
	return st, nil
}

// normalise reads the dates as local dates.
func normalise(f *Facts) {
	if f.Document != nil {
		f.Document.IssuedOn = deadline.Day(f.Document.IssuedOn)
	}
	for i := range f.Records {
		r := &f.Records[i]
		r.DecidedOn, r.DueOn, r.OnDate = deadline.Day(r.DecidedOn), deadline.Day(r.DueOn), deadline.Day(r.OnDate)
		if r.WithdrawnOn != nil {
			d := deadline.Day(*r.WithdrawnOn)
			r.WithdrawnOn = &d
		}
	}
	for i := range f.Corrections {
		f.Corrections[i].On = deadline.Day(f.Corrections[i].On)
	}
	f.DecidedOn = deadline.Day(f.DecidedOn)
}

// loadCalendar reads the holidays and adjusted working days.
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
	return cal, err
}

// mayPublish: the case's own handlers, the town's 队长 and 镇负责人.
func mayPublish(a *zhifa.Actor, c *cases.Case) bool {
	if a == nil || a.TownID != c.TownID {
		return false
	}
	switch a.Role {
	case zhifa.RoleLeader, zhifa.RoleHead:
		return true
	case zhifa.RoleOfficer:
		return c.Handles(a.UserID)
	}
	return false
}

// mayExempt: not publishing is the 队长's or the 镇负责人's decision.
func mayExempt(a *zhifa.Actor, c *cases.Case) bool {
	return a != nil && a.TownID == c.TownID && (a.Role == zhifa.RoleLeader || a.Role == zhifa.RoleHead)
}

// Draft is a publication as it will be shown: the public fields, redacted.
type Draft struct {
	DocumentID int64
	DocNumber  string
	Party      string
	Item       string
	Penalty    string
	Authority  string
	DecidedOn  time.Time
	Body       string   // the decision's text, a line per paragraph
	ExtraNames []string // names the officer added to the rule
	SHA256     string   // of the fields above: what the officer previewed
}

// Lines are the body's paragraphs.
func (d *Draft) Lines() []string { return strings.Split(d.Body, "\n") }

// MaxExtraNames bounds the names an officer adds.
const MaxExtraNames = 20

// ParseNames reads the officer's extra names: one per line, or separated
// by 、，, or spaces.
func ParseNames(s string) ([]string, error) {
	f := func(r rune) bool { return strings.ContainsRune("\n\r\t 、，,；;　", r) }
	var out []string
	for _, n := range strings.FieldsFunc(s, f) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	fe := zhifa.FieldErrors{}
	for _, n := range out {
		if k := utf8.RuneCountInString(n); k < 2 || k > 20 {
			fe.Add("extra_names", fmt.Sprintf("“%s”不像一个姓名：每个姓名2至20个字，多个姓名用顿号或换行分开。", n))
		}
	}
	fe.Check(len(out) <= MaxExtraNames, "extra_names", fmt.Sprintf("最多补充%d个姓名。", MaxExtraNames))
	return out, fe.Err()
}

// known is what the case knows, for the rule.
func known(c *cases.Case, extra []string) Known {
	var k Known
	if c.PartyKind == "org" {
		k.Orgs = append(k.Orgs, c.PartyName)
		k.People = append(k.People, c.PartyLegalRep)
	} else {
		k.People = append(k.People, c.PartyName)
		k.Remove = append(k.Remove, c.PartyIDNumber, c.PartyAddress)
	}
	k.Remove = append(k.Remove, c.PartyPhone)
	// Other people the record names: the party's agents at the hearing,
	// the witnesses of a seizure, where they are bare names.
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,；; ", r) })
	}
	others := split(c.HearingAgents)
	for _, p := range c.Preservations {
		others = append(others, split(p.Witness)...)
	}
	for _, n := range others {
		if bareName(n) {
			k.People = append(k.People, n)
		}
	}
	k.People = append(k.People, extra...)
	return k
}

// bareName reports whether s is a name and nothing else (李四, not
// 村委会主任李四, which the rule cannot cut).
func bareName(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && r != '·' {
			return false
		}
		n++
	}
	return n >= 2 && (n <= 4 || strings.Contains(s, "·"))
}

// PartyShown is the party as published: an organisation in full, an
// individual by surname + 某.
func PartyShown(c *cases.Case) string {
	if c.PartyKind == "org" {
		return c.PartyName
	}
	return MaskName(c.PartyName)
}

// Build makes the publication of the case's decision document.
func Build(c *cases.Case, doc *Decision, authority string, extra []string) *Draft {
	k := known(c, extra)
	d := &Draft{DocumentID: doc.ID, DocNumber: doc.Number, Party: Redact(PartyShown(c), k), Item: Redact(c.ItemName, k),
		Penalty: Redact(cases.DescribePenalties(c.Penalties), k), Authority: authority, DecidedOn: deadline.Day(*c.DecidedOn),
		Body: Redact(strings.Join(Paragraphs(doc.HTML), "\n"), k), ExtraNames: extra}
	h := sha256.New()
	for _, f := range []string{d.DocNumber, d.Party, d.Item, d.Penalty, d.Authority, d.DecidedOn.Format(time.DateOnly), d.Body} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	return d
}

// authorityOf is the town's full name as the decision names it (实施主体).
func authorityOf(ctx context.Context, tx pgx.Tx, townID int64) (string, error) {
	var name string
	err := tx.QueryRow(ctx, `SELECT government_name FROM towns WHERE id = $1`, townID).Scan(&name)
	return name, err
}

// Preview is the publication of the case's decision as it would be
// published now, with the officer's extra names.
func (s *Service) Preview(ctx context.Context, c *cases.Case, st *Status, extra []string) (*Draft, error) {
	if st.Document == nil {
		return nil, nil
	}
	var d *Draft
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		authority, err := authorityOf(ctx, tx, c.TownID)
		d = Build(c, st.Document, authority, extra)
		return err
	})
	return d, zhifa.Annotate(err, "publication preview")
}

// PublishInput is the officer's publish form.
type PublishInput struct {
	ExtraNames string
	Preview    string // the SHA-256 of the draft the officer saw
}

// Publish publishes the case's decision as previewed, in one transaction:
// the record, the public row and the timeline entry. It returns the
// public row's id.
func (s *Service) Publish(ctx context.Context, caseID int64, in PublishInput) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	today := s.Clock.Today()
	var id int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, st, err := s.locked(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !mayPublish(a, c) {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "只有本案的承办人员、队长或镇负责人可以公示处罚决定。")
		}
		if err := publishable(st); err != nil {
			return err
		}
		extra, err := ParseNames(in.ExtraNames)
		if err != nil {
			return err
		}
		authority, err := authorityOf(ctx, tx, c.TownID)
		if err != nil {
			return err
		}
		d := Build(c, st.Document, authority, extra)
		if in.Preview != d.SHA256 {
			return zhifa.Errorf(zhifa.ECONFLICT, "公示内容与您预览的不一致（补充的姓名、案件或决定书已有变动），没有公示。请核对下方重新生成的预览后再公示。")
		}
		err = tx.QueryRow(ctx, `INSERT INTO publications (case_id, town_id, kind, document_id, decided_on, due_on, on_date,
				actor_id, actor_name, body, sha256, extra_names)
			VALUES ($1, $2, 'published', $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			c.ID, c.TownID, d.DocumentID, d.DecidedOn.Format(time.DateOnly), st.DueOn.Format(time.DateOnly),
			today.Format(time.DateOnly), a.UserID, a.DisplayName, d.Body, d.SHA256, strings.Join(extra, "、")).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert publication: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO public_decisions (id, town_id, doc_number, party, item, penalty, authority,
				decided_on, published_on, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id, c.TownID, d.DocNumber, d.Party, d.Item, d.Penalty, d.Authority, d.DecidedOn.Format(time.DateOnly),
			today.Format(time.DateOnly), d.Body); err != nil {
			return fmt.Errorf("insert public decision: %w", err)
		}
		late := ""
		if today.After(st.DueOn) {
			late = fmt.Sprintf("（公示期限%s已过）", st.DueOn.Format("2006年1月2日"))
		}
		return cases.AddEvent(ctx, tx, a, c, s.Clock(), "publish_decision", "公示《行政处罚决定书》（"+d.DocNumber+"）"+late, time.Time{})
	})
	return id, zhifa.Annotate(err, fmt.Sprintf("publish case %d", caseID))
}

// locked reads the case, locked, and its status in tx.
func (s *Service) locked(ctx context.Context, tx pgx.Tx, caseID int64) (*cases.Case, *Status, error) {
	c, _, err := cases.Load(ctx, tx, caseID, s.Clock.Today(), true)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.status(ctx, tx, c)
	return c, st, err
}

// publishable says why the decision cannot be published now.
func publishable(st *Status) error {
	switch {
	case !st.Applies:
		return zhifa.Errorf(zhifa.ECONFLICT, "%s", st.NotApplies)
	case st.NotDue != "":
		return zhifa.Errorf(zhifa.ECONFLICT, "%s", st.NotDue)
	case st.Published():
		return zhifa.Errorf(zhifa.ECONFLICT, "本决定已于%s公示，不能重复公示。", st.Standing.OnDate.Format("2006年1月2日"))
	case st.Exempt():
		return zhifa.Errorf(zhifa.ECONFLICT, "已于%s决定本决定不予公开（%s）。", st.Standing.OnDate.Format("2006年1月2日"), st.Standing.Ground.Label())
	case st.Document == nil:
		return zhifa.Errorf(zhifa.EINVALID, "《行政处罚决定书》尚未签发：请先在案件的“文书”中制作并签发，再公示。")
	}
	return nil
}

// MaxReason bounds a reason typed on these forms.
const MaxReason = 2000

// Exempt records the decision not to publish the case's decision, with
// its ground and explanation.
func (s *Service) Exempt(ctx context.Context, caseID int64, ground Ground, reason string) error {
	a := zhifa.ActorFrom(ctx)
	today := s.Clock.Today()
	reason = strings.TrimSpace(reason)
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, st, err := s.locked(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !mayExempt(a, c) {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "不予公开由队长或镇负责人决定。")
		}
		if err := publishable(st); err != nil && zhifa.ErrorCode(err) != zhifa.EINVALID { // no document yet is no bar
			return err
		}
		fe := zhifa.FieldErrors{}
		fe.Check(slices.ContainsFunc(Grounds, func(g GroundOption) bool { return g.Ground == ground }), "ground", "请选择不予公开的理由。")
		fe.Check(reason != "", "reason", "请说明不予公开的具体理由。")
		fe.Check(utf8.RuneCountInString(reason) <= MaxReason, "reason", fmt.Sprintf("理由不能超过%d个字。", MaxReason))
		if err := fe.Err(); err != nil {
			return err
		}
		var docID *int64
		if st.Document != nil {
			docID = &st.Document.ID
		}
		if _, err := tx.Exec(ctx, `INSERT INTO publications (case_id, town_id, kind, document_id, decided_on, due_on, on_date,
				actor_id, actor_name, ground, reason)
			VALUES ($1, $2, 'exempt', $3, $4, $5, $6, $7, $8, $9, $10)`,
			c.ID, c.TownID, docID, st.DecidedOn.Format(time.DateOnly), st.DueOn.Format(time.DateOnly), today.Format(time.DateOnly),
			a.UserID, a.DisplayName, string(ground), reason); err != nil {
			return fmt.Errorf("insert exemption: %w", err)
		}
		return cases.AddEvent(ctx, tx, a, c, s.Clock(), "exempt_publication", "决定行政处罚决定不予公开："+ground.Label()+"。"+reason, time.Time{})
	})
	return zhifa.Annotate(err, fmt.Sprintf("exempt case %d", caseID))
}

// Withdraw withdraws the case's standing publication, with a reason: the
// public page then says it was withdrawn, without the text.
func (s *Service) Withdraw(ctx context.Context, caseID int64, reason string) error {
	a := zhifa.ActorFrom(ctx)
	today := s.Clock.Today()
	reason = strings.TrimSpace(reason)
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, st, err := s.locked(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !mayPublish(a, c) {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "只有本案的承办人员、队长或镇负责人可以撤回公示。")
		}
		if !st.Published() {
			return zhifa.Errorf(zhifa.ECONFLICT, "本案没有正在公示的处罚决定。")
		}
		fe := zhifa.FieldErrors{}
		fe.Check(reason != "", "withdraw_reason", "请填写撤回公示的理由。")
		fe.Check(utf8.RuneCountInString(reason) <= MaxReason, "withdraw_reason", fmt.Sprintf("理由不能超过%d个字。", MaxReason))
		if err := fe.Err(); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE publications SET withdrawn_on = $2, withdrawn_by = $3, withdrawn_by_name = $4, withdraw_reason = $5
			WHERE id = $1 AND withdrawn_on IS NULL`, st.Standing.ID, today.Format(time.DateOnly), a.UserID, a.DisplayName, reason)
		if err != nil {
			return fmt.Errorf("withdraw publication: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return zhifa.Errorf(zhifa.ECONFLICT, "本案没有正在公示的处罚决定。")
		}
		late := ""
		if st.ToWithdraw() && today.After(st.WithdrawDueOn) {
			late = fmt.Sprintf("（应于%s前撤回）", st.WithdrawDueOn.Format("2006年1月2日"))
		}
		return cases.AddEvent(ctx, tx, a, c, s.Clock(), "withdraw_publication", "撤回行政处罚决定公示"+late+"："+reason, time.Time{})
	})
	return zhifa.Annotate(err, fmt.Sprintf("withdraw publication of case %d", caseID))
}
