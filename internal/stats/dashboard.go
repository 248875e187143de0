package stats

import (
	"fmt"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/officer"
	"zhifa/internal/town"
	"zhifa/internal/workflow"
)

// Input is what the page is built from: the summary numbers cases reads,
// the officers' certificates and the towns shown.
type Input struct {
	Period Period
	Today  time.Time
	// Place is whose figures: 紫阳县 or a town's name.
	Place string
	// Towns are the towns the tables list, in order (every town for the
	// county; the one town otherwise).
	Towns    []town.Town
	Stats    *cases.PeriodStats
	Remedies []cases.RemedyGroup
	Overdue  map[int64]int // cases overdue today, per town
	Officers []officer.Officer
}

// Dashboard is the statistics page and its XLSX.
type Dashboard struct {
	Place          string
	Period, Before Period
	Today          time.Time
	Headline       []Figure
	// Clean is "零复议纠错、零诉讼败诉" for the period: no reconsideration
	// corrected and no lawsuit lost.
	Clean bool
	// Remedies says the period's reconsiderations and lawsuits in words.
	Remedies string
	Charts   []Chart
	Tables   []Table
}

// Figure is one headline number, beside the year before's.
type Figure struct {
	Label  string
	Now    Cell
	Before *Cell // nil for a number of today (the overdue cases)
	Rate   Cell
	Unit   string
}

// Build makes the page from in.
func Build(in Input) *Dashboard {
	d := &Dashboard{Place: in.Place, Period: in.Period, Before: in.Period.YearBefore(), Today: in.Today}
	var total cases.PeriodGroup
	byTown := map[int64]cases.PeriodGroup{}
	var domains, items, sources, procedures []cases.PeriodGroup
	for _, g := range in.Stats.Groups {
		switch g.By {
		case "":
			total = g
		case cases.ByTown:
			byTown[g.TownID] = g
		case cases.ByDomain:
			domains = append(domains, g)
		case cases.ByItem:
			items = append(items, g)
		case cases.BySource:
			sources = append(sources, g)
		case cases.ByProcedure:
			procedures = append(procedures, g)
		}
	}
	overdue := 0
	for _, t := range in.Towns {
		overdue += in.Overdue[t.ID]
	}
	rem := remedyTotals(in.Remedies)
	recon, lit := rem["reconsideration"], rem["litigation"]
	d.Clean = recon.Now.Corrected == 0 && lit.Now.Corrected == 0
	d.Remedies = fmt.Sprintf("本期行政复议：提起 %d 件，纠错 %d 件；行政诉讼：提起 %d 件，败诉 %d 件。",
		recon.Now.Filed, recon.Now.Corrected, lit.Now.Filed, lit.Now.Corrected)

	figure := func(label, unit string, now, before Cell) Figure {
		return Figure{Label: label, Unit: unit, Now: now, Before: &before, Rate: rateCell(now.Value, before.Value)}
	}
	n, b := &total.Now, &total.Before
	d.Headline = []Figure{
		figure("立案", "件", countCell(n.Filed), countCell(b.Filed)),
		figure("结案", "件", countCell(n.Closed), countCell(b.Closed)),
		figure("期末在办", "件", countCell(total.Pending), countCell(total.PendingBefore)),
		figure("罚款决定金额", "元", yuanCell(n.FineFen), yuanCell(b.FineFen)),
		figure("实收罚款", "元", yuanCell(n.CollectedFen), yuanCell(b.CollectedFen)),
		{Label: "当前逾期", Unit: "件", Now: countCell(overdue)},
	}

	d.Tables = append(d.Tables, overviewTable(total, recon, lit), townsTable(in, byTown, total))
	months := monthsTable(in)
	d.Tables = append(d.Tables, months)
	named := func(g cases.PeriodGroup) string { return g.Name }
	d.Tables = append(d.Tables,
		dimTable("domains", "按执法领域", "执法领域", domains, total, named),
		dimTable("items", "按执法事项", "执法事项", items, total, named),
		dimTable("sources", "按案件来源", "案件来源", sources, total, func(g cases.PeriodGroup) string {
			return cases.Label(cases.Sources, g.Source)
		}),
		dimTable("procedures", "按办案程序", "程序", procedures, total, func(g cases.PeriodGroup) string {
			return workflow.Procedure(g.Procedure).Label()
		}),
		remediesTable(in, rem),
		certificatesTable(in))

	// The charts: the towns (the county's page), the months, the domains.
	if len(in.Towns) > 1 {
		var bars []BarPair
		for _, t := range in.Towns {
			g := byTown[t.ID]
			bars = append(bars, BarPair{Label: t.Name, Now: g.Now.Filed, Before: g.Before.Filed})
		}
		d.Charts = append(d.Charts, HorizontalBars("chart-towns", "各镇立案数", bars, d.Period.Label(), d.Before.Label()))
	}
	var monthBars []BarPair
	multiYear := in.Period.From.Year() != in.Period.Last().Year()
	for i, m := range in.Period.EachMonth() {
		label := fmt.Sprintf("%d月", m.Month())
		if multiYear {
			label = fmt.Sprintf("%02d.%d", m.Year()%100, m.Month())
		}
		r := months.Rows[i]
		monthBars = append(monthBars, BarPair{Label: label, Now: int(r.Cells[0].Value), Before: int(r.Cells[1].Value)})
	}
	d.Charts = append(d.Charts, VerticalBars("chart-months", "各月立案数", monthBars, d.Period.Label(), d.Before.Label()))
	var domainBars []BarPair
	for _, g := range domains {
		domainBars = append(domainBars, BarPair{Label: g.Name, Now: g.Now.Filed, Before: g.Before.Filed})
	}
	d.Charts = append(d.Charts, HorizontalBars("chart-domains", "各执法领域立案数", domainBars, d.Period.Label(), d.Before.Label()))
	return d
}

