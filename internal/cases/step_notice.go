package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// 事先告知 (APL arts. 44, 45, 63): the notice carries the reviewed proposal,
// dated between the review and today; a heavier re-notice opens a new
// statement and hearing window.
func stepServeNotice(x *act) (string, time.Time, error) {
	c := x.c
	day, err := x.declared("date", x.in.Date, "送达日期", later(&c.StateEnteredOn, c.ReviewedOn), "法制审核通过之日")
	if err != nil {
		return "", none, err
	}
	// What is served is the issued 告知书: the record points to it.
	method := directUnlessSaid(x.in.Method)
	served, err := x.serve(doctype.Notice, day, method)
	if err != nil {
		return "", none, err
	}
	text := strings.TrimSpace(x.in.Text)
	if text == "" {
		text = "见《行政处罚事先告知书》" + served.Number
	}
	ps := c.ReviewedPenalties
	fine := FineOf(ps)
	// The hearing right (art. 63): a large fine, or a heavy kind of penalty.
	hearing := c.NoticeHearing(x.r, x.in.HeavyPenalty)
	if hearing && !served.Hearing {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "%s", noticeUntold)
	}
	// A notice that told of a hearing binds the town to hear the party.
	hearing = hearing || served.Hearing
	heavier := c.NoticeServedOn != nil
	summary := "送达行政处罚事先告知书，拟处罚：" + DescribePenalties(ps)
	if heavier {
		summary = "重新送达行政处罚事先告知书（拟加重处罚），拟处罚：" + DescribePenalties(ps)
	}
	if hearing {
		summary += "，告知听证权利"
	}
	summary += servedText(served, method)
	d := day.Format(time.DateOnly)
	if err := x.exec(`INSERT INTO case_notices (case_id, town_id, served_on, penalties, fine_fen, hearing_right, text)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.TownID, d, ps, fine, hearing, text); err != nil {
		return "", none, err
	}
	return summary, day, x.exec(`UPDATE cases SET notice_served_on = $2, notice_fine_fen = $3, notice_text = $4, hearing_right = $5,
		notice_penalties = $6, notice_count = notice_count + 1, renotice_heavier = renotice_heavier OR $7,
		statement_waived = false, hearing_waived = false, hearing_requested_on = NULL, hearing_notice_served_on = NULL,
		hearing_on = NULL, hearing_outcome = '', hearing_held_on = NULL WHERE id = $1`, c.ID, d, fine, text, hearing, ps, heavier)
}

// The party's written waiver of statement and defence; it does not waive a
// hearing (APL art. 64).
func stepWaiveStatement(x *act) (string, time.Time, error) {
	day, err := x.declared("date", x.in.Date, "放弃日期", dateOrZero(x.c.NoticeServedOn), "告知书送达之日")
	if err != nil {
		return "", none, err
	}
	return "当事人书面放弃陈述、申辩", day, x.exec(`UPDATE cases SET statement_waived = true WHERE id = $1`, x.c.ID)
}

// The party's express written waiver of the hearing.
func stepWaiveHearing(x *act) (string, time.Time, error) {
	day, err := x.declared("date", x.in.Date, "放弃日期", dateOrZero(x.c.NoticeServedOn), "告知书送达之日")
	if err != nil {
		return "", none, err
	}
	return "当事人书面明确放弃听证", day, x.exec(`UPDATE cases SET hearing_waived = true WHERE id = $1`, x.c.ID)
}

func stepAddStatement(x *act) (string, time.Time, error) {
	text := strings.TrimSpace(x.in.Text)
	if text == "" {
		return "", none, zhifa.FieldErrors{"text": "请填写当事人陈述、申辩的内容。"}
	}
	floor, what, summary := dateOrZero(x.c.NoticeServedOn), "告知书送达之日", "记录当事人陈述、申辩"
	if x.c.State == workflow.Executing {
		floor, what, summary = dateOrZero(x.c.DemandServedOn), "催告书送达之日", "记录当事人收到催告书后的陈述、申辩"
	}
	day, err := x.declared("date", x.in.Date, "收到日期", floor, what)
	if err != nil {
		return "", none, err
	}
	return summary, day, x.exec(`INSERT INTO case_statements (case_id, town_id, received_on, content) VALUES ($1, $2, $3, $4)`,
		x.c.ID, x.c.TownID, day.Format(time.DateOnly), text)
}

func stepRecheck(x *act) (string, time.Time, error) {
	text := strings.TrimSpace(x.in.Text)
	if text == "" {
		return "", none, zhifa.FieldErrors{"text": "请填写复核意见（是否采纳及理由）。"}
	}
	i := slices.IndexFunc(x.c.Statements, func(s Statement) bool { return s.ID == x.in.StatementID && s.RecheckedOn == nil })
	if i < 0 {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "没有找到待复核的陈述申辩。")
	}
	day, err := x.declared("date", x.in.Date, "复核日期", x.c.Statements[i].ReceivedOn, "收到陈述申辩之日")
	if err != nil {
		return "", none, err
	}
	return "复核陈述、申辩：" + text, day, x.exec(`UPDATE case_statements SET recheck = $2, rechecked_on = $3 WHERE id = $1`,
		x.in.StatementID, text, day.Format(time.DateOnly))
}

// 听证通知书 (APL art. 64(2)-(4)): served at least the set working days
// before the hearing; a chair who did not investigate; public unless the
// law says otherwise, with the reason.
func stepHearingNotice(x *act) (string, time.Time, error) {
	c := x.c
	in := x.in
	fe := zhifa.FieldErrors{}
	served, err := x.declared("date", in.Date, "通知书送达日期", dateOrZero(c.HearingRequested), "当事人申请听证之日")
	if fe2, ok := err.(zhifa.FieldErrors); ok {
		fe = fe2
	}
	hearingOn, ok := parseDate(in.HearingOn)
	minDays := int(x.r.Get("hearing_notice_working_days", 7))
	if !ok {
		fe["hearing_on"] = "请填写举行听证的日期（格式：2025-03-24）。"
	} else if err == nil && !deadline.HearingDateOK(x.cal, served, hearingOn, minDays) {
		fe["hearing_on"] = fmt.Sprintf("听证日期须在听证通知书送达%d个工作日之后（最早%s），以保障当事人准备（行政处罚法第六十四条）。",
			minDays, x.cal.AddWorkdays(served, minDays).Format("2006年1月2日"))
	}
	fe.Check(strings.TrimSpace(in.HearingPlace) != "", "hearing_place", "请填写听证地点。")
	var chair string
	// The chair did not investigate the case: no handler, not even one
	// recused since (APL art. 64(4)).
	if in.HearingChair == 0 || slices.ContainsFunc(c.Officers, func(o Officer) bool { return o.UserID == in.HearingChair }) {
		fe["hearing_chair"] = "请选择听证主持人：须为本案调查人员以外的人员（行政处罚法第六十四条）。"
	} else if slices.Contains(c.RecusedChairs, in.HearingChair) {
		fe["hearing_chair"] = "该人员已因当事人申请回避，不得再主持本案听证（行政处罚法第六十四条第四项）。"
	} else if err := x.tx.QueryRow(x.ctx, `SELECT display_name FROM users WHERE id = $1 AND active AND town_id = $2`,
		in.HearingChair, c.TownID).Scan(&chair); err != nil {
		fe["hearing_chair"] = "请选择本镇在职人员担任听证主持人。"
	}
	fe.Check(!in.HearingPrivate || strings.TrimSpace(in.PrivateReason) != "", "private_reason",
		"不公开举行听证的，请写明理由（涉及国家秘密、商业秘密或者个人隐私）。")
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	summary := fmt.Sprintf("送达听证通知书：%s在%s举行听证，主持人%s", hearingOn.Format("2006年1月2日"), strings.TrimSpace(in.HearingPlace), chair)
	if in.HearingPrivate {
		summary += "，不公开举行（" + strings.TrimSpace(in.PrivateReason) + "）"
	} else {
		summary += "，公开举行"
	}
	return summary, served, x.exec(`UPDATE cases SET hearing_notice_served_on = $2, hearing_on = $3, hearing_place = $4, hearing_chair = $5,
		hearing_public = $6, hearing_private_reason = $7 WHERE id = $1`, c.ID, served.Format(time.DateOnly), hearingOn.Format(time.DateOnly),
		strings.TrimSpace(in.HearingPlace), in.HearingChair, !in.HearingPrivate, strings.TrimSpace(in.PrivateReason))
}

// 听证 (APL art. 64(5)-(8)): held on or after the notified day; absence or
// leaving without reason withdraws the request; a held hearing has its
// transcript summary and the signed scan among the evidence.
func stepHoldHearing(x *act) (string, time.Time, error) {
	c := x.c
	in := x.in
	day, err := x.declared("date", in.Date, "听证日期", dateOrZero(c.HearingOn), "听证通知书确定的听证日期")
	if err != nil {
		return "", none, err
	}
	fe := zhifa.FieldErrors{}
	agents := splitNames(in.Agents)
	for i := range agents {
		agents[i] = strings.TrimSpace(agents[i])
	}
	agents = slices.DeleteFunc(agents, func(s string) bool { return s == "" })
	fe.Check(len(agents) <= MaxAgents, "agents", fmt.Sprintf("当事人可以亲自参加听证，也可以委托一至二人代理，委托代理人不得超过%d人（行政处罚法第六十四条第五项）。", MaxAgents))
	label := Label(HearingOutcomes, in.Outcome)
	if in.Outcome == "" || label == in.Outcome {
		fe["outcome"] = "请选择听证情况。"
	}
	fe.Check(strings.TrimSpace(in.Attendance) != "", "attendance", "请填写出席人员（当事人或其代理人、调查人员、主持人、记录员）。")
	if in.Outcome == HearingHeld {
		fe.Check(strings.TrimSpace(in.Transcript) != "", "transcript", "请填写听证笔录摘要（调查人员提出的事实、证据和处罚建议，当事人的申辩和质证）。")
		if !slices.ContainsFunc(c.Evidence, func(e Evidence) bool { return e.ID == in.ScanEvidenceID && e.SupersededAt == nil }) {
			fe["scan_evidence_id"] = "请先将当事人签字的听证笔录扫描件上传为证据，再在此选择（行政处罚法第六十四条第八项）。"
		}
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	var scan any
	if in.Outcome == HearingHeld {
		scan = in.ScanEvidenceID
	}
	summary := label + "；出席：" + strings.TrimSpace(in.Attendance)
	joined := strings.Join(agents, "、")
	if joined != "" {
		summary += "；委托代理人：" + joined
	}
	if t := strings.TrimSpace(in.Transcript); t != "" {
		summary += "；笔录摘要：" + t
	}
	return summary, day, x.exec(`UPDATE cases SET hearing_outcome = $2, hearing_held_on = $3, hearing_attendance = $4,
		hearing_transcript = $5, hearing_transcript_evidence = $6, hearing_agents = $7 WHERE id = $1`,
		c.ID, in.Outcome, day.Format(time.DateOnly), strings.TrimSpace(in.Attendance), strings.TrimSpace(in.Transcript), scan, joined)
}

// MaxAgents is the most agents a party may entrust at a hearing (APL art.
// 64(5)).
const MaxAgents = 2

// splitNames reads a list of names, one a line or separated by 、，,；;.
func splitNames(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("\n\r、，,；;", r) })
}

// ChairRecusalPending says whether the party asked that the hearing chair
// step aside and the head has not decided yet.
func (c *Case) ChairRecusalPending() bool {
	return c.ChairRecusalOn != nil && c.ChairRecusalDecided == nil
}

// 主持人回避 (APL art. 64(4)): the party considers the chair to have a
// direct interest in the case and asks that they step aside.
func stepRequestChairRecusal(x *act) (string, time.Time, error) {
	c := x.c
	if strings.TrimSpace(x.in.Reason) == "" {
		return "", none, zhifa.FieldErrors{"reason": "请填写当事人申请主持人回避的理由（主持人与本案有直接利害关系的情形）。"}
	}
	day, err := x.declared("date", x.in.Date, "申请日期", dateOrZero(c.HearingNoticeOn), "听证通知书送达之日")
	if err != nil {
		return "", none, err
	}
	return "当事人申请听证主持人" + c.HearingChairName + "回避", day, x.exec(`UPDATE cases SET chair_recusal_requested_on = $2,
		chair_recusal_chair = hearing_chair, chair_recusal_reason = $3, chair_recusal_decided_on = NULL, chair_recusal_granted = NULL,
		chair_recusal_note = '' WHERE id = $1`, c.ID, day.Format(time.DateOnly), strings.TrimSpace(x.in.Reason))
}

// The head decides the request. Granted, the chair steps aside: the
// hearing notice is cleared and a new one names another chair.
func stepDecideChairRecusal(x *act) (string, time.Time, error) {
	c := x.c
	note := strings.TrimSpace(x.in.Text)
	fe := zhifa.FieldErrors{}
	fe.Check(x.in.Granted == "yes" || x.in.Granted == "no", "granted", "请选择是否准予主持人回避。")
	fe.Check(note != "", "text", "请填写回避决定的理由。")
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day, err := x.declared("date", x.in.Date, "决定日期", *c.ChairRecusalOn, "当事人申请回避之日")
	if err != nil {
		return "", none, err
	}
	d := day.Format(time.DateOnly)
	if x.in.Granted == "no" {
		return "决定听证主持人" + c.ChairRecusalChair + "不予回避：" + note, day, x.exec(`UPDATE cases SET chair_recusal_decided_on = $2,
			chair_recusal_granted = false, chair_recusal_note = $3 WHERE id = $1`, c.ID, d, note)
	}
	return "决定听证主持人" + c.ChairRecusalChair + "回避，须另行指定主持人并重新送达听证通知书：" + note, day,
		x.exec(`UPDATE cases SET chair_recusal_decided_on = $2, chair_recusal_granted = true, chair_recusal_note = $3,
			recused_chairs = array_append(recused_chairs, chair_recusal_chair),
			hearing_chair = NULL, hearing_notice_served_on = NULL, hearing_on = NULL WHERE id = $1`, c.ID, d, note)
}

// NoticeInput is what the hearing and discussion forms add to an action.
type NoticeInput struct {
	DiscussionUsers []int64 // form field discussion_user (repeated): the heads and leaders who sat
	Agents          string  // form field agents: the party's 委托代理人 at the hearing, one a line
}

const discussionNeedsHead = "集体讨论须由行政机关负责人参加（行政处罚法第五十七条第二款）"

// 集体讨论 (APL art. 57 ¶2): held by the agency's heads: the town's head
// (镇负责人) among those who sat, chosen from the town's accounts, others
// (a deputy without an account) named in free text; when, and what they
// concluded.
func stepDiscussion(x *act) (string, time.Time, error) {
	others, concl := strings.TrimSpace(x.in.Participants), strings.TrimSpace(x.in.Conclusion)
	fe := zhifa.FieldErrors{}
	members, err := discussionMembers(x.ctx, x.tx, x.c.TownID)
	if err != nil {
		return "", none, err
	}
	var names []string
	var ids []int64
	head := false
	for _, m := range members {
		if slices.Contains(x.in.DiscussionUsers, m.UserID) {
			names, ids = append(names, m.Label()), append(ids, m.UserID)
			head = head || m.Role == zhifa.RoleHead
		}
	}
	if len(ids) < len(slices.Compact(slices.Sorted(slices.Values(x.in.DiscussionUsers)))) {
		fe["discussion_user"] = "参加人员须为本镇在职的镇负责人或执法队长。"
	} else if !head {
		fe["discussion_user"] = discussionNeedsHead + "：请勾选参加讨论的镇负责人。"
	} else if len(ids)+len(splitNames(others)) < 3 {
		// Collective: the head does not discuss alone.
		fe["participants"] = "集体讨论须由镇负责人和其他负责人、执法队长等三人以上共同参加，请补充参加人员（行政处罚法第五十七条第二款）。"
	}
	fe.Check(concl != "", "conclusion", "请填写集体讨论的结论。")
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day, err := x.declared("date", x.in.Date, "讨论日期", x.c.StateEnteredOn, "提交集体讨论之日")
	if err != nil {
		return "", none, err
	}
	if others != "" {
		names = append(names, others)
	}
	p := strings.Join(names, "、")
	return "集体讨论：" + concl + "（参加：" + p + "）", day, x.exec(`UPDATE cases SET discussion_on = $2, discussion_participants = $3,
		discussion_conclusion = $4, discussion_members = $5 WHERE id = $1`, x.c.ID, day.Format(time.DateOnly), p, concl, ids)
}

// Member is a town account who may sit in a collective discussion: a head
// (镇负责人) or the team leader.
type Member struct {
	UserID      int64
	DisplayName string
	Role        zhifa.Role
}

// Label is the role and the name, as the discussion record lists them:
// 镇负责人孙某某（分管副镇长）.
func (m Member) Label() string { return m.Role.Label() + m.DisplayName }

func discussionMembers(ctx context.Context, tx pgx.Tx, townID int64) ([]Member, error) {
	rows, _ := tx.Query(ctx, `SELECT id, display_name, role FROM users WHERE town_id = $1 AND active AND role IN ('head', 'leader')
		ORDER BY role = 'leader', id`, townID)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) {
		var m Member
		err := row.Scan(&m.UserID, &m.DisplayName, &m.Role)
		return m, err
	})
}

// DiscussionMembers are the town's heads and leaders, for the discussion
// form: the heads first.
func (s *Service) DiscussionMembers(ctx context.Context, townID int64) ([]Member, error) {
	var out []Member
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = discussionMembers(ctx, tx, townID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("discussion members: %w", err)
	}
	return out, nil
}
