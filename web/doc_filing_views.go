package web

import (
	"strings"

	"github.com/a-h/templ"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
)

// The layouts of the filing and investigation stages.
var _ = func() bool {
	for k, f := range map[doctype.Kind]func(*documents.Doc) templ.Component{
		doctype.SourceRegister:   DocSourceRegister,
		doctype.FilingApproval:   DocFilingApproval,
		doctype.NoFilingApproval: DocNoFilingApproval,
		doctype.RevokeApproval:   DocRevokeApproval,
		doctype.TransferLetter:   DocTransferLetter,
		doctype.CrimeTransfer:    DocCrimeTransfer,
		doctype.Inquiry:          DocInquiry,
		doctype.Inspection:       DocInspection,
		doctype.CorrectionOrder:  DocCorrectionOrder,
		doctype.PreserveApproval: DocPreserveApproval,
		doctype.PreserveNotice:   DocPreserveNotice,
		doctype.PreserveDecision: DocPreserveDecision,
		doctype.SeizeDecision:    DocSeizeDecision,
		doctype.ReleaseDecision:  DocReleaseDecision,
		doctype.SuspendDecision:  DocSuspendDecision,
		doctype.ResumeDecision:   DocResumeDecision,
		doctype.EvidenceNote:     DocEvidenceNote,
	} {
		registerDoc(k, f)
	}
	return true
}()

// filingPartyText is the party block as the lines of a form's cell.
func filingPartyText(d *documents.Doc) string { return strings.Join(d.PartyLines(), "\n") }

// filingOfficerText is the handlers with their certificates, one a line.
func filingOfficerText(d *documents.Doc) string { return strings.Join(d.Officers(), "\n") }

// filingWhenWhere is the day and place of the act.
func filingWhenWhere(d *documents.Doc) string {
	return strings.TrimSuffix(d.Date(d.Case.ActOn)+"，"+d.Place(), "，")
}

// filingReceiver is the body a transfer goes to.
func filingReceiver(d *documents.Doc) string {
	return invOr(d.Case.TransferBody, "（接收单位）")
}

// invYou addresses the party: 你, or 你单位 for an organisation.
func invYou(d *documents.Doc) string {
	if d.Case.PartyKind == "org" {
		return "你单位"
	}
	return "你"
}

// invOr is s, or alt when s is blank.
func invOr(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

// invJoin joins names with 、.
func invJoin(ss []string) string { return strings.Join(ss, "、") }

// invLines are the lines of an inventory, at least one (a blank row to
// fill by hand).
func invLines(s string) []string {
	if l := documents.Paragraphs(s); len(l) > 0 {
		return l
	}
	return []string{""}
}

// invPausedDays is the length of a suspension in days, as the case page
// counts it (恢复案件（中止10日）).
func invPausedDays(s *cases.Suspension) int {
	if s.ResumedOn == nil {
		return 0
	}
	return int(s.ResumedOn.Sub(s.StartedOn).Hours()/24 + 0.5)
}
