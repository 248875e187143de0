package cases

import (
	"encoding/json"
	"fmt"
	"time"

	"zhifa/internal/zhifa"
)

// Change is one corrected value of a case: what it was and what it became.
// A correction of the facts or of the party keeps the old values in its
// timeline entry (case_events.data), which is never changed or deleted, so
// the record shows what the case said before.
type Change struct {
	Field string `json:"field"` // the label: 当事人, 住址, 调查情况…
	Old   string `json:"old"`
	New   string `json:"new"`
}

// change notes a corrected value when it differs.
func (x *act) change(field, old, new string) {
	if old != new {
		x.changes = append(x.changes, Change{Field: field, Old: old, New: new})
	}
}

// yesNo writes a flag for a Change.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// stepEvent appends a step's timeline entry, with the step's corrected
// values when it noted any.
func (x *act) stepEvent(action, summary, reason string, on time.Time) error {
	if len(x.changes) == 0 {
		return x.event(action, "", "", summary, reason, on)
	}
	data, err := json.Marshal(map[string]any{"changes": x.changes})
	if err != nil {
		return err
	}
	at := x.s.Clock()
	var onDate *string
	if !on.IsZero() && on.Format(time.DateOnly) != at.In(zhifa.Local).Format(time.DateOnly) {
		d := on.Format(time.DateOnly)
		onDate = &d
	}
	_, err = x.tx.Exec(x.ctx, `INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, summary, reason, on_date, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, x.c.ID, x.c.TownID, at, x.a.UserID, x.a.DisplayName, action, summary, reason, onDate, data)
	if err != nil {
		return fmt.Errorf("timeline of case %d: %w", x.c.ID, err)
	}
	return nil
}
