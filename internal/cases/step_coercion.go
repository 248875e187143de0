package cases

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/authority"
	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Administrative coercion (行政强制) within a case: seizure (查封扣押) as a
// measure during the investigation, and forced demolition (强制拆除) as the
// town's own enforcement of an order to demolish. Both need a 行政强制 item
// on the town's list in force on the day: 清单之外无执法 holds for coercion
// too (行政强制法第十七条).

// CoercionInput is what the coercion forms add to an action: the 行政强制
// item chosen from the town's list, the party's own deadline of a
// demolition 公告, and the ground of an on-the-spot collection.
type CoercionInput struct {
	CoercionItemID     int64  // form field coercion_item_id
	DemolitionDeadline string // form field demolition_deadline: the last day for the party to demolish
	OnSpotGround       string // form field onspot_ground: "", OnSpotHardToCollect, OnSpotRemote
	OnSpotReason       string // form field onspot_reason: why the ground applies

	// On the spot of a seizure (AEL art. 18) or a sample (APL art. 56).
	Quantity         string  // form field quantity: how many were sampled
	KeptAt           string  // form field kept_at: where the samples are kept
	PartyNotified    bool    // form field party_notified=1: the party was notified to be present
	PartyPresent     string  // form field party_present: PartyPresent or PartyAbsent
	Witness          string  // form field witness: the witness invited when the party is absent
	PartyTold        bool    // form field party_told=1: told the reasons, basis, rights and remedies
	PartyStatement   string  // form field party_statement: the party's statement and defence heard
	RecordEvidenceID int64   // form field record_evidence_id: the signed 现场笔录 among the evidence
	Executors        []int64 // form field executor (several): the officers who carried out a seizure
}

// Whether the party was present on the spot (form field party_present).
const (
	PartyPresent = "present"
	PartyAbsent  = "absent"
)

// KindCoercion is the kind of list item under which coercion is taken.
const KindCoercion = "行政强制"

// DemolitionNoticeDays is the least number of days a demolition 公告 gives
// the party to demolish by themselves (practice; the setting
// demolition_notice_days overrides it).
const DemolitionNoticeDays = 10

const (
	seizureNeedsItem    = "查封扣押须有本镇执法事项清单中的行政强制事项（行政强制法第十七条），清单之外无执法。"
	demolitionNeedsItem = "强制拆除须有本镇执法事项清单中的行政强制事项（行政强制法第四十四条），清单之外无执法。"
)

// coercionItem checks that the chosen item is a 行政强制 item on the town's
// list in force on day whose name names one of the measures; it returns
// the item's code and name for the record, or a field error that starts
// with base.
func (x *act) coercionItem(day time.Time, base string, measures ...string) (string, error) {
	const field = "coercion_item_id"
	id := x.in.CoercionItemID
	if id == 0 {
		return "", zhifa.FieldErrors{field: base}
	}
	var code, name, kind string
	err := x.tx.QueryRow(x.ctx, `SELECT code, name, kind FROM catalogue_items WHERE id = $1`, id).Scan(&code, &name, &kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", zhifa.FieldErrors{field: base}
	} else if err != nil {
		return "", err
	}
	ok, err := authority.InForce(x.ctx, x.tx, x.c.TownID, id, day)
	if err != nil {
		return "", err
	}
	switch {
	case !ok:
		return "", zhifa.FieldErrors{field: fmt.Sprintf("%s所选事项%s不在本镇%s施行的执法事项清单中。", base, code, day.Format("2006年1月2日"))}
	case kind != KindCoercion:
		return "", zhifa.FieldErrors{field: fmt.Sprintf("%s所选事项%s是%s事项，不是行政强制事项。", base, code, kind)}
	case !slices.ContainsFunc(measures, func(m string) bool { return strings.Contains(name, m) }):
		return "", zhifa.FieldErrors{field: fmt.Sprintf("%s所选事项%s不含%s措施。", base, code, strings.Join(measures, "、"))}
	}
	return code + " " + name, nil
}

