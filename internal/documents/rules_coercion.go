package documents

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
)

// The documents of steps the workflow added after the first set of
// layouts: the demolition 公告 and the 行政强制执行决定书 of a forced
// demolition (AEL arts. 37, 44), the notice of an extended seizure (AEL
// art. 25), the record of a sample (APL art. 56), the recusal decision
// (APL art. 43) and the approval of a longer period to decide (APL art.
// 60). Each is made of a recorded step, so it is allowed only once the
// step is on the case page, and reads the latest such step.

func init() {
	register(doctype.DemolitionNotice, rule{when: demolitionNoticeWhen})
	register(doctype.ExecutionDecision, rule{when: executionDecisionWhen, defaults: executionDecisionDefaults})
	register(doctype.SeizureExtension, rule{when: seizureExtensionWhen, defaults: seizureExtensionDefaults})
	register(doctype.SamplingRecord, rule{when: samplingWhen, defaults: samplingDefaults})
	register(doctype.RecusalDecision, rule{when: recusalWhen})
	register(doctype.ExtensionApproval, rule{when: extensionWhen, defaults: extensionDefaults})
}

// Timeline actions of the steps these documents write down (cases.Step*).
const (
	actionExtendSeizure = "extend_seizure"
	actionExtend        = "extend"
)

// LatestEvent is the case's newest timeline entry of action, or nil.
func LatestEvent(c *cases.Case, action string) *cases.Event {
	var out *cases.Event
	for i := range c.Events {
		e := &c.Events[i]
		if e.Action == action && (out == nil || e.ID > out.ID) {
			out = e
		}
	}
	return out
}

// DemolitionMeasures are the decision's orders to demolish (责令限期拆除),
// as the order words them; empty when the decision orders none.
func DemolitionMeasures(c *cases.Case) []string {
	var out []string
	for _, p := range c.Penalties {
		if p.Kind == workflow.KindOrder && strings.Contains(p.Measure, "拆除") {
			out = append(out, strings.TrimRight(strings.TrimSpace(p.Measure), "。；;"))
		}
	}
	return out
}

