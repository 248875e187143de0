package evaluation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// FindingDays is how long a town has to answer a finding (整改期限).
const FindingDays = 30

// Service runs evaluation rounds.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
}

var (
	errRoundNotFound   = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该评查。")
	errDossierNotFound = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该评查案卷。")
)

// ---- Sheets ----

const sheetColumns = `s.id, s.effective_on, s.note, coalesce(u.display_name, '系统'), s.created_at, s.items, s.grades`

func scanSheet(row pgx.Row) (*Sheet, error) {
	s := &Sheet{}
	var items, grades []byte
	if err := row.Scan(&s.ID, &s.EffectiveOn, &s.Note, &s.CreatedBy, &s.CreatedAt, &items, &grades); err != nil {
		return nil, err
	}
	s.EffectiveOn = day(s.EffectiveOn)
	if err := json.Unmarshal(items, &s.Items); err != nil {
		return nil, fmt.Errorf("sheet %d items: %w", s.ID, err)
	}
	if err := json.Unmarshal(grades, &s.Grades); err != nil {
		return nil, fmt.Errorf("sheet %d grades: %w", s.ID, err)
	}
	return s, nil
}

// sheetOn is the version in force on d (the first one before any).
func sheetOn(ctx context.Context, tx pgx.Tx, d time.Time) (*Sheet, error) {
	s, err := scanSheet(tx.QueryRow(ctx, `SELECT `+sheetColumns+` FROM eval_sheets s LEFT JOIN users u ON u.id = s.created_by
		ORDER BY s.effective_on <= $1 DESC, CASE WHEN s.effective_on <= $1 THEN s.effective_on END DESC, s.effective_on LIMIT 1`, d.Format(time.DateOnly)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, zhifa.Errorf(zhifa.ECONFLICT, "尚未设置案卷评查标准，请县级管理员先设置评查标准。")
	}
	return s, err
}

func sheetByID(ctx context.Context, tx pgx.Tx, id int64) (*Sheet, error) {
	return scanSheet(tx.QueryRow(ctx, `SELECT `+sheetColumns+` FROM eval_sheets s LEFT JOIN users u ON u.id = s.created_by WHERE s.id = $1`, id))
}

// SheetOn is the sheet in force on d.
func (s *Service) SheetOn(ctx context.Context, d time.Time) (*Sheet, error) {
	var out *Sheet
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = sheetOn(ctx, tx, d)
		return err
	})
	return out, zhifa.Annotate(err, "evaluation sheet")
}

// SheetVersions lists every version, the latest first.
func (s *Service) SheetVersions(ctx context.Context) ([]*Sheet, error) {
	var out []*Sheet
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+sheetColumns+` FROM eval_sheets s LEFT JOIN users u ON u.id = s.created_by ORDER BY s.effective_on DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sh, err := scanSheet(rows)
			if err != nil {
				return err
			}
			out = append(out, sh)
		}
		return rows.Err()
	})
	return out, zhifa.Annotate(err, "evaluation sheet versions")
}

// SaveSheet adds a version of the sheet effective from a day (today or
// later): rounds already opened keep the version they were opened under.
func (s *Service) SaveSheet(ctx context.Context, effective time.Time, sh *Sheet, note string) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "评查标准由县级管理员维护。")
	}
	today := s.Clock.Today()
	fe := zhifa.FieldErrors{}
	fe.Check(!effective.IsZero(), "effective_on", "请填写生效日期。")
	fe.Check(effective.IsZero() || !effective.Before(today), "effective_on", "生效日期不能早于今天：已开启的评查按开启当日施行的标准评分，不能追溯修改。")
	fe.Check(utf8.RuneCountInString(note) <= 200, "note", "不能超过200个字。")
	if err := fe.Err(); err != nil {
		return err
	}
	if err := sh.Validate(); err != nil {
		return zhifa.Errorf(zhifa.EINVALID, "%s。", err.Error())
	}
	items, err := json.Marshal(sh.Items)
	if err != nil {
		return err
	}
	grades, err := json.Marshal(sh.Grades)
	if err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO eval_sheets (effective_on, items, grades, note, created_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (effective_on) DO NOTHING`, effective.Format(time.DateOnly), items, grades, strings.TrimSpace(note), a.UserID)
		if err == nil && tag.RowsAffected() == 0 {
			return zhifa.FieldErrors{"effective_on": "该日期已有一个版本（已保存的版本不能修改），请选择其他生效日期。"}
		}
		return err
	})
	return zhifa.Annotate(err, "save evaluation sheet")
}

