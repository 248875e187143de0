package web

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
)

// The layouts of the coercion documents and the other steps the workflow
// added (doc_coercion.templ).
var _ = func() bool {
	for k, f := range map[doctype.Kind]func(*documents.Doc) templ.Component{
		doctype.DemolitionNotice:  DocDemolitionNotice,
		doctype.ExecutionDecision: DocExecutionDecision,
		doctype.SeizureExtension:  DocSeizureExtension,
		doctype.SamplingRecord:    DocSamplingRecord,
		doctype.RecusalDecision:   DocRecusalDecision,
		doctype.ExtensionApproval: DocExtensionApproval,
	} {
		registerDoc(k, f)
	}
	return true
}()

// coOrders are the decision's orders to demolish, without 限期 (the
// sentence gives the deadline): 拆除在林地内违法搭建的彩钢棚.
func coOrders(d *documents.Doc) string {
	var out []string
	for _, m := range documents.DemolitionMeasures(d.Case) {
		out = append(out, strings.TrimPrefix(m, "限期"))
	}
	return strings.Join(out, "；")
}

// coDemolitionIntro opens the 公告: the case, the decision and its order,
// the service, and the party's failure to demolish.
func coDemolitionIntro(d *documents.Doc) string {
	c := d.Case
	s := "本机关在办理" + d.CaseTitle() + "中，于" + d.DatePtr(c.DecidedOn) + "作出" + decDecisionRef(d) + "，责令当事人" + c.PartyName
	if due := documents.DemolitionDue(c); !due.IsZero() {
		s += "于" + d.Date(due) + "前"
	}
	s += coOrders(d) + "。"
	if c.DecisionServedOn != nil {
		s += "该决定书已于" + d.Date(*c.DecisionServedOn) + "送达当事人。"
	}
	return s + "当事人在规定期限内未自行拆除。"
}

// coNoticeRemedy is the remedy clause of a notice (通知书) that decides.
func coNoticeRemedy(d *documents.Doc) string {
	return strings.ReplaceAll(d.Remedy(), "本决定书", "本通知书")
}

// coPresence is who was present at a sample.
func coPresence(p *cases.Preservation) string {
	switch {
	case p.PartyPresent == nil:
		return ""
	case *p.PartyPresent:
		return "当事人到场"
	case p.Witness != "":
		return "当事人未到场，见证人" + p.Witness + "到场"
	}
	return "当事人未到场"
}

// coApplicant is who asked for the recusal: the party by name, or the
// officer himself.
func coApplicant(d *documents.Doc, r *cases.Recusal) string {
	if r.RequestedBy == "当事人" {
		return "当事人" + d.Case.PartyName
	}
	return r.RequestedBy + "（" + r.OfficerName + "）"
}

// coOfficer is an officer of the case by name, with the certificate
// number when the case knows it.
func coOfficer(d *documents.Doc, name string) string {
	for _, o := range d.Case.Officers {
		if o.DisplayName == name && o.CertNumber != "" {
			return name + "（执法证号：" + o.CertNumber + "）"
		}
	}
	return name
}

// coRecusalOutcome is the head's decision in a word.
func coRecusalOutcome(r *cases.Recusal) string {
	if r.Granted != nil && *r.Granted {
		return "准予回避"
	}
	return "不予回避（申请理由不成立，" + r.OfficerName + "继续承办本案）"
}

// coRecusalBox is the decision as the head signs it.
func coRecusalBox(r *cases.Recusal) string {
	if r == nil {
		return ""
	}
	if r.Granted != nil && *r.Granted {
		return "决定" + r.OfficerName + "回避，由" + r.Replacement + "承办本案。" + coSentence(r.DecisionNote)
	}
	return "决定" + r.OfficerName + "不予回避。" + coSentence(r.DecisionNote)
}

// coExtension is the extension approved: 30日（本案第1次延长）.
func coExtension(d *documents.Doc) string {
	return strconv.Itoa(d.Rules.Deadline().ExtensionDays) + "日（本案第" + strconv.Itoa(d.Case.Extensions) + "次延长）"
}

// coSentence ends s with a full stop, once ("" stays "").
func coSentence(s string) string {
	if s = strings.TrimRight(strings.TrimSpace(s), "。；;，, "); s == "" {
		return ""
	}
	return s + "。"
}