// remedyTotal is the reconsiderations or lawsuits of every town shown.
type remedyTotal struct {
	Now, Before cases.RemedyCounts
	Pending     int
}

func remedyTotals(groups []cases.RemedyGroup) map[string]remedyTotal {
	out := map[string]remedyTotal{}
	for _, g := range groups {
		t := out[g.Kind]
		t.Now = addRemedies(t.Now, g.Now)
		t.Before = addRemedies(t.Before, g.Before)
		t.Pending += g.Pending
		out[g.Kind] = t
	}
	return out
}

func addRemedies(a, b cases.RemedyCounts) cases.RemedyCounts {
	return cases.RemedyCounts{Filed: a.Filed + b.Filed, Decided: a.Decided + b.Decided, Upheld: a.Upheld + b.Upheld,
		Corrected: a.Corrected + b.Corrected, Withdrawn: a.Withdrawn + b.Withdrawn}
}

// compared is a row of the overview: now, the year before, the change and
// its rate.
func compared(label string, now, before Cell) Row {
	return Row{Label: label, Cells: []Cell{now, before, changeCell(now, before), rateCell(now.Value, before.Value)}}
}

func overviewTable(t cases.PeriodGroup, recon, lit remedyTotal) Table {
	n, b := &t.Now, &t.Before
	c := func(label string, now, before int) Row { return compared(label, countCell(now), countCell(before)) }
	y := func(label string, now, before int64) Row { return compared(label, yuanCell(now), yuanCell(before)) }
	return Table{
		ID: "overview", Title: "总体情况",
		Head: []string{"项目", "本期", "上年同期", "增减", "增减率"},
		Rows: []Row{
			c("登记案源（件）", n.Registered, b.Registered),
			c("立案（件）", n.Filed, b.Filed),
			c("不予立案（件）", n.NotFiled, b.NotFiled),
			c("作出决定（件）", n.Decided, b.Decided),
			c("其中：不予处罚（件）", n.NoPenalty, b.NoPenalty),
			c("办结（件）", n.Ended, b.Ended),
			c("其中：结案（件）", n.Closed, b.Closed),
			c("其中：移送（件）", n.Transferred, b.Transferred),
			c("其中：撤销立案（件）", n.Revoked, b.Revoked),
			c("期末在办（件）", t.Pending, t.PendingBefore),
			c("延长办案期限（件）", n.Extended, b.Extended),
			compared("平均办案天数（天）", daysCell(n.AverageHandlingDays()), daysCell(b.AverageHandlingDays())),
			c("最长办案天数（天）", n.HandlingDaysMax, b.HandlingDaysMax),
			c("举行听证（次）", n.Hearings, b.Hearings),
			c("法制审核（次）", n.Reviews, b.Reviews),
			c("其中：退回补充调查（次）", n.ReviewsReturned, b.ReviewsReturned),
			c("其中：审核不通过（次）", n.ReviewsFailed, b.ReviewsFailed),
			y("罚款决定金额（元）", n.FineFen, b.FineFen),
			y("其中：已缴纳（元）", n.PaidFen, b.PaidFen),
			y("其中：未缴纳（元）", n.OutstandingFen(), b.OutstandingFen()),
			y("实收罚款（元）", n.CollectedFen, b.CollectedFen),
			y("加处罚款（元）", n.SurchargeFen, b.SurchargeFen),
			c("行政复议（件）", recon.Now.Filed, recon.Before.Filed),
			c("复议纠错（件）", recon.Now.Corrected, recon.Before.Corrected),
			c("行政诉讼（件）", lit.Now.Filed, lit.Before.Filed),
			c("诉讼败诉（件）", lit.Now.Corrected, lit.Before.Corrected),
		},
		Note: "每件案件计入其各项事件发生的月份：登记、立案、作出决定、办结、听证；缴款、法制审核、复议和诉讼计入其发生的月份。" +
			"罚款决定金额及其已缴纳、未缴纳，指本期作出的决定，已缴纳含期后缴纳；实收罚款指本期收到的罚款（冲正计入冲正当月）。" +
			"办结含结案、不予处罚、撤销立案和移送；办案天数为立案至办结的天数。在办指已立案尚未办结。" +
			"行政复议、行政诉讼按提起之日计，纠错、败诉按复议决定、判决之日计。",
	}
}