// ---- Rounds ----

// Round statuses.
const (
	RoundOpen   = "open"
	RoundClosed = "closed"
)

// Round is an evaluation round.
type Round struct {
	ID            int64
	Name          string
	PeriodFrom    time.Time
	PeriodTo      time.Time
	Towns         []int64
	TownNames     []string
	PerTown       int
	Reviewers     []int64
	ReviewerNames []string
	Seed          int64
	Picked        bool
	SheetID       int64
	Status        string
	OpenedOn      time.Time
	ClosedOn      *time.Time
	CreatedBy     string
	Dossiers      int // visible to the reader (a town: its own finished ones)
	Done          int
}

// StatusLabel is the round's status in Chinese.
func (r *Round) StatusLabel() string {
	if r.Status == RoundClosed {
		return "已结束"
	}
	return "评查中"
}

const roundColumns = `r.id, r.name, r.period_from, r.period_to, r.towns,
	coalesce((SELECT array_agg(t.name ORDER BY t.position) FROM towns t WHERE t.id = ANY (r.towns)), '{}'),
	r.per_town, r.reviewers,
	coalesce((SELECT array_agg(u.display_name ORDER BY u.id) FROM users u WHERE u.id = ANY (r.reviewers)), '{}'),
	r.seed, r.picked, r.sheet_id, r.status, r.opened_on, r.closed_on, coalesce(cu.display_name, ''),
	(SELECT count(*) FROM eval_dossiers d WHERE d.round_id = r.id),
	(SELECT count(*) FROM eval_dossiers d WHERE d.round_id = r.id AND d.status = 'done')`

const roundFrom = ` FROM eval_rounds r LEFT JOIN users cu ON cu.id = r.created_by`

func scanRound(row pgx.Row) (*Round, error) {
	r := &Round{}
	err := row.Scan(&r.ID, &r.Name, &r.PeriodFrom, &r.PeriodTo, &r.Towns, &r.TownNames, &r.PerTown, &r.Reviewers, &r.ReviewerNames,
		&r.Seed, &r.Picked, &r.SheetID, &r.Status, &r.OpenedOn, &r.ClosedOn, &r.CreatedBy, &r.Dossiers, &r.Done)
	if err != nil {
		return nil, err
	}
	r.PeriodFrom, r.PeriodTo, r.OpenedOn, r.ClosedOn = day(r.PeriodFrom), day(r.PeriodTo), day(r.OpenedOn), dayPtr(r.ClosedOn)
	return r, nil
}

