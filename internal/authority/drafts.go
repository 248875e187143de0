package authority

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

const draftColumns = `d.id, d.title, d.note, d.status, d.created_at,
	coalesce((SELECT array_agg(t.town_id ORDER BY tw.position) FROM list_draft_towns t JOIN towns tw ON tw.id = t.town_id WHERE t.draft_id = d.id), '{}') AS town_ids,
	coalesce((SELECT array_agg(i.item_id ORDER BY i.item_id) FROM list_draft_items i WHERE i.draft_id = d.id), '{}') AS item_ids`

// Drafts returns the drafts, open ones first, newest first.
func (s *Service) Drafts(ctx context.Context) ([]Draft, error) {
	var out []Draft
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+draftColumns+` FROM list_drafts d ORDER BY d.status = 'draft' DESC, d.created_at DESC, d.id DESC`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Draft])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list drafts: %w", err)
	}
	return out, nil
}

// Draft returns one draft.
func (s *Service) Draft(ctx context.Context, id int64) (*Draft, error) {
	var d Draft
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		d, err = getDraft(ctx, tx, id, false)
		return err
	})
	if err != nil {
		return nil, zhifa.Annotate(err, "get draft")
	}
	return &d, nil
}

func getDraft(ctx context.Context, tx pgx.Tx, id int64, forUpdate bool) (Draft, error) {
	lock := ""
	if forUpdate {
		lock = " FOR UPDATE"
	}
	rows, _ := tx.Query(ctx, `SELECT `+draftColumns+` FROM list_drafts d WHERE d.id = $1`+lock, id)
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Draft])
	if errors.Is(err, pgx.ErrNoRows) {
		return d, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该草稿。")
	}
	return d, err
}

// DraftInput starts a draft.
type DraftInput struct {
	Title     string
	Note      string
	TownIDs   []int64
	StartFrom int64 // copy the list in force of this town; 0 = start empty
}

// CreateDraft starts a draft for one or several towns and returns its id.
func (s *Service) CreateDraft(ctx context.Context, in DraftInput) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	if err := requireAdmin(a); err != nil {
		return 0, err
	}
	in.Title, in.Note = strings.TrimSpace(in.Title), strings.TrimSpace(in.Note)
	fe := zhifa.FieldErrors{}
	n := utf8.RuneCountInString(in.Title)
	fe.Check(n >= 2 && n <= 100, "title", "请填写草稿标题（2至100个字）。")
	fe.Check(len(in.TownIDs) > 0, "towns", "请至少选择一个镇。")
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO list_drafts (title, note, created_by) VALUES ($1, $2, $3) RETURNING id`,
			in.Title, in.Note, a.UserID).Scan(&id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO list_draft_towns (draft_id, town_id) SELECT $1, id FROM towns WHERE id = ANY($2)`, id, in.TownIDs)
		if err != nil {
			return err
		}
		if int(tag.RowsAffected()) != len(in.TownIDs) {
			return zhifa.FieldErrors{"towns": "请选择有效的镇。"}
		}
		if in.StartFrom != 0 {
			_, err = tx.Exec(ctx, `INSERT INTO list_draft_items (draft_id, item_id)
				SELECT $1, item_id FROM list_version_items WHERE version_id = list_version_on($2, $3)`,
				id, in.StartFrom, s.Clock.Today().Format(time.DateOnly))
		}
		return err
	})
	return id, zhifa.Annotate(err, "create draft")
}

func openDraft(ctx context.Context, tx pgx.Tx, id int64) (Draft, error) {
	d, err := getDraft(ctx, tx, id, true)
	if err != nil {
		return d, err
	}
	if d.Status != "draft" {
		return d, zhifa.Errorf(zhifa.ECONFLICT, "该草稿已%s，不能再修改。", strings.TrimPrefix(d.StatusLabel(), "已"))
	}
	return d, nil
}

// SaveDraft replaces the draft's towns and item selection.
func (s *Service) SaveDraft(ctx context.Context, id int64, townIDs, itemIDs []int64) error {
	if err := requireAdmin(zhifa.ActorFrom(ctx)); err != nil {
		return err
	}
	if len(townIDs) == 0 {
		return zhifa.FieldErrors{"towns": "请至少选择一个镇。"}
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if _, err := openDraft(ctx, tx, id); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM list_draft_towns WHERE draft_id = $1`, `DELETE FROM list_draft_items WHERE draft_id = $1`} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `INSERT INTO list_draft_towns (draft_id, town_id) SELECT $1, id FROM towns WHERE id = ANY($2)`, id, townIDs)
		if err != nil {
			return err
		}
		if int(tag.RowsAffected()) != len(slices.Compact(slices.Sorted(slices.Values(townIDs)))) {
			return zhifa.FieldErrors{"towns": "请选择有效的镇。"}
		}
		tag, err = tx.Exec(ctx, `INSERT INTO list_draft_items (draft_id, item_id) SELECT $1, id FROM catalogue_items WHERE id = ANY($2)`, id, itemIDs)
		if err != nil {
			return err
		}
		if int(tag.RowsAffected()) != len(slices.Compact(slices.Sorted(slices.Values(itemIDs)))) {
			return zhifa.FieldErrors{"items": "所选事项不在目录中，请刷新页面后重试。"}
		}
		_, err = tx.Exec(ctx, `UPDATE list_drafts SET updated_at = now() WHERE id = $1`, id)
		return err
	})
	return zhifa.Annotate(err, "save draft")
}

// DiscardDraft abandons a draft; it stays on record.
func (s *Service) DiscardDraft(ctx context.Context, id int64) error {
	if err := requireAdmin(zhifa.ActorFrom(ctx)); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if _, err := openDraft(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE list_drafts SET status = 'discarded', updated_at = now() WHERE id = $1`, id)
		return err
	})
	return zhifa.Annotate(err, "discard draft")
}

