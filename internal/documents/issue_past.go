package documents

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/zhifa"
)

// IssuePast issues a document of a case that has already moved past the
// stage where the document is made, dated s.Clock's day: only the demo
// data calls it (internal/seed), to give a case seeded as closed the
// documents it would have had. It numbers, renders and freezes the
// document as Issue does, but skips the rule of when the kind may be made
// (a 事先告知书 is refused once the case is decided) and adds no timeline
// entry (the seeded timeline already tells the story).
func (s *Service) IssuePast(ctx context.Context, caseID int64, in IssueInput) (*Issued, error) {
	a, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	m, err := kindOf(in.Kind)
	if err != nil {
		return nil, err
	}
	if err := checkFields(m, in.Fields, true); err != nil {
		return nil, err
	}
	day := s.Clock.Today()
	var out *Issued
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, r, err := cases.Load(ctx, tx, caseID, day, true)
		if err != nil {
			return err
		}
		st, settingsID, err := settingsOn(ctx, tx, day)
		if err != nil {
			return err
		}
		d, err := build(ctx, tx, m, c, r, st, in.Fields)
		if err != nil {
			return err
		}
		out, err = s.issue(ctx, tx, a, d, settingsID, day, 0)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("issue past %s of case %d", in.Kind, caseID))
}