// List is the rounds the actor may read (a town: those with its finished
// dossiers), the latest first; townID narrows the county's list to the
// rounds that include that town.
func (s *Service) List(ctx context.Context, townID int64) ([]*Round, error) {
	var out []*Round
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+roundColumns+roundFrom+`
			WHERE $1 = 0 OR $1 = ANY (r.towns) OR EXISTS (SELECT FROM eval_dossiers d WHERE d.round_id = r.id AND d.town_id = $1)
			ORDER BY r.opened_on DESC, r.id DESC`, townID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRound(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, zhifa.Annotate(err, "evaluation rounds")
}

func getRound(ctx context.Context, tx pgx.Tx, id int64, lock bool) (*Round, error) {
	q := `SELECT ` + roundColumns + roundFrom + ` WHERE r.id = $1`
	if lock {
		q += ` FOR UPDATE OF r`
	}
	r, err := scanRound(tx.QueryRow(ctx, q, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errRoundNotFound
	}
	return r, err
}

// NewRound is what the county reviewer gives to open a round.
type NewRound struct {
	Name        string
	From, To    time.Time
	Towns       []int64
	PerTown     int
	Reviewers   []int64
	Seed        int64
	CaseNumbers []string // picked by hand instead of drawn
}

// countyReviewer: only the county's reviewers open rounds and score.
func countyReviewer(a *zhifa.Actor, what string) error {
	if a == nil || a.Role != zhifa.RoleCountyReviewer {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县司法局审核人员可以%s。", what)
	}
	return nil
}

// Open opens a round: the sample is drawn per town from the general
// procedure cases closed in the period (or taken as picked), each dossier
// is checked automatically against the sheet in force today and given a
// reviewer who took no part in the case.
func (s *Service) Open(ctx context.Context, n NewRound) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	if err := countyReviewer(a, "开启案卷评查"); err != nil {
		return 0, err
	}
	today := s.Clock.Today()
	n.Name = strings.TrimSpace(n.Name)
	picked := len(n.CaseNumbers) > 0
	fe := zhifa.FieldErrors{}
	fe.Check(n.Name != "" && utf8.RuneCountInString(n.Name) <= 100, "name", "请填写评查名称（不超过100字）。")
	fe.Check(!n.From.IsZero(), "period_from", "请填写起始日期。")
	fe.Check(!n.To.IsZero(), "period_to", "请填写截止日期。")
	fe.Check(n.From.IsZero() || n.To.IsZero() || !n.To.Before(n.From), "period_to", "截止日期不能早于起始日期。")
	fe.Check(n.To.IsZero() || !n.To.After(today), "period_to", "截止日期不能晚于今天。")
	if !picked {
		fe.Check(len(n.Towns) > 0, "towns", "请选择参加评查的镇。")
		fe.Check(n.PerTown >= 1 && n.PerTown <= 50, "per_town", "每镇抽取案卷数应为1至50份。")
	}
	fe.Check(len(n.Reviewers) > 0, "reviewers", "请选择评查人员。")
	fe.Check(n.Seed > 0, "seed", "随机种子须为正整数。")
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var ok int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = ANY ($1) AND role = 'county_reviewer' AND active`, n.Reviewers).Scan(&ok); err != nil {
			return err
		}
		if ok != len(slices.Compact(slices.Sorted(slices.Values(n.Reviewers)))) {
			return zhifa.FieldErrors{"reviewers": "评查人员须为县司法局审核人员。"}
		}
		sheet, err := sheetOn(ctx, tx, today)
		if err != nil {
			return err
		}
		type pick struct{ caseID, townID int64 }
		var sample []pick
		if picked {
			seen := map[int64]bool{}
			for _, num := range n.CaseNumbers {
				var p pick
				var state string
				err := tx.QueryRow(ctx, `SELECT id, town_id, state FROM cases WHERE number = $1`, num).Scan(&p.caseID, &p.townID, &state)
				if errors.Is(err, pgx.ErrNoRows) {
					return zhifa.FieldErrors{"cases": "没有找到案号为“" + num + "”的案件。"}
				}
				if err != nil {
					return err
				}
				if state != "closed" && state != "archived" {
					return zhifa.FieldErrors{"cases": "案件“" + num + "”尚未结案，结案后才能评查。"}
				}
				if !seen[p.caseID] {
					seen[p.caseID] = true
					sample = append(sample, p)
				}
			}
			n.Towns = nil
			for _, p := range sample {
				if !slices.Contains(n.Towns, p.townID) {
					n.Towns = append(n.Towns, p.townID)
				}
			}
			n.PerTown = 0
		} else {
			slices.Sort(n.Towns)
			n.Towns = slices.Compact(n.Towns)
			for _, town := range n.Towns {
				rows, _ := tx.Query(ctx, `SELECT id FROM cases WHERE town_id = $1 AND procedure = 'general'
					AND state IN ('closed', 'archived') AND closed_on BETWEEN $2 AND $3`,
					town, n.From.Format(time.DateOnly), n.To.Format(time.DateOnly))
				ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
				if err != nil {
					return err
				}
				for _, c := range DrawStream(n.Seed, town, ids, n.PerTown) {
					sample = append(sample, pick{c, town})
				}
			}
			if len(sample) == 0 {
				return zhifa.Errorf(zhifa.EINVALID, "所选镇在%s至%s期间没有已结案的一般程序案件，无法抽取案卷。", D(n.From), D(n.To))
			}
		}
		err = tx.QueryRow(ctx, `INSERT INTO eval_rounds (name, period_from, period_to, towns, per_town, reviewers, seed, picked, sheet_id, opened_on, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			n.Name, n.From.Format(time.DateOnly), n.To.Format(time.DateOnly), n.Towns, n.PerTown, n.Reviewers, n.Seed, picked,
			sheet.ID, today.Format(time.DateOnly), a.UserID).Scan(&id)
		if err != nil {
			return err
		}
		next := 0 // round-robin over the reviewers
		for i, p := range sample {
			if err := addDossier(ctx, tx, id, i+1, p.caseID, p.townID, sheet, n.Reviewers, &next, today); err != nil {
				return err
			}
		}
		return nil
	})
	return id, zhifa.Annotate(err, "open evaluation round")
}

