package filing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/correction"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/zhifa"
)

// Conclusion is the county's conclusion on a filing.
type Conclusion string

const (
	ConcludeFiled   Conclusion = "filed"   // 予以备案: lawful and proper
	ConcludeCorrect Conclusion = "correct" // 责令纠正
	ConcludeRevoke  Conclusion = "revoke"  // 撤销建议
)

// Conclusions label the conclusions, in the review form's order.
var Conclusions = []struct {
	Value Conclusion
	Label string
}{{ConcludeFiled, "予以备案"}, {ConcludeCorrect, "责令纠正"}, {ConcludeRevoke, "撤销建议"}}

// Label is the conclusion's Chinese name.
func (c Conclusion) Label() string {
	for _, x := range Conclusions {
		if x.Value == c {
			return x.Label
		}
	}
	return string(c)
}

// Status is where a filing stands: before it is filed, waiting for the
// review, or the review's conclusion.
type Status string

const (
	StatusPending   Status = "pending"   // 待报送
	StatusSubmitted Status = "submitted" // 已报送待审查
	StatusFiled     Status = Status(ConcludeFiled)
	StatusCorrect   Status = Status(ConcludeCorrect)
	StatusRevoke    Status = Status(ConcludeRevoke)
)

// Statuses label the statuses, in the list filter's order.
var Statuses = []struct {
	Value Status
	Label string
}{{StatusPending, "待报送"}, {StatusSubmitted, "已报送待审查"}, {StatusFiled, "予以备案"}, {StatusCorrect, "责令纠正"}, {StatusRevoke, "撤销建议"}}

// Label is the status's Chinese name.
func (s Status) Label() string {
	for _, x := range Statuses {
		if x.Value == s {
			return x.Label
		}
	}
	return string(s)
}

// Filing is one major decision's filing obligation, filing and review.
type Filing struct {
	ID         int64     `db:"id"`
	CaseID     int64     `db:"case_id"`
	TownID     int64     `db:"town_id"`
	TownName   string    `db:"town_name"`
	CaseNumber string    `db:"case_number"`
	PartyName  string    `db:"party_name"`
	ItemName   string    `db:"item_name"`
	Domain     string    `db:"domain"`
	DecidedOn  time.Time `db:"decided_on"`
	DueOn      time.Time `db:"due_on"`
	Reason     string    `db:"reason"`
	// The thresholds version the decision met.
	ThresholdOn time.Time `db:"threshold_on"`

	FiledOn         *time.Time `db:"filed_on"`
	FiledByName     string     `db:"filed_by_name"`
	FilingDocID     *int64     `db:"filing_doc_id"`
	FilingDocNo     string     `db:"filing_doc_no"`
	DecisionDocID   *int64     `db:"decision_doc_id"`
	DecisionDocNo   string     `db:"decision_doc_no"`
	ReviewedOn      *time.Time `db:"reviewed_on"`
	ReviewerName    string     `db:"reviewer_name"`
	Panel           string     `db:"panel"`
	Findings        string     `db:"findings"`
	Conclusion      Conclusion `db:"conclusion"`
	CorrectionID    *int64     `db:"correction_id"`
	CorrectionState string     `db:"correction_status"` // correction.Status, "" without a task
	CorrectionDue   *time.Time `db:"correction_due"`
}

// Status is where the filing stands.
func (f *Filing) Status() Status {
	switch {
	case f.FiledOn == nil:
		return StatusPending
	case f.Conclusion == "":
		return StatusSubmitted
	}
	return Status(f.Conclusion)
}

// Overdue reports whether the town has not filed and the period is over.
func (f *Filing) Overdue(today time.Time) bool {
	return f.FiledOn == nil && deadline.Day(today).After(f.DueOn)
}

// FiledLate reports whether the town filed after the period.
func (f *Filing) FiledLate() bool { return f.FiledOn != nil && f.FiledOn.After(f.DueOn) }

// DaysLeft is the number of calendar days from today to the last day of
// the period (negative when over).
func (f *Filing) DaysLeft(today time.Time) int {
	return int(f.DueOn.Sub(deadline.Day(today)).Hours() / 24)
}

// Clock says how the filing period stands on today, for the town and the
// county alike (the due date is shown beside it).
func (f *Filing) Clock(today time.Time) string {
	switch {
	case f.FiledOn != nil && f.FiledLate():
		return fmt.Sprintf("逾期%d天，于%s报送", int(f.FiledOn.Sub(f.DueOn).Hours()/24), f.FiledOn.Format(time.DateOnly))
	case f.FiledOn != nil:
		return "已于" + f.FiledOn.Format(time.DateOnly) + "按期报送"
	}
	switch n := f.DaysLeft(today); {
	case n < 0:
		return fmt.Sprintf("已逾期%d天", -n)
	case n == 0:
		return "今日到期"
	default:
		return fmt.Sprintf("剩余%d天", n)
	}
}