// 先行登记保存 / 查封扣押, approved by the head (APL art. 56; AEL arts. 18,
// 25). A seizure is a 行政强制措施: only under a 行政强制 item of the town's
// list in force on the day (AEL art. 17).
func stepPreserve(x *act) (string, time.Time, error) {
	label := PreservationKinds[x.in.Kind]
	inv := strings.TrimSpace(x.in.Inventory)
	fe := zhifa.FieldErrors{}
	// Samples are recorded by the handlers (record_sampling), not approved here.
	fe.Check(label != "" && x.in.Kind != PreservationSample, "kind", "请选择先行登记保存或查封扣押。")
	fe.Check(inv != "", "inventory", "请填写物品清单（名称、数量、规格、存放地点）。")
	if x.in.Kind == PreservationSeize && x.in.CoercionItemID == 0 {
		fe["coercion_item_id"] = seizureNeedsItem
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day, err := x.declared("date", x.in.Date, "实施日期", dateOrZero(x.c.FiledOn), "立案之日")
	if err != nil {
		return "", none, err
	}
	summary := "批准" + label + "：" + inv
	var spot onSpot
	if x.in.Kind == PreservationSeize {
		var item string
		if item, spot, err = x.seizure(day); err != nil {
			return "", none, err
		}
		summary = "批准" + label + "（执法事项：" + item + "）：" + inv + "；" + spot.summary
	}
	return summary, day, x.insertPreservation(day, inv, x.a.UserID, spot, false)
}

// 紧急情况当场查封扣押 (AEL art. 19): in an emergency the handlers seize on
// the spot before approval, with all a seizure needs (arts. 17, 18) and
// the reason of the urgency; they report to the head within 24 hours, who
// approves afterwards or has it released (stepApproveEmergency).
func stepEmergencySeize(x *act) (string, time.Time, error) {
	inv := strings.TrimSpace(x.in.Inventory)
	fe := zhifa.FieldErrors{}
	fe.Check(strings.TrimSpace(x.in.Reason) != "", "reason", "请填写情况紧急、需要当场实施查封扣押的理由（行政强制法第十九条）。")
	fe.Check(inv != "", "inventory", "请填写物品清单（名称、数量、规格、存放地点）。")
	if x.in.CoercionItemID == 0 {
		fe["coercion_item_id"] = seizureNeedsItem
	}
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day, err := x.declared("date", x.in.Date, "实施日期", dateOrZero(x.c.FiledOn), "立案之日")
	if err != nil {
		return "", none, err
	}
	item, spot, err := x.seizure(day)
	if err != nil {
		return "", none, err
	}
	x.in.Kind = PreservationSeize
	return "紧急情况当场查封扣押（执法事项：" + item + "）：" + inv + "；" + spot.summary + "；须在24小时内报告负责人并补办批准手续", day,
		x.insertPreservation(day, inv, nil, spot, true)
}

// Outcomes of the head's decision on an emergency seizure (form field outcome).
const (
	EmergencyApprove = "approve"
	EmergencyRelease = "release"
)

// EmergencyReleased is the disposal of an emergency seizure the head
// finds should not have been taken (AEL art. 19).
const EmergencyReleased = "负责人认为不应当采取，立即解除"

// 补办批准手续 (AEL art. 19): the head, told of an emergency seizure,
// approves it afterwards or, finding it should not have been taken, has it
// released at once. The decision is the report, dated today; one later
// than the day after the seizure is still recorded, flagged late.
func stepApproveEmergency(x *act) (string, time.Time, error) {
	i := slices.IndexFunc(x.c.Preservations, func(p Preservation) bool { return p.ID == x.in.PreservationID && p.Unreported() })
	if i < 0 {
		return "", none, zhifa.FieldErrors{"preservation_id": "请选择待补办批准手续的紧急查封扣押。"}
	}
	p := x.c.Preservations[i]
	note := strings.TrimSpace(x.in.Text)
	day := x.today
	d := day.Format(time.DateOnly)
	what := p.StartedOn.Format("2006年1月2日") + "紧急情况当场实施的查封扣押（" + p.Inventory + "）"
	late := ""
	if day.After(p.StartedOn.AddDate(0, 0, 1)) {
		late = "；" + LateReportNote
	}
	switch x.in.Outcome {
	case EmergencyApprove:
		summary := "补办批准" + what
		if note != "" {
			summary += "：" + note
		}
		return summary + late, day, x.exec(`UPDATE case_preservations SET reported_on = $2, approved_on = $2, approved_by = $3 WHERE id = $1`,
			p.ID, d, x.a.UserID)
	case EmergencyRelease:
		if p.EndedOn != nil {
			return "", none, zhifa.Errorf(zhifa.EINVALID, "该查封扣押已于%s处理，无需解除，请补办批准手续。", p.EndedOn.Format("2006年1月2日"))
		}
		if note == "" {
			return "", none, zhifa.FieldErrors{"text": "请填写不应当采取查封扣押的理由。"}
		}
		return "负责人认为不应当采取" + what + "，立即解除：" + note + late, day,
			x.exec(`UPDATE case_preservations SET reported_on = $2, ended_on = $2, disposal = $3 WHERE id = $1`, p.ID, d, EmergencyReleased+"："+note)
	}
	return "", none, zhifa.FieldErrors{"outcome": "请选择补办批准或者立即解除。"}
}

// seizure checks what every seizure needs: a 行政强制 item of the town's
// list in force on day (AEL art. 17), the on-the-spot record (art. 18)
// and two or more certified executors; it returns the item and the
// record's summary with the executors named.
func (x *act) seizure(day time.Time) (string, onSpot, error) {
	item, err := x.coercionItem(day, seizureNeedsItem, "查封", "扣押")
	if err != nil {
		return "", onSpot{}, err
	}
	spot, err := x.seizureOnSpot()
	if err != nil {
		return "", spot, err
	}
	names, err := x.seizureExecutors(day)
	if err != nil {
		return "", spot, err
	}
	spot.summary += "；实施人员：" + strings.Join(names, "、")
	return item, spot, nil
}

// insertPreservation stores a 先行登记保存 or seizure (x.in.Kind) of inv
// started on day, approved by approver (nil for an emergency seizure not
// yet approved), with a seizure's item, on-the-spot record and executors.
func (x *act) insertPreservation(day time.Time, inv string, approver any, spot onSpot, emergency bool) error {
	var itemID, present, record any
	executors := []int64{}
	if x.in.Kind == PreservationSeize {
		itemID, present, record, executors = x.in.CoercionItemID, spot.present, x.in.RecordEvidenceID, x.in.Executors
	}
	return x.exec(`INSERT INTO case_preservations (case_id, town_id, kind, started_on, inventory, approved_by, item_id,
		party_notified, party_present, witness, party_told, party_statement, record_evidence_id, executors, emergency)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, x.c.ID, x.c.TownID, x.in.Kind, day.Format(time.DateOnly), inv,
		approver, itemID, spot.notified, present, spot.witness, spot.told, spot.statement, record, executors, emergency)
}

// onSpot is what a seizure's on-the-spot record says (AEL art. 18).
type onSpot struct {
	notified, present, told     bool
	witness, statement, summary string
}

// seizureOnSpot checks the on-the-spot steps of a seizure (AEL art. 18):
// the party notified to be present (4); when present, told the reasons,
// basis, rights and remedies (5) and heard (6); when absent, a witness
// invited (9); and the 现场笔录 (7, 8) kept among the evidence.
func (x *act) seizureOnSpot() (onSpot, error) {
	in := x.in
	s := onSpot{notified: in.PartyNotified, witness: strings.TrimSpace(in.Witness), statement: strings.TrimSpace(in.PartyStatement)}
	fe := zhifa.FieldErrors{}
	fe.Check(in.PartyNotified, "party_notified", "实施查封扣押须通知当事人到场（行政强制法第十八条第四项）。")
	switch in.PartyPresent {
	case PartyPresent:
		s.present, s.told = true, in.PartyTold
		fe.Check(in.PartyTold, "party_told", "须当场告知当事人采取查封扣押的理由、依据以及当事人依法享有的权利、救济途径（行政强制法第十八条第五项）。")
		fe.Check(s.statement != "", "party_statement", "请填写听取的当事人陈述和申辩；当事人未陈述申辩的，写明“未陈述申辩”（行政强制法第十八条第六项）。")
	case PartyAbsent:
		s.told, s.statement = false, ""
		fe.Check(s.witness != "", "witness", "当事人不到场的，须邀请见证人到场，由见证人和行政执法人员在现场笔录上签名或者盖章：请填写见证人（行政强制法第十八条第九项）。")
	default:
		fe["party_present"] = "请选择当事人是否到场（行政强制法第十八条）。"
	}
	if !slices.ContainsFunc(x.c.Evidence, func(e Evidence) bool {
		return e.ID == in.RecordEvidenceID && e.SupersededAt == nil && e.Kind == "scene_record"
	}) {
		fe["record_evidence_id"] = "请先将签名的现场笔录上传为证据（证据类型：现场笔录），再在此选择（行政强制法第十八条第七项、第八项）。"
	}
	if err := fe.Err(); err != nil {
		return s, err
	}
	if s.present {
		s.summary = "当事人到场，已当场告知理由、依据和救济途径，听取陈述申辩：" + s.statement
	} else {
		s.summary = "当事人经通知未到场，见证人" + s.witness + "到场"
	}
	s.summary += "；已制作现场笔录"
	return s, nil
}

// 抽样取证 (APL art. 56): recorded by the handlers, no approval and no
// clock; what was sampled, how many, where kept, and whether the party was
// present (a witness otherwise, if any).
func stepRecordSampling(x *act) (string, time.Time, error) {
	in := x.in
	what, qty, kept, witness := strings.TrimSpace(in.Inventory), strings.TrimSpace(in.Quantity), strings.TrimSpace(in.KeptAt), strings.TrimSpace(in.Witness)
	fe := zhifa.FieldErrors{}
	fe.Check(what != "", "inventory", "请填写抽取的样品（名称、规格、批号等）。")
	fe.Check(qty != "", "quantity", "请填写抽样数量。")
	fe.Check(kept != "", "kept_at", "请填写样品的存放地点。")
	fe.Check(in.PartyPresent == PartyPresent || in.PartyPresent == PartyAbsent, "party_present", "请选择抽样时当事人是否到场。")
	if err := fe.Err(); err != nil {
		return "", none, err
	}
	day, err := x.declared("date", in.Date, "抽样日期", dateOrZero(x.c.FiledOn), "立案之日")
	if err != nil {
		return "", none, err
	}
	present := in.PartyPresent == PartyPresent
	summary := "抽样取证：" + what + "，数量" + qty + "，存放于" + kept
	if present {
		summary += "；当事人到场"
	} else {
		summary += "；当事人未到场"
		if witness != "" {
			summary += "，见证人" + witness
		}
	}
	d := day.Format(time.DateOnly)
	return summary, day, x.exec(`INSERT INTO case_preservations (case_id, town_id, kind, started_on, ended_on, inventory, approved_by,
		quantity, kept_at, party_present, witness) VALUES ($1, $2, 'sample', $3, $3, $4, $5, $6, $7, $8, $9)`,
		x.c.ID, x.c.TownID, d, what, x.a.UserID, qty, kept, present, witness)
}

// demolitionOrdered says whether the decision orders something demolished
// (责令限期拆除): the order's measure names 拆除.
func (c *Case) demolitionOrdered() bool {
	return c.HasOrder && slices.ContainsFunc(c.Penalties, func(p Penalty) bool {
		return p.Kind == workflow.KindOrder && strings.Contains(p.Measure, "拆除")
	})
}

// 强制拆除公告 (AEL art. 44): once the party let the decision's deadline to
// demolish pass, the head has the town announce a further deadline for the
// party to demolish by themselves.
func stepAnnounceDemolition(x *act) (string, time.Time, error) {
	c := x.c
	text := strings.TrimSpace(x.in.Text)
	if text == "" || runes(text) > 4000 {
		return "", none, zhifa.FieldErrors{"text": "请填写公告内容：违法建筑物、构筑物、设施的位置和情况，限期当事人自行拆除的要求和期限，逾期不拆除将依法强制拆除。"}
	}
	floor, floorWhat := dateOrZero(c.DecisionServedOn), "决定书送达之日"
	if due, ok := c.orderDue(); ok && !due.Before(floor) {
		floor, floorWhat = due.AddDate(0, 0, 1), "决定限期拆除的期限届满的次日"
	}
	day, err := x.declared("date", x.in.Date, "公告日期", floor, floorWhat)
	if err != nil {
		return "", none, err
	}
	until, ok := parseDate(x.in.DemolitionDeadline)
	if !ok {
		return "", none, zhifa.FieldErrors{"demolition_deadline": "请填写限期当事人自行拆除的日期（格式：2025-05-31）。"}
	}
	n := int(x.r.Get("demolition_notice_days", DemolitionNoticeDays))
	if earliest := day.AddDate(0, 0, n); until.Before(earliest) {
		return "", none, zhifa.FieldErrors{"demolition_deadline": fmt.Sprintf("公告须给当事人自行拆除的合理期限：自公告之日起不少于%d日，即不早于%s（行政强制法第四十四条）。",
			n, earliest.Format("2006年1月2日"))}
	}
	return "公告限期当事人于" + until.Format("2006年1月2日") + "前自行拆除", day,
		x.exec(`UPDATE cases SET demolition_announced_on = $2, demolition_deadline = $3, demolition_notice = $4, demolition_announced_by = $5
			WHERE id = $1`, c.ID, day.Format(time.DateOnly), until.Format(time.DateOnly), text, x.a.UserID)
}

// 强制拆除 (AEL arts. 35, 44): approved by the head after the 公告's
// deadline, after the written 催告, once the party's periods to apply for
// reconsideration or to sue are over with no remedy pending, and under a
// 行政强制 item on the town's list in force that day. The order to demolish
// is then carried out.
func stepForceDemolition(x *act) (string, time.Time, error) {
	c := x.c
	record := strings.TrimSpace(x.in.Text)
	if record == "" || runes(record) > 4000 {
		return "", none, zhifa.FieldErrors{"text": "请填写强制拆除的实施情况：拆除的建筑物、构筑物、设施，在场人员，物品清点和处置。"}
	}
	day, err := x.declared("date", x.in.Date, "强制拆除日期", *c.DemolitionAnnouncedOn, "公告之日")
	if err != nil {
		return "", none, err
	}
	if !day.After(*c.DemolitionDeadline) {
		return "", none, zhifa.FieldErrors{"date": fmt.Sprintf("公告限期当事人于%s前自行拆除，期限届满后方可强制拆除，最早%s（行政强制法第四十四条）。",
			c.DemolitionDeadline.Format("2006年1月2日"), c.DemolitionDeadline.AddDate(0, 0, 1).Format("2006年1月2日"))}
	}
	if c.DemandServedOn == nil || c.DemandServedOn.After(day) {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "强制拆除前须书面催告当事人履行义务（行政强制法第三十五条）：请先送达履行催告书。")
	}
	if msg := c.unheardAfterDemand(); msg != "" {
		return "", none, zhifa.Errorf(zhifa.EINVALID, "%s", msg)
	}
	// AEL art. 43: not on a statutory holiday (nor at night: the record says when).
	if x.cal.Holidays[day.Format(time.DateOnly)] {
		return "", none, zhifa.FieldErrors{"date": fmt.Sprintf("%s是法定节假日，不得实施行政强制执行（行政强制法第四十三条）。", day.Format("2006年1月2日"))}
	}
	for _, r := range c.Remedies {
		switch r.Outcome {
		case "pending":
			return "", none, zhifa.Errorf(zhifa.EINVALID, "当事人已于%s%s，尚未审结，不得强制拆除（行政强制法第四十四条）。",
				r.FiledOn.Format("2006年1月2日"), map[string]string{"reconsideration": "申请行政复议", "litigation": "提起行政诉讼"}[r.Kind])
		case "corrected":
			return "", none, zhifa.Errorf(zhifa.EINVALID, "处罚决定已被%s纠错（撤销、变更或败诉），不得据此强制拆除。", RemedyKinds[r.Kind])
		}
	}
	if closes := deadline.RemedyWindowsClose(x.r.Deadline(), x.cal, dateOrZero(c.DecisionServedOn)); closes.IsZero() || !day.After(closes) {
		return "", none, zhifa.FieldErrors{"date": fmt.Sprintf("当事人申请行政复议或者提起行政诉讼的法定期限于%s届满，期满后方可强制拆除，最早%s（行政强制法第四十四条）。",
			closes.Format("2006年1月2日"), closes.AddDate(0, 0, 1).Format("2006年1月2日"))}
	}
	item, err := x.coercionItem(day, demolitionNeedsItem, "拆除")
	if err != nil {
		return "", none, err
	}
	d := day.Format(time.DateOnly)
	return "强制拆除（执法事项：" + item + "），责令限期拆除的决定已执行", day,
		x.exec(`UPDATE cases SET demolished_on = $2, demolition_item_id = $3, demolition_record = $4, demolished_by = $5, order_done_on = $2
			WHERE id = $1`, c.ID, d, x.in.CoercionItemID, record, x.a.UserID)
}

// seizureExecutors checks who carried out a seizure: two or more of the
// case's handlers, each with a certificate valid that day (AEL art. 18(2),
// (3)). It returns their names.
func (x *act) seizureExecutors(day time.Time) ([]string, error) {
	var names []string
	for _, o := range x.c.ActiveOfficers() {
		if !slices.Contains(x.in.Executors, o.UserID) {
			continue
		}
		var valid bool
		if err := x.tx.QueryRow(x.ctx, `SELECT EXISTS (SELECT FROM certificates WHERE user_id = $1 AND valid_from <= $2 AND valid_until >= $2)`,
			o.UserID, day.Format(time.DateOnly)).Scan(&valid); err != nil {
			return nil, err
		}
		if !valid {
			return nil, zhifa.FieldErrors{"executor": o.DisplayName + "的执法证在实施之日不在有效期内，不能实施查封扣押（行政强制法第十八条第二项）。"}
		}
		names = append(names, o.DisplayName)
	}
	if len(names) < 2 || len(names) < len(slices.Compact(slices.Sorted(slices.Values(x.in.Executors)))) {
		return nil, zhifa.FieldErrors{"executor": "查封扣押须由两名以上本案承办的执法人员实施，请勾选实际实施的人员（行政强制法第十八条第二项）。"}
	}
	return names, nil
}
