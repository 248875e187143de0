package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhifa/internal/authority"
	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/filing"
	"zhifa/internal/officer"
	"zhifa/internal/publication"
	"zhifa/internal/town"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// CasesData is the case list.
type CasesData struct {
	Page *cases.Page
	// Filter holds the valid filters as the form shows them and every link
	// of the page keeps them (town, state, item, officer, domain, from, to,
	// due, q): neither the order nor the page.
	Filter    url.Values
	Sort      cases.Sort // the order shown
	SortGiven bool       // the order was asked for (else the default for the filter)
	Notes     []string   // what of the query string was ignored, and why
	Items     []authority.Listed
	Domains   []string
	Officers  []officer.Officer
	Today     time.Time
	County    bool
	Title     string
	CanFile   bool
	Towns     []town.Town // the county's town filter
}

// CaseFilterKeys are the case list's filter parameters, in the order the
// filter is told in words.
var CaseFilterKeys = []string{"town", "state", "item", "officer", "domain", "from", "to", "due", "q"}

// FilterCount is how many filters are set.
func (d *CasesData) FilterCount() int {
	n := 0
	for _, k := range CaseFilterKeys {
		if d.Filter.Get(k) != "" {
			n++
		}
	}
	return n
}

// FilterSummary is the filter form's fold: 筛选条件（N项）.
func (d *CasesData) FilterSummary() string {
	if n := d.FilterCount(); n > 0 {
		return "筛选条件（" + strconv.Itoa(n) + "项）"
	}
	return "筛选条件"
}

// query is the filters with the order, for a link of this list.
func (d *CasesData) query(s cases.Sort) url.Values {
	v := url.Values{}
	for _, k := range CaseFilterKeys {
		if x := d.Filter.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	v.Set("sort", string(s))
	return v
}

// NextURL is the link to the next page, keeping the filters and the order.
func (d *CasesData) NextURL() string {
	v := d.query(d.Sort)
	next := d.Page.Next
	if d.Sort == cases.SortDue {
		v.Set("after", strconv.FormatInt(next.ID, 10))
		if next.Due != nil {
			v.Set("after_due", next.Due.Format(time.DateOnly))
		}
	} else {
		v.Set("before", strconv.FormatInt(next.ID, 10))
	}
	return "/cases?" + v.Encode()
}

// SortURL is the first page of the list in the order s.
func (d *CasesData) SortURL(s cases.Sort) string { return "/cases?" + d.query(s).Encode() }

// ExportURL is the XLSX download of the whole filtered list, in its order.
func (d *CasesData) ExportURL() string { return "/cases.xlsx?" + d.query(d.Sort).Encode() }

// FilterWords is the filter and the order in words, for the download.
func (d *CasesData) FilterWords() string {
	var parts []string
	add := func(label, v string) { parts = append(parts, label+"："+v) }
	if c := d.Filter.Get("town"); c != "" {
		name := c
		for _, t := range d.Towns {
			if t.Code == c {
				name = t.Name
			}
		}
		add("镇", name)
	}
	if s := d.Filter.Get("state"); s != "" {
		add("状态", workflow.State(s).Label())
	}
	if id := d.Filter.Get("item"); id != "" {
		name := "编号" + id
		for _, it := range d.Items {
			if itoa(it.ItemID) == id {
				name = it.Name
			}
		}
		add("事项", name)
	}
	if id := d.Filter.Get("officer"); id != "" {
		name := "编号" + id
		for _, o := range d.Officers {
			if itoa(o.UserID) == id {
				name = o.DisplayName
			}
		}
		add("承办人", name)
	}
	if s := d.Filter.Get("domain"); s != "" {
		add("领域", s)
	}
	from, to := d.Filter.Get("from"), d.Filter.Get("to")
	switch {
	case from != "" && to != "":
		add("立案日期", from+" 至 "+to)
	case from != "":
		add("立案日期", from+" 起")
	case to != "":
		add("立案日期", "至 "+to)
	}
	if s := d.Filter.Get("due"); s != "" {
		add("期限", DueFilterLabel(s))
	}
	if s := d.Filter.Get("q"); s != "" {
		add("搜索", s)
	}
	words := "全部案件"
	if len(parts) > 0 {
		words = strings.Join(parts, "；")
	}
	return words + "；排序：" + d.Sort.Label()
}

// DueFilters are the choices of the list's 期限 filter.
var DueFilters = []Option{{"overdue", "已逾期"}, {"soon", "7日内到期或已逾期"}}

// DueFilterLabel names a 期限 filter.
func DueFilterLabel(v string) string {
	for _, o := range DueFilters {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// CaseFormData is the filing form.
type CaseFormData struct {
	Form     *Form
	Items    []authority.Listed
	Officers []officer.Officer
	Checked  map[int64]bool
	Today    time.Time
	Villages []string // the town's villages and communities: the place of the act
}

// CaseData is the case page.
type CaseData struct {
	Case        *cases.Case
	Transitions []cases.Choice
	Steps       []cases.Step
	Today       time.Time
	ShowParty   bool // the whole ID number and phone
	Form        *Form
	FormAction  string // the action whose form failed, to show its error there
	CanUpload   bool
	ItemRange   string   // the item's legal penalties, for the proposal form
	Villages    []string // the town's villages, for correcting the place
	// ChairOptions are the town's staff who may chair a hearing (not handlers);
	// ReplacementOptions the certified officers who may replace a recused one.
	ChairOptions, ReplacementOptions []Option
	// CoercionItems are the 行政强制 items of the town's list in force
	// today, for the seizure and forced-demolition forms.
	CoercionItems []Option
	// DiscussionOptions are the town's heads and team leaders, to tick
	// those who sat in the collective discussion (APL art. 57 ¶2).
	DiscussionOptions []Option
	// Docs are the case's documents: issued (with their services) and
	// those that can be made now.
	Docs *CaseDocsData
	// Filing is the obligation to file the decision as a major one with
	// the county, or nil.
	Filing *filing.Filing
	// Publication is the decision's publication (处罚决定公示), or nil.
	Publication *publication.Status
}

func yuanInput(fen int64) string { return zhifa.FormatYuan(fen) }

// StateClass is the CSS class of a state badge.
func StateClass(s workflow.State) string { return "state-" + string(s) }

// DueClass is the CSS class of a deadline status.
func DueClass(s deadline.Status) string { return "due-" + string(s) }

// DateP formats an optional date.
func DateP(t *time.Time) string {
	if t == nil {
		return ""
	}
	return Date(*t)
}

// DaysLeftText says how many days a deadline has.
func DaysLeftText(d deadline.Deadline) string {
	switch d.Status {
	case deadline.Overdue:
		return "逾期" + itoa(int64(-d.DaysLeft)) + "天"
	case deadline.Running, deadline.DueSoon:
		if d.DaysLeft == 0 {
			return "今日到期"
		}
		return "剩余" + itoa(int64(d.DaysLeft)) + "天"
	}
	return ""
}

// SizeText formats a file size.
func SizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return itoa(n) + " 字节"
}

var cstZone = time.FixedZone("CST", 8*3600)
