package cases

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

var none = time.Time{}

func stepUpdateFacts(x *act) (string, time.Time, error) {
	text := strings.TrimSpace(x.in.Text)
	if text == "" || runes(text) > 4000 {
		return "", none, zhifa.FieldErrors{"text": "请填写调查查明的事实（4000字以内）。"}
	}
	x.change("调查情况", x.c.Facts, text) // the old facts stay in the record
	return "更新调查情况", none, x.exec(`UPDATE cases SET facts = $2 WHERE id = $1`, x.c.ID, text)
}

func stepUpdateParty(x *act) (string, time.Time, error) {
	in := &x.in
	in.PartyIDNumber = strings.ToUpper(strings.TrimSpace(in.PartyIDNumber))
	for _, p := range []*string{&in.PartyName, &in.PartyPhone, &in.PartyAddress, &in.PartyLegalRep, &in.PlaceVillage, &in.PlaceAddress} {
		*p = strings.TrimSpace(*p)
	}
	fe := zhifa.FieldErrors{}
	c := x.c
	checkParty(fe, c.PartyKind, in.PartyName, in.PartyIDNumber, in.PartyLegalRep, in.PartyPhone, in.PartyAddress, in.PlaceVillage, in.PlaceAddress)
	if _, ok := fe["party_id_number"]; !ok {
		checkAge(fe, c.PartyKind, in.PartyIDNumber, c.ActOn)
	}
	// The place stays in the town's area (APL art. 22).
	if _, bad := fe["place_village"]; !bad && in.PlaceVillage != c.PlaceVillage {
		if msg, err := checkVillage(x.ctx, x.tx, c.TownID, in.PlaceVillage); err != nil {
			return "", none, err
		} else if msg != "" {
			fe["place_village"] = msg
		}
	}
	// A corrected party may turn out to be one another case already covers (APL art. 29).
	if len(fe) == 0 && (in.PartyName != c.PartyName || in.PartyIDNumber != c.PartyIDNumber) {
		existing, err := sameAct(x.ctx, x.tx, c.ItemID, c.ActOn, in.PartyIDNumber, in.PartyName, c.ID)
		if err != nil {
			return "", none, err
		} else if existing != "" {
			fe["party_name"] = sameActMessage(existing)
		}
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	var changed []string
	note := func(label string, differ bool) {
		if differ {
			changed = append(changed, label)
		}
	}
	note("当事人", c.PartyName != in.PartyName)
	note("证件号码", c.PartyIDNumber != in.PartyIDNumber)
	note("联系电话", c.PartyPhone != in.PartyPhone)
	note("住址", c.PartyAddress != in.PartyAddress)
	note("法定代表人", c.PartyLegalRep != in.PartyLegalRep)
	note("发生地点", c.PlaceVillage+c.PlaceAddress != in.PlaceVillage+in.PlaceAddress)
	note("危害后果（五年追责时效）", c.SeriousHarm != in.SeriousHarm)
	note("连续或继续状态", c.ContinuingAct != in.ContinuingAct)
	if len(changed) == 0 {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "没有任何更改。")
	}
	// The old values stay in the record (the timeline entry's changes).
	x.change("当事人", c.PartyName, in.PartyName)
	x.change("证件号码", c.PartyIDNumber, in.PartyIDNumber)
	x.change("联系电话", c.PartyPhone, in.PartyPhone)
	x.change("住址", c.PartyAddress, in.PartyAddress)
	x.change("法定代表人", c.PartyLegalRep, in.PartyLegalRep)
	x.change("发生地点", strings.TrimSpace(c.PlaceVillage+" "+c.PlaceAddress), strings.TrimSpace(in.PlaceVillage+" "+in.PlaceAddress))
	x.change("危害后果（五年追责时效）", yesNo(c.SeriousHarm), yesNo(in.SeriousHarm))
	x.change("连续或继续状态", yesNo(c.ContinuingAct), yesNo(in.ContinuingAct))
	return "更正" + strings.Join(changed, "、"), none, x.exec(`UPDATE cases SET party_name = $2, party_id_number = $3, party_phone = $4,
		party_address = $5, party_legal_rep = $6, place_village = $7, place_address = $8, serious_harm = $9, continuing_act = $10
		WHERE id = $1`, c.ID, in.PartyName, in.PartyIDNumber, in.PartyPhone, in.PartyAddress, in.PartyLegalRep, in.PlaceVillage,
		in.PlaceAddress, in.SeriousHarm, in.ContinuingAct)
}

