package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/correction"
	"zhifa/internal/database"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/filing"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// The filing review of major decisions in the demo, as Ziyang's pilot
// reported it (provincial pilot since October 2024: 7 major cases reviewed,
// 1 penalty corrected): the county default thresholds come with migration
// 0018; seedMajorThresholds adds one domain's own; DemoFilings adds major
// decisions in several towns, filed and reviewed, one of them ordered
// corrected and the correction answered and closed, plus one waiting for
// the review, one still within its period and one overdue.

// constructionThresholds is the 城乡建设 domain's own version: fines for
// unlawful building are reckoned on the construction cost and routinely
// exceed the county default, so the county files only the larger ones.
const constructionThresholdsOn = "2025-01-01"

// seedMajorThresholds adds the 城乡建设 domain's thresholds, once.
func seedMajorThresholds(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO major_thresholds (domain_id, effective_on, person_fine_fen, org_fine_fen, confiscation_fen,
			revocation, closure, note)
		SELECT id, $1, 2000000, 20000000, 5000000, true, true, '城乡建设领域违法建设罚款按工程造价计算，单独设定（示例）'
		FROM domains WHERE name = '城乡建设'
		ON CONFLICT (domain_id, effective_on) DO NOTHING`, constructionThresholdsOn)
	if err != nil {
		return fmt.Errorf("seed major thresholds: %w", err)
	}
	return nil
}

// demoFiling is one major decision of the demo: its case (decided ago days
// before today) and how far its filing got; days are counted from the
// decision.
type demoFiling struct {
	town, item, party, village, facts string
	fineFen                           int64
	ago                               int // decided this many days before today
	filedAfter                        int // filed this many days after the decision; 0 = not filed
	reviewedAfter                     int // reviewed this many days after filing; 0 = not reviewed
	conclusion                        filing.Conclusion
	panel, findings                   string
	// The correction's answer and the county's closing, days after the review.
	answerAfter, closeAfter int
	answerKind              correction.AnswerKind
	answer, closing         string
}

const demoPanel = "县司法局、县人民法院、县人民检察院、县政府法律顾问"

var demoFilings = []demoFiling{
	{town: "maoba", item: "ZY-HJ-001", party: "黄某", village: "高原村",
		facts: "黄某承建的民房施工工地未设置硬质围挡，砂石料堆未覆盖，造成明显扬尘；经责令改正后，当事人当日完成围挡和覆盖。", fineFen: 6000000,
		ago: 80, filedAfter: 6, reviewedAfter: 12, conclusion: filing.ConcludeCorrect, panel: demoPanel,
		findings: "经审查，主体适格，事实清楚，证据充分，程序合法。但当事人经责令后当日即改正，未造成严重后果，依照裁量基准应适用“轻微”或“一般”阶次；" +
			"决定适用“严重”阶次并处罚款6万元，未说明理由，属于行政处罚明显不当（行政处罚法第五条）。责令重新作出处罚决定。",
		answerAfter: 10, closeAfter: 4, answerKind: correction.AnswerNewDecision,
		answer:  "经镇政府集体讨论，撤销原处罚决定，依照裁量基准“一般”阶次重新作出罚款3万元的决定，已送达当事人，当事人已缴纳罚款。",
		closing: "重新作出的决定裁量适当，理由充分，整改到位，予以销号。"},
	{town: "chengguan", item: "ZY-HJ-004", party: "罗某", village: "",
		facts: "罗某经营的餐馆未安装油烟净化设施，油烟直排，经监测超标。", fineFen: 800000,
		ago: 95, filedAfter: 5, reviewedAfter: 14, conclusion: filing.ConcludeFiled, panel: demoPanel,
		findings: "主体适格，事实清楚，证据确凿，适用法律正确，程序合法，裁量适当，予以备案。"},
	{town: "haoping", item: "ZY-SL-002", party: "邓某", village: "",
		facts: "邓某在汉江河道管理范围内倾倒建筑渣土约200立方米，妨碍行洪。", fineFen: 2000000,
		ago: 88, filedAfter: 9, reviewedAfter: 10, conclusion: filing.ConcludeFiled, panel: demoPanel,
		findings: "事实清楚，证据充分，程序合法，处罚适当，予以备案。"},
	{town: "xiangyang", item: "ZY-LY-002", party: "梁某", village: "",
		facts: "梁某未取得采伐许可证，擅自采伐自留山杉木32株，立木蓄积5.1立方米。", fineFen: 600000,
		ago: 70, filedAfter: 7, reviewedAfter: 9, conclusion: filing.ConcludeFiled,
		findings: "主体适格，事实清楚，证据确凿，适用法律正确，程序合法，予以备案。建议今后在决定书中列明补种株数的计算依据。"},
	{town: "dongmu", item: "ZY-CX-002", party: "谢某", village: "",
		facts: "谢某未取得建设工程规划许可证，在集镇规划区内擅自加建第四层，建筑面积约180平方米。", fineFen: 3000000,
		ago: 64, filedAfter: 11, reviewedAfter: 8, conclusion: filing.ConcludeFiled, panel: demoPanel,
		findings: "事实清楚，证据充分，罚款按工程造价的百分之八计算，符合裁量基准，程序合法，予以备案。"},
	{town: "huangu", item: "ZY-HJ-001", party: "宋某", village: "",
		facts: "宋某承建的厂房施工工地未采取洒水抑尘措施，车辆带泥上路。", fineFen: 1500000,
		ago: 55, filedAfter: 4, reviewedAfter: 11, conclusion: filing.ConcludeFiled,
		findings: "主体适格，事实清楚，证据确凿，程序合法，裁量适当，予以备案。"},
	{town: "gaotan", item: "ZY-ZR-002", party: "唐某", village: "",
		facts: "唐某擅自在基本农田上挖砂，破坏耕地0.6亩。", fineFen: 1200000,
		ago: 47, filedAfter: 8, reviewedAfter: 7, conclusion: filing.ConcludeFiled, panel: demoPanel,
		findings: "事实清楚，证据充分，适用法律正确，程序合法，予以备案。"},
	// Filed, waiting for the county.
	{town: "donghe", item: "ZY-HJ-004", party: "许某", village: "",
		facts: "许某经营的烧烤店油烟净化设施不正常使用，油烟超标排放。", fineFen: 1000000,
		ago: 12, filedAfter: 8},
	// Within its period.
	{town: "hanwang", item: "ZY-SL-002", party: "曹某", village: "",
		facts: "曹某在河道管理范围内搭建彩钢棚，妨碍行洪。", fineFen: 800000, ago: 4},
	// Not filed in time.
	{town: "shuangqiao", item: "ZY-HJ-001", party: "彭某", village: "",
		facts: "彭某承建的民房施工工地未设置围挡，物料未覆盖，造成扬尘。", fineFen: 1000000, ago: 40},
}

// DemoFilings adds the demo's major decisions with their filings, reviews
// and the correction, once (nothing when any filing exists, so it runs at
// every start), dated back from today. It needs render to issue the 备案表
// and the decisions (seed.Run has no renderer); call it after Run.
func DemoFilings(ctx context.Context, db *database.DB, render documents.Renderer, today time.Time) (int, error) {
	sys := zhifa.WithActor(ctx, zhifa.System)
	type made struct {
		spec      demoFiling
		caseID    int64
		filingID  int64
		decidedOn time.Time
	}
	var all []made
	err := db.Tx(sys, func(tx pgx.Tx) error {
		all = all[:0] // made afresh if a deadlock runs this again
		var skip bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM major_filings) OR NOT EXISTS (SELECT FROM cases)`).Scan(&skip); err != nil || skip {
			return err
		}
		cal, err := demoCalendar(ctx, tx)
		if err != nil {
			return err
		}
		for _, sp := range demoFilings {
			decided := today.AddDate(0, 0, -sp.ago)
			filed := decided.AddDate(0, 0, -20)
			if filed.Before(List2025Effective) {
				continue // the demo's items are listed from then on
			}
			dates := map[string]time.Time{"review": filed.AddDate(0, 0, 10), "reviewed": filed.AddDate(0, 0, 12),
				"notice": filed.AddDate(0, 0, 13), "decided": decided, "served": decided.AddDate(0, 0, 1),
				"paid": decided.AddDate(0, 0, 10), "order_done": decided.AddDate(0, 0, 15), "closed": decided.AddDate(0, 0, 20)}
			state := workflow.Decided
			switch {
			case !dates["closed"].After(today):
				state = workflow.Closed
			case !dates["served"].After(today):
				state = workflow.Served
			}
			village := sp.village
			if village == "" {
				village = sampleVillages[sp.town][1]
			}
			dc := demoCase{town: sp.town, item: sp.item, party: sp.party, village: village, facts: "（示例案件）" + sp.facts,
				state: state, procedure: workflow.General, actOn: filed.AddDate(0, 0, -3), filedOn: filed, fineFen: sp.fineFen}
			if err := insertDemoCase(ctx, tx, dc, today, dates); err != nil {
				return fmt.Errorf("demo filing case in %s: %w", sp.town, err)
			}
			m := made{spec: sp, decidedOn: decided}
			var domainID, townID int64
			err := tx.QueryRow(ctx, `SELECT c.id, c.town_id, i.domain_id FROM cases c JOIN towns t ON t.id = c.town_id
				JOIN catalogue_items i ON i.id = c.item_id WHERE t.code = $1 AND c.party_name = $2 ORDER BY c.id DESC LIMIT 1`,
				sp.town, sp.party).Scan(&m.caseID, &townID, &domainID)
			if err != nil {
				return err
			}
			ob, err := filing.Obligate(ctx, tx, filing.Decision{TownID: townID, CaseID: m.caseID, DomainID: domainID, PartyKind: "person",
				DecidedOn: decided, Sanctions: []filing.Sanction{{Kind: workflow.KindFine, AmountFen: sp.fineFen}},
				WorkingDays: 15, Calendar: cal})
			if err != nil {
				return err
			}
			if ob == nil {
				return fmt.Errorf("demo filing in %s: the decision is not major", sp.town)
			}
			m.filingID = ob.ID
			all = append(all, m)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("demo filings: %w", err)
	}
	for _, m := range all {
		if err := m.spec.play(ctx, db, render, m.caseID, m.filingID, m.decidedOn); err != nil {
			return 0, fmt.Errorf("demo filing in %s: %w", m.spec.town, err)
		}
	}
	return len(all), nil
}