// CorrectionLabel is the correction task's status in Chinese.
func (f *Filing) CorrectionLabel() string { return correction.Status(f.CorrectionState).Label() }

const filingColumns = `f.id, f.case_id, f.town_id, t.name AS town_name, coalesce(c.number, '') AS case_number, c.party_name,
	i.name AS item_name, coalesce(dm.name, '') AS domain, f.decided_on, f.due_on, f.reason, th.effective_on AS threshold_on,
	f.filed_on, f.filed_by_name, f.filing_doc_id, coalesce(fd.number, '') AS filing_doc_no,
	f.decision_doc_id, coalesce(dd.number, '') AS decision_doc_no,
	f.reviewed_on, f.reviewer_name, f.panel, f.findings, coalesce(f.conclusion, '') AS conclusion, f.correction_id,
	coalesce(k.status, '') AS correction_status, k.due_on AS correction_due`

const filingFrom = ` FROM major_filings f JOIN towns t ON t.id = f.town_id JOIN cases c ON c.id = f.case_id
	JOIN catalogue_items i ON i.id = c.item_id LEFT JOIN domains dm ON dm.id = i.domain_id
	JOIN major_thresholds th ON th.id = f.threshold_id
	LEFT JOIN documents fd ON fd.id = f.filing_doc_id LEFT JOIN documents dd ON dd.id = f.decision_doc_id
	LEFT JOIN corrections k ON k.id = f.correction_id`

// statusSQL is Filing.Status in SQL, for the list filter.
const statusSQL = `CASE WHEN f.filed_on IS NULL THEN 'pending' WHEN f.conclusion IS NULL THEN 'submitted' ELSE f.conclusion END`

func normalFiling(f *Filing) {
	f.DecidedOn, f.DueOn, f.ThresholdOn = deadline.Day(f.DecidedOn), deadline.Day(f.DueOn), deadline.Day(f.ThresholdOn)
	for _, p := range []**time.Time{&f.FiledOn, &f.ReviewedOn, &f.CorrectionDue} {
		if *p != nil {
			d := deadline.Day(**p)
			*p = &d
		}
	}
}

// Filter narrows the list.
type Filter struct {
	TownID int64  // county: one town (0 = all)
	Status string // a Status, "overdue" (not filed in time) or "" = all
	CaseID int64
}

// List is the filings the actor may read (RLS: a town its own): those
// waiting for the town or the county first, by deadline.
func (s *Service) List(ctx context.Context, flt Filter) ([]Filing, error) {
	today := s.Clock.Today().Format(time.DateOnly)
	var out []Filing
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+filingColumns+filingFrom+`
			WHERE ($1 = 0 OR f.town_id = $1) AND ($3 = 0 OR f.case_id = $3)
				AND ($2 = '' OR $2 = `+statusSQL+` OR $2 = 'overdue' AND (f.filed_on IS NULL AND f.due_on < $4 OR f.filed_on > f.due_on))
			ORDER BY f.conclusion IS NOT NULL, f.filed_on IS NOT NULL, f.due_on, f.id`, flt.TownID, flt.Status, flt.CaseID, today)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Filing])
		return err
	})
	for i := range out {
		normalFiling(&out[i])
	}
	return out, zhifa.Annotate(err, "major filings")
}

var errNotFound = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该重大行政处罚备案。")

func get(ctx context.Context, tx pgx.Tx, where string, arg int64, lock bool) (*Filing, error) {
	q := `SELECT ` + filingColumns + filingFrom + ` WHERE ` + where
	if lock {
		q += ` FOR UPDATE OF f`
	}
	rows, _ := tx.Query(ctx, q, arg)
	f, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Filing])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	normalFiling(f)
	return f, nil
}

// Get is one filing.
func (s *Service) Get(ctx context.Context, id int64) (*Filing, error) {
	var out *Filing
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = get(ctx, tx, `f.id = $1`, id, false)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("major filing %d", id))
}

// ForCase is the case's filing obligation, or nil when its decision is not
// major.
func (s *Service) ForCase(ctx context.Context, caseID int64) (*Filing, error) {
	var out *Filing
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = get(ctx, tx, `f.case_id = $1`, caseID, false)
		if err == errNotFound {
			out, err = nil, nil
		}
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("major filing of case %d", caseID))
}

