// Package town reads the county's towns: public reference data, not tenant rows.
package town

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/refcache"
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
type Service struct {
	DB  *database.DB
	Ref *refcache.Cache // towns and villages (public); nil caches nothing
}

// List returns every town in the county's official order.
func (s *Service) List(ctx context.Context) ([]Town, error) {
	out, err := refcache.Get(ctx, s.Ref, refcache.Towns, "", func() ([]Town, error) {
		var out []Town
		err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
			rows, _ := tx.Query(ctx, `SELECT `+townColumns+` FROM towns ORDER BY position`)
			var err error
			out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Town])
			return err
		})
		return out, err
	})
	if err != nil {
		return nil, fmt.Errorf("list towns: %w", err)
	}
	return slices.Clone(out), nil
}

// ByCode finds a town by its pinyin code.
func (s *Service) ByCode(ctx context.Context, code string) (*Town, error) {
	if s.Ref.Live() { // from the cached list rather than a query of its own
		towns, err := s.List(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range towns {
			if t.Code == code {
				return &t, nil
			}
		}
		return nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该镇。")
	}
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

// Villages returns the names of a town's villages and residential
// communities (行政村/社区), in the county's order: the places where the
// town may act (行政处罚法第二十二条).
func (s *Service) Villages(ctx context.Context, townID int64) ([]string, error) {
	out, err := refcache.Get(ctx, s.Ref, refcache.Villages, strconv.FormatInt(townID, 10), func() ([]string, error) {
		var out []string
		err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
			var err error
			out, err = VillagesOf(ctx, tx, townID)
			return err
		})
		return out, err
	})
	if err != nil {
		return nil, fmt.Errorf("villages of town %d: %w", townID, err)
	}
	return slices.Clone(out), nil
}

// VillagesOf reads a town's villages in the caller's transaction.
func VillagesOf(ctx context.Context, tx pgx.Tx, townID int64) ([]string, error) {
	rows, _ := tx.Query(ctx, `SELECT name FROM villages WHERE town_id = $1 ORDER BY position, id`, townID)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// AddVillage appends a village or community to a town's list (county
// administrator only).
func (s *Service) AddVillage(ctx context.Context, townID int64, name string) error {
	if a := zhifa.ActorFrom(ctx); a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员可以维护各镇的村（社区）。")
	}
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 2 || n > 20 {
		return zhifa.FieldErrors{"name": "村（社区）名称应为2至20个字，例如：干沙村、城关社区。"}
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO villages (town_id, name, position)
			SELECT $1, $2, coalesce(max(position), 0) + 1 FROM villages WHERE town_id = $1
			ON CONFLICT (town_id, name) DO NOTHING`, townID, name)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return zhifa.FieldErrors{"name": "本镇已有该村（社区）。"}
		}
		return nil
	})
	s.Ref.Drop(refcache.Villages) // this instance's next page sees it at once
	return zhifa.Annotate(err, "add village")
}

// RemoveVillage takes a village off a town's list (county administrator
// only). Cases keep the place they recorded.
func (s *Service) RemoveVillage(ctx context.Context, townID int64, name string) error {
	if a := zhifa.ActorFrom(ctx); a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员可以维护各镇的村（社区）。")
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM villages WHERE town_id = $1 AND name = $2`, townID, name)
		if err == nil && tag.RowsAffected() == 0 {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该村（社区）。")
		}
		return err
	})
	s.Ref.Drop(refcache.Villages)
	return zhifa.Annotate(err, "remove village")
}
