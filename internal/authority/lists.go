package authority

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

const versionColumns = `v.id, v.town_id, v.effective_from, v.published_at, v.note,
	(SELECT count(*) FROM list_version_items li WHERE li.version_id = v.id)::int AS items`

var listedColumns = `li.position, li.item_id, li.item_id AS id, li.code, li.name, li.kind, 0::bigint AS domain_id,
	li.domain, li.domain_position, li.violation_basis, li.penalty_basis, li.penalty_types, li.penalty_range,
	li.former_department, li.discretion, ` + penaltyColumns("li")

// ListOn returns the version of the town's list in force on day and its
// items in order, or ENOTFOUND when none was in force yet.
//
// Today's lists are cached (published lists are public, so the town and the
// day are the whole key); other days are read from the database.
func (s *Service) ListOn(ctx context.Context, townID int64, day time.Time) (*Version, []Listed, error) {
	load := func() (inForce, error) {
		var l inForce
		err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
			var err error
			l.v, l.items, err = versionOn(ctx, tx, townID, day)
			return err
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return inForce{}, nil
		}
		return l, err
	}
	var l inForce
	var err error
	d := day.Format(time.DateOnly)
	if s.Clock != nil && d == s.Clock.Today().Format(time.DateOnly) {
		l, err = refcache.Get(ctx, s.Ref, refcache.Lists, strconv.FormatInt(townID, 10)+"/"+d, load)
	} else {
		l, err = load()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("list of town %d on %s: %w", townID, d, err)
	} else if l.v == nil {
		return nil, nil, zhifa.Errorf(zhifa.ENOTFOUND, "%s尚无公布的执法事项清单。", day.Format("2006年1月2日"))
	}
	v := *l.v // the cached value stays as it is whatever the caller does
	return &v, slices.Clone(l.items), nil
}

// inForce is a town's list on a day; v is nil when none was in force.
type inForce struct {
	v     *Version
	items []Listed
}

// versionOn reads the town's version in force on day with its items, or
// pgx.ErrNoRows when none was.
func versionOn(ctx context.Context, tx pgx.Tx, townID int64, day time.Time) (*Version, []Listed, error) {
	rows, _ := tx.Query(ctx, `SELECT `+versionColumns+` FROM list_versions v WHERE v.id = list_version_on($1, $2)`,
		townID, day.Format(time.DateOnly))
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Version])
	if err != nil {
		return nil, nil, err
	}
	items, err := versionItems(ctx, tx, v.ID)
	return localVersion(v), items, err
}

func versionItems(ctx context.Context, tx pgx.Tx, versionID int64) ([]Listed, error) {
	rows, _ := tx.Query(ctx, `SELECT `+listedColumns+` FROM list_version_items li WHERE li.version_id = $1 ORDER BY li.position`, versionID)
	return pgx.CollectRows(rows, pgx.RowToStructByName[Listed])
}

// Versions returns every published version of the town's list, newest first.
func (s *Service) Versions(ctx context.Context, townID int64) ([]Version, error) {
	var out []Version
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+versionColumns+` FROM list_versions v WHERE v.town_id = $1 ORDER BY v.effective_from DESC`, townID)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Version])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("versions of town %d: %w", townID, err)
	}
	for i := range out {
		out[i] = *localVersion(out[i])
	}
	return out, nil
}

// CurrentVersions returns, per town id, the version in force on day.
func (s *Service) CurrentVersions(ctx context.Context, day time.Time) (map[int64]Version, error) {
	out := map[int64]Version{}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+versionColumns+` FROM towns t JOIN list_versions v ON v.id = list_version_on(t.id, $1)`,
			day.Format(time.DateOnly))
		vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Version])
		for _, v := range vs {
			out[v.TownID] = *localVersion(v)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("current versions: %w", err)
	}
	return out, nil
}

// localVersion re-reads the DATE column as a CST date.
func localVersion(v Version) *Version {
	d := v.EffectiveFrom
	v.EffectiveFrom = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zhifa.Local)
	v.PublishedAt = v.PublishedAt.In(zhifa.Local)
	return &v
}

// InForce reports whether item is on the town's list in force on day: the
// rule every case filing must pass ("清单之外无执法"). The database applies
// the same rule (authority_item_in_force, authority_check_item).
func InForce(ctx context.Context, tx pgx.Tx, townID, itemID int64, day time.Time) (bool, error) {
	var ok bool
	b := &pgx.Batch{}
	QueueInForce(b, townID, itemID, day, &ok)
	return ok, tx.SendBatch(ctx, b).Close()
}

// QueueInForce queues InForce's read on b, for a caller that reads more in
// the same round trip: *ok is set as b is read.
func QueueInForce(b *pgx.Batch, townID, itemID int64, day time.Time, ok *bool) {
	b.Queue(`SELECT authority_item_in_force($1, $2, $3)`, townID, itemID, day.Format(time.DateOnly)).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(ok); err != nil {
			return fmt.Errorf("item %d in force in town %d: %w", itemID, townID, err)
		}
		return nil
	})
}

// ItemInForce is InForce in its own transaction.
func (s *Service) ItemInForce(ctx context.Context, townID, itemID int64, day time.Time) (bool, error) {
	var ok bool
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		ok, err = InForce(ctx, tx, townID, itemID, day)
		return err
	})
	return ok, err
}
