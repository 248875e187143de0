package documents

import (
	"strings"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
)

// The documents of the investigation (documents.md §2): the records of
// questioning and inspection, the order to correct, the preservation of
// evidence and the seizure with their decisions, the suspension and
// resumption, and the note on photos and recordings. A document made of a
// recorded step (a preservation, a suspension) is allowed only once the
// step is on the case page, and reads the latest such step.

func init() {
	register(doctype.Inquiry, rule{defaults: inquiryDefaults}) // filed (the default condition)
	register(doctype.Inspection, rule{when: inspectionWhen, defaults: inspectionDefaults})
	register(doctype.CorrectionOrder, rule{when: correctionWhen, defaults: correctionDefaults})
	register(doctype.PreserveApproval, rule{when: preserveApprovalWhen, defaults: preserveApprovalDefaults})
	register(doctype.PreserveNotice, rule{when: preserveNoticeWhen})
	register(doctype.PreserveDecision, rule{when: preserveDecisionWhen})
	register(doctype.SeizeDecision, rule{when: seizeWhen, defaults: seizeDefaults})
	register(doctype.ReleaseDecision, rule{when: releaseWhen, defaults: releaseDefaults})
	register(doctype.SuspendDecision, rule{when: suspendWhen})
	register(doctype.ResumeDecision, rule{when: resumeWhen})
	register(doctype.EvidenceNote, rule{when: evidenceNoteWhen, defaults: evidenceNoteDefaults})
}

// LatestPreservation is the case's newest preservation of kind
// (cases.PreservationRegister, cases.PreservationSeize), only among those
// dealt with when ended; nil if none.
func LatestPreservation(c *cases.Case, kind string, ended bool) *cases.Preservation {
	var out *cases.Preservation
	for i := range c.Preservations {
		p := &c.Preservations[i]
		if p.Kind == kind && (!ended || p.EndedOn != nil) && (out == nil || p.ID > out.ID) {
			out = p
		}
	}
	return out
}

// LatestSuspension is the case's newest suspension, only among those
// resumed when resumed; nil if none.
func LatestSuspension(c *cases.Case, resumed bool) *cases.Suspension {
	var out *cases.Suspension
	for i := range c.Suspensions {
		s := &c.Suspensions[i]
		if (!resumed || s.ResumedOn != nil) && (out == nil || s.ID > out.ID) {
			out = s
		}
	}
	return out
}

// MediaEvidence is the case's evidence in force that is a photo, a sound
// or a video recording: what a 证据说明 describes (证据规定 art. 12).
func MediaEvidence(c *cases.Case) []cases.Evidence {
	var out []cases.Evidence
	for _, e := range c.Evidence {
		if e.SupersededAt != nil {
			continue
		}
		ct := e.ContentType
		if e.Kind == "audiovisual" || strings.HasPrefix(ct, "image/") || strings.HasPrefix(ct, "video/") || strings.HasPrefix(ct, "audio/") {
			out = append(out, e)
		}
	}
	return out
}

// SeizurePeriod is the days of a seizure (AEL art. 25, the county's
// setting) and its last day, the extension not counted: the decision
// states the period as ordered.
func (d *Doc) SeizurePeriod(p *cases.Preservation) (int, time.Time) {
	n := d.Rules.Deadline().SeizureDays
	return n, p.StartedOn.AddDate(0, 0, n)
}

// inspectionWhen: an inspection is often what finds the violation, before
// filing; not for a lead that ended unfiled.
func inspectionWhen(c *cases.Case) string {
	if c.Number == nil && c.State != workflow.Lead {
		return "本案未经立案已" + c.State.Label() + "，不能再制作现场检查（勘验）笔录。"
	}
	return ""
}

// correctionWhen: APL art. 28 orders a correction of a filed case; not of
// one revoked or sent to another body.
func correctionWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.State == workflow.Revoked || c.State == workflow.Transferred {
		return "本案已" + c.State.Label() + "，不能再责令改正。"
	}
	return ""
}

// preserveApprovalWhen: the approval is asked during the investigation
// (APL art. 56), or kept with a preservation already recorded.
func preserveApprovalWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if c.State == workflow.Filed || c.State == workflow.Investigating || LatestPreservation(c, cases.PreservationRegister, false) != nil {
		return ""
	}
	return "先行登记保存只能在立案后、调查取证阶段申请（本案当前为“" + c.State.Label() + "”）。"
}

func preserveNoticeWhen(c *cases.Case) string {
	if LatestPreservation(c, cases.PreservationRegister, false) == nil {
		return "本案没有先行登记保存记录，不能制作先行登记保存证据通知书；请先经负责人批准，在案件页记录先行登记保存。"
	}
	return ""
}

func preserveDecisionWhen(c *cases.Case) string {
	if why := preserveNoticeWhen(c); why != "" {
		return "本案没有先行登记保存记录，不能制作处理决定书。"
	}
	if LatestPreservation(c, cases.PreservationRegister, true) == nil {
		return "先行登记保存的处理决定尚未记录：请先在案件页记录处理决定（解除保存、检测鉴定、移送或查封扣押）。"
	}
	return ""
}

