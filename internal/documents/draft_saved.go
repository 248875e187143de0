package documents

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/zhifa"
)

// Saved says when the draft of a kind was last saved and by whom.
type Saved struct {
	At time.Time
	By string // the display name of who saved it
}

// DraftSaved is when the case's draft of kind was last saved (SaveDraft),
// or nil when there is no draft: none was saved, or it was issued.
func (s *Service) DraftSaved(ctx context.Context, caseID int64, kind string) (*Saved, error) {
	m, err := kindOf(kind)
	if err != nil {
		return nil, err
	}
	var out *Saved
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var sv Saved
		err := tx.QueryRow(ctx, `SELECT d.updated_at, coalesce(u.display_name, '') FROM document_drafts d
			LEFT JOIN users u ON u.id = d.updated_by WHERE d.case_id = $1 AND d.kind = $2`, caseID, string(m.Kind)).Scan(&sv.At, &sv.By)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		out = &sv
		return nil
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("draft %s of case %d saved", kind, caseID))
}