func townsTable(in Input, byTown map[int64]cases.PeriodGroup, total cases.PeriodGroup) Table {
	t := Table{
		ID: "towns", Title: "各镇情况",
		Head: []string{"镇", "立案", "上年同期立案", "增减率", "作出决定", "结案", "期末在办", "延长期限", "当前逾期",
			"罚款决定（元）", "已缴纳（元）", "未缴纳（元）", "平均办案天数", "最长办案天数", "听证", "审核退回"},
		Note: "当前逾期为今天已过下一期限的案件（与案件列表的“已逾期”相同），不随统计期间变化。",
	}
	row := func(label string, g cases.PeriodGroup, overdue int) Row {
		n := &g.Now
		return Row{Label: label, Cells: []Cell{countCell(n.Filed), countCell(g.Before.Filed), rateCell(float64(n.Filed), float64(g.Before.Filed)),
			countCell(n.Decided), countCell(n.Closed), countCell(g.Pending), countCell(n.Extended), countCell(overdue),
			yuanCell(n.FineFen), yuanCell(n.PaidFen), yuanCell(n.OutstandingFen()), daysCell(n.AverageHandlingDays()),
			countCell(n.HandlingDaysMax), countCell(n.Hearings), countCell(n.ReviewsReturned)}}
	}
	overdue := 0
	for _, town := range in.Towns {
		t.Rows = append(t.Rows, row(town.Name, byTown[town.ID], in.Overdue[town.ID]))
		overdue += in.Overdue[town.ID]
	}
	if len(in.Towns) > 1 {
		r := row("合计", total, overdue)
		t.Total = &r
	}
	return t
}

func monthsTable(in Input) Table {
	t := Table{
		ID: "months", Title: "按月份",
		Head: []string{"月份", "立案", "上年同月立案", "作出决定", "结案", "月末在办", "罚款决定（元）", "实收罚款（元）"},
	}
	byMonth := map[time.Time]cases.MonthLine{}
	for _, m := range in.Stats.Months {
		byMonth[month(m.Month.Year(), m.Month.Month())] = m
	}
	var sum cases.MonthLine
	beforeFiled := 0
	for _, m := range in.Period.EachMonth() {
		now, before := byMonth[m], byMonth[m.AddDate(-1, 0, 0)]
		t.Rows = append(t.Rows, Row{Label: fmt.Sprintf("%d年%d月", m.Year(), m.Month()), Cells: []Cell{countCell(now.Filed),
			countCell(before.Filed), countCell(now.Decided), countCell(now.Closed), countCell(now.Pending),
			yuanCell(now.FineFen), yuanCell(now.CollectedFen)}})
		sum.Filed += now.Filed
		sum.Decided += now.Decided
		sum.Closed += now.Closed
		sum.FineFen += now.FineFen
		sum.CollectedFen += now.CollectedFen
		sum.Pending = now.Pending
		beforeFiled += before.Filed
	}
	t.Total = &Row{Label: "合计", Cells: []Cell{countCell(sum.Filed), countCell(beforeFiled), countCell(sum.Decided),
		countCell(sum.Closed), countCell(sum.Pending), yuanCell(sum.FineFen), yuanCell(sum.CollectedFen)}}
	t.Note = "月末在办为各月月末已立案尚未办结的案件；合计行为期末数。"
	return t
}

