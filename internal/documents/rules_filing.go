package documents

import (
	"fmt"
	"strings"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
)

// The documents of the filing stage (documents.md §2): the lead's
// register, the approvals of filing, of refusing it and of revoking it, and
// the letters that send a case to the body that has it.

func init() {
	// A lead is registered before anything else: no condition.
	register(doctype.SourceRegister, rule{defaults: sourceRegisterDefaults})
	register(doctype.FilingApproval, rule{when: filingWhen, defaults: filingDefaults})
	register(doctype.NoFilingApproval, rule{when: noFilingWhen, defaults: noFilingDefaults})
	register(doctype.RevokeApproval, rule{when: revokeWhen, defaults: revokeDefaults})
	register(doctype.TransferLetter, rule{when: transferWhen("案件移送函"), defaults: transferLetterDefaults})
	register(doctype.CrimeTransfer, rule{when: transferWhen("涉嫌犯罪案件移送书"), defaults: crimeTransferDefaults})
}

// filingWhen: the approval is printed for the leader to sign while the
// lead waits, or kept with the filed case; not for a lead that was refused
// or ended otherwise.
func filingWhen(c *cases.Case) string {
	switch {
	case c.State == workflow.NotFiled:
		return "本案已决定不予立案，不能制作立案审批表；请制作《不予立案审批表》。"
	case c.Number == nil && c.State != workflow.Lead:
		return "本案未经立案已" + c.State.Label() + "，不能制作立案审批表。"
	}
	return ""
}

// noFilingWhen: only a lead, whose filing is being refused or was.
func noFilingWhen(c *cases.Case) string {
	if c.State == workflow.Lead || c.State == workflow.NotFiled {
		return ""
	}
	msg := "本案当前为“" + c.State.Label() + "”，只有待立案或已决定不予立案的案件才能制作不予立案审批表。"
	if c.Number != nil {
		msg += "已立案的案件需终止调查的，请制作《撤销立案审批表》。"
	}
	return msg
}

// revokeWhen: a filed case not yet sent for review (the workflow revokes
// only from filed or investigating), or one already revoked.
func revokeWhen(c *cases.Case) string {
	switch c.State {
	case workflow.Filed, workflow.Investigating, workflow.Revoked:
		return ""
	}
	return "只有已立案、调查取证中或已撤销立案的案件才能制作撤销立案审批表（本案当前为“" + c.State.Label() + "”）。"
}

// transferWhen: a transfer letter needs the handlers' proposal (or the
// head's decision) naming the receiving body.
func transferWhen(title string) func(c *cases.Case) string {
	return func(c *cases.Case) string {
		if c.TransferAsked != nil || c.State == workflow.Transferred {
			return ""
		}
		return "本案尚未提出移送意见，不能制作" + title + "；请先在案件页提出移送意见。"
	}
}

func sourceRegisterDefaults(d *Doc) map[string]string {
	c := d.Case
	opinion := "建议立案调查。"
	switch {
	case c.State == workflow.NotFiled:
		opinion = "建议不予立案。"
	case c.State == workflow.Transferred && c.Number == nil:
		opinion = "建议移送" + c.TransferBody + "处理。"
	}
	return map[string]string{"summary": leadSummary(d), "handler_opinion": opinion}
}

// leadSummary tells how the lead came and what it is about.
func leadSummary(d *Doc) string {
	c := d.Case
	s := fmt.Sprintf("%s，经%s发现：%s", d.Date(c.DiscoveredOn), cases.Label(cases.Sources, c.Source), c.PartyName)
	if !c.ActOn.IsZero() {
		s += "于" + d.Date(c.ActOn)
	}
	if p := d.Place(); p != "" {
		s += "在" + p
	}
	s += "涉嫌" + c.ItemName + "。"
	if f := strings.TrimSpace(c.Facts); f != "" {
		s += "\n" + f
	}
	return s
}

func filingDefaults(d *Doc) map[string]string {
	c := d.Case
	reason := ""
	if f := strings.TrimSpace(c.Facts); f != "" {
		reason = f + "\n"
	}
	reason += "当事人涉嫌“" + c.ItemName + "”，属于本镇行政执法事项清单范围；有证据初步证明存在违法事实，" +
		"且在《中华人民共和国行政处罚法》第三十六条规定的期限内，依法应当给予行政处罚，符合立案条件。"
	return map[string]string{"reason": reason, "team_opinion": "建议立案调查。"}
}

func noFilingDefaults(d *Doc) map[string]string {
	out := map[string]string{"team_opinion": "建议不予立案。"}
	if d.Case.State == workflow.NotFiled {
		out["reason"] = d.Case.OutcomeReason
	}
	return out
}

func revokeDefaults(d *Doc) map[string]string {
	out := map[string]string{"team_opinion": "建议撤销立案。"}
	if d.Case.State == workflow.Revoked {
		out["reason"] = d.Case.OutcomeReason
	}
	return out
}

func transferLetterDefaults(d *Doc) map[string]string {
	materials := append([]string{"案件来源登记表"}, evidenceTitles(d.Case)...)
	return map[string]string{"materials": numbered(materials), "contact": leadContact(d)}
}

func crimeTransferDefaults(d *Doc) map[string]string {
	c := d.Case
	reason := ""
	if f := strings.TrimSpace(c.Facts); f != "" {
		reason = f + "\n"
	}
	reason += "当事人的上述行为涉嫌构成犯罪，依法需要追究刑事责任。"
	materials := []string{"涉嫌犯罪案件情况的调查报告", "涉案物品清单", "有关检验报告或者鉴定意见"}
	materials = append(materials, evidenceTitles(c)...)
	return map[string]string{"reason": reason, "materials": numbered(materials)}
}

// evidenceTitles are the titles of the case's evidence in force, with
// their kind: 现场照片（视听资料）.
func evidenceTitles(c *cases.Case) []string {
	var out []string
	for _, e := range c.Evidence {
		if e.SupersededAt == nil {
			out = append(out, e.Title+"（"+cases.Label(cases.EvidenceKinds, e.Kind)+"）")
		}
	}
	return out
}

// numbered writes items one a line: 1. …
func numbered(items []string) string {
	var b strings.Builder
	for i, s := range items {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// leadContact is the lead handler and the team's telephone.
func leadContact(d *Doc) string {
	name := ""
	for _, o := range d.Case.ActiveOfficers() {
		if o.Lead || name == "" {
			name = o.DisplayName
		}
	}
	return strings.TrimSpace(name + " " + d.S.Contact)
}
