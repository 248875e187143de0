package seed

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/authority"
	"zhifa/internal/zhifa"
)

// Dates of the sample list versions: 毛坝镇 took over 47 items in June 2024;
// in July 2025 the county adjusted the delegated powers to 32 items a town.
var (
	Maoba2024Effective = time.Date(2024, 6, 1, 0, 0, 0, 0, zhifa.Local)
	List2025Effective  = time.Date(2025, 7, 1, 0, 0, 0, 0, zhifa.Local)
)

// townExtras gives a few towns items beyond the common 2025 list, as a
// county would for local conditions (mining in the hills, property
// management in the county seat). Keys are town codes; values are domains
// from which the first item not on the common list is added.
var townExtras = map[string]string{
	"chengguan": "物业管理",
	"donghe":    "自然资源",
	"shuangan":  "自然资源",
}

// firstOffenceList is the sample 首违不罚清单 (示例): minor 市容, 物业 and
// 环境 items whose first offence, with minor harm and corrected in time,
// is not penalised (行政处罚法第三十三条第一款), as Shaanxi's published
// per-domain lists do for such items.
var firstOffenceList = map[string]bool{
	"ZY-HJ-003": true, // 人口集中地区焚烧垃圾等
	"ZY-HJ-005": true, // 禁止时段、区域露天烧烤
	"ZY-WY-003": true, // 擅自利用物业共用部位经营
	"ZY-SR-001": true, // 占道摆摊设点
	"ZY-SR-002": true, // 街道两侧和公共场地堆放物料
	"ZY-SR-004": true, // 涂写、刻画、张贴宣传品
	"ZY-SR-007": true, // 随意倾倒、堆放生活垃圾
}

// FirstOffenceListed reports whether a sample item is on the sample
// 首违不罚清单, for tests.
func FirstOffenceListed(code string) bool { return firstOffenceList[code] }

// SampleCounts reports how many items the sample lists hold, for tests.
func SampleCounts() (catalogue, maoba2024, list2025 int) {
	for _, it := range sampleCatalogue {
		catalogue++
		if it.InMaoba2024 {
			maoba2024++
		}
		if it.In2025 {
			list2025++
		}
	}
	return
}

// penalties is the item's structured penalties as stored.
func (it *sampleItem) penalties() authority.Penalties {
	p := authority.Penalties{Warning: it.Warning, Confiscation: it.Confiscation, Suspension: it.Suspension,
		Revocation: it.Revocation, Other: it.OtherPenalty, FirstOffenceList: firstOffenceList[it.Code]}
	p.FineMinPersonFen, p.FineMaxPersonFen = it.FinePerson.fen()
	p.FineMinOrgFen, p.FineMaxOrgFen = it.FineOrg.fen()
	return p
}

// SamplePenalties returns the structured penalties of a sample item by code,
// for tests.
func SamplePenalties(code string) (authority.Penalties, bool) {
	for i := range sampleCatalogue {
		if sampleCatalogue[i].Code == code {
			return sampleCatalogue[i].penalties(), true
		}
	}
	return authority.Penalties{}, false
}

// seedCatalogue loads the sample catalogue and list versions once.
func seedCatalogue(ctx context.Context, tx pgx.Tx) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM catalogue_items)`).Scan(&exists); err != nil || exists {
		return err
	}
	var adminID int64
	if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE username = 'county-admin'`).Scan(&adminID); err != nil {
		return fmt.Errorf("county-admin: %w", err)
	}
	domainIDs := map[string]int64{}
	for i, name := range sampleDomains {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO domains (name, position) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position RETURNING id`, name, i+1).Scan(&id)
		if err != nil {
			return fmt.Errorf("seed domain %s: %w", name, err)
		}
		domainIDs[name] = id
	}
	var maoba2024, common []int64
	extras := map[string][]int64{}
	for _, it := range sampleCatalogue {
		tiers := make([]authority.Tier, len(it.Discretion))
		for i, t := range it.Discretion {
			tiers[i] = authority.Tier{Circumstance: t.Circumstance, Range: t.Range}
		}
		p := it.penalties()
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO catalogue_items (code, name, kind, domain_id, violation_basis, penalty_basis,
			penalty_types, penalty_range, former_department, discretion, fine_min_person_fen, fine_max_person_fen,
			fine_min_org_fen, fine_max_org_fen, warning, confiscation, suspension, revocation, other_penalty, first_offence_list)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
			it.Code, it.Name, it.Kind, domainIDs[it.Domain], it.ViolationBasis, it.PenaltyBasis, it.PenaltyTypes,
			it.PenaltyRange, it.FormerDept, tiers, p.FineMinPersonFen, p.FineMaxPersonFen, p.FineMinOrgFen,
			p.FineMaxOrgFen, p.Warning, p.Confiscation, p.Suspension, p.Revocation, p.Other, p.FirstOffenceList).Scan(&id)
		if err != nil {
			return fmt.Errorf("seed item %s: %w", it.Code, err)
		}
		if it.InMaoba2024 {
			maoba2024 = append(maoba2024, id)
		}
		if it.In2025 {
			common = append(common, id)
		}
		for town, domain := range townExtras {
			if !it.In2025 && it.Domain == domain && len(extras[town]) == 0 {
				extras[town] = []int64{id}
			}
		}
	}
	rows, _ := tx.Query(ctx, `SELECT code, id FROM towns ORDER BY position`)
	type townRow struct {
		Code string
		ID   int64
	}
	towns, err := pgx.CollectRows(rows, pgx.RowToStructByPos[townRow])
	if err != nil {
		return err
	}
	publish := func(townID int64, effective time.Time, note string, items []int64) error {
		var vid int64
		err := tx.QueryRow(ctx, `INSERT INTO list_versions (town_id, effective_from, note, published_at, published_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			townID, effective.Format(time.DateOnly), note, effective.AddDate(0, 0, -11).Add(10*time.Hour), adminID).Scan(&vid)
		if err != nil {
			return fmt.Errorf("seed version of town %d: %w", townID, err)
		}
		return authority.InsertVersionItems(ctx, tx, vid, townID, items)
	}
	for _, t := range towns {
		if t.Code == "maoba" {
			if err := publish(t.ID, Maoba2024Effective, "首批下放镇级执法事项（示例）", maoba2024); err != nil {
				return err
			}
		}
		items := slices.Concat(common, extras[t.Code])
		if err := publish(t.ID, List2025Effective, "2025年7月县政府调整下放事项（示例）", items); err != nil {
			return err
		}
	}
	return nil
}
