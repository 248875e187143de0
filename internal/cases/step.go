package cases

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/zhifa"
)

// RemedyKinds name reconsideration (复议) and litigation (诉讼).
var RemedyKinds = map[string]string{"reconsideration": "行政复议", "litigation": "行政诉讼"}

// RemedyOutcomes name their outcomes; "corrected" counts against the team
// (复议纠错 / 诉讼败诉).
var RemedyOutcomes = map[string]string{"pending": "审理中", "upheld": "维持（胜诉）", "corrected": "纠错（撤销、变更或败诉）", "withdrawn": "撤回"}

// step records something on a case without changing its state.
func (s *Service) step(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, c *Case, st *Step, in ActionInput,
	today time.Time, r Rules, cal deadline.Calendar) (string, error) {
	text, reason := strings.TrimSpace(in.Text), strings.TrimSpace(in.Reason)
	day := today
	if strings.TrimSpace(in.Date) != "" {
		d, ok := parseDate(in.Date)
		if !ok || d.After(today) {
			return "", zhifa.FieldErrors{"date": "日期格式应为 2025-03-24，且不能晚于今天。"}
		}
		day = d
	}
	date := day.Format(time.DateOnly)
	exec := func(q string, args ...any) error {
		_, err := tx.Exec(ctx, q, args...)
		return err
	}
	var summary string
	var err error
	switch st.Name {
	case "update_facts":
		if text == "" || runes(text) > 4000 {
			return "", zhifa.FieldErrors{"text": "请填写调查查明的事实（4000字以内）。"}
		}
		summary, err = "更新调查情况", exec(`UPDATE cases SET facts = $2 WHERE id = $1`, c.ID, text)
	case "update_party":
		in.PartyIDNumber = strings.ToUpper(strings.TrimSpace(in.PartyIDNumber))
		for _, p := range []*string{&in.PartyName, &in.PartyPhone, &in.PartyAddress, &in.PartyLegalRep, &in.PlaceVillage, &in.PlaceAddress} {
			*p = strings.TrimSpace(*p)
		}
		fe := zhifa.FieldErrors{}
		checkParty(fe, c.PartyKind, in.PartyName, in.PartyIDNumber, in.PartyLegalRep, in.PartyPhone, in.PlaceVillage, in.PlaceAddress)
		if err := fe.Err(); err != nil {
			return "", err
		}
		var changed []string
		note := func(label, was, now string) {
			if was != now {
				changed = append(changed, label)
			}
		}
		note("当事人", c.PartyName, in.PartyName)
		note("证件号码", c.PartyIDNumber, in.PartyIDNumber)
		note("联系电话", c.PartyPhone, in.PartyPhone)
		note("住址", c.PartyAddress, in.PartyAddress)
		note("法定代表人", c.PartyLegalRep, in.PartyLegalRep)
		note("发生地点", c.PlaceVillage+c.PlaceAddress, in.PlaceVillage+in.PlaceAddress)
		if len(changed) == 0 {
			return "", zhifa.Errorf(zhifa.EINVALID, "没有任何更改。")
		}
		summary = "更正" + strings.Join(changed, "、")
		err = exec(`UPDATE cases SET party_name = $2, party_id_number = $3, party_phone = $4, party_address = $5,
			party_legal_rep = $6, place_village = $7, place_address = $8 WHERE id = $1`, c.ID, in.PartyName, in.PartyIDNumber,
			in.PartyPhone, in.PartyAddress, in.PartyLegalRep, in.PlaceVillage, in.PlaceAddress)
	case "serve_notice":
		fen, ok := ParseYuan(in.AmountYuan)
		if strings.TrimSpace(in.AmountYuan) == "" {
			fen, ok = 0, true
		}
		if !ok {
			return "", zhifa.FieldErrors{"amount": "拟罚款金额应为数字，单位元，最多两位小数；不罚款请留空。"}
		}
		if text == "" {
			return "", zhifa.FieldErrors{"text": "请填写告知的违法事实、理由、依据和拟作出的处罚。"}
		}
		// The hearing right follows the per-domain thresholds (APL art. 63).
		threshold := r["hearing_person_fen"]
		if c.PartyKind == "org" {
			threshold = r["hearing_org_fen"]
		}
		hearing := in.HeavyPenalty || (threshold > 0 && fen >= threshold)
		renotice := c.NoticeServedOn != nil && fen > c.NoticeFineFen
		summary = fmt.Sprintf("送达行政处罚事先告知书，拟罚款%s", Yuan(fen))
		if hearing {
			summary += "，告知听证权利"
		}
		err = exec(`UPDATE cases SET notice_served_on = $2, notice_fine_fen = $3, notice_text = $4, hearing_right = $5,
			new_notice_served = new_notice_served OR $6, statement_waived = false, hearing_requested_on = NULL, hearing_held_on = NULL
			WHERE id = $1`, c.ID, date, fen, text, hearing, renotice)
	case "waive_statement":
		if c.NoticeServedOn == nil {
			return "", zhifa.Errorf(zhifa.EINVALID, "请先送达事先告知书。")
		}
		summary, err = "当事人书面放弃陈述、申辩", exec(`UPDATE cases SET statement_waived = true WHERE id = $1`, c.ID)
	case "add_statement":
		if text == "" {
			return "", zhifa.FieldErrors{"text": "请填写当事人陈述、申辩的内容。"}
		}
		summary, err = "记录当事人陈述、申辩", exec(`INSERT INTO case_statements (case_id, town_id, received_on, content) VALUES ($1, $2, $3, $4)`,
			c.ID, c.TownID, date, text)
	case "recheck_statement":
		if text == "" {
			return "", zhifa.FieldErrors{"text": "请填写复核意见（是否采纳及理由）。"}
		}
		var tag int64
		t, e := tx.Exec(ctx, `UPDATE case_statements SET recheck = $3, rechecked_on = $4 WHERE id = $2 AND case_id = $1 AND rechecked_on IS NULL`,
			c.ID, in.StatementID, text, date)
		tag, err = t.RowsAffected(), e
		if err == nil && tag == 0 {
			return "", zhifa.Errorf(zhifa.EINVALID, "没有找到待复核的陈述申辩。")
		}
		summary = "复核陈述、申辩：" + text
	case "hold_hearing":
		summary, err = "举行听证", exec(`UPDATE cases SET hearing_held_on = $2 WHERE id = $1`, c.ID, date)
	case "suspend":
		if reason == "" {
			return "", zhifa.FieldErrors{"reason": "请填写中止的原因（如等待鉴定意见）。"}
		}
		summary = "中止案件"
		if err = exec(`UPDATE cases SET suspended_since = $2 WHERE id = $1`, c.ID, date); err == nil {
			err = exec(`INSERT INTO case_suspensions (case_id, town_id, started_on, reason) VALUES ($1, $2, $3, $4)`, c.ID, c.TownID, date, reason)
		}
	case "resume":
		if day.Before(*c.SuspendedSince) {
			return "", zhifa.FieldErrors{"date": "恢复日期不能早于中止日期。"}
		}
		summary = fmt.Sprintf("恢复案件（中止%d日）", int(day.Sub(*c.SuspendedSince).Hours()/24))
		if err = exec(`UPDATE cases SET suspended_since = NULL WHERE id = $1`, c.ID); err == nil {
			err = exec(`UPDATE case_suspensions SET resumed_on = $2 WHERE case_id = $1 AND resumed_on IS NULL`, c.ID, date)
		}
	case "extend":
		if reason == "" {
			return "", zhifa.FieldErrors{"reason": "请填写延长办案期限的理由。"}
		}
		summary = fmt.Sprintf("批准延长办案期限%d日", r["extension_days"])
		err = exec(`UPDATE cases SET extensions = extensions + 1 WHERE id = $1`, c.ID)
	case "add_payment":
		fen, ok := ParseYuan(in.AmountYuan)
		if !ok || fen <= 0 {
			return "", zhifa.FieldErrors{"amount": "缴款金额应为大于0的数字，单位元。"}
		}
		receipt := strings.TrimSpace(in.ReceiptNo)
		if receipt == "" {
			return "", zhifa.FieldErrors{"receipt_no": "请填写缴款票据号（罚缴分离：罚款缴入指定银行）。"}
		}
		if c.FineFen == 0 {
			return "", zhifa.Errorf(zhifa.EINVALID, "本案决定中没有罚款。")
		}
		// Late payment: 3% of the fine a day, capped at the fine (APL art. 72).
		var surcharge int64
		if c.DecisionServedOn != nil {
			due := cal.EndOfPeriod(*c.DecisionServedOn, r.Deadline().PaymentDays)
			surcharge = deadline.Surcharge(c.FineFen, due, day)
		}
		summary = "登记缴纳罚款" + Yuan(fen) + "，票据号" + receipt
		if surcharge > 0 {
			summary += "，加处罚款" + Yuan(surcharge)
		}
		err = exec(`INSERT INTO case_payments (case_id, town_id, amount_fen, surcharge_fen, paid_on, receipt_no, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.TownID, fen, surcharge, date, receipt, a.UserID)
	case "order_done":
		if !c.HasOrder {
			return "", zhifa.Errorf(zhifa.EINVALID, "本案决定中没有责令改正事项。")
		}
		summary, err = "确认责令改正事项已履行", exec(`UPDATE cases SET order_done_on = $2 WHERE id = $1`, c.ID, date)
	case "apply_enforcement":
		summary, err = "申请人民法院强制执行", exec(`UPDATE cases SET enforcement_applied_on = $2 WHERE id = $1`, c.ID, date)
	case "add_remedy":
		kind := RemedyKinds[in.RemedyKind]
		if kind == "" {
			return "", zhifa.FieldErrors{"remedy_kind": "请选择行政复议或行政诉讼。"}
		}
		summary, err = "登记"+kind, exec(`INSERT INTO case_remedies (case_id, town_id, kind, filed_on, note) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, c.TownID, in.RemedyKind, date, text)
	case "remedy_outcome":
		label, ok := RemedyOutcomes[in.Outcome]
		if !ok || in.Outcome == "pending" {
			return "", zhifa.FieldErrors{"outcome": "请选择复议或诉讼的结果。"}
		}
		var kind string
		err = tx.QueryRow(ctx, `UPDATE case_remedies SET outcome = $3, decided_on = $4, note = CASE WHEN $5 = '' THEN note ELSE $5 END
			WHERE id = $2 AND case_id = $1 AND outcome = 'pending' RETURNING kind`, c.ID, in.RemedyID, in.Outcome, date, text).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) {
			return "", zhifa.Errorf(zhifa.EINVALID, "没有找到尚无结果的复议或诉讼。")
		}
		summary = RemedyKinds[kind] + "结果：" + label
	default:
		return "", zhifa.Errorf(zhifa.EINVALID, "不支持此操作。")
	}
	if err != nil {
		return "", err
	}
	if err := addEvent(ctx, tx, a, c.ID, c.TownID, s.Clock(), st.Name, "", "", summary, reason); err != nil {
		return "", err
	}
	return "已" + st.Label + "。", nil
}
