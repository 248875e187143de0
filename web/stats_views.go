package web

import (
	"net/url"

	"zhifa/internal/stats"
	"zhifa/internal/town"
)

// StatsData is the statistics page (统计分析): the period form and, when
// it was filled right, the figures.
type StatsData struct {
	// Form holds the period asked for (from, to: 2025-01) and the town
	// (county roles), with their errors.
	Form *Form
	// County: the form offers the towns.
	County bool
	Towns  []town.Town
	// Dashboard is nil when the form has errors.
	Dashboard *stats.Dashboard
}

// Query is the page's query string, for the XLSX link.
func (d *StatsData) Query() string {
	v := url.Values{}
	for _, k := range []string{"from", "to", "town"} {
		if s := d.Form.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// statsCellClass is a number cell's classes: right-aligned, and a change
// marked up or down.
func statsCellClass(c stats.Cell) string {
	if s := c.Sign(); s != "" {
		return "num change-" + s
	}
	return "num"
}