func seizeWhen(c *cases.Case) string {
	if LatestPreservation(c, cases.PreservationSeize, false) == nil {
		return "本案没有查封扣押记录，不能制作查封扣押决定书；查封扣押须经负责人批准并在案件页记录。"
	}
	return ""
}

func releaseWhen(c *cases.Case) string {
	if LatestPreservation(c, cases.PreservationSeize, false) == nil {
		return "本案没有查封扣押记录，不能制作解除查封扣押决定书。"
	}
	if LatestPreservation(c, cases.PreservationSeize, true) == nil {
		return "查封扣押尚未解除：请先在案件页记录解除查封扣押。"
	}
	return ""
}

func suspendWhen(c *cases.Case) string {
	if LatestSuspension(c, false) == nil {
		return "本案没有中止记录，不能制作中止调查决定书；中止须经负责人在案件页决定。"
	}
	return ""
}

func resumeWhen(c *cases.Case) string {
	if LatestSuspension(c, false) == nil {
		return "本案没有中止记录，不能制作恢复调查决定书。"
	}
	if LatestSuspension(c, true) == nil {
		return "本案仍在中止中：请先在案件页恢复案件，再制作恢复调查决定书。"
	}
	return ""
}

func evidenceNoteWhen(c *cases.Case) string {
	if why := filed(c); why != "" {
		return why
	}
	if len(MediaEvidence(c)) == 0 {
		return "本案没有照片或视听资料证据，不能制作证据说明；请先上传照片、录音或录像。"
	}
	return ""
}

// inquiryDefaults: the person is the party unless the officer writes
// another (a witness); the opening questions show the certificates and
// tell the rights (APL art. 55).
func inquiryDefaults(d *Doc) map[string]string {
	c := d.Case
	person := strings.Join(d.PartyLines(), "\n") + "\n与本案关系：当事人"
	qa := []string{
		"问：我们是" + d.Team + "的执法人员" + d.OfficerNames() + "，这是我们的执法证件，请你过目。",
		"答：看清楚了。",
		"问：我们依法就" + d.CaseTitle() + "向你了解有关情况。你有权申请执法人员回避，你是否申请回避？",
		"答：不申请。",
		"问：你应当如实回答询问，并协助调查，不得拒绝或者阻挠；作伪证的，依法承担法律责任。你听清楚了吗？",
		"答：听清楚了。",
	}
	if c.PartyKind == "org" {
		person = strings.Join(d.PartyLines(), "\n") + "\n与本案关系：当事人的法定代表人（负责人）或者受委托人"
	}
	return map[string]string{"place": d.Team + "办公室", "person": person,
		"questioners": strings.Join(d.Officers(), "、"), "qa": strings.Join(qa, "\n")}
}

func inspectionDefaults(d *Doc) map[string]string {
	return map[string]string{"place": d.Place(), "present": "当事人" + d.Case.PartyName + "在场",
		"record": "执法人员" + d.OfficerNames() + "出示执法证件、表明身份并说明来意后，对现场进行了检查。检查情况如下："}
}

// correctionDefaults: the order of a proposed, reviewed or decided
// penalty, the latest there is.
func correctionDefaults(d *Doc) map[string]string {
	c := d.Case
	out := map[string]string{"measure": "立即停止违法行为。"}
	for _, ps := range [][]cases.Penalty{c.ProposedPenalties, c.ReviewedPenalties, c.Penalties} {
		for _, p := range ps {
			if p.Kind == workflow.KindOrder && p.Measure != "" {
				out["measure"] = p.Measure
				if t, err := time.Parse(time.DateOnly, p.DueOn); err == nil {
					out["due"] = DateCN(t) + "前"
				}
			}
		}
	}
	return out
}

func preserveApprovalDefaults(d *Doc) map[string]string {
	items := "（物品名称、规格、数量、存放地点）"
	if p := LatestPreservation(d.Case, cases.PreservationRegister, false); p != nil {
		items = p.Inventory
	}
	return map[string]string{"reason": "本案证据可能灭失或者以后难以取得，依据《中华人民共和国行政处罚法》第五十六条的规定，申请对下列物品先行登记保存：\n" + items}
}

func seizeDefaults(d *Doc) map[string]string {
	c := d.Case
	reason := ""
	if f := strings.TrimSpace(c.Facts); f != "" {
		reason = f + "\n"
	}
	reason += "为制止违法行为、防止证据损毁，需对涉案财物予以查封（扣押）。"
	basis := "《中华人民共和国行政强制法》第九条、第二十二条、第二十四条"
	if p := LatestPreservation(c, cases.PreservationSeize, false); p != nil && p.Item != "" {
		basis += "；本镇行政执法事项清单所列行政强制事项：" + p.Item
	}
	return map[string]string{"reason": reason, "basis": basis}
}

func releaseDefaults(d *Doc) map[string]string {
	out := map[string]string{}
	if p := LatestPreservation(d.Case, cases.PreservationSeize, true); p != nil {
		out["reason"] = p.Disposal
	}
	return out
}

func evidenceNoteDefaults(d *Doc) map[string]string {
	return map[string]string{"shows": "上述照片、视听资料由执法人员在" + d.Place() + "现场拍摄（录制），原始文件已保存并记录哈希值，客观反映了现场情况，证明" +
		d.Case.PartyName + "涉嫌" + d.Case.ItemName + "的事实。"}
}
