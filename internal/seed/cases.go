package seed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/workflow"
)

// demoCase is one sample case; dates are offsets in days from its filing.
type demoCase struct {
	town, item, party, village, facts string
	state                             workflow.State
	procedure                         workflow.Procedure
	actOn, filedOn                    time.Time
	fineFen                           int64
	order                             string
	exit                              workflow.State // a side exit taken from state
	reason                            string
	suspended                         bool
}

// seedCases loads 毛坝镇's first real case (as reported: a villager's fire
// spread into the woods, 2025) and varied sample cases in every town and
// state, once. Sample parties are fictitious.
func seedCases(ctx context.Context, tx pgx.Tx, today time.Time) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM cases)`).Scan(&exists); err != nil || exists {
		return err
	}
	d := func(s string) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, s, List2025Effective.Location())
		return t
	}
	first := demoCase{town: "maoba", item: "ZY-LY-001", party: "刘某", village: "干沙村",
		facts: "2025年3月24日，干沙村村民刘某在自家房屋外野外用火，火借风势蔓延至附近林地，过火林地面积约1亩。",
		state: workflow.Closed, procedure: workflow.General, actOn: d("2025-03-24"), filedOn: d("2025-03-25"),
		fineFen: 300000, order: "补植树木60棵"}
	if !first.filedOn.After(today) {
		if err := insertDemoCase(ctx, tx, first, today, map[string]time.Time{
			"review": d("2025-04-10"), "reviewed": d("2025-04-14"), "notice": d("2025-04-15"), "decided": d("2025-04-21"), "served": d("2025-04-22"), "paid": d("2025-05-06"), "order_done": d("2025-05-20"), "closed": d("2025-05-28"),
		}); err != nil {
			return fmt.Errorf("seed first case: %w", err)
		}
		if err := seedEvidence(ctx, tx, "maoba", first.filedOn); err != nil {
			return fmt.Errorf("seed evidence: %w", err)
		}
	}
	rows, _ := tx.Query(ctx, `SELECT code FROM towns ORDER BY position`)
	towns, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	type spec struct {
		state    workflow.State
		ago      int // filed this many days before today
		item     string
		fine     int64
		order    string
		summary  bool
		villager string
		exit     workflow.State
		reason   string
		suspend  bool
	}
	specs := []spec{
		{workflow.Lead, 1, "ZY-SR-006", 0, "", false, "张某", "", "", false},
		{workflow.Filed, 3, "ZY-CX-001", 0, "", false, "王某", "", "", false},
		{workflow.Investigating, 20, "ZY-ZR-002", 0, "", false, "李某", "", "", false},
		{workflow.Investigating, 84, "ZY-LY-002", 0, "", false, "赵某", "", "", false}, // decision due within a week
		{workflow.Review, 30, "ZY-HJ-001", 2000000, "", false, "某建筑公司", "", "", false},
		{workflow.Notice, 40, "ZY-SR-002", 50000, "", false, "陈某", "", "", false},
		{workflow.Decided, 45, "ZY-HJ-002", 100000, "", false, "周某", "", "", false},
		{workflow.Executing, 50, "ZY-LY-004", 200000, "补植树木20棵", false, "吴某", "", "", false},
		{workflow.Closed, 55, "ZY-SR-006", 10000, "", true, "郑某", "", "", false},
		{workflow.Archived, 58, "ZY-CX-002", 500000, "限期拆除违法建筑", false, "孙某", "", "", false},
		{workflow.Served, 44, "ZY-SR-007", 20000, "", false, "冯某", "", "", false},
		{workflow.Investigating, 25, "ZY-LY-006", 0, "", false, "蒋某", "", "", true},
		{workflow.Lead, 6, "ZY-SR-001", 0, "", false, "沈某", workflow.NotFiled, "经核查，违法事实不存在。", false},
		{workflow.Investigating, 33, "ZY-HJ-003", 0, "", false, "韩某", workflow.NoPenalty, "初次违法且危害后果轻微并及时改正（行政处罚法第三十三条）。", false},
		{workflow.Investigating, 36, "ZY-ZR-003", 0, "", false, "杨某", workflow.Transferred, "涉嫌非法采矿罪，移送公安机关。", false},
	}
	for ti, town := range towns {
		villages := sampleVillages[town][1:] // a village, not the town's seat community
		for si, sp := range specs {
			filed := today.AddDate(0, 0, -sp.ago-ti%3)
			if filed.Before(List2025Effective) {
				filed = List2025Effective.AddDate(0, 0, si)
			}
			proc := workflow.General
			if sp.summary {
				proc = workflow.Summary
			}
			dc := demoCase{town: town, item: sp.item, party: sp.villager, village: villages[(ti+si)%len(villages)],
				facts: "（示例案件）" + sp.villager + "涉嫌违法，执法人员现场检查并拍照取证。", state: sp.state, procedure: proc,
				actOn: filed.AddDate(0, 0, -2), filedOn: filed, fineFen: sp.fine, order: sp.order,
				exit: sp.exit, reason: sp.reason, suspended: sp.suspend}
			dates := map[string]time.Time{}
			step := func(key string, days int) {
				if t := filed.AddDate(0, 0, days); !t.After(today) {
					dates[key] = t
				} else {
					dates[key] = today
				}
			}
			step("review", 10)
			step("reviewed", 12)
			step("notice", 13)
			step("decided", 20)
			step("served", 21)
			step("paid", 30)
			step("order_done", 35)
			step("closed", 40)
			if err := insertDemoCase(ctx, tx, dc, today, dates); err != nil {
				return fmt.Errorf("seed case in %s: %w", town, err)
			}
		}
	}
	return nil
}

// insertDemoCase writes one case with the facts of its state, its officers
// and a timeline, as the workflow would have left them.
func insertDemoCase(ctx context.Context, tx pgx.Tx, dc demoCase, today time.Time, dates map[string]time.Time) error {
	var townID, itemID, officer1, officer3, leader, reviewer, head int64
	var short string
	err := tx.QueryRow(ctx, `SELECT t.id, t.short_name, i.id,
			(SELECT id FROM users WHERE username = t.code || '-officer1'), (SELECT id FROM users WHERE username = t.code || '-officer3'),
			(SELECT id FROM users WHERE username = t.code || '-leader'), (SELECT id FROM users WHERE username = t.code || '-reviewer'),
			(SELECT id FROM users WHERE username = t.code || '-head')
		FROM towns t, catalogue_items i WHERE t.code = $1 AND i.code = $2`, dc.town, dc.item).
		Scan(&townID, &short, &itemID, &officer1, &officer3, &leader, &reviewer, &head)
	if err != nil {
		return err
	}
	order := []workflow.State{workflow.Lead, workflow.Filed, workflow.Investigating, workflow.Review, workflow.Notice,
		workflow.Decided, workflow.Served, workflow.Executing, workflow.Closed, workflow.Archived}
	// reached reports whether the case got as far as s.
	reached := func(s workflow.State) bool {
		return slices.Index(order, s) >= 0 && slices.Index(order, s) <= slices.Index(order, dc.state)
	}
	date := func(key string, s workflow.State) *string {
		if !reached(s) {
			return nil
		}
		v := dates[key].Format(time.DateOnly)
		return &v
	}
	var number *string
	var year, seq *int
	var filed *string
	if reached(workflow.Filed) {
		y := dc.filedOn.Year()
		var n int
		if err := tx.QueryRow(ctx, `INSERT INTO case_counters (town_id, year, last) VALUES ($1, $2, 1)
			ON CONFLICT (town_id, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`, townID, y).Scan(&n); err != nil {
			return err
		}
		num := fmt.Sprintf("紫%s综执立〔%d〕%d号", short, y, n)
		f := dc.filedOn.Format(time.DateOnly)
		number, year, seq, filed = &num, &y, &n, &f
	}
	var penalties []cases.Penalty
	if reached(workflow.Review) || reached(workflow.Decided) {
		if dc.order != "" {
			penalties = append(penalties, cases.Penalty{Kind: "order", Measure: dc.order, DueOn: dates["order_done"].Format(time.DateOnly)})
		}
		if dc.fineFen > 0 {
			penalties = append(penalties, cases.Penalty{Kind: "fine", AmountFen: dc.fineFen})
		} else {
			penalties = append(penalties, cases.Penalty{Kind: "warning"})
		}
	}
	pj, _ := json.Marshal(penalties)
	if penalties == nil {
		pj = []byte("[]")
	}

	general := dc.procedure == workflow.General
	var reviewedBy *int64
	if general && reached(workflow.Notice) {
		reviewedBy = &reviewer
	}
	// The day the case reached its state: the latest date it has.
	entered := dc.filedOn
	if !reached(workflow.Filed) {
		entered = today
	}
	for key, s := range map[string]workflow.State{"review": workflow.Review, "reviewed": workflow.Notice, "decided": workflow.Decided,
		"served": workflow.Served, "closed": workflow.Closed} {
		if reached(s) && (general || s != workflow.Review && s != workflow.Notice) && dates[key].After(entered) {
			entered = dates[key]
		}
	}
	var decidedBy *int64
	if reached(workflow.Decided) {
		decidedBy = &head
		if !general {
			decidedBy = &officer1
		}
	}
	var caseID int64
	err = tx.QueryRow(ctx, `INSERT INTO cases (town_id, procedure, state, item_id, year, seq, number, source, party_kind, party_name,
			party_address, place_village, place_address, act_on, discovered_on, filed_on, facts, created_by,
			review_submitted_on, reviewed_by, reviewed_on, review_opinion, notice_served_on, notice_fine_fen, notice_text, statement_waived,
			decided_on, decided_by, penalties, fine_fen, has_order, order_done_on, decision_served_on, service_method, closed_on,
			state_entered_on, filing_approved_by, proposed_penalties, proposal_tier, proposal_reasoning, proposed_on,
			reviewed_penalties, review_count, notice_penalties, notice_count, hearing_waived, service_proof, spot_told)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'patrol', 'person', $8, $9, $9, '', $10, $10, $11, $12, $13,
			$14, $15, $16, CASE WHEN $15::bigint IS NULL THEN '' ELSE '事实清楚，证据确凿，程序合法。' END, $17, $18,
			CASE WHEN $17::date IS NULL THEN '' ELSE '拟作出行政处罚。' END, $17::date IS NOT NULL,
			$19, $20, CASE WHEN $19::date IS NULL THEN '[]'::jsonb ELSE $21::jsonb END, $22, $23, $24, $25, CASE WHEN $25::date IS NULL THEN '' ELSE '直接送达' END, $26,
			$27, $28, CASE WHEN $14::date IS NULL THEN '[]'::jsonb ELSE $21::jsonb END, CASE WHEN $14::date IS NULL THEN '' ELSE '一般' END,
			CASE WHEN $14::date IS NULL THEN '' ELSE '（示例）违法情节一般，适用一般阶次。' END, $14,
			CASE WHEN $15::bigint IS NULL THEN '[]'::jsonb ELSE $21::jsonb END, CASE WHEN $15::bigint IS NULL THEN 0 ELSE 1 END,
			CASE WHEN $17::date IS NULL THEN '[]'::jsonb ELSE $21::jsonb END, CASE WHEN $17::date IS NULL THEN 0 ELSE 1 END,
			$17::date IS NOT NULL, CASE WHEN $25::date IS NULL THEN '' ELSE '送达回证：当事人签收' END, $29)
		RETURNING id`,
		townID, dc.procedure, dc.state, itemID, year, seq, number, dc.party, dc.village, dc.actOn.Format(time.DateOnly), filed, dc.facts, officer1,
		gen(general, date("review", workflow.Review)), gen(general, reviewedBy), gen(general, date("reviewed", workflow.Notice)),
		gen(general, date("notice", workflow.Notice)), dc.fineFen,
		date("decided", workflow.Decided), decidedBy, pj, ifFine(reached(workflow.Decided), dc.fineFen),
		reached(workflow.Decided) && dc.order != "", ifOrder(dc.order, date("order_done", workflow.Closed)),
		date("served", workflow.Served), date("closed", workflow.Closed), entered.Format(time.DateOnly),
		ifReached(reached(workflow.Filed), leader), !general && reached(workflow.Decided)).Scan(&caseID)
	if err != nil {
		return err
	}
	if general && reachedPtr(reviewedBy) {
		if _, err := tx.Exec(ctx, `INSERT INTO case_reviews (case_id, town_id, reviewer_id, reviewer_name, qualification, reviewed_on,
				outcome, checklist, opinion, penalties, at)
			SELECT $1, $2, u.id, u.display_name, u.legal_qualification_no, $3, 'passed', $4, '事实清楚，证据确凿，程序合法。', $5, $3::date + time '10:00'
			FROM users u WHERE u.id = $6`, caseID, townID, dates["reviewed"].Format(time.DateOnly), allPointsOK(), pj, reviewer); err != nil {
			return err
		}
	}
	if general && reached(workflow.Notice) {
		if _, err := tx.Exec(ctx, `INSERT INTO case_notices (case_id, town_id, served_on, penalties, fine_fen, hearing_right, text, at)
			VALUES ($1, $2, $3, $4, $5, false, '拟作出行政处罚。', $3::date + time '10:00')`,
			caseID, townID, dates["notice"].Format(time.DateOnly), pj, dc.fineFen); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE cases SET decision_basis = coalesce((SELECT li.penalty_basis FROM list_version_items li
		WHERE li.version_id = list_version_on(cases.town_id, cases.filed_on) AND li.item_id = cases.item_id), '')
		WHERE id = $1 AND decided_on IS NOT NULL`, caseID); err != nil {
		return err
	}
	for i, o := range []int64{officer1, officer3} {
		if _, err := tx.Exec(ctx, `INSERT INTO case_officers (case_id, town_id, user_id, lead) VALUES ($1, $2, $3, $4)`, caseID, townID, o, i == 0); err != nil {
			return err
		}
	}
	if reached(workflow.Closed) && dc.fineFen > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO case_payments (case_id, town_id, amount_fen, paid_on, receipt_no, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6)`, caseID, townID, dc.fineFen, dates["paid"].Format(time.DateOnly), fmt.Sprintf("SX%d-%06d", dates["paid"].Year(), caseID), officer1); err != nil {
			return err
		}
	}
	at := dc.filedOn.Add(9 * time.Hour)
	event := func(actor int64, action, from, to, summary string) error {
		_, err := tx.Exec(ctx, `INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, from_state, to_state, summary)
			VALUES ($1, $2, $3, $4, (SELECT display_name FROM users WHERE id = $4), $5, $6, $7, $8)`, caseID, townID, at, actor, action, from, to, summary)
		at = at.Add(time.Minute)
		return err
	}
	if err := event(officer1, "register", "", string(workflow.Lead), "登记案源"); err != nil {
		return err
	}
	// Each step is entered on the day it happened, so the timeline agrees
	// with the case's dates.
	stepDay := map[workflow.State]string{workflow.Review: "review", workflow.Notice: "reviewed", workflow.Decided: "decided",
		workflow.Served: "served", workflow.Closed: "closed"}
	prev := workflow.Lead
	for _, s := range order[1:] {
		if !reached(s) || (!general && (s == workflow.Review || s == workflow.Notice)) {
			continue
		}
		if key, ok := stepDay[s]; ok && !dates[key].Before(at.Truncate(24*time.Hour)) {
			at = dates[key].Add(10 * time.Hour)
		}
		actor := officer1
		summary := "（示例）进入“" + s.Label() + "”"
		switch s {
		case workflow.Filed:
			actor = leader
			if number != nil {
				summary = "批准立案，案号" + *number
			}
		case workflow.Notice:
			actor = reviewer
			summary = "法制审核通过。审核意见：事实清楚，证据确凿，程序合法。"
		case workflow.Decided:
			actor = head
			if !general {
				actor = officer1
			}
			summary = "作出处罚决定：" + cases.DescribePenalties(penalties)
		}
		if err := event(actor, "seed", string(prev), string(s), summary); err != nil {
			return err
		}
		if s == workflow.Notice && reached(workflow.Notice) {
			at = dates["notice"].Add(10 * time.Hour)
			if err := event(officer1, string(cases.StepServeNotice), "", "", "送达行政处罚事先告知书，拟处罚："+cases.DescribePenalties(penalties)); err != nil {
				return err
			}
			if err := event(officer1, string(cases.StepWaiveStatement), "", "", "当事人书面放弃陈述、申辩及听证"); err != nil {
				return err
			}
		}
		if s == workflow.Served && reached(workflow.Closed) && dc.fineFen > 0 {
			at = dates["paid"].Add(10 * time.Hour)
			if err := event(officer1, string(cases.StepAddPayment), "", "", "登记缴纳罚款"+cases.Yuan(dc.fineFen)); err != nil {
				return err
			}
		}
		prev = s
	}
	if err := demoOutcome(ctx, tx, dc, caseID, townID, leader, today, event); err != nil {
		return err
	}
	return cases.RefreshDue(ctx, tx, caseID, today)
}

// demoOutcome applies a side exit or a suspension to a demo case.
func demoOutcome(ctx context.Context, tx pgx.Tx, dc demoCase, caseID, townID, leader int64, today time.Time,
	event func(actor int64, action, from, to, summary string) error) error {
	day := today.Format(time.DateOnly)
	switch {
	case dc.suspended:
		if _, err := tx.Exec(ctx, `UPDATE cases SET suspended_since = $2 WHERE id = $1`, caseID, day); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_suspensions (case_id, town_id, started_on, reason) VALUES ($1, $2, $3, '等待林木损失价值鉴定意见')`,
			caseID, townID, day); err != nil {
			return err
		}
		return event(leader, "suspend", "", "", "中止案件")
	case dc.exit != "":
		body := ""
		if dc.exit == workflow.Transferred {
			body = "紫阳县公安局"
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET state = $2, outcome_reason = $3, transfer_body = $4, closed_on = $5 WHERE id = $1`,
			caseID, dc.exit, dc.reason, body, day); err != nil {
			return err
		}
		return event(leader, "seed", string(dc.state), string(dc.exit), dc.exit.Label()+"："+dc.reason)
	}
	return nil
}

func reachedPtr(p *int64) bool { return p != nil }

// allPointsOK is a review checklist with every point found in order.
func allPointsOK() []cases.CheckPoint {
	var out []cases.CheckPoint
	for _, p := range cases.ReviewPoints {
		out = append(out, cases.CheckPoint{Point: p.Label, OK: true})
	}
	return out
}

func gen[T any](general bool, v *T) *T {
	if !general {
		return nil
	}
	return v
}

func ifReached(ok bool, id int64) *int64 {
	if !ok {
		return nil
	}
	return &id
}

func ifFine(ok bool, fen int64) int64 {
	if !ok {
		return 0
	}
	return fen
}

func ifOrder(order string, done *string) *string {
	if order == "" {
		return nil
	}
	return done
}

// seedEvidence attaches a sample scene photo (a drawn picture, not a real
// one) to the town's first case, with its hash, as an upload would.
func seedEvidence(ctx context.Context, tx pgx.Tx, town string, collected time.Time) error {
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 320; x++ {
			c := color.RGBA{R: 60, G: 120 + uint8(y/4), B: 60, A: 255} // woods
			if (x-160)*(x-160)+(y-110)*(y-110) < 3600 {
				c = color.RGBA{R: 70, G: 55, B: 45, A: 255} // the burnt patch
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	var caseID, townID, officer int64
	err := tx.QueryRow(ctx, `SELECT c.id, c.town_id, c.created_by FROM cases c JOIN towns t ON t.id = c.town_id
		WHERE t.code = $1 ORDER BY c.id LIMIT 1`, town).Scan(&caseID, &townID, &officer)
	if err != nil {
		return err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO evidence (case_id, town_id, kind, title, filename, content_type, size_bytes, sha256,
		collected_by, collected_on, uploaded_by, uploaded_at) VALUES ($1, $2, 'scene_record', '现场照片（过火林地，示例图）', 'scene.png', 'image/png',
		$3, $4, $5, $6, $5, $7) RETURNING id`, caseID, townID, buf.Len(), hex.EncodeToString(sum[:]), officer,
		collected.Format(time.DateOnly), collected.Add(10*time.Hour)).Scan(&id)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO evidence_files (evidence_id, town_id, data) VALUES ($1, $2, $3)`, id, townID, buf.Bytes())
	return err
}
