package web

import (
	"net/url"
	"time"

	"zhifa/internal/authority"
	"zhifa/internal/town"
)

// ListData is a town's item list as the public (and town users) read it.
type ListData struct {
	Town     town.Town
	County   town.County
	Version  *authority.Version // nil when no list was in force that day
	Items    []authority.Listed // after filtering, in order
	Total    int                // items in the version
	Filter   authority.Filter
	Domains  []string // domains present in the version, for the filter
	On       string   // the date asked for, as typed
	OnDay    time.Time
	Message  string // why there is nothing to show
	BasePath string // the page's path; downloads add .csv / .xlsx
	Public   bool
	// Internal pages only.
	Versions []authority.Version
	Today    time.Time
}

// Groups groups the shown items by domain.
func (d *ListData) Groups() []authority.Group { return authority.GroupByDomain(d.Items) }

// Query is the page's query string, for download and version links.
func (d *ListData) Query() string {
	v := url.Values{}
	if d.On != "" {
		v.Set("on", d.On)
	}
	if d.Filter.Domain != "" {
		v.Set("domain", d.Filter.Domain)
	}
	if d.Filter.Q != "" {
		v.Set("q", d.Filter.Q)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// PublicTownsData is the index of all towns' lists.
type PublicTownsData struct {
	Towns    []town.Town
	Current  map[int64]authority.Version
	Today    time.Time
	County   town.County
	Internal bool // linked to the internal pages instead of the public ones
}

// ChineseDate writes 2025年7月1日.
func ChineseDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006年1月2日")
}

// CatalogueData is the county's catalogue page.
type CatalogueData struct {
	Items   []authority.Item
	Domains []authority.Domain
	Filter  authority.Filter
	CanEdit bool
	Total   int
}

// ItemFormData is the catalogue item form.
type ItemFormData struct {
	ID      int64
	Form    *Form
	Domains []authority.Domain
	Kinds   []string
}

// DomainsData is the managed list of domains.
type DomainsData struct {
	Domains []authority.Domain
	Form    *Form
}

// DraftsData lists drafts and starts a new one.
type DraftsData struct {
	Drafts  []authority.Draft
	Towns   []town.Town
	Form    *Form
	Checked map[int64]bool // towns ticked in the new-draft form
	CanEdit bool
}

// TownNames names the towns of a draft.
func (d *DraftsData) TownNames(ids []int64) string { return townNames(d.Towns, ids) }

func townNames(towns []town.Town, ids []int64) string {
	s := ""
	for _, id := range ids {
		for _, t := range towns {
			if t.ID == id {
				if s != "" {
					s += "、"
				}
				s += t.Name
			}
		}
	}
	return s
}

// DraftData is one draft: its selection, the differences, publishing.
type DraftData struct {
	Draft    *authority.Draft
	Towns    []town.Town
	Catalog  []authority.Item
	Diffs    []authority.Diff
	Selected map[int64]bool
	InDraft  map[int64]bool // towns of the draft
	Form     *Form          // the publish form
	Today    time.Time
	CanEdit  bool
}

// TownName names one town.
func (d *DraftData) TownName(id int64) string { return townNames(d.Towns, []int64{id}) }

// Open reports whether the draft can still change.
func (d *DraftData) Open() bool { return d.Draft.Status == "draft" && d.CanEdit }

// CatalogGroups groups the catalogue by domain for the selection form.
func (d *DraftData) CatalogGroups() [][]authority.Item {
	var out [][]authority.Item
	for _, it := range d.Catalog {
		if len(out) == 0 || out[len(out)-1][0].Domain != it.Domain {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], it)
	}
	return out
}

func domainOptions(domains []authority.Domain) []Option {
	out := make([]Option, len(domains))
	for i, d := range domains {
		out[i] = Option{itoa(d.ID), d.Name}
	}
	return out
}
