package evaluation

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/correction"
	"zhifa/internal/zhifa"
)

// Dossier statuses.
const (
	DossierPending = "pending" // not yet scored
	DossierScoring = "scoring" // scores saved, not finished
	DossierDone    = "done"    // finished: frozen, findings sent to the town
)

// Dossier is one case file of a round.
type Dossier struct {
	ID           int64
	RoundID      int64
	CaseID       int64
	CaseNumber   string
	PartyName    string
	ItemName     string
	TownID       int64
	TownName     string
	Position     int
	ClosedOn     *time.Time // the case's
	ReviewerID   *int64
	ReviewerName string
	Status       string
	Points       *float64 // 100 minus the deductions
	Total        *float64 // the score: 0 when a veto item failed
	Grade        string
	Veto         bool
	ScoredBy     string
	ScoredOn     *time.Time
}

// StatusLabel is the dossier's status in Chinese.
func (d *Dossier) StatusLabel() string {
	switch d.Status {
	case DossierScoring:
		return "评查中"
	case DossierDone:
		return "已完成"
	}
	return "待评查"
}

const dossierColumns = `d.id, d.round_id, d.case_id, coalesce(c.number, ''), c.party_name, i.name, d.town_id, t.name, d.position, c.closed_on,
	d.reviewer_id, coalesce(ru.display_name, ''), d.status, d.points::float8, d.total::float8, d.grade, d.veto,
	coalesce(su.display_name, ''), d.scored_on`

const dossierFrom = ` FROM eval_dossiers d JOIN cases c ON c.id = d.case_id JOIN catalogue_items i ON i.id = c.item_id
	JOIN towns t ON t.id = d.town_id LEFT JOIN users ru ON ru.id = d.reviewer_id LEFT JOIN users su ON su.id = d.scored_by`

func scanDossier(row pgx.Row) (*Dossier, error) {
	d := &Dossier{}
	err := row.Scan(&d.ID, &d.RoundID, &d.CaseID, &d.CaseNumber, &d.PartyName, &d.ItemName, &d.TownID, &d.TownName, &d.Position, &d.ClosedOn,
		&d.ReviewerID, &d.ReviewerName, &d.Status, &d.Points, &d.Total, &d.Grade, &d.Veto, &d.ScoredBy, &d.ScoredOn)
	d.ClosedOn, d.ScoredOn = dayPtr(d.ClosedOn), dayPtr(d.ScoredOn)
	return d, err
}