// ReasonFor is why case caseID's decision must be filed ("" when it need
// not be), in the caller's transaction: the 备案表 states it.
func ReasonFor(ctx context.Context, tx pgx.Tx, caseID int64) (string, error) {
	var reason string
	err := tx.QueryRow(ctx, `SELECT reason FROM major_filings WHERE case_id = $1`, caseID).Scan(&reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("major filing of case %d: %w", caseID, err)
	}
	return reason, nil
}

// Decision is a penalty decision as the filing rule reads it, in the
// decision's own transaction.
type Decision struct {
	TownID, CaseID int64
	DomainID       int64  // the item's domain
	PartyKind      string // "person" | "org"
	DecidedOn      time.Time
	Sanctions      []Sanction
	// WorkingDays is the filing period (major_filing_working_days), counted
	// on Calendar from the decision day.
	WorkingDays int
	Calendar    deadline.Calendar
}

// Obligation is a filing the decision made due.
type Obligation struct {
	ID     int64
	Reason string
	DueOn  time.Time
}

// Obligate judges the decision by the thresholds in force on its day and,
// when it is major, records the obligation to file it by the end of the
// period. It returns nil when the decision is not major (or no thresholds
// are in force). A case has one obligation: a later call changes nothing.
func Obligate(ctx context.Context, tx pgx.Tx, d Decision) (*Obligation, error) {
	th, err := InForce(ctx, tx, d.DomainID, d.DecidedOn)
	if err != nil || th == nil {
		return nil, err
	}
	reason, major := Major(*th, d.PartyKind, d.Sanctions)
	if !major {
		return nil, nil
	}
	ob := &Obligation{Reason: reason, DueOn: d.Calendar.AddWorkdays(d.DecidedOn, d.WorkingDays)}
	err = tx.QueryRow(ctx, `INSERT INTO major_filings (case_id, town_id, threshold_id, decided_on, due_on, reason)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id) DO NOTHING RETURNING id`,
		d.CaseID, d.TownID, th.ID, d.DecidedOn.Format(time.DateOnly), ob.DueOn.Format(time.DateOnly), reason).Scan(&ob.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil // already obliged
	}
	if err != nil {
		return nil, fmt.Errorf("major filing obligation: %w", err)
	}
	return ob, nil
}

// File is the town's filing: the issued 重大行政处罚决定备案表 and 行政处罚
// 决定书 of the case (the latest of each, not replaced) go to the county.
func (s *Service) File(ctx context.Context, id int64) error {
	a := zhifa.ActorFrom(ctx)
	today := s.Clock.Today()
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		f, err := get(ctx, tx, `f.id = $1`, id, true)
		if err != nil {
			return err
		}
		if a == nil || a.Role.IsCounty() || a.TownID != f.TownID || a.Role == zhifa.RoleTownReviewer {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "重大行政处罚决定由作出决定的镇执法队或镇负责人报送备案。")
		}
		if f.FiledOn != nil {
			return zhifa.Errorf(zhifa.ECONFLICT, "该决定已于%s报送备案，不能重复报送。", f.FiledOn.Format("2006年1月2日"))
		}
		ms, err := materials(ctx, tx, f.CaseID)
		if err != nil {
			return err
		}
		var missing []string
		for _, m := range ms {
			if m.DocID == 0 {
				missing = append(missing, "《"+m.Title+"》")
			}
		}
		if len(missing) > 0 {
			return zhifa.Errorf(zhifa.EINVALID, "%s尚未签发：请先在案件的“文书”中制作并签发，再报送备案。", strings.Join(missing, "和"))
		}
		_, err = tx.Exec(ctx, `UPDATE major_filings SET filed_on = $2, filed_by = $3, filed_by_name = $4, filing_doc_id = $5,
			decision_doc_id = $6 WHERE id = $1`, id, today.Format(time.DateOnly), a.UserID, a.DisplayName, ms[0].DocID, ms[1].DocID)
		return err
	})
	return zhifa.Annotate(err, fmt.Sprintf("file major filing %d", id))
}

// Material is a document the filing sends: its kind and the case's latest
// issued one not replaced (DocID 0 when none).
type Material struct {
	Kind   doctype.Kind
	Title  string
	DocID  int64
	Number string
}

// filedKinds are what a town files: the 备案表 and the decision.
var filedKinds = []doctype.Kind{doctype.MajorFiling, doctype.Decision}

