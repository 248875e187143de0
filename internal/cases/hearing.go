package cases

import (
	"slices"

	"zhifa/internal/workflow"
)

// NoticeHearing says whether the reviewed penalties, notified now, carry the
// right to a hearing (APL art. 63): a fine at or above the domain's
// threshold for this kind of party, a revocation or a suspension, or
// another heavy penalty the handlers flag (heavy). One rule for the
// workflow step that serves the notice and the notice document itself, so
// the paper and the record never disagree.
func (c *Case) NoticeHearing(r Rules, heavy bool) bool {
	ps := c.ReviewedPenalties
	threshold := r.Get("hearing_person_fen", 0)
	if c.PartyKind == "org" {
		threshold = r.Get("hearing_org_fen", 0)
	}
	if fine := FineOf(ps); threshold > 0 && fine >= threshold {
		return true
	}
	return heavy || slices.ContainsFunc(ps, func(p Penalty) bool {
		return p.Kind == workflow.KindRevocation || p.Kind == workflow.KindSuspension
	})
}

// NoticeDue says whether the reviewed proposal still has to be notified:
// a passed review and no notice yet, or a notice lighter than what was
// reviewed since (APL art. 45: a heavier proposal is notified again).
func (c *Case) NoticeDue() bool {
	return c.ReviewedBy != nil && (c.NoticeServedOn == nil ||
		len(workflow.Heavier(Sanctions(c.ReviewedPenalties), Sanctions(c.NoticePenalties))) > 0)
}