// play issues the decision and the 备案表, files, reviews and corrects as
// the spec says, each on its own day, as the people who did it.
func (sp demoFiling) play(ctx context.Context, db *database.DB, render documents.Renderer, caseID, filingID int64, decided time.Time) error {
	if sp.filedAfter == 0 {
		return nil
	}
	leader, err := demoActor(ctx, db, sp.town+"-leader")
	if err != nil {
		return err
	}
	reviewer, err := demoActor(ctx, db, "county-reviewer")
	if err != nil {
		return err
	}
	at := func(day time.Time) zhifa.Clock { return func() time.Time { return day.Add(10 * time.Hour) } }
	issue := func(kind doctype.Kind, day time.Time, fields map[string]string) error {
		svc := &documents.Service{DB: db, Clock: at(day), Render: render}
		lctx := zhifa.WithActor(ctx, leader)
		draft, err := svc.Draft(lctx, caseID, string(kind))
		if err != nil {
			return err
		}
		for k, v := range fields {
			draft.Fields[k] = v
		}
		_, err = svc.IssuePast(lctx, caseID, documents.IssueInput{Kind: string(kind), Fields: draft.Fields})
		return err
	}
	if err := issue(doctype.Decision, decided, map[string]string{"facts": sp.facts, "evidence": "1. 现场检查笔录；2. 询问笔录；3. 现场照片。",
		"statement": "本机关依法送达《行政处罚事先告知书》，当事人书面表示放弃陈述、申辩和听证。",
		"reasons":   "依照裁量基准，综合违法情节和危害后果作出处罚。"}); err != nil {
		return fmt.Errorf("decision: %w", err)
	}
	filedOn := decided.AddDate(0, 0, sp.filedAfter)
	fsvc := &filing.Service{DB: db, Clock: at(filedOn)}
	f, err := fsvc.Get(zhifa.WithActor(ctx, leader), filingID)
	if err != nil {
		return err
	}
	if err := issue(doctype.MajorFiling, filedOn, map[string]string{"reason": f.Reason}); err != nil {
		return fmt.Errorf("备案表: %w", err)
	}
	if err := fsvc.File(zhifa.WithActor(ctx, leader), filingID); err != nil {
		return fmt.Errorf("file: %w", err)
	}
	if sp.reviewedAfter == 0 {
		return nil
	}
	reviewedOn := filedOn.AddDate(0, 0, sp.reviewedAfter)
	rctx := zhifa.WithActor(ctx, reviewer)
	err = (&filing.Service{DB: db, Clock: at(reviewedOn)}).Review(rctx, filingID, filing.ReviewInput{Panel: sp.panel,
		Findings: sp.findings, Conclusion: sp.conclusion, CorrectionDue: reviewedOn.AddDate(0, 0, 15).Format(time.DateOnly)})
	if err != nil || sp.answerAfter == 0 {
		return err
	}
	if f, err = fsvc.Get(rctx, filingID); err != nil || f.CorrectionID == nil {
		return errors.Join(err, errors.New("no correction task"))
	}
	// The task is stamped with the wall clock; the demo's happened earlier.
	err = db.Tx(zhifa.WithActor(ctx, zhifa.System), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE corrections SET opened_at = $2 WHERE id = $1`, *f.CorrectionID, reviewedOn.Add(10*time.Hour))
		return err
	})
	if err != nil {
		return err
	}
	answered := reviewedOn.AddDate(0, 0, sp.answerAfter)
	csvc := &correction.Service{DB: db, Clock: at(answered)}
	if err := csvc.Answer(zhifa.WithActor(ctx, leader), *f.CorrectionID, sp.answerKind, sp.answer); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	if sp.closeAfter == 0 {
		return nil
	}
	csvc.Clock = at(answered.AddDate(0, 0, sp.closeAfter))
	return csvc.Close(rctx, *f.CorrectionID, sp.closing)
}

// demoActor is a demo account acting.
func demoActor(ctx context.Context, db *database.DB, username string) (*zhifa.Actor, error) {
	a := &zhifa.Actor{Username: username}
	err := db.Tx(zhifa.WithActor(ctx, zhifa.System), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT u.id, u.display_name, u.role, coalesce(u.town_id, 0), coalesce(t.name, '')
			FROM users u LEFT JOIN towns t ON t.id = u.town_id WHERE u.username = $1`, username).
			Scan(&a.UserID, &a.DisplayName, &a.Role, &a.TownID, &a.TownName)
	})
	if err != nil {
		return nil, fmt.Errorf("demo actor %s: %w", username, err)
	}
	return a, nil
}

// demoCalendar is the holiday calendar the deadlines count on.
func demoCalendar(ctx context.Context, tx pgx.Tx) (deadline.Calendar, error) {
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