func dimTable(id, title, first string, groups []cases.PeriodGroup, total cases.PeriodGroup, label func(cases.PeriodGroup) string) Table {
	t := Table{
		ID: id, Title: title,
		Head: []string{first, "立案", "上年同期立案", "增减率", "作出决定", "结案", "期末在办", "罚款决定（元）", "已缴纳（元）"},
	}
	row := func(label string, g cases.PeriodGroup) Row {
		n := &g.Now
		return Row{Label: label, Cells: []Cell{countCell(n.Filed), countCell(g.Before.Filed), rateCell(float64(n.Filed), float64(g.Before.Filed)),
			countCell(n.Decided), countCell(n.Closed), countCell(g.Pending), yuanCell(n.FineFen), yuanCell(n.PaidFen)}}
	}
	for _, g := range groups {
		t.Rows = append(t.Rows, row(label(g), g))
	}
	r := row("合计", total)
	t.Total = &r
	return t
}

func remediesTable(in Input, totals map[string]remedyTotal) Table {
	t := Table{
		ID: "remedies", Title: "行政复议和行政诉讼",
		Head: []string{"镇", "复议提起", "复议维持", "复议纠错", "复议撤回", "复议审理中", "诉讼提起", "诉讼胜诉", "诉讼败诉", "诉讼撤回", "诉讼审理中"},
		Note: "提起计入提起当月，结果计入作出当月；审理中为期末尚无结果的件数。纠错指复议决定撤销、变更或确认违法，败诉指诉讼判决撤销、变更或确认违法。",
	}
	type pair struct{ recon, lit remedyTotal }
	byTown := map[int64]*pair{}
	for _, g := range in.Remedies {
		p := byTown[g.TownID]
		if p == nil {
			p = &pair{}
			byTown[g.TownID] = p
		}
		rt := remedyTotal{Now: g.Now, Before: g.Before, Pending: g.Pending}
		if g.Kind == "litigation" {
			p.lit = rt
		} else {
			p.recon = rt
		}
	}
	row := func(label string, recon, lit remedyTotal) Row {
		return Row{Label: label, Cells: []Cell{countCell(recon.Now.Filed), countCell(recon.Now.Upheld), countCell(recon.Now.Corrected),
			countCell(recon.Now.Withdrawn), countCell(recon.Pending), countCell(lit.Now.Filed), countCell(lit.Now.Upheld),
			countCell(lit.Now.Corrected), countCell(lit.Now.Withdrawn), countCell(lit.Pending)}}
	}
	for _, town := range in.Towns {
		p := byTown[town.ID]
		if p == nil {
			p = &pair{}
		}
		t.Rows = append(t.Rows, row(town.Name, p.recon, p.lit))
	}
	if len(in.Towns) > 1 {
		r := row("合计", totals["reconsideration"], totals["litigation"])
		t.Total = &r
	}
	return t
}

// certStatuses are the certificate columns, in order.
var certStatuses = []officer.CertStatus{officer.CertValid, officer.CertExpiring, officer.CertExpired, officer.CertNotYet, officer.CertMissing}

func certificatesTable(in Input) Table {
	t := Table{
		ID: "certificates", Title: "执法证状况",
		Head: []string{"镇", "执法人员", "有效", "即将到期", "已过期", "尚未生效", "未登记执法证"},
		Note: "截至今天（" + in.Today.Format("2006-01-02") + "）在岗的执法队员和队长；即将到期为30日内到期。不随统计期间变化。",
	}
	counts := map[int64]map[officer.CertStatus]int{}
	for _, o := range in.Officers {
		if !o.Active {
			continue
		}
		if counts[o.TownID] == nil {
			counts[o.TownID] = map[officer.CertStatus]int{}
		}
		counts[o.TownID][o.Status]++
		counts[o.TownID][""]++
	}
	row := func(label string, c map[officer.CertStatus]int) Row {
		r := Row{Label: label, Cells: []Cell{countCell(c[""])}}
		for _, st := range certStatuses {
			r.Cells = append(r.Cells, countCell(c[st]))
		}
		return r
	}
	sum := map[officer.CertStatus]int{}
	for _, town := range in.Towns {
		c := counts[town.ID]
		for k, v := range c {
			sum[k] += v
		}
		t.Rows = append(t.Rows, row(town.Name, c))
	}
	if len(in.Towns) > 1 {
		r := row("合计", sum)
		t.Total = &r
	}
	return t
}
