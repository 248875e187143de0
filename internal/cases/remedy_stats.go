package cases

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// RemediesByTown counts reconsiderations and lawsuits by outcome per town,
// across what the actor may read (town id → counts; towns with none are
// absent). A "corrected" outcome is the record that opened a correction
// task, so these are the numbers behind "零复议纠错、零诉讼败诉".
func (s *Service) RemediesByTown(ctx context.Context) (map[int64]RemedyStats, error) {
	out := map[int64]RemedyStats{}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT town_id,
			count(*) FILTER (WHERE kind = 'reconsideration'),
			count(*) FILTER (WHERE kind = 'reconsideration' AND outcome = 'corrected'),
			count(*) FILTER (WHERE kind = 'litigation'),
			count(*) FILTER (WHERE kind = 'litigation' AND outcome = 'corrected')
			FROM case_remedies GROUP BY town_id`)
		var town int64
		var st RemedyStats
		_, err := pgx.ForEachRow(rows, []any{&town, &st.Reconsiderations, &st.ReconsiderationsCorrected, &st.Lawsuits, &st.LawsuitsLost},
			func() error { out[town] = st; return nil })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("remedy stats by town: %w", err)
	}
	return out, nil
}
