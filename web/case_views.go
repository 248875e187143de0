package web

import (
	"net/url"
	"strconv"
	"time"

	"zhifa/internal/authority"
	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/filing"
	"zhifa/internal/officer"
	"zhifa/internal/town"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// CasesData is the case list.
type CasesData struct {
	Page     *cases.Page
	Filter   url.Values // as the user sent it, to keep the filter form filled
	Items    []authority.Listed
	Domains  []string
	Officers []officer.Officer
	Today    time.Time
	County   bool
	Title    string
	CanFile  bool
	Towns    []town.Town // the county's town filter
}

// NextURL is the link to the next page, keeping the filters.
func (d *CasesData) NextURL() string {
	v := url.Values{}
	for k, vs := range d.Filter {
		if k != "before" {
			v[k] = vs
		}
	}
	v.Set("before", strconv.FormatInt(d.Page.NextBefore, 10))
	return "/cases?" + v.Encode()
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
