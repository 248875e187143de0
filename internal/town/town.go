// Package town reads the county's towns: public reference data, not tenant rows.
package town

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// Town is one of the county's towns and its enforcement team.
type Town struct {
	ID        int64  `db:"id"`
	Code      string `db:"code"`
	Name      string `db:"name"`
	ShortName string `db:"short_name"`
	TeamName  string `db:"team_name"`
	// GovernmentName is the implementing body (实施主体) named on the public list.
	GovernmentName   string `db:"government_name"`
	SupervisionPhone string `db:"supervision_phone"` // 监督电话
}

// County is the county and the bureau that supervises its towns.
type County struct {
	Name       string `db:"name"`
	BureauName string `db:"bureau_name"`
	// SupervisionPhone is the justice bureau's phone for complaints.
	SupervisionPhone string `db:"supervision_phone"`
}

const townColumns = `id, code, name, short_name, team_name, government_name, supervision_phone`

// Service reads towns.
type Service struct{ DB *database.DB }

// List returns every town in the county's official order.
func (s *Service) List(ctx context.Context) ([]Town, error) {
	var out []Town
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+townColumns+` FROM towns ORDER BY position`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Town])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list towns: %w", err)
	}
	return out, nil
}

// ByCode finds a town by its pinyin code.
func (s *Service) ByCode(ctx context.Context, code string) (*Town, error) {
	var t Town
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+townColumns+` FROM towns WHERE code = $1`, code)
		var err error
		t, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Town])
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该镇。")
	} else if err != nil {
		return nil, fmt.Errorf("town %q: %w", code, err)
	}
	return &t, nil
}

// CountyInfo returns the county and its supervising bureau.
func (s *Service) CountyInfo(ctx context.Context) (*County, error) {
	var c County
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT name, bureau_name, supervision_phone FROM counties LIMIT 1`).Scan(&c.Name, &c.BureauName, &c.SupervisionPhone)
	})
	if err != nil {
		return nil, fmt.Errorf("county: %w", err)
	}
	return &c, nil
}
