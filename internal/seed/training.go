package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// seedTraining records two demo sessions once: a county session on the
// Administrative Penalty Law attended by every town's officers, and one
// 毛坝镇 session of its own team.
func seedTraining(ctx context.Context, tx pgx.Tx, today time.Time) error {
	var done bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM training_sessions)`).Scan(&done); err != nil || done {
		return err
	}
	sessions := []struct {
		town    string // "" for the county
		heldOn  time.Time
		topic   string
		hours   string
		trainer string
		by      string // who recorded it
	}{
		{"", today.AddDate(0, -5, 0), "《行政处罚法》及行政处罚裁量基准专题培训", "6", "县司法局 行政执法监督股", "county-admin"},
		{"maoba", today.AddDate(0, -2, 0), "执法文书制作与案卷归档", "3", "毛坝镇综合行政执法队", "maoba-leader"},
	}
	for _, s := range sessions {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO training_sessions (town_id, held_on, topic, hours, trainer, created_by)
			VALUES ((SELECT id FROM towns WHERE code = nullif($1, '')), $2, $3, $4::numeric, $5, (SELECT id FROM users WHERE username = $6))
			RETURNING id`, s.town, s.heldOn.Format(time.DateOnly), s.topic, s.hours, s.trainer, s.by).Scan(&id)
		if err != nil {
			return fmt.Errorf("seed training %s: %w", s.topic, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO training_attendance (session_id, user_id, town_id, recorded_by)
			SELECT $1, u.id, u.town_id, (SELECT id FROM users WHERE username = $3) FROM users u JOIN towns t ON t.id = u.town_id
			WHERE u.active AND u.role IN ('officer', 'leader') AND ($2 = '' OR t.code = $2)`, id, s.town, s.by)
		if err != nil {
			return fmt.Errorf("seed attendance of %s: %w", s.topic, err)
		}
	}
	return nil
}

// seedSupervisor appoints the demo 执法监督员 of 毛坝镇 (maoba-supervisor),
// in office from the start of this year to the end of the next.
func seedSupervisor(ctx context.Context, tx pgx.Tx, today time.Time, hash string) error {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO users (username, display_name, phone, role, town_id, password_hash)
		VALUES ('maoba-supervisor', '何德明', '0915-4412001', 'supervisor', (SELECT id FROM towns WHERE code = 'maoba'), $1)
		ON CONFLICT (username) DO NOTHING RETURNING id`, hash).Scan(&id)
	if err == pgx.ErrNoRows {
		return nil // already there
	} else if err != nil {
		return fmt.Errorf("seed supervisor: %w", err)
	}
	from := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, today.Location())
	until := time.Date(today.Year()+1, 12, 31, 0, 0, 0, 0, today.Location())
	_, err = tx.Exec(ctx, `INSERT INTO supervisors (user_id, town_id, affiliation, term_from, term_until, appointed_by)
		SELECT $1, town_id, '县人大代表', $2, $3, (SELECT id FROM users WHERE username = 'county-admin') FROM users WHERE id = $1`,
		id, from.Format(time.DateOnly), until.Format(time.DateOnly))
	if err != nil {
		return fmt.Errorf("seed supervisor's appointment: %w", err)
	}
	return nil
}