// DemolitionDue is the last day the decision gave the party to demolish,
// or zero.
func DemolitionDue(c *cases.Case) time.Time {
	for _, p := range c.Penalties {
		if p.Kind == workflow.KindOrder && strings.Contains(p.Measure, "拆除") {
			if t, err := time.Parse(time.DateOnly, p.DueOn); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

// noDemolition says why a case has no forced demolition to write down
// ("" when its decision orders one).
func noDemolition(c *cases.Case, title string) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.DecidedOn == nil || len(DemolitionMeasures(c)) == 0 {
		return "处罚决定没有责令限期拆除的内容，不适用强制拆除（行政强制法第四十四条），不能制作《" + title + "》。"
	}
	return ""
}

func demolitionNoticeWhen(c *cases.Case) string {
	if why := noDemolition(c, "强制拆除公告"); why != "" {
		return why
	}
	if c.DemolitionAnnouncedOn == nil || c.DemolitionDeadline == nil {
		return "尚未公告限期当事人自行拆除：请负责人先在案件页面“公告限期当事人自行拆除”登记公告日期和期限，再制作《强制拆除公告》（行政强制法第四十四条）。"
	}
	return ""
}

// executionDecisionWhen: the decision to enforce (AEL art. 37) is the
// head's approval of the forced demolition, recorded with the step.
func executionDecisionWhen(c *cases.Case) string {
	if why := noDemolition(c, "行政强制执行决定书"); why != "" {
		return why
	}
	if c.DemolitionAnnouncedOn == nil {
		return "尚未公告限期当事人自行拆除：强制拆除须先公告，限期当事人自行拆除（行政强制法第四十四条）。"
	}
	if c.DemolishedOn == nil {
		return "负责人尚未批准强制拆除：公告期限届满、催告后仍不履行的，请负责人先在案件页面“批准强制拆除”，再制作《行政强制执行决定书》（行政强制法第三十七条、第四十四条）。"
	}
	return ""
}

// remedyHistory tells whether the party appealed the decision, and how it
// ended.
func remedyHistory(c *cases.Case) string {
	if len(c.Remedies) == 0 {
		return "当事人在法定期限内未申请行政复议，也未提起行政诉讼"
	}
	var parts []string
	for _, r := range c.Remedies {
		parts = append(parts, "当事人于"+DateCN(r.FiledOn)+"提起"+cases.RemedyKinds[r.Kind]+"，结果："+cases.RemedyOutcomes[r.Outcome])
	}
	return strings.Join(parts, "；")
}

// executionDecisionDefaults: the reason is the record of the steps the
// law puts before a forced demolition (AEL arts. 35, 37, 44); the manner
// and time are those approved.
func executionDecisionDefaults(d *Doc) map[string]string {
	c := d.Case
	if c.DemolishedOn == nil || c.DecidedOn == nil {
		return nil
	}
	order := strings.Join(DemolitionMeasures(c), "；")
	reason := "本机关于" + DateCN(*c.DecidedOn) + "作出" + decisionName(d) + "，责令当事人"
	if due := DemolitionDue(c); !due.IsZero() {
		reason += "于" + DateCN(due) + "前"
	}
	reason += order + "。"
	if c.DecisionServedOn != nil {
		reason += "该决定书已于" + DateCN(*c.DecisionServedOn) + "送达当事人。"
	}
	if c.DemolitionAnnouncedOn != nil && c.DemolitionDeadline != nil {
		reason += "当事人逾期未拆除，本机关于" + DateCN(*c.DemolitionAnnouncedOn) + "予以公告，限当事人于" + DateCN(*c.DemolitionDeadline) + "前自行拆除。"
	}
	if c.DemandServedOn != nil {
		reason += "本机关于" + DateCN(*c.DemandServedOn) + "向当事人送达履行催告书。"
	}
	reason += remedyHistory(c) + "，经催告仍不履行，且无正当理由。\n依据《中华人民共和国行政强制法》第三十七条、第四十四条"
	if item := strings.TrimSpace(c.DemolitionItem); item != "" {
		reason += "和本镇行政执法事项清单所列行政强制事项（" + item + "）"
	}
	reason += "的规定，本机关决定对上述违法建筑物、构筑物、设施予以强制拆除。"
	manner := "强制拆除：由本机关组织执法人员于" + DateCN(*c.DemolishedOn) + "对" + DemolitionObjects(c) + "实施强制拆除。实施时通知当事人到场，当事人不到场的，邀请见证人到场；拆除的材料和物品清点登记后交还当事人。"
	return map[string]string{"reason": reason, "manner": manner}
}

// DemolitionObjects is what the orders to demolish name (在林地内违法搭建的
// 彩钢棚), or the law's words when they name nothing.
func DemolitionObjects(c *cases.Case) string {
	var out []string
	for _, m := range DemolitionMeasures(c) {
		for _, p := range []string{"限期", "自行", "拆除"} {
			m = strings.TrimPrefix(m, p)
		}
		if m != "" {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return "违法的建筑物、构筑物、设施"
	}
	return strings.Join(out, "、")
}

// decisionName names the decision in force: its 文号 and title once
// issued.
func decisionName(d *Doc) string {
	if d.Decision != nil && d.Decision.Number != "" {
		return d.Decision.Number + "《" + d.Decision.Title + "》"
	}
	return "《行政处罚决定书》"
}

// ExtendedSeizure is the case's newest seizure whose period the head
// extended, or nil.
func ExtendedSeizure(c *cases.Case) *cases.Preservation {
	var out *cases.Preservation
	for i := range c.Preservations {
		p := &c.Preservations[i]
		if p.Kind == cases.PreservationSeize && p.Extended && (out == nil || p.ID > out.ID) {
			out = p
		}
	}
	return out
}

// SeizureExtension is the days added to a seizure (AEL art. 25: no more
// than thirty, as the workflow extends it by the seizure's own period) and
// its new last day.
func (d *Doc) SeizureExtension(p *cases.Preservation) (int, time.Time) {
	n, end := d.SeizurePeriod(p)
	return n, end.AddDate(0, 0, n)
}

// SeizureExtendedOn is the day the head approved the extension, or zero.
func SeizureExtendedOn(c *cases.Case) time.Time {
	if e := LatestEvent(c, actionExtendSeizure); e != nil {
		return EventDay(*e)
	}
	return time.Time{}
}

func seizureExtensionWhen(c *cases.Case) string {
	if LatestPreservation(c, cases.PreservationSeize, false) == nil {
		return "本案没有查封扣押记录，不能制作延长查封扣押期限通知书。"
	}
	if ExtendedSeizure(c) == nil {
		return "查封扣押期限未经负责人批准延长：请负责人先在案件页面“批准延长查封扣押期限”，再制作延长查封扣押期限通知书（行政强制法第二十五条）。"
	}
	return ""
}

// seizureExtensionDefaults: the reason the head was given.
func seizureExtensionDefaults(d *Doc) map[string]string {
	if e := LatestEvent(d.Case, actionExtendSeizure); e != nil && strings.TrimSpace(e.Reason) != "" {
		return map[string]string{"reason": e.Reason}
	}
	return nil
}

// LatestSample is the case's newest 抽样取证, or nil.
func LatestSample(c *cases.Case) *cases.Preservation {
	return LatestPreservation(c, cases.PreservationSample, false)
}

func samplingWhen(c *cases.Case) string {
	if LatestSample(c) == nil {
		return "本案没有抽样取证记录，不能制作《抽样取证记录（凭证）》；请先在案件页面“记录抽样取证”（行政处罚法第五十六条）。"
	}
	return ""
}

func samplingDefaults(d *Doc) map[string]string {
	out := map[string]string{"method": "执法人员出示执法证件后，现场抽取上列样品，当场封存；封条由执法人员和当事人（见证人）签名。"}
	if p := d.Place(); p != "" {
		out["place"] = p
	}
	return out
}

// DecidedRecusal is the case's newest recusal the head decided, or nil.
func DecidedRecusal(c *cases.Case) *cases.Recusal {
	var out *cases.Recusal
	for i := range c.Recusals {
		r := &c.Recusals[i]
		if r.DecidedOn != nil && r.Granted != nil && (out == nil || r.ID > out.ID) {
			out = r
		}
	}
	return out
}

func recusalWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if DecidedRecusal(c) != nil {
		return ""
	}
	if slices.ContainsFunc(c.Recusals, func(r cases.Recusal) bool { return r.DecidedOn == nil }) {
		return "回避申请尚未决定：请负责人先在案件页面“作出回避决定”，再制作回避决定书（行政处罚法第四十三条）。"
	}
	return "本案没有回避申请，不能制作回避决定书。"
}

// DecisionDue is the last day to decide, the approved extensions counted
// (APL art. 60), or zero before the case is filed.
func DecisionDue(c *cases.Case) time.Time {
	if dl := deadlineOf(c, deadline.KeyDecision); dl != nil {
		return dl.Due
	}
	return time.Time{}
}

func extensionWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.Extensions == 0 {
		return "负责人尚未批准延长办案期限：请负责人先在案件页面“批准延长办案期限”，再制作延长办案期限审批表（行政处罚法第六十条）。"
	}
	return ""
}

// extensionDefaults: the reason given to the head, and the team's proposal.
func extensionDefaults(d *Doc) map[string]string {
	out := map[string]string{"team_opinion": fmt.Sprintf("本案情况复杂，不能在规定期限内作出处理决定，建议延长办案期限%d日。",
		d.Rules.Deadline().ExtensionDays)}
	if e := ExtensionEvent(d.Case); e != nil {
		out["reason"] = e.Reason
		// The head approved it on the case page: the box repeats it, to sign.
		out["head_opinion"] = fmt.Sprintf("同意延长办案期限%d日。", d.Rules.Deadline().ExtensionDays)
	}
	return out
}

// ExtensionEvent is the timeline entry of the latest extension of the
// period to decide, or nil.
func ExtensionEvent(c *cases.Case) *cases.Event { return LatestEvent(c, actionExtend) }
