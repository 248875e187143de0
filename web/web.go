// Package web holds the templ components (one layout, a view model per page)
// and the static assets.
package web

import (
	"embed"
	"strconv"
	"strings"

	"zhifa/internal/zhifa"
)

// Static holds the CSS served under /static/.
//
//go:embed static
var Static embed.FS

// Page is what the layout needs on every page.
type Page struct {
	Title     string
	Actor     *zhifa.Actor
	Flash     string
	CSRFToken string
	Path      string // the current path, to mark the active menu entry
	// Counts are the to-do counts shown beside menu entries, by href
	// (e.g. "/" → the home page's to-do total, "/review" → awaiting review).
	Counts map[string]int
	// IdleSeconds is the session's idle timeout, for the warning before
	// it logs out (0: no warning).
	IdleSeconds int
	// Notice is a message shown above the page's content (not a flash).
	Notice string
	// Restore is a form kept when the session expired, given back on the
	// page it came from (app.js fills the form; the page lists it too).
	Restore *Restore
}

// Restore is a kept form: the action it posts to and its fields in order.
type Restore struct {
	Action string      `json:"action"`
	Fields [][2]string `json:"fields"`
	Files  bool        `json:"files"` // it carried files, which must be chosen again
}

// NavItem is one entry of the role's menu.
type NavItem struct {
	Href, Label string
}

// Count is the to-do count shown beside the menu entry href (0: none).
func (p *Page) Count(href string) int { return p.Counts[href] }

// Nav returns the menu for the actor's role.
func (p *Page) Nav() []NavItem {
	a := p.Actor
	if a == nil {
		return []NavItem{{"/public", "公开信息"}, {"/public/towns", "执法事项公示"}, {"/login", "登录"}}
	}
	if a.Role == zhifa.RoleSupervisor {
		// A 执法监督员 reaches their own pages only (server.go).
		return []NavItem{{"/", "首页"}, {"/supervision/decisions", "处罚决定公示"}, {"/stats", "统计分析"},
			{"/supervision", "监督意见"}, {"/account/password", "修改密码"}}
	}
	items := []NavItem{{"/", "首页"}, {"/cases", "案件"}, {"/filings", "重大处罚备案"}, {"/evaluations", "案卷评查"}, {"/corrections", "整改任务"}}
	if a.Role == zhifa.RoleTownReviewer || a.Role == zhifa.RoleCountyReviewer {
		items = append(items, NavItem{"/review", "待审核"})
	}
	if a.Role.IsCounty() {
		items = append(items, NavItem{"/towns", "各镇执法队"})
	}
	items = append(items, NavItem{"/stats", "统计分析"}, NavItem{"/officers", "执法人员"}, NavItem{"/training", "培训记录"}, NavItem{"/authority", "执法事项清单"})
	if a.Role == zhifa.RoleLeader || a.Role == zhifa.RoleHead || a.Role.IsCounty() {
		items = append(items, NavItem{"/supervision", "监督意见"})
	}
	if a.Role.IsCounty() {
		items = append(items, NavItem{"/authority/catalogue", "事项目录"}, NavItem{"/authority/drafts", "清单草稿"}, NavItem{"/settings", "程序设置"}, NavItem{"/settings/documents", "文书设置"})
		items = append(items, NavItem{"/audit", "访问记录"})
	}
	if a.Role == zhifa.RoleCountyAdmin {
		items = append(items, NavItem{"/admin/users", "用户管理"})
	}
	return append(items, NavItem{"/account/password", "修改密码"})
}

// Active reports whether href is the current section: the longest menu
// entry that the path starts with.
func (p *Page) Active(href string) bool {
	best := ""
	for _, item := range p.Nav() {
		h := item.Href
		if (h == "/" && p.Path == "/") || (h != "/" && strings.HasPrefix(p.Path, h) && len(h) > len(best)) {
			best = h
		}
	}
	return best == href
}

// Form carries what the user typed and the messages per field, so a failed
// form is shown again with nothing lost.
type Form struct {
	Values map[string]string
	Errors zhifa.FieldErrors
	// Message is a form-wide error shown above the fields.
	Message string
}

// NewForm returns an empty form.
func NewForm() *Form { return &Form{Values: map[string]string{}, Errors: zhifa.FieldErrors{}} }

// Get returns the typed value of field.
func (f *Form) Get(field string) string { return f.Values[field] }

// Err returns the message for field, or "".
func (f *Form) Err(field string) string { return f.Errors[field] }

// HasErrors reports whether anything failed.
func (f *Form) HasErrors() bool { return len(f.Errors) > 0 || f.Message != "" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// shownKept says whether a kept form's field is worth listing to the user:
// not empty, and not one of the hidden fields that route the form.
func shownKept(name, value string) bool {
	switch name {
	case "idempotency_key", "action", "op", "step", "next":
		return false
	}
	return strings.TrimSpace(value) != ""
}
