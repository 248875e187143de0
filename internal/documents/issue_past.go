package documents

import "context"

// IssuePast issues a document of a case that has already moved past the
// stage where the document is made, dated s.Clock's day: only the demo
// data calls it (internal/seed), to give a case seeded as closed the
// documents it would have had. It numbers, renders and freezes the
// document as Issue does, but skips the rule of when the kind may be made
// (a 事先告知书 is refused once the case is decided) and adds no timeline
// entry (the seeded timeline already tells the story).
func (s *Service) IssuePast(ctx context.Context, caseID int64, in IssueInput) (*Issued, error) {
	return s.issueCase(ctx, caseID, in, false)
}
