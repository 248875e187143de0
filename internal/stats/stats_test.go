package stats

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhifa/internal/cases"
	"zhifa/internal/officer"
	"zhifa/internal/town"
	"zhifa/internal/zhifa"
)

var today = time.Date(2025, 9, 15, 0, 0, 0, 0, zhifa.Local)

func TestParsePeriod(t *testing.T) {
	cases := []struct {
		from, to   string
		want       string // the label, or the field with an error
		wantBefore string
	}{
		{"", "", "2025年1月至9月", "2024年1月至9月"},
		{"2025-03", "2025-03", "2025年3月", "2024年3月"},
		{"2024-07", "2025-06", "2024年7月至2025年6月", "2023年7月至2024年6月"},
		{"2024-02", "", "2024年2月至12月", ""},
		{"2025-02", "", "2025年2月至9月", ""}, // this year: to today's month
		{"", "2023-05", "2023年1月至5月", ""},
		{"2025-13", "", "from", ""},
		{"2025/01", "", "from", ""},
		{"1999-12", "", "from", ""},
		{"2025-05", "2025-04", "to", ""},
		{"2010-01", "2025-01", "to", ""}, // longer than MaxMonths
	}
	for _, c := range cases {
		p, fe := ParsePeriod(c.from, c.to, today)
		if len(fe) > 0 {
			if fe[c.want] == "" {
				t.Errorf("%q–%q: errors %v, want one on %s", c.from, c.to, fe, c.want)
			}
			continue
		}
		if got := p.Label(); got != c.want {
			t.Errorf("%q–%q: %s, want %s", c.from, c.to, got, c.want)
		}
		if c.wantBefore != "" && p.YearBefore().Label() != c.wantBefore {
			t.Errorf("%q–%q: the year before is %s, want %s", c.from, c.to, p.YearBefore().Label(), c.wantBefore)
		}
	}
	if _, fe := ParsePeriod("2025-05", "2025-04", today); fe["to"] != "截止月份不能早于起始月份。" {
		t.Errorf("to before from: %v", fe)
	}
}

func TestCellText(t *testing.T) {
	for _, c := range []struct {
		cell Cell
		want string
	}{
		{countCell(1234567), "1,234,567"},
		{yuanCell(86490000), "864,900.00"},
		{yuanCell(-5), "-0.05"},
		{daysCell(12.345), "12.3"},
		{rateCell(110, 100), "+10.0%"},
		{rateCell(90, 100), "-10.0%"},
		{rateCell(5, 0), "—"},
		{rateCell(0, 7), "-100.0%"},
		{changeCell(countCell(3), countCell(10)), "-7"},
		{changeCell(countCell(3), countCell(3)), "0"},
		{changeCell(yuanCell(150000), yuanCell(100000)), "+500.00"},
	} {
		if got := c.cell.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.cell, got, c.want)
		}
	}
}

func TestScopeFor(t *testing.T) {
	for _, c := range []struct {
		a    *zhifa.Actor
		want Scope
		ok   bool
	}{
		{&zhifa.Actor{Role: zhifa.RoleCountyReviewer}, Scope{County: true}, true},
		{&zhifa.Actor{Role: zhifa.RoleCountyAdmin}, Scope{County: true}, true},
		{&zhifa.Actor{Role: zhifa.RoleOfficer, TownID: 3}, Scope{TownID: 3}, true},
		{&zhifa.Actor{Role: zhifa.RoleHead, TownID: 3}, Scope{TownID: 3}, true},
		{nil, Scope{}, false},
	} {
		got, ok := ScopeFor(c.a)
		if got != c.want || ok != c.ok {
			t.Errorf("%+v: %+v %v, want %+v %v", c.a, got, ok, c.want, c.ok)
		}
	}
}

func TestNiceMax(t *testing.T) {
	for m, want := range map[int]int{0: 4, 3: 4, 5: 8, 17: 20, 99: 100, 101: 120, 1234: 1600, 25: 32, 45: 60, 7: 8} {
		if got := niceMax(m); got != want || got < m || got%4 != 0 {
			t.Errorf("niceMax(%d) = %d, want %d", m, got, want)
		}
	}
}

