package procedure

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Sample is China's public holidays (放假) and adjusted working days
// (调休上班: weekend days that are working days) for 2025 and 2026, as the
// State Council published them:
//
//   - 2025: 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12).
//   - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
//
// Every day of each holiday period is listed, weekends included, so the
// calendar reads the same as the notice. Later years are entered by the
// administrator on the holidays page when each year's notice is out.
var Sample = []struct{ Day, Kind, Name string }{
	// 2025
	{"2025-01-01", "holiday", "元旦"},
	{"2025-01-26", "workday", "春节调休上班"},
	{"2025-01-28", "holiday", "春节"},
	{"2025-01-29", "holiday", "春节"},
	{"2025-01-30", "holiday", "春节"},
	{"2025-01-31", "holiday", "春节"},
	{"2025-02-01", "holiday", "春节"},
	{"2025-02-02", "holiday", "春节"},
	{"2025-02-03", "holiday", "春节"},
	{"2025-02-04", "holiday", "春节"},
	{"2025-02-08", "workday", "春节调休上班"},
	{"2025-04-04", "holiday", "清明节"},
	{"2025-04-05", "holiday", "清明节"},
	{"2025-04-06", "holiday", "清明节"},
	{"2025-04-27", "workday", "劳动节调休上班"},
	{"2025-05-01", "holiday", "劳动节"},
	{"2025-05-02", "holiday", "劳动节"},
	{"2025-05-03", "holiday", "劳动节"},
	{"2025-05-04", "holiday", "劳动节"},
	{"2025-05-05", "holiday", "劳动节"},
	{"2025-05-31", "holiday", "端午节"},
	{"2025-06-01", "holiday", "端午节"},
	{"2025-06-02", "holiday", "端午节"},
	{"2025-09-28", "workday", "国庆节、中秋节调休上班"},
	{"2025-10-01", "holiday", "国庆节、中秋节"},
	{"2025-10-02", "holiday", "国庆节、中秋节"},
	{"2025-10-03", "holiday", "国庆节、中秋节"},
	{"2025-10-04", "holiday", "国庆节、中秋节"},
	{"2025-10-05", "holiday", "国庆节、中秋节"},
	{"2025-10-06", "holiday", "国庆节、中秋节"},
	{"2025-10-07", "holiday", "国庆节、中秋节"},
	{"2025-10-08", "holiday", "国庆节、中秋节"},
	{"2025-10-11", "workday", "国庆节、中秋节调休上班"},

	// 2026
	{"2026-01-01", "holiday", "元旦"},
	{"2026-01-02", "holiday", "元旦"},
	{"2026-01-03", "holiday", "元旦"},
	{"2026-01-04", "workday", "元旦调休上班"},
	{"2026-02-14", "workday", "春节调休上班"},
	{"2026-02-15", "holiday", "春节"},
	{"2026-02-16", "holiday", "春节"},
	{"2026-02-17", "holiday", "春节"},
	{"2026-02-18", "holiday", "春节"},
	{"2026-02-19", "holiday", "春节"},
	{"2026-02-20", "holiday", "春节"},
	{"2026-02-21", "holiday", "春节"},
	{"2026-02-22", "holiday", "春节"},
	{"2026-02-23", "holiday", "春节"},
	{"2026-02-28", "workday", "春节调休上班"},
	{"2026-04-04", "holiday", "清明节"},
	{"2026-04-05", "holiday", "清明节"},
	{"2026-04-06", "holiday", "清明节"},
	{"2026-05-01", "holiday", "劳动节"},
	{"2026-05-02", "holiday", "劳动节"},
	{"2026-05-03", "holiday", "劳动节"},
	{"2026-05-04", "holiday", "劳动节"},
	{"2026-05-05", "holiday", "劳动节"},
	{"2026-05-09", "workday", "劳动节调休上班"},
	{"2026-06-19", "holiday", "端午节"},
	{"2026-06-20", "holiday", "端午节"},
	{"2026-06-21", "holiday", "端午节"},
	{"2026-09-20", "workday", "国庆节调休上班"},
	{"2026-09-25", "holiday", "中秋节"},
	{"2026-09-26", "holiday", "中秋节"},
	{"2026-09-27", "holiday", "中秋节"},
	{"2026-10-01", "holiday", "国庆节"},
	{"2026-10-02", "holiday", "国庆节"},
	{"2026-10-03", "holiday", "国庆节"},
	{"2026-10-04", "holiday", "国庆节"},
	{"2026-10-05", "holiday", "国庆节"},
	{"2026-10-06", "holiday", "国庆节"},
	{"2026-10-07", "holiday", "国庆节"},
	{"2026-10-10", "workday", "国庆节调休上班"},
}

// SeedHolidays inserts Sample; days already in the calendar are left as
// they are, so running it twice changes nothing. tx must run in the county
// administrator's scope (the holidays table's RLS policy).
func SeedHolidays(ctx context.Context, tx pgx.Tx) error {
	for _, h := range Sample {
		_, err := tx.Exec(ctx, `INSERT INTO holidays (day, kind, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING`,
			h.Day, h.Kind, h.Name)
		if err != nil {
			return fmt.Errorf("seed holiday %s: %w", h.Day, err)
		}
	}
	return nil
}
