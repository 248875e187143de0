package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/correction"
	"zhifa/internal/database"
	"zhifa/internal/evaluation"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// evalCase is a closed sample case of last year for the demo evaluation,
// with the defect it was made to have and what the reviewer found by hand.
type evalCase struct {
	town, item, party string
	fineFen           int64
	order             string
	state             workflow.State
	act, filed        string            // MM-DD of the year
	dates             map[string]string // MM-DD of the year, as insertDemoCase reads them
	unrechecked       bool              // a statement recorded and never rechecked
	// Manual findings: item code → deduction (veto: fail) and reason.
	manual map[string]evaluation.Entry
}

// evalCases are seven dossiers of four towns (filed after the 2025 lists
// took effect on 1 July): two clean, the others with
// the defects evaluations commonly find (late service, late filing, an
// unrechecked statement, a review after the decision, a file not archived).
var evalCases = []evalCase{
	{town: "chengguan", item: "ZY-HJ-002", party: "钱某", fineFen: 50000, state: workflow.Archived, act: "07-10", filed: "07-11",
		dates:  map[string]string{"review": "07-20", "reviewed": "07-22", "notice": "07-23", "decided": "07-30", "served": "07-31", "paid": "08-08", "closed": "08-15"},
		manual: map[string]evaluation.Entry{"C19": {Deduction: "2", Reason: "纸质卷宗中未见事先告知书的送达回证"}}},
	{town: "chengguan", item: "ZY-HJ-002", party: "孙某", fineFen: 100000, state: workflow.Archived, act: "07-28", filed: "07-29",
		dates:  map[string]string{"review": "08-01", "reviewed": "08-04", "notice": "08-05", "decided": "08-12", "served": "08-27", "paid": "09-05", "closed": "09-12"},
		manual: map[string]evaluation.Entry{"C05": {Deduction: "1", Reason: "询问笔录未注明询问起止时间"}}},
	{town: "hanwang", item: "ZY-HJ-002", party: "冯某", fineFen: 150000, state: workflow.Archived, act: "07-02", filed: "08-12",
		dates:  map[string]string{"review": "08-22", "reviewed": "08-25", "notice": "08-26", "decided": "09-02", "served": "09-03", "paid": "09-12", "closed": "09-19"},
		manual: map[string]evaluation.Entry{"C17": {Deduction: "1", Reason: "裁量理由未说明适用一般阶次的事实依据"}}},
	{town: "hanwang", item: "ZY-LY-004", party: "褚某", fineFen: 200000, order: "补植树木30棵", state: workflow.Archived, act: "08-11", filed: "08-12",
		// Noticed and decided before the legal review was passed.
		dates:  map[string]string{"review": "08-18", "reviewed": "08-29", "notice": "08-19", "decided": "08-25", "served": "08-26", "paid": "09-03", "order_done": "09-20", "closed": "09-26"},
		manual: map[string]evaluation.Entry{"C06": {Deduction: "2", Reason: "毁坏林地面积无测量记录，现场照片无拍摄说明"}}},
	{town: "maoba", item: "ZY-SR-006", party: "卫某", fineFen: 15000, state: workflow.Archived, act: "09-02", filed: "09-03",
		dates:       map[string]string{"review": "09-10", "reviewed": "09-12", "notice": "09-15", "decided": "09-22", "served": "09-23", "paid": "09-30", "closed": "10-14"},
		unrechecked: true},
	{town: "xiangyang", item: "ZY-HJ-002", party: "蒋某", fineFen: 80000, state: workflow.Archived, act: "10-08", filed: "10-09",
		dates: map[string]string{"review": "10-20", "reviewed": "10-22", "notice": "10-23", "decided": "10-30", "served": "10-31", "paid": "11-07", "closed": "11-14"}},
	{town: "xiangyang", item: "ZY-SR-006", party: "沈某", fineFen: 20000, state: workflow.Closed, act: "11-03", filed: "11-04",
		dates:  map[string]string{"review": "11-12", "reviewed": "11-14", "notice": "11-17", "decided": "11-24", "served": "11-25", "paid": "12-02", "closed": "12-10"},
		manual: map[string]evaluation.Entry{"F02": {Deduction: "1", Reason: "立案审批表承办人意见未签署日期"}}},
}

