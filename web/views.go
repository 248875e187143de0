package web

import (
	"time"

	"zhifa/internal/account"
	"zhifa/internal/cases"
	"zhifa/internal/officer"
	"zhifa/internal/town"
	"zhifa/internal/training"
	"zhifa/internal/zhifa"
)

// HomeData is the role's start page.
type HomeData struct {
	Today time.Time
	// Me is the acting officer's own record (field roles only).
	Me *officer.Officer
	// Attention lists officers whose certificates are expired, expiring or
	// missing, within what the actor may see.
	Attention []officer.Officer
	// Towns lists the towns for county roles.
	Towns []TownSummary
	Users int // accounts (administrator)
	// Due lists the town's cases with a deadline within 7 days or overdue
	// (镇负责人 and 法制审核员: the other town roles have their queues).
	Due []cases.Row
	// Remedies counts reconsiderations and lawsuits (county roles).
	Remedies *cases.RemedyStats
	// Todo is the actor's to-do: its role's queues (see home.templ).
	Todo *cases.Todo
	// TownsTodo counts each town's overdue cases and pending reviews
	// (county roles), the towns with something pending first.
	TownsTodo []cases.TownTodo
}

// TownSummary is one town on the county's pages.
type TownSummary struct {
	Town      town.Town
	Officers  int
	Attention int // certificates expired, expiring or missing
	// Remedies counts the town's reconsiderations and lawsuits (/towns).
	Remedies cases.RemedyStats
}

// OfficersData is the officer list.
type OfficersData struct {
	Today    time.Time
	Officers []officer.Officer
	Towns    []town.Town // for the filter (county roles)
	Filter   officer.Filter
	County   bool
	Title    string // e.g. "城关镇执法人员"
}

// OfficerData is one officer's page.
type OfficerData struct {
	Officer *officer.Officer
	CanEdit bool
	// Training is the officer's hours per year (training.OfficerHours).
	Training []training.YearHours
}

// UsersData is the administrator's user list.
type UsersData struct {
	Users  []account.User
	Towns  []town.Town
	Filter account.Filter
}

// UserFormData is the create / edit user form.
type UserFormData struct {
	ID    int64 // 0 when creating
	Form  *Form
	Towns []town.Town
	Roles []zhifa.Role
}

// StatusClass is the CSS class for a certificate status.
func StatusClass(s officer.CertStatus) string { return "status-" + string(s) }

// Date formats a local date as 2025-01-31.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// DaysLeft says how long a certificate has left.
func DaysLeft(o officer.Officer) string {
	switch {
	case o.Certificate == nil:
		return ""
	case o.DaysLeft < 0:
		return "已过期" + itoa(int64(-o.DaysLeft)) + "天"
	case o.DaysLeft == 0:
		return "今日到期"
	}
	return "剩余" + itoa(int64(o.DaysLeft)) + "天"
}
