package web

import (
	"strconv"
	"time"

	"zhifa/internal/evaluation"
	"zhifa/internal/town"
)

// EvalListData is the list of evaluation rounds.
type EvalListData struct {
	Rounds  []*evaluation.Round
	Towns   []town.Town // the county's town filter
	Town    string
	County  bool
	CanOpen bool // a county reviewer
}

// EvalPerson is a county reviewer who may score.
type EvalPerson struct {
	ID   int64
	Name string
}

// EvalNewData is the form that opens a round.
type EvalNewData struct {
	Form      *Form
	Towns     []town.Town
	Reviewers []EvalPerson
	Ticked    map[string]bool // towns and reviewers ticked: "town_12", "reviewer_3"
}

// EvalRoundData is one round's page.
type EvalRoundData struct {
	P        *evaluation.RoundPage
	Towns    []town.Town
	Town     string
	County   bool
	CanClose bool
}

// EvalDossierData is the scoring page of one dossier.
type EvalDossierData struct {
	P    *evaluation.DossierPage
	Form *Form
}

// EvalReportData is a round's report.
type EvalReportData struct {
	R     *evaluation.Report
	Today time.Time
}

// EvalSheetData is the score sheet and, for the administrator, its editor.
type EvalSheetData struct {
	Current  *evaluation.Sheet
	Versions []*evaluation.Sheet
	Form     *Form
	Rows     int // rows of the editor: the items and blank ones to add
	Grades   int
	CanEdit  bool
	Today    time.Time
}

func roundPath(id int64) string { return "/evaluations/" + itoa(id) }

func dossierPath(roundID, id int64) string { return roundPath(roundID) + "/dossiers/" + itoa(id) }

func pts(p *float64) string {
	if p == nil {
		return ""
	}
	return evaluation.Points(*p)
}

func period(r *evaluation.Round) string { return Date(r.PeriodFrom) + " 至 " + Date(r.PeriodTo) }

func joined(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += "、"
		}
		out += n
	}
	return out
}

func idx(prefix string, i int) string { return prefix + strconv.Itoa(i) }

func tierOptions() []Option {
	var out []Option
	for _, t := range evaluation.Tiers {
		out = append(out, Option{string(t), t.Label()})
	}
	return out
}

func townLabel(name string) string {
	if name == "" {
		return "县司法局"
	}
	return name
}

// autoText is what the record says about an item, for the sheet.
func autoText(sc *evaluation.Score) string {
	if sc.AutoResult == "" {
		return "人工评查"
	}
	s := evaluation.ResultLabel(sc.AutoResult)
	if sc.Item.Tier != evaluation.TierVeto && sc.AutoDeduction > 0 {
		s += "，扣" + evaluation.Points(sc.AutoDeduction) + "分"
	}
	return s
}

// finalText is the reviewer's result of an item.
func finalText(sc *evaluation.Score) string {
	if sc.Result == "" {
		return "未评"
	}
	if sc.Item.Tier == evaluation.TierVeto {
		return evaluation.ResultLabel(sc.Result)
	}
	if sc.Deduction > 0 {
		return "扣" + evaluation.Points(sc.Deduction) + "分"
	}
	return evaluation.ResultLabel(sc.Result)
}

func resultClass(r string) string {
	switch r {
	case evaluation.ResultFail:
		return "badge due-overdue"
	case evaluation.ResultPass:
		return "badge due-met"
	}
	return "badge"
}

func gradeClass(d *evaluation.Dossier) string {
	if d.Veto || d.Grade == "不合格" {
		return "badge due-overdue"
	}
	return "badge due-met"
}

func vetoOptions() []Option {
	return []Option{{evaluation.ResultPass, "符合"}, {evaluation.ResultFail, "不符合"}}
}