// paperNote is why the reviewer overrides the record's "no documents in
// the system" for a file made on paper before the system.
const paperNote = "系统上线前纸质制作，经核对纸质卷宗，文书格式规范、目录页码齐全"

// DemoEvaluations loads one finished evaluation round of last year across
// four towns, scored by the county reviewer with realistic findings, and
// the correction tasks they opened (some answered and closed), once. It
// needs last year's closed cases, so it adds a few of the year's closed
// sample cases (the demo's other cases are dated from today). Nothing is
// loaded before last year's round could have been held (late January) or
// for a year before the 2025 lists.
func DemoEvaluations(ctx context.Context, db *database.DB, today time.Time) (bool, error) {
	year := today.Year() - 1
	opened := time.Date(year+1, 1, 12, 0, 0, 0, 0, zhifa.Local)
	if year < List2025Effective.Year() || today.Before(opened.AddDate(0, 0, 30)) {
		return false, nil
	}
	sys := zhifa.WithActor(ctx, zhifa.System)
	var done bool
	err := db.Tx(sys, func(tx pgx.Tx) error {
		return tx.QueryRow(sys, `SELECT EXISTS (SELECT FROM eval_rounds) OR NOT EXISTS (SELECT FROM users WHERE username = 'county-reviewer')`).Scan(&done)
	})
	if err != nil || done {
		return false, err
	}
	day := func(md string) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, fmt.Sprintf("%d-%s", year, md), zhifa.Local)
		return t
	}
	// The cases, as the town would have closed them.
	numbers := map[string]*evalCase{}
	err = db.Tx(sys, func(tx pgx.Tx) error {
		for i := range evalCases {
			ec := &evalCases[i]
			villages := sampleVillages[ec.town][1:]
			dc := demoCase{town: ec.town, item: ec.item, party: ec.party, village: villages[i%len(villages)],
				facts: "（示例案件）" + ec.party + "涉嫌违法，执法人员现场检查并拍照取证。", state: ec.state, procedure: workflow.General,
				actOn: day(ec.act), filedOn: day(ec.filed), fineFen: ec.fineFen, order: ec.order}
			dates := map[string]time.Time{}
			for k, v := range ec.dates {
				dates[k] = day(v)
			}
			if _, ok := dates["order_done"]; !ok {
				dates["order_done"] = dates["closed"]
			}
			// A case left by an earlier start that failed later is reused.
			find := func() (id int64, number string, err error) {
				err = tx.QueryRow(sys, `SELECT c.id, c.number FROM cases c JOIN towns t ON t.id = c.town_id
					WHERE t.code = $1 AND c.party_name = $2 AND c.filed_on = $3 ORDER BY c.id DESC LIMIT 1`,
					ec.town, ec.party, day(ec.filed).Format(time.DateOnly)).Scan(&id, &number)
				return id, number, err
			}
			_, number, err := find()
			if err == nil {
				numbers[number] = ec
				continue
			}
			var id int64
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if err := insertDemoCase(ctx, tx, dc, today, dates); err != nil {
				return fmt.Errorf("seed evaluation case %s: %w", ec.party, err)
			}
			if id, number, err = find(); err != nil {
				return err
			}
			numbers[number] = ec
			if ec.unrechecked {
				if _, err := tx.Exec(sys, `INSERT INTO case_statements (case_id, town_id, received_on, content)
					SELECT id, town_id, $2, '当事人称系初次违法，请求减轻处罚。' FROM cases WHERE id = $1`, id, dates["notice"].AddDate(0, 0, 1).Format(time.DateOnly)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}

	reviewer, err := actorOf(sys, db, "county-reviewer")
	if err != nil {
		return false, err
	}
	clock := opened
	svc := &evaluation.Service{DB: db, Clock: func() time.Time { return clock.Add(10 * time.Hour) }}
	rctx := zhifa.WithActor(ctx, reviewer)
	var towns []int64
	err = db.Tx(sys, func(tx pgx.Tx) error {
		rows, _ := tx.Query(sys, `SELECT id FROM towns WHERE code = ANY ($1) ORDER BY position`, []string{"chengguan", "hanwang", "xiangyang", "maoba"})
		var err error
		towns, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err != nil {
		return false, err
	}
	id, err := svc.Open(rctx, evaluation.NewRound{Name: fmt.Sprintf("%d年度案卷评查", year), From: day("01-01"), To: day("12-31"),
		Towns: towns, PerTown: 2, Reviewers: []int64{reviewer.UserID}, Seed: 20260112})
	if err != nil {
		return false, fmt.Errorf("seed evaluation round: %w", err)
	}
	page, err := svc.Get(rctx, id, 0)
	if err != nil {
		return false, err
	}
	for i, d := range page.Dossiers {
		clock = opened.AddDate(0, 0, 3+i)
		p, err := svc.Dossier(rctx, id, d.ID)
		if err != nil {
			return false, err
		}
		if p.Conflict != "" {
			continue
		}
		in := map[string]evaluation.Entry{}
		for _, sc := range p.Scores {
			e := evaluation.Entry{Result: sc.AutoResult, Deduction: evaluation.Points(sc.AutoDeduction)}
			// A file made on paper: what the system cannot see was checked in it.
			if sc.AutoResult == evaluation.ResultFail && sc.Item.Tier == evaluation.TierForm && sc.Item.Code != "F06" && sc.Item.Code != "F08" {
				e = evaluation.Entry{Deduction: "0", Reason: paperNote}
			}
			if sc.Item.Code == "C19" && sc.AutoResult == evaluation.ResultFail {
				e = evaluation.Entry{Deduction: "0", Reason: "送达回证纸质附卷，当事人签收齐全"}
			}
			in[sc.Item.Code] = e
		}
		if ec := numbers[d.CaseNumber]; ec != nil {
			for code, e := range ec.manual {
				in[code] = e
			}
		} else if d.PartyName == "刘某" {
			in["C06"] = evaluation.Entry{Deduction: "1", Reason: "现场照片未附拍摄时间、地点和拍摄人说明"}
		}
		if err := svc.Save(rctx, id, d.ID, in, true); err != nil {
			return false, fmt.Errorf("seed evaluation of %s: %w", d.CaseNumber, err)
		}
	}
	clock = opened.AddDate(0, 0, 18)
	if err := svc.Close(rctx, id); err != nil {
		return false, fmt.Errorf("close seed evaluation round: %w", err)
	}

	// 城关镇 answered its findings and the county closed them; the others
	// are still open.
	leader, err := actorOf(sys, db, "chengguan-leader")
	if err != nil {
		return false, err
	}
	corr := &correction.Service{DB: db, Clock: func() time.Time { return clock.Add(10 * time.Hour) }}
	tasks, err := corr.List(rctx, correction.Filter{TownID: leader.TownID, Source: correction.SourceEvaluation})
	if err != nil {
		return false, err
	}
	for _, t := range tasks {
		clock = opened.AddDate(0, 0, 28)
		if err := corr.Answer(zhifa.WithActor(ctx, leader), t.ID, correction.AnswerExplanation,
			"已组织全队对照评查意见逐项整改：补齐相关材料并归入案卷，在队务会上通报学习，今后同类文书由主办人员复核后签发。"); err != nil {
			return false, err
		}
		clock = opened.AddDate(0, 0, 33)
		if err := corr.Close(rctx, t.ID, "整改情况属实，予以销号。"); err != nil {
			return false, err
		}
	}
	return true, nil
}

// actorOf is the demo account username as an actor.
func actorOf(ctx context.Context, db *database.DB, username string) (*zhifa.Actor, error) {
	a := &zhifa.Actor{Username: username}
	err := db.Tx(ctx, func(tx pgx.Tx) error {
		var town *int64
		var townName *string
		err := tx.QueryRow(ctx, `SELECT u.id, u.display_name, u.role, u.town_id, t.name FROM users u LEFT JOIN towns t ON t.id = u.town_id
			WHERE u.username = $1`, username).Scan(&a.UserID, &a.DisplayName, &a.Role, &town, &townName)
		if town != nil {
			a.TownID, a.TownName = *town, *townName
		}
		return err
	})
	return a, err
}
