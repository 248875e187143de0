// Package authority owns the enforcement item catalogue (执法事项目录) and
// each town's versioned, published item list (执法事项清单): "清单之外无执法",
// nothing outside a town's list in force may be enforced by that town.
package authority

import (
	"slices"
	"strings"
	"time"

	"zhifa/internal/database"
	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

// Kinds of enforcement item.
var Kinds = []string{KindPenalty, "行政强制", "行政检查"}

// KindPenalty is the kind of item under which a penalty case may be filed.
const KindPenalty = "行政处罚"

// Domain is a field of enforcement (领域), a managed list.
type Domain struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	Position int    `db:"position"`
}

// Tier is one step of a discretion standard (裁量基准).
type Tier struct {
	Circumstance string `json:"circumstance"`
	Range        string `json:"range"`
}

// Item is a catalogue entry as it stands now.
type Item struct {
	ID             int64  `db:"id"`
	Code           string `db:"code"`
	Name           string `db:"name"`
	Kind           string `db:"kind"`
	DomainID       int64  `db:"domain_id"`
	Domain         string `db:"domain"`
	DomainPosition int    `db:"domain_position"`
	ViolationBasis string `db:"violation_basis"`
	PenaltyBasis   string `db:"penalty_basis"`
	PenaltyTypes   string `db:"penalty_types"`
	PenaltyRange   string `db:"penalty_range"`
	FormerDept     string `db:"former_department"`
	Discretion     []Tier `db:"discretion"`
	Penalties             // structured kinds and fine ranges
}

// BasisText is the 实施依据 cell of a printed list: the violation and
// penalty provisions.
func (it *Item) BasisText() string {
	s := "违法依据：" + it.ViolationBasis
	if it.PenaltyBasis != "" {
		s += "\n处罚依据：" + it.PenaltyBasis
	}
	return s
}

// PenaltyText is the 处罚种类与幅度 cell.
func (it *Item) PenaltyText() string {
	switch {
	case it.PenaltyTypes == "" && it.PenaltyRange == "":
		return "—"
	case it.PenaltyRange == "":
		return it.PenaltyTypes
	case it.PenaltyTypes == "":
		return it.PenaltyRange
	}
	return it.PenaltyTypes + "：" + it.PenaltyRange
}

// Listed is an item as frozen in a published version, with its number.
type Listed struct {
	Position int   `db:"position"` // 序号
	ItemID   int64 `db:"item_id"`
	Item
}

// Version is one published list of one town.
type Version struct {
	ID            int64     `db:"id"`
	TownID        int64     `db:"town_id"`
	EffectiveFrom time.Time `db:"effective_from"`
	PublishedAt   time.Time `db:"published_at"`
	Note          string    `db:"note"`
	Items         int       `db:"items"`
}

// Draft is the county's proposal of one selection for one or several towns.
type Draft struct {
	ID        int64     `db:"id"`
	Title     string    `db:"title"`
	Note      string    `db:"note"`
	Status    string    `db:"status"`
	CreatedAt time.Time `db:"created_at"`
	TownIDs   []int64   `db:"town_ids"`
	ItemIDs   []int64   `db:"item_ids"`
}

// StatusLabel is the draft's status in Chinese.
func (d *Draft) StatusLabel() string {
	switch d.Status {
	case "draft":
		return "草稿"
	case "published":
		return "已发布"
	case "discarded":
		return "已作废"
	}
	return d.Status
}

// Change is a catalogue item whose text differs from the version in force.
type Change struct {
	Item   Item
	Fields []string // the changed fields, in Chinese
}

// Diff compares a draft with one town's version in force.
type Diff struct {
	TownID  int64
	Current *Version // nil when the town has no list yet
	Added   []Item
	Removed []Listed
	Changed []Change
	Kept    int
}

// Empty reports whether publishing would change nothing for the town.
func (d *Diff) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Changed) == 0 }

// Filter narrows a list by domain and keyword.
type Filter struct {
	Domain string // domain name; "" = all
	Q      string // keyword in the name or the legal bases
}

// Active reports whether the filter narrows anything.
func (f Filter) Active() bool { return f.Domain != "" || strings.TrimSpace(f.Q) != "" }

// Match reports whether it matches an item.
func (f Filter) Match(it *Item) bool {
	if f.Domain != "" && it.Domain != f.Domain {
		return false
	}
	q := strings.TrimSpace(f.Q)
	if q == "" {
		return true
	}
	return strings.Contains(it.Name, q) || strings.Contains(it.ViolationBasis, q) ||
		strings.Contains(it.PenaltyBasis, q) || strings.Contains(it.Code, strings.ToUpper(q))
}

// FilterListed keeps the listed items that match f, in order.
func FilterListed(items []Listed, f Filter) []Listed {
	if !f.Active() {
		return items
	}
	var out []Listed
	for i := range items {
		if f.Match(&items[i].Item) {
			out = append(out, items[i])
		}
	}
	return out
}

// Group is the items of one domain, for pages grouped by domain.
type Group struct {
	Domain string
	Items  []Listed
}

// GroupByDomain groups consecutive items by domain (versions are numbered
// in domain order, so each domain forms one group).
func GroupByDomain(items []Listed) []Group {
	var out []Group
	for _, it := range items {
		if len(out) == 0 || out[len(out)-1].Domain != it.Domain {
			out = append(out, Group{Domain: it.Domain})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out
}

// changedFields lists what differs between the live item and its snapshot.
func changedFields(now *Item, then *Item) []string {
	var out []string
	add := func(changed bool, label string) {
		if changed {
			out = append(out, label)
		}
	}
	add(now.Name != then.Name, "事项名称")
	add(now.Kind != then.Kind, "事项类别")
	add(now.Domain != then.Domain, "领域")
	add(now.ViolationBasis != then.ViolationBasis, "违法依据")
	add(now.PenaltyBasis != then.PenaltyBasis, "处罚依据")
	add(now.PenaltyTypes != then.PenaltyTypes || now.PenaltyRange != then.PenaltyRange ||
		!now.Penalties.Equal(then.Penalties), "处罚种类与幅度")
	add(now.FirstOffenceList != then.FirstOffenceList, "首违不罚清单")
	add(now.FormerDept != then.FormerDept, "原主管部门")
	add(!slices.Equal(now.Discretion, then.Discretion), "裁量基准")
	return out
}

// Service reads and edits the catalogue and the lists.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
	Ref   *refcache.Cache // domains and today's lists; nil caches nothing
}

func requireAdmin(a *zhifa.Actor) error {
	if a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员可以编辑执法事项目录和清单。")
	}
	return nil
}
