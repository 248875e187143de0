package web

import (
	"net/url"
	"strconv"
	"time"

	"zhifa/internal/authority"
	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/publication"
	"zhifa/internal/town"
	"zhifa/internal/zhifa"
)

// PublicationData is a case's publication page (/cases/{id}/publication):
// its status, the preview of the redacted text, and the forms the actor
// may use.
type PublicationData struct {
	Case   *cases.Case
	Status *publication.Status
	Draft  *publication.Draft // the preview; nil when there is nothing to publish
	Today  time.Time
	// PreviewForm carries the extra names; PublishForm the publish
	// button's message; ExemptForm and WithdrawForm their own.
	PreviewForm, PublishForm, ExemptForm, WithdrawForm *Form
	// Top carries a refusal whose form is no longer on the page.
	Top *Form
}

// GroundOptions are the grounds not to publish, for the form.
func GroundOptions() []Option {
	out := make([]Option, 0, len(publication.Grounds))
	for _, g := range publication.Grounds {
		out = append(out, Option{Value: string(g.Ground), Label: g.Label})
	}
	return out
}

// casePath is the case's page.
func casePath(id int64) string { return "/cases/" + itoa(id) }

// publicationPath is the case's publication page.
func publicationPath(id int64) string { return casePath(id) + "/publication" }

// publicDecisionPath is a published decision's public page.
func publicDecisionPath(id int64) string { return "/public/decisions/" + itoa(id) }

// periodLeft says how long a publication period has: 剩余3天, 今日到期, 逾期2天.
func periodLeft(s deadline.Status, left int) string {
	switch {
	case s == deadline.Overdue:
		return "逾期" + itoa(int64(-left)) + "天"
	case left == 0:
		return "今日到期"
	}
	return "剩余" + itoa(int64(left)) + "天"
}

// PublicHomeData is the public home page (/public).
type PublicHomeData struct {
	County   town.County
	Towns    []town.Town
	Lists    map[int64]authority.Version // each town's list in force today
	Counts   map[int64]int               // each town's standing published decisions
	Headline *publication.Headline
	Latest   []publication.Public
	Today    time.Time
}

// PublicDecisionsData is a list of published decisions: a town's, or the
// county's across towns.
type PublicDecisionsData struct {
	County   town.County
	Town     *town.Town  // nil: the county page
	Towns    []town.Town // the county page's town filter
	TownCode string      // the town chosen in the filter
	Q        string
	Rows     []publication.Public
	Total    int
	Page     int
	Pages    int
	BasePath string
	Today    time.Time
}

// PageHref is the list's page n with the same search.
func (d *PublicDecisionsData) PageHref(n int) string {
	q := "?page=" + strconv.Itoa(n)
	if d.Q != "" {
		q += "&q=" + url.QueryEscape(d.Q)
	}
	if d.TownCode != "" {
		q += "&town=" + url.QueryEscape(d.TownCode)
	}
	return d.BasePath + q
}

// First is the row number of the page's first row.
func (d *PublicDecisionsData) First() int { return (d.Page-1)*publication.PageSize + 1 }

// PublicDecisionData is one published decision's public page.
type PublicDecisionData struct {
	County town.County
	D      *publication.Public
}

// WanYuan writes an amount in 万元 as county reports do: 91.5万元; below
// ten thousand yuan, in yuan.
func WanYuan(fen int64) string {
	if fen < 1_000_000 {
		return zhifa.Yuan(fen)
	}
	s := strconv.FormatFloat(float64(fen)/1_000_000, 'f', 2, 64)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s + "万元"
}
