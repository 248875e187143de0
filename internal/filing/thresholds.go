// Package filing owns the filing review of major penalty decisions
// (重大行政处罚决定备案审查): what counts as "major" (the county's
// thresholds per domain, versioned by the day they take effect), the
// obligation a major decision creates (made in the decision's own
// transaction, with its deadline), the town's filing with the issued
// 备案表 and decision, and the county's review, whose 责令纠正 or 撤销建议
// opens a correction task (internal/correction) in the same transaction.
package filing

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/database"
	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Thresholds is one version of what counts as major: the county default
// (DomainID 0) or a domain's own.
type Thresholds struct {
	ID          int64     `db:"id"`
	DomainID    int64     `db:"domain_id"` // 0 = county default
	Domain      string    `db:"domain"`    // "" for the default
	EffectiveOn time.Time `db:"effective_on"`
	// UsesDefault: from this date the domain follows the county default
	// again (a domain version only).
	UsesDefault     bool      `db:"uses_default"`
	PersonFineFen   int64     `db:"person_fine_fen"`
	OrgFineFen      int64     `db:"org_fine_fen"`
	ConfiscationFen int64     `db:"confiscation_fen"`
	Revocation      bool      `db:"revocation"`
	Closure         bool      `db:"closure"`
	Note            string    `db:"note"`
	CreatedBy       string    `db:"created_by"`
	CreatedAt       time.Time `db:"created_at"`
}

// Describe writes the criteria in one line.
func (t *Thresholds) Describe() string {
	if t.UsesDefault {
		return "执行县级默认标准"
	}
	parts := []string{"对个人罚款" + zhifa.Yuan(t.PersonFineFen) + "以上", "对单位罚款" + zhifa.Yuan(t.OrgFineFen) + "以上",
		"没收违法所得、非法财物价值" + zhifa.Yuan(t.ConfiscationFen) + "以上"}
	if t.Revocation {
		parts = append(parts, "吊销许可证件")
	}
	if t.Closure {
		parts = append(parts, "责令停产停业、责令关闭、暂扣许可证件等")
	}
	return strings.Join(parts, "；")
}

// Sanction is one penalty of a decision as the thresholds read it.
type Sanction struct {
	Kind      string // workflow.Kind*
	AmountFen int64  // a fine; a confiscation's value when known
	Note      string // what is confiscated, suspended or revoked
}

// amountRE finds amounts written in a confiscation's note: "违法所得3000元",
// "木材价值1.2万元".
var amountRE = regexp.MustCompile(`([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*(万?)元`)

// confiscationValue is what a confiscation is worth: its amount, else the
// amounts its note states in yuan (0 when it states none).
func confiscationValue(s Sanction) int64 {
	if s.AmountFen > 0 {
		return s.AmountFen
	}
	var total int64
	for _, m := range amountRE.FindAllStringSubmatch(s.Note, -1) {
		fen, ok := zhifa.ParseYuan(m[1])
		if !ok {
			continue
		}
		if m[2] == "万" {
			fen *= 10000
		}
		total += fen
	}
	return total
}

// Major reports whether a decision with sanctions on a party of partyKind
// ("person" | "org") meets th, and why (the criteria met, in Chinese).
func Major(th Thresholds, partyKind string, sanctions []Sanction) (reason string, ok bool) {
	var fine, confiscated int64
	var reasons []string
	revoked, closed := false, false
	for _, s := range sanctions {
		switch s.Kind {
		case workflow.KindFine:
			fine += s.AmountFen
		case workflow.KindConfiscation:
			confiscated += confiscationValue(s)
		case workflow.KindRevocation:
			revoked = true
		case workflow.KindSuspension:
			closed = true
		}
	}
	limit, who := th.PersonFineFen, "个人"
	if partyKind == "org" {
		limit, who = th.OrgFineFen, "单位"
	}
	if limit > 0 && fine >= limit {
		reasons = append(reasons, fmt.Sprintf("对%s罚款%s，达到%s以上的标准", who, zhifa.Yuan(fine), zhifa.Yuan(limit)))
	}
	if th.ConfiscationFen > 0 && confiscated >= th.ConfiscationFen {
		reasons = append(reasons, fmt.Sprintf("没收违法所得、非法财物价值%s，达到%s以上的标准", zhifa.Yuan(confiscated), zhifa.Yuan(th.ConfiscationFen)))
	}
	if th.Revocation && revoked {
		reasons = append(reasons, "吊销许可证件")
	}
	if th.Closure && closed {
		reasons = append(reasons, "责令停产停业、责令关闭或者暂扣许可证件等")
	}
	return strings.Join(reasons, "；"), len(reasons) > 0
}