func listDossiers(ctx context.Context, tx pgx.Tx, roundID, townID int64) ([]*Dossier, error) {
	rows, err := tx.Query(ctx, `SELECT `+dossierColumns+dossierFrom+` WHERE d.round_id = $1 AND ($2 = 0 OR d.town_id = $2)
		ORDER BY t.position, d.position`, roundID, townID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Dossier
	for rows.Next() {
		d, err := scanDossier(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RoundPage is a round with its sample (what the reader may see of it).
type RoundPage struct {
	Round    *Round
	Sheet    *Sheet
	Dossiers []*Dossier
}

// Get is round id with its dossiers; townID narrows them to one town.
func (s *Service) Get(ctx context.Context, id, townID int64) (*RoundPage, error) {
	out := &RoundPage{}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		if out.Round, err = getRound(ctx, tx, id, false); err != nil {
			return err
		}
		if out.Sheet, err = sheetByID(ctx, tx, out.Round.SheetID); err != nil {
			return err
		}
		out.Dossiers, err = listDossiers(ctx, tx, id, townID)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("evaluation round %d", id))
}

// Score is one item of a dossier's sheet as scored.
type Score struct {
	Item          Item
	AutoResult    string // "" when the record does not decide the item
	AutoEvidence  string
	AutoDeduction float64
	Result        string // "" until scored
	Deduction     float64
	Reason        string
}

// Overridden reports whether the reviewer changed the automatic result.
func (sc *Score) Overridden() bool {
	if sc.AutoResult == "" || sc.Result == "" {
		return false
	}
	if sc.Item.Tier == TierVeto {
		return vetoFails(sc.Result) != vetoFails(sc.AutoResult)
	}
	return sc.Deduction != sc.AutoDeduction
}

// Finding reports whether the item is a finding: a failed veto item or a
// deduction.
func (sc *Score) Finding() bool {
	if sc.Item.Tier == TierVeto {
		return sc.Result == ResultFail
	}
	return sc.Deduction > 0
}

func vetoFails(r string) bool { return r == ResultFail }

// DossierPage is one dossier with its sheet and scores.
type DossierPage struct {
	Round    *Round
	Dossier  *Dossier
	Sheet    *Sheet
	Scores   []*Score
	Findings []correction.Task // the tasks opened when it was finished
	// Conflict says why the actor may not score it (a part in the case),
	// CanScore whether he may now.
	Conflict string
	CanScore bool
	Why      string // why not, when he is a county reviewer who may not
}

// ScoresBy are the scores of a tier.
func (p *DossierPage) ScoresBy(t Tier) []*Score {
	var out []*Score
	for _, sc := range p.Scores {
		if sc.Item.Tier == t {
			out = append(out, sc)
		}
	}
	return out
}

func getDossier(ctx context.Context, tx pgx.Tx, roundID, id int64, lock bool) (*Dossier, error) {
	q := `SELECT ` + dossierColumns + dossierFrom + ` WHERE d.id = $1 AND d.round_id = $2`
	if lock {
		q += ` FOR UPDATE OF d`
	}
	d, err := scanDossier(tx.QueryRow(ctx, q, id, roundID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errDossierNotFound
	}
	return d, err
}

func loadScores(ctx context.Context, tx pgx.Tx, sheet *Sheet, dossierID int64) ([]*Score, error) {
	rows, _ := tx.Query(ctx, `SELECT code, auto_result, auto_evidence, auto_deduction::float8, result, deduction::float8, reason
		FROM eval_scores WHERE dossier_id = $1`, dossierID)
	byCode := map[string]*Score{}
	var code string
	var sc Score
	if _, err := pgx.ForEachRow(rows, []any{&code, &sc.AutoResult, &sc.AutoEvidence, &sc.AutoDeduction, &sc.Result, &sc.Deduction, &sc.Reason}, func() error {
		c := sc
		byCode[code] = &c
		return nil
	}); err != nil {
		return nil, err
	}
	var out []*Score
	for _, it := range sheet.Items {
		sc, ok := byCode[it.Code]
		if !ok {
			sc = &Score{}
		}
		sc.Item = it
		out = append(out, sc)
	}
	return out, nil
}

// mayScore says why the actor may not score the dossier now ("" if he may).
func mayScore(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, r *Round, d *Dossier) (string, error) {
	if err := countyReviewer(a, "评查案卷"); err != nil {
		return zhifa.ErrorMessage(err), nil
	}
	if !slices.Contains(r.Reviewers, a.UserID) {
		return "您不是本轮评查的评查人员，不能评分。", nil
	}
	if r.Status == RoundClosed {
		return "本轮评查已经结束，不能再评分。", nil
	}
	if d.Status == DossierDone {
		return "该案卷已完成评查，评分不能再修改。", nil
	}
	return conflict(ctx, tx, a, d.CaseID)
}

// Dossier is one dossier with its scores for the scoring page.
func (s *Service) Dossier(ctx context.Context, roundID, id int64) (*DossierPage, error) {
	a := zhifa.ActorFrom(ctx)
	out := &DossierPage{}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		if out.Round, err = getRound(ctx, tx, roundID, false); err != nil {
			return errDossierNotFound
		}
		if out.Dossier, err = getDossier(ctx, tx, roundID, id, false); err != nil {
			return err
		}
		if out.Sheet, err = sheetByID(ctx, tx, out.Round.SheetID); err != nil {
			return err
		}
		if out.Scores, err = loadScores(ctx, tx, out.Sheet, id); err != nil {
			return err
		}
		if a != nil && a.Role == zhifa.RoleCountyReviewer {
			if out.Conflict, err = conflict(ctx, tx, a, out.Dossier.CaseID); err != nil {
				return err
			}
			if out.Why, err = mayScore(ctx, tx, a, out.Round, out.Dossier); err != nil {
				return err
			}
			out.CanScore = out.Why == ""
		}
		return nil
	})
	if err != nil {
		return nil, zhifa.Annotate(err, fmt.Sprintf("evaluation dossier %d", id))
	}
	if out.Dossier.Status == DossierDone {
		tasks, err := (&correction.Service{DB: s.DB, Clock: s.Clock}).List(ctx, correction.Filter{Source: correction.SourceEvaluation, CaseID: out.Dossier.CaseID})
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			if t.SourceID == id {
				out.Findings = append(out.Findings, t)
			}
		}
	}
	return out, nil
}

// Entry is the reviewer's answer on one item: a veto item's result, a
// scored item's deduction (as typed), and the reason.
type Entry struct {
	Result    string
	Deduction string
	Reason    string
}

// Field names of an item on the scoring form.
func ResultField(code string) string    { return "v_" + code }
func DeductionField(code string) string { return "d_" + code }
func ReasonField(code string) string    { return "why_" + code }

// parseDeduction reads a deduction: a number of points with at most one
// decimal.
func parseDeduction(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) || Round1(v) != v {
		return 0, false
	}
	return v, true
}