func materials(ctx context.Context, tx pgx.Tx, caseID int64) ([]Material, error) {
	out := make([]Material, 0, len(filedKinds))
	for _, k := range filedKinds {
		m := Material{Kind: k, Title: doctype.Of(k).Title}
		err := tx.QueryRow(ctx, `SELECT d.id, coalesce(d.number, '') FROM documents d WHERE d.case_id = $1 AND d.kind = $2
			AND NOT EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id) ORDER BY d.id DESC LIMIT 1`, caseID, string(k)).Scan(&m.DocID, &m.Number)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("filing material %s: %w", k, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// Materials are the documents the filing of caseID would send now.
func (s *Service) Materials(ctx context.Context, caseID int64) ([]Material, error) {
	var out []Material
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = materials(ctx, tx, caseID)
		return err
	})
	return out, zhifa.Annotate(err, "filing materials")
}

// ReviewInput is the county's review as typed.
type ReviewInput struct {
	Panel         string // members of the joint review group, if one sat
	Findings      string
	Conclusion    Conclusion
	CorrectionDue string // 责令纠正 / 撤销建议: by when the town must answer
}

// Review records the county's review of a filed decision. 责令纠正 and 撤销
// 建议 open a correction task back to the town in the same transaction.
// Only the county's reviewers review, and none who took part in the case.
func (s *Service) Review(ctx context.Context, id int64, in ReviewInput) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil || a.Role != zhifa.RoleCountyReviewer {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "重大行政处罚决定的备案审查由县司法局审核人员进行。")
	}
	today := s.Clock.Today()
	fe := zhifa.FieldErrors{}
	panel, findings := strings.TrimSpace(in.Panel), strings.TrimSpace(in.Findings)
	fe.Check(utf8.RuneCountInString(panel) <= 500, "panel", "联合审查组成员不能超过500字。")
	fe.Check(findings != "", "findings", "请填写审查意见。")
	fe.Check(utf8.RuneCountInString(findings) <= 4000, "findings", "审查意见不能超过4000字。")
	fe.Check(in.Conclusion.Label() != string(in.Conclusion), "conclusion", "请选择审查结论。")
	corrects := in.Conclusion == ConcludeCorrect || in.Conclusion == ConcludeRevoke
	var due time.Time
	if corrects {
		d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.CorrectionDue), zhifa.Local)
		switch {
		case err != nil:
			fe.Add("correction_due", "请填写整改期限（如 2025-10-15）。")
		case !d.After(today):
			fe.Add("correction_due", "整改期限应晚于今天。")
		}
		due = d
	}
	if err := fe.Err(); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		f, err := get(ctx, tx, `f.id = $1`, id, true)
		if err != nil {
			return err
		}
		if f.FiledOn == nil {
			return zhifa.Errorf(zhifa.ECONFLICT, "%s尚未报送备案，报送后才能审查。", f.TownName)
		}
		if f.Conclusion != "" {
			return zhifa.Errorf(zhifa.ECONFLICT, "该备案已于%s审查，结论为“%s”，不能重复审查。", f.ReviewedOn.Format("2006年1月2日"), f.Conclusion.Label())
		}
		if role, err := tookPart(ctx, tx, f.CaseID, a.UserID); err != nil {
			return err
		} else if role != "" {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "您曾担任本案的%s，应当回避，不能审查本案的备案。", role)
		}
		var correctionID *int64
		if corrects {
			title := "备案审查" + in.Conclusion.Label() + "：" + f.CaseNumber
			cid, err := correction.Open(ctx, tx, a, correction.New{TownID: f.TownID, CaseID: f.CaseID, Source: correction.SourceFiling,
				SourceID: f.ID, Title: title, Detail: findings, DueOn: due})
			if err != nil {
				return err
			}
			correctionID = &cid
		}
		_, err = tx.Exec(ctx, `UPDATE major_filings SET reviewed_on = $2, reviewer_id = $3, reviewer_name = $4, panel = $5,
			findings = $6, conclusion = $7, correction_id = $8 WHERE id = $1`,
			id, today.Format(time.DateOnly), a.UserID, a.DisplayName, panel, findings, string(in.Conclusion), correctionID)
		return err
	})
	return zhifa.Annotate(err, fmt.Sprintf("review major filing %d", id))
}

// tookPart names the part user played in the case ("" for none): a
// handler, its legal reviewer, who approved its filing or decided it.
func tookPart(ctx context.Context, tx pgx.Tx, caseID, userID int64) (string, error) {
	var role string
	err := tx.QueryRow(ctx, `SELECT CASE
			WHEN EXISTS (SELECT FROM case_officers WHERE case_id = $1 AND user_id = $2) THEN '承办人员'
			WHEN EXISTS (SELECT FROM case_reviews WHERE case_id = $1 AND reviewer_id = $2) OR c.reviewed_by = $2 THEN '法制审核人员'
			WHEN c.decided_by = $2 THEN '决定人'
			WHEN c.filing_approved_by = $2 THEN '立案审批人'
			ELSE '' END FROM cases c WHERE c.id = $1`, caseID, userID).Scan(&role)
	if err != nil {
		return "", fmt.Errorf("took part: %w", err)
	}
	return role, nil
}