// A small dashboard: the overview compares the periods, the towns add up,
// the charts have a bar per category, and the XLSX holds the same numbers
// as the tables.
func TestBuildAndXLSX(t *testing.T) {
	p, _ := ParsePeriod("2025-01", "2025-03", today)
	towns := []town.Town{{ID: 1, Name: "毛坝镇"}, {ID: 2, Name: "城关镇"}}
	now1 := cases.StatsCounts{Filed: 3, Decided: 2, FineFen: 150000, PaidFen: 100000, Ended: 2, Closed: 2, HandlingDays: 50, HandlingDaysMax: 30}
	now2 := cases.StatsCounts{Filed: 1}
	total := cases.StatsCounts{Filed: 4, Decided: 2, FineFen: 150000, PaidFen: 100000, Ended: 2, Closed: 2, HandlingDays: 50, HandlingDaysMax: 30}
	in := Input{
		Period: p, Today: today, Place: "紫阳县", Towns: towns,
		Stats: &cases.PeriodStats{
			Groups: []cases.PeriodGroup{
				{Now: total, Before: cases.StatsCounts{Filed: 2}, Pending: 2},
				{By: cases.ByTown, TownID: 1, Name: "毛坝镇", Now: now1, Before: cases.StatsCounts{Filed: 2}, Pending: 1},
				{By: cases.ByTown, TownID: 2, Name: "城关镇", Now: now2, Pending: 1},
				{By: cases.ByDomain, DomainID: 7, Name: "林业", Now: total, Pending: 2},
			},
			Months: []cases.MonthLine{
				{Month: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Filed: 2},
				{Month: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Filed: 4, Pending: 4},
				{Month: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Pending: 4},
				{Month: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Ended: 2, Pending: 2},
			},
		},
		Remedies: []cases.RemedyGroup{{TownID: 1, Kind: "reconsideration", Now: cases.RemedyCounts{Filed: 1, Decided: 1, Upheld: 1}}},
		Overdue:  map[int64]int{2: 5},
		Officers: []officer.Officer{{TownID: 1, Active: true, Status: officer.CertValid}, {TownID: 1, Active: true, Status: officer.CertExpired},
			{TownID: 2, Active: true, Status: officer.CertMissing}, {TownID: 2, Active: false, Status: officer.CertValid}},
	}
	d := Build(in)
	if !d.Clean || !strings.Contains(d.Remedies, "行政复议：提起 1 件，纠错 0 件") {
		t.Errorf("remedies: %v %s", d.Clean, d.Remedies)
	}
	tables := map[string]Table{}
	for _, tb := range d.Tables {
		tables[tb.ID] = tb
	}
	ov := tables["overview"].Rows[1]
	if ov.Label != "立案（件）" || ov.Cells[0].String() != "4" || ov.Cells[1].String() != "2" || ov.Cells[2].String() != "+2" || ov.Cells[3].String() != "+100.0%" {
		t.Errorf("overview's filings: %s %v", ov.Label, ov.Cells)
	}
	tw := tables["towns"]
	if len(tw.Rows) != 2 || tw.Total == nil || tw.Total.Cells[0].Value != 4 || tw.Rows[1].Cells[7].Value != 5 || tw.Rows[0].Cells[11].String() != "25.0" {
		t.Errorf("towns: %+v", tw)
	}
	m := tables["months"]
	if len(m.Rows) != 3 || m.Rows[1].Cells[1].Value != 2 || m.Total.Cells[4].Value != 2 {
		t.Errorf("months: %+v", m)
	}
	ct := tables["certificates"]
	if ct.Total.Cells[0].Value != 3 || ct.Rows[0].Cells[3].Value != 1 || ct.Rows[1].Cells[5].Value != 1 {
		t.Errorf("certificates: %+v", ct)
	}
	if len(d.Charts) != 3 || d.Charts[0].ID != "chart-towns" || d.Charts[1].ID != "chart-months" {
		t.Fatalf("charts: %d", len(d.Charts))
	}
	bars := 0
	for _, r := range d.Charts[1].Rects {
		if r.Class == "bar-now" || r.Class == "bar-before" {
			bars++
		}
	}
	if bars != 2+3*2 { // the legend's two keys and two bars a month
		t.Errorf("the months' chart has %d rects", bars)
	}

	var buf bytes.Buffer
	if err := d.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != len(d.Tables) {
		t.Fatalf("sheets %v", got)
	}
	for _, tb := range d.Tables {
		rows, err := f.GetRows(tb.Title, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		lines := tb.Rows
		if tb.Total != nil {
			lines = append(lines, *tb.Total)
		}
		for i, r := range lines {
			got := rows[XLSXHeadRows+1+i]
			if got[0] != r.Label {
				t.Errorf("%s row %d: %q, want %q", tb.Title, i, got[0], r.Label)
			}
			for j, c := range r.Cells {
				cell := ""
				if j+1 < len(got) {
					cell = got[j+1]
				}
				if c.None {
					if cell != "" {
						t.Errorf("%s %s col %d: %q, want an empty cell", tb.Title, r.Label, j, cell)
					}
					continue
				}
				v, err := strconv.ParseFloat(cell, 64)
				if err != nil || math.Abs(v-c.Value) > 1e-9 {
					t.Errorf("%s %s col %d: %q, want %v", tb.Title, r.Label, j, cell, c.Value)
				}
			}
		}
	}
}