// apply checks the entries against the sheet and fills the scores: an
// override of an automatic result needs a reason, a deduction stays within
// the item's points and needs a reason unless it is the automatic one.
func apply(scores []*Score, in map[string]Entry) error {
	fe := zhifa.FieldErrors{}
	for _, sc := range scores {
		it := sc.Item
		e := in[it.Code]
		reason := strings.TrimSpace(e.Reason)
		if utf8.RuneCountInString(reason) > 2000 {
			fe.Add(ReasonField(it.Code), "理由不能超过2000字。")
			continue
		}
		if it.Tier == TierVeto {
			// Unanswered: the record's result, or 符合 (as the form shows).
			res := e.Result
			if res == "" {
				res = sc.AutoResult
			}
			if res == "" {
				res = ResultPass
			}
			if res == ResultNA {
				res = ResultPass
			}
			if res != ResultPass && res != ResultFail {
				fe.Add(ResultField(it.Code), it.Code+"：请选择“符合”或“不符合”。")
				continue
			}
			if sc.AutoResult != "" && vetoFails(res) != vetoFails(sc.AutoResult) && reason == "" {
				fe.Add(ReasonField(it.Code), it.Code+"：改变系统检查结果须写明理由。")
			}
			if sc.AutoResult == "" && res == ResultFail && reason == "" {
				fe.Add(ReasonField(it.Code), it.Code+"：认定否决项不符合须写明理由。")
			}
			sc.Result, sc.Deduction, sc.Reason = res, 0, reason
			if sc.AutoResult == ResultNA && res == ResultPass {
				sc.Result = ResultNA
			}
			continue
		}
		v, ok := parseDeduction(e.Deduction)
		switch {
		case !ok:
			fe.Add(DeductionField(it.Code), fmt.Sprintf("%s：扣分应为0至%s之间的数（最多一位小数）。", it.Code, Points(it.Points)))
			continue
		case v > it.Points:
			fe.Add(DeductionField(it.Code), fmt.Sprintf("%s：扣分不能超过本项分值%s分（扣完为止）。", it.Code, Points(it.Points)))
			continue
		case sc.AutoResult != "" && v != sc.AutoDeduction && reason == "":
			fe.Add(ReasonField(it.Code), it.Code+"：改变系统检查结果须写明理由。")
		case v > 0 && v != sc.AutoDeduction && reason == "":
			fe.Add(ReasonField(it.Code), it.Code+"：扣分须写明理由。")
		}
		sc.Deduction, sc.Reason = v, reason
		switch {
		case v > 0:
			sc.Result = ResultFail
		case sc.AutoResult == ResultNA:
			sc.Result = ResultNA
		default:
			sc.Result = ResultPass
		}
	}
	return fe.Err()
}