const thresholdColumns = `t.id, coalesce(t.domain_id, 0) AS domain_id, coalesce(d.name, '') AS domain, t.effective_on, t.uses_default,
	coalesce(t.person_fine_fen, 0) AS person_fine_fen, coalesce(t.org_fine_fen, 0) AS org_fine_fen,
	coalesce(t.confiscation_fen, 0) AS confiscation_fen, t.revocation, t.closure, t.note,
	coalesce(u.display_name, '系统') AS created_by, t.created_at`

const thresholdFrom = ` FROM major_thresholds t LEFT JOIN domains d ON d.id = t.domain_id LEFT JOIN users u ON u.id = t.created_by`

// InForce is the thresholds that judge a decision of domainID made on day:
// the domain's latest version by then, unless it follows the county
// default (or has none), then the default's. Nil when none is in force.
func InForce(ctx context.Context, tx pgx.Tx, domainID int64, day time.Time) (*Thresholds, error) {
	d := day.Format(time.DateOnly)
	if domainID != 0 {
		rows, _ := tx.Query(ctx, `SELECT `+thresholdColumns+thresholdFrom+`
			WHERE t.domain_id = $1 AND t.effective_on <= $2 ORDER BY t.effective_on DESC LIMIT 1`, domainID, d)
		th, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Thresholds])
		if err == nil && !th.UsesDefault {
			return normal(th), nil
		}
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("domain thresholds: %w", err)
		}
	}
	rows, _ := tx.Query(ctx, `SELECT `+thresholdColumns+thresholdFrom+`
		WHERE t.domain_id IS NULL AND t.effective_on <= $1 ORDER BY t.effective_on DESC LIMIT 1`, d)
	th, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Thresholds])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("county thresholds: %w", err)
	}
	return normal(th), nil
}

// normal makes the version's dates local calendar dates.
func normal(t *Thresholds) *Thresholds {
	t.EffectiveOn = deadline.Day(t.EffectiveOn)
	return t
}

// Service reads and changes the thresholds and the filings.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
}

// Versions are every version saved, the county default's first, then each
// domain's, newest first.
func (s *Service) Versions(ctx context.Context) ([]Thresholds, error) {
	var out []Thresholds
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+thresholdColumns+thresholdFrom+`
			ORDER BY t.domain_id IS NOT NULL, d.position, d.id, t.effective_on DESC`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Thresholds])
		return err
	})
	for i := range out {
		normal(&out[i])
	}
	return out, zhifa.Annotate(err, "major thresholds")
}