// Diffs compares the draft with each of its towns' list in force on day.
func (s *Service) Diffs(ctx context.Context, d *Draft, day time.Time) ([]Diff, error) {
	var out []Diff
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		items, err := catalogue(ctx, tx)
		if err != nil {
			return err
		}
		selected := map[int64]bool{}
		for _, id := range d.ItemIDs {
			selected[id] = true
		}
		for _, townID := range d.TownIDs {
			diff := Diff{TownID: townID}
			v, listed, err := versionOn(ctx, tx, townID, day)
			current := map[int64]Listed{}
			if err == nil {
				diff.Current = v
				for _, li := range listed {
					current[li.ItemID] = li
					if !selected[li.ItemID] {
						diff.Removed = append(diff.Removed, li)
					}
				}
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			for i := range items {
				it := &items[i]
				if !selected[it.ID] {
					continue
				}
				was, ok := current[it.ID]
				switch {
				case !ok:
					diff.Added = append(diff.Added, *it)
				case len(changedFields(it, &was.Item)) > 0:
					diff.Changed = append(diff.Changed, Change{Item: *it, Fields: changedFields(it, &was.Item)})
				default:
					diff.Kept++
				}
			}
			out = append(out, diff)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("diff draft %d: %w", d.ID, err)
	}
	return out, nil
}

// Publish turns the draft into a new list version for each of its towns,
// in force from effective. Lists are published before they take effect, so
// the date may not be in the past. Old versions are never touched.
func (s *Service) Publish(ctx context.Context, id int64, effective string) error {
	a := zhifa.ActorFrom(ctx)
	if err := requireAdmin(a); err != nil {
		return err
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(effective), zhifa.Local)
	if err != nil {
		return zhifa.FieldErrors{"effective_from": "请填写生效日期（格式：2025-07-01）。"}
	}
	if day.Before(s.Clock.Today()) {
		return zhifa.FieldErrors{"effective_from": "生效日期不能早于今天：清单须先公布后施行。"}
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		d, err := openDraft(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(d.ItemIDs) == 0 {
			return zhifa.FieldErrors{"items": "草稿中没有任何事项，不能发布。"}
		}
		for _, townID := range d.TownIDs {
			if err := publishVersion(ctx, tx, &d, townID, day, a.UserID); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE list_drafts SET status = 'published', updated_at = now() WHERE id = $1`, id)
		return err
	})
	s.Ref.Drop(refcache.Lists) // this instance's next page sees it at once
	return zhifa.Annotate(err, "publish draft")
}

// publishVersion freezes the draft's items as the town's version from day,
// numbered in domain order.
func publishVersion(ctx context.Context, tx pgx.Tx, d *Draft, townID int64, day time.Time, by int64) error {
	var versionID int64
	err := tx.QueryRow(ctx, `INSERT INTO list_versions (town_id, draft_id, effective_from, note, published_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, townID, d.ID, day.Format(time.DateOnly), d.Title, by).Scan(&versionID)
	if isUnique(err) {
		var town string
		_ = tx.QueryRow(ctx, `SELECT name FROM towns WHERE id = $1`, townID).Scan(&town)
		return zhifa.FieldErrors{"effective_from": fmt.Sprintf("%s已有%s生效的清单版本，请换一个生效日期。", town, day.Format(time.DateOnly))}
	} else if err != nil {
		return err
	}
	return InsertVersionItems(ctx, tx, versionID, townID, d.ItemIDs)
}

// InsertVersionItems snapshots catalogue items into a version, numbered by
// domain then code. Seeding uses it too.
func InsertVersionItems(ctx context.Context, tx pgx.Tx, versionID, townID int64, itemIDs []int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO list_version_items (version_id, town_id, position, item_id, code, name, kind,
			domain, domain_position, violation_basis, penalty_basis, penalty_types, penalty_range, former_department, discretion,
			`+penaltyColumns("")+`)
		SELECT $1, $2, row_number() OVER (ORDER BY d.position, i.code), i.id, i.code, i.name, i.kind,
			d.name, d.position, i.violation_basis, i.penalty_basis, i.penalty_types, i.penalty_range, i.former_department, i.discretion,
			`+penaltyColumns("i")+`
		FROM catalogue_items i JOIN domains d ON d.id = i.domain_id WHERE i.id = ANY($3)`, versionID, townID, itemIDs)
	if err != nil {
		return fmt.Errorf("snapshot items into version %d: %w", versionID, err)
	}
	return nil
}