// addDossier puts case caseID into round roundID with its automatic checks
// and the next reviewer who took no part in it.
func addDossier(ctx context.Context, tx pgx.Tx, roundID int64, pos int, caseID, townID int64, sheet *Sheet, reviewers []int64, next *int, today time.Time) error {
	rec, err := LoadRecord(ctx, tx, caseID, today)
	if err != nil {
		return err
	}
	took, err := participants(ctx, tx, caseID)
	if err != nil {
		return err
	}
	var reviewer *int64
	for k := range reviewers {
		r := reviewers[(*next+k)%len(reviewers)]
		if _, ok := took[r]; !ok {
			reviewer = &r
			*next = (*next + k + 1) % len(reviewers)
			break
		}
	}
	var did int64
	if err := tx.QueryRow(ctx, `INSERT INTO eval_dossiers (round_id, case_id, town_id, position, reviewer_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		roundID, caseID, townID, pos, reviewer).Scan(&did); err != nil {
		return err
	}
	auto := Auto(rec, sheet)
	b := &pgx.Batch{}
	for _, it := range sheet.Items {
		c := auto[it.Code]
		b.Queue(`INSERT INTO eval_scores (dossier_id, town_id, code, auto_result, auto_evidence, auto_deduction) VALUES ($1, $2, $3, $4, $5, $6)`,
			did, townID, it.Code, c.Result, c.Evidence, c.Deduction)
	}
	return tx.SendBatch(ctx, b).Close()
}

// participants are the users who took part in the case and how: they may
// not evaluate its dossier (回避).
func participants(ctx context.Context, tx pgx.Tx, caseID int64) (map[int64]string, error) {
	rows, _ := tx.Query(ctx, `SELECT user_id, '承办' FROM case_officers WHERE case_id = $1
		UNION ALL SELECT reviewer_id, '法制审核' FROM case_reviews WHERE case_id = $1
		UNION ALL SELECT decided_by, '作出处罚决定' FROM cases WHERE id = $1 AND decided_by IS NOT NULL
		UNION ALL SELECT filing_approved_by, '批准立案' FROM cases WHERE id = $1 AND filing_approved_by IS NOT NULL`, caseID)
	out := map[int64]string{}
	var id int64
	var how string
	_, err := pgx.ForEachRow(rows, []any{&id, &how}, func() error {
		if prev, ok := out[id]; ok && !strings.Contains(prev, how) {
			how = prev + "、" + how
		}
		out[id] = how
		return nil
	})
	return out, err
}

// conflict says why the actor may not evaluate case caseID ("" if he may).
func conflict(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, caseID int64) (string, error) {
	took, err := participants(ctx, tx, caseID)
	if err != nil {
		return "", err
	}
	if how, ok := took[a.UserID]; ok {
		return "您参与过该案件的办理（" + how + "），应当回避，不能评查该案卷。", nil
	}
	return "", nil
}

// Close ends a round once every dossier is finished.
func (s *Service) Close(ctx context.Context, id int64) error {
	a := zhifa.ActorFrom(ctx)
	if err := countyReviewer(a, "结束案卷评查"); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		r, err := getRound(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if r.Status == RoundClosed {
			return zhifa.Errorf(zhifa.ECONFLICT, "本轮评查已经结束。")
		}
		if left := r.Dossiers - r.Done; left > 0 {
			return zhifa.Errorf(zhifa.ECONFLICT, "尚有%d份案卷未完成评查，不能结束本轮评查。", left)
		}
		_, err = tx.Exec(ctx, `UPDATE eval_rounds SET status = 'closed', closed_on = $2 WHERE id = $1`, id, s.Clock.Today().Format(time.DateOnly))
		return err
	})
	return zhifa.Annotate(err, fmt.Sprintf("close evaluation round %d", id))
}

// Reviewer is a county reviewer who may be given dossiers to score.
type Reviewer struct {
	ID   int64
	Name string
}

// Reviewers are the active county reviewers.
func (s *Service) Reviewers(ctx context.Context) ([]Reviewer, error) {
	var out []Reviewer
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, display_name FROM users WHERE role = 'county_reviewer' AND active ORDER BY id`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Reviewer])
		return err
	})
	return out, zhifa.Annotate(err, "county reviewers")
}
