package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/zhifa"
)

// demoDoc is one document of 毛坝镇's first case as it would have been
// issued: its kind, its day and the officer's words; served (直接送达 to
// the party) on the day served, if any.
type demoDoc struct {
	kind   doctype.Kind
	day    string
	fields map[string]string
	served string
}

// liuDocuments are the documents of the 刘某 case (seedCases), dated as
// its timeline: filed 03-25, reviewed 04-14, notice 04-15, decided 04-21,
// served 04-22, closed 05-28.
var liuDocuments = []demoDoc{
	{doctype.FilingApproval, "2025-03-25", map[string]string{
		"reason": "2025年3月24日，执法队员巡查发现干沙村村民刘某在自家房屋外野外用火，火借风势蔓延至附近林地，过火林地面积约1亩，" +
			"涉嫌未经批准擅自在森林防火区内野外用火，符合立案条件。",
		"team_opinion": "建议立案调查，由两名执法人员承办。",
		"head_opinion": "同意立案。",
	}, ""},
	{doctype.Inspection, "2025-03-25", map[string]string{
		"start": "2025年3月25日9时30分", "end": "2025年3月25日10时40分",
		"place":   "紫阳县毛坝镇干沙村刘某房屋东侧林地",
		"present": "当事人刘某在场",
		"record": "经现场检查，刘某房屋东侧约30米处林地有明显过火痕迹，过火范围经步测长约40米、宽约17米，面积约1亩，地表杂草及部分幼树烧毁，明火已熄灭。\n" +
			"现场拍摄照片1张，附卷。",
	}, ""},
	{doctype.Inquiry, "2025-03-26", map[string]string{
		"start": "2025年3月26日9时00分", "end": "2025年3月26日9时50分",
		"place":  "毛坝镇综合行政执法队办公室",
		"person": "刘某，男，紫阳县毛坝镇干沙村村民，本案当事人",
		"qa": "问：我们是毛坝镇综合行政执法队的执法人员，这是我们的执法证件，请你看清楚。你有如实回答问题的义务，也有陈述、申辩的权利，听清楚了吗？\n" +
			"答：听清楚了。\n问：2025年3月24日你是否在房屋外用火？\n答：是的，当天下午我在屋外烧地里的杂草。\n" +
			"问：火是怎样蔓延到林地的？\n答：当天风大，火星被风吹到旁边的林地，我一个人没能扑灭。\n" +
			"问：你用火前是否经过批准？\n答：没有。\n问：你还有什么要补充的吗？\n答：没有了，我认错，愿意补种树木。",
	}, ""},
	{doctype.InvestigationReport, "2025-04-08", map[string]string{
		"course": "2025年3月24日执法队员巡查发现案源，3月25日立案并现场检查，3月26日询问当事人。",
		"facts":  "2025年3月24日，当事人刘某未经批准在自家房屋外野外用火焚烧杂草，火借风势蔓延至附近林地，过火林地面积约1亩。",
		"evidence": "1. 现场检查笔录，证明过火林地的位置和面积；\n2. 询问笔录，证明当事人承认野外用火且未经批准；\n" +
			"3. 现场照片1张，证明林地过火的情况。",
		"discretion": "当事人初次违法，主动承认错误并愿意补种树木，过火面积较小，适用一般阶次。",
		"proposal":   "建议责令当事人补植树木60棵，并处罚款3000元。",
	}, ""},
	{doctype.HandlingApproval, "2025-04-09", map[string]string{
		"team_opinion": "事实清楚，证据确凿，建议责令补植树木60棵，并处罚款3000元，报法制审核。",
		"head_opinion": "同意，报法制审核。",
	}, ""},
	{doctype.ReviewOpinion, "2025-04-14", nil, ""},
	{doctype.Notice, "2025-04-15", map[string]string{
		"facts":    "2025年3月24日，你未经批准在自家房屋外野外用火焚烧杂草，火借风势蔓延至附近林地，过火林地面积约1亩。",
		"evidence": "现场检查笔录、询问笔录、现场照片。",
		"reasons":  "你的行为违反了森林防火的有关规定，违法事实清楚，证据确凿；鉴于你初次违法并主动认错，适用一般阶次。",
	}, "2025-04-15"},
	{doctype.Decision, "2025-04-21", map[string]string{
		"facts":     "2025年3月24日，当事人未经批准在自家房屋外野外用火焚烧杂草，火借风势蔓延至附近林地，过火林地面积约1亩。",
		"evidence":  "1. 现场检查笔录；2. 询问笔录；3. 现场照片1张。",
		"statement": "本机关于2025年4月15日送达《行政处罚事先告知书》，当事人书面表示放弃陈述、申辩和听证。",
		"reasons":   "当事人初次违法，主动承认错误并愿意补种树木，过火面积较小，依照裁量基准适用一般阶次。",
	}, "2025-04-22"},
	{doctype.ClosingApproval, "2025-05-28", map[string]string{
		"summary":      "当事人已于2025年5月6日缴纳罚款3000元，于2025年5月20日补植树木60棵，经复查成活，处罚决定已执行完毕。",
		"team_opinion": "处罚决定已执行完毕，建议结案。",
		"head_opinion": "同意结案。",
	}, ""},
}

