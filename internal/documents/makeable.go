package documents

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/zhifa"
)

// Makeable is a kind as the case page offers it: whether it can be made
// now, why not, and whether a draft is waiting.
type Makeable struct {
	Meta  *doctype.Meta
	Why   string
	Draft bool
}

// ForCase is the documents section of case c's page (c as loaded for
// it), in one transaction: the issued documents without their text, and
// every kind that can be made (when makeable: the county makes none).
func (s *Service) ForCase(ctx context.Context, c *cases.Case, makeable bool) ([]*Issued, []Makeable, error) {
	var issued []*Issued
	var out []Makeable
	caseID := c.ID
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		// The documents, their services and the drafts in one round trip.
		out = out[:0] // made afresh if run again
		b := &pgx.Batch{}
		queueIssued(b, caseID, false, &issued)
		drafts := map[string]bool{}
		if makeable {
			b.Queue(`SELECT kind FROM document_drafts WHERE case_id = $1`, caseID).Query(func(rows pgx.Rows) error {
				var k string
				_, err := pgx.ForEachRow(rows, []any{&k}, func() error { drafts[k] = true; return nil })
				return err
			})
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil || !makeable {
			return err
		}
		for i := range doctype.All {
			m := &doctype.All[i]
			if m.Kind == doctype.ServiceReceipt {
				continue
			}
			why := ""
			if r := rulesOf(m.Kind); r.when != nil {
				why = r.when(c)
			}
			out = append(out, Makeable{Meta: m, Why: why, Draft: drafts[string(m.Kind)]})
		}
		return nil
	})
	return issued, out, zhifa.Annotate(err, fmt.Sprintf("documents of case %d", caseID))
}
