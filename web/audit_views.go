package web

import (
	"net/url"
	"strconv"

	"zhifa/internal/audit"
	"zhifa/internal/town"
)

// AuditData is the county's access log page.
type AuditData struct {
	Page   *audit.Page
	Filter url.Values
	Towns  []town.Town
}

// NextURL is the link to the next (older) page, keeping the filters.
func (d *AuditData) NextURL() string {
	v := url.Values{}
	for k, vs := range d.Filter {
		if k != "before" {
			v[k] = vs
		}
	}
	v.Set("before", strconv.FormatInt(d.Page.NextBefore, 10))
	return "/audit?" + v.Encode()
}

// auditObject names what an entry read: "文书 #12", "证据文件 #3", "案件页面".
func auditObject(e audit.Entry) string {
	s := e.What.Label()
	if e.ObjectID != nil {
		s += " #" + strconv.FormatInt(*e.ObjectID, 10)
	}
	return s
}