// 立案申请: the handlers ask the team leader to approve the filing.
func stepRequestFiling(x *act) (string, time.Time, error) {
	if x.c.FilingAsked != nil {
		return "", none, zhifa.Errorf(zhifa.ECONFLICT, "已于%s提交立案审批，请等待队长审批。", x.c.FilingAsked.Format("2006年1月2日"))
	}
	return "提交立案审批", none, x.exec(`UPDATE cases SET filing_requested_on = $2 WHERE id = $1`, x.c.ID, x.today.Format(time.DateOnly))
}

// 拟处罚: the handlers' proposal, with the discretion tier and reasoning,
// checked against the item's legal range (APL arts. 5, 32, 58).
func stepPropose(x *act) (string, time.Time, error) {
	in := x.in
	tier, reasoning, mitigation := strings.TrimSpace(in.Tier), strings.TrimSpace(in.Reasoning), strings.TrimSpace(in.Mitigation)
	fe := zhifa.FieldErrors{}
	var ps []Penalty
	if !in.NoPenalty {
		var err error
		if ps, err = in.penalties(x.today); err != nil {
			if pe, ok := err.(zhifa.FieldErrors); ok {
				fe = pe
			}
		}
		fe.Check(tier != "", "tier", "请选择或填写适用的裁量阶次（如：一般、较重）。")
	}
	fe.Check(reasoning != "", "reasoning", "请填写裁量理由（事实、情节、适用的裁量基准）。")
	if len(fe) == 0 && !in.NoPenalty {
		if msg := x.env.penalties.CheckKinds(KindsOf(ps)); msg != "" {
			fe["amount"] = msg
		} else if msg := x.env.penalties.CheckFine(x.c.PartyKind == "org", FineOf(ps)); msg != "" && mitigation == "" {
			fe["amount"] = msg + "；如有法定从轻、减轻情节，请在“从轻、减轻的法定情节”中写明（行政处罚法第三十二条），并须经集体讨论。"
		}
		if age, minor := x.c.MinorAge(); minor && age >= 14 && mitigation == "" {
			fe["mitigation"] = workflow.MinorMitigation + "。"
		}
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	if ps == nil {
		ps = []Penalty{}
	}
	if in.NoPenalty {
		mitigation = ""
	}
	summary := "拟处罚意见：" + DescribePenalties(ps)
	if in.NoPenalty {
		summary = "拟处罚意见：不予处罚"
	}
	if tier != "" {
		summary += "（裁量阶次：" + tier + "）"
	}
	if mitigation != "" {
		summary += "，从轻、减轻情节：" + mitigation
	}
	// A changed proposal is a new one: a review passed on the old one no
	// longer covers it, and the decision waits for a new review (APL art. 58).
	changed := in.NoPenalty != x.c.ProposalNoPenalty || DescribePenalties(ps) != DescribePenalties(x.c.ReviewedPenalties)
	if changed && x.c.ReviewedBy != nil {
		summary += "（与法制审核通过的意见不同，须重新提交法制审核）"
	}
	return summary, none, x.exec(`UPDATE cases SET proposed_penalties = $2, proposal_tier = $3, proposal_reasoning = $4,
		mitigation_ground = $5, proposed_on = $6, proposal_no_penalty = $7,
		reviewed_by = CASE WHEN $8 THEN NULL ELSE reviewed_by END, reviewed_on = CASE WHEN $8 THEN NULL ELSE reviewed_on END
		WHERE id = $1`,
		x.c.ID, ps, tier, reasoning, mitigation, x.today.Format(time.DateOnly), in.NoPenalty, changed)
}

// 回避 (APL art. 43): a request by the party or the officer.
func stepRequestRecusal(x *act) (string, time.Time, error) {
	reason := strings.TrimSpace(x.in.Reason)
	fe := zhifa.FieldErrors{}
	var name string
	for _, o := range x.c.ActiveOfficers() {
		if o.UserID == x.in.OfficerID {
			name = o.DisplayName
		}
	}
	fe.Check(name != "", "officer_id", "请选择申请回避的承办人员。")
	fe.Check(x.in.RequestedBy == "当事人" || x.in.RequestedBy == "执法人员本人", "requested_by", "请选择由谁提出回避。")
	fe.Check(reason != "", "reason", "请填写回避的理由。")
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day, err := x.declared("date", x.in.Date, "申请日期", dateOrZero(x.c.FiledOn), "立案之日")
	if err != nil {
		return "", none, err
	}
	return x.in.RequestedBy + "申请" + name + "回避", day, x.exec(`INSERT INTO case_recusals (case_id, town_id, officer_id, requested_on,
		requested_by, reason) VALUES ($1, $2, $3, $4, $5, $6)`, x.c.ID, x.c.TownID, x.in.OfficerID, day.Format(time.DateOnly), x.in.RequestedBy, reason)
}

// The head decides a recusal (APL art. 43 ¶3: 行政机关负责人); a recused officer is replaced, so that two
// certified officers still handle the case.
func stepDecideRecusal(x *act) (string, time.Time, error) {
	i := slices.IndexFunc(x.c.Recusals, func(r Recusal) bool { return r.DecidedOn == nil && r.ID == x.in.RecusalID })
	if i < 0 {
		return "", none, zhifa.FieldErrors{"recusal_id": "请选择待决定的回避申请。"}
	}
	rq := x.c.Recusals[i]
	note := strings.TrimSpace(x.in.Text)
	fe := zhifa.FieldErrors{}
	fe.Check(x.in.Granted == "yes" || x.in.Granted == "no", "granted", "请选择是否准予回避。")
	fe.Check(note != "", "text", "请填写回避决定的理由。")
	granted := x.in.Granted == "yes"
	var replacement string
	if granted {
		// Anyone on record for the case, current or recused, is no replacement.
		if slices.ContainsFunc(x.c.Officers, func(o Officer) bool { return o.UserID == x.in.ReplacementID }) {
			fe["replacement_id"] = "请选择一名不是本案承办人员的执法人员替换。"
		} else if err := x.tx.QueryRow(x.ctx, `SELECT u.display_name FROM users u JOIN certificates ce ON ce.user_id = u.id
			AND ce.valid_from <= $2 AND ce.valid_until >= $2
			WHERE u.id = $1 AND u.town_id = $3 AND u.role IN ('officer', 'leader') AND u.active`,
			x.in.ReplacementID, x.today.Format(time.DateOnly), x.c.TownID).Scan(&replacement); err != nil {
			fe["replacement_id"] = "替换的执法人员须为本镇在职且执法证有效的执法队员或队长。"
		}
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day := x.today.Format(time.DateOnly)
	var repl any
	if granted {
		repl = x.in.ReplacementID
	}
	if err := x.exec(`UPDATE case_recusals SET decided_by = $2, decided_on = $3, granted = $4, decision_note = $5, replacement_id = $6
		WHERE id = $1`, rq.ID, x.a.UserID, day, granted, note, repl); err != nil {
		return "", none, err
	}
	if !granted {
		return "决定" + rq.OfficerName + "不予回避：" + note, none, nil
	}
	wasLead := slices.ContainsFunc(x.c.Officers, func(o Officer) bool { return o.UserID == rq.OfficerID && o.Lead })
	if err := x.exec(`UPDATE case_officers SET recused_on = $3, lead = false WHERE case_id = $1 AND user_id = $2`, x.c.ID, rq.OfficerID, day); err != nil {
		return "", none, err
	}
	if err := x.exec(`INSERT INTO case_officers (case_id, town_id, user_id, lead) VALUES ($1, $2, $3, $4)`,
		x.c.ID, x.c.TownID, x.in.ReplacementID, wasLead); err != nil {
		return "", none, err
	}
	return "决定" + rq.OfficerName + "回避，由" + replacement + "承办：" + note, none, nil
}

// 增加承办人员: the team leader adds a certified officer to the case, so
// that two handlers with certificates valid today carry on (APL art. 42).
func stepAddHandler(x *act) (string, time.Time, error) {
	reason := strings.TrimSpace(x.in.Reason)
	id := x.in.OfficerID
	fe := zhifa.FieldErrors{}
	fe.Check(reason != "", "reason", "请填写增加承办人员的理由。")
	var name string
	switch {
	case id == 0:
		fe["officer_id"] = "请选择增加的承办人员。"
	case x.c.Handles(id):
		fe["officer_id"] = "该人员已是本案承办人员。"
	case slices.ContainsFunc(x.c.Officers, func(o Officer) bool { return o.UserID == id }):
		fe["officer_id"] = "该人员已在本案中回避，不得再承办本案（行政处罚法第四十三条）。"
	default:
		err := x.tx.QueryRow(x.ctx, `SELECT u.display_name FROM users u JOIN certificates ce ON ce.user_id = u.id
			AND ce.valid_from <= $2 AND ce.valid_until >= $2
			WHERE u.id = $1 AND u.town_id = $3 AND u.role IN ('officer', 'leader') AND u.active`,
			id, x.today.Format(time.DateOnly), x.c.TownID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			fe["officer_id"] = "增加的承办人员须为本镇在职且执法证今日有效的执法队员或队长（行政处罚法第四十二条）。"
		} else if err != nil {
			return "", none, err
		}
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	return "增加" + name + "为承办人员", none, x.exec(`INSERT INTO case_officers (case_id, town_id, user_id, lead) VALUES ($1, $2, $3, false)`,
		x.c.ID, x.c.TownID, id)
}

// AEL art. 25: a seizure of 30 days may be extended once, before it ends.
func stepExtendSeizure(x *act) (string, time.Time, error) {
	i := slices.IndexFunc(x.c.Preservations, func(p Preservation) bool {
		return p.ID == x.in.PreservationID && p.Kind == PreservationSeize && !p.Extended && p.EndedOn == nil
	})
	if i < 0 {
		return "", none, zhifa.FieldErrors{"preservation_id": "请选择尚未延长的查封扣押。"}
	}
	if strings.TrimSpace(x.in.Reason) == "" {
		return "", none, zhifa.FieldErrors{"reason": "请填写延长的理由（情况复杂）。"}
	}
	p := x.c.Preservations[i]
	days := x.r.Deadline().SeizureDays
	if end := p.StartedOn.AddDate(0, 0, days); x.today.After(end) {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "查封扣押期限已于%s届满，不能再延长（行政强制法第二十五条）。", end.Format("2006年1月2日"))
	}
	return fmt.Sprintf("批准延长查封扣押期限%d日", days), none, x.exec(`UPDATE case_preservations SET extended = true WHERE id = $1`, p.ID)
}

// 处理决定 on preserved goods, or the release of a seizure.
func stepEndPreservation(x *act) (string, time.Time, error) {
	i := slices.IndexFunc(x.c.Preservations, func(p Preservation) bool { return p.ID == x.in.PreservationID && p.EndedOn == nil })
	if i < 0 {
		return "", none, zhifa.FieldErrors{"preservation_id": "请选择尚未处理的保存或查封扣押。"}
	}
	p := x.c.Preservations[i]
	disposal := strings.TrimSpace(x.in.Disposal)
	if disposal == "" {
		return "", none, zhifa.FieldErrors{"disposal": "请填写处理决定（如：解除保存、退还、移送、依法没收）。"}
	}
	day, err := x.declared("date", x.in.Date, "处理日期", p.StartedOn, PreservationKinds[p.Kind]+"之日")
	if err != nil {
		return "", none, err
	}
	return PreservationKinds[p.Kind] + "处理决定：" + disposal, day,
		x.exec(`UPDATE case_preservations SET ended_on = $2, disposal = $3 WHERE id = $1`, p.ID, day.Format(time.DateOnly), disposal)
}

// 移送意见: the handlers propose; the head decides within the set working
// days (移送涉嫌犯罪案件规定 art. 5).
func stepProposeTransfer(x *act) (string, time.Time, error) {
	body, reason := strings.TrimSpace(x.in.ReceivingBody), strings.TrimSpace(x.in.Reason)
	fe := zhifa.FieldErrors{}
	fe.Check(body != "", "receiving_body", "请填写接收移送的县级主管部门或公安机关。")
	fe.Check(reason != "", "reason", "请填写移送的理由。")
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	return "提出移送意见：移送" + body, none, x.exec(`UPDATE cases SET transfer_proposed_on = $2, transfer_body = $3 WHERE id = $1`,
		x.c.ID, x.today.Format(time.DateOnly), body)
}

func stepSuspend(x *act) (string, time.Time, error) {
	if strings.TrimSpace(x.in.Reason) == "" {
		return "", none, zhifa.FieldErrors{"reason": "请填写中止的原因（如等待鉴定意见）。"}
	}
	day, err := x.declared("date", x.in.Date, "中止日期", x.c.StateEnteredOn, "案件进入当前阶段之日")
	if err != nil {
		return "", none, err
	}
	d := day.Format(time.DateOnly)
	if err := x.exec(`UPDATE cases SET suspended_since = $2 WHERE id = $1`, x.c.ID, d); err != nil {
		return "", none, err
	}
	return "中止案件", day, x.exec(`INSERT INTO case_suspensions (case_id, town_id, started_on, reason) VALUES ($1, $2, $3, $4)`,
		x.c.ID, x.c.TownID, d, strings.TrimSpace(x.in.Reason))
}

func stepResume(x *act) (string, time.Time, error) {
	day, err := x.declared("date", x.in.Date, "恢复日期", *x.c.SuspendedSince, "中止之日")
	if err != nil {
		return "", none, err
	}
	d := day.Format(time.DateOnly)
	if err := x.exec(`UPDATE cases SET suspended_since = NULL WHERE id = $1`, x.c.ID); err != nil {
		return "", none, err
	}
	return fmt.Sprintf("恢复案件（中止%d日）", int(day.Sub(*x.c.SuspendedSince).Hours()/24)), day,
		x.exec(`UPDATE case_suspensions SET resumed_on = $2 WHERE case_id = $1 AND resumed_on IS NULL`, x.c.ID, d)
}

// 延长办案期限: approved by the head before the period runs out, each with
// a reason, no more than the setting allows unless collectively discussed.
func stepExtend(x *act) (string, time.Time, error) {
	if strings.TrimSpace(x.in.Reason) == "" {
		return "", none, zhifa.FieldErrors{"reason": "请填写延长办案期限的理由。"}
	}
	s := x.r.Deadline()
	for _, d := range deadline.Compute(s, x.cal, x.c.dates(x.today)) {
		if d.Key == deadline.KeyDecision && d.Status == deadline.Overdue {
			return "", none, zhifa.Errorf(zhifa.EINVALID, "办案期限已于%s届满，延期须在期限届满前批准，不能事后补办。", d.Due.Format("2006年1月2日"))
		}
	}
	maxExt := int(x.r.Get("max_extensions", 1))
	if x.c.Extensions >= maxExt && x.c.DiscussionOn == nil {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "已延期%d次，达到设定的%d次上限；再次延期须经集体讨论决定。", x.c.Extensions, maxExt)
	}
	return fmt.Sprintf("批准延长办案期限%d日（第%d次）", s.ExtensionDays, x.c.Extensions+1), none,
		x.exec(`UPDATE cases SET extensions = extensions + 1, extended_by = $2 WHERE id = $1`, x.c.ID, x.a.UserID)
}

// 移送回执: what the receiving body answered, and when (移送涉嫌犯罪案件的
// 规定 arts. 8-9): the town follows the case it sent.
func stepTransferReceipt(x *act) (string, time.Time, error) {
	text := strings.TrimSpace(x.in.Text)
	if text == "" {
		return "", none, zhifa.FieldErrors{"text": "请填写接收单位的回执内容（受理、立案或者不予受理及理由）。"}
	}
	day, err := x.declared("date", x.in.Date, "回执日期", dateOrZero(x.c.ClosedOn), "决定移送之日")
	if err != nil {
		return "", none, err
	}
	return x.c.TransferBody + "回执：" + text, day, x.exec(`UPDATE cases SET transfer_receipt_on = $2, transfer_receipt = $3 WHERE id = $1`,
		x.c.ID, day.Format(time.DateOnly), text)
}
