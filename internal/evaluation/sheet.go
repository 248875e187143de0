// Package evaluation owns dossier evaluation (案卷评查): the county's score
// sheet (versioned data the county administrator maintains), evaluation
// rounds with a reproducible random sample, the automatic checks that
// decide every item the case record can decide, the reviewers' scores and
// the findings sent back to the towns as correction tasks, and the round's
// report. /work/shared/domain/evaluation.md §1–2 is the reference.
package evaluation

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Tier is a part of the sheet.
type Tier string

const (
	TierVeto    Tier = "veto"    // 否决项: any failure → 不合格
	TierForm    Tier = "form"    // 形式（卷面）: 20 points
	TierContent Tier = "content" // 内容（实体、程序、裁量、文书）: 80 points
)

// Label is the tier's Chinese name.
func (t Tier) Label() string {
	switch t {
	case TierVeto:
		return "否决项"
	case TierForm:
		return "形式评查（卷面）"
	case TierContent:
		return "内容评查"
	}
	return string(t)
}

// Tiers in the sheet's order.
var Tiers = []Tier{TierVeto, TierForm, TierContent}

// Auto says whether the case record can decide an item.
const (
	AutoYes    = "yes"    // decided by data
	AutoPartly = "partly" // data flags it, a reviewer confirms
	AutoNo     = "no"     // reviewer only
)

// AutoLabel is how the sheet shows an item's Auto.
func AutoLabel(a string) string {
	switch a {
	case AutoYes:
		return "系统判定"
	case AutoPartly:
		return "系统提示"
	}
	return "人工评查"
}

// Item is one line of the score sheet.
type Item struct {
	Code     string  `json:"code"` // V01, F03, C18: fixed once published
	Tier     Tier    `json:"tier"`
	Category string  `json:"category"` // 否决·主体, 程序·送达 …
	Text     string  `json:"text"`
	Points   float64 `json:"points,omitempty"` // 0 for a veto item
	// Step is the deduction per defect the automatic check counts (扣完为止).
	Step      float64 `json:"step,omitempty"`
	Deduction string  `json:"deduction,omitempty"` // the rule as printed: 每处扣1分
	Basis     string  `json:"basis,omitempty"`
	Auto      string  `json:"auto"`
}

// Grade is a grade and its lowest total.
type Grade struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
}

// Sheet is one version of the score sheet.
type Sheet struct {
	ID          int64
	EffectiveOn time.Time
	Note        string
	CreatedBy   string
	CreatedAt   time.Time
	Items       []Item
	Grades      []Grade // highest first; the last is the failing grade
}

// Item finds the item with code.
func (s *Sheet) Item(code string) (Item, bool) {
	i := slices.IndexFunc(s.Items, func(it Item) bool { return it.Code == code })
	if i < 0 {
		return Item{}, false
	}
	return s.Items[i], true
}

// Of lists the items of tier, in the sheet's order.
func (s *Sheet) Of(t Tier) []Item {
	var out []Item
	for _, it := range s.Items {
		if it.Tier == t {
			out = append(out, it)
		}
	}
	return out
}

// PointsOf sums the points of tier.
func (s *Sheet) PointsOf(t Tier) float64 {
	var n float64
	for _, it := range s.Of(t) {
		n += it.Points
	}
	return n
}

// Failing is the grade of a dossier that fails a veto item: the lowest.
func (s *Sheet) Failing() string {
	if len(s.Grades) == 0 {
		return "不合格"
	}
	return s.Grades[len(s.Grades)-1].Name
}

// GradeOf grades a total: the highest grade whose minimum it reaches; any
// failed veto item is the failing grade whatever the points.
func (s *Sheet) GradeOf(total float64, veto bool) string {
	if veto {
		return s.Failing()
	}
	for _, g := range s.Grades {
		if total >= g.Min {
			return g.Name
		}
	}
	return s.Failing()
}

// Round1 rounds to one decimal, the precision of every score.
func Round1(x float64) float64 { return math.Round(x*10) / 10 }

// Points formats a score without a needless decimal: 3, 0.5, 92.5.
func Points(x float64) string {
	return strconv.FormatFloat(Round1(x), 'f', -1, 64)
}

// Validate checks a sheet before it is saved as a version: unique codes,
// the points of the scored tiers, grades from high to low.
func (s *Sheet) Validate() error {
	seen := map[string]bool{}
	for _, it := range s.Items {
		if it.Code == "" || seen[it.Code] {
			return fmt.Errorf("评查项编号“%s”为空或重复", it.Code)
		}
		seen[it.Code] = true
		if strings.TrimSpace(it.Text) == "" {
			return fmt.Errorf("%s：请填写评查内容", it.Code)
		}
		// Bounded like every text a user types (the sheet is printed on
		// every scoring page and report).
		if utf8.RuneCountInString(it.Code) > 10 || utf8.RuneCountInString(it.Category) > 20 ||
			utf8.RuneCountInString(it.Text) > 500 || utf8.RuneCountInString(it.Deduction) > 200 {
			return fmt.Errorf("%s：编号不超过10字、分类不超过20字、评查内容不超过500字、扣分标准不超过200字", it.Code)
		}
		if it.Tier == TierVeto && it.Points != 0 {
			return fmt.Errorf("%s：否决项不计分值", it.Code)
		}
		if it.Tier != TierVeto && (it.Points <= 0 || it.Points > 100) {
			return fmt.Errorf("%s：分值须大于0", it.Code)
		}
		if it.Step < 0 || it.Step > it.Points && it.Tier != TierVeto {
			return fmt.Errorf("%s：每处扣分不能超过分值", it.Code)
		}
	}
	if total := s.PointsOf(TierForm) + s.PointsOf(TierContent); math.Abs(total-100) > 0.01 {
		return fmt.Errorf("形式和内容评查项的分值合计须为100分（现为%s分）", Points(total))
	}
	if len(s.Grades) < 2 {
		return fmt.Errorf("至少设置两个等次")
	}
	for i, g := range s.Grades {
		if strings.TrimSpace(g.Name) == "" || utf8.RuneCountInString(g.Name) > 10 {
			return fmt.Errorf("请填写等次名称（不超过10字）")
		}
		if i > 0 && g.Min >= s.Grades[i-1].Min {
			return fmt.Errorf("等次“%s”的分数线须低于“%s”", g.Name, s.Grades[i-1].Name)
		}
	}
	return nil
}
