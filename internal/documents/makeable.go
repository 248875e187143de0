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

// Makeable lists every kind of document for case c (as loaded for its
// page) in procedure order.
func (s *Service) Makeable(ctx context.Context, c *cases.Case) ([]Makeable, error) {
	var out []Makeable
	caseID := c.ID
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		drafts := map[string]bool{}
		rows, _ := tx.Query(ctx, `SELECT kind FROM document_drafts WHERE case_id = $1`, caseID)
		var k string
		if _, err := pgx.ForEachRow(rows, []any{&k}, func() error { drafts[k] = true; return nil }); err != nil {
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
	return out, zhifa.Annotate(err, fmt.Sprintf("documents to make for case %d", caseID))
}