// Tally is a dossier's score from its items.
func Tally(sheet *Sheet, scores []*Score) (points, total float64, veto bool, grade string) {
	points = 100
	for _, sc := range scores {
		if sc.Item.Tier == TierVeto {
			veto = veto || sc.Result == ResultFail
			continue
		}
		points -= min(sc.Deduction, sc.Item.Points)
	}
	points = max(0, Round1(points))
	total = points
	if veto {
		total = 0 // any veto failure: the file fails, score 0 (evaluation.md §1.1)
	}
	return points, total, veto, sheet.GradeOf(points, veto)
}

// Save records the reviewer's scores of dossier id; finish ends its
// evaluation: the score and grade are fixed and each finding opens a
// correction task for the town.
func (s *Service) Save(ctx context.Context, roundID, id int64, in map[string]Entry, finish bool) error {
	a := zhifa.ActorFrom(ctx)
	if err := countyReviewer(a, "评查案卷"); err != nil {
		return err
	}
	today := s.Clock.Today()
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		r, err := getRound(ctx, tx, roundID, false)
		if err != nil {
			return errDossierNotFound
		}
		d, err := getDossier(ctx, tx, roundID, id, true)
		if err != nil {
			return err
		}
		why, err := mayScore(ctx, tx, a, r, d)
		if err != nil {
			return err
		}
		if why != "" {
			code := zhifa.EFORBIDDEN
			if r.Status == RoundClosed || d.Status == DossierDone {
				code = zhifa.ECONFLICT
			}
			return zhifa.Errorf(code, "%s", why)
		}
		sheet, err := sheetByID(ctx, tx, r.SheetID)
		if err != nil {
			return err
		}
		scores, err := loadScores(ctx, tx, sheet, id)
		if err != nil {
			return err
		}
		if err := apply(scores, in); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, sc := range scores {
			b.Queue(`INSERT INTO eval_scores (dossier_id, town_id, code, result, deduction, reason, scored_by, scored_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, now())
				ON CONFLICT (dossier_id, code) DO UPDATE SET result = EXCLUDED.result, deduction = EXCLUDED.deduction,
					reason = EXCLUDED.reason, scored_by = EXCLUDED.scored_by, scored_at = EXCLUDED.scored_at`,
				id, d.TownID, sc.Item.Code, sc.Result, sc.Deduction, sc.Reason, a.UserID)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if !finish {
			_, err = tx.Exec(ctx, `UPDATE eval_dossiers SET status = 'scoring', scored_by = $2 WHERE id = $1`, id, a.UserID)
			return err
		}
		points, total, veto, grade := Tally(sheet, scores)
		if _, err := tx.Exec(ctx, `UPDATE eval_dossiers SET status = 'done', points = $2, total = $3, veto = $4, grade = $5,
			scored_by = $6, scored_on = $7 WHERE id = $1`, id, points, total, veto, grade, a.UserID, today.Format(time.DateOnly)); err != nil {
			return err
		}
		for _, sc := range scores {
			if !sc.Finding() {
				continue
			}
			if _, err := correction.Open(ctx, tx, a, findingTask(r, d, sc, today)); err != nil {
				return err
			}
		}
		return nil
	})
	return zhifa.Annotate(err, fmt.Sprintf("score evaluation dossier %d", id))
}

// findingTask is the correction task a finding opens for the town.
func findingTask(r *Round, d *Dossier, sc *Score, today time.Time) correction.New {
	title := sc.Item.Code + " " + sc.Item.Text
	if rs := []rune(title); len(rs) > 190 {
		title = string(rs[:190]) + "…"
	}
	what := "不符合（否决项）"
	if sc.Item.Tier != TierVeto {
		what = "扣" + Points(sc.Deduction) + "分"
	}
	why := sc.Reason
	if why == "" {
		why = sc.AutoEvidence
	}
	detail := fmt.Sprintf("%s：案卷%s%s。%s", r.Name, d.CaseNumber, what, why)
	if rs := []rune(detail); len(rs) > 2000 {
		detail = string(rs[:2000])
	}
	return correction.New{TownID: d.TownID, CaseID: d.CaseID, Source: correction.SourceEvaluation, SourceID: d.ID,
		Title: title, Detail: detail, DueOn: today.AddDate(0, 0, FindingDays)}
}