// DemoDocuments issues the documents of 毛坝镇's first case (刘某) as the
// town's team leader, each dated the day the case's timeline gives it, and
// records the service of the notice and the decision, so the demo shows a
// whole dossier. It does nothing when the case is absent or already has
// documents (so it runs at every start). render is web.RenderDocument.
func DemoDocuments(ctx context.Context, db *database.DB, render documents.Renderer) (int, error) {
	var caseID int64
	leader := &zhifa.Actor{Role: zhifa.RoleLeader}
	var has bool
	err := db.Tx(zhifa.WithActor(ctx, zhifa.System), func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT c.id, EXISTS (SELECT FROM documents d WHERE d.case_id = c.id) FROM cases c JOIN towns t ON t.id = c.town_id
			WHERE t.code = 'maoba' AND c.party_name = '刘某' AND c.state IN ('closed', 'archived') ORDER BY c.id LIMIT 1`).Scan(&caseID, &has)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT u.id, u.username, u.display_name, u.town_id, t.name FROM users u JOIN towns t ON t.id = u.town_id
			WHERE u.username = 'maoba-leader'`).Scan(&leader.UserID, &leader.Username, &leader.DisplayName, &leader.TownID, &leader.TownName)
	})
	if errors.Is(err, pgx.ErrNoRows) || err == nil && has {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("demo documents: %w", err)
	}
	ctx = zhifa.WithActor(ctx, leader)
	n := 0
	for _, dd := range liuDocuments {
		day, err := time.ParseInLocation(time.DateOnly, dd.day, zhifa.Local)
		if err != nil {
			return n, err
		}
		at := day.Add(10 * time.Hour)
		svc := &documents.Service{DB: db, Clock: func() time.Time { return at }, Render: render}
		// The case fills in what it knows (the draft's defaults); the
		// officer's words above complete it.
		draft, err := svc.Draft(ctx, caseID, string(dd.kind))
		if err != nil {
			return n, fmt.Errorf("demo %s: %w", dd.kind, err)
		}
		fields := draft.Fields
		for k, v := range dd.fields {
			fields[k] = v
		}
		if _, err := svc.IssuePast(ctx, caseID, documents.IssueInput{Kind: string(dd.kind), Fields: fields}); err != nil {
			return n, fmt.Errorf("demo %s: %w", dd.kind, err)
		}
		n++
		if dd.served == "" {
			continue
		}
		// The workflow step that served it is already in the seeded
		// timeline; only its record on the document is added.
		err = db.Tx(ctx, func(tx pgx.Tx) error {
			c, _, err := cases.Load(ctx, tx, caseID, day, true)
			if err != nil {
				return err
			}
			_, err = svc.Serve(ctx, tx, c, dd.kind, doctype.Service{Method: doctype.ServeDirect, ServedOn: dd.served,
				Recipient: c.PartyName, Address: c.PartyAddress, Servers: officerNames(c)})
			return err
		})
		if err != nil {
			return n, fmt.Errorf("demo service of %s: %w", dd.kind, err)
		}
	}
	return n, nil
}

func officerNames(c *cases.Case) string {
	s := ""
	for i, o := range c.ActiveOfficers() {
		if i > 0 {
			s += "、"
		}
		s += o.DisplayName
	}
	return s
}