// Current is the thresholds in force on day for the county default
// (first) and for each domain that has versions of its own.
func (s *Service) Current(ctx context.Context, day time.Time) ([]Thresholds, error) {
	var out []Thresholds
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id FROM (SELECT 0::bigint AS id, -1 AS position UNION ALL
				SELECT d.id, d.position FROM domains d
				WHERE EXISTS (SELECT FROM major_thresholds t WHERE t.domain_id = d.id AND t.effective_on <= $1)) x
			ORDER BY position, id`, day.Format(time.DateOnly))
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, id := range ids {
			th, err := InForce(ctx, tx, id, day)
			if err != nil {
				return err
			}
			if th == nil {
				continue
			}
			if id != 0 && th.DomainID == 0 {
				// The domain follows the default again: say so under its name.
				var name string
				if err := tx.QueryRow(ctx, `SELECT name FROM domains WHERE id = $1`, id).Scan(&name); err != nil {
					return err
				}
				th = &Thresholds{DomainID: id, Domain: name, UsesDefault: true}
			}
			out = append(out, *th)
		}
		return nil
	})
	return out, zhifa.Annotate(err, "major thresholds in force")
}

// ThresholdsInput is a version as the county administrator types it.
type ThresholdsInput struct {
	DomainID                              int64 // 0 = county default
	EffectiveOn                           string
	UsesDefault                           bool // a domain returns to the county default
	PersonYuan, OrgYuan, ConfiscationYuan string
	Revocation, Closure                   bool
	Note                                  string
}

// SaveVersion adds a version taking effect on a day not in the past:
// decisions already made keep the version they were judged by.
func (s *Service) SaveVersion(ctx context.Context, in ThresholdsInput) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员可以修改重大行政处罚标准。")
	}
	fe := zhifa.FieldErrors{}
	today := s.Clock.Today()
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.EffectiveOn), zhifa.Local)
	switch {
	case err != nil:
		fe.Add("effective_on", "请填写生效日期（如 2025-10-01）。")
	case day.Before(today):
		fe.Add("effective_on", "生效日期不能早于今天：已作出的决定按当时施行的标准认定。")
	}
	in.UsesDefault = in.UsesDefault && in.DomainID != 0
	var person, org, confiscation *int64
	if !in.UsesDefault {
		amount := func(field, typed, what string) *int64 {
			v, ok := zhifa.ParseYuan(typed)
			if !ok || v <= 0 || v > 100_000_000*100 {
				fe.Add(field, "请填写"+what+"（元），大于0，最多两位小数。")
				return nil
			}
			return &v
		}
		person = amount("person_yuan", in.PersonYuan, "对个人罚款的标准")
		org = amount("org_yuan", in.OrgYuan, "对单位罚款的标准")
		confiscation = amount("confiscation_yuan", in.ConfiscationYuan, "没收违法所得、非法财物价值的标准")
	}
	note := strings.TrimSpace(in.Note)
	fe.Check(utf8.RuneCountInString(note) <= 200, "note", "说明不能超过200字。")
	if err := fe.Err(); err != nil {
		return err
	}
	var domain *int64
	if in.DomainID != 0 {
		domain = &in.DomainID
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO major_thresholds (domain_id, effective_on, uses_default, person_fine_fen, org_fine_fen,
				confiscation_fen, revocation, closure, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			domain, day.Format(time.DateOnly), in.UsesDefault, person, org, confiscation, in.Revocation && !in.UsesDefault,
			in.Closure && !in.UsesDefault, note, a.UserID)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			switch pgErr.Code {
			case "23505":
				return zhifa.FieldErrors{"effective_on": "该范围在这一天已有一个版本生效，版本保存后不能修改，请另选生效日期。"}
			case "23503":
				return zhifa.FieldErrors{"domain": "请选择有效的领域。"}
			}
		}
		return err
	})
	return zhifa.Annotate(err, "save major thresholds")
}

// FormValues are a version's amounts as the form shows them (yuan).
func (t *Thresholds) FormValues() map[string]string {
	v := map[string]string{"person_yuan": zhifa.FormatYuan(t.PersonFineFen), "org_yuan": zhifa.FormatYuan(t.OrgFineFen),
		"confiscation_yuan": zhifa.FormatYuan(t.ConfiscationFen)}
	if t.Revocation {
		v["revocation"] = "1"
	}
	if t.Closure {
		v["closure"] = "1"
	}
	if t.DomainID != 0 {
		v["domain"] = strconv.FormatInt(t.DomainID, 10)
	}
	return v
}

// Period is the county's filing period in working days
// (major_filing_working_days).
func (s *Service) Period(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT coalesce((SELECT value FROM procedure_settings
			WHERE key = 'major_filing_working_days' AND domain_id IS NULL), 15)`).Scan(&n)
	})
	return n, zhifa.Annotate(err, "filing period")
}
